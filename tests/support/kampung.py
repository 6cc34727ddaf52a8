"""A second, independent generator of Indonesian registers and outside lists (issue #18).

rekam's matcher was tuned on lists drawn by rekam's own generator (``rekam.demo.outside``).
To report on lists it was *not* tuned on, this module draws both a small SIAK-style register
and an outside list with its own people, its own name pools and its own corruption model. It
shares no code with ``rekam.demo`` (it imports only the standard library and, for real region
codes and names, ``rekam.register.gazetteer``'s data), so a habit of one generator that the
model learnt does not carry over.

    from tests.support.kampung import generate
    generate(Path("out"), seed=12, level="hard", people=20_000, rows=5_000)

writes ``out/register.csv`` (importable by ``rekam import``), ``out/daftar.csv`` (the outside
list) and ``out/truth.csv`` (``list_id, true_nik, corruption``; ``true_nik`` empty for a person
who is not in the register). Same arguments, same files.

**People.** Households (one KK) in 30 desa of Kota Padang (13.71) and 12 nagari of Agam
(13.06), each with a street, a house number, RT/RW, a dusun (jorong in a nagari) and a kode
pos. Names come in four styles with their own pools: Minang (one or two given names), Javanese
(one name, or SRI/DWI/TRI + a name), Batak (given name + the father's marga), and Arabic-Islamic
(MUHAMMAD/AHMAD/NUR/SITI + a name). Hard cases on purpose: 2 % of births are twins (one birth
date, one address, names that differ by a letter or two: RIZKI/RIZKA, HASAN/HUSEIN); 1 % of
sons carry their father's whole name; siblings share a marga or a second name.

**The list** (``rows`` rows, ~1 in 10 not in the register): residents of 15 or older drawn at
random, plus invented people who are *not* in the register, a third of them a twin or sibling
of a resident (same address, the same marga if Batak, the same birth date or one within
~1.5 years), a third with a
resident's exact name but another birth date, a third random. Columns: ``NO, NAMA,
TEMPAT_LAHIR, TANGGAL_LAHIR, JENIS_KELAMIN, ALAMAT, RT, RW, DUSUN, KELURAHAN, KECAMATAN``;
at ``hard`` the list has no ``JENIS_KELAMIN`` and no ``DUSUN`` column (the register has both).

**Corruption model** (per row, a number of corruptions drawn with mean 0.9 at ``medium`` and
1.8 at ``hard``, each picked by weight from ``CORRUPTIONS``; labels in ``truth.csv``):

| label | what | weight |
|---|---|---|
| name_keyboard | one letter replaced by a keyboard neighbour | 10 |
| name_ocr | scanned-form confusions: RN->M, M->RN, CL->D, O->Q, I->L, E->F | 5 |
| name_phonetic | sound-alike spelling: F<->P, V->F, KH->H, SY->S, Z->J, a doubled letter single | 8 |
| name_old_spelling | pre-1972 spelling: U->OE, J->DJ, C->TJ, Y->J | 4 |
| name_initial | a middle or last word cut to its initial (RAHMAT H.), MUHAMMAD as M. or MHD | 6 |
| name_drop | a word left out (first or last) | 6 |
| name_extra | a title or bin/binti + father's given name added | 4 |
| name_space | a space removed or added (NURHAYATI / NUR HAYATI) | 5 |
| name_order | two words swapped | 3 |
| name_truncate | cut to 15 characters (a form's field) | 2 |
| date_swap | day and month swapped (day <= 12) | 5 |
| date_digit | one digit of the year or the day changed | 6 |
| date_default | the date replaced by 01-07 of the year | 3 |
| date_year | the year alone | 2 |
| date_missing | no date | 2 |
| sex_wrong | the other sex | 2 |
| moved | another desa of the same kab/kota: address, RT/RW, dusun all new | 6 |
| desa_typo | the desa name with one letter wrong, or with KEL./DESA before it | 4 |
| rtrw_missing | RT and RW left empty | 4 |
| street_variant | JL./JLN/JALAN and NO./NOMOR written otherwise, house number dropped | 5 |
| place_abbrev | the birthplace abbreviated (PDG, BKT) or a letter wrong | 4 |
| place_missing | no birthplace | 3 |

Dates are written four ways (DD-MM-YYYY, DD/MM/YYYY, YYYY-MM-DD, and ``14 Agustus 2006`` with
the Indonesian month name); sex as L/P or LAKI-LAKI/PEREMPUAN; the file is UTF-8 with ``;``.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

LEVELS = ("medium", "hard")
_MEAN = {"medium": 0.9, "hard": 1.8}

_MINANG_M = (
    "RAHMAT HIDAYAT FIKRI ZULFAHMI YULIANDRI ARIF HENDRI DONI RIKO FERDI YOGI ANDRE RONI ILHAM "
    "FAJRI HABIB RIDHO TAUFIK ZULHENDRI AFRIZAL YUSRIZAL NOFRIADI DEDI ERIZAL JONI SYAFRUDDIN "
    "ZAINAL BAHRUL NASRUL ROSMAN"
).split()
_MINANG_F = (
    "FITRI YANTI RINA NOVIA DESI YULIA RAHMI SUCI WINDA ELSA MEGA PUTRI YUNI FADHILA NURUL AULIA "
    "RATNA SUSI ELVI ROSNI ASNIDAR YUSNIDAR ERNAWATI HAYATI RAHMAWATI ZURAIDA LISNA"
).split()
_JAWA_M = "SUPRIYADI SUTRISNO BAMBANG JOKO WAHYU SLAMET AGUS HERU BUDI TEGUH PURNOMO SUGENG".split()
_JAWA_F = "SRI WAHYUNI SUSANTI LESTARI WULANDARI RETNO ENDANG SITI KARTINI DWI ASTUTI".split()
_BATAK_M = "POLTAK MARULI TUMPAL BONAR HORAS PARLINDUNGAN SAHAT TIGOR JONTER".split()
_BATAK_F = "ROSMAULI TIURMA DUMA RUGUN MASNIAR LAMRIA HOTMA".split()
_MARGA = "SIREGAR NASUTION HARAHAP LUBIS SIMANJUNTAK PANJAITAN SITUMORANG HUTAGALUNG".split()
_ISLAM_M = "MUHAMMAD AHMAD ABDUL ALI HASAN HUSEIN UMAR YUSUF IBRAHIM ISMAIL".split()
_ISLAM_F = "NUR SITI AISYAH FATIMAH KHADIJAH ZAHRA SALSABILA NAJWA".split()
_ISLAM_TAIL = "RIZKI FADLI HAKIM FAUZAN RAMADHAN SYAHPUTRA HIDAYATULLAH AZIZ KHAIRUL HAFIZ".split()
_TWIN_PAIRS = (("HASAN", "HUSEIN"), ("RIZKI", "RIZKA"), ("FAJAR", "FAJRI"), ("PUTRA", "PUTRI"), ("DINDA", "DINDO"))
_STREETS = (
    "SUDIRMAN|PERINTIS KEMERDEKAAN|KHATIB SULAIMAN|BAGINDO AZIZ CHAN|DR HAMKA|ADINEGORO|SAWAHAN|ANDALAS|"
    "KAMPUNG JAWA|RASUNA SAID|PARAK GADANG|GAJAH MADA|SETIA BUDI|CEMPAKA|MELATI|MERPATI|RAYA SITEBA"
).split("|")
_JORONG = "BALAI GURAH|PADANG TAROK|KOTO TUO|SUNGAI PUA|LADANG LAWEH|BATANG PALUPUH|KAMPUNG TANGAH|KOTO".split("|")
_PLACES = ("PADANG", "BUKITTINGGI", "PARIAMAN", "SOLOK", "PAYAKUMBUH", "MEDAN", "JAKARTA", "AGAM", "LUBUK BASUNG")
_PLACE_ABBR = {
    "PADANG": "PDG",
    "BUKITTINGGI": "BKT",
    "PAYAKUMBUH": "PYK",
    "PARIAMAN": "PRM",
    "LUBUK BASUNG": "LB BASUNG",
}
_MONTHS = ("JANUARI FEBRUARI MARET APRIL MEI JUNI JULI AGUSTUS SEPTEMBER OKTOBER NOVEMBER DESEMBER").split()
_STATUSES = ("CARD_ISSUED", "PRINT_READY_RECORD", "UNREGISTERED", "BIO_CAPTURED")
_KEYBOARD = {
    c: n
    for row in ("QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")
    for i, c in enumerate(row)
    for n in [row[max(i - 1, 0)] + row[min(i + 1, len(row) - 1)]]
}

CORRUPTIONS: dict[str, int] = {
    "name_keyboard": 10,
    "name_ocr": 5,
    "name_phonetic": 8,
    "name_old_spelling": 4,
    "name_initial": 6,
    "name_drop": 6,
    "name_extra": 4,
    "name_space": 5,
    "name_order": 3,
    "name_truncate": 2,
    "date_swap": 5,
    "date_digit": 6,
    "date_default": 3,
    "date_year": 2,
    "date_missing": 2,
    "sex_wrong": 2,
    "moved": 6,
    "desa_typo": 4,
    "rtrw_missing": 4,
    "street_variant": 5,
    "place_abbrev": 4,
    "place_missing": 3,
}


@dataclass(frozen=True)
class Home:
    desa: str  # dotted code
    desa_name: str
    kec_name: str
    street: str
    house: int
    rt: int
    rw: int
    dusun: str
    postcode: str


@dataclass(frozen=True)
class Person:
    nik: str
    kk: str
    name: str
    sex: str  # L/P
    born: date
    place: str
    home: Home
    married: bool
    father_given: str = ""


def _villages() -> list[tuple[str, str, str]]:
    """(desa code, desa name, kecamatan name) of 30 desa of Kota Padang and 12 of Agam."""
    from rekam.register.gazetteer import _wilayah

    desa, base = _wilayah._desa(), _wilayah._base()
    padang = sorted(c for c in desa if c.startswith("13.71."))[::3][:30]
    agam = sorted(c for c in desa if c.startswith("13.06."))[::7][:12]
    return [(c, desa[c], base.get(c[:8]) or "") for c in padang + agam]


def _nik(desa: str, born: date, sex: str, serial: int) -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"{desa.replace('.', '')[:6]}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


class _Town:
    """The register's people, household by household."""

    def __init__(self, rnd: random.Random, people: int) -> None:
        self.rnd = rnd
        self.villages = _villages()
        self.people: list[Person] = []
        self.serial = 0
        self.homes = 0
        while len(self.people) < people:
            self._household()

    def _given(self, style: str, sex: str) -> str:
        r = self.rnd
        if style == "minang":
            pool = _MINANG_M if sex == "L" else _MINANG_F
            return " ".join(r.sample(pool, r.choice((1, 2, 2))))
        if style == "jawa":
            pool = _JAWA_M if sex == "L" else _JAWA_F
            first = r.choice(pool)
            return first if r.random() < 0.5 else f"{r.choice(('SRI', 'DWI', 'TRI'))} {r.choice(pool)}"
        if style == "batak":
            return r.choice(_BATAK_M if sex == "L" else _BATAK_F)
        return f"{r.choice(_ISLAM_M if sex == 'L' else _ISLAM_F)} {r.choice(_ISLAM_TAIL)}"

    def _name(self, style: str, sex: str, marga: str) -> str:
        given = self._given(style, sex)
        return f"{given} {marga}" if style == "batak" else given

    def _home(self) -> Home:
        r = self.rnd
        code, desa_name, kec_name = r.choice(self.villages)
        self.homes += 1
        nagari = code.startswith("13.06.")
        return Home(
            desa=code,
            desa_name=desa_name,
            kec_name=kec_name,
            street=r.choice(_STREETS) + (f" {r.choice(('I', 'II', 'III', 'IV'))}" if r.random() < 0.4 else ""),
            house=r.randint(1, 180),
            rt=r.randint(1, 12),
            rw=r.randint(1, 6),
            dusun=f"{'JORONG' if nagari else 'DUSUN'} {r.choice(_JORONG)}",
            postcode=f"25{int(code[6:8]) * 7 % 90 + 110:03d}",
        )

    def _person(self, name: str, sex: str, born: date, home: Home, kk: str, married: bool, father: str) -> Person:
        self.serial += 1
        place = home.desa_name.upper() if self.rnd.random() < 0.3 else self.rnd.choice(_PLACES)
        p = Person(
            _nik(home.desa, born, sex, self.serial % 9999 + 1), kk, name, sex, born, place, home, married, father
        )
        self.people.append(p)
        return p

    def _household(self) -> None:
        r = self.rnd
        home = self._home()
        kk = f"{home.desa.replace('.', '')[:6]}{r.randint(10101, 281299):06d}{self.homes % 9999 + 1:04d}"
        style = r.choices(("minang", "jawa", "batak", "islam"), (5, 2, 1, 3))[0]
        marga = r.choice(_MARGA)
        father_born = date(r.randint(1945, 1998), r.randint(1, 12), r.randint(1, 28))
        father = self._person(self._name(style, "L", marga), "L", father_born, home, kk, True, "")
        if r.random() < 0.15:
            return  # lives alone
        mother_born = father_born + timedelta(days=r.randint(-2000, 3000))
        mother_style = style if r.random() < 0.7 else r.choice(("minang", "jawa", "islam"))
        self._person(self._name(mother_style, "P", marga), "P", mother_born, home, kk, True, "")
        father_given = father.name.split()[0]
        child_born = max(father_born, mother_born) + timedelta(days=365 * r.randint(20, 28))
        for _ in range(r.choice((0, 1, 2, 2, 3, 3, 4, 5))):
            if child_born > date(2024, 6, 1):
                break
            sex = r.choice("LP")
            if sex == "L" and r.random() < 0.03:  # the son carries his father's whole name
                name = father.name
            else:
                name = self._name(style, sex, marga)
            self._person(name, sex, child_born, home, kk, child_born.year < 2000 and r.random() < 0.5, father_given)
            if r.random() < 0.02:  # twins: one birth date, names a letter or two apart
                a, b = r.choice(_TWIN_PAIRS)
                twin_sex = "L" if b in ("HUSEIN", "FAJRI", "PUTRA", "DINDO") else "P"
                tail = name.split()[-1] if len(name.split()) > 1 else r.choice(_ISLAM_TAIL)
                self.people[-1] = replace(self.people[-1], name=f"{a} {tail}")
                self._person(f"{b} {tail}", twin_sex, child_born, home, kk, False, father_given)
            child_born += timedelta(days=r.randint(400, 1800))


