"""Wall and CPU seconds of notebooks 00 and 01's measures, in the notebooks' order, on a snapshot.

Each step is the notebooks' call (``toolkit.cache.measure`` / ``cache.table``, partitions on
``$TOOLKIT_JOBS`` forked workers as in ``toolkit report``) into an empty cache folder of its own;
CPU seconds are user + system of this process and its forked workers. The snapshot is one of
``bench/bench_scale.py``'s generated corpora (never commit them):

    .venv/bin/python bench/bench_measures.py SNAPSHOT [--collocations 20,20]

``--collocations`` gives the ``n`` of notebook 00's and notebook 01's collocations tables (before
issue 14's measures round the notebooks asked 15 and 20: two tables). To compare two versions of
the toolkit, run it with ``PYTHONPATH`` pointing at each checkout; prints one JSON line.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot")
    parser.add_argument("--collocations", default="20,20", help="n of notebook 00's and 01's collocations")
    args = parser.parse_args(argv)
    first_n, second_n = (int(n) for n in args.collocations.split(","))
    started, started_cpu = time.perf_counter(), cpu_seconds()
    try:
        import toolkit
    except ImportError:  # run from a checkout without PYTHONPATH
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        import toolkit
    from toolkit import cache
    from toolkit.mentions import mentioning

    rows: dict[str, tuple[float, float]] = {"import": (round(time.perf_counter() - started, 2),
                                                       round(cpu_seconds() - started_cpu, 2))}

    def step(name, call):
        wall, cpu = time.perf_counter(), cpu_seconds()
        result = call()
        rows[name] = (round(time.perf_counter() - wall, 2), round(cpu_seconds() - cpu, 2))
        return result

    with tempfile.TemporaryDirectory(prefix="bench-measures-") as folder:
        options = dict(cache=Path(folder))
        corpus = step("read snapshot", lambda: toolkit.load_corpus(args.snapshot))
        step("00 kwic", lambda: cache.measure("kwic", toolkit.kwic, corpus, query="Карабах", window=8, **options))
        tokens = step("00 tokens", lambda: cache.measure("tokens", toolkit.tokenize, corpus, **options))
        step(f"00 collocations n={first_n}", lambda: cache.table("collocations", toolkit.collocations, tokens,
                                                                 measure="llr", min_count=2, n=first_n, **options))
        step("00 actors", lambda: cache.measure("actors", toolkit.actors, corpus, **options))
        step("01 tokens (cached)", lambda: cache.measure("tokens", toolkit.tokenize, corpus, **options))
        step("01 kwic (cached)", lambda: cache.measure("kwic", toolkit.kwic, corpus, query="Карабах", window=8,
                                                       **options))
        step(f"01 collocations n={second_n}", lambda: cache.table("collocations", toolkit.collocations, tokens,
                                                                  measure="llr", min_count=2, n=second_n, **options))
        contexts = step("01 mentioning", lambda: cache.measure("mentioning", mentioning, corpus,
                                                               actor_ids=["azerbaijan", "armenia"], unit="sentence",
                                                               **options))
        step("01 keyness", lambda: cache.table("keyness", toolkit.keyness, contexts, by="context", target="azerbaijan",
                                               reference="armenia", **options))
    rows["total"] = (round(time.perf_counter() - started, 2), round(cpu_seconds() - started_cpu, 2))
    out = {"toolkit": toolkit.__file__, "snapshot": args.snapshot, "load": os.getloadavg(), "rows": rows}
    print(json.dumps(out, ensure_ascii=False))
    return out


if __name__ == "__main__":
    main()
