"""`rekam plan itinerary`: the teams' schedules and each visited site's by-name list, which holds
exactly the people the site's count in the scenario was made from, read back as a team would."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pypdf
import pytest
from tests.conftest import person, write_register

from rekam.api import Rekam
from rekam.config import Settings
from rekam.domain.nik import mask_nik

A, B, C = "13.71.01.1001", "13.71.01.1002", "13.72.01.1001"  # Belakang Pondok, Alang Laweh (Padang); Kota Solok
ROWS = {
    1: person(1, "1990-01-01", desa=A),  # wajib, not recorded: desa A
    2: person(2, "1990-02-02", desa=A, status="CARD_ISSUED", recorded="2015-01-01"),  # recorded: nowhere
    3: person(3, "2007-06-01", desa=A),  # pemula, on S1's roster
    4: person(4, "2007-11-20", desa=B),  # akan wajib (17 on 20 Nov), on S1's roster
    5: person(5, "2006-05-05", desa=A),  # on S1's roster
    6: person(6, "2007-03-03", desa=A, status="CARD_ISSUED", recorded="2024-05-01"),  # on S1's roster, recorded
    7: person(7, "1950-01-01", desa=B),  # 60+: desa B
    8: person(8, "1985-01-01", desa=B),  # on lapas L1's roster: not at home
    9: person(9, "1980-01-01", desa=C),  # registered in Kota Solok, studies at K1 in Padang
    10: person(10, "2008-12-01", desa=A),  # 15: not counted
    11: person(11, "1992-01-01", desa=A).replace("ORANG 11", '=HYPERLINK("x")'),  # desa A; a formula as a name
}
EXPECTED = {"S1": {3, 4, 5}, "L1": {8}, "K1": {9}, "DESA-1371011001": {1, 11}, "DESA-1371011002": {7}}
SITES = f"""site_id,kind,nama,kode_desa,lat,lon,jumlah
S1,SMA,SMA Satu,{A},-0.95,100.36,
L1,LAPAS,Lapas Satu,{B},-0.97,100.38,
K1,UNIVERSITAS,Universitas Negeri Padang: Kampus Air Tawar [Utama],{A},-0.94,100.35,
H1,RSUD,RSUD Satu,{B},-0.96,100.39,7
DINAS-1371,DINAS,Dinas Dukcapil Kota Padang,{A},-0.95,100.40,
"""
DESA = f"kode_desa,lat,lon\n{A},-0.951,100.361\n{B},-0.962,100.372\n{C},-0.795,100.611\n"
ROSTERS = {"S1": (3, 4, 5, 6), "L1": (8,), "K1": (9,)}


def nik(serial: int) -> str:
    return ROWS[serial].split(",")[0]


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A REKAM_HOME with the register and sites above, the scenario (2 teams, 14-19 Nov 2024)
    made from them and its plan (200 iterations: the same plan every run)."""
    root = tmp_path_factory.mktemp("itinerary")
    settings = Settings(home=root / "home")
    Rekam(settings).import_register(
        [write_register(root / "r.csv", list(ROWS.values()))], export_date=date(2024, 11, 13)
    )
    (root / "sites.csv").write_text(SITES, encoding="utf-8")
    (root / "desa.csv").write_text(DESA, encoding="utf-8")
    roster = ["site_id,NIK"] + [f"{s},{nik(i)}" for s, serials in ROSTERS.items() for i in serials]
    (root / "roster.csv").write_text("\n".join(roster) + "\n", encoding="utf-8")
    Rekam(settings).import_sites([root / "sites.csv", root / "roster.csv", root / "desa.csv"])
    scenario = Rekam(settings).make_scenario(
        "13.71", date(2024, 11, 14), date(2024, 11, 19), 2, election_date=date(2024, 11, 27)
    )
    (root / "scenario.json").write_text(json.dumps(scenario), encoding="utf-8")
    plan = Rekam(Settings.from_env()).solve_scenario_file(root / "scenario.json", None, 200, 1, bound_time_limit=10)
    Rekam(Settings.from_env()).write_plan(plan, root / "plan.json")
    return root


@pytest.fixture
def files(planned: Path, rekam_home: Path, tmp_path: Path) -> Path:
    """This test's copy of the home (REKAM_HOME), and the scenario and plan in ``tmp_path``."""
    shutil.copytree(planned / "home", rekam_home)
    for name in ("scenario.json", "plan.json"):
        shutil.copy(planned / name, tmp_path / name)
    return tmp_path


def routes(files: Path, team: str | None = None) -> list[dict]:
    data = json.loads((files / "plan.json").read_text(encoding="utf-8"))
    return [r for r in data["routes"] if team is None or r["team"] == team]


def scenario_sites(files: Path) -> dict[str, dict]:
    return {s["id"]: s for s in json.loads((files / "scenario.json").read_text(encoding="utf-8"))["sites"]}


def busy(files: Path) -> str:
    """The first team with visits in the plan (the solver decides which)."""
    return next(t for t in ("T01", "T02") if routes(files, t))


