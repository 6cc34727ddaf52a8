"""The desk's directory of a real snapshot: ``status`` (arrays in memory, used when a service
is logged) agrees with ``find`` (DuckDB on the NIK-sorted copy) for every kind of NIK."""

from __future__ import annotations

from pathlib import Path

from rekam.ops.residents import current_directory


def test_status_agrees_with_find(demo_home: Path) -> None:
    directory = current_directory(demo_home)
    rows = directory._con.execute("SELECT nik, ktp_status FROM residents ORDER BY nik").fetchall()  # type: ignore[attr-defined]
    assert len(rows) > 5000
    niks = [nik for nik, _ in rows[::7]] + [rows[0][0], rows[-1][0]]
    niks += [n[:-4] + "9999" for n in niks[:200]]  # mostly not in the register
    niks += ["0000000000000000", "9999999999999999", "137101", "13710101019x0001", ""]
    for nik in niks:
        person = directory.find(nik)
        assert directory.status(nik) == (person is not None, person.ktp_status if person else None), nik
    assert {directory.status(nik)[1] for nik, _ in rows} == {status for _, status in rows}
