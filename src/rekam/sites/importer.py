"""``rekam sites import``: site lists, rosters and desa coordinates, with the register's rules.

Every row read is accepted or quarantined (``rows_read == accepted + quarantined`` per file),
with its row number (the header is row 1), reason codes and a message in the user's language.
A file is identified by its name: importing a file replaces the rows an earlier file of the
same name gave; rows of other files are kept. Importing the same files again changes nothing.

Files of one call are read desa coordinates first, then site lists, then rosters, so a roster
may name sites imported in the same call. Duplicates keep the first row: rows already stored
from other files, then the files of the call in the order given.

Personal data: a roster's NIKs are stored (``rosters.parquet``) because ``rekam plan make``
joins them to the register; names and birth dates are never read. The quarantine file shows
NIKs masked (``137101**********``, ``domain.nik.mask_number``): its row numbers point to the original.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rekam.domain.nik import mask_nik, validate_nik
from rekam.domain.region import InvalidRegionCode, parse_region
from rekam.errors import IngestError
from rekam.files import atomic_path, private_dir
from rekam.messages import text
from rekam.register import gazetteer
from rekam.register.sources import detect_kind, sniff_delimiter  # also registers the cp1252 fallback
from rekam.register.store import Store, now_iso
from rekam.register.values import cell_text
from rekam.sites.columns import FILE_KINDS, HEAD_COUNTS, REQUIRED, file_kind, map_columns, site_kind
from rekam.sites.store import SCHEMAS, SiteStore
from rekam.xlsx import read_xlsx

# Indonesia's bounding box (lat -11..6.5, lon 94..141.5): a point outside it is a typo or lat/lon swapped.
LAT_RANGE = (-11.0, 6.5)
LON_RANGE = (94.0, 141.5)
_EXCEL_SCIENTIFIC = re.compile(r"^\d(?:[.,]\d+)?[eE]\+?\d+$")

QUARANTINE_HEADER = (
    "file",
    "row",
    "kind",
    "reasons",
    "message",
    "site_id",
    "jenis",
    "nama",
    "kode_desa",
    "lat",
    "lon",
    "nik",
)


@dataclass
class FileResult:
    file: str
    kind: str
    rows_read: int = 0
    accepted: int = 0
    quarantined: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind,
            "rows_read": self.rows_read,
            "accepted": self.accepted,
            "quarantined": self.quarantined,
        }


@dataclass
class SitesImportResult:
    files: list[FileResult]
    version: str
    quarantine_file: str | None
    unchanged: bool
    stored: dict[str, Any] = field(default_factory=dict)

    def by_kind(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for f in self.files:
            totals = out.setdefault(f.kind, {"rows_read": 0, "accepted": 0, "quarantined": 0})
            totals["rows_read"] += f.rows_read
            totals["accepted"] += f.accepted
            totals["quarantined"] += f.quarantined
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "unchanged": self.unchanged,
            "by_kind": self.by_kind(),
            "files": [f.as_json() for f in self.files],
            "quarantine_file": self.quarantine_file,
            "stored": self.stored,
        }


# --- reading ---------------------------------------------------------------------------------


@dataclass
class RawFile:
    path: Path
    digest: str
    kind: str
    positions: dict[str, int]
    rows: list[tuple[int, list[str | None], str | None]]  # row number, cells, fault

    @property
    def name(self) -> str:
        return self.path.name


def read_file(path: Path) -> RawFile:
    """Read a CSV or XLSX site file; raise IngestError when it cannot be one."""
    if not path.is_file():
        raise IngestError("file_missing", file=path.name)
    raw = path.read_bytes()
    if not raw.strip():
        raise IngestError("file_empty", file=path.name)
    digest = hashlib.sha256(raw).hexdigest()
    kind = detect_kind(path, raw[:8192])
    if kind == "parquet":
        raise IngestError("sites_file_kind", file=path.name)
    header, rows = _read_xlsx(path) if kind == "xlsx" else _read_csv(path, raw)
    positions = map_columns(header)
    what = file_kind(positions)
    if what is None:
        raise IngestError("sites_header_unknown", file=path.name)
    missing = [c for c in REQUIRED[what] if c not in positions]
    if missing:
        raise IngestError(
            "sites_missing_columns", file=path.name, what=text(f"sites_kind_{what}"), columns=", ".join(missing)
        )
    if not rows:
        raise IngestError("sites_no_rows", file=path.name)
    return RawFile(path, digest, what, positions, rows)


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _read_csv(path: Path, raw: bytes) -> tuple[list[str], list[tuple[int, list[str | None], str | None]]]:
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = raw.decode("cp1252", errors="rekam_latin1")
    first = content.split("\n", 1)[0].rstrip("\r")
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=sniff_delimiter(first))
    try:
        header = next(reader)
    except StopIteration:
        raise IngestError("file_empty", file=path.name) from None
    width = len(header)
    rows: list[tuple[int, list[str | None], str | None]] = []
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            fault = "TOO_FEW_FIELDS" if len(cells) < width else "TOO_MANY_FIELDS" if len(cells) > width else None
            row = [_clean(c) for c in cells[:width]] + [None] * (width - len(cells))
            rows.append((number, row, fault))
    except csv.Error as exc:
        raise IngestError("file_unreadable", file=path.name, detail=str(exc)[:200]) from None
    return header, rows


def _xlsx_header(row: Sequence[object]) -> list[str] | None:
    """A row's texts when it is a site file's header (its columns name a kind of file)."""
    texts = [cell_text(v) or "" for v in row]
    return texts if file_kind(map_columns(texts)) is not None else None


def _read_xlsx(path: Path) -> tuple[list[str], list[tuple[int, list[str | None], str | None]]]:
    with read_xlsx(path, _xlsx_header) as table:
        if table is None:
            raise IngestError("sites_header_unknown", file=path.name)
        nik_pos = map_columns(table.header).get("nik")
        out: list[tuple[int, list[str | None], str | None]] = []
        for row_no, cells, extra in table.rows:
            fault = "TOO_MANY_FIELDS" if extra else None
            if nik_pos is not None and isinstance(cells[nik_pos], int | float) and not isinstance(cells[nik_pos], bool):
                fault = fault or "NIK_NUMERIC"
            out.append((row_no, [_clean(cell_text(v)) for v in cells], fault))
        return table.header, out


# --- checking --------------------------------------------------------------------------------

Reason = tuple[str, dict[str, Any]]


def _coordinates(
    lat_raw: str | None, lon_raw: str | None, required: bool
) -> tuple[float | None, float | None, list[Reason]]:
    if lat_raw is None and lon_raw is None:
        return None, None, [("COORD_MISSING", {})] if required else []
    try:
        lat = float(_decimal(lat_raw))
        lon = float(_decimal(lon_raw))
    except (TypeError, ValueError):
        return None, None, [("COORD_INVALID", {})]
    if lat != lat or lon != lon:  # NaN
        return None, None, [("COORD_INVALID", {})]
    if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
        return None, None, [("COORD_OUTSIDE", {})]
    return lat, lon, []


def _decimal(raw: str | None) -> str:
    if raw is None:
        raise ValueError
    value = raw.strip()
    if "," in value and "." not in value:  # an Indonesian spreadsheet's decimal comma
        value = value.replace(",", ".")
    return value


def _desa(raw: str | None) -> tuple[str | None, list[Reason]]:
    if raw is None:
        return None, [("DESA_CODE_MISSING", {})]
    try:
        region = parse_region(raw)
    except InvalidRegionCode:
        return None, [("DESA_CODE_INVALID", {})]
    if region.level != "desa":
        return None, [("DESA_CODE_INVALID", {})]
    if not gazetteer.is_known(region.dotted):
        return region.dotted, [("DESA_UNKNOWN", {})]
    return region.dotted, []


def _count(raw: str | None) -> tuple[int | None, bool]:
    if raw is None:
        return None, True
    try:
        value = float(_decimal(raw))
    except ValueError:
        return None, False
    if value < 0 or not value.is_integer():
        return None, False
    return int(value), True


def _nik(raw: str | None, fault: str | None) -> list[Reason]:
    if raw is None:
        return [("NIK_MISSING", {})]
    nik = raw.replace(" ", "")
    reasons = validate_nik(nik)
    if reasons and (fault == "NIK_NUMERIC" or _EXCEL_SCIENTIFIC.match(nik)):
        return [("NIK_EXCEL_NUMBER", {})]
    return [(r.value, {}) for r in reasons]


@dataclass
class _Quarantined:
    file: str
    row: int
    kind: str
    reasons: list[Reason]
    fields: dict[str, str | None]


class _Checker:
    """Checks rows against each other and against the rows kept from earlier imports."""

    def __init__(self, kept: dict[str, dict[str, list[Any]]]) -> None:
        self.tables: dict[str, dict[str, list[Any]]] = {n: {c: list(v) for c, v in t.items()} for n, t in kept.items()}
        self.site_at = _index(kept["sites"], "site_id")
        self.nik_at = _index(kept["rosters"], "nik")
        self.desa_at = _index(kept["desa"], "desa_code")
        self.quarantined: list[_Quarantined] = []

    def check(self, f: RawFile) -> FileResult:
        result = FileResult(f.name, f.kind)
        pos = f.positions
        for number, cells, fault in f.rows:
            get = {col: cells[i] for col, i in pos.items()}
            reasons: list[Reason] = []
            if fault in ("TOO_FEW_FIELDS", "TOO_MANY_FIELDS"):
                reasons.append((fault, {}))
            ref = (f.name, number)
            if f.kind == "desa":
                row, more = self._desa_row(get, ref)
            elif f.kind == "sites":
                row, more = self._site_row(get, ref)
            else:
                row, more = self._roster_row(get, ref, fault)
            reasons += more
            result.rows_read += 1
            if reasons:
                result.quarantined += 1
                self.quarantined.append(_Quarantined(f.name, number, f.kind, reasons, get))
                continue
            result.accepted += 1
            table = {"desa": "desa", "sites": "sites", "roster": "rosters"}[f.kind]
            for col, value in row.items():
                self.tables[table][col].append(value)
            key = {
                "desa": ("desa_code", self.desa_at),
                "sites": ("site_id", self.site_at),
                "roster": ("nik", self.nik_at),
            }[f.kind]
            key[1][row[key[0]]] = ref
        return result

    def _desa_row(self, get: dict[str, str | None], ref: tuple[str, int]) -> tuple[dict[str, Any], list[Reason]]:
        code, reasons = _desa(get.get("desa_code"))
        lat, lon, more = _coordinates(get.get("lat"), get.get("lon"), required=True)
        reasons += more
        if code is not None and code in self.desa_at:
            reasons.append(_duplicate("DESA_DUPLICATE", self.desa_at[code]))
        return {"desa_code": code, "lat": lat, "lon": lon, "source_file": ref[0], "source_row": ref[1]}, reasons

    def _site_row(self, get: dict[str, str | None], ref: tuple[str, int]) -> tuple[dict[str, Any], list[Reason]]:
        reasons: list[Reason] = []
        site_id = get.get("site_id")
        if site_id is None:
            reasons.append(("SITE_ID_MISSING", {}))
        elif site_id in self.site_at:
            reasons.append(_duplicate("SITE_ID_DUPLICATE", self.site_at[site_id]))
        label = get.get("kind")
        kind = site_kind(label)
        if kind is None:
            reasons.append(("SITE_KIND_UNKNOWN", {"value": label or ""}))
        code, more = _desa(get.get("desa_code"))
        reasons += more
        lat, lon, more = _coordinates(get.get("lat"), get.get("lon"), required=False)
        reasons += more
        row: dict[str, Any] = {
            "site_id": site_id,
            "kind": kind,
            "label": label,
            "name": get.get("name") or site_id,
            "desa_code": code,
            "lat": lat,
            "lon": lon,
        }
        for col in HEAD_COUNTS:
            value, ok = _count(get.get(col))
            row[col] = value
            if not ok and ("HEAD_COUNT_INVALID", {}) not in reasons:
                reasons.append(("HEAD_COUNT_INVALID", {}))
        row.update(source_file=ref[0], source_row=ref[1])
        return row, reasons

    def _roster_row(
        self, get: dict[str, str | None], ref: tuple[str, int], fault: str | None
    ) -> tuple[dict[str, Any], list[Reason]]:
        reasons: list[Reason] = []
        site_id = get.get("site_id")
        if site_id is None:
            reasons.append(("SITE_ID_MISSING", {}))
        elif site_id not in self.site_at:
            reasons.append(("ROSTER_SITE_UNKNOWN", {}))
        nik_reasons = _nik(get.get("nik"), fault)
        reasons += nik_reasons
        nik = (get.get("nik") or "").replace(" ", "")
        if not nik_reasons and nik in self.nik_at:
            reasons.append(_duplicate("ROSTER_NIK_DUPLICATE", self.nik_at[nik]))
        return {"site_id": site_id, "nik": nik, "source_file": ref[0], "source_row": ref[1]}, reasons


def _index(table: dict[str, list[Any]], key: str) -> dict[Any, tuple[str, int]]:
    return {k: (f, r) for k, f, r in zip(table[key], table["source_file"], table["source_row"], strict=True)}


def _duplicate(code: str, at: tuple[str, int]) -> Reason:
    return code, {"kept": text("row_ref", file=at[0], row=at[1])}


# --- the import ------------------------------------------------------------------------------


def import_sites(home: Path, paths: Sequence[Path]) -> SitesImportResult:
    """Import site lists, rosters and desa coordinates; one call makes one new version."""
    names = [Path(p).name for p in paths]
    for name in names:
        if names.count(name) > 1:
            raise IngestError("sites_same_name", file=name)
    store = SiteStore(home)
    with Store(home).lock():
        files = [read_file(Path(p)) for p in paths]  # every file-level problem before anything changes
        current = store.load()
        known = current.manifest.get("files", {})
        if current.version and all(known.get(f.name, {}).get("digest") == f.digest for f in files):
            return SitesImportResult(
                [
                    FileResult(f.name, f.kind, *(known[f.name][k] for k in ("rows_read", "accepted", "quarantined")))
                    for f in files
                ],
                current.version,
                _previous_quarantine(known, files),
                unchanged=True,
                stored=_stored({"sites": current.sites, "rosters": current.rosters, "desa": current.desa}),
            )
        replaced = {f.name for f in files}
        kept = {table: _without(getattr(current, table), replaced) for table in SCHEMAS}
        checker = _Checker(kept)
        ordered = sorted(files, key=lambda f: FILE_KINDS.index(f.kind))  # stable: the given order within a kind
        results = {f.name: checker.check(f) for f in ordered}
        version = store.next_version()
        qfile = store.quarantine_path(version) if checker.quarantined else None
        if qfile is not None:
            _write_quarantine(qfile, checker.quarantined)
        tables = {name: _sorted(t) for name, t in checker.tables.items()}
        manifest_files = {k: v for k, v in known.items() if k not in replaced}
        for f in files:
            r = results[f.name]
            manifest_files[f.name] = {
                "kind": f.kind,
                "digest": f.digest,
                "rows_read": r.rows_read,
                "accepted": r.accepted,
                "quarantined": r.quarantined,
                "quarantine_file": str(qfile) if r.quarantined else None,
            }
        manifest = {"version": version, "created_at": now_iso(), "files": dict(sorted(manifest_files.items()))}
        store.commit(version, tables, manifest)
        return SitesImportResult(
            [results[f.name] for f in files],
            version,
            str(qfile) if qfile else None,
            unchanged=False,
            stored=_stored(tables),
        )


def _without(table: dict[str, list[Any]], files: set[str]) -> dict[str, list[Any]]:
    keep = [i for i, f in enumerate(table["source_file"]) if f not in files]
    return {c: [v[i] for i in keep] for c, v in table.items()}


def _sorted(table: dict[str, list[Any]]) -> dict[str, list[Any]]:
    order = sorted(range(len(table["source_file"])), key=lambda i: (table["source_file"][i], table["source_row"][i]))
    return {c: [v[i] for i in order] for c, v in table.items()}


def _stored(tables: dict[str, dict[str, list[Any]]]) -> dict[str, Any]:
    """What the store holds after the import: sites per kind, roster rows, desa with coordinates."""
    kinds: dict[str, int] = {}
    for kind in tables["sites"]["kind"]:
        kinds[kind] = kinds.get(kind, 0) + 1
    return {
        "sites": dict(sorted(kinds.items())),
        "roster_rows": len(tables["rosters"]["nik"]),
        "desa": len(tables["desa"]["desa_code"]),
    }


def _previous_quarantine(known: dict[str, Any], files: list[RawFile]) -> str | None:
    found = [known[f.name].get("quarantine_file") for f in files if known[f.name].get("quarantine_file")]
    return found[0] if found else None


def _message(reasons: list[Reason]) -> str:
    return "; ".join(text(code, **{"column": "", "detail": "", **params}) for code, params in reasons)


def _quarantine_rows(rows: list[_Quarantined]) -> Iterator[list[Any]]:
    for q in rows:
        g = q.fields
        nik = g.get("nik")
        yield [
            q.file,
            q.row,
            q.kind,
            ";".join(code for code, _ in q.reasons),
            text("row_message", file=q.file, row=q.row, reasons=_message(q.reasons)),
            g.get("site_id"),
            g.get("kind"),
            g.get("name") if q.kind == "sites" else None,
            g.get("desa_code"),
            g.get("lat"),
            g.get("lon"),
            mask_nik(nik) if nik else None,
        ]


def _write_quarantine(path: Path, rows: list[_Quarantined]) -> None:
    private_dir(path.parent)
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(QUARANTINE_HEADER)
        w.writerows(_quarantine_rows(rows))
