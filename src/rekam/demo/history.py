"""Earlier exports of the demo register, so that the demo has a history to measure progress on.

A real Dinas imports a SIAK export every week or month; the generator writes one, as of its
``as_of`` date. ``earlier_export`` derives the export the same register would have given on
an earlier day D, from the columns' own dates, kab/kota file by kab/kota file:

- a resident born after D is not in it;
- a resident recorded after D (TGL_REKAM > D) was not recorded then: STATUS_KTP_EL
  UNREGISTERED, TGL_REKAM and TGL_CETAK empty;
- a card printed after D (TGL_CETAK > D) was not printed then: the record was
  PRINT_READY_RECORD (it had passed the centre, since it was printed later), TGL_CETAK empty;
- a marriage after D (TGL_KWN > D) had not happened: STAT_KWN BELUM KAWIN, TGL_KWN empty;
- an IKD activation after D (TGL_AKTIVASI_IKD > D) had not happened: STATUS_IKD BELUM, its
  date and kab/kota empty.

What it does not model, and says so in docs/demo-data.md: moves, deaths and arrivals between D
and the as-of date (the same people live in the same desa), records that were further back in
the centre's pipeline on D (a record that is PRINT_READY_RECORD now was so on D if recorded by
then), and recordings without a date (recorded on every D, like the importer reads them).
Cells the generator wrote as defects (a date that does not parse) are left as they are.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rekam.duck import connect

HISTORY_DIR = "history"


def history_dir(out_dir: Path, day: date) -> Path:
    """Where the export as of ``day`` goes: ``out_dir/history/YYYY-MM-DD/siak``."""
    return out_dir / HISTORY_DIR / day.isoformat() / "siak"


def _parsed(column: str) -> str:
    return f"try_strptime({column}, '%d-%m-%Y')"


def earlier_export(siak_file: Path, day: date, out_file: Path) -> int:
    """Write the export ``siak_file`` would have been on ``day``; returns its number of rows."""
    d = f"TIMESTAMP '{day.isoformat()}'"
    recorded_later = f"coalesce({_parsed('TGL_REKAM')} > {d}, false)"
    printed_later = f"coalesce({_parsed('TGL_CETAK')} > {d}, false)"
    married_later = f"coalesce({_parsed('TGL_KWN')} > {d}, false)"
    activated_later = f"coalesce({_parsed('TGL_AKTIVASI_IKD')} > {d}, false)"
    query = f"""
        SELECT * REPLACE (
            CASE WHEN {recorded_later} THEN 'UNREGISTERED'
                 WHEN {printed_later} THEN 'PRINT_READY_RECORD' ELSE STATUS_KTP_EL END AS STATUS_KTP_EL,
            CASE WHEN {recorded_later} THEN NULL ELSE TGL_REKAM END AS TGL_REKAM,
            CASE WHEN {recorded_later} OR {printed_later} THEN NULL ELSE TGL_CETAK END AS TGL_CETAK,
            CASE WHEN {married_later} THEN 'BELUM KAWIN' ELSE STAT_KWN END AS STAT_KWN,
            CASE WHEN {married_later} THEN NULL ELSE TGL_KWN END AS TGL_KWN,
            CASE WHEN {activated_later} THEN 'BELUM' ELSE STATUS_IKD END AS STATUS_IKD,
            CASE WHEN {activated_later} THEN NULL ELSE TGL_AKTIVASI_IKD END AS TGL_AKTIVASI_IKD,
            CASE WHEN {activated_later} THEN NULL ELSE KAB_AKTIVASI_IKD END AS KAB_AKTIVASI_IKD
        )
        FROM read_csv(?, all_varchar = true, header = true, delim = ',', quote = '"')
        WHERE NOT coalesce({_parsed("TGL_LHR")} > {d}, false)
    """
    out_file.parent.mkdir(parents=True, exist_ok=True)
    con = connect()
    try:
        rel = con.sql(query, params=[str(siak_file)])
        rel.write_csv(str(out_file), header=True)
        [(rows,)] = con.execute("SELECT count(*) FROM read_csv(?, all_varchar = true)", [str(out_file)]).fetchall()
    finally:
        con.close()
    return int(rows)


def write_history(out_dir: Path, siak_files: list[Path], days: list[date]) -> dict[str, list[Path]]:
    """Every earlier export of ``siak_files`` for each of ``days``; ``{YYYY-MM-DD: files}``."""
    written: dict[str, list[Path]] = {}
    for day in sorted(days):
        target = history_dir(out_dir, day)
        written[day.isoformat()] = [f for f in (target / p.name for p in siak_files)]
        for src, dst in zip(siak_files, written[day.isoformat()], strict=True):
            earlier_export(src, day, dst)
    return written
