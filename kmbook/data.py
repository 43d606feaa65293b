"""Real clustering benchmark sets with ground truth, bundled with the package.

Chapter: book/landscape (census and algorithms chapters), book/stochastic, book/convex.
Provenance: ``kmbook/datasets/README.md`` and the ``PROVENANCE.md`` of each folder.

``load(name)`` returns the points, the per-point ground-truth labels (0-based)
and ground-truth centres whose row ``j`` belongs to label ``j``. For the SIPU
sets with a centroid file, the centres are the published reference centres
(re-ordered to match the label numbering, a bijection checked at load time);
for the other sets they are the means of the labelled clusters.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

__all__ = ["Dataset", "available", "load", "DATA_DIR"]

DATA_DIR = Path(__file__).resolve().parent / "datasets"

_SIPU_CENTROIDS = ["s1", "s2", "s3", "s4", "a1", "a2", "a3", "unbalance", "birch1", "birch2"]
_G2 = [f"g2-2-{sd}" for sd in range(10, 101, 10)]
_FCPS = ["atom", "chainlink", "engytime", "hepta", "lsun", "target", "tetra", "twodiamonds", "wingnut"]

_CITATION = {
    **{n: "Fränti & Virmajoki 2006 (S-sets); Fränti & Sieranoja 2018" for n in ["s1", "s2", "s3", "s4"]},
    **{n: "Kärkkäinen & Fränti 2002 (A-sets); Fränti & Sieranoja 2018" for n in ["a1", "a2", "a3"]},
    "unbalance": "Rezaei & Fränti 2016; Fränti & Sieranoja 2018",
    "birch1": "Zhang, Ramakrishnan & Livny 1997; Fränti & Sieranoja 2018",
    "birch2": "Zhang, Ramakrishnan & Livny 1997; Fränti & Sieranoja 2018",
    "dim032": "Fränti, Virmajoki & Hautamäki 2006 (DIM-sets); Fränti & Sieranoja 2018",
    **{n: "Fränti, Mariescu-Istodor & Zhong 2016 (G2-sets)" for n in _G2},
    **{n: "Ultsch 2005; Thrun & Ultsch 2020 (FCPS)" for n in _FCPS},
}


@dataclass(frozen=True)
class Dataset:
    """A benchmark set with its ground truth.

    Attributes
    ----------
    name : str
    X : ndarray of shape (n, d)
        Points (float64).
    labels : ndarray of shape (n,)
        Ground-truth cluster of each point, in ``0..k-1``.
    centers : ndarray of shape (k, d)
        Ground-truth centre of each cluster; row ``j`` belongs to label ``j``.
    centers_source : str
        ``"reference"`` (the benchmark's published centroids) or ``"label means"``.
    citation : str
        Whom to cite (details in the folder's PROVENANCE.md).
    """

    name: str
    X: np.ndarray
    labels: np.ndarray
    centers: np.ndarray
    centers_source: str
    citation: str

    @property
    def n(self):
        return self.X.shape[0]

    @property
    def d(self):
        return self.X.shape[1]

    @property
    def k(self):
        return self.centers.shape[0]


def available():
    """Names accepted by :func:`load`, in a stable order."""
    return _SIPU_CENTROIDS + ["dim032"] + _G2 + _FCPS


def _loadtxt(path, **kw):
    if path.suffix == ".gz":
        with gzip.open(path, "rt") as fh:
            return np.loadtxt(fh, **kw)
    return np.loadtxt(path, **kw)


def _label_means(X, labels):
    k = labels.max() + 1
    return np.array([X[labels == j].mean(0) for j in range(k)])


def _match_centroids(reference, X, labels, name):
    """Re-order `reference` so that row j is the centroid of label j (a bijection)."""
    means = _label_means(X, labels)
    cost = ((means[:, None, :] - reference[None, :, :]) ** 2).sum(-1)
    rows, cols = linear_sum_assignment(cost)
    if not np.array_equal(cols, cost.argmin(1)):
        raise RuntimeError(f"{name}: the centroid file does not match the labels one to one.")
    return reference[cols[np.argsort(rows)]]


@lru_cache(maxsize=None)
def _load(name):
    sipu, fcps = DATA_DIR / "sipu", DATA_DIR / "fcps"
    if name in _SIPU_CENTROIDS:
        pts = sipu / (f"{name}.txt.gz" if name.startswith("birch") else f"{name}.txt")
        X = _loadtxt(pts)
        labels = _loadtxt(sipu / "labels" / f"{name}.labels0.gz").astype(np.int64) - 1
        centers = _match_centroids(np.atleast_2d(_loadtxt(sipu / f"{name}-gt.txt")), X, labels, name)
        source = "reference"
    elif name == "dim032":
        X = _loadtxt(sipu / "dim032.txt")
        labels = _loadtxt(sipu / "denmune" / "dim032-gt.txt").astype(np.int64) - 1
        centers = _match_centroids(_loadtxt(sipu / "dim032-gt.txt"), X, labels, name)
        source = "reference"
    elif name in _G2:
        X = _loadtxt(sipu / "denmune" / f"{name}.txt")
        labels = _loadtxt(sipu / "denmune" / f"{name}-gt.txt").astype(np.int64) - 1
        centers, source = _label_means(X, labels), "label means"
    else:  # FCPS: labels0 is the original author's partition (target: 6 clusters)
        X = _loadtxt(fcps / f"{name}.data.gz")
        labels = _loadtxt(fcps / f"{name}.labels0.gz").astype(np.int64) - 1
        centers, source = _label_means(X, labels), "label means"
    for arr in (X, labels, centers):
        arr.setflags(write=False)
    return Dataset(name, np.ascontiguousarray(X, dtype=np.float64), labels, centers, source, _CITATION[name])


def load(name):
    """Load a bundled benchmark set by name.

    Parameters
    ----------
    name : str
        One of :func:`available`: ``"s1"``…``"s4"``, ``"a1"``…``"a3"``,
        ``"unbalance"``, ``"birch1"``, ``"birch2"``, ``"dim032"``,
        ``"g2-2-10"``…``"g2-2-100"``, or an FCPS set (``"hepta"``, …).

    Returns
    -------
    Dataset
        Read-only arrays (copy them before modifying).

    Examples
    --------
    >>> from kmbook.data import load
    >>> s1 = load("s1")
    >>> s1.X.shape, s1.k, s1.centers_source
    ((5000, 2), 15, 'reference')
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string; got {type(name).__name__}.")
    key = name.strip().lower()
    if key not in available():
        raise ValueError(f"unknown data set {name!r}: name must be one of {', '.join(available())}.")
    return _load(key)
