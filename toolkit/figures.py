"""Figures stage: publication-style matplotlib figures from result tables, saved reproducibly.

Reads tidy tables (counts, shares, estimates with intervals), returns matplotlib Figures;
:func:`save` writes PNG, SVG and PDF with identical bytes on every run plus a caption file.

One contract for every figure that compares groups (outlets, countries, languages):

- the table logic is :func:`group_table` (aggregated rows) or :func:`pool_labels` (one row
  per article, before estimating): groups below ``min_n`` articles, and groups beyond the
  ``max_rows`` largest, are pooled into one row ``other (k groups, m articles)``; rows are
  ordered by size or by value, never alphabetically by accident;
- every drawn group shows its n (in its label);
- every estimate is drawn with its interval; an estimate from fewer than ``min_n`` articles is
  not drawn, and the caption says so;
- countries keep fixed, distinct colours (``data/palette.csv``); ``unknown`` and ``other``
  are greys distinct from every country.
"""
from __future__ import annotations

import json
import math
import os
import re
import textwrap
import zlib
from pathlib import Path

from functools import lru_cache

import matplotlib
import matplotlib.dates as mdates
import matplotlib.font_manager
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ._data import read_table
from .schema import MISSING_GROUP

#: widths in inches of a one-column and a two-column figure in a typical journal
ONE_COLUMN, TWO_COLUMN = 3.5, 7.2
#: groups with fewer articles than this are pooled into "other" (or, for estimates, not drawn)
MIN_ARTICLES = 5
#: at most this many rows in a comparison figure (the largest groups, then "other")
MAX_ROWS = 12
#: at most this many groups drawn in colour (the rest pooled into a grey "other")
MAX_GROUPS = 8
#: no saved PNG is wider or taller than this many pixels
MAX_PIXELS = 2400
DPI = 200
#: group values that mean "not known": missing, ISO's user-assigned ZZ, undetermined language
UNKNOWN_VALUES = ("ZZ", "und", "")
UNKNOWN = MISSING_GROUP   # the label of a group not known, as the tables write it
OTHER = "other"
#: the start of a pooled row's label (:func:`other_label`, :func:`pooled_label_with_n`)
_POOLED_LABEL = re.compile(rf"{OTHER} \((\d+) groups?\b")
#: fewest periods with a mean that make a timeline of means (two points in 59 months are no trend)
MIN_PERIODS = 3

STYLE = {
    "font.family": "DejaVu Sans",          # ships with matplotlib; has Cyrillic, Armenian, Georgian, Arabic
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    # figures keep their journal width: everything is laid out inside the figure (constrained
    # layout), not cropped or extended afterwards ("tight" bbox would change the width)
    "figure.constrained_layout.use": True,
    "savefig.bbox": "standard",
    "svg.hashsalt": "karabakh-media-toolkit",  # fixed ids in SVG output
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
}
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


# ---------------------------------------------------------------------------------- colours
def _palette_rows(kind: str) -> list[str]:
    table = read_table("data/palette.csv")
    return ["#" + c for c in table.loc[table["key"] == kind, "colour"]]


def palette() -> dict[str, str]:
    """Country code -> colour, plus ``'_unknown'`` and ``'_other'`` (``data/palette.csv``)."""
    table = read_table("data/palette.csv")
    table = table[~table["key"].isin(["_cycle", "_spare"])]
    return {key: "#" + colour for key, colour in zip(table["key"], table["colour"])}


def is_unknown(value) -> bool:
    """True for a missing group value or one that means "not known" (``ZZ``, ``und``)."""
    return not isinstance(value, str) or value.strip() in UNKNOWN_VALUES or value == UNKNOWN


def is_pooled(value) -> bool:
    """A pooled row's label (:func:`other_label`: ``other (3 groups, 4 articles)``), not a group
    whose name merely starts with "other" (an outlet ``otherside.am``).

    >>> is_pooled("other (3 groups, 4 articles)"), is_pooled("other (1 group, n=2)"), is_pooled("otherside.am")
    (True, True, False)
    """
    return isinstance(value, str) and _POOLED_LABEL.match(value) is not None


def is_single_group(value) -> bool:
    """A group that is one known thing: neither unknown (:func:`is_unknown`) nor a pooled
    ``other ...`` row. A figure "per outlet" without one has nothing to compare."""
    return not is_unknown(value) and not is_pooled(value)


def country_colour(code) -> str:
    """The fixed colour of an outlet country, the same in every figure.

    Unknown countries (missing, ``ZZ``) share one dark grey; pooled groups (``other ...``) a
    light grey; a country not in the palette file takes a spare colour by a fixed hash of its code.

    >>> country_colour('AZ'), country_colour('AM'), country_colour(None), country_colour('other (3 groups, 4 articles)')
    ('#0072B2', '#E69F00', '#666666', '#CCCCCC')
    """
    colours = palette()
    if is_unknown(code):
        return colours["_unknown"]
    if is_pooled(code):
        return colours["_other"]
    if code in colours:
        return colours[code]
    spare = _palette_rows("_spare")
    return spare[zlib.crc32(code.encode("utf-8")) % len(spare)]


def cycle() -> list[str]:
    """The general colour cycle (Okabe-Ito, colour-blind safe)."""
    return _palette_rows("_cycle")


def group_colours(groups) -> dict[str, str]:
    """Colour per group: countries keep their fixed colour; groups that are not country codes
    take the general cycle in the order given, skipping colours already used."""
    colours, used = {}, set()
    for group in groups:
        if is_unknown(group) or is_pooled(group) or (len(str(group)) == 2 and str(group).isupper()):
            colours[group] = country_colour(group)
            used.add(colours[group])
    free = iter([c for c in cycle() + _palette_rows("_spare") if c not in used])
    for group in groups:
        if group not in colours:
            colours[group] = next(free, palette()["_other"])
    return colours


#: the font that draws Chinese, Japanese and Korean where DejaVu Sans has no glyph (Noto Sans CJK, SIL
#: Open Font License, from the ``noto-cjk-sans-otc`` wheel; the Simplified Chinese forms of the collection)
CJK_FONT = "Noto Sans CJK SC"


@lru_cache(maxsize=1)
def _cjk_fallback() -> list[str]:
    """Register the packaged Noto Sans CJK collection with matplotlib and return its family name as a
    fallback, or nothing when the font package is missing (then CJK labels show empty boxes). Once per
    process: registering a font again would list it again."""
    try:
        import noto_cjk_sans_otc
    except ImportError:
        return []
    matplotlib.font_manager.fontManager.addfont(str(noto_cjk_sans_otc.FONT_PATH))
    return [CJK_FONT]


def use_style() -> None:
    """Apply the toolkit's publication style to matplotlib (also done on import): DejaVu Sans, and
    Noto Sans CJK for the characters DejaVu lacks (matplotlib's per-glyph font fallback)."""
    plt.rcParams.update(STYLE)
    plt.rcParams["font.family"] = [STYLE["font.family"], *_cjk_fallback()]
    plt.rcParams["axes.prop_cycle"] = matplotlib.cycler(color=cycle())


use_style()


# ---------------------------------------------------------------------------------- tables
def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s" if not word.endswith("s") else f"{n} {word}"


def _unit_word(n: int, unit: str) -> str:
    """``1 article`` / ``3 articles`` for a plural unit name such as ``articles``."""
    singular = unit[:-1] if unit.endswith("s") else unit
    return f"{n} {singular if n == 1 else unit}"


def other_label(n_groups: int, n_items: int, unit: str = "articles") -> str:
    """The label of a pooled row.

    >>> other_label(3, 4)
    'other (3 groups, 4 articles)'
    """
    return f"{OTHER} ({_plural(n_groups, 'group')}, {_unit_word(n_items, unit)})"


def pooled_label_with_n(label: str, n: int) -> str:
    """A pooled row's label with the n behind its estimate: the pooled label names the articles
    the groups hold in the corpus, an estimate may rest on fewer (those with a score).

    >>> pooled_label_with_n("other (18 groups, 67 articles)", 49)
    'other (18 groups, n=49)'
    >>> pooled_label_with_n("AM", 5)
    'AM'
    """
    match = re.fullmatch(rf"{OTHER} \((\d+ groups?), .*\)", str(label))
    return f"{OTHER} ({match.group(1)}, n={int(n)})" if match else str(label)


def _groups_in(group) -> int:
    """How many groups a row stands for: a pooled row's label (:func:`other_label`) says it, any
    other row is one.

    >>> _groups_in("other (105 groups, 137 articles)"), _groups_in("other (1 group, 2 articles)"), _groups_in("AM")
    (105, 1, 1)
    """
    found = _POOLED_LABEL.match(str(group))
    return int(found.group(1)) if found else 1


def _pool_plan(sizes: pd.Series, min_n: int, max_rows: int) -> tuple[list, list]:
    """Groups kept (largest first, at least ``min_n``, at most ``max_rows`` in all counting the
    pooled row) and groups pooled. ``sizes`` is indexed by group name."""
    order = sizes.sort_values(ascending=False, kind="stable")
    order = order.loc[sorted(order.index, key=lambda g: (-order[g], str(g)))]
    big = [g for g in order.index if order[g] >= min_n]
    small = [g for g in order.index if order[g] < min_n]
    if small and len(big) >= max_rows:
        keep = big[:max_rows - 1]
    elif not small and len(big) > max_rows:
        keep = big[:max_rows - 1]
    else:
        keep = big
    return keep, [g for g in order.index if g not in keep]


def _clean_groups(values: pd.Series) -> pd.Series:
    return pd.Series([UNKNOWN if is_unknown(v) else str(v) for v in values], index=values.index, dtype="string")


def pool_labels(values: pd.Series, *, min_n: int = MIN_ARTICLES, max_groups: int = MAX_GROUPS,
                unit: str = "articles") -> pd.Series:
    """Relabel a per-article group column so that small groups share one "other" label.

    Use it before estimating (means with bootstrap intervals), so that the pooled group gets
    an honest estimate of its own.

    Parameters
    ----------
    values : one group value per article (e.g. ``corpus["outlet_country"]``); missing and
        ``ZZ`` become ``unknown``.
    min_n : groups with fewer rows are pooled.
    max_groups : at most this many labels in the result (the largest groups, then "other").

    Returns
    -------
    Series of strings, same index: the group, or ``other (k groups, m articles)``.

    Examples
    --------
    >>> pool_labels(pd.Series(["AM"] * 5 + ["AZ"] * 2 + ["TR"])).tolist()[-3:]
    ['other (2 groups, 3 articles)', 'other (2 groups, 3 articles)', 'other (2 groups, 3 articles)']
    """
    groups = _clean_groups(values)
    sizes = groups.value_counts()
    keep, pooled = _pool_plan(sizes, min_n, max_groups)
    if not pooled:
        return groups
    label = other_label(len(pooled), int(sizes[pooled].sum()), unit)
    return groups.where(groups.isin(keep), label)


