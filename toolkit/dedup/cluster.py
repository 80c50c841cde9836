"""Candidate search (datasketch MinHashLSH), verification, union-find clusters.

Scores and decisions are kept apart: every verified pair carries its scores in the
cluster evidence; thresholds in :class:`DedupConfig` decide which pairs join.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from toolkit.dedup.candidates import chrome_lines, exact_pairs, lsh_pairs, story_candidates
from toolkit.dedup.features import features_batch
from toolkit.dedup.minhash import signatures
from toolkit.dedup.params import DedupConfig
from toolkit.dedup.verify import Edge, Sentences, confirm, one_story, sentence_coverage, verify_copy, verify_pair
from toolkit.document import ClusterInfo, Document
from toolkit.hashing import stable_hex
from toolkit.index import Entry
from toolkit.index.core import band_keys
from toolkit.text.mt_label import is_machine_translated
from toolkit.text.normalize import norm_of


class UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the root is the member seen first, so ids follow input order
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


def cluster_documents(docs: list[Document], config: DedupConfig | None = None) -> list[Edge]:
    """Cluster accepted documents in place (``doc.cluster``); returns the verified edges."""

    cfg = config or DedupConfig()
    live = [d for d in docs if d.ok]
    texts = [norm_of(d).text for d in live]
    langs = [d.lang for d in live]
    if live and all(d.features is not None for d in live):
        # computed where the document was prepared (a worker of a distributed run): the same
        # function of the same text, so the clusters are those of a run in one process
        feats = [d.features for d in live]
    else:
        feats = features_batch(texts, langs)
    n = len(live)
    for d, f in zip(live, feats, strict=True):
        d.features = None  # used up: the signatures and edges below are what is kept
        d.body_words = f.words
    # Pass 1: near-verbatim copies only. Their families tell story lines from page chrome:
    # a short line is chrome when it stands in documents of several different families.

    copy_sets = [f.copy_items for f in feats]
    copy_sigs = signatures(copy_sets, cfg.num_perm, cfg.seed)
    for i, d in enumerate(live):
        # kept for the "seen before" index: a document is remembered by its copy signature
        d.copy_sig = copy_sigs[i]
        d.copy_size = len(feats[i].copy) if len(copy_sets[i]) >= cfg.min_shingles else 0
    copy_pairs = lsh_pairs(copy_sets, cfg.lsh_copy, cfg, copy_sigs) | exact_pairs([f.exact for f in feats])
    uf = UnionFind(n)
    copy_edges = _connect(copy_pairs, uf, lambda p: verify_copy(p, feats, cfg))
    families = [uf.find(i) for i in range(n)]
    chrome = chrome_lines(
        [f.lines for f in feats], families, cfg.chrome_min_families, lambda i, j: one_story(feats[i], feats[j], cfg)
    )
    if len(chrome):
        redo = [i for i, f in enumerate(feats) if len(f.lines) and np.isin(f.lines, chrome).any()]
        for i, f in zip(redo, features_batch([texts[i] for i in redo], [langs[i] for i in redo], chrome), strict=True):
            feats[i] = f
    # Pass 2 compares copy families, not documents: one representative each (the most
    # complete member), so a story republished many times costs one comparison, not many.
    best: dict[int, int] = {}
    for i, root in enumerate(families):
        if root not in best or feats[i].words > feats[best[root]].words:
            best[root] = i
    reps = sorted(best.values())
    candidates = story_candidates(reps, feats, langs, cfg)
    sentences = Sentences(live, cfg) if cfg.semantic else None
    words = [f.words for f in feats]
    story_edges = connect_stories(
        candidates,
        uf,
        lambda p: verify_pair(p, live, feats, cfg),
        reps,
        words,
        cfg,
        lambda e: confirm(e, sentences),
        lambda e: sentence_coverage(e, sentences),
    )
    edges = copy_edges + story_edges
    _assign(live, edges, uf)
    return edges


def _connect(
    pairs: set[tuple[int, int]], uf: UnionFind, verify: Callable[[tuple[int, int]], Edge | None]
) -> list[Edge]:
    """Verify candidate pairs in a fixed order, skipping pairs already in one cluster.

    A story republished k times yields k² candidate pairs; once its members are joined,
    the rest need no verification, so the work stays close to linear.
    """
    edges = []
    for pair in sorted(pairs):
        if uf.find(pair[0]) == uf.find(pair[1]):
            continue
        edge = verify(pair)
        if edge is not None:
            uf.union(edge.a, edge.b)
            edges.append(edge)
    return edges


def connect_stories(
    pairs: set[tuple[int, int]],
    uf: UnionFind,
    verify: Callable[[tuple[int, int]], Edge | None],
    reps: list[int],
    words: list[int],
    cfg: DedupConfig,
    confirm: Callable[[Edge], bool] = lambda e: True,
    cover: Callable[[Edge], float | None] = lambda e: None,
) -> list[Edge]:
    """Join story pairs: sure pairs at once, the others only with the support of their clusters.

    ``verify`` scores a pair on its cheap evidence; ``confirm`` makes an edge below ``sure``
    pass its sentence check, run only where the edge would join two clusters (the embedding
    of a pair whose versions are already together would change nothing); ``cover`` gives the
    sentence coverage of a decisive edge (None where the embedder does not know a language).

    One pair just above the thresholds can chain two stories (two outlets' reports of one
    event share names, numbers and phrases). So a pair below ``cfg.sure`` joins two clusters
    only when at least ``cfg.linkage`` of the pairs between their most complete members
    (up to ``cfg.linkage_members`` a side) verify too: average linkage, not single linkage.
    """
    results: dict[tuple[int, int], Edge | None] = {}
    confirmed: dict[tuple[int, int], bool] = {}

    def scored(a: int, b: int) -> Edge | None:
        key = (a, b) if a < b else (b, a)
        if key not in results:
            results[key] = verify(key)
        return results[key]

    def sentences_match(edge: Edge) -> bool | None:
        """Whether a decisive edge's sentences cover enough of each other (None: not measured,
        the embedder does not know one of the languages)."""
        cov = cover(edge)
        return None if cov is None else cov >= cfg.coverage_sparse

    def check(a: int, b: int) -> Edge | None:
        """The pair's edge once it has passed its sentence check, else None."""
        edge = scored(a, b)
        if edge is None:
            return None
        key = (edge.a, edge.b)
        if key not in confirmed:
            if edge.sparse:  # too few shared names to count: its sentences must match
                confirmed[key] = sentences_match(edge) is True
            else:
                confirmed[key] = confirm(edge)
        return edge if confirmed[key] else None

    weak: list[Edge] = []
    decisive: list[Edge] = []

    def sure(pair: tuple[int, int]) -> Edge | None:
        edge = scored(*pair)
        if edge is not None and edge.decisive:
            decisive.append(edge)  # decided by its sentences, once the sure pairs have joined
            return None
        if edge is not None and (edge.score < cfg.sure or edge.partial) and edge.kind != "copy":
            weak.append(edge)  # decided below, once the sure pairs have formed the clusters
            return None
        return edge

    edges = _connect(pairs, uf, sure)
    # Names that cannot tell stories apart well enough: matching sentences decide (a sure pair).
    # Best scored first, and at most ``sentence_tries`` failed checks a document, so that a
    # document with many weak candidates is not embedded against all of them. Otherwise a
    # partial pair waits for its clusters' support (below); a sparse one, which shares too few
    # names to count, is dropped, and votes only if its sentences match.
    tries: dict[int, int] = {}
    for edge in sorted(decisive, key=lambda e: (-e.score, e.a, e.b)):
        if uf.find(edge.a) == uf.find(edge.b):
            continue
        match = None
        if tries.get(edge.a, 0) < cfg.sentence_tries and tries.get(edge.b, 0) < cfg.sentence_tries:
            match = sentences_match(edge)
        if match is not None and edge.sparse:
            confirmed[edge.a, edge.b] = match
        if match:
            uf.union(edge.a, edge.b)
            edges.append(edge)
            continue
        if match is not None:
            tries[edge.a] = tries.get(edge.a, 0) + 1
            tries[edge.b] = tries.get(edge.b, 0) + 1
        if not edge.sparse:
            weak.append(edge)
    members: dict[int, list[int]] = {}
    for r in reps:
        members.setdefault(uf.find(r), []).append(r)
    for edge in sorted(weak, key=lambda e: (-e.score, e.a, e.b)):
        ra, rb = uf.find(edge.a), uf.find(edge.b)
        if ra == rb:
            continue
        sides = [sorted(members[r], key=lambda i: (-words[i], i))[: cfg.linkage_members] for r in (ra, rb)]
        votes = [(x, y) for x in sides[0] for y in sides[1]]
        need = cfg.linkage * len(votes)
        # The cheap evidence first: pairs that fail it, or have passed their sentence check,
        # are counted; the others are embedded one by one, only while the outcome is open.
        yes, open_ = 0, []
        for x, y in votes:
            e = scored(x, y)
            if e is None:
                continue
            done = confirmed.get((e.a, e.b), True if not e.owed and not e.sparse else None)
            if done is None:
                open_.append((x, y))
            yes += done is True
        if yes + len(open_) < need or check(edge.a, edge.b) is None:
            continue
        for k, (x, y) in enumerate(open_):
            if yes >= need or yes + len(open_) - k < need:
                break
            yes += check(x, y) is not None
        if yes < need:
            continue
        joined = members.pop(ra) + members.pop(rb)
        uf.union(ra, rb)
        members[uf.find(ra)] = joined
        edges.append(edge)
    return edges


