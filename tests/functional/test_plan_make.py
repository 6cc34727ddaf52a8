"""`rekam plan make`: people per site and cohort, hand-counted on a crafted register; the demo's
kab/kota and province scenarios; no personal data in the scenario."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from tests.conftest import person, write_register

from rekam.api import Rekam
from rekam.config import Settings
from rekam.planner.scenario import parse_scenario

A, B, C = "13.71.01.1001", "13.71.01.1002", "13.72.01.1001"  # two desa of Kota Padang, one of Kota Solok
AS_OF, ELECTION = "2024-11-14", "2024-11-27"
ROWS = {
    1: person(1, "1990-01-01", desa=A),  # wajib, not recorded: desa A, lainnya
    2: person(2, "1990-02-02", desa=A, status="CARD_ISSUED", recorded="2015-01-01"),  # recorded: nowhere
    3: person(3, "2007-06-01", desa=A),  # 17 in June: pemula, on school S1's roster
    4: person(4, "2007-11-20", desa=B),  # 17 on 20 Nov: akan wajib and pemula, on S1's roster
    5: person(5, "2006-05-05", desa=A),  # 18: wajib, not pemula, on S1's roster: lainnya
    6: person(6, "2007-03-03", desa=A, status="CARD_ISSUED", recorded="2024-05-01"),  # on S1's roster, recorded
    7: person(7, "1950-01-01", desa=B),  # 60+: rentan, desa B
    8: person(8, "1985-01-01", desa=B),  # on lapas L1's roster: rentan at L1, not at home
    9: person(9, "1980-01-01", desa=C),  # lives in Kota Solok, studies at campus K1 in Padang
    10: person(10, "2008-12-01", desa=A),  # 15: not wajib by election day
    11: person(11, "1995-01-01", desa=B),  # on school S2's roster (S2 has no point of its own)
    12: person(12, "1970-01-01", desa=C),  # on lapas L2's roster, in Kota Solok
    13: person(13, "1991-01-01", desa=A),  # on panti P1's roster
    14: person(14, "2000-01-01", desa=C, status="CARD_ISSUED", recorded="2019-01-01"),  # recorded
}
SITES = """site_id,kind,nama,kode_desa,lat,lon,jumlah
S1,SMA,SMA Satu,13.71.01.1001,-0.95,100.36,
S2,SMK,SMK Dua,13.71.01.1002,,,
L1,LAPAS,Lapas Satu,13.71.01.1002,-0.97,100.38,
K1,UNIVERSITAS,Universitas Satu,13.71.01.1001,-0.94,100.35,
P1,PANTI ASUHAN,Panti Satu,13.71.01.1001,-0.93,100.36,
H1,RSUD,RSUD Satu,13.71.01.1002,-0.96,100.39,7
H2,RS,RS Tanpa Jumlah,13.71.01.1002,-0.96,100.39,
L2,RUTAN,Rutan Solok,13.72.01.1001,-0.79,100.61,
DINAS-1371,DINAS,Dinas Dukcapil Kota Padang,13.71.01.1001,-0.95,100.40,
"""
DESA = f"""kode_desa,lat,lon
{A},-0.951,100.361
{B},-0.962,100.372
{C},-0.795,100.611
"""
ROSTERS = {"S1": (3, 4, 5, 6), "S2": (11,), "L1": (8,), "K1": (9,), "P1": (13,), "L2": (12,)}


def nik(serial: int) -> str:
    return ROWS[serial].split(",")[0]


@pytest.fixture
def crafted(cli, tmp_path: Path) -> Path:
    assert cli("import", write_register(tmp_path / "r.csv", list(ROWS.values())), "--date", "2024-11-13").code == 0
    (tmp_path / "sites.csv").write_text(SITES, encoding="utf-8")
    (tmp_path / "desa.csv").write_text(DESA, encoding="utf-8")
    roster = ["site_id,NIK,NAMA"] + [f"{s},{nik(i)},ORANG {i}" for s, serials in ROSTERS.items() for i in serials]
    (tmp_path / "roster.csv").write_text("\n".join(roster) + "\n", encoding="utf-8")
    run = cli("sites", "import", tmp_path / "sites.csv", tmp_path / "roster.csv", tmp_path / "desa.csv", "--json")
    assert run.code == 0 and run.json()["files"][0]["quarantined"] == 0, run.out
    return tmp_path


def make(region: str, teams: int = 3, **options: object) -> dict:
    return Rekam(Settings.from_env()).make_scenario(
        region, date(2024, 11, 14), date(2024, 11, 26), teams, election_date=date(2024, 11, 27), **options
    )  # type: ignore[arg-type]


def people(scenario: dict) -> dict[str, dict[str, int]]:
    return {s["id"]: {c: n for c, n in s["people"].items() if n} for s in scenario["sites"]}


def test_people_per_site_and_cohort_are_the_hand_counted_ones(crafted):
    scenario = make("13.71")
    assert people(scenario) == {
        "S1": {"pemula": 2, "lainnya": 1},  # 3 and 4 (pemula), 5; 6 recorded
        "S2": {"lainnya": 1},  # 11, placed at desa B's point
        "K1": {"lainnya": 1},  # 9, registered in Kota Solok
        "L1": {"rentan": 1},  # 8
        "P1": {"rentan": 1},  # 13
        "H1": {"lainnya": 7},  # head count, no roster
        "DESA-1371011001": {"lainnya": 1},  # 1: not 3, 5, 13 (at sites), not 2 (recorded), not 10 (15)
        "DESA-1371011002": {"rentan": 1},  # 7: not 4, 11 (S1, S2), not 8 (L1)
    }
    s2 = next(s for s in scenario["sites"] if s["id"] == "S2")
    assert (s2["lat"], s2["lon"]) == (-0.962, 100.372)
    assert scenario["source"]["people"] == {"pemula": 2, "rentan": 3, "lainnya": 11}
    assert [d["id"] for d in scenario["depots"]] == ["DINAS-1371"]
    assert [(t["id"], t["name"], t["start_depot"], t["end_depot"], t["kits"]) for t in scenario["teams"]] == [
        (f"T0{i}", f"Tim {i} Kota Padang", "DINAS-1371", "DINAS-1371", 2) for i in (1, 2, 3)
    ]
    parsed = parse_scenario(scenario)
    assert parsed.sites["S1"].open_weekdays == frozenset(range(1, 7)) and parsed.sites["S1"].turnout == 0.9
    assert parsed.sites["DESA-1371011001"].max_visits == 3 and parsed.sites["K1"].max_visits == 2
    assert parsed.dates[0] == date(2024, 11, 14) and date(2024, 11, 17) not in parsed.dates  # a Sunday


def test_a_site_left_out_gives_its_people_back_to_their_desa_but_not_lapas_or_panti_residents(crafted):
    scenario = make("13.71", min_people=2)
    assert people(scenario) == {
        "S1": {"pemula": 2, "lainnya": 1},
        "H1": {"lainnya": 7},
        "DESA-1371011002": {"rentan": 1, "lainnya": 1},  # 7, and 11 back from S2
    }  # desa A has 1 (< 2); 8 (lapas) and 13 (panti) are not at home; 9 lives in Kota Solok


def test_a_province_spreads_teams_over_kab_kota_and_falls_back_to_a_centre_without_dinas(crafted):
    scenario = make("13", teams=3)
    assert people(scenario)["L2"] == {"rentan": 1}
    assert "DESA-1372011001" not in people(scenario), "9 is at K1, 12 at L2, 14 recorded"
    assert scenario["source"]["teams_by_kab"] == {"1371": 2, "1372": 1}
    assert [(t["region"], t["start_depot"]) for t in scenario["teams"]] == [
        ("1371", "DINAS-1371"),
        ("1371", "DINAS-1371"),
        ("1372", "DEPOT-1372"),
    ]
    assert [t["name"] for t in scenario["teams"]] == ["Tim 1 Kota Padang", "Tim 2 Kota Padang", "Tim 1 Kota Solok"]
    depot = scenario["depots"][1]
    assert (depot["lat"], depot["lon"]) == (-0.795, 100.611), "the centre of Kota Solok's one desa"
    assert any("Kota Solok" in w and "dinas" in w for w in scenario["source"]["warnings"])
    parsed = parse_scenario(scenario)
    assert not parsed.team("T03").serves(parsed.sites["S1"]) and parsed.team("T03").serves(parsed.sites["L2"])


def test_one_team_for_two_kab_kota_leaves_one_without_and_says_so(crafted):
    scenario = make("13", teams=1)
    assert scenario["source"]["teams_by_kab"] == {"1371": 1}
    assert any("tanpa tim" in w for w in scenario["source"]["warnings"])


def test_no_nik_and_no_name_of_a_person_in_the_scenario(crafted):
    raw = json.dumps(make("13"))
    assert not re.search(r"\d{16}", raw)
    assert "ORANG" not in raw


def test_through_the_cli(cli, crafted):
    out = crafted / "padang.json"
    run = cli(
        "plan",
        "make",
        "--region",
        "1371",
        "--from",
        "2024-11-14",
        "--to",
        "2024-11-26",
        "--teams",
        "2",
        "--out",
        out,
        "--kits",
        "3",
        "--weekdays",
        "1-5",
        "--max-visits",
        "1",
        "--hours",
        "08:00-15:00",
    )
    assert run.code == 0, run.err
    assert "8 lokasi, 16 orang, 2 tim, 1 depot" in run.out
    assert "sekolah: 2 lokasi, 4 orang (pemula 2, rentan 0, lainnya 2)" in run.out
    scenario = json.loads(out.read_text(encoding="utf-8"))
    parse_scenario(scenario)
    assert scenario["period"]["weekdays"] == [1, 2, 3, 4, 5]
    assert scenario["period"]["hours"] == {"start": "08:00", "end": "15:00"}
    assert {t["kits"] for t in scenario["teams"]} == {3}
    assert {s["max_visits"] for s in scenario["sites"]} == {1}


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (["--teams", "0"], "--teams"),
        (["--weekdays", "0-9"], "--weekdays"),
        (["--hours", "16:00-08:00"], "--hours"),
        (["--to", "2024-11-01"], "--to"),
        (["--region", "99"], "tidak valid"),
        (["--region", "14"], "tidak ada dalam data"),
    ],
)
def test_bad_options_are_refused_in_one_line(cli, crafted, args, word):
    base = {
        "--region": "13.71",
        "--from": "2024-11-14",
        "--to": "2024-11-26",
        "--teams": "2",
        "--out": str(crafted / "x.json"),
    }
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    run = cli("plan", "make", *[x for kv in base.items() for x in kv])
    assert run.code == 1, run.out
    assert word in run.err and "Traceback" not in run.err
    assert not (crafted / "x.json").exists()


def test_without_imported_sites_the_user_is_told_to_import_them(cli, tmp_path):
    assert cli("import", write_register(tmp_path / "r.csv", [ROWS[1]]), "--date", "2024-11-13").code == 0
    run = cli(
        "plan",
        "make",
        "--region",
        "13.71",
        "--from",
        "2024-11-14",
        "--to",
        "2024-11-26",
        "--teams",
        "1",
        "--out",
        tmp_path / "x.json",
    )
    assert run.code == 1 and "rekam sites import" in run.err


# --- the demo --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_sites_home(demo_home: Path, demo_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo's REKAM_HOME with the demo's sites imported."""
    home = tmp_path_factory.mktemp("plan-demo") / "home"
    shutil.copytree(demo_home, home)
    files = sorted((demo_data / "sites").glob("*.csv")) + [demo_data / "wilayah" / "desa.csv"]
    Rekam(Settings(home=home)).import_sites(files)
    return home


