"""Figures stage: publication-style matplotlib figures from result tables, saved reproducibly.

Reads tidy tables (counts, shares, scores), returns matplotlib Figures; :func:`save` writes PNG,
SVG and PDF with identical bytes on every run for the same inputs.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ._data import read_table

#: widths in inches of a one-column and a two-column figure in a typical journal
ONE_COLUMN, TWO_COLUMN = 3.5, 7.2

STYLE = {
    "font.family": "DejaVu Sans",          # ships with matplotlib; has Cyrillic, Armenian, Georgian
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "savefig.bbox": "tight",
    "svg.hashsalt": "karabakh-media-toolkit",  # fixed ids in SVG output
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
}
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


def palette() -> dict[str, str]:
    """Country code -> colour (Okabe-Ito); ``'_other'`` for countries without their own colour."""
    table = read_table("data/palette.csv")
    return {key: "#" + colour for key, colour in zip(table["key"], table["colour"])}


def country_colour(code) -> str:
    """The fixed colour of an outlet country, e.g. ``country_colour('AZ') == '#0072B2'``."""
    colours = palette()
    return colours.get(code, colours["_other"]) if isinstance(code, str) else colours["_other"]


def cycle() -> list[str]:
    """The general colour cycle (colour-blind safe)."""
    table = read_table("data/palette.csv")
    return ["#" + c for c in table.loc[table["key"] == "_cycle", "colour"]]


#: colours for groups without a fixed colour, chosen to differ from the country colours (Tol's muted set)
_EXTRA = ["#332288", "#882255", "#44AA99", "#999933", "#AA4499", "#117733", "#DDCC77", "#000000"]


def group_colours(groups) -> dict[str, str]:
    """Colour per group: countries keep their fixed colour, other groups take distinct extra colours."""
    colours, fixed, extra = {}, palette(), iter(_EXTRA * 4)
    for group in groups:
        colours[group] = fixed[group] if group in fixed and not group.startswith("_") else next(extra)
    return colours


def use_style() -> None:
    """Apply the toolkit's publication style to matplotlib (also done on import)."""
    plt.rcParams.update(STYLE)
    plt.rcParams["axes.prop_cycle"] = matplotlib.cycler(color=cycle())


use_style()


def figures_dir() -> Path:
    """The run's figures folder: ``$TOOLKIT_FIGURES_DIR`` (set by ``toolkit report``), else ``figures``."""
    return Path(os.environ.get("TOOLKIT_FIGURES_DIR", "figures"))


def save(fig, name: str, *, out_dir=None, formats=("png", "svg", "pdf")) -> list[Path]:
    """Save ``fig`` as ``name.png``, ``.svg`` and ``.pdf`` with deterministic bytes.

    Timestamps and tool versions are left out of the files and SVG ids use a fixed salt, so
    the same figure gives the same bytes on a re-run.

    Examples
    --------
    >>> fig, ax = plt.subplots(); _ = ax.plot([0, 1])
    >>> [p.suffix for p in save(fig, "line", out_dir=tmp)]   # doctest: +SKIP
    ['.png', '.svg', '.pdf']
    """
    folder = Path(out_dir) if out_dir is not None else figures_dir()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    with plt.rc_context({"svg.hashsalt": STYLE["svg.hashsalt"]}):
        for fmt in formats:
            path = folder / f"{name}.{fmt}"
            fig.savefig(path, format=fmt, metadata=_METADATA.get(fmt))
            paths.append(path)
    return paths


def bar_counts(table: pd.DataFrame, *, label: str, value: str = "n_articles", colour_by: str | None = None,
               title: str | None = None, top: int = 25):
    """Horizontal bars of a count table (largest first), e.g. articles per outlet.

    Parameters
    ----------
    table : DataFrame with columns ``label`` and ``value`` (and ``colour_by`` if given).
    colour_by : column holding an outlet country code, to colour bars by country.
    """
    data = table.sort_values(value, ascending=False).head(top).iloc[::-1]
    height = max(1.6, 0.18 * len(data) + 0.6)
    fig, ax = plt.subplots(figsize=(ONE_COLUMN, height))
    colours = [country_colour(c) for c in data[colour_by]] if colour_by else cycle()[0]
    ax.barh(data[label].astype(str), data[value], color=colours)
    if colour_by:
        from matplotlib.patches import Patch

        shown = sorted(data[colour_by].dropna().astype(str).unique())
        handles = [Patch(color=country_colour(c), label=c) for c in shown]
        handles += [Patch(color=country_colour(None), label="unknown")] if data[colour_by].isna().any() else []
        ax.legend(handles=handles, title=colour_by.replace("_", " "), frameon=False, loc="lower right")
    ax.set_xlabel(value.replace("_", " "))
    if title:
        ax.set_title(title, loc="left")
    ax.xaxis.get_major_locator().set_params(integer=True)
    return fig


