"""The ``wirecheck`` command: a thin typer layer over the Python API.

One module a command family (:mod:`.runs`: run, ingest, dedup, score; :mod:`.pairs`: align,
compare; :mod:`.admin`: report, index, version), shared options in :mod:`.base`, the run
itself in :mod:`.execute`, what is printed in :mod:`.render`. Only typer is imported at
start-up: every command imports what it needs when it runs, so ``wirecheck --help`` answers
at once. Records go to stdout or files; messages and progress go to stderr.
"""

from __future__ import annotations

import sys

# each module registers its commands on the app, in the order --help lists them
# isort: off
from toolkit.cli import runs  # noqa: F401
from toolkit.cli import pairs  # noqa: F401
from toolkit.cli import admin  # noqa: F401
# isort: on

from toolkit.cli.base import EXIT_GATE, EXIT_INPUT, EXIT_PIPE, app, say

__all__ = ["app", "main"]


def main() -> None:
    """The console script's entry point."""
    try:
        app()
    except OSError as exc:
        # A path the system refused (an output under a file, a read-only folder, a full disk):
        # the user's to fix, so a usage/input error and not a traceback with exit 1, which
        # would read as a failed quality gate.
        where = f"{exc.filename}: " if exc.filename else ""
        say(f"wirecheck: {where}{exc.strerror or exc}")
        raise SystemExit(EXIT_INPUT) from None
    except SystemExit as exc:
        # click (typer's vendored copy) ends a broken pipe (`wirecheck run --format jsonl | head`)
        # quietly but with 1, the gate's code, after wrapping the standard streams in its
        # PacifyFlushWrapper so that exit flushes say nothing: that wrapper tells the two apart
        if exc.code == EXIT_GATE and type(sys.stdout).__name__ == "PacifyFlushWrapper":
            raise SystemExit(EXIT_PIPE) from None
        raise
