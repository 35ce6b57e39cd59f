"""How well the naming index separates Armenian- from Azerbaijani-based outlets on the development
corpus, beside the place-name regular expression and the 0.1 rule (unweighted counts, quotes only).

Reads ../shared/corpus/dev_seeds (through toolkit.ingest) and dev_outlet_side.json. Prints, per
method, the article-level ROC AUC with its 95 % outlet-bootstrap interval and the number of AM/AZ
articles scored, the same at sentence level (each sentence labelled with its outlet's side: a
harder test, because most sentences carry one term or none), and the outlet-grouped
cross-validation of weights fitted with ``fit_naming_weights`` (no outlet's own articles ever
inform its weights), and the articles broken down by language (only languages with scored
articles of both sides get an AUC; every language gets the number of scored articles whose index
has the sign of their outlet's side), and the AM/AZ articles left without an index with the reason
(language without terms, no term matched, or every match set aside by context). The shipped strengths are lexicon priors, not estimated
from any data, so they have nothing for cross-validation to hold out: the default's
"cross-validated" AUC is its in-sample AUC. Caveat printed with the table: the lexicon was
written by people who had read this corpus, so every number here is optimistic for unseen
outlets.

    .venv/bin/python bench/eval_naming.py [--prior-size 5 20 80] [--splits 5] [--seeds 0 1 2]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "corpus"


def as_articles(table):
    """A segment table as independent rows for naming_auc (doc_id made unique per segment)."""
    out = table.drop(columns="segment_id").copy()
    out["doc_id"] = table["doc_id"].astype(str) + ":" + table["segment_id"].astype(str)
    return out


def unweighted_01(units, keys):
    """The 0.1 index: (armenian - azerbaijani) / (armenian + azerbaijani), quoted terms left out,
    no other context rule, every term weight 1."""
    import numpy as np
    import pandas as pd

    from toolkit.framing import naming_mentions

    rules = pd.DataFrame(columns=["rule", "lang", "pair", "side", "before", "mention", "after", "effect", "note"])
    mentions = naming_mentions(units, context=rules)
    used = mentions[~mentions["quoted"]]
    counts = used.groupby(keys + ["side"]).size().unstack(fill_value=0).reindex(columns=["armenian", "azerbaijani"],
                                                                                 fill_value=0)
    out = units[keys + ["outlet"]].merge(counts.reset_index(), on=keys, how="left").fillna({"armenian": 0,
                                                                                          "azerbaijani": 0})
    total = out["armenian"] + out["azerbaijani"]
    out["naming_index"] = np.where(total > 0, (out["armenian"] - out["azerbaijani"]) / total.where(total > 0), np.nan)
    return out


def line(name, result):
    from toolkit.framing import auc_interval

    return f"{name:<58} {result['auc']:.3f} [{auc_interval(result)}]  {result['n_scored']:>4} of {result['n_articles']:<4}"


def by_language(tables, sides, corpus):
    """Per language of the articles: one line per (method, table) with its AUC and n scored;
    a language whose scored articles come from one side only has no AUC (says which side)."""
    from toolkit.framing import naming_auc

    language_of = dict(zip(corpus["doc_id"].astype(str), corpus["language"].astype(str)))
    for language in sorted(set(language_of.values())):
        for name, table in tables:
            part = table[table["doc_id"].astype(str).map(language_of) == language]
            side = part["outlet"].astype(str).map(sides)
            if not side.isin(["AM", "AZ"]).any():
                continue
            result = naming_auc(part, sides)
            scored = part["naming_index"].notna().to_numpy() & side.isin(["AM", "AZ"]).to_numpy()
            index = part["naming_index"].astype(float).to_numpy()
            right = int(((side == "AM").to_numpy() & (index > 0) | (side == "AZ").to_numpy() & (index < 0)).sum())
            scored_sides = sorted(set(side[scored]))
            if len(scored_sides) == 2:
                text = line(f"  {language}: {name}", result)
            else:
                text = (f"  {language}: {name:<54} {'/'.join(scored_sides) + ' only' if scored_sides else 'none':<9}"
                        f"{result['n_scored']:>9} of {result['n_articles']:<4}")
            print(f"{text}  on its outlet's side: {right} of {int(scored.sum())}")


def unscored(corpus, sides):
    """Why AM/AZ articles get no naming index, per language: the language has no term in the lexicon,
    no term matched, or every match was set aside by context (with the rules that did it). Prints
    counts and doc_ids only, never text."""
    from collections import Counter

    from toolkit.framing import naming, naming_mentions, naming_pairs

    side = corpus["outlet"].astype(str).map(sides)
    articles = corpus[side.isin(["AM", "AZ"]).to_numpy()]
    table = naming(articles)
    mentions = naming_mentions(articles)
    covered = set(naming_pairs()["lang"])
    missing = table[table["naming_index"].isna()]
    reasons = Counter()
    for doc_id, language in zip(missing["doc_id"], missing["language"].astype(str)):
        contexts = mentions.loc[mentions["doc_id"] == doc_id, "context"].astype(str)
        reason = ("language without terms" if language not in covered else "no term matched" if contexts.empty
                  else "all set aside by context (" + ", ".join(sorted(set(contexts))) + ")")
        reasons[(language, reason)] += 1
        print(f"  {doc_id} {language} {sides[str(missing.loc[missing['doc_id'] == doc_id, 'outlet'].iloc[0])]}: {reason}")
    print(f"  {len(missing)} of {len(table)} AM/AZ articles unscored; by language and reason: "
          + ("; ".join(f"{lang} {why}: {n}" for (lang, why), n in sorted(reasons.items())) or "none"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prior-size", type=float, nargs="+", default=[5.0, 20.0, 80.0])
    parser.add_argument("--splits", type=int, default=5)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args()
    if not (SHARED / "dev_seeds").is_dir():
        sys.exit(f"the development corpus is not present ({SHARED / 'dev_seeds'})")

    import toolkit
    from toolkit.framing import (fit_naming_weights, naming, naming_auc, naming_baseline, naming_cross_validate,
                                 naming_out_of_fold)

    corpus = toolkit.ingest(SHARED / "dev_seeds").corpus
    sides = json.loads((SHARED / "dev_outlet_side.json").read_text(encoding="utf-8"))
    sentences = toolkit.segment(corpus, "sentence")
    print("method (development corpus, AM vs AZ outlets)              AUC   [95 % outlet bootstrap]  scored")
    print("-- articles")
    print(line("naming index, lexicon strengths (default)", naming_auc(naming(corpus), sides)))
    print(line("0.1 rule: unweighted counts, quotes only", naming_auc(unweighted_01(corpus, ["doc_id"]), sides)))
    print(line("place-name regex (naming_baseline)", naming_auc(naming_baseline(corpus), sides)))
    for size in args.prior_size:
        fitted = fit_naming_weights(corpus, sides, prior_size=size)
        print(line(f"strengths fitted on all outlets, prior {size:g} (in-sample)",
                   naming_auc(naming(corpus, pairs=fitted.iloc[:, :7]), sides)))
        for seed in args.seeds:
            print(line(f"  outlet-grouped {args.splits}-fold CV, prior {size:g}, seed {seed}",
                       naming_cross_validate(corpus, sides, prior_size=size, n_splits=args.splits,
                                             random_state=seed)))
    print(f"-- articles by language (naming index; strengths fitted in outlet-grouped CV, prior 20, seed "
          f"{args.seeds[0]}; regex)")
    by_language([("naming index, lexicon strengths (default)", naming(corpus)),
                 ("fitted strengths, outlet-grouped CV (prior 20)",
                  naming_out_of_fold(corpus, sides, prior_size=20.0, n_splits=args.splits,
                                     random_state=args.seeds[0])),
                 ("place-name regex (naming_baseline)", naming_baseline(corpus))], sides, corpus)
    print("-- AM/AZ articles without a naming index, and why")
    unscored(corpus, sides)
    print("-- sentences (each labelled with its outlet's side)")
    print(line("naming index, lexicon strengths (default)", naming_auc(as_articles(naming(sentences)), sides)))
    print(line("0.1 rule: unweighted counts, quotes only",
               naming_auc(as_articles(unweighted_01(sentences, ["doc_id", "segment_id"])), sides)))
    for size in args.prior_size:
        print(line(f"  outlet-grouped {args.splits}-fold CV, prior {size:g}, seed {args.seeds[0]}",
                   naming_cross_validate(corpus, sides, prior_size=size, n_splits=args.splits, unit="sentence",
                                         random_state=args.seeds[0])))
    baseline = naming_baseline(sentences.drop(columns="segment_id").assign(
        doc_id=sentences["doc_id"].astype(str) + ":" + sentences["segment_id"].astype(str)))
    print(line("place-name regex (naming_baseline)", naming_auc(baseline, sides)))
    print("Caveat: the naming lexicon was written by people who had read this corpus; in-sample figures are "
          "optimistic. The default strengths are lexicon priors (no data-estimated weights), so its CV AUC is its "
          "in-sample AUC; cross-validation only keeps an outlet's articles out of the fitted strengths.")


if __name__ == "__main__":
    main()
