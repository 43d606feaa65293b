"""Paper 1, Figure 1 at publication scale: four candidate solutions and Lloyd's trajectories.

Chapter: book/landscape/figure1.

Example
-------
    python scripts/figure1.py --n 1000000 --sigma 0.5 --out figure1.png
"""

from __future__ import annotations

import argparse

import matplotlib

from kmbook.lloyd import lloyd
from kmbook.models import balanced_sample
from kmbook.plotting import plot_figure1, use_style
from kmbook.structure import associate, figure1_setup


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=1_000_000, help="sample size (balanced over the 4 components)")
    p.add_argument("--sigma", type=float, default=0.5)
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--out", default="figure1.png")
    args = p.parse_args(argv)

    matplotlib.use("Agg")
    use_style()
    model, starts = figure1_setup(sigma=args.sigma)
    X, labels = balanced_sample(model, args.n, rng=args.seed)
    runs, sigs = [], []
    for name, beta in starts.items():
        res = lloyd(X, beta, record=True, max_iter=5000)
        runs.append(res.trajectory)
        sigs.append((associate(beta, model.centers, X=X, labels=labels).signature,
                     associate(res.centers, model.centers, X=X, labels=labels).signature))
        print(f"{name:36s} {sigs[-1][0]:30s} -> {sigs[-1][1]:30s} ({res.n_iter} steps)")
    fig, _ = plot_figure1(X, model.centers, runs, titles=list(starts), signatures=sigs)
    fig.savefig(args.out)
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
