"""Calls that cannot run away: a function run in helper processes that are killed when a call overruns.

A thread cannot be stopped from outside, but a process can. Each web process keeps its own helpers,
started on first use and reused; a helper serves one call at a time, so threads calling at once each get
one. A helper killed for overrunning is not reused: the next call starts a fresh one. Helpers are forked
from a ``forkserver`` that has imported the function's module already, so a fresh one is ready in
milliseconds, and forking never copies a threaded web process.
"""

import multiprocessing
import signal
import threading

HELPER_START_SECONDS = 60
READY = "ready"
HELPERS = multiprocessing.get_context("forkserver")


class TimeLimitExceeded(Exception):
    """The call did not finish within its time limit; its helper process was killed."""


class HelperProcessError(Exception):
    """A helper process did not start or died during a call."""


class TimeLimitedFunction:
    """``function`` (a module-level function of one picklable argument) run in helper processes.

    ``call(argument, seconds)`` returns ``function(argument)``, raises what it raised, or raises
    ``TimeLimitExceeded`` once ``seconds`` have passed without an answer. Each fresh helper first calls
    ``function(warm_up)``, so that one-time costs (lazy imports, compiled patterns) count against no call.
    """

    def __init__(self, function, warm_up):
        HELPERS.set_forkserver_preload([function.__module__])
        self.function = function
        self.warm_up = warm_up
        self.idle_helpers = []
        self.lock = threading.Lock()

    def call(self, argument, seconds):
        helper = self.idle_helper() or Helper(self.function, self.warm_up)
        try:
            succeeded, result = helper.call(argument, seconds)
        except BaseException:
            helper.stop()
            raise
        with self.lock:
            self.idle_helpers.append(helper)
        if not succeeded:
            raise result
        return result

    def idle_helper(self):
        """A started helper that is still alive (one killed from outside since its last call is dropped)."""
        with self.lock:
            while self.idle_helpers:
                helper = self.idle_helpers.pop()
                if helper.process.is_alive():
                    return helper
                helper.stop()
        return None


class Helper:
    """One helper process and the pipe to it."""

    def __init__(self, function, warm_up):
        self.connection, child_end = HELPERS.Pipe()
        self.process = HELPERS.Process(
            target=serve, args=(function, warm_up, child_end), daemon=True, name="time-limited"
        )
        self.process.start()
        child_end.close()
        if not self.started():
            self.stop()
            raise HelperProcessError(f"a helper process for {function.__qualname__} did not start")

    def started(self):
        try:
            return self.connection.poll(HELPER_START_SECONDS) and self.connection.recv() == READY
        except EOFError:
            return False

    def call(self, argument, seconds):
        """(True, result) or (False, the exception the function raised)."""
        self.connection.send(argument)
        if not self.connection.poll(seconds):
            raise TimeLimitExceeded(f"no answer within {seconds} seconds")
        return self.receive()

    def receive(self):
        try:
            return self.connection.recv()
        except EOFError:
            raise HelperProcessError(f"helper process {self.process.pid} died") from None

    def stop(self):
        self.process.kill()
        self.process.join()
        self.connection.close()


def serve(function, warm_up, connection):
    """The helper's loop: answer calls until the parent closes the pipe (by exiting, or by a kill of its own)."""
    # Ctrl-C in a terminal reaches the whole process group; the parent decides, and its exit ends this loop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    function(warm_up)
    connection.send(READY)
    while True:
        try:
            argument = connection.recv()
        except EOFError:
            return
        try:
            outcome = (True, function(argument))
        except Exception as error:
            outcome = (False, error)
        connection.send(outcome)
