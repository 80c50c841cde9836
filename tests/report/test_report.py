"""The editor's report: safe fixes, escaping, and the page itself in a real headless Chromium."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, require, run_cli
from toolkit.report.fixes import clean, patch
from toolkit.report.html import _segments

# end to end through the command, a browser, Redis or Dask: the slow tier (make test-fast skips it)
pytestmark = pytest.mark.slow

XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]


def finding(code: str, start: int, end: int, text: str, fix: str | None, **evidence: Any) -> dict[str, Any]:
    return {"code": code, "start": start, "end": end, "text": text[start:end], "fix": fix, "message": "m",
            "severity": "minor", "evidence": evidence}  # fmt: skip


def test_clean_applies_safe_fixes_only_and_lists_the_rest() -> None:
    text = "Share this story\n\nTurkey warned Idleb on Feb 13,2020 .\nEnd « here »."
    fs = [
        finding("boilerplate.chrome", 0, 16, text, ""),
        finding("untranslated.exonym", 32, 37, text, "Idlib"),  # an editor's call
        finding("number.date_format", 45, 52, text, "13, 2020"),
        finding("typography.space_before_punct", 52, 54, text, "."),
        finding("typography.space_before_punct", 53, 54, text, "!"),  # overlaps the one before
        finding("style.glossary", 55, 58, text, "The", safe=True),
        finding("rule.calque", 0, 5, text, None),  # no fix: neither applied nor listed for review
    ]
    c = clean("d1", text, fs)
    assert c.text == "Turkey warned Idleb on Feb 13, 2020.\nThe « here ».\n"
    assert [f["code"] for f in c.review] == ["untranslated.exonym"]
    assert [f["code"] for f in c.skipped] == ["typography.space_before_punct"]
    assert len(c.applied) == 4
    diff = patch("d1", text, c.text)
    assert diff.startswith("--- a/d1\n+++ b/d1\n") and "-Share this story\n" in diff and "+The « here ».\n" in diff
    assert patch("d1", text, text) == ""


def test_segments_cover_the_text_once_with_overlaps_most_severe_first() -> None:
    segs = _segments("abcdefghij", [(2, 6, 2, 0), (4, 8, 0, 1), (9, 9, 3, 2)])
    assert [(a, b) for a, b, _ in segs] == [(0, 2), (2, 4), (4, 6), (6, 8), (8, 9), (9, 10)]
    assert [ids for _, _, ids in segs] == [[], [0], [1, 0], [1], [], [2]]


def xss_input(path: Path) -> Path:
    recs = [
        {"id": "evil-1", "title": XSS[0] + " title " + XSS[1], "url": "javascript:alert(1)//" + XSS[1],
         "source": XSS[0], "text": f"Turkey warned Russia on Thursday.\r\n{XSS[0]} The talks in Ankara {XSS[1]} "
         "will resume on Monday , officials said.\n\nShare this story\n\nRead more"},
        {"id": XSS[1], "title": "quotes \" ' & </script><!--", "url": "https://example.org/a?b=1&c=\"2\"",
         "text": "A second story about the harvest in Normandy 🌾.\r\nIt rained.\r" + XSS[0] * 3},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    return path


def test_html_escapes_text_title_url_and_ids(tmp_path: Path) -> None:
    r = run_cli("run", str(xss_input(tmp_path / "evil.jsonl")), "--out", str(tmp_path / "out"), "-q")
    assert r.returncode == 0, r.stderr.decode()
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img" not in html and "</script><!--" not in html
    assert html.count("<script") == 2  # the JSON data block and the report's own script
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in md


def test_report_command_renders_saved_results_identically(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("run", "--out", str(out), "-q").returncode == 0
    first = (out / "report.html").read_bytes()
    r = run_cli("report", str(out), "--out", str(tmp_path / "again"))
    assert r.returncode == 0, r.stderr.decode()
    assert (tmp_path / "again" / "report.html").read_bytes() == first
    assert b"safe fixes applied" in r.stderr
    assert run_cli("report", str(tmp_path / "nowhere")).returncode == 2


# --- the page in a real browser -------------------------------------------------------------

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
ARTIFACTS = Path(os.environ.get("WIRECHECK_ARTIFACTS", ROOT / "out" / "test-artifacts"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = require("chromium", "Debian's chromium for the report's browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_report(browser: Any, path: Path) -> tuple[Any, dict[str, list[str]]]:
    """A page on ``path`` that records dialogs, script errors and every request it makes."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    seen: dict[str, list[str]] = {"dialogs": [], "errors": [], "requests": []}
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.goto(path.resolve().as_uri())
    page.wait_for_selector("html[data-ready='1']", timeout=10_000)
    return page, seen