# --- corruption ----------------------------------------------------------------------------


def _letter(rnd: random.Random, word: str) -> int:
    return rnd.randrange(len(word)) if word else 0


def _name(rnd: random.Random, name: str, label: str, father: str) -> str:
    words = name.split()
    i = rnd.randrange(len(words))
    w = words[i]
    if label == "name_keyboard" and len(w) > 2:
        j = _letter(rnd, w)
        if w[j] in _KEYBOARD:
            words[i] = w[:j] + rnd.choice(_KEYBOARD[w[j]]) + w[j + 1 :]
    elif label == "name_ocr":
        for a, b in (("RN", "M"), ("M", "RN"), ("CL", "D"), ("O", "Q"), ("I", "L"), ("E", "F")):
            if a in w:
                words[i] = w.replace(a, b, 1)
                break
    elif label == "name_phonetic":
        for a, b in (
            ("F", "P"),
            ("P", "F"),
            ("V", "F"),
            ("KH", "H"),
            ("SY", "S"),
            ("Z", "J"),
            ("MM", "M"),
            ("LL", "L"),
        ):
            if a in w:
                words[i] = w.replace(a, b, 1)
                break
    elif label == "name_old_spelling":
        for a, b in (("U", "OE"), ("J", "DJ"), ("C", "TJ"), ("Y", "J")):
            if a in w:
                words[i] = w.replace(a, b)
                break
    elif label == "name_initial":
        if words[0] == "MUHAMMAD":
            words[0] = rnd.choice(("M.", "MHD", "MUH."))
        elif len(words) > 1:
            k = rnd.randrange(1, len(words))
            words[k] = words[k][0] + "."
    elif label == "name_drop" and len(words) > 1:
        del words[rnd.choice((0, len(words) - 1))]
    elif label == "name_extra":
        if father and rnd.random() < 0.5:
            words += ["BIN" if rnd.random() < 0.5 else "BINTI", father]
        else:
            words.insert(0, rnd.choice(("H.", "HJ.", "DRS.", "IR.")))
    elif label == "name_space":
        if len(words) > 1:
            words[i : i + 2] = ["".join(words[i : i + 2])] if i < len(words) - 1 else words[i:]
        elif len(w) > 6:
            words = [w[:3], w[3:]]
    elif label == "name_order" and len(words) > 1:
        words[0], words[-1] = words[-1], words[0]
    out = " ".join(words)
    if label == "name_truncate":
        out = out[:15].strip()
    return out


