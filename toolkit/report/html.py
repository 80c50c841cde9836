"""The editor's report: one self-contained HTML page (no network, no external assets).

Every string from the data reaches the page through an escaping path: jinja2's autoescape in
the template, :func:`markupsafe.escape` for the highlighted texts built here, and a JSON
block whose ``<``, ``>`` and ``&`` are written as ``\\u`` escapes so it can never close its
``<script>`` element. The page's Content-Security-Policy allows its one inline script by
hash and no other script, so even an escaping bug could not run injected code.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import zlib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from markupsafe import Markup, escape

from toolkit.report.fixes import is_safe
from toolkit.report.results import Doc, Results
from toolkit.text.normalize import replace_surrogates

SEVERITIES = ["critical", "major", "minor", "neutral"]
_SEV_RANK = {s: k for k, s in enumerate(SEVERITIES)}
# one colour per family the scorers emit; others get a stable colour from their name
PALETTE = {
    "name": "#ffd166",
    "untranslated": "#f4a3a3",
    "rule": "#c3aed6",
    "typography": "#a0d8ef",
    "number": "#b5e48c",
    "fact": "#ff9f68",
    "boilerplate": "#d9d9d9",
    "compare": "#9ad1c4",
    "spelling": "#f7c6e0",
    "style": "#e9e3a6",
}
_SPARE = ["#cfe8a9", "#f2c57c", "#b8c0ff", "#ffc8dd", "#a7d3a6", "#e5b3fe", "#fde2a4", "#bde0fe"]


def family(code: str) -> str:
    """A finding's family: the part of its code before the first dot, made safe for CSS."""
    head = code.split(".", 1)[0].lower()
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in head) or "other"


def colour(fam: str) -> str:
    return PALETTE.get(fam) or _SPARE[zlib.crc32(fam.encode()) % len(_SPARE)]


@dataclass(slots=True)
class ReportOptions:
    max_documents: int = 5000  # documents shown with their text; the rest are counted only
    max_chars: int = 200_000  # characters of one text shown; findings beyond are listed only

    def params(self) -> dict[str, Any]:
        return {"max_documents": self.max_documents, "max_chars": self.max_chars}


@dataclass(slots=True)
class _Strings:
    """An interning table for the page's JSON data (messages repeat across documents)."""

    items: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)

    def __call__(self, s: str | None) -> int:
        if s is None:
            return -1
        k = self.index.get(s)
        if k is None:
            k = self.index[s] = len(self.items)
            self.items.append(replace_surrogates(s))
        return k


def _segments(text: str, spans: list[tuple[int, int, int, int]]) -> list[tuple[int, int, list[int]]]:
    """Cut ``text`` where findings start and end: (start, end, global ids covering it, most severe first).

    ``spans``: (start, end, severity rank, global id). A zero-width finding covers the next
    character so that it can be seen and clicked.
    """
    n = len(text)
    cuts = {0, n}
    norm = []
    for s, e, rank, g in spans:
        s, e = max(0, min(s, n)), max(0, min(e, n))
        if e <= s:
            if s >= n:
                continue
            e = s + 1
        norm.append((s, e, rank, g))
        cuts.add(s)
        cuts.add(e)
    bounds = sorted(cuts)
    out = []
    starts: dict[int, list[tuple[int, int, int]]] = {}
    for s, e, rank, g in norm:
        starts.setdefault(s, []).append((e, rank, g))
    active: list[tuple[int, int, int]] = []
    for a, b in itertools.pairwise(bounds):
        active = [x for x in active if x[0] > a] + starts.get(a, [])
        ids = [g for _, _, g in sorted(active, key=lambda x: (x[1], x[2]))]
        out.append((a, b, ids))
    return out


def _highlight(
    text: str,
    segs: list[tuple[int, int, list[int]]],
    fam_of: list[int],
    cut: set[int],
    neutral: set[int],
    sev_of: list[int],
) -> Markup:
    parts: list[str] = []
    for a, b, ids in segs:
        piece = _escape_text(text[a:b])
        if not ids:
            parts.append(piece)
            continue
        # the most severe finding sets the underline (severity), its family the colour
        cls = f"f f{fam_of[ids[0]]} s{sev_of[ids[0]]}" + (" n" if ids[0] in neutral else "")
        cls += " cut" if any(g in cut for g in ids) else ""
        parts.append(f'<mark class="{cls}" data-f="{" ".join(map(str, ids))}">{piece}</mark>')
    return Markup("".join(parts))


