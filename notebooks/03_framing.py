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
# # Framing: how outlets name, evaluate and source the conflict
#
# **Version:** 1.8.1
#
# **Reads:** the corpus snapshot (`snapshot_path`) or a folder of articles (`corpus_path`);
# optionally a JSON file mapping outlet domains to sides (`sides_path`).
# **Writes:** figures `framing_actor_tone`, `framing_frame_profile`, `framing_naming_index`,
# `framing_sources` (each with its caption).
# **Needs:** comparisons by outlet country need at least 2 countries with at least 5 articles
# (smaller countries, and those beyond the 8 largest, are pooled into "other"); the naming index per outlet needs an outlet with
# at least 3 articles carrying a contested term (outlets with fewer are left out, not pooled);
# sources per outlet need an outlet with at least 5 articles and 10 attributed sources.
#
# **Method.** In this conflict framing is carried by word choice as much as by tone. We measure
# four things, each with a dictionary or model a scholar can read and edit (`toolkit/lexicons/`,
# `toolkit/models/`): (1) *targeted tone* toward each actor — every mention of an actor is scored
# toward that actor, not toward its sentence (`actor_sentiment` with its default method: in
# Russian a logistic regression trained on the RuSentNE-2023 entity-sentiment task, Golubev et al.
# 2023; in Ukrainian and English the lexicon words near the mention, with negation, VADER's
# valences for English, Hutto & Gilbert 2014; other languages unscored), so that "Azerbaijan
# accused Armenia of shelling" is negative toward Armenia and not toward Azerbaijan; the mentions'
# scores are averaged per article and actor; (2) *frames* — the generic news frames of Semetko & Valkenburg (2000) and conflict-specific ones,
# as dictionary hits per 1,000 words; (3) *naming* — which side's vocabulary an article uses for
# contested names (Степанакерт / Ханкенди, «наступление» / «антитеррористические мероприятия»),
# counted on the words as written; a term in quotation marks, after "so-called", ascribed to the
# other side ("the Armenian offensive") or in a neutral set phrase ("the Nagorno-Karabakh
# conflict") is not counted as the outlet's own usage (rules in `lexicons/naming_context.csv`);
# each term weighs by how surely it marks a side (its `strength` in `lexicons/naming.csv`), and the
# naming index is a smoothed weighted log-ratio squeezed into (-1, +1): -1 Azerbaijani-side
# vocabulary, +1 Armenian-side, about ±0.2 for one weak term; (4) *sources* — whom an article quotes
# or re-reports. Dictionary
# methods are transparent but blunt: read the matches (`naming_mentions`, `sources`) before
# trusting a number (Grimmer & Stewart 2013, "Text as Data: The Promise and Pitfalls").

# %% tags=["parameters"]
corpus_path = "../seeds"
snapshot_path = None
output_dir = "../build"
seed = 0
sides_path = None            # JSON {outlet domain: side code}; None: a file named *outlet_side(s).json in or beside the corpus folder; "": none

# %%
import json
from pathlib import Path

import toolkit
from toolkit import cache, figures
from toolkit.corpus import find_sides_file
from toolkit.framing import (auc_interval, frame_profile, frames, naming, naming_auc, naming_baseline, naming_by_outlet,
                             naming_mentions)
from toolkit.tone import actor_sentiment, sentiment, tone_by
from toolkit.sourcing import source_profile, sources

corpus = toolkit.load_corpus(snapshot_path or corpus_path)
len(corpus)

# %% [markdown]
# ## 1. Tone toward each actor
# Targeted tone: each mention of an actor gets a label (-1, 0, +1) and a score in [-1, 1] toward
# that actor (`actor_sentiment`, default method: the RuSentNE-trained model for Russian, the
# windowed lexicon for Ukrainian and English; README "Targeted tone" gives its measured accuracy);
# an actor's tone in an article is the mean over its scored mentions. Intervals resample articles
# (95% bootstrap). For contrast, the whole-sentence lexicon score (the same for every actor in a
# sentence) is shown first; it is not used in the figure.