def _write_date(rnd: random.Random, d: date) -> str:
    style = rnd.random()
    if style < 0.4:
        return f"{d.day:02d}-{d.month:02d}-{d.year}"
    if style < 0.7:
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style < 0.85:
        return d.isoformat()
    return f"{d.day} {_MONTHS[d.month - 1].title()} {d.year}"


def _date(rnd: random.Random, d: date, label: str) -> str:
    if label == "date_missing":
        return ""
    if label == "date_year":
        return str(d.year)
    if label == "date_default":
        return _write_date(rnd, date(d.year, 7, 1))
    if label == "date_swap" and d.day <= 12 and d.day != d.month:
        return _write_date(rnd, date(d.year, d.day, d.month))
    if label == "date_digit":
        try:
            if rnd.random() < 0.5:
                return _write_date(rnd, d.replace(year=d.year + rnd.choice((-1, 1, -10, 10))))
            return _write_date(rnd, d.replace(day=(d.day + rnd.choice((1, 10, -1))) % 28 + 1))
        except ValueError:
            return _write_date(rnd, d)
    return _write_date(rnd, d)


def _typo(rnd: random.Random, text: str) -> str:
    j = _letter(rnd, text)
    return text[:j] + rnd.choice("AEIOUNRST") + text[j + 1 :] if text else text


