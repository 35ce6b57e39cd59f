"""Targeted (entity-oriented) tone: the tone of a sentence toward one marked target in it.

Reads a frame of sentences with the target's character offsets (``text``, ``start``, ``end``,
``language``) and returns it with ``label`` (-1, 0, 1) and ``score`` in [-1, 1] toward that
target. Two methods: a logistic regression trained on RuSentNE-2023 (Russian; shipped as open
weights in ``toolkit/models/``, rebuilt by ``scripts/train_targeted_tone.py``), and a transparent
windowed lexicon (lexicon words near the target, weighted by distance, with negation).
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from functools import lru_cache, partial

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from ._data import data_path
from .languages import codes, resolve_languages
from .morphology import lemmatizer_for, normalize_form
from .resources import with_resources
from .tokens import WORD

TARGETED_COLUMNS = ["label", "score", "method"]
METHODS = ("auto", "model", "lexicon")
#: languages each method has been validated on (see README: "Targeted tone"); others get NaN. Read
#: from the language profiles (``targeted`` in toolkit/data/languages.csv): the model's languages
#: also take the lexicon method
MODEL_LANGUAGES = codes(targeted="model")
LEXICON_LANGUAGES = codes(targeted=("model", "lexicon"))
#: feature groups of the model (each measured on its own in the training script)
FEATURE_GROUPS = ("sentence", "window", "marker", "role", "lexicon", "negation", "chars", "syntax", "embedding",
                  "state")
#: groups that need natasha's Russian models (slovnet syntax parser, navec word vectors)
NATASHA_GROUPS = ("syntax", "embedding", "state")
MODEL_NAME = "targeted_tone_ru"

_CLAUSE_BREAK = re.compile(r"[,;:()«»\"„“”—–]|\s-\s")
_WINDOW = 8          # words each side of the target that count as "near"
_CHAR_CONTEXT = 40   # characters each side of the target for character n-grams
_TARGET = "<T>"


# ------------------------------------------------------------------ sentence analysis

@lru_cache(maxsize=None)
def _tag_of(lower: str, language: str) -> tuple[str, str]:
    """(part of speech, grammatical case) of a ru/uk word form by pymorphy3's first parse."""
    from .morphology import _analyzer

    tag = _analyzer(language).parse(lower)[0].tag
    return str(tag.POS or ""), str(tag.case or "")


@lru_cache(maxsize=4096)
def _analyse(text: str, language: str) -> tuple:
    """Tokens of one sentence: (start, end, lower form, lemma, clause number)."""
    lemma_of = lemmatizer_for(language)
    tokens = []
    clause = 0
    last = 0
    for match in WORD.finditer(text):
        clause += len(_CLAUSE_BREAK.findall(text, last, match.start()))
        last = match.end()
        lower = normalize_form(match.group().lower())
        tokens.append((match.start(), match.end(), lower, lemma_of(lower), clause))
    return tuple(tokens)


def _negator_table(language: str) -> dict[str, int]:
    from .tone import _negators

    return _negators(language)


def _lexicon_value(language: str):
    """``lemma -> polarity in [-1, 1]`` for the lexicon method (ru/uk: the team's lexicons;
    en: VADER's valences / 4); an empty mapping for any other language."""
    from . import tone

    if language in tone.LEXICON_LANGUAGES:
        return tone.lexicon(language)
    if language == "en":
        return _vader_values()
    return {}


@lru_cache(maxsize=1)
def _vader_values() -> dict[str, float]:
    """VADER's valences / 4, built once (7,500 words: rebuilding them for every English mention
    was a tenth of the targeted tone's time)."""
    from . import tone

    return {w: v / tone.SCALE for w, v in tone._vader().lexicon.items()}


def _split(tokens, start: int, end: int):
    """Indices of the tokens left of, inside and right of the target span."""
    inside = [i for i, t in enumerate(tokens) if t[0] < end and t[1] > start]
    left = [i for i, t in enumerate(tokens) if t[1] <= start]
    right = [i for i, t in enumerate(tokens) if t[0] >= end]
    return left, inside, right


_PASSIVE_EN = frozenset({"was", "were", "is", "are", "been", "be", "being", "got", "get"})


@lru_cache(maxsize=None)
def _opinion_verbs(language: str) -> frozenset:
    """Lemmas of ``lexicons/opinion_verbs.csv`` for ``language`` (verbs whose subject holds the opinion)."""
    from .resources import load_resource

    table = load_resource("opinion_verbs").table()
    lemma_of = lemmatizer_for(language)
    return frozenset(lemma_of(normalize_form(w.lower())) for w in table.loc[table["lang"] == language, "word"])


def _holder_verb(tokens, inside, language: str):
    """Index of the opinion verb whose subject the target is ("[X] accused Y", "[X] thanked Y"),
    or None: the verb follows the target within 4 words of its clause, the target is nominative
    (ru/uk; pymorphy3's first parse) and, in English, no passive auxiliary stands between."""
    verbs = _opinion_verbs(language)
    if not inside or not verbs:
        return None
    if language in ("ru", "uk") and _tag_of(tokens[inside[0]][2], language)[1] not in ("nomn", ""):
        return None
    last = inside[-1]
    for i in range(last + 1, min(last + 5, len(tokens))):
        if tokens[i][4] != tokens[last][4] or (language == "en" and tokens[i][2] in _PASSIVE_EN):
            return None
        if tokens[i][3] in verbs and (language not in ("ru", "uk")
                                      or _tag_of(tokens[i][2], language)[0] in ("VERB", "INFN", "GRND")):
            return i
    return None


