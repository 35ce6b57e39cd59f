"""Framing stage: which frames each unit uses, and which side's vocabulary it names things with.

Reads a corpus or segments DataFrame, returns per-unit tables: frame scores from the
dictionaries in ``lexicons/frames.csv`` and contested-naming counts from ``lexicons/naming.csv``
(terms weighted by their strength, context rules from ``lexicons/naming_context.csv``), with the
naming index and its check against outlets of known side. All are plain CSV files a scholar edits
without code, or replaces by passing their own.
"""
from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from .languages import profile
from .matching import TermMatcher, cached_matcher
from .resources import load_resource, with_resources
from .schema import META_COLUMNS
from .tokens import WORD
from .units import carry, make_units

SIDES = ("armenian", "azerbaijani")
_QUOTED = re.compile(r"«[^«»\n]{1,400}»|“[^“”\n]{1,400}”|„[^„“”\n]{1,400}[“”]|\"[^\"\n]{1,400}\"|‘[^‘’\n]{1,400}’"
                     r"|「[^「」\n]{1,400}」|『[^『』\n]{1,400}』"
                     r"|(?<!\w)'[^'\n]{1,120}'(?!\w)")


# ------------------------------------------------------------------------------ frames
def frame_names(lexicon=None) -> list[str]:
    """The frames of the frame dictionary (``lexicons/frames.csv`` by default) in file order."""
    return list(dict.fromkeys(load_resource("frames", lexicon).table()["frame"]))


def _frame_entries(table: pd.DataFrame, language: str):
    part = table[table["lang"] == language]
    return list(zip(part["term"], part["frame"]))


def _frame_matcher(language: str, resource=None):
    # ru/uk terms are lemmas, en terms are stemmed like the text; others match as written
    resource = load_resource("frames", resource)
    return cached_matcher(resource, language, profile(language).uses_lemmas, _frame_entries)


def frames(corpus_or_units: pd.DataFrame, *, unit: str | None = None, per: int | None = 1000,
           lexicon=None) -> pd.DataFrame:
    """Frame scores per unit.

    Each frame's dictionary term found in a unit counts once per occurrence (a phrase and a word
    inside it count once, longest first).

    Parameters
    ----------
    corpus_or_units : a corpus, or units from :func:`toolkit.make_units` (used as they are).
    unit : ``"article"`` (default for a corpus), ``"paragraph"`` or ``"sentence"``.
    per : scores are matches per ``per`` words (1000 by default: comparable across long and
        short texts); ``None`` gives raw counts.
    lexicon : None for the packaged ``lexicons/frames.csv``, or a user's file with the columns
        ``frame, lang, term`` (or a :class:`toolkit.resources.Resource` / DataFrame).

    Returns
    -------
    DataFrame ``doc_id``, ``segment_id``, ``language``, ``n_words``, one column per frame
    (``conflict``, ``human_interest``, ..., ``terrorism_separatism``), then the metadata columns
    (:data:`toolkit.schema.META_COLUMNS`). Units in a language without frame dictionaries get
    missing scores (not zeros). ``attrs["resources"]`` names the dictionary used.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "language": ["ru"], "text": ["Гуманитарная помощь и прекращение огня."]})
    >>> frames(df, per=None)[["humanitarian", "peace_process", "military"]].values.tolist()
    [[1, 1, 0]]
    """
    resource = load_resource("frames", lexicon)
    table = resource.table()
    names = list(dict.fromkeys(table["frame"]))
    covered = set(table["lang"])
    frame = make_units(corpus_or_units, unit)
    rows = []
    for text, language in zip(frame["text"].fillna(""), frame["language"].astype(str)):
        n_words = len(WORD.findall(text))
        if language not in covered:  # no dictionary for this language: unknown, not zero
            rows.append({"n_words": n_words, **dict.fromkeys(names, np.nan)})
            continue
        counts = dict.fromkeys(names, 0)
        for name, _, _, _ in _frame_matcher(language, resource).find(text, overlap="per_label"):
            counts[name] += 1
        if per is not None:
            counts = {k: (v * per / n_words if n_words else np.nan) for k, v in counts.items()}
        rows.append({"n_words": n_words, **counts})
    values = pd.DataFrame(rows, columns=["n_words", *names])
    return with_resources(carry(frame, values), resource)


# ------------------------------------------------------------------------------ naming
_CONTEXT_CHARS = 80
# Arabic/Persian ؟ ends a sentence like ?; Chinese and Japanese ends need no space after them; the
# period of a one-letter abbreviation (ე.წ., т.н.) or of Polish tzw. ('so-called') does not
_SENTENCE_END = re.compile(r"(?<!\b[^\W\d_])(?<!\btzw)\.(?=\s|$)|[!?։؟](?=\s|$)|[。！？\n]")