def timeline(table: pd.DataFrame, *, date: str = "period", value: str = "n_articles", group: str | None = None,
             title: str | None = None, key_dates: bool = True):
    """Counts or shares over time, one line per group, with the conflict's key dates marked.

    ``table`` is tidy: one row per period (and group) with a datetime column ``date``.
    """
    fig, ax = plt.subplots(figsize=(TWO_COLUMN, 2.6))
    if group is None:  # one series: bars, so that sparse days are not joined by misleading lines
        span = (table[date].max() - table[date].min()) if len(table) else pd.Timedelta(days=1)
        width = max(span / max(len(table), 1) * 0.8, pd.Timedelta(days=1)) if len(table) > 1 else pd.Timedelta(days=1)
        ax.bar(table[date], table[value], width=width, color=cycle()[0])
    else:
        for name, part in table.groupby(group, observed=True, sort=True):
            part = part.sort_values(date)
            ax.plot(part[date], part[value], marker="o", markersize=2.5, linewidth=1, label=str(name))
    if key_dates:
        mark_key_dates(ax, table[date].min(), table[date].max())
    ax.set_ylabel(value.replace("_", " "))
    if group is not None:
        ax.legend(frameon=False, ncol=2, loc="upper left", bbox_to_anchor=(0, -0.22))
    if title:
        ax.set_title(title, loc="left")
    fig.autofmt_xdate()
    return fig


def mark_key_dates(ax, start=None, end=None) -> None:
    """Draw the key dates of ``toolkit/data/key_dates.csv`` that fall in ``[start, end]``."""
    table = read_table("data/key_dates.csv")
    for i, (when, label) in enumerate(zip(pd.to_datetime(table["date"], utc=True), table["label"])):
        if start is not None and pd.notna(start) and (when < pd.Timestamp(start) - pd.Timedelta(days=30)
                                                      or when > pd.Timestamp(end) + pd.Timedelta(days=30)):
            continue
        ax.axvline(when, color="#666666", linewidth=0.6, linestyle="--")
        # alternate heights so that close dates (19 and 28 September 2023) stay legible
        ax.annotate(label, (when, 1.0 if i % 2 == 0 else 0.62), xycoords=("data", "axes fraction"), rotation=90, fontsize=6,
                    va="top", ha="right", color="#444444")


def topic_terms(terms: pd.DataFrame, labels=None, n: int = 8, columns: int = 4):
    """Small multiples: the top ``n`` terms of each topic with their weights.

    ``terms`` is :attr:`toolkit.topics.TopicModel.terms` (``topic``, ``rank``, ``term``, ``weight``).
    """
    topics = sorted(terms["topic"].unique())
    columns = min(columns, len(topics))
    rows = -(-len(topics) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(TWO_COLUMN, 1.5 * rows + 0.3), squeeze=False)
    for ax, topic in zip(axes.ravel(), topics):
        part = terms[(terms["topic"] == topic) & (terms["rank"] < n)].sort_values("rank").iloc[::-1]
        ax.barh(part["term"], part["weight"], color=cycle()[topic % len(cycle())])
        ax.set_title(labels[topic] if labels is not None else f"topic {topic}", loc="left", fontsize=7)
        ax.tick_params(axis="x", labelsize=6)
    for ax in axes.ravel()[len(topics):]:
        ax.axis("off")
    fig.tight_layout()
    return fig