def _row(rnd: random.Random, town: _Town, p: Person, labels: list[str]) -> dict[str, str]:
    name = p.name
    birth = _write_date(rnd, p.born)
    home = p.home
    place = p.place
    sex = p.sex
    desa_name = home.desa_name.upper()
    rt: str = f"{home.rt:03d}"
    rw: str = f"{home.rw:03d}"
    street = f"JL. {home.street} NO. {home.house}"
    for label in labels:
        if label.startswith("name_"):
            name = _name(rnd, name, label, p.father_given)
        elif label.startswith("date_"):
            birth = _date(rnd, p.born, label)
        elif label == "sex_wrong":
            sex = "P" if sex == "L" else "L"
        elif label == "moved":
            home = town._home()
            desa_name, rt, rw = home.desa_name.upper(), f"{home.rt:03d}", f"{home.rw:03d}"
            street = f"JL. {home.street} NO. {home.house}"
        elif label == "desa_typo":
            desa_name = _typo(rnd, desa_name) if rnd.random() < 0.6 else f"KEL. {desa_name}"
        elif label == "rtrw_missing":
            rt = rw = ""
        elif label == "street_variant":
            word = rnd.choice(("JLN", "JALAN", "", "JL"))
            number = rnd.choice((f"NO {home.house}", f"NOMOR {home.house}", ""))
            street = " ".join(x for x in (word, home.street, number) if x)
        elif label == "place_abbrev":
            place = _PLACE_ABBR.get(place) or _typo(rnd, place)
        elif label == "place_missing":
            place = ""
    sex_text = sex if rnd.random() < 0.5 else {"L": "LAKI-LAKI", "P": "PEREMPUAN"}[sex]
    return {
        "NAMA": name,
        "TEMPAT_LAHIR": place,
        "TANGGAL_LAHIR": birth,
        "JENIS_KELAMIN": sex_text,
        "ALAMAT": street,
        "RT": rt,
        "RW": rw,
        "DUSUN": home.dusun,
        "KELURAHAN": desa_name,
        "KECAMATAN": home.kec_name.upper(),
    }


