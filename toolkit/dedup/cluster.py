"""Candidate search (datasketch MinHashLSH), verification, union-find clusters.

Scores and decisions are kept apart: every verified pair carries its scores in the
cluster evidence; thresholds in :class:`DedupConfig` decide which pairs join.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from toolkit.dedup.features import sorted_unique
from toolkit.dedup.params import DedupConfig, lsh_params
from toolkit.document import ClusterInfo, Document
from toolkit.hashing import stable_hex
from toolkit.index.core import band_keys
from toolkit.text.mt_label import is_machine_translated
from toolkit.text.normalize import norm_of


@dataclass(slots=True)
class Edge:
    a: int
    b: int
    kind: str  # copy, retranslation, cross_language
    score: float
    scores: dict[str, float]


def _common(ka: np.ndarray, kb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the shared items of two sorted unique arrays (searchsorted: no re-sorting)."""
    if len(ka) > len(kb):
        ib, ia = _common(kb, ka)
        return ia, ib
    pos = np.searchsorted(kb, ka)
    pos[pos == len(kb)] = 0
    hit = kb[pos] == ka
    return np.flatnonzero(hit), pos[hit]


def _wjaccard(ka: np.ndarray, wa: np.ndarray, kb: np.ndarray, wb: np.ndarray) -> float:
    if not len(ka) or not len(kb):
        return 0.0
    ia, ib = _common(ka, kb)
    inter = float(np.minimum(wa[ia], wb[ib]).sum())
    union = float(wa.sum() + wb.sum()) - inter
    return inter / union if union > 0 else 0.0


def order_agreement(a: np.ndarray, b: np.ndarray) -> float:
    """How much of the shared names and numbers come in the same order in both texts.

    Longest common subsequence of the shared keys, over the shorter sequence: a
    translation keeps the order of its names and numbers (about 0.8–1.0); another
    report of the same event mentions the same names in another order (about 0.5).
    """
    shared = set(a.tolist()) & set(b.tolist())
    sa = [x for x in a.tolist() if x in shared]
    sb = [x for x in b.tolist() if x in shared]
    if not sa or not sb:
        return 0.0
    if len(sa) > len(sb):
        sa, sb = sb, sa
    prev = [0] * (len(sb) + 1)
    for x in sa:
        cur = [0]
        for j, y in enumerate(sb):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1] / len(sa)


def _containment(a: np.ndarray, b: np.ndarray) -> float:
    if not len(a) or not len(b):
        return 0.0
    return len(_common(a, b)[0]) / min(len(a), len(b))


class _UnionFind:
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
    from toolkit.dedup.features import features_batch

    cfg = config or DedupConfig()
    live = [d for d in docs if d.ok]
    texts = [norm_of(d).text for d in live]
    langs = [d.lang for d in live]
    if live and all("features" in d.cache for d in live):
        # computed where the document was prepared (a worker of a distributed run): the same
        # function of the same text, so the clusters are those of a run in one process
        feats = [d.cache.pop("features") for d in live]
    else:
        feats = features_batch(texts, langs)
    n = len(live)
    for d, f in zip(live, feats, strict=True):
        d.cache["body_words"] = f.words
    # Pass 1: near-verbatim copies only. Their families tell story lines from page chrome:
    # a short line is chrome when it stands in documents of several different families.
    from toolkit.dedup.minhash import signatures

    copy_sets = [f.copy_items for f in feats]
    copy_sigs = signatures(copy_sets, cfg.num_perm, cfg.seed)
    for i, d in enumerate(live):
        # kept for the "seen before" index: a document is remembered by its copy signature
        d.cache["copy_sig"] = copy_sigs[i]
        d.cache["copy_size"] = len(feats[i].copy) if len(copy_sets[i]) >= cfg.min_shingles else 0
    copy_pairs = _lsh_pairs(copy_sets, cfg.lsh_copy, cfg, copy_sigs)
    uf = _UnionFind(n)
    copy_edges = _connect(copy_pairs, uf, lambda p: _verify_copy(p, feats, cfg))
    families = [uf.find(i) for i in range(n)]
    chrome = chrome_lines([f.lines for f in feats], families, cfg.chrome_min_families)
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
    candidates = _story_candidates(reps, feats, langs, cfg)
    sentences = _Sentences(live, cfg) if cfg.semantic else None
    words = [f.words for f in feats]
    story_edges = _connect_stories(candidates, uf, lambda p: _verify(p, live, feats, cfg, sentences), reps, words, cfg)
    edges = copy_edges + story_edges
    _assign(live, edges, uf)
    return edges


