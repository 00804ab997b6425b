"""Report charts: the dimensions and every scored leaf, as PNG (DOCX) and SVG (PDF).

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
from matplotlib.typing import RcKeyType  # noqa: E402

from generator.render.views.report import Chart, chart_plan  # noqa: E402
from generator.score.card import Result, ResultScore, Scorecard  # noqa: E402

FONT = ["Noto Sans CJK SC", "Source Han Sans SC", "SimHei", "DejaVu Sans"]
"""Chart fonts: Noto Sans CJK SC comes with Debian's fonts-noto-cjk."""
WIDTH_CM = 15.0
RC: dict[RcKeyType, object] = {
    "font.family": "sans-serif",
    "font.sans-serif": FONT,
    "font.size": 9,
    "axes.unicode_minus": False,
    "svg.hashsalt": "zwpj",
    "svg.fonttype": "none",
    "path.simplify": True,
}


def make_charts(card: Scorecard, colors: list[str]) -> dict[str, Chart]:
    """The dimensions chart (key ``dimensions``) and one chart of leaf rates per dimension (key: its id).

    Figures are the result's (``Scorecard.result``); with several modes each mode's own bars stand
    beside the combined ones, in the legend by the mode's name.
    """
    result = card.result
    with matplotlib.rc_context(RC):
        charts = {}
        for key, (title, scores) in chart_plan(result).items():
            if key == "dimensions":
                figure, alt = _dimensions(result, colors), _dimensions_alt(result)
            else:
                figure, alt = _leaves(list(scores), colors, _at(result, key)), _leaves_alt(title, scores)
            charts[key] = _chart(key, title, figure, alt)
        return charts


def _at(result: Result, dimension: str) -> int:
    return next(i for i, d in enumerate(result.dimensions) if d.id == dimension)


def _chart(key: str, title: str, fig: Figure, alt: str) -> Chart:
    png, svg = io.BytesIO(), io.BytesIO()
    fig.savefig(png, format="png", dpi=200, metadata={"Software": None})
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return Chart(key, title, png.getvalue(), svg.getvalue(), WIDTH_CM, alt)


def _rate(fraction: float | None, status: str, decimals: int) -> str:
    return "不适用" if status == "not_applicable" else f"{(fraction or 0) * 100:.{decimals}f}%"


def _modes(score: ResultScore, decimals: int) -> str:
    """Each mode's own figure, for the text a screen reader reads: （自评 95%，第三方评价 80%）."""
    if not score.by_mode:
        return ""
    shares = "，".join(f"{f.name} {_rate(f.fraction, score.status, decimals)}" for f in score.by_mode)
    return f"（{shares}）"


def _dimensions_alt(result: Result) -> str:
    """The dimensions chart as the text a screen reader reads: each bar's label, as drawn."""
    bars = [
        f"{d.name} {d.points or 0.0:g} / {d.effective_weight:g} 分（{_rate(d.fraction, d.status, 1)}）"
        f"{_modes(d, 1)}"
        for d in result.dimensions
    ]
    kind = "综合得分" if result.combined else "得分"
    return f"各维度{kind}（得分 / 满分，得分率）：" + "；".join(bars) + "。"


def _leaves_alt(title: str, leaves: tuple[ResultScore, ...]) -> str:
    """A leaves chart as text: each indicator with the rate its bar shows."""
    bars = [f"{x.id} {x.name} {_rate(x.fraction, x.status, 0)}{_modes(x, 0)}" for x in leaves]
    return f"{title}：" + "；".join(bars) + "。"


def _series(scores: list[ResultScore]) -> list[tuple[str, list[float | None]]]:
    """(label, points per score) of each bar series: each mode's own, then the result."""
    if not scores or not scores[0].by_mode:
        return [("得分", [s.points for s in scores])]
    names = [f.name for f in scores[0].by_mode]
    series = [(name, [s.by_mode[k].points for s in scores]) for k, name in enumerate(names)]
    return [*series, ("综合得分", [s.points for s in scores])]