def _pairs_table(resource) -> pd.DataFrame:
    table = resource.table()
    bad_side = sorted(set(table["side"]) - set(SIDES))
    if bad_side:
        raise ValueError(f"{resource.name}: side must be one of {SIDES}, not {bad_side}")
    strength = pd.to_numeric(table["strength"], errors="coerce")
    bad = table.loc[strength.isna() | (strength < 0.5) | (strength >= 1), "term"]
    if len(bad):
        raise ValueError(f"{resource.name}: strength must be a number in [0.5, 1) (terms {bad.tolist()[:5]})")
    table["strength"] = strength.astype(float)
    table["weight"] = np.log(table["strength"] / (1 - table["strength"]))
    return table


def naming_pairs(pairs=None) -> pd.DataFrame:
    """The naming lexicon: one row per term.

    Parameters
    ----------
    pairs : None for the packaged ``lexicons/naming.csv``, or a user's file with the same
        columns, a DataFrame, or a :class:`toolkit.resources.Resource`.

    Returns
    -------
    DataFrame ``pair``, ``side`` (armenian | azerbaijani), ``lang``, ``term`` (surface form, ``*``
    = prefix), ``strength`` (float in [0.5, 1): how surely an article using the term comes from
    that side's outlets, the prior a scholar sets; see ``lexicons/README.md``), ``rationale`` and
    ``note`` (package file), plus ``weight`` = log(strength / (1 - strength)), the term's log-odds.
    """
    return _pairs_table(load_resource("naming", pairs))


def _context_table(resource) -> pd.DataFrame:
    table = resource.table()
    bad = sorted(set(table["effect"]) - {"skip", "flip"})
    if bad:
        raise ValueError(f"{resource.name}: effect must be 'skip' or 'flip', not {bad}")
    for number, row in table.iterrows():
        if not (row["before"] or row["mention"] or row["after"]):
            raise ValueError(f"{resource.name}: rule {number} ({row['rule']}) has no before, mention or after pattern")
        for column in ("before", "mention", "after"):
            try:
                re.compile(row[column])
            except re.error as error:
                raise ValueError(f"{resource.name}: rule {number} ({row['rule']}), {column}: {error}") from None
    return table


def naming_context(context=None) -> pd.DataFrame:
    """The context rules of the naming index (``lexicons/naming_context.csv`` by default, or a
    user's file, DataFrame or Resource with its columns: ``rule``, ``lang``, ``pair``, ``side``,
    ``before``, ``mention``, ``after``, ``effect`` (skip | flip)); every pattern is checked to compile."""
    return _context_table(load_resource("naming_context", context))


class _NamingLexicon:
    """The compiled naming lexicon: matcher over all terms, weights, context rules."""

    def __init__(self, pairs: pd.DataFrame, context: pd.DataFrame):
        self.pairs = pairs
        # one label per (pair, side, term); overlaps are resolved per (pair, side), longest first
        self.matcher = TermMatcher(list(zip(pairs["term"], zip(pairs["pair"], pairs["side"], pairs["term"]))),
                                   "any", use_lemmas=False, script_rules=True)
        self.weight = {(p, s, t): w for p, s, t, w in zip(pairs["pair"], pairs["side"], pairs["term"], pairs["weight"])}
        self.rules = [(r["rule"], r["pair"], r["side"],
                       re.compile(f"(?:{r['before']})$", re.I) if r["before"] else None,
                       re.compile(r["mention"], re.I) if r["mention"] else None,
                       re.compile(r["after"], re.I) if r["after"] else None, r["effect"])
                      for _, r in context.iterrows()]

    def context_of(self, text: str, pair: str, side: str, start: int, end: int, quoted: bool):
        """``(context, effect)``: the first rule that matches, else ``('quoted', 'skip')`` for a
        quoted term, else ``('', 'count')``."""
        before = text[max(0, start - _CONTEXT_CHARS):start]
        cuts = list(_SENTENCE_END.finditer(before))
        before = before[cuts[-1].end():] if cuts else before
        after = text[end:end + _CONTEXT_CHARS]
        cut = _SENTENCE_END.search(after)
        after = after[:cut.start()] if cut else after
        mention = text[start:end]
        for rule, rule_pair, rule_side, before_re, mention_re, after_re, effect in self.rules:
            if rule_pair not in ("*", pair) or rule_side not in ("*", side):
                continue
            if before_re is not None and not before_re.search(before):
                continue
            if mention_re is not None and not mention_re.search(mention):
                continue
            if after_re is not None and not after_re.match(after):
                continue
            return rule, effect
        return ("quoted", "skip") if quoted else ("", "count")


