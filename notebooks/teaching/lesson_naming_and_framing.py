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
# # Lesson: one town, two names — naming and framing in news about Karabakh
#
# **Version:** 1.0.4
#
# **For:** a media-studies class (90 minutes). **Needs:** the toolkit installed; the articles in
# `../../seeds/` (or any folder given as `corpus_path`).
#
# **What you will learn.** The same town is *Степанакерт* in Armenian and most international
# usage and *Ханкенди* in Azerbaijani usage; the same military action is an "offensive" or
# "anti-terrorist measures". Choosing a word is choosing a frame (Entman 1993, "Framing: Toward
# Clarification of a Fractured Paradigm"). In this lesson you will (1) read articles as a
# computer sees them, (2) find words in context, (3) count contested names, and (4) ask what a
# count can and cannot tell you.
#
# Exercises are marked **Exercise**. Try them before looking at anything else.

# %% tags=["parameters"]
corpus_path = "../../seeds"
snapshot_path = None
output_dir = "../../build"
seed = 0

# %%
import toolkit
from toolkit import cache
from toolkit.framing import naming_mentions, naming_pairs

corpus = toolkit.load_corpus(snapshot_path or corpus_path)
corpus[["outlet", "published", "language", "title"]]

# %% [markdown]
# ## 1. An article as data
# Each row is an article; `text` is its cleaned body. Print the first 600 characters.

# %%
print(corpus.loc[0, "text"][:600])

# %% [markdown]
# **Exercise 1.** Which outlets does the first article say it reports from? (Hint: look at the
# column `cited_sources`.) Why does it matter for media research that an article re-reports
# another outlet?

# %% tags=["solution"]
print(corpus.loc[0, "cited_sources"])
# On the bundled seed article (seeds/): it re-reports Politico, so its framing is partly
# Politico's. Counting it as an independent voice of its own outlet would double-count one
# source. On another corpus, read the list above: an empty list means no cited outlet was found.
# How common is re-reporting in the whole corpus? The share of articles citing another outlet:
corpus["cited_sources"].map(len).gt(0).mean()

# %% [markdown]
# ## 2. Words in context
# `kwic` finds every form of a word (*Карабах*, *Карабаха*, *Карабахе*) and shows its
# neighbours. (`cache.measure` runs it once and keeps the table, so that a second run of this
# lesson on the same articles reads it; `toolkit.kwic(corpus, query="Карабах", window=6)` gives the
# same table.)

# %%
cache.measure("kwic", toolkit.kwic, corpus, query="Карабах", window=6)

# %% [markdown]
# **Exercise 2.** Find every mention of Azerbaijan (`"Азербайджан"`) in context. In how many
# of them is Azerbaijan the one who acts (the grammatical subject)?

# %% tags=["solution"]
azerbaijan = cache.measure("kwic", toolkit.kwic, corpus, query="Азербайджан", window=6)
print(len(azerbaijan), "mentions; the first 20:")
azerbaijan.head(20)
# On the bundled seed article: Azerbaijan "начал военное наступление" and "начал наступление"
# (it acts in two of the three rows); in the third, pressure is applied "на Азербайджан" (it is
# acted upon). On another corpus, read the rows the same way (a sample of them when there are
# many): the word after the name is often the verb of its action; a preposition before it ("на",
# "против") often makes it the object.

# %% [markdown]
# ## 3. Contested names
# The toolkit's naming lexicon lists pairs of terms, one per side. Look at a few pairs:

# %%
naming_pairs()[["pair", "side", "lang", "term"]].query("lang == 'ru'").head(12)

# %%
cache.measure("naming_mentions", naming_mentions, corpus)   # = naming_mentions(corpus), kept

# %% [markdown]
# **Exercise 3.** Write two invented sentences about the same event — one using
# Armenian-side vocabulary, one using Azerbaijani-side vocabulary — and check them with
# `toolkit.naming`. What naming index does each get?

# %% tags=["solution"]
import pandas as pd

examples = pd.DataFrame({
    "doc_id": ["a", "b"],
    # invented sentences for this exercise
    "text": ["Жители Степанакерта покидают Нагорный Карабах после наступления.",
             "В Ханкенди завершились антитеррористические мероприятия."],
    "language": ["ru", "ru"],  # said, not detected: the detector takes seconds to load
})
toolkit.naming(examples)[["doc_id", "armenian", "azerbaijani", "naming_index"]]

# %% [markdown]
# ## 4. What a count cannot tell you
# **Exercise 4 (discussion).** An outlet writes «антитеррористические мероприятия» in quotation
# marks. The toolkit counts it as `quoted`, not as Azerbaijani-side usage. Why? Find one more
# way an outlet can use the other side's term without adopting it, and say how you would
# check for it by reading.

# %% tags=["solution"]
# Quoting distances the outlet from the term (it reports someone else's word). Other cases:
# negation ("it was not a blockade"), attribution ("Baku calls it ..."), irony. The toolkit's
# context rules (lexicons/naming_context.csv) catch some of them ("so-called", "the Armenian
# offensive"; see the `context` column of naming_mentions), not negation or irony: read the
# matches before trusting a number.
