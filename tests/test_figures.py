"""Figures: the plotting contract (known tables in, checked artists out), publication style,
fixed colours, captions, size limits, and byte-identical files on a re-run.

Every table here is invented for the test (made-up outlets, countries and counts)."""
import hashlib
import json

import matplotlib
import matplotlib.font_manager
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

from toolkit import figures


def _draw():
    # invented data
    table = pd.DataFrame({"outlet": ["a.am", "b.az", "c.ru"], "n_articles": [3, 2, 1], "outlet_country": ["AM", "AZ", "RU"]})
    return figures.bar_counts(table, label="outlet", colour_by="outlet_country", title="Что и где")


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _bars(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_height() > 0 and p.get_width() > 0]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ------------------------------------------------------------------ the table logic
# invented: 15 outlets with 40, 30, ... articles, and 4 with 1-4
OUTLETS = pd.DataFrame({"outlet": [f"o{i:02d}.example" for i in range(19)],
                        "n": [40, 30, 25, 20, 18, 16, 14, 12, 10, 9, 8, 7, 6, 5, 5, 4, 3, 2, 1]})


def test_group_table_keeps_the_largest_and_pools_the_rest_with_counts():
    rows = figures.group_table(OUTLETS, "outlet", max_rows=12, min_n=5)
    assert len(rows) == 12                                    # 11 largest + other
    assert rows["group"].tolist()[:3] == ["o00.example", "o01.example", "o02.example"]
    other = rows.iloc[-1]
    # pooled: the 4 outlets beyond the 11 largest with >= 5 articles (7+6+5+5) and 4 small ones (4+3+2+1)
    assert other["pooled"] and other["n"] == 7 + 6 + 5 + 5 + 4 + 3 + 2 + 1
    assert other["label"] == "other (8 groups, 33 articles)"
    assert rows.loc[0, "label"] == "o00.example (n=40)"
    assert rows.attrs["n_total"] == int(OUTLETS["n"].sum()) == rows["n"].sum()
    assert "8 smaller groups (33 articles; fewer than 5 articles each or beyond the 11 largest)" in rows.attrs["left_out"]


def test_group_table_orders_by_value_and_pools_means_weighted_by_n():
    # invented: shares of quoted officials per country
    table = pd.DataFrame({"country": ["AM", "AZ", "RU", "CZ", None, "ZZ"], "n": [10, 20, 6, 1, 3, 1],
                          "official": [0.2, 0.5, 0.9, 1.0, 0.0, 1.0]})
    rows = figures.group_table(table, "country", value="official", order="value")
    assert rows["group"].tolist() == ["RU", "AZ", "AM", "other (2 groups, 5 articles)"]
    # missing and ZZ are one group "unknown" (3 + 1 articles, mean 0.25); pooled with CZ
    assert rows.iloc[-1]["official"] == pytest.approx((0.0 * 3 + 1.0 * 1 + 1.0 * 1) / 5)
    left_out = figures.group_table(table, "country", pool=False)
    assert left_out["group"].tolist() == ["AZ", "AM", "RU"] and "left out" in left_out.attrs["left_out"]


def test_pool_labels_per_article():
    values = pd.Series(["AM"] * 6 + ["AZ"] * 5 + ["TR"] * 2 + [None] * 5 + ["CZ"])
    pooled = figures.pool_labels(values, min_n=5)
    assert pooled.value_counts().to_dict() == {"AM": 6, "AZ": 5, "unknown": 5, "other (2 groups, 3 articles)": 3}
    assert figures.count_groups(values) == 2                   # unknown does not count as a country


def test_choose_freq_and_fill_periods():
    assert figures.choose_freq(pd.to_datetime(["2023-09-01", "2023-09-20"])) == "D"
    assert figures.choose_freq(pd.to_datetime(["2023-01-01", "2023-12-20"])) == "W"
    assert figures.choose_freq(pd.to_datetime(["2020-09-27", "2026-02-01"])) == "M"
    assert figures.choose_freq(pd.to_datetime(["2010-01-01", "2026-02-01"])) == "Q"
    assert figures.choose_freq(pd.to_datetime(["1950-01-01", "2026-02-01"])) == "Y"
    # invented: counts in January and June only, two countries
    table = pd.DataFrame({"period": pd.to_datetime(["2023-01-01", "2023-06-01", "2023-06-01"], utc=True),
                          "outlet_country": ["AM", "AM", "AZ"], "n_articles": [2, 1, 4]})
    filled = figures.fill_periods(table, freq="M", group="outlet_country")
    assert len(filled) == 2 * 6
    assert filled[filled["outlet_country"] == "AZ"]["n_articles"].tolist() == [0, 0, 0, 0, 0, 4]


# ------------------------------------------------------------------ drawn artists
def test_bar_counts_draws_at_most_max_rows_with_n_labels_and_the_pooled_bar():
    fig = figures.bar_counts(OUTLETS.rename(columns={"n": "n_articles"}), label="outlet", max_rows=8, min_n=5)
    ax = fig.axes[0]
    assert len(_bars(ax)) == 8
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[0].startswith("other (12 groups, ") and ticks[-1] == "o00.example"   # largest on top
    labels = [t.get_text() for t in ax.texts]
    assert "40" in labels and str(OUTLETS["n"].iloc[7:].sum()) in labels             # n at every bar
    assert fig.toolkit_notes["n"] == OUTLETS["n"].sum()


def test_bar_colours_are_the_country_colours_and_unknown_is_distinct():
    table = pd.DataFrame({"outlet": ["a", "b", "c"], "n_articles": [5, 4, 3], "outlet_country": ["AZ", "ZZ", None]})
    fig = figures.bar_counts(table, label="outlet", colour_by="outlet_country")
    colours = {t.get_text(): p.get_facecolor() for t, p in zip(fig.axes[0].get_yticklabels(), _bars(fig.axes[0]))}
    from matplotlib.colors import to_rgba
    assert colours["a"] == to_rgba(figures.country_colour("AZ"))
    assert colours["b"] == colours["c"] == to_rgba(figures.palette()["_unknown"])


