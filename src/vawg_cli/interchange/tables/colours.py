"""A RAG colour from a cell: its shading (a Word table coloured by hand) or its words ("Amber", "R").

Shading is matched by the nearest hue rather than exact values, because every partnership picks
its own red from the palette: "FF0000", "C00000" and Word's "E06666" are all red. The thresholds
(the README's "vawg import" section lists them):

- no shading, "auto", or white and near-white (saturation under 0.15 and lightness over 0.85): no colour;
- greys (saturation under 0.15 otherwise): grey;
- a hue under 20 degrees or from 330: red; 20 to 70: amber (orange and yellow); 70 to 170: green;
  170 to 260: blue; 260 to 330 (purples and pinks): no colour, the text decides.
"""

from __future__ import annotations

import colorsys
import re

from vawg_cli.model.records import Rag

_WORDS = {
    "red": Rag.RED,
    "r": Rag.RED,
    "amber": Rag.AMBER,
    "a": Rag.AMBER,
    "yellow": Rag.AMBER,
    "green": Rag.GREEN,
    "g": Rag.GREEN,
    "blue": Rag.BLUE,
    "b": Rag.BLUE,
    "complete": Rag.BLUE,
    "completed": Rag.BLUE,
    "grey": Rag.GREY,
    "gray": Rag.GREY,
    "notstarted": Rag.GREY,
}


def colour_of_text(text: str) -> Rag | None:
    """ "Red", "R", "Amber", "A", "Green", "G", "Complete(d)", "Blue", "Not started": the colour."""
    key = re.sub(r"[^a-z]", "", text.lower())
    return _WORDS.get(key)


def colour_of_fill(fill: str) -> Rag | None:
    """A cell's shading ("FFC000") as the nearest colour of the scale, None for none."""
    value = fill.strip().lstrip("#")
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", value):
        return None  # "auto", "" or something Word did not write
    red, green, blue = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    if saturation < 0.15 or max(red, green, blue) - min(red, green, blue) < 0.08:
        return None if lightness > 0.85 else Rag.GREY
    degrees = hue * 360
    if degrees < 20 or degrees >= 330:
        return Rag.RED
    if degrees < 70:
        return Rag.AMBER
    if degrees < 170:
        return Rag.GREEN
    if degrees < 260:
        return Rag.BLUE
    return None