def demo_niks(demo_data: Path) -> set[str]:
    found: set[str] = set()
    for path in (demo_data / "siak").glob("*.csv"):
        found.update(line.split(",", 1)[0] for line in path.read_text(encoding="utf-8").splitlines()[1:])
    return found


def test_demo_kab_kota_scenario(demo_sites_home, demo_data):
    settings = Settings(home=demo_sites_home)
    scenario = Rekam(settings).make_scenario("13.71", date(2024, 11, 14), date(2024, 11, 26), 3)
    parsed = parse_scenario(scenario)
    assert len(parsed.teams) == 3 and list(parsed.depots) == ["DINAS-1371"]
    assert all(s.desa_code.startswith("1371") for s in parsed.sites.values())
    assert {s.kind for s in parsed.sites.values()} >= {"sekolah", "desa"}
    assert all(s.total >= 1 for s in parsed.sites.values())
    [province] = Rekam(settings).coverage(as_of=date(2024, 11, 14), level="prov", election_date=date(2024, 11, 27))
    counted = sum(scenario["source"]["people"].values())
    # Everyone counted is wajib and not recorded, or akan wajib, somewhere in the register.
    assert 0 < counted <= province.belum_rekam + province.counts["akan_wajib_belum_rekam"]
    raw = json.dumps(scenario)
    assert not re.search(r"\d{16}", raw)


