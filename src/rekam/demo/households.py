"""Households (KK) and their members: size, relationship, age, sex and marital status.

Everything is drawn per household and broadcast to members with numpy; there is no loop per
person. The model (assumption, tuned to the Sumatera Barat targets in calibration.py):

- KK size 1..8 (HOUSEHOLD_SIZE_P). Size 1 is a single person: a young unmarried adult, an
  elderly widow(er) or a middle-aged divorced person.
- Larger KK are a couple family (KEPALA KELUARGA + ISTRI (or SUAMI when a woman heads it) +
  ANAK, sometimes with an ORANGTUA/MERTUA or FAMILI LAIN), a single parent with ANAK, or three
  generations (KEPALA + ISTRI + a married ANAK + MENANTU + CUCU).
- Children's ages: the youngest child's age, plus a gap of 1.2-5 years per older sibling; the
  mother had her first child at about 25.5 (N(25.5, 4.5), 17-40); the husband is ~4.5 years
  older (N(4.5, 3.5)).
- A few young wives are 16 (married under 17).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from . import calibration, codes
from .dates import NONE, add_years

SINGLE, COUPLE, SINGLE_PARENT, THREE_GEN = 0, 1, 2, 3
DAYS_PER_YEAR = 365.2425

# Youngest child's age: scale * U**power (skewed towards small children).
_YOUNGEST_COUPLE = (24.0, 1.15)
_YOUNGEST_SINGLE_PARENT = (30.0, 0.9)
P_CHILD_BRIDE = 0.012  # of young childless couples: the wife is 16
P_ORANGTUA = 0.12  # couple families of 3+: one slot is a parent (in-law)
P_FAMILI_LAIN = 0.04  # couple families of 3+: one slot is another relative
P_FEMALE_HEAD_COUPLE = 0.03  # woman heads the KK, husband listed as SUAMI
P_FEMALE_HEAD_SINGLE_PARENT = 0.78


@dataclass
class Members:
    """Per-person arrays, in household order (head first)."""

    hh: np.ndarray  # household index
    slot: np.ndarray  # position within the household
    role: np.ndarray  # STAT_HBKEL code
    sex: np.ndarray  # 1 / 2
    dob: np.ndarray  # day number
    marital: np.ndarray  # STAT_KWN code
    tgl_kwn: np.ndarray  # day number or NONE
    inherits_family_name: np.ndarray  # bool

    def take(self, idx: np.ndarray) -> Members:
        return Members(**{f.name: getattr(self, f.name)[idx] for f in fields(self)})


@dataclass
class Households:
    desa: np.ndarray  # index into the kab/kota's desa list
    size: np.ndarray
    kind: np.ndarray
    start: np.ndarray  # index of the head in Members


def allocate_households(
    rng: np.random.Generator, n_desa: int, n_target: int, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Household desa index and size, with every desa holding at least 3 residents."""
    p = np.asarray(calibration.HOUSEHOLD_SIZE_P, dtype=np.float64)
    p = p / p.sum()
    mean_size = float((np.arange(1, 9) * p).sum())
    n_households = max(int(round(n_target / mean_size)), n_desa)
    per_desa = 1 + rng.multinomial(n_households - n_desa, weights / weights.sum())
    desa = np.repeat(np.arange(n_desa, dtype=np.int32), per_desa)
    size = rng.choice(8, size=n_households, p=p).astype(np.int64) + 1
    first = np.cumsum(per_desa) - per_desa
    totals = np.add.reduceat(size, first)
    size[first] += np.maximum(3 - totals, 0)
    return desa, size


def _uniform(rng: np.random.Generator, lo: float, hi: float, n: int) -> np.ndarray:
    return lo + (hi - lo) * rng.random(n)


