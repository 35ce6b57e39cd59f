"""Language detection on the development corpus with and without the candidates added on
2026-12-07 (cs sk hr mk sq hu fi sv da nb ca id hi ur): does any article, or any sentence of 60-200
characters, change language?

    .venv/bin/python bench/detect_candidates.py

Reads ../shared/corpus/dev_corpus.jsonl (its ``language`` labels are the reference). Articles go
through ``toolkit.language.detect_languages`` with each candidate set (timed on the articles
repeated 20 times, models loaded); sentences through lingua
directly (the toolkit's probes are for texts of 130 letters or more). Prints agreement with the
labels, CPU seconds, and every text whose language differs between the two sets.
"""
from __future__ import annotations

import re
import sys
import time
from collections import Counter
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from toolkit import language  # noqa: E402
from toolkit.languages import codes  # noqa: E402

ADDED = "cs sk hr mk sq hu fi sv da nb ca id hi ur".split()
#: how many times the articles are detected for the timing
REPEAT = 20


def detector(candidates):
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_iso_codes_639_1(*[getattr(IsoCode639_1, c.upper()) for c in candidates]).build()


def main() -> None:
    corpus = pd.read_json(ROOT.parent / "shared" / "corpus" / "dev_corpus.jsonl", lines=True)
    texts = (corpus["title"].fillna("") + "\n" + corpus["text"]).tolist()
    sentences = [(label, s) for label, text in zip(corpus["language"], corpus["text"])
                 for s in re.split(r"(?<=[.!?։])\s+", text) if 60 <= len(s) <= 200]
    every = list(codes(detect=True))
    sets = {"before": [c for c in every if c not in ADDED], "now": every}
    articles, short = {}, {}
    for name, candidates in sets.items():
        built = detector(candidates)
        with mock.patch.object(language, "_detector", lambda: built):
            articles[name] = language.detect_languages(texts)        # also loads the models
            started = time.process_time()
            language.detect_languages(texts * REPEAT)
            seconds = time.process_time() - started
        found = built.detect_languages_in_parallel_of([s for _, s in sentences])
        short[name] = [f.iso_code_639_1.name.lower() if f else "und" for f in found]
        agree = sum(a == b for a, b in zip(articles[name], corpus["language"])) / len(corpus)
        agree_short = sum(a == b for a, (b, _) in zip(short[name], sentences)) / len(sentences)
        print(f"{name}: {len(candidates)} candidates; articles agreeing with their label {agree:.3f}; "
              f"{len(texts) * REPEAT} articles detected in {seconds:.2f} CPU s (models loaded); "
              f"{len(sentences)} sentences agreeing {agree_short:.3f}")
    print("articles that changed:", [(label, a, b) for label, a, b in zip(corpus["language"], articles["before"],
                                                                          articles["now"]) if a != b])
    print("sentences that changed:", Counter((label, a, b) for (label, _), a, b in zip(sentences, short["before"],
                                                                                     short["now"]) if a != b))


if __name__ == "__main__":
    main()
