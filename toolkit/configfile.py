"""Settings from TOML: ``--config FILE``, or ``[tool.wirecheck]`` in ./pyproject.toml.

Keys are the command's long option names (``fail-on`` or ``fail_on``); the options given on
the command line override them. Per-command tables (``[tool.wirecheck.ingest]``) override the
shared ones for that command.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    pass


def read_table(path: Path, command: str) -> dict[str, Any]:
    """The settings for ``command`` in ``path`` (a pyproject's ``[tool.wirecheck]`` or a whole file)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    if path.name == "pyproject.toml" or "tool" in data:
        data = (data.get("tool") or {}).get("wirecheck") or {}
    shared = {k: v for k, v in data.items() if not isinstance(v, dict)}
    own: dict[str, Any] = data[command] if isinstance(data.get(command), dict) else {}
    return {**shared, **own}


def to_default_map(table: dict[str, Any], options: dict[str, str], where: str) -> dict[str, Any]:
    """``table`` keyed by the command's parameter names. ``options``: long option name → parameter name."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        name = options.get(key.replace("_", "-").lower())
        if name is None:
            known = ", ".join(sorted(options))
            raise ConfigError(f"{where}: unknown setting {key!r} (known: {known})")
        out[name] = value
    return out


def discover(cwd: Path | None = None) -> Path | None:
    """./pyproject.toml when it has a ``[tool.wirecheck]`` table."""
    p = (cwd or Path.cwd()) / "pyproject.toml"
    if not p.is_file():
        return None
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    return p if "wirecheck" in (data.get("tool") or {}) else None
