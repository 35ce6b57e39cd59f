"""Benchmark of the whole pipeline at scale: ingest, the cached measures and the report.

Generates corpora of N articles (JSONL, under --work, default /tmp/toolkit_bench_scale; never
inside the repository) from the development corpus ../shared/corpus/dev_corpus.jsonl: each
article takes the outlet, date and language of a real article (chosen at random among the
languages with at least 30 sentences) and 4 to 14 sentences resampled (with replacement) from
the real articles of that language, in paragraphs of one to three sentences; every text is
unique. The ``growing`` variant also replaces about 8 % of the words by invented words drawn
from a Zipf distribution over an unbounded vocabulary (so the vocabulary keeps growing with
the corpus, as in real text, where resampled sentences stop it early).

Each step runs in its own process; the benchmark polls the resident memory of that process
and all its children (notebook kernels, Dask workers) and reports the peak of their sum:

    ingest         python -m toolkit ingest corpus.jsonl --out corpus.parquet
    measures       tokens, sentence tone, actor tone, frames, naming, actors, sources through
                   toolkit.cache.measure (cold cache)
    report         python -m toolkit report --corpus corpus.parquet --out report_1  (cold cache)
    report-cached  the same again into report_2 (cache beside the snapshot)
    report-dask    the same with --scheduler processes and a fresh cache (local 2-worker cluster)

    .venv/bin/python bench/bench_scale.py --sizes 1000 10000 [--variant resampled growing]
                                          [--steps ingest measures report report-cached report-dask]

It prints one line per step and size (wall seconds, peak MB, articles/s) and, for each step,
the growth exponent of time between consecutive sizes (log t2/t1 / log n2/n1; 1 = linear).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus" / "dev_corpus.jsonl"
MIN_SENTENCES = 30
STEPS = ("ingest", "measures", "report", "report-cached", "report-dask")

MEASURES_SCRIPT = """
import sys, time
import toolkit
from toolkit import cache
from toolkit.tone import actor_sentiment, sentiment
corpus = toolkit.load_corpus(sys.argv[1])
for name, func, params in [("tokens", toolkit.tokenize, {}), ("sentiment", sentiment, {"unit": "sentence"}),
                           ("actor_sentiment", actor_sentiment, {}), ("frames", toolkit.frames, {}),
                           ("naming", toolkit.naming, {}), ("actors", toolkit.actors, {}),
                           ("sources", toolkit.sources, {})]:
    started = time.perf_counter()
    table = cache.measure(name, func, corpus, cache=sys.argv[2], **params)
    print(f"  {name:<16} {time.perf_counter() - started:8.1f} s  {len(table):>9,} rows", flush=True)
