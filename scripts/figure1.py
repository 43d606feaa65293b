"""Paper 1, Figure 1 at publication scale: four candidate solutions and Lloyd's trajectories.

Chapter: book/landscape/figure1.

Example
-------
    python scripts/figure1.py --n 1000000 --sigma 0.5 --out figure1.png
    python scripts/figure1.py --workers 4          # the four runs on a local Dask cluster

Each of the four Lloyd runs is a task of kmbook.sweep.run_sweep: --workers N / --scheduler ADDRESS
run them on a Dask cluster, and finished runs are checkpointed (see kmbook/cli.py).
"""

from __future__ import annotations

import argparse
from functools import partial

import matplotlib

from kmbook.cli import add_sweep_arguments, checkpoint_path
from kmbook.lloyd import lloyd
from kmbook.models import balanced_sample
from kmbook.plotting import plot_figure1, use_style
from kmbook.structure import associate, figure1_setup
from kmbook.sweep import run_sweep, sweep_executor


def _lloyd_from(beta, rng=None, *, X):
    res = lloyd(X, beta, record=True, max_iter=5000)
    return res.trajectory, res.centers, res.n_iter


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=1_000_000, help="sample size (balanced over the 4 components)")
    p.add_argument("--sigma", type=float, default=0.5)
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--out", default="figure1.png")
    add_sweep_arguments(p)
    args = p.parse_args(argv)

    matplotlib.use("Agg")
    use_style()
    model, starts = figure1_setup(sigma=args.sigma)
    X, labels = balanced_sample(model, args.n, rng=args.seed)
    with sweep_executor(args.workers, args.scheduler) as ex:
        out = run_sweep(partial(_lloyd_from, X=X), list(starts.values()), rng=0, executor=ex, desc="Lloyd",
                        checkpoint=checkpoint_path(args, "figure1"))
    runs, sigs = [], []
    for (name, beta), (trajectory, centers, n_iter) in zip(starts.items(), out):
        runs.append(trajectory)
        sigs.append((associate(beta, model.centers, X=X, labels=labels).signature,
                     associate(centers, model.centers, X=X, labels=labels).signature))
        print(f"{name:36s} {sigs[-1][0]:30s} -> {sigs[-1][1]:30s} ({n_iter} steps)")
    fig, _ = plot_figure1(X, model.centers, runs, titles=list(starts), signatures=sigs)
    fig.savefig(args.out)
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
