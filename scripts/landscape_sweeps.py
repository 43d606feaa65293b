"""Run and store the sweeps of the census and algorithms chapters (Paper 1, Theorems 1-2, Section IV).

Chapter: book/landscape/census, book/landscape/algorithms (which load the stored results).

Examples
--------
    python scripts/landscape_sweeps.py census --workers 2
    python scripts/landscape_sweeps.py algorithms --workers 2

Writes data/sweeps/<chapter>.json: every task, its seed and its record, plus the command.
A progress bar shows on standard error (KMBOOK_PROGRESS=0 turns it off).
tests/test_stored_sweeps.py re-runs a slice of every sweep against the stored file.
"""

from __future__ import annotations

import argparse
import sys

from kmbook.cli import add_sweep_arguments, checkpoint_path
from kmbook.stored_sweeps import CHAPTERS, SWEEPS_DIR, run_sweeps, save_sweeps
from kmbook.sweep import sweep_executor


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("chapter", choices=CHAPTERS)
    p.add_argument("--out", help=f"output file (default {SWEEPS_DIR}/<chapter>.json)")
    add_sweep_arguments(p)
    args = p.parse_args(argv)
    out = args.out or SWEEPS_DIR / f"{args.chapter}.json"
    command = f"python scripts/landscape_sweeps.py {args.chapter} --workers {args.workers}"
    checkpoint = checkpoint_path(args, f"landscape_sweeps-{args.chapter}")
    with sweep_executor(args.workers, args.scheduler) as ex:   # Dask: spawned workers, numba-safe
        sweeps = run_sweeps(args.chapter, executor=ex, checkpoint=checkpoint)
    path = save_sweeps(out, sweeps, command=command)
    print(f"{sum(len(s['records']) for s in sweeps.values())} records written to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
