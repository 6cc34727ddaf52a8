"""A real ``rekam serve`` process for the tests that need one (browser, crash, workers)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``python -m rekam serve --port PORT [ARGS]`` as a child process: without ``--workers``
    uvicorn runs in that process itself, so its pid is the server's. ``start`` returns when
    ``ready_path`` answers 200, or fails the test with the log's tail."""

    def __init__(
        self,
        env: dict[str, str],
        log: Path,
        args: tuple[str, ...] = (),
        deadline_s: float = 30,
        ready_path: str = "/openapi.json",
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = env
        self.log = log
        self.args = args
        self.deadline_s = deadline_s
        self.ready_path = ready_path
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "rekam", "serve", "--port", str(self.port), *self.args],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.starts += 1
        deadline = time.monotonic() + self.deadline_s
        while True:
            if self.proc.poll() is not None:
                pytest.fail(f"rekam serve exited with {self.proc.returncode}: {self._tail()}")
            try:
                if httpx.get(f"{self.url}{self.ready_path}", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"rekam serve did not answer in {self.deadline_s:.0f} s: {self._tail()}")
            time.sleep(0.1)

    def kill9(self) -> None:
        """SIGKILL the server process (and any child it might have), as a crash would."""
        import psutil

        assert self.proc is not None and self.proc.poll() is None, "the server should be running"
        server = psutil.Process(self.proc.pid)
        listening = [c for c in server.net_connections("tcp") if c.status == psutil.CONN_LISTEN]
        assert [c.laddr.port for c in listening] == [self.port], "the process killed is the one serving the port"
        children = server.children(recursive=True)
        for pid in [self.proc.pid] + [c.pid for c in children]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        assert self.proc.wait(timeout=10) == -signal.SIGKILL

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def _tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:]
