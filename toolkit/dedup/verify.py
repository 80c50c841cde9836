"""Verification of a candidate pair: copy containment, the overlap and order of names and
numbers across languages, rarer words in one language, and for uncertain pairs the
sentences' multilingual embeddings. Every verified pair is an :class:`Edge` with its scores."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

import numpy as np

from toolkit.dedup.params import DedupConfig
from toolkit.document import Document
from toolkit.text.embed import default_embedder, supports
from toolkit.text.normalize import norm_of
from toolkit.text.segment import sentence_spans


@dataclass(slots=True)
class Edge:
    a: int
    b: int
    kind: str  # copy, retranslation, cross_language
    score: float
    scores: dict[str, float]
    # decided on one side's containment in the other (a script without capitals), which a
    # different story's common names can reach: joins only with its clusters' support
    partial: bool = False
    # the sentence coverage this pair must still show (0: none): the embedding is computed only
    # when the pair would change a decision (cluster.connect_stories)
    owed: float = 0.0
    # its sentences may decide it: with coverage >= coverage_sparse (where the embedder knows
    # both languages) it joins as a sure pair; else a partial edge waits for its clusters'
    # support as before and a sparse one (too few shared names to count) is dropped
    decisive: bool = False
    sparse: bool = False


def common(ka: np.ndarray, kb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the shared items of two sorted unique arrays (searchsorted: no re-sorting)."""
    if len(ka) > len(kb):
        ib, ia = common(kb, ka)
        return ia, ib
    pos = np.searchsorted(kb, ka)
    pos[pos == len(kb)] = 0
    hit = kb[pos] == ka
    return np.flatnonzero(hit), pos[hit]


def _wjaccard(ka: np.ndarray, wa: np.ndarray, kb: np.ndarray, wb: np.ndarray, over: int = 0) -> float:
    """Weighted Jaccard of two keyed sets; with ``over`` 1 or 2, the weighted containment of that
    side (a or b) in the other instead."""
    if not len(ka) or not len(kb):
        return 0.0
    ia, ib = common(ka, kb)
    inter = float(np.minimum(wa[ia], wb[ib]).sum())
    union = float(wa.sum() + wb.sum()) - inter if not over else float((wa if over == 1 else wb).sum())
    return inter / union if union > 0 else 0.0


def order_agreement(a: np.ndarray, b: np.ndarray) -> float:
    """How much of the shared names and numbers come in the same order in both texts.

    Longest common subsequence of the shared keys, over the shorter sequence: a
    translation keeps the order of its names and numbers (about 0.8–1.0); another
    report of the same event mentions the same names in another order (about 0.5).
    """
    la, lb = a.tolist(), b.tolist()
    shared = set(la) & set(lb)
    sa = [x for x in la if x in shared]
    sb = [x for x in lb if x in shared]
    if not sa or not sb:
        return 0.0
    if len(sa) > len(sb):
        sa, sb = sb, sa
    return lcs_length(sa, sb) / len(sa)


def lcs_length(a: list[int], b: list[int]) -> int:
    """Length of the longest common subsequence, bit-parallel over ``b`` (Hyyrö 2004): one
    big-integer step per item of ``a`` instead of a row of the quadratic table."""
    match: dict[int, int] = {}
    for j, y in enumerate(b):
        match[y] = match.get(y, 0) | (1 << j)
    full = (1 << len(b)) - 1
    v = full
    for x in a:
        u = v & match.get(x, 0)
        v = ((v + u) | (v - u)) & full
    return len(b) - v.bit_count()


def _containment(a: np.ndarray, b: np.ndarray) -> float:
    if not len(a) or not len(b):
        return 0.0
    return len(common(a, b)[0]) / min(len(a), len(b))


def one_story(fa: Any, fb: Any, cfg: DedupConfig) -> bool:
    """Whether two documents share enough rarer words, or names and numbers in order, to be
    versions of one story (what tells a story's shared sentences from page chrome)."""
    if _wjaccard(fa.lex, fa.lex_w, fb.lex, fb.lex_w) >= cfg.same_language:
        return True
    if len(common(fa.xling, fb.xling)[0]) < cfg.min_shared_keys:
        return False
    xo = _wjaccard(fa.xling, fa.xling_w, fb.xling, fb.xling_w) * order_agreement(fa.xling_seq, fb.xling_seq)
    return xo >= cfg.sure


def verify_copy(pair: tuple[int, int], feats: list[Any], cfg: DedupConfig) -> Edge | None:
    i, j = pair
    c = round(_containment(feats[i].copy, feats[j].copy), 4)
    return Edge(i, j, "copy", c, {"containment": c}) if c >= cfg.copy_containment else None


