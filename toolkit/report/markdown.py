"""The Markdown summary: a run in a few lines, for a ticket or a chat message."""

from __future__ import annotations

from toolkit.report.html import SEVERITIES, family
from toolkit.report.results import Results

_SEV_RANK = {s: k for k, s in enumerate(SEVERITIES)}


def _cell(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    # a pipe ends a table cell; brackets and backticks would start links and code
    for ch in "\\|[]`*_<>":
        text = text.replace(ch, "\\" + ch)
    return text


def render_markdown(results: Results, top: int = 10) -> str:
    s = results.summary
    docs = [d for d in results.docs if d.rejected is None]
    counts: dict[str, dict[str, int]] = {}
    for d in docs:
        for f in d.findings:
            row = counts.setdefault(family(f["code"]), dict.fromkeys(SEVERITIES, 0))
            sev = f.get("severity", "minor")
            row[sev if sev in row else "minor"] += 1
    out: list[str] = [
        "# wirecheck report",
        "",
        f"**{s.get('documents', 0)} documents** ({s.get('accepted', 0)} checked, {s.get('rejected', 0)} rejected), "
        f"{s.get('clusters', {}).get('total', 0)} stories "
        f"({s.get('clusters', {}).get('multi_member', 0)} with several versions), "
        f"**{s.get('findings', 0)} findings**, mean quality {s.get('mean_quality')}.",
        "",
        f"`{s.get('signature', '')}`",
        "",
    ]
    if counts:
        out += ["| family | " + " | ".join(SEVERITIES) + " | total |", "|---" * (len(SEVERITIES) + 2) + "|"]
        for fam in sorted(counts):
            row = counts[fam]
            out.append(f"| {fam} | " + " | ".join(str(row[x] or "") for x in SEVERITIES) + f" | {sum(row.values())} |")
        out.append("")
    worst = sorted((d for d in docs if d.findings), key=lambda d: (d.quality if d.quality is not None else 100, d.id))
    if worst:
        out += [f"## Lowest quality ({min(top, len(worst))} of {len(worst)} documents with findings)", ""]
        out += ["| document | lang | quality | findings | most severe |", "|---|---|---|---|---|"]
        for d in worst[:top]:
            fs = sorted(d.findings, key=lambda f: (_SEV_RANK.get(f.get("severity", "minor"), 2), f["start"]))
            most = "; ".join(
                f"{f['severity']} `{f['code']}` “{_cell(f.get('text', ''), 30)}”"
                + (f" → {_cell(f['fix'], 30)}" if f.get("fix") else "")
                for f in fs[:2]
            )
            out.append(f"| {_cell(d.label, 50)} | {d.lang} | {d.quality} | {len(d.findings)} | {most} |")
        out.append("")
    if s.get("rejects_by_reason"):
        reasons = ", ".join(f"`{k}` {v}" for k, v in s["rejects_by_reason"].items())
        out += [f"Rejected records: {reasons}.", ""]
    out.append("Files: `report.html` (this report, to read), `findings.csv`, `documents.jsonl`, `cleaned.jsonl` and "
               "`cleaned.patch` (the safe fixes, applied).")  # fmt: skip
    return "\n".join(out) + "\n"
