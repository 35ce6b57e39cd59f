"""The report command: every notebook runs on the bundled seeds, figures are reproducible,
the manifest lists them, failures name the notebook and cell, the student edition has no
solutions."""
import json
import re
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest

from toolkit.report import NotebookError, build_teaching, list_notebooks, notebook_header, run_report

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus" / "dev_seeds"


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    out_a = tmp_path_factory.mktemp("run_a")
    out_b = tmp_path_factory.mktemp("run_b")
    run_report(ROOT / "seeds", out_a, log=lambda *_: None)
    run_report(ROOT / "seeds", out_b, log=lambda *_: None)
    return out_a, out_b


def test_every_notebook_is_executed_and_rendered(two_runs):
    out, _ = two_runs
    stems = [p.stem for p in list_notebooks()]
    assert stems[:6] == ["00_corpus_overview", "01_explore", "02_topics", "03_framing", "04_timeline",
                         "05_paper_figures"]
    for stem in stems:
        executed = nbformat.read(out / f"{stem}.ipynb", as_version=4)
        errors = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])
                  if o.get("output_type") == "error"]
        assert not errors, stem
        assert (out / f"{stem}.html").stat().st_size > 10_000
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{stem}.html"' in index for stem in stems)


def test_figures_are_identical_across_runs(two_runs):
    out_a, out_b = two_runs
    manifest_a = json.loads((out_a / "MANIFEST.json").read_text())
    manifest_b = json.loads((out_b / "MANIFEST.json").read_text())
    hashes_a = {f["file"]: f["sha256"] for f in manifest_a["figures"]}
    hashes_b = {f["file"]: f["sha256"] for f in manifest_b["figures"]}
    assert hashes_a == hashes_b
    assert manifest_a["corpus_snapshot_sha256"] == manifest_b["corpus_snapshot_sha256"]


def test_manifest_lists_every_figure_with_its_notebook(two_runs):
    out, _ = two_runs
    manifest = json.loads((out / "MANIFEST.json").read_text())
    on_disk = sorted(f"figures/{p.name}" for p in (out / "figures").iterdir())
    assert sorted(f["file"] for f in manifest["figures"]) == on_disk
    assert {"figures/articles_per_outlet.png", "figures/topics_by_country.svg",
            "figures/paper_fig4_naming.pdf"} <= set(on_disk)
    by_file = {f["file"]: f for f in manifest["figures"]}
    assert by_file["figures/topics_terms.png"]["notebook"] == "02_topics"
    assert by_file["figures/topics_terms.png"]["notebook_version"] == notebook_header(
        ROOT / "notebooks" / "02_topics.py")["version"]
    assert manifest["seed"] == 0 and manifest["packages"]["pandas"]
    assert len(manifest["corpus_snapshot_sha256"]) == 64


def test_manifest_lists_every_resource_used_with_its_hash(two_runs):
    from toolkit.resources import registry

    out, _ = two_runs
    manifest = json.loads((out / "MANIFEST.json").read_text())
    listed = {(r["kind"], r["name"]): r for r in manifest["resources"]}
    # the seed corpus is Russian: the notebooks use these dictionaries on it
    for kind, name in [("frames", "frames"), ("naming", "naming"), ("gazetteer", "gazetteer"),
                       ("sentiment", "sentiment_ru"), ("stopwords", "stopwords_ru"), ("source_cues", "source_cues")]:
        assert (kind, name) in listed, (kind, name)
    expected = {(row.kind, row.name): row.sha256 for row in registry().itertuples() if not row.path.startswith("pkg:")}
    for key, entry in listed.items():
        assert len(entry["sha256"]) == 64 and entry["version"]
        if key in expected:
            assert entry["sha256"] == expected[key], key


def test_student_edition_has_no_solution_cell(two_runs, tmp_path):
    out, _ = two_runs
    written = build_teaching(tmp_path)
    assert written
    for path in written + sorted((out / "teaching" / "student").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        assert all("solution" not in c.get("metadata", {}).get("tags", []) for c in notebook.cells)
        assert any("**Exercise" in c.source for c in notebook.cells if c.cell_type == "markdown")
    full = jupytext.read(ROOT / "notebooks" / "teaching" / "lesson_naming_and_framing.py")
    assert any("solution" in c.get("metadata", {}).get("tags", []) for c in full.cells)


def test_every_notebook_has_a_header_and_a_changelog_entry():
    changelog = (ROOT / "notebooks" / "CHANGELOG.md").read_text(encoding="utf-8")
    for path in list_notebooks():
        text = path.read_text(encoding="utf-8")
        header = notebook_header(path)
        assert re.fullmatch(r"\d+\.\d+\.\d+", header["version"]), path.name
        assert "**Reads:**" in text and "**Writes:**" in text and "**Method.**" in text, path.name
        assert 'tags=["parameters"]' in text, path.name
        assert f"## {path.stem}" in changelog and f"- {header['version']}" in changelog, path.name


def test_failing_cell_names_notebook_and_cell_and_command_exits_nonzero(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (notebooks / "00_broken.py").write_text(
        "# %% [markdown]\n# # Broken\n#\n# **Version:** 0.0.1\n\n# %% tags=[\"parameters\"]\nseed = 0\n\n"
        "# %%\nx = 1\n\n# %%\nraise RuntimeError('this cell fails on purpose')\n", encoding="utf-8")
    with pytest.raises(NotebookError, match=r"00_broken\.py failed in cell \d+ .*RuntimeError"):
        run_report(ROOT / "seeds", tmp_path / "out", notebook_dir=notebooks, log=lambda *_: None)
    command = subprocess.run([sys.executable, "-m", "toolkit", "report", "--corpus", str(ROOT / "seeds"),
                              "--out", str(tmp_path / "out2"), "--only", "nonexistent"],
                             capture_output=True, text=True)
    assert command.returncode != 0 and "unknown notebook" in command.stderr


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/corpus is not present beside the project")
def test_notebooks_run_on_the_development_corpus(tmp_path):
    run_report(SHARED, tmp_path, log=lambda *_: None)  # every notebook, on hundreds of real articles
    for path in list_notebooks():
        executed = nbformat.read(tmp_path / f"{path.stem}.ipynb", as_version=4)
        assert not [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])
                    if o.get("output_type") == "error"], path.stem
    framing = nbformat.read(tmp_path / "03_framing.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in framing.cells if c.cell_type == "code" for o in c.get("outputs", []))
    match = re.search(r"naming index: AUC = ([0-9.]+) \(95 % CI ([0-9.]+)-([0-9.]+), \d+ outlets\) on (\d+) of (\d+)",
                      printed)
    assert match and float(match.group(1)) >= 0.95 and float(match.group(2)) <= float(match.group(1))
    assert "baseline (a regular expression over place names only): AUC = " in printed
