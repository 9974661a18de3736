"""Write the roll-up example under `ledgers/rollup-example/` (全市排名 and 对标, SPEC section 7).

Three small member ledgers of a made-up city (示例市): 东城区 in the group 区, 西山县 and 南湖县 in the group
县, plus `rollup.yaml` and a hand-typed `peers.yaml`. The figures are derived from the table below
without randomness, so running the script again gives byte-identical files. They are chosen so that the
example shows what a city office meets: 南湖县 has not reported October yet (so the roll-up month is
September, the earliest latest month), 西山县 overtakes 东城区 in September (rank change ↑1/↓1), and the
peers are listed apart.

Usage: python scripts/make_rollup_example.py [OUT_DIR]   (default: ledgers/rollup-example)
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from projledger.ledger.fsio import atomic_write_text

YEAR = 2026
# Construction is slow in January and around the Spring Festival, then steady (share of a year's work).
MONTH_WEIGHTS = [0.5, 0.3, 0.9, 1.1, 1.2, 1.2, 1.0, 1.0, 1.2, 1.2, 1.2, 1.0]


@dataclass(frozen=True)
class Member:
    """One member ledger: its settings and how its pace develops month by month."""

    folder: str
    group: str
    units: tuple[str, ...]
    categories: tuple[str, ...]
    last_month: int
    pace: tuple[float, ...]  # per month Jan..Oct: multiplies every project's share of the year's work


@dataclass(frozen=True)
class P:
    """One project: (id, name, unit, category, level, kind, total, annual_plan, dates, pace)."""

    id: str
    name: str
    unit: str
    category: str
    level: str
    kind: str
    total: int
    plan: int
    planned_start: str | None
    actual_start: str | None
    planned_finish: str
    pace: float
    before: int = 0


MEMBERS = {
    "东城区": Member("东城区", "区", ("城关街道", "经开区管委会", "区住建局"), ("产业", "城建", "民生"), 10,
                  (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)),
    "西山县": Member("西山县", "县", ("城关镇", "产业园区", "县交通局"), ("产业", "城建", "民生"), 10,
                  (0.80, 0.82, 0.85, 0.88, 0.92, 0.96, 1.00, 1.00, 1.10, 1.12)),
    "南湖县": Member("南湖县", "县", ("城关镇", "高新区", "县水利局"), ("产业", "城建", "民生"), 9,
                  (0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95)),
}

PROJECTS: dict[str, list[P]] = {
    "东城区": [
        P("2026-dc-001", "南环路改造工程", "区住建局", "城建", "市重点", "续建", 26000, 8000,
          "2025-05-10", "2025-05-10", "2027-06-30", 1.00, before=9000),
        P("2026-dc-002", "智能制造产业园（一期）", "经开区管委会", "产业", "市重点", "新开工", 52000, 15000,
          "2026-03-31", "2026-03-20", "2028-06-30", 1.05),
        P("2026-dc-003", "新型建材生产线项目", "经开区管委会", "产业", "区重点", "新开工", 18000, 6000,
          "2026-05-31", "2026-06-15", "2027-09-30", 0.90),
        P("2026-dc-004", "城关社区综合服务中心", "城关街道", "民生", "区重点", "新开工", 4200, 2000,
          "2026-04-30", "2026-04-28", "2027-04-30", 1.00),
        P("2026-dc-005", "东湖路道路工程", "区住建局", "城建", "区重点", "新开工", 12000, 4000,
          "2026-07-31", None, "2027-10-31", 0.0),
    ],
    "西山县": [
        P("2026-xs-001", "西山纺织服装产业园", "产业园区", "产业", "市重点", "续建", 38000, 12000,
          "2025-04-01", "2025-04-01", "2027-06-30", 1.00, before=14000),
        P("2026-xs-002", "农产品精深加工项目", "产业园区", "产业", "区重点", "新开工", 15000, 5000,
          "2026-04-30", "2026-04-20", "2027-10-31", 1.00),
        P("2026-xs-003", "县城北环路工程", "县交通局", "城建", "区重点", "新开工", 9000, 4000,
          "2026-03-31", "2026-04-10", "2027-05-31", 0.95),
        P("2026-xs-004", "国道改线工程", "县交通局", "城建", "市重点", "续建", 45000, 14000,
          "2025-03-15", "2025-03-15", "2027-12-31", 1.00, before=16000),
        P("2026-xs-005", "西山县第二高级中学", "城关镇", "民生", "市重点", "新开工", 11000, 3500,
          "2026-10-31", None, "2028-08-31", 0.0),
    ],
    "南湖县": [
        P("2026-nh-001", "南湖灌区续建配套与节水改造", "县水利局", "民生", "市重点", "续建", 21000, 7000,
          "2025-10-08", "2025-10-08", "2027-06-30", 1.00, before=3000),
        P("2026-nh-002", "电子元器件产业园", "高新区", "产业", "市重点", "新开工", 26000, 9000,
          "2026-03-31", "2026-03-31", "2027-12-31", 1.00),
        P("2026-nh-003", "滨湖大道工程", "城关镇", "城建", "区重点", "续建", 20000, 6000,
          "2025-06-01", "2025-06-01", "2026-12-31", 0.95, before=11000),
        P("2026-nh-004", "精密铸造项目", "高新区", "产业", "区重点", "新开工", 12000, 3000,
          "2026-08-31", "2026-09-05", "2027-12-31", 1.00),
    ],
}

PEERS = """\
# 对标：外地公开发布的数字（手工录入，不参与排名）。比率写成小数（0.862）或百分数（86.2%）。
- {name: 许昌县, group: 县, month: 2026-09, completion_rate: 0.862, start_rate: 0.91,
   new_starts: 32, big_new_starts: 18, source: 许昌县发改委2026年1-9月重点项目通报}
