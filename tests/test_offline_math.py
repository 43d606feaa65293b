"""The book's math renders offline: MathJax 3 is served from _static, intact, never from a CDN."""

import hashlib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
MATHJAX = ROOT / "_static" / "mathjax"


def test_config_points_mathjax_at_the_vendored_copy():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    path = config["sphinx"]["config"]["mathjax_path"]
    assert "://" not in path and not path.startswith("//"), "mathjax_path must not be a URL"
    assert (ROOT / "_static" / path).is_file()
    assert (MATHJAX / "output" / "chtml" / "fonts" / "woff-v2" / "MathJax_Main-Regular.woff").is_file()


def test_vendored_files_match_their_checksums():
    listed = {}
    for line in (MATHJAX / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        listed[name.removeprefix("./")] = digest
    present = {str(p.relative_to(MATHJAX)) for p in MATHJAX.rglob("*") if p.is_file()} - {"SHA256SUMS", "PROVENANCE.md"}
    assert present == set(listed)
    for name, digest in listed.items():
        assert hashlib.sha256((MATHJAX / name).read_bytes()).hexdigest() == digest, name
    assert "3.2.2" in (MATHJAX / "PROVENANCE.md").read_text()
