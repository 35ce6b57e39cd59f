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
# # Topics: what each outlet wrote about, and when
#
# **Version:** 1.12.1
#
# **Reads:** the corpus snapshot (`snapshot_path`) or a folder of articles (`corpus_path`).
# **Writes:** figures `topics_k_selection`, `topics_terms`, `topics_by_country`,
# `topics_over_time` (each with its caption); the fitted model under `output_dir/models/topics/`
# (JSON + arrays).
# **Needs:** at least 20 text units (articles, or paragraphs in a small corpus) for a topic
# model; shares by country need 2 countries with at least 5 articles; shares over time at least
# 5 dated articles.
#
# **Method.** A topic model describes each text as a mixture of topics and each topic as a
# distribution over words. We fit Latent Dirichlet Allocation (Blei, Ng & Jordan 2003) on lemmas,
# with multi-word names merged (`нагорный_карабах`) and stopwords removed. A reviewer asks three
# things of it: *why this number of topics* — we compare k by NPMI coherence (Röder, Both &
# Hinneburg 2015) and by stability across random seeds (topics of two runs matched with the
# Hungarian algorithm; Greene, O'Callaghan & Cunningham 2014); *is it reproducible* — every fit
# has a fixed seed; *how do outlets differ* — mean topic shares per outlet country, with
# bootstrap intervals that resample articles. With very few articles (the bundled seeds) the
# units are paragraphs; read such a model as a demonstration, not a finding.
#
# **Several languages.** LDA's topics would first separate the languages (their words never
# co-occur), and topics by country would only show which language each country writes in. So
# when no single language holds at least 90 % of the corpus, this notebook fits *cross-lingual*
# topics (`method="crosslingual"`): each article is placed by multilingual sentence embeddings
# (Universal Sentence Encoder Multilingual v3) and by shared concept ids (actors, places and event
# words listed for each language in `toolkit/lexicons/concepts.csv`), with each language's average
# removed, and k-means groups articles about the same event whatever their language. Topic labels
# are then shared concepts, and each topic's terms are shown per language. Each article belongs to
# one such topic (its k-means cluster), so a topic's prevalence is the *share of articles in it*,
# not a mean share as for LDA. English, French, German and the other languages with a Snowball stemmer
# have stems as terms (`negoti`); each is shown as its most frequent written form in the corpus
# (`negotiations`). Armenian, Turkish, Georgian and the other languages with a lemma dictionary have
# dictionary lemmas as terms, shown the same way (Ղարաբաղում and Ղարաբաղի are one term); in
# Azerbaijani, names and the nouns Turkish's dictionary knows lose their endings (Qarabağda and
# Qarabağın, ordusu and ordusunun: one term each); Arabic terms lose only their article. Azerbaijani, Armenian,
# Ukrainian and Georgian are not among the encoder's 16 training languages: for them the concept
# list carries most of the weight (see the README for the measured accuracy and limits). Set the
# `language` parameter to model one language with LDA instead. From 25,000 articles on, the
# sentences are embedded by a static approximation of the encoder (`usem3-static`: one fixed
# vector per word piece, about 16 times less CPU; on the development corpus its topics match the
# events slightly less well, NMI 0.52 against 0.54); the `encoder` parameter overrules the choice,
# and the figure captions say which one ran.

# %% tags=["parameters"]
corpus_path = "../seeds"
snapshot_path = None
output_dir = "../build"
seed = 0
language = None              # e.g. "ru" to model one language only
k = None                     # a number of topics of your choice; None: chosen by the rule below
select_k_sample = 2000       # compare the ks on a seeded random sample of this many units; None: on all
encoder = None               # cross-lingual: "usem3" or its fast static approximation "usem3-static"; None: by size

# %%
from pathlib import Path

import toolkit
from toolkit import cache, figures
from toolkit.embeddings import ENCODER_LABELS
from toolkit.topics import choice_at_edge, choose_k, default_settings, fit_topics, select_k, topic_method

corpus = toolkit.load_corpus(snapshot_path or corpus_path)
if language:
    corpus = corpus[corpus["language"] == language].reset_index(drop=True)
corpus = cache.measure("tokens", toolkit.tokenize, corpus)   # lemmas: tokenized once (notebook 01), cached
rule = topic_method(corpus, language=language)
method = rule["method"]
print(f"topic model: {method} ({rule['reason']})")
settings = default_settings(corpus, method=method, encoder=encoder)
settings

# %% [markdown]
# ## 1. How many topics?
# Each k is fitted with three seeds. *Coherence*: do a topic's top words occur near each other
# in the texts (NPMI, from -1 to 1)? For cross-lingual topics it is measured within each language
# (a topic's top words in Russian on the Russian texts, and so on), because words of two languages
# seldom share a sentence: measured over all texts at once, it rewards topics that are one language.
# *Stability*: do different seeds find the same topics (1 = yes)? The rule: among the ks with
# stability of at least 0.6, the smallest k whose coherence is within one standard error of the
# best (the bars: a mean over k topics is known no better than that), because a larger k than the
# data support splits themes into fragments (on a small corpus: single outlets or languages).
# On a large corpus the ks are compared on a seeded random sample of `select_k_sample` units
# (the figure's caption says how many); the chosen k is then fitted on all of them. The table and
# the model are cached beside the snapshot: a second run with the same parameters reads them.

