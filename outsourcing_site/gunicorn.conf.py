"""Gunicorn settings; every value can be changed with an environment variable.

Defaults chosen with `make bench` on the 2-core machine this was built on (README:
Performance): one worker process per core, since serving cached pages and static files
is CPU work and more processes measured no faster; four threads in each, so a worker
keeps serving while one request waits on the SQLite write lock or a slow client, and
browsers keep their connection open (threaded workers support keep-alive).
"""

import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# The site logs one line per request itself (outsourcing_site.requests); gunicorn's own access
# line would repeat it. GUNICORN_ACCESSLOG=- turns it back on.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