def test_palette_colours_are_distinct_and_fixed():
    colours = figures.palette()
    assert len(set(colours.values())) == len(colours)       # no two countries (or unknown/other) share a colour
    assert figures.country_colour("AZ") == "#0072B2" and figures.country_colour("AM") == "#E69F00"
    assert figures.country_colour("ZZ") == figures.country_colour(None) == colours["_unknown"]
    assert figures.country_colour("XQ") == figures.country_colour("XQ")   # unlisted: fixed by its code
    mixed = figures.group_colours(["AM", "topic a", "topic b", "AZ"])
    assert mixed["AM"] == "#E69F00" and len(set(mixed.values())) == 4


def test_timeline_has_one_bar_per_period_zero_filled_and_no_line():
    # invented: 3 articles in Jan 2021, 2 in Sep 2023, nothing in between
    table = pd.DataFrame({"period": pd.to_datetime(["2021-01-01", "2023-09-01"], utc=True), "n_articles": [3, 2]})
    fig = figures.timeline(table, freq="M", title="Articles per month")
    ax = fig.axes[0]
    heights = [p.get_height() for p in ax.patches if isinstance(p, Rectangle)]
    assert len(heights) == 33 and heights[0] == 3 and heights[-1] == 2 and sum(h > 0 for h in heights) == 2
    assert not [line for line in ax.get_lines() if line.get_linestyle() == "-"]     # bars, no joining line
    assert ax.get_ylabel() == "articles per month"


def test_key_date_labels_never_overlap():
    # invented: weekly counts over five years; 19 and 28 September 2023 are 9 days apart
    periods = pd.date_range("2020-09-01", "2025-09-01", freq="MS", tz="UTC")
    table = pd.DataFrame({"period": periods, "n_articles": np.arange(len(periods)) % 4})
    fig = figures.timeline(table, freq="M", title="Articles per month")
    numbers = [t for t in fig.axes[0].texts if t.get_text().isdigit()]
    assert len(numbers) == 5                                 # every key date marked by a number
    assert figures.text_boxes_overlap(fig) == []
    legend = [t.get_text() for t in fig.axes[0].texts if t.get_text().startswith("Key dates")]
    assert legend and "Dissolution" in legend[0]


def test_interval_dots_leave_out_small_estimates_and_empty_rows():
    # invented tone table: georgia has only an estimate from 1 article
    table = pd.DataFrame({"actor": ["armenia", "armenia", "azerbaijan", "georgia"],
                          "outlet_country": ["AM", "AZ", "AM", "AZ"], "mean": [0.1, -0.2, -0.3, 0.9],
                          "ci_low": [0.0, -0.4, -0.5, np.nan], "ci_high": [0.2, 0.0, -0.1, np.nan], "n_scored": [12, 8, 6, 1]})
    fig = figures.interval_dots(table, row="actor", value="mean", by="outlet_country",
                                group_n=pd.Series({"AM": 20, "AZ": 15}))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["armenia (n=20)", "azerbaijan (n=6)"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["AM (n=20)", "AZ (n=15)"]
    assert "1 estimates from fewer than 5 articles not drawn" in fig.toolkit_notes["left_out"]


def test_ranked_intervals_limit_rows_and_order_by_value():
    # invented naming index per outlet
    table = pd.DataFrame({"outlet": [f"o{i}" for i in range(20)] + ["other (9 groups, 30 articles)"],
                          "mean": np.linspace(-1, 1, 21), "ci_low": np.linspace(-1, 1, 21) - 0.1,
                          "ci_high": np.linspace(-1, 1, 21) + 0.1, "n_scored": list(range(30, 10, -1)) + [30]})
    fig = figures.ranked_intervals(table, label="outlet", value="mean", max_rows=10)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(ticks) == 10 and ticks[-1] == "other (9 groups, n=30)"      # the n behind its estimate
    assert ticks[0] == "o8 (n=22)" and ticks[8] == "o0 (n=30)"          # largest 9 outlets, by value


def test_topic_terms_titles_do_not_run_into_each_other():
    # invented topics with long labels
    terms = pd.DataFrame([{"topic": t, "rank": r, "term": f"word{t}{r}", "weight": 1 / (r + 1)}
                          for t in range(5) for r in range(8)])
    labels = [f"переговоры_мирный_договор / граница_делимитация / topic {t}" for t in range(5)]
    fig = figures.topic_terms(terms, labels)
    assert figures.text_boxes_overlap(fig) == [] and figures.texts_outside(fig) == []
    assert fig._supxlabel.get_text() == "word probability in the topic"     # one axis label for every panel


# ------------------------------------------------------------------ saving
def test_save_writes_png_svg_pdf_and_the_caption(tmp_path):
    assert figures.save(_draw(), "counts", caption="Articles per outlet", method="counts", out_dir=tmp_path) is None
    assert all((tmp_path / f"counts.{fmt}").stat().st_size > 1000 for fmt in ("png", "svg", "pdf"))
    record = json.loads((tmp_path / "counts.json").read_text())
    assert record["caption"] == "Articles per outlet. n = 6 articles. Method: counts."
    assert record["n"] == 6


def test_a_caption_must_state_n(tmp_path):
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    with pytest.raises(ValueError, match="must state n"):
        figures.save(fig, "line", caption="A line", out_dir=tmp_path)


def test_png_never_exceeds_the_pixel_limit(tmp_path):
    fig, ax = plt.subplots(figsize=(7.2, 20))               # a figure far too tall for a page
    ax.plot([0, 1])
    figures.save(fig, "tall", n=2, out_dir=tmp_path, formats=("png",))
    height, width = plt.imread(tmp_path / "tall.png").shape[:2]
    assert max(height, width) <= figures.MAX_PIXELS


def test_saved_files_are_byte_identical_across_runs(tmp_path):
    figures.save(_draw(), "counts", out_dir=tmp_path / "one")
    figures.save(_draw(), "counts", out_dir=tmp_path / "two")
    for fmt in ("png", "svg", "pdf"):
        assert _digest(tmp_path / "one" / f"counts.{fmt}") == _digest(tmp_path / "two" / f"counts.{fmt}")



def test_svg_and_pdf_rendered_in_the_background_are_the_same_files(tmp_path, monkeypatch):
    """With TOOLKIT_FIGURES_BACKGROUND=1 (set by toolkit report) the PNG is written at once and
    the SVG and PDF by a forked process; after wait_for_files all three have the bytes of a
    figure saved in the foreground, and a failure in the background is an error naming the figure."""
    figures.save(_draw(), "counts", out_dir=tmp_path / "foreground")
    monkeypatch.setenv(figures.BACKGROUND_ENV, "1")
    figures.save(_draw(), "counts", out_dir=tmp_path / "background")
    assert (tmp_path / "background" / "counts.png").exists()
    figures.wait_for_files()
    for fmt in ("png", "svg", "pdf"):
        assert _digest(tmp_path / "foreground" / f"counts.{fmt}") == _digest(tmp_path / "background" / f"counts.{fmt}")
    fig = _draw()
    figures.save(fig, "broken", out_dir=tmp_path / "background", formats=("png", "nosuchformat"))
    with pytest.raises(RuntimeError, match="broken"):
        figures.wait_for_files()


def test_a_figure_drawn_before_is_copied_from_the_run_cache(tmp_path, monkeypatch):
    """With a run cache ($TOOLKIT_CACHE_DIR), the same call on the same table is not rendered
    again: its files are copied, byte-identical; another table is rendered."""
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "cache"))
    rendered = []
    original = plt.Figure.savefig
    monkeypatch.setattr(plt.Figure, "savefig", lambda fig, *a, **k: rendered.append(1) or original(fig, *a, **k))
    figures.save(_draw(), "counts", n=6, out_dir=tmp_path / "one")
    assert len(rendered) == 3
    figures.save(_draw(), "counts", n=6, out_dir=tmp_path / "two")
    assert len(rendered) == 3                    # copied, not rendered
    for fmt in ("png", "svg", "pdf"):
        assert _digest(tmp_path / "one" / f"counts.{fmt}") == _digest(tmp_path / "two" / f"counts.{fmt}")
    # invented: one more article for c.ru
    other = pd.DataFrame({"outlet": ["a.am", "b.az", "c.ru"], "n_articles": [3, 2, 2], "outlet_country": ["AM", "AZ", "RU"]})
    figures.save(figures.bar_counts(other, label="outlet", colour_by="outlet_country", title="Что и где"), "counts",
                 n=7, out_dir=tmp_path / "three")
    assert len(rendered) == 6
    assert _digest(tmp_path / "three" / "counts.png") != _digest(tmp_path / "one" / "counts.png")

