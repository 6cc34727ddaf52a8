"""By-name lists as CSV and as an Excel workbook for field teams and villages.

The workbook: a summary sheet, one sheet per desa (frozen header, filters, widths, A4
landscape with the header repeated and page numbers, a title with region, date and
snapshot), NIK always as text, a "hasil verifikasi" drop-down and a notes column, the
hidden ``row_key`` that ties each answer back to the person, and a hidden ``_rekam`` sheet
naming the snapshot and the list (``rekam verify`` reads both back).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rekam.analytics.lists import Person
from rekam.domain.recording import status_word
from rekam.messages import text
from rekam.register import gazetteer
from rekam.reports.cells import ddmmyyyy, neutralise, shown_kk, shown_nik
from rekam.xlsx import formats, new_workbook  # the workbook every by-name output starts from

#: The answers a field team can give about a person on a recording list, in its drop-down.
VERIFICATION_CHOICES: tuple[str, ...] = (
    "bersedia direkam",
    "sudah rekam di tempat lain",
    "pindah domisili",
    "meninggal",
    "di luar negeri",
    "tidak dikenal",
    "menolak",
)
#: The answers on an activation list (``belum-ikd``: recorded, IKD not active): the person is
#: already recorded, so the recording answers do not apply; "tidak punya ponsel pintar" is the
#: barrier an activation drive meets (IKD lives in a phone app).
IKD_VERIFICATION_CHOICES: tuple[str, ...] = (
    "bersedia aktivasi IKD",
    "sudah aktivasi IKD",
    "tidak punya ponsel pintar",
    "pindah domisili",
    "meninggal",
    "di luar negeri",
    "tidak dikenal",
    "menolak",
)


def choices_for(kind: str) -> tuple[str, ...]:
    """The verification drop-down of a list kind."""
    return IKD_VERIFICATION_CHOICES if kind == "belum-ikd" else VERIFICATION_CHOICES


HEADERS: tuple[str, ...] = (
    "No",
    "NIK",
    "No KK",
    "Nama",
    "JK",
    "Tgl lahir",
    "Umur",
    "Alamat",
    "RT",
    "RW",
    "Dusun/Jorong",
    "Status KTP-el",
    "Alasan",
    "Layanan loket",
    "Verifikasi sebelumnya",
    "Hasil verifikasi",
    "Catatan",
    "row_key",
)
_WIDTHS = (5, 19, 19, 28, 4, 11, 6, 30, 5, 5, 16, 22, 34, 30, 20, 24, 24, 10)
_RESULT_COL = HEADERS.index("Hasil verifikasi")


@dataclass(frozen=True)
class ListInfo:
    kind: str
    title: str
    region_code: str
    as_of: date
    snapshot: str
    unmasked: bool
    election_date: date | None = None


def status_text(ktp_status: str | None) -> str:
    """The status in words with SIAK's own code for a lookup there: "siap cetak (PRINT_READY_RECORD)"."""
    words = text(f"status_{status_word(ktp_status).value}")
    return f"{words} ({ktp_status})" if ktp_status else words


def person_cells(
    p: Person, unmasked: bool, previous: dict[str, str], desk: dict[str, str] | None = None
) -> list[str | int]:
    """The cells of ``p`` from NIK on; ``desk``: NIK -> "dilayani di loket 27-11-2024 (perekaman)"
    for the people served at a desk since the snapshot (``Rekam.desk_marks``)."""
    return [
        shown_nik(p.nik, unmasked),
        shown_kk(p.kk, unmasked),
        neutralise(p.name),
        p.sex,
        ddmmyyyy(p.birth_date),
        p.age,
        neutralise(p.address),
        neutralise(p.rt),
        neutralise(p.rw),
        neutralise(p.dusun),
        status_text(p.ktp_status),
        p.reason,
        (desk or {}).get(p.nik, ""),
        previous.get(p.nik, ""),
    ]


def write_csv(
    people: Sequence[Person],
    info: ListInfo,
    out: Path,
    sep: str = ";",
    previous: dict[str, str] | None = None,
    desk: dict[str, str] | None = None,
) -> None:
    """UTF-8 with BOM and ';' (what Excel in an Indonesian locale opens in columns)."""
    with out.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=sep)
        w.writerow(["Kode desa", "Desa", *HEADERS[1:_RESULT_COL], "row_key"])
        for p in people:
            w.writerow(
                [
                    p.desa_code,
                    neutralise(gazetteer.name_of(p.desa_code)),
                    *person_cells(p, info.unmasked, previous or {}, desk),
                    p.row_key,
                ]
            )