def pool_by_article(table: pd.DataFrame, corpus: pd.DataFrame, column: str = "outlet_country", *,
                    min_n: int = MIN_ARTICLES, max_groups: int = MAX_GROUPS, unit: str = "articles") -> pd.DataFrame:
    """``table`` (rows keyed by ``doc_id``: actors, sentences, frame scores ...) with ``column``
    replaced by the pooled group of each article, pooled over the articles of ``corpus``
    (:func:`pool_labels`): the same groups in every figure drawn from the same corpus.

    >>> corpus = pd.DataFrame({"doc_id": list("abcdefg"), "outlet_country": ["AM"] * 5 + ["AZ", "TR"]})
    >>> pool_by_article(pd.DataFrame({"doc_id": ["a", "g"]}), corpus)["outlet_country"].tolist()
    ['AM', 'other (2 groups, 2 articles)']
    """
    articles = corpus.drop_duplicates("doc_id")
    groups = pool_labels(articles[column], min_n=min_n, max_groups=max_groups, unit=unit)
    mapping = dict(zip(articles["doc_id"], groups))
    return table.assign(**{column: table["doc_id"].map(mapping).astype("string")})


def group_table(table: pd.DataFrame, group: str, *, n: str = "n", value: str | None = None,
                min_n: int = MIN_ARTICLES, max_rows: int = MAX_ROWS, order: str = "size",
                pool: bool = True, unit: str = "articles") -> pd.DataFrame:
    """The rows of a group comparison, as drawn: pooled, ordered, labelled with n.

    Parameters
    ----------
    table : one row per group with a count column ``n``; other numeric columns are counts
        or means over the group's ``n`` items.
    group : the group column (outlet, outlet_country, ...); missing and ``ZZ`` become ``unknown``.
    value : the column to order by when ``order="value"``.
    min_n : groups with fewer than ``min_n`` items are pooled (or left out with ``pool=False``).
    max_rows : at most this many rows, the pooled row included (the largest groups are kept).
    order : ``"size"`` (largest first) or ``"value"`` (largest ``value`` first).
    pool : pool small groups into one row (numeric columns: ``n``-weighted means, counts summed
        for ``n``); with False they are left out: use that for estimates with intervals, which
        cannot be pooled after the fact (pool per article with :func:`pool_labels` instead).

    Returns
    -------
    DataFrame ``group``, ``n``, the other columns, ``label`` (``"AM (n=23)"``), ``pooled``
    (True for the "other" row), in drawing order (the "other" row last). ``attrs``:
    ``n_total`` (items in the input), ``n_shown`` (items behind the drawn rows),
    ``left_out`` (a sentence for the caption, empty when nothing was pooled or left out).

    Examples
    --------
    >>> t = pd.DataFrame({"country": ["AM", "AZ", "TR", "CZ"], "n": [9, 7, 2, 1]})
    >>> group_table(t, "country")["label"].tolist()
    ['AM (n=9)', 'AZ (n=7)', 'other (2 groups, 3 articles)']
    """
    if order not in ("size", "value"):
        raise ValueError(f"order must be 'size' or 'value', not {order!r}")
    if order == "value" and (value is None or value not in table):
        raise ValueError(f"order='value' needs value= naming a column of the table, not {value!r}")
    for column in (group, n):
        if column not in table:
            raise ValueError(f"column {column!r} is not in the table; columns: {list(table.columns)}")
    data = table.copy()
    data[group] = _clean_groups(data[group])
    numeric = [c for c in data.columns if c not in (group, n) and pd.api.types.is_numeric_dtype(data[c])]
    if data[group].duplicated().any():  # e.g. ZZ and missing both became "unknown"
        weighted = data[numeric].mul(data[n], axis=0).assign(**{n: data[n], group: data[group]})
        summed = weighted.groupby(group, sort=False).sum()
        data = summed[numeric].div(summed[n].where(summed[n] > 0), axis=0).assign(**{n: summed[n]}).reset_index()
    sizes = data.set_index(group)[n]
    # a row pooled before (pool_labels per article: "other (105 groups, 137 articles)") joins this pool
    before = [g for g in sizes.index if is_pooled(g)]
    keep, pooled = _pool_plan(sizes.drop(before), min_n, max_rows)
    if before:
        keep, pooled = keep[:max_rows - 1], pooled + keep[max_rows - 1:] + before
    kept = data[data[group].isin(keep)].copy()
    kept["pooled"] = False
    kept["label"] = [f"{g} (n={int(k)})" for g, k in zip(kept[group], kept[n])]
    kept = (kept.sort_values([n, group], ascending=[False, True], kind="stable") if order == "size"
            else kept.sort_values([value, group], ascending=[False, True], kind="stable"))
    total, small = int(sizes.sum()), data[data[group].isin(pooled)]
    n_pooled = int(small[n].sum())
    left_out = ""
    reasons = []
    fresh = small[~small[group].isin(before)]
    if (fresh[n] < min_n).any():
        reasons.append(f"fewer than {min_n} {unit} each")
    if (fresh[n] >= min_n).any() or (len(keep) == max_rows - 1 and len(fresh)):
        reasons.append(f"beyond the {len(keep)} largest")
    if before:
        reasons.append("pooled before")
    why = " or ".join(reasons)
    n_groups = sum(_groups_in(g) for g in small[group])
    if len(small) and pool:
        row = {c: float((small[c] * small[n]).sum() / n_pooled) if n_pooled else np.nan for c in numeric}
        label = other_label(n_groups, n_pooled, unit)
        row.update({group: label, n: n_pooled, "pooled": True, "label": label})
        kept = pd.concat([kept, pd.DataFrame([row])], ignore_index=True)
        left_out = f"{_plural(n_groups, 'smaller group')} ({_unit_word(n_pooled, unit)}; {why}) pooled into 'other'."
    elif len(small):
        left_out = f"{_plural(n_groups, 'group')} ({_unit_word(n_pooled, unit)}; {why}) left out."
    kept = kept.rename(columns={group: "group", n: "n"}).reset_index(drop=True)
    columns = ["group", "n"] + [c for c in kept.columns if c not in ("group", "n", "label", "pooled")]
    kept = kept[columns + ["label", "pooled"]]
    kept.attrs.update(n_total=total, n_shown=int(kept["n"].sum()), left_out=left_out)
    return kept


def actor_names(ids, *, gazetteer=None, language: str = "en") -> pd.Series:
    """The name a reader knows for each actor id: the first ``language`` name the gazetteer
    lists for it (``usa`` -> ``United States``), else the id with spaces. For figure labels;
    tables keep the ids.

    ``gazetteer`` is the one the measure used (a file, DataFrame or Resource; None: the
    package's ``lexicons/gazetteer.csv``).

    >>> actor_names(["usa", "karabakh_authorities", "not_listed"]).tolist()
    ['United States', 'Karabakh authorities', 'not listed']
    """
    from .resources import load_resource

    table = load_resource("gazetteer", gazetteer).table()
    names = table[table["lang"] == language].drop_duplicates("id").set_index("id")["name"]
    ids = pd.Series(list(ids), dtype="string")
    return pd.Series([names.get(i, str(i).replace("_", " ")) for i in ids], index=ids.index, dtype="string")


def count_groups(values: pd.Series, *, min_n: int = MIN_ARTICLES) -> int:
    """Number of known groups with at least ``min_n`` rows (``unknown`` does not count).

    >>> count_groups(pd.Series(["AM"] * 5 + ["AZ"] * 4 + [None] * 6))
    1
    """
    sizes = _clean_groups(values).value_counts()
    return int(((sizes >= min_n) & (sizes.index != UNKNOWN)).sum())


# ---------------------------------------------------------------------------------- periods
_PERIOD_WORDS = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}


def choose_freq(dates, *, max_periods: int = 80, min_n: int | None = None, min_share: float = 0.5) -> str:
    """The finest period (day, week, month, quarter, year) giving at most ``max_periods``
    periods over the span of ``dates`` (missing dates ignored).

    ``min_n`` (for a timeline of means, which draws only periods with ``min_n`` articles): the
    finest such period, or a coarser one, at which at least ``min_share`` of the dates fall in
    periods holding ``min_n`` of them and at least :data:`MIN_PERIODS` periods do; if none does,
    the period of the span (the timeline then says why it draws nothing). A corpus of 35 dated
    articles spread over 19 months drew monthly means in 3 of 65 months; by quarter, 5 periods
    hold 71 % of its articles.

    >>> choose_freq(pd.to_datetime(["2023-09-01", "2023-09-30"]))
    'D'
    >>> choose_freq(pd.to_datetime(["2020-09-27", "2025-08-08"]))
    'M'
    >>> spread = pd.to_datetime([f"2023-{m:02d}-15" for m in range(1, 13)] + ["2024-01-10"] * 3)
    >>> choose_freq(spread), choose_freq(spread, min_n=3)
    ('W', 'Q')
    """
    dates = pd.Series(pd.to_datetime(pd.Series(dates), utc=True)).dropna()
    if dates.empty:
        return "M"
    span_days = (dates.max() - dates.min()).days + 1
    order = [("D", 1), ("W", 7), ("M", 30.44), ("Q", 91.3), ("Y", 365.25)]
    first = next((i for i, (_, days) in enumerate(order) if span_days / days <= max_periods), len(order) - 1)
    if min_n is None:
        return order[first][0]
    naive = dates.dt.tz_convert(None)
    for freq, _ in order[first:]:
        counts = naive.dt.to_period(freq).value_counts()
        full = counts[counts >= min_n]
        if len(full) >= MIN_PERIODS and full.sum() >= min_share * len(dates):
            return freq
    return order[first][0]


def period_word(freq: str) -> str:
    """``"M"`` -> ``"month"``: the unit of a per-period axis label."""
    return _PERIOD_WORDS.get(str(freq).upper()[:1], str(freq))


