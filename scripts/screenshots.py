#!/usr/bin/env python3
"""Screenshots of pages as a logged-in user, in Chinese, with Debian's Chromium (for looking at pages).

Usage: .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 heping.director /tmp/shot /dashboard/ /staff/
Writes /tmp/shot-0.png, /tmp/shot-1.png, …; an OUT prefix ending in "-phone" uses a 390-pixel-wide screen.
"""

import sys

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


def main(base: str, user: str, out: str, paths: list[str], password: str = "demo12345") -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        width = 390 if out.endswith("-phone") else 1280
        page = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900}).new_page()
        page.goto(base + "/login/")
        page.fill("#id_username", user)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        for i, path in enumerate(paths):
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=f"{out}-{i}.png", full_page=True)
            print(f"{out}-{i}.png", path, page.title())
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
