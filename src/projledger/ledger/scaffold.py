"""Starting a ledger and adding projects from the bundled `templates/`, and the project JSON Schema.

The templates ship inside the package and are read through `importlib.resources`, so a plain
(non-editable) install finds them. Values typed on the command line are quoted for YAML only when a
plain scalar would not read back as the same text, so a generated file looks hand-written. Everything
written goes through `fsio.atomic_write_text`, and nothing existing is ever overwritten.

Why one module past 400 lines: `init`, `new` and `schema` describe the same two files (projledger.yaml and a
project file) in words a clerk reads, so the titles, templates and quoting rules stay together; the JSON
Schema generation (about 120 lines) is the part to move out (`schema.py`) when it grows.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import yaml
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from projledger.ledger.errors import InputError, LedgerNotFoundError, UsageError, WriteRefusedError
from projledger.ledger.fsio import atomic_write_text, make_dirs, remove_created
from projledger.ledger.loader import (
    PROJECTS_DIR,
    SETTINGS_FILE,
    DiskFiles,
    find_root,
    load_settings,
    project_files,
)
from projledger.ledger.models import KINDS, MONTH_RE, Project, Settings
from projledger.ledger.safefile import FileRefused, read_capped
from projledger.ledger.yamlio import MAX_FILE_BYTES, parse

SCHEMA_FILE = "project.schema.json"
GITIGNORE_LINES = (
    "# 导出的调度表、填报表、通报和看板：随时可由台账重新生成，不进版本库",
    "*.xlsx", "*.docx", "*.html",
    "# Excel/WPS 打开文件时留下的锁文件",
    "~$*",
)
DEFAULT_DISTRICT = "示例区"

# Step names offices use; listed in the schema so editors complete them (other names stay allowed).
KNOWN_PROCEDURES = (
    "立项", "备案", "用地预审与选址", "可研批复", "土地报批", "规划许可", "环评", "能评", "初步设计",
    "施工图审查", "招投标", "施工许可", "规划核实", "消防验收", "竣工验收",
)

# Characters Windows or git refuse in file names, plus path separators.
_BAD_ID_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def template_text(name: str) -> str:
    """The text of a bundled template, e.g. `project.yaml` or `ledger/projledger.yaml`."""
    return resources.files("projledger").joinpath("templates", *name.split("/")).read_text("utf-8")


def display_width(text: str) -> int:
    """Terminal/editor columns of `text`: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, column: int = 34) -> str:
    # Trailing comments line up in an editor whatever the width of the value before them.
    return text + " " * max(1, column - display_width(text))


def _render(template: str, **values: Any) -> str:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)
    env.filters["pad"] = _pad
    return env.from_string(template_text(template)).render(**values)


def yaml_scalar(text: str, *, flow: bool = False) -> str:
    """`text` as a YAML scalar: plain when it reads back unchanged with any YAML loader, else quoted.

    Both our strict loader and PyYAML's YAML 1.1 loader must agree, so that `yes`, `007` or `1e3` stay
    text in editors and other tools too. `flow` also quotes the characters that end a flow value.
    """
    plain = (
        text == text.strip()
        and text != ""
        and "\n" not in text
        and not (flow and any(c in text for c in ",[]{}"))
        and _reads_back(text)
    )
    return text if plain else _double_quoted(text)


def _double_quoted(text: str) -> str:
    # JSON strings are YAML double-quoted scalars, except that YAML also folds NEL/LS/PS and refuses
    # other non-printables: escape every such character by code point.
    quoted = json.dumps(text, ensure_ascii=False)
    return "".join(c if c.isprintable() or c == " " else _escape(c) for c in quoted)


def _escape(c: str) -> str:
    code = ord(c)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _reads_back(text: str) -> bool:
    doc = f"k: {text}\n"
    try:
        ours = parse(doc)
        theirs = yaml.safe_load(doc)
    except yaml.YAMLError:
        return False
    return ours.ok and ours.data == {"k": text} and theirs == {"k": text}


def _encodable(text: str) -> bool:
    # Undecodable command-line bytes arrive as lone surrogates, which UTF-8 cannot write.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _comment_text(text: str) -> str:
    # Values echoed into comments must not end the comment line.
    return " ".join(text.split())


