"""A small SMTP server for the fault tests: it can sit on a message before accepting it.

A message counts as delivered only once the server has answered ``250`` to its data, as
a real mail server takes responsibility for it then. While it holds a message, the server
watches the connection: a client that dies (a killed worker) has delivered nothing.
"""

from __future__ import annotations

import select
import socket
import socketserver
import threading
from types import TracebackType


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def _reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())
        self.wfile.flush()

    def handle(self) -> None:
        smtp = self.server.owner
        recipients: list[str] = []
        self._reply("220 faults.test ESMTP")
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            command = raw.decode(errors="replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in {"EHLO", "HELO"}:
                self._reply("250 faults.test")
            elif verb == "MAIL":
                recipients = []
                self._reply("250 OK")
            elif verb == "RCPT":
                address = command.split(":", 1)[1].strip().strip("<>")
                recipients.append(address)
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                while True:
                    line = self.rfile.readline()
                    if not line or line in {b".\r\n", b".\n"}:
                        break
                if not line or not smtp.hold(self.connection):
                    return  # the client went away: nothing was delivered
                smtp.accept(recipients)
                self._reply("250 OK queued")
            elif verb in {"RSET", "NOOP"}:
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("502 Not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: HoldingSmtpServer


class HoldingSmtpServer:
    """Holds each message for ``hold_seconds`` (or until ``release()``) before accepting it."""

    def __init__(self, *, hold_seconds: float) -> None:
        self.hold_seconds = hold_seconds
        self.delivered: list[str] = []
        self.holding = 0
        self._released = threading.Event()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> HoldingSmtpServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._released.set()
        self._server.shutdown()
        self._server.server_close()

    def release(self) -> None:
        """Stop holding: every message from now on is accepted at once."""
        self._released.set()

    def hold(self, connection: socket.socket) -> bool:
        """Wait before accepting; False when the client hung up meanwhile."""
        with self._lock:
            self.holding += 1
        try:
            waited = 0.0
            while waited < self.hold_seconds and not self._released.is_set():
                if self._hung_up(connection, 0.1):
                    return False
                waited += 0.1
            return not self._hung_up(connection, 0)
        finally:
            with self._lock:
                self.holding -= 1

    @staticmethod
    def _hung_up(connection: socket.socket, timeout: float) -> bool:
        readable, _, _ = select.select([connection], [], [], timeout)
        try:
            return bool(readable) and not connection.recv(1, socket.MSG_PEEK)
        except OSError:
            return True

    def accept(self, recipients: list[str]) -> None:
        with self._lock:
            self.delivered.extend(recipients)
