"""A Spark standalone cluster on 127.0.0.1 for tests and benchmarks (issue 23): a master and
workers started with Spark's own launcher, ``bin/spark-class`` of the pyspark package (the Master
and Worker classes that a Spark distribution's ``start-master.sh`` and ``start-worker.sh`` start;
the pip package ships ``spark-class`` but not those scripts).

    cluster = Cluster(tmp_dir)
    cluster.start(workers=2, cores=1, memory="1g")
    ... REKAM_SPARK_MASTER=cluster.url ...
    cluster.stop()
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def status(ui: int) -> dict[str, Any]:
    with urllib.request.urlopen(f"http://127.0.0.1:{ui}/json/", timeout=5) as answer:  # noqa: S310 - the test's own master
        return json.loads(answer.read())  # type: ignore[no-any-return]


def until(check: Any, seconds: float, what: str) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"the cluster did not {what} within {seconds} s")


class Cluster:
    def __init__(self, root: Path) -> None:
        import pyspark

        self.spark_home = Path(pyspark.__file__).parent
        self.root = root
        self.port, self.ui = free_port(), free_port()
        self.url = f"spark://127.0.0.1:{self.port}"
        self.env = os.environ | {
            "SPARK_HOME": str(self.spark_home),
            "SPARK_LOCAL_IP": "127.0.0.1",
            "SPARK_LOG_DIR": str(root / "logs"),
        }
        self.procs: list[subprocess.Popen[bytes]] = []
        self.logs: list[Any] = []

    def _start(self, name: str, *args: str) -> None:
        log = (self.root / f"{name}.log").open("wb")
        self.logs.append(log)
        self.procs.append(
            subprocess.Popen(
                [str(self.spark_home / "bin" / "spark-class"), *args],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )

    def start(self, workers: int = 2, cores: int = 1, memory: str = "1g") -> None:
        (self.root / "logs").mkdir(parents=True, exist_ok=True)
        self._start(
            "master",
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--webui-port",
            str(self.ui),
        )
        until(lambda: status(self.ui)["status"] == "ALIVE", 90, "start its master")
        for i in range(workers):
            work = self.root / f"worker-{i}"
            work.mkdir()
            self._start(
                f"worker-{i}",
                "org.apache.spark.deploy.worker.Worker",
                self.url,
                "--host",
                "127.0.0.1",
                "--cores",
                str(cores),
                "--memory",
                memory,
                "--webui-port",
                str(free_port()),
                "--work-dir",
                str(work),
            )
        until(lambda: status(self.ui)["aliveworkers"] == workers, 90, f"register {workers} workers")

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, 15)
        for proc in self.procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait(10)
        for log in self.logs:
            log.close()