_COMPILED: dict[tuple[str, str], _NamingLexicon] = {}


def _naming_resources(pairs=None, context=None):
    """The naming lexicon and rules as resources, and their compiled form (cached by SHA-256)."""
    pairs_resource, context_resource = load_resource("naming", pairs), load_resource("naming_context", context)
    key = (pairs_resource.sha256, context_resource.sha256)
    if key not in _COMPILED:
        _COMPILED[key] = _NamingLexicon(_pairs_table(pairs_resource), _context_table(context_resource))
    return pairs_resource, context_resource, _COMPILED[key]


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]


def _shadowed(found) -> list[bool]:
    """True for a match that another match covers: inside a longer one of any pair ("so-called
    Armenian genocide" covers "Armenian genocide"; "Artsakh authorities" covers "Artsakh"), or on the
    same words as a longer term of the same side (Արցախ* and արցախցի* on արցախցիներին)."""
    shadowed = []
    for i, ((p, s, t), _, a, b) in enumerate(found):
        hidden = False
        for j, ((p2, s2, t2), _, a2, b2) in enumerate(found):
            if j == i or not (a2 <= a and b <= b2):
                continue
            if (b2 - a2) > (b - a) or (s2 == s and (len(t2), -j) > (len(t), -i)):
                hidden = True
                break
        shadowed.append(hidden)
    return shadowed


def _other_side(side: str) -> str:
    return SIDES[1] if side == SIDES[0] else SIDES[0]


_MENTION_COLUMNS = ["pair", "side", "term", "mention", "start", "end", "quoted", "context", "counted_side",
                    "weight"]


#: the last few results of :func:`_naming_hits`, keyed by the lexicon and the texts: naming()
#: and naming_mentions() of the same units (as a notebook asks for both) match them once
_HITS: dict = {}
_HITS_KEPT = 4


def _naming_hits(frame: pd.DataFrame, lexicon: _NamingLexicon):
    """Naming terms in each unit of ``frame``: a table of hits and the unit position of each."""
    key = (id(lexicon), tuple(frame["text"].fillna("")))
    if key not in _HITS:
        if len(_HITS) >= _HITS_KEPT:
            _HITS.pop(next(iter(_HITS)))
        _HITS[key] = _find_naming_hits(frame, lexicon)
    values, positions = _HITS[key]
    return values.copy(), list(positions)


def _find_naming_hits(frame: pd.DataFrame, lexicon: _NamingLexicon):
    rows, positions = [], []
    for position, text in enumerate(frame["text"].fillna("")):
        found = lexicon.matcher.find(text, overlap="per_label", group=lambda label: label[:2])
        if not found:
            continue
        quotes = _quoted_spans(text)
        for (label, mention, start, end), dropped in zip(found, _shadowed(found)):
            if dropped:
                continue
            pair, side, term = label
            # quoted when any quotation overlaps the term: «антитеррористические» мероприятия
            quoted = any(a < end and start < b for a, b in quotes)
            rule, effect = lexicon.context_of(text, pair, side, start, end, quoted)
            counted = None if effect == "skip" else (side if effect == "count" else _other_side(side))
            weight = lexicon.weight[label] if counted else 0.0
            rows.append((pair, side, term, mention, start, end, quoted, rule, counted, weight))
            positions.append(position)
    values = pd.DataFrame(rows, columns=_MENTION_COLUMNS)
    return values.astype({"start": "int64", "end": "int64", "quoted": bool, "context": "string",
                          "counted_side": "string", "weight": float}), positions


