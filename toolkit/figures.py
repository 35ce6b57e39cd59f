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


def bar_counts(table: pd.DataFrame, *, label: str, value: str = "articles", colour_by: str | None = None,
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


def timeline(table: pd.DataFrame, *, date: str = "period", value: str = "articles", group: str | None = None,
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
        ax.legend(frameon=False, ncol=3)
    if title:
        ax.set_title(title, loc="left")
    fig.autofmt_xdate()
    return fig


def mark_key_dates(ax, start=None, end=None) -> None:
    """Draw the key dates of ``toolkit/data/key_dates.csv`` that fall in ``[start, end]``."""
    table = read_table("data/key_dates.csv")
    for when, label in zip(pd.to_datetime(table["date"], utc=True), table["label"]):
        if start is not None and pd.notna(start) and (when < pd.Timestamp(start) - pd.Timedelta(days=30)
                                                      or when > pd.Timestamp(end) + pd.Timedelta(days=30)):
            continue
        ax.axvline(when, color="#666666", linewidth=0.6, linestyle="--")
        ax.annotate(label, (when, 1), xycoords=("data", "axes fraction"), rotation=90, fontsize=6,
                    va="top", ha="right", color="#444444")
