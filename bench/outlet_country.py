"""Outlet-country coverage on the development corpus in three configurations, plus the side check:
the full registry; every development outlet held out of the registry (as for unseen outlets);
every development outlet held out except those of the knowledge lists (rows whose note contains
"knowledge list": issue 11's, 2026-12-06, and the second, 2026-12-08, each written from knowledge
without looking at the development corpus: an honest estimate of what a registry built from
knowledge places on unseen outlets); and the same with the second list alone.

    .venv/bin/python bench/outlet_country.py

Reads ../shared/corpus/dev_corpus.jsonl and dev_outlet_side.json (a coarse base per outlet);
prints the coverage sentence of toolkit.outlets.country_coverage and every outlet of the
Armenian, Azerbaijani, Russian or Ukrainian side placed in the opposing side's country.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from toolkit import outlets  # noqa: E402

OPPOSING = {"AM": "AZ", "AZ": "AM", "RU": "UA", "UA": "RU"}
#: the note marker of registry rows written from knowledge, blind to the development corpus
KNOWLEDGE_LIST = "knowledge list"
#: the second list (2026-12-08), written by three helpers who read nothing of the project
KNOWLEDGE_LIST_2 = "knowledge list 2"


def main() -> int:
    shared = ROOT.parent / "shared" / "corpus"
    side = json.loads((shared / "dev_outlet_side.json").read_text(encoding="utf-8"))
    rows = [json.loads(line) for line in (shared / "dev_corpus.jsonl").read_text(encoding="utf-8").splitlines() if line]
    articles = pd.Series([outlets.normalise_outlet(r["outlet"]) for r in rows])
    full = outlets._registry()
    dev = [d for d in side if d in full.index]
    def held_out_except(marker: str, name: str):
        """The registry without the development outlets whose note lacks ``marker``, and its label."""
        kept = [d for d in dev if marker in full.loc[d, "note"]]
        return (f"{len(dev) - len(kept)} development outlets held out, {len(kept)} of {name} kept",
                full.drop(index=[d for d in dev if d not in kept]))

    configurations = (
        ("full registry", full),
        (f"{len(dev)} development outlets held out", full.drop(index=dev)),
        held_out_except(KNOWLEDGE_LIST, "the knowledge lists"),
        held_out_except(KNOWLEDGE_LIST_2, "knowledge list 2"),
    )
    for label, table in configurations:
        outlets._registry = lambda table=table: table  # noqa: E731  (the lookup reads this)
        placed = pd.concat([articles.rename("outlet"), outlets.place_outlets(articles)], axis=1)
        wrong = sorted({(o, c) for o, c in zip(placed["outlet"], placed["outlet_country"])
                        if isinstance(c, str) and OPPOSING.get(side.get(o)) == c})
        agree = [(side.get(o), c) for o, c in zip(placed["outlet"], placed["outlet_country"])
                 if isinstance(c, str) and side.get(o) in OPPOSING | {"TR": 0, "GE": 0}]
        same = sum(s == c for s, c in agree)
        print(f"{label}: {outlets.country_coverage(placed)}")
        print(f"  placed in the opposing side's country: {wrong or 'none'}; country equals the side's "
              f"country for {same} of {len(agree)} placed articles of AM/AZ/RU/UA/TR/GE-side outlets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