def _absent(rnd: random.Random, town: _Town, kind: int) -> Person:
    """A person who is not in the register (``kind``: 0 a twin/sibling of a resident, 1 a
    resident's name with another birth date and place, 2 anyone)."""
    base = rnd.choice(town.people)
    town.serial += 1
    nik = f"99{town.serial:014d}"  # never a register NIK
    if kind == 0:  # a twin (one birth date) or a sibling: the household's address, its marga if Batak
        marga = base.name.split()[-1]
        batak = marga in _MARGA
        given = town._given("batak" if batak else rnd.choice(("minang", "jawa", "islam")), base.sex)
        born = base.born + timedelta(days=rnd.choice((0, 0, 300, 400, -500)))
        return replace(base, nik=nik, name=f"{given} {marga}" if batak else given, born=born)
    if kind == 1:
        return replace(base, nik=nik, born=base.born + timedelta(days=rnd.randint(400, 9000)), home=town._home())
    style = rnd.choice(("minang", "jawa", "batak", "islam"))
    sex = rnd.choice("LP")
    return replace(
        base,
        nik=nik,
        name=town._name(style, sex, rnd.choice(_MARGA)),
        sex=sex,
        born=date(rnd.randint(1950, 2007), rnd.randint(1, 12), rnd.randint(1, 28)),
        home=town._home(),
    )


