"""A ledger as it was at a git revision, read straight from git objects.

No checkout and no temporary clone: `git ls-tree -r -z REV -- <ledger folder>` lists the blobs and one
`git cat-file --batch` reads them, then the loader parses, validates and checks them exactly as it does
files on disk. The ledger root may be a sub-folder of the repository (ledgers/example).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from projledger.ledger.errors import InputError, LedgerError, ProjledgerError, UsageError
from projledger.ledger.load import load_ledger
from projledger.ledger.loader import SETTINGS_FILE, Ledger, MemoryFiles, Progress

WORKTREE = "工作区"


class GitError(ProjledgerError):
    """git is missing, or the ledger folder is not inside a git repository (exit code 1)."""


class RevisionLedgerError(InputError):
    """The ledger at a revision is missing or does not validate; carries the errors (exit code 1)."""

    def __init__(self, message: str, errors: list[LedgerError]) -> None:
        super().__init__("\n".join([message, *(str(e) for e in errors)]))
        self.errors = errors


@dataclass(frozen=True)
class Repo:
    """The git repository holding a ledger, and the ledger folder's path inside it."""

    top: Path
    prefix: str  # "" or "ledgers/example/" (with the trailing slash)

    def git(self, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        """Run git in the repository top; output as bytes, never raising on a non-zero exit."""
        try:
            return subprocess.run(
                ["git", "--literal-pathspecs", "-C", str(self.top), *args], input=stdin, capture_output=True, check=False
            )
        except OSError as exc:
            raise GitError(f"无法运行 git：{exc.strerror or exc}") from None


def open_repo(root: Path) -> Repo:
    """The repository that holds the ledger folder `root`."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--show-toplevel", "--show-prefix"],
            capture_output=True, check=False,
        )
    except OSError as exc:
        raise GitError(f"无法运行 git：{exc.strerror or exc}") from None
    if done.returncode != 0:
        raise GitError(f"台账目录 {root} 不在 git 仓库中；diff 需要用 git 管理的台账（先 git init 并提交）")
    top, prefix = (done.stdout.decode("utf-8", "surrogateescape").splitlines() + ["", ""])[:2]
    return Repo(Path(top), prefix)


def resolve(repo: Repo, rev: str) -> str:
    """The commit id of a revision (branch, tag such as meeting-2026-09, HEAD~1, sha); UsageError if none."""
    if not rev.strip() or rev.startswith("-"):
        raise UsageError(f"“{rev}”不是有效的 git 版本")
    done = repo.git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if done.returncode != 0 and not repo.git("rev-list", "-n", "1", "--all").stdout.strip():
        raise GitError("仓库还没有提交，没有可比较的版本：先把台账提交一次"
                       "（git add . 然后 git commit -m \"建立台账\"），以后 diff 就能列出改动")
    if done.returncode != 0:
        raise UsageError(f"git 仓库中找不到版本“{rev}”（可以是分支、标签如 meeting-2026-09、HEAD~1 或提交号）")
    return done.stdout.decode().strip()


def ledger_blobs(repo: Repo, commit: str) -> dict[str, str]:
    """{path relative to the ledger root: blob id} of the ledger's YAML files at `commit`."""
    done = repo.git("ls-tree", "-r", "-z", "--full-tree", commit, "--", repo.prefix or ".")
    if done.returncode != 0:
        raise GitError(f"git ls-tree 失败：{done.stderr.decode('utf-8', 'replace').strip()}")
    blobs: dict[str, str] = {}
    for entry in done.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        path = raw_path.decode("utf-8", "surrogateescape")
        if kind != "blob" or mode == "120000" or not path.startswith(repo.prefix):
            continue  # sub-modules and symbolic links are not ledger files
        rel = path[len(repo.prefix):]
        if rel.endswith((".yaml", ".yml")):  # settings, projects/ and any procedures template
            blobs[rel] = sha
    return blobs


def read_blobs(repo: Repo, blobs: dict[str, str]) -> dict[str, bytes]:
    """Read many blobs with one `git cat-file --batch`."""
    if not blobs:
        return {}
    order = list(blobs.items())
    done = repo.git("cat-file", "--batch", stdin="".join(f"{sha}\n" for _, sha in order).encode())
    if done.returncode != 0:
        raise GitError(f"git cat-file 失败：{done.stderr.decode('utf-8', 'replace').strip()}")
    data, pos, files = done.stdout, 0, {}
    for rel, _ in order:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        if len(header) != 3:
            raise GitError(f"git cat-file 读不到 {rel}")
        size = int(header[2])
        files[rel] = data[end + 1:end + 1 + size]
        pos = end + 1 + size + 1  # content, then a newline
    return files


def load_at(root: Path, rev: str, progress: Progress | None = None) -> tuple[Ledger, str]:
    """The ledger at `root` as it was at `rev`, validated and checked; returns it with the commit id.

    A revision git does not know is a UsageError (exit 2); a revision where the ledger is missing or has
    errors is a RevisionLedgerError (exit 1) listing them.
    """
    repo = open_repo(root)
    commit = resolve(repo, rev)
    files = read_blobs(repo, ledger_blobs(repo, commit))
    where = repo.prefix.rstrip("/") or "仓库根目录"
    if SETTINGS_FILE not in files:
        raise RevisionLedgerError(f"版本“{rev}”（{commit[:7]}）中 {where} 下没有台账（找不到 {SETTINGS_FILE}）", [])
    ledger, errors = load_ledger(root, files=MemoryFiles(files), progress=progress)
    problems = [e for e in errors if e.is_error]
    if ledger is None or problems:
        raise RevisionLedgerError(f"版本“{rev}”（{commit[:7]}）中的台账有 {len(problems)} 个错误", problems)
    return ledger, commit


@dataclass(frozen=True)
class Provenance:
    """The commit a ledger folder's figures come from, and whether its files differ from that commit."""

    commit: str
    date: str  # committer date, ISO 8601
    subject: str
    dirty: bool  # ledger files changed, added or removed since the commit (figures are the working tree's)


def head_provenance(root: Path) -> Provenance | None:
    """HEAD of the repository holding `root`, or None when it is not in git or has no commit yet."""
    try:
        repo = open_repo(root)
    except GitError:
        return None
    done = repo.git("log", "-1", "--format=%H%x00%cI%x00%s", "HEAD", "--")
    if done.returncode != 0 or not done.stdout.strip():
        return None
    commit, when, subject = (done.stdout.decode("utf-8", "replace").rstrip("\n").split("\0") + ["", ""])[:3]
    status = repo.git("status", "--porcelain", "-z", "--untracked-files=all", "--", repo.prefix or ".")
    return Provenance(commit, when, subject, bool(status.stdout.strip()))


def start_repository(directory: Path) -> bool | None:
    """`git init` in a new ledger's folder unless it is already inside a repository.

    True when a repository was started, False when the folder was already in one (nothing done), None
    when git cannot be run here (the ledger works without it; only `diff` needs it).
    """
    try:
        inside = subprocess.run(["git", "-C", str(directory), "rev-parse", "--is-inside-work-tree"],
                                capture_output=True, check=False)
        if inside.returncode == 0:
            return False
        done = subprocess.run(["git", "init", "-q", str(directory)], capture_output=True, check=False)
    except OSError:
        return None
    return done.returncode == 0 or None


@dataclass(frozen=True)
class RevisionName:
    """What a person calls a revision: an annotated tag's message (10月调度会) and the commit's date."""

    message: str | None  # first line of an annotated tag's message; None for branches, commits, light tags
    date: date  # the commit's committer date, in the committer's own time zone


def describe(root: Path, rev: str) -> RevisionName:
    """The tag message and commit date of `rev`, so a bulletin never shows `HEAD~1` or `meeting-2026-10`."""
    repo = open_repo(root)
    commit = resolve(repo, rev)
    message = None
    obj = repo.git("rev-parse", "--verify", "--quiet", "--end-of-options", rev)
    oid = obj.stdout.decode().strip()
    if obj.returncode == 0 and oid and repo.git("cat-file", "-t", oid).stdout.strip() == b"tag":
        body = repo.git("cat-file", "tag", oid).stdout.decode("utf-8", "replace")
        text = body.split("\n\n", 1)[1] if "\n\n" in body else ""
        text = text.split("-----BEGIN", 1)[0]  # a signed tag's signature is not its message
        message = next((line.strip() for line in text.splitlines() if line.strip()), None)
    when = repo.git("log", "-1", "--format=%cI", commit, "--").stdout.decode().strip()
    return RevisionName(message, date.fromisoformat(when[:10]))
