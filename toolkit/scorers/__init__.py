"""Artefact scorers: one module per family, rule data in ``toolkit/data/``.

Each scorer reads a :class:`~toolkit.scorers.base.Context` (one document's text, its
language, the story it belongs to) and returns findings; it never decides what happens to
the document (gates do that, from the quality score).
"""