def _count(rnd: random.Random, mean: float) -> int:
    """Corruptions on a row: Poisson(mean) by inversion, at most 4."""
    import math

    u, k, p = rnd.random(), 0, math.exp(-mean)
    total = p
    while u > total and k < 4:
        k += 1
        p *= mean / k
        total += p
    return k


def generate(out: Path, seed: int, level: str = "medium", people: int = 20_000, rows: int = 5_000) -> dict[str, int]:
    """Write ``register.csv``, ``daftar.csv`` and ``truth.csv`` into ``out``; returns counts."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    rnd = random.Random(f"kampung/{seed}/{level}")
    town = _Town(random.Random(f"kampung/{seed}"), people)  # one register per seed, both levels
    out.mkdir(parents=True, exist_ok=True)
    with (out / "register.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            "NIK NO_KK NAMA_LGKP JENIS_KLMIN TMPT_LHR TGL_LHR STAT_KWN NO_PROP NO_KAB NO_KEC NO_KEL "
            "STATUS_KTP_EL ALAMAT NO_RT NO_RW DUSUN KODE_POS".split()
        )
        for p in town.people:
            c = p.home.desa.split(".")
            w.writerow(
                [
                    p.nik,
                    p.kk,
                    p.name,
                    p.sex,
                    p.place,
                    p.born.strftime("%d-%m-%Y"),
                    "KAWIN" if p.married else "BELUM KAWIN",
                ]
                + c
                + [rnd.choice(_STATUSES), f"JL. {p.home.street} NO. {p.home.house}", p.home.rt, p.home.rw]
                + [p.home.dusun, p.home.postcode]
            )
    adults = [p for p in town.people if p.born <= date(2009, 6, 1)]
    present = rnd.sample(adults, min(len(adults), round(rows * 0.9)))
    absent = [_absent(rnd, town, i % 3) for i in range(rows - len(present))]
    chosen = [(p, True) for p in present] + [(p, False) for p in absent]
    rnd.shuffle(chosen)
    columns = ["NO", "NAMA", "TEMPAT_LAHIR", "TANGGAL_LAHIR", "JENIS_KELAMIN", "ALAMAT", "RT", "RW"]
    columns += ["DUSUN", "KELURAHAN", "KECAMATAN"]
    if level == "hard":
        columns = [c for c in columns if c not in ("JENIS_KELAMIN", "DUSUN")]
    labels_all = list(CORRUPTIONS)
    weights = list(CORRUPTIONS.values())
    with (
        (out / "daftar.csv").open("w", encoding="utf-8", newline="") as f,
        (out / "truth.csv").open("w", encoding="utf-8", newline="") as t,
    ):
        w = csv.DictWriter(f, columns, delimiter=";", extrasaction="ignore")
        w.writeheader()
        tw = csv.writer(t)
        tw.writerow(["list_id", "true_nik", "corruption"])
        for i, (p, is_present) in enumerate(chosen, start=1):
            labels = rnd.choices(labels_all, weights, k=_count(rnd, _MEAN[level]))
            w.writerow({"NO": str(i)} | _row(rnd, town, p, labels))
            tw.writerow([str(i), p.nik if is_present else "", "|".join(labels)])
    return {"register": len(town.people), "rows": len(chosen), "absent": len(absent)}
