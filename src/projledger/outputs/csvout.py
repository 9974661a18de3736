"""`status --format csv`: one row per project with the JSON fields, UTF-8 with BOM for Excel."""

from __future__ import annotations

import csv
import io
from typing import Any

from projledger.figures.metrics import MonthFigures, project_json

BOM = "\ufeff"


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        # A spreadsheet must never run a project name as a formula.
        return "'" + value
    return value


def status_csv(mf: MonthFigures) -> str:
    """The CSV text (with BOM) of every project's figures for the month."""
    rows = [project_json(f) for f in mf.projects]
    buffer = io.StringIO()
    header = list(rows[0]) if rows else ["id"]
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return BOM + buffer.getvalue()