# %%
sentence_tone = cache.measure("sentiment", sentiment, corpus, unit="sentence")
sentence_tone.head()

# %%
countries_ok = figures.enough("Comparisons by outlet country", have=figures.count_groups(corpus["outlet_country"]),
                              need=2, what="outlet countries with at least 5 articles each")
# n_jobs: two processes parse and score the mentions (the tones do not depend on it)
tone = figures.pool_by_article(cache.measure("actor_sentiment", actor_sentiment, corpus, n_jobs=2), corpus,
                               "outlet_country")
tone_table = tone_by(tone, ["actor", "outlet_country"], random_state=seed)
scored_articles = tone[tone["n_scored"] > 0].groupby("outlet_country")["doc_id"].nunique()   # n: articles with a score
if countries_ok:
    named = tone_table.assign(actor=figures.actor_names(tone_table["actor"]).to_numpy())   # "United States", not "usa"
    figures.save(figures.interval_dots(named, row="actor", value="mean", by="outlet_country", reference=0.0,
                                       group_n=scored_articles,
                                       xlabel="tone toward the actor (-1 to 1, 95% interval)"),
                 "framing_actor_tone", caption="Tone toward each actor (each mention scored toward it), by outlet country",
                 method="targeted tone per mention (ru: model trained on RuSentNE-2023; uk/en: lexicon near the mention), averaged per "
                 "article and actor; 95% bootstrap over articles; countries with fewer than 5 articles, or beyond the 8 largest, pooled")
tone_table

# %% [markdown]
# **Which method scored each country's mentions.** Russian mentions are scored by the model,
# Ukrainian and English ones by the lexicon, other languages not at all (their articles do not
# count in n). The two methods share the scale but not their validation (README, "Targeted tone"):
# when two countries' mentions were scored mostly by different methods, part of their difference
# may be the methods'. The second table compares countries within one method; read a difference
# in the figure as a finding only when it holds there too.

# %%
from toolkit.tone import scoring_methods

scoring_methods(tone, "outlet_country").pivot(index="outlet_country", columns="method", values="share").fillna(0).round(2)

# %%
tone_by(tone, ["method", "actor", "outlet_country"], random_state=seed).query("n_scored >= 5")

# %% [markdown]
# ## 2. Frames
# Dictionary hits per 1,000 words, averaged per outlet country over the articles in a language
# the frame dictionaries cover (countries with fewer than 5 such articles pooled into "other").

# %%
frame_scores = figures.pool_by_article(cache.measure("frames", frames, corpus), corpus, "outlet_country")
profile = frame_profile(frame_scores, by="outlet_country", min_units=figures.MIN_ARTICLES)
scored_per_country = frame_scores.dropna(subset=list(profile.columns), how="all").groupby("outlet_country").size()
if countries_ok and figures.enough("Frame profile", have=len(profile), need=2,
                                   what="outlet countries with at least 5 articles in a covered language"):
    figures.save(figures.heatmap(profile, row_n=scored_per_country, colorbar="hits per 1,000 words"),
                 "framing_frame_profile", caption="Frame dictionary hits per 1,000 words, by outlet country",
                 method="lemma dictionaries of generic (Semetko & Valkenburg 2000) and conflict frames; mean per "
                 "country over articles in languages the dictionaries cover")
profile.round(2)

# %% [markdown]
# ## 3. Naming: whose vocabulary?

# %%
naming_table = cache.measure("naming", naming, corpus)
naming_table[["doc_id", "outlet", "armenian", "azerbaijani", "not_counted", "n_mentions", "naming_index"]].head(20)

# %% [markdown]
# The matches behind the counts — always read a sample of them (`context` says why a match does
# not count as the outlet's own usage; `weight` is what it adds to its side):

# %%
cache.measure("naming_mentions", naming_mentions, corpus).head(20)

