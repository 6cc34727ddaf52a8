"""Outside lists with ground truth for the linkage feature (issue #6): a school list
(``sekolah``), a KPU voter list (``dpt``) and a prison list (``lapas``), drawn from the
synthetic register and corrupted the way real lists are. docs/demo-data.md ("Outside lists
for linkage") gives the columns and every rate; the rates live in ``RATES`` below.

    from rekam.demo.outside import generate_outside_lists
    generate_outside_lists(Path("demo-data/siak"), Path("demo-data/outside"), level="hard", rows=5000)

Per kind two files in the output folder:

- ``<kind>.csv``: the list a Dinas receives. UTF-8 with BOM, ``;``, CRLF: what Excel saves
  as "CSV" in an Indonesian locale. It holds only what the outside system would know.
- ``<kind>_truth.csv``: ``list_id, true_nik, corruption, hard_negative`` (comma, UTF-8, LF).
  ``true_nik`` is empty for a person who is not in the register; ``corruption`` lists what was
  done to the row (``|``-separated labels, documented with the rates).

How it works:

1. One pass over the register files (Polars, file by file, so memory stays at one file): for
   every row a narrow record (NIK, KK, birth date, sex, a hash of name + birth date + sex), and
   the list columns for the rows that may be drawn. What may be drawn is decided by a seeded
   hash of whole clusters: villages for the DPT (a DPT covers whole villages), households for the
   school and lapas lists (so siblings and brothers come together).
2. Selection, invented persons (checked against every register row), corruption and formatting,
   per row in plain Python (``random.Random`` seeded from seed, kind and level).
3. Rows are shuffled; the lists' own IDs are assigned afterwards and never come from the NIK.

Same register + seed + level + rows (+ the same Polars version, whose hash picks the clusters)
give byte-identical files; a kind gives the same file whether it is generated alone or with
the others. Nothing here reads anything but the synthetic register and its site files.
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from rekam.domain.dates import age_on, birth_cutoff
from rekam.domain.nik import make_nik, validate_nik

__all__ = [
    "KINDS",
    "LEVELS",
    "LIST_HEADERS",
    "NAME_EDIT_WEIGHTS",
    "RATES",
    "TRUTH_HEADER",
    "OutsideList",
    "Rates",
    "edit_birth_date",
    "edit_name",
    "generate_outside_lists",
]

KINDS = ("sekolah", "dpt", "lapas")
LEVELS = ("medium", "hard")
DEFAULT_ELECTION = date(2024, 11, 27)  # Pilkada 2024
DEFAULT_AS_OF = date(2024, 11, 13)  # the demo's export date, when no manifest says otherwise

LIST_HEADERS = {
    "sekolah": [
        "NISN",
        "NIK",
        "NAMA",
        "JENIS_KLMIN",
        "TMPT_LHR",
        "TGL_LHR",
        "ALAMAT",
        "NO_RT",
        "NO_RW",
        "NAMA_KEL",
        "NAMA_KEC",
        "KELAS",
        "NAMA_SEKOLAH",
    ],
    "dpt": [
        "NO_DPT",
        "NIK",
        "NAMA",
        "TMPT_LHR",
        "TGL_LHR",
        "JENIS_KLMIN",
        "ALAMAT",
        "NO_RT",
        "NO_RW",
        "NAMA_KEL",
        "NAMA_KEC",
        "NAMA_KAB",
        "TPS",
    ],
    "lapas": [
        "NO_REGISTER",
        "NIK",
        "NAMA",
        "TMPT_LHR",
        "TGL_LHR",
        "JENIS_KLMIN",
        "ALAMAT",
        "NAMA_KEL",
        "NAMA_KAB",
        "NAMA_LAPAS",
    ],
}
TRUTH_HEADER = ["list_id", "true_nik", "corruption", "hard_negative"]


@dataclass(frozen=True)
class Rates:
    """Probabilities per list row (docs/demo-data.md). "Corruption" needs the truth to be seen
    (present persons only); "format" is visible in the list alone and hits every row alike,
    invented persons included, so the list does not give them away."""

    absent: float  # rows that are people not in the register (an exact count)
    absent_twin: float  # of those: the unregistered twin of a listed person
    name: float  # corruption: the name has one edit (NAME_EDIT_WEIGHTS) ...
    name_second: float  # ... and, of those, a second one
    dob: float  # corruption: the birth date is wrong
    dob_weights: tuple[float, float, float]  # how: day/month swap, default date, year +-1
    sex: float  # corruption: L/P flipped
    moved: float  # corruption: the address of a household in another desa
    nik_shown: float  # format: the NIK column is filled (else empty)
    nik_digit: float  # corruption, of rows with a NIK: one wrong digit
    nik_family: float  # corruption, of rows with a NIK: another member of the KK's NIK
    nik_masked: float = 0.0  # format, of rows with a NIK: day and month masked (KPU)
    title: float = 0.0  # format: H./Hj./Drs./S.Pd./Dt. ... added (adults)
    alias: float = 0.0  # format: "ALS." / "ALIAS" + a nickname (lapas)
    dmy: float = 0.0  # format: DD/MM/YYYY instead of YYYY-MM-DD (sekolah)
    year_only: float = 0.0  # format: only the birth year (lapas)
    tmpt: float = 0.0  # format: place of birth abbreviated, misspelt or empty
    companion: float = 0.0  # selection: a second member of the same household (lapas)


#: Given a name edit, which one (renormalised over the edits that apply to the name).
NAME_EDIT_WEIGHTS = {"typo": 0.30, "variant": 0.35, "merge_split": 0.10, "drop": 0.15, "order": 0.10}

_MEDIUM = {
    "absent": 0.03,
    "absent_twin": 0.2,
    "name": 0.12,
    "name_second": 0.0,
    "sex": 0.002,
    "nik_digit": 0.02,
    "nik_family": 0.01,
    "tmpt": 0.05,
}
_HARD = {
    "absent": 0.05,
    "absent_twin": 0.2,
    "name": 0.35,
    "name_second": 0.35,
    "sex": 0.01,
    "nik_digit": 0.06,
    "nik_family": 0.03,
    "tmpt": 0.15,
}
RATES: dict[tuple[str, str], Rates] = {
    ("sekolah", "medium"): Rates(
        **_MEDIUM, dob=0.03, dob_weights=(0.40, 0.25, 0.35), moved=0.03, nik_shown=0.30, dmy=0.15
    ),
    ("sekolah", "hard"): Rates(**_HARD, dob=0.10, dob_weights=(0.40, 0.25, 0.35), moved=0.08, nik_shown=0.15, dmy=0.40),
    ("dpt", "medium"): Rates(
        **_MEDIUM, dob=0.03, dob_weights=(0.40, 0.25, 0.35), moved=0.04, nik_shown=0.99, nik_masked=0.25, title=0.03
    ),
    ("dpt", "hard"): Rates(
        **_HARD, dob=0.10, dob_weights=(0.40, 0.25, 0.35), moved=0.10, nik_shown=0.95, nik_masked=0.50, title=0.08
    ),
    ("lapas", "medium"): Rates(
        **_MEDIUM,
        dob=0.15,
        dob_weights=(0.20, 0.50, 0.30),
        moved=0.10,
        nik_shown=0.15,
        title=0.02,
        alias=0.25,
        year_only=0.08,
        companion=0.03,
    ),
    ("lapas", "hard"): Rates(
        **_HARD,
        dob=0.30,
        dob_weights=(0.20, 0.50, 0.30),
        moved=0.20,
        nik_shown=0.08,
        title=0.05,
        alias=0.40,
        year_only=0.20,
        companion=0.05,
    ),
}


@dataclass(frozen=True)
class OutsideList:
    kind: str
    level: str
    seed: int
    rows: int
    absent: int
    list_file: Path
    truth_file: Path
    labels: dict[str, int] = field(default_factory=dict)
    hard_negatives: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Reading the register: one pass, file by file
# ---------------------------------------------------------------------------------------------
_READ = [
    "NIK",
    "NO_KK",
    "NAMA_LGKP",
    "JENIS_KLMIN",
    "TMPT_LHR",
    "TGL_LHR",
    "AGAMA",
    "STAT_KWN",
    "JENIS_PKRJN",
    "KEWARGANEGARAAN",
    "ALAMAT",
    "NO_RT",
    "NO_RW",
    "NO_PROP",
    "NO_KAB",
    "NO_KEC",
    "NO_KEL",
    "NAMA_KAB",
    "NAMA_KEC",
    "NAMA_KEL",
]
_KEEP = [c for c in _READ if c not in ("JENIS_PKRJN", "KEWARGANEGARAAN")]
_U64 = 2**64
_FEMALE_LAPAS = 0.06  # share of women among inmates (assumption, Indonesian prisons ~5-6 %)
_RESIDENTS_PER_KK = 3.68  # docs/demo-data.md, households
_ELIGIBLE_SHARE = {"dpt": 0.68, "lapas": 0.80, "sekolah": 0.05}  # rough shares, only for the margin


def _dob_expr() -> pl.Expr:
    """DD-MM-YYYY as the integer YYYYMMDD (null when it is not such a date)."""
    t = pl.col("TGL_LHR")
    ymd = pl.concat_str([t.str.slice(6, 4), t.str.slice(3, 2), t.str.slice(0, 2)]).cast(pl.Int32, strict=False)
    return pl.when((t.str.len_bytes() == 10) & (ymd > 18000000)).then(ymd).alias("_dob")


def _digits16(column: str, alias: str) -> pl.Expr:
    """A 16-digit number as UInt64 (null when it is not 16 digits)."""
    c = pl.col(column)
    return pl.when(c.str.len_bytes() == 16).then(c.cast(pl.UInt64, strict=False)).alias(alias)


def _identity_hash() -> pl.Expr:
    """Hash of (name, birth date, sex): the identity an invented person must not share. Names
    are compared as the register writes them (upper case, single spaces), as invented names are
    built from register names."""
    return pl.struct("NAMA_LGKP", "_dob", "_male").hash(0).alias("_ph")


def _ymd(d: date) -> int:
    return d.year * 10000 + d.month * 100 + d.day


def _as_date(ymd: int) -> date:
    return date(ymd // 10000, ymd // 100 % 100, ymd % 100)


@dataclass
class _Plan:
    """Which rows of the register each kind may draw from."""

    kind: str
    threshold: float  # share of clusters scanned (1.0 = all)
    seed: int
    as_of: date
    election: date
    roster_niks: pl.Series | None = None

    def _key(self, expr: pl.Expr, salt: int) -> pl.Expr:
        return expr.hash((self.seed * 7 + salt) % 2**63)

    def _below(self, key: pl.Expr, share: float) -> pl.Expr:
        if share >= 1.0:
            return pl.lit(True)
        return key < pl.lit(min(int(share * _U64), _U64 - 1), dtype=pl.UInt64)

    def cluster_key(self) -> pl.Expr:
        if self.kind == "dpt":
            return self._key(pl.struct("NO_PROP", "NO_KAB", "NO_KEC", "NO_KEL"), 1).alias("_ckey")
        return self._key(pl.col("_kk"), KINDS.index(self.kind) + 2).alias("_ckey")

    def predicate(self) -> pl.Expr:
        valid = pl.col("_nik").is_not_null() & pl.col("_kk").is_not_null() & pl.col("_dob").is_not_null()
        wni = pl.col("KEWARGANEGARAAN") == "WNI"
        dob = pl.col("_dob")

        def age_at_least(years: int, on: date) -> pl.Expr:
            return dob <= _ymd(birth_cutoff(on, years))

        def age_at_most(years: int, on: date) -> pl.Expr:
            return dob > _ymd(birth_cutoff(on, years + 1))

        cluster = self._below(self.cluster_key(), self.threshold)
        if self.kind == "dpt":
            voter = age_at_least(17, self.election) | (pl.col("STAT_KWN") != "BELUM KAWIN")
            return valid & wni & voter & cluster
        if self.kind == "sekolah":
            if self.roster_niks is not None:
                pupil = pl.col("NIK").is_in(self.roster_niks.implode())
            else:
                pupil = (pl.col("JENIS_PKRJN") == "PELAJAR/MAHASISWA") & age_at_least(15, self.as_of)
                pupil = pupil & age_at_most(18, self.as_of)
            return valid & pupil & cluster
        adult = age_at_least(18, self.as_of) & age_at_most(65, self.as_of)
        person = self._key(pl.col("NIK"), 11)
        sex_ok = pl.col("_male") | self._below(person, _FEMALE_LAPAS)
        return valid & wni & adult & sex_ok & cluster


def _check_header(path: Path) -> None:
    from rekam.errors import IngestError

    with open(path, encoding="utf-8-sig", errors="replace") as f:
        header = f.readline().strip().split(",")
    missing = [c for c in _READ if c not in header]
    if missing:
        raise IngestError("missing_columns", file=path.name, columns=", ".join(missing))


def _scan(files: Sequence[Path], plans: Sequence[_Plan]) -> tuple[pl.DataFrame, dict[str, pl.DataFrame]]:
    """Narrow records of every row, and the candidate rows of each plan (with list columns)."""
    narrow_parts: list[pl.DataFrame] = []
    parts: dict[str, list[pl.DataFrame]] = {p.kind: [] for p in plans}
    for path in files:
        _check_header(path)
        df = pl.read_csv(path, infer_schema=False, columns=_READ)
        df = df.with_columns(
            _digits16("NIK", "_nik"),
            _digits16("NO_KK", "_kk"),
            _dob_expr(),
            pl.col("JENIS_KLMIN").str.starts_with("L").fill_null(False).alias("_male"),
        )
        narrow_parts.append(df.select("_nik", "_kk", "_dob", "_male", _identity_hash()))
        for plan in plans:
            picked = df.filter(plan.predicate()).with_columns(plan.cluster_key())
            parts[plan.kind].append(picked.select(*_KEEP, "_nik", "_kk", "_dob", "_male", "_ckey"))
    narrow = pl.concat(narrow_parts) if narrow_parts else pl.DataFrame()
    return narrow, {k: pl.concat(v) for k, v in parts.items()}


# ---------------------------------------------------------------------------------------------
# Names: edits (corruption) and decorations (format)
# ---------------------------------------------------------------------------------------------
_C = "BCDFGHJKLMNPQRSTVWXZ"
_VARIANTS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"\bMUHAMMAD\b", ("MUHAMAD", "MOHAMMAD", "MOHAMAD", "MHD", "MHD.", "M.", "MUH.")),
        (r"\bMUHAMAD\b", ("MUHAMMAD", "MOHAMAD", "M.")),
        (r"\bAHMAD\b", ("ACHMAD", "AHMAT")),
        (r"NUR", ("NOER",)),
        (r"OE", ("U",)),
        (rf"(?<=[{_C}])U", ("OE",)),
        (r"DJ", ("J",)),
        (r"\bJ(?=[AIUEO])", ("DJ",)),
        (r"TJ", ("C",)),
        (r"C(?=[AIUEO])", ("TJ",)),
        (r"CH", ("KH",)),
        (r"KH", ("CH", "K")),
        (r"SY", ("S", "SJ")),
        (r"\bSA", ("SYA",)),
        (r"Y\b", ("I",)),
        (rf"(?<=[{_C}])I\b", ("Y",)),
        (r"IA", ("YA",)),
        (r"DH", ("D",)),
        (r"TH", ("T",)),
        (r"(?<=[AIUEO])([BDFGKLMNPRSTZ])(?=[AIUEO])", (r"\1\1",)),
        (r"([BDFGKLMNPRSTZ])\1", (r"\1",)),
        (r"Z", ("S",)),
        (r"F", ("V", "P")),
        (r"V", ("F",)),
        (r"Q", ("K",)),
    )
)
_SPLIT_PREFIXES = ("NUR", "ABDUL", "ZUL", "KHAIRUN", "AZ", "SYAM", "ROS", "SRI", "NOVI", "MUHAMMAD")
_KEYBOARD = {
    "Q": "WA",
    "W": "QES",
    "E": "WRD",
    "R": "ETF",
    "T": "RYG",
    "Y": "TUH",
    "U": "YIJ",
    "I": "UOK",
    "O": "IPL",
    "P": "OL",
    "A": "QSZ",
    "S": "ADWZ",
    "D": "SFE",
    "F": "DGR",
    "G": "FHT",
    "H": "GJY",
    "J": "HKU",
    "K": "JLI",
    "L": "KO",
    "Z": "ASX",
    "X": "ZC",
    "C": "XVD",
    "V": "CBF",
    "B": "VNG",
    "N": "BMH",
    "M": "NJ",
}
_GELAR_ADAT = ("RAJO BASA", "MAJO INDO", "BANDARO", "SINARO", "PANGULU", "MANGKUTO", "SATI", "TUMANGGUANG", "BAGINDO")
_DEGREES = ("S.PD", "S.PD.", "S.E", "SE", "S.H", "S.KOM", "S.SOS", "A.MD", "S.AG", "S.T", "S.KEP")
_NICK_M = ("BUYUNG", "UJANG", "UDIN", "AJO", "ACIL", "BUJANG", "ANTO", "IWAN", "KACAK", "UCOK")
_NICK_F = ("UPIK", "UNI", "NENG", "IPIT", "ETEK", "BUNGSU")


def _typo(text: str, rnd: random.Random) -> str:
    """One keyboard slip: a letter inserted, deleted, substituted or two letters transposed."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 3:
        return text + (text[-1:] if text else "A")
    i = rnd.choice(letters)
    op = rnd.choice(("insert", "delete", "substitute", "transpose"))
    if op == "transpose" and i + 1 < len(text) and text[i + 1].isalpha() and text[i + 1] != text[i]:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    near = _KEYBOARD.get(text[i], "AEIOU")
    if op == "delete":
        token = next(t for t in re.finditer(r"\S+", text) if t.start() <= i < t.end())
        if len(token.group()) > 3:
            return text[:i] + text[i + 1 :]
    if op == "insert":
        return text[: i + 1] + rnd.choice(near) + text[i + 1 :]
    return text[:i] + rnd.choice(near) + text[i + 1 :]


