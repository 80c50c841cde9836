from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEEDS = ROOT / "seeds"


def wirecheck_cmd() -> list[str]:
    exe = shutil.which("wirecheck", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "toolkit"]


# Linux gives a process the parent's high-water RSS when it execs (the fork's copy of the parent's
# pages counts), so wait4 on a child of a 1 GB pytest worker reports 1 GB whatever the child did.
# A small launcher execs first; its child, the command measured, starts from the launcher's pages.
_LAUNCHER = """import os, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(args: list[str], tmp: Path) -> tuple[int, int]:
    """(exit code, peak RSS in KB) of ``wirecheck *args`` as a process of its own."""
    rss = tmp / "peak-rss"
    proc = subprocess.run([sys.executable, "-c", _LAUNCHER, str(rss), *wirecheck_cmd(), *args], check=False)
    return proc.returncode, int(rss.read_text())


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [*wirecheck_cmd(), *args], input=stdin, capture_output=True, cwd=cwd, env=env, timeout=600, check=False
    )


@pytest.fixture
def cli():  # type: ignore[no-untyped-def]
    return run_cli


def require(tool: str, what: str) -> str:
    """The path of a system program the test needs. Missing, it is a failure: a run that did
    not test the browser report or the Redis index must not pass as if it had. Set
    ``WIRECHECK_SKIP_SYSTEM=1`` to skip these tests on purpose (the README says when)."""
    path = shutil.which(tool) or (f"/usr/bin/{tool}" if Path(f"/usr/bin/{tool}").exists() else None)
    if path is None:
        if os.environ.get("WIRECHECK_SKIP_SYSTEM") == "1":
            pytest.skip(f"{tool} is not installed ({what}); skipped as WIRECHECK_SKIP_SYSTEM=1 asks")
        pytest.fail(f"{tool} is not installed ({what}): apt-get install {tool}, or set WIRECHECK_SKIP_SYSTEM=1 "
                    "to skip the tests that need it")  # fmt: skip
    return path


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def redis_url(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real redis-server on a random loopback port, no persistence, stopped after the test."""
    import time

    exe = require("redis-server", "the shared index's tests")
    port = free_port()
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail("redis-server did not start")
    yield f"redis://127.0.0.1:{port}/0"
    client.close()
    proc.terminate()
    proc.wait(timeout=10)
