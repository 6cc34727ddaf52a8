"""Review rows a person can decide (issue 18): ``rekam match --out hasil.xlsx`` puts each review
row beside its best candidates on the *Periksa* sheet; a person fills ``keputusan`` in Excel
(here: openpyxl, as Excel would save it) and ``rekam match --decide`` stores the decisions.

The register is crafted: two pairs of twins (one birth date, one address, names that differ
after the first word), so that a list row naming only the first word and the birth date goes
to review with two candidates."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

# fmt: off
_SIAK = "NIK,NO_KK,NAMA_LGKP,JENIS_KLMIN,TMPT_LHR,TGL_LHR,STAT_KWN,NO_PROP,NO_KAB,NO_KEC,NO_KEL,STATUS_KTP_EL,KEWARGANEGARAAN,NO_RT,NO_RW,ALAMAT"
FAUZI, FAISAL = "1371011408060004", "1371011408060005"
AYU, AINI = "1371014203100011", "1371014203100012"
_RESIDENTS = [
    ("1371010503900001", "MUHAMMAD RIZKY", "L", "PADANG", "1990-03-05"),
    ("1371014507850002", "SITI AMINAH", "P", "BUKITTINGGI", "1985-07-05"),
    (FAUZI, "AHMAD FAUZI", "L", "PADANG", "2006-08-14"),
    (FAISAL, "AHMAD FAISAL", "L", "PADANG", "2006-08-14"),  # FAUZI's twin
    ("1371010102700006", "BUDI SANTOSO", "L", "SOLOK", "1970-02-01"),
    (AYU, "PUTRI AYU", "P", "PADANG", "2010-03-02"),
    (AINI, "PUTRI AINI", "P", "PADANG", "2010-03-02"),  # AYU's twin
]
NIKS = [r[0] for r in _RESIDENTS]
# the list: a match, a twin each (to review), someone not in the register
_LIST = [
    ("S1", "MUHAMMAD RIZKY", "05-03-1990", "L", "PADANG"),
    ("S2", "AHMAD F", "14-08-2006", "L", "PADANG"),
    ("S3", "ZULKARNAEN XAVERIUS", "01-01-1960", "L", "SOLOK"),
    ("S4", "PUTRI A", "02-03-2010", "P", "PADANG"),
]
# fmt: on


@pytest.fixture
def exported(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:  # noqa: ANN001
    """A REKAM_HOME with the crafted register, and ``hasil.xlsx``: the list matched to it."""
    monkeypatch.setenv("REKAM_HOME", str(tmp_path / "home"))
    siak = tmp_path / "siak_1371.csv"
    lines = [_SIAK] + [
        f"{nik},1371010101{n:06d},{name},{sex},{place},{birth},BELUM KAWIN,13,71,01,1001,UNREGISTERED,WNI,001,002,"
        f"JL. SUDIRMAN NO. {n}"
        for n, (nik, name, sex, place, birth) in enumerate(_RESIDENTS)
    ]
    siak.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cli("import", siak, "--date", "2024-11-13").code == 0
    listed = tmp_path / "siswa.csv"
    with listed.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["NISN", "NAMA", "TGL_LHR", "JENIS_KLMIN", "TMPT_LHR"])
        w.writerows(_LIST)
    run = cli("match", listed, "--out", tmp_path / "hasil.xlsx", "--json")
    assert run.code == 0, run.err
    summary = run.json()
    assert (summary["match"], summary["review"], summary["no_match"]) == (1, 2, 1)
    return tmp_path / "hasil.xlsx"


def _audit(home: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (home / "audit.log").read_text(encoding="utf-8").splitlines()]


def _periksa(path: Path) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(path)["Periksa"]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def _fill(path: Path, out: Path, decisions: dict[str, str], edit: Callable[..., None] | None = None) -> int:
    """Write ``decisions`` (list_id -> word) in the list rows' keputusan cells, as a person
    would in Excel; returns the sheet row of the first decided row."""
    book = openpyxl.load_workbook(path)
    ws = book["Periksa"]
    head = [c.value for c in ws[1]]
    first = 0
    for row in ws.iter_rows(min_row=2):
        cells = dict(zip(head, row, strict=True))
        if cells["baris"].value == "daftar" and cells["list_id"].value in decisions:
            cells["keputusan"].value = decisions[cells["list_id"].value]
            first = first or row[0].row
    if edit is not None:
        edit(ws, head)
    book.save(out)
    return first


def test_review_rows_are_shown_beside_their_candidates_masked(exported: Path) -> None:
    rows = _periksa(exported)
    assert [(r["baris"], r["list_id"]) for r in rows] == [
        ("daftar", "S2"),
        ("kandidat 1", "S2"),
        ("kandidat 2", "S2"),
        ("daftar", "S4"),
        ("kandidat 1", "S4"),
        ("kandidat 2", "S4"),
    ]
    s2 = rows[:3]
    assert [r["Nama"] for r in s2] == ["AHMAD F", "AHMAD FAUZI", "AHMAD FAISAL"]
    assert {r["Tgl lahir"] for r in s2} == {"14-08-2006"}
    assert all(r["NIK"] == "137101**********" for r in s2[1:])  # masked by default
    assert all(0 < r["peluang"] <= 1 for r in s2[1:]) and s2[0]["peluang"] is None
    assert "nama" in s2[1]["sama"] and "tgl_lahir" in s2[1]["sama"]  # per field: what agreed
    assert all(r["keputusan"] is None for r in rows)  # for the person to fill
    book = openpyxl.load_workbook(exported)
    ws = book["Periksa"]
    assert ws.column_dimensions["A"].hidden  # the key
    assert book["_rekam"].sheet_state == "hidden"
    keys = [r["kunci"] for r in rows]
    assert len(set(keys)) == 6 and not any(nik in k for k in keys for nik in NIKS)
    (dropdown,) = ws.data_validations.dataValidation  # both rows have two candidates
    assert sorted(str(dropdown.sqref).split()) == ["D2", "D5"]  # the list rows' keputusan cells
    assert dropdown.formula1 == '"cocok 1,cocok 2,bukan"'
    # a candidate's name cell shows agreement by colour: green agreed
    assert ws.cell(row=3, column=7).fill.fgColor.rgb.endswith("C6EFCE")
    everything = str([list(s.iter_rows(values_only=True)) for s in book.worksheets])
    assert not any(nik in everything for nik in NIKS)  # no NIK whole on any sheet
    audited = [e for e in _audit(exported.parent / "home") if e["action"] == "match"][-1]
    assert audited["candidates"] == 4 and audited["unmasked"] is False and audited["result"]


def test_decisions_come_back_as_matches_and_no_matches_audited_once(cli, exported: Path) -> None:  # noqa: ANN001
    home = exported.parent / "home"
    filled = exported.parent / "diisi.xlsx"
    _fill(exported, filled, {"S2": "cocok 2", "S4": "Bukan "})
    out = exported.parent / "final.csv"
    run = cli("match", "--decide", filled, "--out", out, "--unmasked", "--json")
    assert run.code == 0, run.err
    summary = run.json()
    assert {k: summary[k] for k in ("rows", "applied", "unchanged", "undecided", "refused")} == {
        "rows": 2,
        "applied": 2,
        "unchanged": 0,
        "undecided": 0,
        "refused": 0,
    }
    assert (summary["match"], summary["no_match"]) == (1, 1)
    with out.open(encoding="utf-8") as f:
        result = {r["list_id"]: r for r in csv.DictReader(f)}
    assert list(next(iter(result.values())))[-1] == "decided_by"
    assert (result["S2"]["decision"], result["S2"]["match_id"]) == ("match", FAISAL)  # the second candidate
    assert (result["S4"]["decision"], result["S4"]["match_id"]) == ("no_match", "")
    assert result["S2"]["decided_by"] and result["S4"]["decided_by"]
    assert result["S1"]["decision"] == "match" and result["S1"]["decided_by"] == ""  # the model's
    decided = [e for e in _audit(home) if e["action"] == "match_decide"]
    assert [(e["list_row"], e["decision"], e["candidate"]) for e in decided] == [(2, "match", 2), (4, "no_match", None)]
    assert all(e["user"] and e["time"] and e["workbook"] == "diisi.xlsx" for e in decided)
    assert not any(nik in (home / "audit.log").read_text() for nik in NIKS)
    # the same file again: stored once, not audited again
    again = cli("match", "--decide", filled, "--json")
    assert again.code == 0, again.err
    assert (again.json()["applied"], again.json()["unchanged"]) == (0, 2)
    assert len([e for e in _audit(home) if e["action"] == "match_decide"]) == 2
    text = cli("match", "--decide", filled)
    assert "2 baris dibaca" in text.err and "0 keputusan disimpan" in text.err and "2 sudah tersimpan" in text.err
    # masked by default in a rewritten workbook too
    masked = exported.parent / "final.xlsx"
    assert cli("match", "--decide", filled, "--out", masked).code == 0
    sheet = openpyxl.load_workbook(masked)["Hasil"]
    assert not any(nik in str(list(sheet.iter_rows(values_only=True))) for nik in NIKS)


def test_an_undecided_row_stays_to_review(cli, exported: Path) -> None:  # noqa: ANN001
    filled = exported.parent / "separuh.xlsx"
    _fill(exported, filled, {"S2": "cocok 1"})
    run = cli("match", "--decide", filled, "--out", exported.parent / "final.csv", "--unmasked", "--json")
    assert run.code == 0, run.err
    assert {k: run.json()[k] for k in ("rows", "applied", "undecided")} == {"rows": 2, "applied": 1, "undecided": 1}
    with (exported.parent / "final.csv").open(encoding="utf-8") as f:
        result = {r["list_id"]: r for r in csv.DictReader(f)}
    assert (result["S2"]["decision"], result["S2"]["match_id"]) == ("match", FAUZI)
    assert result["S4"]["decision"] == "review" and result["S4"]["decided_by"] == ""


def _nothing_stored(home: Path) -> bool:
    return not list((home / "matches").glob("*/decisions.json")) and not any(
        e["action"] == "match_decide" for e in _audit(home)
    )


def test_a_bad_decision_word_is_refused_naming_row_and_column_and_nothing_changes(
    cli, exported: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # noqa: ANN001
    home = exported.parent / "home"
    filled = exported.parent / "salah.xlsx"
    row = _fill(exported, filled, {"S2": "ya", "S4": "bukan"})
    run = cli("match", "--decide", filled)
    assert run.code == 1 and "Traceback" not in run.err
    assert f"baris {row}, kolom keputusan" in run.err and "'ya' tidak dikenal" in run.err
    assert "2 baris Periksa dibaca, 1 ditolak" in run.err and "tidak ada keputusan yang disimpan" in run.err
    assert _nothing_stored(home)  # S4's valid decision is not stored either: all or nothing
    monkeypatch.setenv("REKAM_LANG", "en")
    english = cli("match", "--decide", filled)
    assert (
        english.code == 1 and f"row {row}, column keputusan" in english.err and "unknown decision 'ya'" in english.err
    )
    too_far = exported.parent / "jauh.xlsx"
    _fill(exported, too_far, {"S2": "cocok 3"})  # S2 has two candidates
    assert "only 2 candidates" in cli("match", "--decide", too_far).err
    assert _nothing_stored(home)


def test_what_is_not_this_results_review_sheet_is_refused(cli, exported: Path, tmp_path: Path) -> None:  # noqa: ANN001
    home = tmp_path / "home"

    def edit_name(ws, head) -> None:  # noqa: ANN001
        ws.cell(row=3, column=head.index("Nama") + 1).value = "AHMAD FAUZI BIN ALI"

    changed = tmp_path / "diubah.xlsx"
    _fill(exported, changed, {"S2": "cocok 1"}, edit_name)
    run = cli("match", "--decide", changed)
    assert run.code == 1 and "baris 3, kolom Nama" in run.err and "diubah sejak diekspor" in run.err

    def on_candidate(ws, head) -> None:  # noqa: ANN001
        ws.cell(row=4, column=head.index("keputusan") + 1).value = "cocok"

    misplaced = tmp_path / "di-kandidat.xlsx"
    _fill(exported, misplaced, {}, on_candidate)
    run = cli("match", "--decide", misplaced)
    assert run.code == 1 and "baris 4, kolom keputusan" in run.err and "baris kandidat" in run.err

    # a row from another result's workbook (the same list matched again)
    other = tmp_path / "lagi.xlsx"
    assert cli("match", tmp_path / "siswa.csv", "--out", other).code == 0
    foreign_key = _periksa(other)[0]["kunci"]

    def paste(ws, head) -> None:  # noqa: ANN001
        ws.cell(row=2, column=head.index("kunci") + 1).value = foreign_key

    pasted = tmp_path / "tempel.xlsx"
    _fill(exported, pasted, {"S2": "cocok 1"}, paste)
    run = cli("match", "--decide", pasted)
    assert run.code == 1 and "baris 2, kolom kunci" in run.err and "bukan dari hasil ini" in run.err

    plain = tmp_path / "bukan-rekam.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["kunci", "keputusan"])
    book.save(plain)
    run = cli("match", "--decide", plain)
    assert run.code == 1 and "bukan-rekam.xlsx" in run.err and "bukan lembar kerja hasil 'rekam match'" in run.err
    csv_result = tmp_path / "hasil.csv"
    assert cli("match", tmp_path / "siswa.csv", "--out", csv_result).code == 0
    assert cli("match", "--decide", csv_result).code == 1
    assert "tidak-ada.xlsx" in cli("match", "--decide", tmp_path / "tidak-ada.xlsx").err
    assert cli("match", "--decide").code == 2
    overwrite = cli("match", "--decide", exported, "--out", exported)
    assert overwrite.code == 1 and "menimpa lembar kerja yang diisi" in overwrite.err
    assert _nothing_stored(home)


def test_two_lists_show_and_take_the_other_lists_ids(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """``--against FILE``: a candidate is a row of the other list, named by its own ID (``id``)."""
    monkeypatch.setenv("REKAM_HOME", str(tmp_path / "home"))
    tps = tmp_path / "dpt-tps.csv"
    tps.write_text("NO,NAMA,TGL_LHR,JENIS_KLMIN,TMPT_LHR\n1,AHMAD F,14-08-2006,L,PADANG\n", encoding="utf-8")
    kpu = tmp_path / "dpt-kpu.csv"
    kpu.write_text(
        "NO_DPT,NIK,NAMA,TGL_LHR,JENIS_KLMIN,TMPT_LHR\n"
        f"K-7,{FAUZI},AHMAD FAUZI,14-08-2006,L,PADANG\nK-9,,AHMAD FAISAL,14-08-2006,L,PADANG\n",
        encoding="utf-8",
    )
    out = tmp_path / "hasil.xlsx"
    run = cli("match", tps, "--against", kpu, "--out", out, "--json")
    assert run.code == 0 and run.json()["review"] == 1, run.err
    rows = _periksa(out)
    assert [(r["baris"], r["id"]) for r in rows] == [("daftar", None), ("kandidat 1", "K-7"), ("kandidat 2", "K-9")]
    assert rows[1]["NIK"] == "137101**********" and "status KTP-el" not in rows[0]  # the list's NIK masked
    filled = tmp_path / "diisi.xlsx"
    _fill(out, filled, {"1": "cocok 2"})
    final = tmp_path / "final.csv"
    assert cli("match", "--decide", filled, "--out", final).code == 0
    with final.open(encoding="utf-8") as f:
        (row,) = csv.DictReader(f)
    assert (row["decision"], row["match_id"]) == ("match", "K-9") and "ktp_status" not in row


def test_unmasked_shows_whole_niks_audited_and_a_result_not_kept_here_is_refused(
    cli, exported: Path, tmp_path: Path
) -> None:  # noqa: ANN001
    import shutil

    whole = tmp_path / "utuh.xlsx"
    assert cli("match", tmp_path / "siswa.csv", "--out", whole, "--unmasked").code == 0
    rows = _periksa(whole)
    assert [r["NIK"] for r in rows[1:3]] == [FAUZI, FAISAL]
    assert not any(nik in str(r["kunci"]) for r in rows for nik in NIKS)  # the key holds no NIK
    home = tmp_path / "home"
    assert [e for e in _audit(home) if e["action"] == "match"][-1]["unmasked"] is True
    filled = tmp_path / "diisi.xlsx"
    _fill(whole, filled, {"S2": "cocok 1"})
    result = openpyxl.load_workbook(whole)["_rekam"]["B2"].value
    shutil.rmtree(home / "matches" / result)  # made elsewhere, or purged
    run = cli("match", "--decide", filled)
    assert run.code == 1 and f"hasil pencocokan {result} tidak disimpan di REKAM_HOME ini" in run.err
    assert _nothing_stored(home)