def visited(files: Path, team: str | None = None) -> list[str]:
    return list(dict.fromkeys(s["site"] for r in routes(files, team) for s in r["stops"]))


def list_rows(sheet) -> list[tuple]:  # type: ignore[no-untyped-def]
    """The people rows of a list sheet (header on row 4)."""
    return [r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0] is not None]


def test_workbook_for_every_team(cli, files, rekam_home):
    out = files / "itinerary.xlsx"
    run = cli("plan", "itinerary", files / "scenario.json", files / "plan.json", "--out", out)
    assert run.code == 0, run.err
    book = openpyxl.load_workbook(out)
    names = book.sheetnames
    assert names[:3] == ["Ringkasan", "Jadwal T01", "Jadwal T02"]
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)
    assert len({n.lower() for n in names}) == len(names)

    # Every stop of every team, in order, with its times and visit number.
    for team in ("T01", "T02"):
        sheet = book[f"Jadwal {team}"]
        assert [c.value for c in sheet[4]][:12] == [
            "Tanggal",
            "Hari",
            "Urutan",
            "ID lokasi",
            "Lokasi",
            "Jenis",
            "Desa/kelurahan",
            "Kode desa",
            "Tiba",
            "Mulai",
            "Selesai",
            "Kunjungan ke-",
        ]
        shown = [
            (r[0], r[2], r[3], r[8], r[9], r[10], r[11])
            for r in sheet.iter_rows(min_row=5, values_only=True)
            if isinstance(r[2], int)
        ]
        expected = [
            (
                date.fromisoformat(r["date"]).strftime("%d-%m-%Y"),
                i,
                s["site"],
                s["arrive"],
                s["start"],
                s["leave"],
                s["visit"],
            )
            for r in routes(files, team)
            for i, s in enumerate(r["stops"], start=1)
        ]
        assert shown == expected
    assert sum(len(r["stops"]) for r in routes(files)) > 0

    # Each visited site's list: exactly the people counted there, NIK masked.
    sites = scenario_sites(files)
    summary = {r[0]: r for r in book["Ringkasan"].iter_rows(values_only=True) if r[0] in sites}
    for sid in visited(files):
        if sid == "H1":  # a head count: no names
            assert "tanpa daftar nama" in summary[sid][8]
            continue
        rows = list_rows(book[summary[sid][8]])
        assert len(rows) == sum(sites[sid]["people"].values()) == summary[sid][7]
        assert {r[1] for r in rows} == {mask_nik(nik(i)) for i in EXPECTED[sid]}
        assert {r[3] for r in rows} == {
            "'" + ROWS[i].split(",")[2] if i == 11 else f"ORANG {i}" for i in EXPECTED[sid]
        }, "the formula in a name is neutralised"
    assert set(EXPECTED) <= set(visited(files))
    k1 = summary["K1"][8]
    assert k1 == "Universitas Negeri Padang  Kamp" and book[k1]["A1"].value.endswith("(K1)")
    s1 = list_rows(book[summary["S1"][8]])
    reasons = {r[3]: (r[6], r[12]) for r in s1}  # by name: a masked NIK shows the region only
    assert reasons["ORANG 4"] == (17, "wajib KTP-el sebelum hari pemungutan suara, belum rekam")
    assert reasons["ORANG 5"] == (18, "wajib KTP-el, belum rekam")

    # No whole NIK anywhere; the request is in the audit log, without NIK or name.
    cells = [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]
    assert not any(nik(i) in v for v in cells for i in ROWS)
    [entry] = [json.loads(line) for line in (rekam_home / "audit.log").read_text().splitlines()]
    assert (
        entry["action"] == "itinerary"
        and entry["unmasked"] is False
        and entry["people"] == sum(map(len, EXPECTED.values()))
    )
    assert entry["sites"] == len(EXPECTED) and entry["team"] is None
    log = (rekam_home / "audit.log").read_text()
    assert not any(nik(i) in log for i in ROWS) and "ORANG" not in log
    assert "Itinerari semua tim (2) ditulis" in run.err


def test_one_team_unmasked(cli, files, rekam_home):
    team, other = busy(files), ({"T01", "T02"} - {busy(files)}).pop()
    out = files / "team.xlsx"
    run = cli(
        "plan", "itinerary", files / "scenario.json", files / "plan.json", "--team", team, "--out", out, "--unmasked"
    )
    assert run.code == 0, run.err
    book = openpyxl.load_workbook(out)
    assert f"Jadwal {team}" in book.sheetnames and f"Jadwal {other}" not in book.sheetnames
    sites = [s for s in visited(files, team) if s in EXPECTED]
    assert len(book.sheetnames) == 2 + len(sites)
    summary = {r[0]: r for r in book["Ringkasan"].iter_rows(values_only=True) if r[0] in EXPECTED}
    for sid in sites:
        assert {r[1] for r in list_rows(book[summary[sid][8]])} == {nik(i) for i in EXPECTED[sid]}
    [entry] = [json.loads(line) for line in (rekam_home / "audit.log").read_text().splitlines()]
    assert entry["unmasked"] is True and entry["team"] == team


