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
# # Framing: how outlets name, evaluate and source the conflict
#
# **Version:** 1.3.0
#
# **Reads:** the corpus snapshot (`snapshot_path`) or a folder of articles (`corpus_path`);
# optionally a JSON file mapping outlet domains to sides (`sides_path`).
# **Writes:** figures `framing_actor_tone`, `framing_frame_profile`, `framing_naming_index`,
# `framing_sources`.
#
# **Method.** In this conflict framing is carried by word choice as much as by tone. We measure
# four things, each with a dictionary a scholar can read and edit in `toolkit/lexicons/`:
# (1) *tone* around each actor — a lemma-based lexicon for Russian and Ukrainian with negation,
# VADER for English (Hutto & Gilbert 2014), averaged over the sentences that mention the actor;
# (2) *frames* — the generic news frames of Semetko & Valkenburg (2000) and conflict-specific ones,
# as dictionary hits per 1,000 words; (3) *naming* — which side's vocabulary an article uses for
# contested names (Степанакерт / Ханкенди, «наступление» / «антитеррористические мероприятия»),
# counted on the words as written; a term in quotation marks, after "so-called", ascribed to the
# other side ("the Armenian offensive") or in a neutral set phrase ("the Nagorno-Karabakh
# conflict") is not counted as the outlet's own usage (rules in `lexicons/naming_context.csv`);
# each term weighs by how surely it marks a side (its `strength` in `lexicons/naming.csv`), and the
# naming index is a smoothed weighted log-ratio squeezed into (-1, +1): -1 Azerbaijani-side
# vocabulary, +1 Armenian-side, near 0 for one weak term; (4) *sources* — whom an article quotes
# or re-reports. Dictionary
# methods are transparent but blunt: read the matches (`naming_mentions`, `sources`) before
# trusting a number (Grimmer & Stewart 2013, "Text as Data: The Promise and Pitfalls").

# %% tags=["parameters"]
corpus_path = "../seeds"
snapshot_path = None
output_dir = "../build"
seed = 0
sides_path = None            # JSON {outlet domain: side code}; ../../shared/corpus/dev_outlet_side.json if present

# %%
import json
from pathlib import Path

import toolkit
from toolkit import figures
from toolkit.framing import (frame_profile, frames, naming, naming_auc, naming_baseline, naming_by_outlet,
                             naming_mentions)
from toolkit.tone import actor_sentiment, sentiment, tone_by
from toolkit.sourcing import source_profile, sources

corpus = toolkit.load_corpus(snapshot_path or corpus_path)
len(corpus)

# %% [markdown]
# ## 1. Tone toward each actor
# Each sentence gets a score in [-1, 1]; an actor's tone in an article is the mean over the
# sentences that mention it. Intervals resample articles (95% bootstrap).

# %%
sentence_tone = sentiment(corpus, unit="sentence")
sentence_tone.head()

# %%
tone = actor_sentiment(corpus)
tone_table = tone_by(tone, ["actor", "outlet_country"], random_state=seed)
figures.save(figures.interval_dots(tone_table, row="actor", value="mean", by="outlet_country",
                                   xlabel="tone of sentences mentioning the actor (95% interval)", reference=0.0),
             "framing_actor_tone")
tone_table

# %% [markdown]
# ## 2. Frames
# Dictionary hits per 1,000 words, averaged per outlet country (countries with at least three
# articles in a language the frame dictionaries cover, when the corpus is large enough).

# %%
frame_scores = frames(corpus)
profile = frame_profile(frame_scores, by="outlet_country", min_units=3 if len(corpus) >= 30 else 1)
figures.save(figures.heatmap(profile, colorbar="hits per 1,000 words"), "framing_frame_profile")
profile.round(2)

# %% [markdown]
# ## 3. Naming: whose vocabulary?

# %%
naming_table = naming(corpus)
naming_table[["doc_id", "outlet", "armenian", "azerbaijani", "not_counted", "n_mentions", "naming_index"]].head(20)

# %% [markdown]
# The matches behind the counts — always read a sample of them (`context` says why a match does
# not count as the outlet's own usage; `weight` is what it adds to its side):

# %%
naming_mentions(corpus).head(20)

# %%
per_outlet = naming_by_outlet(naming_table)
figures.save(figures.ranked_dots(per_outlet, label="outlet", value="naming_index", colour_by="outlet_country",
                                 xlabel="naming index (-1 Azerbaijani-side ... +1 Armenian-side)"),
             "framing_naming_index")
per_outlet

# %% [markdown]
# ### Does the naming index tell the sides apart?
# With a file that says where each outlet is based, we check how well the index separates
# Armenian from Azerbaijani outlets (ROC AUC: 0.5 = chance, 1 = perfect; the 95 % interval
# resamples outlets, since articles of one outlet share its vocabulary), and how many of their
# articles carry any counted term at all. For comparison, the same check for a simple regular
# expression over the best-known place names (`lexicons/naming_baseline.csv`). On the toolkit's
# development corpus these figures are optimistic: the lexicon's authors had read it.

# %%
default_sides = Path(corpus_path).resolve().parent / "dev_outlet_side.json"
sides_file = Path(sides_path) if sides_path else default_sides
if sides_file.exists():
    sides = json.loads(sides_file.read_text(encoding="utf-8"))
    for label, table in [("naming index", naming_table),
                         ("baseline (a regular expression over place names only)", naming_baseline(corpus))]:
        result = naming_auc(table, sides, random_state=seed)
        print(f"{label}: AUC = {result['auc']:.3f} (95 % CI {result['ci_low']:.3f}-{result['ci_high']:.3f}, "
              f"{result['n_outlets']} outlets) on {result['n_scored']} of {result['n_articles']} Armenian- and "
              f"Azerbaijani-based articles ({result['coverage']:.0%} scored)")
else:
    print("no file of outlet sides given: the separation check is skipped")

# %% [markdown]
# ## 4. Sources: who is quoted, who is re-reported

# %%
source_table = sources(corpus)
source_table[["doc_id", "source", "kind", "verb"]].head(20)

# %%
kinds = source_profile(source_table, by="outlet")
figures.save(figures.stacked_shares(kinds.drop(columns="n_sources").head(25), xlabel="share of attributed sources"),
             "framing_sources")
kinds
