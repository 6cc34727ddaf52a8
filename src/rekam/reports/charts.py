"""The charts, defined once (matplotlib) and used by the rakor report and the web pages alike.

Each chart is a function returning SVG text: ``svg.fonttype = 'none'`` so its words stay text
(searchable in the PDF, small files), and every ``style="..."`` of matplotlib's output is turned
into SVG presentation attributes (``fill="#000"``) with the ``<style>`` element dropped, so the
SVG can be inlined in a page whose Content-Security-Policy allows no inline style. The figure's
size is in its ``viewBox``; the page or the PDF scales it to its width (``width: 100%``).

Readable in print and in greyscale: under target and met are told apart by hatching, the target,
the deadline and the projection by line style and marker, never by colour alone. Words come from
``rekam.messages`` (Indonesian, or English with ``lang="en"``), numbers and dates from
``rekam.numbers`` (``99,40 %``, ``27 Nov 2024``).

matplotlib is imported on first use only (the CLI's start-up does not pay for it), with the Agg
backend; a lock keeps two web requests from drawing at once (its rcParams are global).
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from rekam import numbers
from rekam.messages import text_in

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

# Greys that print: bars under target hatched on white, met in solid grey.
INK = "#1d2733"
GREY = "#8c959f"
LIGHT = "#d0d5db"

_lock = threading.Lock()
_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "rekam",  # the same ids for the same chart (stable files and tests)
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "text.color": INK,
    "hatch.color": INK,
    "hatch.linewidth": 0.6,
}


@dataclass(frozen=True)
class Bar:
    """One kab/kota in the coverage chart: its name and coverage (None: no wajib)."""

    label: str
    coverage_pct: float | None
    target_met: bool


@dataclass(frozen=True)
class Point:
    """One snapshot in the trend: its export date and the coverage then (None: the region was
    not in that snapshot)."""

    day: date
    coverage_pct: float | None


def axis_start(values: Sequence[float | None], target: float) -> float:
    """Where the coverage axis starts: the whole number 1 to 2 points under the lowest value
    (or the target), so 94 % and 99 % differ visibly; never under 0."""
    lowest = min([v for v in values if v is not None] + [target])
    return float(max(0, math.floor(lowest - 1)))


def coverage_chart(bars: Sequence[Bar], target: float, lang: str = "id") -> str:
    """Coverage per kab/kota against the target: horizontal bars (top to bottom as given), the
    target as a dashed line, the axis from ``axis_start`` to 100 % (said under the axis)."""
    start = axis_start([b.coverage_pct for b in bars], target)

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        ys = list(range(len(bars)))[::-1]
        for y, b in zip(ys, bars, strict=True):
            value = b.coverage_pct if b.coverage_pct is not None else start
            ax.barh(
                y,
                value - start,
                left=start,
                height=0.7,
                color=GREY if b.target_met else "white",
                edgecolor=INK,
                linewidth=0.6,
                hatch=None if b.target_met else "////",
            )
            shown = numbers.percent(b.coverage_pct, lang)
            ax.text(min(value, 100.0) + 0.05, y, shown, va="center", ha="left", fontsize=7)
        ax.axvline(target, color=INK, linestyle="--", linewidth=1.2)
        ax.set_yticks(ys, [b.label for b in bars], fontsize=8)
        ax.set_xlim(start, 100.0 + (100.0 - start) * 0.12)
        ax.set_ylim(-0.7, len(bars) - 0.3)
        ticks = _ticks(start, 100.0)
        ax.set_xticks(ticks, [numbers.figure(t, lang) for t in ticks])
        ax.set_xlabel(text_in(lang, "chart_coverage_axis", start=numbers.figure(start, lang)))
        from matplotlib.patches import Patch

        handles = [
            Patch(facecolor="white", edgecolor=INK, hatch="////", label=text_in(lang, "chart_under_target")),
            Patch(facecolor=GREY, edgecolor=INK, label=text_in(lang, "chart_target_met")),
            _line("--", text_in(lang, "chart_target", target=numbers.percent(target, lang))),
        ]
        ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False, fontsize=8)
        ax.spines[["top", "right"]].set_visible(False)

    return _render(draw, (7.0, 0.32 * len(bars) + 1.3), text_in(lang, "chart_coverage_title"))


def trend_chart(
    points: Sequence[Point],
    target: float,
    deadline: date | None = None,
    projected: date | None = None,
    lang: str = "id",
    projection: bool = True,
) -> str:
    """Coverage over the snapshots (solid line, round markers), the target (dash-dot), the
    deadline (dotted, upright) and, when the pace reaches the target at ``projected``, the
    projection from the last snapshot to it (dashed, to a cross; cut at the chart's edge when
    it lies far beyond the deadline, its date in the legend); otherwise a note says so.
    ``projection=False``: no projection was computed (a page without the period), nor a note."""
    known = [p for p in points if p.coverage_pct is not None]
    ends = [p.day for p in points] + [d for d in (deadline,) if d is not None]
    first, last = min(ends), max(ends)
    if projected is not None and (projected - last).days <= max(90, (last - first).days):
        last = max(last, projected)  # a projection far beyond runs off the chart's edge, its date in the legend
    values: list[float | None] = [p.coverage_pct for p in known]
    start = axis_start(values, target)

    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        ax.plot(
            [p.day for p in known],
            [p.coverage_pct for p in known],
            color=INK,
            linestyle="-",
            marker="o",
            markersize=4,
            linewidth=1.4,
            label=text_in(lang, "chart_coverage"),
        )
        ax.axhline(
            target,
            color=INK,
            linestyle="-.",
            linewidth=1.0,
            label=text_in(lang, "chart_target", target=numbers.percent(target, lang)),
        )
        if deadline is not None:
            ax.axvline(
                deadline,  # type: ignore[arg-type]  # matplotlib takes dates on a date axis
                color=INK,
                linestyle=":",
                linewidth=1.2,
                label=text_in(lang, "chart_deadline", day=numbers.month_day(deadline, lang)),
            )
        if projected is not None and known and known[-1].coverage_pct is not None:
            tail = known[-1]
            ax.plot(
                [tail.day, projected],
                [tail.coverage_pct, max(target, tail.coverage_pct)],
                color=INK,
                linestyle="--",
                marker="x",
                markevery=[1],
                linewidth=1.0,
                label=text_in(lang, "chart_projection", day=numbers.month_day(projected, lang)),
            )
        elif known and projection:
            ax.plot([], [], " ", label=text_in(lang, "chart_no_projection"))
        span = max(1, (last - first).days)
        from datetime import timedelta

        ax.set_xlim(first - timedelta(days=span * 0.04 + 1), last + timedelta(days=span * 0.04 + 1))  # type: ignore[arg-type]
        from matplotlib import dates as mdates
        from matplotlib.ticker import FuncFormatter

        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=6))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: numbers.month_day(mdates.num2date(x).date(), lang)))
        ax.set_ylim(start, 100.0)
        yticks = _ticks(start, 100.0)
        ax.set_yticks(yticks, [numbers.figure(t, lang) for t in yticks])
        ax.set_ylabel(text_in(lang, "chart_coverage_axis", start=numbers.figure(start, lang)))
        ax.set_xlabel(text_in(lang, "chart_date_axis"))
        ax.grid(axis="y", color=LIGHT, linewidth=0.5)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False, fontsize=8)
        ax.spines[["top", "right"]].set_visible(False)

    return _render(draw, (7.0, 3.4), text_in(lang, "chart_trend_title"), margins=(0.09, 0.13, 0.98, 0.80))


def _line(style: str, label: str) -> Any:
    from matplotlib.lines import Line2D

    return Line2D([0], [0], color=INK, linestyle=style, linewidth=1.2, label=label)


def _ticks(start: float, end: float) -> list[float]:
    """About five round ticks from ``start`` to ``end``."""
    width = end - start
    step = next(s for s in (0.5, 1, 2, 5, 10, 20, 25) if width / s <= 6)
    first = math.ceil(start / step) * step
    return [round(first + i * step, 2) for i in range(int((end - first) / step + 1e-9) + 1)]


def _render(
    draw: Any, size: tuple[float, float], title: str, margins: tuple[float, float, float, float] | None = None
) -> str:
    """``draw(fig)`` on a new figure of ``size`` inches, as inline-safe SVG; ``margins`` (left,
    bottom, right, top as fractions) fix the plot's place (one drawing pass), else matplotlib's
    constrained layout fits the labels (two passes: the coverage chart's long names)."""
    with _lock:
        import matplotlib

        matplotlib.use("Agg", force=False)
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        with matplotlib.rc_context(_RC):
            fig = Figure(figsize=size, layout=None if margins else "constrained")
            if margins:
                fig.subplots_adjust(*margins)
            FigureCanvasAgg(fig)
            draw(fig)
            buf = io.StringIO()
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None, "Title": title})
    return inline_safe(buf.getvalue(), title)