def _without_voiced_opinion(text: str, start: int, end: int, language: str) -> str:
    """``text`` without the opinion the target voices: when the target is the subject of a verb
    of judging ("[Azerbaijan] accused Armenia of shelling"), the verb and the rest of its
    clause are cut out ("Azerbaijan ."), since they evaluate someone else. The target keeps its
    offsets (it stands before the cut). Other texts are returned unchanged."""
    tokens = _analyse(text, language)
    _, inside, _ = _split(tokens, start, end)
    holder = _holder_verb(tokens, inside, language)
    if holder is None:
        return text
    clause = tokens[holder][4]
    last = max(i for i in range(holder, len(tokens)) if tokens[i][4] == clause)
    return text[:tokens[holder][0]] + text[tokens[last][1]:]


def _bucket(distance: int) -> str:
    return "1" if distance <= 1 else "2" if distance <= 2 else "4" if distance <= 4 else "8"


def _polarities(tokens, language: str, lex) -> list[float]:
    """Lexicon polarity of every token, flipped (x -0.74) after a negator as in :mod:`toolkit.tone`."""
    from .tone import NEGATION_SCALAR

    negators = _negator_table(language)
    out = []
    last_negator, reach = -100, 0
    words = [t[2] for t in tokens] if language == "en" else [t[3] for t in tokens]
    for i, (tok, word) in enumerate(zip(tokens, words)):
        if tok[2] in negators:
            last_negator, reach = i, negators[tok[2]]
            out.append(0.0)
            continue
        value = lex.get(word, 0.0)
        if value and i - last_negator <= reach:
            value *= NEGATION_SCALAR
        out.append(value)
    return out


@lru_cache(maxsize=1)
def _natasha():
    """natasha's Russian news models (MIT; shipped inside the ``natasha`` wheel, registered in
    ``toolkit/data/resources.csv``): the navec word vectors and the slovnet dependency parser.
    Loaded from files only, never downloaded."""
    from navec import Navec
    from slovnet import Syntax

    from .resources import _resolve_registry_path, registry

    table = registry().set_index("name")
    try:
        navec_path, syntax_path = (_resolve_registry_path(table.loc[name, "path"])
                                   for name in ("navec_news_v1", "slovnet_syntax_news_v1"))
    except FileNotFoundError as error:
        raise ImportError("the targeted-tone model's syntax/embedding features need the 'natasha' package, "
                          "whose wheel ships the models: pip install natasha") from error
    navec = Navec.load(navec_path)
    syntax = Syntax.load(syntax_path)
    syntax.navec(navec)
    syntax.infer.model.encoder = _StateRecorder(syntax.infer.model.encoder)
    return navec, syntax


class _StateRecorder:
    """slovnet's CNN encoder (its computation, unchanged), keeping every token's contextual state
    for the ``state`` feature group (:func:`_state_vectors`): the outputs of its three
    convolution layers (256 + 128 + 64 units, seeing 3, 5 and 7 tokens; Kukushkin, natasha
    project), stored as float16 to halve their memory."""

    def __init__(self, encoder):
        self.encoder = encoder
        self.batches: list[np.ndarray] = []

    def __call__(self, input, mask):
        # slovnet.exec.model.CNNEncoder.__call__, recording each layer's output
        input = np.swapaxes(input, 2, 1)
        mask = np.expand_dims(mask, axis=1)
        layers = []
        for layer in self.encoder.layers:
            input = layer(input)
            input[mask.repeat(input.shape[1], axis=1)] = 0
            layers.append(np.swapaxes(input, 2, 1).astype(np.float16))
        self.batches.append(np.concatenate(layers, axis=-1))
        return np.swapaxes(input, 2, 1)


_PARSES: dict[str, tuple] = {}
#: the parser's contextual token states of the texts in ``_PARSES`` (tokens x 448, float16)
_STATES: dict[str, np.ndarray] = {}
#: keys of the slovnet batches whose parses are in ``_PARSES`` (see :func:`parse_sentences`)
_BATCHES: set[bytes] = set()


def _batch_key(batch: list[str]) -> bytes:
    return hashlib.sha256("\x00".join(batch).encode("utf-8", "surrogatepass")).digest()