def test_a_call_drawn_before_is_not_drawn_again_unless_touched(tmp_path, monkeypatch):
    """With a run cache holding the files of the same call, the figure function draws nothing
    (no Figure is made): save copies the stored files and writes the same caption record. A
    figure that is touched (its title changed by hand) is drawn, saved with the change and not
    stored; another parameter, another table or other toolkit code is drawn afresh."""
    from toolkit import cache

    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "cache"))
    figures.save(_draw(), "counts", out_dir=tmp_path / "one")
    made = []
    original = plt.Figure.__init__
    monkeypatch.setattr(plt.Figure, "__init__", lambda fig, *a, **k: made.append(1) or original(fig, *a, **k))
    again = _draw()
    assert isinstance(again, figures.DrawnBefore)
    figures.save(again, "counts", out_dir=tmp_path / "two")
    assert made == []
    for suffix in ("png", "svg", "pdf", "json"):
        assert _digest(tmp_path / "two" / f"counts.{suffix}") == _digest(tmp_path / "one" / f"counts.{suffix}")
    touched = _draw()
    touched.axes[0].set_title("Changed by hand")
    assert made == [1]
    figures.save(touched, "counts", out_dir=tmp_path / "three")
    assert _digest(tmp_path / "three" / "counts.png") != _digest(tmp_path / "one" / "counts.png")
    figures.save(_draw(), "counts", out_dir=tmp_path / "four")  # the touched figure's files were not stored
    assert _digest(tmp_path / "four" / "counts.png") == _digest(tmp_path / "one" / "counts.png")
    # invented: the same table, another title; one more article for c.ru; the same call with other code
    table = pd.DataFrame({"outlet": ["a.am", "b.az", "c.ru"], "n_articles": [3, 2, 1], "outlet_country": ["AM", "AZ", "RU"]})
    assert not isinstance(figures.bar_counts(table, label="outlet", colour_by="outlet_country", title="Другое"),
                          figures.DrawnBefore)
    assert not isinstance(figures.bar_counts(table.assign(n_articles=[3, 2, 2]), label="outlet",
                                             colour_by="outlet_country", title="Что и где"), figures.DrawnBefore)
    monkeypatch.setattr(cache, "code_and_data_fingerprint", lambda: "0" * 64)
    assert not isinstance(_draw(), figures.DrawnBefore)


def test_a_call_drawn_before_is_drawn_for_a_format_the_cache_lacks(tmp_path, monkeypatch):
    """A call stored with its PNG only is drawn again when its SVG is asked for; the files are
    those of a figure drawn without any cache."""
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "cache"))
    figures.save(_draw(), "counts", out_dir=tmp_path / "png", formats=("png",))
    figures.save(_draw(), "counts", out_dir=tmp_path / "both", formats=("png", "svg"))
    monkeypatch.delenv("TOOLKIT_CACHE_DIR")
    figures.save(_draw(), "counts", out_dir=tmp_path / "plain", formats=("png", "svg"))
    for fmt in ("png", "svg"):
        assert _digest(tmp_path / "both" / f"counts.{fmt}") == _digest(tmp_path / "plain" / f"counts.{fmt}")


