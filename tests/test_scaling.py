"""Every stage linear in its input: ten times the input costs at most twelve times the time.

Each stage runs once on ``10 n`` units and ten times on ``n`` units of the same kind of input,
alternately, in rounds; the least CPU time of each is compared (the collector off while timed,
as timeit does). Every run gets words no earlier run used, so a per-word cache warmed by one input
does not flatter the next: what is measured is the work per unit, cold. Sizes are chosen so
that both runs are in the same regime (whole chunks and batches, index merges, an index
already larger than either input).
"""

from __future__ import annotations

import gc
import io
import json
import random
import time
from collections.abc import Callable
from itertools import count
from pathlib import Path

import pytest

from toolkit.config import RunConfig
from toolkit.document import Document

pytestmark = pytest.mark.slow

SYLLABLES = ["ka", "ro", "mi", "tan", "el", "su", "dar", "vi", "no", "lek", "ha", "zu", "pe", "or", "bi", "gun", "te"]
_runs = count()


def _sentences(n: int) -> list[str]:
    """``n`` sentences of 14 words from a vocabulary of this call's own, with a name and a number."""
    tag = next(_runs)
    rng = random.Random(tag)
    suffix = "".join(SYLLABLES[int(d)] for d in f"{tag:03d}")  # words no earlier call used
    vocab = ["".join(rng.choices(SYLLABLES, k=rng.randint(3, 5))) + suffix for _ in range(max(200, 4 * n))]
    out = []
    for _ in range(n):
        words = rng.choices(vocab, k=14)
        words[5] = words[5].capitalize()  # a name-like token inside the sentence
        words[9] = f"{rng.randint(1, 999)},{rng.randint(0, 9)}"
        out.append(" ".join(words).capitalize() + ".")
    return out


def _docs(n: int, fresh: bool = True) -> list[Document]:
    """``n`` documents of two four-sentence paragraphs: new words throughout (``fresh``), else
    drawn from 2,000 sentences (for stages whose cost does not depend on how new the words are)."""
    if fresh:
        s = _sentences(8 * n)
    else:
        rng = random.Random(next(_runs))
        s = rng.choices(_pool(), k=8 * n)
    texts = ["\n\n".join(" ".join(s[8 * k + 4 * p : 8 * k + 4 * p + 4]) for p in range(2)) for k in range(n)]
    tag = next(_runs)  # ids of this call's own: none already in an index
    return [Document(id=f"r{tag}-d{k}", text=t, record={}) for k, t in enumerate(texts)]


_pool_sentences: list[str] = []


def _pool() -> list[str]:
    if not _pool_sentences:
        _pool_sentences.extend(_sentences(2000))
    return _pool_sentences


def _ratio(make: Callable[[int], Callable[[], object]], n: int, bound: float = 12.0) -> float:
    """Time of one run on ``10 n`` over the summed time of ten runs on ``n``, the least of each
    over three rounds (up to eight while above ``bound``); every run is prepared, untimed, just
    before it.

    Ten small runs rather than one: they then span as much time as the large run, so a busy
    machine (another test beside this one, another job on a CI host; a shared core runs a third
    to half slower) slows both alike. The least of one short run finds a quiet moment that a
    ten-times-longer run cannot, which read as superlinear cost under load on a linear stage.
    More rounds only while the figure is above the bound: a stage that is superlinear stays
    above it however many rounds it gets (the test below of a quadratic stage).
    """
    small: list[float] = []
    large: list[float] = []
    make(n)()  # loads what the stage loads once a process
    while len(large) < 3 or (len(large) < 8 and 10 * min(large) / min(small) > bound):
        small.append(sum(_timed(make(n)) for _ in range(10)))
        large.append(_timed(make(10 * n)))
    return 10 * min(large) / min(small)


def _timed(run: Callable[[], object]) -> float:
    """CPU seconds of one call, the collector off (as timeit does: a full collection walks every
    live object, and whether one falls inside a run depends on the heap, not on the stage)."""
    gc.collect()
    gc.disable()
    try:
        t0 = time.process_time()  # CPU time: a test running beside this one does not count
        run()
        return time.process_time() - t0
    finally:
        gc.enable()


def _reader(n: int) -> Callable[[], object]:
    from toolkit.io.readers import ReaderOptions, read_jsonl

    texts = random.Random(next(_runs)).choices(_pool(), k=n)
    data = b"".join(json.dumps({"id": f"d{k}", "text": t}).encode() + b"\n" for k, t in enumerate(texts))
    return lambda: sum(1 for _ in read_jsonl(io.BytesIO(data), "feed", ReaderOptions()))


def _normalize(n: int) -> Callable[[], object]:
    from toolkit.pipeline import Normalize

    docs = _docs(n, fresh=False)
    return lambda: list(Normalize()(docs))


def _language(n: int) -> Callable[[], object]:
    from toolkit.pipeline import Language, Normalize
    from toolkit.text.language import forget_words

    docs = list(Normalize()(_docs(n)))
    forget_words()  # both sizes start from an empty word cache, whatever ran before
    return lambda: list(Language()(docs))


def _cluster(n: int) -> Callable[[], object]:
    from toolkit.dedup import cluster_documents
    from toolkit.pipeline import Normalize

    docs = list(Normalize()(_docs(n)))
    for k, d in enumerate(docs):
        d.lang = "en"
        if k % 5 == 4:  # a republished copy every fifth document: pairs to verify
            d.text = docs[k - 1].text
    docs = list(Normalize()(docs))
    return lambda: cluster_documents(docs)


