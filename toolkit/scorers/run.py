"""Run the scorer families over documents: one text (``score_text``) or a pipeline step
(``Scorers``) that first gathers what a batch knows about each story and each source."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any, NamedTuple

from toolkit.document import Document, Finding, Severity, batches
from toolkit.scorers import boilerplate, facts, names, numbers, rules, typography, untranslated
from toolkit.scorers.base import DEFAULT_SOURCE_LANGS, Context, Story
from toolkit.scorers.facts import quantities
from toolkit.scorers.glossary import Glossary
from toolkit.scorers.names import story_words, story_words_of
from toolkit.text.language import declared_lang

# earlier families win when two flag the same span (an exonym is not also a misspelling)
FAMILIES = ("boilerplate", "untranslated", "rules", "names", "typography", "numbers", "facts")
# what is checked in a document written in a language translations come from (an original):
# page chrome, the facts it states and the house glossary. The other families look for what
# translation into English leaves behind, and read the original's own conventions (« »,
# 3,5 millions, German nouns) as artefacts.
ORIGINAL_FAMILIES = frozenset({"boilerplate", "facts", "glossary"})


@dataclass(slots=True)
class ScorerConfig:
    families: tuple[str, ...] = FAMILIES
    # languages a translation may come from; a record's "source_lang" field narrows it
    source_langs: tuple[str, ...] = DEFAULT_SOURCE_LANGS
    glossary: str | None = None
    rule_packs: tuple[str, ...] = ()
    batch: int = 1000  # documents whose stories and sources are pooled for evidence
    default_lang: str = "en"  # a short text's language when neither the record nor the feed tells
    repeat_min: int = 3  # a line on this many pages of one source is its template

    def params(self) -> dict[str, Any]:
        return {**asdict(self), "wordfreq": version("wordfreq")}


def family_funcs(cfg: ScorerConfig) -> list[tuple[str, Callable[[Context], list[Finding]]]]:
    extra: dict[str, Any] = {}
    for p in cfg.rule_packs:
        pair, pack = rules.load_pack(Path(p))
        extra[pair] = extra.get(pair, ()) + pack
    table: dict[str, Callable[[Context], list[Finding]]] = {
        "names": names.score,
        "untranslated": untranslated.score,
        "rules": lambda ctx: rules.score(ctx, extra),
        "typography": typography.score,
        "numbers": numbers.score,
        "boilerplate": boilerplate.score,
        "facts": facts.score,
    }
    unknown = [f for f in cfg.families if f not in table]
    if unknown:
        raise ValueError(f"unknown scorer families: {', '.join(unknown)} (known: {', '.join(FAMILIES)})")
    funcs = [(f, table[f]) for f in cfg.families]
    if cfg.glossary:
        g = Glossary.load(Path(cfg.glossary))
        funcs.append(("glossary", g.score))
    return funcs


def check_config(cfg: ScorerConfig) -> None:
    """Load what ``cfg`` names (glossary, rule packs) now: a bad file raises ValueError here,
    before a run opens its outputs."""
    family_funcs(cfg)


def score_context(ctx: Context, funcs: list[tuple[str, Callable[[Context], list[Finding]]]]) -> list[Finding]:
    out: list[Finding] = []
    spans: set[tuple[int, int]] = set()
    for _, f in funcs:
        for x in f(ctx):
            if (x.start, x.end) not in spans:
                spans.add((x.start, x.end))
                out.append(x)
    out.sort(key=lambda f: (f.start, f.end, f.code, f.message))
    return cap_findings(out)


MAX_PER_CODE = 500  # findings of one kind listed per document; a text with more is noise to an editor


def cap_findings(findings: list[Finding]) -> list[Finding]:
    """At most MAX_PER_CODE findings of each code (the first ones), and for each code cut, one
    summary finding where the unlisted ones start: a megabyte of « » gives a readable record,
    not half a million findings."""
    seen: Counter[str] = Counter()
    kept: list[Finding] = []
    first_cut: dict[str, Finding] = {}
    for f in findings:
        seen[f.code] += 1
        if seen[f.code] <= MAX_PER_CODE:
            kept.append(f)
        else:
            first_cut.setdefault(f.code, f)
    if not first_cut:
        return findings
    for code, f in first_cut.items():
        more = seen[code] - MAX_PER_CODE
        kept.append(Finding("summary.capped", "Other", Severity.NEUTRAL, f.start, f.end, f.text,
                            f"{more:,} more {code} findings from here on are not listed (at most "
                            f"{MAX_PER_CODE} of a kind per text)", None, {"code": code, "unlisted": more}))  # fmt: skip
    kept.sort(key=lambda f: (f.start, f.end, f.code, f.message))
    return kept


def for_language(
    funcs: list[tuple[str, Callable[[Context], list[Finding]]]], lang: str, source_langs: tuple[str, ...]
) -> list[tuple[str, Callable[[Context], list[Finding]]]]:
    """The families that apply to a document in ``lang``: all of them, or for an original (a
    language translations come from) only ORIGINAL_FAMILIES."""
    if lang.split("-")[0] not in source_langs:
        return funcs
    return [(name, f) for name, f in funcs if name in ORIGINAL_FAMILIES]


def score_text(text: str, lang: str = "en", config: ScorerConfig | None = None, **ctx_args: Any) -> list[Finding]:
    """Findings for one text (the Python face of ``wirecheck score`` for a single document)."""
    cfg = config or ScorerConfig()
    ctx = Context(text, lang, cfg.source_langs, **ctx_args)
    return score_context(ctx, for_language(family_funcs(cfg), lang, cfg.source_langs))


def _source_langs(doc: Document, cfg: ScorerConfig) -> tuple[str, ...]:
    src = doc.record.get("source_lang") if isinstance(doc.record, dict) else None
    if isinstance(src, str) and src:
        return (src.lower().split("-")[0],)
    return cfg.source_langs


SHORT_WORDS = 12  # headlines, captions, briefs: too short for a language label to be trusted alone
SHORT_TRUST = 0.9  # a short text's label that disagrees with the feed needs this probability


def settle_languages(docs: list[Document], default: str = "en") -> None:
    """A text too short to identify is checked as its declared language, else the feed's (the batch's
    majority language), else ``default``; never as ``und``. A short text labelled otherwise than the
    feed with little confidence takes the feed's language too. ``doc.lang_basis`` says which."""
    # at most SHORT_WORDS splits: a long text is not split into all its words just to be called long
    short = {id(d): len(d.text.split(None, SHORT_WORDS - 1)) < SHORT_WORDS for d in docs}
    counts = Counter(d.lang for d in docs if d.lang != "und" and not short[id(d)])
    majority = min(counts, key=lambda x: (-counts[x], x)) if counts else None
    for d in docs:
        declared = declared_lang(d.record)
        if d.lang != "und" and not (short[id(d)] and d.lang != (declared or majority) and d.lang_prob < SHORT_TRUST):
            continue
        if declared:
            d.lang, d.lang_basis = declared, "declared"
        elif majority:
            d.lang, d.lang_basis = majority, "feed"
        else:
            d.lang, d.lang_basis = default, "default"