def test_redraw_repeats_the_same_call_on_the_saved_table(tmp_path):
    figures_dir = tmp_path / "figures"
    figures.save(_draw(), "counts", caption="Articles per outlet", out_dir=figures_dir)
    assert (tmp_path / "tables" / "counts.parquet").exists()
    figures.redraw("counts", "paper_counts", out_dir=figures_dir)
    for fmt in ("png", "svg", "pdf"):
        assert _digest(figures_dir / f"counts.{fmt}") == _digest(figures_dir / f"paper_counts.{fmt}")
    record = json.loads((figures_dir / "paper_counts.json").read_text())
    assert record["same_as"] == "counts" and record["caption"].startswith("Articles per outlet. n = 6")


def test_redraw_waits_for_files_still_rendering_and_copies_them(tmp_path, monkeypatch):
    """In a report (background rendering, a run cache) a paper figure redrawn while its notebook
    figure's SVG and PDF are still being written waits for them and copies them: nothing is
    drawn again, and the files are the notebook figure's bytes."""
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv(figures.BACKGROUND_ENV, "1")
    figures_dir = tmp_path / "figures"
    figures.save(_draw(), "counts", caption="Articles per outlet", out_dir=figures_dir)
    assert [name for _, name in figures._PENDING] == ["counts"]
    made = []
    original = plt.Figure.__init__
    monkeypatch.setattr(plt.Figure, "__init__", lambda fig, *a, **k: made.append(1) or original(fig, *a, **k))
    figures.redraw("counts", "paper_counts", out_dir=figures_dir)
    assert made == [] and figures._PENDING == []
    for fmt in ("png", "svg", "pdf"):
        assert _digest(figures_dir / f"counts.{fmt}") == _digest(figures_dir / f"paper_counts.{fmt}")


def test_files_carry_no_timestamp(tmp_path):
    figures.save(_draw(), "counts", out_dir=tmp_path, formats=("svg", "pdf"))
    assert b"<dc:date>" not in (tmp_path / "counts.svg").read_bytes()
    assert b"CreationDate" not in (tmp_path / "counts.pdf").read_bytes()


def test_default_folder_follows_the_report_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_FIGURES_DIR", str(tmp_path / "figs"))
    figures.save(_draw(), "x", formats=("png",))
    assert (tmp_path / "figs" / "x.png").exists()


def test_interactive_figures_go_under_build(tmp_path, monkeypatch):
    monkeypatch.delenv("TOOLKIT_FIGURES_DIR", raising=False)
    (tmp_path / "toolkit").mkdir()
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    assert figures.figures_dir() == tmp_path / "build" / "figures"


