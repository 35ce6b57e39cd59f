"""Fuzz of the ingest stage: seed-layout files, most intact, the rest damaged in known ways.

Each damaged file is one source article with one kind of damage (:data:`DAMAGES`): random
bytes (a whole file, or a block overwriting part of one), truncation, bit flips, NUL bytes (a
run, several runs, or one inside a word), a legacy encoding, CR-only line ends, repetitions.
:func:`evaluate` joins the ingest report to what was done to each file.

    .venv/bin/python bench/fuzz_ingest.py [--files 2000] [--intact 0.8] [--seed 0] [--source DIR]

Sources: ../shared/corpus/dev_seeds when present, else seeds/. Generated files go to a
temporary folder that is removed afterwards (never commit them). tests/test_fuzz.py runs a
reduced version of the same generator on invented articles.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]

DAMAGES = ("random_bytes", "truncation", "bit_flips", "nul_run", "legacy_encoding", "cr_only", "repetition")
#: legacy encodings tried in turn; the first that can encode the whole text is used
LEGACY = ("cp1251", "koi8-r", "iso-8859-5", "mac-cyrillic", "cp1254", "cp1252", "utf-16", "utf-16-le")


def _random_bytes(data: bytes, rng: random.Random) -> bytes:
    if rng.random() < 0.5:  # a binary file saved under a text name
        return bytes(rng.randrange(256) for _ in range(rng.randrange(64, 4096)))
    size = rng.randrange(8, max(9, len(data) // 20))  # a damaged block, at most ~5 % of the file
    at = rng.randrange(len(data) // 2, len(data))
    return data[:at] + bytes(rng.randrange(256) for _ in range(size)) + data[at + size:]


def _truncation(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


def _bit_flips(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def _nul_run(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice([1, 1, 2, 3])):
        at = rng.randrange(1, len(out))
        if rng.random() < 0.3:  # one NUL inside a word
            out[at:at] = b"\x00"
        elif rng.random() < 0.5:
            out[at:at] = b"\x00" * rng.randint(2, 300)  # a run inserted
        else:
            size = rng.randint(2, 64)
            out[at:at + size] = b"\x00" * size  # a run overwriting bytes
    return bytes(out)


def _legacy_encoding(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8")
    names = list(LEGACY)
    start = rng.randrange(2)  # cp1251 or koi8-r first for Cyrillic text
    for name in names[start:] + names[:start]:
        try:
            return text.encode(name)
        except UnicodeEncodeError:
            continue
    raise AssertionError("utf-16 encodes every text")


def _cr_only(data: bytes, rng: random.Random) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r")


def _repetition(data: bytes, rng: random.Random) -> bytes:
    if rng.random() < 0.5:
        return data * rng.randint(2, 3)  # the whole file saved twice or three times
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    return b"\n".join(lines[:i] + [lines[i]] * rng.randint(2, 20) + lines[i:])


_DAMAGE_FUNCTIONS = {"random_bytes": _random_bytes, "truncation": _truncation, "bit_flips": _bit_flips,
                     "nul_run": _nul_run, "legacy_encoding": _legacy_encoding, "cr_only": _cr_only,
                     "repetition": _repetition}


def _numbered(data: bytes, number: int) -> bytes:
    """The article with `` [number]`` after its title (both title lines), so that no two
    generated files hold the same article: an exact repeat would hide what a reader did (the
    copies are still one article read twice by ingest's same-article rule, which the fuzz turns
    off with ``same_article=1.1``)."""
    lines = data.decode("utf-8").split("\n")
    title = lines[0]
    for i in range(min(3, len(lines))):
        if lines[i] == title:
            lines[i] = f"{title} [{number}]"
    return "\n".join(lines).encode("utf-8")


def make_fuzz_files(sources: list[bytes], folder, n_files: int, intact: float = 0.8,
                    seed: int = 0) -> pd.DataFrame:
    """Write ``n_files`` files into ``folder``; return one row per file: ``file``, ``source``
    (index into ``sources``; sources are UTF-8 seed-layout files), ``damage`` (``intact`` or one of :data:`DAMAGES`), ``bytes_changed``
    (whether damage changed the bytes at all: a bit flip may not)."""
    rng = random.Random(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    n_intact = round(n_files * intact)
    damages = ["intact"] * n_intact + [DAMAGES[i % len(DAMAGES)] for i in range(n_files - n_intact)]
    rng.shuffle(damages)
    rows = []
    for number, damage in enumerate(damages):
        source = rng.randrange(len(sources))
        data = _numbered(sources[source], number)
        out = data if damage == "intact" else _DAMAGE_FUNCTIONS[damage](data, rng)
        path = folder / f"{number:05d}_{damage}.txt"
        path.write_bytes(out)
        rows.append({"file": str(path), "source": source, "damage": damage, "bytes_changed": out != data})
    return pd.DataFrame(rows)


def damage_detectable(data: bytes) -> bool:
    """Whether a damaged file carries visible damage: invalid UTF-8, NUL or control bytes."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text)


