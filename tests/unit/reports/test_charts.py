"""The charts (reports/charts.py): SVG that parses, words kept as text, the target, the deadline
and the projection labelled, safe to inline under the pages' CSP, readable in greyscale."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from rekam.reports import charts

NS = {"svg": charts.SVG_NS}
BARS = [
    charts.Bar("Kota Solok", 100.0, True),
    charts.Bar("Kabupaten Agam", 94.0, False),
    charts.Bar("Kota Padang", 99.0, False),
]
POINTS = [
    charts.Point(date(2024, 8, 1), 95.1),
    charts.Point(date(2024, 10, 1), 96.93),
    charts.Point(date(2024, 11, 13), 97.53),
]


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{{{charts.SVG_NS}}}text")]


def test_the_coverage_chart_names_every_kab_the_target_and_the_axis_range() -> None:
    svg = charts.coverage_chart(BARS, 99.4)
    texts = _texts(svg)
    assert {"Kota Solok", "Kabupaten Agam", "Kota Padang"} <= set(texts)
    assert "Target 99,40 %" in texts
    assert "94,00 %" in texts and "99,00 %" in texts  # each bar's value, as the reader reads it
    # The axis starts under the lowest value (94), not at 0, and says so.
    assert "Cakupan (%), sumbu mulai 93 %" in texts
    assert "0" not in texts


def test_under_target_and_met_differ_without_colour() -> None:
    """Bars under target are hatched (a pattern), met ones solid grey: a greyscale print tells them apart."""
    svg = charts.coverage_chart(BARS, 99.4)
    root = ET.fromstring(svg)
    assert root.find(".//svg:pattern", NS) is not None
    fills = {el.get("fill") for el in root.iter() if el.get("fill", "").startswith("#")}
    for colour in fills:  # greys only: r = g = b within a few steps
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        assert max(r, g, b) - min(r, g, b) <= 40, colour


def test_the_trend_chart_has_labelled_axes_target_deadline_and_projection_in_indonesian() -> None:
    svg = charts.trend_chart(POINTS, 99.4, date(2024, 11, 27), date(2025, 1, 14))
    texts = _texts(svg)
    assert "Tanggal ekspor snapshot" in texts
    assert any(t.startswith("Cakupan (%), sumbu mulai") for t in texts)
    assert "Target 99,40 %" in texts
    assert "Tenggat 27 Nov 2024" in texts
    assert "Proyeksi pada laju ini: 14 Jan 2025" in texts
    assert "1 Agu 2024" in texts  # Indonesian month names on the date axis


def test_without_a_projection_the_chart_says_so_or_nothing_when_none_was_computed() -> None:
    assert "Proyeksi: tidak tercapai pada laju ini" in _texts(charts.trend_chart(POINTS, 99.4, None, None))
    texts = _texts(charts.trend_chart(POINTS, 99.4, None, None, projection=False))
    assert not any(t.startswith("Proyeksi") for t in texts)


def test_english_words_and_numbers() -> None:
    texts = _texts(charts.trend_chart(POINTS, 99.4, date(2024, 11, 27), None, lang="en"))
    assert "Snapshot export date" in texts and "Target 99.40 %" in texts and "Deadline 27 Nov 2024" in texts


@pytest.mark.parametrize("make", [lambda: charts.coverage_chart(BARS, 99.4), lambda: charts.trend_chart(POINTS, 99.4)])
def test_the_svg_can_be_inlined_under_a_csp_without_inline_style(make) -> None:  # noqa: ANN001
    svg = make()
    root = ET.fromstring(svg)
    assert root.tag == f"{{{charts.SVG_NS}}}svg" and root.get("viewBox") and root.get("width") is None
    assert not any("style" in el.attrib for el in root.iter())
    assert root.find(".//svg:style", NS) is None and "<script" not in svg
    assert root.find("svg:title", NS) is not None
    assert len(svg) < 40_000
    assert make() == svg  # the same chart, the same text (stable ids)


@pytest.mark.parametrize(
    ("values", "start"), [([94.0, 100.0], 93.0), ([99.6], 98.0), ([99.1], 98.0), ([None], 98.0), ([0.5], 0.0)]
)
def test_axis_start(values: list[float | None], start: float) -> None:
    assert charts.axis_start(values, 99.4) == start


def test_a_single_snapshot_still_draws() -> None:
    svg = charts.trend_chart(POINTS[:1], 99.4)
    assert re.search(r">\d{1,2} \w{3} 2024<", svg)