def k_selection(table: pd.DataFrame):
    """Coherence and stability against the number of topics (output of :func:`toolkit.topics.select_k`)."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(TWO_COLUMN, 2.2))
    left.plot(table["k"], table["coherence"], marker="o", color=cycle()[0])
    left.set_xlabel("number of topics k")
    left.set_ylabel(f"coherence ({table.attrs.get('measure', 'c_npmi')})")
    right.plot(table["k"], table["stability"], marker="o", color=cycle()[1])
    right.set_xlabel("number of topics k")
    right.set_ylabel("stability across seeds")
    right.set_ylim(0, 1.02)
    for ax in (left, right):
        ax.xaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    return fig


def interval_dots(table: pd.DataFrame, *, row: str, value: str, by: str, low: str = "ci_low",
                  high: str = "ci_high", count: str = "n_scored", xlabel: str | None = None, title: str | None = None,
                  max_groups: int = 6, reference: float | None = None):
    """Dots with confidence intervals: one row per ``row`` value, one dot per ``by`` group.

    Groups that are country codes keep their fixed colours; only the ``max_groups`` groups with
    the largest ``count`` are drawn (the table has them all).
    """
    rows = list(dict.fromkeys(table[row].astype(str)))
    sizes = table.groupby(by, observed=True)[count].sum().sort_values(ascending=False, kind="stable")
    groups = [str(g) for g in sizes.index[:max_groups]]
    fig, ax = plt.subplots(figsize=(TWO_COLUMN, 0.35 * len(rows) + 0.9))
    offsets = np.linspace(-0.3, 0.3, len(groups)) if len(groups) > 1 else [0.0]
    colours = group_colours(groups)
    position = {r: i for i, r in enumerate(rows)}
    for offset, group in zip(offsets, groups):
        part = table[table[by].astype(str) == group]
        y = np.array([position[str(r)] for r in part[row]]) + offset
        err = np.vstack([part[value] - part[low], part[high] - part[value]]).astype(float)
        ax.errorbar(part[value].astype(float), y, xerr=np.nan_to_num(np.clip(err, 0, None)), fmt="o",
                    markersize=3, linewidth=0.8, color=colours[group], label=group)
    if reference is not None:
        ax.axvline(reference, color="#999999", linewidth=0.6)
    ax.set_yticks(range(len(rows)), rows)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel or value.replace("_", " "))
    ax.legend(frameon=False, title=by.replace("_", " "), bbox_to_anchor=(1.0, 1.0), loc="upper left")
    if title:
        ax.set_title(title, loc="left")
    return fig


def prevalence_dots(prevalence: pd.DataFrame, by: str = "outlet_country", title: str | None = None,
                    max_groups: int = 6):
    """Mean topic share per group with intervals (:meth:`toolkit.topics.TopicModel.prevalence`)."""
    return interval_dots(prevalence.sort_values("topic", kind="stable"), row="label", value="share", by=by,
                         count="n_articles", xlabel="mean topic share (95% bootstrap interval)", title=title,
                         max_groups=max_groups)


def heatmap(table: pd.DataFrame, *, title: str | None = None, fmt: str = "{:.1f}", cmap: str = "Blues",
            colorbar: str | None = None):
    """A labelled heatmap of a wide table (index: rows, columns: columns), values printed in cells."""
    data = table.astype(float)
    fig, ax = plt.subplots(figsize=(TWO_COLUMN, 0.32 * len(data) + 1.2))
    image = ax.imshow(data.to_numpy(), aspect="auto", cmap=cmap)
    ax.set_xticks(range(data.shape[1]), [str(c).replace("_", " ") for c in data.columns], rotation=40, ha="right")
    ax.set_yticks(range(data.shape[0]), [str(i) for i in data.index])
    peak = np.nanmax(data.to_numpy()) if data.size else 0
    for (i, j), v in np.ndenumerate(data.to_numpy()):
        if np.isfinite(v):
            ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=6,
                    color="white" if peak and v > 0.6 * peak else "black")
    if colorbar:
        fig.colorbar(image, ax=ax, label=colorbar, shrink=0.8)
    if title:
        ax.set_title(title, loc="left")
    return fig


def ranked_dots(table: pd.DataFrame, *, label: str, value: str, colour_by: str | None = None,
                xlabel: str | None = None, title: str | None = None, reference: float | None = 0.0):
    """One dot per row (e.g. per outlet), sorted by ``value``, coloured by country."""
    data = table.sort_values(value, kind="stable").reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(ONE_COLUMN + 0.6, 0.16 * len(data) + 0.9))
    colours = [country_colour(c) for c in data[colour_by]] if colour_by else cycle()[0]
    ax.scatter(data[value].astype(float), range(len(data)), c=colours, s=14, zorder=3)
    ax.set_yticks(range(len(data)), data[label].astype(str), fontsize=6)
    if reference is not None:
        ax.axvline(reference, color="#999999", linewidth=0.6)
    ax.set_xlabel(xlabel or value.replace("_", " "))
    if colour_by:
        from matplotlib.patches import Patch

        shown = sorted(data[colour_by].dropna().astype(str).unique())
        ax.legend(handles=[Patch(color=country_colour(c), label=c) for c in shown], frameon=False,
                  title=colour_by.replace("_", " "), bbox_to_anchor=(1.0, 1.0), loc="upper left")
    if title:
        ax.set_title(title, loc="left")
    return fig


def stacked_shares(table: pd.DataFrame, *, title: str | None = None, xlabel: str = "share"):
    """Horizontal stacked bars of a wide table of shares (rows sum to 1), e.g. source kinds per outlet."""
    fig, ax = plt.subplots(figsize=(TWO_COLUMN, 0.22 * len(table) + 0.9))
    left = np.zeros(len(table))
    for i, column in enumerate(table.columns):
        values = table[column].to_numpy(dtype=float)
        ax.barh([str(x) for x in table.index], values, left=left, color=cycle()[i % len(cycle())], label=str(column))
        left += values
    ax.set_xlabel(xlabel)
    ax.invert_yaxis()
    ax.legend(frameon=False, ncol=len(table.columns), loc="lower left", bbox_to_anchor=(0, 1.0))
    if title:
        ax.set_title(title, loc="left", pad=18)
    return fig
