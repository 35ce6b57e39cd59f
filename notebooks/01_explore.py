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
# # Exploring the words: concordance, collocations, frequencies, keyness
#
# **Version:** 1.0.0
#
# **Reads:** the corpus snapshot (`snapshot_path`) or a folder of articles (`corpus_path`).
# **Writes:** figure `explore_key_terms`.
#
# **Method.** The classic first look of corpus linguistics (McEnery & Hardie, *Corpus
# Linguistics*, 2012): read words in context before counting them; find word pairs that belong
# together (collocations, scored by Dunning's log-likelihood ratio); compare how often words
# occur in different groups; and find the *key* words of one group against another — here with
# the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), which
# does not overrate rare words the way raw ratios do. Words are lemmas, so *Карабахе* counts as
# *карабах*.

# %% tags=["parameters"]
corpus_path = "../seeds"
snapshot_path = None
output_dir = "../build"
seed = 0
query = "Карабах"

# %%
import toolkit
from toolkit import figures
from toolkit.mentions import mentioning

corpus = toolkit.load_corpus(snapshot_path or corpus_path)
tokens = toolkit.tokenize(corpus)
len(corpus)

# %% [markdown]
# ## 1. Keyword in context
# The query matches lemmas: every case form of the word is found.

# %%
toolkit.kwic(corpus, query, window=8).head(30)

# %% [markdown]
# ## 2. Collocations

# %%
toolkit.collocations(tokens, measure="llr", min_count=2, n=20)

# %% [markdown]
# ## 3. The most frequent words per outlet country

# %%
toolkit.frequencies(tokens, by="outlet_country", n=10)

# %% [markdown]
# ## 4. Key words: what is said around Azerbaijan, and around Armenia?
# Sentences that mention exactly one of the two states are compared. A positive z-score
# means the word is more typical of sentences about Azerbaijan.

# %%
contexts = mentioning(corpus, ["azerbaijan", "armenia"], unit="sentence")
contexts["context"].value_counts()

# %%
key_terms = toolkit.keyness(contexts, by="context", target="azerbaijan", reference="armenia")
top = key_terms.head(15)
figures.save(figures.bar_counts(top, label="term", value="score", title="Key words near 'Azerbaijan' (z)"),
             "explore_key_terms")
top
