"""Local Sphinx extension of the book.

``KMBOOK_BOOK_EXECUTE=off`` makes the build render the outputs stored in the
``.ipynb`` files (which ``make test`` has just re-executed and compared with
nbval) instead of executing the notebooks a second time. Any other value, or
none, keeps the execution mode of ``_config.yml`` (notebooks are executed).
Executed notebooks inherit ``KMBOOK_PROGRESS=0`` so no progress bar timings
reach the HTML.
"""

import os


def _set_execution_mode(app, config):
    mode = os.environ.get("KMBOOK_BOOK_EXECUTE", "").strip().lower()
    if mode == "off":
        config.nb_execution_mode = "off"
    elif mode:
        raise ValueError(f"KMBOOK_BOOK_EXECUTE must be 'off' or unset; got {mode!r}.")


def setup(app):
    os.environ.setdefault("KMBOOK_PROGRESS", "0")
    app.connect("config-inited", _set_execution_mode, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
