"""Command line: ``python -m toolkit report|ingest|teaching`` (also the ``toolkit`` script)."""
from __future__ import annotations

import argparse
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="toolkit", description="Karabakh media-analysis toolkit")
    sub = parser.add_subparsers(dest="command", required=True)

    rep = sub.add_parser("report", help="run the notebooks on a corpus and write the report folder")
    rep.add_argument("--corpus", default="seeds", help="folder of articles or a .parquet snapshot")
    rep.add_argument("--out", default="build", help="output folder")
    rep.add_argument("--only", action="append", help="run only this notebook (e.g. 02_topics); repeatable")
    rep.add_argument("--seed", type=int, default=0)

    ing = sub.add_parser("ingest", help="read article files into a Parquet corpus snapshot")
    ing.add_argument("paths", nargs="+")
    ing.add_argument("--out", required=True, help="snapshot path, e.g. corpus.parquet")

    args = parser.parse_args(argv)
    if args.command == "report":
        from .report import NotebookError, run_report

        try:
            run_report(args.corpus, args.out, only=args.only, seed=args.seed)
        except (NotebookError, ValueError, FileNotFoundError) as exc:
            print(f"[toolkit] error: {exc}", file=sys.stderr)
            return 1
        return 0
    if args.command == "ingest":
        from pathlib import Path

        from .ingest import ingest
        from .snapshot import save_corpus

        result = ingest(args.paths)
        out = save_corpus(result.corpus, args.out)
        report_path = Path(out).with_name(Path(out).stem + ".report.csv")
        result.report.to_csv(report_path, index=False)
        print(result.summary().to_string(index=False))
        print(f"[toolkit] {len(result.corpus)} articles -> {out}; report -> {report_path}")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