def parse_sentences(texts, n_jobs: int = 1, blas_threads: int | None = 1) -> None:
    """Dependency-parse ``texts`` in batches (slovnet) into the cache :func:`_parse` reads.

    slovnet pads the sentences of a batch to the longest one, and a parse can change with its
    batch-mates (measured: 5 of 567 Russian sentences when their order was shuffled). So the
    batches are always cut from this call's distinct texts, in order, whatever was parsed
    before, and a batch is parsed again unless this very batch was parsed already: a text's
    parse depends on the call's texts only, not on the history of the process (a partition
    scored in a Dask worker gets the parses it gets in-process). ``n_jobs`` forked processes
    parse runs of whole batches, so the parses do not depend on ``n_jobs`` either.
    ``blas_threads``: BLAS threads of the parser's matrix products (1: a parse does not depend on
    the machine's thread count, measured to change 5 of 1,064 parses between 1 and 2 threads, nor
    on whether it runs in a Dask worker, where BLAS has one thread; None: the library default,
    which the training recipe of the shipped model used, so that it rebuilds byte for byte).

    Examples
    --------
    >>> parse_sentences(["Армения обвинила Азербайджан."])  # doctest: +SKIP
    >>> [(word, relation) for _, _, word, _, relation in _parse("Армения обвинила Азербайджан.")][:2]  # doctest: +SKIP
    [('Армения', 'nsubj'), ('обвинила', 'root')]
    """
    from .parallel import forked_map

    unique = list(dict.fromkeys(texts))
    if not unique:
        return
    if len(_PARSES) > 200_000:
        forget_parses()
    _, syntax = _natasha()  # loaded here: forked workers share it
    size = syntax.batch_size
    batches = [unique[start:start + size] for start in range(0, len(unique), size)]
    todo = [batch for batch in batches if _batch_key(batch) not in _BATCHES]
    if not todo:
        return
    n_texts = sum(len(batch) for batch in todo)
    n_jobs = max(1, min(n_jobs, n_texts // MIN_ROWS_PER_JOB))
    per_chunk = max(1, -(-len(todo) // (max(1, n_jobs) * 4)))   # whole batches per forked task
    chunks = [sum(todo[start:start + per_chunk], []) for start in range(0, len(todo), per_chunk)]
    for chunk, (parses, states) in zip(chunks, forked_map(partial(_parse_batches, blas_threads=blas_threads),
                                                           chunks, n_jobs)):
        _PARSES.update(zip(chunk, parses))
        _STATES.update(zip(chunk, states))
    _BATCHES.update(_batch_key(batch) for batch in todo)


def forget_parses() -> None:
    """Empties the parse cache (parses, parser states, batch keys); the next call parses again."""
    _PARSES.clear()
    _STATES.clear()
    _BATCHES.clear()


def sentence_parts(texts, part_size: int | None = None) -> np.ndarray:
    """Part number of each text when a long call is scored in parts of ``part_size`` distinct
    texts (default :data:`PART_SENTENCES`, rounded up to whole parser batches), parts cut from
    the distinct texts in order of first appearance.

    Each part's texts fall into the very batches the whole call would have cut (a part is a run
    of whole batches of the call's distinct texts, see :func:`parse_sentences`), so scoring part
    by part gives the scores of one call, while only one part's parses and parser states
    (about 20 KB per Russian sentence) are held at a time.

    Examples
    --------
    With slovnet's batches of 8 texts, parts of 8: the ninth distinct text starts part 1, and a
    repeated text stays in the part of its first appearance.

    >>> sentence_parts([f"s{i}" for i in range(10)] + ["s0"], part_size=8).tolist()  # doctest: +SKIP
    [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0]
    """
    size = _natasha()[1].batch_size
    part_size = -(-(part_size or PART_SENTENCES) // size) * size
    unique = pd.unique(pd.Series(list(texts), dtype=object))
    number = {text: i // part_size for i, text in enumerate(unique)}
    return np.array([number[text] for text in texts], dtype=np.int64)


def _parse_batches(texts: list[str], blas_threads: int | None = None) -> tuple[list[tuple], list[np.ndarray]]:
    """(start, end, word, head index or -1, relation) of the tokens of each text (slovnet), and
    the parser's contextual token states of each text (:class:`_StateRecorder`), with BLAS
    limited to ``blas_threads`` threads (None: no limit)."""
    if blas_threads is not None:
        with threadpool_limits(limits=blas_threads):
            return _parse_batches(texts)
    from razdel import tokenize

    _, syntax = _natasha()
    spans = [[(tok.start, tok.stop, tok.text) for tok in tokenize(text)] for text in texts]
    parses = []
    recorder = syntax.infer.model.encoder
    recorder.batches.clear()
    for toks, markup in zip(spans, syntax.map([[w for _, _, w in toks] for toks in spans])):
        heads = [int(tok.head_id) - 1 for tok in markup.tokens]
        rels = [tok.rel for tok in markup.tokens]
        parses.append(tuple((a, b, w, h, r) for (a, b, w), h, r in zip(toks, heads, rels)))
    # slovnet encodes the texts in batches of batch_size, in order: one recorded array per batch
    size = syntax.batch_size
    states = [batch[k, :len(toks)] for batch, first in zip(recorder.batches, range(0, len(spans), size))
              for k, toks in enumerate(spans[first:first + size])]
    recorder.batches.clear()
    return parses, states


def _parse(text: str) -> tuple:
    """Tokens of a parsed sentence: (start, end, word, head index or -1, relation)."""
    if text not in _PARSES:
        parse_sentences([text])
    return _PARSES[text]


def _states(text: str) -> np.ndarray:
    """The parser's contextual states of the tokens of :func:`_parse` (tokens x 448)."""
    if text not in _STATES:
        parse_sentences([text])
    return _STATES[text]


# ------------------------------------------------------------------ the lexicon method

def lexicon_score(text: str, start: int, end: int, language: str) -> float:
    """Distance-weighted lexicon polarity of the words near a target, in [-1, 1].

    Each lexicon word within ``_WINDOW`` words of the target and in the same clause counts
    ``polarity / distance``; words in other clauses count half; the sum ``s`` is squashed
    as ``s / sqrt(s^2 + 1)``. When the target is the subject of a verb of judging
    (``lexicons/opinion_verbs.csv``: "[X] accused Y of shelling"), that verb and the rest of
    its clause are not counted: they evaluate Y. NaN when the language has no lexicon; 0 when
    no word is near.

    Examples
    --------
    >>> lexicon_score("Армения провела варварский обстрел.", 0, 7, "ru") < 0
    True
    >>> lexicon_score("Армения осудила варварский обстрел.", 0, 7, "ru")   # Armenia holds the opinion
    0.0
    """
    lex = _lexicon_value(language)
    if not lex:
        return math.nan
    text = _without_voiced_opinion(text, start, end, language)
    tokens = _analyse(text, language)
    left, inside, right = _split(tokens, start, end)
    polarity = _polarities(tokens, language, lex)
    anchor_clause = tokens[inside[0]][4] if inside else tokens[left[-1]][4] if left else 0
    total = 0.0
    for distance, i in _near(left, right):
        weight = 1.0 / distance if tokens[i][4] == anchor_clause else 0.5 / distance
        total += weight * polarity[i]
    return total / math.sqrt(total * total + 1.0)


def _near(left, right, window: int = _WINDOW):
    """(distance, index) of the tokens within ``window`` words of the target, both sides."""
    near = [(d, i) for d, i in enumerate(reversed(left[-window:]), start=1)]
    return near + [(d, i) for d, i in enumerate(right[:window], start=1)]


# ------------------------------------------------------------------ model features

def _l2(features: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in features.values()))
    return {k: v / norm for k, v in features.items()} if norm else features


def target_features(text: str, start: int, end: int, language: str,
                    groups=FEATURE_GROUPS) -> dict[str, float]:
    """Sparse features of one target in one sentence, by group (names prefixed ``group:``).

    Groups (see the README's table of their cross-validated value):
    ``sentence`` — lemmas of the whole sentence (the TF-IDF baseline's view);
    ``window`` — lemmas within 8 words of the target, with side, distance bucket and
    same-clause flag; ``marker`` — word 2- and 3-grams of the sentence with the target replaced
    by ``<T>`` (``обвинить <T>``, ``<T> обвинить``), plus the target's own lemmas;
    ``role`` — the target's grammatical case and whether it stands before or after each
    evaluative verb of its clause (``X обвинил Y``: X nominative before, Y accusative after);
    ``lexicon`` — distance-weighted positive and negative lexicon polarity near the target,
    in its clause, in the sentence, and inside the target itself; ``negation`` — a negator
    near the target and negated lemmas; ``chars`` — character 3-5-grams of 40 characters each
    side of the target, the target itself replaced by ``§``; ``syntax`` — the target's
    dependency relation, head word (with its lexicon sign), the head's head, siblings and
    modifiers (slovnet parser); ``embedding`` — navec vectors of the words near the target,
    of the target and of its head; ``state`` — the slovnet parser's contextual states of the
    target, its head and the sentence (:func:`_state_vectors`). Each sparse group is L2-normalised on its own so that no
    group dominates by size. All groups read the sentence without the opinion the target
    voices (:func:`_without_voiced_opinion`: "[X] accused Y of ..." is read as "X .").
    """
    features, dense, at = _target_features(text, start, end, language, groups)
    if not dense:
        return features
    items = list(features.items())
    out = dict(items[:at])
    for part, vector in dense:
        out.update(zip(_embedding_names(part, len(vector)), vector.tolist()))
    out.update(items[at:])
    return out


def _target_features(text: str, start: int, end: int, language: str, groups) -> tuple[dict, list, int]:
    """:func:`target_features` in parts: the sparse features, the navec vectors ``(part,
    vector)`` of the ``embedding`` group, and the position among the sparse features where the
    vectors' features go (the model's matrix takes the vectors whole, without a name per value)."""
    text = _without_voiced_opinion(text, start, end, language)
    tokens = _analyse(text, language)
    left, inside, right = _split(tokens, start, end)
    features: dict[str, float] = {}
    groups = set(groups)
    anchor_clause = tokens[inside[0]][4] if inside else tokens[left[-1]][4] if left else 0
    if "sentence" in groups:
        features.update(_l2({f"sentence:{t[3]}": 1.0 for t in tokens}))
    if "window" in groups:
        window = {}
        for side, idx in (("L", list(reversed(left))), ("R", right)):
            for distance, i in enumerate(idx[:_WINDOW], start=1):
                same = "c" if tokens[i][4] == anchor_clause else "x"
                window[f"window:{side}{_bucket(distance)}{same}:{tokens[i][3]}"] = 1.0
                window[f"window:{tokens[i][3]}"] = 1.0
        features.update(_l2(window))
    if "marker" in groups:
        seq = [tokens[i][3] for i in left] + [_TARGET] + [tokens[i][3] for i in right]
        pos = len(left)
        marker = {}
        for n in (2, 3):
            for first in range(max(0, pos - n + 1), min(pos, len(seq) - n) + 1):
                marker["marker:" + " ".join(seq[first:first + n])] = 1.0
        for i in inside:
            marker[f"marker:T={tokens[i][3]}"] = 1.0
        features.update(_l2(marker))
    lex = _lexicon_value(language) if groups & {"role", "lexicon", "negation"} else {}
    polarity = _polarities(tokens, language, lex) if lex else [0.0] * len(tokens)
    if "role" in groups and language in ("ru", "uk"):
        role = {}
        case = _tag_of(tokens[inside[0]][2], language)[1] if inside else ""
        role[f"role:case={case}"] = 1.0
        for i, tok in enumerate(tokens):
            if polarity[i] == 0.0 or tok[4] != anchor_clause or i in inside:
                continue
            if _tag_of(tok[2], language)[0] not in ("VERB", "INFN", "PRTF", "PRTS", "GRND"):
                continue
            sign = "+" if polarity[i] > 0 else "-"
            side = "before" if inside and i > inside[-1] else "after"
            role[f"role:{side}{sign}"] = 1.0
            role[f"role:{side}{sign}:{case}"] = 1.0
            role[f"role:{side}:{tok[3]}"] = 1.0
        features.update(_l2(role))
    if "lexicon" in groups:
        near = {"pos": 0.0, "neg": 0.0}
        for distance, i in _near(left, right):
            value = polarity[i] / distance
            near["pos" if value > 0 else "neg"] += abs(value)
        clause = [polarity[i] for i, t in enumerate(tokens) if t[4] == anchor_clause and i not in inside]
        rest = [p for i, p in enumerate(polarity) if i not in inside]
        own = [polarity[i] for i in inside]
        for name, values in (("clause", clause), ("sentence", rest), ("target", own)):
            near[name + "_pos"] = sum(v for v in values if v > 0)
            near[name + "_neg"] = -sum(v for v in values if v < 0)
        features.update({f"lexicon:{k}": v for k, v in near.items() if v})
    if "negation" in groups:
        negators = _negator_table(language)
        negation = {}
        for distance, i in _near(left, right, 4):
            if tokens[i][2] in negators:
                negation["negation:near"] = 1.0
        for i, tok in enumerate(tokens[:-1]):
            if tok[2] in negators:
                negation[f"negation:not_{tokens[i + 1][3]}"] = 1.0
        features.update(_l2(negation))
    if "syntax" in groups and language == "ru":
        features.update(_l2(_syntax_features(text, start, end, language)))
    dense, at = [], len(features)
    if "embedding" in groups and language == "ru":
        dense = _embedding_vectors(text, tokens, left, inside, right)
    if "state" in groups and language == "ru":
        dense = dense + _state_vectors(text, start, end)
    if "chars" in groups:
        context = (text[max(0, start - _CHAR_CONTEXT):start] + "§" + text[end:end + _CHAR_CONTEXT]).lower()
        chars = {}
        for n in (3, 4, 5):
            for first in range(len(context) - n + 1):
                chars["chars:" + context[first:first + n]] = 1.0
        features.update(_l2(chars))
    return features, dense, at


#: word -> its navec vector (None: not in navec's vocabulary), decoded once per process
_VECTORS: dict = {}


def _vector(navec, word: str):
    """navec's vector of ``word`` (None when unknown), decoded once per process (:data:`_VECTORS`)."""
    if word not in _VECTORS and len(_VECTORS) > 500_000:
        _VECTORS.clear()
    return _VECTORS[word] if word in _VECTORS else _VECTORS.setdefault(word, navec.get(word))


def _mean_vector(navec, words_weights):
    total, weight = np.zeros(300), 0.0
    for word, w in words_weights:
        vector = _vector(navec, word)
        if vector is not None:
            total += w * vector
            weight += w
    norm = np.linalg.norm(total)
    return total / norm if weight and norm else None


def _embedding_vectors(text, tokens, left, inside, right) -> list[tuple[str, np.ndarray]]:
    """navec vectors (unit length) of: the words within 5 of the target weighted 1/distance
    (``w``), the target's own words (``t``), and the target's syntactic head (``h``), as
    ``(part, vector)`` pairs (a part without a known word is left out)."""
    navec, _ = _natasha()
    out = []
    parts = {"w": [(tokens[i][2], 1.0 / d) for d, i in _near(left, right, 5)],
             "t": [(tokens[i][2], 1.0) for i in inside]}
    parse = _parse(text)
    span = [i for i, t in enumerate(parse) if inside and t[0] < tokens[inside[-1]][1] and t[1] > tokens[inside[0]][0]]
    root = next((i for i in span if parse[i][3] not in span), None)
    if root is not None and 0 <= parse[root][3] < len(parse):
        parts["h"] = [(normalize_form(parse[parse[root][3]][2].lower()), 1.0)]
    for name, words in parts.items():
        vector = _mean_vector(navec, words)
        if vector is not None:
            out.append((name, vector))
    return out


@lru_cache(maxsize=None)
def _embedding_names(part: str, size: int) -> tuple[str, ...]:
    """Feature names ``embedding:{part}{k}`` of one navec vector, or ``{part}{k}`` when ``part``
    names its own group (``state:t``; formatted once, not per mention)."""
    prefix = part if ":" in part else f"embedding:{part}"
    return tuple(f"{prefix}{k}" for k in range(size))


def _target_tokens(parse, start: int, end: int) -> tuple[list[int], int, int]:
    """The target's tokens in a parse (those overlapping ``[start, end)``), its root (the token
    whose head lies outside the target) and the root's head; -1 for a root or head that is not
    there.

    >>> _target_tokens([(0, 3, "Баку", 1, "nsubj"), (4, 9, "обвинил", -1, "root")], 0, 4)
    ([0], 0, 1)
    """
    inside = [i for i, t in enumerate(parse) if t[0] < end and t[1] > start]
    if not inside:
        return inside, -1, -1
    root = next((i for i in inside if parse[i][3] not in inside), inside[0])
    head = parse[root][3]
    return inside, root, head if 0 <= head < len(parse) else -1


def _state_vectors(text: str, start: int, end: int) -> list[tuple[str, np.ndarray]]:
    """The slovnet parser's contextual states (unit length, :class:`_StateRecorder`) of the
    target's tokens (mean, ``state:t``), its syntactic head (``state:h``) and the whole sentence
    (mean, ``state:s``). Unlike a navec vector (the ``embedding`` group), a state reads the 3
    tokens each side of its word: it says how the word is used ("удары по [X]", "[X] нанесла
    удар"). Added to the model after nested CV (README: contextual states)."""
    parse, states = _parse(text), _states(text)
    inside, _, head = _target_tokens(parse, start, end)
    vectors = []
    if inside:
        vectors.append(("state:t", states[inside].astype(np.float64).mean(axis=0)))
        if head >= 0:
            vectors.append(("state:h", states[head].astype(np.float64)))
    if len(parse):
        vectors.append(("state:s", states.astype(np.float64).mean(axis=0)))
    out = []
    for part, vector in vectors:
        norm = float(np.linalg.norm(vector))
        if norm:
            out.append((part, vector / norm))
    return out


def _syntax_features(text: str, start: int, end: int, language: str) -> dict[str, float]:
    """The target's dependency relation, its head word (and that word's lexicon sign), the head's
    head, and the target's dependents, from the slovnet parse of the sentence."""
    parse = _parse(text)
    lemma_of = lemmatizer_for(language)
    lex = _lexicon_value(language)
    inside, root, head = _target_tokens(parse, start, end)
    if not inside:
        return {}
    out = {f"syntax:rel={parse[root][4]}": 1.0}

    def lemma(i):
        return lemma_of(normalize_form(parse[i][2].lower()))

    if head >= 0:
        head_lemma = lemma(head)
        value = lex.get(head_lemma, 0.0)
        sign = "+" if value > 0 else "-" if value < 0 else "0"
        out[f"syntax:head={head_lemma}"] = 1.0
        out[f"syntax:{parse[root][4]}>{head_lemma}"] = 1.0
        out[f"syntax:{parse[root][4]}>{sign}"] = 1.0
        grand = parse[head][3]
        if 0 <= grand < len(parse):
            out[f"syntax:grand={lemma(grand)}"] = 1.0
            out[f"syntax:{parse[head][4]}>>{lemma(grand)}"] = 1.0
        for j, tok in enumerate(parse):   # siblings: the other arguments of the same head
            if tok[3] == head and j != root and j not in inside and tok[4] in ("nsubj", "obj", "iobl", "obl", "nmod"):
                out[f"syntax:sibling_{tok[4]}={lemma(j)}"] = 1.0
    for j, tok in enumerate(parse):       # the target's own modifiers
        if tok[3] in inside and j not in inside and tok[4] not in ("punct", "case"):
            child = lemma(j)
            out[f"syntax:child={child}"] = 1.0
            value = lex.get(child, 0.0)
            if value:
                out["syntax:child" + ("+" if value > 0 else "-")] = 1.0
    return out


def marked_window(text: str, start: int, end: int, chars: int = 80) -> str:
    """The target in brackets with ``chars`` characters each side: the encoder's input."""
    return text[max(0, start - chars):start] + "[" + text[start:end] + "]" + text[end:end + chars]


# ------------------------------------------------------------------ the shipped model

class TargetedToneModel:
    """A linear model over :func:`target_features`, loaded from open files (no pickle).

    ``vocabulary`` (feature names in column order), ``coef`` (classes x features),
    ``intercept``, ``classes`` (-1, 0, 1), ``class_weights`` (multipliers of the class
    probabilities before the arg-max, tuned in cross-validation for F1_PN), ``groups``.
    """

    def __init__(self, vocabulary, coef, intercept, classes, class_weights, groups, meta=None):
        self.vocabulary = list(vocabulary)
        self.index = {name: i for i, name in enumerate(self.vocabulary)}
        self._dense: dict[tuple, tuple] = {}   # (embedding part, size) -> known columns (_dense_columns)
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.classes = np.asarray(classes, dtype=np.int64)
        self.class_weights = np.asarray(class_weights, dtype=np.float64)
        self.groups = tuple(groups)
        self.meta = dict(meta or {})
        self.resources = []   # the registry entries of the files it was read from

    @classmethod
    def load(cls, name: str = MODEL_NAME, folder=None) -> "TargetedToneModel":
        """Read ``<name>.json`` (vocabulary, hyperparameters, provenance) and ``<name>.npz``
        (weights) from ``folder`` (default: the package's ``toolkit/models``, through the
        resource registry, so that results record the files' SHA-256)."""
        from pathlib import Path

        from .resources import load_resource

        if folder is None:
            resources = [load_resource("model", name=f"{name}_{part}") for part in ("vocabulary", "weights")]
            paths = [data_path(*r.path.split("/")) for r in resources]
        else:
            resources, paths = [], [Path(folder) / f"{name}.json", Path(folder) / f"{name}.npz"]
        meta = json.loads(paths[0].read_text(encoding="utf-8"))
        with np.load(paths[1], allow_pickle=False) as arrays:
            coef, intercept = arrays["coef"], arrays["intercept"]
        model = cls(meta["vocabulary"], coef, intercept, meta["classes"], meta["class_weights"], meta["groups"], meta)
        model.resources = resources
        return model

    def matrix(self, rows, n_jobs: int = 1, parsed: bool = False) -> "scipy.sparse.csr_matrix":  # noqa: F821
        """Sparse feature matrix of ``(text, start, end, language)`` rows in the model's columns;
        parsed and featurised in ``n_jobs`` forked processes (the same matrix whatever ``n_jobs``).
        ``parsed``: the rows' texts were parsed by the caller (a forked worker's slice)."""
        from scipy import sparse

        from .parallel import forked_map

        global _ROWS
        rows = list(rows)
        if set(self.groups) & set(NATASHA_GROUPS) and not parsed:
            parse_sentences([text for text, _, _, language in rows if language == "ru"], n_jobs)
        n_jobs = max(1, min(n_jobs, len(rows) // MIN_ROWS_PER_JOB))
        if n_jobs > 1:
            step = -(-len(rows) // (n_jobs * 4))
            _ROWS = (self, rows)
            try:
                parts = list(forked_map(_matrix_rows, [(a, min(a + step, len(rows))) for a in range(0, len(rows), step)],
                                        n_jobs))
            finally:
                _ROWS = None
            return sparse.vstack(parts, format="csr")
        indptr, index_parts, value_parts = [0], [], []
        for text, start, end, language in rows:
            features, dense, at = _target_features(text, start, end, language, self.groups)
            items = list(features.items())
            # entries in target_features' order (a row's sum, and so its probabilities, follow it);
            # the dense vectors go in as arrays (thousands of values a row: no Python float each)
            size = self._add_named(items[:at], index_parts, value_parts)
            for part, vector in dense:
                columns, known = self._dense_columns(part, len(vector))
                index_parts.append(columns)
                value_parts.append(vector[known])
                size += len(columns)
            size += self._add_named(items[at:], index_parts, value_parts)
            indptr.append(indptr[-1] + size)
        indices = np.concatenate(index_parts) if index_parts else np.zeros(0, dtype=np.int64)
        values = np.concatenate(value_parts) if value_parts else np.zeros(0)
        return sparse.csr_matrix((values.astype(np.float64), indices.astype(np.int64),
                                  np.asarray(indptr, dtype=np.int64)), shape=(len(indptr) - 1, len(self.vocabulary)))

    def _add_named(self, items, index_parts: list, value_parts: list) -> int:
        """Appends the columns and values of the named features the model knows, as two arrays;
        returns how many."""
        index = self.index
        indices, values = [], []
        for name, value in items:
            column = index.get(name)
            if column is not None:
                indices.append(column)
                values.append(value)
        index_parts.append(np.asarray(indices, dtype=np.int64))
        value_parts.append(np.asarray(values, dtype=np.float64))
        return len(indices)

    def _dense_columns(self, part: str, size: int) -> tuple[list, np.ndarray]:
        """Columns of the features ``embedding:{part}0..size-1`` the model knows, and which of them it knows."""
        key = (part, size)
        if key not in self._dense:
            found = [self.index.get(name) for name in _embedding_names(part, size)]
            self._dense[key] = (np.asarray([c for c in found if c is not None], dtype=np.int64),
                                np.asarray([c is not None for c in found]))
        return self._dense[key]

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities (softmax of ``X @ coef.T + intercept``), columns in ``classes`` order."""
        logits = np.asarray(X @ self.coef.T) + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def decide(self, proba: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Labels (arg-max of the re-weighted probabilities) and scores (P(positive) - P(negative))."""
        labels = self.classes[np.argmax(proba * self.class_weights, axis=1)]
        positive = proba[:, list(self.classes).index(1)]
        negative = proba[:, list(self.classes).index(-1)]
        return labels, positive - negative


#: distinct sentences whose parses are held at once when :func:`targeted_sentiment` scores a
#: long call in parts (:func:`sentence_parts`; 20,000 Russian sentences hold about 0.5 GB)
PART_SENTENCES = 20_000
#: rows whose feature matrix is built at once (5,000 rows: about 180 MB)
PART_ROWS = 5_000
#: fewest rows per process worth a parallel feature matrix
MIN_ROWS_PER_JOB = 200
#: the model and rows of the running parallel :meth:`TargetedToneModel.matrix`, inherited by
#: its forked workers (which then receive only row bounds)
_ROWS: tuple | None = None


def _matrix_rows(bounds) -> "scipy.sparse.csr_matrix":  # noqa: F821
    model, rows = _ROWS
    # parsed by the parent call: a worker parsing its slice again would cut other batches, and
    # the parser's states (the ``state`` group) change with their batch-mates
    return model.matrix(rows[bounds[0]:bounds[1]], parsed=True)


@lru_cache(maxsize=None)
def _model(name: str = MODEL_NAME) -> TargetedToneModel:
    return TargetedToneModel.load(name)


# ------------------------------------------------------------------ public function

def _check_frame(frame: pd.DataFrame) -> None:
    missing = [c for c in ("text", "start", "end") if c not in frame]
    if missing:
        raise ValueError(f"targeted_sentiment needs columns text, start, end (and language); missing: {missing}")
    if frame.empty:
        return
    lengths = frame["text"].map(lambda t: len(t) if isinstance(t, str) else -1)
    bad = (frame["start"] < 0) | (frame["end"] <= frame["start"]) | (frame["end"] > lengths)
    if bad.any():
        first = frame.index[bad.to_numpy()][0]
        raise ValueError(f"{int(bad.sum())} rows have start/end outside their text (first: row {first!r}); "
                         "offsets are characters of `text`, end exclusive")


def targeted_sentiment(frame: pd.DataFrame, *, method: str = "auto", n_jobs: int = 1) -> pd.DataFrame:
    """Tone of each sentence toward its marked target (not toward the whole sentence).

    Parameters
    ----------
    frame : DataFrame with ``text`` (one sentence), ``start`` and ``end`` (character offsets of
        the target in ``text``, end exclusive) and ``language`` (ISO 639-1). Any other
        columns (``doc_id``, ``segment_id``, metadata) are kept as they are. Without a
        ``language`` column, or where it is missing, the language rule applies
        (:func:`toolkit.languages.resolve_languages`: detected from ``text``, per ``doc_id``
        when there is one; ``ValueError`` when no text's language can be told).
    method : ``"model"`` — logistic regression trained on RuSentNE-2023 (Golubev et al. 2023),
        Russian only; ``"lexicon"`` — distance-weighted lexicon polarity near the target
        (:func:`lexicon_score`; ru, uk, en); ``"auto"`` (default) — the model for Russian, the
        lexicon for Ukrainian and English (validated on the team's labelled sentences, see
        README), nothing elsewhere. A language a method was not validated on gets NaN.
    n_jobs : processes (forked) that parse the sentences and compute the model's features; the
        scores do not depend on it.

    Returns
    -------
    The same rows and columns (``language`` added or filled by the language rule) plus
    ``label`` (nullable Int64: -1, 0, 1; missing when unscored),
    ``score`` (float in [-1, 1]; model: P(positive) - P(negative); lexicon: squashed
    weighted polarity; NaN when unscored) and ``method`` (string: ``"model"`` or ``"lexicon"``,
    the method that scored the row; missing when unscored). The two methods share the scale but
    not their validation (README), so compare groups within a method.

    Examples
    --------
    >>> df = pd.DataFrame({"text": ["Азербайджан обвинил Армению в обстреле."], "start": [20], "end": [27],
    ...                    "language": ["ru"]})
    >>> int(targeted_sentiment(df)["label"].iloc[0])
    -1
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    _check_frame(frame)
    out = frame.copy()
    if len(frame) and ("language" not in frame or frame["language"].isna().any()):
        # the one language rule (0.1 left every row without a language unscored, silently)
        out["language"] = resolve_languages(frame, group="doc_id" if "doc_id" in frame else None).astype("category")
    languages = out["language"].astype("string").fillna("und").to_numpy() if "language" in out \
        else np.array(["und"] * len(frame), dtype=object)
    labels = np.full(len(frame), -2, dtype=np.int64)
    scores = np.full(len(frame), np.nan)
    use_model = np.array([(method in ("auto", "model")) and lang in MODEL_LANGUAGES for lang in languages], dtype=bool)
    use_lexicon = np.array([(method == "lexicon" or (method == "auto" and lang not in MODEL_LANGUAGES))
                            and lang in LEXICON_LANGUAGES for lang in languages], dtype=bool)
    texts, starts, ends = frame["text"].to_numpy(), frame["start"].to_numpy(), frame["end"].to_numpy()
    if use_model.any():
        # the model reads capitals (word shapes, the parser): all-caps headlines in sentence case
        texts = np.array([sentence_case(t, int(a), int(b)) if m else t
                          for t, a, b, m in zip(texts, starts, ends, use_model)], dtype=object)
        model = _model()
        chosen = np.flatnonzero(use_model)
        parsed = bool(set(model.groups) & set(NATASHA_GROUPS))
        # in parts of whole parser batches, each in slices of rows: one part's parses and states and
        # one slice's feature rows at a time (the whole call's rows of 120,000 mentions held 12 GB);
        # the parts are cut from the texts the parser reads (the model's language)
        parts = sentence_parts(texts[chosen]) if parsed else np.zeros(len(chosen), dtype=np.int64)
        for part in range(int(parts.max()) + 1):
            if part:
                forget_parses()
            at = chosen[parts == part]
            if parsed:
                parse_sentences([texts[i] for i in at], n_jobs)
            for first in range(0, len(at), PART_ROWS):   # feature rows: ~2,300 values (36 KB) each
                block = at[first:first + PART_ROWS]
                rows = [(texts[i], int(starts[i]), int(ends[i]), languages[i]) for i in block]
                labels[block], scores[block] = model.decide(model.predict_proba(model.matrix(rows, n_jobs, parsed=True)))
    if use_lexicon.any():
        threshold = _lexicon_threshold()
        for i in np.flatnonzero(use_lexicon):
            value = lexicon_score(texts[i], int(starts[i]), int(ends[i]), languages[i])
            scores[i] = value
            labels[i] = 0 if abs(value) < threshold else (1 if value > 0 else -1)
    out["label"] = pd.array(np.where(labels == -2, None, labels).tolist(), dtype="Int64")
    out["score"] = scores
    out["method"] = pd.array(np.where(use_model, "model", np.where(use_lexicon, "lexicon", None)), dtype="string")
    return with_resources(out, *_resources_used(set(languages[use_model]), set(languages[use_lexicon])))


#: a text is written in capitals when at least this share of its cased letters (and 10 of them) are
SHOUTING = 0.8


def sentence_case(text: str, start: int, end: int) -> str:
    """A text written in capitals (headlines, slogans: :data:`SHOUTING`) in sentence case, the target
    (``text[start:end]``) and the first letter capitalised; any other text unchanged. The model's
    features read capitals (the parser's word shapes), and «АЗЕРБАЙДЖАН ОБВИНИЛ АРМЕНИЮ В ОБСТРЕЛЕ»
    scored −0.15 toward Armenia where the same sentence in sentence case scores −0.68 (as written:
    −0.73). Offsets stay valid: nothing is done when lower-casing changes the length.

    >>> sentence_case("АЗЕРБАЙДЖАН ОБВИНИЛ АРМЕНИЮ В ОБСТРЕЛЕ.", 20, 27)
    'Азербайджан обвинил Армению в обстреле.'
    >>> sentence_case("Азербайджан обвинил Армению.", 20, 27)
    'Азербайджан обвинил Армению.'
    """
    upper = sum(map(str.isupper, text))
    if upper < 10 or upper < SHOUTING * (upper + sum(map(str.islower, text))):
        return text
    lower = text.lower()
    if len(lower) != len(text):
        return text
    first = next((i for i, ch in enumerate(lower) if ch.isalpha()), 0)
    chars = list(lower)
    for i in {first, *(i for i in range(start, end) if i == start or not lower[i - 1].isalpha())}:
        if 0 <= i < len(chars):
            chars[i] = chars[i].upper()
    return "".join(chars)


def _resources_used(model_languages, lexicon_languages) -> list:
    """Registry entries behind the scores: the model's files, natasha's models and the lexicons
    (the model's features read the lexicon too)."""
    from .resources import load_resource
    from .tone import sentiment_resource

    used = list(_model().resources) + [load_resource("negators")] if model_languages or lexicon_languages else []
    if model_languages and set(_model().groups) & set(NATASHA_GROUPS):
        used += [load_resource("model", name=name) for name in ("navec_news_v1", "slovnet_syntax_news_v1")]
    for language in sorted(model_languages | lexicon_languages):
        resource = sentiment_resource(language)
        if resource is not None:
            used.append(resource)
    return used


@lru_cache(maxsize=1)
def _lexicon_threshold() -> float:
    """|score| below which the lexicon method says neutral (tuned on RuSentNE's training split
    for F1_PN, stored with the model's hyperparameters)."""
    return float(_model().meta["lexicon_threshold"])
