"""Tests of the top-level namespace: complete (every public name of every module), lazy, cvxpy-free."""

import importlib
import pkgutil
import subprocess
import sys

import pytest

import kmbook

MODULES = sorted(m.name for m in pkgutil.iter_modules(kmbook.__path__) if not m.name.startswith("_"))
NAMED_LIKE_A_MODULE = {"lloyd", "clusterability"}


def test_every_public_module_is_mapped():
    assert sorted(kmbook._HOMES) == MODULES


@pytest.mark.parametrize("module", MODULES)
def test_every_public_name_resolves_from_the_package(module):
    mod = importlib.import_module(f"kmbook.{module}")
    for name in mod.__all__:
        if name in NAMED_LIKE_A_MODULE:
            continue
        assert getattr(kmbook, name) is getattr(mod, name), f"kmbook.{name} is not kmbook.{module}.{name}"
        assert name in kmbook.__all__ and name in dir(kmbook)


def test_names_named_like_their_module():
    from kmbook.lloyd import lloyd

    assert kmbook.lloyd is lloyd  # the function, as before the namespace became lazy
    with pytest.raises(AttributeError, match="no attribute 'not_a_name'"):
        kmbook.not_a_name


def test_import_is_lazy_and_loads_neither_cvxpy_nor_matplotlib():
    code = (
        "import sys, kmbook; "
        "print(sorted(m for m in ('cvxpy', 'matplotlib', 'kmbook.sdp', 'kmbook.plotting') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
