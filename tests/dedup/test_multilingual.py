"""Story clustering across languages: reports with few names, sentence evidence across languages,
and the name keys of scripts without capitals."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from toolkit.dedup import DedupConfig, cluster_documents
from toolkit.dedup.candidates import _lsh_codes, _names_seen
from toolkit.dedup.features import features_batch
from toolkit.dedup.minhash import signatures
from toolkit.dedup.verify import Sentences, increasing_run
from toolkit.document import Document
from toolkit.pipeline import Language, Normalize
from toolkit.text.normalize import norm_of

# a report that names one person, one place and one figure (four name and number keys): written for this test
EN = """Farmers in the valley fear a dry summer
Rain has not fallen for six weeks, and the river that feeds the orchards is lower than anyone can remember.
Growers at the 40 farms of the Verdon say the apricot harvest could be half of last year's if the weather does not change soon.
"We have never seen the water this low at this time of year," said Elena Marquetti, who runs a cooperative of small producers.
The regional council has asked households to limit the watering of gardens and to report leaks.
Officials will meet the growers next week to discuss emergency help for those who lose their crops."""  # noqa: E501

FR = """Les agriculteurs de la vallée redoutent un été sec
Il n'a pas plu depuis six semaines, et la rivière qui alimente les vergers est plus basse que jamais.
Les producteurs des 40 exploitations du Verdon estiment que la récolte d'abricots pourrait diminuer de moitié par rapport à l'an dernier si le temps ne change pas rapidement.
« Nous n'avons jamais vu l'eau aussi basse à cette période de l'année », a déclaré Elena Marquetti, qui dirige une coopérative de petits producteurs.
Le conseil régional a demandé aux ménages de limiter l'arrosage des jardins et de signaler les fuites.
Les responsables rencontreront les producteurs la semaine prochaine pour discuter d'une aide d'urgence à ceux qui perdent leurs récoltes."""  # noqa: E501


def prepared(*texts: str) -> list[Document]:
    docs = [Document(id=f"d{k}", text=t, record={}) for k, t in enumerate(texts)]
    return list(Language()(Normalize()(docs)))


def test_a_report_with_few_names_joins_its_translation() -> None:
    docs = prepared(EN, FR)
    assert [d.lang for d in docs] == ["en", "fr"]
    feats = features_batch([norm_of(d).text for d in docs], [d.lang for d in docs])
    sets = [f.xling_items for f in feats]
    assert [len(s) for s in sets] == [4, 4]
    # searched by its names and figures: from min_keys of them, where it was eight before
    cfg = DedupConfig()
    sigs = signatures(sets, cfg.num_perm, cfg.seed)
    assert _lsh_codes(sets, cfg.lsh_xling, cfg, sigs, cfg.min_keys).tolist() == [1]  # the pair (0, 1)
    assert _lsh_codes(sets, cfg.lsh_xling, cfg, sigs, 8).tolist() == []
    cluster_documents(docs, cfg)
    assert docs[0].cluster is not None and docs[1].cluster is not None
    assert docs[0].cluster.id == docs[1].cluster.id


def test_sentences_across_languages_count_in_the_order_of_the_text() -> None:
    lines = FR.split("\n")
    # the same French sentences, last first: every one still has its English match
    docs = prepared(EN, FR, "\n".join(reversed(lines)))
    s = Sentences(docs, DedupConfig())
    in_order, reversed_ = s.coverage(0, 1, cross=True), s.coverage(0, 2, cross=True)
    assert in_order >= DedupConfig().coverage_cross > reversed_
    # within one language nothing is translated, and order is not asked
    docs = prepared(FR, FR, "\n".join(reversed(lines)))
    s = Sentences(docs, DedupConfig())
    assert s.coverage(0, 1) == s.coverage(0, 2) == 1.0


@given(st.lists(st.integers(0, 30), max_size=12))
def test_increasing_run_is_the_longest_increasing_subsequence(ys: list[int]) -> None:
    best = max(
        (len(sub) for r in range(len(ys) + 1) for sub in itertools.combinations(ys, r)
         if all(a < b for a, b in itertools.pairwise(sub))),
        default=0,
    )  # fmt: skip
    assert increasing_run(ys) == best


def test_keys_of_a_caseless_document_are_those_the_batch_names() -> None:
    def f(*keys: int) -> SimpleNamespace:
        return SimpleNamespace(xling_items=np.array(keys, dtype=np.uint32))

    # 0 and 1 have capitals; 2 (Arabic, say) keys its names and its rarer words
    feats = [f(1, 2, 3), f(3, 4), f(1, 3, 9, 10, 11, 12), f(20, 21)]
    caseless = np.array([False, False, True, True])
    sets = _names_seen([0, 1, 2, 3], feats, caseless)
    assert [s.tolist() for s in sets] == [[1, 2, 3], [3, 4], [1, 3], [20, 21]]  # none named: all kept
    # all caseless (a feed in one such script): nothing to tell names by, every key kept
    assert [s.tolist() for s in _names_seen([2, 3], feats, np.array([True, True]))] == [[1, 3, 9, 10, 11, 12], [20, 21]]