def _dimensions(result: Result, colors: list[str]) -> Figure:
    """Bars of each dimension's points against its full weight, labelled points / weight and rate."""
    dims = [d for d in result.dimensions if d.weight > 0]  # groups of vetoes and bonuses carry no points
    fig = Figure(figsize=(WIDTH_CM / 2.54, 2.8), layout="constrained")
    ax = fig.add_subplot()
    x = list(range(len(dims)))
    full = [d.effective_weight for d in dims]
    series = _series(list(dims))
    width = 0.7 / len(series)
    ax.bar(x, full, color="#e6e6e6", width=0.8, label="满分")
    for k, (label, points) in enumerate(series):
        offset = (k - (len(series) - 1) / 2) * width
        combined = k == len(series) - 1
        color = _color(colors, 0) if combined else _color(colors, k + 1)
        ax.bar(
            [i + offset for i in x], [p or 0.0 for p in points], width=width * 0.9, color=color, label=label
        )
    for i, d in enumerate(dims):
        rate = _rate(d.fraction, d.status, 1)
        ax.text(i, full[i] * 1.02, f"{d.points or 0:g} / {full[i]:g}（{rate}）", ha="center", va="bottom")
    ax.set_xticks(x, [d.name for d in dims])
    ax.set_ylim(0, max(full, default=1) * 1.3)
    ax.set_ylabel("分")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper right", frameon=False, ncols=len(series) + 1)
    return fig


def _leaves(leaves: list[ResultScore], colors: list[str], dimension: int) -> Figure:
    """Horizontal bars of leaf score rates, top to bottom in system order; at most ~18 cm tall."""
    rates = _rates(leaves)
    bars = len(leaves) * len(rates)
    per_bar = min(0.26, 6.4 / max(bars, 1))
    fig = Figure(figsize=(WIDTH_CM / 2.54, 0.9 + per_bar * bars), layout="constrained")
    ax = fig.add_subplot()
    y = list(range(len(leaves)))[::-1]
    height = 0.75 / len(rates)
    for k, (label, values) in enumerate(rates):
        offset = ((len(rates) - 1) / 2 - k) * height
        combined = k == len(rates) - 1
        color = _color(colors, dimension) if combined else _color(colors, dimension + k + 1)
        ax.barh([yi + offset for yi in y], values, height=height * 0.9, color=color, label=label)
    ax.set_yticks(y, [_label(leaf) for leaf in leaves], fontsize=8)
    for yi, leaf in zip(y, leaves, strict=True):
        rate = (leaf.fraction or 0.0) * 100
        text = _rate(leaf.fraction, leaf.status, 0)
        ax.text(min(rate, 100) + 1, yi - (len(rates) - 1) / 2 * height, text, va="center", fontsize=7.5)
    ax.set_xlim(0, 112)
    ax.set_ylim(-0.6, len(leaves) - 0.4)
    ax.set_xlabel("得分率（%）")
    ax.spines[["top", "right"]].set_visible(False)
    if len(rates) > 1:
        ax.legend(loc="lower right", frameon=False, fontsize=7.5)
    return fig


def _rates(leaves: list[ResultScore]) -> list[tuple[str, list[float]]]:
    """(label, rate in % per leaf) of each bar series: each mode's own, then the result."""
    result = [(leaf.fraction or 0.0) * 100 for leaf in leaves]
    if not leaves[0].by_mode:
        return [("得分率", result)]
    names = [f.name for f in leaves[0].by_mode]
    own = [
        (name, [(leaf.by_mode[k].fraction or 0.0) * 100 for leaf in leaves]) for k, name in enumerate(names)
    ]
    return [*own, ("综合", result)]


def _label(leaf: ResultScore) -> str:
    name = leaf.name if len(leaf.name) <= 14 else leaf.name[:13] + "…"
    return f"{leaf.id} {name}"


def _color(colors: list[str], i: int) -> str:
    return "#" + colors[i % len(colors)].lstrip("#")
