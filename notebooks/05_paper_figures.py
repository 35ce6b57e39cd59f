# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Paper figures
#
# **Version:** 2.0.1
#
# **Reads:** the corpus snapshot (`snapshot_path`) or a folder of articles (`corpus_path`).
# **Writes:** `paper_fig1_volume`, `paper_fig2_topics`, `paper_fig3_actor_tone`,
# `paper_fig4_naming`, `paper_fig5_frames` — every figure of the paper, nothing else.
#
# **Needs:** the figures of notebooks 00-04 of the same run (`toolkit report` runs them first);
# a paper figure whose notebook figure was skipped (too small a corpus) is skipped too.
#
# **Method.** A paper figure *is* a notebook figure: `figures.redraw` repeats the very call that
# drew the notebook's figure (the same toolkit function, the same parameters) on the table
# saved with it (`tables/<figure>.parquet`), at a journal column width (3.5 or 7.2 inches),
# with the same caption. Nothing is recomputed or re-implemented here, so the paper cannot
# show another selection of outlets or countries than the notebooks; `MANIFEST.json` records
# each figure's hash and caption, and `same_as` in its caption file names its source.

# %% tags=["parameters"]
corpus_path = "../seeds"
snapshot_path = None
output_dir = "../build"
seed = 0

# %%
from toolkit import figures

# %% [markdown]
# **Figure 1.** Articles per period by outlet country, with the key dates of the conflict (notebook 04).

# %%
figures.redraw("timeline_volume", "paper_fig1_volume")

# %% [markdown]
# **Figure 2.** Topic prevalence by outlet country (notebook 02).

# %%
figures.redraw("topics_by_country", "paper_fig2_topics")

# %% [markdown]
# **Figure 3.** Targeted tone toward each actor, by outlet country (notebook 03): every mention
# of an actor scored toward that actor, not toward its sentence (`actor_sentiment` with its
# default method: the model trained on RuSentNE-2023 for Russian, the lexicon words near the
# mention for Ukrainian and English, other languages unscored), averaged per article and actor.

# %%
figures.redraw("framing_actor_tone", "paper_fig3_actor_tone")

# %% [markdown]
# **Figure 4.** Naming index per outlet (notebook 03).

# %%
figures.redraw("framing_naming_index", "paper_fig4_naming")

# %% [markdown]
# **Figure 5.** Frame profile per outlet country (notebook 03).

# %%
figures.redraw("framing_frame_profile", "paper_fig5_frames")
