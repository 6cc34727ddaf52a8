"""Sites for jemput-bola planning (schools, campuses, lapas/rutan, panti, hospitals, and the
Dinas Dukcapil office of each kab/kota, the teams' depot) and the outside lists (rosters) that
come with them.

Every site has a kode_desa and a point within a kilometre or so of its (synthetic) desa point.
Names are generic ("SMA Negeri 1 Padang"); they are not meant to be the real institutions.
Every roster row is a real resident of the register (same NIK, name, birth date); a small share
of roster rows have no NIK or a typo in the name (calibration.ROSTER_*), for the linkage feature.
Roster files use the conventions of the outside systems they imitate (Dapodik and the like):
dates as YYYY-MM-DD and sex as L/P.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pyarrow as pa

from . import calibration, codes, names
from .coordinates import GEOGRAPHY_SEED, DesaGeo, jitter
from .dates import age_on, day, format_iso
from .regions import KabRegions

SITE_HEADER = ["site_id", "kind", "nama", "kode_desa", "lat", "lon"]
SITE_FILES = ("schools", "campuses", "lapas", "panti", "hospitals", "dinas")
ROSTER_HEADERS = {
    "school_students": ["site_id", "NISN", "NIK", "NAMA", "TGL_LHR", "JENIS_KLMIN", "KELAS"],
    "campus_students": ["site_id", "NIM", "NIK", "NAMA", "TGL_LHR", "JENIS_KLMIN", "ANGKATAN"],
    "lapas_residents": ["site_id", "NIK", "NAMA", "TGL_LHR", "JENIS_KLMIN"],
    "panti_residents": ["site_id", "NIK", "NAMA", "TGL_LHR", "JENIS_KLMIN"],
}

_SCHOOL_FOUNDATIONS = {
    "SMA": ("Muhammadiyah", "PGRI", "Adabiah", "Pembangunan", "Kartika", "Pertiwi"),
    "SMK": ("Muhammadiyah", "PGRI", "Kesehatan", "Teknologi", "Dharma Bakti", "Pelayaran"),
    "MA": ("Tarbiyah Islamiyah", "Muhammadiyah", "Diniyyah", "Thawalib", "Darul Ulum", "Nurul Huda"),
}
_CAMPUS_KINDS = (
    (
        "UNIVERSITAS",
        0.35,
        (
            "Universitas {p}",
            "Universitas Islam {p}",
            "Universitas Muhammadiyah {p}",
            "Universitas Teknologi {p}",
            "Universitas Nusantara {p}",
        ),
    ),
    ("POLITEKNIK", 0.15, ("Politeknik Negeri {p}", "Politeknik Kesehatan {p}", "Politeknik Pertanian {p}")),
    ("INSTITUT", 0.10, ("Institut Agama Islam {p}", "Institut Seni {p}", "Institut Teknologi {p}")),
    ("SEKOLAH_TINGGI", 0.25, ("STIKes {p}", "STIE {p}", "STKIP {p}", "STAI {p}")),
    ("AKADEMI", 0.15, ("Akademi Keperawatan {p}", "Akademi Kebidanan {p}", "Akademi Farmasi {p}")),
)
# Relative weight of each kab/kota for campuses (assumption: mostly in Padang and the towns).
_CAMPUS_WEIGHT = {
    "13.71": 0.55,
    "13.75": 0.08,
    "13.74": 0.06,
    "13.76": 0.05,
    "13.72": 0.03,
    "13.04": 0.04,
    "13.77": 0.03,
    "13.05": 0.03,
    "13.06": 0.02,
    "13.12": 0.03,
    "13.10": 0.02,
    "13.01": 0.02,
    "13.07": 0.01,
    "13.73": 0.01,
    "13.03": 0.01,
    "13.02": 0.01,
    "13.08": 0.01,
    "13.11": 0.01,
}
_PANTI_NAMES = {
    "PANTI_ASUHAN": (
        "Panti Asuhan Aisyiyah {p}",
        "Panti Asuhan Al-Ikhlas {p}",
        "Panti Asuhan Nurul Huda {p}",
        "Panti Asuhan Budi Mulia {p}",
        "Panti Asuhan Darul Aitam {p}",
    ),
    "PANTI_JOMPO": ("Panti Sosial Tresna Werdha {p}", "Panti Werdha Kasih {p}"),
    "PANTI_SOSIAL": ("Panti Sosial Bina Laras {p}", "Panti Sosial Bina Daksa {p}", "Panti Sosial Bina Grahita {p}"),
}
_HOSPITAL_NAMES = (
    "RS Islam {p}",
    "RS Bhayangkara {p}",
    "RS Ibu dan Anak {p}",
    "RS Umum {p}",
    "RS Yarsi {p}",
    "RS Semen {p}",
)


def _largest_remainder(total: int, weights: dict[str, float]) -> dict[str, int]:
    keys = sorted(weights)
    w = np.array([weights[k] for k in keys], dtype=np.float64)
    raw = total * w / w.sum()
    base = np.floor(raw).astype(int)
    rest = total - int(base.sum())
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:rest]] += 1
    return dict(zip(keys, base.tolist(), strict=True))


@dataclass
class SitePlan:
    schools: dict[str, int]
    campuses: dict[str, int]
    lapas: dict[str, list[tuple[str, str, float, bool]]]  # kind, name, share, women only
    panti: dict[str, list[str]]  # kinds
    hospitals: dict[str, int]
    roster_factor: float


def plan_sites(planned: dict[str, int], scale: float) -> SitePlan:
    """How many sites of each kind each kab/kota gets, from the planned resident counts."""
    total = sum(planned.values())
    schools = {k: max(1, round(n / calibration.RESIDENTS_PER_SCHOOL)) for k, n in planned.items()}
    campuses = _largest_remainder(max(1, round(total / calibration.RESIDENTS_PER_CAMPUS)), _CAMPUS_WEIGHT)
    pop = {k: float(n) for k, n in planned.items()}
    panti: dict[str, list[str]] = {k: [] for k in planned}
    for kind, per in (
        ("PANTI_ASUHAN", calibration.RESIDENTS_PER_PANTI_ASUHAN),
        ("PANTI_JOMPO", calibration.RESIDENTS_PER_PANTI_JOMPO),
        ("PANTI_SOSIAL", calibration.RESIDENTS_PER_PANTI_SOSIAL),
    ):
        n = round(total / per)
        counts = _largest_remainder(n, pop) if n else {}
        if n == 0:
            counts = {"13.71": 1}
        for k, c in counts.items():
            panti[k].extend([kind] * c)
    lapas: dict[str, list[tuple[str, str, float, bool]]] = {}
    for kab in calibration.KABKOTA:
        if kab.code not in planned:
            continue
        place = kab.short_name
        if kab.code == "13.71":
            lapas[kab.code] = [
                ("LAPAS", "Lapas Kelas IIA Padang", 0.50, False),
                ("RUTAN", "Rutan Kelas IIB Padang", 0.35, False),
                ("LAPAS", "Lapas Perempuan Kelas IIB Padang", 0.15, True),
            ]
        elif kab.code == "13.75":
            lapas[kab.code] = [("LAPAS", "Lapas Kelas IIA Bukittinggi", 1.0, False)]
        elif kab.code == "13.73":
            lapas[kab.code] = [("LAPAS", "Lapas Narkotika Kelas IIA Sawahlunto", 1.0, False)]
        elif kab.is_kota:
            lapas[kab.code] = [("LAPAS", f"Lapas Kelas IIB {place}", 1.0, False)]
        else:
            town = calibration.CAPITAL_TOWN[kab.code].title()
            lapas[kab.code] = [("RUTAN", f"Rutan Kelas IIB {town}", 1.0, False)]
    extra = max(0, round(total / calibration.RESIDENTS_PER_HOSPITAL) - len(planned))
    hospitals = {k: 1 for k in planned}
    for k, c in _largest_remainder(extra, pop).items() if extra else []:
        hospitals[k] += c
    return SitePlan(
        schools=schools,
        campuses={k: v for k, v in campuses.items() if v and k in planned},
        lapas=lapas,
        panti=panti,
        hospitals=hospitals,
        roster_factor=min(1.0, 10.0 * scale),
    )


@dataclass
class PersonView:
    """What the site rosters need to know about the residents of one kab/kota."""

    dob: np.ndarray
    age: np.ndarray
    sex: np.ndarray
    desa: np.ndarray
    occupation: np.ndarray
    education: np.ndarray
    disability: np.ndarray
    wna: np.ndarray
    unrecorded_wajib: np.ndarray  # bool
    lives_alone: np.ndarray  # bool
    single_parent_child: np.ndarray  # bool


@dataclass
class Selection:
    """Roster rows chosen for one kab/kota, as person indices plus roster-only fields."""

    file: str
    person: np.ndarray
    site_id: list[str]
    extra: dict[str, list[str]] = field(default_factory=dict)


def _weighted_sample(rng: np.random.Generator, weights: np.ndarray, count: int) -> np.ndarray:
    pool = np.flatnonzero(weights > 0)
    count = min(count, len(pool))
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    p = weights[pool] / weights[pool].sum()
    return np.sort(rng.choice(pool, size=count, replace=False, p=p))


def _dedupe(names_: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names_:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} {seen[n]}")
    return out


class SiteBook:
    """Collects sites and roster selections kab/kota by kab/kota."""

    def __init__(self, plan: SitePlan, as_of: date) -> None:
        self.plan = plan
        self.as_of = as_of
        self.sites: dict[str, list[tuple[str, str, str, str, float, float]]] = {f: [] for f in SITE_FILES}
        self.rosters: dict[str, list[pa.Table]] = {f: [] for f in ROSTER_HEADERS}
        self.counts: dict[str, int] = {}
        self.nisn_counter = 0
        self.nim_counter: dict[str, int] = {}
        # campus ids by kab, known up front so students anywhere can be assigned to any campus
        self.campus_ids: dict[str, list[str]] = {
            k: [f"PT-{k.replace('.', '')}-{i + 1:02d}" for i in range(n)] for k, n in sorted(plan.campuses.items())
        }

    # -- sites ------------------------------------------------------------------------------
    def _add_site(self, file: str, site_id: str, kind: str, nama: str, kode_desa: str, lat: float, lon: float) -> None:
        self.sites[file].append((site_id, kind, nama, kode_desa, lat, lon))
        self.counts[kind] = self.counts.get(kind, 0) + 1

    def add_kab(
        self,
        rng: np.random.Generator,
        region: KabRegions,
        geo: DesaGeo,
        desa_pop: np.ndarray,
        people: PersonView,
    ) -> list[Selection]:
        """Create the sites of one kab/kota and choose their roster rows (persons)."""
        kab = region.kab
        code4 = kab.code4
        place = kab.short_name
        w_pop = desa_pop.astype(np.float64) + 0.5
        w_central = w_pop**2

        def place_sites(n: int, weights: np.ndarray, km: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            d = rng.choice(len(weights), size=n, p=weights / weights.sum())
            lat, lon = jitter(rng, geo.lat[d], geo.lon[d], km)
            return d, lat, lon

        selections: list[Selection] = []
        taken = np.zeros(len(people.age), dtype=bool)

        # schools -----------------------------------------------------------------------------
        n_sch = self.plan.schools[kab.code]
        kinds = list(calibration.SCHOOL_KIND_P)
        kp = np.array([calibration.SCHOOL_KIND_P[k] for k in kinds])
        sch_kind = [kinds[i] for i in rng.choice(len(kinds), size=n_sch, p=kp / kp.sum())]
        sch_kind[0] = "SMA"  # every kab/kota has at least one SMA Negeri
        negeri = rng.random(n_sch) < calibration.SCHOOL_NEGERI_SHARE
        negeri[0] = True
        numbers: dict[str, int] = {}
        sch_names = []
        for k, neg in zip(sch_kind, negeri.tolist(), strict=True):
            if neg:
                numbers[k] = numbers.get(k, 0) + 1
                prefix = "MAN" if k == "MA" else f"{k} Negeri"
                sch_names.append(f"{prefix} {numbers[k]} {place}")
            else:
                found = _SCHOOL_FOUNDATIONS[k][int(rng.integers(0, len(_SCHOOL_FOUNDATIONS[k])))]
                prefix = "MAS" if k == "MA" else k
                sch_names.append(f"{prefix} {found} {place}")
        sch_names = _dedupe(sch_names)
        sch_desa, sch_lat, sch_lon = place_sites(n_sch, w_pop, 0.6)
        sch_ids = [f"SCH-{code4}-{i + 1:03d}" for i in range(n_sch)]
        for i in range(n_sch):
            self._add_site(
                "schools", sch_ids[i], sch_kind[i], sch_names[i], region.desa_codes[sch_desa[i]], sch_lat[i], sch_lon[i]
            )
        selections.append(self._school_students(rng, region, geo, people, sch_ids, sch_lat, sch_lon, taken))

        # campuses (sites here; students of this kab go to any campus) ---------------------------
        n_pt = self.plan.campuses.get(kab.code, 0)
        if n_pt:
            pt_desa, pt_lat, pt_lon = place_sites(n_pt, w_central, 1.0)
            kind_idx = rng.choice(len(_CAMPUS_KINDS), size=n_pt, p=np.array([c[1] for c in _CAMPUS_KINDS]))
            pt_names = []
            for j, ki in enumerate(kind_idx.tolist()):
                patterns = _CAMPUS_KINDS[ki][2]
                pt_names.append(patterns[j % len(patterns)].format(p=place))
            pt_names = _dedupe(pt_names)
            for j in range(n_pt):
                self._add_site(
                    "campuses",
                    self.campus_ids[kab.code][j],
                    _CAMPUS_KINDS[kind_idx[j]][0],
                    pt_names[j],
                    region.desa_codes[pt_desa[j]],
                    pt_lat[j],
                    pt_lon[j],
                )
        selections.append(self._campus_students(rng, kab.code, people, taken))

        # lapas / rutan ---------------------------------------------------------------------------
        lapas = self.plan.lapas.get(kab.code, [])
        adults = (people.age >= 18) & (people.age <= 65) & (people.wna == 0)
        n_inmates = max(len(lapas), round(calibration.INMATES_PER_ADULT * int(adults.sum())))
        if lapas:
            lp_desa, lp_lat, lp_lon = place_sites(len(lapas), w_central, 2.0)
            for j, (kind, nama, share, women) in enumerate(lapas):
                site_id = f"LP-{code4}-{j + 1:02d}"
                self._add_site("lapas", site_id, kind, nama, region.desa_codes[lp_desa[j]], lp_lat[j], lp_lon[j])
                if women:
                    sex_ok = people.sex == codes.PEREMPUAN
                else:  # men, and a few women held in a general lapas/rutan
                    sex_ok = (people.sex == codes.LAKI_LAKI) | (rng.random(len(people.sex)) < 0.07)
                w = np.where(adults & sex_ok & ~taken, 1.0, 0.0)
                w *= np.where(people.unrecorded_wajib, calibration.INMATE_UNRECORDED_WEIGHT, 1.0)
                chosen = _weighted_sample(rng, w, max(1, round(n_inmates * share)))
                taken[chosen] = True
                selections.append(Selection("lapas_residents", chosen, [site_id] * len(chosen)))

        # panti ---------------------------------------------------------------------------------
        panti_kinds = self.plan.panti.get(kab.code, [])
        if panti_kinds:
            pa_desa, pa_lat, pa_lon = place_sites(len(panti_kinds), w_pop, 1.5)
            used: dict[str, int] = {}
            for j, kind in enumerate(panti_kinds):
                site_id = f"PA-{code4}-{j + 1:02d}"
                options = _PANTI_NAMES[kind]
                used[kind] = used.get(kind, 0) + 1
                nama = options[(used[kind] - 1) % len(options)].format(p=place)
                self.sites["panti"].append((site_id, kind, nama, region.desa_codes[pa_desa[j]], pa_lat[j], pa_lon[j]))
                self.counts[kind] = self.counts.get(kind, 0) + 1
                lo, hi = calibration.PANTI_ROSTER[kind]
                size = max(2, round(rng.integers(lo, hi + 1) * self.plan.roster_factor))
                if kind == "PANTI_ASUHAN":
                    w = ((people.age >= 6) & (people.age <= 17)) * (1.0 + 3.0 * people.single_parent_child)
                elif kind == "PANTI_JOMPO":
                    w = (people.age >= 60) * (1.0 + 4.0 * people.lives_alone) * (1.0 + 2.0 * people.unrecorded_wajib)
                else:
                    w = ((people.age >= 18) & (people.disability > 0)) * (1.0 + 2.0 * (people.disability == 4))
                    w = w * (1.0 + 1.0 * people.unrecorded_wajib)
                w = np.where(taken | (people.wna == 1), 0.0, w.astype(np.float64))
                chosen = _weighted_sample(rng, w, size)
                taken[chosen] = True
                selections.append(Selection("panti_residents", chosen, [site_id] * len(chosen)))
        self._dedupe_panti_names()

        # hospitals -----------------------------------------------------------------------------
        n_rs = self.plan.hospitals.get(kab.code, 0)
        if n_rs:
            rs_desa, rs_lat, rs_lon = place_sites(n_rs, w_central, 1.0)
            rs_names = [f"RSUD {place}"] + [
                _HOSPITAL_NAMES[(j - 1) % len(_HOSPITAL_NAMES)].format(p=place) for j in range(1, n_rs)
            ]
            rs_names = _dedupe(rs_names)
            for j in range(n_rs):
                self._add_site(
                    "hospitals",
                    f"RS-{code4}-{j + 1:02d}",
                    "RSUD" if j == 0 else "RS",
                    rs_names[j],
                    region.desa_codes[rs_desa[j]],
                    rs_lat[j],
                    rs_lon[j],
                )
            if kab.code == "13.71":
                rsj_lat, rsj_lon = jitter(rng, geo.lat[rs_desa[:1]], geo.lon[rs_desa[:1]], 2.0)
                self._add_site(
                    "hospitals",
                    f"RS-{code4}-{n_rs + 1:02d}",
                    "RSJ",
                    f"RSJ {place}",
                    region.desa_codes[rs_desa[0]],
                    rsj_lat[0],
                    rsj_lon[0],
                )
        self._add_dinas(region, geo, desa_pop)
        return [s for s in selections if len(s.person)]

    def _add_dinas(self, region: KabRegions, geo: DesaGeo, desa_pop: np.ndarray) -> None:
        """The kab/kota's Dinas Dukcapil office, the teams' depot (synthetic, assumption): within
        0.5 km of the desa nearest the centroid of the kab/kota's most populous kecamatan (its
        main town in most kab/kota). Its own random stream, so the other files do not change."""
        kab = region.kab
        by_kec = np.bincount(region.desa_kec, weights=desa_pop.astype(np.float64), minlength=len(region.kec_codes))
        kec = int(np.argmax(by_kec))
        lat0, lon0 = calibration.KEC_CENTROIDS.get(region.kec_codes[kec], (kab.lat, kab.lon))
        members = np.flatnonzero(region.desa_kec == kec)
        dist = np.hypot(geo.lat[members] - lat0, (geo.lon[members] - lon0) * math.cos(math.radians(lat0)))
        d = int(members[int(np.argmin(dist))])
        rng = np.random.default_rng([GEOGRAPHY_SEED, int(kab.code4), 1])
        lat, lon = jitter(rng, geo.lat[d : d + 1], geo.lon[d : d + 1], 0.5)
        self._add_site(
            "dinas",
            f"DINAS-{kab.code4}",
            "DINAS",
            f"Dinas Dukcapil {kab.name}",
            region.desa_codes[d],
            float(lat[0]),
            float(lon[0]),
        )

    def _dedupe_panti_names(self) -> None:
        rows = self.sites["panti"]
        fixed = _dedupe([r[2] for r in rows])
        self.sites["panti"] = [(r[0], r[1], n, r[3], r[4], r[5]) for r, n in zip(rows, fixed, strict=True)]

    # -- rosters -----------------------------------------------------------------------------
    def _school_students(
        self,
        rng: np.random.Generator,
        region: KabRegions,
        geo: DesaGeo,
        people: PersonView,
        sch_ids: list[str],
        sch_lat: np.ndarray,
        sch_lon: np.ndarray,
        taken: np.ndarray,
    ) -> Selection:
        year = self.as_of.year if self.as_of.month >= 7 else self.as_of.year - 1
        age_jul = age_on(people.dob, day(date(year, 7, 1)))
        pelajar = people.occupation == codes.PEKERJAAN_CODE["PELAJAR/MAHASISWA"]
        cand = (
            pelajar
            & (people.wna == 0)
            & (
                ((age_jul >= 15) & (age_jul <= 17))
                | ((age_jul == 18) & (people.education <= 4) & (rng.random(len(age_jul)) < 0.3))
            )
        )
        chosen = np.flatnonzero(cand & ~taken)
        taken[chosen] = True
        kelas = np.clip(age_jul[chosen] - 5, 10, 12)
        kelas = np.where((rng.random(len(chosen)) < 0.08) & (kelas > 10), kelas - 1, kelas)
        # nearest schools of each desa: 60 % the nearest, 25 % the second, 15 % the third
        dy = (geo.lat[:, None] - sch_lat[None, :]) * 110.574
        dx = (geo.lon[:, None] - sch_lon[None, :]) * 111.320 * math.cos(math.radians(region.kab.lat))
        nearest = np.argsort(np.hypot(dx, dy), axis=1, kind="stable")[:, :3]
        k = nearest.shape[1]
        p = np.array([0.60, 0.25, 0.15][:k])
        pick = rng.choice(k, size=len(chosen), p=p / p.sum())
        school = nearest[people.desa[chosen], pick]
        birth_year = people.dob[chosen].astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
        serial = self.nisn_counter + np.cumsum(rng.integers(1, 4, len(chosen)))
        self.nisn_counter = int(serial[-1]) if len(serial) else self.nisn_counter
        nisn = [
            f"{y % 1000:03d}{s % 10_000_000:07d}" for y, s in zip(birth_year.tolist(), serial.tolist(), strict=True)
        ]
        return Selection(
            "school_students",
            chosen,
            [sch_ids[i] for i in school.tolist()],
            {"NISN": nisn, "KELAS": [str(x) for x in kelas.tolist()]},
        )

    def _campus_students(
        self, rng: np.random.Generator, kab_code: str, people: PersonView, taken: np.ndarray
    ) -> Selection:
        pelajar = people.occupation == codes.PEKERJAAN_CODE["PELAJAR/MAHASISWA"]
        cand = pelajar & (people.age >= 18) & (people.age <= 23) & (people.education >= 5) & (people.wna == 0) & ~taken
        chosen = np.flatnonzero(cand & (rng.random(len(cand)) < 0.85))
        taken[chosen] = True
        all_ids = [i for k in sorted(self.campus_ids) for i in self.campus_ids[k]]
        padang = self.campus_ids.get("13.71", []) or all_ids
        home = self.campus_ids.get(kab_code, [])
        u = rng.random(len(chosen))
        v = rng.random(len(chosen))
        site = []
        for uu, vv in zip(u.tolist(), v.tolist(), strict=True):
            if home and uu < calibration.CAMPUS_HOME_KAB_SHARE:
                site.append(home[int(vv * len(home))])
            elif uu < 0.85:
                site.append(padang[int(vv * len(padang))])
            else:
                site.append(all_ids[int(vv * len(all_ids))])
        angkatan = np.clip(self.as_of.year - (people.age[chosen] - 18), self.as_of.year - 5, self.as_of.year)
        nim = []
        for sid, ang in zip(site, angkatan.tolist(), strict=True):
            c = self.nim_counter.get(sid, 0) + 1
            self.nim_counter[sid] = c
            campus_no = int(sid[-2:]) + 100 * (int(sid[3:7]) % 100)
            nim.append(f"{ang % 100:02d}{campus_no % 10000:04d}{c:05d}")
        return Selection("campus_students", chosen, site, {"NIM": nim, "ANGKATAN": [str(a) for a in angkatan.tolist()]})

    def materialize(
        self,
        rng: np.random.Generator,
        selections: list[Selection],
        nik: pa.Array,
        nama: pa.Array,
        dob: np.ndarray,
        sex: np.ndarray,
    ) -> dict[str, int]:
        """Turn selections into roster tables (with the roster defects); returns defect counts."""
        counts = {"roster_nik_missing": 0, "roster_name_typo": 0}
        for sel in selections:
            idx = pa.array(sel.person)
            n = len(sel.person)
            nik_col = nik.take(idx).to_pylist()
            name_col = nama.take(idx).to_pylist()
            missing = rng.random(n) < calibration.ROSTER_NIK_MISSING
            typo = rng.random(n) < calibration.ROSTER_NAME_TYPO
            for i in np.flatnonzero(missing).tolist():
                nik_col[i] = ""
            for i in np.flatnonzero(typo).tolist():
                name_col[i] = names.typo(name_col[i], rng)
            counts["roster_nik_missing"] += int(missing.sum())
            counts["roster_name_typo"] += int(typo.sum())
            cols: dict[str, pa.Array] = {
                "site_id": pa.array(sel.site_id, type=pa.string()),
                "NIK": pa.array(nik_col, type=pa.string()),
                "NAMA": pa.array(name_col, type=pa.string()),
                "TGL_LHR": format_iso(dob[sel.person]),
                "JENIS_KLMIN": pa.array(np.where(sex[sel.person] == codes.LAKI_LAKI, "L", "P")),
            }
            for key, values in sel.extra.items():
                cols[key] = pa.array(values, type=pa.string())
            header = ROSTER_HEADERS[sel.file]
            self.rosters[sel.file].append(pa.table({h: cols[h] for h in header}))
        return counts
