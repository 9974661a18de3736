"""`init`, `new` and `schema`: a new ledger and new projects pass `check`, and nothing is overwritten."""

from __future__ import annotations

import json
import subprocess
import tomllib
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from projledger.cli import app
from projledger.ledger.scaffold import template_text, yaml_scalar
from projledger.ledger.yamlio import parse

ROOT = Path(__file__).resolve().parents[1]


def _ok(result: object) -> None:
    output = getattr(result, "output", "")
    assert getattr(result, "exit_code", None) == 0, output
    assert "Traceback" not in output


def _init(runner: CliRunner, path: Path, *extra: str) -> None:
    _ok(runner.invoke(app, ["init", str(path), "--year", "2026", *extra]))


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


def _schema_errors(root: Path, path: Path) -> list[str]:
    schema = json.loads((root / "project.schema.json").read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    return [e.message for e in validator.iter_errors(_plain(yaml.safe_load(path.read_text("utf-8"))))]


# --- init ------------------------------------------------------------------------------------------

def test_init_then_check_passes(runner: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "台账"
    result = runner.invoke(app, ["init", str(root), "--district", "城南区", "--year", "2026"])
    _ok(result)
    assert "已新建台账" in result.output
    assert {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts} == {
        "projledger.yaml", "project.schema.json", ".gitignore", "projects/城关街道/2026-cj-001.yaml"}
    settings = parse((root / "projledger.yaml").read_text("utf-8")).data
    assert settings["district"] == "城南区" and settings["year"] == 2026
    assert [n["date"] for n in settings["nodes"]][0] == date(2026, 4, 30)
    ignored = (root / ".gitignore").read_text("utf-8").splitlines()
    assert {"*.xlsx", "*.docx", "*.html", "~$*"} <= set(ignored)  # generated outputs and Office lock files
    sample = root / "projects" / "城关街道" / "2026-cj-001.yaml"
    assert sample.read_text("utf-8").startswith("# yaml-language-server: $schema=../../project.schema.json\n")
    assert _schema_errors(root, sample) == []

    check = runner.invoke(app, ["check", "--ledger", str(root)])
    _ok(check)
    assert "已检查 1 个项目：0 个错误，0 条警告。台账无误。" in check.output


def test_init_refuses_an_existing_ledger(runner: CliRunner, tmp_path: Path) -> None:
    _init(runner, tmp_path / "a")
    settings = (tmp_path / "a" / "projledger.yaml").read_bytes()
    result = runner.invoke(app, ["init", str(tmp_path / "a"), "--year", "2026"])
    assert result.exit_code == 1, result.output
    assert "已有 projledger.yaml，不会覆盖" in result.output
    assert (tmp_path / "a" / "projledger.yaml").read_bytes() == settings


def test_init_keeps_an_existing_gitignore(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.pdf", "utf-8")
    _init(runner, tmp_path)
    assert (tmp_path / ".gitignore").read_text("utf-8").splitlines()[0] == "*.pdf"
    assert "~$*" in (tmp_path / ".gitignore").read_text("utf-8").splitlines()


def test_init_starts_a_git_repository_that_ignores_outputs(runner: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "台账"
    result = runner.invoke(app, ["init", str(root), "--year", "2026"])
    _ok(result)
    assert "已在台账目录建立 git 仓库" in result.output
    top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    assert Path(top.stdout.strip()).resolve() == root.resolve()
    for name in ("调度表.xlsx", "通报.docx", "看板.html", "~$调度表.xlsx"):
        (root / name).write_text("x", "utf-8")
    status = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=all"],
                            capture_output=True, text=True).stdout
    assert "projledger.yaml" in status and "projects/" in status
    assert not any(name in status for name in ("xlsx", "docx", "html"))


def test_init_inside_a_repository_starts_none(runner: CliRunner, tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    _ok(runner.invoke(app, ["init", str(tmp_path / "ledgers" / "2026"), "--year", "2026"]))
    assert not (tmp_path / "ledgers" / "2026" / ".git").exists()


@pytest.mark.parametrize("args", [["--year", "26"], ["--district", " "]])
def test_init_bad_usage_exits_2(runner: CliRunner, tmp_path: Path, args: list[str]) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "x"), *(["--year", "2026"] if "--year" not in args else []), *args])
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "x" / "projledger.yaml").exists()


