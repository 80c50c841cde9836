"""What the commands print: the run summary, the cluster table, the findings, aligned pairs.

Tables go through rich with markup off: every id, path and text is shown as it is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from toolkit.cli.base import plural, say


def _console(to_stderr: bool = False, file: Any = None) -> Any:
    from rich.console import Console

    width = None if file is not None and file.isatty() else 160
    return Console(stderr=to_stderr, file=file, highlight=False, markup=False, width=width)


def print_summary(summary: Any, out: Path | None, tally: Any = None, dry_run: bool = False,
                  routed: bool = False) -> None:  # fmt: skip
    """The run's counts on stderr, in a sentence; gates and routes when they were used."""
    d = summary.to_dict()
    langs = ", ".join(f"{k} {v}" for k, v in d["languages"].items()) or "none"
    where = ""
    if out is not None:
        where = f" → {out}/" + (" (open report.html)" if (out / "report.html").is_file() else "")
    stories = d["clusters"]["total"]
    told = f"{plural(stories, 'story')}, " if stories else ""
    say(f"wirecheck: {plural(d['documents'], 'document')} ({d['accepted']} checked, {d['rejected']} rejected), "
        f"{told}languages: {langs}; {plural(d['findings'], 'finding')}{where}")  # fmt: skip
    if d["rejected"]:
        say("wirecheck: rejects: " + ", ".join(f"{k} {v}" for k, v in d["rejects_by_reason"].items()))
    if tally is not None and (routed or tally.failures() or dry_run):
        r = tally.routed
        say(f"wirecheck: keep {r['keep']}, duplicates {r['duplicates']} (rate {tally.duplicate_rate:.3f}), "
            f"rejects {r['rejects']}" + ("; dry run: nothing written" if dry_run else ""))  # fmt: skip
    if tally is not None:
        for line in tally.failures():
            say(f"wirecheck: gate failed: {line}")


MAX_STORIES = 50  # a table is for reading: past this, the records carry every cluster


def print_clusters(clusters: dict[str, list[Any]], to_stderr: bool) -> None:
    """One row a member, multi-member stories first, with what joined it; at most
    ``MAX_STORIES`` stories, then a line saying how many more there are."""
    from rich.table import Table

    table = Table(title="story clusters (multi-member first)", show_lines=False)
    for col in ("cluster", "member", "lang", "role", "joined by"):
        table.add_column(col, overflow="fold")
    ordered = sorted(clusters.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    for cid, members in ordered[:MAX_STORIES]:
        for n, (doc_id, lang, canonical, evidence) in enumerate(members):
            why = "; ".join(f"{e['kind']} {e['score']:.2f} with {e['with']}" for e in evidence[:2]) or "-"
            table.add_row(cid if n == 0 else "", doc_id, lang, "canonical" if canonical else "member", why)
    console = _console(to_stderr)
    console.print(table)
    rest = ordered[MAX_STORIES:]
    if rest:
        multi = sum(1 for _, m in rest if len(m) > 1)
        console.print(f"… and {plural(len(rest), 'more story', 'more stories')} ({multi} with several versions, "
                      f"{sum(len(m) for _, m in rest)} documents): every output record names its cluster")  # fmt: skip


def print_findings(found: list[tuple[str, str, list[Any]]], to_stderr: bool) -> None:
    """Each document's findings, worst first: where, what, why and the fix."""
    from rich.table import Table

    rank = {"critical": 0, "major": 1, "minor": 2, "neutral": 3}
    table = Table(title="findings (worst first in each document)", show_lines=False)
    for col in ("document", "line", "severity", "code", "text", "what and fix"):
        table.add_column(col, overflow="fold")
    for doc_id, text, findings in found:
        ordered = sorted(findings, key=lambda f: (rank.get(f.severity.value, 9), f.start, f.code))
        for n, f in enumerate(ordered):
            line = text.count("\n", 0, f.start) + 1
            fix = f" → {f.fix!r}" if f.fix else ""
            table.add_row(doc_id if n == 0 else "", str(line), f.severity.value, f.code, f.text[:60], f.message + fix)
    _console(to_stderr).print(table)


def print_comparison(res: Any, out: Any) -> None:
    """Aligned pairs of two versions, with chrF (one language) or similarity, and the flags."""
    from rich.table import Table

    flags: dict[tuple[str, int], list[str]] = {}
    for side, f in res.findings:
        spans = res.src.spans if side == "src" else res.tgt.spans
        for k, (s, e) in enumerate(spans):
            if s <= f.start < max(e, s + 1):
                flags.setdefault((side, k), []).append(f.code.removeprefix("compare."))
                break
    same = bool(res.corpus)
    table = Table(title=f"{res.src.lang} ↔ {res.tgt.lang}: {res.alignment.params['mode']} mode", show_lines=True)
    table.add_column(res.src.lang, ratio=1)
    table.add_column(res.tgt.lang, ratio=1)
    table.add_column("chrF" if same else "sim", justify="right", no_wrap=True)
    table.add_column("flags", no_wrap=False)
    for b, sc in zip(res.alignment.beads, res.pair_scores, strict=True):
        fl = sorted({x for i in b.src for x in flags.get(("src", i), [])} | {
            x for j in b.tgt for x in flags.get(("tgt", j), [])})  # fmt: skip
        if b.note == "boilerplate":
            fl = ["boilerplate", *fl]
        score = "—" if not sc else f"{sc['chrf']:.1f}" if "chrf" in sc else f"{sc['similarity']:.2f}"
        table.add_row(" ".join(res.src.sentences[i] for i in b.src), " ".join(res.tgt.sentences[j] for j in b.tgt),
                      score, ", ".join(fl))  # fmt: skip
    console = _console(file=out)
    console.print(table)
    for name, value in res.corpus.items():
        console.print(f"{name} = {value:.2f}   ({res.signatures[name]})")


def print_beads(src: list[str], tgt: list[str], res: Any, out: Any) -> None:
    """An alignment side by side: sentence numbers, texts and each bead's score."""
    from rich.table import Table

    p = res.params
    table = Table(title=f"{p['src_lang']} → {p['tgt_lang']}, {p['mode']} mode ({len(res.beads)} beads)",
                  show_lines=True)  # fmt: skip
    table.add_column("src", justify="right", no_wrap=True)
    table.add_column(p["src_lang"], ratio=1)
    table.add_column("tgt", justify="right", no_wrap=True)
    table.add_column(p["tgt_lang"], ratio=1)
    table.add_column("score", justify="right", no_wrap=True)
    for b in res.beads:
        score = "chrome" if b.note else (f"{b.score:.2f}" if b.src and b.tgt else "—")
        table.add_row(",".join(map(str, b.src)), " ".join(src[i] for i in b.src), ",".join(map(str, b.tgt)),
                      " ".join(tgt[j] for j in b.tgt), score)  # fmt: skip
    _console(file=out).print(table)