def test_pdf_for_a_team(cli, files):
    team = busy(files)
    out = files / "team.pdf"
    run = cli("plan", "itinerary", files / "scenario.json", files / "plan.json", "--team", team, "--out", out)
    assert run.code == 0, run.err
    content = "\n".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    flat = re.sub(r"\s+", " ", content)
    for r in routes(files, team):
        assert date.fromisoformat(r["date"]).strftime("%d-%m-%Y") in flat
    sites = scenario_sites(files)
    for sid in visited(files, team):
        assert sites[sid]["name"] in flat, sid
    assert "Sudah direkam" in flat and f"Tim {team[-1]} Kota Padang ({team})" in flat
    listed = [i for sid in visited(files, team) for i in EXPECTED.get(sid, ())]
    assert listed and all(mask_nik(nik(i)) in flat and nik(i) not in flat for i in listed)


def test_solve_writes_the_workbook_of_every_team(cli, files):
    out = files / "plan.xlsx"
    run = cli("plan", "solve", files / "scenario.json", "--iterations", "200", "--bound-time-limit", "10", "--out", out)
    assert run.code == 0, run.err
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:3] == ["Ringkasan", "Jadwal T01", "Jadwal T02"] and len(book.sheetnames) > 3


def test_too_many_sites_for_one_workbook_gives_schedules_and_says_to_run_per_team(cli, files, rekam_home, monkeypatch):
    monkeypatch.setattr("rekam.reports.itinerary.MAX_SITE_SHEETS", 2)
    out = files / "all.xlsx"
    run = cli("plan", "itinerary", files / "scenario.json", files / "plan.json", "--out", out)
    assert run.code == 0, run.err
    team = busy(files)
    assert f"--team {team}" in run.err
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Ringkasan", "Jadwal T01", "Jadwal T02"]
    assert any(f"--team {team}" in str(r[0]) for r in book["Ringkasan"].iter_rows(values_only=True))
    assert not (rekam_home / "audit.log").exists(), "no by-name output, nothing to audit"
    run = cli("plan", "itinerary", files / "scenario.json", files / "plan.json", "--team", team, "--out", out)
    assert run.code == 0 and len(openpyxl.load_workbook(out).sheetnames) > 2


def test_a_scenario_not_made_by_plan_make_gives_schedules_only(cli, files):
    raw = json.loads((files / "scenario.json").read_text(encoding="utf-8"))
    del raw["source"]
    (files / "scenario.json").write_text(json.dumps(raw), encoding="utf-8")
    out = files / "all.xlsx"
    run = cli("plan", "itinerary", files / "scenario.json", files / "plan.json", "--out", out)
    assert run.code == 0, run.err
    assert "rekam plan make" in run.err
    assert openpyxl.load_workbook(out).sheetnames == ["Ringkasan", "Jadwal T01", "Jadwal T02"]


def test_an_edited_scenario_is_refused_rather_than_given_lists_that_do_not_match(cli, files):
    raw = json.loads((files / "scenario.json").read_text(encoding="utf-8"))
    [s1] = [s for s in raw["sites"] if s["id"] == "S1"]
    s1["people"]["lainnya"] += 1
    (files / "scenario.json").write_text(json.dumps(raw), encoding="utf-8")
    assert (
        cli(
            "plan",
            "solve",
            files / "scenario.json",
            "--iterations",
            "200",
            "--bound-time-limit",
            "10",
            "--out",
            files / "plan.json",
        ).code
        == 0
    )
    run = cli("plan", "itinerary", files / "scenario.json", files / "plan.json", "--out", files / "x.xlsx")
    assert run.code == 1 and "S1" in run.err and "4 orang" in run.err and "berisi 3" in run.err
    assert not (files / "x.xlsx").exists()


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (["--team", "T09", "--out", "x.xlsx"], "T09"),
        (["--out", "x.pdf"], "--team"),
        (["--out", "x.csv"], ".pdf"),
    ],
)
def test_bad_requests_are_refused_in_one_line(cli, files, args, word):
    args = [str(files / a) if a.startswith("x.") else a for a in args]
    run = cli("plan", "itinerary", files / "scenario.json", files / "plan.json", *args)
    assert run.code == 1 and word in run.err and "Traceback" not in run.err
    assert not list(files.glob("x.*"))


def test_a_plan_for_another_scenario_is_refused(cli, files):
    raw = json.loads((files / "plan.json").read_text(encoding="utf-8"))
    raw["routes"][0]["stops"][0]["leave"] = raw["routes"][0]["stops"][0]["start"]
    (files / "plan.json").write_text(json.dumps(raw), encoding="utf-8")
    run = cli("plan", "itinerary", files / "scenario.json", files / "plan.json", "--out", files / "x.xlsx")
    assert run.code == 1 and "service_too_short" in run.err