@pytest.fixture(scope="module")
def seeds_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seeds") / "out"
    r = run_cli("run", "--out", str(out), "-q")
    assert r.returncode == 0, r.stderr.decode()
    return out / "report.html"


def test_seeds_report_in_chromium(browser: Any, seeds_report: Path) -> None:
    page, seen = open_report(browser, seeds_report)
    # the {000, 001} story: one section holding both versions, the canonical one marked
    section = page.locator("section.cluster", has=page.locator("code", has_text="000_25f7e6c52884490d.txt"))
    assert section.count() == 1
    assert section.locator("code", has_text="001_380e6ef03d52a1a3.txt").count() == 1
    assert section.locator(".badge", has_text="canonical").count() == 1
    # its aligned sentence pairs, with chrF (stories off screen are drawn when scrolled to)
    section.scroll_into_view_if_needed()
    pairs = section.locator("table.pairs tbody tr")
    assert pairs.count() >= 10
    # (text_content: what the page holds, whether or not the browser has drawn it yet)
    first = pairs.first.locator("td").first.text_content()
    assert first and first in (section.locator(".text").first.text_content() or "")  # cut from the text shown above
    # in plain words, the metric for engineers in the tooltip
    assert section.locator("td.score", has_text=re.compile(r"wording \d+%")).count() >= 5
    assert section.locator("td.score[title^='chrF ']").count() >= 5
    # "Ergodan" highlighted in place; a click shows the explanation and the suggested fix
    mark = page.locator("mark.f", has_text=re.compile(r"^Ergodan$"))
    assert mark.count() == 1 and mark.is_visible()
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    mark.click()
    inspector = page.locator("#inspector")
    assert inspector.is_visible()
    assert "name.misspelling" in inspector.inner_text() and "“Erdogan”" in inspector.inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"))
    # "only name" hides every other family: their highlights go, their list entries are hidden
    typo = page.locator("mark.f", has_text=re.compile(r"^\s*\.$")).first  # a French-spaced full stop
    assert not typo.evaluate("m => m.classList.contains('off')")
    page.click("button[data-only='name']")
    assert typo.evaluate("m => m.classList.contains('off')")
    assert typo.evaluate("m => getComputedStyle(m).backgroundColor") == "rgba(0, 0, 0, 0)"
    assert not mark.evaluate("m => m.classList.contains('off')")
    doc = page.locator("article.doc", has=mark)
    doc.locator("details.findings summary").click()
    items = doc.locator("details.findings li")
    items.first.wait_for(state="attached")  # the list is built when it is first opened
    visible = [items.nth(k).inner_text() for k in range(items.count()) if items.nth(k).is_visible()]
    assert visible and all(t.startswith("name.") for t in visible)
    assert any(not items.nth(k).is_visible() for k in range(items.count()))
    # keyboard: j walks the visible findings in order
    page.click("#reset")
    page.keyboard.press("Escape")
    page.evaluate("window.scrollTo(0, 0)")
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.locator("#position").inner_text().startswith("finding 2 of ")
    page.screenshot(path=str(ARTIFACTS / "report-keyboard.png"))
    assert seen["dialogs"] == [] and seen["errors"] == []
    assert all(u.startswith("file:") for u in seen["requests"]), seen["requests"]  # no network at all
    page.close()