def build_members(
    rng: np.random.Generator, size: np.ndarray, as_of_day: int, male_share: float
) -> tuple[np.ndarray, np.ndarray, Members]:
    """Household kind, head index and members for households of the given sizes."""
    n_hh = len(size)
    # --- household kind -------------------------------------------------------------------
    u = rng.random(n_hh)
    kind = np.full(n_hh, COUPLE, dtype=np.int8)
    for s_lo, (p_couple, p_single_parent, _p_three) in calibration.HOUSEHOLD_TYPE_P.items():
        mask = size >= s_lo
        kind[mask] = np.where(
            u[mask] < p_couple, COUPLE, np.where(u[mask] < p_couple + p_single_parent, SINGLE_PARENT, THREE_GEN)
        )
    kind[size == 1] = SINGLE

    has_ortu = (kind == COUPLE) & (size >= 3) & (rng.random(n_hh) < P_ORANGTUA)
    has_famili = (kind == COUPLE) & (size >= 3) & ~has_ortu & (rng.random(n_hh) < P_FAMILI_LAIN)
    n_children = np.where(
        kind == COUPLE,
        size - 2 - has_ortu - has_famili,
        np.where(kind == SINGLE_PARENT, size - 1, np.where(kind == THREE_GEN, size - 4, 0)),
    )

    # --- persons ----------------------------------------------------------------------------
    n = int(size.sum())
    start = np.cumsum(size) - size
    hh = np.repeat(np.arange(n_hh, dtype=np.int64), size)
    slot = np.arange(n, dtype=np.int64) - start[hh]
    k = kind[hh]
    last = slot == size[hh] - 1

    role = np.full(n, codes.ANAK, dtype=np.int8)
    role[slot == 0] = codes.KEPALA_KELUARGA
    spouse_slot = (slot == 1) & ((k == COUPLE) | (k == THREE_GEN))
    role[spouse_slot] = codes.ISTRI
    role[(k == THREE_GEN) & (slot == 3)] = codes.MENANTU
    role[(k == THREE_GEN) & (slot >= 4)] = codes.CUCU
    ortu = has_ortu[hh] & last
    is_mertua = rng.random(n) < 0.45
    role[ortu] = np.where(is_mertua[ortu], codes.MERTUA, codes.ORANGTUA)
    role[has_famili[hh] & last] = codes.FAMILI_LAIN

    # child rank among the "children" slots (ANAK in couple/single-parent, CUCU in three-gen)
    child = ((role == codes.ANAK) & (k != THREE_GEN)) | (role == codes.CUCU)
    first_child_slot = np.where(k == COUPLE, 2, np.where(k == SINGLE_PARENT, 1, 4))[child]
    rank = slot[child] - first_child_slot
    child_hh = hh[child]

    # gaps between siblings; suffix sums give each child's age above the youngest
    gap = _uniform(rng, 1.2, 5.0, len(rank))
    gap_after = _suffix_after(child_hh, gap)
    youngest = np.zeros(n_hh)
    s_c, p_c = _YOUNGEST_COUPLE
    s_p, p_p = _YOUNGEST_SINGLE_PARENT
    youngest_draw = rng.random(n_hh)
    youngest[:] = np.where(kind == SINGLE_PARENT, s_p * youngest_draw**p_p, s_c * youngest_draw**p_c)
    three = kind == THREE_GEN
    youngest[three] = _uniform(rng, 0.0, 6.0, int(three.sum()))
    child_age = youngest[child_hh] + gap_after
    eldest = youngest.copy()
    np.maximum.at(eldest, child_hh, child_age)

    # --- ages of the adults -------------------------------------------------------------------
    first_birth = np.clip(rng.normal(25.5, 4.5, n_hh), 17.0, 40.0)
    husband_gap = np.clip(rng.normal(4.5, 3.5, n_hh), -4.0, 20.0)
    mother = eldest + first_birth  # families with children
    no_kids = (kind == COUPLE) & (n_children == 0)
    young_couple = rng.random(n_hh) < 0.35
    mother[no_kids] = np.where(
        young_couple[no_kids],
        _uniform(rng, 18.5, 33.0, int(no_kids.sum())),
        _uniform(rng, 52.0, 86.0, int(no_kids.sum())),
    )
    child_bride = no_kids & young_couple & (rng.random(n_hh) < P_CHILD_BRIDE)
    mother[child_bride] = _uniform(rng, 16.02, 16.98, int(child_bride.sum()))
    husband_gap[child_bride] = _uniform(rng, 3.0, 9.0, int(child_bride.sum()))
    # three generations: the married child is the parent of the grandchildren
    married_child = np.maximum(_uniform(rng, 24.0, 40.0, n_hh), eldest + 19.0)
    head_three = married_child + _uniform(rng, 22.0, 34.0, n_hh) + np.maximum(husband_gap, 0)

    wife = np.minimum(mother, 88.0)
    head = np.maximum(wife + husband_gap, 18.5)
    head = np.where(three, head_three, head)
    wife = np.where(three, np.maximum(head_three - husband_gap, married_child + 17.0), wife)

    # single person households
    single = kind == SINGLE
    mix = rng.random(n_hh)
    single_young = single & (mix < 0.36)
    single_old = single & (mix >= 0.36) & (mix < 0.91)
    single_mid = single & (mix >= 0.91)
    head[single_young] = _uniform(rng, 19.0, 45.0, int(single_young.sum()))
    head[single_old] = 58.0 + 38.0 * rng.beta(1.5, 2.2, int(single_old.sum()))
    head[single_mid] = _uniform(rng, 28.0, 60.0, int(single_mid.sum()))
    single_parent = kind == SINGLE_PARENT
    head[single_parent] = np.minimum(eldest + first_birth, 92.0)[single_parent]
    head = np.minimum(head, 98.0)

    age = np.zeros(n)
    age[slot == 0] = head
    age[spouse_slot] = wife[hh[spouse_slot]]
    age[child] = child_age
    anak3 = (k == THREE_GEN) & (slot == 2)
    age[anak3] = married_child[hh[anak3]]
    menantu = role == codes.MENANTU
    age[menantu] = np.maximum(married_child[hh[menantu]] + rng.normal(-1.0, 3.0, int(menantu.sum())), 18.0)
    age[ortu] = np.minimum(np.maximum(head, wife)[hh[ortu]] + _uniform(rng, 20.0, 32.0, int(ortu.sum())), 99.0)
    famili = role == codes.FAMILI_LAIN
    age[famili] = _uniform(rng, 6.0, 45.0, int(famili.sum()))

    # --- sex ----------------------------------------------------------------------------------
    sex = np.zeros(n, dtype=np.int8)
    female_head = np.where(
        kind == SINGLE_PARENT,
        rng.random(n_hh) < P_FEMALE_HEAD_SINGLE_PARENT,
        np.where(
            kind == SINGLE,
            rng.random(n_hh) < np.where(single_old, 0.70, np.where(single_young, 0.45, 0.50)),
            rng.random(n_hh) < P_FEMALE_HEAD_COUPLE,
        ),
    )
    head_mask = slot == 0
    sex[head_mask] = np.where(female_head, codes.PEREMPUAN, codes.LAKI_LAKI)
    spouse_female = spouse_slot & ~female_head[hh]
    sex[spouse_slot] = np.where(spouse_female[spouse_slot], codes.PEREMPUAN, codes.LAKI_LAKI)
    role[spouse_slot & female_head[hh]] = codes.SUAMI
    son_married = rng.random(n_hh) < 0.6
    sex[anak3] = np.where(son_married[hh[anak3]], codes.LAKI_LAKI, codes.PEREMPUAN)
    sex[menantu] = np.where(son_married[hh[menantu]], codes.PEREMPUAN, codes.LAKI_LAKI)
    sex[ortu] = np.where(rng.random(int(ortu.sum())) < 0.75, codes.PEREMPUAN, codes.LAKI_LAKI)
    free = sex == 0
    # the kab/kota's L/P split, met in expectation
    males_fixed = float((sex == codes.LAKI_LAKI).sum())
    p_male = np.clip((male_share * n - males_fixed) / max(int(free.sum()), 1), 0.40, 0.60)
    sex[free] = np.where(rng.random(int(free.sum())) < p_male, codes.LAKI_LAKI, codes.PEREMPUAN)

    # --- dates of birth -----------------------------------------------------------------------
    dob = as_of_day - np.floor(age * DAYS_PER_YEAR).astype(np.int64) - 1

    # --- marital status -----------------------------------------------------------------------
    marital = np.full(n, codes.BELUM_KAWIN, dtype=np.int8)
    couple_adult = (head_mask & ((k == COUPLE) | (k == THREE_GEN))) | spouse_slot | menantu | anak3
    marital[couple_adult] = codes.KAWIN
    r = rng.random(n)
    sy = head_mask & single_young[hh]
    marital[sy] = np.where(r[sy] < 0.02, codes.CERAI_HIDUP, codes.BELUM_KAWIN)
    so = head_mask & single_old[hh]
    marital[so] = np.where(r[so] < 0.80, codes.CERAI_MATI, np.where(r[so] < 0.87, codes.CERAI_HIDUP, codes.BELUM_KAWIN))
    sm = head_mask & single_mid[hh]
    marital[sm] = np.where(r[sm] < 0.35, codes.CERAI_HIDUP, np.where(r[sm] < 0.75, codes.BELUM_KAWIN, codes.CERAI_MATI))
    sp = head_mask & single_parent[hh]
    p_widow = np.where(age >= 50, 0.85, 0.55)
    marital[sp] = np.where(r[sp] < p_widow[sp], codes.CERAI_MATI, codes.CERAI_HIDUP)
    adult_anak = (role == codes.ANAK) & ~anak3 & (age >= 25)
    marital[adult_anak] = np.where(
        r[adult_anak] < 0.94, codes.BELUM_KAWIN, np.where(r[adult_anak] < 0.98, codes.CERAI_HIDUP, codes.KAWIN)
    )
    marital[ortu] = np.where(r[ortu] < 0.75, codes.CERAI_MATI, codes.KAWIN)
    adult_famili = famili & (age >= 25)
    marital[adult_famili] = np.where(
        r[adult_famili] < 0.70, codes.BELUM_KAWIN, np.where(r[adult_famili] < 0.85, codes.CERAI_HIDUP, codes.CERAI_MATI)
    )

    # --- marriage dates (TGL_KWN) ---------------------------------------------------------------
    eldest_child = np.where(n_children > 0, eldest, np.nan)
    eldest_child = np.where(three, married_child, eldest_child)
    tgl_kwn = _marriage_dates(rng, hh, role, sex, dob, marital, kind, eldest_child, age, as_of_day)

    inherits = (role == codes.KEPALA_KELUARGA) | (role == codes.ANAK) | (role == codes.CUCU)
    members = Members(
        hh=hh,
        slot=slot,
        role=role,
        sex=sex,
        dob=dob,
        marital=marital,
        tgl_kwn=tgl_kwn,
        inherits_family_name=inherits,
    )
    return kind, start, members


