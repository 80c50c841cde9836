"""Run settings, and the parameters each report carries (like sacrebleu's signature)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.dedup.params import DedupConfig, lsh_params
from toolkit.index.core import index_params
from toolkit.io.readers import InputError, ReaderOptions
from toolkit.scorers.run import ScorerConfig
from toolkit.text import language
from toolkit.version import __version__

if TYPE_CHECKING:
    from toolkit.dedup.params import DedupConfig
    from toolkit.scorers.run import ScorerConfig


def _scorer_default() -> ScorerConfig:
    return ScorerConfig()


def _dedup_default() -> DedupConfig:
    return DedupConfig()


@dataclass(slots=True)
class RunConfig:
    reader: ReaderOptions = field(default_factory=ReaderOptions)
    paragraph_lang: bool = True
    # "exhaustive": every n-gram scored against langdetect's profiles (deterministic, fast);
    # "sampled": langdetect's own random-sampling detector, seeded (slower, same model).
    lang_method: str = "exhaustive"
    # a record's declared language (its lang or language field) taken instead of identified
    trust_lang: bool = False
    dedup: bool = True
    dedup_config: DedupConfig = field(default_factory=_dedup_default)
    # None: the whole input is one batch (clusters span it); N: cluster every N documents
    dedup_batch: int | None = None
    scorers: bool = True
    compare: bool = True  # align and compare the versions of every multi-version cluster
    scorer_config: ScorerConfig = field(default_factory=_scorer_default)

    def params(self) -> dict[str, Any]:
        return {
            "wirecheck": __version__,
            "reader": asdict(self.reader),
            "language": {
                **language.params(),
                "method": self.lang_method,
                "per_paragraph": self.paragraph_lang,
                # (named only when on: results made without it keep their parameters)
                **({"trust_declared": True} if self.trust_lang else {}),
            },
            "segmenter": segmenter_params(),
            "dedup": self.dedup_config.params() if self.dedup else None,
            "scorers": self.scorer_config.params() if self.scorers else None,
            "compare": {"metrics": f"sacrebleu-{version('sacrebleu')}", "align": "toolkit.align"}
            if self.compare and self.dedup
            else None,
        }

    def index_params(self) -> dict[str, Any]:
        """What a "seen before" index made by this configuration is bound to."""

        cfg = self.dedup_config
        bands, rows = lsh_params(cfg.lsh_copy, cfg.num_perm)
        return index_params(cfg.params(), cfg.lsh_copy, bands, rows)


def segmenter_params() -> dict[str, Any]:
    return {"sentences": f"sentence-splitter-{version('sentence-splitter')}+wirecheck-prefixes", "paragraphs": "lines"}


def signature(params: dict[str, Any]) -> str:
    """One line naming what produced a result, e.g. ``wirecheck:0.1.0|lang:langdetect-1.0.9,seed0|…``."""
    lang = params.get("language", {})
    parts = [
        f"wirecheck:{params.get('wirecheck')}",
        f"lang:{lang.get('detector')},{lang.get('method')},seed{lang.get('seed')}",
        f"seg:{params.get('segmenter', {}).get('sentences')}",
    ]
    dd = params.get("dedup")
    if dd:
        parts.append(f"dedup:datasketch-{dd['datasketch']},{dd['scheme']},perm{dd['num_perm']},seed{dd['seed']}")
    sc = params.get("scorers")
    if sc:
        extra = ",glossary" if sc.get("glossary") else ""
        extra += f",packs{len(sc['rule_packs'])}" if sc.get("rule_packs") else ""
        parts.append(
            f"scorers:{'+'.join(sc['families'])},wordfreq-{sc['wordfreq']},src{'+'.join(sc['source_langs'])}{extra}"
        )
    return "|".join(parts)


def seeds_dir() -> Path:
    """The embedded default corpus: ``seeds/`` beside the package (or inside a wheel)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_seeds", here.parent / "seeds"):
        if candidate.is_dir():
            return candidate

    raise InputError("the embedded seeds folder is missing from this installation")