def _pair_data(comp: dict[str, Any], src_doc: int, tgt_doc: int, strings: _Strings) -> tuple[list[Any], int]:
    """One comparison for the page: the two documents, their sentence spans and the beads as
    sentence ids (the page cuts the texts it already shows, so no sentence is stored twice).
    Beads of page chrome are left out and counted."""
    rows: list[list[Any]] = []
    chrome = 0
    for b in comp.get("beads", []):
        if b.get("note") == "boilerplate":
            chrome += 1
            continue
        scores = b.get("scores") or {}
        src, tgt = list(b.get("src") or []), list(b.get("tgt") or [])
        metric, value = ("", None)
        if "chrf" in scores:
            metric, value = "chrF", scores["chrf"]
        elif src and tgt:
            metric, value = "cos", b.get("score")
        rows.append([src, tgt, strings(b.get("kind", "")), metric, value])
    rows.sort(key=lambda r: (min(r[0]) if r[0] else 10**9, min(r[1]) if r[1] else 10**9))
    spans = [comp.get("src_spans") or [], comp.get("tgt_spans") or []]
    return [src_doc, tgt_doc, spans[0], spans[1], rows], chrome


def _escape_text(s: str) -> str:
    # The HTML parser turns CR into LF and drops NUL: written as references they keep their place,
    # so the page's text has the code points the findings' offsets count.
    return str(escape(replace_surrogates(s))).replace("\r", "&#13;").replace("\x00", "&#0;")


def _json_for_script(obj: Any) -> Markup:
    raw = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    # cannot end the <script> element or open a comment, whatever the data holds
    raw = raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    raw = raw.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(raw)


def _asset(name: str) -> str:
    return resources.files("toolkit.report").joinpath("templates", name).read_text("utf-8")