- {name: 北关区, group: 区, month: 2026-09, completion_rate: 78.5%, start_rate: 0.88,
   new_starts: 21, big_new_starts: 9, source: 北关区重点项目建设第三季度通报}
"""

ROLLUP = """\
# 示例市重点项目全市排名（示例）。运行：
#   projledger rollup ledgers/rollup-example/rollup.yaml
# 由 scripts/make_rollup_example.py 生成，可直接手工编辑。
name: 示例市
members:                        # 成员台账目录（相对本文件）及分组：区、县分开排组内名次
  - {path: 东城区, group: 区}
  - {path: 西山县, group: 县}
  - {path: 南湖县, group: 县}
peers: peers.yaml               # 对标数据（可选）
"""


def cumulative_share(month: int, start_month: int = 1) -> float:
    """Share of a year's work done from `start_month` to the end of `month`."""
    done = sum(MONTH_WEIGHTS[start_month - 1:month])
    return done / sum(MONTH_WEIGHTS[start_month - 1:])


def whole(value: float) -> Decimal:
    """万元, rounded to whole numbers as the offices report them."""
    return Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def progress(m: Member, p: P) -> list[tuple[str, Decimal, str]]:
    """Monthly year-to-date reports, January to the member's last month."""
    start = int(p.actual_start[5:7]) if p.actual_start and p.actual_start.startswith(str(YEAR)) else 1
    reports = []
    last = Decimal(0)
    for month in range(1, m.last_month + 1):
        if p.actual_start is None or month < start:
            done, image = Decimal(0), "前期手续办理中"
        else:
            share = cumulative_share(month, start) * m.pace[month - 1] * p.pace
            done = max(last, whole(p.plan * share))
            image = f"累计完成年度计划的{int(done * 100 / p.plan)}%"
        last = done
        reports.append((f"{YEAR}-{month:02d}", done, image))
    return reports


def project_yaml(m: Member, p: P) -> str:
    """One project file, the way an office would type it."""
    lines = [
        f"# {m.folder}{YEAR}年重点项目台账（全市排名示例）：{p.id} {p.name}",
        "# 由 scripts/make_rollup_example.py 生成，可直接手工编辑。金额单位：万元。",
        "",
        f"id: {p.id}", f"name: {p.name}", f"category: {p.category}", f"level: {p.level}", f"kind: {p.kind}",
        f"unit: {p.unit}",
        "investment:", f"  total: {p.total}", f"  annual_plan: {p.plan}", f"  before_year: {p.before}",
        f"planned: {{start: {p.planned_start or 'null'}, finish: {p.planned_finish}}}",
        f"actual: {{start: {p.actual_start or 'null'}, finish: null}}",
        "progress:",
    ]
    for month, done, image in progress(m, p):
        lines += [f"  - month: {month}", f"    completed: {done}", f"    image: {image}"]
    return "\n".join(lines) + "\n"


def settings_yaml(m: Member) -> str:
    """projledger.yaml of a member."""
    return "\n".join([
        f"# {m.folder}{YEAR}年重点项目台账（全市排名示例的成员）。",
        f"district: {m.folder}",
        f"year: {YEAR}",
        f"units: [{', '.join(m.units)}]",
        f"categories: [{', '.join(m.categories)}]",
        "levels: [市重点, 区重点]",
        "time_progress: month",
    ]) + "\n"


def build(out: Path) -> list[Path]:
    """Write the whole example; returns the files written."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    written = [out / "rollup.yaml", out / "peers.yaml"]
    atomic_write_text(written[0], ROLLUP)
    atomic_write_text(written[1], PEERS)
    for name, member in MEMBERS.items():
        root = out / name
        (root / "projects").mkdir(parents=True)
        atomic_write_text(root / "projledger.yaml", settings_yaml(member))
        written.append(root / "projledger.yaml")
        for p in PROJECTS[name]:
            path = root / "projects" / f"{p.id}.yaml"
            atomic_write_text(path, project_yaml(member, p))
            written.append(path)
    return written


def main() -> None:
    """Command-line entry."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "ledgers" / "rollup-example"
    files = build(out)
    print(f"wrote {len(files)} files under {out}")


if __name__ == "__main__":
    main()