def _suffix_after(group: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For rows sorted by group: the sum of ``values`` of the later rows in the same group."""
    if len(values) == 0:
        return values
    cs = np.cumsum(values)
    boundaries = np.flatnonzero(np.diff(group)) + 1
    ends = np.append(boundaries, len(values)) - 1
    group_end = np.repeat(cs[ends], np.diff(np.append(0, ends + 1)))
    return group_end - cs


P_MARRIAGE_DATE_KNOWN = 0.65


def _marriage_dates(
    rng: np.random.Generator,
    hh: np.ndarray,
    role: np.ndarray,
    sex: np.ndarray,
    dob: np.ndarray,
    marital: np.ndarray,
    kind: np.ndarray,
    eldest_child: np.ndarray,
    age: np.ndarray,
    as_of_day: int,
) -> np.ndarray:
    """Marriage date for the ever-married (same date for a couple); NONE when unknown.

    A couple married a little before their eldest child was born (``eldest_child`` is NaN for
    childless couples: then at 18-28, or recently for young couples); others at 19-30. Never
    before the 16th birthday, never after the as-of date.
    """
    n = len(hh)
    n_hh = len(kind)
    ever = marital != codes.BELUM_KAWIN
    couple_member = (role == codes.KEPALA_KELUARGA) | (role == codes.ISTRI) | (role == codes.SUAMI)
    couple_member &= (kind[hh] == COUPLE) | (kind[hh] == THREE_GEN)
    wife = couple_member & (sex == codes.PEREMPUAN)
    wife_age = np.zeros(n_hh)
    wife_age[hh[wife]] = age[wife]
    marriage_age = np.minimum(_uniform(rng, 18.0, 28.0, n_hh), wife_age - rng.random(n_hh))
    years_ago = np.where(np.isnan(eldest_child), wife_age - marriage_age, eldest_child + _uniform(rng, 0.3, 3.0, n_hh))
    hh_date = as_of_day - np.floor(np.nan_to_num(years_ago, nan=0.0) * DAYS_PER_YEAR).astype(np.int64)
    own = dob + np.floor(_uniform(rng, 19.0, 30.0, n) * DAYS_PER_YEAR).astype(np.int64)
    date = np.where(couple_member, hh_date[hh], own)
    date = np.maximum(date, add_years(dob, 16))
    date = np.minimum(date, as_of_day - 1)
    known = ever & (rng.random(n) < P_MARRIAGE_DATE_KNOWN)
    return np.where(known, date, NONE)