@dataclass(frozen=True)
class NewProject:
    """What `projledger new` was asked to create."""

    id: str
    name: str
    unit: str
    category: str | None = None
    level: str | None = None
    kind: str = "新开工"
    leader: str | None = None


def check_id(project_id: str) -> str:
    """The id stripped, or UsageError when it cannot be a file name or a YAML id."""
    pid = project_id.strip()
    if not pid:
        raise UsageError("项目编号不能为空")
    if _BAD_ID_CHARS.search(pid) or pid.startswith((".", "~")) or pid.endswith("."):
        raise UsageError(
            f"项目编号“{project_id}”不能用作文件名：不能含 \\ / : * ? \" < > | 等字符，也不能以 . 或 ~ 开头"
        )
    if any(c.isspace() for c in pid):
        raise UsageError(f"项目编号“{project_id}”不能含空格")
    return pid


def _choose(value: str | None, allowed: list[str], default: str, label: str, setting: str) -> tuple[str, str | None]:
    if value is None:
        return default, None
    if value in allowed:
        return value, None
    return value, f"{label}“{value}”不在 {SETTINGS_FILE} 的 {setting} 中（可选：{'、'.join(allowed)}）"


def _procedure_steps(root: Path | None, settings: Settings, category: str) -> list[str]:
    """Names of the category's before-start steps, to pre-fill `procedures:`; [] when unknown.

    The chains belong to the schedule feature (SPEC section 3); a missing or broken file only means the
    new project starts with an empty map, so this never fails.
    """
    text: str | None = None
    if root is not None and settings.procedures:
        source, _ = DiskFiles(root).read(settings.procedures)  # inside the ledger, a regular file, capped
        text = source.text if source is not None else None
    if text is None:
        try:
            text = template_text("procedures.yaml")
        except (FileNotFoundError, OSError):
            return []
    data = parse(text).data
    chain = data.get(category) if isinstance(data, dict) else None
    steps = chain.get("before_start") if isinstance(chain, dict) else None
    if not isinstance(steps, list):
        return []
    names = [str(s["name"]) for s in steps if isinstance(s, dict) and s.get("name")]
    return list(dict.fromkeys(names))


def render_project(spec: NewProject, settings: Settings, *, schema_ref: str | None, steps: list[str]) -> str:
    """The text of a new project file from `templates/project.yaml`."""
    return _render(
        "project.yaml",
        schema=schema_ref,
        id=yaml_scalar(spec.id),
        id_text=_comment_text(spec.id),
        name=yaml_scalar(spec.name),
        name_text=_comment_text(spec.name),
        category=yaml_scalar(spec.category or settings.categories[0]),
        level=yaml_scalar(spec.level or settings.levels[-1]),
        kind=spec.kind,
        unit=yaml_scalar(spec.unit),
        leader=yaml_scalar(spec.leader) if spec.leader else "",
        categories=" | ".join(settings.categories),
        levels=" | ".join(settings.levels),
        units=" | ".join(settings.units),
        procedures=[yaml_scalar(s) for s in steps],
        year=settings.year,
        next_year=settings.year + 1,
    )


def _existing_ids(root: Path) -> dict[str, str]:
    """Map each claimed id to its relative path, for every project file, valid or not (a broken file still claims its id)."""
    paths, _ = project_files(root)
    claimed: dict[str, str] = {}
    files = DiskFiles(root)
    for path in paths:
        rel = path.relative_to(root).as_posix()
        claimed.setdefault(path.stem, rel)
        source, _ = files.read(rel)  # never a FIFO or a link out of the ledger
        data = parse(source.text).data if source is not None else None
        if isinstance(data, dict) and data.get("id") is not None:
            claimed.setdefault(str(data["id"]).strip(), rel)
    return claimed


def _load_settings_or_fail(root: Path) -> Settings:
    settings, _, errors = load_settings(root)
    if settings is None:
        raise InputError(f"{SETTINGS_FILE} 有错误，请先修正：\n" + "\n".join(str(e) for e in errors))
    return settings