def _period_starts(start, end, freq: str) -> pd.DatetimeIndex:
    start = pd.Timestamp(start).tz_convert(None) if pd.Timestamp(start).tzinfo else pd.Timestamp(start)
    end = pd.Timestamp(end).tz_convert(None) if pd.Timestamp(end).tzinfo else pd.Timestamp(end)
    periods = pd.period_range(start.to_period(freq), end.to_period(freq), freq=freq)
    return periods.start_time.tz_localize("UTC")


def fill_periods(table: pd.DataFrame, *, date: str = "period", value: str = "n_articles", freq: str = "M",
                 group: str | None = None, fill=0) -> pd.DataFrame:
    """Put a per-period table on a regular grid: every period from the first to the last
    present, for every group, missing ones filled with ``fill`` (0 for counts, NaN for means).

    ``table[date]`` holds period starts (as made by :func:`toolkit.overview.articles_per` with
    the same ``freq``). Returns the columns ``date``, ``group`` (if given), ``value`` (and
    any other columns, missing in filled rows), sorted by group and period.

    Examples
    --------
    >>> t = pd.DataFrame({"period": pd.to_datetime(["2023-01-01", "2023-04-01"], utc=True), "n_articles": [2, 1]})
    >>> fill_periods(t, freq="M")["n_articles"].tolist()
    [2, 0, 0, 1]
    """
    if table.empty:
        return table.copy()
    stamps = pd.to_datetime(table[date], utc=True)
    grid = _period_starts(stamps.min(), stamps.max(), freq)
    data = table.assign(**{date: stamps})
    if group is None:
        out = data.set_index(date).reindex(grid)
        out.index.name = date
    else:
        data[group] = _clean_groups(data[group])
        index = pd.MultiIndex.from_product([sorted(data[group].unique()), grid], names=[group, date])
        out = data.set_index([group, date]).reindex(index)
    out[value] = out[value].fillna(fill) if fill is not None else out[value]
    if fill == 0 and pd.api.types.is_float_dtype(out[value]) and (out[value] % 1 == 0).all():
        out[value] = out[value].astype("int64")
    return out.reset_index()


# ---------------------------------------------------------------------------------- notes, captions
def _note(fig, **notes):
    """Attach caption facts (``n``, ``unit``, ``left_out``, ``shown``) to a figure for :func:`save`;
    ``empty``: why nothing could be drawn (:func:`save` then records a skip instead of files)."""
    current = getattr(fig, "toolkit_notes", {})
    current.update({k: v for k, v in notes.items() if v is not None})
    fig.toolkit_notes = current
    return fig


def caption_text(what: str, *, n=None, unit: str = "articles", left_out: str = "", method: str = "") -> str:
    """A figure caption: what is shown, n behind it, what was left out and why, the method.

    >>> caption_text("Articles per outlet", n=12, left_out="2 groups pooled.", method="Counts.")
    'Articles per outlet. n = 12 articles. 2 groups pooled. Method: Counts.'
    """
    if n is None:
        raise ValueError("a caption must state n (pass n=... to save, or draw with a toolkit figure function)")
    singular = unit[:-1] if unit.endswith("s") and n == 1 else unit
    parts = [what.rstrip(". ") + ".", f"n = {n:,} {singular}."]
    if left_out:
        parts.append(left_out.strip())
    if method:
        parts.append("Method: " + method.strip().rstrip(".") + ".")
    return " ".join(parts)


def _journal_width(fig):
    """A figure wider than a two-column journal figure is narrowed to it."""
    width, height = fig.get_size_inches()
    if width > TWO_COLUMN + 0.01:
        fig.set_size_inches(TWO_COLUMN, height)


