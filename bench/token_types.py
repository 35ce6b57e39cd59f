"""How many distinct tokens each language's development texts give (fewer: inflected forms merged).

Reads ../shared/corpus/dev_corpus.jsonl (exits with a message when it is absent) and prints, per
language, the texts, tokens and distinct tokens of :func:`toolkit.tokens.tokenize_text` (lemmas,
stems, dictionary lemmas, names without their endings; stopwords removed, phrases merged) and
the most frequent tokens. Run it on two trees (``PYTHONPATH=TREE``) to compare two versions.

    .venv/bin/python bench/token_types.py [--languages az hy ka tr]
"""
from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

import pandas as pd

from toolkit.tokens import tokenize_text

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev_corpus.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", nargs="+", default=["az", "hy", "ka", "tr"])
    args = parser.parse_args()
    if not DEV.is_file():
        print(f"no development corpus at {DEV}", file=sys.stderr)
        return 1
    rows = pd.read_json(DEV, lines=True)
    for language in args.languages:
        texts = rows.loc[rows["language"] == language, "text"]
        tokens = [t for text in texts for t in tokenize_text(text, language)[0]]
        counts = collections.Counter(tokens)
        top = " ".join(token for token, _ in counts.most_common(10))
        print(f"{language}: {len(texts)} texts, {len(tokens)} tokens, {len(counts)} distinct; top: {top}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