def naming_mentions(corpus_or_units: pd.DataFrame, *, unit: str | None = None, pairs=None,
                    context=None) -> pd.DataFrame:
    """Every contested-naming term in the texts, with the context that decides whether it counts.

    Terms are matched on surface forms (not lemmas: the Russian lemmatiser turns Шуши into шуша);
    overlapping terms of one pair and side count once, longest first, and a term inside a longer
    term of any pair is dropped ("so-called Armenian genocide", "Artsakh authorities"): the same
    words never count twice.

    Parameters
    ----------
    corpus_or_units : a corpus, or units from :func:`toolkit.make_units` (used as they are).
    unit : ``"article"`` (default for a corpus), ``"paragraph"`` or ``"sentence"``.
    pairs, context : the naming lexicon and its context rules: None for the package files
        (``lexicons/naming.csv``, ``lexicons/naming_context.csv``), a user's file, a DataFrame or
        a :class:`toolkit.resources.Resource`.

    Returns
    -------
    DataFrame, one row per mention: ``doc_id``, ``segment_id``, ``language``, ``pair``, ``side``
    (the term's side in the lexicon), ``term`` (the lexicon entry), ``mention`` (the words in the
    text), ``start``/``end`` (offsets in the unit's text), ``quoted`` (the term overlaps a
    quotation: «антитеррористические мероприятия»), ``context`` ('' = the outlet's own usage;
    else why it does not count as such: ``quoted``, or a rule name of ``naming_context.csv``:
    ``so_called``, ``attributed``, ``neutral``, ``other_war``), ``counted_side`` (the side the
    mention counts for: the term's side, the other side for a ``flip`` rule, missing when
    skipped), ``weight`` (the term's log-odds weight; 0 when skipped), then the metadata columns.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "language": ["en"],
    ...                    "text": ["The Armenian offensive stalled near Khankendi."]})
    >>> naming_mentions(df)[["mention", "context", "counted_side"]].values.tolist()
    [['offensive', 'attributed', <NA>], ['Khankendi', '', 'azerbaijani']]
    """
    pairs_resource, context_resource, lexicon = _naming_resources(pairs, context)
    frame = make_units(corpus_or_units, unit)
    values, positions = _naming_hits(frame, lexicon)
    return with_resources(carry(frame, values, positions), pairs_resource, context_resource)


def naming(corpus_or_units: pd.DataFrame, *, unit: str | None = None, pairs=None, context=None,
           smoothing: float = 1.0) -> pd.DataFrame:
    """Contested naming per unit (article, paragraph or sentence), and the naming index.

    Each counted mention carries its term's weight w = log(strength / (1 - strength)) from the
    lexicon (``strength`` = how surely the term marks one side; Stepanakert ≫ Nagorno-Karabakh).
    Per unit, the evidence for a side is the sum over its (pair, side) groups of mean weight x
    log2(1 + n) for n mentions (a repeated name adds less and less: Salton's log term frequency).
    With A and Z the Armenian- and Azerbaijani-side evidence and s = ``smoothing``::

        naming_log_ratio = ln((A + s) / (Z + s))
        naming_index     = (A - Z) / (A + Z + 2 s) = tanh(naming_log_ratio / 2)   in (-1, 1)

    so one weak mention gives a small index, not ±1.

    Parameters
    ----------
    corpus_or_units : a corpus, or units from :func:`toolkit.make_units` (used as they are: each
        segment gets its own counts).
    unit : ``"article"`` (default for a corpus), ``"paragraph"`` or ``"sentence"``.
    pairs, context : naming lexicon and context rules (see :func:`naming_mentions`).
    smoothing : s above, in units of log-odds evidence (1 = a term of strength 0.73).

    Returns
    -------
    DataFrame, one row per unit, in input order: ``doc_id``, ``segment_id``, ``language``; one
    count column per pair and side (``stepanakert_khankendi__armenian``, ...: mentions counted for
    that side, after context rules); ``armenian``, ``azerbaijani`` (counted mentions per side);
    ``quoted`` (mentions inside quotation marks); ``not_counted`` (mentions set aside by context:
    quoted, attributed, neutral, ...); ``n_mentions`` (mentions with a non-zero weight);
    ``armenian_evidence``, ``azerbaijani_evidence`` (A, Z); ``naming_log_ratio``;
    ``naming_index`` (missing when A + Z = 0); then the metadata columns.
    ``attrs["resources"]`` names the lexicon and rules used.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "language": ["ru"],
    ...                    "text": ["В Ханкенди прошли «антитеррористические мероприятия»."]})
    >>> row = naming(df).iloc[0]
    >>> int(row["armenian"]), int(row["azerbaijani"]), int(row["quoted"]), round(float(row["naming_index"]), 3)
    (0, 1, 1, -0.596)
    """
    if not smoothing > 0:
        raise ValueError(f"smoothing must be > 0, not {smoothing!r}")
    pairs_resource, context_resource, lexicon = _naming_resources(pairs, context)
    frame = make_units(corpus_or_units, unit)
    hits, positions = _naming_hits(frame, lexicon)
    hits["_unit"] = np.asarray(positions, dtype="int64")
    units_index = pd.RangeIndex(len(frame))

    def per_unit(mask: pd.Series) -> np.ndarray:
        return hits[mask].groupby("_unit").size().reindex(units_index, fill_value=0).astype("int64").to_numpy()

    counted = hits["counted_side"].notna()
    columns = [f"{p}__{s}" for p in dict.fromkeys(lexicon.pairs["pair"]) for s in SIDES]
    used = hits[counted]
    out = pd.crosstab(used["_unit"], used["pair"] + "__" + used["counted_side"].astype(str)) if len(used) \
        else pd.DataFrame()
    out = out.reindex(index=units_index, columns=columns, fill_value=0).fillna(0).astype("int64")
    out.columns.name = None
    for side in SIDES:
        out[side] = per_unit(counted & (hits["counted_side"] == side))
    out["quoted"] = per_unit(hits["quoted"])
    out["not_counted"] = per_unit(~counted)
    out["n_mentions"] = per_unit(counted & (hits["weight"] > 0))
    # per (pair, side): mean weight x log2(1 + n), summed per side
    groups = used.groupby(["_unit", "pair", "counted_side"])["weight"]
    evidence = (groups.mean() * np.log2(1 + groups.size())).groupby(level=["_unit", "counted_side"]).sum() \
        .unstack("counted_side").reindex(index=units_index, columns=list(SIDES)).fillna(0.0)
    a, z = evidence["armenian"].to_numpy(float), evidence["azerbaijani"].to_numpy(float)
    out["armenian_evidence"], out["azerbaijani_evidence"] = a, z
    scored = (a + z) > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        out["naming_log_ratio"] = pd.array(np.where(scored, np.log((a + smoothing) / (z + smoothing)), np.nan),
                                           dtype="Float64")
        out["naming_index"] = pd.array(np.where(scored, (a - z) / (a + z + 2 * smoothing), np.nan), dtype="Float64")
    return with_resources(carry(frame, out), pairs_resource, context_resource)