def test_hostile_text_title_and_url_render_as_text_in_chromium(browser: Any, tmp_path: Path) -> None:
    r = run_cli("run", str(xss_input(tmp_path / "evil.jsonl")), "--out", str(tmp_path / "out"), "-q")
    assert r.returncode == 0, r.stderr.decode()
    page, seen = open_report(browser, tmp_path / "out" / "report.html")
    page.wait_for_timeout(300)  # an onerror handler would have fired by now
    assert seen["dialogs"] == []
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 2
    assert page.evaluate("document.querySelectorAll('[onerror],[onload],[onclick]').length") == 0
    body = page.locator("body").inner_text()
    for payload in XSS:
        assert payload in body  # shown, as text
    assert "javascript:alert(1)//" in body and page.locator("a[href^='javascript']").count() == 0
    assert page.locator("mark.f", has_text=re.compile(r"^ ,$")).count() == 1
    # the page's text has the code points the offsets count (CR, NUL and astral characters
    # included): the side-by-side view cuts its sentences out of it
    texts = {json.loads(line)["id"]: json.loads(line)["text"] for line in (tmp_path / "evil.jsonl").open()}
    for k in range(page.locator("article.doc").count()):
        art = page.locator("article.doc").nth(k)
        shown = art.locator(".text").evaluate("e => Array.from(e.textContent)")
        assert "".join(shown) == texts[art.locator("p.meta code").inner_text()]
    page.locator("mark.f").first.click()  # the inspector builds its text from the data: still no element
    assert page.locator("img").count() == 0 and seen["dialogs"] == [] and seen["errors"] == []
    assert all(u.startswith("file:") for u in seen["requests"])
    page.close()


SEED_ERDOGAN = "002_69f73cb32884462e.txt"
SEED_IDLEB = "000_25f7e6c52884490d.txt"


def test_editor_reviews_fixes_downloads_the_corrected_story_and_apply_gives_the_same_bytes(
    browser: Any, seeds_report: Path, tmp_path: Path
) -> None:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(seeds_report.resolve().as_uri())
    page.wait_for_selector("html[data-ready='1']", timeout=10_000)
    # severity is visible in the first screen without a click: a legend, and the worst story first
    # with its counts by severity
    assert page.locator(".legend").is_visible()
    first = page.locator("ol.triage li").first
    assert first.is_visible() and first.locator(".sevtag").count() >= 1
    assert first.bounding_box()["y"] < 900  # type: ignore[index]
    # ... and in the text, a finding's underline says its severity
    erg = page.locator("mark.f", has_text=re.compile(r"^Ergodan$"))
    assert "s1" in erg.get_attribute("class").split()  # type: ignore[union-attr]
    assert erg.evaluate("m => getComputedStyle(m).borderBottomStyle") == "solid"
    # accept Ergodan -> Erdogan with the keyboard, and every Idleb -> Idlib at once
    erg.click()
    page.keyboard.press("a")
    assert "Accepted" in page.locator("#inspector").inner_text()
    assert "acc" in erg.get_attribute("class").split()  # type: ignore[union-attr]
    page.locator("mark.f", has_text=re.compile(r"^Idleb$")).first.click()
    page.get_by_role("button", name=re.compile(r"^Accept all \d+ like this$")).click()
    seeds = ROOT / "seeds"
    for doc in (SEED_ERDOGAN, SEED_IDLEB):
        expected = (seeds / doc).read_text(encoding="utf-8").replace("Ergodan", "Erdogan").replace("Idleb", "Idlib")
        article = page.locator("article.doc", has=page.locator("code", has_text=doc))
        with page.expect_download() as dl:
            article.locator("button.download").click()
        dl.value.save_as(tmp_path / doc)
        assert (tmp_path / doc).read_bytes() == expected.encode("utf-8")
    with page.expect_download() as dl:
        page.click("#export")
    dl.value.save_as(tmp_path / "decisions.json")
    # the command line applies the exported decisions to the run: the same bytes
    r = run_cli("apply", str(tmp_path / "decisions.json"), "--results", str(seeds_report.parent),
                "--out", str(tmp_path / "corrected"))  # fmt: skip
    assert r.returncode == 0, r.stderr.decode()
    for doc in (SEED_ERDOGAN, SEED_IDLEB):
        assert (tmp_path / "corrected" / doc).read_bytes() == (tmp_path / doc).read_bytes()
    # a reload keeps the decisions
    page.reload()
    page.wait_for_selector("html[data-ready='1']", timeout=10_000)
    from playwright.sync_api import expect

    expect(page.locator("#decided")).to_have_text(re.compile(r"^\d+ decisions$"))
    expect(page.locator("mark.f", has_text=re.compile(r"^Ergodan$"))).to_have_class(re.compile(r"\bacc\b"))
    # printed, every story is drawn (none left to lazy rendering) and the controls are gone
    page.emulate_media(media="print")
    sections = page.locator("section.cluster")
    for k in range(sections.count()):
        assert sections.nth(k).evaluate("s => getComputedStyle(s).contentVisibility") == "visible"
        assert sections.nth(k).locator(".text").first.inner_text().strip()
    assert not page.locator(".toolbar").is_visible()
    assert errors == []
    context.close()


