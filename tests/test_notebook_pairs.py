"""Every chapter is a MyST .md paired with an executed .ipynb whose cells match it.

The .md is the source a developer edits; the .ipynb stores the executed
outputs that nbval re-checks and the book renders. A pair is out of sync when
the cell types or sources differ; a chapter is incomplete when its .ipynb is
missing, has unexecuted code cells, was not run top to bottom in one kernel,
or has no outputs at all. Refresh with `make notebooks NB=<chapter>.md`.
"""

from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"


def _is_paired_md(path):
    head = path.read_text(encoding="utf-8")[:2000]
    return head.startswith("---") and "format_name: myst" in head


CHAPTERS = sorted(p for p in BOOK.rglob("*.md") if _is_paired_md(p))
NOTEBOOKS = sorted(p for p in BOOK.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def _cells(nb):
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


def _rel(path):
    return str(path.relative_to(ROOT))


def test_book_has_chapters():
    assert CHAPTERS, "no paired MyST chapter found under book/"


@pytest.mark.parametrize("md", CHAPTERS, ids=_rel)
def test_chapter_has_executed_twin_in_sync(md):
    ipynb = md.with_suffix(".ipynb")
    assert ipynb.exists(), f"{_rel(md)} has no paired {ipynb.name}: run `make notebooks NB={_rel(md)}`"
    text_nb = jupytext.read(md)
    stored = nbformat.read(ipynb, as_version=4)
    a, b = _cells(text_nb), _cells(stored)
    for i, (ca, cb) in enumerate(zip(a, b)):
        assert ca == cb, (
            f"{_rel(md)} and {ipynb.name} differ at cell {i}:\n--- md ---\n{ca[1][:400]}\n"
            f"--- ipynb ---\n{cb[1][:400]}\n"
            f"Refresh with `make notebooks NB={_rel(md)}`."
        )
    assert len(a) == len(b), f"{_rel(md)} has {len(a)} cells but {ipynb.name} has {len(b)}"
    for i, (kind, source) in enumerate(a):
        # A directive fence whose title holds backticks (e.g. a {cite:t} role) does not open in
        # CommonMark, and jupytext then swallows the following code cells into markdown.
        assert not (kind == "markdown" and "{code-cell}" in source), (
            f"{_rel(md)}: cell {i} is markdown but contains a code cell; a fence above it did not "
            "parse (use ':::{prf:...}' colon fences for directives whose title has roles/backticks)"
        )
    code = [c for c in stored.cells if c.cell_type == "code"]
    assert code, f"{_rel(md)} has no code cell: a chapter computes something"
    counts = [c.get("execution_count") for c in code]
    assert all(c is not None for c in counts), f"{ipynb.name} has unexecuted code cells"
    assert counts == list(range(1, len(code) + 1)), (
        f"{ipynb.name} was not executed top to bottom in one fresh kernel (execution counts {counts})"
    )
    assert any(c.get("outputs") for c in code), f"{ipynb.name} holds no outputs"
    for c in code:
        for out in c.get("outputs", []):
            assert out.get("output_type") != "error", f"{ipynb.name} stores an error output"


@pytest.mark.parametrize("ipynb", NOTEBOOKS, ids=_rel)
def test_every_notebook_has_its_md(ipynb):
    md = ipynb.with_suffix(".md")
    assert md.exists() and _is_paired_md(md), f"{_rel(ipynb)} has no paired MyST .md (the source of truth)"


def _toc_files(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("file", "root"):
                yield value
            else:
                yield from _toc_files(value)
    elif isinstance(node, list):
        for item in node:
            yield from _toc_files(item)


def test_toc_lists_every_chapter_by_its_notebook():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    listed = {ROOT / f for f in _toc_files(toc)}
    for f in listed:
        assert f.exists(), f"_toc.yml lists {_rel(f)}, which does not exist (give the extension explicitly)"
        if f.suffix == ".md":
            assert not _is_paired_md(f), f"_toc.yml lists the paired text {_rel(f)}; list {f.stem}.ipynb instead"
    for md in CHAPTERS:
        assert md.with_suffix(".ipynb") in listed, f"chapter {_rel(md)} is missing from _toc.yml"
