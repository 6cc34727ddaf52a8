"""Outside lists with ground truth (rekam.demo.outside), on the session demo (scale 0.001).

Every check compares the written list with the register through the truth file: the labels
must say exactly what differs, and the label rates must match the documented RATES.
"""

from __future__ import annotations

import csv
import math
import random
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from rekam import api
from rekam.demo.outside import LIST_HEADERS, RATES, TRUTH_HEADER, edit_birth_date, edit_name

ROWS = 3000  # dpt gets them all; sekolah and lapas get what the small register has


def _read(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


@pytest.fixture(scope="module")
def register(demo_data: Path) -> dict[str, object]:
    rows = [r for p in sorted((demo_data / "siak").glob("*.csv")) for r in _read(p)]
    count = Counter(r["NIK"] for r in rows)
    by_kk: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        by_kk[r["NO_KK"]].append(r)
    return {
        "nik": {r["NIK"]: r for r in rows if count[r["NIK"]] == 1},
        "all_niks": set(count),
        "identity": {(r["NAMA_LGKP"], r["TGL_LHR"], r["JENIS_KLMIN"][0]) for r in rows},
        "kk": by_kk,
    }


@pytest.fixture(scope="module", params=["medium", "hard"])
def lists(request: pytest.FixtureRequest, demo_data: Path, tmp_path_factory: pytest.TempPathFactory):
    level = request.param
    out = tmp_path_factory.mktemp(f"outside-{level}")
    summaries = api.generate_outside_lists(demo_data / "siak", out, level=level, rows=ROWS, seed=11)
    result = {}
    for s in summaries:
        rows = _read(s.list_file, ";")
        truth = _read(s.truth_file)
        result[s.kind] = (s, rows, truth)
    return level, result


def _bare(name: str) -> str:
    """The name without the list's decorations (alias, titles)."""
    name = re.sub(r" (ALS\.?|ALIAS) \S+$", "", name)
    name = re.sub(r" DT\. .*$", "", name)
    name = re.sub(r", \S+$", "", name)
    return re.sub(r"^(H\.|HJ\.|DRS\.|DRA\.) ", "", name)


def _date(text: str) -> date | int:
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    d, m, y = re.split(r"[/-]", text)
    return date(int(y), int(m), int(d))


def _register_date(text: str) -> date:
    d, m, y = text.split("-")
    return date(int(y), int(m), int(d))


def _address(kind: str, row: dict[str, str]) -> tuple[str, ...]:
    if kind == "lapas":
        return row["ALAMAT"], row["NAMA_KEL"], row["NAMA_KAB"]
    rt, rw = (str(int(x)) if x.isdigit() else x for x in (row["NO_RT"], row["NO_RW"]))
    return row["ALAMAT"], rt, rw, row["NAMA_KEL"], row["NAMA_KEC"]


def _tolerance(p: float, n: int) -> float:
    return 4 * math.sqrt(max(p * (1 - p), 1e-4) / max(n, 1)) + 0.01


def _close(observed: int, n: int, p: float) -> bool:
    return abs(observed / max(n, 1) - p) <= _tolerance(p, n)


def test_files_are_excel_csv_with_a_truth_row_for_every_row(lists) -> None:
    _, result = lists
    assert set(result) == {"sekolah", "dpt", "lapas"}
    for kind, (summary, rows, truth) in result.items():
        raw = summary.list_file.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
        assert raw[3:].split(b"\r\n")[0].decode() == ";".join(LIST_HEADERS[kind])
        assert summary.truth_file.read_text(encoding="utf-8").splitlines()[0] == ",".join(TRUTH_HEADER)
        ids = [r[LIST_HEADERS[kind][0]] for r in rows]
        assert len(set(ids)) == len(ids) == summary.rows == len(truth)
        assert ids == [t["list_id"] for t in truth]  # same order
        assert summary.rows == ROWS if kind == "dpt" else summary.rows > 250


def test_truth_niks_are_in_the_register_and_absent_people_are_not(lists, register) -> None:
    _, result = lists
    for _kind, (summary, rows, truth) in result.items():
        absent = 0
        for row, t in zip(rows, truth, strict=True):
            if t["true_nik"]:
                assert t["true_nik"] in register["nik"]
                continue
            absent += 1
            assert "absent" in t["corruption"]
            if re.fullmatch(r"\d{16}", row["NIK"]):
                assert row["NIK"] not in register["all_niks"]
            key = (_bare(row["NAMA"]), row["TGL_LHR"], row["JENIS_KLMIN"])
            if not re.fullmatch(r"\d{4}", row["TGL_LHR"]):
                d = _date(row["TGL_LHR"])
                key = (key[0], f"{d.day:02d}-{d.month:02d}-{d.year}", key[2])
                assert key not in register["identity"]
        assert absent == summary.absent > 0
        # IDs are the list's own, never a NIK
        assert not {t["list_id"] for t in truth} & register["all_niks"]


def test_labels_say_exactly_what_differs_from_the_register(lists, register) -> None:
    _, result = lists
    for kind, (_, rows, truth) in result.items():
        for row, t in zip(rows, truth, strict=True):
            labels = set(t["corruption"].split("|")) - {""}
            assert (row["NIK"] == "") == ("nik_missing" in labels)
            assert ("*" in row["NIK"]) == ("nik_masked" in labels)
            if not t["true_nik"]:
                continue
            person = register["nik"][t["true_nik"]]
            name_edited = any(x.startswith("name_") for x in labels)
            assert (_bare(row["NAMA"]) != person["NAMA_LGKP"]) == name_edited, (row["NAMA"], labels)
            true_dob = _register_date(person["TGL_LHR"])
            listed = _date(row["TGL_LHR"])
            if isinstance(listed, int):
                assert "dob_year_only" in labels
                assert (listed != true_dob.year) == ("dob_year" in labels)
            else:
                assert (listed != true_dob) == bool(labels & {"dob_swap", "dob_default", "dob_year"})
                if "dob_swap" in labels:
                    assert (listed.day, listed.month) == (true_dob.month, true_dob.day)
                if "dob_default" in labels:
                    assert (listed.month, listed.day) in {(1, 1), (7, 1), (12, 31)}
            assert (row["JENIS_KLMIN"] != person["JENIS_KLMIN"][0]) == ("sex_flip" in labels)
            assert (_address(kind, row) != _address(kind, person)) == ("moved" in labels)
            nik = row["NIK"]
            if nik:
                shown = [i for i, c in enumerate(nik) if c != "*"]
                differs = [i for i in shown if nik[i] != t["true_nik"][i]]
                if "nik_family" in labels:
                    kin = [p["NIK"] for p in register["kk"][person["NO_KK"]] if p["NIK"] != t["true_nik"]]
                    assert any(all(k[i] == nik[i] for i in shown) for k in kin)
                elif "nik_digit" in labels:
                    assert len(differs) <= 1
                else:
                    assert differs == []


def test_rates_match_the_documented_rates(lists) -> None:
    level, result = lists
    for kind, (summary, _rows, truth) in result.items():
        rate = RATES[(kind, level)]
        n = len(truth)
        labels = [set(t["corruption"].split("|")) for t in truth]
        present = [lab for lab, t in zip(labels, truth, strict=True) if t["true_nik"]]
        shown = [lab for lab in present if "nik_missing" not in lab]
        count = Counter(x for lab in labels for x in lab)
        pcount = Counter(x for lab in present for x in lab)
        assert abs(summary.absent / n - rate.absent) <= 1 / n + 0.005
        assert count["absent_twin"] == round(summary.absent * rate.absent_twin)
        checks = {
            "name": (sum(any(x.startswith("name_") for x in lab) for lab in present), len(present), rate.name),
            "dob": (
                sum(bool(lab & {"dob_swap", "dob_default", "dob_year"}) for lab in present),
                len(present),
                rate.dob,
            ),
            "sex": (pcount["sex_flip"], len(present), rate.sex),
            "moved": (pcount["moved"], len(present), rate.moved),
            "nik_missing": (count["nik_missing"], n, 1 - rate.nik_shown),
            "nik_masked": (count["nik_masked"], n - count["nik_missing"], rate.nik_masked),
            "nik_digit+family": (
                sum(bool(lab & {"nik_digit", "nik_family"}) for lab in shown),
                len(shown),
                rate.nik_digit + rate.nik_family,
            ),
            "alias": (count["alias"], n, rate.alias),
            "dob_dmy": (count["dob_dmy"], n, rate.dmy),
            "dob_year_only": (count["dob_year_only"], n, rate.year_only),
            "tmpt_variant": (count["tmpt_variant"], n, rate.tmpt),
        }
        for what, (observed, total, p) in checks.items():
            assert _close(observed, total, p), (kind, level, what, observed, total, p)
        # titles only fit adults (23+), so fewer than the rate; none on a school list
        assert count["title"] / n <= rate.title + _tolerance(rate.title, n)
        assert count["title"] / n >= rate.title / 2 - _tolerance(rate.title, n)
        assert pcount["nik_family"] <= pcount["nik_digit"] + pcount["nik_family"]


def test_hard_negatives_are_there(lists, register) -> None:
    _, result = lists
    for kind, (_, rows, truth) in result.items():
        hard = Counter(t["hard_negative"] for t in truth)
        assert hard["twin"] >= 2, kind
        present_kk = Counter(register["nik"][t["true_nik"]]["NO_KK"] for t in truth if t["true_nik"])
        for t in truth:
            if t["hard_negative"] == "household":
                assert present_kk[register["nik"][t["true_nik"]]["NO_KK"]] >= 2
        if kind != "lapas":
            assert hard["household"] >= 10, kind
        # each unregistered twin shares the address and birth date of a listed, registered person
        present = [t for t in truth if t["true_nik"]]
        twins = [row for row, t in zip(rows, truth, strict=True) if "absent_twin" in t["corruption"]]
        assert twins
        found = 0
        for twin in twins:
            for t in present:
                person = register["nik"][t["true_nik"]]
                same_day = _date(twin["TGL_LHR"]) in (_register_date(person["TGL_LHR"]), int(person["TGL_LHR"][-4:]))
                if same_day and twin["ALAMAT"] == person["ALAMAT"] and t["hard_negative"] == "twin":
                    assert _bare(twin["NAMA"]).split()[0] != person["NAMA_LGKP"].split()[0]
                    found += 1
                    break
        assert found >= len(twins) / 2


def test_same_seed_same_files_other_seed_other_files(demo_data: Path, tmp_path: Path) -> None:
    def run(out: Path, seed: int) -> dict[str, bytes]:
        api.generate_outside_lists(demo_data / "siak", out, level="hard", rows=400, seed=seed)
        return {p.name: p.read_bytes() for p in sorted(out.iterdir())}

    first, again, other = run(tmp_path / "a", 5), run(tmp_path / "b", 5), run(tmp_path / "c", 6)
    assert len(first) == 6 and first == again
    assert first["dpt.csv"] != other["dpt.csv"]
    # a kind alone gives the same file as with the others
    api.generate_outside_lists(demo_data / "siak", tmp_path / "d", level="hard", rows=400, seed=5, kinds=["lapas"])
    assert (tmp_path / "d" / "lapas.csv").read_bytes() == first["lapas.csv"]


def test_a_small_list_draws_a_hash_sample_of_villages(demo_data: Path, tmp_path: Path) -> None:
    (summary,) = api.generate_outside_lists(
        demo_data / "siak", tmp_path, level="medium", rows=60, seed=1, kinds=["dpt"]
    )
    assert summary.rows == 60
    desa = {r["NO_DPT"].split("-")[0] for r in _read(summary.list_file, ";")}
    assert 1 < len(desa) < 40


def test_cli_writes_the_same_files_as_the_library(cli, demo_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli"
    run = cli(
        "demo",
        "outside-lists",
        "--register-dir",
        demo_data / "siak",
        "--out",
        out,
        "--level",
        "hard",
        "--rows",
        "300",
        "--seed",
        "3",
        "--kind",
        "dpt",
    )
    assert run.code == 0, run.err
    assert "dpt" in run.err and run.out == ""
    assert sorted(p.name for p in out.iterdir()) == ["dpt.csv", "dpt_truth.csv"]
    api.generate_outside_lists(demo_data / "siak", tmp_path / "lib", level="hard", rows=300, seed=3, kinds=["dpt"])
    assert (out / "dpt.csv").read_bytes() == (tmp_path / "lib" / "dpt.csv").read_bytes()
    assert cli("demo", "outside-lists", "--register-dir", demo_data / "siak", "--out", out, "--level", "x").code == 2
    missing = cli("demo", "outside-lists", "--register-dir", tmp_path / "none", "--out", out)
    assert missing.code == 1 and "none" in missing.err
    assert cli("demo", "outside-lists", "--register-dir", demo_data / "siak", "--out", out, "--rows", "0").code == 1


NAMES = ["MUHAMMAD RIZKY", "NURHAYATI", "SYAFRIZAL", "YOHANES SABABALAT", "SITI AISYAH PUTRI", "DJOKO", "ALI"]


def test_name_edits_always_change_the_name() -> None:
    rnd = random.Random(1)
    kinds = Counter()
    for i in range(3000):
        name = NAMES[i % len(NAMES)]
        new, kind = edit_name(name, rnd)
        assert new != name and new.strip() == new and "  " not in new
        kinds[kind] += 1
    assert set(kinds) == {"typo", "variant", "merge_split", "drop", "order"}


def test_birth_date_edits_always_change_the_date() -> None:
    rnd = random.Random(2)
    for d in (date(2007, 7, 1), date(2006, 3, 4), date(1990, 12, 31), date(2008, 2, 29), date(2000, 5, 5)):
        for _ in range(200):
            new, kind = edit_birth_date(d, (0.4, 0.25, 0.35), rnd)
            assert new != d
            if kind == "dob_swap":
                assert (new.month, new.day) == (d.day, d.month)