# %%
topics_ok = figures.enough("Topics", have=settings["n_units"], need=20, what=f"text units ({settings['unit']}s)")
if topics_ok:
    sample = select_k_sample if select_k_sample and select_k_sample < settings["n_units"] else None
    selection = cache.table("select_k", select_k, corpus, ks=settings["ks"], unit=settings["unit"],
                            seeds=(seed, seed + 1, seed + 2), method=method, sample=sample, random_state=seed,
                            **settings["options"])
    compared = f" on a random sample of {sample:,} {settings['unit']}s (seed {seed})" if sample else ""
    figures.save(figures.k_selection(selection, chosen=k or choose_k(selection), min_stability=0.6),
                 "topics_k_selection", n=sample or settings["n_units"],
                 unit=f"{settings['unit']}s", caption="Topic coherence and stability by number of topics k",
                 method=f"{method} fitted with three seeds per k{compared}; NPMI coherence of the top 10 words"
                 + (" within each language" if method == "crosslingual" else "")
                 + ", bars one standard error of the mean over topics; stability = mean cosine similarity of topics matched "
                 "across seeds; dotted: the k fitted, dashed: the stability threshold of the rule")
    display(selection)

# %%
if topics_ok and k is None:
    k = choose_k(selection)
    print(f"chosen k = {k}: the smallest k within one standard error of the most coherent, among those with "
          "stability >= 0.6 (set the parameter k to overrule it after reading the table)")
    print(choice_at_edge(selection, k))
elif topics_ok:
    print(f"k = {k}, set by the parameter")

# %% [markdown]
# ## 2. The topics
# Labels default to the three top terms (cross-lingual topics: the three top shared concepts);
# a researcher renames them after reading the representative texts (`model.labels = [...]`).
# Cross-lingual topics list their top terms in each language.

# %%
if topics_ok:
    model = cache.fitted("topics", fit_topics, corpus, k=k, unit=settings["unit"], random_state=seed, method=method,
                         **settings["options"])
    quantity = model.prevalence_quantity   # what sections 3 and 4 show (see section 3)
    per_article = model.prevalence_method
    weight = "word probability in the topic" if method == "lda" else "term weight in the topic (class-based TF-IDF)"
    figures.save(figures.topic_terms(model.terms, model.labels, xlabel=weight), "topics_terms", n=settings["n_units"],
                 unit=f"{settings['unit']}s",
                 caption=(f"The 8 most probable words of each of the {k} topics" if method == "lda" else
                          f"The 8 highest-weighted words of each of the {k} topics (titles: the topic's top shared "
                          "concepts, which name it in every language)"),
                 method=("LDA (Blei, Ng & Jordan 2003) on lemmas" if method == "lda" else
                         f"cross-lingual: {ENCODER_LABELS[settings['options']['encoder']]} + shared concepts, k-means")
                 + f", k = {k}, seed {seed}")
    display(model.terms_by_language(8) if method == "crosslingual" else model.top_terms(10))
    display(model.coherence("c_npmi"))

# %% [markdown]
# ## 3. Prevalence by outlet country, with 95% bootstrap intervals
# Countries with fewer than 5 articles, and those beyond the 8 largest, are pooled into "other" before the shares are estimated
# (their own shares would be noise), and articles whose outlet has no known country form the
# group "unknown", as in every figure. Topics are ordered by their share; the line marks 1/k,
# the share of every topic if none stood out. LDA: mean topic shares; cross-lingual topics: the
# share of the country's articles in each topic (`model.prevalence_quantity` says which).

# %%
if topics_ok and figures.enough("Topic shares by outlet country",
                                have=figures.count_groups(corpus["outlet_country"]), need=2,
                                what="outlet countries with at least 5 articles each"):
    by_country = figures.pooled_prevalence(model, corpus, "outlet_country")
    figures.save(figures.prevalence_dots(by_country, by="outlet_country", quantity=quantity), "topics_by_country",
                 caption=f"{quantity.capitalize()} per outlet country",
                 method=f"{per_article}, then per country; 95% cluster bootstrap over articles; "
                 "countries with fewer than 5 articles, or beyond the 8 largest, pooled")
    display(by_country)

# %% [markdown]
# ## 4. Topics over time
# Prevalence per period, as in section 3; dashed lines mark the key dates. The period follows the
# span of the dates, coarser when most articles would sit in periods with fewer than 3 (not drawn).

# %%
freq = figures.choose_freq(corpus["published"], min_n=3)
if topics_ok and figures.enough("Topic shares over time", have=int(corpus["published"].notna().sum()), need=5,
                                what="dated articles"):
    over_time = model.prevalence(by=None, freq=freq)
    figures.save(figures.timeline_means(over_time, value="mean", variable="label", count="n_articles", freq=freq,
                                        min_n=3, ylabel=f"{quantity} (95% interval)",
                                        title=f"Topic share per {figures.period_word(freq)}"),
                 "topics_over_time", caption=f"{quantity.capitalize()} per {figures.period_word(freq)}",
                 method=f"{per_article} and period; 95% cluster bootstrap over articles")
    display(over_time.head(12))

# %% [markdown]
# ## 5. Read the texts behind each topic

# %%
for topic in range(model.k) if topics_ok else []:
    print(f"--- topic {topic}: {model.labels[topic]}")
    display(model.representative(topic, n=3))

# %%
if topics_ok:
    model.save(Path(output_dir) / "models" / "topics")