def test_apply_refuses_files_that_are_not_decisions(tmp_path: Path, seeds_report: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"documents": {}}', encoding="utf-8")
    r = run_cli("apply", str(bad), "--results", str(seeds_report.parent), "--out", str(tmp_path / "c"))
    assert r.returncode == 2 and b"not a decisions file" in r.stderr
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": "wirecheck-decisions/1", "documents": {"nope.txt": []}}), encoding="utf-8")
    r = run_cli("apply", str(other), "--results", str(seeds_report.parent), "--out", str(tmp_path / "c"))
    assert r.returncode == 2 and b"nope.txt" in r.stderr


def test_corrected_text_applies_accepted_and_edited_fixes_in_order() -> None:
    from toolkit.report.review import corrected, finding_key

    text = "Home > World\n\nErgodan met Merekl in Idleb.\n"
    fs = [
        finding("boilerplate.nav", 0, 12, "Home > World", ""),
        finding("name.misspelling", 14, 21, "Ergodan", "Erdogan"),
        finding("name.misspelling", 26, 32, "Merekl", "Merkel"),
        finding("untranslated.exonym", 36, 41, "Idleb", "Idlib"),
    ]
    decided = {
        finding_key(fs[1]): ("accept", "Erdogan"),
        finding_key(fs[2]): ("edit", "Angela Merkel"),
        finding_key(fs[3]): ("reject", None),
    }
    assert corrected(text, fs, decided, False) == "Home > World\n\nErdogan met Angela Merkel in Idleb.\n"
    assert corrected(text, fs, decided, True) == "Erdogan met Angela Merkel in Idleb.\n"


def test_a_flagged_translation_sentence_stands_beside_its_source_with_both_spans_highlighted(
    browser: Any, tmp_path: Path
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for p in (ROOT / "fixtures" / "dedup" / "fr_001.txt", *sorted((ROOT / "seeds").glob("00[01]_*.txt"))):
        (src / p.name).write_bytes(p.read_bytes())
    r = run_cli("run", str(src), "--out", str(tmp_path / "out"), "-q")
    assert r.returncode == 0, r.stderr.decode()
    page, seen = open_report(browser, tmp_path / "out" / "report.html")
    pair = page.locator("details.aligned").filter(has_text="(fr)").filter(has=page.locator("mark.anchor")).first
    pair.scroll_into_view_if_needed()
    # the French source's sentence, its "Idleb" marked as the anchor of the English version's finding
    row = pair.locator("tr.flagged").filter(has=page.locator("mark.anchor", has_text="Idleb")).first
    target = row.locator("td").nth(2).locator("mark.f", has_text=re.compile(r"^Idleb$")).first
    assert target.is_visible() and row.locator("td").nth(0).locator("mark.anchor").first.is_visible()
    target.click()
    assert "untranslated.exonym" in page.locator("#inspector").inner_text()
    assert seen["errors"] == []
    page.close()


def _axe_serious(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}, e.g. {v['nodes'][0]['target']})"
            for v in found if v.get("impact") in ("serious", "critical")]  # fmt: skip


