"""Figures: publication style, fixed colours, and byte-identical files on a re-run."""
import hashlib

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from toolkit import figures


def _draw():
    # invented data
    table = pd.DataFrame({"outlet": ["a.am", "b.az", "c.ru"], "n_articles": [3, 2, 1], "outlet_country": ["AM", "AZ", "RU"]})
    return figures.bar_counts(table, label="outlet", colour_by="outlet_country", title="Что и где")


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_save_writes_png_svg_pdf(tmp_path):
    paths = figures.save(_draw(), "counts", out_dir=tmp_path)
    assert [p.name for p in paths] == ["counts.png", "counts.svg", "counts.pdf"]
    assert all(p.stat().st_size > 1000 for p in paths)


def test_saved_files_are_byte_identical_across_runs(tmp_path):
    first = figures.save(_draw(), "counts", out_dir=tmp_path / "one")
    plt.close("all")
    second = figures.save(_draw(), "counts", out_dir=tmp_path / "two")
    assert [_digest(p) for p in first] == [_digest(p) for p in second]


def test_files_carry_no_timestamp(tmp_path):
    svg, pdf = figures.save(_draw(), "counts", out_dir=tmp_path, formats=("svg", "pdf"))
    assert b"<dc:date>" not in svg.read_bytes()
    assert b"CreationDate" not in pdf.read_bytes()


def test_countries_keep_their_colour_everywhere():
    assert figures.country_colour("AZ") == "#0072B2"
    assert figures.country_colour("AM") == "#E69F00"
    assert figures.country_colour("XX") == figures.country_colour(None) == "#BBBBBB"
    colours = figures.group_colours(["AM", "ZZ", "QQ"])
    assert colours["AM"] == "#E69F00" and len(set(colours.values())) == 3


def test_default_folder_follows_the_report_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_FIGURES_DIR", str(tmp_path / "figs"))
    figures.save(_draw(), "x", formats=("png",))
    assert (tmp_path / "figs" / "x.png").exists()


def test_a_figure_is_drawn_at_a_journal_column_width(tmp_path):
    # the drawn figure (not the module constant) is one column wide, and the saved PNG stays
    # within that width at the saving dpi (tight bounding box only trims)
    import matplotlib.image

    fig = _draw()
    assert fig.get_size_inches()[0] == pytest.approx(3.5)
    png = figures.save(fig, "width", out_dir=tmp_path, formats=("png",))[0]
    height, width = matplotlib.image.imread(png).shape[:2]
    assert 0.5 * 3.5 * 200 <= width <= 3.5 * 200 + 2 and height <= 2400
