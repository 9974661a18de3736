"""A report month as people type it on the command line: `10`, `10月`, `1-10月`, `2026-9`, `2026年10月`.

`metrics.report_month` is the one place a `--month` is read; it hands the text to `month_text` first. The
ledger files themselves keep the strict `YYYY-MM` (SPEC section 1): this leniency is for typing only.
"""

from __future__ import annotations

import re
import unicodedata

from projledger.ledger.models import month_key

_WITH_YEAR = re.compile(r"(\d{4})\s*(?:[-./]|年)\s*(\d{1,2})\s*月?(?:份)?")
_MONTH_ONLY = re.compile(r"(?:1\s*[-~—至到]\s*)?(\d{1,2})\s*月?(?:份)?")
HINT = "请写月份，如 10、10月、2026-10 或 2026年10月"


def month_text(text: str, year: int) -> str:
    """`YYYY-MM` for what was typed (a bare month is in `year`); ValueError with a Chinese message otherwise."""
    typed = unicodedata.normalize("NFKC", text).strip()
    found = _WITH_YEAR.fullmatch(typed)
    if found:
        y, m = int(found[1]), int(found[2])
    elif (found := _MONTH_ONLY.fullmatch(typed)) is not None:
        y, m = year, int(found[1])
    else:
        raise ValueError(f"“{text}”不是月份；{HINT}")
    if not 1 <= m <= 12:
        raise ValueError(f"“{text}”不是月份（月份应在 1 到 12 之间）；{HINT}")
    return month_key(y, m)


__all__ = ["month_text"]
