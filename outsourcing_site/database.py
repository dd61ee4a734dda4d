"""Waits on PostgreSQL, bounded: a database that stops answering costs a request seconds, not the hang.

PostgreSQL cancels a statement after ``DATABASE_STATEMENT_TIMEOUT`` and libpq gives up connecting after
``DATABASE_CONNECT_TIMEOUT`` (settings), but a server that has stopped answering altogether (hung, or
behind a network that holds the connection open) never cancels anything, and the client would wait as
long as the hang. So work that may wait on the database runs inside ``limit_waits()``: a watchdog thread
shuts the socket of the thread's connections once the statement timeout has passed, the blocked call
fails at once with an ``OperationalError`` (which the site answers with a 503), and the connection is
replaced on its next use. SQLite, a file on the same machine, is left alone.

Then, and when connecting fails, the ``outage`` is known for ``RETRY_SECONDS``: the site's PostgreSQL
backend (``outsourcing_site.postgresql``) fails new connections at once meanwhile, but for one attempt per
interval, so that a hung database ties up one thread per process rather than all of them.
"""

import contextlib
import logging
import os
import socket
import threading
import time
from concurrent.futures import Future

from django.conf import settings
from django.db import connections
from psycopg.pq import TransactionStatus

logger = logging.getLogger(__name__)

RETRY_SECONDS = 1
RECHECK_SECONDS = 0.25


class Outage:
    """Whether this process has found the database not answering, and has not connected to it since."""

    def __init__(self):
        self._lock = threading.Lock()
        self._retry_at = None

    def begin(self):
        with self._lock:
            self._retry_at = time.monotonic() + RETRY_SECONDS

    def end(self):
        self._retry_at = None

    def known(self):
        return self._retry_at is not None

    def may_try(self):
        """Whether to connect now: always, but during an outage only once per interval."""
        if self._retry_at is None:
            return True
        with self._lock:
            if time.monotonic() < self._retry_at:
                return False
            self._retry_at = time.monotonic() + RETRY_SECONDS
            return True


outage = Outage()


class Watchdog:
    def __init__(self):
        self._condition = threading.Condition()
        self._deadlines = {}  # token -> (deadline, seconds, the watched thread's connection wrappers)
        self._wakes_at = None
        self._thread = None

    @contextlib.contextmanager
    def limit(self, seconds):
        wrappers = [wrapper for wrapper in connections.all() if wrapper.vendor == "postgresql"]
        if not seconds or not wrappers:
            yield
            return
        token = object()
        deadline = time.monotonic() + seconds
        with self._condition:
            self._deadlines[token] = (deadline, seconds, wrappers)
            self._start_if_needed()
            if self._wakes_at is None or deadline < self._wakes_at:
                self._condition.notify()
        try:
            yield
        finally:
            with self._condition:
                self._deadlines.pop(token, None)

    def _start_if_needed(self):
        # Also after a fork: the child process has the object but not the thread.
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._watch, name="database-watchdog", daemon=True)
            self._thread.start()

    def _watch(self):
        with self._condition:
            while True:
                now = time.monotonic()
                for token, (deadline, seconds, wrappers) in list(self._deadlines.items()):
                    if deadline > now:
                        continue
                    given_up = [give_up_on(wrapper, seconds) for wrapper in wrappers]
                    if any(given_up):
                        del self._deadlines[token]
                    else:
                        # Past its time but busy with something else: cut off its next wait, if it is a long one.
                        self._deadlines[token] = (now + RECHECK_SECONDS, seconds, wrappers)
                self._wakes_at = min((deadline for deadline, _, _ in self._deadlines.values()), default=None)
                self._condition.wait(None if self._wakes_at is None else self._wakes_at - now)


def give_up_on(wrapper, seconds):
    """If ``wrapper``'s connection waits on the server, shut its socket so that the wait fails now."""
    connection = wrapper.connection
    if connection is None or connection.info.transaction_status != TransactionStatus.ACTIVE:
        return False
    try:
        with socket.socket(fileno=os.dup(connection.fileno())) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except (OSError, wrapper.Database.Error):
        return False  # closed meanwhile: nothing waits on it any more
    outage.begin()
    logger.warning("Gave up waiting on the database after %s s", seconds)
    return True


watchdog = Watchdog()


def limit_waits():
    """Within this block, the calling thread's database work fails once it has lasted the statement timeout."""
    return watchdog.limit(settings.DATABASE_STATEMENT_TIMEOUT)


def start_in_thread(function, name):
    """Run ``function()`` in a thread of its own, its waits limited, and return a Future of its result.

    The caller can stop waiting for the Future whenever it likes; the thread closes its database
    connections when it ends.
    """
    future = Future()

    def run():
        try:
            with limit_waits():
                future.set_result(function())
        except Exception as error:  # the thread's end: whatever went wrong is the caller's to handle
            future.set_exception(error)
        finally:
            connections.close_all()

    threading.Thread(target=run, name=name, daemon=True).start()
    return future
