# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Timeline: coverage and framing around the key dates
#
# **Version:** 1.0.0
#
# **Reads:** the corpus snapshot (`snapshot_path`) or a folder of articles (`corpus_path`).
# **Writes:** figures `timeline_volume`, `timeline_frames`, `timeline_naming`.
#
# **Method.** Coverage follows events: volume rises at the start of the 2020 war, the blockade
# of the Lachin corridor, the September 2023 offensive and the dissolution decree (dashed lines;
# dates in `toolkit/data/key_dates.csv`). We plot articles per week by outlet country, then
# the mean frame scores and the naming index per month. Periods with few articles give noisy
# means: the tables show `n` next to every value.

# %% tags=["parameters"]
corpus_path = "../seeds"
snapshot_path = None
output_dir = "../build"
seed = 0
freq = "M"

# %%
import toolkit
from toolkit import figures
from toolkit.overview import articles_per
from toolkit.timeline import over_time

corpus = toolkit.load_corpus(snapshot_path or corpus_path)
len(corpus)

# %% [markdown]
# ## 1. Volume

# %%
volume = articles_per(corpus, "outlet_country", freq="W")
figures.save(figures.timeline(volume, group="outlet_country", title="Articles per week"), "timeline_volume")
volume.tail(10)

# %% [markdown]
# ## 2. Frames over time (hits per 1,000 words, monthly mean)

# %%
frame_scores = toolkit.frames(corpus)
frames_over_time = over_time(frame_scores, ["military", "humanitarian", "diplomacy", "displacement",
                                            "peace_process"], freq=freq)
figures.save(figures.timeline(frames_over_time, value="mean", group="variable", title="Frames per month"),
             "timeline_frames")
frames_over_time.tail(10)

# %% [markdown]
# ## 3. Naming index over time

# %%
naming_over_time = over_time(toolkit.naming(corpus), "naming_index", freq=freq)
figures.save(figures.timeline(naming_over_time, value="mean", group="variable",
                              title="Naming index per month (+1 Armenian-side, -1 Azerbaijani-side)"),
             "timeline_naming")
naming_over_time
