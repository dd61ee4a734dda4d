"""How WhiteNoise serves collected static files."""

ONE_YEAR = 365 * 24 * 60 * 60


def cache_hashed_files_for_a_year(headers, path, url):
    """Hashed names never change content, so browsers may keep them a year without asking again.

    WhiteNoise would say ten years; one year is the longest lifetime HTTP caches are
    expected to honour, and a new deploy gets new names anyway.
    """
    if "immutable" in headers.get("Cache-Control", ""):
        headers["Cache-Control"] = f"max-age={ONE_YEAR}, public, immutable"
