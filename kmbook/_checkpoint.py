"""Checkpoints of sweeps: one atomically written record per finished task.

Chapter: every chapter that runs a sweep; the long runs of ``scripts/``.

A checkpoint is a folder. ``manifest.json`` identifies the sweep: the function,
one fingerprint per task (its pickled parameters) and one per seed (the
:class:`numpy.random.SeedSequence` of the generator the task receives). Each
finished task is stored as ``task-<index>.pkl`` by writing a temporary file in
the same folder, flushing it to disk and renaming it over the final name
(:func:`os.replace` is atomic), so a sweep killed at any moment leaves only
complete records: it loses at most the tasks that were running.

A checkpoint that was written for other tasks, another seed or another function
is refused with an error that says which; results are never mixed.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from pathlib import Path

__all__ = ["SweepCheckpoint", "fingerprint"]

_FORMAT = "kmbook-sweep-checkpoint/1"


def fingerprint(obj):
    """SHA-256 of the pickled `obj` (protocol 4), or of its ``repr`` if it cannot be pickled."""
    try:
        data = pickle.dumps(obj, protocol=4)
    except Exception:  # lambdas, local functions: fall back on the text
        data = repr(obj).encode()
    return hashlib.sha256(data).hexdigest()


def _func_name(func):
    inner = getattr(func, "func", func)  # functools.partial
    return f"{getattr(inner, '__module__', '?')}.{getattr(inner, '__qualname__', type(inner).__name__)}"


def _seed_fingerprint(gen):
    seq = gen.bit_generator.seed_seq
    return fingerprint((seq.entropy, tuple(seq.spawn_key), seq.pool_size))


def _atomic_write(path, data):
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class SweepCheckpoint:
    """The records of one sweep in the folder `path` (created if missing).

    Parameters
    ----------
    path : str or os.PathLike
        Folder of the checkpoint.
    func : callable
        The task function (its module and name are recorded).
    tasks : list
        The sweep's tasks, in order.
    generators : list of numpy.random.Generator
        The generator of each task, as spawned by :func:`kmbook.sweep.run_sweep`.

    Raises
    ------
    ValueError
        If the folder holds a checkpoint of another sweep (other tasks, seed or
        function), or a record that does not belong to it.
    """

    def __init__(self, path, func, tasks, generators):
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"checkpoint must be a path (str or os.PathLike); got {type(path).__name__}.")
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise ValueError(f"checkpoint must be a folder; {self.path} is a file.")
        self.manifest = {
            "format": _FORMAT,
            "func": _func_name(func),
            "func_fingerprint": fingerprint(func),
            "n_tasks": len(tasks),
            "tasks": [fingerprint(t) for t in tasks],
            "seeds": [_seed_fingerprint(g) for g in generators],
        }
        self.path.mkdir(parents=True, exist_ok=True)
        manifest = self.path / "manifest.json"
        if manifest.exists():
            self._check_manifest(json.loads(manifest.read_text(encoding="utf-8")))
        else:
            _atomic_write(manifest, (json.dumps(self.manifest, indent=1) + "\n").encode())
        for stale in self.path.glob(".task-*.tmp"):  # a write interrupted by a kill
            stale.unlink(missing_ok=True)

    def _check_manifest(self, old):
        where = f"checkpoint {self.path}"
        fix = "Pass another checkpoint path, or delete this folder to start the sweep afresh."
        if old.get("format") != _FORMAT:
            raise ValueError(f"{where} is not a kmbook sweep checkpoint (format {old.get('format')!r}). {fix}")
        if old["func"] != self.manifest["func"] or old["func_fingerprint"] != self.manifest["func_fingerprint"]:
            raise ValueError(f"{where} was written for another function ({old['func']}, now "
                             f"{self.manifest['func']} or other arguments bound to it). {fix}")
        if old["n_tasks"] != self.manifest["n_tasks"]:
            raise ValueError(f"{where} was written for other tasks: {old['n_tasks']} tasks there, "
                             f"{self.manifest['n_tasks']} now. {fix}")
        diff = [i for i, (a, b) in enumerate(zip(old["tasks"], self.manifest["tasks"])) if a != b]
        if diff:
            raise ValueError(f"{where} was written for other tasks: task {diff[0]} differs "
                             f"({len(diff)} task(s) in all). {fix}")
        diff = [i for i, (a, b) in enumerate(zip(old["seeds"], self.manifest["seeds"])) if a != b]
        if diff:
            raise ValueError(f"{where} was written with another seed (rng): the generator of task {diff[0]} "
                             f"differs ({len(diff)} task(s) in all). {fix}")

    def _record(self, index):
        return self.path / f"task-{index:07d}.pkl"

    def load(self):
        """Return ``{index: result}`` of the tasks already done."""
        done = {}
        for file in sorted(self.path.glob("task-*.pkl")):
            with open(file, "rb") as fh:
                try:
                    rec = pickle.load(fh)
                except Exception as exc:
                    raise ValueError(f"checkpoint record {file} is unreadable ({exc}); delete it to recompute "
                                     "that task.") from exc
            i = rec.get("index") if isinstance(rec, dict) else None
            if (not isinstance(i, int) or not 0 <= i < self.manifest["n_tasks"]
                    or rec.get("task") != self.manifest["tasks"][i] or rec.get("seed") != self.manifest["seeds"][i]):
                raise ValueError(f"checkpoint record {file} does not belong to this sweep; pass another "
                                 "checkpoint path or delete the folder.")
            done[i] = rec["result"]
        return done

    def save(self, index, result):
        """Record the result of task `index` (atomically)."""
        rec = {"index": index, "task": self.manifest["tasks"][index], "seed": self.manifest["seeds"][index],
               "result": result}
        _atomic_write(self._record(index), pickle.dumps(rec, protocol=4))