def _auc(positive: np.ndarray, negative: np.ndarray) -> float:
    """ROC AUC = P(score of a positive > score of a negative) + 0.5 P(tie) (Mann-Whitney U / n+ n-)."""
    if not len(positive) or not len(negative):
        return float("nan")
    from scipy.stats import rankdata

    ranks = rankdata(np.concatenate([positive, negative]))
    u = ranks[:len(positive)].sum() - len(positive) * (len(positive) + 1) / 2
    return float(u / (len(positive) * len(negative)))


def naming_auc(table: pd.DataFrame, sides: dict[str, str], *, positive: str = "AM", negative: str = "AZ",
               score: str = "naming_index", n_boot: int = 2000, level: float = 0.95,
               random_state: int = 0) -> dict:
    """How well a naming score separates articles of outlets of two sides, with a bootstrap
    confidence interval over outlets.

    The interval resamples outlets, not articles (articles of one outlet share its vocabulary, so an
    article bootstrap would be too narrow): each replicate draws, with replacement and separately
    for each side, as many outlets as that side has with scored articles, pools their articles and
    computes the AUC; the interval is the replicates' percentile interval (Efron & Tibshirani 1993).

    Parameters
    ----------
    table : one row per article (:func:`naming` or :func:`naming_baseline` output; needs ``outlet``
        and ``score``). Segment tables are refused: score articles (``unit="article"``).
    sides : outlet domain -> side code (e.g. ``{"azatutyun.am": "AM", "apa.az": "AZ"}``).
    positive, negative : the two side codes; a higher score should mean ``positive``.
    score : the column to rank by.
    n_boot, level, random_state : number of bootstrap replicates, interval level, seed.

    Returns
    -------
    dict with ``auc`` (ROC AUC of ``score`` for ``positive`` vs ``negative`` articles; 0.5 = no
    separation, 1 = perfect, ties count half), ``ci_low``, ``ci_high`` (NaN when a side has fewer
    than 2 outlets with a scored article: resampling one outlet always draws the same articles, so
    the interval would look certain whatever the outlets beyond it do), ``n_scored`` (articles of
    the two sides with a score), ``n_articles`` (articles of the two sides), ``coverage``
    (n_scored / n_articles), ``n_outlets`` (outlets with a scored article, both sides),
    ``n_outlets_positive``, ``n_outlets_negative`` (the same per side).

    Examples
    --------
    >>> t = pd.DataFrame({"outlet": ["a.am", "b.am", "c.az", "d.az"], "naming_index": [0.5, 0.2, -0.4, -0.1]})
    >>> r = naming_auc(t, {"a.am": "AM", "b.am": "AM", "c.az": "AZ", "d.az": "AZ"}, n_boot=200)
    >>> r["auc"], r["ci_low"], r["ci_high"], r["n_scored"]
    (1.0, 1.0, 1.0, 4)
    """
    if "segment_id" in table and table["doc_id"].duplicated().any():
        raise ValueError("naming_auc compares articles: pass a table with one row per article (unit='article')")
    for column in ("outlet", score):
        if column not in table:
            raise ValueError(f"naming_auc needs a {column!r} column")
    side = table["outlet"].astype(str).map(sides)
    relevant = table[side.isin([positive, negative])]
    values = pd.to_numeric(relevant[score], errors="coerce").astype(float)
    scored = relevant[values.notna().to_numpy()]
    is_positive = (side.loc[scored.index] == positive).to_numpy()
    scores = values[values.notna()].to_numpy()
    auc = _auc(scores[is_positive], scores[~is_positive])
    outlets = scored["outlet"].astype(str).to_numpy()
    groups = {flag: [scores[(outlets == o)] for o in dict.fromkeys(outlets[is_positive == flag])]
              for flag in (True, False)}
    low = high = float("nan")
    if min(len(groups[True]), len(groups[False])) >= 2 and n_boot > 0:
        rng = np.random.default_rng(random_state)
        replicates = np.empty(n_boot)
        for b in range(n_boot):
            draw = {flag: np.concatenate([groups[flag][i] for i in rng.integers(len(groups[flag]),
                                                                               size=len(groups[flag]))])
                    for flag in (True, False)}
            replicates[b] = _auc(draw[True], draw[False])
        low, high = (float(q) for q in np.quantile(replicates, [(1 - level) / 2, (1 + level) / 2]))
    return {"auc": auc, "ci_low": low, "ci_high": high, "n_scored": int(len(scored)),
            "n_articles": int(len(relevant)),
            "coverage": float(len(scored) / len(relevant)) if len(relevant) else float("nan"),
            "n_outlets": len(groups[True]) + len(groups[False]),
            "n_outlets_positive": len(groups[True]), "n_outlets_negative": len(groups[False])}


