"""Command line: ``python -m toolkit report|ingest|teaching`` (also the ``toolkit`` script)."""
from __future__ import annotations

import argparse
import sys


class ProgressBar:
    """``progress(done, total)`` callback drawing a text bar on stderr.

    Drawn when ``force`` is true, or (``force=None``) for runs of ``min_total`` files or more.
    """

    def __init__(self, force: bool | None = None, min_total: int = 20, width: int = 30, stream=None):
        self.force, self.min_total, self.width = force, min_total, width
        self.stream = stream if stream is not None else sys.stderr
        self._drawn = None

    def __call__(self, done: int, total: int) -> None:
        if self.force is False or (self.force is None and total < self.min_total) or total <= 0:
            return
        filled = self.width * done // total
        if (filled, done == total) == self._drawn:
            return
        self._drawn = (filled, done == total)
        bar = "#" * filled + "-" * (self.width - filled)
        end = "\n" if done == total else ""
        self.stream.write(f"\r[toolkit] ingest [{bar}] {done}/{total} files{end}")
        self.stream.flush()


def report_line(report) -> str:
    """One line: files loaded, duplicates, rejected by reason."""
    counts = report["status"].value_counts()
    rejected = report.loc[report["status"] == "rejected", "reason"].fillna("")
    reasons = rejected.str.split(r"[:(;]", regex=True).str[0].str.strip().value_counts()
    line = (f"{int(counts.get('loaded', 0))} files loaded, {int(counts.get('duplicate', 0))} duplicate, "
            f"{int(counts.get('rejected', 0))} rejected")
    if len(reasons):
        line += " (" + ", ".join(f"{r}: {n}" for r, n in reasons.items()) + ")"
    return line


def _ingest_command(args, parser) -> int:
    """``python -m toolkit ingest``: exit 0 when articles were saved, 1 when nothing could be
    loaded (every reason printed), 2 for a wrong argument (a bad ``--column``)."""
    from pathlib import Path

    from .corpus import ingest
    from .snapshot import save_corpus

    columns = {}
    for pair in args.column:
        theirs, sep, ours = pair.partition("=")
        if not sep or not theirs.strip() or not ours.strip():
            parser.error(f"--column wants THEIRS=OURS (e.g. headline=title), not {pair!r}")
        columns[theirs.strip()] = ours.strip()
    from .snapshot import _is_folder_target

    bar = ProgressBar(force=args.progress)
    stream = _is_folder_target(args.out)
    try:
        result = ingest(args.paths, columns=columns or None, progress=bar, n_jobs=args.jobs,
                        out=args.out if stream else None)
    except ValueError as exc:  # a mapping that names a wrong column: the user's to fix
        print(f"[toolkit] error: {exc}", file=sys.stderr)
        return 2
    print(result.summary().to_string(index=False))
    print(f"[toolkit] {report_line(result.report)}")
    loaded = int(result.report["n_articles"].sum())
    if loaded == 0:
        print("[toolkit] error: no article was loaded, nothing written. " + (
            "Reasons:" if len(result.report) else f"No file found in {', '.join(map(str, args.paths))}."),
            file=sys.stderr)
        for row in result.report.itertuples():
            print(f"  {row.file}: {row.status}: {row.reason}", file=sys.stderr)
        if stream:
            from .snapshot import remove_dataset

            remove_dataset(result.dataset)
        return 1
    print(f"[toolkit] {result.country_coverage()}")
    if stream:
        print(f"[toolkit] {loaded} articles -> {result.dataset}/ (partitioned dataset); "
              f"report -> {result.dataset / 'report.csv'}")
        return 0
    out = save_corpus(result.corpus, args.out)
    report_path = Path(out).with_name(Path(out).stem + ".report.csv")
    result.report.to_csv(report_path, index=False)
    print(f"[toolkit] {len(result.corpus)} articles -> {out}; report -> {report_path}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="toolkit", description="Karabakh media-analysis toolkit")
    sub = parser.add_subparsers(dest="command", required=True)

    rep = sub.add_parser("report", help="run the notebooks on a corpus and write the report folder")
    rep.add_argument("--corpus", default="seeds", help="folder of articles or a .parquet snapshot")
    rep.add_argument("--out", default="build", help="output folder")
    rep.add_argument("--only", action="append", help="run only this notebook (e.g. 02_topics); repeatable")
    rep.add_argument("--seed", type=int, default=0)
    rep.add_argument("--scheduler", default=None, metavar="ADDRESS",
                     help="run the measures on Dask: 'processes' (a local cluster of 2 workers) or the tcp:// "
                          "address of a running dask.distributed scheduler; default: in-process")
    rep.add_argument("--cache-dir", default=None, help="where measures are cached (default: beside a snapshot "
                                                       "given as --corpus, else OUT/cache)")
    rep.add_argument("--sides", default=None, metavar="FILE",
                     help="JSON file {outlet domain: side code, e.g. AM, AZ} for notebook 03's naming-index check; "
                          "default: a file named *outlet_sides.json or *outlet_side.json in or beside the corpus folder")
    rep.add_argument("--cell-timeout", type=int, default=None, metavar="SECONDS",
                     help="stop the report when a notebook cell runs longer than this; default: no limit")

    ing = sub.add_parser("ingest", help="read article files into a Parquet corpus snapshot")
    ing.add_argument("paths", nargs="+")
    ing.add_argument("--out", required=True, help="snapshot path, e.g. corpus.parquet; a folder (corpus_dir/) "
                     "streams the articles into a partitioned dataset with bounded memory")
    ing.add_argument("--jobs", type=int, default=None,
                     help="worker processes (default: 2 for a folder --out, else 1)")
    ing.add_argument("--column", action="append", default=[], metavar="THEIRS=OURS",
                     help="rename a table column, e.g. --column headline=title; repeatable")
    ing.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                     help="progress bar on stderr (default: when there are 20 files or more)")

    teach = sub.add_parser("teaching", help="build the student edition (solutions removed)")
    teach.add_argument("--out", default="build/teaching", help="output folder")

    args = parser.parse_args(argv)
    if args.command == "teaching":
        from .report import build_teaching

        for path in build_teaching(args.out):
            print(f"[toolkit] wrote {path}")
        return 0
    if args.command == "report":
        # nbformat's jsonschema imports rfc3987_syntax, when installed, only to check the "iri"
        # string format, which the notebook schema never uses; compiling its grammar took 1-3 s
        # of every report's start (measured on 2026-12-06). This process checks no IRI: skip it.
        sys.modules.setdefault("rfc3987_syntax", None)
        from .report import CorpusError, NotebookError, run_report

        try:
            run_report(args.corpus, args.out, only=args.only, seed=args.seed, scheduler=args.scheduler,
                       cache_dir=args.cache_dir, cell_timeout=args.cell_timeout, sides=args.sides)
        except CorpusError as exc:  # nothing to analyse: exit 2 before any notebook ran, no folder left
            print(f"[toolkit] error: {exc}", file=sys.stderr)
            return 2
        except (NotebookError, ValueError, FileNotFoundError, ConnectionError) as exc:
            print(f"[toolkit] error: {exc}", file=sys.stderr)
            return 1
        return 0
    if args.command == "ingest":
        return _ingest_command(args, parser)
    return 2


if __name__ == "__main__":
    sys.exit(main())
