"""Report charts: the three dimensions and every scored leaf, as PNG (DOCX) and SVG (PDF).

SVG text stays text (svg.fonttype none): WeasyPrint sets it in Noto Sans CJK SC, which keeps chart
labels searchable in the PDF and is far cheaper than glyph outlines (those took 2.2 s of a report).

Drawn with matplotlib's object API (no pyplot figure registry) inside an ``rc_context``, so no
global state leaks between reports; time stamps and random ids are switched off so equal scores
give equal bytes.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from ...score.card import IndicatorScore, Scorecard  # noqa: E402
from .view import Chart  # noqa: E402

FONT = ["Noto Sans CJK SC", "Source Han Sans SC", "SimHei", "DejaVu Sans"]
"""Chart fonts: Noto Sans CJK SC comes with Debian's fonts-noto-cjk."""
WIDTH_CM = 15.0
RC = {
    "font.family": "sans-serif",
    "font.sans-serif": FONT,
    "font.size": 9,
    "axes.unicode_minus": False,
    "svg.hashsalt": "zwpj",
    "svg.fonttype": "none",
    "path.simplify": True,
}


def make_charts(card: Scorecard, colors: list[str]) -> dict[str, Chart]:
    """The dimensions chart (key ``dimensions``) and one chart of leaf rates per dimension (key: its id)."""
    with matplotlib.rc_context(RC):
        charts = {
            "dimensions": _chart("dimensions", "各维度得分", _dimensions(card, colors), _dimensions_alt(card))
        }
        for i, dim in enumerate(card.dimensions):
            leaves = [
                x
                for x in card.leaves
                if x.dimension == dim.id and (x.effective_weight > 0 or x.status == "not_applicable")
            ]
            if leaves:
                title = f"{dim.name}各末级指标得分率"
                charts[dim.id] = _chart(
                    dim.id, title, _leaves(leaves, _color(colors, i)), _leaves_alt(title, leaves)
                )
        return charts


def _chart(key: str, title: str, fig: Figure, alt: str) -> Chart:
    png, svg = io.BytesIO(), io.BytesIO()
    fig.savefig(png, format="png", dpi=200, metadata={"Software": None})
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return Chart(key, title, png.getvalue(), svg.getvalue(), WIDTH_CM, alt)


def _rate(fraction: float | None, status: str, decimals: int) -> str:
    return "不适用" if status == "not_applicable" else f"{(fraction or 0) * 100:.{decimals}f}%"


def _dimensions_alt(card: Scorecard) -> str:
    """The dimensions chart as the text a screen reader reads: each bar's label, as drawn."""
    bars = [
        f"{d.name} {d.points or 0.0:g} / {d.effective_weight:g} 分（{_rate(d.fraction, d.status, 1)}）"
        for d in card.dimensions
    ]
    return "各维度得分（得分 / 满分，得分率）：" + "；".join(bars) + "。"


def _leaves_alt(title: str, leaves: list[IndicatorScore]) -> str:
    """A leaves chart as text: each indicator with the rate its bar shows."""
    bars = [f"{leaf.id} {leaf.name} {_rate(leaf.fraction, leaf.status, 0)}" for leaf in leaves]
    return f"{title}：" + "；".join(bars) + "。"


def _dimensions(card: Scorecard, colors: list[str]) -> Figure:
    """Bars of each dimension's points against its full weight, labelled points / weight and rate."""
    dims = card.dimensions
    fig = Figure(figsize=(WIDTH_CM / 2.54, 2.6), layout="constrained")
    ax = fig.add_subplot()
    names = [d.name for d in dims]
    full = [d.effective_weight for d in dims]
    got = [d.points or 0.0 for d in dims]
    ax.bar(names, full, color="#e6e6e6", width=0.55, label="满分")
    ax.bar(names, got, color=[_color(colors, i) for i in range(len(dims))], width=0.55, label="得分")
    for i, d in enumerate(dims):
        rate = _rate(d.fraction, d.status, 1)
        ax.text(
            i, max(full[i], got[i]) * 1.02, f"{got[i]:g} / {full[i]:g}（{rate}）", ha="center", va="bottom"
        )
    ax.set_ylim(0, max(full, default=1) * 1.22)
    ax.set_ylabel("分")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper right", frameon=False, ncols=2)
    return fig


def _leaves(leaves: list[IndicatorScore], color: str) -> Figure:
    """Horizontal bars of leaf score rates, top to bottom in system order; at most ~18 cm tall."""
    per_bar = min(0.26, 6.4 / max(len(leaves), 1))
    fig = Figure(figsize=(WIDTH_CM / 2.54, 0.8 + per_bar * len(leaves)), layout="constrained")
    ax = fig.add_subplot()
    y = list(range(len(leaves)))[::-1]
    rates = [(leaf.fraction or 0.0) * 100 for leaf in leaves]
    ax.barh(y, rates, height=0.65, color=color)
    ax.set_yticks(y, [_label(leaf) for leaf in leaves], fontsize=8)
    for yi, leaf, rate in zip(y, leaves, rates, strict=True):
        text = _rate(leaf.fraction, leaf.status, 0)
        ax.text(min(rate, 100) + 1, yi, text, va="center", fontsize=7.5)
    ax.set_xlim(0, 112)
    ax.set_ylim(-0.6, len(leaves) - 0.4)
    ax.set_xlabel("得分率（%）")
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def _label(leaf: IndicatorScore) -> str:
    name = leaf.name if len(leaf.name) <= 14 else leaf.name[:13] + "…"
    return f"{leaf.id} {name}"


def _color(colors: list[str], i: int) -> str:
    return "#" + colors[i % len(colors)].lstrip("#")
