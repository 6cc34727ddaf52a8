"""The linkage model: Splink settings, fixed priors, blocking, and the decision (issue #6).

A list row is compared with register rows that share a blocking key; each comparison gives
a level per field, each level a weight log2(m/u), and the sum plus the prior gives the
match probability (Fellegi-Sunter, as Splink computes it).

**Priors, not EM (this slice).** m and u are fixed from what is known of SIAK data and
outside lists (the numbers are in ``COMPARISONS``): u is the chance that two
*different* residents of a register of a kab/kota or more agree at that level, m the chance
that two records of the *same* resident do. EM on a list of a few hundred rows is unstable
(it converges to "same household" as easily as to "same person"); u by random sampling is
available (``train_u``) for registers of 10 000 rows or more. The name's exact level is
adjusted by the frequency of the name in the register itself (``tf_name_key``): a common
name is weaker evidence.

**The prior match probability** is ``match_rate / max(register rows, population)``: a list
row has at most one true record among the register rows. ``population`` (default 100 000)
keeps a small register, such as a test's, from making agreement on one field decisive: the
u values describe a register of at least a kab/kota. When u is estimated from the register
itself (``match.MIN_ROWS_U`` rows or more), ``match.link`` sets ``population`` to the
register's size: the model then describes that register (issue #18).

**The decision** (``match._decide_sql``): the best candidate per list row; ``match`` when its
probability reaches the match threshold, its name weighs ``NAME_AGREES_BITS`` or more, and no
other candidate is within ``ambiguity_bits`` of its match weight (twins sharing a birth date
and address score alike: review, never a guess); ``review`` from the review threshold; else
``no_match``. A wrong "not in register" is the costliest error, so blocking is wide
(``BLOCKING_RULES``) and review is preferred to no_match.

Each condition is symmetric in l and r (Splink may put either input on the left).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from splink import SettingsCreator, block_on

#: Each comparison: output name, null condition, and its levels (SQL condition, label, m, u),
#: most similar first, ELSE last.
#: u values are for a register of a kab/kota or more (see the module docstring).


def _and(*conds: str) -> str:
    """SQL AND that stops at the first false condition (a CASE: DuckDB evaluates both sides
    of an AND in a projection, and the later conditions here are the costly ones)."""
    whens = " ".join(f"WHEN NOT coalesce({c}, false) THEN false" for c in conds[:-1])
    return f"(CASE {whens} ELSE coalesce({conds[-1]}, false) END)"


def _or(*conds: str) -> str:
    """SQL OR that stops at the first true condition (see ``_and``)."""
    whens = " ".join(f"WHEN coalesce({c}, false) THEN true" for c in conds[:-1])
    return f"(CASE {whens} ELSE coalesce({conds[-1]}, false) END)"


def _typo(x: str, y: str, most: int = 1) -> str:
    """SQL: ``x`` and ``y`` at most ``most`` typing errors apart (Damerau-Levenshtein). Cheap
    necessary conditions first (measured: DL on every blocked pair costs more than all the
    other comparisons): the lengths, and Jaro-Winkler 0.7 (one error in a word of three
    letters or more leaves at least 0.77; two in four letters, 0.72)."""
    return _and(
        f"abs(length({x}) - length({y})) <= {most}",
        f"jaro_winkler_similarity({x}, {y}) >= 0.7",
        f"damerau_levenshtein({x}, {y}) <= {most}",
    )


#: Words compared one by one: the first ``_WORDS`` of each name (list indexing, not a lambda:
#: measured 5x faster on DuckDB). A word past them is not compared.
_WORDS = 4

#: The SQL macro (DuckDB) that says two words are close (``word_close_sql``). The name levels
#: call it 16 to 32 times each: written out, the five of them were 30,000-41,000 characters of
#: SQL each, which Splink parses with sqlglot four times per match (4-7 s of every match, most
#: of a small one's time). DuckDB expands a macro where it is called, so the query it runs is
#: the same; ``install`` defines it on a connection, ``spark.spark_sql`` writes it out for Spark.
WORD_CLOSE = "rekam_word_close"


def word_close_sql(x: str, y: str) -> str:
    """SQL: words ``x`` and ``y`` at Jaro-Winkler 0.85 or more, or one typing error apart
    (TAFI for RAFI), or two in words of six letters or more (ROSRNAN for ROSMAN: a scanned M
    read as RN)."""
    return _or(
        f"jaro_winkler_similarity({x}, {y}) >= 0.85",
        _typo(x, y),
        _and(f"least(length({x}), length({y})) >= 6", _typo(x, y, 2)),
    )


#: The macro's parameters (names no input column has).
WORD_CLOSE_PARAMS = ("rk_word_a", "rk_word_b")


def install(con: Any) -> None:
    """Define the model's SQL macro (``WORD_CLOSE``) on DuckDB connection ``con``, for this
    connection only; before Splink runs the model there."""
    a, b = WORD_CLOSE_PARAMS
    con.execute(f"CREATE OR REPLACE TEMP MACRO {WORD_CLOSE}({a}, {b}) AS {word_close_sql(a, b)}")


def _all_close(a: str, b: str) -> str:
    """SQL: every word of list ``a`` has a close word in ``b`` (``word_close_sql``)."""

    def word(i: int) -> str:
        close = (f"{WORD_CLOSE}({a}[{i}], {b}[{j}])" for j in range(1, _WORDS + 1))
        return _or(f"array_length({a}) < {i}", *close)

    return _and(*(word(i) for i in range(1, _WORDS + 1)))


#: The close-name levels also need each word of one name close to a word of the other:
#: AHMAD FAUZI and AHMAD FAISAL (twins) are close as strings (JW 0.90), not word by word.
_TOKENS_CLOSE = _or(_all_close("name_tokens_l", "name_tokens_r"), _all_close("name_tokens_r", "name_tokens_l"))
#: Every word of each name close to a word of the other: the same words, typed with errors,
#: in any order (SAFIRI YUNITA for YUNITA SAFITRI).
_SAME_WORDS_CLOSE = _and(_all_close("name_tokens_l", "name_tokens_r"), _all_close("name_tokens_r", "name_tokens_l"))
_SHORTER_KEY = "least(length(name_key_l), length(name_key_r))"
#: A list that drops a name (RAFI for RAFI SETIAWAN) or adds one keeps the other's words.
_CONTAINS = "(list_has_all(name_tokens_l, name_tokens_r) OR list_has_all(name_tokens_r, name_tokens_l))"


def _initials(a: str, b: str, close: bool = False) -> str:
    """SQL: side ``a``'s name (``l`` or ``r``) writes a word of side ``b``'s as its initial
    (RAHMAT H. for RAHMAT HIDAYAT): ``a`` has a one-letter word, its other words are words of
    ``b``, and each initial is the first letter of a word of ``b`` that ``a`` does not have,
    or of one of ``b``'s words as written (``name_initials``: K. for KHAIRUL, respelled
    HAIRUL). With ``close``, ``a``'s other words need only be close to words of ``b``
    (``_all_close``: MSRULI P. for MARULI PANJAITAN), and an initial may be any word's of
    ``b``. Sound-alike spellings are the other levels' (MHD, M. and MUH. are
    MUHAMMAD already: ``domain.names``)."""
    ta, tb = f"name_tokens_{a}", f"name_tokens_{b}"
    words = f"list_filter({ta}, lambda x: length(x) > 1)"
    rest = tb if close else f"list_filter({tb}, lambda y: NOT list_contains({ta}, y))"
    letters = (
        f"list_concat(list_transform({rest}, lambda y: left(y, 1)), string_split(coalesce(name_initials_{b}, ''), ''))"
    )
    return _and(
        f"list_contains(list_transform({ta}, lambda x: length(x)), 1)",
        f"array_length({ta}) > 1 AND array_length({ta}) <= array_length({tb})",
        _all_close(words, tb) if close else f"list_has_all({tb}, {words})",
        f"list_has_all({letters}, list_filter({ta}, lambda x: length(x) = 1))",
    )


def _level(sql: str, label: str, m: float, u: float, *, fix_u: bool = False) -> tuple[str, str, float, float, bool]:
    return (sql, label, m, u, fix_u)


#: The two records place the person in different desa (by code, or by a name far from the
#: other's): the street, dusun and kode pos are then not compared. They follow the desa, so
#: a person who moved would be counted as moved once per part (Fellegi-Sunter's independence
#: does not hold between the parts of one address), and "alamat" has counted it already.
_ELSEWHERE = (
    "(desa_code_l <> desa_code_r"
    " OR (desa_code_l IS NULL OR desa_code_r IS NULL) AND jaro_winkler_similarity(locality_l, locality_r) < 0.8)"
)

COMPARISONS: list[dict[str, Any]] = [
    {
        "name": "nik",
        "null": "nik_l IS NULL OR nik_r IS NULL",
        "levels": [
            # Too rare for random sampling to see: u fixed (a register holds each NIK once).
            _level("nik_l = nik_r", "NIK sama", 0.70, 2e-7, fix_u=True),
            # one digit off: one half of the NIK is whole (checked first: cheap)
            _level(
                _and(
                    "left(nik_l, 8) = left(nik_r, 8) OR right(nik_l, 8) = right(nik_r, 8)",
                    "levenshtein(nik_l, nik_r) = 1",
                ),
                "NIK beda satu angka",
                0.10,
                3e-5,
                fix_u=True,
            ),
            _level("ELSE", "NIK lain", 0.20, 1.0, fix_u=True),
        ],
    },
    {
        "name": "nama",
        "null": "name_key_l IS NULL OR name_key_r IS NULL",
        "levels": [
            _level("name_key_l = name_key_r", "nama sama", 0.62, 1e-5),
            _level(
                "list_sort(name_tokens_l) = list_sort(name_tokens_r)",
                "kata nama sama, urutan lain",
                0.03,
                1e-6,
                fix_u=True,
            ),
            _level(_and(f"{_SHORTER_KEY} >= 5", _typo("name_key_l", "name_key_r")), "nama beda satu huruf", 0.08, 2e-5),
            _level(
                f"array_length(name_tokens_l) > 1 AND array_length(name_tokens_r) > 1 AND {_CONTAINS}",
                "nama satu memuat yang lain",
                0.06,
                1e-4,
            ),
            # a form's field cut the name short (PARLINDUNGAN HA for PARLINDUNGAN HARAHAP)
            _level(
                "least(length(name_norm_l), length(name_norm_r)) >= 14"
                " AND (starts_with(name_norm_l, name_norm_r) OR starts_with(name_norm_r, name_norm_l))",
                "nama terpotong",
                0.02,
                5e-5,
                fix_u=True,
            ),
            _level(
                _or(_initials("l", "r"), _initials("r", "l")),
                "nama dengan inisial (RAHMAT H.)",
                0.04,
                2e-5,
                fix_u=True,
            ),
            _level(
                _or(_initials("l", "r", close=True), _initials("r", "l", close=True)),
                "nama dengan inisial, kata lain mirip (MSRULI P.)",
                0.03,
                1e-4,
                fix_u=True,
            ),
            _level(
                _and("jaro_winkler_similarity(name_norm_l, name_norm_r) >= 0.95", _TOKENS_CLOSE),
                "nama mirip",
                0.05,
                2e-5,
            ),
            _level(_SAME_WORDS_CLOSE, "kata nama mirip, urutan mana saja", 0.03, 1e-4),
            _level(_CONTAINS, "nama tunggal ada di nama lain", 0.04, 1e-3),
            _level(
                _and("jaro_winkler_similarity(name_norm_l, name_norm_r) >= 0.88", _TOKENS_CLOSE),
                "nama agak mirip",
                0.03,
                5e-4,
            ),
            _level(_TOKENS_CLOSE, "kata nama satu mirip kata nama lain", 0.03, 3e-3),
            _level(
                _and(f"{_SHORTER_KEY} >= 4", _typo("name_key_l", "name_key_r", 2)),
                "nama beda dua huruf",
                0.02,
                1e-2,
            ),
            _level("first_token_l = first_token_r", "nama depan sama", 0.01, 5e-3, fix_u=True),
            _level("ELSE", "nama lain", 0.01, 0.99),
        ],
        "tf_level": 0,
    },
    {
        "name": "tgl_lahir",
        "null": "birth_year_l IS NULL OR birth_year_r IS NULL",  # a year alone is compared
        "levels": [
            _level("birth_date_l = birth_date_r AND NOT birth_default_l", "tanggal lahir sama", 0.74, 5e-5),
            # 1 Jan, 1 Jul, 31 Dec: a list writes them for an unknown date; random sampling
            # sees too few to weigh them, and they are weak evidence.
            _level("birth_date_l = birth_date_r", "tanggal lahir sama (tanggal bawaan)", 0.01, 1e-5, fix_u=True),
            _level("birth_swapped_l = birth_date_r", "tanggal dan bulan tertukar", 0.03, 5e-5),
            _level(
                "birth_month_l = birth_month_r AND birth_day_l = birth_day_r AND (abs(birth_year_l - birth_year_r) <= 2"
                " OR levenshtein(CAST(birth_year_l AS VARCHAR), CAST(birth_year_r AS VARCHAR)) = 1)",
                "tanggal dan bulan sama, tahun beda <= 2 atau satu angka",
                0.04,
                2e-4,
            ),
            # a default date or a year alone on one side: only the year can agree. How often a
            # list writes one is the list's own (lapas: 20-30 %), and random sampling would
            # weigh the level by it; m and u are both fixed for a 5 % share, so the weight is
            # the year's own evidence, log2(0.95 / 0.0125): a register spans ~80 birth years.
            _level(
                "(birth_default_l OR birth_default_r OR birth_date_l IS NULL OR birth_date_r IS NULL) "
                "AND birth_year_l = birth_year_r",
                "tanggal tidak diketahui, tahun sama",
                0.05 * 0.95,
                0.05 * 0.0125,
                fix_u=True,
            ),
            _level(
                "birth_year_l = birth_year_r AND birth_month_l = birth_month_r", "tahun dan bulan sama", 0.02, 1.5e-3
            ),
            _level("birth_year_l = birth_year_r", "tahun sama", 0.04, 1.5e-2),
            _level("abs(birth_year_l - birth_year_r) <= 2", "tahun beda <= 2", 0.03, 6e-2),
            _level("ELSE", "tanggal lahir lain", 0.02, 0.92),
        ],
    },
    {
        "name": "jenis_kelamin",
        "null": "sex_l IS NULL OR sex_r IS NULL",
        "levels": [
            _level("sex_l = sex_r", "jenis kelamin sama", 0.97, 0.5),
            _level("ELSE", "jenis kelamin lain", 0.03, 0.5),
        ],
    },
    {
        "name": "alamat",
        # the desa as a code on both sides, else its name (a list whose desa could not be placed)
        "null": "(desa_code_l IS NULL OR desa_code_r IS NULL) AND (locality_l IS NULL OR locality_r IS NULL)",
        "levels": [
            _level("desa_code_l = desa_code_r AND rw_l = rw_r AND rt_l = rt_r", "desa, RW dan RT sama", 0.45, 2e-4),
            _level("desa_code_l = desa_code_r", "desa sama", 0.25, 2e-3),
            _level("locality_l = locality_r", "nama desa/kelurahan sama", 0.30, 2e-3),
            _level(
                _and("locality_l IS NOT NULL", _typo("locality_l", "locality_r")),
                "nama desa/kelurahan beda satu huruf",
                0.10,
                2e-4,
            ),
            _level("kec_code_l = kec_code_r", "kecamatan sama", 0.10, 2e-2),
            _level("ELSE", "kecamatan lain", 0.20, 0.978),
        ],
    },
    {
        "name": "jalan",
        "null": f"street_l IS NULL OR street_r IS NULL OR {_ELSEWHERE}",
        "levels": [
            _level("street_l = street_r AND house_no_l = house_no_r", "jalan dan nomor rumah sama", 0.50, 1e-4),
            _level(
                _and("house_no_l = house_no_r", _typo("street_l", "street_r")),
                "jalan beda satu huruf, nomor rumah sama",
                0.12,
                2e-5,
            ),
            _level("street_l = street_r", "jalan sama", 0.12, 2e-3),
            _level(
                _or(_typo("street_l", "street_r"), "jaro_winkler_similarity(street_l, street_r) >= 0.92"),
                "jalan mirip",
                0.08,
                1e-3,
            ),
            _level("house_no_l = house_no_r", "nomor rumah sama", 0.05, 0.02),
            _level("ELSE", "jalan lain", 0.13, 0.977),
        ],
    },
    {
        "name": "dusun",
        "null": f"dusun_l IS NULL OR dusun_r IS NULL OR {_ELSEWHERE}",
        "levels": [
            _level("dusun_l = dusun_r", "dusun/jorong sama", 0.70, 0.02),
            _level(_typo("dusun_l", "dusun_r"), "dusun/jorong beda satu huruf", 0.10, 2e-3),
            _level("ELSE", "dusun/jorong lain", 0.20, 0.978),
        ],
    },
    {
        "name": "kode_pos",
        "null": f"postcode_l IS NULL OR postcode_r IS NULL OR {_ELSEWHERE}",
        "levels": [
            _level("postcode_l = postcode_r", "kode pos sama", 0.85, 0.03),
            _level(
                "length(postcode_l) = length(postcode_r) AND levenshtein(postcode_l, postcode_r) = 1",
                "kode pos beda satu angka",
                0.05,
                0.02,
            ),
            _level("ELSE", "kode pos lain", 0.10, 0.95),
        ],
    },
    {
        "name": "nomor_lain",
        # another personal number both lists carry; too rare for random sampling to see equal
        "null": "person_no_l IS NULL OR person_no_r IS NULL",
        "levels": [
            _level("person_no_l = person_no_r", "nomor identitas lain sama", 0.80, 1e-6, fix_u=True),
            _level(_typo("person_no_l", "person_no_r"), "nomor identitas lain beda satu angka", 0.10, 1e-5, fix_u=True),
            _level("ELSE", "nomor identitas lain beda", 0.10, 1.0, fix_u=True),
        ],
    },
    {
        "name": "tempat_lahir",
        "null": "birth_place_norm_l IS NULL OR birth_place_norm_r IS NULL",
        "levels": [
            _level("birth_place_norm_l = birth_place_norm_r", "tempat lahir sama", 0.70, 0.05),
            _level(
                _or(
                    "jaro_winkler_similarity(birth_place_norm_l, birth_place_norm_r) >= 0.9",
                    _typo("birth_place_norm_l", "birth_place_norm_r"),
                ),
                "tempat lahir mirip",
                0.10,
                0.02,
            ),
            _level("ELSE", "tempat lahir lain", 0.20, 0.93),
        ],
    },
]

#: The names have something in common: a word at either end, a Jaro-Winkler of 0.7 on the
#: name key or on the sorted words joined, or of 0.8 on the first words. Blocking rules that do not compare the name keep
#: only such pairs: every name level above "nama lain" needs it, and at 5.8 M register rows
#: one birth date and sex give ~120 candidates a list row (measured 12.4 M pairs for 100,000
#: rows; 1.2 M with this).
NAMES_OVERLAP = (
    "(l.first_token = r.first_token OR l.last_token = r.last_token OR l.first_token = r.last_token"
    " OR l.last_token = r.first_token OR jaro_winkler_similarity(l.name_key, r.name_key) >= 0.7"
    " OR jaro_winkler_similarity(l.name_sorted, r.name_sorted) >= 0.7"
    " OR jaro_winkler_similarity(l.first_token, r.first_token) >= 0.8)"
)

#: The sexes agree, or one side does not give it (a list without the column).
_SEX_AGREES = "(l.sex = r.sex OR l.sex IS NULL OR r.sex IS NULL)"

#: Blocking rules: a pair is scored when it agrees on one of these. Wide for recall, narrow
#: enough for 100,000 list rows against 5.8 M register rows (pair counts: benchmarks/README.md).
#: Each is symmetric in l and r, or comes in both directions.
BLOCKING_RULES = [
    block_on("nik"),
    f"l.birth_date = r.birth_date AND {_SEX_AGREES} AND {NAMES_OVERLAP}",
    f"l.birth_swapped = r.birth_date AND {_SEX_AGREES} AND {NAMES_OVERLAP}",
    f"r.birth_swapped = l.birth_date AND {_SEX_AGREES} AND {NAMES_OVERLAP}",
    block_on("name_key", "desa_code"),
    block_on("name_key", "birth_year", "kec_code"),
    # the name typed wrong and the day or month too, at home
    f"l.sound_first = r.sound_first AND l.birth_year = r.birth_year AND l.kec_code = r.kec_code AND {_SEX_AGREES}",
    # a year typed wrong, or the first name too
    f"l.birth_month = r.birth_month AND l.birth_day = r.birth_day AND l.desa_code = r.desa_code AND {NAMES_OVERLAP}",
    "l.first_token = r.first_token AND l.desa_code = r.desa_code AND abs(l.birth_year - r.birth_year) <= 2",
    # two words in the other order (SIREGAR POLTAK)
    "l.first_token = r.last_token AND l.last_token = r.first_token AND l.first_token <> l.last_token"
    " AND abs(l.birth_year - r.birth_year) <= 2",
    # the year wrong and the address moved; the day wrong and the address moved
    block_on("name_key", "birth_month", "birth_day"),
    block_on("name_key", "birth_year", "birth_month"),
    # a default date or a year alone (1 Jul 2007, 2007) and a name typed wrong: the desa and year
    "l.birth_default AND l.desa_code = r.desa_code AND l.birth_year = r.birth_year",
    "r.birth_default AND l.desa_code = r.desa_code AND l.birth_year = r.birth_year",
    "l.birth_date IS NULL AND l.desa_code = r.desa_code AND l.birth_year = r.birth_year",
    "r.birth_date IS NULL AND l.desa_code = r.desa_code AND l.birth_year = r.birth_year",
    # ... and the address moved, or no desa on the list: the name and the year
    "(l.birth_default OR l.birth_date IS NULL OR l.desa_code IS NULL) AND l.name_key = r.name_key"
    " AND l.birth_year = r.birth_year",
    "(r.birth_default OR r.birth_date IS NULL OR r.desa_code IS NULL) AND l.name_key = r.name_key"
    " AND l.birth_year = r.birth_year",
    # a NIK with one digit wrong (no birth date, perhaps): the first 12 or the last 10 digits
    "left(l.nik, 12) = left(r.nik, 12)",
    f"right(l.nik, 10) = right(r.nik, 10) AND {NAMES_OVERLAP}",
    # what else both lists may carry: another personal number, a street and house number, the
    # desa's name (not placed as a code), the name alone where neither side has a desa
    block_on("person_no"),
    block_on("street", "house_no"),  # a household at most
    "l.birth_date = r.birth_date AND l.postcode = r.postcode",
    f"l.locality = r.locality AND {NAMES_OVERLAP}",
    "l.postcode = r.postcode AND l.sound_first = r.sound_first AND l.birth_year = r.birth_year",
    "l.desa_code IS NULL AND l.name_key = r.name_key",
    "r.desa_code IS NULL AND l.name_key = r.name_key",
    # no birth date at all (not even a year): the name's sound (the address moved too), the
    # words in any order, or a name that overlaps at home
    # (one rule per side, so that the engine filters that side before the join)
    *(
        rule
        for a in ("l", "r")
        for rule in (
            f"{a}.birth_year IS NULL AND l.sound_key = r.sound_key AND {_SEX_AGREES}",
            f"{a}.birth_year IS NULL AND l.name_sorted = r.name_sorted",
            f"{a}.birth_year IS NULL AND l.desa_code = r.desa_code AND {NAMES_OVERLAP}",
        )
    ),
]

#: The compared fields, in order; the one whose exact level is adjusted by name frequency.
FIELDS: tuple[str, ...] = tuple(c["name"] for c in COMPARISONS)
TF_COMPARISON = "nama"


def _comparison(spec: dict[str, Any]) -> dict[str, Any]:
    levels: list[dict[str, Any]] = [
        {"sql_condition": spec["null"], "label_for_charts": "kosong", "is_null_level": True}
    ]
    for i, (sql, label, m, u, *fixed) in enumerate(spec["levels"]):  # (sql, label, m, u[, fix_u])
        fix_u = bool(fixed and fixed[0])
        level: dict[str, Any] = {
            "sql_condition": sql,
            "label_for_charts": label,
            "m_probability": m,
            "u_probability": u,
            "fix_u_probability": fix_u,
        }
        if i == spec.get("tf_level", -1):
            level |= {"tf_adjustment_column": "name_key", "tf_adjustment_weight": 1.0}
        levels.append(level)
    return {"output_column_name": spec["name"], "comparison_levels": levels}


def settings(prior: float) -> SettingsCreator:
    """Splink settings for linking a list (left) to the register (right)."""
    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=prior,
        comparisons=[_comparison(c) for c in COMPARISONS],
        blocking_rules_to_generate_predictions=BLOCKING_RULES,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,
    )


def prior(register_rows: int, match_rate: float = 0.9, population: int = 100_000) -> float:
    """The prior that a random (list row, register row) pair is the same person."""
    return match_rate / max(register_rows, population, 1)


#: A ``match`` needs the name's own weight at least this (a close name or better): the
#: other fields of twins, or of a household's members born on one day, agree as strongly as
#: a true match's, and Fellegi-Sunter's independence does not hold for them.
NAME_AGREES_BITS = 2.0
#: The fields whose weight counts as the person's own (``NAME_AGREES_BITS``): a name that
#: lost a word, with the same other personal number (FEBRL's soc_sec_id), is still that person.
PERSONAL_FIELDS: tuple[str, ...] = ("nik", "nama", "nomor_lain")


@dataclass(frozen=True)
class Thresholds:
    """The decision: match from ``match``, review from ``review``; a runner-up within
    ``ambiguity_bits`` of the best candidate's match weight sends the row to review."""

    match: float = 0.9
    #: low on purpose: a wrong "not in register" is the costliest error, and a row between
    #: 0.2 and 0.5 is a present person as often as not (benchmarks/README.md, linkage)
    review: float = 0.2
    ambiguity_bits: float = 5.0

    def __post_init__(self) -> None:
        if not 0 < self.review <= self.match < 1 + 1e-12:
            raise ValueError("need 0 < review threshold <= match threshold <= 1")
