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
# # Timeline: coverage and framing around the key dates
#
# **Version:** 1.3.0
#
# **Reads:** the corpus snapshot (`snapshot_path`) or a folder of articles (`corpus_path`).
# **Writes:** figures `timeline_volume`, `timeline_frames`, `timeline_naming` (each with its caption).
# **Needs:** at least 5 dated articles; a mean is drawn for periods with at least 3 scored articles.
#
# **Method.** Coverage follows events: read the volume against the key dates (dashed lines: the
# 2020 ceasefire, the blockade of the Lachin corridor, the September 2023 offensive, the
# dissolution decree; `toolkit/data/key_dates.csv`), and look for peaks no key date explains; a
# corpus sampled by event shows its sampling, not the outlets' attention, and undated articles are
# left out (the caption says how many). We plot articles per period by outlet country, then
# the mean frame scores and the naming index per period, with 95% intervals. The period (day,
# week, month, quarter) follows the span of the dates unless the parameter `freq` sets it;
# periods without articles are drawn as zero or left empty, never bridged by a line; periods
# with fewer than 3 scored articles get no mean. The tables show `n` next to every value.

# %% tags=["parameters"]
corpus_path = "../seeds"
snapshot_path = None
output_dir = "../build"
seed = 0
freq = None                  # "D", "W", "M", "Q" or "Y"; None: chosen from the span of the dates

# %%
import toolkit
from toolkit import cache, figures
from toolkit.overview import articles_per
from toolkit.timeline import over_time

corpus = toolkit.load_corpus(snapshot_path or corpus_path)
# counts per period follow the span of the dates; means per period (frames, naming) need 3 articles
# in a period, so they take a coarser period when most articles would sit in thinner ones
means_freq = freq or figures.choose_freq(corpus["published"], min_n=3)
freq = freq or figures.choose_freq(corpus["published"])
dated = int(corpus["published"].notna().sum())
timeline_ok = figures.enough("Timeline", have=dated, need=5, what="dated articles")
print(f"{len(corpus)} articles, {dated} dated; one period = one {figures.period_word(freq)} for counts, "
      f"one {figures.period_word(means_freq)} for means")

# %% [markdown]
# ## 1. Volume

# %%
# split by outlet country when some article has a known one (otherwise one "unknown" colour would
# pretend to be a comparison)
by_country = figures.count_groups(corpus["outlet_country"], min_n=1) > 0
volume = articles_per(corpus, "outlet_country" if by_country else None, freq=freq)
per_period = f"Articles per {figures.period_word(freq)}" + (" by outlet country" if by_country else "")
if timeline_ok:
    figures.save(figures.timeline(volume, group="outlet_country" if by_country else None, freq=freq,
                                  undated=len(corpus) - dated, title=per_period),
                 "timeline_volume", caption=f"{per_period}, with the conflict's key dates",
                 method="articles counted per period of their publication date (UTC)"
                 + ("; the largest countries in colour, the rest pooled into 'other'" if by_country else
                    "; no article has a known outlet country"))
volume.tail(10)

# %% [markdown]
# ## 2. Frames over time (hits per 1,000 words, mean per period)

# %%
frame_scores = cache.measure("frames", toolkit.frames, corpus)   # cached by notebook 03
frames_over_time = over_time(frame_scores, ["military", "humanitarian", "diplomacy", "displacement",
                                            "peace_process"], freq=means_freq)
if timeline_ok:
    figures.save(figures.timeline_means(frames_over_time, freq=means_freq, min_n=3,
                                        ylabel="hits per 1,000 words (mean, 95% interval)",
                                        title=f"Frames per {figures.period_word(means_freq)}"),
                 "timeline_frames",
                 caption=f"Frame dictionary hits per 1,000 words, mean per {figures.period_word(means_freq)}",
                 method="lemma frame dictionaries; mean over the period's articles in covered languages; "
                 "95% bootstrap interval over articles")
frames_over_time.tail(10)

# %% [markdown]
# ## 3. Naming index over time

# %%
naming_over_time = over_time(cache.measure("naming", toolkit.naming, corpus), "naming_index", freq=means_freq)
if timeline_ok:
    figures.save(figures.timeline_means(naming_over_time, freq=means_freq, min_n=3, reference=0.0,
                                        ylabel="naming index (-1 Az ... +1 Arm)",
                                        title=f"Naming index per {figures.period_word(means_freq)}"),
                 "timeline_naming", caption=f"Naming index per {figures.period_word(means_freq)} "
                 "(+1 Armenian-side names only, -1 Azerbaijani-side only)",
                 method="mean naming index over the period's articles that carry a contested term; "
                 "95% bootstrap interval over articles")
naming_over_time