def test_demo_province_scenario_through_the_cli(cli, demo_sites_home, demo_data, monkeypatch, tmp_path):
    monkeypatch.setenv("REKAM_HOME", str(demo_sites_home))
    out = tmp_path / "sumbar.json"
    run = cli(
        "plan",
        "make",
        "--region",
        "13",
        "--from",
        "2024-11-14",
        "--to",
        "2024-11-26",
        "--teams",
        "25",
        "--out",
        out,
        "--json",
    )
    assert run.code == 0, run.err
    scenario = json.loads(out.read_text(encoding="utf-8"))
    parsed = parse_scenario(scenario)
    by_kab = scenario["source"]["teams_by_kab"]
    kabs_with_people = {s["desa_code"][:4] for s in scenario["sites"]}
    assert set(by_kab) == kabs_with_people and sum(by_kab.values()) == 25
    assert all(n >= 1 for n in by_kab.values())
    assert {t.region for t in parsed.teams} == kabs_with_people
    for team in parsed.teams:
        assert parsed.depots[team.start_depot].name.endswith(team.name.split(" ", 2)[2])
    assert run.json()["people"] == scenario["source"]["people"]
    # Province-wide, with every site and desa on the map, everyone counted by the coverage is in
    # the scenario exactly once, and its pemula are the coverage's pemula not recorded.
    [province] = Rekam(Settings(home=demo_sites_home)).coverage(
        as_of=date(2024, 11, 14), level="prov", election_date=date(2024, 11, 27)
    )
    people = scenario["source"]["people"]
    assert sum(people.values()) == province.belum_rekam + province.counts["akan_wajib_belum_rekam"]
    assert people["pemula"] == province.counts["pemula_belum_rekam"]
    raw = out.read_text(encoding="utf-8")
    assert not demo_niks(demo_data) & set(re.findall(r"\d{16}", raw))
    assert not re.search(r"\d{16}", raw)
