"""Pydantic models of `projledger.yaml` and of one project file (SPEC section 1).

The models only describe shape and single-field rules; rules that need the ledger settings (declared
units, categories, levels) or several files live in `checks.py`. Values arrive from `loader.py`, whose
YAML loader keeps decimals as `Decimal` and leaves YAML 1.1 oddities (octal, sexagesimal, yes/no) as text,
so the validators here see what the user typed.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from projledger.ledger.errors import ANY_CONTROL, control_characters

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
KINDS: tuple[str, ...] = ("新开工", "续建", "前期")
DECLARED = {"unit": ("责任单位", "units"), "category": ("类别", "categories"), "level": ("级别", "levels")}
PROBLEM_TYPES_HINT = ("拆迁", "融资", "土地", "手续", "环保", "规划", "资金", "其他")


MONEY_LIMIT = Decimal(10) ** 10  # 万元: far above any county project, far below Decimal's 28 digits
MONEY_PLACES = 6  # 万元 to 6 places is 0.01 元


def _exact_money(amount: Decimal, shown: Any) -> Decimal:
    """Refuse amounts that arithmetic could not keep exact: infinite, absurdly large, or finer than a fen."""
    if not amount.is_finite() or abs(amount) >= MONEY_LIMIT:
        raise ValueError(f"“{shown}”不是有效金额（万元）；请核对数字")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MONEY_PLACES and amount != amount.quantize(Decimal(1).scaleb(-MONEY_PLACES)):
        raise ValueError(f"“{shown}”小数位太多；金额（万元）最多保留 {MONEY_PLACES} 位小数")
    return amount


def _to_money(value: Any) -> Any:
    """Accept ints, Decimals and plain numeric text (full-width digits folded); refuse the rest.

    Exponent notation is refused with a how-to-write message (see `yamlio`: `1.23E+07` is usually a
    narrow spreadsheet cell's rounded display, not the figure).
    """
    if value.__class__ is Decimal:  # what the loader gives for every amount with a decimal point
        return _exact_money(value, value)
    if isinstance(value, bool):
        raise ValueError("应为金额数字（万元），不能是 true/false")
    if isinstance(value, int | Decimal):
        return _exact_money(Decimal(value), value)
    if isinstance(value, float):
        # Only reachable from callers that bypass our loader; repr keeps what was written.
        return _exact_money(Decimal(repr(value)), value)
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
            return _exact_money(Decimal(text), value)
        if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+", text):
            raise ValueError(f"“{value}”是科学计数法；请写成普通数字（万元），如 1000。"
                             "从 Excel 复制的 1.23E+07 这类数可能已被四舍五入，请核对原数")
        if re.fullmatch(r"\d+:\d+(:\d+)?", text):
            raise ValueError(f"“{value}”不是金额；金额请写成数字（万元），如 5200 或 5200.5")
        raise ValueError(f"“{value}”不是金额数字；请写成数字（万元），如 5200 或 5200.5，不带单位和逗号")
    raise ValueError("应为金额数字（万元），如 5200 或 5200.5")


def _to_date(value: Any) -> Any:
    """Accept YAML dates and ISO text; say how to write anything else."""
    if value is None or isinstance(value, date):
        if hasattr(value, "hour"):
            raise ValueError("只写日期，不写时间，如 2026-10-01")
        return value
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise ValueError(f"“{value}”不是有效日期") from None
    raise ValueError(f"“{value}”不是日期；日期请写作 YYYY-MM-DD，如 2026-10-01")


_MONTH_TYPED = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])")


def _to_month(value: Any) -> Any:
    """Accept `YYYY-MM` text only, and say so for 2026-9, 2026.09, 2026/09."""
    if value.__class__ is str and _MONTH_TYPED.fullmatch(value):  # as nearly every report writes it
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip() if not isinstance(value, bool) else ""
    if isinstance(value, str) and MONTH_RE.match(text):
        return text
    raise ValueError(f"“{value}”不是月份；月份请写作 YYYY-MM（两位月份），如 2026-09")


def _to_id(value: Any) -> Any:
    """Project ids are text; plain integers are taken as their digits."""
    if isinstance(value, bool) or value is None:
        raise ValueError("项目编号不能为空或 true/false")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        _no_controls(value)
        return value.strip()
    raise ValueError(f"项目编号“{value}”请写成文字，必要时加引号，如 id: '2026-cj-001'")


def _to_text(value: Any) -> Any:
    """Free text fields take any scalar the user typed as text."""
    if value.__class__ is str:  # nearly every value: one C-level scan for control characters
        if ANY_CONTROL.search(value) is not None:
            _no_controls(value)
        return value
    if value is None:
        return value
    if isinstance(value, bool):
        raise ValueError("应为文字；如果要写 yes/no/true/false 本身，请加引号")
    if isinstance(value, int | Decimal | date):
        return str(value)
    if isinstance(value, str):
        _no_controls(value)
    return value


def _no_controls(text: str) -> None:
    """Refuse control characters (ESC, NUL, bidi overrides …) that YAML's double-quoted escapes let through.

    They would reach a terminal raw, reorder text, or cut a workbook cell; a line break and a tab may stay.
    """
    bad = control_characters(text, allow="\n\t")
    if bad:
        raise ValueError(f"含有不可见的控制字符（{'、'.join(bad)}），请删除")


Money = Annotated[Decimal, BeforeValidator(_to_money), Field(ge=0)]
Day = Annotated[date, BeforeValidator(_to_date)]
OptDay = Annotated[date | None, BeforeValidator(_to_date)]
Month = Annotated[str, BeforeValidator(_to_month)]
Text = Annotated[str, BeforeValidator(_to_text)]
OptText = Annotated[str | None, BeforeValidator(_to_text)]


_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


def _shared_fields_set(model: BaseModel) -> None:
    # pydantic gives every instance its own set of the field names it was given (200-700 bytes each); a
    # province-size ledger holds some 300,000 models, and most share a handful of such sets. The models are
    # frozen, so nothing adds to the set in place (`model_copy` copies it first).
    own = model.__pydantic_fields_set__
    object.__setattr__(model, "__pydantic_fields_set__", _FIELDS_SETS.setdefault(frozenset(own), own))


class Strict(BaseModel):
    """Base: unknown keys are errors, and models are immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def model_post_init(self, context: Any, /) -> None:
        """Share the set of given field names with every other model that was given the same fields."""
        _shared_fields_set(self)

    def __setstate__(self, state: dict[Any, Any]) -> None:
        """Unpickled (from the cache): share the field-name set as a freshly validated model does."""
        super().__setstate__(state)
        _shared_fields_set(self)


RATIO_DEFAULTS = {"yellow_below": Decimal(80), "red_below": Decimal(60)}


class WarningRules(Strict):
    """预警 of a project against its own plan to date (SPEC section 2).

    measure `points`: gap = completion rate - expected rate, thresholds in percentage points (negative);
    measure `ratio`: completed as a percentage of plan to date, thresholds in percent (0-100). Without
    thresholds written, `points` uses -10/-20 and `ratio` 80/60 (武汉: 序时的80%/60%).
    """

    measure: Literal["points", "ratio"] = "points"
    yellow_below: Decimal = Decimal(-10)
    red_below: Decimal = Decimal(-20)
    start_grace_days: int = Field(default=0, ge=0)
    escalate_after: int = Field(default=0, ge=0, le=12)

    @model_validator(mode="before")
    @classmethod
    def _ratio_defaults(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("measure") == "ratio":
            return {**RATIO_DEFAULTS, **data}
        return data

    @model_validator(mode="after")
    def _thresholds_make_sense(self) -> WarningRules:
        if not (self.yellow_below.is_finite() and self.red_below.is_finite()):
            raise ValueError("预警阈值应为有限的数字")
        if self.measure == "ratio":
            for name in ("yellow_below", "red_below"):
                value = getattr(self, name)
                if not 0 <= value <= 100:
                    raise ValueError(f"measure 为 ratio 时，{name} 是完成序时计划的百分比，应在 0 到 100 之间，实际是 {value}")
        if self.yellow_below < self.red_below:
            raise ValueError(f"yellow_below（{self.yellow_below}）不能低于 red_below（{self.red_below}）：黄灯线应在红灯线之上")
        return self


class Node(Strict):
    """A named batch date: 集中开工/竣工节点, 观摩."""

    name: Text
    date: Day
    kind: Literal["start", "finish", "visit"] | None = None


class CalendarOverrides(Strict):
    """Working-day overrides for reverse scheduling."""

    holidays: list[Day] = Field(default_factory=list)
    workdays: list[Day] = Field(default_factory=list)


class Packet(Strict):
    """The meeting packet: who signs the printed tables, and when the units' forms are due."""

    office: OptText = None  # 制表单位
    preparer: OptText = None  # 制表人
    reviewer: OptText = None  # 审核人
    form_due_day: int | None = Field(default=None, ge=1, le=31)  # 报送时限: day of the form's month


class Bulletin(Strict):
    """The bulletin (通报) as a document: who issues it, to whom, and its 版头 when printed as a 红头 document."""

    issuer: OptText = None  # 发文机关署名 (落款); default: {district}重点项目建设指挥部办公室
    to: OptText = None  # 主送机关; default: 各责任单位
    header: OptText = None  # 发文机关标志 of the 版头 (e.g. ×××办公室文件); no 版头 when not set
    cc: OptText = None  # 抄送机关 of the 版记; no 版记 when not set


class Settings(Strict):
    """`projledger.yaml`: the ledger's settings."""

    district: Text
    year: int = Field(ge=2000, le=2100)
    units: list[Text] = Field(min_length=1)
    categories: list[Text] = Field(min_length=1)
    levels: list[Text] = Field(min_length=1)
    time_progress: Literal["month", "day"] = "month"
    warning: WarningRules = Field(default_factory=WarningRules)
    nodes: list[Node] = Field(default_factory=list)
    calendar: CalendarOverrides = Field(default_factory=CalendarOverrides)
    procedures: str | None = None
    packet: Packet = Field(default_factory=Packet)
    bulletin: Bulletin = Field(default_factory=Bulletin)

    @field_validator("units", "categories", "levels")
    @classmethod
    def _distinct_names(cls, names: list[str]) -> list[str]:
        """Each unit, category and level once, and never blank (a ranking row without a name helps no one)."""
        blank = [i + 1 for i, n in enumerate(names) if not n.strip()]
        if blank:
            raise ValueError(f"第 {'、'.join(map(str, blank))} 项是空的，请删除或写上名称")
        seen: set[str] = set()
        twice = [n for n in names if n in seen or seen.add(n)]  # type: ignore[func-returns-value]
        if twice:
            raise ValueError(f"“{'、'.join(dict.fromkeys(twice))}”写了不止一次，每个名称只写一次")
        return names


class Investment(Strict):
    """投资 in 万元; `monthly_plan` (分月计划) is 12 amounts for Jan..Dec summing exactly to annual_plan."""

    total: Money
    annual_plan: Money
    before_year: Money = Decimal(0)
    monthly_plan: list[Money] | None = None

    @field_validator("monthly_plan")
    @classmethod
    def _twelve_months(cls, value: list[Decimal] | None) -> list[Decimal] | None:
        if value is not None and len(value) != 12:
            raise ValueError(f"分月计划应为 1-12 月共 12 个金额（万元），实际有 {len(value)} 个")
        return value


class Dates(Strict):
    """A start/finish pair (planned or actual)."""

    start: OptDay = None
    finish: OptDay = None


class Problem(Strict):
    """A problem raised in a monthly report (三难: 拆迁, 融资, 土地 …)."""

    type: Text
    text: Text
    owner: OptText = None
    due: OptDay = None
    resolved: OptDay = None
    note: OptText = None  # 进展: the latest word on it (optional)


class Report(Strict):
    """One monthly progress report; `completed` is year-to-date."""

    month: Month
    completed: Money
    image: OptText = None
    next_plan: OptText = None  # 下步计划 (optional)
    coordination: OptText = None  # 需协调解决事项 (optional)
    problems: list[Problem] = Field(default_factory=list)

    @property
    def month_number(self) -> int:
        """The report's month as 1..12."""
        return int(self.month[5:7])

    @property
    def year(self) -> int:
        """The report's year."""
        return int(self.month[:4])


class Project(Strict):
    """One project file (一项目一台账)."""

    id: Annotated[str, BeforeValidator(_to_id)]
    name: Text
    category: Text
    level: Text
    kind: Literal["新开工", "续建", "前期"]
    unit: Text
    leader: OptText = None
    owner: OptText = None
    content: OptText = None
    investment: Investment
    planned: Dates = Field(default_factory=Dates)
    actual: Dates = Field(default_factory=Dates)
    procedures: dict[str, OptDay] = Field(default_factory=dict)
    procedure_days: dict[str, Annotated[int, Field(ge=1, le=2000)]] = Field(default_factory=dict)
    progress: list[Report] = Field(default_factory=list)

    @field_validator("unit", "category", "level")
    @classmethod
    def _declared(cls, value: str, info: ValidationInfo) -> str:
        """unit, category and level are ones projledger.yaml declares (when the settings are known)."""
        settings = (info.context or {}).get("settings")
        if settings is None or info.field_name is None:
            return value
        label, setting = DECLARED[info.field_name]
        allowed: list[str] = getattr(settings, setting)
        if value not in allowed:
            raise ValueError(f"{label}“{value}”不在 projledger.yaml 的 {setting} 中（可选：{'、'.join(allowed)}）")
        return value

    @field_validator("procedures", "procedure_days", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return {} if value is None else value

    @field_validator("progress", mode="before")
    @classmethod
    def _none_is_empty_list(cls, value: Any) -> Any:
        return [] if value is None else value


def month_key(year: int, month: int) -> str:
    """`YYYY-MM` text of a year and month."""
    return f"{year:04d}-{month:02d}"


def parse_month(text: str) -> tuple[int, int]:
    """(year, month) of `YYYY-MM` text; ValueError with a Chinese message otherwise."""
    m = MONTH_RE.match(text.strip())
    if not m:
        raise ValueError(f"“{text}”不是月份；请写作 YYYY-MM，如 2026-09")
    return int(m[1]), int(m[2])


__all__ = [
    "KINDS",
    "CalendarOverrides",
    "Dates",
    "Investment",
    "Node",
    "Problem",
    "Project",
    "Report",
    "Settings",
    "WarningRules",
    "month_key",
    "parse_month",
]
