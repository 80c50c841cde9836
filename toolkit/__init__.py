"""wirecheck: translation-quality checks and story deduplication for news feeds.

The public API is re-exported lazily so that ``import toolkit`` (and ``wirecheck --help``)
stays fast; heavy libraries load only when a stage runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from toolkit.version import __version__

__all__ = [
    "Document",
    "Finding",
    "Pipeline",
    "RunConfig",
    "Severity",
    "__version__",
    "read_inputs",
    "run",
]

if TYPE_CHECKING:
    from toolkit.config import RunConfig
    from toolkit.document import Document, Finding, Severity
    from toolkit.io.readers import read_inputs
    from toolkit.pipeline import Pipeline, run

_LAZY = {
    "Document": "toolkit.document",
    "Finding": "toolkit.document",
    "Severity": "toolkit.document",
    "RunConfig": "toolkit.config",
    "Pipeline": "toolkit.pipeline",
    "run": "toolkit.pipeline",
    "read_inputs": "toolkit.io.readers",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
