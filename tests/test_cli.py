"""kmbook.cli: the options the sweep scripts share, and the revision stored results record."""

import subprocess
from pathlib import Path

import pytest

from kmbook.cli import git_revision

ROOT = Path(__file__).resolve().parents[1]


def _git(*args):
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


def test_git_revision_is_head_and_flags_changed_tracked_files():
    try:
        head = _git("rev-parse", "HEAD")
        dirty = bool(_git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    rev = git_revision()
    assert rev == head + ("+dirty" if dirty else "")
    assert git_revision(short=True).split("+")[0] == _git("rev-parse", "--short", "HEAD")
    # excluding every path leaves nothing to be dirty
    assert git_revision(exclude=("kmbook", "tests", "book", "scripts", "benchmarks", "data", ".")) == head


def test_git_revision_rejects_a_bare_string():
    with pytest.raises(TypeError, match="exclude"):
        git_revision(exclude="scripts/results")
