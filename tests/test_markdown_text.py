"""Chapter sources hold no control characters: a LaTeX command written from a non-raw
Python string (``"\\rangle"``, ``"\\bar"``, ``"\\text"``) turns into CR, backspace or TAB."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "book").rglob("*.md"))
# every C0 control character except the newline; TAB, BS, FF and CR are the usual culprits
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")


def control_characters(text):
    """(line number, repr of the character) for each control character in ``text``."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        found.extend((number, repr(m.group())) for m in CONTROL.finditer(line))
    return found


def test_the_scan_sees_the_corruptions():
    corrupted = "$\\langle x, w" + "\rangle$ and $" + "\bar X$ and $t_{" + "\text{nec}}$\f"
    assert [c for _, c in control_characters(corrupted)] == [
        repr("\r"), repr("\b"), repr("\t"), repr("\f")]
    assert control_characters("$\\langle x, w\\rangle$ and $\\bar X$\n") == []


def test_there_are_sources_to_scan():
    assert len(SOURCES) > 5


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_control_characters_in_book_markdown(path):
    text = path.read_bytes().decode("utf-8")
    assert control_characters(text) == [], f"{path.relative_to(ROOT)}: (line, char)"
