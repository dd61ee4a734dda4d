"""Lighthouse (npm, pinned in package.json) gives 100 in performance, accessibility, best practices and SEO on the
pages readers land on, in its default run: a phone on a throttled connection, simulated; each score the median of
up to three runs (lighthouse_scores.mjs)."""

import json
import os
import subprocess

from .tools import CHROMIUM, ROOT

# Every page Lighthouse checks.
LIGHTHOUSE_PAGES = ["/", "/bpo/", "/quiz/"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
SCORES_SCRIPT = ROOT / "tests" / "browser" / "lighthouse_scores.mjs"


def lighthouse_scores(origin, paths):
    finished = subprocess.run(
        ["node", str(SCORES_SCRIPT), origin, *paths],
        cwd=ROOT,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert finished.returncode == 0, finished.stderr
    return json.loads(finished.stdout.splitlines()[-1])


def test_lighthouse_scores_100_in_every_category_on_every_page(site):
    scores = lighthouse_scores(site.url, LIGHTHOUSE_PAGES)

    medians = {path: {name: scores[path][name] for name in CATEGORIES} for path in LIGHTHOUSE_PAGES}
    print("\nLighthouse, median of the runs:", json.dumps(medians))
    runs = {path: scores[path]["runs"] for path in LIGHTHOUSE_PAGES}
    assert medians == {path: dict.fromkeys(CATEGORIES, 100) for path in LIGHTHOUSE_PAGES}, json.dumps(runs, indent=1)