_DECL = re.compile(r"\s*([a-z-]+)\s*:\s*(.+?)\s*$")


def inline_safe(svg: str, title: str) -> str:
    """matplotlib's SVG as an element to inline in HTML under a CSP without inline styles:
    ``style`` attributes become presentation attributes, the ``<style>`` and metadata go, the
    root keeps its viewBox (no fixed width/height) and gets ``role="img"`` and a ``<title>``.
    Ids no reference needs are dropped and the others made the chart's own (``_own_ids``), so
    several charts on one page or in one PDF never share an id (a clip path, a hatch pattern)."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    root = ET.fromstring(svg.encode("utf-8"))
    for parent in root.iter():
        for child in list(parent):
            if child.tag in (f"{{{SVG_NS}}}metadata", f"{{{SVG_NS}}}style"):
                parent.remove(child)
    for el in root.iter():
        style = el.attrib.pop("style", None)
        if style:
            for decl in style.split(";"):
                m = _DECL.match(decl)
                if m:
                    el.set(m.group(1), m.group(2))
    _own_ids(root, "c" + hashlib.sha1(svg.encode("utf-8")).hexdigest()[:8] + "-")
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    for attr in ("width", "height"):
        root.attrib.pop(attr, None)
    root.set("role", "img")
    root.set("class", "chart")
    if root.find(f"{{{SVG_NS}}}title") is None:  # matplotlib writes the metadata's Title as one
        label = ET.Element(f"{{{SVG_NS}}}title")
        label.text = title
        root.insert(0, label)
    return ET.tostring(root, encoding="unicode")


_REF = re.compile(r"url\(#([^)]+)\)")


def _own_ids(root: ET.Element, prefix: str) -> None:
    """Keep only the ids that are referenced (``url(#id)``, ``href="#id"``), prefixed."""
    href = f"{{{XLINK_NS}}}href"
    used: set[str] = set()
    for el in root.iter():
        for name, value in el.attrib.items():
            used.update(_REF.findall(value))
            if name in (href, "href") and value.startswith("#"):
                used.add(value[1:])
    for el in root.iter():
        ident = el.attrib.pop("id", None)
        if ident in used:
            el.set("id", prefix + ident)
        for name, value in list(el.attrib.items()):
            if "url(#" in value:
                el.set(name, _REF.sub(lambda m: f"url(#{prefix}{m.group(1)})", value))
            elif name in (href, "href") and value.startswith("#"):
                el.set(name, "#" + prefix + value[1:])
