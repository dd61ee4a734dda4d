"""The caches every process shares: Redis that fails fast when it stops answering, or without Redis, files
whose counts add up."""

import os
import pickle
import threading
import time
import zlib
from contextlib import contextmanager

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks


class FileCacheWithAtomicCounts(FileBasedCache):
    """Django's file cache, with ``add`` and ``incr`` atomic across threads and processes (the quiz start limit).

    Django's own are a read and a separate write, so simultaneous quiz starts read the same count and most of
    them got past the limit (31 of 50 through a limit of 20); and its ``incr`` rewrote the entry with the default
    timeout, so a count could expire before its window ended. Here both hold one lock file in the cache folder,
    and ``incr`` keeps the entry's expiry, as Redis' INCR does.
    """

    lock_file_name = "counts.lock"

    @contextmanager
    def counting(self):
        self._createdir()
        with open(os.path.join(self._dir, self.lock_file_name), "ab") as lock_file:
            locks.lock(lock_file, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(lock_file)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self.counting():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        with self.counting():
            seconds_left, value = self.live_entry(key, version)
            new_value = value + delta
            self.set(key, new_value, seconds_left, version)
            return new_value

    def live_entry(self, key, version):
        """(seconds until the entry expires or None for never, value); ValueError if there is none."""
        try:
            with open(self._key_to_file(key, version), "rb") as entry:
                expiry = pickle.load(entry)
                seconds_left = None if expiry is None else expiry - time.time()
                if seconds_left is None or seconds_left > 0:
                    return seconds_left, pickle.loads(zlib.decompress(entry.read()))
        except (FileNotFoundError, EOFError):
            pass
        raise ValueError(f"Key '{key}' not found")


class RedisResting:
    """When Redis stops answering, this process leaves it alone for a few seconds instead of asking again.

    django-redis waits up to its socket timeout on every call, and one request can make several (the quiz start
    limit makes two), so a hung Redis would cost each request a multiple of the timeout. After one failure,
    calls fail at once (and the cache answers as if empty, as IGNORE_EXCEPTIONS says) until the rest is over.
    """

    def __init__(self, seconds):
        self.seconds = seconds
        self.until = 0.0
        self.lock = threading.Lock()

    def check(self):
        if time.monotonic() < self.until:
            raise redis.exceptions.ConnectionError("Redis did not answer a moment ago; not asking it again yet.")

    @contextmanager
    def noting_failures(self):
        try:
            yield
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
            with self.lock:
                self.until = time.monotonic() + self.seconds
            raise


redis_resting = RedisResting(seconds=5)


class FailFastRedisConnection(redis.connection.Connection):
    """A Redis connection that gives up at once while ``redis_resting`` says Redis recently failed to answer."""

    def connect(self):
        redis_resting.check()
        with redis_resting.noting_failures():
            super().connect()

    def send_packed_command(self, command, check_health=True):
        redis_resting.check()
        with redis_resting.noting_failures():
            super().send_packed_command(command, check_health)

    def read_response(self, *args, **kwargs):
        with redis_resting.noting_failures():
            return super().read_response(*args, **kwargs)


def redis_cache(location, key_prefix):
    """The settings of a cache in the Redis at ``location``: fail soft, fail fast, store JSON."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {
            # A Redis outage makes the site slower, never broken: cache calls fail soft and are logged.
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
            # One wait of at most the timeout, then nothing asks again for a while (RedisResting).
            "CONNECTION_POOL_KWARGS": {"connection_class": FailFastRedisConnection},
            # JSON, not pickle: whoever can write to the Redis can then plant data, but not code the site runs.
            "SERIALIZER": "django_redis.serializers.json.JSONSerializer",
        },
    }
