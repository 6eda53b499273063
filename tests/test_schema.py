"""JSON Schema for editors: `vawg schema`, the committed schema files, and the pre-commit hook."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, ValidationError
from typer.testing import CliRunner

from conftest import BUNDLED_PLAN, FIXTURES, REPO
from vawg_cli.cli import app
from vawg_cli.plan.file_format import ActionModel, TargetChangeModel, UpdateModel
from vawg_cli.plan.plan_format import PlanModel
from vawg_cli.plan.schema import ACTION_SCHEMA, MEASURE_SCHEMA, PLAN_SCHEMA, plan_schemas

SCHEMA_DIR = BUNDLED_PLAN / "schema"
PLAN_LINE = "# yaml-language-server: $schema=schema/plan.schema.json"
ACTION_LINE = "# yaml-language-server: $schema=../schema/action.schema.json"
MEASURE_LINE = "# yaml-language-server: $schema=../schema/measure.schema.json"
PLAN_FOLDERS = [BUNDLED_PLAN, FIXTURES / "reporting", FIXTURES / "progress"]


def as_editors_see_it(value: Any) -> Any:
    """YAML data as the YAML language server sees it: an unquoted 2025-04-30 is a string there."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: as_editors_see_it(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_editors_see_it(item) for item in value]
    return value


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(plan_schemas()[name])
    return loaded


def plan_files(folder: Path) -> list[tuple[Path, str]]:
    """Every file of a plan folder with the schema that describes it."""
    return (
        [(folder / "plan.yaml", PLAN_SCHEMA)]
        + [(path, ACTION_SCHEMA) for path in sorted((folder / "actions").glob("*.yaml"))]
        + [(path, MEASURE_SCHEMA) for path in sorted((folder / "measures").glob("*.yaml"))]
    )


class TestCommittedSchemaFiles:
    def test_match_what_vawg_schema_generates(self) -> None:
        generated = plan_schemas()
        assert sorted(generated) == sorted(path.name for path in SCHEMA_DIR.iterdir())
        for name, text in generated.items():
            assert (SCHEMA_DIR / name).read_bytes() == text.encode("utf-8"), (
                f"plan/schema/{name} is out of date; run: vawg schema"
            )

    def test_generation_is_deterministic(self) -> None:
        assert plan_schemas() == plan_schemas()

    def test_check_passes_on_a_copy_of_the_bundled_plan(self, runner: CliRunner, bundled_copy: Path) -> None:
        result = runner.invoke(app, ["schema", "--check", "--plan", str(bundled_copy)])
        assert result.exit_code == 0, result.output
        assert "up to date" in result.stdout

    def test_check_names_a_stale_file_and_writes_nothing(self, runner: CliRunner, bundled_copy: Path) -> None:
        stale = bundled_copy / "schema" / ACTION_SCHEMA
        stale.write_text(stale.read_text().replace("The aim as the plan words it.", "An old description."))
        before = stale.read_bytes()
        result = runner.invoke(app, ["schema", "--check", "--plan", str(bundled_copy)])
        assert result.exit_code == 1, result.output
        assert f"{stale} is out of date" in result.stderr
        assert PLAN_SCHEMA not in result.stderr
        assert f"run: vawg schema --plan {bundled_copy}" in result.stderr
        assert stale.read_bytes() == before

    def test_check_names_a_missing_file(self, runner: CliRunner, bundled_copy: Path) -> None:
        (bundled_copy / "schema" / PLAN_SCHEMA).unlink()
        result = runner.invoke(app, ["schema", "--check", "--plan", str(bundled_copy)])
        assert result.exit_code == 1
        assert f"{bundled_copy / 'schema' / PLAN_SCHEMA} is missing" in result.stderr

    def test_writing_into_the_plan_folder_repairs_it(self, runner: CliRunner, bundled_copy: Path) -> None:
        (bundled_copy / "schema" / PLAN_SCHEMA).write_text("{}\n")
        result = runner.invoke(app, ["schema", "--plan", str(bundled_copy)])
        assert result.exit_code == 0, result.output
        assert (bundled_copy / "schema" / PLAN_SCHEMA).read_text() == plan_schemas()[PLAN_SCHEMA]
        assert runner.invoke(app, ["schema", "--check", "--plan", str(bundled_copy)]).exit_code == 0


