"""Paper 1, Figure 1: the stationary points behind the panels and their Hessians (stored catalogue).

Chapter: book/landscape/figure1.

Example
-------
    python scripts/figure1_hessians.py                 # writes data/sweeps/figure1_stationary.json
    python scripts/figure1_hessians.py --workers 2     # the tasks on a local Dask cluster

Each task (kmbook.figure1_stationary.figure1_stationary_tasks) solves grad G = 0 by Newton or
saddle-free Newton on the planar quadrature engine (kmbook.planar_gaussian) and records the point,
its gradient norm and the eigenvalues of its Hessian at two quadrature orders. Finished tasks are
checkpointed (see kmbook/cli.py). About a minute of CPU in all.
"""

from __future__ import annotations

import argparse
import json
import pathlib

from kmbook.cli import add_sweep_arguments, checkpoint_path
from kmbook.figure1_stationary import FIGURE1_STATIONARY_PATH, figure1_stationary_point, figure1_stationary_tasks
from kmbook.sweep import run_sweep, sweep_executor


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", type=pathlib.Path, default=FIGURE1_STATIONARY_PATH)
    p.add_argument("--only", type=int, default=None, help="run only the first N tasks (a smoke test)")
    add_sweep_arguments(p)
    args = p.parse_args(argv)
    tasks = figure1_stationary_tasks()[: args.only]
    with sweep_executor(args.workers, args.scheduler) as ex:
        points = run_sweep(figure1_stationary_point, tasks, rng=0, executor=ex, desc="stationary points",
                           checkpoint=checkpoint_path(args, "figure1_hessians"))
    for pt in points:
        print(f"sigma {pt['sigma']}: {pt['name']:22s} {pt['signature']:32s} |grad| {pt['gradient_norm']:.1e} "
              f"smallest eigenvalue {pt['eigenvalues'][0]: .3e}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"command": "python scripts/figure1_hessians.py", "points": points}, indent=1))
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
