"""Live coverage (issue #8): the latest snapshot plus the services logged at the desks since.

A perekaman at a desk for a wajib resident who had not recorded moves exactly that resident
to "sudah rekam", on DuckDB and on Spark alike; a service for someone already recorded, a
failed one, or one for a NIK the register does not know changes nothing.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from rekam.analytics import live
from rekam.api import Rekam
from rekam.config import Settings

AS_OF = date(2024, 11, 27)


def _wajib_unrecorded(settings: Settings, n: int) -> list[str]:
    people, _ = Rekam(settings).list_people("belum-rekam", "13.71", AS_OF)
    return [p.nik for p in people[:n]]


@pytest.fixture(scope="module")
def live_home(demo_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from rekam.ops import points, users
    from rekam.ops.db import close_all, open_db

    home = tmp_path_factory.mktemp("live") / "home"
    shutil.copytree(demo_home, home)
    settings = Settings(home=home)
    db = open_db(settings=settings)
    points.add_point(db, "SP-1", "Disdukcapil Kota Padang", "13.71", "dinas")
    users.add_user(db, "op", "rahasia-demo-123", "operator", None, "SP-1")
    operator = users.load(db, "op")
    recorded = _wajib_unrecorded(settings, 3)
    at = datetime(2024, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))  # after the snapshot (13 Nov)
    for i, nik in enumerate(recorded[:2]):
        Rekam(settings).log_service(operator, nik, "perekaman", "SP-1", f"k{i}", occurred_at=at)
    Rekam(settings).log_service(operator, recorded[2], "perekaman", "SP-1", "k-fail", outcome="gagal", occurred_at=at)
    Rekam(settings).log_service(
        operator, "1371011212120777", "perekaman", "SP-1", "k-new", occurred_at=at
    )  # not in the register
    close_all()
    return home


def test_changes_keep_the_first_day_of_each_kind():
    d1, d2 = date(2024, 11, 20), date(2024, 11, 27)
    found = live.changes(
        [
            ("1", "perekaman", d2, False),
            ("1", "rekam_ulang", d1, False),
            ("2", "pencetakan", d2, False),
            ("3", "perekaman", d1, True),
            ("3", "surat_keterangan", d2, False),
        ]
    )
    assert found == [
        live.Change("1", recorded_on=d1),
        live.Change("2", printed_on=d2),
        live.Change("3", recorded_on=d1, duplicate=True),
    ]


def test_live_coverage_counts_the_desks_recordings(live_home: Path):
    settings = Settings(home=live_home)
    kw = dict(as_of=AS_OF, level="kab", region="13.71")
    before = Rekam(settings).coverage(**kw)[0]  # type: ignore[arg-type]
    after = Rekam(settings).coverage(live=True, **kw)[0]  # type: ignore[arg-type]
    assert after.wajib == before.wajib
    assert after.sudah_rekam == before.sudah_rekam + 2  # two completed; the failed one and the stranger do not count
    other = Rekam(settings).coverage(as_of=AS_OF, level="kab", region="13.06", live=True)[0]
    assert other.sudah_rekam == Rekam(settings).coverage(as_of=AS_OF, level="kab", region="13.06")[0].sudah_rekam


def test_recorded_before_the_day_of_the_service_is_not_counted(live_home: Path):
    settings = Settings(home=live_home)
    kw = dict(as_of=date(2024, 11, 13), level="kab", region="13.71")
    assert Rekam(settings).coverage(live=True, **kw)[0].sudah_rekam == Rekam(settings).coverage(**kw)[0].sudah_rekam  # type: ignore[arg-type]


@pytest.mark.slow
def test_live_coverage_is_the_same_on_spark(live_home: Path):
    settings = Settings(home=live_home)
    kw = dict(as_of=AS_OF, level="kec", region="13.71", live=True)
    duck = [r.as_json() for r in Rekam(settings).coverage(engine="duckdb", **kw)]  # type: ignore[arg-type]
    spark = [r.as_json() for r in Rekam(settings).coverage(engine="spark", **kw)]  # type: ignore[arg-type]
    assert duck == spark
