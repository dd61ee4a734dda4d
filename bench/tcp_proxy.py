"""A TCP proxy a test or the fault bench controls: forward, pause (a hung server), cut (a lost one).

    proxy = TcpProxy(("127.0.0.1", 5432)).start()   # listens on 127.0.0.1:proxy.port
    proxy.pause()    # connections stay open and new ones are accepted, but no byte moves: the server seems hung
    proxy.cut()      # every connection is closed and new ones are refused: the server seems gone
    proxy.resume()   # forwarding again, on the same port
    proxy.stop()

One thread accepts; each connection has a thread per direction. Bytes read while paused are held
until ``resume()``; the operating system keeps accepting (and acknowledging) what clients send, just
as it does for a server process that has stopped answering.
"""

import contextlib
import socket
import threading

CHUNK = 65536


class TcpProxy:
    def __init__(self, target, host="127.0.0.1", port=0):
        self.target = target
        self.host = host
        self.port = port
        self._forwarding = threading.Event()
        self._forwarding.set()
        self._lock = threading.Lock()
        self._sockets = set()
        self._listener = None
        self._stopped = False

    def start(self):
        self._listen()
        return self

    def pause(self):
        self._forwarding.clear()

    def cut(self):
        """Close every connection and stop listening, so that new connections are refused."""
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._sockets = self._sockets, set()
        if listener is not None:
            close(listener)
        for sock in sockets:
            close(sock)
        # Threads waiting to forward held bytes wake up, find their sockets closed and end.
        self._forwarding.set()

    def resume(self):
        if self._listener is None and not self._stopped:
            self._listen()
        self._forwarding.set()

    def stop(self):
        self._stopped = True
        self.cut()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def _listen(self):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(128)
        self.port = listener.getsockname()[1]
        with self._lock:
            self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True, name="tcp-proxy-accept").start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # the listener was closed by cut() or stop()
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                close(client)
                continue
            with self._lock:
                if self._listener is not listener:
                    close(client)
                    close(upstream)
                    return
                self._sockets.update((client, upstream))
            for source, destination in ((client, upstream), (upstream, client)):
                threading.Thread(
                    target=self._pump, args=(source, destination), daemon=True, name="tcp-proxy-pump"
                ).start()

    def _pump(self, source, destination):
        try:
            while data := source.recv(CHUNK):
                self._forwarding.wait()
                destination.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._sockets.difference_update((source, destination))
            close(source)
            close(destination)


def close(sock):
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
