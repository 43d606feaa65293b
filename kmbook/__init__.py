"""kmbook: the tested helper package of the k-means landscape book.

Modules follow the book:

* foundations — :mod:`kmbook.models` (mixture models of Paper 1),
  :mod:`kmbook.objective` (empirical and population objectives),
  :mod:`kmbook.lloyd` (Lloyd's algorithm on samples and on a model),
  :mod:`kmbook.seeding`, :mod:`kmbook.data` (bundled benchmark sets);
* Paper 1 — :mod:`kmbook.structure` (associations of Theorems 1-2, centroid
  index, pruning), :mod:`kmbook.census` (census sweeps);
* Paper 2 — :mod:`kmbook.stochastic` (stochastic k-means);
* Paper 3 — :mod:`kmbook.sdp` (Peng-Wei and Amini-Levina relaxations),
  :mod:`kmbook.proximity` (proximity conditions and certificates),
  :mod:`kmbook.geometries`, :mod:`kmbook.recovery` (Section 5);
* tools — :mod:`kmbook.sweep` (sweeps with progress and executors),
  :mod:`kmbook.plotting` (figures).

The names below are re-exported for convenience; the Paper 3 modules are not
imported here, so ``import kmbook`` does not load cvxpy.
"""

from .data import load
from .exceptions import ConvergenceWarning
from .lloyd import LloydResult, lloyd, population_lloyd
from .models import BallMixture, GaussianMixture
from .objective import kmeans_cost, population_cost
from .seeding import kmeans_pp
from .stochastic import stochastic_kmeans
from .structure import associate, centroid_index

__version__ = "0.1.0"

__all__ = [
    "BallMixture",
    "GaussianMixture",
    "kmeans_cost",
    "population_cost",
    "lloyd",
    "population_lloyd",
    "LloydResult",
    "kmeans_pp",
    "stochastic_kmeans",
    "associate",
    "centroid_index",
    "load",
    "ConvergenceWarning",
]
