"""Gunicorn settings; every value can be changed with an environment variable.

Defaults chosen with `make bench` and `python -m bench.sweep` on the 2-core machine this was built on
(README: Performance): one worker process per core, since serving cached pages and static files is CPU
work and more processes measured no faster; four threads in each, so a worker keeps serving while one
request waits on the SQLite write lock or a slow client, and browsers keep their connection open
(threaded workers support keep-alive).

Each worker listens on a socket of its own (``reuse_port``): the kernel spreads new connections across
them, where with one shared socket the first worker to wake accepted connection after connection and
could end up holding every kept-alive connection while the other worker idled. The site is loaded once,
in the master, before the workers are forked (``preload_app``): a worker opens its socket as it starts,
so one started to replace a dead one must be able to serve at once, not after loading Django, or the
connections the kernel sends to its socket meanwhile would wait.
"""

import os

from outsourcing_site.environment import proxy_ssl_header, trusted_proxy_count

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
reuse_port = os.environ.get("GUNICORN_REUSE_PORT", "1") == "1"
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "1000"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "2"))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# The site logs one line per request itself (outsourcing_site.requests); gunicorn's own access
# line would repeat it. GUNICORN_ACCESSLOG=- turns it back on.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"

# Proxy headers are believed only as far as the site trusts proxies (DJANGO_TRUSTED_PROXY_COUNT): with none in
# front, gunicorn believes no client, not even one on this machine, that says its request came over HTTPS;
# behind one, only the proxy at FORWARDED_ALLOW_IPS (gunicorn's own variable, default this machine), and only in
# the one header DJANGO_SECURE_PROXY_SSL_HEADER names. Path headers (SCRIPT_NAME) are never taken from anyone.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1") if trusted_proxy_count() else ""
secure_scheme_headers = {proxy_ssl_header().upper(): "https"} if proxy_ssl_header() else {}
forwarder_headers = ""
