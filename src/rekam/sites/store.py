"""Imported sites, rosters and desa coordinates under REKAM_HOME.

    REKAM_HOME/sites/
      CURRENT                    the current version (replaced by an atomic rename)
      <version>/sites.parquet    one row per site (depots of kind dinas included)
      <version>/rosters.parquet  site_id, nik: who belongs to which site (personal data)
      <version>/desa.parquet     desa_code, lat, lon
      <version>/manifest.json    the files imported: digest, kind, rows read/accepted/quarantined
      quarantine/<version>.csv   rows not accepted by the import that made <version>

Every table keeps ``source_file`` and ``source_row`` so a later import can replace one file's
rows and name the row a duplicate collides with. A version is written completely in a
temporary folder, renamed into place, and only then made current; a process killed at any
moment leaves the previous version current. The previous version is kept, older ones removed;
quarantine files are kept (the manifest names the one each file's rows went to).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from rekam.files import Pointer, private_dir, write_atomic

SITE_SCHEMA = pa.schema(
    [
        ("site_id", pa.string()),
        ("kind", pa.string()),
        ("label", pa.string()),
        ("name", pa.string()),
        ("desa_code", pa.string()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("head_total", pa.int64()),
        ("head_pemula", pa.int64()),
        ("head_rentan", pa.int64()),
        ("head_lainnya", pa.int64()),
        ("source_file", pa.string()),
        ("source_row", pa.int64()),
    ]
)
ROSTER_SCHEMA = pa.schema(
    [("site_id", pa.string()), ("nik", pa.string()), ("source_file", pa.string()), ("source_row", pa.int64())]
)
DESA_SCHEMA = pa.schema(
    [
        ("desa_code", pa.string()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("source_file", pa.string()),
        ("source_row", pa.int64()),
    ]
)
SCHEMAS = {"sites": SITE_SCHEMA, "rosters": ROSTER_SCHEMA, "desa": DESA_SCHEMA}


@dataclass
class SiteData:
    """The current version's tables as columns (``{column: [values]}``) and its manifest."""

    version: str | None
    sites: dict[str, list[Any]] = field(default_factory=dict)
    rosters: dict[str, list[Any]] = field(default_factory=dict)
    desa: dict[str, list[Any]] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)

    def rows(self, table: str) -> list[dict[str, Any]]:
        cols = getattr(self, table)
        names = list(cols)
        return [dict(zip(names, values, strict=True)) for values in zip(*cols.values(), strict=True)] if names else []


class SiteStore:
    def __init__(self, home: Path) -> None:
        self.root = Path(home) / "sites"
        self.pointer = Pointer(self.root)

    def current_version(self) -> str | None:
        return self.pointer.read()

    def quarantine_path(self, version: str) -> Path:
        return self.root / "quarantine" / f"{version}.csv"

    def has_version(self, version: str) -> bool:
        return version.isdigit() and (self.root / version / "manifest.json").is_file()

    def load(self, tables: tuple[str, ...] = ("sites", "rosters", "desa"), version: str | None = None) -> SiteData:
        """The current version's tables, or ``version``'s (the current and the previous one are kept)."""
        version = version or self.current_version()
        data = SiteData(version)
        for name, schema in SCHEMAS.items():
            if version is None or name not in tables:
                setattr(data, name, {f.name: [] for f in schema})
            else:
                setattr(data, name, pq.read_table(self.root / version / f"{name}.parquet").to_pydict())
        if version is not None:
            data.manifest = json.loads((self.root / version / "manifest.json").read_text(encoding="utf-8"))
        return data

    def next_version(self) -> str:
        existing = (
            [int(p.name) for p in self.root.iterdir() if p.is_dir() and p.name.isdigit()] if self.root.is_dir() else []
        )
        return f"{max(existing, default=0) + 1:04d}"

    def commit(self, version: str, tables: dict[str, dict[str, list[Any]]], manifest: dict[str, Any]) -> None:
        """Write ``version`` completely, make it current atomically, remove all but the previous one."""
        previous = self.current_version()
        work = self.root / f"tmp-{version}"
        shutil.rmtree(work, ignore_errors=True)
        private_dir(work)
        for name, schema in SCHEMAS.items():
            pq.write_table(pa.table(tables[name], schema=schema), work / f"{name}.parquet", compression="zstd")
        write_atomic(work / "manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))
        os.replace(work, self.root / version)
        self.pointer.set(version)
        for p in self.root.iterdir():
            if p.is_dir() and (p.name.isdigit() or p.name.startswith("tmp-")) and p.name not in (version, previous):
                shutil.rmtree(p, ignore_errors=True)
