"""Chinese names for the ledger's fields, as people call them, for the changes `diff` lists.

`figures.diff` names a change by its dotted path in the YAML (`investment.annual_plan`,
`progress[2026-11].completed`, `procedures.土地报批`); JSON keeps those paths. People reading the table
or the bulletin get `年度计划投资`, `11月填报·1-11月累计完成`, `前期手续·土地报批`.
"""

from __future__ import annotations

import re

PROJECT_FIELDS = {
    "name": "项目名称", "category": "类别", "level": "级别", "kind": "类型", "unit": "责任单位",
    "leader": "包抓领导", "owner": "建设单位", "content": "建设内容",
    "investment": "投资", "investment.total": "总投资", "investment.annual_plan": "年度计划投资",
    "investment.before_year": "截至上年底累计完成", "investment.monthly_plan": "分月计划",
    "planned": "计划日期", "planned.start": "计划开工", "planned.finish": "计划竣工",
    "actual": "实际日期", "actual.start": "实际开工", "actual.finish": "实际竣工",
    "procedures": "前期手续", "procedure_days": "手续工作日数", "progress": "月度填报",
}
REPORT_FIELDS = {
    "month": "月份", "completed": "累计完成", "image": "形象进度", "next_plan": "下步计划",
    "coordination": "需协调解决事项", "problems": "存在问题",
}
PROBLEM_FIELDS = {"type": "类型", "text": "说明", "owner": "责任单位", "due": "时限", "resolved": "解决日期",
                  "note": "进展"}
SETTINGS_FIELDS = {
    "district": "区县", "year": "年度", "units": "责任单位", "categories": "类别", "levels": "级别",
    "time_progress": "时间进度算法", "warning": "预警规则", "warning.measure": "预警口径",
    "warning.yellow_below": "黄灯线", "warning.red_below": "红灯线", "warning.start_grace_days": "逾期开工宽限天数",
    "warning.escalate_after": "连续黄灯转红月数", "nodes": "节点", "calendar": "节假日设置",
    "calendar.holidays": "补充节假日", "calendar.workdays": "调休上班日", "procedures": "倒排模板",
    "packet": "材料署名",
}
_PROGRESS = re.compile(r"progress\[(\d{4})-(\d{2})\](?:\.(\w+))?(?:\[(\d+)\])?(?:\.(\w+))?$")


def field_label(path: str) -> str:
    """The Chinese name of a project field path; the path itself when it is not one we know."""
    m = _PROGRESS.match(path)
    if m:
        year, month, field, index, sub = m.groups()
        label = f"{int(month)}月填报"
        if field is None:
            return label
        word = f"1-{int(month)}月累计完成" if field == "completed" else REPORT_FIELDS.get(field, field)
        label += f"·{word}"
        if index is not None:
            label += f"第{int(index) + 1}条"
        if sub is not None:
            label += f"·{PROBLEM_FIELDS.get(sub, sub)}"
        return label
    head, _, rest = path.partition(".")
    if head in ("procedures", "procedure_days") and rest:
        return f"{PROJECT_FIELDS[head]}·{rest}"
    return PROJECT_FIELDS.get(path, path)


def settings_label(path: str) -> str:
    """The Chinese name of a projledger.yaml setting path."""
    if path in SETTINGS_FIELDS:
        return SETTINGS_FIELDS[path]
    head, _, rest = path.partition(".")
    return f"{SETTINGS_FIELDS[head]}·{rest}" if head in SETTINGS_FIELDS and rest else path


def key_label(key: str) -> str:
    """A key inside a value shown whole (a month's entry, a problem)."""
    return REPORT_FIELDS.get(key) or PROBLEM_FIELDS.get(key) or key


__all__ = ["field_label", "key_label", "settings_label"]
