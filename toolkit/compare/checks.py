"""Bilingual checks on aligned sentence pairs, in the style of translator QA tools
(Xbench, pofilter's ideas; no code of theirs): numbers, names, source forms, dropped names,
false friends, untranslated copies, quotations. Each returns ``(side, code, message, fix,
start, end)`` tuples (:data:`Issue`) with offsets inside the sentence of that side; each
family lives in its own module and ``PAIR_CHECKS`` lists them in the order they run."""

from __future__ import annotations

from toolkit.compare.names import check_names
from toolkit.compare.numbers import check_numbers
from toolkit.compare.sources import check_dropped_names, check_source_forms, document_names
from toolkit.compare.terms import check_copy, check_false_friends, check_quotes
from toolkit.compare.words import Issue

__all__ = [
    "PAIR_CHECKS",
    "Issue",
    "check_copy",
    "check_dropped_names",
    "check_false_friends",
    "check_names",
    "check_numbers",
    "check_quotes",
    "check_source_forms",
    "document_names",
]

PAIR_CHECKS = (
    check_numbers,
    check_names,
    check_source_forms,
    check_dropped_names,
    check_false_friends,
    check_copy,
    check_quotes,
)
