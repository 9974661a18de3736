"""The pre-commit hook other repositories use: `.pre-commit-hooks.yaml` at the repository top.

The end-to-end run (`pre-commit try-repo`) pip-installs projledger into a fresh hook environment, which
takes 20-40 seconds and needs the package index, so it runs only when asked:
`PROJLEDGER_TEST_PRECOMMIT=1 pytest tests/test_precommit.py` (and is skipped without `pre-commit`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from ledgerkit import project, report, write_ledger

TOP = Path(__file__).resolve().parents[1]


def hook() -> dict[str, object]:
    hooks = yaml.safe_load((TOP / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    by_id = {h["id"]: h for h in hooks}
    found: dict[str, object] = by_id["projledger-check"]
    return found


def test_hook_definition() -> None:
    h = hook()
    assert h["language"] == "python" and h["pass_filenames"] is False
    assert h["entry"] == "projledger check"
    scripts = tomllib.loads((TOP / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert "projledger" in scripts
    files = re.compile(str(h["files"]))
    assert files.search("projects/城关街道/2026-cj-001.yaml") and files.search("projledger.yml")
    assert not files.search("README.md") and not files.search("调度表.xlsx")


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed")
@pytest.mark.skipif(os.environ.get("PROJLEDGER_TEST_PRECOMMIT") != "1", reason="set PROJLEDGER_TEST_PRECOMMIT=1")
def test_try_repo_from_a_scratch_repository(tmp_path: Path) -> None:
    # try-repo copies uncommitted changes too; a clone pins the hook to the committed HEAD.
    source = tmp_path / "projledger"
    git(tmp_path, "clone", "-q", "--no-hardlinks", str(TOP), str(source))
    repo = write_ledger(tmp_path / "ledger", [project("2026-xj-001", progress=[report("2026-09", 500)])])
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PROJLEDGER_DIR": ""}

    def try_repo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(["pre-commit", "try-repo", str(source), "projledger-check", "--all-files"],
                              cwd=repo, env=env, capture_output=True, text=True, timeout=300)

    ok = try_repo()
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Passed" in ok.stdout
    bad = repo / "projects" / "2026-xj-001.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("annual_plan: 1000", "annual_plan: 一千"), encoding="utf-8")
    failed = try_repo()
    assert failed.returncode == 1
    assert "projects/2026-xj-001.yaml:" in failed.stdout and "investment.annual_plan" in failed.stdout