# ---------------------------------------------------------------------------------- output
def _project_root(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        if (folder / "pyproject.toml").exists() and (folder / "toolkit").is_dir():
            return folder
    return None


def figures_dir() -> Path:
    """The run's figures folder: ``$TOOLKIT_FIGURES_DIR`` (set by ``toolkit report``), else
    ``build/figures`` of the project the current folder is in (ignored by git), else
    ``build/figures`` here."""
    if os.environ.get("TOOLKIT_FIGURES_DIR"):
        return Path(os.environ["TOOLKIT_FIGURES_DIR"])
    root = _project_root(Path.cwd().resolve())
    return (root if root is not None else Path.cwd()) / "build" / "figures"


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def _png_dpi(fig) -> int:
    """The PNG resolution: :data:`DPI`, lowered so that neither side exceeds :data:`MAX_PIXELS`."""
    longest = max(fig.get_size_inches())
    return int(min(DPI, math.floor(MAX_PIXELS / longest)))


_FORMATS = ("png", "svg", "pdf")


def save(fig, name: str, *, caption: str | None = None, method: str = "", n: int | None = None,
         unit: str | None = None, out_dir=None, formats=_FORMATS, show: bool | None = None,
         source: str | None = None) -> None:
    """Save ``fig`` as ``name.png``, ``.svg`` and ``.pdf`` with deterministic bytes, and its
    caption as ``name.json``; in a notebook, show the figure with the caption under it.

    Parameters
    ----------
    fig : a Figure, usually from a function of this module (which records n and what was
        pooled or left out, for the caption).
    name : file stem.
    caption : what the figure shows (one sentence). The saved caption adds n, the groups left
        out and why, and the method: see :func:`caption_text`.
    method : how the numbers were made (one sentence).
    n, unit : the number of items behind the figure, overriding the figure's own note.
    show : display the figure and caption (default: when running in a notebook kernel).
    source : the figure this one redraws (:func:`redraw`), recorded for provenance.

    Timestamps and tool versions are left out of the files and SVG ids use a fixed salt, so
    the same figure gives the same bytes on a re-run. The PNG is at most :data:`MAX_PIXELS`
    on each side. Returns nothing (so a notebook cell prints nothing).

    Examples
    --------
    >>> fig, ax = plt.subplots(); _ = ax.plot([0, 1])
    >>> save(fig, "line", caption="A line", n=2, out_dir=tmp)   # doctest: +SKIP
    """
    stored = fig.stored(formats) if isinstance(fig, DrawnBefore) else None
    if stored is None:  # drawn now (a figure drawn before is drawn when it was touched or lacks a format)
        fig = fig.draw() if isinstance(fig, DrawnBefore) else fig
        _journal_width(fig)
        notes, width, dpi = dict(getattr(fig, "toolkit_notes", {})), float(fig.get_size_inches()[0]), _png_dpi(fig)
    else:
        notes, width, dpi = stored["notes"], stored["size"][0], stored["png_dpi"]
    what = caption or notes.get("shown") or name.replace("_", " ")
    if notes.get("empty"):      # nothing to draw: said and recorded as a skip, no files (a reader sees no blank axes)
        skipped(f"figure {name}", notes["empty"])
        if stored is None:
            plt.close(fig)
        return
    text = caption_text(what,
                        n=n if n is not None else notes.get("n"), unit=unit or notes.get("unit", "articles"),
                        left_out=notes.get("left_out", ""), method=method)
    folder = Path(out_dir) if out_dir is not None else figures_dir()
    folder.mkdir(parents=True, exist_ok=True)
    if stored is None:
        _write_files(fig, name, folder, formats, dpi)
    else:
        fig.copy_files(name, folder, formats)
    record = {"figure": name, "caption": text, "n": int(n if n is not None else notes["n"]),
              "unit": unit or notes.get("unit", "articles"), "left_out": notes.get("left_out", ""),
              "method": method, "what": what, "width_in": round(width, 2),
              "png_dpi": dpi, "same_as": source}
    call = getattr(fig, "toolkit_call", None)
    if call is not None:
        tables = folder.parent / "tables"
        tables.mkdir(parents=True, exist_ok=True)
        call["table"].to_parquet(tables / f"{name}.parquet")
        record["call"] = {k: v for k, v in call.items() if k != "table"}
    (folder / f"{name}.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    if show if show is not None else _in_notebook():
        from IPython.display import Image, Markdown, display

        # the saved PNG is shown (at the figure's width): drawing the figure again for the
        # notebook would cost as much as saving it
        display(Image(filename=str(folder / f"{name}.png"), width=round(record["width_in"] * STYLE["figure.dpi"]))
                if "png" in formats else fig)
        display(Markdown(f"*Figure `{name}`.* {text}"))
    if stored is None:
        plt.close(fig)


def _write_files(fig, name: str, folder: Path, formats, dpi: int) -> None:
    """Write the figure's files, and keep a copy in the run's cache (``$TOOLKIT_CACHE_DIR/figures``,
    under the key of its recorded call) with what :func:`save` needs besides them (its notes,
    size and PNG resolution), so that the same call later is not even drawn (:class:`DrawnBefore`)."""
    import shutil

    from . import cache

    key = getattr(fig, "toolkit_call_key", None)
    if key and tuple(formats) != _FORMATS:  # only the usual three formats are looked up (DrawnBefore)
        key = f"{key}-{'-'.join(formats)}"
    stored = cache.cache_dir() / "figures" / key if key and cache.cache_dir() else None
    facts = {"figure": name, "formats": list(formats), "notes": _to_json(dict(getattr(fig, "toolkit_notes", {}))),
             "size": [float(v) for v in fig.get_size_inches()], "png_dpi": dpi}

    def render(chosen) -> None:
        with plt.rc_context({"svg.hashsalt": STYLE["svg.hashsalt"]}):
            for fmt in chosen:
                fig.savefig(folder / f"{name}.{fmt}", format=fmt, metadata=_METADATA.get(fmt),
                            dpi=dpi if fmt == "png" else DPI)

    def finish() -> None:
        render(formats[1:])
        if stored is not None:
            cache.write_folder(stored, lambda tmp: [shutil.copyfile(folder / f"{name}.{fmt}", tmp / f"figure.{fmt}")
                                                    for fmt in formats], facts)

    render(formats[:1])
    if fig.get_layout_engine() is not None:
        # the layout of the first file is kept for the others: the same picture in every format,
        # and the constrained layout (a third of a save) is computed once
        fig.set_layout_engine("none")
    if len(formats) > 1 and os.environ.get(BACKGROUND_ENV) == "1" and hasattr(os, "fork"):
        _in_background(name, finish)
    else:
        finish()


class DrawnBefore:
    """What a figure function returns, in place of a Figure, when the run's cache already holds
    the files of the same call (the same function, parameters, table content, toolkit code and
    matplotlib version): :func:`save` copies those files (the same bytes) without drawing.
    Anything else done with it (an attribute read or set, showing it) draws the figure first and
    acts on that Figure, which :func:`save` then renders as usual.
    """

    def __init__(self, call: dict, key: str, folder: Path, draw):
        for attr, value in (("toolkit_call", call), ("toolkit_call_key", key), ("_folder", folder),
                            ("_draw", draw), ("_figure", None)):
            object.__setattr__(self, attr, value)

    @property
    def figure(self):
        """The Figure itself, drawn on first use. A figure touched this way may be changed
        before it is saved: its files are not stored in the cache."""
        return self.draw(touched=True)

    def draw(self, touched: bool = False):
        """The Figure, drawn on first use (by :func:`save` when the cache lacks a format:
        ``touched=False``, and its files are stored in the cache as a fresh figure's are)."""
        if self._figure is None:
            fig = self._draw()
            fig.toolkit_call, fig.toolkit_call_key = self.toolkit_call, self.toolkit_call_key
            object.__setattr__(self, "_figure", fig)
        if touched:
            self._figure.toolkit_call_key = None
        return self._figure

    def stored(self, formats) -> dict | None:
        """The cached facts (notes, size, PNG resolution) when the figure was not touched and the
        cache holds every format asked for; else None."""
        from . import cache

        marker = self._folder / cache.COMPLETE_MARKER
        if self._figure is not None or not marker.exists():
            return None
        facts = json.loads(marker.read_text(encoding="utf-8"))
        return facts if set(formats) <= set(facts.get("formats", ())) else None

    def copy_files(self, name: str, folder: Path, formats) -> None:
        import shutil

        for fmt in formats:
            shutil.copyfile(self._folder / f"figure.{fmt}", folder / f"{name}.{fmt}")

    def __getattr__(self, name):
        return getattr(self.figure, name)

    def __setattr__(self, name, value):
        setattr(self.figure, name, value)

    def _ipython_display_(self):
        from IPython.display import display

        display(self.figure)


#: set to "1" by ``toolkit report``: a figure's second and third files (SVG, PDF) are rendered by
#: a forked process while the notebook goes on; the report waits for them after each notebook
#: (:func:`wait_for_files`)
BACKGROUND_ENV = "TOOLKIT_FIGURES_BACKGROUND"
_PENDING: list[tuple[int, str]] = []


def _in_background(name: str, work) -> None:
    """Run ``work`` in a forked child (it inherits the laid-out figure) and note its pid."""
    pid = os.fork()
    if pid == 0:  # the child: no kernel sockets, no atexit handlers; the exit code says how it went
        code = 1
        try:
            work()
            code = 0
        except BaseException as error:  # noqa: BLE001 - reported through the exit code and fd 2
            os.write(2, f"[toolkit] figure {name}: {type(error).__name__}: {error}\n".encode("utf-8", "replace"))
        finally:
            os._exit(code)
    _PENDING.append((pid, name))


def wait_for_files(names=None) -> None:
    """Wait until every figure file rendered in the background (or those of the figures
    ``names``) is written; ``RuntimeError`` naming the figures whose files could not be written."""
    failed = []
    for pid, name in [entry for entry in _PENDING if names is None or entry[1] in names]:
        _PENDING.remove((pid, name))
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            failed.append(name)
    if failed:
        raise RuntimeError(f"the SVG/PDF files of figure(s) {failed} could not be written (see the kernel's stderr)")


def _call_key(call: dict) -> str | None:
    """What a figure's files depend on: the recorded call (function, parameters, the table's
    content), the toolkit's code (its style) and matplotlib's version; None for a table pandas
    cannot hash (such a figure is drawn every time)."""
    from . import cache

    try:
        table = cache.frame_digest(call["table"])
    except TypeError:
        return None
    return cache.digest("figure call", call["function"], json.dumps([call["args"], call["kwargs"]], sort_keys=True,
                                                                    default=repr),
                        table, matplotlib.__version__, cache.code_and_data_fingerprint())[:40]


def skipped(section: str, reason: str) -> None:
    """Say in one sentence that ``section`` was skipped and why, and record it for the report
    (``$TOOLKIT_REPORT_LOG``, a JSON-lines file that ``toolkit report`` lists in index.html)."""
    print(f"Skipped: {section}. {reason}")
    log = os.environ.get("TOOLKIT_REPORT_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"kind": "skipped", "section": section, "reason": reason}, ensure_ascii=False) + "\n")


def enough(section: str, *, have: int, need: int, what: str) -> bool:
    """Does the corpus hold enough for ``section``? If not, print one sentence, record the skip
    for the report, and return False.

    Examples
    --------
    >>> enough("topics", have=3, need=20, what="text units (paragraphs or articles)")
    Skipped: topics. It needs at least 20 text units (paragraphs or articles); this corpus has 3.
    False
    """
    if have >= need:
        return True
    skipped(section, f"It needs at least {need} {what}; this corpus has {have}.")
    return False


# ---------------------------------------------------------------------------------- recorded calls
def _to_json(value):
    if isinstance(value, pd.Series):
        return {"__series__": {str(k): (None if pd.isna(v) else v.item() if hasattr(v, "item") else v)
                               for k, v in value.items()}}
    if isinstance(value, (list, tuple)):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _to_json(v) for k, v in value.items()}
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    return value


def _from_json(value):
    if isinstance(value, dict) and "__series__" in value:
        return pd.Series(value["__series__"], dtype=object).infer_objects()
    if isinstance(value, dict):
        return {k: _from_json(v) for k, v in value.items()}
    return value


def _recorded(function):
    """Remember on the returned figure which function drew it, from which table and with which
    parameters, so that :func:`save` can store them and :func:`redraw` can repeat the call. With
    a run cache holding the files of the same call, nothing is drawn: a :class:`DrawnBefore`
    stands for the figure."""
    import functools

    @functools.wraps(function)
    def wrapper(table, *args, **kwargs):
        call = {"function": function.__name__, "table": table, "args": _to_json(list(args)), "kwargs": _to_json(kwargs)}
        from . import cache

        def draw():
            _DRAWING.append(function.__name__)
            try:
                fig = function(table, *args, **kwargs)
            finally:
                _DRAWING.pop()
            if not _DRAWING:   # the outermost call: right-to-left script shown joined and in order
                _right_to_left_for_display(fig)
            return fig

        # a figure function called inside another (prevalence_dots draws with interval_dots) always draws
        key = _call_key(call) if cache.cache_dir() is not None and not _DRAWING else None
        if key is not None and (cache.cache_dir() / "figures" / key / cache.COMPLETE_MARKER).exists():
            return DrawnBefore(call, key, cache.cache_dir() / "figures" / key, draw)
        fig = draw()
        fig.toolkit_call, fig.toolkit_call_key = call, key
        return fig
    return wrapper


_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def display_text(text: str) -> str:
    """``text`` as matplotlib must be given it to show right-to-left script (Arabic, Persian,
    Hebrew ...) correctly: letters in their joined forms (arabic-reshaper) and in visual order
    (the Unicode bidirectional algorithm, python-bidi, in a left-to-right paragraph: the figure's
    labels read left to right). matplotlib does neither: it draws the letters unjoined and left
    to right. Text without such script is returned unchanged.

    >>> [hex(ord(c)) for c in display_text("سلام")]     # meem, lam-alef joined, seen initial
    ['0xfee1', '0xfefc', '0xfeb3']
    >>> display_text("Карабах (n=3)")
    'Карабах (n=3)'
    """
    if not isinstance(text, str) or not _RIGHT_TO_LEFT.search(text):
        return text
    import arabic_reshaper
    from bidi import get_display

    # the figure reads left to right: a label that mixes scripts keeps its left-to-right frame
    return "\n".join(get_display(arabic_reshaper.reshape(line), base_dir="L") for line in text.split("\n"))


def _right_to_left_for_display(fig) -> None:
    """Every text of ``fig`` (titles, labels, legends, annotations, fixed tick labels) through
    :func:`display_text`, once, after the figure function has drawn it."""
    from matplotlib.ticker import FuncFormatter

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            # tick labels are made by the axis' formatter at every draw: it is wrapped (only where
            # it gives such script: a date formatter's own logic stays untouched)
            formatter = axis.get_major_formatter()
            labels = formatter.format_ticks(axis.get_majorticklocs())
            if any(_RIGHT_TO_LEFT.search(str(label)) for label in labels):
                axis.set_major_formatter(FuncFormatter(lambda value, pos, inner=formatter: display_text(inner(value, pos))))
    for artist in _drawn_texts(fig):
        shown = display_text(artist.get_text())
        if shown != artist.get_text():
            artist.set_text(shown)


#: the recorded figure functions being run (a call inside another is not looked up in the cache)
_DRAWING: list[str] = []


def tables_dir() -> Path:
    """Where :func:`save` keeps the table behind each figure: ``tables/`` beside ``figures/``."""
    return figures_dir().parent / "tables"


def redraw(source: str, name: str, *, caption: str | None = None, method: str | None = None, out_dir=None,
           show: bool | None = None) -> None:
    """Draw figure ``name`` exactly as figure ``source`` was drawn: the same toolkit function,
    the same parameters, on the table saved with it (``tables/<source>.parquet``), and save it
    with the source's caption (or ``caption``). Paper figures are made this way from the
    notebooks' figures, so that they cannot drift apart.

    When ``source`` was not saved in this run (its section was skipped for want of data, or its
    notebook has not run), ``name`` is skipped with a sentence saying so (:func:`skipped`).
    """
    folder = Path(out_dir) if out_dir is not None else figures_dir()
    record_path = folder / f"{source}.json"
    if not record_path.exists():
        skipped(f"paper figure {name}", f"Its notebook figure {source} was not drawn in {folder} (skipped for "
                "want of data, or its notebook has not run).")
        return
    record = json.loads(record_path.read_text(encoding="utf-8"))
    call = record.get("call")
    if not call:
        raise ValueError(f"figure {source!r} was not drawn by a toolkit figure function; it cannot be redrawn")
    wait_for_files([source])  # its files still rendering in the background: copied once written, not drawn again
    table = pd.read_parquet(folder.parent / "tables" / f"{source}.parquet")
    fig = globals()[call["function"]](table, *_from_json(call["args"]), **_from_json(call["kwargs"]))
    save(fig, name, caption=caption or record["what"], method=method if method is not None else record["method"],
         n=record["n"], unit=record["unit"], out_dir=out_dir, show=show, source=source)


# ---------------------------------------------------------------------------------- drawing helpers
def _country_legend(ax, codes, *, title: str, loc="upper left", anchor=(1.0, 1.0)):
    from matplotlib.patches import Patch

    seen = list(dict.fromkeys(codes))
    handles = [Patch(color=country_colour(c), label=UNKNOWN if is_unknown(c) else str(c).split(" (")[0]) for c in seen]
    ax.legend(handles=handles, title=title, frameon=False, loc=loc, bbox_to_anchor=anchor)


def _n_text(ax, x, y, text, *, fontsize=6):
    ax.annotate(text, (x, y), xytext=(3, 0), textcoords="offset points", va="center", ha="left",
                fontsize=fontsize, color="#333333")


def _wrapped(text: str, width_in: float, chars_per_inch: float = 12.0) -> str:
    """An axis label broken into lines that fit ``width_in`` inches of 8-point text."""
    return "\n".join(textwrap.wrap(text, max(12, int(width_in * chars_per_inch)))) if text else text


def _row_height(rows: int, per_row: float = 0.2, extra: float = 0.8, cap: float = 9.0) -> float:
    return min(cap, max(1.6, per_row * rows + extra))


@_recorded
def bar_counts(table: pd.DataFrame, *, label: str, value: str = "n_articles", colour_by: str | None = None,
               title: str | None = None, max_rows: int = MAX_ROWS, min_n: int = 1, unit: str = "articles",
               width: float | None = None, xlabel: str | None = None):
    """Horizontal bars of a count table, largest first, the tail pooled into one "other" bar.

    Parameters
    ----------
    table : one row per group, columns ``label`` and ``value`` (a count), and ``colour_by``
        (an outlet country code) if given.
    max_rows, min_n : see :func:`group_table`; counts are always drawn, so ``min_n`` defaults to 1.
    unit : what is counted (for the n labels and the caption).
    width : one column (3.5 in) without a colour legend, two columns (7.2 in) with one.

    Each bar is labelled with its count; the figure notes n (the total) and what was pooled.
    """
    data = table[[label, value] + ([colour_by] if colour_by else [])].rename(columns={value: "_n"})
    if colour_by:
        data[colour_by] = _clean_groups(data[colour_by])
    rows = group_table(data, label, n="_n", min_n=min_n, max_rows=max_rows, unit=unit)
    if colour_by:
        country = data.assign(**{label: _clean_groups(data[label])}).set_index(label)[colour_by]
        country = country[~country.index.duplicated()]
        rows["colour_key"] = [g if pooled else country.get(g, UNKNOWN) for g, pooled in zip(rows["group"], rows["pooled"])]
    width = width or (TWO_COLUMN if colour_by else ONE_COLUMN)
    fig, ax = plt.subplots(figsize=(width, _row_height(len(rows))))
    shown = rows.iloc[::-1]
    colours = [country_colour(k) for k in shown["colour_key"]] if colour_by else \
        [country_colour(OTHER) if p else cycle()[0] for p in shown["pooled"]]
    positions = np.arange(len(shown))
    ax.barh(positions, shown["n"], color=colours)
    ax.set_yticks(positions, [g for g in shown["group"]])
    for y, count in zip(positions, shown["n"]):
        _n_text(ax, count, y, f"{int(count):,}")
    if colour_by:
        keys = [k for k in rows["colour_key"]]
        _country_legend(ax, keys, title=colour_by.replace("_", " "))
    ax.set_xlabel(xlabel or f"{unit} (count)")
    ax.set_xlim(0, max(float(rows["n"].max()) * 1.15, 1))
    ax.xaxis.get_major_locator().set_params(integer=True)
    if title:
        ax.set_title(title, loc="left")
    empty = None if any(is_single_group(g) or pooled for g, pooled in zip(rows["group"].astype(str), rows["pooled"])) \
        else f"No {label.replace('_', ' ')} is known: every one of the {_unit_word(rows.attrs['n_total'], unit)} counts as unknown."
    return _note(fig, n=rows.attrs["n_total"], unit=unit, left_out=rows.attrs["left_out"], shown=title, empty=empty)


@_recorded
def bar_scores(table: pd.DataFrame, *, label: str, value: str, xlabel: str, title: str | None = None,
               top: int = 15, n: int | None = None, unit: str = "sentences", width: float = ONE_COLUMN,
               threshold: float | None = None):
    """Horizontal bars of a score per item (e.g. key words by z-score), highest first.

    Not a group comparison: items are words or terms. ``n`` is the number of texts behind the
    scores (for the caption). ``threshold`` (e.g. 1.96 for z-scores) is drawn as a dashed line,
    and the caption says how many of the items shown reach it.
    """
    data = table.sort_values(value, ascending=False, kind="stable").head(top).iloc[::-1]
    fig, ax = plt.subplots(figsize=(width, _row_height(len(data))))
    ax.barh(np.arange(len(data)), data[value].astype(float), color=cycle()[0])
    # long terms (антитеррористический_мероприятие) are shortened: they pushed the axes, and the
    # title above them, out of a one-column figure
    names = [_shorten(str(x), 22) for x in data[label]]
    ax.set_yticks(np.arange(len(data)), names)
    ax.set_xlabel(_wrapped(xlabel, width * 0.6))
    notes = [f"The {len(data)} highest of {len(table)} items shown." if len(table) > top else ""]
    if threshold is not None:
        ax.axvline(threshold, color="#333333", linewidth=0.7, linestyle="--")
        reached = int((data[value].astype(float) >= threshold).sum())
        notes.append(f"{reached} of the {len(data)} items shown reach {threshold:g} (dashed line).")
    if title:   # wrapped to what the axes leave beside the longest label (6.5 pt text: ~17 characters an inch)
        longest = max([len(x) for x in names] + [1])
        ax.set_title(_wrapped(title, max(1.2, width - 0.075 * longest - 0.3)), loc="left")
    return _note(fig, n=n, unit=unit, shown=title, left_out=" ".join(filter(None, notes)))


def _key_dates(start, end) -> pd.DataFrame:
    table = read_table("data/key_dates.csv")
    when = pd.to_datetime(table["date"], utc=True)
    keep = when.between(pd.Timestamp(start), pd.Timestamp(end))
    return pd.DataFrame({"date": when[keep], "label": table["label"][keep]}).sort_values("date").reset_index(drop=True)


def mark_key_dates(ax, start, end, *, min_gap_in: float = 0.16) -> pd.DataFrame:
    """Mark the key dates of ``data/key_dates.csv`` within ``[start, end]``: a dashed line and a
    number above the axes each, numbers staggered upwards when closer than ``min_gap_in``
    inches, and a numbered legend under the axes. Returns the dates marked (``date``, ``label``,
    ``number``)."""
    dates = _key_dates(start, end)
    if dates.empty:
        return dates.assign(number=[])
    x0, x1 = ax.get_xlim()
    width_in = ax.get_position().width * ax.figure.get_size_inches()[0]
    last_at_level: dict[int, float] = {}
    numbers = []
    for i, when in enumerate(dates["date"], 1):
        x = mdates.date2num(when.tz_convert(None).to_pydatetime())
        ax.axvline(x, color="#666666", linewidth=0.6, linestyle="--", zorder=0)
        fraction = (x - x0) / (x1 - x0)
        level = 0
        while level in last_at_level and (fraction - last_at_level[level]) * width_in < min_gap_in:
            level += 1
        last_at_level[level] = fraction
        ax.annotate(str(i), (x, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 2 + 8 * level),
                    textcoords="offset points", ha="center", va="bottom", fontsize=6, color="#333333",
                    annotation_clip=False)
        numbers.append(i)
    # no-break spaces inside an entry: lines wrap only between entries
    entries = [f"{i} {label} ({when:%d %b %Y})".replace(" ", "\u00a0") for i, (when, label) in enumerate(zip(dates["date"], dates["label"]), 1)]
    chars = int(width_in * 17)  # about 17 characters of 6-point text per inch
    legend = "\n".join(textwrap.wrap("Key dates: " + "   ".join(entries), chars))
    ax.annotate(legend, (0, 0), xycoords="axes fraction", xytext=(0, -30), textcoords="offset points",
                ha="left", va="top", fontsize=6, color="#333333", annotation_clip=False)
    return dates.assign(number=numbers)


def _date_axis(ax, freq: str):
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    formatter = mdates.ConciseDateFormatter(locator, show_offset=False)
    # ticks at days name their month, ticks at hours their day: a span of a few days read "18 19 20 21"
    formatter.formats[2], formatter.formats[3] = "%d %b", "%d %b %H:%M"
    ax.xaxis.set_major_formatter(formatter)
    low, high = (mdates.num2date(x) for x in ax.get_xlim())
    year = f", {low.year}" if low.year == high.year and (high - low).days < 366 else ""
    ax.set_xlabel(f"date of publication (per {period_word(freq)}){year}")


def _bar_widths(starts: pd.DatetimeIndex, freq: str) -> np.ndarray:
    ends = (starts.tz_convert(None).to_period(freq) + 1).start_time
    return (ends - starts.tz_convert(None)).days.to_numpy() * 0.85


@_recorded
def timeline(table: pd.DataFrame, *, date: str = "period", value: str = "n_articles", group: str | None = None,
             freq: str = "M", title: str | None = None, key_dates: bool = True, max_groups: int = MAX_GROUPS,
             unit: str = "articles", undated: int = 0, width: float = TWO_COLUMN):
    """Counts per period as (stacked) bars on a regular, zero-filled grid, with the key dates.

    Parameters
    ----------
    table : tidy counts, one row per period (and group): :func:`toolkit.overview.articles_per`
        with ``freq``. Periods with no article are filled with 0 (:func:`fill_periods`), so no
        bar or line bridges an empty stretch.
    group : optional group column (e.g. ``outlet_country``); groups beyond the ``max_groups``
        largest are pooled into "other"; colours are the countries' fixed colours.
    freq : the period of the table (``"D"``, ``"W"``, ``"M"`` ...), see :func:`choose_freq`.
    undated : articles left out for want of a date (stated in the caption).
    """
    data = table.copy()
    if group is not None:
        totals = data.assign(_g=_clean_groups(data[group])).groupby("_g")[value].sum()
        keep, pooled = _pool_plan(totals, 1, max_groups)
        label = other_label(len(pooled), int(totals[pooled].sum()), unit) if pooled else None
        data[group] = _clean_groups(data[group]).where(lambda g: g.isin(keep), label)
        data = data.groupby([group, date], observed=True, as_index=False)[value].sum()
    grid = fill_periods(data, date=date, value=value, freq=freq, group=group)
    fig, ax = plt.subplots(figsize=(width, 2.4))
    n_total = int(data[value].sum())
    if group is None:
        starts = pd.DatetimeIndex(grid[date])
        ax.bar(starts.tz_convert(None), grid[value], width=_bar_widths(starts, freq), align="edge",
               color=cycle()[0])
    else:
        order = data.groupby(group)[value].sum().sort_values(ascending=False, kind="stable").index.tolist()
        order = [g for g in order if not is_pooled(g)] + [g for g in order if is_pooled(g)]
        colours = group_colours(order)
        bottom = None
        for name in order:
            part = grid[grid[group] == name].sort_values(date)
            starts = pd.DatetimeIndex(part[date])
            heights = part[value].to_numpy(dtype=float)
            ax.bar(starts.tz_convert(None), heights, width=_bar_widths(starts, freq), align="edge",
                   bottom=bottom, color=colours[name],
                   label=f"{name} (n={int(heights.sum())})" if not is_pooled(name) else name)
            bottom = heights if bottom is None else bottom + heights
        ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0), title=group.replace("_", " "))
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylabel(f"{unit} per {period_word(freq)}")
    if len(grid):
        first, last = pd.to_datetime(grid[date], utc=True).min(), pd.to_datetime(grid[date], utc=True).max()
        ax.set_xlim(first.tz_convert(None) - pd.Timedelta(days=1),
                    (last.tz_convert(None).to_period(freq) + 1).start_time + pd.Timedelta(days=1))
        if key_dates:
            mark_key_dates(ax, first, (last.tz_convert(None).to_period(freq) + 1).start_time.tz_localize("UTC"))
    _date_axis(ax, freq)   # after the limits: the axis label names the year of a span within one
    if title:
        ax.set_title(title, loc="left", pad=22 if key_dates else 6)
    n_periods = len(pd.unique(grid[date])) if len(grid) else 0
    return _note(fig, n=n_total, unit=unit, shown=title,
                 left_out=(f"{_unit_word(undated, 'undated ' + unit)} left out. " if undated else "")
                 + (f"{_plural(n_periods, period_word(freq))} shown, empty ones as zero." if n_periods != 1
                    else f"1 {period_word(freq)} shown."))


