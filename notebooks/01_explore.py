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
# # Exploring the words: concordance, collocations, frequencies, keyness
#
# **Version:** 1.4.0
#
# **Reads:** the corpus snapshot (`snapshot_path`) or a folder of articles (`corpus_path`).
# **Writes:** figure `explore_key_terms` (with its caption).
# **Needs:** for the key words, at least 5 sentences that mention Azerbaijan only and 5 that
# mention Armenia only.
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
from toolkit import cache, figures
from toolkit.keywords import name_terms
from toolkit.mentions import mentioning

corpus = toolkit.load_corpus(snapshot_path or corpus_path)
tokens = cache.measure("tokens", toolkit.tokenize, corpus)   # computed once, cached
len(corpus)

# %% [markdown]
# ## 1. Keyword in context
# The query matches lemmas: every case form of the word is found.

# %%
cache.measure("kwic", toolkit.kwic, corpus, query=query, window=8).head(30)

# %% [markdown]
# ## 2. Collocations

# %%
cache.table("collocations", toolkit.collocations, tokens, measure="llr", min_count=2, n=20)

# %% [markdown]
# ## 3. The most frequent words per outlet country

# %%
toolkit.frequencies(tokens, by="outlet_country", n=10)

# %% [markdown]
# ## 4. Key words: what is said around Azerbaijan, and around Armenia?
# Sentences that mention exactly one of the two states are compared. A positive z-score
# means the word is more typical of sentences about Azerbaijan. The words that name the two
# states (as the gazetteer matched them: *Азербайджана*, *Ilham Aliyev*, *Հայաստանից* ...) chose
# the sentences, so they top the list by construction; the figure leaves them out.

# %%
contexts = cache.measure("mentioning", mentioning, corpus, actor_ids=["azerbaijan", "armenia"], unit="sentence")
contexts["context"].value_counts()

# %%
per_side = contexts["context"].value_counts()
fewest = int(min(per_side.get("azerbaijan", 0), per_side.get("armenia", 0)))
if figures.enough("Key words near Azerbaijan and Armenia", have=fewest, need=5,
                  what="sentences mentioning only Azerbaijan and as many mentioning only Armenia"):
    key_terms = cache.table("keyness", toolkit.keyness, contexts, by="context", target="azerbaijan",
                            reference="armenia")   # = toolkit.keyness(contexts, ...), kept
    names = cache.table("name_terms", name_terms, cache.measure("actors", toolkit.actors, corpus),  # actors: cached by 00
                        actor_ids=["azerbaijan", "armenia"])   # = name_terms(mentions, [...]), kept
    named = key_terms["term"].isin(names["term"])
    figures.save(figures.bar_scores(key_terms[~named], label="form", value="score", n=int(per_side.sum()), unit="sentences",
                                    xlabel="log-odds z-score (> 0: typical near 'Azerbaijan')", threshold=1.96,
                                    title="Key words near 'Azerbaijan'"),
                 "explore_key_terms", caption="Words most typical of sentences that mention Azerbaijan, against "
                 f"sentences that mention Armenia ({int(named.sum())} words that name the two states, which chose the "
                 "sentences, left out)",
                 method="log-odds ratio with informative Dirichlet prior, z-scores (Monroe, Colaresi & Quinn 2008); "
                 "dashed line: z = 1.96, two-sided 5 % for one word, not corrected for the many words tested")
    display(key_terms[~named].head(15))
