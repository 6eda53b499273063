"""A new action file's name and text: one layout for `vawg new` and `vawg import`, byte for byte."""

from __future__ import annotations

from datetime import date

from vawg_cli.edit.action_file import NewAction, action_text, file_name


def test_the_file_name_is_the_padded_id_and_the_title_slug() -> None:
    assert file_name(7, "To deliver VAWG training for Bexley staff") == "07-deliver-vawg-training-for-bexley.yaml"
    assert file_name(123, "!!!") == "123-action.yaml"


def test_the_layout_of_vawg_new() -> None:
    text, target_line = action_text(
        NewAction(11, "Train staff: licensing", ["LBB", "Vol Sector"], "Mar-26", added=date(2025, 6, 30)),
        origin="added with `vawg new` on 2025-06-30",
        schema=True,
    )
    assert text == (
        "# yaml-language-server: $schema=../schema/action.schema.json\n"
        "# Action 11, added with `vawg new` on 2025-06-30.\n"
        "# Log progress under updates, oldest first: date, rag (red, amber, green, blue, grey) and note.\n"
        "id: 11\n"
        'title: "Train staff: licensing"\n'
        "leads:\n"
        "  - LBB\n"
        "  - Vol Sector\n"
        "target: Mar-26\n"
        "added: 2025-06-30\n"
        "updates: []\n"
    )
    assert text.splitlines()[target_line - 1] == "target: Mar-26"


def test_the_layout_of_vawg_import_with_every_field_and_a_target_to_fix() -> None:
    action = NewAction(4, "Run a pilot", ("Met",), "Sometime", "Jo", "Theme A", "What it is", "Notes here")
    text, target_line = action_text(
        action, origin="imported with `vawg import` on 2025-06-02 from t.csv, row 3", schema=False, target_comment="# X"
    )
    assert text == (
        "# Action 4, imported with `vawg import` on 2025-06-02 from t.csv, row 3.\n"
        "# Log progress under updates, oldest first: date, rag (red, amber, green, blue, grey) and note.\n"
        "id: 4\n"
        "title: Run a pilot\n"
        "leads:\n"
        "  - Met\n"
        "# X\n"
        "target: Sometime\n"
        "owner: Jo\n"
        "theme: Theme A\n"
        "description: What it is\n"
        "notes: Notes here\n"
        "updates: []\n"
    )
    assert target_line == 8
