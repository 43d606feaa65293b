"""The built book in a real browser, with no network: math typeset, images loaded, no console
errors, every table-of-contents link resolving.

Runs headless Debian Chromium through chromedriver and selenium on the HTML in ``_build/html``
(``make test-browser``; ``.ci/run`` runs it after the stored-output build). Pages are opened from
``file://`` as a reader opens them, with DNS for every host mapped to "not found" and the
DevTools network emulation set offline, so any attempt to reach the network fails the page.
Not part of ``make test``: it needs the built book and the browser.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HTML = Path(os.environ.get("KMBOOK_HTML", ROOT / "_build" / "html"))
SKIP_DIRS = {"_static", "_sources", "_images", "_sphinx_design_static"}
PAGES = sorted(p for p in HTML.rglob("*.html") if not SKIP_DIRS & set(p.relative_to(HTML).parts)) \
    if HTML.is_dir() else []

# Raw TeX delimiters that must not survive typesetting (outside code).
RAW_TEX = ("\\(", "\\)", "\\[", "\\]", "$$")

_VISIBLE_TEXT = """
const body = document.body.cloneNode(true);
body.querySelectorAll('pre, code, script, style, textarea, mjx-container, .MathJax_Preview').forEach(e => e.remove());
return body.textContent;
"""

_TYPESET = """
const done = arguments[arguments.length - 1];
if (!window.MathJax || !MathJax.startup || !MathJax.startup.promise) { done('no-mathjax'); return; }
MathJax.startup.promise.then(() => done('ok'), e => done('error: ' + e));
"""

_IMAGES = """
const done = arguments[arguments.length - 1];
const imgs = Array.from(document.images);
imgs.forEach(i => { i.loading = 'eager'; });
const t0 = Date.now();
(function poll() {
  if (imgs.every(i => i.complete) || Date.now() - t0 > 15000) {
    done(imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src')));
  } else { setTimeout(poll, 100); }
})();
"""


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = _chromium(), shutil.which("chromedriver")
    if binary is None or driver_path is None:
        pytest.fail("needs Debian's chromium and chromium-driver: apt-get install chromium chromium-driver")
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium must not try to download a driver
    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--host-resolver-rules=MAP * ~NOTFOUND",
                "--no-first-run", "--disable-extensions", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=opts, service=Service(executable_path=driver_path))
    driver.set_script_timeout(60)
    driver.set_page_load_timeout(60)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                           {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    yield driver
    driver.quit()


def test_the_book_was_built():
    assert (HTML / "index.html").is_file(), f"no built book in {HTML}: run `make book-stored` first"
    assert len(PAGES) >= 3


def _toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part.get("chapters", [])]
    return [str(Path(f).with_suffix(".html")) for f in files]


def test_every_toc_entry_was_built():
    missing = [f for f in _toc_files() if not (HTML / f).is_file()]
    assert not missing, f"pages of _toc.yml missing from the build: {missing}"


def _page_id(path):
    return str(path.relative_to(HTML))


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_page_renders_offline(browser, page):
    browser.get_log("browser")  # drop what earlier pages left
    browser.get(page.as_uri())
    problems = []

    # math: every math element typeset by MathJax, no raw TeX left, no TeX errors
    n_math = browser.execute_script("return document.querySelectorAll('.math, span.math, div.math').length")
    state = browser.execute_async_script(_TYPESET)
    if n_math:
        if state != "ok":
            problems.append(f"MathJax did not typeset the page's {n_math} formula(s): {state}")
        n_mjx = browser.execute_script("return document.querySelectorAll('mjx-container').length")
        if n_mjx < n_math:
            problems.append(f"{n_math} math elements but only {n_mjx} typeset (mjx-container)")
        n_err = browser.execute_script("return document.querySelectorAll('mjx-merror').length")
        if n_err:
            problems.append(f"{n_err} formula(s) with TeX errors (mjx-merror)")
    text = browser.execute_script(_VISIBLE_TEXT)
    for delim in RAW_TEX:
        at = text.find(delim)
        if at >= 0:
            problems.append(f"raw TeX {delim!r} in the text: ...{text[max(0, at - 40):at + 40]!r}...")

    # images: every <img> loaded with a size
    broken = browser.execute_async_script(_IMAGES)
    if broken:
        problems.append(f"images that did not load: {broken}")

    # console: no errors (a blocked network request, a script error, a missing file)
    errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    if errors:
        problems.append(f"console errors: {errors}")

    # the table of contents: the sidebar lists every page of _toc.yml, and every link of the sidebar,
    # the page's own contents and the prev/next buttons resolves to a file and an anchor
    sidebar = browser.execute_script(
        "return Array.from(document.querySelectorAll('nav.bd-docs-nav a, a.navbar-brand')).map(a => a.href)")
    root = HTML.resolve()
    targets = [Path(unquote(urlsplit(h).path)).resolve() for h in sidebar if h.startswith("file:")]
    listed = {str(t.relative_to(root)) for t in targets if t.is_relative_to(root)}
    missing = [f for f in _toc_files() if f not in listed and f != _page_id(page)]
    if missing:
        problems.append(f"the sidebar does not list these pages of _toc.yml: {missing}")
    hrefs = browser.execute_script("""
        return Array.from(document.querySelectorAll(
            'nav.bd-docs-nav a, a.navbar-brand, .bd-toc-nav a, .page-toc a, .prev-next-area a, .toctree-wrapper a'))
          .map(a => a.href).filter(h => h.startsWith('file:'));""")
    for href in sorted(set(hrefs)):
        parts = urlsplit(href)
        target = Path(unquote(parts.path))
        if not target.is_file():
            problems.append(f"toc link to a missing page: {href}")
        elif parts.fragment and not _has_anchor(target, unquote(parts.fragment)):
            problems.append(f"toc link to a missing anchor: {href}")
    assert not problems, f"{_page_id(page)}:\n  " + "\n  ".join(problems)


_ANCHORS = {}


def _has_anchor(path, fragment):
    if path not in _ANCHORS:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        _ANCHORS[path] = {t.get("id") for t in soup.find_all(id=True)} | {t.get("name") for t in soup.find_all("a")}
    return fragment in _ANCHORS[path]