def _variant(name: str, rnd: random.Random) -> str | None:
    options = [(p, r) for p, r in _VARIANTS if p.search(name)]
    if not options:
        return None
    pattern, replacements = rnd.choice(options)
    match = rnd.choice(list(pattern.finditer(name)))
    return name[: match.start()] + match.expand(rnd.choice(replacements)) + name[match.end() :]


def _merge_split(name: str, rnd: random.Random) -> str | None:
    tokens = name.split()
    splits = [
        (i, len(p)) for i, t in enumerate(tokens) for p in _SPLIT_PREFIXES if t.startswith(p) and len(t) >= len(p) + 3
    ]
    if splits and (len(tokens) < 2 or rnd.random() < 0.6):
        i, k = rnd.choice(splits)
        tokens[i] = tokens[i][:k] + " " + tokens[i][k:]
        return " ".join(tokens)
    if len(tokens) >= 2:
        i = rnd.randrange(len(tokens) - 1)
        return " ".join(tokens[:i] + [tokens[i] + tokens[i + 1]] + tokens[i + 2 :])
    return None


def _drop(name: str, rnd: random.Random) -> str | None:
    tokens = name.split()
    if len(tokens) < 2:
        return None
    i = rnd.randrange(1, len(tokens) - 1) if len(tokens) >= 3 else 1
    return " ".join(tokens[:i] + tokens[i + 1 :])


