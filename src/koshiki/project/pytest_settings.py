"""Settings for the test suite: always local mode (keys under KOSHIKI_VAR_DIR, plain HTTP).

pytest-django imports settings before any conftest runs, so the mode is set here; it is written to
os.environ so that `koshiki` subprocesses started by tests are local too.
"""

import os

os.environ["KOSHIKI_ENV"] = "local"

from koshiki.project.settings import *  # noqa: E402,F403