class TestSchemaCommand:
    def test_writes_both_files_to_the_folder_given(self, runner: CliRunner, tmp_path: Path) -> None:
        out = tmp_path / "new" / "schemas"
        result = runner.invoke(app, ["schema", "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert sorted(path.name for path in out.iterdir()) == [ACTION_SCHEMA, MEASURE_SCHEMA, PLAN_SCHEMA]
        for name, text in plan_schemas().items():
            assert (out / name).read_text(encoding="utf-8") == text
            assert f"Wrote {out / name}" in result.stdout
        assert runner.invoke(app, ["schema", "-o", str(out), "--check"]).exit_code == 0

    def test_the_bundled_plan_needs_a_folder(
        self, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        result = runner.invoke(app, ["schema"])
        assert result.exit_code == 1
        assert "vawg: error: no plan folder was found" in result.stderr
        assert "-o DIR" in result.stderr
        assert list(tmp_path.iterdir()) == []

    def test_found_plan_folder_gets_schema_folder(
        self, runner: CliRunner, bundled_copy: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for path in (bundled_copy / "schema").iterdir():
            path.unlink()
        monkeypatch.chdir(bundled_copy.parent)
        result = runner.invoke(app, ["schema"])
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines() == [
            f"Wrote plan/schema/{PLAN_SCHEMA}",
            f"Wrote plan/schema/{ACTION_SCHEMA}",
            f"Wrote plan/schema/{MEASURE_SCHEMA}",
        ]

    def test_help_has_an_example(self, runner: CliRunner) -> None:
        result = runner.invoke(app, ["schema", "--help"])
        assert result.exit_code == 0
        assert "Example:" in result.stdout and "vawg schema" in result.stdout


class TestSchemaContent:
    def test_header(self) -> None:
        for name in (PLAN_SCHEMA, ACTION_SCHEMA, MEASURE_SCHEMA):
            document = schema(name)
            assert list(document)[:3] == ["$schema", "title", "description"]
            assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
            assert "$id" not in document
            assert document["additionalProperties"] is False

    @pytest.mark.parametrize(
        ("model", "name", "where"),
        [
            (PlanModel, PLAN_SCHEMA, None),
            (ActionModel, ACTION_SCHEMA, None),
            (UpdateModel, ACTION_SCHEMA, "UpdateModel"),
            (TargetChangeModel, ACTION_SCHEMA, "TargetChangeModel"),
        ],
    )
    def test_every_field_has_a_description(self, model: type[BaseModel], name: str, where: str | None) -> None:
        document = schema(name)
        properties = (document["$defs"][where] if where else document)["properties"]
        keys = [field.alias or field_name for field_name, field in model.model_fields.items()]
        assert sorted(properties) == sorted(keys)
        for key in keys:
            assert properties[key].get("description", "").strip(), f"{model.__name__}.{key} has no description"

    def test_field_shapes(self) -> None:
        action = schema(ACTION_SCHEMA)
        plan = schema(PLAN_SCHEMA)
        assert action["$defs"]["Rag"]["enum"] == ["red", "amber", "green", "blue", "grey"]
        assert action["properties"]["leads"]["anyOf"] == [
            {"type": "array", "items": {"minLength": 1, "type": "string"}, "minItems": 1},
            {"minLength": 1, "type": "string"},
        ]
        assert action["properties"]["target"]["type"] == "string"
        assert "from" in action["$defs"]["TargetChangeModel"]["required"]
        for day in (plan["properties"]["start"], action["$defs"]["UpdateModel"]["properties"]["date"]):
            assert day["type"] == "string" and day["format"] == "date"


class TestStockValidator:
    @pytest.fixture
    def validators(self) -> dict[str, Any]:
        jsonschema = pytest.importorskip("jsonschema", reason="jsonschema not installed: pip install '.[test]'")
        checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
        result = {}
        for name in (PLAN_SCHEMA, ACTION_SCHEMA, MEASURE_SCHEMA):
            document = schema(name)
            jsonschema.Draft202012Validator.check_schema(document)
            result[name] = jsonschema.Draft202012Validator(document, format_checker=checker)
        return result

    @pytest.mark.parametrize("folder", PLAN_FOLDERS, ids=lambda folder: folder.name)
    def test_valid_plans_validate(self, validators: dict[str, Any], folder: Path) -> None:
        files = plan_files(folder)
        assert len(files) > 1
        for path, name in files:
            errors = [error.message for error in validators[name].iter_errors(as_editors_see_it(load(path)))]
            assert errors == [], f"{path}: {errors}"

    def test_the_committed_schema_files_validate_the_bundled_plan(self) -> None:
        jsonschema = pytest.importorskip("jsonschema", reason="jsonschema not installed: pip install '.[test]'")
        for path, name in plan_files(BUNDLED_PLAN):
            document = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
            validator = jsonschema.Draft202012Validator(
                document, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
            )
            validator.validate(as_editors_see_it(load(path)))

    ACTION = "id: 3\ntitle: Referral pathway\nleads: [LBB, Met]\ntarget: Apr-25\n"
    UPDATE = "updates:\n  - date: 2024-09-01\n    rag: amber\n    note: Draft with legal\n"
    CHANGE = "target_history:\n  - date: 2025-01-10\n    from: Apr-25\n    to: Sep-25\n    reason: Funding late\n"

    @pytest.mark.parametrize(
        ("text", "valid"),
        [
            (ACTION, True),
            (ACTION + UPDATE, True),
            (ACTION + CHANGE, True),
            (ACTION.replace("[LBB, Met]", "LBB"), True),
            (ACTION.replace("Apr-25", "2025-04-30"), True),
            (ACTION + "owner:\n", True),
            (ACTION + "tittle: typo\n", False),
            (ACTION + UPDATE.replace("amber", "purple"), False),
            (ACTION + UPDATE.replace("2024-09-01", "'2024-13-01'"), False),
            (ACTION + UPDATE + "    colour: red\n", False),
            (ACTION.replace("title: Referral pathway\n", ""), False),
            (ACTION + CHANGE.replace("    from: Apr-25\n", ""), False),
            (ACTION.replace("[LBB, Met]", "[]"), False),
            (ACTION.replace("id: 3", "id: 0"), False),
            (ACTION.replace("id: 3", "id: '3'"), False),
        ],
    )
    def test_actions(self, validators: dict[str, Any], text: str, valid: bool) -> None:
        data = yaml.safe_load(text)
        assert validators[ACTION_SCHEMA].is_valid(as_editors_see_it(data)) is valid
        assert model_accepts(ActionModel, data) is valid  # the schema says what vawg itself says

    PLAN = "title: A plan\nstart: 2024-04-01\nend: 2028-04-30\npartners:\n  LBB: London Borough of Bexley\n"

    @pytest.mark.parametrize(
        ("text", "valid"),
        [
            (PLAN, True),
            (PLAN + "rag:\n  red: Late\n  blue: Done\n", True),
            (PLAN + "year_start_month: 1\ndue_soon_days: 14\n", True),
            (PLAN.replace("title: A plan\n", ""), False),
            (PLAN + "rag:\n  purple: Unknown\n", False),
            (PLAN + "year_start_month: 13\n", False),
            (PLAN + "colour: red\n", False),
            (PLAN.replace("partners:\n  LBB: London Borough of Bexley\n", "partners: {}\n"), False),
            (PLAN.replace("2024-04-01", "01/04/2024"), False),
        ],
    )
    def test_plans(self, validators: dict[str, Any], text: str, valid: bool) -> None:
        data = yaml.safe_load(text)
        assert validators[PLAN_SCHEMA].is_valid(as_editors_see_it(data)) is valid
        assert model_accepts(PlanModel, data) is valid


def model_accepts(model: type[BaseModel], data: Any) -> bool:
    try:
        model.model_validate(data)
    except ValidationError:
        return False
    return True


class TestSchemaLines:
    def test_first_line_of_every_bundled_file(self) -> None:
        for path, name in plan_files(BUNDLED_PLAN):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            lines = {PLAN_SCHEMA: PLAN_LINE, ACTION_SCHEMA: ACTION_LINE, MEASURE_SCHEMA: MEASURE_LINE}
            assert first == lines[name], path
            assert (path.parent / first.split("$schema=")[1]).resolve() == (SCHEMA_DIR / name).resolve()

    def test_init_copies_the_schema_files(self, runner: CliRunner, tmp_path: Path) -> None:
        result = runner.invoke(app, ["init", str(tmp_path / "plan")])
        assert result.exit_code == 0, result.output
        for name in (PLAN_SCHEMA, ACTION_SCHEMA):
            assert (tmp_path / "plan" / "schema" / name).read_bytes() == (SCHEMA_DIR / name).read_bytes()


class TestPreCommitHook:
    def test_offers_vawg_check(self) -> None:
        hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
        assert isinstance(hooks, list) and len(hooks) == 1
        hook = hooks[0]
        assert hook["id"] == "vawg-check"
        assert hook["name"] == "vawg check"
        assert hook["entry"] == "vawg check"
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False
        assert hook["description"]
        assert hook["files"] == r"\.ya?ml$"