def _order(name: str, rnd: random.Random) -> str | None:
    tokens = name.split()
    if len(tokens) < 2:
        return None
    return " ".join([tokens[1], tokens[0], *tokens[2:]])


_EDITS: dict[str, Callable[[str, random.Random], str | None]] = {
    "typo": _typo,
    "variant": _variant,
    "merge_split": _merge_split,
    "drop": _drop,
    "order": _order,
}


def edit_name(name: str, rnd: random.Random) -> tuple[str, str]:
    """One edit of ``name`` (never a no-op): (new name, edit kind)."""
    kinds = list(NAME_EDIT_WEIGHTS)
    weights = [NAME_EDIT_WEIGHTS[k] for k in kinds]
    while kinds:
        kind = rnd.choices(kinds, weights)[0]
        new = _EDITS[kind](name, rnd)
        if new is not None and new != name and new.strip():
            return new, kind
        j = kinds.index(kind)
        del kinds[j], weights[j]
    return name + name[-1:], "typo"  # pragma: no cover - a typo always applies


def _title(name: str, male: bool, age: int, muslim: bool, rnd: random.Random) -> str | None:
    options: list[Callable[[], str]] = []
    if age >= 23:
        options.append(lambda: f"{name}, {rnd.choice(_DEGREES)}")
    if age >= 35 and muslim:
        options.append(lambda: f"{'H.' if male else 'HJ.'} {name}")
    if age >= 35 and male:
        options.append(lambda: f"{name} DT. {rnd.choice(_GELAR_ADAT)}")
    if age >= 50:
        options.append(lambda: f"{'DRS.' if male else 'DRA.'} {name}")
    return rnd.choice(options)() if options else None


