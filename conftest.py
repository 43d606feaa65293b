"""Test-session settings shared by the unit tests and nbval.

nbval starts its kernels from this process, so the variables set here reach
every notebook: no progress bars (their timings vary), caches inside the
workspace.
"""

import os

os.environ.setdefault("KMBOOK_PROGRESS", "0")
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
