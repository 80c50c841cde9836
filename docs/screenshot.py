"""Regenerate docs/report.png, the README's picture of the report: the seeds' report in headless
Chromium, "Ergodan" (seed 002) selected with its review buttons.

Run: make run && .venv/bin/python docs/screenshot.py
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip

with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    page = browser.new_page(viewport={"width": 1280, "height": 860}, device_scale_factor=1)
    page.goto((ROOT / "out" / "report.html").as_uri())
    page.wait_for_selector("html[data-ready='1']")
    page.locator("mark.f", has_text="Ergodan").click()
    page.screenshot(path=str(ROOT / "docs" / "report.png"))
    browser.close()