# --- new -------------------------------------------------------------------------------------------

def test_new_then_check_passes(runner: CliRunner, tmp_path: Path) -> None:
    _init(runner, tmp_path)
    result = runner.invoke(app, ["new", "2026-cy-002", "--name", "智能装备产业园: 一期", "--unit", "产业集聚区管委会",
                                 "--category", "产业", "--level", "市重点", "--kind", "续建", "--leader", "张建国",
                                 "--ledger", str(tmp_path)])
    _ok(result)
    assert "已新建 projects/产业集聚区管委会/2026-cy-002.yaml" in result.output
    path = tmp_path / "projects" / "产业集聚区管委会" / "2026-cy-002.yaml"
    data = parse(path.read_text("utf-8")).data
    assert data["id"] == "2026-cy-002"
    assert data["name"] == "智能装备产业园: 一期"  # quoted because of the ": "
    assert (data["category"], data["level"], data["kind"], data["leader"]) == ("产业", "市重点", "续建", "张建国")
    # The 产业 chain of the bundled procedure template, waiting to be filled in.
    assert "备案" in data["procedures"] and all(v is None for v in data["procedures"].values())
    assert _schema_errors(tmp_path, path) == []
    _ok(runner.invoke(app, ["check", "--ledger", str(tmp_path)]))