def safe_sheet_name(name: str, used: set[str]) -> str:
    """``name`` as a sheet name: no [ ] : * ? / \\, at most 31 characters, unique (case-insensitive) in ``used``."""
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "Desa"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def write_xlsx(
    people: Sequence[Person],
    info: ListInfo,
    out: Path,
    previous: dict[str, str] | None = None,
    desk: dict[str, str] | None = None,
) -> None:
    by_desa: dict[str, list[Person]] = {}
    for p in people:
        by_desa.setdefault(p.desa_code, []).append(p)
    book = new_workbook(out)
    title, bold, text, number = formats(book)
    used: set[str] = {"ringkasan", "_rekam"}
    summary = book.add_worksheet("Ringkasan")
    region_name = gazetteer.name_of(info.region_code) or info.region_code
    summary.write(0, 0, f"{info.title}: {region_name} ({info.region_code})", title)
    masked = "" if info.unmasked else ", NIK dan No KK disamarkan"
    summary.write(1, 0, f"per {ddmmyyyy(info.as_of)}, snapshot {info.snapshot}{masked}")
    summary.write_row(3, 0, ["Kode desa", "Desa/kelurahan", "Jumlah", "Lembar"], bold)
    summary.set_column(0, 0, 16)
    summary.set_column(1, 1, 32)
    summary.set_column(2, 3, 12)
    for i, (desa, rows) in enumerate(sorted(by_desa.items()), start=4):
        name = gazetteer.name_of(desa) or desa
        sheet_name = safe_sheet_name(name, used)
        summary.write_string(i, 0, desa, text)
        summary.write_string(i, 1, neutralise(name), text)
        summary.write_number(i, 2, len(rows))
        summary.write_string(i, 3, sheet_name, text)
        desa_sheet(book, sheet_name, desa, name, rows, info, previous or {}, (title, bold, text, number), desk)
    summary.write(4 + len(by_desa), 1, "Jumlah", bold)
    summary.write_number(4 + len(by_desa), 2, len(people), bold)
    meta = book.add_worksheet("_rekam")
    for r, (k, v) in enumerate(
        [
            ("snapshot", info.snapshot),
            ("list", info.kind),
            ("region", info.region_code),
            ("as_of", info.as_of.isoformat()),
            ("format", "rekam-by-name-1"),
            ("election_date", info.election_date.isoformat() if info.election_date else ""),
        ]
    ):
        meta.write_string(r, 0, k)
        meta.write_string(r, 1, v)
    meta.hide()
    book.close()


def desa_sheet(book, name, desa, desa_name, rows, info, previous, formats, desk=None):  # type: ignore[no-untyped-def]
    """One list sheet: title (``info.title``: ``desa_name`` (``desa``)), header on row 4, one row per person."""
    title, bold, text, number = formats
    ws = book.add_worksheet(name)
    ws.write(0, 0, f"{info.title}: {neutralise(desa_name)} ({desa})", title)
    ws.write(1, 0, f"per {ddmmyyyy(info.as_of)}, snapshot {info.snapshot}")
    header_row = 3
    ws.write_row(header_row, 0, HEADERS, bold)
    for col, width in enumerate(_WIDTHS):
        ws.set_column(col, col, width, text if col not in (0, 6) else number)
    ws.set_column(len(HEADERS) - 1, len(HEADERS) - 1, None, None, {"hidden": True})
    for i, p in enumerate(rows, start=1):
        r = header_row + i
        ws.write_number(r, 0, i, number)
        for c, value in enumerate(person_cells(p, info.unmasked, previous, desk), start=1):
            if isinstance(value, int):
                ws.write_number(r, c, value, number)
            else:
                ws.write_string(r, c, value, text)
        ws.write_string(r, len(HEADERS) - 1, p.row_key, text)
    last = header_row + max(1, len(rows))
    ws.data_validation(
        header_row + 1,
        _RESULT_COL,
        last,
        _RESULT_COL,
        {
            "validate": "list",
            "source": list(choices_for(info.kind)),
            "error_title": "Hasil verifikasi",
            "error_message": "Pilih salah satu dari daftar.",
        },
    )
    ws.freeze_panes(header_row + 1, 0)
    ws.autofilter(header_row, 0, last, len(HEADERS) - 2)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.set_footer("&CHalaman &P dari &N")
