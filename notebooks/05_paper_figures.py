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
# # Paper figures
#
# **Version:** 1.0.0
#
# **Reads:** the corpus snapshot (`snapshot_path`) or a folder of articles (`corpus_path`).
# **Writes:** `paper_fig1_volume`, `paper_fig2_topics`, `paper_fig3_actor_tone`,
# `paper_fig4_naming`, `paper_fig5_frames` — every figure of the paper, nothing else.
#
# **Method.** Each figure is made by the same toolkit calls as in notebooks 00–04, with fixed
# seeds, so that `toolkit report` regenerates the paper's figures byte for byte from the raw
# articles; `MANIFEST.json` records the hash of each figure and of the corpus snapshot.

# %% tags=["parameters"]
corpus_path = "../seeds"
snapshot_path = None
output_dir = "../build"
seed = 0

# %%
import toolkit
from toolkit import figures
from toolkit.framing import frame_profile, naming_by_outlet
from toolkit.overview import articles_per
from toolkit.tone import tone_by
from toolkit.topics import choose_k, default_settings

corpus = toolkit.load_corpus(snapshot_path or corpus_path)

# %% [markdown]
# **Figure 1.** Articles per day, with the key dates of the conflict.

# %%
figures.save(figures.timeline(articles_per(corpus, None, freq="D")), "paper_fig1_volume")

# %% [markdown]
# **Figure 2.** Topic prevalence by outlet country (LDA, k chosen by coherence and stability).

# %%
settings = default_settings(corpus)
selection = toolkit.select_k(corpus, ks=settings["ks"], unit=settings["unit"], seeds=(seed, seed + 1, seed + 2))
model = toolkit.fit_topics(corpus, choose_k(selection), unit=settings["unit"], random_state=seed)
figures.save(figures.prevalence_dots(model.prevalence(by="outlet_country")), "paper_fig2_topics")

# %% [markdown]
# **Figure 3.** Tone of sentences mentioning each actor, by outlet country.

# %%
tone = tone_by(toolkit.actor_sentiment(corpus), ["actor", "outlet_country"], random_state=seed)
figures.save(figures.interval_dots(tone, row="actor", value="mean", by="outlet_country", reference=0.0,
                                   xlabel="tone (95% interval)"), "paper_fig3_actor_tone")

# %% [markdown]
# **Figure 4.** Naming index per outlet.

# %%
figures.save(figures.ranked_dots(naming_by_outlet(toolkit.naming(corpus)), label="outlet", value="naming_index",
                                 colour_by="outlet_country", xlabel="naming index"), "paper_fig4_naming")

# %% [markdown]
# **Figure 5.** Frame profile per outlet country.

# %%
figures.save(figures.heatmap(frame_profile(toolkit.frames(corpus)), colorbar="hits per 1,000 words"),
             "paper_fig5_frames")
