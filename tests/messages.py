"""Compile the translations (.po → .mo) when a .mo is missing or older than its .po.

The Japanese-text tests need the compiled catalogue; `make test` compiles it, but a bare `pytest`
in a fresh checkout did not and failed confusingly. tests/conftest.py calls this at session start.
msgfmt (gettext) is used when installed, else polib (a dev dependency); the file is written to a
temporary name and renamed, so two runs at once never read half a catalogue.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parents[1] / "src" / "koshiki" / "locale"


def _compile(po: Path, mo: Path) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=".django-", suffix=".mo", dir=mo.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        msgfmt = shutil.which("msgfmt")
        if msgfmt:
            done = subprocess.run(
                [msgfmt, "--check-format", "-o", str(tmp), str(po)],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode:
                raise RuntimeError(f"msgfmt could not compile {po}: {done.stderr.strip()}")
        else:
            import polib

            polib.pofile(str(po)).save_as_mofile(str(tmp))
        tmp.chmod(0o644)
        os.replace(tmp, mo)
    finally:
        tmp.unlink(missing_ok=True)


def ensure_compiled(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every stale or missing catalogue under ``locale_dir``; returns the .mo files written."""
    written = []
    for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            _compile(po, mo)
            written.append(mo)
    return written
