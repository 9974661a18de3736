"""Benchmark: `status --format json` against only parsing the same files with yaml.CSafeLoader.

Run by hand (never in CI):  python bench/bench_status.py [N]   (default N = 5000)

It writes a ledger of N projects with 10 monthly reports each into a temp folder, then prints the best
of five interleaved timings of (a) reading and parsing every file with yaml.CSafeLoader and nothing else, and (b) the
whole `projledger status --format json` run in-process (load, validate, check, compute, serialise), and
their ratio. Target: ratio <= 2.0. Peak memory of (b) is printed too.
"""

from __future__ import annotations

import io
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path

import yaml

from projledger.figures.metrics import compute, dumps, to_json
from projledger.ledger.load import load_ledger

UNITS = ["城关街道", "新华街道", "东城街道", "西城街道", "产业集聚区管委会", "商务中心区管委会", "区住建局", "区交通局"]
CATEGORIES = ["产业", "城建", "服务业", "民生"]
LEVELS = ["省重点", "市重点", "区重点"]
IMAGES = ["场地平整", "基础施工", "主体施工", "主体封顶", "二次结构", "装饰装修", "设备安装", "竣工验收"]


def make_ledger(root: Path, n: int, seed: int = 7) -> None:
    """A synthetic but valid ledger of n projects, 2026-01..2026-10 reports each."""
    rnd = random.Random(seed)
    (root / "projects").mkdir(parents=True)
    settings = {"district": "基准区", "year": 2026, "units": UNITS, "categories": CATEGORIES, "levels": LEVELS}
    (root / "projledger.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    for i in range(n):
        unit = UNITS[i % len(UNITS)]
        plan = rnd.randrange(1000, 50000)
        done = 0
        lines = [
            f"id: b-{i:05d}", f"name: 基准项目{i}号", f"category: {rnd.choice(CATEGORIES)}",
            f"level: {rnd.choice(LEVELS)}", "kind: 续建", f"unit: {unit}", "leader: 王副区长",
            "investment:", f"  total: {plan * 3}", f"  annual_plan: {plan}", f"  before_year: {plan}",
            "planned: {start: 2025-03-01, finish: 2027-12-31}", "actual: {start: 2025-03-10, finish: null}",
            "procedures:", "  用地预审与选址: 2024-11-01", "progress:",
        ]
        for m in range(1, 11):
            done += rnd.randrange(0, plan // 10)
            lines += [f"  - month: 2026-{m:02d}", f"    completed: {done}.5", f"    image: {rnd.choice(IMAGES)}"]
            if m == 10:
                lines += ["    problems:", "      - {type: 拆迁, text: 3户未签约, owner: 城关街道, due: 2026-11-30}"]
        (root / "projects" / f"b-{i:05d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def parse_only(root: Path) -> None:
    """The floor: read and parse every file with libyaml, nothing else."""
    yaml.load((root / "projledger.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    for path in sorted((root / "projects").glob("*.yaml")):
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def status_json(root: Path) -> None:
    """What `projledger status --format json` does, in-process."""
    ledger, errors = load_ledger(root)
    assert ledger is not None and not [e for e in errors if e.is_error], errors[:3]
    months = [r.month for p in ledger.projects for r in p.progress]
    with redirect_stdout(io.StringIO()):
        print(dumps(to_json(compute(ledger, max(months))), pretty=False))  # as when piped


def best_of(fns: list[Callable[[Path], None]], root: Path, runs: int = 5) -> list[float]:
    """Best wall time of each function over `runs` rounds, interleaved so machine noise hits both alike."""
    best = [float("inf")] * len(fns)
    for _ in range(runs):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn(root)
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def main() -> None:
    """Build the ledger, time both, print the ratio."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_ledger(root, n)
        floor, ours = best_of([parse_only, status_json], root)
        tracemalloc.start()
        status_json(root)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    print(f"N = {n} 个项目，每个 10 期月报")
    print(f"仅用 yaml.CSafeLoader 解析: {floor:.3f} s")
    print(f"status --format json:       {ours:.3f} s")
    print(f"比值: {ours / floor:.2f}（目标 ≤ 2.0）")
    print(f"status 峰值内存: {peak / 1024 / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
