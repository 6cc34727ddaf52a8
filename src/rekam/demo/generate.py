"""The demo generator's front door: ``generate(out_dir, scale, seed, as_of, progress)``.

Output layout (the contract the importer reads):

    out_dir/siak/siak_13XX_<slug>.csv     one SIAK-style export per kab/kota (SIAK_HEADER)
    out_dir/wilayah/desa.csv              villages with synthetic coordinates
    out_dir/sites/*.csv                   schools, campuses, lapas, panti, hospitals, dinas + rosters
    out_dir/manifest.json                 scale, seed, as_of, residents, files, defects, sites, history
    out_dir/history/YYYY-MM-DD/siak/*.csv the same register's export on an earlier day (``history``)

Each kab/kota is generated on its own (numpy, no loop per person) from a random stream derived
from (seed, kab/kota index), so the same seed and scale give byte-identical files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa

from . import calibration, defects, national
from .coordinates import DesaGeo, desa_geography
from .dates import day
from .export import write_csv, write_json
from .history import write_history
from .kabkota import SIAK_HEADER, Context, generate_kabkota
from .regions import KabRegions, load_kabkota, load_province
from .sites import ROSTER_HEADERS, SITE_FILES, SITE_HEADER, SiteBook, SitePlan, plan_sites

__all__ = ["GenerateSummary", "SIAK_HEADER", "generate", "planned_residents", "siak_file_name"]

DESA_HEADER = [
    "kode_desa",
    "kode_kec",
    "kode_kab",
    "nama_desa",
    "nama_kec",
    "nama_kab",
    "jenis",
    "kode_pos",
    "lat",
    "lon",
    "remote",
]
DEFAULT_AS_OF = date(2024, 11, 13)
DEFAULT_SEED = 20241113
MIN_RESIDENTS_PER_DESA = 3
NATIONAL_STREAM_BASE = 1_000  # random stream of a kab/kota with several provinces: (seed, 1000 + national index)

ProgressCallback = Callable[[str, float], None]


@dataclass(frozen=True)
class GenerateSummary:
    out_dir: Path
    scale: float
    seed: int
    as_of: date
    residents: int
    files: list[Path] = field(default_factory=list)
    defects: dict[str, int] = field(default_factory=dict)
    sites: dict[str, int] = field(default_factory=dict)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def siak_file_name(kab: calibration.KabKota) -> str:
    return f"siak_{kab.code4}_{slug(kab.name)}.csv"


def planned_residents(kab: calibration.KabKota, n_desa: int, scale: float) -> int:
    """Residents planned for a kab/kota: its Dec 2024 population times scale, and at least a
    few per desa (the household draw makes the actual count differ slightly)."""
    return max(int(round(kab.population * scale)), MIN_RESIDENTS_PER_DESA * n_desa)


def _plan_wna(planned: dict[str, int], weights: dict[str, float] | None = None) -> dict[str, int]:
    total = max(calibration.WNA_MIN, int(round(sum(planned.values()) * calibration.WNA_SHARE)))
    weights = calibration.WNA_KAB_WEIGHTS if weights is None else weights
    keys = sorted(weights)
    raw = np.array([weights[k] for k in keys]) * total / sum(weights.values())
    base = np.floor(raw).astype(int)
    order = np.argsort(-(raw - base), kind="stable")
    base[order[: total - int(base.sum())]] += 1
    return {k: int(v) for k, v in zip(keys, base, strict=True)}


def _write_desa(path: Path, regions: tuple[KabRegions, ...], geos: list[DesaGeo]) -> None:
    cols: dict[str, list[str]] = {h: [] for h in DESA_HEADER}
    for region, geo in zip(regions, geos, strict=True):
        for j, code in enumerate(region.desa_codes):
            if np.isnan(geo.lat[j]):  # no coordinates (outside Sumatera Barat): not listed
                continue
            kec = region.kec_codes[region.desa_kec[j]]
            cols["kode_desa"].append(code)
            cols["kode_kec"].append(kec)
            cols["kode_kab"].append(region.kab.code)
            cols["nama_desa"].append(region.desa_names[j])
            cols["nama_kec"].append(region.kec_names[region.desa_kec[j]])
            cols["nama_kab"].append(region.kab.name)
            cols["jenis"].append(region.desa_jenis[j])
            cols["kode_pos"].append(region.desa_postal[j])
            cols["lat"].append(f"{geo.lat[j]:.6f}")
            cols["lon"].append(f"{geo.lon[j]:.6f}")
            cols["remote"].append("true" if geo.remote[j] else "false")
    write_csv(path, DESA_HEADER, [pa.array(cols[h], type=pa.string()) for h in DESA_HEADER])


def _write_sites(out_dir: Path, book: SiteBook) -> list[Path]:
    files = []
    for name in SITE_FILES:
        rows = book.sites[name]
        path = out_dir / "sites" / f"{name}.csv"
        cols = [pa.array([str(r[i]) for r in rows], type=pa.string()) for i in range(4)]
        cols += [pa.array([f"{r[i]:.6f}" for r in rows], type=pa.string()) for i in (4, 5)]
        write_csv(path, SITE_HEADER, cols)
        files.append(path)
    for name, header in ROSTER_HEADERS.items():
        path = out_dir / "sites" / f"{name}.csv"
        tables = book.rosters[name]
        if tables:
            table = pa.concat_tables(tables)
            write_csv(path, header, [table.column(h) for h in header])
        else:
            write_csv(path, header, [pa.array([], type=pa.string()) for _ in header])
        files.append(path)
    return files


def generate(
    out_dir: Path,
    scale: float = 0.01,
    seed: int = DEFAULT_SEED,
    as_of: date = DEFAULT_AS_OF,
    progress: ProgressCallback | None = None,
    history: Sequence[date] = (),
    provinces: Sequence[str] | None = None,
) -> GenerateSummary:
    """Generate the synthetic Sumatera Barat register, sites and rosters into ``out_dir``.

    ``provinces``: two-digit province codes (``national.parse_provinces``) to generate instead
    of Sumatera Barat alone, each kab/kota scaled from its Dec 2024 population
    (``data/penduduk_kabkota.csv``); sites and village coordinates only for Sumatera Barat.
    ``None`` or ``["13"]``: Sumatera Barat, exactly as without the option.

    ``scale`` 1.0 is the Dec 2024 population (~5.8 M residents); 0.001 is ~6 k. Same seed and
    scale give byte-identical files. ``progress(message, fraction)`` is called as work advances.
    ``history``: earlier days (before ``as_of``) whose exports are also written
    (``demo.history``), so that progress over time can be shown.
    """
    if any(d >= as_of for d in history):
        raise ValueError("history days must be before as_of")
    if not (scale > 0):
        raise ValueError("scale must be positive")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = progress or (lambda message, fraction: None)

    chosen = tuple(sorted(set(provinces))) if provinces is not None else (calibration.PROVINCE_CODE,)
    nat = None if chosen == (calibration.PROVINCE_CODE,) else national.plan(chosen)
    if nat is None:
        regions = load_province()
        geos = [desa_geography(r, i) for i, r in enumerate(regions)]
        streams = list(range(len(regions)))
    else:
        kabs = national.kabkota_of(chosen)
        regions = load_kabkota(tuple(k for _, k in kabs))
        sumbar = [k.code for k in calibration.KABKOTA]
        # Sumatera Barat's villages keep their map; streams are keyed by the national index.
        geos = [
            desa_geography(r, sumbar.index(k.code) if k.code in sumbar else i)
            for (i, k), r in zip(kabs, regions, strict=True)
        ]
        streams = [NATIONAL_STREAM_BASE + i for i, _ in kabs]
    planned = {r.kab.code: planned_residents(r.kab, r.n_desa, scale) for r in regions}
    plan_rng = np.random.default_rng([seed, 9_999])
    counts = defects.plan_counts(plan_rng, [planned[r.kab.code] for r in regions])
    if nat is None:
        book = SiteBook(plan_sites(planned, scale), as_of)
        wna = _plan_wna(planned)
        all_kec6 = np.array(sorted(int(c.replace(".", "")) for r in regions for c in r.kec_codes), dtype=np.int64)
    else:
        site_planned = {k: v for k, v in planned.items() if k in nat.site_kabs}
        site_plan = plan_sites(site_planned, scale) if site_planned else SitePlan({}, {}, {}, {}, {}, 1.0)
        book = SiteBook(site_plan, as_of)
        wna = _plan_wna(planned, {k: float(v) for k, v in planned.items()})
        all_kec6 = np.zeros(0, dtype=np.int64)
    ctx = Context(
        as_of=as_of,
        as_of_day=day(as_of),
        defect_counts=counts,
        wna=wna,
        book=book,
        all_sumbar_kec6=all_kec6,
        national=nat,
    )

    files: list[Path] = []
    rows: dict[str, int] = {}
    residents = 0
    total_planned = sum(planned.values())
    done = 0
    for i, (region, geo) in enumerate(zip(regions, geos, strict=True)):
        kab = region.kab
        report(f"{kab.name}", done / total_planned * 0.95)
        rng = np.random.default_rng([seed, streams[i]])
        path = out_dir / "siak" / siak_file_name(kab)
        n = generate_kabkota(ctx, i, region, geo, planned[kab.code], rng, path)
        residents += n
        rows[path.relative_to(out_dir).as_posix()] = n
        files.append(path)
        done += planned[kab.code]

    siak_files = list(files)
    report("wilayah and sites", 0.96)
    desa_path = out_dir / "wilayah" / "desa.csv"
    _write_desa(desa_path, regions, geos)
    files.append(desa_path)
    files.extend(_write_sites(out_dir, book))

    if history:
        report("history", 0.97)
    earlier = write_history(out_dir, siak_files, list(history))
    for day_files in earlier.values():
        files.extend(day_files)
    defect_counts = {k: int(v) for k, v in ctx.defects.items()}
    site_counts = {k: int(book.counts[k]) for k in sorted(book.counts)}
    manifest_path = out_dir / "manifest.json"
    write_json(
        manifest_path,
        {
            "generator": "rekam.demo",
            "scale": scale,
            "seed": seed,
            "as_of": as_of.isoformat(),
            "residents": residents,
            "files": [p.relative_to(out_dir).as_posix() for p in files],
            "rows": rows,
            "defects": defect_counts,
            "sites": site_counts,
            "history": {d: [p.relative_to(out_dir).as_posix() for p in fs] for d, fs in earlier.items()},
        }
        | ({"provinces": list(chosen)} if nat is not None else {}),
    )
    files.append(manifest_path)
    report("done", 1.0)
    return GenerateSummary(
        out_dir=out_dir,
        scale=scale,
        seed=seed,
        as_of=as_of,
        residents=residents,
        files=files,
        defects=defect_counts,
        sites=site_counts,
    )
