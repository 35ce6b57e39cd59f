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
# # Corpus overview
#
# **Version:** 1.4.3
#
# **Reads:** a folder of articles (`corpus_path`, by default the bundled `../seeds/`).
# **Writes:** figures `articles_per_outlet`, `articles_per_language`, `articles_over_time` into the
# run's `figures/` folder (`build/figures/` in an interactive session), each with its caption.
# **Needs:** any corpus; the time series needs at least 5 dated articles.
#
# **Method.** Every analysis starts from one table: one row per article, with its outlet, date,
# language and cleaned text. `toolkit.ingest` reads the files, repairs scraping damage (sentences
# glued without a space, a sub-heading glued to a date, "read also" and "subscribe" boilerplate),
# detects the language of each text, marks reprints of the same story, and reports on *every*
# file it was given: loaded, duplicate, or rejected with a reason. Before any counting, a
# researcher reads that report: a corpus that silently lost a tenth of its files gives biased
# results (on corpus construction in media research see Deacon, *Researching Communications*,
# 2nd ed., ch. 6; Krippendorff, *Content Analysis*, 4th ed., ch. 6).

# %% tags=["parameters"]
corpus_path = "../seeds"     # a folder of articles, or a .parquet snapshot
snapshot_path = None         # set by `toolkit report`: the snapshot of the same corpus
output_dir = "../build"
seed = 0

# %%
import pandas as pd
from IPython.display import display

import toolkit
from toolkit import cache, figures
from toolkit.overview import articles_per, corpus_summary
from toolkit.corpus import problem_files

pd.set_option("display.max_colwidth", 80)

# %% [markdown]
# ## 1. Read the articles, and read the report first

# %%
result = cache.ingested(corpus_path)   # toolkit.ingest once (a snapshot: read as it is, with its ingest report)
corpus = result.corpus
result.summary()

# %% [markdown]
# Every input file has one row in the report. `rejected` rows say why; `duplicate` rows are
# either exact repeats (not added twice) or reprints kept in the corpus with `duplicate_of` set.

# %%
problems = problem_files(result.report)
print(f"{len(result.report)} files; {len(problems)} rejected or read with a warning (shown in full below)")
with pd.option_context("display.max_colwidth", None):   # a warning cut at 80 characters hides its rows
    display(problems[["file", "status", "reason", "warnings"]])

# %% [markdown]
# ## 2. What the corpus holds

# %%
corpus_summary(corpus)

# %%
corpus[["doc_id", "outlet", "outlet_country", "published", "language", "title", "cited_sources"]].head(10)

# %% [markdown]
# The columns and their types are documented in one place:

# %%
toolkit.describe_schema()

# %% [markdown]
# ## 3. Articles per outlet, language and day

# %%
per_outlet = articles_per(corpus, ["outlet", "outlet_country"])
figures.save(figures.bar_counts(per_outlet, label="outlet", colour_by="outlet_country", title="Articles per outlet"),
             "articles_per_outlet", caption="Articles per outlet, largest first, coloured by the outlet's country",
             method="articles counted after ingest (reprints marked duplicate_of included)")

# %%
per_language = articles_per(corpus, "language")
figures.save(figures.bar_counts(per_language, label="language", title="Articles per language"),
             "articles_per_language", caption="Articles per language",
             method="language detected from title and text (lingua); und = could not be told")
per_language

# %% [markdown]
# Over time: the period (day, week, month ...) follows the span of the dates; periods without
# an article are drawn as zero, and undated articles are left out and counted in the caption.

# %%
freq = figures.choose_freq(corpus["published"])
per_period = articles_per(corpus, None, freq=freq)
dated = int(corpus["published"].notna().sum())
if figures.enough("Articles over time", have=dated, need=5, what="dated articles"):
    figures.save(figures.timeline(per_period, freq=freq, undated=len(corpus) - dated,
                                  title=f"Articles per {figures.period_word(freq)}"),
                 "articles_over_time", caption=f"Articles per {figures.period_word(freq)} with the conflict's key dates",
                 method="articles counted per period of their publication date (UTC)")
per_period.tail(10)

# %% [markdown]
# ## 4. One article, cleaned
#
# The cleaned text keeps paragraphs (separated by a blank line). Compare it with the file:
# boilerplate is gone and glued sentences are split, but no word of the article was dropped.

# %%
print(corpus.loc[0, "title"])
print(corpus.loc[0, "text"][:1200])

# %% [markdown]
# ## 5. A first look at the words
#
# Russian and Ukrainian words are reduced to their lemmas (pymorphy3), so that *Карабах*,
# *Карабаха* and *Карабахе* count as one word; names of several words are joined
# (*Нагорном Карабахе* → `нагорный_карабах`). A **concordance** (keyword in context) shows every
# occurrence of a word with its neighbours — the oldest tool of corpus linguistics and still the
# best check on what a count means.

# %%
cache.measure("kwic", toolkit.kwic, corpus, query="Карабах", window=8)

# %% [markdown]
# **Collocations**: word pairs that occur together far more often than their frequencies
# predict (Dunning's log-likelihood ratio; Manning & Schütze 1999, ch. 5).

# %%
tokens = cache.measure("tokens", toolkit.tokenize, corpus)   # lemmas, cached (notebooks 01 and 02 read them)
# the 20 best pairs, as notebook 01 asks (one table, counted once); the first 15 shown here
cache.table("collocations", toolkit.collocations, tokens, measure="llr", min_count=2, n=20).head(15)

# %% [markdown]
# ## 6. Who is mentioned
# Actors and places come from the gazetteer `toolkit/lexicons/gazetteer.csv`, which lists each
# one's names in Russian, Ukrainian, English, Azerbaijani, Armenian and Turkish, including the
# names each side uses (Степанакерт / Ханкенди).

# %%
from toolkit.mentions import actor_counts

mentions = cache.measure("actors", toolkit.actors, corpus)
actor_counts(mentions).head(20)

# %%
mentions[["doc_id", "actor", "kind", "mention"]].head(20)

# %% [markdown]
# ## 7. Bring your own articles
#
# `toolkit.ingest` reads more than the aggregator's layout, and tells formats apart by content:
# - **saved web pages** (`.html`, `.htm`, `.mhtml`): the main text without menus, comments and footer, with title, date, author and URL;
# - **RSS/Atom feeds**: one article per entry, the outlet taken from the feed's site link;
# - **CSV/TSV/JSONL/Parquet exports** with other column names: `toolkit.ingest("export.csv", columns={"headline": "title", "pub_date": "published", "body_text": "text"})`.
#
# From a terminal, `python -m toolkit ingest pages/ feeds/ export.csv --out corpus.parquet` writes the snapshot and
# `corpus.report.csv`; read the report as in section 1. `toolkit.collect_urls(urls, "pages/")` downloads pages politely first.
