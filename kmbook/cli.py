"""Command-line options shared by the sweep scripts (``scripts/``): where to run, where to checkpoint,
and the revision a stored result was computed with.

Chapter: none (the command-line versions of the chapters' sweeps).

    --workers N          a local Dask cluster of N worker processes (1: run in this process)
    --scheduler ADDRESS  an existing Dask cluster, e.g. tcp://10.0.0.5:8786 (its workers need kmbook)
    --checkpoint PATH    folder recording every finished task (default: _build/checkpoints/<script>-<hash>,
                         named after the sweep's arguments, so rerunning the same command resumes)
    --no-checkpoint      recompute everything, record nothing
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

__all__ = ["add_sweep_arguments", "checkpoint_path", "git_revision"]

_NOT_SWEEP = {"workers", "scheduler", "checkpoint", "no_checkpoint", "out"}


def add_sweep_arguments(parser):
    """Add ``--workers``, ``--scheduler``, ``--checkpoint`` and ``--no-checkpoint`` to an argparse parser."""
    if not hasattr(parser, "add_argument_group"):
        raise TypeError(f"parser must be an argparse.ArgumentParser; got {type(parser).__name__}.")
    g = parser.add_argument_group("where to run, and checkpoints")
    g.add_argument("--workers", type=int, default=1,
                   help="worker processes of a local Dask cluster (default 1: run in this process)")
    g.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="address of a running Dask scheduler (overrides --workers)")
    g.add_argument("--checkpoint", type=Path, default=None, metavar="PATH",
                   help="folder recording each finished task; a rerun resumes (default: under _build/checkpoints)")
    g.add_argument("--no-checkpoint", action="store_true", help="do not record or resume")
    return parser


def checkpoint_path(args, script):
    """The checkpoint folder of this run: --checkpoint, or one named after the sweep's arguments."""
    if not all(hasattr(args, a) for a in ("no_checkpoint", "checkpoint")):
        raise TypeError("args must be the namespace parsed by a parser given add_sweep_arguments(); "
                        f"got {type(args).__name__}.")
    if not isinstance(script, str) or not script:
        raise TypeError(f"script must be the script's name (a non-empty str); got {script!r}.")
    if args.no_checkpoint:
        return None
    if args.checkpoint is not None:
        return args.checkpoint
    sweep = {k: (str(v) if isinstance(v, Path) else v) for k, v in sorted(vars(args).items()) if k not in _NOT_SWEEP}
    digest = hashlib.sha256(json.dumps(sweep, sort_keys=True).encode()).hexdigest()[:12]
    path = Path("_build", "checkpoints", f"{script}-{digest}")
    print(f"checkpoint: {path} (rerun the same command to resume; --no-checkpoint to disable)", file=sys.stderr)
    return path


def git_revision(*, short=False, exclude=()):
    """The commit of the repository holding kmbook, as stored results record it, or None.

    Paper: none (the provenance of every stored result).
    Chapter: none (the scripts and benchmarks that write the stored results).

    Parameters
    ----------
    short : bool, default=False
        The abbreviated hash (``git rev-parse --short``).
    exclude : list or tuple of str, default=()
        Paths (relative to the repository) whose changes do not count: usually the script's
        own output folder.

    Returns
    -------
    str or None
        The hash, with ``"+dirty"`` appended when tracked files outside `exclude` differ from
        it; None outside a git checkout (e.g. an installed copy).
    """
    if not isinstance(exclude, (list, tuple)) or not all(isinstance(p, str) for p in exclude):
        raise TypeError(f"exclude must be a sequence of paths (str), e.g. ('scripts/results',); got {exclude!r}.")
    if not isinstance(short, bool):
        raise TypeError(f"short must be True or False; got {short!r}.")
    root = Path(__file__).resolve().parents[1]
    head = ["git", "rev-parse", *(["--short"] if short else []), "HEAD"]
    status = ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", *(f":(exclude){p}" for p in exclude)]
    try:
        commit = subprocess.run(head, cwd=root, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(status, cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit + ("+dirty" if dirty else "")
