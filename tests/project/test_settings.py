"""Production configuration (issue #10 §5): refuse to start without keys, pass `check --deploy`,
create files no one else can read. Each test runs Koshiki in a fresh subprocess with a clean
environment, so the test process's own (local) settings prove nothing."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

SRC = Path(__file__).resolve().parents[2] / "src"
SECRET = "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH"  # 64 chars, many distinct


def _koshiki(
    args: list[str], env: dict[str, str], cwd: Path, umask: int = 0o022
) -> subprocess.CompletedProcess[str]:
    """Run `koshiki ...` as an operator would, with only ``env`` (plus PATH and the code's path)."""
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "koshiki.project.settings",
        "HOME": str(cwd),
    }
    code = f"import os, sys; os.umask({umask}); from koshiki.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**base, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _production_env(tmp_path: Path) -> dict[str, str]:
    return {
        "KOSHIKI_SECRET_KEY": SECRET,
        "KOSHIKI_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "KOSHIKI_ALLOWED_HOSTS": "koshiki.city.example.lg.jp",
        "DATABASE_URL": "postgres://koshiki:pw@127.0.0.1:5432/koshiki",
        "KOSHIKI_VAR_DIR": str(tmp_path / "var"),
    }


def test_deploy_check_passes_with_the_documented_variables(tmp_path: Path) -> None:
    done = _koshiki(
        ["manage", "check", "--deploy", "--fail-level", "WARNING"], _production_env(tmp_path), tmp_path
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_production_is_the_default_and_refuses_to_start_without_the_secret_key(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    del env["KOSHIKI_SECRET_KEY"]
    done = _koshiki(["manage", "check"], env, tmp_path)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and "KOSHIKI_SECRET_KEY" in done.stderr
    assert "koshiki keys generate" in done.stderr  # how to make one
    assert not (tmp_path / "var" / "secret_key").exists()  # nothing generated silently


def test_production_refuses_to_start_without_the_encryption_key(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    del env["KOSHIKI_ENCRYPTION_KEY"]
    done = _koshiki(["manage", "check"], env, tmp_path)
    assert done.returncode != 0
    assert "KOSHIKI_ENCRYPTION_KEY" in done.stderr and "koshiki keys generate" in done.stderr
    assert not (tmp_path / "var" / "encryption_key").exists()


def test_a_malformed_encryption_key_is_refused_by_name(tmp_path: Path) -> None:
    env = {**_production_env(tmp_path), "KOSHIKI_ENCRYPTION_KEY": "not-a-fernet-key"}
    done = _koshiki(["manage", "check"], env, tmp_path)
    assert done.returncode != 0 and "KOSHIKI_ENCRYPTION_KEY" in done.stderr


def test_debug_outside_local_mode_is_refused(tmp_path: Path) -> None:
    env = {**_production_env(tmp_path), "KOSHIKI_DEBUG": "1"}
    done = _koshiki(["manage", "check"], env, tmp_path)
    assert done.returncode != 0 and "KOSHIKI_DEBUG" in done.stderr


def test_local_mode_generates_keys_and_creates_files_only_the_owner_can_read(tmp_path: Path) -> None:
    var = tmp_path / "var"
    done = _koshiki(
        ["manage", "migrate", "--noinput"], {"KOSHIKI_ENV": "local", "KOSHIKI_VAR_DIR": str(var)}, tmp_path
    )
    assert done.returncode == 0, done.stderr
    files = [var / "secret_key", var / "encryption_key", var / "koshiki.sqlite3"]
    files += [path for path in var.glob("koshiki.sqlite3-*")]  # -wal / -shm while open
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(var.stat().st_mode) == 0o700


def test_local_mode_tightens_a_key_file_left_readable_by_an_older_version(tmp_path: Path) -> None:
    var = tmp_path / "var"
    var.mkdir()
    (var / "secret_key").write_text("x" * 60)
    (var / "secret_key").chmod(0o644)
    done = _koshiki(["manage", "check"], {"KOSHIKI_ENV": "local", "KOSHIKI_VAR_DIR": str(var)}, tmp_path)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE((var / "secret_key").stat().st_mode) == 0o600


def test_an_export_written_with_o_is_readable_by_the_owner_only(tmp_path: Path) -> None:
    var = tmp_path / "var"
    env = {"KOSHIKI_ENV": "local", "KOSHIKI_VAR_DIR": str(var)}
    assert _koshiki(["manage", "migrate", "--noinput"], env, tmp_path).returncode == 0
    assert (
        _koshiki(
            ["org", "create", "--lgcode", "012165", "--name", "芦別市", "--profile", "ashibetsu"],
            env,
            tmp_path,
        ).returncode
        == 0
    )
    out = tmp_path / "daicho.csv"
    done = _koshiki(
        ["registry", "export", "--org", "012165", "--format", "csv", "-o", str(out)], env, tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
