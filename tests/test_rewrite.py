"""A rewrite keeps a hand-typed file as it was, except for the intended edit."""

from __future__ import annotations

import difflib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from projledger.ledger.rewrite import ReportChange, RewriteError, rewrite_file, rewrite_text

COMMENTED = """\
# 南大街提升改造工程台账（城关街道填报）
# 维护人：王五

id: '2026-cj-001'               # 项目编号
name: "南大街提升改造工程"
category: 城建
level: 市重点
kind: 新开工
unit: 城关街道
leader: 张建国 # 包抓领导
owner:                          # 建设单位待定
content: 道路拓宽2.3公里，配套雨污管网
investment:                     # 万元
  total: 38000.00
  annual_plan: 12000
  before_year: 0
planned: {start: 2026-04-30, finish: 2027-10-31}
actual: {start: 2026-05-12, finish: null}
procedures:
  立项: 2026-01-15
  规划许可: 2026-03-02
  土地报批: ~
  环评: null
progress:
  # 8月数据由街道报送
  - month: 2026-08
    completed: 4000.5
    image: 完成路基施工40%

  - month: "2026-09"
    completed: 5200             # 1-M月累计
    image: '完成路基施工60%'
    problems:
      - {type: 拆迁, text: 沿街商户3户未签约, owner: 城关街道, due: 2026-10-31, resolved: null}
      - type: 资金
        text: |
          配套资金未到位
          需协调
"""


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    """Lines removed and added; everything else is byte-identical by construction of the diff."""
    removed, added = [], []
    for line in difflib.ndiff(old.splitlines(keepends=True), new.splitlines(keepends=True)):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def test_replacing_a_month_changes_only_that_line() -> None:
    new = rewrite_text(COMMENTED, "a.yaml", ReportChange("2026-09", Decimal("5300")))
    assert changed_lines(COMMENTED, new) == (["    completed: 5200             # 1-M月累计\n"],
                                             ["    completed: 5300             # 1-M月累计\n"])


def test_adding_a_month_and_a_finish_date_keeps_every_other_byte() -> None:
    change = ReportChange("2026-10", Decimal("6100.25"), "完成路基施工80%", [{"type": "拆迁", "text": "1户未签约",
                          "owner": "城关街道"}], actual_finish=date(2026, 10, 28))
    new = rewrite_text(COMMENTED, "a.yaml", change)
    removed, added = changed_lines(COMMENTED, new)
    assert removed == ["actual: {start: 2026-05-12, finish: null}\n"]
    assert added == [
        "actual: {start: 2026-05-12, finish: 2026-10-28}\n",
        "  - month: 2026-10\n", "    completed: 6100.25\n", "    image: 完成路基施工80%\n", "    problems:\n",
        "      - {type: 拆迁, text: 1户未签约, owner: 城关街道}\n",
    ]
    # the null spellings ruamel would normalise (`~`, `null`) and all quoting survive
    for kept in ("  土地报批: ~\n", "  环评: null\n", "id: '2026-cj-001'", 'name: "南大街提升改造工程"', "  total: 38000.00\n"):
        assert kept in new


def test_month_inserted_in_order_and_crlf_and_bom_kept() -> None:
    text = "\ufeff" + COMMENTED.replace("\n", "\r\n")
    new = rewrite_text(text, "a.yaml", ReportChange("2026-07", Decimal("3000")))
    assert new.startswith("\ufeff# 南大街")
    assert "\n" not in new.replace("\r\n", "")
    assert "  # 8月数据由街道报送\r\n  - month: 2026-07\r\n    completed: 3000\r\n  - month: 2026-08" in new
    assert len(new.splitlines()) == len(text.splitlines()) + 2


def test_an_empty_flow_list_grows_into_a_block_list() -> None:
    text = "id: a\nname: 甲\ncategory: 产业\nlevel: 区重点\nkind: 续建\nunit: 甲街道\n" \
           "investment: {total: 1, annual_plan: 1}\nprogress: []   # 每月一条\n"
    new = rewrite_text(text, "a.yaml", ReportChange("2026-01", Decimal("0.5"), "开工"))
    assert new.endswith("progress:      # 每月一条\n  - month: 2026-01\n    completed: 0.5\n    image: 开工\n")


def test_text_that_looks_like_another_type_stays_text() -> None:
    for image in ("no", "007", "12:30", "1e3", "2026-10-01", "=SUM(A1:A9)", "进度: 60%", "# 不是注释"):
        new = rewrite_text(COMMENTED, "a.yaml", ReportChange("2026-10", Decimal("6000"), image))
        assert new.count("\n") == COMMENTED.count("\n") + 3, image


def test_a_broken_file_is_not_rewritten() -> None:
    with pytest.raises(RewriteError, match="台账文件本身有错误"):
        rewrite_text(COMMENTED + "name: 重复\n", "a.yaml", ReportChange("2026-10", Decimal(1)))


def test_rewrite_file_is_utf8_and_atomic(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    new = rewrite_text(COMMENTED, "a.yaml", ReportChange("2026-10", Decimal("6000")))
    rewrite_file(path, new)
    assert path.read_bytes() == new.encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]
