"""Module-level task functions for the sweep tests (picklable, importable by subprocesses)."""

import os
import time
from pathlib import Path


def draw_mean(task, rng):
    """Mean of ``task["n"]`` normal draws around ``task["loc"]``."""
    return round(float(rng.normal(loc=task["loc"], size=task["n"]).mean()), 12)


def slow_logged(task, rng):
    """Log that the task started (a file in ``task["log"]``), sleep, return a draw."""
    Path(task["log"], f"start-{task['i']:03d}-{os.getpid()}").touch()
    time.sleep(task["sleep"])
    return (task["i"], float(rng.random()))


def fails_on_three(task, rng):
    if task["i"] == 3:
        raise ZeroDivisionError("task three divides by zero")
    time.sleep(task.get("sleep", 0.0))
    return task["i"] + float(rng.random())