def test_new_defaults_and_found_ledger(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _init(runner, tmp_path)
    monkeypatch.chdir(tmp_path / "projects" / "城关街道")  # the ledger is found upward, like git
    _ok(runner.invoke(app, ["new", "007", "--name", "yes", "--unit", "城关街道"]))
    data = parse((tmp_path / "projects" / "城关街道" / "007.yaml").read_text("utf-8")).data
    assert data["id"] == "007" and data["name"] == "yes"  # still text for any YAML reader
    assert yaml.safe_load((tmp_path / "projects" / "城关街道" / "007.yaml").read_text("utf-8"))["name"] == "yes"
    assert (data["category"], data["level"], data["kind"], data["leader"]) == ("产业", "区重点", "新开工", None)
    _ok(runner.invoke(app, ["check"]))


def test_new_refuses_values_the_ledger_does_not_declare(runner: CliRunner, tmp_path: Path) -> None:
    _init(runner, tmp_path)
    result = runner.invoke(app, ["new", "2026-x-1", "--name", "某项目", "--unit", "城南街道", "--level", "国家重点",
                                 "--ledger", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "责任单位“城南街道”不在 projledger.yaml 的 units 中（可选：城关街道、新华街道、产业集聚区管委会、区住建局）" in result.output
    assert "级别“国家重点”不在 projledger.yaml 的 levels 中（可选：省重点、市重点、区重点）" in result.output
    assert not (tmp_path / "projects" / "2026-x-1.yaml").exists()


def test_new_refuses_an_existing_file(runner: CliRunner, tmp_path: Path) -> None:
    _init(runner, tmp_path)
    before = (tmp_path / "projects" / "城关街道" / "2026-cj-001.yaml").read_bytes()
    result = runner.invoke(app, ["new", "2026-cj-001", "--name", "另一个", "--unit", "城关街道", "--ledger", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "projects/城关街道/2026-cj-001.yaml 已存在，不会覆盖" in result.output
    assert (tmp_path / "projects" / "城关街道" / "2026-cj-001.yaml").read_bytes() == before


def test_new_refuses_an_id_used_elsewhere_in_the_ledger(runner: CliRunner, tmp_path: Path) -> None:
    _init(runner, tmp_path)
    folder = tmp_path / "projects" / "新华街道"
    folder.mkdir()
    (tmp_path / "projects" / "城关街道" / "2026-cj-001.yaml").rename(folder / "南大街.yaml")  # id kept, renamed
    result = runner.invoke(app, ["new", "2026-cj-001", "--name", "另一个", "--unit", "城关街道", "--ledger", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "项目编号“2026-cj-001”已被 projects/新华街道/南大街.yaml 使用" in result.output
    assert not (tmp_path / "projects" / "城关街道" / "2026-cj-001.yaml").exists()


@pytest.mark.parametrize("bad_id", ["a/b", "..", "a b", ""])
def test_new_refuses_ids_that_cannot_be_file_names(runner: CliRunner, tmp_path: Path, bad_id: str) -> None:
    _init(runner, tmp_path)
    result = runner.invoke(app, ["new", bad_id, "--name", "某项目", "--unit", "城关街道", "--ledger", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "用法错误" in result.output


def test_new_bad_kind_is_bad_usage(runner: CliRunner, tmp_path: Path) -> None:
    _init(runner, tmp_path)
    result = runner.invoke(app, ["new", "x1", "--name", "某", "--unit", "城关街道", "--kind", "新建", "--ledger", str(tmp_path)])
    assert result.exit_code == 2


def test_new_without_a_ledger_exits_1(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "x1", "--name", "某", "--unit", "城关街道"])
    assert result.exit_code == 1, result.output
    assert "找不到 projledger.yaml" in result.output


# --- schema ----------------------------------------------------------------------------------------

def test_schema_without_a_ledger_is_generic(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["schema"])
    _ok(result)
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    assert schema["title"] == "项目台账"
    assert "examples" not in schema["properties"]["unit"]
    inv = schema["$defs"]["Investment"]["properties"]
    assert inv["total"] == {"type": "number", "minimum": 0, "title": "总投资", "description": "万元"}
    assert schema["$defs"]["Report"]["properties"]["month"]["pattern"] == r"^(\d{4})-(0[1-9]|1[0-2])$"
    assert schema["$defs"]["Dates"]["properties"]["start"]["anyOf"][0] == {"format": "date", "type": "string"}
    assert all(d.get("additionalProperties") is False for d in schema["$defs"].values())


def test_schema_with_a_ledger_offers_its_values(runner: CliRunner, example_root: Path) -> None:
    schema = json.loads(runner.invoke(app, ["schema", "--ledger", str(example_root)]).output)
    assert schema["properties"]["unit"]["examples"][:2] == ["城关街道", "新华街道"]


def test_schema_with_a_missing_ledger_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", "--ledger", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "不是台账目录" in result.output


# --- help, templates, quoting ----------------------------------------------------------------------

@pytest.mark.parametrize("command", ["init", "new", "schema", "check"])
def test_help_is_chinese_and_ends_with_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    _ok(result)
    assert "示例：projledger " + command in result.output


def test_templates_ship_inside_the_package() -> None:
    assert "district:" in template_text("ledger/projledger.yaml")
    assert "id_text" in template_text("project.yaml")
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["package-data"]
    assert "templates/**/*" in globs["projledger"]  # sub-folders such as templates/ledger/


@given(st.text(min_size=1, max_size=30).filter(lambda s: s == s.strip() and "\x00" not in s))
@example("0\x850")  # NEL is a line break to YAML: quoted and escaped
@example("2026-10-01")
@example("yes")
def test_yaml_scalar_reads_back_as_the_same_text(text: str) -> None:
    for flow in (False, True):
        doc = f"k: {yaml_scalar(text, flow=flow)}\n" if not flow else f"k: {{v: {yaml_scalar(text, flow=True)}}}\n"
        parsed = parse(doc)
        if not parsed.ok:  # characters YAML cannot carry at all are not ours to fix
            continue
        assert parsed.data == ({"k": text} if not flow else {"k": {"v": text}})


def test_new_refuses_undecodable_arguments(tmp_path: Path) -> None:
    from projledger.ledger.errors import UsageError
    from projledger.ledger.scaffold import NewProject, new_project

    (tmp_path / "projledger.yaml").write_text(template_text("ledger/projledger.yaml").replace("{{ district }}", "甲区")
                                              .replace("{{ district_text }}", "甲区").replace("{{ year }}", "2026"), "utf-8")
    with pytest.raises(UsageError):
        new_project(tmp_path, NewProject("x1", "名\udcff称", "城关街道"))
    assert not (tmp_path / "projects" / "x1.yaml").exists()