@_recorded
def timeline_means(table: pd.DataFrame, *, date: str = "period", value: str = "mean", variable: str = "variable",
                   low: str = "ci_low", high: str = "ci_high", count: str = "n_scored", freq: str = "M",
                   ylabel: str = "mean", min_n: int = 3, title: str | None = None, key_dates: bool = True,
                   reference: float | None = None, width: float = TWO_COLUMN):
    """Means per period with intervals, one panel per variable (:func:`toolkit.timeline.over_time`).

    Periods with fewer than ``min_n`` scored units are not drawn (gaps, never a line across an
    empty period); every drawn mean has its interval. Fewer than :data:`MIN_PERIODS` periods
    with a mean make no timeline: the figure is a recorded skip. Lines join only consecutive periods.
    All panels share one y scale (the variables share a unit), and each is named level to
    its left.
    """
    variables = list(dict.fromkeys(table[variable].astype(str))) if len(table) else []
    data = table[table[count] >= min_n]
    dropped = int((table[count] < min_n).sum())
    panels = max(len(variables), 1)
    # one y scale for every panel: the variables share a unit, and a reader compares the panels
    fig, axes = plt.subplots(panels, 1, figsize=(width, min(11.0, max(2.4, 0.6 + 1.15 * panels))), sharex=True,
                             sharey=True, squeeze=False)
    axes = axes.ravel()
    stamps = pd.to_datetime(table[date], utc=True) if len(table) else pd.Series(dtype="datetime64[ns, UTC]")
    grid = _period_starts(stamps.min(), stamps.max(), freq) if len(table) else pd.DatetimeIndex([], tz="UTC")
    starts = grid.tz_convert(None)
    middles = starts + ((starts.to_period(freq) + 1).start_time - starts) / 2 if len(grid) else starts
    colour = cycle()[0]   # one colour: each panel is titled, and colours repeating past 8 panels would mislead
    for ax, name in zip(axes, variables):
        part = data[data[variable].astype(str) == name].assign(**{date: lambda d: pd.to_datetime(d[date], utc=True)})
        part = part.set_index(date).reindex(grid)
        y = part[value].to_numpy(dtype=float)
        err = np.vstack([y - part[low].to_numpy(dtype=float), part[high].to_numpy(dtype=float) - y])
        ax.plot(middles, y, color=colour, linewidth=0.8)           # NaN (empty or too small) breaks the line
        ax.errorbar(middles, y, yerr=np.clip(np.nan_to_num(err), 0, None), fmt="o", markersize=2.5, linewidth=0.7,
                    color=colour, capsize=0)
        ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(3))
        if panels > 1:  # the variable names its panel, written level left of it: the space above is the key dates'
            lines = textwrap.wrap(name.replace("_", " "), 18)
            panel_lines = 2 if panels > 8 else 3   # what the height of one panel holds
            ax.set_ylabel("\n".join(lines[:panel_lines]) + ("…" if len(lines) > panel_lines else ""), fontsize=6.5,
                          rotation=0, ha="right", va="center", labelpad=4)
        if reference is not None:
            ax.axhline(reference, color="#999999", linewidth=0.6)
    if len(grid):
        end = (starts.max().to_period(freq) + 1).start_time
        axes[0].set_xlim(starts.min() - pd.Timedelta(days=3), end + pd.Timedelta(days=3))
        for ax in axes if key_dates else []:
            for when in _key_dates(grid.min(), end.tz_localize("UTC"))["date"]:
                ax.axvline(when.tz_convert(None), color="#666666", linewidth=0.6, linestyle="--", zorder=0)
    _date_axis(axes[-1], freq)
    if panels > 1:
        fig.supylabel(ylabel, fontsize=8)
    else:
        axes[0].set_ylabel(ylabel)
    if len(grid) and key_dates:
        _renumber_key_dates(axes, grid, freq)
    if title:
        axes[0].set_title(title, loc="left", pad=22 if key_dates else 6)
    n_units = int(table.groupby(date)[count].max().sum()) if len(table) else 0
    note = (f"{period_word(freq).capitalize()}s with fewer than {min_n} scored articles not drawn ({dropped} points)."
            if dropped else "")
    empty = None
    drawn = data[date].nunique() if len(data) else 0
    if data.empty:
        most = int(table[count].max()) if len(table) else 0
        empty = (f"No {period_word(freq)} has {min_n} or more scored articles (at most {most} in one), "
                 "so no mean could be drawn.")
    elif drawn < MIN_PERIODS:
        empty = (f"Only {_plural(drawn, period_word(freq))} of {len(grid)} {'has' if drawn == 1 else 'have'} "
                 f"{min_n} or more scored articles: fewer than {MIN_PERIODS} points make no timeline.")
    return _note(fig, n=n_units, unit="scored articles", left_out=note, shown=title, empty=empty)


