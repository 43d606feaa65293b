"""Shared by the benchmarks: the record of the environment a timing was taken in, and the JSON output.

Every benchmark stores, beside its numbers, where they were measured: Python, the cores and
the load on them, numba's thread count, the BLAS libraries and their threads, and the versions
of the packages involved. Results go to ``benchmarks/results/<name>.json``.
"""

import json
import os
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def _version(package):
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def environment(*packages):
    """Machine and versions: Python, cores, load average, numba threads, BLAS, numpy/numba and `packages`."""
    import numba
    from threadpoolctl import threadpool_info

    return {
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "load_average": [round(v, 2) for v in os.getloadavg()],
        "numba_threads": numba.get_num_threads(),
        "blas": [{k: i.get(k) for k in ("internal_api", "num_threads", "version")} for i in threadpool_info()],
        "versions": {p: _version(p) for p in ("numpy", "numba", *packages)},
    }


def write_result(result, name=None, path=None):
    """Write `result` as indented JSON to `path` (default ``results/<name>.json``); return the path."""
    path = Path(path) if path is not None else RESULTS / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n")
    return path