def auc_interval(result: dict) -> str:
    """The interval of a :func:`naming_auc` result as printed beside the AUC.

    >>> auc_interval({"ci_low": 0.9, "ci_high": 1.0}), auc_interval({"ci_low": float("nan"), "ci_high": float("nan")})
    ('95 % CI 0.900-1.000', 'no interval: a side has fewer than 2 outlets')
    """
    if math.isnan(result["ci_low"]):
        return "no interval: a side has fewer than 2 outlets"
    return f"95 % CI {result['ci_low']:.3f}-{result['ci_high']:.3f}"


def fit_naming_weights(corpus: pd.DataFrame, sides: dict[str, str], *, positive: str = "AM",
                       negative: str = "AZ", prior_size: float = 20.0, pairs=None, context=None) -> pd.DataFrame:
    """Update the lexicon's strengths with evidence from outlets whose side is known.

    A Beta-binomial update per term: the lexicon's ``strength`` s is the prior mean of
    θ = P(an article using the term comes from the term's side | both sides equally large), worth
    ``prior_size`` outlets; the evidence is how many outlets of each side use the term's
    (pair, side) group in their own voice (context ''), each outlet counted once with the share of
    its articles that use it, and the two sides rescaled to equal numbers of outlets. The posterior
    mean (κ s + u_own) / (κ + u_own + u_other) becomes the new strength, kept in [0.5, 0.99]: data
    can weaken or strengthen a term, never move it to the other side. Counting outlets rather than
    articles keeps one prolific outlet from deciding a weight; the prior keeps a small corpus from
    deciding it (Gelman et al., *Bayesian Data Analysis*, ch. 2; cf. the informative Dirichlet prior
    of Monroe, Colaresi & Quinn 2008). Evaluate with :func:`naming_cross_validate` before use.

    Parameters
    ----------
    corpus : articles (``doc_id``, ``text``, ``outlet``).
    sides : outlet -> side code; only ``positive`` (Armenian side) and ``negative`` outlets are used.
    prior_size : κ, the prior's weight in outlets (larger = trust the lexicon more).
    pairs, context : the lexicon and rules to start from (package files by default).

    Returns
    -------
    The naming lexicon (:func:`naming_pairs` columns) with ``strength`` updated, plus
    ``prior_strength``, ``uses_own`` and ``uses_other`` (the evidence, in rescaled outlets).
    Pass it to :func:`naming` as ``pairs=``.
    """
    if not prior_size > 0:
        raise ValueError(f"prior_size must be > 0, not {prior_size!r}")
    table = naming_pairs(pairs)
    side_of = corpus["outlet"].astype(str).map(sides)
    articles = corpus[side_of.isin([positive, negative]).to_numpy()]
    outlet_side = articles["outlet"].astype(str).map(sides)
    n_outlets = outlet_side.groupby(articles["outlet"].astype(str)).first().value_counts()
    if n_outlets.get(positive, 0) == 0 or n_outlets.get(negative, 0) == 0:
        raise ValueError(f"fit_naming_weights needs articles of both {positive!r} and {negative!r} outlets")
    mentions = naming_mentions(articles, unit="article", pairs=pairs, context=context)
    own_voice = mentions[mentions["context"] == ""].drop_duplicates(["doc_id", "pair", "side"])
    outlet_of = dict(zip(articles["doc_id"], articles["outlet"].astype(str)))
    size_of = articles["outlet"].astype(str).value_counts()
    balanced = (n_outlets[positive] + n_outlets[negative]) / 2
    # each use weighs 1 / (articles of its outlet): an outlet counts once, with its share of articles
    uses = own_voice.assign(outlet=own_voice["doc_id"].map(outlet_of))
    uses["share"] = 1.0 / uses["outlet"].map(size_of).to_numpy()
    uses["outlet_side"] = uses["outlet"].map(sides)
    per_group = uses.groupby(["pair", "side", "outlet_side"])["share"].sum().unstack(fill_value=0.0)
    per_group = per_group.reindex(columns=[positive, negative], fill_value=0.0)
    per_group = per_group * balanced / n_outlets[[positive, negative]].to_numpy()
    key = list(zip(table["pair"], table["side"]))
    own_code = np.where(table["side"] == SIDES[0], positive, negative)
    other_code = np.where(table["side"] == SIDES[0], negative, positive)
    lookup = per_group.to_dict("index")
    table["uses_own"] = [lookup.get(k, {}).get(o, 0.0) for k, o in zip(key, own_code)]
    table["uses_other"] = [lookup.get(k, {}).get(o, 0.0) for k, o in zip(key, other_code)]
    table["prior_strength"] = table["strength"]
    posterior = (prior_size * table["strength"] + table["uses_own"]) / (prior_size + table["uses_own"]
                                                                         + table["uses_other"])
    table["strength"] = posterior.clip(0.5, 0.99).round(4)
    table["weight"] = np.log(table["strength"] / (1 - table["strength"]))
    return table


