"""Name pools and vectorised name drawing for the synthetic register.

Names are upper case, as SIAK prints NAMA_LGKP. Each household belongs to one name group (see
calibration.ETHNIC_MIX). The lists are invented from common Indonesian usage (assumption): no
list was copied from a data set, and no real person is meant.

- Minangkabau and Javanese names: a given name (older and younger generations differ) and often
  a second name. Minangkabau names carry no family name (the suku is matrilineal and not part
  of the name).
- Mentawai, Batak (Toba), Mandailing, Nias and Chinese-Indonesian names: a given name and a
  family name (clan, marga, fam or Indonesian-style surname), which children inherit from the
  head of the household; wives keep their own.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

MINANG, MENTAWAI, JAWA, MANDAILING, BATAK, NIAS, TIONGHOA, ASING = range(8)
GROUPS = ("MINANG", "MENTAWAI", "JAWA", "MANDAILING", "BATAK", "NIAS", "TIONGHOA", "ASING")
N_GROUPS = len(GROUPS)
#: Birth year from which the "young" given-name pool is used.
YOUNG_FROM_YEAR = 1988

_MINANG_M_OLD = """AFRIZAL YUSRIZAL SYAFRIZAL ERIZAL NOFRIZAL YONDRIZAL HENDRIZAL JASRIL AMRIL DASRIL ZULKIFLI
ZULFAHMI ZAINAL SYAMSUL NASRUL MASRUL MARDANUS ARMAN ASMAN NURDIN BAHARUDDIN SYAFRUDDIN JAMALUDDIN AZWAR
ASWIR BUSTAMI DAHLAN EFENDI ELFIZAR FIRDAUS HASAN IRWAN JONI KASMAN MUSLIM NOVRIAL RIDWAN SUHARDI SYAHRUL
YULIUS YUSUF ZULHENDRI DEDI HENDRI ANDRI BUDI RAHMAT ARIF ALIZAR ASRIL DESRIZAL JUFRI MUKHLIS NASRIL RUSDI
SAFRIAL TASLIM UMAR WAHYUDI YASMAN YOSERIZAL ZULKARNAIN MUHAMMAD AHMAD ISMAIL AMIRUDDIN ROSMAN"""
_MINANG_M_YOUNG = """RIZKY FAJAR ILHAM FAUZAN RAFI ALIF HAFIZ ARYA DIMAS FARHAN GILANG IQBAL KEVIN MUHAMMAD AHMAD
NAUFAL RAFFI RAIHAN REZA RIDHO SULTAN ZIDAN ZAKY AZKA FATHIR HABIB ARKAN DAFFA FADLI ANDIKA YOGI AFDAL FIKRI
HAIKAL HANIF IKHSAN RAHMAT ARIF RANDI ROMI DODI ALDI FEBRI AGUNG YUDHA RIFKI ABDUL HAFIDZ ALFAREZI"""
_MINANG_F_OLD = """NURHAYATI ERNAWATI ROSMANIAR ASNIDAR YUSNIDAR NURAINI ELMI YUSNITA RAHMAWATI SURYANI ZURAIDA
NURLELA MARNI YUSNAH ROSMAWATI ERMAWATI DESNIWATI YENI MERI SUSI LENI YULIA SRI NOVI DESI RINA FITRI ELVI EVI
ZULHAYATI HARTATI ASMAH SYAMSIAR DARNIS MISNAR NURSIAH ROSNI WATI YETTI YURNI ELIDA FATIMAH SITI ROSNELI
ARNELI ELFI NELMI ZURNI ASNIMAR NURBAITI MASNIDAR HASNAH"""
_MINANG_F_YOUNG = """AISYAH ZAHRA NAYLA SALSABILA NADIA WIDIA PUTRI ANISA AULIA DINDA FADHILA HANIFA KHAIRUNNISA
NABILA RAHMA SYIFA TIARA VIVI YOLANDA ZAHIRA ALYA AZZAHRA CANTIKA DELA ELSA FITRI INTAN KHANSA MUTIA NISA
RANI SALWA SILVI TASYA WULAN YUNITA ANNISA RATIH DESI RINA FEBI NOVIA SHINTA MELATI NURUL SUCI"""
_MINANG_M_SECOND = """PUTRA SAPUTRA HIDAYAT EFENDI HASAN SYAHPUTRA AMRI ZULKARNAIN FIRMANSYAH KURNIAWAN PRATAMA
RAMADHAN HIDAYATULLAH ANDIKA FAHREZI ALFARIZI MAULANA ARDIANSYAH SETIAWAN ILAHI YUSUF ANWAR MUNAF ROSYADI
SUTAN"""
_MINANG_F_SECOND = """PUTRI SARI YANTI WAHYUNI RAHMADANI HANDAYANI WULANDARI NOVITA MARLINA RAHAYU OKTAVIA ZAHARA
SYAFITRI RAMADHANI ANGGRAINI FEBRIANTI MELATI KHAIRANI HAYATI YULIANTI ASRI DEWI ARMAINI"""

_JAWA_M_OLD = """SUPRIYADI SUTRISNO BAMBANG WIDODO SUGENG SLAMET SUPARMAN SUKIRMAN AGUS JOKO HERU PURNOMO WAHYU
TRI EKO DWI ADI BUDI SUYANTO PAIMAN RIYADI SUTARJO MARYONO SUWARNO SARDI KATIMIN PARJO SUMARNO"""
_JAWA_M_YOUNG = """DIMAS BAYU ARDI GALIH ANGGA YOGA RIZAL ADITYA FAJAR ARIF EKO DWI TRI PRASETYO WAHYU RIZKY
ILHAM ANDRE DANI"""
_JAWA_F_OLD = """SITI SRI SUMARNI SUKARNI PARTINI WARSINI SUPRAPTI TUMINAH SUMIATI RATNA DEWI ENDANG LESTARI YULI
TRI WAHYUNI NINGSIH SUMIYATI SUPARMI SAMIRAH"""
_JAWA_F_YOUNG = """AYU DEWI PUTRI INDAH NOVITA RETNO ANGGI DIAN RIKA LARAS SRI SITI NUR WULAN DINDA"""
_JAWA_M_SECOND = """SANTOSO PRASETYO WIBOWO NUGROHO SETIAWAN HARYANTO SUSANTO WAHYUDI PRABOWO KUSUMA SAPUTRO
HIDAYAT"""
_JAWA_F_SECOND = """LESTARI WAHYUNI RAHAYU NINGSIH HANDAYANI SURYANI KUSUMAWATI PRATIWI ASTUTI PURWANTI
RAHMAWATI MULYANI"""

_CHRISTIAN_M = """YOHANES MARKUS PAULUS PETRUS YOSEF ANTONIUS MATIUS LUKAS SIMON ANDREAS FRANSISKUS BERNADUS
KORNELIUS STEFANUS ISAK YAKOBUS DANIEL ELIAS YONATAN ARIANTO JUNIARDI RIANTO JOHANES NIKOLAUS"""
_CHRISTIAN_F = """MARIA KRISTINA ELISABET YOSEFINA MAGDALENA AGNES MARTA VERONIKA ROSALINA MARIANA RUTH DEBORA
LUSIA SISILIA YULIANA KATARINA FRANSISKA MONIKA ANASTASIA SELVIA"""
_MENTAWAI_FAMILY = """SABABALAT SAMALOISA SALELEUBAJA SAKEREBAU SAUMANUK SAGURUJUNG SAPALAKKAI SATOLEURU
SIRITOITET SALAMANANG SAOGO SABELAU SAKALIOU SAMEKMEK TASIRILOTIK SARURUK SIRIRUI SIRIBERE SAKERU SAGARI
SATOKO SAGOROJOU SAREREAKE SAMANGILAILAI"""

_BATAK_M = """JOHANNES MARTIN ROBERT HOTMAN PARLINDUNGAN TIGOR MANGATAS BONAR SAHAT TUA DAVID RICARDO JEFRI
ERWIN HENDRA JUNI RUDI FERDINAN SAUT POLTAK SAMUEL AMOS"""
_BATAK_F = """ROSMA TIURMA ROSLINA MARINTAN DUMA NURMALA SORTA LASMA HOTNIDA RIA MARIA FRIDA NOVA EVA LENNI
DEWI JULIANA ROSMERI ERNI SRI"""
_BATAK_FAMILY = """SIMANJUNTAK HUTAGALUNG SIMATUPANG PANJAITAN SITUMORANG PASARIBU SINAGA MANURUNG TAMBUNAN
SIAHAAN SIREGAR HUTAPEA SILALAHI SIMANGUNSONG NAPITUPULU SIHOMBING MARPAUNG SITOMPUL GULTOM SIMBOLON"""
_MANDAILING_FAMILY = """NASUTION LUBIS HARAHAP RANGKUTI DALIMUNTHE BATUBARA PULUNGAN HASIBUAN DAULAY MATONDANG
PARINDURI HUTASUHUT SIREGAR TANJUNG"""
_NIAS_FAMILY = """ZEBUA HAREFA TELAUMBANUA GULO LAIA WARUWU HULU NDRURU ZALUKHU LAOWO MENDROFA GEA HALAWA
BUULOLO DAELI LASE LAROSA BAENE NAZARA WAU"""

_TIONGHOA_M = """HENDRA WILLIAM KEVIN FELIX JONI ANDI SURYA RUDI BUDI HARTONO STEVEN VINCENT JASON ERIC JIMMY
ALBERT DANIEL HERMAN TONI WILLY HENDRIK"""
_TIONGHOA_F = """SUSANTI LINDA MELIANA LILIS JENNY LISA MEILANI YULIANA SHERLY CINDY VIVIAN FELICIA GRACE
NATALIA LIANA MEI SELVI WINNY YENNY ANGELINA"""
_TIONGHOA_FAMILY = """TANJAYA GUNAWAN SETIAWAN WIJAYA HALIM SANTOSO LIMANTO TANOTO KURNIAWAN HARTONO SUGIARTO
TANUWIJAYA SALIM GOZALI LIEM TAN LIE ONG HALIMAN SUSANTO WIRAWAN CHANDRA"""

_ASING_M = "JOHN MICHAEL DAVID JAMES DANIEL THOMAS LUCAS HIROSHI KENJI HAFIZ WEI MATTHEW BEN OLIVER PIERRE"
_ASING_F = "SARAH EMMA JULIA ANNA YUKI AIKO CHLOE HANNAH SOPHIE LAURA MEI"
_ASING_FAMILY = "SMITH BROWN WILSON TAYLOR MUELLER SCHMIDT MARTIN SATO TANAKA LI WANG JOHNSON ANDERSEN ROSSI DUBOIS"


def _words(text: str) -> list[str]:
    return text.split()


# GIVEN[group] = ((male_old, male_young), (female_old, female_young))
_GIVEN: dict[int, tuple[tuple[str, str], tuple[str, str]]] = {
    MINANG: ((_MINANG_M_OLD, _MINANG_M_YOUNG), (_MINANG_F_OLD, _MINANG_F_YOUNG)),
    MENTAWAI: ((_CHRISTIAN_M, _CHRISTIAN_M), (_CHRISTIAN_F, _CHRISTIAN_F)),
    JAWA: ((_JAWA_M_OLD, _JAWA_M_YOUNG), (_JAWA_F_OLD, _JAWA_F_YOUNG)),
    MANDAILING: ((_MINANG_M_OLD, _MINANG_M_YOUNG), (_MINANG_F_OLD, _MINANG_F_YOUNG)),
    BATAK: ((_BATAK_M, _BATAK_M), (_BATAK_F, _BATAK_F)),
    NIAS: ((_CHRISTIAN_M, _BATAK_M), (_CHRISTIAN_F, _BATAK_F)),
    TIONGHOA: ((_TIONGHOA_M, _TIONGHOA_M), (_TIONGHOA_F, _TIONGHOA_F)),
    ASING: ((_ASING_M, _ASING_M), (_ASING_F, _ASING_F)),
}
_SECOND: dict[int, tuple[str, str]] = {
    MINANG: (_MINANG_M_SECOND, _MINANG_F_SECOND),
    JAWA: (_JAWA_M_SECOND, _JAWA_F_SECOND),
    MANDAILING: (_MINANG_M_SECOND, _MINANG_F_SECOND),
}
_FAMILY: dict[int, str] = {
    MENTAWAI: _MENTAWAI_FAMILY,
    MANDAILING: _MANDAILING_FAMILY,
    BATAK: _BATAK_FAMILY,
    NIAS: _NIAS_FAMILY,
    TIONGHOA: _TIONGHOA_FAMILY,
    ASING: _ASING_FAMILY,
}
#: Probability of a second name: (born before YOUNG_FROM_YEAR, from then on). Family-name groups
#: use their own second names rarely (0 here: the family name is the "second" name).
SECOND_NAME_P = {MINANG: (0.35, 0.70), JAWA: (0.30, 0.55), MANDAILING: (0.25, 0.45)}


class _Pool:
    """Flat string array plus (offset, length) per key, for vectorised draws."""

    def __init__(self, lists: list[list[str]]) -> None:
        flat: list[str] = []
        self.offset = np.zeros(len(lists), dtype=np.int64)
        self.length = np.zeros(len(lists), dtype=np.int64)
        for i, words in enumerate(lists):
            self.offset[i] = len(flat)
            self.length[i] = len(words)
            flat.extend(words)
        self.values = pa.array(flat or [""], type=pa.string())

    def draw(self, rng: np.random.Generator, key: np.ndarray) -> np.ndarray:
        """Index into ``values`` for each key (keys with an empty list give -1)."""
        length = self.length[key]
        idx = self.offset[key] + np.floor(rng.random(len(key)) * np.maximum(length, 1)).astype(np.int64)
        return np.where(length > 0, idx, -1)


def _given_pool() -> _Pool:
    lists = []
    for g in range(N_GROUPS):
        for sex in (0, 1):
            for era in (0, 1):
                lists.append(_words(_GIVEN[g][sex][era]))
    return _Pool(lists)


def _second_pool() -> _Pool:
    lists = []
    for g in range(N_GROUPS):
        for sex in (0, 1):
            lists.append(_words(_SECOND[g][sex]) if g in _SECOND else [])
    return _Pool(lists)


def _family_pool() -> _Pool:
    return _Pool([_words(_FAMILY.get(g, "")) for g in range(N_GROUPS)])


GIVEN_POOL = _given_pool()
SECOND_POOL = _second_pool()
FAMILY_POOL = _family_pool()
HAS_FAMILY_NAME = np.array([g in _FAMILY for g in range(N_GROUPS)])


def draw_family_index(rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
    """A family-name index per row (-1 for groups without family names)."""
    return FAMILY_POOL.draw(rng, group.astype(np.int64))


def build_names(
    rng: np.random.Generator,
    group: np.ndarray,
    sex: np.ndarray,
    birth_year: np.ndarray,
    family_index: np.ndarray,
) -> pa.Array:
    """Full names (NAMA_LGKP) for each person.

    ``sex`` is 1 (male) / 2 (female); ``family_index`` from ``draw_family_index`` (already
    inherited within households by the caller), -1 where none.
    """
    n = len(group)
    g = group.astype(np.int64)
    s = (sex.astype(np.int64) - 1).clip(0, 1)
    young = (birth_year >= YOUNG_FROM_YEAR).astype(np.int64)
    given_idx = GIVEN_POOL.draw(rng, g * 4 + s * 2 + young)

    p_second = np.zeros(n)
    for grp, (p_old, p_young) in SECOND_NAME_P.items():
        mask = g == grp
        p_second[mask] = np.where(young[mask] == 1, p_young, p_old)
    second_idx = SECOND_POOL.draw(rng, g * 2 + s)
    has_second = (rng.random(n) < p_second) & (second_idx >= 0)

    given = pc.take(GIVEN_POOL.values, pa.array(given_idx))
    second = pc.take(SECOND_POOL.values, pa.array(np.where(has_second, second_idx, 0)))
    second = pc.if_else(pa.array(has_second), second, pa.scalar(None, pa.string()))
    family_ok = family_index >= 0
    family = pc.take(FAMILY_POOL.values, pa.array(np.where(family_ok, family_index, 0)))
    family = pc.if_else(pa.array(family_ok), family, pa.scalar(None, pa.string()))
    # Avoid "SARI SARI" style repeats: drop a second name equal to the given name.
    same = pc.equal(given, second)
    second = pc.if_else(pc.fill_null(same, False), pa.scalar(None, pa.string()), second)
    return pc.binary_join_element_wise(given, second, family, " ", null_handling="skip")


# ---------------------------------------------------------------------------------------------
# Typos, for outside lists (school and campus rosters) that a linkage feature has to match.
# ---------------------------------------------------------------------------------------------
_SPELLING_VARIANTS = (
    ("SY", "S"),
    ("Y", "I"),
    ("DH", "D"),
    ("KH", "K"),
    ("IA", "YA"),
    ("U", "OE"),
    ("FF", "F"),
    ("RIZKY", "RISKI"),
    ("MUHAMMAD", "MUHAMAD"),
    ("NUR", "NOER"),
    ("ZAL", "SAL"),
)


def typo(name: str, rng: np.random.Generator) -> str:
    """One plausible error: a spelling variant, a swapped pair, a dropped or doubled letter."""
    kind = int(rng.integers(0, 4))
    if kind == 0:
        order = rng.permutation(len(_SPELLING_VARIANTS))
        for i in order:
            a, b = _SPELLING_VARIANTS[int(i)]
            if a in name:
                return name.replace(a, b, 1)
        kind = 1
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if len(letters) < 3:
        return name + name[-1:]
    i = letters[int(rng.integers(1, len(letters) - 1))]
    if kind == 1 and name[i - 1].isalpha() and name[i] != name[i - 1]:
        return name[: i - 1] + name[i] + name[i - 1] + name[i + 1 :]
    if kind == 2:
        return name[:i] + name[i + 1 :]
    return name[:i] + name[i] + name[i:]