def unit_folder(unit: str) -> str:
    """The folder of a unit's project files: its name, with characters no file system takes replaced."""
    name = _BAD_ID_CHARS.sub("_", unit).strip(" .")
    return name or "_"


def new_project(root: Path, spec: NewProject) -> Path:
    """Write `projects/<unit>/<id>.yaml` from the template; refuse unknown values, existing files and ids."""
    for value in (spec.id, spec.name, spec.unit, spec.category, spec.level, spec.leader):
        if value is not None and not _encodable(value):
            raise UsageError(f"参数“{value.encode('utf-8', 'replace').decode('utf-8')}”含无法识别的字符")
    pid = check_id(spec.id)
    if not spec.name.strip():
        raise UsageError("项目名称（--name）不能为空")
    if spec.kind not in KINDS:
        raise UsageError(f"项目性质“{spec.kind}”应为以下之一：{'、'.join(KINDS)}")
    settings = _load_settings_or_fail(root)
    unit, bad_unit = _choose(spec.unit, settings.units, settings.units[0], "责任单位", "units")
    category, bad_cat = _choose(spec.category, settings.categories, settings.categories[0], "类别", "categories")
    level, bad_level = _choose(spec.level, settings.levels, settings.levels[-1], "级别", "levels")
    problems = [p for p in (bad_unit, bad_cat, bad_level) if p]
    if problems:
        raise InputError("\n".join(problems))
    # Filed by unit, as the example ledger is (projects/城关街道/...): one folder per unit to hand over.
    target = root / PROJECTS_DIR / unit_folder(unit) / f"{pid}.yaml"
    if target.exists():
        raise WriteRefusedError(f"{target.relative_to(root).as_posix()} 已存在，不会覆盖")
    taken = _existing_ids(root).get(pid)
    if taken is not None:
        raise WriteRefusedError(f"项目编号“{pid}”已被 {taken} 使用；项目编号在整个台账中必须唯一")
    spec = NewProject(pid, spec.name.strip(), unit, category, level, spec.kind,
                      spec.leader.strip() if spec.leader else None)
    schema_ref = None
    if (root / SCHEMA_FILE).is_file():
        schema_ref = Path(os.path.relpath(root / SCHEMA_FILE, target.parent)).as_posix()
    text = render_project(spec, settings, schema_ref=schema_ref,
                          steps=_procedure_steps(root, settings, category))
    created = make_dirs(target.parent)
    try:
        atomic_write_text(target, text)
    except BaseException:
        remove_created([], created)
        raise
    return target


def init_ledger(directory: Path, *, district: str = DEFAULT_DISTRICT, year: int) -> list[Path]:
    """Create a working ledger in `directory`; returns the files written. Refuses an existing ledger."""
    if not 2000 <= year <= 2100:
        raise UsageError(f"年度 {year} 不合理，请写四位年份，如 2026")
    if not district.strip():
        raise UsageError("区县名称（--district）不能为空")
    if directory.exists() and not directory.is_dir():
        raise WriteRefusedError(f"{directory} 已存在且不是目录")
    if (directory / SETTINGS_FILE).exists():
        raise WriteRefusedError(f"{directory} 中已有 {SETTINGS_FILE}，不会覆盖已有台账")
    settings_text = _render(
        "ledger/projledger.yaml", district=yaml_scalar(district.strip()),
        district_text=_comment_text(district), year=year,
    )
    # All or nothing: on any failure (a full disk, a read-only folder) every file and folder made here is
    # removed again, so no half ledger is left behind to confuse the next `init`.
    folders = make_dirs(directory / PROJECTS_DIR)
    made: list[Path] = []  # files that did not exist before

    def put(path: Path, text: str) -> Path:
        existed = os.path.lexists(path)
        atomic_write_text(path, text)
        if not existed:
            made.append(path)
        return path

    settings_path, schema_path, gitignore = directory / SETTINGS_FILE, directory / SCHEMA_FILE, directory / ".gitignore"
    try:
        put(settings_path, settings_text)
        settings = _load_settings_or_fail(directory)
        put(schema_path, schema_text(settings))
        sample = NewProject(f"{year}-cj-001", "示例道路提升改造工程（示例项目，请修改或删除）",
                            settings.units[0], "城建" if "城建" in settings.categories else None)
        project = new_project(directory, sample)
        made.append(project)
        # Last: an existing .gitignore is changed only once everything else is in place.
        text = _gitignore_text(directory, gitignore)
        if text is not None:
            put(gitignore, text)
    except BaseException:
        remove_created(made, folders)
        raise
    return [settings_path, schema_path, gitignore, project]


