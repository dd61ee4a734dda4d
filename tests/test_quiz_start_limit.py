"""The quiz start limit counts exactly in the default setup (no Redis): simultaneous starts cannot slip past it,
and a count lasts its whole window."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from outsourcing_site import settings as site_settings
from tests.quiz_helpers import QUIZ_SLUG
from tests.served_site import Browser, served_site

LIMIT = 20
STARTERS = 50


def start_when_everyone_is_ready(site, everyone_ready):
    browser = Browser(site)
    token = browser.csrf_token_from(f"/quiz/{QUIZ_SLUG}/")
    everyone_ready.wait()
    form = f"csrfmiddlewaretoken={token}".encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return browser.request(f"/quiz/{QUIZ_SLUG}/start/", data=form, headers=headers)[0]


def test_fifty_simultaneous_starts_from_one_address_let_exactly_the_limit_through(tmp_path):
    with served_site(tmp_path, QUIZ_START_RATE=f"{LIMIT}/h") as site:
        everyone_ready = threading.Barrier(STARTERS)
        with ThreadPoolExecutor(max_workers=STARTERS) as pool:
            statuses = list(pool.map(lambda _: start_when_everyone_is_ready(site, everyone_ready), range(STARTERS)))

    assert statuses.count(302) == LIMIT
    assert statuses.count(429) == STARTERS - LIMIT


def test_a_start_count_lasts_its_whole_window(client, shipped_content, settings, tmp_path):
    # The shared cache as settings.py builds it without Redis, whose entries otherwise live one second.
    default_shared_cache = site_settings.CACHES["shared"]
    settings.CACHES = {**settings.CACHES, "shared": {**default_shared_cache, "LOCATION": str(tmp_path), "TIMEOUT": 1}}
    settings.QUIZ_START_RATE = "2/h"

    assert [client.post(f"/quiz/{QUIZ_SLUG}/start/").status_code for _ in range(2)] == [302, 302]
    time.sleep(1.5)

    assert client.post(f"/quiz/{QUIZ_SLUG}/start/").status_code == 429