def _story_candidates(reps: list[int], feats: list[Any], langs: list[str], cfg: DedupConfig) -> set[tuple[int, int]]:
    """LSH candidates between family representatives, with a vectorised MinHash pre-check.

    Verification joins a pair in one language on its shared words (or on names and numbers
    alone only when they agree strongly), and a pair across languages on names and numbers.
    So a pair in one language needs an estimated word resemblance of ``cfg.prefilter`` or a
    name/number resemblance of ``cfg.prefilter_names_same``; a pair across languages needs a
    name/number resemblance of ``cfg.prefilter``. Dropping the others here, for all pairs
    at once, saves the exact set comparisons.
    """
    from toolkit.dedup.minhash import signatures

    n = len(reps)
    sigs, found = {}, []
    for view, threshold in (("lex", cfg.lsh_lex), ("xling", cfg.lsh_xling)):
        sets = [feats[i].lex_sketch if view == "lex" else feats[i].xling_items for i in reps]
        sigs[view] = signatures(sets, cfg.num_perm, cfg.seed)
        found.append(_lsh_codes(sets, threshold, cfg, sigs[view]))
    codes = np.concatenate(found)
    if not len(codes):
        return set()
    need = int(np.ceil(cfg.prefilter * cfg.num_perm))
    need_names = int(np.ceil(cfg.prefilter_names_same * cfg.num_perm))
    lang_ids = {lang: k for k, lang in enumerate(sorted(set(langs)))}
    lang_of = np.array([lang_ids[langs[i]] for i in reps], dtype=np.int64)
    known = np.array([langs[i] != "und" for i in reps], dtype=bool)
    passed = []
    empty = {view: (sv == np.uint32(0xFFFFFFFF)).all(axis=1) for view, sv in sigs.items()}
    # The lowest byte of each min-hash (b-bit MinHash): a quarter of the memory traffic. Two
    # different values agree by chance 1 time in 256, which can only let an extra pair
    # through to exact verification, never drop one.
    # Packed eight to a 64-bit word, a pair's agreements are counted with XOR and popcount.
    low8 = {
        view: np.ascontiguousarray((sv & np.uint32(0xFF)).astype(np.uint8)).view(np.uint64) for view, sv in sigs.items()
    }
    # Blocks of pairs keep the gathered signature rows small (a single gather of millions
    # of rows spends most of its time faulting in fresh memory).
    for lo in range(0, len(codes), 1 << 15):
        block = codes[lo : lo + (1 << 15)]
        left, right = block // n, block % n
        one_lang = (lang_of[left] == lang_of[right]) & known[left]
        words = _agreements(low8["lex"], left, right)
        ok = one_lang & (words >= need) & ~empty["lex"][left]
        names = _agreements(low8["xling"], left, right)
        ok |= (names >= np.where(one_lang, need_names, need)) & ~empty["xling"][left]
        passed.append(block[ok])
    rep = np.asarray(reps, dtype=np.int64)
    keep = sorted_unique(np.concatenate(passed))
    a, b = rep[keep // n], rep[keep % n]
    return set(zip(a.tolist(), b.tolist(), strict=True))


_LOW7 = np.uint64(0x7F7F7F7F7F7F7F7F)
_HIGH = np.uint64(0x8080808080808080)


def _agreements(packed: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Per pair, how many of the packed bytes are equal (a zero byte of the XOR)."""
    x = packed[left] ^ packed[right]
    nonzero = ((x & _LOW7) + _LOW7) | x  # high bit of each byte set where the byte is not zero
    out: np.ndarray = np.bitwise_count(~nonzero & _HIGH).sum(axis=1)
    return out


def _connect(
    pairs: set[tuple[int, int]], uf: _UnionFind, verify: Callable[[tuple[int, int]], Edge | None]
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


def _connect_stories(
    pairs: set[tuple[int, int]],
    uf: _UnionFind,
    verify: Callable[[tuple[int, int]], Edge | None],
    reps: list[int],
    words: list[int],
    cfg: DedupConfig,
) -> list[Edge]:
    """Join story pairs: sure pairs at once, the others only with the support of their clusters.

    One pair just above the thresholds can chain two stories (two outlets' reports of one
    event share names, numbers and phrases). So a pair below ``cfg.sure`` joins two clusters
    only when at least ``cfg.linkage`` of the pairs between their most complete members
    (up to ``cfg.linkage_members`` a side) verify too: average linkage, not single linkage.
    """
    results: dict[tuple[int, int], Edge | None] = {}

    def check(a: int, b: int) -> Edge | None:
        key = (a, b) if a < b else (b, a)
        if key not in results:
            results[key] = verify(key)
        return results[key]

    weak: list[Edge] = []

    def sure(pair: tuple[int, int]) -> Edge | None:
        edge = check(*pair)
        if edge is not None and edge.score < cfg.sure and edge.kind != "copy":
            weak.append(edge)  # decided below, once the sure pairs have formed the clusters
            return None
        return edge

    edges = _connect(pairs, uf, sure)
    members: dict[int, list[int]] = {}
    for r in reps:
        members.setdefault(uf.find(r), []).append(r)
    for edge in sorted(weak, key=lambda e: (-e.score, e.a, e.b)):
        ra, rb = uf.find(edge.a), uf.find(edge.b)
        if ra == rb:
            continue
        sides = [sorted(members[r], key=lambda i: (-words[i], i))[: cfg.linkage_members] for r in (ra, rb)]
        votes = [check(x, y) is not None for x in sides[0] for y in sides[1]]
        if sum(votes) < cfg.linkage * len(votes):
            continue
        joined = members.pop(ra) + members.pop(rb)
        uf.union(ra, rb)
        members[uf.find(ra)] = joined
        edges.append(edge)
    return edges


@lru_cache(maxsize=512)
def _triu(size: int) -> tuple[np.ndarray, np.ndarray]:
    ii, jj = np.triu_indices(size, k=1)
    return ii, jj


def _lsh_pairs(
    sets: list[np.ndarray], threshold: float, cfg: DedupConfig, sigs: np.ndarray | None = None
) -> set[tuple[int, int]]:
    """Candidate pairs (i < j) from :func:`_lsh_codes`."""
    n = len(sets)
    return {(int(c // n), int(c % n)) for c in _lsh_codes(sets, threshold, cfg, sigs)}


_SMALL = 16


def _lsh_codes(
    sets: list[np.ndarray], threshold: float, cfg: DedupConfig, sigs: np.ndarray | None = None
) -> np.ndarray:
    """Candidate pairs: documents that share a bucket in any band.

    The buckets are MinHashLSH's (its bands and rows for the threshold, datasketch's
    affine32 signatures), grouped with numpy for the whole batch at once rather than
    inserted one document at a time; a test checks the pairs equal MinHashLSH's.
    Buckets larger than ``cfg.max_bucket`` carry no identity and are skipped. ``sigs``
    (one row per set) may be passed when the caller has them already.
    """
    from toolkit.dedup.minhash import signatures

    n = len(sets)
    keep = np.flatnonzero(np.fromiter(map(len, sets), dtype=np.int64, count=n) >= cfg.min_shingles)
    if len(keep) < 2:
        return np.zeros(0, dtype=np.int64)
    kept = sigs[keep] if sigs is not None else signatures([sets[i] for i in keep], cfg.num_perm, cfg.seed)
    bands, rows = lsh_params(threshold, cfg.num_perm)
    m = len(keep)
    # All bands at once: a band's keys are seeded with its index, so buckets never mix bands.
    flat = np.concatenate(band_keys(kept, bands, rows))
    order = np.argsort(flat)  # members of a bucket may come in any order: pairs are (min, max)
    bucket_keys, members = flat[order], keep[order % m]
    starts = np.flatnonzero(np.r_[True, bucket_keys[1:] != bucket_keys[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    codes: list[np.ndarray] = []
    # Buckets of up to _SMALL members: pairs at distance d inside the sorted buckets, one
    # vectorised step per d. Larger buckets one by one; beyond max_bucket they carry no identity.
    small = (sizes >= 2) & (sizes <= _SMALL)
    sel = np.repeat(small, sizes)
    sk, sm = bucket_keys[sel], members[sel]
    for d in range(1, _SMALL):
        same = np.flatnonzero(sk[:-d] == sk[d:])
        if not len(same):
            break
        a, b = sm[same], sm[same + d]
        codes.append(np.minimum(a, b) * n + np.maximum(a, b))
    for st, size in zip(starts[sizes > _SMALL], sizes[sizes > _SMALL], strict=True):
        if size > cfg.max_bucket:
            continue
        group = np.sort(members[st : st + size])
        ii, jj = _triu(int(size))
        codes.append(group[ii] * n + group[jj])
    if not codes:
        return np.zeros(0, dtype=np.int64)
    out: np.ndarray = sorted_unique(np.concatenate(codes))
    return out


def chrome_lines(lines: list[np.ndarray], family: list[int], min_families: int) -> np.ndarray:
    """Hashes of the short lines that stand in documents of at least ``min_families`` copy families."""
    if not lines:
        return np.zeros(0, dtype=np.uint64)
    counts = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
    hashes = np.concatenate(lines) if counts.sum() else np.zeros(0, dtype=np.uint64)
    fams = np.repeat(np.asarray(family, dtype=np.int64), counts)
    if not len(hashes):
        return np.zeros(0, dtype=np.uint64)
    order = np.lexsort((fams, hashes))
    h, f = hashes[order], fams[order]
    new_pair = np.ones(len(h), dtype=bool)
    new_pair[1:] = (h[1:] != h[:-1]) | (f[1:] != f[:-1])
    h = h[new_pair]
    starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]])
    per_line = np.diff(np.r_[starts, len(h)])
    out: np.ndarray = h[starts[per_line >= min_families]]
    return out


def _verify_copy(pair: tuple[int, int], feats: list[Any], cfg: DedupConfig) -> Edge | None:
    i, j = pair
    c = round(_containment(feats[i].copy, feats[j].copy), 4)
    return Edge(i, j, "copy", c, {"containment": c}) if c >= cfg.copy_containment else None


def _verify(
    pair: tuple[int, int],
    docs: list[Document],
    feats: list[Any],
    cfg: DedupConfig,
    sentences: _Sentences | None = None,
) -> Edge | None:
    i, j = pair
    fa, fb = feats[i], feats[j]
    scores = {"containment": round(_containment(fa.copy, fb.copy), 4)}
    if scores["containment"] >= cfg.copy_containment:
        return Edge(i, j, "copy", scores["containment"], scores)
    same_lang = docs[i].lang == docs[j].lang and docs[i].lang != "und"
    if same_lang:
        words = scores["words"] = round(_wjaccard(fa.lex, fa.lex_w, fb.lex, fb.lex_w), 4)
        # the least names×order that can still let the pair join (see the decision below)
        if words >= cfg.same_language:
            need_xo = 0.0
        elif words >= cfg.min_words_same:
            need_xo = 2 * cfg.same_language - words
        else:
            need_xo = 2 * cfg.sure - words
    else:
        need_xo = cfg.cross_language
    shared = len(_common(fa.xling, fb.xling)[0]) if len(fa.xling) and len(fb.xling) else 0
    xo = 0.0
    if shared >= cfg.min_shared_keys:
        scores["names_numbers"] = round(_wjaccard(fa.xling, fa.xling_w, fb.xling, fb.xling_w), 4)
        # order agreement is at most 1: skip its (quadratic) computation when it cannot matter
        if scores["names_numbers"] >= need_xo or need_xo == 0.0:
            scores["order"] = round(order_agreement(fa.xling_seq, fb.xling_seq), 4)
            xo = scores["names_numbers"] * scores["order"]
    if same_lang:
        kind, score = "retranslation", round(max(words, (words + xo) / 2), 4)
        if score < cfg.same_language:
            return None
        if score < cfg.sure and words < cfg.min_words_same:
            return None  # names and numbers alone: another report of the same event
        need = cfg.coverage_same
    else:
        kind, score, need = "cross_language", round(xo, 4), cfg.coverage_cross
        if score < cfg.cross_language:
            return None
    if score < cfg.sure and cfg.semantic and sentences is not None:
        scores["sentences"] = round(sentences.coverage(i, j), 4)
        if scores["sentences"] < need:
            return None
    return Edge(i, j, kind, score, scores)


class _Sentences:
    """Sentence embeddings of the batch's documents, computed only when a pair needs them."""

    def __init__(self, docs: list[Document], cfg: DedupConfig) -> None:
        from toolkit.align.embed import default_embedder

        self.docs, self.cfg = docs, cfg
        self.embedder = default_embedder()
        self.vectors: dict[int, np.ndarray] = {}

    def _of(self, i: int) -> np.ndarray:
        v = self.vectors.get(i)
        if v is None:
            from toolkit.text.segment import sentence_spans

            text = norm_of(self.docs[i]).text
            sents = [text[s:e] for s, e in sentence_spans(text, self.docs[i].lang)]
            sents = [x for x in sents if len(x.split()) >= 5][: self.cfg.max_sentences]
            v = self.vectors[i] = self.embedder.encode(sents)
        return v

    def coverage(self, i: int, j: int) -> float:
        a, b = self._of(i), self._of(j)
        if not len(a) or not len(b):
            return 0.0
        sim = a @ b.T
        best_b, best_a = sim.argmax(axis=1), sim.argmax(axis=0)
        mutual = sum(1 for x in range(len(a)) if best_a[best_b[x]] == x and sim[x, best_b[x]] >= self.cfg.match)
        # Over the geometric mean of the lengths: a truncated copy does not look more alike.
        return mutual / float(np.sqrt(len(a) * len(b)))


def _assign(docs: list[Document], edges: list[Edge], uf: _UnionFind) -> None:
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
        complete = d.cache.get("body_words")
        if complete is None:
            complete = len(d.text.split())
        return (translated, d.published is None, d.published or "", -complete, d.id)

    return min(members, key=key)


class Dedup:
    """Pipeline step: clusters each batch of documents (all of them by default), then, with
    an index, checks the batch against every earlier one and adds it (``doc.index``)."""

    name = "dedup"

    def __init__(
        self,
        config: DedupConfig | None = None,
        batch_size: int | None = None,
        index: Any = None,
        added: float | None = None,
        dry_run: bool = False,
    ) -> None:
        self.config = config or DedupConfig()
        self.batch_size = batch_size
        self.index = index
        self.added = added
        self.dry_run = dry_run

    def __call__(self, docs: Iterable[Document]) -> Iterator[Document]:
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if self.batch_size and len(batch) >= self.batch_size:
                self._batch(batch)
                yield from batch
                batch = []
        if batch:
            self._batch(batch)
            yield from batch

    def _batch(self, batch: list[Document]) -> None:
        cluster_documents(batch, self.config)
        if self.index is not None:
            check_index(batch, self.index, self.config, self.added, self.dry_run)


def check_index(
    batch: list[Document], index: Any, cfg: DedupConfig, added: float | None = None, dry_run: bool = False
) -> None:
    """Resolve a clustered batch against the index: ``doc.index`` says new, duplicate (of) or known."""
    import time

    from toolkit.index import Entry

    live = [d for d in batch if d.ok and "copy_sig" in d.cache]
    if not live:
        return
    when = time.time() if added is None else added
    entries = [
        Entry(d.id, d.cluster.id if d.cluster else d.id, d.cluster.canonical if d.cluster else True,
              d.cache["copy_sig"], int(d.cache["copy_size"]), when)
        for d in live
    ]  # fmt: skip
    bands, rows = int(index.stored["bands"]), int(index.stored["rows"])
    keys = np.stack(band_keys(np.stack([e.sig for e in entries]), bands, rows), axis=1).view(np.int64)
    status = index.resolve(entries, keys, dry_run=dry_run)
    for d in live:
        d.index = status[d.id].to_dict()
