"""Shared fixtures: an isolated REKAM_HOME per test, the fixture folders, and a CLI runner."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from rekam.messages import set_language

FIXTURES = Path(__file__).parent / "fixtures"
INGEST = FIXTURES / "ingest"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files with a slow test first, so that under xdist (``make test``: ``--dist loadfile
    --no-loadscope-reorder``) no worker starts one at the end while the other is done: xdist
    hands out files in this order. (Without ``--no-loadscope-reorder`` it orders files by their
    number of tests, which put the one-test Spark cluster file last: measured 27 min 42 s in CI,
    the cluster test alone at the end.)"""
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)  # stable: collection order within each


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated demo folder (siak/, wilayah/, sites/) at scale 0.001, seed 7."""
    from rekam import api

    data = tmp_path_factory.mktemp("demo-data")
    api.generate_demo(data, scale=0.001, seed=7)
    return data


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory, demo_data: Path) -> Path:
    """A REKAM_HOME holding the synthetic register at scale 0.001 (seed 7), imported once."""
    from datetime import date

    from rekam.api import Rekam
    from rekam.config import Settings

    home = tmp_path_factory.mktemp("demo-home")
    data = demo_data
    result = Rekam(Settings(home=home)).import_register(
        sorted((data / "siak").glob("*.csv")), export_date=date(2024, 11, 13)
    )
    assert result.accepted > 5000 and result.quarantined > 0
    return home


@pytest.fixture(autouse=True)
def rekam_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("REKAM_HOME", str(home))
    monkeypatch.setenv("REKAM_LANG", "id")
    set_language("id")  # the process's language, as the CLI and the web app set it from Settings.lang
    return home


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self):  # type: ignore[no-untyped-def]
        return json.loads(self.out)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run ``rekam ARGS`` through the real entry point, in-process."""
    from rekam.cli import main

    def run(*args: str | Path) -> Run:
        capsys.readouterr()
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


HEADER = (
    "NIK,NO_KK,NAMA_LGKP,JENIS_KLMIN,TGL_LHR,STAT_KWN,NO_PROP,NO_KAB,NO_KEC,NO_KEL,"
    "STATUS_KTP_EL,TGL_REKAM,TGL_KWN,KEWARGANEGARAAN,IZIN_TINGGAL"
)


def person(
    serial: int,
    birth: str,
    sex: str = "L",
    marital: str = "BELUM KAWIN",
    desa: str = "13.71.01.1001",
    status: str = "UNREGISTERED",
    recorded: str = "",
    married_on: str = "",
    citizenship: str = "WNI",
    permit: str = "",
) -> str:
    """One register row (CSV text) of an invented resident; ``birth`` as YYYY-MM-DD."""
    y, m, d = birth.split("-")
    kec6 = desa.replace(".", "")[:6]
    day = int(d) + (40 if sex == "P" else 0)
    nik = f"{kec6}{day:02d}{m}{y[2:]}{serial:04d}"
    prov, kab, kec, kel = desa.split(".")
    return ",".join(
        [
            nik,
            f"{kec6}0101{serial:06d}"[:16],
            f"ORANG {serial}",
            sex,
            birth,
            marital,
            prov,
            kab,
            kec,
            kel,
            status,
            recorded,
            married_on,
            citizenship,
            permit,
        ]
    )


def write_register(path: Path, rows: list[str], extra: tuple[str, ...] = ()) -> Path:
    """A register file: ``rows`` from ``person`` (each followed by the values of ``extra``
    columns, comma-joined, when ``extra`` names any)."""
    header = ",".join((HEADER, *extra))
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


#: The register's IKD columns (issue 19), in the order ``write_register(..., IKD_COLUMNS)`` takes.
IKD_COLUMNS = ("STATUS_IKD", "TGL_AKTIVASI_IKD", "KAB_AKTIVASI_IKD")