def _gitignore_text(directory: Path, path: Path) -> str | None:
    """The folder's .gitignore with the Office lock-file pattern added; None when nothing needs writing.

    An existing .gitignore that is not a regular file inside the folder (a link elsewhere) is left alone.
    """
    old = ""
    if os.path.lexists(path):
        try:
            old = read_capped(path, MAX_FILE_BYTES, directory).decode("utf-8", "replace")
        except (FileRefused, OSError):
            return None
    missing = [line for line in GITIGNORE_LINES if line not in old.splitlines()]
    if not missing:
        return None
    sep = "" if not old or old.endswith("\n") else "\n"
    return old + sep + "\n".join(missing) + "\n"


# --- JSON Schema ---------------------------------------------------------------------------------

_DATE = "日期，写作 YYYY-MM-DD，如 2026-10-01"

# (model, field) -> (title, description). Titles are what editors show beside a completed key.
_FIELD_DOCS: dict[tuple[str, str], tuple[str, str]] = {
    ("Project", "id"): ("项目编号", "全台账唯一，与文件名一致（<id>.yaml）；像数字的编号请加引号"),
    ("Project", "name"): ("项目名称", "如：南大街提升改造工程"),
    ("Project", "category"): ("类别", "projledger.yaml 的 categories 之一，如 产业、城建、服务业、民生"),
    ("Project", "level"): ("级别", "projledger.yaml 的 levels 之一，如 省重点、市重点、区重点"),
    ("Project", "kind"): ("项目性质", "新开工：今年开工；续建：往年已开工；前期：今年不开工"),
    ("Project", "unit"): ("责任单位", "projledger.yaml 的 units 之一"),
    ("Project", "leader"): ("包抓领导", "包抓该项目的区级领导"),
    ("Project", "owner"): ("建设单位", "项目业主，如 区城投公司"),
    ("Project", "content"): ("建设内容", "主要建设规模和内容"),
    ("Project", "investment"): ("投资", "金额单位：万元"),
    ("Project", "planned"): ("计划开工、竣工日期", "{start: 日期, finish: 日期}"),
    ("Project", "actual"): ("实际开工、竣工日期", "尚未开工/竣工的写 null"),
    ("Project", "procedures"): ("前期手续", "手续名称: 办结日期；未办结写 null。名称与手续模板一致"),
    ("Project", "procedure_days"): ("手续办理天数", "手续名称: 工作日天数，覆盖模板中的默认天数"),
    ("Project", "progress"): ("月度进度", "每个报告月一条；completed 为 1-M 月累计完成投资"),
    ("Investment", "total"): ("总投资", "万元"),
    ("Investment", "annual_plan"): ("年度计划投资", "台账年度的计划投资，万元"),
    ("Investment", "before_year"): ("截至上年底累计完成投资", "万元；新开工项目为 0"),
    ("Investment", "monthly_plan"): ("分月计划投资（可选）",
                                     "1-12 月各月计划投资，12 个金额（万元），合计必须等于年度计划投资；"
                                     "不写时按计划期平均分摊（新开工项目从计划开工月算起）"),
    ("Dates", "start"): ("开工日期", _DATE),
    ("Dates", "finish"): ("竣工日期", _DATE),
    ("Report", "month"): ("报告月份", "YYYY-MM，两位月份，如 2026-09"),
    ("Report", "completed"): ("1-M月累计完成投资", "当年1月至报告月累计完成投资，万元；逐月不减少"),
    ("Report", "image"): ("形象进度", "如：完成路基施工60%"),
    ("Report", "next_plan"): ("下步计划", "下月工作计划（可选）"),
    ("Report", "coordination"): ("需协调解决事项", "需要区里协调解决的事项（可选）"),
    ("Report", "problems"): ("存在问题", "未解决的问题每月照抄（import 自动延续），解决当月写上 resolved 日期"),
    ("Problem", "type"): ("问题类型", "如 拆迁、融资、土地、手续、环保"),
    ("Problem", "text"): ("问题说明", "问题的具体情况"),
    ("Problem", "owner"): ("责任单位", "负责解决问题的单位"),
    ("Problem", "due"): ("限期解决日期", _DATE),
    ("Problem", "resolved"): ("解决日期", "已解决的填解决日期，未解决写 null"),
    ("Problem", "note"): ("进展", "问题的最新进展（可选）"),
}

