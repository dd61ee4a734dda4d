"""gunicorn believes proxy headers only as far as the site trusts proxies: a client, even on the server's own
machine, cannot make its request count as HTTPS or move the site under another path."""

import re

from tests.served_site import Browser, served_site

CANONICAL_LINK = re.compile(r'<link rel="canonical" href="([^"]+)"')
CLAIMS_OF_HTTPS = [{"X-Forwarded-Proto": "https"}, {"X-Forwarded-Ssl": "on"}, {"X-Forwarded-Protocol": "ssl"}]


def canonical_link(site, headers):
    status, _, body = Browser(site).request("/", headers=headers)
    assert status == 200
    return CANONICAL_LINK.search(body.decode()).group(1)


def test_without_a_trusted_proxy_no_client_is_believed_about_https_or_the_path(tmp_path):
    with served_site(tmp_path) as site:
        plain = f"{site.url}/"
        assert [canonical_link(site, claim) for claim in CLAIMS_OF_HTTPS] == [plain] * len(CLAIMS_OF_HTTPS)
        assert canonical_link(site, {"SCRIPT_NAME": "/elsewhere"}) == plain


def test_behind_a_trusted_proxy_only_the_https_header_the_site_names_is_believed(tmp_path):
    proxy = {"DJANGO_TRUSTED_PROXY_COUNT": "1", "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"}
    with served_site(tmp_path, **proxy) as site:
        secure = f"https://127.0.0.1:{site.port}/"
        plain = f"{site.url}/"
        assert [canonical_link(site, claim) for claim in CLAIMS_OF_HTTPS] == [secure, plain, plain]
        assert canonical_link(site, {"SCRIPT_NAME": "/elsewhere"}) == plain
