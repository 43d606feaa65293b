"""The API reference page lists every public module of the package (the lazy namespace's homes)."""

import pathlib

import kmbook

API = pathlib.Path(__file__).resolve().parents[1] / "book" / "appendix" / "api.md"


def test_every_public_module_is_on_the_api_page():
    text = API.read_text()
    missing = [m for m in kmbook._HOMES if f".. automodule:: kmbook.{m}\n" not in text]
    assert not missing, f"add these modules to book/appendix/api.md: {missing}"
