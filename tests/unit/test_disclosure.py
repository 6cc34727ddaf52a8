from rekam.analytics.disclosure import suppress


def test_small_counts_and_what_they_reveal_are_hidden():
    row = {
        "region_code": "13.71.01.1001",
        "region_name": "X",
        "level": "desa",
        "wajib": 120,
        "sudah_rekam": 118,
        "belum_rekam": 2,
        "coverage_pct": 98.33,
        "target_gap": 1,
        "prr": 0,
        "pemula": 3,
        "by_sex": {"L": {"wajib": 60, "sudah_rekam": 4}},
    }
    out = suppress(row)
    assert out["wajib"] == 120 and out["prr"] == 0
    assert out["pemula"] is None
    # 2 not recorded among 120: the count, and the figures it can be worked back from, go.
    assert out["belum_rekam"] is None and out["sudah_rekam"] is None and out["coverage_pct"] is None
    assert out["by_sex"]["L"] == {"wajib": 60, "sudah_rekam": None}
    assert row["pemula"] == 3, "the input is not changed"


def test_large_counts_pass_through():
    row = {"region_code": "13", "wajib": 4000, "sudah_rekam": 3900, "belum_rekam": 100, "coverage_pct": 97.5}
    assert suppress(row) == row


def test_threshold_is_a_parameter():
    assert suppress({"pemula": 7}, threshold=10) == {"pemula": None}
    assert suppress({"pemula": 7}, threshold=5) == {"pemula": 7}
