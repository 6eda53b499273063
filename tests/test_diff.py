"""`vawg diff`: the plan at two git revisions, compared per action, in text, JSON and Markdown.

Every test builds a real git repository in tmp_path from the bundled plan and makes commits,
so what is tested is what a coordinator sees after `git commit`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from conftest import BUNDLED_PLAN, Repo, copy_plan
from vawg_cli.cli import app
from vawg_cli.core.changes import compare
from vawg_cli.plan.git import read_sides
from vawg_cli.render.changes import inert_line, markdown_text

TITLE_3 = "Referral processes for VAWG issues and cases clearly defined"


def diff(runner: CliRunner, repo: Repo, *args: str) -> Result:
    return runner.invoke(app, ["diff", "--plan", str(repo.plan), *args])


def diff_json(runner: CliRunner, repo: Repo, *args: str) -> dict[str, Any]:
    result = diff(runner, repo, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    record: dict[str, Any] = json.loads(result.stdout)
    return record


def by_id(record: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {action["id"]: action for action in record["actions"]}


@pytest.fixture
def rag_and_target(repo: Repo) -> Repo:
    """Action 3 at amber, then a commit that turns it green and moves its target Apr-25 -> Oct-25."""
    repo.add_update(3, "2024-09-01", "amber", "Draft pathway with legal for review")
    repo.commit("action 3 amber")
    repo.add_update(3, "2025-05-01", "green", "Pathway agreed", by="LBB")
    repo.set(3, target="Oct-25")
    repo.commit("action 3 green, target moved")
    return repo


class TestDoneWhen:
    def test_rag_and_target_change_named_with_the_slip(self, runner: CliRunner, rag_and_target: Repo) -> None:
        result = diff(runner, rag_and_target, "HEAD~1")
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines() == [
            f"action 3 {TITLE_3}",
            "  RAG: amber → green",
            "  target: Apr-25 → Oct-25 (due 30 Apr 2025 → 31 Oct 2025, slips 184 days)",
            "  new update 2025-05-01 green: Pathway agreed (by LBB)",
        ]

    def test_without_plan_option_found_from_the_current_folder(self, runner: CliRunner, rag_and_target: Repo) -> None:
        result = runner.invoke(app, ["diff", "HEAD~1"])
        assert result.exit_code == 0, result.output
        assert "amber → green" in result.stdout
        assert "slips 184 days" in result.stdout

    def test_json(self, runner: CliRunner, rag_and_target: Repo) -> None:
        record = diff_json(runner, rag_and_target, "HEAD~1")
        assert record["from"] == "HEAD~1" and record["to"] == "working tree"
        assert record["changed"] is True
        assert record["summary"] == {
            "changed": 1,
            "added": 0,
            "removed": 0,
            "plan": 0,
            "invalid": 0,
            "measures_changed": 0,
            "measures_added": 0,
            "measures_removed": 0,
        }
        assert record["measures"] == []
        (action,) = record["actions"]
        assert action["id"] == 3 and action["change"] == "changed" and action["title"] == TITLE_3
        assert action["path"] == "actions/03-referral-processes.yaml"
        assert action["rag_change"] == {"from": "amber", "to": "green"}
        assert action["target_change"] == {
            "from": "Apr-25",
            "to": "Oct-25",
            "due_from": "2025-04-30",
            "due_to": "2025-10-31",
            "slip_days": 184,
        }
        assert action["new_updates"] == [
            {
                "number": 2,
                "date": "2025-05-01",
                "rag": "green",
                "note": "Pathway agreed",
                "by": "LBB",
                "restricted": False,
            }
        ]
        assert action["title_change"] is None and action["leads_added"] == [] and action["edited_updates"] == []

    def test_markdown(self, runner: CliRunner, rag_and_target: Repo) -> None:
        result = diff(runner, rag_and_target, "HEAD~1", "--format", "markdown")
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert lines[0] == "## Plan changes"
        assert "HEAD~1 → working tree: 1 action changed" in lines
        assert f"- **Action 3** {TITLE_3}" in lines
        assert "  - RAG: 🟠 amber → 🟢 green" in lines
        assert "  - target: Apr-25 → Oct-25 (due 30 Apr 2025 → 31 Oct 2025, slips 184 days)" in lines


class TestRevisions:
    def test_default_is_head_against_the_working_tree(self, runner: CliRunner, repo: Repo) -> None:
        repo.set(5, target="Jun-25")
        result = diff(runner, repo)
        assert result.exit_code == 0, result.output
        assert "action 5 " in result.stdout
        assert "target: Apr-25 → Jun-25 (due 30 Apr 2025 → 30 Jun 2025, slips 61 days)" in result.stdout
        repo.commit()
        assert diff(runner, repo).stdout == "no changes to the plan between HEAD and working tree\n"

    def test_one_revision_includes_uncommitted_changes(self, runner: CliRunner, rag_and_target: Repo) -> None:
        rag_and_target.set(6, title="Working group set up")
        result = diff(runner, rag_and_target, "HEAD~1")
        assert "action 3 " in result.stdout
        assert "action 6 Working group set up" in result.stdout

    def test_two_revisions_ignore_the_working_tree(self, runner: CliRunner, rag_and_target: Repo) -> None:
        rag_and_target.set(6, title="Working group set up")
        result = diff(runner, rag_and_target, "HEAD~2", "HEAD~1")
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines() == [
            f"action 3 {TITLE_3}",
            "  RAG: grey → amber",
            "  new update 2024-09-01 amber: Draft pathway with legal for review",
        ]
        record = diff_json(runner, rag_and_target, "HEAD~2", "HEAD~1")
        assert (record["from"], record["to"]) == ("HEAD~2", "HEAD~1")

    def test_branches(self, runner: CliRunner, repo: Repo) -> None:
        repo.git("checkout", "-q", "-b", "proposal")
        repo.set(7, title="Holistic support")
        repo.commit()
        repo.git("checkout", "-q", "main")
        # Compared through git, without checking the branch out: the working tree is main's.
        result = diff(runner, repo, "main", "proposal")
        assert result.stdout.startswith("action 7 Holistic support\n")
        assert diff(runner, repo).stdout.startswith("no changes to the plan")

    def test_two_revisions_date_a_target_by_the_unchanged_plan_yaml(self, runner: CliRunner, repo: Repo) -> None:
        # "2026/27" is dated by plan.yaml's year start: read even when neither revision changed it.
        repo.set(3, target="2026/27")
        repo.commit("action 3 moved to the 2026/27 year")
        between_revisions = diff(runner, repo, "HEAD~1", "HEAD").stdout
        assert "  target: Apr-25 → 2026/27 (due 30 Apr 2025 → 31 Mar 2027, " in between_revisions
        assert between_revisions == diff(runner, repo, "HEAD~1").stdout  # as against the working tree

    def test_same_revision_twice_is_no_change(self, runner: CliRunner, rag_and_target: Repo) -> None:
        record = diff_json(runner, rag_and_target, "HEAD", "HEAD")
        assert record["changed"] is False and record["actions"] == []


class TestActionChanges:
    def test_title_and_leads(self, runner: CliRunner, repo: Repo) -> None:
        repo.set(3, title="Referral pathways agreed", leads=["LBB", "Vol Sector"])
        repo.commit()
        text = diff(runner, repo, "HEAD~1").stdout
        assert text.splitlines() == [
            "action 3 Referral pathways agreed",
            f'  title: "{TITLE_3}" → "Referral pathways agreed"',
            "  leads: added Vol Sector; removed Met",
        ]
        action = by_id(diff_json(runner, repo, "HEAD~1"))[3]
        assert action["title_change"] == {"from": TITLE_3, "to": "Referral pathways agreed"}
        assert action["leads_added"] == ["Vol Sector"] and action["leads_removed"] == ["Met"]
        assert action["leads"] == ["LBB", "Vol Sector"]
        assert action["rag_change"] is None and action["target_change"] is None
        markdown = diff(runner, repo, "HEAD~1", "--format", "markdown").stdout
        assert "- **Action 3** Referral pathways agreed" in markdown
        assert f'  - title: "{TITLE_3}" → "Referral pathways agreed"' in markdown
        assert "  - leads: added Vol Sector; removed Met" in markdown

    def test_added_and_removed(self, runner: CliRunner, repo: Repo) -> None:
        new = repo.plan / "actions" / "11-new-action.yaml"
        new.write_text("id: 11\ntitle: New action title\nleads: LBB\ntarget: Quarterly\n", encoding="utf-8")
        repo.action_path(8).unlink()
        repo.commit()
        result = diff(runner, repo, "HEAD~1")
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert "action 11 New action title: added (leads LBB; target Quarterly)" in lines
        assert any(line.startswith("action 8 ") and line.endswith(": removed") for line in lines)
        assert len(lines) == 2
        actions = by_id(diff_json(runner, repo, "HEAD~1"))
        assert actions[11]["change"] == "added" and actions[11]["leads"] == ["LBB"]
        assert actions[11]["target"] == "Quarterly"
        assert actions[8]["change"] == "removed"
        markdown = diff(runner, repo, "HEAD~1", "--format", "markdown").stdout
        assert "HEAD~1 → working tree: 1 action added, 1 removed" in markdown
        assert "- **Action 11** New action title: added (leads LBB; target Quarterly)" in markdown

    def test_an_added_action_brings_its_updates(self, runner: CliRunner, repo: Repo) -> None:
        (repo.plan / "actions" / "11-new.yaml").write_text(
            "id: 11\ntitle: New\nleads: LBB\ntarget: Quarterly\n"
            "updates:\n  - date: 2025-01-10\n    rag: green\n    note: Started well\n",
            encoding="utf-8",
        )
        text = diff(runner, repo).stdout
        assert "  new update 2025-01-10 green: Started well" in text

    def test_renamed_file_is_the_same_action(self, runner: CliRunner, repo: Repo) -> None:
        old = repo.action_path(4)
        old.rename(old.with_name("04-renamed.yaml"))
        assert diff(runner, repo).stdout.startswith("no changes to the plan")
        repo.set(4, target="May-25")
        record = diff_json(runner, repo)
        assert [(a["id"], a["change"], a["path"]) for a in record["actions"]] == [
            (4, "changed", "actions/04-renamed.yaml")
        ]

    def test_changes_in_one_commit_across_actions(self, runner: CliRunner, repo: Repo) -> None:
        repo.set(3, title="Referral pathways agreed")
        repo.add_update(5, "2025-02-01", "red", "Trainer left")
        (repo.plan / "actions" / "11-new.yaml").write_text(
            "id: 11\ntitle: New\nleads: LBB\ntarget: Monthly\n", encoding="utf-8"
        )
        repo.commit()
        markdown = diff(runner, repo, "HEAD~1", "--format", "markdown").stdout
        assert "HEAD~1 → working tree: 2 actions changed, 1 added" in markdown
        # Actions come in id order, whatever order the files changed in.
        assert markdown.index("**Action 3**") < markdown.index("**Action 5**") < markdown.index("**Action 11**")
        assert "  - RAG: 🔘 grey → 🔴 red" in markdown

    def test_target_brought_forward(self, runner: CliRunner, repo: Repo) -> None:
        repo.set(3, target="2025-04-20")
        assert "(due 30 Apr 2025 → 20 Apr 2025, brought forward 10 days)" in diff(runner, repo).stdout
        assert by_id(diff_json(runner, repo))[3]["target_change"]["slip_days"] == -10

    def test_target_rewritten_with_the_same_date(self, runner: CliRunner, repo: Repo) -> None:
        repo.set(3, target="2025-04-30")
        assert "  target: Apr-25 → 2025-04-30 (due 30 Apr 2025, due date unchanged)" in diff(runner, repo).stdout

    def test_recurring_target_has_no_slip(self, runner: CliRunner, repo: Repo) -> None:
        repo.set(3, target="Quarterly")
        text = diff(runner, repo).stdout
        assert "  target: Apr-25 → Quarterly\n" in text
        assert "slip" not in text
        change = by_id(diff_json(runner, repo))[3]["target_change"]
        assert change == {"from": "Apr-25", "to": "Quarterly", "due_from": None, "due_to": None, "slip_days": None}

    def test_restricted_update_is_shown_and_marked(self, runner: CliRunner, repo: Repo) -> None:
        repo.add_update(3, "2025-03-01", "red", "Case review pending", restricted=True)
        assert "  new update 2025-03-01 red (restricted): Case review pending" in diff(runner, repo).stdout
        assert by_id(diff_json(runner, repo))[3]["new_updates"][0]["restricted"] is True
        markdown = diff(runner, repo, "--format", "markdown").stdout
        assert "  - new update 2025-03-01 🔴 red (restricted): Case review pending" in markdown

    def test_a_late_return_put_in_date_order_is_a_new_update(self, runner: CliRunner, repo: Repo) -> None:
        repo.add_update(3, "2024-09-01", "amber", "Draft pathway")
        repo.add_update(3, "2024-12-01", "amber", "With legal")
        repo.commit()
        repo.edit_action(
            3, lambda data: data["updates"].insert(1, {"date": "2024-10-15", "rag": "red", "note": "Late"})
        )
        lines = diff(runner, repo).stdout.splitlines()
        assert "  new update 2024-10-15 red: Late" in lines
        assert not [line for line in lines if "edited" in line or "removed" in line]
        assert [u["number"] for u in by_id(diff_json(runner, repo))[3]["new_updates"]] == [2]

    def test_an_edited_earlier_update_is_named_not_guessed(self, runner: CliRunner, repo: Repo) -> None:
        repo.add_update(3, "2024-09-01", "amber", "Draft pathway")
        repo.add_update(3, "2024-12-01", "amber", "With legal")
        repo.commit()

        def rewrite(data: dict[str, Any]) -> None:
            data["updates"][0]["note"] = "Draft pathway (corrected)"
            data["updates"].append({"date": "2025-01-15", "rag": "green", "note": "Agreed"})

        repo.edit_action(3, rewrite)
        lines = diff(runner, repo).stdout.splitlines()
        assert "  update 1 edited" in lines
        assert "  new update 2025-01-15 green: Agreed" in lines
        assert "  RAG: amber → green" in lines

        def drop_last(data: dict[str, Any]) -> None:
            data["updates"] = data["updates"][:1]

        repo.edit_action(3, drop_last)
        lines = diff(runner, repo).stdout.splitlines()
        assert "  update 1 edited" in lines and "  update 2 removed" in lines
        assert not any("new update" in line for line in lines)
        action = by_id(diff_json(runner, repo))[3]
        assert action["edited_updates"] == [1] and action["removed_updates"] == [2] and action["new_updates"] == []

    def test_target_history_entries(self, runner: CliRunner, repo: Repo) -> None:
        history = [
            {"date": "2025-04-10", "from": "Apr-25", "to": "Oct-25", "reason": "Legal review", "approved_by": "BCSP"}
        ]
        repo.set(3, target="Oct-25", target_history=history)
        text = diff(runner, repo).stdout
        assert "  target change recorded 2025-04-10: Apr-25 → Oct-25, because Legal review (approved by BCSP)" in text
        assert by_id(diff_json(runner, repo))[3]["new_target_history"] == [
            {"date": "2025-04-10", "from": "Apr-25", "to": "Oct-25", "reason": "Legal review", "approved_by": "BCSP"}
        ]

    def test_other_keys_are_named(self, runner: CliRunner, repo: Repo) -> None:
        repo.set(3, owner="Jo Bloggs", notes="See the board minutes")
        assert "  also changed: owner, notes" in diff(runner, repo).stdout
        assert by_id(diff_json(runner, repo))[3]["other_changes"] == ["owner", "notes"]

    def test_comment_only_edit_is_no_change(self, runner: CliRunner, repo: Repo) -> None:
        path = repo.action_path(3)
        path.write_text("# reviewed\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
        result = diff(runner, repo, "--exit-code")
        assert result.exit_code == 0
        assert result.stdout.startswith("no changes to the plan")

    def test_only_plan_files_are_read(self, runner: CliRunner, repo: Repo) -> None:
        (repo.plan / "actions" / "README.md").write_text("not an action", encoding="utf-8")
        (repo.plan / "actions" / "drafts").mkdir()
        (repo.plan / "actions" / "drafts" / "12-draft.yaml").write_text("id: [", encoding="utf-8")
        (repo.root / "other.yaml").write_text("id: [", encoding="utf-8")
        (repo.plan / "actions" / "12-upper.YML").write_text(
            "id: 12\ntitle: Upper case suffix\nleads: LBB\ntarget: Monthly\n", encoding="utf-8"
        )
        repo.commit()
        record = diff_json(runner, repo, "HEAD~1", "HEAD")
        assert [(a["id"], a["change"]) for a in record["actions"]] == [(12, "added")]
        assert record["invalid"] == []


class TestInvalidFiles:
    def test_invalid_at_the_older_revision_is_reported_not_a_crash(self, runner: CliRunner, repo: Repo) -> None:
        path = repo.action_path(3)
        good = path.read_text(encoding="utf-8")
        path.write_text(good.replace("target: Apr-25", "target: someday"), encoding="utf-8")
        repo.commit("broken")
        path.write_text(good.replace("target: Apr-25", "target: Oct-25"), encoding="utf-8")
        repo.commit("fixed")
        result = diff(runner, repo, "HEAD~1")
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        line = next(n for n, text in enumerate(good.splitlines(), 1) if text.startswith("target:"))
        assert len(lines) == 1
        assert lines[0].startswith("actions/03-referral-processes.yaml is invalid at HEAD~1: target 'someday'")
        assert lines[0].endswith(f"(line {line})")
        # Its action is not known at HEAD~1, so it is not reported as added either.
        assert "added" not in result.stdout
        (invalid,) = diff_json(runner, repo, "HEAD~1")["invalid"]
        assert invalid["path"] == "actions/03-referral-processes.yaml" and invalid["at"] == "HEAD~1"
        assert invalid["line"] == line and "someday" in invalid["message"]
        markdown = diff(runner, repo, "HEAD~1", "--format", "markdown").stdout
        assert "1 file invalid" in markdown
        assert "- ⚠️ actions/03-referral-processes.yaml is invalid at HEAD~1: target 'someday'" in markdown

    def test_invalid_in_the_working_tree(self, runner: CliRunner, repo: Repo) -> None:
        repo.action_path(3).write_text("id: 3\ntitle: [unclosed\n", encoding="utf-8")
        (repo.plan / "plan.yaml").write_text("title: x\n", encoding="utf-8")
        result = diff(runner, repo, "--exit-code")
        assert result.exit_code == 1
        lines = result.stdout.splitlines()
        assert any(
            line.startswith("actions/03-referral-processes.yaml is invalid in the working tree: ") for line in lines
        )
        assert any(line.startswith("plan.yaml is invalid in the working tree: ") for line in lines)
        assert "removed" not in result.stdout


class TestPlanChanges:
    def test_title_period_and_partners(self, runner: CliRunner, repo: Repo) -> None:
        def change(data: dict[str, Any]) -> None:
            data["title"] = "Bexley VAWG Plan"
            data["end"] = "2029-03-31"
            data["partners"]["Met"] = "Met Police"
            data["partners"]["NHS"] = "NHS South East London"
            data["partners"]["VCS"] = data["partners"].pop("Vol Sector")

        repo.edit(repo.plan / "plan.yaml", change)
        lines = diff(runner, repo).stdout.splitlines()
        assert lines[0] == "plan"
        assert '  title: "Bexley VAWG Partnership Action Plan 2024-2028" → "Bexley VAWG Plan"' in lines
        assert "  end: 2028-04-30 → 2029-03-31" in lines
        assert '  partner renamed: Met: "Metropolitan Police Service" → "Met Police"' in lines
        assert "  partner added: NHS (NHS South East London)" in lines
        assert "  partner code changed: Vol Sector → VCS (Voluntary and community sector)" in lines
        record = diff_json(runner, repo)
        assert {"kind": "partner_added", "subject": "NHS", "from": None, "to": "NHS South East London"} in record[
            "plan"
        ]
        assert record["summary"]["plan"] == 5
        assert "plan settings changed" in diff(runner, repo, "--format", "markdown").stdout

    def test_partner_removed(self, runner: CliRunner, repo: Repo) -> None:
        repo.edit(repo.plan / "plan.yaml", lambda data: data["partners"].pop("Vol Sector"))
        assert "  partner removed: Vol Sector (Voluntary and community sector)" in diff(runner, repo).stdout


class TestExitCode:
    def test_zero_without_changes(self, runner: CliRunner, repo: Repo) -> None:
        result = diff(runner, repo, "--exit-code")
        assert result.exit_code == 0
        assert result.stdout == "no changes to the plan between HEAD and working tree\n"

    def test_one_with_changes_after_printing(self, runner: CliRunner, rag_and_target: Repo) -> None:
        result = diff(runner, rag_and_target, "HEAD~1", "--exit-code")
        assert result.exit_code == 1
        assert "slips 184 days" in result.stdout
        assert diff(runner, rag_and_target, "HEAD~1").exit_code == 0

    def test_json_with_exit_code(self, runner: CliRunner, rag_and_target: Repo) -> None:
        result = diff(runner, rag_and_target, "HEAD~1", "--exit-code", "--format", "json")
        assert result.exit_code == 1
        assert json.loads(result.stdout)["changed"] is True


class TestErrors:
    def test_not_a_git_repository(
        self, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundled_copy: Path
    ) -> None:
        monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
        monkeypatch.chdir(tmp_path)
        result = runner.invoke(app, ["diff", "--plan", str(bundled_copy)])
        assert result.exit_code == 1
        assert "is not in a git repository; vawg diff compares the plan at git revisions" in result.stderr
        assert result.stderr.startswith("vawg: error: ")
        assert result.stdout == ""

    def test_unknown_revision(self, runner: CliRunner, repo: Repo) -> None:
        result = diff(runner, repo, "no-such-branch")
        assert result.exit_code == 1
        assert result.stderr.startswith("vawg: error: unknown revision 'no-such-branch'")
        assert diff(runner, repo, "HEAD", "HEAD~5").stderr.startswith("vawg: error: unknown revision 'HEAD~5'")

    def test_a_revision_cannot_be_an_option_to_git(self, runner: CliRunner, repo: Repo) -> None:
        result = diff(runner, repo, "--", "--output=/tmp/x")
        assert result.exit_code == 1
        assert "unknown revision '--output=/tmp/x'" in result.stderr

    def test_revision_before_the_plan_existed(self, runner: CliRunner, repo: Repo) -> None:
        # A repository whose first commit had no plan: every action is added, not a crash.
        repo.git("checkout", "-q", "--orphan", "empty")
        repo.git("rm", "-rq", "--cached", ".")
        repo.git("commit", "-q", "--allow-empty", "-m", "nothing")
        record = diff_json(runner, repo, "empty", "main")
        assert record["plan"] == [{"kind": "plan_added", "subject": None, "from": None, "to": None}]
        assert [a["change"] for a in record["actions"]] == ["added"] * 10


class TestPlanFolderAtTheTop:
    def test_plan_folder_is_the_repository(
        self, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, repo: Repo
    ) -> None:
        # `repo` only for its clean git settings: this repository is a second one, of the plan folder itself.
        top = copy_plan(BUNDLED_PLAN, tmp_path / "own")
        inner = Repo(top, top)
        inner.git("init", "-q")
        inner.commit()
        inner.set(2, target="May-25")
        monkeypatch.chdir(top)
        result = runner.invoke(app, ["diff"])
        assert result.exit_code == 0, result.output
        assert "action 2 " in result.stdout and "target: " in result.stdout


class TestSafeOutput:
    def test_markdown_escapes_plan_text(self, runner: CliRunner, repo: Repo) -> None:
        repo.add_update(3, "2025-03-01", "green", "a | b <script>alert(1)</script> *bold*")
        markdown = diff(runner, repo, "--format", "markdown").stdout
        # Every `<` is escaped, so no viewer reads HTML out of a note.
        assert re.search(r"(?<!\\)<", markdown) is None
        assert r"a \| b \<script>alert(1)\</script> \*bold\*" in markdown

    def test_text_keeps_control_characters_out(self, runner: CliRunner, repo: Repo) -> None:
        repo.add_update(3, "2025-03-01", "green", "line one\nline two \x1b[31mred")
        text = diff(runner, repo).stdout
        assert "\x1b" not in text
        assert "  new update 2025-03-01 green: line one line two [31mred" in text

    def test_helpers(self) -> None:
        assert inert_line(" a\n\tb\x07c ") == "a b c"
        assert markdown_text("x|y<z_[w]") == r"x\|y\<z\_\[w\]"


def test_core_is_usable_without_the_command_line(rag_and_target: Repo) -> None:
    changes = compare(*read_sides(rag_and_target.plan, "HEAD~1", "HEAD"))
    (action,) = changes.actions
    assert action.target_move is not None and action.target_move.slip_days == 184
    assert (action.rag_before, action.rag_after) == ("amber", "green")


def test_markdown_does_not_mention_people() -> None:
    from vawg_cli.render.changes import markdown_text

    assert markdown_text("Agreed with @jsmith") == "Agreed with @\u200bjsmith"


def test_a_symlinked_action_file_is_not_reported_added_on_every_run(runner: CliRunner, repo: Repo) -> None:
    path = repo.action_path(5)
    shared = repo.root / "shared-05.yaml"
    path.rename(shared)
    path.symlink_to(shared)
    repo.commit("action 5 kept outside plan/, linked in")
    record = diff_json(runner, repo)
    assert record["changed"] is False
    assert record["actions"] == []


class TestLifecycle:
    """Done when: a withdrawn action shows as withdrawn in diff, and a resumed one as resumed."""

    def test_withdrawn_then_resumed(self, runner: CliRunner, repo: Repo) -> None:
        repo.set(4, lifecycle=[{"date": "2025-06-01", "state": "withdrawn", "reason": "Merged", "superseded_by": 3}])
        repo.commit("withdraw 4")
        result = diff(runner, repo, "HEAD~1", "HEAD")
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[1:] == ["  withdrawn (2025-06-01): Merged; superseded by 3"]
        assert result.stdout.startswith("action 4 ")
        (action,) = diff_json(runner, repo, "HEAD~1", "HEAD")["actions"]
        assert action["new_lifecycle"] == [
            {"date": "2025-06-01", "state": "withdrawn", "reason": "Merged", "superseded_by": 3}
        ]
        repo.edit_action(
            4, lambda data: data["lifecycle"].append({"date": "2025-07-01", "state": "active", "reason": "Back"})
        )
        result = diff(runner, repo)
        assert result.stdout.splitlines()[1:] == ["  resumed (2025-07-01): Back"]
        markdown = diff(runner, repo, "--format", "markdown").stdout
        assert "  - resumed (2025-07-01): Back\n" in markdown

    def test_hold_and_edits(self, runner: CliRunner, repo: Repo) -> None:
        repo.set(4, lifecycle=[{"date": "2025-06-01", "state": "on hold", "reason": "Paused"}])
        repo.commit("hold 4")
        repo.set(4, lifecycle=[{"date": "2025-06-01", "state": "on hold", "reason": "Paused by the board"}])
        assert diff(runner, repo).stdout.splitlines()[1:] == ["  lifecycle change 1 edited"]
        assert diff(runner, repo, "HEAD~1", "HEAD").stdout.splitlines()[1:] == ["  put on hold (2025-06-01): Paused"]
