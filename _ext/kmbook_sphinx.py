"""Local Sphinx extension of the book.

``KMBOOK_BOOK_EXECUTE=off`` makes the build render the outputs stored in the
``.ipynb`` files (which ``make test`` has just re-executed and compared with
nbval) instead of executing the notebooks a second time. Any other value, or
none, keeps the execution mode of ``_config.yml`` (notebooks are executed).
Executed notebooks inherit ``KMBOOK_PROGRESS=0`` so no progress bar timings
reach the HTML.

Scripts. Jupyter Book adds every ``.js`` file under ``_static`` to every page;
the vendored MathJax (``_static/mathjax``) must be loaded only by
``sphinx.ext.mathjax`` (deferred, after its configuration, on pages with math),
so it is taken out of ``html_js_files``. Some extensions (sphinx-thebe,
sphinx-togglebutton) register their inline configuration scripts twice, which
the browser reports as "Identifier ... has already been declared"; each page
keeps the first copy of a repeated script. ``browser_tests/`` checks both.
"""

import os


def _set_execution_mode(app, config):
    mode = os.environ.get("KMBOOK_BOOK_EXECUTE", "").strip().lower()
    if mode == "off":
        config.nb_execution_mode = "off"
    elif mode:
        raise ValueError(f"KMBOOK_BOOK_EXECUTE must be 'off' or unset; got {mode!r}.")


def _drop_vendored_mathjax(app, config):
    config.html_js_files = [f for f in config.html_js_files
                            if not str(f[0] if isinstance(f, (tuple, list)) else f).startswith("mathjax/")]


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for js in scripts:
        # an inline script is registered once with filename None and once with "": same script
        key = (getattr(js, "filename", str(js)) or "",
               tuple(sorted((k, str(v)) for k, v in getattr(js, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    scripts[:] = unique


def setup(app):
    os.environ.setdefault("KMBOOK_PROGRESS", "0")
    app.connect("config-inited", _set_execution_mode, priority=900)
    app.connect("config-inited", _drop_vendored_mathjax, priority=900)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