def _renumber_key_dates(axes, grid, freq):
    """Numbers above the top panel and the legend under the bottom one (see :func:`mark_key_dates`)."""
    end = (grid.tz_convert(None).max().to_period(freq) + 1).start_time.tz_localize("UTC")
    top, bottom = axes[0], axes[-1]
    dates = mark_key_dates(top, grid.min(), end)
    if len(axes) > 1 and len(dates):
        legend = top.texts[-1]
        text = legend.get_text()
        legend.remove()
        bottom.annotate(text, (0, 0), xycoords="axes fraction", xytext=(0, -30), textcoords="offset points",
                        ha="left", va="top", fontsize=6, color="#333333", annotation_clip=False)


@_recorded
def topic_terms(terms: pd.DataFrame, labels=None, n: int = 8, columns: int = 3, width: float = TWO_COLUMN,
                xlabel: str = "word probability in the topic"):
    """Small multiples: the top ``n`` terms of each topic with their weights (terms of weight 0,
    which a small topic's list is padded with, are not drawn).

    ``terms`` is :attr:`toolkit.topics.TopicModel.terms` (``topic``, ``rank``, ``term``, ``weight``,
    and ``form``: what is written, e.g. ``negotiations`` for the English stem ``negoti``; a
    table without ``form`` shows ``term``). Terms longer than 22 characters are shortened with "…"; panel titles are wrapped to the
    width their panel leaves beside the terms (at most three lines); one axis label
    (``xlabel``: what the weight is) serves every panel.
    """
    topics = sorted(terms["topic"].unique())
    columns = max(1, min(columns, len(topics)))
    rows = -(-len(topics) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(width, min(9.0, 1.75 * rows + 0.3)), squeeze=False)
    written = "form" if "form" in terms else "term"
    # a term of weight 0 is not of the topic (a small topic has fewer than n weighted terms)
    shown = terms[(terms["rank"] < n) & (terms["weight"] > 0)].assign(term=lambda t: [_shorten(str(x), 22) for x in t[written]])
    # the axes of a panel are what its terms (6-point text, about 0.045 inch a character) leave of it
    longest = max([len(x) for x in shown["term"]] + [1])
    chars = max(10, int((width / columns - 0.045 * longest - 0.2) * 17))
    for ax, topic in zip(axes.ravel(), topics):
        part = shown[shown["topic"] == topic].sort_values("rank").iloc[::-1]
        ax.barh(np.arange(len(part)), part["weight"], color=cycle()[0])   # one colour: the panel's title names the topic
        ax.set_yticks(np.arange(len(part)), part["term"].tolist())
        title = f"{topic}: " + (labels[topic] if labels is not None else f"topic {topic}")
        lines = textwrap.wrap(title, chars)
        ax.set_title("\n".join(lines[:3]) + ("…" if len(lines) > 3 else ""), loc="left", fontsize=7)
        ax.tick_params(axis="both", labelsize=6)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(3))
    for ax in axes.ravel()[len(topics):]:
        ax.axis("off")
    fig.supxlabel(xlabel, fontsize=7)
    return _note(fig, shown="Top words of each topic")