# %% [markdown]
# Per outlet, over the articles that carry a contested term: the mean naming index with a 95%
# bootstrap interval, for the outlets with at least 3 such articles. The rest are left out, not
# pooled: an "other" row would average outlets of opposite sides into a number that means nothing.

# %%
scored = naming_table.dropna(subset=["naming_index"])
per_outlet = tone_by(scored, "outlet", value="naming_index", random_state=seed)
if figures.enough("Naming index per outlet", have=int((per_outlet["n_scored"] >= 3).sum()), need=1,
                  what="outlet with at least 3 articles carrying a contested term"):
    outlet_country = corpus.drop_duplicates("outlet").set_index("outlet")["outlet_country"].astype("string")
    figures.save(figures.ranked_intervals(per_outlet, label="outlet", value="mean", min_n=3,
                                          colour_by=outlet_country.to_dict(),
                                          xlabel="naming index (-1 Azerbaijani-side ... +1 Armenian-side)"),
                 "framing_naming_index", caption="Naming index per outlet, over its articles with a contested term",
                 method="each side's contested names weighted by term strength, on the words as written, with "
                 "quoted, so-called and attributed uses not counted; mean per outlet with a 95% bootstrap "
                 "interval over articles")
naming_by_outlet(naming_table).sort_values("n_scored", ascending=False)

# %% [markdown]
# ### Does the naming index tell the sides apart?
# With a file that says where each outlet is based, we check how well the index separates
# Armenian from Azerbaijani outlets (ROC AUC: 0.5 = chance, 1 = perfect; the 95 % interval
# resamples outlets, since articles of one outlet share its vocabulary), and how many of their
# articles carry any counted term at all. For comparison, the same check for a simple regular
# expression over the best-known place names (`lexicons/naming_baseline.csv`). On the toolkit's
# development corpus these figures are optimistic: the lexicon's authors had read it.

# %%
# the sides file given ("" = none: the report gives what it checked), else one named *outlet_side(s).json
# beside the articles or their folder
sides_file = Path(sides_path) if sides_path else find_sides_file(corpus_path) if sides_path is None else None
if sides_file is not None:
    sides = json.loads(sides_file.read_text(encoding="utf-8"))
    print(f"outlet sides from {sides_file.name}")
    for label, table in [("naming index", naming_table),
                         ("baseline (a regular expression over place names only)", cache.measure("naming_baseline", naming_baseline, corpus))]:
        result = naming_auc(table, sides, random_state=seed)
        print(f"{label}: AUC = {result['auc']:.3f} ({auc_interval(result)}; {result['n_outlets_positive']} Armenian- and "
              f"{result['n_outlets_negative']} Azerbaijani-based outlets) on {result['n_scored']} of "
              f"{result['n_articles']} of their articles ({result['coverage']:.0%} scored)")
else:
    print("no file of outlet sides found (name it *outlet_sides.json, put it beside the articles, "
          "or pass sides_path / --sides): the separation check is skipped")

# %% [markdown]
# ## 4. Sources: who is quoted, who is re-reported

# %%
source_table = cache.measure("sources", sources, corpus)
source_table[["doc_id", "source", "kind", "verb"]].head(20)

# %%
# outlets with fewer than 5 articles pooled into "other" (one article's quotes are no outlet's profile),
# and in the figure those with fewer than 10 attributed sources (a profile of 3 sources is no finding)
kinds = source_profile(figures.pool_by_article(source_table, corpus, "outlet", max_groups=figures.MAX_ROWS), by="outlet")
if figures.enough("Sources per outlet", have=int(kinds["n_sources"].sum()), need=5, what="attributed sources"):
    figures.save(figures.stacked_shares(kinds, xlabel="share of attributed sources", min_n=10,
                                        unit="attributed sources"),
                 "framing_sources", caption="Kinds of attributed sources per outlet, largest outlets first",
                 method="attribution cues (said, according to, reported by ...) matched per sentence; shares of "
                 "source kinds per outlet; outlets with fewer than 5 articles or 10 sources pooled")
kinds.sort_values("n_sources", ascending=False)
