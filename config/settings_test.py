"""The test suite's settings: the real ones, with a fast password hasher (hash strength is not under test)."""

import atexit
import shutil
import tempfile
from pathlib import Path

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Uploaded and printed files of a test run go to a directory of their own (one per xdist worker), removed
# when the run ends: a suite that writes notices, filings and handovers leaves nothing on the disk.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="shequ-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