def view(results: Results, options: ReportOptions | None = None) -> dict[str, Any]:
    """Everything the template shows, in display order."""
    opts = options or ReportOptions()
    summary = results.summary
    accepted = [d for d in results.docs if d.rejected is None]
    rejected = [d for d in results.docs if d.rejected is not None]
    fams = sorted({family(f["code"]) for d in accepted for f in d.findings})
    fam_index = {f: k for k, f in enumerate(fams)}
    clusters: dict[str, list[Doc]] = {}
    for d in accepted:
        clusters.setdefault(d.cluster_id, []).append(d)

    def worst(members: list[Doc]) -> float:
        return min((m.quality for m in members if m.quality is not None), default=100.0)

    def severity_counts(members: list[Doc]) -> list[int]:
        out = [0] * len(SEVERITIES)
        for m in members:
            for f in m.findings:
                out[_SEV_RANK.get(f.get("severity", "minor"), 2)] += 1
        return out

    def triage(kv: tuple[str, list[Doc]]) -> tuple[Any, ...]:
        """Worst first: the most severe finding, then how many of those, then the lowest quality."""
        counts = severity_counts(kv[1])
        rank = next((k for k, c in enumerate(counts[:3]) if c), 3)
        return (rank, -counts[rank] if rank < 3 else 0, worst(kv[1]), kv[0])

    order = sorted(clusters.items(), key=triage)
    comps: dict[str, list[dict[str, Any]]] = {}
    by_id = {d.id: d for d in accepted}
    for c in results.comparisons:
        canon = by_id.get(str(c.get("src")))
        if canon is not None:
            comps.setdefault(canon.cluster_id, []).append(c)

    strings = _Strings()
    data_docs: list[list[Any]] = []
    data_findings: list[list[Any]] = []
    data_pairs: list[list[Any]] = []
    fam_of: list[int] = []
    sev_of: list[int] = []
    whole: list[int] = []
    counts = {f: {s: 0 for s in SEVERITIES} for f in fams}
    shown = 0
    out_clusters = []
    for ci, (cid, members) in enumerate(order):
        members = sorted(members, key=lambda m: (not m.canonical, m.id))
        names = {m.id: m.label for m in members}
        index_of: dict[str, tuple[int, bool]] = {}
        out_members = []
        for m in members:
            doc_index = len(data_docs)
            data_docs.append([m.id, ci])
            spans = []
            cut: set[int] = set()
            neutral: set[int] = set()
            first = len(data_findings)
            for f in sorted(m.findings, key=lambda f: (f["start"], f["end"], f["code"])):
                g = len(data_findings)
                fam = family(f["code"])
                sev = f.get("severity", "minor")
                counts[fam][sev if sev in _SEV_RANK else "minor"] += 1
                fam_of.append(fam_index[fam])
                sev_of.append(_SEV_RANK.get(sev, 2))
                safe = is_safe(f)
                if safe and f.get("fix") == "":
                    cut.add(g)
                if sev == "neutral":
                    neutral.add(g)
                with_id = (f.get("evidence") or {}).get("compared_with")
                data_findings.append([
                    doc_index, fam_index[fam], _SEV_RANK.get(sev, 2), strings(f["code"]), strings(f.get("category")),
                    f["start"], f["end"], strings(f.get("text", "")), strings(f.get("message", "")),
                    strings(f.get("fix")), 1 if safe else 0, strings(names.get(with_id, with_id) if with_id else None),
                ])  # fmt: skip
                spans.append((int(f["start"]), int(f["end"]), _SEV_RANK.get(sev, 2), g))
            show_text = shown < opts.max_documents
            shown += show_text
            index_of[m.id] = (doc_index, show_text and len(m.text) <= opts.max_chars)
            if index_of[m.id][1]:
                whole.append(doc_index)
            text = m.text[: opts.max_chars] if show_text else ""
            body = _highlight(text, _segments(text, spans), fam_of, cut, neutral, sev_of) if show_text else Markup("")
            evidence = (m.cluster or {}).get("evidence") or []
            out_members.append({
                "doc": m,
                "index": doc_index,
                "body": body,
                "shown": show_text,
                "truncated": show_text and len(m.text) > opts.max_chars,
                "n_findings": len(data_findings) - first,
                "joined": [
                    {"kind": e.get("kind"), "with": names.get(e.get("with"), e.get("with")), "score": e.get("score"),
                     "scores": e.get("scores") or {}}
                    for e in evidence
                ],
            })  # fmt: skip
        out_comps = []
        for c in comps.get(cid, []):
            a, b = index_of.get(c["src"]), index_of.get(c["tgt"])
            if a is None or b is None:
                continue
            both_shown = a[1] and b[1]
            pair, chrome = _pair_data(c, a[0], b[0], strings) if both_shown else ([], 0)
            out_comps.append({
                "src": names.get(c["src"], c["src"]),
                "tgt": names.get(c["tgt"], c["tgt"]),
                "src_lang": c.get("src_lang"),
                "tgt_lang": c.get("tgt_lang"),
                "corpus": c.get("corpus") or {},
                "signatures": c.get("signatures") or {},
                "mode": (c.get("alignment") or {}).get("mode"),
                "index": len(data_pairs) if both_shown else None,
                "rows": len(pair[4]) if both_shown else 0,
                "chrome": chrome,
            })  # fmt: skip
            if both_shown:
                data_pairs.append(pair)
        canon = members[0]
        sev_counts = severity_counts(members)
        # one-line reasons: the messages of the most severe findings, each once
        reasons: list[str] = []
        flagged = [f for m in members for f in m.findings if f.get("severity") != "neutral"]
        for f in sorted(flagged, key=lambda f: (_SEV_RANK.get(f.get("severity", "minor"), 2), f["start"], f["code"])):
            msg = f"{f.get('text', '')}: {f.get('message', '')}".strip(": ")
            if msg and msg not in reasons:
                reasons.append(msg)
            if len(reasons) == 3:
                break
        out_clusters.append({
            "id": cid,
            "index": ci,
            "severity": [(SEVERITIES[k], n, k) for k, n in enumerate(sev_counts) if n and k < 3],
            "reasons": reasons,
            "langs": sorted({m.lang for m in members}),
            "sources": sorted({m.source for m in members if m.source}),
            "title": canon.label,
            "members": out_members,
            "comparisons": out_comps,
            "multi": len(members) > 1,
            "worst": worst(members),
        })  # fmt: skip
    data = {
        "families": fams,
        "severities": SEVERITIES,
        "strings": strings.items,
        "docs": data_docs,
        "findings": data_findings,
        "pairs": data_pairs,
        "clusters": [c["id"] for c in out_clusters],
        "signature": summary.get("signature", ""),
        # documents whose whole text is on the page: only those can be downloaded corrected
        "whole": whole,
    }
    return {
        "summary": summary,
        "signature": summary.get("signature", ""),
        "params_json": json.dumps(
            {**(summary.get("parameters") or {}), "report": opts.params()}, ensure_ascii=False, indent=2
        ),
        "families": [{"name": f, "index": k, "colour": colour(f), "counts": counts[f]} for k, f in enumerate(fams)],
        "severities": SEVERITIES,
        "clusters": out_clusters,
        "languages": sorted({m.lang for m in accepted}),
        "sources": sorted({m.source for m in accepted if m.source}),
        "rejected": rejected,
        "shown": shown,
        "total_docs": len(accepted),
        "data": _json_for_script(data),
        "n_findings": len(data_findings),
        "open_pairs": len(data_pairs) <= 50,  # small reports open every side-by-side view at once
    }


def render_html(results: Results, options: ReportOptions | None = None) -> str:
    """The report page as a string (deterministic: no clock, no random ids)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("toolkit.report", "templates"),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    script = _asset("report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    v = view(results, options)
    return env.get_template("report.html.j2").render(
        **v, css=Markup(_asset("report.css")), script=Markup(script), script_hash=f"sha256-{digest}"
    )
