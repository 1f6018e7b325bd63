"""Work survives a crash (core/jobs.py): real worker processes are SIGKILLed, a fake platform counts.

Like test_fault_injection.py, the crashes run in a subprocess (``job_fault_worker.py``) with a database of
its own, which forked workers can see; with DATABASE_URL set it is a throwaway PostgreSQL database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

WORKER = Path(__file__).with_name("job_fault_worker.py")
KILLS = 20


def _run(scenario: str, tmp_path: Path) -> dict[str, Any]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("KOSHIKI_SQLITE_PATH", "KOSHIKI_VAR_DIR")
    }
    done = subprocess.run(
        [
            sys.executable,
            str(WORKER),
            "--scenario",
            scenario,
            "--kills",
            str(KILLS),
            "--workdir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    summary: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(summary, ensure_ascii=False))
    return summary


def test_fake_platform_worker_killed_after_claiming_20_times_then_each_post_is_published_once(
    tmp_path: Path,
) -> None:
    summary = _run("claim", tmp_path)
    assert summary["kills"] == {"after_task_claim": KILLS // 2, "after_post_claim": KILLS // 2}
    assert summary["states_after_kills"] == {"scheduled": KILLS // 2, "publishing": KILLS // 2}
    assert summary["records_after_kills"] == 0  # every worker died before the platform call
    assert summary["duplicates"] == 0 and summary["lost"] == 0
    assert summary["records"] == KILLS and summary["states"] == {"published": KILLS}
    assert not any(key.endswith(":RUNNING") for key in summary["tasks"])


def test_fake_platform_sweeper_killed_mid_run_20_times_loses_and_doubles_nothing(tmp_path: Path) -> None:
    summary = _run("sweeper", tmp_path)
    assert summary["kills"] == KILLS
    assert summary["chains_before_start"] == 1  # one waiting sweeper run, never two chains
    assert summary["applied"] == summary["changes"] == summary["applied_entries"]
    assert summary["duplicates"] == 0 and summary["lost"] == 0 and summary["stuck_states"] == {}
    assert summary["records"] == KILLS and summary["states"] == {"published": KILLS}
    assert summary["tasks"]["sweeper_task:READY"] == 1
    assert not any(key.endswith(":RUNNING") for key in summary["tasks"])