#: the decoding notes (toolkit.decode) that say bytes were repaired
REPAIR_NOTE = r"NUL byte|invalid byte sequence|control character|truncated UTF-8|decoded as"


def evaluate(files: pd.DataFrame, result, reference_texts: dict | None = None) -> pd.DataFrame:
    """Per damage kind: files, reported (every file has exactly one report row), in the corpus,
    in the corpus with a warning, rejected, exact duplicates, unexpected errors (crashes of a
    reader), files whose damage is visible in the bytes (invalid UTF-8, NUL or control bytes:
    a bit flip may turn one letter into another) and how many of those were loaded with a
    decoding note that counts the repair, and — with ``reference_texts`` (source index -> cleaned text of the intact
    article) — how many loaded texts equal the intact one."""
    report = result.report.set_index("file")
    joined = files.join(report, on="file")
    joined["reported"] = joined["file"].map(result.report["file"].value_counts()).fillna(0).eq(1)
    joined["in_corpus"] = joined["n_articles"].fillna(0) > 0
    joined["warned"] = joined["in_corpus"] & joined["warnings"].notna()
    joined["exact_duplicate"] = (joined["status"] == "duplicate") & ~joined["in_corpus"]
    joined["crash"] = joined["reason"].fillna("").str.startswith("unexpected error")
    joined["detectable"] = [damage_detectable(Path(f).read_bytes()) for f in joined["file"]]
    joined["repair_noted"] = joined["in_corpus"] & joined["warnings"].fillna("").str.contains(REPAIR_NOTE)
    if reference_texts is not None:
        text_of = result.corpus.groupby("source_file")["text"].first()
        loaded = joined["file"].map(text_of)
        joined["same_text"] = [isinstance(t, str) and t == reference_texts.get(s)
                               for t, s in zip(loaded, joined["source"])]
    agg = {"files": ("file", "size"), "reported": ("reported", "sum"), "in_corpus": ("in_corpus", "sum"),
           "with_warning": ("warned", "sum"), "rejected": ("status", lambda s: int((s == "rejected").sum())),
           "exact_duplicate": ("exact_duplicate", "sum"), "crashes": ("crash", "sum"),
           "detectable": ("detectable", "sum"),
           "detectable_repair_noted": ("repair_noted", lambda s: int(s[joined.loc[s.index, "detectable"]].sum()))}
    if reference_texts is not None:
        agg["same_text"] = ("same_text", "sum")
    table = joined.groupby("damage").agg(**agg)
    return table.astype(int)


def _sources(folder: Path) -> list[bytes]:
    return [p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")]


def main(argv=None) -> int:
    sys.path.insert(0, str(ROOT))
    import toolkit

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--intact", type=float, default=0.8)
    parser.add_argument("--seed", type=int, default=0)
    default = ROOT.parent / "shared" / "corpus" / "dev_seeds"
    parser.add_argument("--source", type=Path, default=default if default.is_dir() else ROOT / "seeds")
    args = parser.parse_args(argv)
    sources = _sources(args.source)
    reference = toolkit.ingest(args.source).corpus
    by_file = dict(zip(reference["source_file"], reference["text"]))
    names = sorted(p for p in args.source.iterdir() if p.is_file() and not p.name.startswith("."))
    reference_texts = {i: by_file.get(str(p)) for i, p in enumerate(names)}
    with tempfile.TemporaryDirectory() as tmp:
        files = make_fuzz_files(sources, tmp, args.files, args.intact, args.seed)
        start = time.perf_counter()
        result = toolkit.ingest(tmp, same_article=1.1)  # copies of one source: counted per file
        seconds = time.perf_counter() - start
        table = evaluate(files, result, reference_texts)
    print(f"{args.files} files from {len(sources)} sources in {args.source} (seed {args.seed}); "
          f"ingest {seconds:.1f} s; {len(result.report)} report rows for {len(files)} files")
    print(table.to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