"""


# ------------------------------------------------------------------------------ corpora
def sentence_pools(path: Path = DEV):
    """Sentences of the development corpus per language, and the articles (outlet, date,
    url, language) of the languages with at least MIN_SENTENCES sentences."""
    sys.path.insert(0, str(ROOT))
    from toolkit.units import _sentence_spans

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    pools: dict[str, list[str]] = {}
    for row in rows:
        text = row["text"] or ""
        pools.setdefault(row["language"], []).extend(text[a:b] for a, b in _sentence_spans(text))
    pools = {lang: sents for lang, sents in pools.items() if len(sents) >= MIN_SENTENCES}
    templates = [r for r in rows if r["language"] in pools]
    return pools, templates


def _alphabet(sentences: list[str]) -> str:
    letters = sorted({ch for s in sentences for ch in s.lower() if ch.isalpha()})
    return "".join(letters[:40]) or "abcdefghijklmnopqrstuvwxyz"


def _invented(number: int, alphabet: str) -> str:
    base, word = len(alphabet), ""
    number += base * base  # at least three letters
    while number:
        number, digit = divmod(number, base)
        word += alphabet[digit]
    return word


def generate(n: int, target: Path, *, growing: bool = False, seed: int = 0, dev: Path = DEV) -> Path:
    """Write ``n`` unique articles to ``target`` (JSONL) and return it."""
    import numpy as np

    pools, templates = sentence_pools(dev)
    alphabets = {lang: _alphabet(sents) for lang, sents in pools.items()}
    rng = random.Random(seed)
    zipf = np.random.default_rng(seed)
    seen: set[int] = set()
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8") as out:
        written = 0
        while written < n:
            template = rng.choice(templates)
            lang = template["language"]
            sentences = [rng.choice(pools[lang]) for _ in range(rng.randint(4, 14))]
            if growing:
                draws = iter(zipf.zipf(1.3, size=400))
                sentences = [" ".join(_invented(int(next(draws, 1)), alphabets[lang])
                                      if rng.random() < 0.08 else word for word in s.split())
                             for s in sentences]
            paragraphs, i = [], 0
            while i < len(sentences):
                step = rng.randint(1, 3)
                paragraphs.append(" ".join(sentences[i:i + step]))
                i += step
            text = "\n\n".join(paragraphs)
            if hash(text) in seen:
                continue
            seen.add(hash(text))
            title = " ".join(sentences[0].split()[:10]).rstrip(".,:;")
            out.write(json.dumps({"url": f"{template['url']}#bench-{written}", "outlet": template["outlet"],
                                  "published": template["published"], "title": title, "text": text},
                                 ensure_ascii=False) + "\n")
            written += 1
    return target


# ------------------------------------------------------------------------------ running
def run_step(command: list[str], log: Path, env: dict | None = None) -> tuple[float, float, int]:
    """Run ``command`` in its own process; wall seconds, peak MB of the process tree, exit code."""
    import psutil

    started = time.perf_counter()
    with open(log, "w") as fh:
        proc = subprocess.Popen(command, stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT,
                                env={**os.environ, **(env or {})})
        root, peak = psutil.Process(proc.pid), 0
        while proc.poll() is None:
            try:
                tree = [root] + root.children(recursive=True)
                peak = max(peak, sum(_rss(p) for p in tree))
            except psutil.NoSuchProcess:
                pass
            time.sleep(0.2)
    return time.perf_counter() - started, peak / 2**20, proc.returncode


def _rss(process) -> int:
    try:
        return process.memory_info().rss
    except Exception:  # noqa: BLE001 - a child may end between listing and reading
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--variant", nargs="+", default=["resampled"], choices=["resampled", "growing"])
    parser.add_argument("--steps", nargs="+", default=list(STEPS), choices=STEPS)
    parser.add_argument("--work", type=Path, default=Path("/tmp/toolkit_bench_scale"))
    parser.add_argument("--keep", action="store_true", help="keep generated corpora and outputs")
    parser.add_argument("--dev", type=Path, default=DEV, help="the JSONL corpus whose sentences are resampled")
    args = parser.parse_args()
    if not args.dev.exists():
        print(f"the development corpus {args.dev} is missing: nothing to resample", file=sys.stderr)
        return 2
    python = sys.executable
    env = {"PYTHONPATH": str(ROOT)}
    results = []
    print(f"{'variant':<10} {'articles':>9}  {'step':<14} {'wall s':>8} {'peak MB':>8} {'articles/s':>11}")
    for variant in args.variant:
        for n in args.sizes:
            work = args.work / f"{variant}_{n}"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            source = generate(n, work / "corpus.jsonl", growing=variant == "growing", dev=args.dev)
            snapshot = work / "corpus.parquet"
            commands = {
                "ingest": [python, "-m", "toolkit", "ingest", str(source), "--out", str(snapshot)],
                "measures": [python, "-c", MEASURES_SCRIPT, str(snapshot), str(work / "measures_cache")],
                "report": [python, "-m", "toolkit", "report", "--corpus", str(snapshot), "--out",
                           str(work / "report_1")],
                "report-cached": [python, "-m", "toolkit", "report", "--corpus", str(snapshot), "--out",
                                  str(work / "report_2")],
                "report-dask": [python, "-m", "toolkit", "report", "--corpus", str(snapshot), "--out",
                                str(work / "report_dask"), "--scheduler", "processes",
                                "--cache-dir", str(work / "dask_cache")],
            }
            for step in args.steps:
                if step != "ingest" and not snapshot.exists():
                    break
                seconds, peak, code = run_step(commands[step], work / f"{step}.log", env)
                status = "" if code == 0 else f"  FAILED (exit {code}, see {work / (step + '.log')})"
                print(f"{variant:<10} {n:>9,}  {step:<14} {seconds:>8.1f} {peak:>8,.0f} {n / seconds:>11,.0f}{status}",
                      flush=True)
                results.append({"variant": variant, "n": n, "step": step, "seconds": seconds, "peak_mb": peak,
                                "ok": code == 0})
            if not args.keep:
                source.unlink(missing_ok=True)
    print("\ngrowth exponent of wall time between sizes (1.0 = linear)")
    for variant in args.variant:
        for step in args.steps:
            runs = sorted((r["n"], r["seconds"]) for r in results if r["variant"] == variant and r["step"] == step
                          and r["ok"])
            for (n1, t1), (n2, t2) in zip(runs, runs[1:]):
                print(f"{variant:<10} {step:<14} {n1:>9,} -> {n2:>9,}: {math.log(t2 / t1) / math.log(n2 / n1):.2f}")
    (args.work / "results.json").write_text(json.dumps(results, indent=1))
    if not args.keep:
        for variant in args.variant:
            for n in args.sizes:
                shutil.rmtree(args.work / f"{variant}_{n}", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
