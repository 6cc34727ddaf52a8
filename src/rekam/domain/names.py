"""Indonesian personal names, normalised for record linkage (issue #6).

A linkage model compares the register's names (SIAK ``NAMA_LGKP``, also ``NAMA_LGKP_IBU``,
``NAMA_LGKP_AYAH`` and ``NAMA_KEP``: FACTS.md section 3.1) with the names on outside lists
(schools, voter lists, service logs). The same person is written many ways; the functions
here map those ways to one form, so that a matcher can compare like with like:

- ``strip_titles(name) -> (core, titles)``: academic, religious, courtesy and Minangkabau
  adat titles taken off, wherever they stand. ``strip_alias(name) -> (name, alias)``: the
  name a person is known by (``ALS.``, ``ALIAS``, ``@``), as lists of inmates add it.
- ``normalise_name(name) -> str``: titles off, old spelling and common variants mapped,
  abbreviations of Muhammad, Abdul and Siti expanded. Tokens keep their order.
- ``name_key`` (no spaces: merged and split tokens compare equal), ``name_tokens`` (sorted:
  token order ignored), ``first_token``, ``last_token`` and ``sound_key`` (a consonant
  skeleton for blocking), and ``name_columns`` (all of them at once, for one pass over the
  distinct names of a file).

Every function is total (``None``, empty or non-text input gives ``""`` or ``[]``; nothing
raises) and ``normalise_name`` is idempotent. docs/names.md gives each rule with its reason,
source and risk; the docstrings below say the rule and, briefly, why.

Two sources shape the rules:

- Permendagri 73/2022 (Pencatatan Nama pada Dokumen Kependudukan), Pasal 4-5: a name is
  written in Latin letters, may carry academic, adat and religious titles (abbreviated) on
  the KK and KTP-el, must not be abbreviated "unless it cannot be read otherwise" and has no
  digits or punctuation. Names recorded before 2022 stay valid. So the register itself holds
  titles and abbreviations (``MUH``, ``ABD``), and outside lists hold punctuation too.
- The spelling reforms: Ejaan van Ophuijsen (1901: ``oe``, ``dj``, ``tj``, ``nj``, ``sj``,
  ``ch``, and ``j`` for /y/), Ejaan Soewandi (1947: ``oe`` -> ``u``) and EYD (1972: ``tj`` ->
  ``c``, ``dj`` -> ``j``, ``j`` -> ``y``, ``nj`` -> ``ny``, ``sj`` -> ``sy``, ``ch`` -> ``kh``).
  A name keeps the spelling it was registered with, so older residents' names still use them.

Standard library only, no I/O (``domain/`` is pure).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "NameColumns",
    "first_token",
    "last_token",
    "name_columns",
    "name_key",
    "name_tokens",
    "normalise_name",
    "sound_key",
    "strip_alias",
    "strip_titles",
]

# --- cleaning ---------------------------------------------------------------------------

#: Apostrophes and look-alikes: deleted, so MA'RUF and MARUF are one token (Permendagri
#: 73/2022 allows no punctuation, so the register writes MARUF). Deleted before NFKD,
#: which would turn U+00B4 into a space.
_APOSTROPHES = dict.fromkeys(map(ord, "'`\u00b4\u02b9\u02bb\u02bc\u02bd\u2018\u2019\u201b\u2032"))
#: Latin letters that NFKD does not decompose.
_LETTERS = str.maketrans(
    {
        "\u00df": "ss",
        "\u1e9e": "SS",
        "\u00c6": "AE",
        "\u00e6": "ae",
        "\u00d8": "O",
        "\u00f8": "o",
        "\u0152": "OE",
        "\u0153": "oe",
        "\u0141": "L",
        "\u0142": "l",
        "\u0110": "D",
        "\u0111": "d",
        "\u00d0": "D",
        "\u00f0": "d",
        "\u00de": "TH",
        "\u00fe": "th",
        "\u0131": "i",
    }
)
#: Characters that separate a name from what follows it: "AHMAD, S.PD", "AHMAD (ALM)".
_CHUNK_BREAK = re.compile(r"[,;/()\[\]{}|]")
_NOT_KEPT = re.compile(r"[^A-Z.,]+")
_NOT_LETTER = re.compile(r"[^A-Z]+")


def _clean(name: object) -> str:
    """Upper-case ASCII letters, spaces, dots and commas; anything else becomes a space.

    Accents go (NFKD, combining marks dropped): ``Nurhayatí`` -> ``NURHAYATI``. Digits go:
    a name has none (Permendagri 73/2022), so in a list they are row numbers or noise.
    Hyphens become spaces (``NUR-HAYATI`` -> ``NUR HAYATI``).
    """
    if not isinstance(name, str):
        return ""
    text = name.translate(_APOSTROPHES)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
        text = "".join(c for c in text if not unicodedata.combining(c))
    return _NOT_KEPT.sub(" ", _CHUNK_BREAK.sub(",", text.upper()))


# --- titles -----------------------------------------------------------------------------
#
# Titles are matched on "atoms": the letters between spaces, dots and commas, so "S.Pd.I",
# "S. Pd. I", "S.PD.I." and "SPDI" are all the atoms S PD I or the atom SPDI, matched by
# their letters joined ("compact" form). Each table maps a compact form to the label
# strip_titles returns.

#: Before the name only, and only when a name word follows. Acquired titles: religious
#: (Haji/Hajjah, Kyai Haji, Ustadz, Buya, Teungku), academic and professional (Prof., Dr.,
#: dr., drg., drh., the pre-1993 Drs./Dra./Ir., Ns.), courtesy (Bapak, Ibu, Saudara/i,
#: Nyonya, Nona) and the deceased marker (Alm./Almh.). Hereditary titles given at birth
#: (Teuku, Cut, Tengku, Raden, Andi) are part of the name and stay.
_PREFIX_TITLES: dict[str, str] = {
    "H": "H",
    "HAJI": "H",
    "HADJI": "H",
    "HJ": "HJ",
    "HJH": "HJ",
    "HAJAH": "HJ",
    "HAJJAH": "HJ",
    "HADJAH": "HJ",
    "KH": "KH",
    "KYAI": "KYAI",
    "KIAI": "KYAI",
    "UST": "UST",
    "USTAD": "UST",
    "USTADZ": "UST",
    "USTAZ": "UST",
    "USTADZAH": "USTAZAH",
    "USTAZAH": "USTAZAH",
    "BUYA": "BUYA",
    "TGK": "TGK",
    "TEUNGKU": "TGK",
    "PROF": "PROF",
    "DR": "DR",
    "DRS": "DRS",
    "DRA": "DRA",
    "IR": "IR",
    "DRG": "DRG",
    "DRH": "DRH",
    "NS": "NS",
    "BAPAK": "BAPAK",
    "BPK": "BAPAK",
    "PAK": "BAPAK",
    "IBU": "IBU",
    "SDR": "SDR",
    "SAUDARA": "SDR",
    "SDRI": "SDRI",
    "SAUDARI": "SDRI",
    "NY": "NY",
    "NYONYA": "NY",
    "NONA": "NONA",
    "ALM": "ALM",
    "ALMARHUM": "ALM",
    "ALMH": "ALMH",
    "ALMARHUMAH": "ALMH",
}

# Academic degrees, written after the name (Permenristekdikti 59/2018 Pasal 20: A.P., A.Ma.,
# A.Md., S., S.Tr., M., M.Tr. followed by the initials of the field), older forms, and
# professional titles written after the name.
_S_FIELDS = (
    "AG AK AP DS E EI FARM FIL GZ H HI HUM HUT IK IKOM IP KEB KED KEP KES KH KM KOM MAT "
    "P PD PDI PDSD PI PSI PT S SI SN SOS SOSI STAT STP SY T TH THI TP TR TRKEB TRKEP TRKES"
)
_M_FIELDS = (
    "A AG AK AP BIOMED E EI ENG FARM H HI HUM IKOM KEB KEP KES KM KN KOM M PD PDI PH PSI SC SI SN SOS STAT T TH TR"
)
_AMD_FIELDS = "AK FARM GZ KEB KEP KES KOM PAR PD RO T"
_SP_FIELDS = "A AN B BS JP KFR KJ KK M OG OT P PD PK RAD S THT THTKL U"
_OTHER_SUFFIXES = "AMA AMAPD AMD AP APT BA BSC CA IPU LC MA MBA MD MSC NS PHD ALM ALMH ALMARHUM ALMARHUMAH"
_SUFFIX_TITLES: dict[str, str] = {
    code: {"ALMARHUM": "ALM", "ALMARHUMAH": "ALMH"}.get(code, code)
    for code in (
        [f"S{f}" for f in _S_FIELDS.split()]
        + [f"M{f}" for f in _M_FIELDS.split()]
        + [f"AMD{f}" for f in _AMD_FIELDS.split()]
        + [f"SP{f}" for f in _SP_FIELDS.split()]
        + _OTHER_SUFFIXES.split()
    )
}
#: Degrees that are also plausible name words: a title only when written as two or more
#: atoms ("M.A.", "M. Ak."), never as one word ("MA", "MAK", "MEI", "MENG", "BA", "AMA").
_NEEDS_ATOMS = frozenset({"MA", "MAK", "MEI", "ME", "MENG", "BA", "AMA", "MD", "AP", "CA"})

#: Minangkabau adat titles (gelar). The keyword is followed by the gelar itself ("Dt. Rajo
#: Angek", "Sutan Mangkuto"): both go, up to the end of the name or the next comma. Only
#: when the keyword is not the name's first word and a word follows it in the same part
#: (a bare "SUTAN" or "MALIN" is more likely a given name), or when it opens a part after a
#: comma. Datuk is the penghulu's gelar sako; Sutan, Bagindo, Sidi, Marah, Malin, Katik,
#: Pakiah are given to men at marriage; Tuanku to ulama. "GELAR"/"GLR" ("Ahmad gelar Sutan
#: Mudo") marks one explicitly. "ST" here is Sutan; at the end of a name it is S.T.
#: (Sarjana Teknik), at the start Siti.
_GELAR: dict[str, str] = {
    "DT": "DATUK",
    "DATUK": "DATUK",
    "DATUAK": "DATUK",
    "DATOK": "DATUK",
    "DATO": "DATUK",
    "DATOEK": "DATUK",
    "SUTAN": "SUTAN",
    "SOETAN": "SUTAN",
    "ST": "SUTAN",
    "STN": "SUTAN",
    "SIDI": "SIDI",
    "BAGINDO": "BAGINDO",
    "BGD": "BAGINDO",
    "MARAH": "MARAH",
    "TUANKU": "TUANKU",
    "TUANGKU": "TUANKU",
    "MALIN": "MALIN",
    "KATIK": "KATIK",
    "PAKIAH": "PAKIAH",
    "RANGKAYO": "RANGKAYO",
    "GELAR": "GELAR",
    "GLR": "GELAR",
}


#: For a quick exit: an atom that can start a prefix title or end a suffix title.
_PREFIX_STARTS = frozenset(code[:i] for code in _PREFIX_TITLES for i in range(1, len(code) + 1))
_SUFFIX_ENDS = frozenset(code[i:] for code in _SUFFIX_TITLES for i in range(len(code)))


class _Atom(NamedTuple):
    text: str
    part: int  # which comma-separated part of the name
    word: int  # which space-separated word
    position: int  # position in the cleaned name, to report titles in order


def _atoms(text: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    part = word = 0
    for chunk in text.split(","):
        found = False
        for raw in chunk.split():
            pieces = [p for p in raw.split(".") if p]
            atoms += [_Atom(p, part, word, len(atoms) + i) for i, p in enumerate(pieces)]
            word += bool(pieces)
            found = found or bool(pieces)
        part += found
    return atoms


def _prefix_length(atoms: list[_Atom], start: int) -> int:
    """Atoms of a prefix title at ``start`` (several only within one word: "K.H.", "H.J.")."""
    for k in (3, 2, 1):
        group = atoms[start : start + k]
        if len(group) == k and len({a.word for a in group}) == 1:
            if "".join(a.text for a in group) in _PREFIX_TITLES:
                return k
    return 0


def _suffix_length(atoms: list[_Atom], keep: int) -> int:
    """Atoms of a suffix title at the end, leaving at least ``keep`` atoms."""
    for k in (4, 3, 2, 1):
        if len(atoms) - k < keep:
            continue
        compact = "".join(a.text for a in atoms[-k:])
        if compact in _SUFFIX_TITLES and (k > 1 or compact not in _NEEDS_ATOMS):
            return k
    return 0


def _label(atoms: list[_Atom], table: dict[str, str]) -> tuple[int, str]:
    return atoms[0].position, table["".join(a.text for a in atoms)]


def _strip_once(atoms: list[_Atom]) -> tuple[list[_Atom], list[tuple[int, str]]]:
    """One pass over the parts of a name; returns what is left and the titles found."""
    titles: list[tuple[int, str]] = []
    parts: list[list[_Atom]] = []
    for atom in atoms:
        if not parts or parts[-1][0].part != atom.part:
            parts.append([])
        parts[-1].append(atom)
    for p, part in enumerate(parts):
        # Prefix titles: at the start of the name while a word follows; in later parts freely.
        start = 0
        while k := _prefix_length(part, start):
            if p == 0 and start + k >= len(atoms):
                break
            titles.append(_label(part[start : start + k], _PREFIX_TITLES))
            start += k
        part = part[start:]
        # Suffix titles at the end of each part; the first part keeps at least one word.
        while k := _suffix_length(part, 1 if p == 0 else 0):
            titles.append(_label(part[-k:], _SUFFIX_TITLES))
            part = part[:-k]
        parts[p] = part
    # Adat gelar: keyword (not the name's first word) and everything after it in its part.
    before = 0
    for p, part in enumerate(parts):
        for j, atom in enumerate(part):
            opens_part = j == 0 and p > 0
            if atom.text in _GELAR and before + j >= 1 and (opens_part or j + 1 < len(part)):
                words = " ".join([_GELAR[atom.text]] + [a.text for a in part[j + 1 :]])
                titles.append((atom.position, words))
                parts[p] = part[:j]
                break
        before += len(parts[p])
    rest = [a for part in parts for a in part]
    return (rest, titles) if rest else (atoms, [])


def strip_titles(name: str | None) -> tuple[str, tuple[str, ...]]:
    """The name without its titles, and the titles, in the order they were written.

    ``core`` is the cleaned name (upper-case ASCII, single spaces, no punctuation; spelling
    unchanged) with the titles removed; ``titles`` are canonical labels (``"H"``, ``"HJ"``,
    ``"DRS"``, ``"SPD"``, ``"DATUK RAJO ANGEK"``). A name is never stripped to nothing:
    ``"H."`` stays ``"H"``.

    >>> strip_titles("Drs. H. Ahmad Dt. Rajo Angek, S.Pd., M.M.")
    ('AHMAD', ('DRS', 'H', 'DATUK RAJO ANGEK', 'SPD', 'MM'))

    Rules, in each comma-separated part (details, reasons and risks in docs/names.md):

    1. Prefix titles (``_PREFIX_TITLES``: H., Hj., Drs., Dr., Prof., Ir., Ns., Ust., Tgk.,
       Bapak, Ibu, Alm. ...) from the start of the name, only while a name word follows.
    2. Suffix titles (``_SUFFIX_TITLES``: S.Pd., S.Pd.I, S.E., S.H., S.Kom., S.T., A.Md.,
       M.Pd., M.Si., M.M., M.Kes., Lc., Sp.OG ...) from the end, with or without dots or
       spaces between their letters; a part after a comma may consist of titles only.
    3. Minangkabau gelar (``_GELAR``): the keyword and the words after it up to the next
       comma, unless the keyword is the first word of the name or nothing follows it.

    Passes repeat (commas then ignored) until nothing changes, so ``strip_titles`` of a
    core is the core itself.
    """
    text = _clean(name)
    if "," not in text:  # quick exit for the common case: nothing here can be a title
        words = text.replace(".", " ").split()
        if not words or (
            words[0] not in _PREFIX_STARTS and words[-1] not in _SUFFIX_ENDS and not any(w in _GELAR for w in words[1:])
        ):
            return " ".join(words), ()
    atoms = _atoms(text)
    found: list[tuple[int, str]] = []
    while True:
        rest, titles = _strip_once(atoms)
        found += titles
        flat = [a._replace(part=0, word=n) for n, a in enumerate(rest)]
        if flat == atoms:
            break
        atoms = flat
    return " ".join(a.text for a in atoms), tuple(label for _, label in sorted(found))


# --- aliases ----------------------------------------------------------------------------

#: "EFENDI ALS. ENDI", "NAUFAL ALIAS ACIL", "BUDI @ UDIN": lists of inmates (and police and
#: court papers) add the name a person is known by after the legal one. The register has the
#: legal name only.
_ALIAS = re.compile(r"@|\b(?:ALS|ALIAS)\b\.?", re.IGNORECASE)
_HAS_LETTER = re.compile(r"[A-Za-z]")


def strip_alias(name: str | None) -> tuple[str, str]:
    """``(name, alias)``: the name before ``ALS``/``ALS.``/``ALIAS``/``@``, and what follows it
    (both as written, trimmed). Only when a letter comes before the keyword: a name is never
    an alias alone (``"Alias Budi"`` stays whole).

    >>> strip_alias("Efendi als. Endi")
    ('Efendi', 'Endi')
    """
    if not isinstance(name, str):
        return "", ""
    for found in _ALIAS.finditer(name):
        before = name[: found.start()]
        if _HAS_LETTER.search(before):
            return before.strip(), name[found.end() :].strip()
    return name.strip(), ""


# --- spelling ---------------------------------------------------------------------------

#: A token in the old spelling: it has OE, DJ, TJ or SJ, or starts with NJ (modern
#: Indonesian writes none of these). In such a token every J is the old letter for Y.
_OLD_SPELLING = re.compile(r"OE|DJ|TJ|SJ|^NJ")
_OLD_LETTERS = re.compile(r"DJ|TJ|SJ|NJ|J")
_OLD_TO_NEW = {"DJ": "J", "TJ": "C", "SJ": "SY", "NJ": "NY", "J": "Y"}
#: Old spellings of names that show no other old letter: Jusuf, Junus, Jahja, Jakub, Jasin,
#: Johanes, Josef, Jonatan, Julia(na), Juni(arti), Jusnidar. Modern J is common (Joko, Jamal,
#: Jasril, Jufri), so only these stems are read as Y.
_OLD_J_STEMS = ("JUS", "JUNUS", "JULI", "JUNI", "JOH", "JOS", "JAKUB", "JAKOB", "JASIN", "JAHJA", "JAHYA", "JONAT")

#: The variant rules, applied in order until nothing changes. Each maps spellings found for
#: one sound to one of them (docs/names.md gives examples and risks).
_SPELLING: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"OE", "U"),  # Soewandi 1947: Noer, Soekarno
        (r"(.)\1+", r"\1"),  # doubled letters: Muhammad, Nurrahman, Effendi, Yetti
        (r"CHR", "KR"),  # Greek chi: Christina = Kristina
        (r"[CK]H", "H"),  # old CH and KH for Arabic kha: Chairul = Khairul = Hairul, Achmad = Ahmad
        (r"DH", "D"),  # Ramadhan = Ramadan, Ridho = Rido
        (r"DZ", "Z"),  # Hafidz = Hafiz, Dzulkifli = Zulkifli
        (r"TH", "T"),  # Fathir = Fatir, Thamrin = Tamrin
        (r"GH", "G"),  # Ghani = Gani
        (r"PH", "F"),  # Stephanus = Stefanus
        (r"S[HY]", "S"),  # Syafri = Safri, Shinta = Sinta, Aisyah = Aisah
        (r"Q", "K"),  # Taufiq = Taufik, Iqbal = Ikbal
        (r"X", "KS"),  # Alex = Aleks
        (r"V", "F"),  # Stevanus = Stefanus, Novi = Nofi
        (r"IY(?=[AEIOU])", "I"),  # Priyanto = Prianto, Zakiyah = Zakiah
        (r"(?<=[BCDFGJKLMPRSTVWXZ])Y", "I"),  # Rudy = Rudi, Suryani = Suriani (not NY, HY)
        (r"IE$", "I"),  # Syafrie = Syafri, Rudie = Rudi
        (r"Z$", "S"),  # Aziz = Azis, Hafiz = Hafis
    )
)


#: Matches where any rule above (or the old spelling) would change a token. The doubled-
#: letter pattern comes first, so its group is group 1.
_NEEDS_RESPELLING = re.compile("|".join([p.pattern for p, _ in _SPELLING] + [_OLD_SPELLING.pattern]))


def _respell(token: str) -> str:
    """One token (A-Z only) in the canonical spelling; idempotent."""
    for _ in range(8):  # converges in two or three rounds: every rule shortens or removes a letter
        old = _OLD_SPELLING.search(token) or token.startswith(_OLD_J_STEMS)
        if not old and not _NEEDS_RESPELLING.search(token):
            break
        if old:
            token = _OLD_LETTERS.sub(lambda m: _OLD_TO_NEW[m.group()], token)
        for pattern, replacement in _SPELLING:
            token = pattern.sub(replacement, token)
    return token


#: ``_respell``, cached: a file has far fewer distinct words than distinct names.
_spell = lru_cache(maxsize=1 << 16)(_respell)

#: Spellings and abbreviations of Muhammad (after _spell): MUHAMMAD, MOHAMMAD, MOCHAMMAD,
#: MOHAMED, MUHAMMAT, MHD, MUH, MOH, MOCH, MOHD ... Permendagri 73/2022 names MUH as the
#: abbreviation it forbids from 2022, so older records have it.
_MUHAMMAD = frozenset(
    {"MUHAMAD", "MOHAMAD", "MUHAMED", "MOHAMED", "MUHAMAT", "MOHAMAT", "MUHMAD", "MHMD", "MHD", "MUH", "MOH"}
    | {"MUHD", "MOHD", "MUHAMD", "MOHAMD"}
)
#: Abd al- before a sun letter assimilates: Abdurrahman = Abdul Rahman, Abdussalam = Abdul Salam.
_ABDU_ASSIMILATED = re.compile(r"ABDU([RSNZDT].*)")


def _expand(tokens: list[str]) -> list[str]:
    """Abbreviations and forms of Muhammad, Abdul, Siti and Nur, to one form each."""
    out: list[str] = []
    for i, token in enumerate(tokens):
        leading = i == 0 and len(tokens) > 1
        assimilated = _ABDU_ASSIMILATED.fullmatch(token)
        if token in _MUHAMMAD or (token == "M" and leading):
            out.append("MUHAMAD")  # "M. Rizki": an initial M before a name is Muhammad
        elif token == "ABD":
            out.append("ABDUL")
        elif assimilated:
            rest = assimilated.group(1)
            out += ["ABDUL", rest] if len(rest) > 2 else ["ABDUL"]
        elif token == "STI" or (token == "ST" and leading):
            out.append("SITI")  # "St. Aminah": ST before a name is Siti (after it, Sutan)
        elif token == "NOR":
            out.append("NUR")  # Noor, Nor, Noer, Nur
        else:
            out.append(token)
    return out


#: ``BIN``/``BINTI`` and the father's name after it (``AHMAD BIN YUSUF``): some lists (courts,
#: lapas, religious offices) add it; the register does not. Only after a word of the name.
_PATRONYM = re.compile(r"(?<=[A-Za-z.])\s+(?:BIN|BINTI)\s+\S.*$", re.IGNORECASE)


def strip_patronym(name: str) -> str:
    """The name without ``BIN``/``BINTI`` and the father's name after it.

    >>> strip_patronym("Ahmad bin Yusuf")
    'Ahmad'
    """
    return _PATRONYM.sub("", name).strip()


def _normalise_once(name: str | None) -> tuple[str, tuple[str, ...]]:
    core, titles = strip_titles(strip_patronym(strip_alias(name)[0]))
    # a one-letter word is an initial, not a word to respell (Z. stays Z: ZULHENDRI keeps its Z)
    return " ".join(_expand([_spell(t) if len(t) > 1 else t for t in core.split()])), titles


def _normalise(name: str | None) -> tuple[str, tuple[str, ...]]:
    """The normalised name and the titles found in the name as written."""
    result, titles = _normalise_once(name if isinstance(name, str) else None)
    for _ in range(16):
        again, _ = _normalise_once(result)
        if again == result:
            break
        result = again
    return result, titles


def normalise_name(name: str | None) -> str:
    """The name in one canonical form, for comparing names; tokens keep their order.

    An alias off (``strip_alias``: ``EFENDI ALS. ENDI`` is ``EFENDI``), titles off
    (``strip_titles``), then per token the spelling rules (``_SPELLING``: old
    spelling, doubled letters, CH/KH -> H, DH -> D, TH -> T, SY/SH -> S, Y -> I after a
    consonant, ...) and then ``_expand`` (Muhammad, Abdul, Siti, Nur). The whole is repeated
    until it no longer changes (a pass only removes words or rewrites spelling, so this
    ends), so ``normalise_name(normalise_name(x)) == normalise_name(x)``.

    >>> normalise_name("Hj. Noer Hayati, S.Pd.")
    'NUR HAYATI'
    >>> normalise_name("M. Rizky Ramadhan")
    'MUHAMAD RIZKI RAMADAN'

    The result is for matching, not for display: ``Chairul`` becomes ``HAIRUL``.
    """
    return _normalise(name)[0]


#: The two spelling rules that joining words can newly call for.
_DOUBLED = re.compile(r"(.)\1+")
_IY = re.compile(r"IY(?=[AEIOU])")


def _join(tokens: list[str]) -> str:
    return _IY.sub("I", _DOUBLED.sub(r"\1", "".join(tokens)))


def name_key(name: str | None) -> str:
    """The normalised name without spaces: merged and split words compare equal.

    ``Nur Hayati`` and ``Nurhayati`` give ``NURHAYATI``. At each join the two rules that a
    join can newly call for are applied again: a doubled letter collapses (``Nur Rahman``
    and ``Nurrahman`` give ``NURAHMAN``) and IY before a vowel becomes I (``Dwi Yanti`` and
    ``Dwiyanti`` give ``DWIANTI``). The other spelling rules are not: ``Taufik Hidayat``
    gives ``TAUFIKHIDAYAT``, not ``TAUFIHIDAYAT`` (KH -> H would lose the K for nothing, as
    nobody writes that name as one word). For an exact comparison level.
    """
    return _join(normalise_name(name).split())


def name_tokens(name: str | None) -> list[str]:
    """The normalised tokens, sorted: compares names whatever the order of their words."""
    return sorted(normalise_name(name).split())


def first_token(name: str | None) -> str:
    """The first normalised token (``""`` for no name). Often the given name."""
    tokens = normalise_name(name).split()
    return tokens[0] if tokens else ""


def last_token(name: str | None) -> str:
    """The last normalised token (``""`` for no name); for a single name, the name itself."""
    tokens = normalise_name(name).split()
    return tokens[-1] if tokens else ""


_SOUND_CLASSES = str.maketrans({"F": "P", "V": "P", "Z": "S", "Q": "K"})
_SOUND_DROPPED = re.compile(r"[AEIOUHWY]")


def _skeleton(key: str) -> str:
    if not key:
        return ""
    key = _DOUBLED.sub(r"\1", key.translate(_SOUND_CLASSES))
    head = "A" if key[0] in "AEIOU" else key[0]
    return head + _SOUND_DROPPED.sub("", key[1:])


def sound_key(name: str | None) -> str:
    """A consonant skeleton of ``name_key``, for blocking (deliberately loose).

    1. F, V -> P (Febri = Pebri, Fitri = Pitri); Z -> S (Zainal = Sainal, Rizki = Riski).
    2. Doubled letters collapse.
    3. The first letter stays, except that an initial vowel becomes A (Umar = Omar,
       Usman = Osman).
    4. After it, vowels and H, W, Y go: RAHMAT -> RMT, HASAN and HUSAIN -> HSN.

    Consonants that a vowel separated both stay (DEDI -> DD), so short names keep some
    letters. Names differing only in vowels share a key (Dedi, Dodi; Putra, Putri): that is
    intended for a block, and wrong for a match; compare ``normalise_name`` for that.
    """
    return _skeleton(name_key(name))


class NameColumns(NamedTuple):
    """Every comparison column for one name (see docs/names.md for their use in Splink)."""

    name_norm: str
    name_key: str
    name_tokens: list[str]
    first_token: str
    last_token: str
    sound_key: str
    sound_first: str  # sound key of the first token: a looser block (with the birth date)
    titles: tuple[str, ...]
    alias: str = ""  # the name after ALS./ALIAS/@, normalised (not compared; for review)
    #: the letters a word of the name starts with, as written and as respelled, sorted
    #: (NUR KHAIRUL: HKN): an initial K. is KHAIRUL's though the respelled word is HAIRUL
    initials: str = ""


def name_columns(name: str | None) -> NameColumns:
    """All the columns at once, normalising once: run it over the distinct names of a file."""
    norm, titles = _normalise(name)
    tokens = norm.split()
    key = _join(tokens)
    return NameColumns(
        name_norm=norm,
        name_key=key,
        name_tokens=sorted(tokens),
        first_token=tokens[0] if tokens else "",
        last_token=tokens[-1] if tokens else "",
        sound_key=_skeleton(key),
        sound_first=_skeleton(tokens[0]) if tokens else "",
        titles=titles,
        alias=normalise_name(strip_alias(name)[1]) if isinstance(name, str) else "",
        initials=_initials(name, tokens),
    )


def _initials(name: str | None, tokens: list[str]) -> str:
    """The first letters of the words of ``name`` as written (titles, alias and patronym
    off) and of its normalised ``tokens``, sorted, each once."""
    written = strip_titles(strip_patronym(strip_alias(name if isinstance(name, str) else None)[0]))[0]
    return "".join(sorted({w[0] for w in written.split() + tokens if w}))
