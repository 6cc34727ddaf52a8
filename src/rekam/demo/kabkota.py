"""One kab/kota's synthetic register: households, people, KTP-el, NIK/KK, sites' rosters,
defects, and the SIAK-style CSV file.

Everything is vectorised with numpy/pyarrow; the random stream is the caller's (derived from
the seed and the kab/kota index), so the file is the same for the same seed and scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import attributes, calibration, codes, defects, ikd, names, recording
from .address import build_addresses
from .coordinates import DesaGeo
from .dates import NONE, age_on, day, format_dmy, ymd
from .export import write_csv
from .households import SINGLE, SINGLE_PARENT, allocate_households, build_members
from .identifiers import NATIONAL_FOREIGN_SLOT, build_kk_numbers, build_niks, issue_prefixes, nik_date_part
from .national import NationalPlan, province_names
from .regions import KELURAHAN, KabRegions
from .sites import PersonView, SiteBook

SIAK_HEADER = [
    "NIK",
    "NO_KK",
    "NAMA_LGKP",
    "JENIS_KLMIN",
    "TMPT_LHR",
    "TGL_LHR",
    "AGAMA",
    "STAT_KWN",
    "TGL_KWN",
    "STAT_HBKEL",
    "PNYDNG_CCT",
    "PDDK_AKH",
    "JENIS_PKRJN",
    "KEWARGANEGARAAN",
    "IZIN_TINGGAL",
    "KELOMPOK_RENTAN",
    "ALAMAT",
    "NO_RT",
    "NO_RW",
    "DUSUN",
    "KODE_POS",
    "NO_PROP",
    "NO_KAB",
    "NO_KEC",
    "NO_KEL",
    "NAMA_PROP",
    "NAMA_KAB",
    "NAMA_KEC",
    "NAMA_KEL",
    "STATUS_KTP_EL",
    "TGL_REKAM",
    "TGL_CETAK",
    "STATUS_IKD",
    "TGL_AKTIVASI_IKD",
    "KAB_AKTIVASI_IKD",
]
KK_ISSUED_SINCE = date(2005, 1, 1)
RESERVOIR_PER_FILE = 200  # NIKs kept from each file (at least) for cross-file duplicates


@dataclass
class Context:
    """What the kab/kota generations share: plans, the site book, the duplicate pool, tallies."""

    as_of: date
    as_of_day: int
    defect_counts: dict[str, np.ndarray]
    wna: dict[str, int]
    book: SiteBook
    all_sumbar_kec6: np.ndarray
    national: NationalPlan | None = None  # several provinces (``--provinces``); None: Sumatera Barat
    reservoir: list[np.ndarray] = field(default_factory=list)
    wna_seen: int = 0
    defects: dict[str, int] = field(default_factory=lambda: {c: 0 for c in defects.CODES})


def _labels(mapping: dict[int, str], values: np.ndarray) -> pa.Array:
    return codes.label_table(mapping).take(pa.array(values.astype(np.int64)))


_PADDED = pa.array([f"{i:03d}" for i in range(1000)], type=pa.string())


def generate_kabkota(
    ctx: Context, index: int, region: KabRegions, geo: DesaGeo, n_target: int, rng: np.random.Generator, out: Path
) -> int:
    """Generate one kab/kota and write its SIAK file to ``out``; returns the number of rows."""
    kab = region.kab
    as_of_day = ctx.as_of_day
    nat = ctx.national
    prov = kab.code[:2]
    nd = region.n_desa
    jenis = np.array(region.desa_jenis)

    # --- households and members ---------------------------------------------------------------
    weights = rng.lognormal(0.0, 0.6, nd) * np.where(geo.remote, 0.6, 1.0) * np.where(jenis == KELURAHAN, 1.3, 1.0)
    hh_desa, size = allocate_households(rng, nd, n_target, weights)
    kind, start, m = build_members(rng, size, as_of_day, kab.laki / kab.population)
    n, n_hh = len(m.hh), len(size)
    age = age_on(m.dob, as_of_day)
    married = m.marital != codes.BELUM_KAWIN

    # --- name group, foreigners ----------------------------------------------------------------
    mix = np.asarray(calibration.ethnic_mix(kab.code), dtype=np.float64)
    group_hh = rng.choice(len(mix), size=n_hh, p=mix / mix.sum()).astype(np.int8)
    n_wna = ctx.wna.get(kab.code, 0)
    wna_cand = np.flatnonzero((kind == SINGLE) & (age[start] >= 21))
    wna_hh = (
        np.sort(rng.choice(wna_cand, size=min(n_wna, len(wna_cand)), replace=False))
        if n_wna
        else np.zeros(0, dtype=np.int64)
    )
    group_hh[wna_hh] = names.ASING
    group = group_hh[m.hh]
    wna = (group == names.ASING).astype(np.int8)
    izin = np.zeros(n, dtype=np.int8)
    for j, h in enumerate(wna_hh.tolist()):
        izin[start[h]] = codes.ITAP if (ctx.wna_seen + j) % 2 == 0 else codes.ITAS
    ctx.wna_seen += len(wna_hh)

    # --- attributes ----------------------------------------------------------------------------
    religion = attributes.religion(rng, group_hh)[m.hh]
    urban = np.full(n, kab.is_kota) | (jenis[hh_desa] == KELURAHAN)[m.hh]
    edu = attributes.education(rng, age, urban)
    occ = attributes.occupation(rng, age, m.sex, urban, edu, wna == 1, kab.code)
    dis = attributes.disability(rng, age)
    rentan = attributes.rentan_households(rng, kab.code, geo.remote[hh_desa])[m.hh]
    alone = kind[m.hh] == SINGLE
    terlantar = alone & (age >= 50) & (rng.random(n) < calibration.RENTAN_TERLANTAR_ALONE_P)
    rentan[terlantar & (rentan == 0)] = codes.ORANG_TERLANTAR
    rentan[wna == 1] = 0

    family_hh = names.draw_family_index(rng, group_hh)
    family_own = names.draw_family_index(rng, group)
    family = np.where(m.inherits_family_name, family_hh[m.hh], family_own)
    birth_year = ymd(m.dob)[0]
    nama = names.build_names(rng, group, m.sex, birth_year, family)
    siblings = nat.kab_by_province[prov] if nat else calibration.KABKOTA
    tmpt_lhr = attributes.Birthplaces(kab, region.kec_names, siblings).draw(
        rng, group, birth_year, kab.code == calibration.MENTAWAI_CODE
    )

    # --- KTP-el ----------------------------------------------------------------------------------
    desa_logit = recording.desa_logits(rng, kab.code, geo.remote)
    rec = recording.assign_recording(
        rng,
        age=age,
        dob=m.dob,
        married=married,
        wna=wna,
        izin=izin,
        disability=dis,
        rentan=rentan,
        desa_logit=desa_logit[hh_desa[m.hh]],
        target=calibration.coverage_target(kab.code),
        as_of_day=as_of_day,
    )

    # --- addresses and KK numbers ---------------------------------------------------------------
    alamat, rt, rw, dusun = build_addresses(rng, hh_desa, region.desa_jenis)
    kec6 = np.array([int(c.replace(".", "")) for c in region.kec_codes], dtype=np.int64)
    kec6_hh = kec6[region.desa_kec][hh_desa]
    youngest_dob = np.maximum.reduceat(m.dob, start)
    lower = np.minimum(np.maximum(youngest_dob, day(KK_ISSUED_SINCE)), as_of_day)
    issue = lower + np.floor((as_of_day - lower) * rng.random(n_hh) ** 0.6).astype(np.int64)
    kk = build_kk_numbers(kec6_hh, issue)

    # --- sites and rosters (roster people are kept clear of NIK defects) -------------------------
    wajib = ((wna == 0) | (izin == codes.ITAP)) & ((age >= 17) | married)
    view = PersonView(
        dob=m.dob,
        age=age,
        sex=m.sex,
        desa=hh_desa[m.hh],
        occupation=occ,
        education=edu,
        disability=dis,
        wna=wna,
        unrecorded_wajib=wajib & ~recording.is_recorded(rec.status),
        lives_alone=alone,
        single_parent_child=(kind[m.hh] == SINGLE_PARENT) & (m.role == codes.ANAK),
    )
    desa_pop = np.bincount(hh_desa, weights=size, minlength=nd)
    with_sites = nat is None or kab.code in nat.site_kabs
    selections = ctx.book.add_kab(rng, region, geo, desa_pop, view) if with_sites else []
    reserved = np.zeros(n, dtype=bool)
    for sel in selections:
        reserved[sel.person] = True
        if sel.file == "panti_residents":
            rentan[sel.person] = codes.ORANG_TERLANTAR
        elif sel.file == "lapas_residents":
            flag = rng.random(len(sel.person)) < 0.4
            rentan[sel.person[flag]] = codes.ORANG_TERLANTAR

    # --- NIK (with the birth-date mismatch defect) -------------------------------------------------
    counts = {c: int(ctx.defect_counts[c][index]) for c in defects.CODES}
    used = np.zeros(n, dtype=bool)
    mismatch = defects.choose(rng, ~reserved, counts["nik_birthdate_mismatch"])
    used[mismatch] = True
    nik_dob = m.dob.copy()
    nik_dob[mismatch] = defects.shift_birthdates(rng, m.dob[mismatch])
    if nat is None:
        prefix, home = issue_prefixes(rng, m.hh, age, kec6_hh[m.hh], ctx.all_sumbar_kec6)
        nik = build_niks(prefix, nik_date_part(nik_dob, m.sex), home, index)
    else:
        prefix, home = issue_prefixes(
            rng, m.hh, age, kec6_hh[m.hh], nat.kec6_by_province[prov], nat.other_provinces[prov]
        )
        nik = build_niks(prefix, nik_date_part(nik_dob, m.sex), home, nat.index[kab.code], NATIONAL_FOREIGN_SLOT)

    # --- file order: households shuffled, members head first ---------------------------------------
    perm = rng.permutation(n_hh)
    new_start = np.cumsum(size[perm]) - size[perm]
    hh_pos = np.empty(n_hh, dtype=np.int64)
    hh_pos[perm] = new_start
    pos = hh_pos[m.hh] + m.slot
    order = np.empty(n, dtype=np.int64)
    order[pos] = np.arange(n)

    # --- defects that need file positions -----------------------------------------------------------
    invalid = defects.choose(rng, ~reserved & ~used, counts["nik_invalid"])
    used[invalid] = True
    # Duplicates reuse the NIK of an earlier person of the same sex (so the NIK's sex code
    # still matches): from an earlier file (the pool) or earlier in this file.
    n_dup = counts["nik_duplicate"]
    pool = np.concatenate(ctx.reservoir) if ctx.reservoir else np.zeros(0, dtype=np.int64)
    pool_female = (pool // 10**8) % 100 > 40
    n_cross = int(round(n_dup * calibration.NIK_DUPLICATE_CROSS_FILE_SHARE)) if len(pool) else 0
    cross = defects.choose(rng, ~reserved & ~used, n_cross)
    used[cross] = True
    same = defects.choose(rng, ~reserved & ~used & (pos >= 10), n_dup - len(cross))
    used[same] = True
    kept = []
    for sex in (codes.LAKI_LAKI, codes.PEREMPUAN):
        rows = cross[m.sex[cross] == sex]
        candidates = pool[pool_female == (sex == codes.PEREMPUAN)]
        if len(rows) and len(candidates):
            nik[rows] = rng.choice(candidates, size=len(rows), replace=len(candidates) < len(rows))
        elif len(rows):  # pragma: no cover - a pool without this sex: no cross-file duplicate
            used[rows] = False
            cross = np.setdiff1d(cross, rows)
        rows = same[m.sex[same] == sex]
        clean_pos = np.sort(pos[~used & (m.sex == sex)])
        before = np.searchsorted(clean_pos, pos[rows])
        ok = before > 0
        used[rows[~ok]] = False
        rows = rows[ok]
        origin = order[clean_pos[np.floor(rng.random(len(rows)) * before[ok]).astype(np.int64)]]
        nik[rows] = nik[origin]
        kept.append(rows)
    same = np.sort(np.concatenate(kept))

    nik_text = pc.cast(pa.array(nik), pa.string())
    if len(invalid):
        bad = defects.invalid_niks(rng, [str(x) for x in nik[invalid].tolist()], set())
        mask = np.zeros(n, dtype=bool)
        mask[invalid] = True
        nik_text = pc.replace_with_mask(nik_text, pa.array(mask), pa.array(bad, type=pa.string()))

    birth_missing = defects.choose(rng, ~used, counts["birth_date_missing"])
    used[birth_missing] = True
    rekam_missing = defects.choose(rng, ~used & (rec.status != codes.UNREGISTERED), counts["rekam_date_missing"])
    used[rekam_missing] = True
    tgl_lhr = m.dob.copy()
    tgl_lhr[birth_missing] = NONE
    tgl_rekam = rec.tgl_rekam.copy()
    tgl_rekam[rekam_missing] = NONE
    for code, rows in (
        ("nik_birthdate_mismatch", mismatch),
        ("nik_invalid", invalid),
        ("nik_duplicate", np.concatenate([cross, same])),
        ("birth_date_missing", birth_missing),
        ("rekam_date_missing", rekam_missing),
    ):
        ctx.defects[code] += len(rows)

    # --- IKD activation (issue 19), from a stream of its own: the other columns stay as they were ---
    kab_codes = [k.code for k in siblings]
    ikd_rng = np.random.default_rng(rng.bit_generator.seed_seq.spawn(1)[0])  # type: ignore[attr-defined]
    act = ikd.assign_ikd(
        ikd_rng,
        kab.code,
        kab.is_kota,
        recording.is_recorded(rec.status),
        tgl_rekam,
        age,
        urban,
        as_of_day,
        kab_codes.index(kab.code),
        len(kab_codes),
    )
    ikd_kab = pa.array([""] + kab_codes, type=pa.string()).take(pa.array(act.by_kab[order] + 1))

    # --- write the SIAK export ------------------------------------------------------------------------
    o = pa.array(order)
    hh_o = m.hh[order]
    desa_o = hh_desa[hh_o]
    kec_o = region.desa_kec[desa_o]
    desa_part = np.array([int(c.split(".")[3]) for c in region.desa_codes], dtype=np.int64)
    kec_part = np.array([int(c.split(".")[2]) for c in region.kec_codes], dtype=np.int64)
    upper = lambda xs: pa.array([x.upper() for x in xs], type=pa.string())  # noqa: E731
    columns = [
        nik_text.take(o),
        kk[hh_o],
        nama.take(o),
        _labels(codes.JENIS_KLMIN, m.sex[order]),
        tmpt_lhr.take(o),
        format_dmy(tgl_lhr[order]),
        _labels(codes.AGAMA, religion[order]),
        _labels(codes.STAT_KWN, m.marital[order]),
        format_dmy(m.tgl_kwn[order]),
        _labels(codes.STAT_HBKEL, m.role[order]),
        _labels(codes.PNYDNG_CCT, dis[order]),
        _labels(codes.PDDK_AKH, edu[order]),
        _labels(codes.JENIS_PKRJN, occ[order]),
        _labels(codes.KEWARGANEGARAAN, wna[order]),
        _labels(codes.IZIN_TINGGAL, izin[order]),
        _labels(codes.KELOMPOK_RENTAN, rentan[order]),
        alamat.take(pa.array(hh_o)),
        _PADDED.take(pa.array(rt[hh_o])),
        _PADDED.take(pa.array(rw[hh_o])),
        dusun.take(pa.array(hh_o)),
        pa.array(region.desa_postal, type=pa.string()).take(pa.array(desa_o)),
        np.full(n, int(prov), dtype=np.int64),
        np.full(n, int(kab.code[3:5]), dtype=np.int64),
        kec_part[kec_o],
        desa_part[desa_o],
        pa.array(np.full(n, (province_names()[prov] if nat else calibration.PROVINCE_NAME).upper())),
        pa.array(np.full(n, kab.name.upper())),
        upper(region.kec_names).take(pa.array(kec_o)),
        upper(region.desa_names).take(pa.array(desa_o)),
        _labels(codes.STATUS_KTP_EL, rec.status[order]),
        format_dmy(tgl_rekam[order]),
        format_dmy(rec.tgl_cetak[order]),
        pa.array(np.where(act.active[order], "AKTIF", "BELUM")),
        format_dmy(act.activated_on[order]),
        ikd_kab,
    ]
    write_csv(out, SIAK_HEADER, columns)

    # --- rosters and the cross-file duplicate pool --------------------------------------------------
    roster_defects = ctx.book.materialize(rng, selections, nik_text, nama, m.dob, m.sex) if with_sites else {}
    for code, c in roster_defects.items():
        ctx.defects[code] = ctx.defects.get(code, 0) + c
    clean = np.flatnonzero(~used)
    if len(clean):
        keep = max(RESERVOIR_PER_FILE, 4 * int(ctx.defect_counts["nik_duplicate"].max()))
        ctx.reservoir.append(nik[rng.choice(clean, size=min(keep, len(clean)), replace=False)])
    return n