def naming_out_of_fold(corpus: pd.DataFrame, sides: dict[str, str], *, n_splits: int = 5,
                       prior_size: float = 20.0, positive: str = "AM", negative: str = "AZ",
                       unit: str = "article", random_state: int = 0, pairs=None, context=None) -> pd.DataFrame:
    """Out-of-fold naming scores of the articles of two sides' outlets, each scored with strengths
    fitted (:func:`fit_naming_weights`) on the other folds' outlets only, as for an unseen outlet.

    The outlets of the two sides are dealt at random into ``n_splits`` folds. Returns the pooled
    :func:`naming` tables of the held-out folds (per segment when ``unit`` is ``"sentence"`` or
    ``"paragraph"``), with a ``fold`` column; break it down by any column (e.g. ``language``)
    and evaluate the parts with :func:`naming_auc`.
    """
    side_of = corpus["outlet"].astype(str).map(sides)
    articles = corpus[side_of.isin([positive, negative]).to_numpy()]
    outlets = np.array(sorted(set(articles["outlet"].astype(str))))
    if len(outlets) < n_splits:
        raise ValueError(f"{len(outlets)} outlets of the two sides cannot make {n_splits} folds")
    fold_of = dict(zip(np.random.default_rng(random_state).permutation(outlets),
                       np.arange(len(outlets)) % n_splits))
    folds = articles["outlet"].astype(str).map(fold_of).to_numpy()
    scored = []
    for fold in range(n_splits):
        fitted = fit_naming_weights(articles[folds != fold], sides, positive=positive, negative=negative,
                                    prior_size=prior_size, pairs=pairs, context=context)
        scored.append(naming(articles[folds == fold], unit=unit, pairs=fitted, context=context).assign(fold=fold))
    return pd.concat(scored, ignore_index=True)


