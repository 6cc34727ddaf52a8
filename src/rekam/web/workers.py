"""``rekam serve --workers N``: N server processes with the connections dealt out evenly.

uvicorn's own ``--workers`` lets every worker accept from one shared socket: a worker that is
idle when a burst of connections arrives accepts them all, and a keep-alive connection (a
counter, a device) stays with the worker that accepted it, so 8 counters ended on one worker
while the other idled (benchmarks/README.md, "Service desk"). Here the parent process only
accepts: each new connection goes, in turn, to the next worker (its file descriptor passed over
a Unix socket, ``SCM_RIGHTS``), and the worker serves it with uvicorn's protocol as if it had
accepted it. The parent parses nothing (a few microseconds a connection).

Each worker builds its own app (``create_app(warm=True)``) and its own database pool. When a
worker dies the parent stops the others and exits with an error, so that the service manager
(systemd, a container) restarts the whole server.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import sys
import time
from types import FrameType

#: A message on the channel: one byte, the connection's descriptor beside it.
_TAG = b"c"
#: How long the workers have to finish their requests after a stop, seconds.
STOP_GRACE_S = 20.0


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.settimeout(0.5)  # wake up to see whether a worker died
    return sock


def serve(host: str, port: int, workers: int) -> int:
    """Run the parent: start ``workers`` processes, deal out the connections; the exit code."""
    listener = _listen(host, port)
    channels: list[socket.socket] = []
    procs: list[subprocess.Popen[bytes]] = []
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    code = 0
    try:
        for _ in range(workers):
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "rekam.web.workers", str(theirs.fileno())], pass_fds=[theirs.fileno()]
                )
            )
            theirs.close()
            channels.append(ours)
        turn = 0
        while not stopping:
            if any(p.poll() is not None for p in procs):
                code = 1
                break
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except InterruptedError:  # pragma: no cover (PEP 475 retries; a signal sets stopping)
                continue
            with conn:
                try:
                    socket.send_fds(channels[turn], [_TAG], [conn.fileno()])
                except OSError:  # the worker is gone: the next pass sees it and stops
                    continue
            turn = (turn + 1) % workers
    finally:
        listener.close()
        for ch in channels:
            ch.close()  # a worker reads the end of its channel as "stop"
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S
        for p in procs:
            try:
                p.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        for s, handler in previous.items():
            signal.signal(s, handler)
    return code


def _worker(channel_fd: int) -> None:
    """A worker: the app under uvicorn, fed with the connections its parent accepted."""
    import uvicorn

    from rekam.web.app import KEEP_ALIVE_S, create_app

    channel = socket.socket(fileno=channel_fd)
    channel.setblocking(False)
    config = uvicorn.Config(
        create_app(warm=True), log_level="warning", access_log=False, timeout_keep_alive=KEEP_ALIVE_S
    )

    class Handed(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=[])  # no socket of its own
            loop = asyncio.get_running_loop()

            def protocol() -> asyncio.Protocol:
                return config.http_protocol_class(  # type: ignore[call-arg]
                    config=config, server_state=self.server_state, app_state=self.lifespan.state
                )

            def take() -> None:
                while True:
                    try:
                        msg, fds, _, _ = socket.recv_fds(channel, 1, 8)
                    except (BlockingIOError, InterruptedError):
                        return
                    except OSError:
                        msg, fds = b"", []
                    if not msg and not fds:  # the parent closed the channel: stop
                        loop.remove_reader(channel.fileno())
                        self.should_exit = True
                        return
                    for fd in fds:
                        conn = socket.socket(fileno=fd)
                        loop.create_task(_serve_one(loop, protocol, conn))

            loop.add_reader(channel.fileno(), take)

    Handed(config).run()


async def _serve_one(loop: asyncio.AbstractEventLoop, protocol: object, conn: socket.socket) -> None:
    try:
        await loop.connect_accepted_socket(protocol, conn)  # type: ignore[arg-type]
    except OSError:  # the client went away before it was served
        conn.close()


if __name__ == "__main__":
    _worker(int(sys.argv[1]))