def verify_pair(
    pair: tuple[int, int],
    docs: list[Document],
    feats: list[Any],
    cfg: DedupConfig,
    sentences: Sentences | None = None,
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
    shared = len(common(fa.xling, fb.xling)[0]) if len(fa.xling) and len(fb.xling) else 0
    xo = 0.0
    over = 0
    # few names and numbers on one side: fewer shared keys make a candidate, for the sentences to decide
    sparse = not same_lang and min(len(fa.xling), len(fb.xling)) < cfg.sparse_keys and shared < cfg.min_shared_keys
    if shared >= cfg.min_shared_keys or (sparse and shared >= cfg.sparse_shared):
        # one side's keys are its names plus rarer vocabulary (a script without capitals): how
        # many of the other side's names and numbers it holds
        over = 0 if fa.caseless == fb.caseless else (2 if fa.caseless else 1)
        scores["names_numbers"] = round(_wjaccard(fa.xling, fa.xling_w, fb.xling, fb.xling_w, over), 4)
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
    partial = not same_lang and over != 0
    if sparse and not cfg.semantic:
        return None
    owed = need if score < cfg.sure and cfg.semantic and not sparse else 0.0
    edge = Edge(i, j, kind, score, scores, partial, owed, (partial or sparse) and cfg.semantic, sparse)
    if sentences is not None and not confirm(edge, sentences):
        return None
    return edge


def sentence_coverage(edge: Edge, sentences: Sentences | None) -> float | None:
    """The pair's sentence coverage (kept in its scores), or None where the embedder does not know
    one of the two languages."""
    if sentences is None or not sentences.knows(edge.a, edge.b):
        return None
    cov = edge.scores["sentences"] = round(sentences.coverage(edge.a, edge.b, edge.kind == "cross_language"), 4)
    return cov


def confirm(edge: Edge, sentences: Sentences | None) -> bool:
    """The sentence check an edge below ``sure`` still owes (its coverage goes into its scores);
    True when none is owed, or the embedder does not know one of the two languages."""
    if not edge.owed:
        return True
    cov = sentence_coverage(edge, sentences)
    if cov is None:
        return True
    owed, edge.owed = edge.owed, 0.0
    return cov >= owed


_SENTENCE_CHARS = 300  # room for a news sentence (most are 100-200 characters)


class Sentences:
    """Sentence embeddings of the batch's documents, computed only when a pair needs them."""

    def __init__(self, docs: list[Document], cfg: DedupConfig) -> None:
        self.docs, self.cfg = docs, cfg
        self.embedder = default_embedder()
        self.vectors: dict[int, np.ndarray] = {}

    def _of(self, i: int) -> np.ndarray:
        v = self.vectors.get(i)
        if v is None:
            text = norm_of(self.docs[i]).text
            # the first sentences are what is compared: only the text that can hold them is split
            limit = self.cfg.max_sentences * _SENTENCE_CHARS
            spans = sentence_spans(text[:limit], self.docs[i].lang)
            if len(text) > limit:
                spans = spans[:-1]  # cut by the limit
            sents = [text[s:e] for s, e in spans]
            sents = [x for x in sents if len(x.split()) >= 5][: self.cfg.max_sentences]
            v = self.vectors[i] = self.embedder.encode(sents)
        return v

    def knows(self, i: int, j: int) -> bool:
        """Whether the embedder was trained on both documents' languages (else its similarities
        say nothing, and the pair is decided on its other evidence)."""
        return supports(self.embedder, self.docs[i].lang) and supports(self.embedder, self.docs[j].lang)

    def coverage(self, i: int, j: int, cross: bool = False) -> float:
        """The share of sentences with a mutual-best match of at least ``cfg.match``; across
        languages (``cross``), of at least ``cfg.match_cross`` and counted in the order of the text."""
        a, b = self._of(i), self._of(j)
        if not len(a) or not len(b):
            return 0.0
        sim = a @ b.T
        best_b, best_a = sim.argmax(axis=1), sim.argmax(axis=0)
        if not cross:
            mutual = sum(1 for x in range(len(a)) if best_a[best_b[x]] == x and sim[x, best_b[x]] >= self.cfg.match)
        else:
            # The embedder places a sentence and its translation less close between two languages
            # other than English (0.55-0.7) than with English (0.7-0.9), so the floor is lower;
            # a translation keeps the order of its sentences, and matches out of order (a quote
            # or a stock phrase two stories share) are not counted: the longest run in order.
            floor = self.cfg.match_cross
            mutual = increasing_run([int(y) for x, y in enumerate(best_b) if best_a[y] == x and sim[x, y] >= floor])
        # Over the geometric mean of the lengths: a truncated copy does not look more alike.
        return mutual / float(np.sqrt(len(a) * len(b)))


def increasing_run(ys: list[int]) -> int:
    """Length of the longest strictly increasing subsequence of ``ys`` (patience sorting)."""
    tails: list[int] = []
    for y in ys:
        k = bisect.bisect_left(tails, y)
        if k == len(tails):
            tails.append(y)
        else:
            tails[k] = y
    return len(tails)
