"""kmbook: the tested helper package of the k-means landscape book.

Modules follow the book, one idea each; a module imports only the ones listed
before it (foundations <- paper modules <- reports and plotting):

* foundations — :mod:`kmbook.models` (mixture models of Paper 1),
  :mod:`kmbook.objective` (the empirical objective), :mod:`kmbook.voronoi`
  (Voronoi sets and their shares), :mod:`kmbook.population` (the population
  objective and population Lloyd), :mod:`kmbook.critical_points`,
  :mod:`kmbook.lloyd` (Lloyd's algorithm on samples), :mod:`kmbook.seeding`,
  :mod:`kmbook.data` (bundled benchmark sets), :mod:`kmbook.sweep` (sweeps with
  progress and executors);
* Paper 1 — :mod:`kmbook.structure` (associations of Theorems 1-3),
  :mod:`kmbook.algorithms` (centroid index, coverage, pruning),
  :mod:`kmbook.census` (census sweeps);
* Paper 2 — :mod:`kmbook.stochastic` (Algorithm 1 and repeated runs),
  :mod:`kmbook.rate` (the O(1/t) rate), :mod:`kmbook.clusterability`
  ((B1)-(B3));
* Paper 3 — :mod:`kmbook.partitions` (partition matrices), :mod:`kmbook.oracles`
  (exact optima by enumeration), :mod:`kmbook.sdp` (Peng-Wei and Amini-Levina
  relaxations), :mod:`kmbook.certificates` (dual certificates),
  :mod:`kmbook.proximity` (proximity conditions), :mod:`kmbook.geometries`,
  :mod:`kmbook.recovery` (Section 5);
* reports — :mod:`kmbook.report` (tables, log-log fits),
  :mod:`kmbook.plotting` (figures).

Private modules (``kmbook._*``) hold the shared building blocks: argument
checks, numba kernels, the exact and quasi-Monte Carlo population engines and
the cluster geometry.

The names below are re-exported for convenience; the Paper 3 modules are not
imported here, so ``import kmbook`` does not load cvxpy.
"""

from .algorithms import centroid_index
from .data import load
from .exceptions import ConvergenceWarning
from .lloyd import LloydResult, lloyd
from .models import BallMixture, GaussianMixture
from .objective import kmeans_cost
from .population import population_cost, population_lloyd
from .seeding import kmeans_pp
from .stochastic import stochastic_kmeans
from .structure import associate

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