def _nickname(name: str, male: bool, rnd: random.Random) -> str:
    first = name.split()[0]
    clipped = re.search(r"[AIUEO][^AIUEO]*[AIUEO][^AIUEO]*$", first)
    if clipped and rnd.random() < 0.5 and len(clipped.group()) >= 3:
        return clipped.group()
    return rnd.choice(_NICK_M if male else _NICK_F)


_PLACE_VARIANTS = {
    "PADANG": ("PDG", "KOTA PADANG"),
    "BUKITTINGGI": ("BUKIT TINGGI", "BKT"),
    "PAYAKUMBUH": ("PYK", "PAYAKUMBU"),
    "PADANG PANJANG": ("PDG PANJANG", "PADANGPANJANG"),
    "PARIAMAN": ("PRM", "KOTA PARIAMAN"),
    "SAWAHLUNTO": ("SAWAH LUNTO", "SWL"),
    "SOLOK": ("SLK", "KOTA SOLOK"),
    "JAKARTA": ("DKI JAKARTA", "JAKARTA PUSAT"),
    "LUBUK BASUNG": ("LB. BASUNG", "LUBUKBASUNG"),
    "LUBUK SIKAPING": ("LB. SIKAPING", "LUBUKSIKAPING"),
    "PESISIR SELATAN": ("PESSEL", "KAB. PESISIR SELATAN"),
    "LIMA PULUH KOTA": ("50 KOTA", "LIMAPULUH KOTA"),
    "PADANG PARIAMAN": ("PD. PARIAMAN", "PADANG PRM"),
}


def _place(place: str, rnd: random.Random) -> str:
    r = rnd.random()
    if r < 0.3 or not place:
        return ""
    if place in _PLACE_VARIANTS and r < 0.8:
        return rnd.choice(_PLACE_VARIANTS[place])
    return _typo(place, rnd)


# ---------------------------------------------------------------------------------------------
# Dates and NIKs
# ---------------------------------------------------------------------------------------------
def _shift_year(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return date(d.year + years, 2, 28)


def edit_birth_date(d: date, weights: tuple[float, float, float], rnd: random.Random) -> tuple[date, str]:
    """A wrong birth date (never the same): (date, 'dob_swap' | 'dob_default' | 'dob_year')."""
    kinds = ["dob_swap", "dob_default", "dob_year"]
    w = list(weights)
    if not (d.day <= 12 and d.day != d.month):
        del kinds[0], w[0]
    kind = rnd.choices(kinds, w)[0]
    if kind == "dob_swap":
        return date(d.year, d.day, d.month), kind
    if kind == "dob_default":
        defaults = [(7, 1, 0.50), (1, 1, 0.35), (12, 31, 0.15)]
        defaults = [x for x in defaults if (x[0], x[1]) != (d.month, d.day)]
        m, day_, _ = rnd.choices(defaults, [x[2] for x in defaults])[0]
        return date(d.year, m, day_), kind
    return _shift_year(d, rnd.choice((-1, 1))), kind


def _wrong_digit(nik: str, rnd: random.Random) -> str:
    i = rnd.randrange(16)
    digit = rnd.choice([c for c in "0123456789" if c != nik[i]])
    return nik[:i] + digit + nik[i + 1 :]


def _kpu_mask(nik: str) -> str:
    """The DPT's published NIK: four digits hidden (alinea.id 2018, PKPU 11/2018); which four is
    an assumption: the day and month of birth."""
    return nik[:6] + "****" + nik[10:]


# Kecamatan codes outside Sumatera Barat for invented newcomers (Pekanbaru, Medan, Jakarta
# Selatan, Jambi, Bandung, Banda Aceh, Palembang): the provinces people move from (demo-data.md).
_ELSEWHERE = ("147101", "147105", "127101", "127110", "317401", "157101", "327301", "117101", "167101")


# ---------------------------------------------------------------------------------------------
# Sites: schools and lapas from the demo's site files, when they are there
# ---------------------------------------------------------------------------------------------
@dataclass
class _Sites:
    roster: dict[str, tuple[str, str, str]]  # NIK -> (site_id, NISN, KELAS)
    schools: dict[str, tuple[str, str]]  # site_id -> (kind, name)
    lapas: dict[str, list[tuple[str, bool]]]  # kab code (13.71) -> [(name, women's)]

    @classmethod
    def read(cls, sites_dir: Path | None, kinds: Sequence[str]) -> _Sites:
        """The site files the kinds need (none when ``sites_dir`` is None or lacks them)."""
        roster: dict[str, tuple[str, str, str]] = {}
        schools: dict[str, tuple[str, str]] = {}
        lapas: dict[str, list[tuple[str, bool]]] = defaultdict(list)
        if sites_dir is not None and "sekolah" in kinds:
            for row in _read_rows(sites_dir / "schools.csv", ["site_id", "kind", "nama"]):
                schools[row[0]] = (row[1], row[2])
            columns = ["site_id", "NIK", "NISN", "KELAS"]
            for site, nik, nisn, kelas in _read_rows(sites_dir / "school_students.csv", columns):
                if nik and site in schools:
                    roster[nik] = (site, nisn, kelas)
        if sites_dir is not None and "lapas" in kinds:
            for code, name in _read_rows(sites_dir / "lapas.csv", ["kode_desa", "nama"]):
                lapas[code[:5]].append((name, "Perempuan" in name))
        return cls(roster, schools, lapas)


def _read_rows(path: Path, columns: list[str]) -> list[tuple[str, ...]]:
    if not path.is_file():
        return []
    frame = pl.read_csv(path, infer_schema=False, columns=columns).fill_null("")
    return frame.select(columns).rows()


# ---------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------
def _demo_manifest(register_dir: Path) -> dict[str, Any]:
    path = register_dir.parent / "manifest.json"
    if path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}
    return {}


