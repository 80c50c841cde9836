"""The tokeniser's compiled pass: the ahead-of-time module equals numba's run-time compilation,
and a process that cannot build it still runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import numpy as np
import pytest
from conftest import SEEDS

from toolkit.dedup import scan as scan_mod
from toolkit.dedup.arrays import PAD, buffers, scan_tables

TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] + [
    "Путин и Ελλάδα, NATO et НАТО. मोदी ने कहा। « Oui » ¿Qué? 3,5 € et 1 200 000 ₹\u2028ligne",
    "",
    "x" * 5000,
]


# the ahead-of-time build needs a C compiler (numba's pycc drives it); without one the run-time
# compiler is used, which the other tests cover
needs_compiler = pytest.mark.skipif(
    shutil.which("cc") is None or not (Path(sysconfig.get_paths()["include"]) / "Python.h").is_file(),
    reason="no C compiler or no Python headers",
)


def _scan_with(fn: object) -> list[np.ndarray]:
    orig, low = buffers(TEXTS)
    size = len(orig) - PAD
    need = size // 2 + 1
    types = (np.int64, np.int64, np.uint64, np.int64, np.int64, np.uint8, np.int64)
    bufs = [np.zeros(need, dtype=t) for t in types] + [np.zeros(2 * need, dtype=np.uint64)]
    n, lines = fn(orig, low, size, *scan_tables(), *bufs)  # type: ignore[operator]
    return [b[:n] for b in bufs[:-1]] + [bufs[-1][:lines]]


@needs_compiler
def test_ahead_of_time_kernel_equals_the_run_time_compiler(tmp_path: Path, monkeypatch: object) -> None:
    from numba import njit

    monkeypatch.setenv("WIRECHECK_CACHE", str(tmp_path))  # type: ignore[attr-defined]
    compiled = scan_mod._load_compiled()
    assert compiled is not None, "the ahead-of-time build failed"
    assert list(tmp_path.glob("scan-kernel-*"))  # stored in the cache
    jit = njit(cache=False)(scan_mod._scan)
    got, want = _scan_with(compiled), _scan_with(jit)
    assert len(got[0]) > 1000
    for a, b in zip(got, want, strict=True):
        assert np.array_equal(a, b)


@needs_compiler
def test_dedup_runs_without_numba_once_built_and_with_an_unwritable_cache(tmp_path: Path) -> None:
    feed = tmp_path / "in.jsonl"
    feed.write_text('{"id": "a", "text": "Le président a parlé hier soir à Paris devant la presse."}\n')
    code = (
        "import sys; from toolkit.cli import main\n"
        f"sys.argv = ['wirecheck', 'dedup', {str(feed)!r}, '--format', 'jsonl', '-o', '-', '-q']\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "print('numba' in sys.modules)\n"
    )
    cache = tmp_path / "cache"
    runs = []
    for where in (cache, cache, tmp_path / "file-not-dir" / "x"):
        env = {**os.environ, "WIRECHECK_CACHE": str(where)}
        (tmp_path / "file-not-dir").write_text("a file where the cache folder should be")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        runs.append(out.stdout.splitlines())
    # the first run builds the module (numba imported), the second loads it without numba;
    # a cache that cannot be written falls back to numba's compiler with the same records
    assert runs[0][-1] == "True" and runs[1][-1] == "False" and runs[2][-1] == "True"
    assert runs[0][:-1] == runs[1][:-1] == runs[2][:-1]
