"""Wrapping a status table's cells as textwrap would, quickly: a long plan's table wraps ten
thousand titles, and textwrap's general machinery was most of drawing it.

Each function gives textwrap's own lines (tested against it, tests/test_compact.py) for the text a
table cell holds: words one space apart, after `printable` has made the plan's text safe.
"""

from __future__ import annotations

NBSP = "\u00a0"
"""Glues a figure's words ("116 of 200 (58%)") so that a wrapped line never splits them; each
renderer turns it back into a space once the line is wrapped."""

_TITLE_LINES = 3


def shortened(title: str, width: int, lines: int = _TITLE_LINES) -> str:
    """The title wrapped to `width`, cut to `lines` lines with an ellipsis: the full text is in
    `--format json` and in the plain output."""
    return "\n".join(title_lines(title, width, lines))


def single_spaced(text: str) -> bool:
    """Whether `text` is already what `" ".join(text.split())` makes of it, and printable: nearly
    every title is, and checking costs less than splitting it again."""
    return text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "


def title_lines(title: str, width: int, lines: int = _TITLE_LINES) -> list[str]:
    """`shortened`'s lines: a printable title's white space made single spaces, wrapped to `width`
    as textwrap would, and cut to `lines` lines, the last ending in an ellipsis."""
    if not single_spaced(title):
        title = " ".join(title.split())
    if 0 < len(title) <= width:  # fits on its line: what textwrap would give back
        return [title]
    wrapped = greedy_wrap(title, width) if "-" not in title else _hyphened_wrap(title, width)
    if not wrapped:
        return [""]
    if len(wrapped) <= lines:
        return wrapped
    kept = wrapped[:lines]
    # The last kept line ends in an ellipsis, cut back to a whole word if it would not fit.
    last = kept[-1]
    if len(last) + 1 > width:
        last = last[: width - 1].rsplit(" ", 1)[0] if " " in last[: width - 1] else last[: width - 1]
    kept[-1] = last + "…"
    return kept


def greedy_wrap(text: str, width: int) -> list[str]:
    """`textwrap.wrap(text, width, break_long_words=True)` for text of words one space apart, with
    no other white space and no hyphen: each line ends at the last space that leaves it no longer
    than `width`.

    Wrapping each title was most of drawing a long plan's table in a terminal; with no hyphen to
    break at, textwrap's rules come down to this (tested against it), unless a word is longer than
    the line, which textwrap then cuts to fill the line before it: that text is left to textwrap."""
    whole = text
    lines: list[str] = []
    while len(text) > width:
        cut = text.rfind(" ", 0, width + 1)
        if cut <= 0:  # a word longer than the line starts what is left
            import textwrap

            return textwrap.wrap(whole, width, break_long_words=True)
        lines.append(text[:cut])
        text = text[cut + 1 :]
    lines.append(text)
    return lines


def _hyphened_wrap(text: str, width: int) -> list[str]:
    """`textwrap.wrap(text, width, break_long_words=True)` for text of words one space apart, which
    may break after a hyphen ("night-|time") where textwrap's own pattern says a word may.

    The same pieces as textwrap's, packed line by line as textwrap packs them, without its general
    machinery: a sixth of a plan's titles have a hyphen (tested against textwrap)."""
    import textwrap

    # textwrap's pattern looks no further than a word either way (a space is neither letter nor
    # hyphen), so only the words with a hyphen need it: it is slow, and most words have none.
    split = textwrap.TextWrapper.wordsep_re.split
    pieces: list[str] = []
    for word in text.split(" "):
        if "-" in word:
            pieces += [piece for piece in split(word) if piece]
        else:
            pieces.append(word)
        pieces.append(" ")
    pieces.pop()
    if max(map(len, pieces)) > width:  # a piece to cut: textwrap's own rule
        return textwrap.wrap(text, width, break_long_words=True)
    lines: list[str] = []
    line: list[str] = []
    used = 0
    for piece in pieces:
        if used + len(piece) <= width:
            line.append(piece)
            used += len(piece)
            continue
        if line[-1] == " ":  # a line never ends in the space it broke at
            line.pop()
        lines.append("".join(line))
        # Nor does the next one start with it.
        line, used = ([], 0) if piece == " " else ([piece], len(piece))
    if line and line[-1] == " ":
        line.pop()
    if line:
        lines.append("".join(line))
    return lines


def wrapped_output(text: str, width: int) -> list[str]:
    """An output's line wrapped between words, never inside its glued figure (unless a sliver of a
    window is narrower than the figure itself)."""
    import textwrap

    lines = textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False)
    return [line.replace(NBSP, " ") for line in lines]
