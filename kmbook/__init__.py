"""kmbook: the tested helper package of the k-means landscape book.

Modules follow the book: :mod:`kmbook.models` (mixture models of Paper 1),
:mod:`kmbook.objective` (the k-means objective), :mod:`kmbook.lloyd`
(Lloyd's algorithm), :mod:`kmbook.plotting` (figures), :mod:`kmbook.sweep`
(parameter sweeps with progress and executors).
"""

from .exceptions import ConvergenceWarning
from .lloyd import LloydResult, lloyd
from .models import BallMixture, GaussianMixture
from .objective import kmeans_cost

__version__ = "0.1.0"

__all__ = ["BallMixture", "GaussianMixture", "kmeans_cost", "lloyd", "LloydResult", "ConvergenceWarning"]
