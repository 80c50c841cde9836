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


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [*wirecheck_cmd(), *args], input=stdin, capture_output=True, cwd=cwd, env=env, timeout=600, check=False
    )


@pytest.fixture
def cli():  # type: ignore[no-untyped-def]
    return run_cli