def generate_outside_lists(
    register_dir: Path,
    out_dir: Path,
    level: str = "medium",
    rows: int = 1000,
    seed: int = 20241113,
    kinds: Sequence[str] = KINDS,
    sites_dir: Path | None = None,
    as_of: date | None = None,
    election: date = DEFAULT_ELECTION,
) -> list[OutsideList]:
    """Write ``<kind>.csv`` and ``<kind>_truth.csv`` to ``out_dir`` for each kind.

    ``register_dir`` holds the demo's SIAK CSV files (``DIR/siak``); ``sites_dir`` defaults to
    the ``sites`` folder beside it (schools, rosters and lapas, used when present); ``as_of``
    to the demo manifest's export date. A list has ``rows`` rows unless the register has too
    few people of its kind (the summary says how many were written).
    """
    from rekam.errors import IngestError

    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    if rows < 1:
        raise ValueError("rows must be at least 1")
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown kind {unknown[0]!r}")
    register_dir = Path(register_dir)
    files = sorted(register_dir.glob("*.csv")) if register_dir.is_dir() else []
    if not files:
        raise IngestError("file_missing", file=str(register_dir / "*.csv"))
    manifest = _demo_manifest(register_dir)
    if as_of is None:
        as_of = date.fromisoformat(manifest["as_of"]) if "as_of" in manifest else DEFAULT_AS_OF
    if sites_dir is None and (register_dir.parent / "sites").is_dir():
        sites_dir = register_dir.parent / "sites"
    kinds = [k for k in KINDS if k in kinds]
    sites = _Sites.read(sites_dir, kinds)
    residents = int(manifest.get("residents") or sum(p.stat().st_size for p in files) // 300)

    def plan(kind: str, threshold: float | None = None) -> _Plan:
        roster = pl.Series(sorted(sites.roster), dtype=pl.String) if kind == "sekolah" and sites.roster else None
        if threshold is None:
            rate = RATES[(kind, level)]
            if kind == "sekolah" and roster is not None:
                pool = float(len(roster))
            elif kind == "lapas":
                pool = residents / _RESIDENTS_PER_KK * _ELIGIBLE_SHARE[kind]
            else:
                pool = residents * _ELIGIBLE_SHARE[kind]
            threshold = min(1.0, 2.0 * rows * (1 - rate.absent) / max(pool, 1.0) + 0.002)
        return _Plan(kind, threshold, seed, as_of, election, roster)

    plans = [plan(k) for k in kinds]
    narrow, candidates = _scan(files, plans)
    short = [p.kind for p in plans if p.threshold < 1.0 and _selected_count(p.kind, candidates[p.kind], level) < rows]
    if short:  # the hash sample was too small: read everything for those kinds
        _, more = _scan(files, [plan(k, 1.0) for k in short])
        candidates.update(more)

    niks = narrow["_nik"].drop_nulls()
    dup = niks.filter(niks.is_duplicated())
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = []
    for kind in kinds:
        cands = candidates[kind].filter(~pl.col("_nik").is_in(dup.implode()))
        # rows the import quarantines (a 16-digit NIK with an impossible date part ...) are
        # not in the register, so they are never drawn as people who are
        cands = cands.filter(pl.col("NIK").map_elements(lambda n: not validate_nik(n), return_dtype=pl.Boolean))
        maker = _ListMaker(kind, level, seed, rows, as_of, narrow, cands, sites)
        results.append(maker.write(out_dir))
    return results


def _selected_count(kind: str, cands: pl.DataFrame, level: str) -> int:
    """Rows the list could get from these candidates (before invented persons)."""
    n = cands.height
    if kind == "lapas":
        n = cands["_kk"].n_unique()
    return int(n / (1 - RATES[(kind, level)].absent))


class _ListMaker:
    def __init__(
        self,
        kind: str,
        level: str,
        seed: int,
        rows: int,
        as_of: date,
        narrow: pl.DataFrame,
        cands: pl.DataFrame,
        sites: _Sites,
    ) -> None:
        self.kind, self.level, self.seed, self.as_of = kind, level, seed, as_of
        self.rate = RATES[(kind, level)]
        self.narrow = narrow
        self._sorted_niks: np.ndarray | None = None
        self.sites = sites
        self.rnd = random.Random(f"rekam-outside|{seed}|{kind}|{level}")
        self.people = self._select(cands, rows)
        n_present, target = len(self.people), rows - round(rows * self.rate.absent)
        if n_present == target:
            self.n_absent = rows - target
        else:  # fewer people of this kind than asked for: keep the share of invented persons
            self.n_absent = round(n_present * self.rate.absent / (1 - self.rate.absent))
        # Donors for invented persons and moved addresses: the listed people, plus a few more
        # candidates when the list is tiny or sits in a single desa.
        self.pool = list(self.people)
        if len(self.people) < 50 or len({_desa_code(p) for p in self.people}) < 2:
            self.pool += cands.sample(n=min(cands.height, 500), seed=seed % 2**63).to_dicts()

    # -- selection -------------------------------------------------------------------------
    def _select(self, cands: pl.DataFrame, rows: int) -> list[dict[str, Any]]:
        n_present = rows - round(rows * self.rate.absent)
        if self.kind == "lapas":
            cands = cands.with_columns(pl.col("NIK").hash(self.seed % 2**63 + 5).alias("_pkey"))
            cands = cands.sort(["_ckey", "_pkey", "NIK"])
            cands = cands.with_columns(pl.int_range(pl.len()).over("_kk").alias("_rank"))
            second = pl.col("_kk").hash(self.seed % 2**63 + 6) < pl.lit(
                int(self.rate.companion * _U64), dtype=pl.UInt64
            )
            cands = cands.filter((pl.col("_rank") == 0) | ((pl.col("_rank") == 1) & second))
        else:
            cands = cands.sort(["_ckey", "_kk", "NIK"])
        return cands.head(n_present).to_dicts()

    # -- the whole list --------------------------------------------------------------------
    def write(self, out_dir: Path) -> OutsideList:
        people = self.people
        kks = pl.Series([p["_kk"] for p in people], dtype=pl.UInt64)
        members = self.narrow.filter(pl.col("_kk").is_in(kks.implode())).select("_nik", "_kk", "_dob")
        family: dict[int, list[int]] = defaultdict(list)
        for nik, kk in zip(members["_nik"].to_list(), members["_kk"].to_list(), strict=True):
            if nik is not None:
                family[kk].append(nik)
        twins_reg = members.group_by("_kk", "_dob").len().filter(pl.col("len") > 1)
        twin_keys = set(zip(twins_reg["_kk"].to_list(), twins_reg["_dob"].to_list(), strict=True))

        records = [self._present(p, family) for p in people]
        records += self._absent(records)
        listed_kk = Counter(r["kk"] for r in records if r["true_nik"])
        for r in records:
            if r["hard"]:
                continue
            if (r["kk"], r["dob_true"]) in twin_keys:
                r["hard"] = "twin"
            elif r["true_nik"] and listed_kk[r["kk"]] > 1:
                r["hard"] = "household"
        for r in records:
            self._format(r)
        self.rnd.shuffle(records)
        self._assign_ids(records)
        return self._write_files(out_dir, records)

    def _base_record(self, p: dict[str, Any]) -> dict[str, Any]:
        dob = _as_date(p["_dob"])
        desa = _desa_code(p)
        return {
            "true_nik": p["NIK"],
            "kk": p["_kk"],
            "name": p["NAMA_LGKP"].strip(),
            "name_true": p["NAMA_LGKP"].strip(),
            "male": bool(p["_male"]),
            "male_true": bool(p["_male"]),
            "dob_true": p["_dob"],
            "dob": dob,
            "tmpt": p["TMPT_LHR"] or "",
            "muslim": p["AGAMA"] == "ISLAM",
            "alamat": p["ALAMAT"] or "",
            "rt": p["NO_RT"] or "",
            "rw": p["NO_RW"] or "",
            "desa": desa,
            "kab": desa[:5],
            "nama_kel": p["NAMA_KEL"] or "",
            "nama_kec": p["NAMA_KEC"] or "",
            "nama_kab": p["NAMA_KAB"] or "",
            "nik": p["NIK"],
            "labels": [],
            "hard": "",
        }

    def _school(self, p: dict[str, Any]) -> tuple[str, str, str, str] | None:
        """(NISN, KELAS, school kind, school name) of a pupil."""
        if self.kind != "sekolah":
            return None
        entry = self.sites.roster.get(p["NIK"])
        if entry is not None:
            site, nisn, kelas = entry
            skind, sname = self.sites.schools[site]
            return nisn, kelas, skind, sname
        kelas = _class_of(_as_date(p["_dob"]), self.as_of)
        return "", kelas, "SMA", f"SMA Negeri 1 {str(p['NAMA_KEC'] or '').title()}"

    def _present(self, p: dict[str, Any], family: dict[int, list[int]]) -> dict[str, Any]:
        r = self._base_record(p)
        r["school"] = self._school(p)
        rate, rnd, labels = self.rate, self.rnd, r["labels"]
        if rnd.random() < rate.name:
            r["name"], how = edit_name(r["name"], rnd)
            labels.append(f"name_{how}")
            if rnd.random() < rate.name_second:
                new, how = edit_name(r["name"], rnd)
                if new != p["NAMA_LGKP"].strip():
                    r["name"] = new
                    labels.append(f"name_{how}")
        if rnd.random() < rate.dob:
            r["dob"], how = edit_birth_date(r["dob"], rate.dob_weights, rnd)
            labels.append(how)
        if rnd.random() < rate.sex:
            r["male"] = not r["male"]
            labels.append("sex_flip")
        r["moved"] = rnd.random() < rate.moved
        r["nik_draw"] = rnd.random()  # corruption of the NIK decided in _format with the others
        r["family"] = [n for n in family.get(p["_kk"], []) if n != p["_nik"]]
        return r

    # -- people who are not in the register -----------------------------------------------
    def _absent(self, present: list[dict[str, Any]]) -> list[dict[str, Any]]:
        n = self.n_absent
        if n == 0 or not present:
            return []
        rnd = self.rnd
        n_twin = min(round(n * self.rate.absent_twin), len(present))
        out: list[dict[str, Any]] = []
        bases = rnd.sample(range(len(present)), n_twin)
        for i in bases:
            out.append(self._twin(present[i]))
            present[i]["hard"] = "twin"
        while len(out) < n:
            out.append(self._invented())
        for _ in range(50):  # an invented person must not be a registered one: draw again
            clash = self._clashes(out)
            if not clash:
                break
            for i in clash:
                out[i] = self._twin(present[bases[i]]) if i < n_twin else self._invented()
        self._free_niks(out)
        return out

    def _by_sex(self, male: bool) -> dict[str, Any]:
        for _ in range(100):
            p = self.pool[self.rnd.randrange(len(self.pool))]
            if bool(p["_male"]) == male:
                return p
        return self.pool[self.rnd.randrange(len(self.pool))]

    def _twin(self, base: dict[str, Any]) -> dict[str, Any]:
        """An unregistered twin: same household and birth date; a different given name, and
        (when of the same sex) the same second names."""
        rnd = self.rnd
        same_sex = rnd.random() < 0.5
        male = base["male_true"] if same_sex else not base["male_true"]
        tokens = base["name_true"].split()
        donor = self._by_sex(male)["NAMA_LGKP"].split()
        for _ in range(20):
            if donor[0] != tokens[0]:
                break
            donor = self._by_sex(male)["NAMA_LGKP"].split()
        name = " ".join([donor[0], *tokens[1:]]) if same_sex else " ".join(donor)
        dob = _as_date(base["dob_true"])
        r = {**base, "labels": ["absent_twin"], "true_nik": "", "name": name, "male": male, "hard": "twin", "dob": dob}
        serial = int(base["true_nik"][12:]) % 9999 + 1  # twins get consecutive NIKs
        r.update(nik=make_nik(base["true_nik"][:6], dob, "L" if male else "P", serial), moved=False, family=[])
        return r

    def _invented(self) -> dict[str, Any]:
        rnd = self.rnd
        a = self.pool[rnd.randrange(len(self.pool))]
        male = bool(a["_male"])
        b = self._by_sex(male)
        c = self.pool[rnd.randrange(len(self.pool))]
        d = self.pool[rnd.randrange(len(self.pool))]
        r = self._base_record(d)
        name = " ".join([a["NAMA_LGKP"].split()[0], *b["NAMA_LGKP"].split()[1:]])
        dob = _as_date(c["_dob"])
        prefix = rnd.choice(_ELSEWHERE) if rnd.random() < 0.3 else d["NIK"][:6]
        r.update(
            true_nik="",
            name=name,
            male=male,
            dob=dob,
            dob_true=c["_dob"],
            labels=["absent"],
            hard="",
            moved=False,
            family=[],
            kk=-1,
            muslim=a["AGAMA"] == "ISLAM",
            nik=make_nik(prefix, dob, "L" if male else "P", 1),
        )
        school = self._school(d)
        if school is not None:  # a pupil of the donor's school, in the class of their age
            r["school"] = ("", _class_of(dob, self.as_of), school[2], school[3])
        return r

    def _clashes(self, out: list[dict[str, Any]]) -> list[int]:
        """Indexes of invented persons whose name, birth date and sex a register row has."""
        frame = pl.DataFrame(
            {
                "NAMA_LGKP": [r["name"] for r in out],
                "_dob": [_ymd(r["dob"]) for r in out],
                "_male": [r["male"] for r in out],
            },
            schema={"NAMA_LGKP": pl.String, "_dob": pl.Int32, "_male": pl.Boolean},
        ).with_columns(_identity_hash())
        same_day = self.narrow.filter(pl.col("_dob").is_in(frame["_dob"].unique().implode()))["_ph"]
        hit = frame["_ph"].is_in(same_day.implode()).to_list()
        return [i for i, h in enumerate(hit) if h]

    def _free_niks(self, out: list[dict[str, Any]]) -> None:
        """Give every invented person a NIK that no one in the register (or the list) has: the
        next free serial after the one drawn, as SIAK numbers people born on the same day."""
        seen: set[str] = set()
        pending = out
        while pending:
            taken = self._in_register([r["nik"] for r in pending])
            again = []
            for r in pending:
                if r["nik"] in taken or r["nik"] in seen:
                    serial = int(r["nik"][12:]) % 9999 + 1
                    r["nik"] = f"{r['nik'][:12]}{serial:04d}"
                    again.append(r)
                else:
                    seen.add(r["nik"])
            pending = again

    def _in_register(self, niks: list[str]) -> set[str]:
        """Those of ``niks`` that a register row has."""
        if self._sorted_niks is None:
            self._sorted_niks = np.sort(self.narrow["_nik"].drop_nulls().to_numpy())
        wanted = np.array([int(n) for n in niks], dtype=np.uint64)
        at = np.searchsorted(self._sorted_niks, wanted).clip(0, max(len(self._sorted_niks) - 1, 0))
        hit = self._sorted_niks[at] == wanted if len(self._sorted_niks) else np.zeros(len(niks), dtype=bool)
        return {n for n, h in zip(niks, hit.tolist(), strict=True) if h}

    # -- format: what the list shows -------------------------------------------------------
    def _format(self, r: dict[str, Any]) -> None:
        rate, rnd, labels = self.rate, self.rnd, r["labels"]
        present = bool(r["true_nik"])
        if present and r["moved"]:
            donor = self._mover_donor(r)
            if donor is not None:
                for key in ("alamat", "rt", "rw", "desa", "kab", "nama_kel", "nama_kec", "nama_kab"):
                    r[key] = donor[key]
                labels.append("moved")
        nik = r["nik"]
        if rnd.random() < rate.nik_shown:
            if present:
                draw = r["nik_draw"]
                if draw < rate.nik_digit or (draw < rate.nik_digit + rate.nik_family and not r["family"]):
                    nik = _wrong_digit(nik, rnd)
                    labels.append("nik_digit")
                elif draw < rate.nik_digit + rate.nik_family:
                    nik = f"{rnd.choice(r['family']):016d}"
                    labels.append("nik_family")
            if rnd.random() < rate.nik_masked:
                nik = _kpu_mask(nik)
                labels.append("nik_masked")
        else:
            nik = ""
            labels.append("nik_missing")
        r["nik"] = nik
        age = age_on(r["dob"], self.as_of)
        if rate.title and rnd.random() < rate.title:
            titled = _title(r["name"], r["male"], age, r["muslim"], rnd)
            if titled is not None:
                r["name"] = titled
                labels.append("title")
        if rate.alias and rnd.random() < rate.alias:
            word = rnd.choice(("ALS.", "ALS", "ALIAS", "ALS."))
            r["name"] = f"{r['name']} {word} {_nickname(r['name'], r['male'], rnd)}"
            labels.append("alias")
        if rnd.random() < rate.tmpt:
            r["tmpt"] = _place(r["tmpt"], rnd)
            labels.append("tmpt_variant")
        d = r["dob"]
        if self.kind == "sekolah":
            dmy = rnd.random() < rate.dmy
            r["tgl"] = f"{d.day:02d}/{d.month:02d}/{d.year}" if dmy else d.isoformat()
            if dmy:
                labels.append("dob_dmy")
        elif self.kind == "dpt":
            r["tgl"] = f"{d.day:02d}/{d.month:02d}/{d.year}"
        else:
            year_only = rnd.random() < rate.year_only
            r["tgl"] = str(d.year) if year_only else f"{d.day:02d}-{d.month:02d}-{d.year}"
            if year_only:
                labels.append("dob_year_only")

    def _mover_donor(self, r: dict[str, Any]) -> dict[str, Any] | None:
        for _ in range(20):
            d = self.pool[self.rnd.randrange(len(self.pool))]
            if _desa_code(d) != r["desa"]:
                return self._base_record(d)
        return None

    # -- IDs and files ---------------------------------------------------------------------
    def _assign_ids(self, records: list[dict[str, Any]]) -> None:
        rnd = self.rnd
        if self.kind == "sekolah":
            # Invented pupils (and pupils without a roster row) get a NISN like the roster's:
            # birth year (3 digits) + a serial the roster does not use, within its range.
            used = {entry[1] for entry in self.sites.roster.values()}
            top = max((int(n[3:]) for n in used if n.isdigit()), default=10 * len(records))
            listed: set[str] = set()
            for r in records:
                nisn = r["school"][0]
                while not nisn or nisn in listed or (nisn != r["school"][0] and nisn in used):
                    nisn = f"{r['dob'].year % 1000:03d}{rnd.randint(1, top):07d}"
                listed.add(nisn)
                r["id"] = nisn
        elif self.kind == "dpt":
            by_desa: dict[str, list[int]] = defaultdict(list)
            for i, r in enumerate(records):
                by_desa[r["desa"]].append(i)
            for desa, idx in by_desa.items():
                idx.sort(key=lambda i: (records[i]["rw"], records[i]["rt"], records[i]["alamat"], i))
                for k, i in enumerate(idx):
                    tps, no = divmod(k, 300)
                    records[i]["tps"] = f"{tps + 1:03d}"
                    records[i]["id"] = f"{desa.replace('.', '')}-{tps + 1:03d}-{no + 1:03d}"
        else:
            for k, r in enumerate(records):
                klas = rnd.choice(("AI", "AII", "AIII", "BI", "BI", "BI", "BIIA"))
                r["id"] = f"{klas}.{k + 1:04d}/{rnd.randint(2018, self.as_of.year)}"
                r["lapas"] = self._lapas_name(r)

    def _lapas_name(self, r: dict[str, Any]) -> str:
        options = self.sites.lapas.get(r["kab"], [])
        if not options:
            return f"Lapas Kelas IIB {r['nama_kab'].title()}".replace("Kabupaten ", "").replace("Kota ", "")
        women = [name for name, w in options if w]
        men = [name for name, w in options if not w] or [name for name, _ in options]
        if not r["male"] and women:
            return women[0]
        return men[int(r["kk"]) % len(men)] if r["kk"] >= 0 else men[0]

    def _row(self, r: dict[str, Any]) -> list[str]:
        sex = "L" if r["male"] else "P"
        if self.kind == "sekolah":
            nisn, kelas, skind, sname = r["school"]
            rt = str(int(r["rt"])) if r["rt"].isdigit() else r["rt"]
            rw = str(int(r["rw"])) if r["rw"].isdigit() else r["rw"]
            return [
                r["id"],
                r["nik"],
                r["name"],
                sex,
                r["tmpt"],
                r["tgl"],
                r["alamat"],
                rt,
                rw,
                r["nama_kel"],
                r["nama_kec"],
                _kelas(kelas, skind, r["id"]),
                sname,
            ]
        if self.kind == "dpt":
            return [
                r["id"],
                r["nik"],
                r["name"],
                r["tmpt"],
                r["tgl"],
                sex,
                r["alamat"],
                r["rt"],
                r["rw"],
                r["nama_kel"],
                r["nama_kec"],
                r["nama_kab"],
                r["tps"],
            ]
        return [
            r["id"],
            r["nik"],
            r["name"],
            r["tmpt"],
            r["tgl"],
            sex,
            r["alamat"],
            r["nama_kel"],
            r["nama_kab"],
            r["lapas"],
        ]

    def _write_files(self, out_dir: Path, records: list[dict[str, Any]]) -> OutsideList:
        list_path = out_dir / f"{self.kind}.csv"
        truth_path = out_dir / f"{self.kind}_truth.csv"
        with open(list_path, "w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f, delimiter=";", lineterminator="\r\n")
            w.writerow(LIST_HEADERS[self.kind])
            w.writerows(self._row(r) for r in records)
        labels: Counter[str] = Counter()
        hard: Counter[str] = Counter()
        with open(truth_path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(TRUTH_HEADER)
            for r in records:
                w.writerow([r["id"], r["true_nik"], "|".join(r["labels"]), r["hard"]])
                labels.update(r["labels"])
                if r["hard"]:
                    hard[r["hard"]] += 1
        return OutsideList(
            kind=self.kind,
            level=self.level,
            seed=self.seed,
            rows=len(records),
            absent=sum(1 for r in records if not r["true_nik"]),
            list_file=list_path,
            truth_file=truth_path,
            labels=dict(sorted(labels.items())),
            hard_negatives=dict(sorted(hard.items())),
        )


_ROMAN = {"10": "X", "11": "XI", "12": "XII"}


def _kelas(kelas: str, school_kind: str, salt: str) -> str:
    """Rombel as Dapodik prints it: 'XI IPA 2', 'X TKJ 1'."""
    roman = _ROMAN.get(kelas, kelas)
    h = sum(map(ord, salt))
    if school_kind == "SMK":
        major = ("TKJ", "AKL", "OTKP", "TBSM", "TKR")[h % 5]
    else:
        major = ("IPA", "IPS", "IPA")[h % 3]
    return f"{roman} {major} {h % 4 + 1}"


def _desa_code(p: dict[str, Any]) -> str:
    return f"{p['NO_PROP']}.{int(p['NO_KAB']):02d}.{int(p['NO_KEC']):02d}.{int(p['NO_KEL']):04d}"


def _class_of(dob: date, as_of: date) -> str:
    """Class (10-12) by age on 1 July of the school year."""
    year = as_of.year if as_of.month >= 7 else as_of.year - 1
    return str(min(12, max(10, age_on(dob, date(year, 7, 1)) - 5)))