def naming_cross_validate(corpus: pd.DataFrame, sides: dict[str, str], *, n_splits: int = 5,
                          prior_size: float = 20.0, positive: str = "AM", negative: str = "AZ",
                          unit: str = "article", random_state: int = 0, n_boot: int = 2000, pairs=None,
                          context=None) -> dict:
    """Outlet-grouped cross-validation of :func:`fit_naming_weights`: the outlets of the two sides
    are dealt at random into ``n_splits`` folds; each fold's articles are scored with weights fitted
    on the other folds' outlets only (never on the outlet itself, as for an unseen outlet;
    :func:`naming_out_of_fold`), and the pooled out-of-fold scores are evaluated with
    :func:`naming_auc`. With ``unit="sentence"`` (or ``"paragraph"``) the held-out articles are
    scored per segment, each segment labelled with its outlet's side: a harder test, since most
    sentences carry one term or none.

    Returns
    -------
    The :func:`naming_auc` dict of the out-of-fold scores, plus ``n_splits`` and ``prior_size``.
    """
    table = naming_out_of_fold(corpus, sides, n_splits=n_splits, prior_size=prior_size, positive=positive,
                               negative=negative, unit=unit, random_state=random_state, pairs=pairs,
                               context=context)
    if "segment_id" in table:  # every segment is one case
        table = table.assign(doc_id=table["doc_id"].astype(str) + ":" + table["segment_id"].astype(str)) \
            .drop(columns="segment_id")
    result = naming_auc(table, sides, positive=positive, negative=negative, n_boot=n_boot,
                        random_state=random_state)
    return {**result, "n_splits": n_splits, "prior_size": prior_size, "unit": unit}


def frame_profile(frame_scores: pd.DataFrame, by: str = "outlet_country", min_units: int = 1) -> pd.DataFrame:
    """Mean frame score per group (wide: one row per group, one column per frame), over the
    units with scores; groups with fewer than ``min_units`` scored units are left out.

    ``frame_scores`` is :func:`frames` output (with the packaged or a user's dictionary: every
    numeric column that is not a key, ``n_words`` or metadata is a frame).
    """
    fixed = {"doc_id", "segment_id", "language", "n_words", by, *META_COLUMNS}
    names = [c for c in frame_scores.columns if c not in fixed and pd.api.types.is_numeric_dtype(frame_scores[c])]
    scored = frame_scores[frame_scores[names].notna().any(axis=1)]
    sizes = scored.groupby(by, observed=True).size()
    keep = sizes[sizes >= min_units].index
    return scored[scored[by].isin(keep)].groupby(by, observed=True)[names].mean()


def naming_by_outlet(table: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: ``mean`` (the mean ``naming_index`` over its articles that use any counted
    term; 0.1: ``naming_index``), ``n_scored`` (those articles), ``n_articles``, ``n_mentions``
    (scored mentions, when the table has them) and ``outlet_country``; outlets with no scored
    article are left out. Names as in :data:`toolkit.schema.RESULT_COLUMNS`."""
    grouped = table.groupby("outlet", observed=True)
    out = pd.DataFrame({"mean": grouped["naming_index"].mean().astype(float),
                        "n_scored": grouped["naming_index"].count(),
                        "n_articles": grouped.size()})
    if "n_mentions" in table:
        out["n_mentions"] = grouped["n_mentions"].sum()
    if "outlet_country" in table:
        out["outlet_country"] = grouped["outlet_country"].first().astype("string")
    return out[out["n_scored"] > 0].reset_index()


def naming_baseline(corpus_or_units: pd.DataFrame, *, unit: str | None = None, patterns=None) -> pd.DataFrame:
    """The naming index from a simple regular-expression list (``lexicons/naming_baseline.csv``):
    the yardstick the full lexicon is compared with.

    Parameters
    ----------
    corpus_or_units : a corpus, or units from :func:`toolkit.make_units` (used as they are).
    unit : ``"article"`` (default for a corpus), ``"paragraph"`` or ``"sentence"``.
    patterns : None for the packaged list, or a user's file (columns ``side``, ``pattern``),
        DataFrame or :class:`toolkit.Resource`.

    Returns
    -------
    DataFrame ``doc_id``, ``segment_id``, ``language``, ``armenian``, ``azerbaijani`` (matches of
    each side's expression), ``naming_index`` ((A - Z) / (A + Z); missing without a match), then
    the metadata columns (:data:`toolkit.schema.META_COLUMNS`); one row per unit.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "language": ["ru"], "text": ["Степанакерт, он же Ханкенди. Степанакерт."]})
    >>> naming_baseline(df)[["armenian", "azerbaijani", "naming_index"]].values.tolist()
    [[2, 1, 0.3333333333333333]]
    """
    resource = load_resource("naming_baseline", patterns)
    table = resource.table()
    expressions = {side: re.compile("|".join(f"(?:{p})" for p in table.loc[table["side"] == side, "pattern"]), re.I)
                   for side in SIDES}
    frame = make_units(corpus_or_units, unit)
    texts = frame["text"].fillna("").astype(str)
    values = pd.DataFrame({side: [len(expressions[side].findall(t)) for t in texts] for side in SIDES})
    total = values["armenian"] + values["azerbaijani"]
    values["naming_index"] = ((values["armenian"] - values["azerbaijani"]) / total.where(total > 0)).astype("Float64")
    return with_resources(carry(frame, values), resource)