def _assign(docs: list[Document], edges: list[Edge], uf: UnionFind) -> None:
    """Cluster id, role and evidence on every document; ``uf`` holds the unions of ``edges``."""
    members: dict[int, list[int]] = {}
    for i in range(len(docs)):
        members.setdefault(uf.find(i), []).append(i)
    incident: dict[int, list[Edge]] = {}
    for e in edges:
        incident.setdefault(e.a, []).append(e)
        incident.setdefault(e.b, []).append(e)
    for root, idx in members.items():
        cid = "c:" + stable_hex(docs[root].id, length=12)
        if len(idx) == 1:
            docs[root].cluster = ClusterInfo(cid, True, docs[root].id, [])
            continue
        canonical = _canonical([docs[i] for i in idx])
        for i in idx:
            ev = sorted(incident.get(i, []), key=lambda e: (-e.score, docs[e.b if e.a == i else e.a].id))[:5]
            evidence = [
                {"kind": e.kind, "with": docs[e.b if e.a == i else e.a].id, "score": e.score, "scores": e.scores}
                for e in ev
            ]
            docs[i].cluster = ClusterInfo(cid, docs[i].id == canonical.id, canonical.id, evidence)


def _canonical(members: list[Document]) -> Document:
    """Original language first, then earliest ``published``, then the most complete text."""
    if len(members) == 1:
        return members[0]
    mt = {id(d): is_machine_translated(d) for d in members}
    mt_langs = {d.lang for d in members if mt[id(d)]}
    multilingual = len({d.lang for d in members}) > 1

    def key(d: Document) -> tuple[Any, ...]:
        translated = mt[id(d)] or (multilingual and d.lang in mt_langs)
        complete = d.body_words
        if complete is None:
            complete = len(d.text.split())
        return (translated, d.published is None, d.published or "", -complete, d.id)

    return min(members, key=key)


def check_index(
    batch: list[Document], index: Any, cfg: DedupConfig, added: float | None = None, dry_run: bool = False
) -> None:
    """Resolve a clustered batch against the index: ``doc.index`` says new, duplicate (of) or known."""

    live = [d for d in batch if d.ok and d.copy_sig is not None]
    if not live:
        return
    when = time.time() if added is None else added
    entries = [
        Entry(d.id, d.cluster.id if d.cluster else d.id, d.cluster.canonical if d.cluster else True,
              d.copy_sig, d.copy_size, when, origin=d.origin or "")
        for d in live
    ]  # fmt: skip
    bands, rows = int(index.stored["bands"]), int(index.stored["rows"])
    keys = np.stack(band_keys(np.stack([e.sig for e in entries]), bands, rows), axis=1).view(np.int64)
    status = index.resolve(entries, keys, dry_run=dry_run)
    for d in live:
        d.index = status[d.id].to_dict()