def _shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last one "…" when cut.

    >>> _shorten("international_committee_of_the_red_cross", 12)
    'internation…'
    """
    return text if len(text) <= limit else text[:limit - 1] + "…"


@_recorded
def k_selection(table: pd.DataFrame, width: float = TWO_COLUMN, chosen: int | None = None,
                min_stability: float | None = None):
    """Coherence and stability against the number of topics (output of :func:`toolkit.topics.select_k`).

    ``chosen`` (the k fitted) is marked by a dotted line in both panels, ``min_stability`` (the
    rule's threshold, :func:`toolkit.topics.choose_k`) by a dashed line in the stability panel,
    and the coherence carries its standard error over seeds (``coherence_se``, the one-standard-
    error rule's yardstick), so that a reader sees why that k. Needs at least two candidate ks (the notebook checks
    with :func:`enough`).
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(width, 2.2))
    left.plot(table["k"], table["coherence"], marker="o", color=cycle()[0])
    if "coherence_se" in table and table["coherence_se"].notna().any():   # the one-standard-error rule's bars
        left.errorbar(table["k"], table["coherence"], yerr=table["coherence_se"].fillna(0).to_numpy(), fmt="none",
                      ecolor=cycle()[0], elinewidth=0.7, capsize=2)
    left.set_xlabel("number of topics k")
    within = " within languages" if str(table.attrs.get("coherence", "")).startswith("within") else ""
    left.set_ylabel(f"coherence{within} ({table.attrs.get('measure', 'c_npmi')})")
    right.plot(table["k"], table["stability"], marker="o", color=cycle()[1])
    right.set_xlabel("number of topics k")
    right.set_ylabel("stability across seeds (0 to 1)")
    right.set_ylim(0, 1.02)
    if min_stability is not None:
        right.axhline(min_stability, color="#999999", linewidth=0.7, linestyle="--",
                      label=f"threshold {min_stability:g}")
    for ax in (left, right):
        ax.set_xticks(sorted(table["k"].unique()))
        if chosen is not None:
            ax.axvline(chosen, color="#333333", linewidth=0.8, linestyle=":", label=f"chosen k = {chosen}")
    if chosen is not None or min_stability is not None:
        right.legend(frameon=False, loc="lower left")
    return _note(fig, shown="Coherence and stability of topic models by number of topics")


@_recorded
def interval_dots(table: pd.DataFrame, *, row: str, value: str, by: str, low: str = "ci_low",
                  high: str = "ci_high", count: str = "n_scored", xlabel: str | None = None,
                  title: str | None = None, max_groups: int = MAX_GROUPS, min_n: int = MIN_ARTICLES, max_rows: int = MAX_ROWS,
                  group_n: pd.Series | None = None, reference: float | None = None, unit: str = "articles",
                  row_order: str = "n", row_word: str = "rows", width: float = TWO_COLUMN):
    """Estimates with intervals: one row per ``row`` value, one dot per ``by`` group.

    Estimates from fewer than ``min_n`` items are not drawn; rows left without any drawn
    estimate are dropped; at most ``max_rows`` rows. Groups (at most ``max_groups``, the
    largest; pool per article first with :func:`pool_labels`) are named in the legend with their
    n: ``group_n`` (group -> articles) when given, else the largest cell count of the group; a
    pooled group is labelled with that n, not with the corpus count in its pooled label.

    Parameters
    ----------
    row_order : ``"n"``: rows by their total n (largest first), each labelled with it;
        ``"mean"``: rows by their n-weighted mean ``value`` over the drawn groups (largest
        first), labelled without n (for rows every group shares, such as topics, whose n
        would be the same on every row). Rows beyond ``max_rows`` are the last in this order.
    row_word : what a row is, for the caption (``"topics"``, ``"actors"``).

    The figure's n (for the caption) is the articles of the groups drawn; groups left out
    (too small everywhere, or beyond ``max_groups``) are counted in the caption.
    """
    if row_order not in ("n", "mean"):
        raise ValueError(f"row_order must be 'n' or 'mean', not {row_order!r}")
    data = table.copy()
    data[by] = _clean_groups(data[by])
    data[row] = data[row].astype(str)
    drawn = data[(data[count] >= min_n) & data[value].notna()]
    too_small = int(((data[count] < min_n) | data[value].isna()).sum())
    sizes = (group_n.rename(index=lambda g: UNKNOWN if is_unknown(g) else str(g)) if group_n is not None
             else data.groupby(by)[count].max())
    sizes = sizes.groupby(level=0).sum()
    groups = [g for g in sizes.sort_values(ascending=False, kind="stable").index if g in set(drawn[by])]
    groups = [g for g in groups if not is_pooled(g)][:max_groups] + [g for g in groups if is_pooled(g)]
    drawn = drawn[drawn[by].isin(groups)]
    row_sizes = drawn.groupby(row, sort=False)[count].sum().sort_values(ascending=False, kind="stable")
    if row_order == "mean":
        weighted = (drawn[value].astype(float) * drawn[count]).groupby(drawn[row], sort=False).sum() / row_sizes
        ranking = weighted.sort_values(ascending=False, kind="stable")
    else:
        ranking = row_sizes
    rows = list(ranking.index[:max_rows])
    drawn = drawn[drawn[row].isin(rows)]
    fig, ax = plt.subplots(figsize=(width, _row_height(len(rows), per_row=0.32, extra=0.9)))
    offsets = np.linspace(-0.3, 0.3, len(groups)) if len(groups) > 1 else [0.0]
    colours = group_colours(groups)
    position = {r: i for i, r in enumerate(rows)}
    for offset, group in zip(offsets, groups):
        part = drawn[drawn[by] == group]
        if part.empty:
            continue
        y = np.array([position[r] for r in part[row]]) + offset
        err = np.vstack([part[value] - part[low], part[high] - part[value]]).astype(float)
        n_label = int(sizes.get(group, part[count].max()))
        ax.errorbar(part[value].astype(float), y, xerr=np.clip(np.nan_to_num(err), 0, None), fmt="o",
                    markersize=3, linewidth=0.8, color=colours[group],
                    label=pooled_label_with_n(group, n_label) if is_pooled(group) else f"{group} (n={n_label})")
    if reference is not None:
        ax.axvline(reference, color="#999999", linewidth=0.6)
    ax.set_yticks(range(len(rows)), [f"{r} (n={int(row_sizes[r])})" if row_order == "n" else r for r in rows])
    ax.set_ylim(max(len(rows), 1) - 0.5, -0.5)
    ax.set_xlabel(xlabel or value.replace("_", " "))
    if groups:
        ax.legend(frameon=False, title=by.replace("_", " "), bbox_to_anchor=(1.0, 1.0), loc="upper left")
    if title:
        ax.set_title(title, loc="left")
    left_out = []
    if too_small:
        left_out.append(f"{too_small} estimates from fewer than {min_n} {unit} not drawn.")
    if len(ranking) > max_rows:
        beyond = "with the fewest " + unit if row_order == "n" else f"with the smallest mean {value.replace('_', ' ')}"
        left_out.append(f"{len(ranking) - max_rows} {row_word} {beyond} beyond the {max_rows} shown left out.")
    not_drawn = [g for g in sizes.index if g not in groups]
    if not_drawn:
        left_out.append(f"{_plural(len(not_drawn), 'group')} ({_unit_word(int(sizes[not_drawn].sum()), unit)}; "
                        f"no estimate from {min_n} {unit} or more, or beyond the {max_groups} largest) not drawn.")
    n_total = int(sizes[groups].sum()) if group_n is not None else int(drawn[count].sum())
    empty = None if len(drawn) else f"No estimate rests on {min_n} or more {unit}."
    return _note(fig, n=n_total, unit=unit, left_out=" ".join(left_out), shown=title, empty=empty)


@_recorded
def prevalence_dots(prevalence: pd.DataFrame, by: str = "outlet_country", title: str | None = None,
                    max_groups: int = MAX_GROUPS, min_n: int = MIN_ARTICLES, max_rows: int = 20,
                    width: float = TWO_COLUMN, quantity: str | None = None):
    """Topic prevalence per group with intervals (:meth:`toolkit.topics.TopicModel.prevalence`).

    ``quantity`` names what the values are, for the axis (default: the table's
    ``attrs["quantity"]``, else "mean topic share"; cross-lingual models: "share of articles
    in the topic", i.e. in its k-means cluster).

    Topics are ordered by their mean share over the drawn groups (largest first; at most
    ``max_rows``), and a line marks 1/k, the share every topic would have if none stood out.
    Pool small groups per article first (:func:`pooled_prevalence`).
    """
    group_n = prevalence.drop_duplicates(by).set_index(by)["n_articles"]
    k = int(prevalence["topic"].nunique())
    return interval_dots(prevalence.sort_values("topic", kind="stable"), row="label", value="mean", by=by,
                         count="n_articles",
                         xlabel=f"{quantity or prevalence.attrs.get('quantity', 'mean topic share')} "
                                f"(95% bootstrap interval; line: 1/k = 1/{k})",
                         title=title, max_groups=max_groups, min_n=min_n, max_rows=max_rows, group_n=group_n,
                         reference=1.0 / k if k else None, row_order="mean", row_word="topics", width=width)


def pooled_prevalence(model, corpus: pd.DataFrame, by: str = "outlet_country", *, min_n: int = MIN_ARTICLES,
                      max_groups: int = MAX_GROUPS, **options) -> pd.DataFrame:
    """``model.prevalence(by=...)`` over groups pooled per article (:func:`pool_by_article`):
    groups below ``min_n`` articles share one "other" group with its own estimate, and articles
    with no group value count as ``unknown`` (they are not dropped), as in every other figure.

    ``model`` is a :class:`toolkit.topics.TopicModel`; it is not changed. ``options`` go to
    ``prevalence`` (``ci``, ``n_boot``, ``freq``).
    """
    import copy

    pooled = copy.copy(model)
    pooled.units = pool_by_article(model.units, corpus, by, min_n=min_n, max_groups=max_groups)
    return pooled.prevalence(by=by, **options)


