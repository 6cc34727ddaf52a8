"""REKAM_LANG reaches every word the main commands print: with ``en`` no Indonesian-only word
is left (summaries, table titles and headers, the error prefix), with ``id`` no English one,
and numbers follow the language (97,74 beside Indonesian words, 97.74 beside English ones)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.conftest import person, write_register
from tests.planner_factory import random_sites, scenario

D = "2024-11-13"
#: Words only an Indonesian sentence holds (data such as region names aside).
INDONESIAN = [
    "Galat",
    "penduduk",
    "baris",
    "dibaca",
    "diterima",
    "dikarantina",
    "Cakupan",
    "perekaman",
    "wajib",
    "sudah rekam",
    "belum rekam",
    "Kemajuan",
    "Peringkat",
    "skor",
    "orang",
    "ditulis",
    "tertimbang",
    "batas atas",
    "selisih",
    "kunjungan",
    "lokasi",
    "kode",
    "wilayah",
    "minggu",
    "Peringatan",
]
#: Words only an English sentence holds.
ENGLISH = [
    "Error",
    "residents",
    "rows",
    "read",
    "accepted",
    "quarantined",
    "coverage",
    "recorded",
    "score",
    "upper bound",
    "people",
    "written",
    "visits",
    "sites",
    "progress",
    "ranking",
    "region",
    "week",
]


def _words(found: str, words: list[str]) -> list[str]:
    return [w for w in words if re.search(rf"\b{re.escape(w)}\b", found, flags=re.IGNORECASE)]


@pytest.fixture
def outputs(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """What the main commands print (stdout and stderr together), in a language."""

    def run(lang: str) -> tuple[str, float]:
        monkeypatch.setenv("REKAM_LANG", lang)
        monkeypatch.setenv("REKAM_HOME", str(tmp_path / f"home-{lang}"))
        rows = [person(i, f"19{60 + i}-01-01", desa="13.71.01.1001") for i in range(1, 4)]
        rows += [person(4, "1990-02-02", desa="13.71.01.1002", status="CARD_ISSUED", recorded="2015-01-01")]
        rows += [person(5, "1990-02-02", desa="13.71.01.1002", status="CARD_ISSUED", recorded="2015-01-01")]
        rows += ["13710101019000XX,bad"]  # a quarantined row: the summary says so
        register = write_register(tmp_path / f"r-{lang}.csv", rows)
        plan = tmp_path / f"s-{lang}.json"
        plan.write_text(json.dumps(scenario(random_sites(8, 5), teams=1)))
        runs = [
            cli("import", register, "--date", D),
            cli("coverage", "--as-of", D, "--level", "desa"),
            cli("progress", "--as-of", D),
            cli("rank", "--as-of", D),
            cli("quality"),
            cli("snapshots"),
            cli(
                "list",
                "belum-rekam",
                "--region",
                "13.71.01",
                "--as-of",
                D,
                "--out",
                tmp_path / f"l-{lang}.csv",
                "--format",
                "csv",
            ),
            cli("plan", "solve", plan, "--iterations", "50", "--bound-time-limit", "5"),
            cli("coverage", "--as-of", "13-11-2024"),  # refused: the error prefix
        ]
        assert [r.code for r in runs] == [0, 0, 0, 0, 0, 0, 0, 0, 1], [r.err for r in runs]
        pct = cli("coverage", "--as-of", D, "--format", "json").json()[0]["coverage_pct"]
        return "\n".join(r.out + r.err for r in runs), pct

    return run


def test_english_output_has_no_indonesian_words_and_english_numbers(outputs):
    printed, pct = outputs("en")
    assert _words(printed, INDONESIAN) == []
    assert "Error:" in printed and "residents" in printed.lower()
    assert f"{pct:.2f}" in printed and f"{pct:.2f}".replace(".", ",") not in printed


def test_indonesian_output_has_no_english_words_and_indonesian_numbers(outputs):
    printed, pct = outputs("id")
    assert _words(printed, ENGLISH) == []
    assert "Galat:" in printed and "penduduk" in printed
    assert f"{pct:.2f}".replace(".", ",") in printed