def test_the_report_has_no_serious_accessibility_violation(browser: Any, seeds_report: Path) -> None:
    page, _ = open_report(browser, seeds_report)
    assert _axe_serious(page) == []
    page.close()


def test_a_thousand_story_page_opens_fast_prints_whole_and_stays_small(browser: Any, tmp_path: Path) -> None:
    from toolkit.report.html import render_html
    from toolkit.report.results import Doc, Results

    words = [
        "the",
        "minister",
        "said",
        "on",
        "Tuesday",
        "that",
        "talks",
        "with",
        "the",
        "union",
        "would",
        "resume",
        "next",
        "week",
    ]
    docs = []
    for k in range(1000):
        body = "\n\n".join(" ".join(words[(k + j) % 7 :] + words[: (k + j) % 7]) + f" Story {k}." for j in range(12))
        text = f"Headline of story {k}: Ergodan visits Idleb\n\n{body}\n"
        e, i = text.index("Ergodan"), text.index("Idleb")
        fs = [
            finding("name.misspelling", e, e + 7, "Ergodan", "Erdogan") | {"severity": "major"},
            finding("untranslated.exonym", i, i + 5, "Idleb", "Idlib") | {"severity": "minor"},
        ]
        cluster = {"id": f"c:{k:04d}", "canonical": True, "of": f"story-{k:04d}.txt", "evidence": []}
        docs.append(Doc(f"story-{k:04d}.txt", text, None, f"source {k % 5}", None, None, "en", 90.0, fs, cluster, None))
    summary = {
        "documents": 1000,
        "accepted": 1000,
        "rejected": 0,
        "findings": 2000,
        "mean_quality": 90.0,
        "languages": {"en": 1000},
        "clusters": {"total": 1000, "multi_member": 0},
        "signature": "test",
        "rejects_by_reason": {},
    }
    path = tmp_path / "report.html"
    path.write_text(render_html(Results(summary, docs)), encoding="utf-8")
    assert path.stat().st_size <= 10 * 1024 * 1024
    page, seen = open_report(browser, path)
    paint = page.evaluate(
        "() => (performance.getEntriesByName('first-contentful-paint')[0] || {startTime: 1e9}).startTime"
    )
    assert paint <= 1500, paint  # milliseconds from navigation
    assert page.locator("section.cluster").count() == 1000
    page.emulate_media(media="print")
    assert page.evaluate(
        "() => Array.from(document.querySelectorAll('section.cluster')).every(s =>"
        " getComputedStyle(s).contentVisibility === 'visible' && s.querySelector('.text').innerText.length > 0)"
    )
    assert seen["errors"] == []
    page.close()


def test_the_report_printed_to_pdf_holds_every_storys_text(browser: Any, seeds_report: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    page, _ = open_report(browser, seeds_report)
    page.pdf(path=str(tmp_path / "report.pdf"))
    page.close()
    printed = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(tmp_path / "report.pdf").pages).split())
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        assert seed.name in printed
        # the last paragraph of every story: the end of the page is printed too, not just the first screen
        last = " ".join(seed.read_text(encoding="utf-8").strip().split("\n")[-1].split()[:8])
        assert last in printed, (seed.name, last)