@_recorded
def ranked_intervals(table: pd.DataFrame, *, label: str, value: str, low: str = "ci_low", high: str = "ci_high",
                     count: str = "n_scored", colour_by: dict | pd.Series | None = None, xlabel: str | None = None,
                     title: str | None = None, reference: float | None = 0.0, min_n: int = MIN_ARTICLES,
                     max_rows: int = MAX_ROWS, unit: str = "articles", colour_title: str = "outlet country",
                     width: float = TWO_COLUMN):
    """One estimate with its interval per group (e.g. the naming index per outlet), ordered by
    value, groups labelled with n; estimates from fewer than ``min_n`` items are left out; at
    most ``max_rows`` rows (the largest groups by n; the pooled "other" row, if any, stays).

    ``colour_by`` maps a group to a country code for colouring (outlets by their country).
    """
    data = table.copy()
    data[label] = _clean_groups(data[label])
    eligible = data[(data[count] >= min_n) & data[value].notna()]
    pooled = eligible[label].map(is_pooled).astype(bool)
    others = eligible[pooled]
    regular = eligible[~pooled].sort_values([count, label], ascending=[False, True], kind="stable")
    shown_regular = regular.head(max_rows - len(others))
    rows = pd.concat([shown_regular.sort_values([value, label], ascending=[False, True], kind="stable"), others])
    n_left = int(data.loc[~data.index.isin(rows.index), count].sum())
    groups_left = int((~data.index.isin(rows.index)).sum())
    fig, ax = plt.subplots(figsize=(width, _row_height(len(rows), per_row=0.2, extra=0.9)))
    positions = np.arange(len(rows))
    mapping = colour_by if colour_by is not None else {}
    keys = [g if is_pooled(g) else (mapping.get(g) if hasattr(mapping, "get") else None) for g in rows[label]]
    colours = [country_colour(k) for k in keys] if colour_by is not None else \
        [country_colour(OTHER) if is_pooled(g) else cycle()[0] for g in rows[label]]
    err = np.vstack([rows[value] - rows[low], rows[high] - rows[value]]).astype(float)
    for y, x, e, colour in zip(positions, rows[value].astype(float), err.T, colours):
        ax.errorbar([x], [y], xerr=np.clip(np.nan_to_num(e), 0, None)[:, None], fmt="o", markersize=3.5,
                    linewidth=0.9, color=colour)
    ax.set_yticks(positions, [pooled_label_with_n(g, k) if is_pooled(g) else f"{g} (n={int(k)})"
                              for g, k in zip(rows[label], rows[count])])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    if reference is not None:
        ax.axvline(reference, color="#999999", linewidth=0.6)
    ax.set_xlabel(xlabel or value.replace("_", " "))
    if colour_by is not None and len(rows):
        _country_legend(ax, keys, title=colour_title)
    if title:
        ax.set_title(title, loc="left")
    left_out = (f"{_plural(groups_left, 'group')} ({_unit_word(n_left, unit)}) with fewer than {min_n} {unit} "
                f"or beyond the {max_rows} largest left out." if groups_left else "")
    empty = None if any(map(is_single_group, rows[label])) else (f"No single group has an estimate from {min_n} or more {unit}"
                               + (" (only the pooled or unknown ones)." if len(rows) else "."))
    return _note(fig, n=int(rows[count].sum()), unit=unit, shown=title, empty=empty,
                 left_out=" ".join(filter(None, [left_out, small_estimates_note(rows[count], unit)])))


def small_estimates_note(counts: pd.Series, unit: str = "articles", *, usual: int = MIN_ARTICLES) -> str:
    """A caption sentence flagging estimates drawn from fewer than ``usual`` items (a figure
    drawn with a lower ``min_n``): how many, and from how few; empty when there is none.

    >>> small_estimates_note(pd.Series([12, 4, 3, 8]))
    'Caution: 2 estimates rest on fewer than 5 articles (3-4); their intervals are unstable.'
    """
    small = counts[counts < usual].astype(int)
    if small.empty:
        return ""
    span = f"{small.min()}" if small.min() == small.max() else f"{small.min()}-{small.max()}"
    return (f"Caution: {_plural(len(small), 'estimate')} rest{'s' if len(small) == 1 else ''} on fewer than {usual} "
            f"{unit} ({span}); {'its interval is' if len(small) == 1 else 'their intervals are'} unstable.")


@_recorded
def heatmap(table: pd.DataFrame, *, row_n: pd.Series | None = None, title: str | None = None, fmt: str = "{:.1f}",
            cmap: str = "Blues", colorbar: str | None = None, unit: str = "articles", width: float = TWO_COLUMN):
    """A labelled heatmap of a wide table (index: rows, columns: columns), values printed in cells.

    ``row_n`` (row -> n) labels each row with its n, orders the rows by it (largest first,
    ``unknown`` and the pooled "other" row last) and gives the caption's total; without it rows
    are drawn in the order given. Pool groups first (:func:`pool_labels`, :func:`pool_by_article`).
    """
    data = table.astype(float)
    if row_n is not None:
        def rank(index):
            label = str(index)
            return (is_pooled(label), label == UNKNOWN, -int(row_n.get(index, 0)), label)
        data = data.loc[sorted(data.index, key=rank)]
    # column names wrapped onto at most two short lines: a long name turned upright would need
    # more height than the figure has and run off its bottom edge
    columns = ["\n".join(textwrap.wrap(str(c).replace("_", " "), 14, break_long_words=False)[:2]) for c in data.columns]
    fig, ax = plt.subplots(figsize=(width, _row_height(len(data), per_row=0.3, extra=1.2)
                                    + 0.07 * max([len(str(c)) for c in columns] + [0])))
    image = ax.imshow(data.to_numpy(), aspect="auto", cmap=cmap)
    ax.set_xticks(range(data.shape[1]), columns, rotation=90)
    names = [str(i) for i in data.index]
    if row_n is not None:
        names = [pooled_label_with_n(n, row_n.get(i, 0)) if is_pooled(n) else f"{n} (n={int(row_n.get(i, 0))})"
                 for n, i in zip(names, data.index)]
    ax.set_yticks(range(data.shape[0]), names)
    values = data.to_numpy()
    peak = np.nanmax(values) if data.size and np.isfinite(values).any() else 0
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v):
            ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=6,
                    color="white" if peak and v > 0.6 * peak else "black")
    if colorbar:
        fig.colorbar(image, ax=ax, label=colorbar, shrink=0.8)
    if title:
        ax.set_title(title, loc="left")
    n_total = int(row_n.loc[[i for i in data.index if i in row_n.index]].sum()) if row_n is not None else None
    left_out = []
    if any(is_pooled(i) for i in data.index):
        left_out.append(f"Groups with fewer than {MIN_ARTICLES} {unit} pooled into 'other'.")
    missing = [i for i in row_n.index if i not in data.index] if row_n is not None else []
    if missing:
        left_out.append(f"{_plural(len(missing), 'group')} ({_unit_word(int(row_n[missing].sum()), unit)}) "
                        "without a value left out.")
    return _note(fig, n=n_total, unit=unit, shown=title, left_out=" ".join(left_out))


@_recorded
def stacked_shares(table: pd.DataFrame, *, group: str | None = None, n: str = "n_sources", title: str | None = None,
                   xlabel: str = "share", max_rows: int = MAX_ROWS, min_n: int = MIN_ARTICLES,
                   unit: str = "attributed sources", width: float = TWO_COLUMN):
    """Horizontal stacked bars of shares per group (rows sum to 1), e.g. source kinds per outlet.

    ``table`` has one row per group (the index, or the column ``group``), a count column ``n``
    and one column per part. Rows follow :func:`group_table`: the largest groups by ``n``, the
    rest pooled into "other" (shares weighted by ``n``), each row labelled with its n.
    """
    data = table.reset_index() if group is None else table.copy()
    group = group or data.columns[0]
    parts = [c for c in data.columns if c not in (group, n)]
    rows = group_table(data, group, n=n, min_n=min_n, max_rows=max_rows, unit=unit)
    # a part with no share in any drawn row would only add an empty entry to the legend
    colour_of = {c: cycle()[i % len(cycle())] for i, c in enumerate(parts)}   # the same colour whatever is drawn
    parts = [c for c in parts if rows[c].fillna(0).to_numpy(dtype=float).sum() > 0] or parts
    fig, ax = plt.subplots(figsize=(width, _row_height(len(rows), per_row=0.22, extra=1.0)))
    left = np.zeros(len(rows))
    positions = np.arange(len(rows))
    for column in parts:
        values = rows[column].to_numpy(dtype=float)
        ax.barh(positions, values, left=left, color=colour_of[column], label=str(column))
        left += np.nan_to_num(values)
    ax.set_yticks(positions, rows["label"])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel(xlabel)
    ax.legend(frameon=False, ncol=min(len(parts), 6), loc="lower left", bbox_to_anchor=(0, 1.0))
    if title:
        ax.set_title(title, loc="left", pad=18)
    single = [is_single_group(g) and not pooled for g, pooled in zip(rows["group"].astype(str), rows["pooled"])]
    empty = None if any(single) else f"No single {group.replace('_', ' ')} has {min_n} or more {unit}."
    return _note(fig, n=rows.attrs["n_total"], unit=unit, left_out=rows.attrs["left_out"], shown=title, empty=empty)


def _drawn_texts(fig) -> list:
    """The text artists matplotlib actually draws: titles, labels, annotations, legends, and
    the tick labels of ticks inside the view (matplotlib keeps stale ones outside it)."""
    texts = [t for t in fig.texts]
    for ax in fig.axes:
        texts += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label] + list(ax.texts)
        legend = ax.get_legend()
        if legend is not None:
            texts += list(legend.get_texts()) + [legend.get_title()]
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            span = (high - low) or 1.0
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if low - 1e-9 * span <= tick.get_loc() <= high + 1e-9 * span:
                    texts += [tick.label1, tick.label2]
    for sub in (fig._suptitle, fig._supxlabel, fig._supylabel):
        if sub is not None:
            texts.append(sub)
    return [t for t in texts if t.get_visible() and t.get_text().strip()]


def texts_outside(fig) -> list[str]:
    """Drawn texts of ``fig`` that run past its edges (cut off in the saved file).

    >>> fig, ax = plt.subplots(figsize=(1, 1)); _ = ax.set_xlabel("x"); texts_outside(fig)
    []
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    outside = []
    for artist in dict.fromkeys(_drawn_texts(fig)):
        box = artist.get_window_extent(renderer)
        if box.x0 < frame.x0 - 0.5 or box.x1 > frame.x1 + 0.5 or box.y0 < frame.y0 - 0.5 or box.y1 > frame.y1 + 0.5:
            outside.append(artist.get_text())
    return outside


def text_boxes_overlap(fig) -> list[tuple[str, str]]:
    """Pairs of drawn texts of ``fig`` whose rendered boxes overlap by more than half a point
    (a check for tests and for a reviewer; an empty list means no text runs into other text).

    >>> fig, ax = plt.subplots(); _ = ax.set_title("a"); text_boxes_overlap(fig)
    []
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = []
    for artist in dict.fromkeys(_drawn_texts(fig)):
        box = artist.get_window_extent(renderer)
        if box.width > 0 and box.height > 0:
            boxes.append((artist.get_text(), box))
    pairs = []
    for i, (text_a, a) in enumerate(boxes):
        for text_b, b in boxes[i + 1:]:
            if (min(a.x1, b.x1) - max(a.x0, b.x0)) > 0.5 and (min(a.y1, b.y1) - max(a.y0, b.y0)) > 0.5:
                pairs.append((text_a, text_b))
    return pairs
