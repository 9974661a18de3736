"""Benchmark: every speed and memory goal of projledger, each as a ratio against a bare baseline, in one run.

Run by hand (never in CI):  python bench/bench.py [SIZES ...] [--runs K]    (default: 5000 20000, K = 3)

Every measure runs the real command in a fresh process (imports included), interleaved with its
baseline so that machine noise hits both alike, and reports the median of K runs. Rows:

  cold status  `status --format json` with an empty cache   / a script that only parses every file (CSafeLoader)
  warm status  the same again on unchanged files            / the same bare parse                   goal <= 0.5
               (answered by the output cache; `status --no-cache` is the row without any cache)
  --help       `projledger --help`                          / a minimal typer app's --help          goal <= 1.0
  check (10)   `check` on a 10-project ledger               / a minimal typer app's command         goal <= 1.5
  export       `export` at N                                / openpyxl write-only, as many cells     goal <= 2.0
  diff         `diff HEAD~1 HEAD` at the largest N          / at the smallest N (linear = ratio of N) goal <= 1.125 x linear
  schedule     `schedule` (table)                           / `status` (table), same ledger, both --no-cache  goal <= 1.5
  memory       peak RSS of `status` at the largest N, MiB                                            goal <= 250
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import yaml

UNITS = ["城关街道", "新华街道", "东城街道", "西城街道", "产业集聚区管委会", "商务中心区管委会", "区住建局", "区交通局"]
CATEGORIES = ["产业", "城建", "服务业", "民生"]
LEVELS = ["省重点", "市重点", "区重点"]
IMAGES = ["场地平整", "基础施工", "主体施工", "主体封顶", "二次结构", "装饰装修", "设备安装", "竣工验收"]
PY = sys.executable
SRC = str(Path(__file__).resolve().parents[1] / "src")

BARE_PARSE = """
import sys, yaml
from pathlib import Path
root = Path(sys.argv[1])
yaml.load((root / "projledger.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
for path in sorted((root / "projects").rglob("*.yaml")):
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
"""
MINIMAL_TYPER = """
import sys, typer
app = typer.Typer()
@app.command()
def hello(name: str = "x") -> None:
    \"\"\"Say hello.\"\"\"
    print(name)
@app.command()
def other() -> None:
    \"\"\"Another.\"\"\"
app()
"""
BARE_XLSX = """
import sys
from openpyxl import Workbook
cells = int(sys.argv[1]); cols = 20
wb = Workbook(write_only=True); ws = wb.create_sheet("s")
for r in range(cells // cols + 1):
    ws.append([f"单元格{r}-{c}" if c % 2 else r * 1.5 for c in range(cols)])
wb.save(sys.argv[2])
"""
PEAK_RSS = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def make_ledger(root: Path, n: int, seed: int = 7, months: int = 10) -> None:
    """A synthetic but valid ledger of n projects in unit folders, 2026-01..2026-`months` reports each."""
    rnd = random.Random(seed)
    settings = {"district": "基准区", "year": 2026, "units": UNITS, "categories": CATEGORIES, "levels": LEVELS}
    root.mkdir(parents=True, exist_ok=True)
    (root / "projledger.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    for i in range(n):
        unit = UNITS[i % len(UNITS)]
        plan = rnd.randrange(1000, 50000)
        new = i % 5 == 0
        done = 0
        lines = [
            f"id: b-{i:05d}", f"name: 基准项目{i}号", f"category: {rnd.choice(CATEGORIES)}",
            f"level: {rnd.choice(LEVELS)}", f"kind: {'新开工' if new else '续建'}", f"unit: {unit}", "leader: 王副区长",
            "investment:", f"  total: {plan * 3}", f"  annual_plan: {plan}", f"  before_year: {0 if new else plan}",
        ]
        first = 1
        if new:
            start = rnd.randrange(1, 13)
            first = start if start <= months else months + 1
            started = f"2026-{start:02d}-15" if start <= months else "null"
            lines += [f"planned: {{start: 2026-{start:02d}-15, finish: 2027-12-31}}",
                      f"actual: {{start: {started}, finish: null}}"]
        else:
            lines += ["planned: {start: 2025-03-01, finish: 2027-12-31}", "actual: {start: 2025-03-10, finish: null}"]
        lines.append("progress:" if first <= months else "progress: []")
        for m in range(first, months + 1):
            done += rnd.randrange(0, plan // 10)
            lines += [f"  - month: 2026-{m:02d}", f"    completed: {done}.5", f"    image: {rnd.choice(IMAGES)}"]
            if m == months:
                lines += ["    problems:", f"      - {{type: 拆迁, text: 3户未签约, owner: {unit}, due: 2026-11-30}}"]
        folder = root / "projects" / unit
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"b-{i:05d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    old = time.time() - 3600  # files written well before the run, as in real use
    for path in root.rglob("*.yaml"):
        os.utime(path, (old, old))


def git_history(root: Path) -> None:
    """Two commits: the ledger, then a month of reports added to one project in ten."""
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=b", "-c", "user.email=b@b", "add", "-A")
    git("-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "v1")
    for i, path in enumerate(sorted((root / "projects").rglob("*.yaml"))):
        text = path.read_text(encoding="utf-8")
        done = re.findall(r"completed: ([0-9.]+)", text)
        if i % 10 == 0 and done:  # November's report: a little more than October's
            more = Decimal(done[-1]) + 1
            carried = text[text.rindex("    problems:"):] if "    problems:" in text else ""
            path.write_text(text + f"  - month: 2026-11\n    completed: {more}\n    image: 竣工验收\n{carried}",
                            encoding="utf-8")
    git("-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qam", "v2")


def run(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> float:
    """Wall time of one process, its output discarded; a failure stops the benchmark with its message."""
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode()[-2000:]}")
    return took


def paired(ours: list[str], base: list[str], runs: int, env: dict[str, str], before: object = None) -> tuple[float, float]:
    """Medians of interleaved runs of our command and its baseline."""
    a, b = [], []
    for _ in range(runs):
        if callable(before):
            before()
        a.append(run(ours, env))
        b.append(run(base, env))
    return statistics.median(a), statistics.median(b)


def projledger(*args: str) -> list[str]:
    """The CLI as a user runs it."""
    return [PY, "-m", "projledger", *args]


def row(name: str, ours: float, base: float, goal: str, unit: str = "s") -> None:
    """One line of the table."""
    print(f"{name:<34} {ours:9.3f} {unit} / {base:9.3f} {unit} = {ours / base:6.2f}   目标 {goal}", flush=True)


def main() -> None:
    """Build ledgers of the given sizes and print every row."""
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[5000, 20000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cache = work / "cache"
        env = {**os.environ, "PYTHONPATH": SRC, "PROJLEDGER_CACHE_DIR": str(cache), "COLUMNS": "120"}
        env.pop("PROJLEDGER_NO_CACHE", None)
        # An installed projledger has its bytecode compiled at install time; without this, a run from the source
        # tree in an environment that sets PYTHONDONTWRITEBYTECODE would compile every module on every start.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([PY, "-m", "compileall", "-q", SRC], env=env, stdout=subprocess.DEVNULL, check=True)
        (work / "bare.py").write_text(BARE_PARSE, encoding="utf-8")
        (work / "typer_app.py").write_text(MINIMAL_TYPER, encoding="utf-8")
        (work / "bare_xlsx.py").write_text(BARE_XLSX, encoding="utf-8")
        (work / "peak.py").write_text(PEAK_RSS, encoding="utf-8")
        print(f"projledger 基准（{time.strftime('%Y-%m-%d')}，{os.cpu_count()} 核，每项取 {args.runs} 次中位数）")

        ours, base = paired(projledger("--help"), [PY, str(work / "typer_app.py"), "--help"], args.runs, env)
        row("--help / 最小 typer 应用 --help", ours, base, "≤ 1.0")
        small = work / "small"
        make_ledger(small, 10)
        ours, base = paired(projledger("check", "--ledger", str(small)),
                            [PY, str(work / "typer_app.py"), "hello"], args.runs, env)
        row("check（10 个项目）/ 最小 typer 命令", ours, base, "≤ 1.5")

        diff_times: dict[int, float] = {}
        for n in sizes:
            root = work / f"l{n}"
            make_ledger(root, n)
            print(f"-- N = {n}")

            def clear() -> None:  # both caches: validated models (*.pickle) and replayable outputs (out-*.json)
                for f in cache.glob("*"):
                    f.unlink()

            status = projledger("status", "--format", "json", "--ledger", str(root))
            bare = [PY, str(work / "bare.py"), str(root)]
            ours, base = paired(status, bare, args.runs, env, before=clear)
            row("status 冷（空缓存）/ 纯解析", ours, base, "≤ 1.3")
            ours, base = paired(projledger("--no-cache", *status[3:]), bare, args.runs, env)
            row("status --no-cache / 纯解析", ours, base, "≤ 1.3")
            run(status, env)
            ours, base = paired(status, bare, args.runs, env)
            row("status 热（文件未改）/ 纯解析", ours, base, "≤ 0.5")

            out = work / f"e{n}.xlsx"
            export_time = statistics.median(
                run(projledger("export", "--ledger", str(root), "-o", str(out)), env) for _ in range(args.runs))
            from openpyxl import load_workbook

            book = load_workbook(out, read_only=True)
            cells = sum(1 for ws in book.worksheets for r in ws.iter_rows(values_only=True) for v in r if v is not None)
            book.close()
            base = statistics.median(
                run([PY, str(work / "bare_xlsx.py"), str(cells), str(work / "bare.xlsx")], env) for _ in range(args.runs))
            row(f"export / openpyxl 只写（{cells} 格）", export_time, base, "≤ 2.0")

            # Both computed (no replay of a stored output), so the row compares the work of the two commands.
            ours, base = paired(projledger("--no-cache", "schedule", "--ledger", str(root)),
                                projledger("--no-cache", "status", "--ledger", str(root)), args.runs, env)
            row("schedule 表格 / status 表格", ours, base, "≤ 1.5")

            git_history(root)
            diff_times[n] = statistics.median(
                run(projledger("diff", "HEAD~1", "HEAD", "--ledger", str(root)), env, cwd=root) for _ in range(args.runs))
            print(f"{'diff HEAD~1 HEAD':<34} {diff_times[n]:9.3f} s")

        if len(sizes) > 1:
            lo, hi = sizes[0], sizes[-1]
            linear = hi / lo
            print(f"-- diff 的增长：N={hi} 用时 / N={lo} 用时（线性为 {linear:.2f}）")
            row(f"diff {hi} / diff {lo}", diff_times[hi], diff_times[lo], f"≤ {linear * 1.125:.2f}")
        big = work / f"l{sizes[-1]}"
        peaks = []
        for _ in range(args.runs):
            done = subprocess.run([PY, str(work / "peak.py"), *projledger("--no-cache", "status", "--ledger", str(big))],
                                  env=env, capture_output=True, text=True, check=True)
            peaks.append(int(done.stdout.strip()) / 1024)
        print(f"{'status 峰值内存（RSS，N=' + str(sizes[-1]) + '）':<34} {statistics.median(peaks):9.1f} MiB   目标 ≤ 250 MiB")


if __name__ == "__main__":
    main()
