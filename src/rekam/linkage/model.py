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
u values describe a register of at least a kab/kota.

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


def _all_close(a: str, b: str, at: float = 0.85) -> str:
    """SQL: every token of list ``a`` has a token of ``b`` at Jaro-Winkler ``at`` or more, or
    one typing error away (TAFI for RAFI)."""
    close = f"jaro_winkler_similarity(x, y) >= {at} OR damerau_levenshtein(x, y) <= 1"
    return f"list_bool_and(list_transform({a}, lambda x: list_bool_or(list_transform({b}, lambda y: {close}))))"


#: The close-name levels also need each word of one name close to a word of the other:
#: AHMAD FAUZI and AHMAD FAISAL (twins) are close as strings (JW 0.90), not word by word.
_TOKENS_CLOSE = f"({_all_close('name_tokens_l', 'name_tokens_r')} OR {_all_close('name_tokens_r', 'name_tokens_l')})"

COMPARISONS: list[dict[str, Any]] = [
    {
        "name": "nik",
        "null": "nik_l IS NULL OR nik_r IS NULL",
        "levels": [
            ("nik_l = nik_r", "NIK sama", 0.70, 2e-7),
            ("levenshtein(nik_l, nik_r) = 1", "NIK beda satu angka", 0.10, 3e-5),
            ("ELSE", "NIK lain", 0.20, 1.0),
        ],
    },
    {
        "name": "nama",
        "null": "name_key_l IS NULL OR name_key_r IS NULL",
        "levels": [
            ("name_key_l = name_key_r", "nama sama", 0.62, 1e-5),
            ("list_sort(name_tokens_l) = list_sort(name_tokens_r)", "kata nama sama, urutan lain", 0.04, 1e-6),
            (
                "len(name_tokens_l) > 1 AND len(name_tokens_r) > 1 AND "
                "(list_has_all(name_tokens_l, name_tokens_r) OR list_has_all(name_tokens_r, name_tokens_l))",
                "nama satu memuat yang lain",
                0.08,
                1e-4,
            ),
            (
                f"jaro_winkler_similarity(name_norm_l, name_norm_r) >= 0.95 AND {_TOKENS_CLOSE}",
                "nama mirip",
                0.12,
                2e-5,
            ),
            (
                f"jaro_winkler_similarity(name_norm_l, name_norm_r) >= 0.88 AND {_TOKENS_CLOSE}",
                "nama agak mirip",
                0.07,
                5e-4,
            ),
            ("first_token_l = first_token_r", "nama depan sama", 0.03, 5e-3),
            ("ELSE", "nama lain", 0.01, 0.994),
        ],
        "tf_level": 0,
    },
    {
        "name": "tgl_lahir",
        "null": "birth_year_l IS NULL OR birth_year_r IS NULL",  # a year alone is compared
        "levels": [
            ("birth_date_l = birth_date_r AND NOT birth_default_l", "tanggal lahir sama", 0.74, 5e-5),
            ("birth_date_l = birth_date_r", "tanggal lahir sama (tanggal bawaan)", 0.04, 1e-3),
            ("birth_swapped_l = birth_date_r", "tanggal dan bulan tertukar", 0.03, 5e-5),
            (
                "birth_month_l = birth_month_r AND birth_day_l = birth_day_r AND abs(birth_year_l - birth_year_r) <= 2",
                "tanggal dan bulan sama, tahun beda <= 2",
                0.04,
                2e-4,
            ),
            ("birth_year_l = birth_year_r AND birth_month_l = birth_month_r", "tahun dan bulan sama", 0.03, 1.5e-3),
            ("birth_year_l = birth_year_r", "tahun sama", 0.07, 1.5e-2),
            ("abs(birth_year_l - birth_year_r) <= 2", "tahun beda <= 2", 0.03, 6e-2),
            ("ELSE", "tanggal lahir lain", 0.02, 0.92),
        ],
    },
    {
        "name": "jenis_kelamin",
        "null": "sex_l IS NULL OR sex_r IS NULL",
        "levels": [
            ("sex_l = sex_r", "jenis kelamin sama", 0.97, 0.5),
            ("ELSE", "jenis kelamin lain", 0.03, 0.5),
        ],
    },
    {
        "name": "alamat",
        "null": "desa_code_l IS NULL OR desa_code_r IS NULL",
        "levels": [
            ("desa_code_l = desa_code_r AND rw_l = rw_r AND rt_l = rt_r", "desa, RW dan RT sama", 0.45, 2e-4),
            ("desa_code_l = desa_code_r", "desa sama", 0.25, 2e-3),
            ("kec_code_l = kec_code_r", "kecamatan sama", 0.10, 2e-2),
            ("ELSE", "kecamatan lain", 0.20, 0.978),
        ],
    },
    {
        "name": "tempat_lahir",
        "null": "birth_place_norm_l IS NULL OR birth_place_norm_r IS NULL",
        "levels": [
            ("birth_place_norm_l = birth_place_norm_r", "tempat lahir sama", 0.70, 0.05),
            (
                "jaro_winkler_similarity(birth_place_norm_l, birth_place_norm_r) >= 0.9",
                "tempat lahir mirip",
                0.10,
                0.02,
            ),
            ("ELSE", "tempat lahir lain", 0.20, 0.93),
        ],
    },
]

#: Blocking rules: a pair is scored when it agrees on one of these. Wide on purpose (recall).
BLOCKING_RULES = [
    block_on("nik"),
    block_on("birth_date", "sex"),
    "l.birth_swapped = r.birth_date",
    block_on("sound_first", "birth_year"),
    block_on("name_key", "desa_code"),
    block_on("name_key", "birth_year"),
    # a year typed wrong, or the first name too
    block_on("birth_month", "birth_day", "desa_code"),
    block_on("first_token", "desa_code"),
    # a list with a NIK (one digit wrong, perhaps) and no birth date
    "l.name_key = r.name_key AND left(l.nik, 6) = left(r.nik, 6)",
    "l.sound_first = r.sound_first AND substr(l.nik, 7, 6) = substr(r.nik, 7, 6)",
]

#: The compared fields, in order; the one whose exact level is adjusted by name frequency.
FIELDS: tuple[str, ...] = tuple(c["name"] for c in COMPARISONS)
TF_COMPARISON = "nama"


def _comparison(spec: dict[str, Any]) -> dict[str, Any]:
    levels: list[dict[str, Any]] = [
        {"sql_condition": spec["null"], "label_for_charts": "kosong", "is_null_level": True}
    ]
    for i, (sql, label, m, u) in enumerate(spec["levels"]):
        level: dict[str, Any] = {
            "sql_condition": sql,
            "label_for_charts": label,
            "m_probability": m,
            "u_probability": u,
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
NAME_AGREES_BITS = 5.0


@dataclass(frozen=True)
class Thresholds:
    """The decision: match from ``match``, review from ``review``; a runner-up within
    ``ambiguity_bits`` of the best candidate's match weight sends the row to review."""

    match: float = 0.9
    review: float = 0.5
    ambiguity_bits: float = 5.0

    def __post_init__(self) -> None:
        if not 0 < self.review <= self.match < 1 + 1e-12:
            raise ValueError("need 0 < review threshold <= match threshold <= 1")