def _story_key(doc: Document) -> str:
    assert doc.cluster is not None
    return f"{doc.cluster.id}|{doc.lang.split('-')[0]}"


class Pooled(NamedTuple):
    """What a document's batch knows that the document alone does not: its story's evidence
    (``None``: not clustered), whether that story is the document's alone (its words are then
    counted from the scorers' own tokens) and the lines its source repeats on other pages."""

    story: Story | None
    alone: bool
    repeated: frozenset[str]


_NOTHING_POOLED = Pooled(None, False, frozenset())


class StoryEvidence:
    """Pipeline step: settles short texts' languages and pools each story's and each source's
    evidence over a batch, for :class:`Scorers` (which then scores each document on its own, so
    the heavy part spreads over workers in small units)."""

    name = "story evidence"
    needs = ("lang", "cluster")
    adds = ("lang", "lang_basis", "story_evidence")
    shared = False

    def __init__(self, config: ScorerConfig | None = None) -> None:
        self.config = config or ScorerConfig()
        self.batch = self.config.batch  # stories are pooled per batch

    def __call__(self, docs: Iterable[Document]) -> Iterator[Document]:
        for batch in batches(docs, self.config.batch):
            self._pool(batch)
            yield from batch

    def _pool(self, docs: list[Document]) -> None:
        ok = [d for d in docs if d.ok]
        settle_languages(ok, self.config.default_lang)
        # the story's words come from a light regex pass rather than each document's scoring
        # context: holding a batch's tokens would cost ~100 MB per 1,000 documents
        # Evidence is pooled per story and language: only versions in a document's language vote on
        # its spellings and facts (a French version's "Idleb" says nothing of English spelling;
        # versions in other languages are compared pairwise by the compare step)
        stories: dict[str, Story] = defaultdict(Story)
        versions = Counter(_story_key(d) for d in ok if d.cluster is not None)
        for d in ok:
            if d.cluster is None or versions[_story_key(d)] == 1:
                # a story of one version (most of a feed): no other version's facts to compare,
                # and its words are counted from the scorers' own tokens (the same counts)
                continue
            st = stories[_story_key(d)]
            st.words.update(story_words(d.text))
            for fact, n in quantities(d.text, d.lang):
                st.facts.setdefault(fact, set()).add((n.value, d.id))
        per_source: dict[str, Counter[str]] = defaultdict(Counter)
        for d in ok:
            if d.source:
                per_source[d.source].update({line.strip() for line in d.text.split("\n") if len(line.strip()) > 1})
        # a source's template: the lines it prints on several pages of this batch
        templates = {
            src: frozenset(line for line, c in lines.items() if c >= self.config.repeat_min)
            for src, lines in per_source.items()
        }
        for d in ok:
            alone = d.cluster is not None and versions[_story_key(d)] == 1
            story = None if d.cluster is None else Story() if alone else stories[_story_key(d)]
            d.story_evidence = Pooled(story, alone, templates.get(d.source or "", frozenset()))


class Scorers:
    """Pipeline step: findings for every accepted document, each on its own, with the story and
    source evidence :class:`StoryEvidence` pooled for it."""

    name = "scorers"
    needs = ("lang", "story_evidence")
    adds = ("findings",)
    batch: int | None = 1
    shared = False

    def __init__(self, config: ScorerConfig | None = None) -> None:
        self.config = config or ScorerConfig()
        self.funcs = family_funcs(self.config)

    def __getstate__(self) -> dict[str, Any]:
        return {"config": self.config}  # the functions are rebuilt where the step runs

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["config"])  # type: ignore[misc]

    def __call__(self, docs: Iterable[Document]) -> Iterator[Document]:
        for d in docs:
            if d.ok:
                # without StoryEvidence before it (a step list of one's own): no story, no template
                pooled: Pooled = d.story_evidence or _NOTHING_POOLED
                srcs = _source_langs(d, self.config)
                ctx = Context(d.text, d.lang, srcs, pooled.story, d.id, pooled.repeated)
                if pooled.alone:
                    assert pooled.story is not None
                    pooled.story.words.update(story_words_of(ctx.tokens))
                d.findings.extend(score_context(ctx, for_language(self.funcs, d.lang, srcs)))
            yield d
