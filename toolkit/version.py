"""The package version (read by the build backend and recorded in every output's parameters)."""

__version__ = "0.1.0"