def test_enough_prints_one_sentence_and_records_the_skip(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TOOLKIT_REPORT_LOG", str(tmp_path / "log.jsonl"))
    assert figures.enough("Topics", have=25, need=20, what="units") is True
    assert figures.enough("Topics", have=3, need=20, what="units") is False
    assert capsys.readouterr().out == "Skipped: Topics. It needs at least 20 units; this corpus has 3.\n"
    record = json.loads((tmp_path / "log.jsonl").read_text())
    assert record == {"kind": "skipped", "section": "Topics", "reason": "It needs at least 20 units; this corpus has 3."}


def _every_kind_of_figure():
    # invented tables, one per drawing function
    terms = pd.DataFrame([{"topic": t, "rank": r, "term": f"w{t}{r}", "weight": 1 / (r + 1)} for t in range(3) for r in range(8)])
    estimates = pd.DataFrame({"actor": ["armenia", "azerbaijan"], "outlet_country": ["AM", "AZ"], "mean": [0.1, -0.2],
                              "ci_low": [0.0, -0.3], "ci_high": [0.2, -0.1], "n_scored": [9, 7]})
    periods = pd.date_range("2023-01-01", "2023-12-01", freq="MS", tz="UTC")
    means = pd.DataFrame({"period": periods, "variable": "naming_index", "mean": 0.2, "ci_low": 0.1, "ci_high": 0.3,
                          "n_scored": 5})
    shares = pd.DataFrame({"media": [0.5, 0.2], "official": [0.5, 0.8], "n_sources": [10, 6]}, index=pd.Index(["a.am", "b.az"], name="outlet"))
    return {
        "bar_counts": _draw(),
        "bar_scores": figures.bar_scores(pd.DataFrame({"term": ["a", "b"], "score": [2.0, 1.0]}), label="term",
                                         value="score", xlabel="log-odds z-score (> 0: typical near 'Azerbaijan')", n=9),
        "timeline": figures.timeline(pd.DataFrame({"period": periods, "n_articles": 1}), freq="M"),
        "timeline_means": figures.timeline_means(means, freq="M", ylabel="naming index (-1 Az ... +1 Arm)"),
        "topic_terms": figures.topic_terms(terms),
        "k_selection": figures.k_selection(pd.DataFrame({"k": [2, 3], "coherence": [0.1, 0.2], "stability": [0.9, 0.8]})),
        "interval_dots": figures.interval_dots(estimates, row="actor", value="mean", by="outlet_country"),
        "ranked_intervals": figures.ranked_intervals(estimates, label="actor", value="mean",
                                                     colour_by={"armenia": "AM", "azerbaijan": "AZ"}),
        "heatmap": figures.heatmap(shares[["media", "official"]], row_n=shares["n_sources"], colorbar="share"),
        "stacked_shares": figures.stacked_shares(shares),
    }


def test_every_figure_is_a_journal_width_with_no_text_cut_off_or_overlapping():
    for name, fig in _every_kind_of_figure().items():
        assert round(fig.get_size_inches()[0], 2) in (figures.ONE_COLUMN, figures.TWO_COLUMN), name
        assert figures.texts_outside(fig) == [], name
        assert figures.text_boxes_overlap(fig) == [], name


# ------------------------------------------------------------------ review of the development-corpus report
def test_a_pooled_group_is_labelled_with_the_n_behind_its_estimate():
    # invented: the pooled group holds 67 articles in the corpus, 49 of them carry a score
    label = "other (18 groups, 67 articles)"
    table = pd.DataFrame({"actor": ["armenia", "armenia"], "outlet_country": ["AM", label], "mean": [0.1, -0.1],
                          "ci_low": [0.0, -0.2], "ci_high": [0.2, 0.0], "n_scored": [20, 30]})
    fig = figures.interval_dots(table, row="actor", value="mean", by="outlet_country",
                                group_n=pd.Series({"AM": 25, label: 49}))
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["AM (n=25)", "other (18 groups, n=49)"]
    profile = pd.DataFrame({"military": [3.0, 4.0]}, index=pd.Index(["AM", label], name="outlet_country"))
    fig = figures.heatmap(profile, row_n=pd.Series({"AM": 25, label: 49, "TR": 4}))
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["AM (n=25)", "other (18 groups, n=49)"]
    assert fig.toolkit_notes["n"] == 74                                    # 25 + 49, as the rows say
    assert "pooled into 'other'" in fig.toolkit_notes["left_out"]
    assert "1 group (4 articles) without a value left out" in fig.toolkit_notes["left_out"]


def test_interval_dots_caption_n_is_the_articles_of_the_groups_drawn():
    # invented: 3 groups drawn at max_groups=2; unknown (17 articles) has only estimates from 2 articles
    table = pd.DataFrame({"actor": ["armenia"] * 4, "outlet_country": ["AM", "AZ", "RU", None],
                          "mean": [0.1, -0.1, 0.0, 0.3], "ci_low": [0.0, -0.2, -0.1, 0.1],
                          "ci_high": [0.2, 0.0, 0.1, 0.5], "n_scored": [20, 10, 8, 2]})
    fig = figures.interval_dots(table, row="actor", value="mean", by="outlet_country", max_groups=2,
                                group_n=pd.Series({"AM": 30, "AZ": 12, "RU": 9, None: 17}))
    assert fig.toolkit_notes["n"] == 42                                    # AM 30 + AZ 12, not 68
    assert "2 groups (26 articles; no estimate from 5 articles or more, or beyond the 2 largest) not drawn" \
        in fig.toolkit_notes["left_out"]


def test_prevalence_orders_topics_by_share_with_no_row_n_and_marks_one_over_k():
    # invented prevalence of 3 topics in two countries; topic 2 has the largest share
    rows = [("AM", 0, "a", 0.2, 10), ("AZ", 0, "a", 0.2, 6), ("AM", 1, "b", 0.1, 10), ("AZ", 1, "b", 0.1, 6),
            ("AM", 2, "c", 0.7, 10), ("AZ", 2, "c", 0.7, 6)]
    table = pd.DataFrame(rows, columns=["outlet_country", "topic", "label", "mean", "n_articles"])
    table = table.assign(ci_low=table["mean"] - 0.05, ci_high=table["mean"] + 0.05)
    fig = figures.prevalence_dots(table, max_rows=2)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["c", "a"]     # by share; no n repeated on every topic
    assert [line.get_xdata()[0] for line in ax.lines if line.get_linestyle() == "-" and len(line.get_xdata()) == 2
            and line.get_xdata()[0] == line.get_xdata()[1]] == [pytest.approx(1 / 3)]
    assert "1 topics with the smallest mean mean beyond the 2 shown left out" in fig.toolkit_notes["left_out"]
    assert fig.toolkit_notes["n"] == 16


def test_prevalence_axis_names_the_quantity_of_the_table_or_the_argument():
    # invented: a cross-lingual model's table says its values are shares of articles in the topic
    table = pd.DataFrame({"outlet_country": ["AM", "AM"], "topic": [0, 1], "label": ["a", "b"], "mean": [0.75, 0.25],
                          "ci_low": [0.5, 0.0], "ci_high": [1.0, 0.5], "n_articles": [8, 8]})
    assert figures.prevalence_dots(table).axes[0].get_xlabel().startswith("mean topic share (95%")
    table.attrs["quantity"] = "share of articles in the topic"
    assert figures.prevalence_dots(table).axes[0].get_xlabel() == \
        "share of articles in the topic (95% bootstrap interval; line: 1/k = 1/2)"
    assert figures.prevalence_dots(table, quantity="share of paragraphs in the topic").axes[0].get_xlabel() \
        .startswith("share of paragraphs in the topic")


def test_topic_terms_show_the_written_form_not_the_stem():
    # invented: English stems with their most frequent written forms
    terms = pd.DataFrame({"topic": [0, 0], "rank": [0, 1], "term": ["negoti", "citi"], "weight": [0.6, 0.4],
                          "form": ["negotiations", "city"]})
    fig = figures.topic_terms(terms, ["talks"])
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["city", "negotiations"]


def test_topic_terms_leave_out_terms_of_weight_zero():
    """Review sweep (2026-12-07): a small cross-lingual topic's list was padded with terms of weight
    0, drawn as empty bars (`abone, according, activities`). Invented weights."""
    terms = pd.DataFrame({"topic": [0, 0, 0], "rank": [0, 1, 2], "term": ["peace", "abone", "according"],
                          "weight": [0.7, 0.0, 0.0]})
    fig = figures.topic_terms(terms, ["peace"])
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["peace"]


def test_titled_panels_share_one_colour_and_the_faint_yellow_comes_last():
    """Review (2026-12-07): topic colours repeated after 8 (topics 0 and 8 looked alike) and the
    Okabe-Ito yellow was faint on white. Invented 10 topics: every bar in the cycle's first colour."""
    from matplotlib.colors import to_hex
    terms = pd.DataFrame([{"topic": t, "rank": r, "term": f"w{t}{r}", "weight": 1 / (r + 1)} for t in range(10) for r in range(3)])
    fig = figures.topic_terms(terms, [f"topic {t}" for t in range(10)])
    colours = {to_hex(bar.get_facecolor()).upper() for ax in fig.axes for bar in ax.patches}
    assert colours == {"#" + figures.cycle()[0].lstrip("#").upper()}
    assert figures.cycle()[-1].upper().endswith("F0E442") and not any(c.upper().endswith("F0E442") for c in figures.cycle()[:-1])


class _UnitsModel:
    """A stand-in for TopicModel's prevalence: one share per article, mean per group (invented)."""

    def __init__(self, units):
        self.units = units

    def prevalence(self, by):
        return self.units.groupby(by).agg(mean=("share", "mean"), n_articles=("doc_id", "size")).reset_index()


def test_pooled_prevalence_pools_small_countries_and_keeps_the_unplaced():
    # invented: 6 AM, 2 AZ, 1 TR and 3 articles with no country
    corpus = pd.DataFrame({"doc_id": list("abcdefghijkl"),
                           "outlet_country": ["AM"] * 6 + ["AZ"] * 2 + ["TR"] + [None] * 3})
    model = _UnitsModel(corpus.assign(share=[0.5] * 6 + [0.1, 0.2, 0.3] + [0.9] * 3))
    table = figures.pooled_prevalence(model, corpus, min_n=3).set_index("outlet_country")
    assert table["n_articles"].to_dict() == {"AM": 6, "other (2 groups, 3 articles)": 3, "unknown": 3}
    assert table.loc["other (2 groups, 3 articles)", "mean"] == pytest.approx(0.2)
    assert model.units["outlet_country"].isna().sum() == 3                # the model is not changed


def test_ranked_intervals_flag_estimates_below_the_usual_minimum():
    # invented naming index: two outlets drawn from 3 and 4 articles (min_n=3 chosen by the notebook)
    table = pd.DataFrame({"outlet": ["a.am", "b.az", "c.ru"], "mean": [0.5, -0.5, 0.0], "ci_low": [0.4, -0.7, -0.3],
                          "ci_high": [0.6, -0.3, 0.3], "n_scored": [12, 4, 3]})
    fig = figures.ranked_intervals(table, label="outlet", value="mean", min_n=3)
    assert "Caution: 2 estimates rest on fewer than 5 articles (3-4)" in fig.toolkit_notes["left_out"]
    fig = figures.ranked_intervals(table.iloc[:1], label="outlet", value="mean", min_n=3)
    assert "Caution" not in fig.toolkit_notes["left_out"]


def test_timeline_means_with_many_panels_share_one_scale_and_keep_their_names_apart():
    # invented: 18 topics over 12 months, long labels, very different levels
    periods = pd.date_range("2023-01-01", "2023-12-01", freq="MS", tz="UTC")
    names = [f"displacement · nagorno_karabakh · armenia {i}" for i in range(18)]
    means = pd.concat([pd.DataFrame({"period": periods, "variable": name, "mean": 0.02 * (i + 1), "ci_low": 0.02 * i,
                                     "ci_high": 0.02 * (i + 2), "n_scored": 5}) for i, name in enumerate(names)])
    fig = figures.timeline_means(means, freq="M", ylabel="mean topic share")
    assert len({ax.get_ylim() for ax in fig.axes}) == 1
    assert figures.text_boxes_overlap(fig) == [] and figures.texts_outside(fig) == []
    assert all(ax.yaxis.label.get_rotation() == 0 for ax in fig.axes)


def test_topic_terms_with_long_terms_and_labels_stay_inside_the_figure():
    # invented: 18 topics whose terms and labels are as long as the development corpus's
    terms = pd.DataFrame([{"topic": t, "rank": r, "term": "intern_committe_of_the_red_cross" if r == 0 else f"лачинский_коридор{r}",
                           "weight": 1 / (r + 1)} for t in range(18) for r in range(8)])
    fig = figures.topic_terms(terms, [f"karabakh_authorities · trial · arrest {t}" for t in range(18)],
                              xlabel="term weight")
    assert figures.texts_outside(fig) == [] and figures.text_boxes_overlap(fig) == []
    assert fig._supxlabel.get_text() == "term weight"
    assert max(len(t.get_text()) for ax in fig.axes for t in ax.get_yticklabels()) == 22


def test_heatmap_column_names_stay_inside_the_figure():
    # invented frame profile with the dictionary's longest frame names
    columns = ["conflict", "human_interest", "responsibility", "law_sovereignty", "peace_process", "terrorism_separatism"]
    profile = pd.DataFrame(np.ones((8, len(columns))), columns=columns, index=[f"C{i}" for i in range(8)])
    fig = figures.heatmap(profile, row_n=pd.Series(10, index=profile.index), colorbar="hits per 1,000 words")
    assert figures.texts_outside(fig) == [] and figures.text_boxes_overlap(fig) == []
    assert "responsibility" in [t.get_text() for t in fig.axes[0].get_xticklabels()]   # not cut mid-word


def test_stacked_shares_legend_lists_only_the_parts_drawn():
    # invented: no expert and no other source in the drawn outlets
    shares = pd.DataFrame({"media": [0.5, 0.2], "official": [0.5, 0.8], "expert": [0.0, 0.0], "other": [0.0, 0.0],
                           "n_sources": [10, 6]}, index=pd.Index(["a.am", "b.az"], name="outlet"))
    fig = figures.stacked_shares(shares)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["media", "official"]


def test_actor_names_come_from_the_gazetteer_used():
    # invented gazetteer: one actor with a Russian and two English names, one with no English name
    gazetteer = pd.DataFrame({"id": ["x_state", "x_state", "x_state", "y_party"], "kind": "actor",
                              "lang": ["ru", "en", "en", "ru"], "name": ["Икс", "Xland", "X Republic", "Игрек"]})
    assert figures.actor_names(["y_party", "x_state"], gazetteer=gazetteer).tolist() == ["y party", "Xland"]


def test_k_selection_marks_the_k_fitted_and_the_stability_threshold():
    # invented selection table
    table = pd.DataFrame({"k": [2, 4, 6], "coherence": [0.1, 0.3, 0.2], "stability": [0.9, 0.7, 0.5]})
    fig = figures.k_selection(table, chosen=4, min_stability=0.6)
    left, right = fig.axes[:2]
    verticals = [line.get_xdata()[0] for ax in (left, right) for line in ax.lines if line.get_linestyle() == ":"]
    assert verticals == [4, 4]
    assert [line.get_ydata()[0] for line in right.lines if line.get_linestyle() == "--"] == [0.6]
    assert figures.texts_outside(fig) == [] and figures.text_boxes_overlap(fig) == []


def test_right_to_left_script_is_drawn_joined_and_in_reading_order():
    # invented topic terms: an Arabic word (seen-lam-alef-meem) beside Latin and Cyrillic ones
    terms = pd.DataFrame({"topic": 0, "rank": [0, 1, 2], "term": ["سلام", "peace", "мир"], "weight": [0.3, 0.2, 0.1]})
    fig = figures.topic_terms(terms, ["سلام · peace"])
    fig.canvas.draw()
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    # by hand: visual order meem, lam-alef ligature (final form), seen (initial form)
    assert ticks == ["мир", "peace", "\ufee1\ufefc\ufeb3"]
    assert fig.axes[0].get_title(loc="left").startswith("0: \ufee1\ufefc\ufeb3")


def test_bar_scores_draw_the_threshold_and_count_the_items_reaching_it():
    # invented z-scores: two of the three shown reach 1.96
    table = pd.DataFrame({"term": ["a", "b", "c", "d"], "score": [3.0, 1.96, 1.5, 0.2]})
    fig = figures.bar_scores(table, label="term", value="score", xlabel="z", n=40, top=3, threshold=1.96)
    assert [line.get_xdata()[0] for line in fig.axes[0].lines if line.get_linestyle() == "--"] == [1.96]
    assert fig.toolkit_notes["left_out"] == "The 3 highest of 4 items shown. 2 of the 3 items shown reach 1.96 (dashed line)."


def _saved_files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_figure_with_nothing_to_draw_is_a_recorded_skip_not_blank_axes(tmp_path, monkeypatch, capsys):
    """Invented tables too thin for any estimate: a timeline whose every month has 2 scored
    articles (minimum 3), an outlet ranking whose only row is the pooled "other", interval dots
    below the minimum. Each is said and logged as a skipped figure and writes no file; the same
    timeline with one month of 3 articles is saved (a robustness sweep found blank figures)."""
    monkeypatch.setenv("TOOLKIT_REPORT_LOG", str(tmp_path / "log.jsonl"))
    periods = pd.date_range("2023-01-01", "2023-06-01", freq="MS", tz="UTC")
    thin = pd.DataFrame({"period": periods, "variable": "naming_index", "mean": 0.2, "ci_low": 0.1, "ci_high": 0.3,
                         "n_scored": 2})
    pooled = pd.DataFrame({"outlet": ["other (35 groups, 38 articles)"], "mean": [0.1], "ci_low": [0.0],
                           "ci_high": [0.2], "n_scored": [38]})
    estimates = pd.DataFrame({"actor": ["armenia"], "outlet_country": ["AM"], "mean": [0.1], "ci_low": [0.0],
                              "ci_high": [0.2], "n_scored": [2]})
    out = tmp_path / "figures"
    figures.save(figures.timeline_means(thin, freq="M"), "timeline_naming", caption="Naming index", out_dir=out)
    figures.save(figures.ranked_intervals(pooled, label="outlet", value="mean"), "naming_per_outlet", out_dir=out)
    figures.save(figures.interval_dots(estimates, row="actor", value="mean", by="outlet_country"), "tone", out_dir=out)
    assert _saved_files(out) == []
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == ("Skipped: figure timeline_naming. No month has 3 or more scored articles (at most 2 in one), "
                          "so no mean could be drawn.")
    assert printed[1].startswith("Skipped: figure naming_per_outlet. No single group has an estimate")
    assert printed[2] == "Skipped: figure tone. No estimate rests on 5 or more articles."
    logged = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    assert [r["section"] for r in logged] == ["figure timeline_naming", "figure naming_per_outlet", "figure tone"]
    # one month with a mean in six is no timeline (review sweep: 2 of 59 months drawn); three are
    figures.save(figures.timeline_means(thin.assign(n_scored=[2, 3, 2, 2, 2, 2]), freq="M"), "timeline_naming",
                 caption="Naming index", out_dir=out)
    assert capsys.readouterr().out.strip() == ("Skipped: figure timeline_naming. Only 1 month of 6 has 3 or more "
                                               "scored articles: fewer than 3 points make no timeline.")
    assert _saved_files(out) == []
    figures.save(figures.timeline_means(thin.assign(n_scored=[2, 3, 3, 2, 2, 3]), freq="M"), "timeline_naming",
                 caption="Naming index", out_dir=out)
    assert "timeline_naming.png" in _saved_files(out)


def test_a_timeline_of_means_with_no_scored_article_is_a_recorded_skip(tmp_path, capsys):
    """Robustness sweep (2026-12-07): a corpus in languages without frame terms (Chinese, Japanese,
    Korean, Georgian, Persian) gave notebook 04 an empty table of frame means, and the figure raised
    "Cannot convert tz-naive timestamps" instead of saying why nothing was drawn."""
    empty = pd.DataFrame({"period": pd.Series(dtype="datetime64[ns, UTC]"), "variable": pd.Series(dtype=str),
                          "mean": pd.Series(dtype=float), "ci_low": pd.Series(dtype=float),
                          "ci_high": pd.Series(dtype=float), "n_scored": pd.Series(dtype=int)})
    out = tmp_path / "figures"
    figures.save(figures.timeline_means(empty, freq="M"), "timeline_frames", caption="Frames", out_dir=out)
    assert _saved_files(out) == []
    assert capsys.readouterr().out.strip() == ("Skipped: figure timeline_frames. No month has 3 or more scored "
                                               "articles (at most 0 in one), so no mean could be drawn.")


def test_a_timeline_of_a_few_days_names_month_and_year():
    """Robustness sweep: every article of one day gave the caption "1 days shown" and an axis of
    bare day numbers (18 19 20 21). Now ticks at days name their month, the axis label the year,
    and the caption says "1 day shown"."""
    day = pd.DataFrame({"period": pd.to_datetime(["2023-09-19"], utc=True), "n_articles": [7]})
    fig = figures.timeline(day, freq="D", key_dates=False)
    fig.canvas.draw()
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert ticks and all(" Sep" in t or ":" in t for t in ticks), ticks
    assert fig.axes[0].get_xlabel() == "date of publication (per day), 2023"
    assert fig.toolkit_notes["left_out"] == "1 day shown."
    months = pd.DataFrame({"period": pd.date_range("2022-01-01", "2023-12-01", freq="MS", tz="UTC"), "n_articles": 1})
    fig = figures.timeline(months, freq="M", key_dates=False)
    assert fig.axes[0].get_xlabel() == "date of publication (per month)"     # two years: no single year named
    assert fig.toolkit_notes["left_out"] == "24 months shown, empty ones as zero."


def test_a_row_pooled_before_joins_the_pool_instead_of_a_second_other_row():
    """Review (2026-12-07): sources per outlet, pooled per article first, drew two "other" rows
    (`other (105 groups, 137 articles) (n=199)` and `other (1 group, 1 attributed source)`). A
    pre-pooled row joins the pool, its groups counted. Invented counts, hand-summed."""
    table = pd.DataFrame({"outlet": ["a.am", "b.az", "other (105 groups, 137 articles)", "c.ru"],
                          "n": [10, 6, 199, 1], "official": [1.0, 0.5, 0.2, 0.0]})
    rows = figures.group_table(table, "outlet", min_n=3, unit="attributed sources")
    assert rows["label"].tolist() == ["a.am (n=10)", "b.az (n=6)", "other (106 groups, 200 attributed sources)"]
    assert rows["official"].iloc[2] == pytest.approx(0.2 * 199 / 200)
    assert "106 smaller groups (200 attributed sources; fewer than 3 attributed sources each or pooled before)" \
        in rows.attrs["left_out"]


def test_bar_scores_title_stays_inside_the_figure_beside_long_terms():
    """Review sweep (2026-12-07): "Key words near 'Azerbaij" — a 32-character Russian term pushed
    the axes right and the title off a one-column figure. Invented scores."""
    table = pd.DataFrame({"form": ["антитеррористический_мероприятие", "контроль", "мир"], "score": [2.5, 1.0, 0.5]})
    fig = figures.bar_scores(table, label="form", value="score", xlabel="z-score", title="Key words near 'Azerbaijan'")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    right = fig.bbox.x1
    title = fig.axes[0]._left_title
    assert "Azerbaijan'" in title.get_text().replace("\n", " ")
    assert title.get_window_extent(renderer).x1 <= right + 1
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[-1] == "антитеррористический_…" and len(labels[-1]) == 22


def test_counts_of_unknown_groups_only_are_a_recorded_skip(tmp_path, capsys, monkeypatch):
    """Review sweep (2026-12-07): without outlet and URL, "Articles per outlet" was one bar,
    "unknown 166". Invented counts."""
    monkeypatch.setenv("TOOLKIT_REPORT_LOG", str(tmp_path / "log.jsonl"))
    out = tmp_path / "figures"
    table = pd.DataFrame({"outlet": [None], "n_articles": [166], "outlet_country": [None]})
    figures.save(figures.bar_counts(table, label="outlet", colour_by="outlet_country"), "articles_per_outlet",
                 caption="Articles per outlet", out_dir=out)
    assert capsys.readouterr().out.strip() == ("Skipped: figure articles_per_outlet. No outlet is known: every one "
                                               "of the 166 articles counts as unknown.")
    known = pd.DataFrame({"outlet": ["news.am", None], "n_articles": [3, 163], "outlet_country": ["AM", None]})
    figures.save(figures.bar_counts(known, label="outlet", colour_by="outlet_country"), "articles_per_outlet",
                 caption="Articles per outlet", out_dir=out)
    assert "articles_per_outlet.png" in _saved_files(out)


def test_an_outlet_named_other_something_is_a_group_not_a_pooled_row():
    """Review (2026-12-07): every label starting with "other" was taken for a pooled row, so the
    largest outlet `otherside.am` (invented) vanished into the pool."""
    rows = figures.group_table(pd.DataFrame({"outlet": ["otherside.am", "news.am", "apa.az", "tiny.ru"],
                                             "n": [40, 30, 20, 1]}), "outlet")
    assert rows["label"].tolist() == ["otherside.am (n=40)", "news.am (n=30)", "apa.az (n=20)",
                                      "other (1 group, 1 article)"]
    assert figures.is_single_group("otherside.am") and not figures.is_single_group("other (2 groups, 5 articles)")


def test_chinese_japanese_and_korean_labels_are_drawn_with_the_packaged_cjk_font(tmp_path):
    """Review of a report on invented Chinese, Japanese and Korean articles: DejaVu Sans has no CJK
    glyphs, so key words and titles were empty boxes. The packaged Noto Sans CJK is the fallback."""
    import warnings

    labels = ["亚美尼亚", "アルメニア", "아르메니아", "Հայաստան", "Armenia"]

    def missing_glyphs(family):
        with matplotlib.rc_context({"font.family": family}), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig, ax = plt.subplots()
            ax.barh(labels, [1, 2, 3, 4, 5])
            for ext in ("png", "pdf", "svg"):
                fig.savefig(tmp_path / f"cjk.{ext}")
            plt.close(fig)
        return [str(w.message) for w in caught if "missing from font" in str(w.message)]

    assert plt.rcParams["font.family"] == ["DejaVu Sans", figures.CJK_FONT]
    assert missing_glyphs(plt.rcParams["font.family"]) == []
    assert missing_glyphs(["DejaVu Sans"])     # without the fallback the same labels lose glyphs


def test_the_cjk_font_is_registered_once():
    # review: use_style() registered the font collection again at every call (10 more font entries)
    before = len(matplotlib.font_manager.fontManager.ttflist)
    figures.use_style()
    figures.use_style()
    assert len(matplotlib.font_manager.fontManager.ttflist) == before