def _clustered(n: int, config: RunConfig, fresh: bool = True) -> list[Document]:
    from toolkit.dedup import cluster_documents
    from toolkit.pipeline import Normalize

    docs = list(Normalize()(_docs(n, fresh)))
    for d in docs:
        d.lang = "en"
    cluster_documents(docs, config.dedup_config)
    return docs


def _index(n: int, tmp: Path) -> Callable[[], object]:
    import shutil

    from toolkit.dedup.steps import CheckIndex
    from toolkit.index import open_index

    config = RunConfig()
    base = tmp / "base.db"
    if not base.exists():
        # both sizes are checked against an index that holds many more documents already: what
        # a lookup costs depends on the index's size, not on the input's
        index = open_index(str(base), config.index_params())
        list(CheckIndex(index, config.dedup_config, batch=1000, added=1.0)(_clustered(4000, config, fresh=False)))
        index.close()
    path = tmp / f"index-{next(_runs)}.db"
    shutil.copy(base, path)
    docs = _clustered(n, config)  # new text throughout: no document a copy of an indexed one
    index = open_index(str(path), config.index_params())
    # in batches of ingest's default size
    step = CheckIndex(index, config.dedup_config, batch=1000, added=1.0)
    return lambda: list(step(docs))


def _scorers(n: int) -> Callable[[], object]:
    from toolkit.scorers.run import score_text

    text = "\n\n".join(d.text for d in _docs(n))
    return lambda: score_text(text, "en")


def _compare(n: int) -> Callable[[], object]:
    from toolkit.compare.core import compare

    src = _sentences(n)
    tgt = [s.replace(",", ".", 1) for s in src]  # a number format changed in every sentence
    a, b = "\n\n".join(src), "\n\n".join(tgt)
    return lambda: compare(a, b, "en", "en")


_scored: list[Document] = []


def _pipeline_docs(n: int) -> list[Document]:
    """``n`` documents through the pipeline: ten scored once, then copied under new ids (what
    the writer and the report cost does not depend on how new the words are)."""
    import copy

    from toolkit.pipeline import Pipeline, default_steps

    if not _scored:
        _scored.extend(Pipeline(default_steps(RunConfig(compare=False)))(_docs(10)))
    out = []
    for k in range(n):
        d = copy.copy(_scored[k % len(_scored)])
        d.id = f"d{k}"
        out.append(d)
    return out


def _writer(n: int, tmp: Path) -> Callable[[], object]:
    from toolkit.io.writers import JsonlWriter

    docs = _pipeline_docs(n)
    path = tmp / f"out-{next(_runs)}.jsonl"

    def run() -> None:
        with path.open("wb") as fh:
            writer = JsonlWriter(fh)
            for d in docs:
                writer.write(d)

    return run


def _report(n: int) -> Callable[[], object]:
    from toolkit.report.html import render_html
    from toolkit.report.markdown import render_markdown
    from toolkit.report.results import Doc, Results

    docs = [
        Doc(d.id, d.text, None, None, None, None, "en", d.quality, [f.to_dict() for f in d.findings], None, None)
        for d in _pipeline_docs(n)
    ]
    findings = sum(len(d.findings) for d in docs)
    summary = {"documents": n, "accepted": n, "rejected": 0, "findings": findings, "mean_quality": 90.0,
               "languages": {"en": n}, "clusters": {"total": n, "multi_member": 0}, "signature": "s",
               "rejects_by_reason": {}}  # fmt: skip
    results = Results(summary, docs)
    return lambda: (render_html(results), render_markdown(results))


STAGES: dict[str, tuple[Callable[..., Callable[[], object]], int]] = {
    "reader": (_reader, 5000),
    "normalize": (_normalize, 5000),
    "language": (_language, 256),  # LANG_CHUNK: full chunks at both sizes
    "cluster": (_cluster, 200),
    "index": (_index, 500),
    "scorers": (_scorers, 5),
    "compare": (_compare, 10),
    "writer": (_writer, 3000),
    "report": (_report, 300),
}


@pytest.mark.parametrize("stage", list(STAGES))
def test_ten_times_the_input_costs_at_most_twelve_times_the_time(
    stage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make, n = STAGES[stage]
    if stage == "index":
        # the recent band keys are merged into the main tree at the end of a batch once there are
        # MERGE_ROWS (262,144) of them, which only the larger run would reach; at 4,096 every
        # batch of both sizes pays its merge
        monkeypatch.setattr("toolkit.index.sqlite.MERGE_ROWS", 1 << 12)
    needs_tmp = stage in ("index", "writer")
    ratio = _ratio((lambda size: make(size, tmp_path)) if needs_tmp else make, n)
    assert ratio <= 12, f"{stage}: 10x the input took {ratio:.1f}x the time"


def test_the_measure_catches_a_superlinear_stage() -> None:
    # a stage whose cost is quadratic in its input: 10x the input is about 100x the time
    def quadratic(n: int) -> Callable[[], object]:
        return lambda: sum(i ^ j for i in range(n) for j in range(n))

    def linear(n: int) -> Callable[[], object]:
        return lambda: sum(i ^ 7 for i in range(n * 300))

    assert _ratio(quadratic, 30) > 30
    assert _ratio(linear, 30) <= 12
