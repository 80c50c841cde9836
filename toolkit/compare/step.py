"""Pipeline step: every story cluster with more than one version gets compared to its canonical one."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from toolkit.document import Document, Finding


def _lines(text: str) -> frozenset[str]:
    return frozenset(" ".join(x.split()) for x in text.split("\n") if x.strip())


class CompareVersions:
    """Align each member of a multi-version cluster with the canonical version and add the
    bilingual findings to both (``evidence.compared_with`` names the other version)."""

    name = "compare"

    def __init__(self, batch: int = 1000, max_versions: int = 8, copy_lines: int = 2) -> None:
        self.batch = batch
        self.max_versions = max_versions  # members compared per cluster (the most different first)
        self.copy_lines = copy_lines  # a member differing by this few lines is a copy: nothing to align

    def __call__(self, docs: Iterable[Document]) -> Iterator[Document]:
        buf: list[Document] = []
        for doc in docs:
            buf.append(doc)
            if len(buf) >= self.batch:
                yield from self._batch(buf)
                buf = []
        yield from self._batch(buf)

    def _batch(self, docs: list[Document]) -> Iterator[Document]:
        from toolkit.compare.core import compare

        clusters: dict[str, list[Document]] = {}
        for d in docs:
            if d.ok and d.cluster is not None:
                clusters.setdefault(d.cluster.id, []).append(d)
        for members in clusters.values():
            if len(members) < 2:
                continue
            canon = next((m for m in members if m.cluster is not None and m.cluster.canonical), members[0])
            base = _lines(canon.text)
            # copy-paste republications (a changed line or two) carry nothing to compare; the
            # rest are taken most different first, up to the cap, in a deterministic order
            versions = sorted(
                ((len(base ^ _lines(m.text)), m.id, m) for m in members if m is not canon),
                key=lambda t: (-t[0], t[1]),
            )
            chosen = [m for diff, _, m in versions if diff > self.copy_lines][: self.max_versions]
            for other in chosen:
                res = compare(canon.text, other.text, canon.lang, other.lang)
                canon.cache.setdefault("comparisons", []).append((other.id, res))
                for side, f in res.findings:
                    target, with_id = (canon, other.id) if side == "src" else (other, canon.id)
                    target.add(Finding(f.code, f.category, f.severity, f.start, f.end, f.text, f.message, f.fix,
                                       {**f.evidence, "compared_with": with_id}))  # fmt: skip
        yield from docs