_MODEL_DOCS = {
    "Project": ("项目台账", "一项目一台账：一个项目一个 YAML 文件"),
    "Investment": ("投资（万元）", "总投资、年度计划投资、截至上年底累计完成投资、分月计划（可选）"),
    "Dates": ("开工、竣工日期", "start 开工，finish 竣工；未定的写 null"),
    "Report": ("月度进度", "一个报告月的进度：累计完成投资、形象进度、存在问题"),
    "Problem": ("存在问题", "type、text 必填；owner、due、resolved、note 可选"),
}


class _LedgerSchema(GenerateJsonSchema):
    """Money is a plain YAML number: pydantic would also allow numeric strings."""

    def decimal_schema(self, schema: core_schema.DecimalSchema) -> JsonSchemaValue:
        return {"type": "number"}


def _fix_numbers(node: Any) -> None:
    # pydantic keeps `ge` as a raw key when it cannot map it; JSON Schema spells it `minimum`.
    if isinstance(node, dict):
        if "ge" in node:
            node["minimum"] = node.pop("ge")
        if node.get("type") == "number" and isinstance(node.get("default"), str):
            node["default"] = json.loads(node["default"])
        for value in node.values():
            _fix_numbers(value)
    elif isinstance(node, list):
        for value in node:
            _fix_numbers(value)


def project_schema(settings: Settings | None = None) -> dict[str, Any]:
    """JSON Schema (2020-12) of a project file, with Chinese titles; `settings` adds example values."""
    schema = Project.model_json_schema(schema_generator=_LedgerSchema)
    _fix_numbers(schema)
    defs = schema.get("$defs", {})
    models = {"Project": schema, **defs}
    for name, (title, description) in _MODEL_DOCS.items():
        if name in models:
            models[name]["title"] = title
            models[name]["description"] = description
    for (model, field), (title, description) in _FIELD_DOCS.items():
        prop = models.get(model, {}).get("properties", {}).get(field)
        if prop is not None:
            prop["title"] = title
            prop["description"] = description
    defs["Report"]["properties"]["month"]["pattern"] = MONTH_RE.pattern
    for option in defs["Investment"]["properties"]["monthly_plan"]["anyOf"]:
        if option.get("type") == "array":  # 1-12月: the model checks the count with a Chinese message
            option.update(minItems=12, maxItems=12)
    date_or_null = schema["properties"]["procedures"]["additionalProperties"]
    schema["properties"]["procedures"]["properties"] = {name: date_or_null for name in KNOWN_PROCEDURES}
    if settings is not None:
        props = schema["properties"]
        props["unit"]["examples"] = list(settings.units)
        props["category"]["examples"] = list(settings.categories)
        props["level"]["examples"] = list(settings.levels)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text(settings: Settings | None = None) -> str:
    """The schema as the JSON text `projledger schema` prints and `init` writes."""
    return json.dumps(project_schema(settings), ensure_ascii=False, indent=2) + "\n"


def schema_for(ledger_dir: str | None) -> str:
    """The schema text for `projledger schema`: with the ledger's values as examples when there is one.

    An explicit `--ledger` must exist; without it, a missing ledger just means the generic schema.
    """
    try:
        root = find_root(ledger_dir)
    except LedgerNotFoundError:
        if ledger_dir is not None:
            raise
        return schema_text()
    settings, _, _ = load_settings(root)
    return schema_text(settings)
