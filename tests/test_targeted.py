"""Tests for toolkit.targeted: tone toward a marked target, the shipped model and its recipe.

Every sentence here (and in tests/data/targeted_tone_team.tsv) is invented, written by the
toolkit team for these tests; none is copied from a news text or from RuSentNE.
"""
import hashlib
import importlib.util
import json
import math
import os
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit import targeted
from toolkit.targeted import TargetedToneModel, lexicon_score, target_features, targeted_sentiment
from toolkit.tone import lexicon

ROOT = Path(__file__).resolve().parents[1]
TEAM = Path(__file__).parent / "data" / "targeted_tone_team.tsv"
RUSENTNE = Path(__file__).parents[1] / ".." / "shared" / "benchmarks" / "rusentne" / "train_data.csv"


@lru_cache(maxsize=1)
def _recipe():
    spec = importlib.util.spec_from_file_location("train_targeted_tone", ROOT / "scripts" / "train_targeted_tone.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def frame_of(sentences, language="ru") -> pd.DataFrame:
    """Sentences with the target in [brackets] -> text/start/end/language rows."""
    return _recipe().bracketed(sentences, [language] * len(sentences))


def team(language=None) -> pd.DataFrame:
    table = _recipe().team_frame(TEAM)
    if language is not None:
        table = table[table["language"] == language].reset_index(drop=True)
    return table.rename(columns={"label": "expected"})


# ------------------------------------------------------------------ known answers

# "X accused Y": the tone toward the accused differs from the tone toward the accuser
ACCUSED = ["Азербайджан обвинил [Армению] в обстреле.",
           "Ереван обвиняет [Баку] в этнических чистках."]
ACCUSERS = ["[Азербайджан] обвинил Армению в обстреле.",
            "[Ереван] обвиняет Баку в этнических чистках."]


def test_accused_is_negative_accuser_is_not():
    accused = targeted_sentiment(frame_of(ACCUSED))
    accusers = targeted_sentiment(frame_of(ACCUSERS))
    assert accused["label"].tolist() == [-1, -1]
    assert (accusers["label"] != -1).all()
    assert (accused["score"].to_numpy() < accusers["score"].to_numpy()).all()


def test_thanked_is_positive_and_scores_differ_within_one_sentence():
    # the same sentence, two targets: only the thanked one is positive
    out = targeted_sentiment(frame_of(["Армения поблагодарила [Францию] за гуманитарную помощь.",
                                       "[Армения] поблагодарила Францию за гуманитарную помощь."]))
    assert out["label"].tolist()[0] == 1
    assert out["score"].iloc[0] > out["score"].iloc[1]


def test_scores_do_not_depend_on_n_jobs():
    """Parsing and features in two forked processes give the same scores to the bit. 440
    INVENTED sentences (templates with a number, so that each is parsed), enough rows for two
    processes (targeted.MIN_ROWS_PER_JOB each); the parse cache is emptied before each run."""
    templates = ["[Азербайджан] обвинил Армению в обстреле {n} сел.",
                 "Армения поблагодарила [Францию] за {n} тонн гуманитарной помощи.",
                 "По данным [ООН], {n} человек покинули Карабах.",
                 "[Россия] не смогла остановить наступление, погибли {n} человек."]
    frame = frame_of([templates[i % 4].format(n=i + 2) for i in range(440)])
    runs = []
    for n_jobs in (1, 2):
        forget_parses()
        runs.append(targeted_sentiment(frame, n_jobs=n_jobs))
    pd.testing.assert_frame_equal(runs[0], runs[1], check_exact=True)
    assert runs[0]["label"].notna().all()


forget_parses = targeted.forget_parses


def test_sentence_parts_are_runs_of_whole_batches_of_distinct_texts():
    """Hand-computed: parts of 8 distinct texts (slovnet's batch size), in order of first
    appearance; a repeat stays in its first text's part; a part size that is not a multiple of
    the batch is rounded up to whole batches."""
    assert targeted._natasha()[1].batch_size == 8
    texts = [f"s{i}" for i in range(10)] + ["s0", "s9", "s3"]
    assert targeted.sentence_parts(texts, part_size=8).tolist() == [0] * 8 + [1, 1, 0, 1, 0]
    assert targeted.sentence_parts(texts, part_size=5).tolist() == [0] * 8 + [1, 1, 0, 1, 0]
    assert targeted.sentence_parts(texts, part_size=9).tolist() == [0] * 13
    assert targeted.sentence_parts([f"s{i}" for i in range(17)], part_size=8).tolist() == [0] * 8 + [1] * 8 + [2]


def test_scoring_in_parts_gives_the_scores_of_one_call_and_holds_one_part(monkeypatch):
    """A long call is scored in parts of whole parser batches, each in slices of rows (memory:
    120,000 Russian mentions held 12.3 GB of feature rows at once). Parts of one batch (8
    sentences) and slices of 7 rows must give
    the one-part scores to the bit, with repeated sentences and rows out of order, and leave only
    the last part's parses cached. 60 rows of 28 INVENTED sentences, shuffled."""
    import random

    templates = ["[Азербайджан] обвинил Армению в обстреле {n} сел.",
                 "Армения поблагодарила [Францию] за {n} тонн гуманитарной помощи.",
                 "По данным [ООН], {n} человек покинули Карабах.",
                 "[Россия] не смогла остановить наступление, погибли {n} человек."]
    sentences = [templates[i % 4].format(n=i + 2) for i in range(28)]
    picks = [i % 28 for i in range(60)]
    random.Random(1).shuffle(picks)
    frame = frame_of([sentences[i] for i in picks])
    frame.index = [f"r{i}" for i in range(60)]
    forget_parses()
    whole = targeted_sentiment(frame)
    forget_parses()
    monkeypatch.setattr(targeted, "PART_SENTENCES", 8)
    monkeypatch.setattr(targeted, "PART_ROWS", 7)                   # and rows in slices of 7
    assert targeted.sentence_parts(frame["text"]).max() == 3          # 28 distinct texts: four parts
    in_parts = targeted_sentiment(frame)
    pd.testing.assert_frame_equal(whole, in_parts, check_exact=True)
    assert whole["label"].notna().all()
    parts = targeted.sentence_parts(frame["text"])
    cached = set(targeted._STATES) & set(frame["text"])      # (a sentence read without the opinion
    assert cached == set(frame["text"][parts == 3])          # its target voices is parsed too)
    assert len(cached) == 4
    forget_parses()


def test_a_parse_depends_on_the_call_not_on_what_was_parsed_before(monkeypatch):
    """slovnet pads a batch to its longest sentence, so a parse can change with its batch-mates
    (5 of 567 sentences did). A stand-in parser whose "parse" is the batch a text was parsed in
    (slovnet cuts a call's list every ``batch_size`` texts) shows which batch each cached parse
    came from: after another call has parsed some of the same texts in other batches, a call
    must give what it gives in a fresh process (before the fix it reused the other batches'
    parses, which is how a Dask worker and an in-process run drew different tone figures).
    Texts INVENTED for the test."""
    size = targeted._natasha()[1].batch_size

    def batch_of_each(texts, blas_threads=None):
        return [tuple(texts[i // size * size:(i // size + 1) * size]) for i in range(len(texts))], [None] * len(texts)

    monkeypatch.setattr(targeted, "_parse_batches", batch_of_each)
    texts = [f"Фраза номер {i}." for i in range(size + 3)]
    forget_parses()
    targeted.parse_sentences(texts)
    fresh = {text: targeted._parse(text) for text in texts}
    assert fresh[texts[-1]] == tuple(texts[size:])          # the stand-in does tag the batch
    forget_parses()
    targeted.parse_sentences(["Другая фраза."] + texts[5:])  # the same texts, other batch-mates
    targeted.parse_sentences(texts)
    assert {text: targeted._parse(text) for text in texts} == fresh
    forget_parses()


def test_the_parser_runs_on_one_blas_thread_unless_told_otherwise(monkeypatch):
    """BLAS's thread count changed 5 of 1,064 slovnet parses (1 against 2 threads), and Dask
    workers run BLAS on one thread: parsing is pinned to one thread so that a Dask run and an
    in-process run score alike. A spy around the parser records the BLAS threads it ran with;
    ``blas_threads=None`` (the training recipe's setting) leaves the caller's limit alone, which
    shows the spy can see a difference. Sentences INVENTED for the test."""
    from threadpoolctl import threadpool_info, threadpool_limits

    syntax = targeted._natasha()[1]
    seen = []
    original = syntax.map

    def spy(items):
        seen.append(max(pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"))
        return original(items)

    monkeypatch.setattr(syntax, "map", spy)
    for blas_threads, text in [(1, "Армения обвинила Азербайджан в обстреле."), (None, "Россия призвала стороны к миру.")]:
        forget_parses()
        with threadpool_limits(limits=2):
            targeted.parse_sentences([text], blas_threads=blas_threads)
    assert seen[0] == 1
    if any(pool["num_threads"] > 1 for pool in threadpool_info() if pool["user_api"] == "blas"):
        assert seen[1] == 2
    forget_parses()


def test_team_sentences_russian():
    """F1_PN of both methods on the team's 30 Russian sentences (measured 0.87 for model 1.1,
    0.78 for 1.0, and 0.86 for the lexicon, whose strength here comes from sentences written in
    its vocabulary: on RuSentNE the model is far ahead, see README)."""
    data = team("ru")
    scores = {method: f1_pn(data["expected"], targeted_sentiment(data, method=method)["label"].astype(int))
              for method in ("model", "lexicon")}
    assert scores["model"] >= 0.7 and scores["lexicon"] >= 0.7


def f1_pn(expected, labels) -> float:
    from sklearn.metrics import f1_score

    return f1_score(expected, labels, labels=[-1, 1], average="macro")


@pytest.mark.parametrize("language", ["uk", "en"])
def test_team_sentences_other_languages_use_the_validated_lexicon(language):
    data = team(language)
    auto = targeted_sentiment(data)
    lex = targeted_sentiment(data, method="lexicon")
    pd.testing.assert_frame_equal(auto, lex)          # "auto" is the lexicon outside Russian
    assert targeted_sentiment(data, method="model")["score"].isna().all()   # the model is ru only
    assert f1_pn(data["expected"], auto["label"].astype(int)) >= 0.7


def test_lexicon_score_hand_computed():
    # target "Армения", then провести (1 word away), варварский (2), обстрел (3), one clause
    text = "Армения провела варварский обстрел."
    lex = lexicon("ru")
    total = lex.get("провести", 0.0) / 1 + lex["варварский"] / 2 + lex["обстрел"] / 3
    assert lexicon_score(text, 0, 7, "ru") == pytest.approx(total / math.sqrt(total * total + 1))
    # a word behind a clause break counts half
    text = "Армения, варварский обстрел"
    half = lex["варварский"] / 2 + lex["обстрел"] / 4
    assert lexicon_score(text, 0, 7, "ru") == pytest.approx(half / math.sqrt(half * half + 1))
    assert lexicon_score("Армения прибыла.", 0, 7, "ru") == 0.0
    assert math.isnan(lexicon_score("Hayastan gəldi.", 0, 8, "az"))


def test_the_holder_of_an_opinion_is_not_its_target():
    # "[X] condemned ...": the verb and its clause evaluate someone else, in every language
    assert lexicon_score("Армения осудила варварский обстрел.", 0, 7, "ru") == 0.0
    assert lexicon_score("Армения осудила варварский обстрел.", 16, 26, "ru") < 0   # not a holder
    assert lexicon_score("Armenia condemned the brutal shelling.", 0, 7, "en") == 0.0
    assert lexicon_score("Armenia was condemned for the brutal shelling.", 0, 7, "en") < 0   # passive
    assert lexicon_score("Вірменія засудила варварський обстріл.", 0, 8, "uk") == 0.0


def test_features_mark_the_target_and_its_role():
    subject = target_features("Азербайджан обстрелял Армению.", 0, 11, "ru")
    obj = target_features("Азербайджан обстрелял Армению.", 22, 29, "ru")
    assert "marker:<T> обстрелять" in subject and "marker:обстрелять <T>" in obj
    assert "role:before-" in subject and "role:after-" in obj
    assert "role:case=nomn" in subject and "role:case=accs" in obj
    assert "window:R1c:обстрелять" in subject and "window:L1c:обстрелять" in obj
    assert "syntax:rel=nsubj" in subject and "syntax:rel=obj" in obj
    # the accuser is read without the accusation it voices
    holder = target_features("Азербайджан обвинил Армению.", 0, 11, "ru")
    assert not any("обвинить" in name for name in holder)


def test_state_group_reads_the_parsers_encoder_and_is_hand_computable():
    """The ``state`` group reads the slovnet encoder's layer outputs recorded during the parse
    (float16). slovnet's own encoder run here on the sentence alone is the reference for the last
    layer (the recorder changes and misaligns nothing), and the parse is the same as without the
    recorder ("Армении" is the nmod of "сёла"). The group's vectors are the unit-length mean state
    of the target's tokens, its head's state and the sentence's mean state, computed by hand
    from the recorded states; the model's matrix holds the same values. The same word form gets
    another state in another sentence, while its navec vector is the same. Sentences INVENTED
    for the test."""
    text = "Азербайджан обстрелял мирные сёла Армении."
    forget_parses()
    targeted.parse_sentences([text])
    parse, states = targeted._parse(text), targeted._states(text)
    assert states.shape == (len(parse), 448) and states.dtype == np.float16
    _, syntax = targeted._natasha()
    model, encoder = syntax.infer.model, syntax.infer.encoder
    (inputs,) = list(encoder([[word for _, _, word, _, _ in parse]]))
    reference = model.encoder.encoder(model.emb(inputs.word_id, inputs.shape_id), inputs.pad_mask)[0]
    np.testing.assert_allclose(states[:, 384:].astype(float), reference, rtol=2e-3, atol=2e-3)
    assert (parse[4][2], parse[parse[4][3]][2], parse[4][4]) == ("Армении", "сёла", "nmod")
    features = target_features(text, 34, 41, "ru", ("state", "embedding"))

    def unit(vector):
        return vector / np.linalg.norm(vector)

    as_float = states.astype(np.float64)
    for part, vector in (("t", as_float[4]), ("h", as_float[3]), ("s", as_float.mean(axis=0))):
        got = np.array([features[f"state:{part}{k}"] for k in range(448)])
        np.testing.assert_allclose(got, unit(vector), atol=1e-12)
    vocabulary = sorted(features)
    toy = TargetedToneModel(vocabulary, np.ones((3, len(vocabulary))), np.zeros(3), [-1, 0, 1], [1.0, 1.0, 1.0],
                            ("state", "embedding"))
    np.testing.assert_array_equal(toy.matrix([(text, 34, 41, "ru")]).toarray()[0], [features[k] for k in vocabulary])
    other = target_features("Президент Армении поблагодарил соседей.", 10, 17, "ru", ("state", "embedding"))
    assert all(features[f"embedding:t{k}"] == other[f"embedding:t{k}"] for k in range(300))   # the same word ...
    first_t, other_t = (np.array([f[f"state:t{k}"] for k in range(448)]) for f in (features, other))
    assert float(first_t @ other_t) < 0.95                                                     # ... read in context
    forget_parses()


# ------------------------------------------------------------------ interface

def test_shape_keys_and_unscored_languages():
    frame = pd.DataFrame({"doc_id": ["a", "b", "c", "d"],
                          "text": ["Азербайджан обвинил Армению.", "Армения прибыла.", "Hayastan gəldi.", "Armenia left."],
                          "start": [20, 0, 0, 0], "end": [27, 7, 8, 7], "language": ["ru", "ru", "az", None]},
                         index=[10, 11, 12, 13])
    out = targeted_sentiment(frame)
    assert list(out.columns) == list(frame.columns) + ["label", "score", "method"]
    assert list(out.index) == [10, 11, 12, 13]
    assert out["method"].tolist() == ["model", "model", pd.NA, "lexicon"]   # what scored each row
    assert str(out["label"].dtype) == "Int64" and out["score"].dtype == float
    # a missing language is filled by the language rule (detected: "Armenia left." is English,
    # scored by the lexicon); Azerbaijani has no targeted method and stays unscored
    assert out["language"].astype(str).tolist() == ["ru", "ru", "az", "en"]
    assert out["label"].iloc[[0, 1, 3]].notna().all() and out["label"].iloc[[2]].isna().all()
    assert out["score"].iloc[[2]].isna().all()
    assert out["score"].iloc[[0, 1, 3]].between(-1, 1).all()
    assert set(out["label"].dropna()) <= {-1, 0, 1}
    assert frame["language"].isna().sum() == 1   # the input is not modified
    pd.testing.assert_frame_equal(frame.drop(columns="language"), out[frame.columns].drop(columns="language"))


def test_bad_input_fails_loudly():
    with pytest.raises(ValueError, match="missing"):
        targeted_sentiment(pd.DataFrame({"text": ["x"], "start": [0]}))
    with pytest.raises(ValueError, match="outside"):
        targeted_sentiment(pd.DataFrame({"text": ["abc"], "start": [1], "end": [9], "language": ["ru"]}))
    with pytest.raises(ValueError, match="method"):
        targeted_sentiment(frame_of(ACCUSED), method="bert")


def test_empty_frame():
    out = targeted_sentiment(pd.DataFrame({"text": pd.Series([], dtype=str), "start": [], "end": [],
                                           "language": pd.Series([], dtype=str)}))
    assert len(out) == 0 and {"label", "score"} <= set(out.columns)


# ------------------------------------------------------------------ the shipped model and its recipe

def test_shipped_model_files_and_provenance():
    meta = json.loads((ROOT / "toolkit" / "models" / f"{targeted.MODEL_NAME}.json").read_text(encoding="utf-8"))
    model = TargetedToneModel.load()
    assert model.coef.shape == (3, len(meta["vocabulary"])) and model.intercept.shape == (3,)
    assert meta["classes"] == [-1, 0, 1] and "MIT" in meta["training_data"]["licence"]
    assert meta["training_data"]["rows"] == 6637
    assert meta["recipe"].startswith("scripts/train_targeted_tone.py")
    assert meta["vocabulary"] == sorted(meta["vocabulary"])
    assert set(meta["groups"]) <= set(targeted.FEATURE_GROUPS)


def _toy_training_frame() -> pd.DataFrame:
    data = _recipe().team_frame(TEAM)
    return data[data["language"].isin(["ru", "uk"])].reset_index(drop=True)


def test_exported_weights_reproduce_sklearn(tmp_path):
    """Train with the recipe on the team's ru/uk sentences, export, reload through the inference
    code, and compare with the fitted scikit-learn estimator on unseen (English) rows."""
    recipe = _recipe()
    frame = _toy_training_frame()
    vocab, estimator, weights, _, _, _ = recipe.train(frame, n_inner=2)
    recipe.export(frame, tmp_path, "invented", n_inner=2)
    model = TargetedToneModel.load(folder=tmp_path)
    assert model.vocabulary == vocab
    new = team("en").assign(language="ru")   # unseen rows; "ru" so that the model's features apply
    rows = list(zip(new["text"], new["start"], new["end"], new["language"]))
    X_sklearn = recipe.to_matrix(recipe.featurize(new, model.groups), vocab)
    np.testing.assert_allclose(model.predict_proba(model.matrix(rows)), estimator.predict_proba(X_sklearn),
                               rtol=1e-12, atol=1e-12)
    labels, _ = model.decide(estimator.predict_proba(X_sklearn))
    expected = np.array([-1, 0, 1])[np.argmax(estimator.predict_proba(X_sklearn) * np.array(weights), axis=1)]
    assert labels.tolist() == expected.tolist()


def test_recipe_is_deterministic(tmp_path):
    recipe = _recipe()
    frame = _toy_training_frame()
    for folder in ("one", "two"):
        recipe.export(frame, tmp_path / folder, "invented", n_inner=2)
    for suffix in ("json", "npz"):
        first = (tmp_path / "one" / f"{targeted.MODEL_NAME}.{suffix}").read_bytes()
        assert first == (tmp_path / "two" / f"{targeted.MODEL_NAME}.{suffix}").read_bytes()


def test_recipe_fits_on_one_thread(monkeypatch):
    """The solver's sums depend on the thread count (2 threads moved the shipped coefficients by
    1e-12 and changed the file's bytes), so the recipe fits on one thread whatever the machine."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_info

    recipe = _recipe()
    seen = []
    original = LogisticRegression.fit

    def spy(self, X, y, *args, **kwargs):
        seen.extend(pool["num_threads"] for pool in threadpool_info())
        return original(self, X, y, *args, **kwargs)

    monkeypatch.setattr(LogisticRegression, "fit", spy)
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]] * 3)
    recipe.fit_lr(X, np.array([-1, 0, 1, 0] * 3), 1.0)
    assert seen and set(seen) == {1}


def test_an_ensemble_of_views_averages_their_probabilities():
    """The experiment's ensemble: a tuple of views gives the mean of each view's probabilities."""
    recipe = _recipe()
    frame = _toy_training_frame()
    y = frame["label"].to_numpy()
    views = (recipe.featurize(frame, ("window", "marker")), recipe.featurize(frame, ("lexicon", "negation")))
    fit, apply = np.arange(0, len(frame), 2), np.arange(1, len(frame), 2)
    alone = [recipe.fit_predict(view, None, y, fit, apply, 1.0) for view in views]
    together = recipe.fit_predict(views, None, y, fit, apply, 1.0)
    np.testing.assert_allclose(together, (alone[0] + alone[1]) / 2)
    assert not np.allclose(alone[0], alone[1])   # two different models, so the mean is a real test


@pytest.mark.skipif(not RUSENTNE.exists(), reason="RuSentNE training split not available (../shared)")
@pytest.mark.skipif(os.environ.get("TOOLKIT_SLOW_TESTS") != "1",
                    reason="rebuilding the shipped model takes 3-10 minutes: set TOOLKIT_SLOW_TESTS=1")
def test_recipe_rebuilds_the_shipped_model_byte_for_byte(tmp_path):
    """`python scripts/train_targeted_tone.py check`: the recipe on RuSentNE's training split
    writes the very bytes of the shipped files. Run as its own process, as a user runs it: the
    recipe chooses OpenBLAS's kernels before NumPy loads them (see the next test)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "train_targeted_tone.py"), "check"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and done.stdout.strip().endswith("identical"), done.stdout + done.stderr


@pytest.mark.skipif(__import__("platform").machine().lower() not in ("x86_64", "amd64"),
                    reason="the recipe pins OpenBLAS kernels on x86-64 only")
def test_recipe_process_uses_the_same_blas_kernels_on_every_machine():
    """OpenBLAS's SkylakeX (AVX-512) kernels moved the rebuilt weights' last bits (2026-12-07:
    `check` said DIFFERENT on an AVX-512 machine; with the Haswell kernels, identical). The
    recipe run as a program uses OpenBLAS's Haswell kernels, whatever the CPU; imported (as
    these tests do), it changes neither the kernels nor the environment of the process."""
    import os
    import subprocess
    import sys

    script = str(ROOT / "scripts" / "train_targeted_tone.py")
    probe = ("import runpy, sys\n"
             "sys.argv = ['train_targeted_tone.py', '--help']\n"
             "try:\n"
             f"    runpy.run_path({script!r}, run_name=RUN_NAME)\n"
             "except SystemExit:\n"
             "    pass\n"
             "import os\n"
             "from threadpoolctl import threadpool_info\n"
             "print(sorted({p.get('architecture') for p in threadpool_info() if p['internal_api'] == 'openblas'}),"
             " os.environ.get('OPENBLAS_CORETYPE'))")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    ran = subprocess.run([sys.executable, "-c", "RUN_NAME = '__main__'\n" + probe], capture_output=True, text=True,
                         cwd=ROOT, env=env)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip().splitlines()[-1] == "['Haswell'] Haswell"
    imported = subprocess.run([sys.executable, "-c", "RUN_NAME = 'recipe'\n" + probe], capture_output=True,
                              text=True, cwd=ROOT, env=env)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip().splitlines()[-1].endswith("None")


@pytest.mark.skipif(not RUSENTNE.exists(), reason="RuSentNE training split not available (../shared)")
def test_shipped_model_was_trained_on_the_rusentne_file():
    recipe = _recipe()
    meta = json.loads((ROOT / "toolkit" / "models" / f"{targeted.MODEL_NAME}.json").read_text(encoding="utf-8"))
    frame = recipe.load(RUSENTNE)
    assert hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest() == meta["training_data"]["sha256"]


# ------------------------------------------------------------------ the experiment command's variants

def test_without_target_identity_drops_only_the_features_naming_the_target():
    recipe = _recipe()
    row = {"marker:T=армения": 0.5, "marker:<T> обвинить": 0.5, "embedding:t0": 0.1, "embedding:t12": 0.2,
           "embedding:w0": 0.3, "embedding:h5": 0.4, "window:L1c:обвинить": 1.0}
    assert recipe.without_target_identity([row]) == [{"marker:<T> обвинить": 0.5, "embedding:w0": 0.3,
                                                      "embedding:h5": 0.4, "window:L1c:обвинить": 1.0}]


def test_dependency_features_weigh_lexicon_words_by_tree_distance():
    """Invented sentences. Parse of the first: "осуждают" is the root, "Армению" its object and
    "обстрел" its oblique, so "осуждают" (-0.7 in the ru lexicon) is 1 arc from the target and
    "обстрел" (-0.8) 2 arcs: tree:neg = 0.7/1 + 0.8/2 = 1.1; the target's parent is "осуждают":
    tree:ancestor- = 1/1. In the second, "провокации" (-0.7) is 2 arcs away (target <- готовит ->
    провокации) and no ancestor is evaluative: tree:neg = 0.35."""
    recipe = _recipe()
    assert lexicon("ru")["осуждать"] == -0.7 and lexicon("ru")["обстрел"] == -0.8
    frame = frame_of(["Все осуждают [Армению] за обстрел.", "[Армения] готовит новые провокации.",
                      "Депутат назвал «[Газпром]» партнёром."])
    out = [recipe.dependency_features(r.text, r.start, r.end) for r in frame.itertuples()]
    assert out[0] == pytest.approx({"tree:neg": 1.1, "tree:ancestor-": 1.0})
    assert out[1] == pytest.approx({"tree:neg": 0.35})
    assert out[2]["quote:inside"] == 1.0 and out[2]["quote:sentence"] == 1.0
    assert "quote:inside" not in out[0] and "quote:sentence" not in out[0]


def test_encoder_states_agree_with_slovnet_and_state_features_are_hand_computable():
    """The experiment's contextual states: the recipe runs slovnet's CNN encoder layer by layer to
    keep all three layers; its last 64 columns must equal the library's own encoder output (the
    reference). The ``t``/``h``/``s`` vectors are the unit-length mean state of the target's
    tokens, the state of its head in the parse ("Армении" is the nmod of "сёла") and the
    sentence's mean state. The same word form gets another state in another context (its navec
    vector is the same). Sentences INVENTED for the test."""
    recipe = _recipe()
    texts = ["Азербайджан обстрелял мирные сёла Армении.", "Президент Армении поблагодарил соседей."]
    states = recipe.encoder_states(texts, "syntax")
    model, encoder = recipe._slovnet_model("syntax")
    spans, matrix = states[texts[0]]
    assert [w for _, _, w in spans][4] == "Армении" and matrix.shape == (len(spans), 448)
    (inputs,) = list(encoder([[w for _, _, w in spans]]))
    reference = model.encoder(model.emb(inputs.word_id, inputs.shape_id), inputs.pad_mask)[0]
    np.testing.assert_allclose(matrix[:, 384:], reference, atol=1e-5)
    parse = targeted._parse(texts[0])
    assert (parse[4][2], parse[parse[4][3]][2], parse[4][4]) == ("Армении", "сёла", "nmod")
    frame = frame_of(["Азербайджан обстрелял мирные сёла [Армении].", "Президент [Армении] поблагодарил соседей."])
    rows = recipe.state_features(frame, "syntax", "l3", "ths")

    def unit(vector):
        return vector / np.linalg.norm(vector)

    l3 = matrix[:, 384:]
    for part, vector in (("t", l3[4]), ("h", l3[3]), ("s", l3.mean(axis=0))):
        got = np.array([rows[0][f"state:syntax{part}{k}"] for k in range(64)])
        np.testing.assert_allclose(got, unit(vector), atol=1e-6)
    assert len(rows[0]) == 3 * 64 and not any(k.startswith("state:syntaxw") for k in rows[0])
    first, other = (np.array([row[f"state:syntaxt{k}"] for k in range(64)]) for row in rows)
    assert float(first @ other) < 0.95


def test_bagged_and_boosted_learners_are_repeatable_and_probabilities():
    recipe = _recipe()
    frame = _toy_training_frame()
    y, groups = frame["label"].to_numpy(), frame["text"].to_numpy()
    dicts = recipe.featurize(frame, ("window", "marker", "lexicon"))
    fit, apply = np.arange(0, len(frame), 2), np.arange(1, len(frame), 2)
    for learner in ("bagged", "boosted", "lr+mlp"):
        first = recipe.fit_predict(dicts, None, y, fit, apply, 1.0, learner, groups)
        again = recipe.fit_predict(dicts, None, y, fit, apply, 1.0, learner, groups)
        np.testing.assert_array_equal(first, again)
        np.testing.assert_allclose(first.sum(axis=1), 1.0)
        assert first.shape == (len(apply), 3)
    with pytest.raises(ValueError, match="groups"):
        recipe.fit_predict(dicts, None, y, fit, apply, 1.0, "boosted")
    with pytest.raises(ValueError, match="learner must be one of"):
        recipe.fit_predict(dicts, None, y, fit, apply, 1.0, "forest")


def test_bagged_learner_averages_logistic_regressions_on_balanced_resamples():
    """Known answer: rebuild each bag's sample with the same seeds and average by hand."""
    recipe = _recipe()
    rng = np.random.default_rng(7)
    X = rng.normal(size=(60, 4))
    y = np.array([-1] * 10 + [0] * 40 + [1] * 10)
    X[:, 0] += y   # learnable
    from scipy import sparse

    expected = []
    for bag in range(3):
        draw = np.random.default_rng(bag)
        idx = np.concatenate([draw.choice(np.flatnonzero(y == c), replace=True, size=20 if c == 0 else 10)
                              for c in (-1, 0, 1)])
        expected.append(recipe.fit_lr(X[idx], y[idx], 1.0).predict_proba(X[:5]))
    got = recipe.bagged_proba(sparse.csr_matrix(X), y, sparse.csr_matrix(X[:5]), 1.0, bags=3)
    np.testing.assert_allclose(got, np.mean(expected, axis=0), rtol=1e-6, atol=1e-8)


def test_identity_prior_sums_the_weights_of_the_features_naming_the_target():
    """Hand-built model: only the marker group, whose one feature for a name standing alone is the
    target's lemma (weight 1 after the group's L2 norm); the window feature must not count."""
    recipe = _recipe()
    model = TargetedToneModel(["marker:T=армения", "window:обстрел"], [[0.5, 2.0], [0.0, 0.0], [-0.25, 1.0]],
                              [0.0, 0.0, 0.0], [-1, 0, 1], [1.0, 1.0, 1.0], ("marker", "window"))
    np.testing.assert_allclose(recipe.identity_prior(model, "Армения"), [0.5, 0.0, -0.25])
    np.testing.assert_allclose(recipe.identity_prior(model, "США"), [0.0, 0.0, 0.0])


def test_power_table_known_answers():
    """A perfect classifier measures the true shift and sees a 20-point shift at 400 mentions per
    group almost always; a classifier whose every row of the confusion matrix is the same (it
    ignores the text) measures no difference and sees one at about the test's 5 % level."""
    recipe = _recipe()
    perfect = recipe.power_table(np.eye(3) * 10, shifts=(0.20,), sizes=(400,), n_sim=200, measure="share_negative")
    assert perfect["measured_difference"].iloc[0] == pytest.approx(0.20)
    assert perfect["power"].iloc[0] > 0.99
    blind = recipe.power_table([[2, 7, 1]] * 3, shifts=(0.20,), sizes=(400,), n_sim=400, measure="share_negative")
    assert blind["measured_difference"].iloc[0] == pytest.approx(0.0, abs=1e-12)
    assert blind["power"].iloc[0] < 0.10
    # errors pull both groups toward one mix: a 10-point shift through a matrix that keeps 60 % of
    # negatives and calls 10 % of neutrals negative is measured as 0.10 * (0.6 - 0.1) = 0.05
    leaky = recipe.power_table([[6, 4, 0], [1, 9, 0], [0, 0, 10]], shifts=(0.10,), sizes=(100,), n_sim=10,
                               measure="share_negative")
    assert leaky["measured_difference"].iloc[0] == pytest.approx(0.05)


def test_the_network_ensemble_is_the_mean_of_the_two_learners():
    """Known answer: "lr+mlp" is the logistic regression's and the seeded network's probabilities
    averaged; the network learns a separable toy problem (invented numbers)."""
    recipe = _recipe()
    from scipy import sparse

    rng = np.random.default_rng(3)
    X = rng.normal(size=(900, 5))
    y = np.array([-1, 0, 0, 0, 1, 0] * 150)
    X[:, 0] += 3 * y
    fit, apply = np.arange(600), np.arange(600, 900)
    network = recipe.mlp_proba(sparse.csr_matrix(X[fit]), y[fit], sparse.csr_matrix(X[apply]))
    assert (np.array([-1, 0, 1])[network.argmax(axis=1)] == y[apply]).mean() > 0.8
    dicts = [{f"f:{k}": float(v) for k, v in enumerate(row)} for row in X]
    got = recipe.fit_predict(dicts, None, y, fit, apply, 1.0, "lr+mlp")
    X_fit, X_apply, _ = recipe.design(dicts, None, fit, apply)
    expected = (recipe.fit_lr(X_fit, y[fit], 1.0).predict_proba(X_apply) + recipe.mlp_proba(X_fit, y[fit], X_apply)) / 2
    np.testing.assert_allclose(got, expected)


def test_attention_pooled_state_weighs_context_by_likeness_to_the_target():
    """The ``a`` part: the other tokens' last-layer states, weighted by softmax(cosine to the
    target's state / 0.1), rebuilt by hand with an explicit loop; unit length as every part.
    Sentence INVENTED for the test."""
    recipe = _recipe()
    text = "Азербайджан обстрелял мирные сёла Армении."
    spans, matrix = recipe.encoder_states([text], "syntax")[text]
    l3 = matrix[:, 384:].astype(float)
    target = l3[4] / np.linalg.norm(l3[4])
    weights = []
    for i in range(len(spans)):
        if i != 4:
            weights.append((i, math.exp((l3[i] @ target / np.linalg.norm(l3[i]) - 1.0) / 0.1)))
    total = sum(w for _, w in weights)
    pooled = sum(w / total * l3[i] for i, w in weights)
    row = recipe.state_features(frame_of(["Азербайджан обстрелял мирные сёла [Армении]."]), "syntax", "l3", "a")[0]
    assert set(row) == {f"state:syntaxa{k}" for k in range(64)}
    got = np.array([row[f"state:syntaxa{k}"] for k in range(64)])
    np.testing.assert_allclose(got, pooled / np.linalg.norm(pooled), atol=1e-6)


BLIND = Path(__file__).parent / "data" / "targeted_tone_blind.tsv"
HELD_OUT = Path(__file__).parent / "data" / "targeted_tone_heldout.tsv"


@pytest.mark.parametrize("path", [BLIND, HELD_OUT])
def test_the_blind_sets_are_well_formed(path):
    # 80 invented sentences per language, one bracketed target each, labels -1/0/1 (README table)
    table = _recipe().team_frame(path)
    assert table.groupby("language").size().to_dict() == {"en": 80, "ru": 80, "uk": 80}
    assert set(table["label"]) == {-1, 0, 1}
    for text, start, end in zip(table["text"], table["start"], table["end"]):
        assert 0 <= start < end <= len(text) and "[" not in text and "]" not in text


def test_f1_pn_interval_by_hand():
    recipe = _recipe()
    # one sentence holding all four targets, every prediction right: each resample is that sentence
    assert recipe.f1_pn_interval([-1, 0, 1, 1], [-1, 0, 1, 1], ["a", "a", "a", "a"], n_boot=200) == (1.0, 1.0)
    # two sentences, each with two targets drawn together: sentence a (-1 right, 1 called 0) and
    # sentence b (1 right, 0 right). Resamples: {a, a} -> F1_N 1, F1_P 0 (no positive called): 0.5;
    # {b, b} -> F1_P 1, F1_N 0 (no negative in truth or prediction, zero_division 0): 0.5;
    # {a, b} -> F1_N 1, F1_P 2/3: 5/6. Percentiles of {0.5, 5/6} at 2.5 % and 97.5 %
    low, high = recipe.f1_pn_interval([-1, 1, 1, 0], [-1, 0, 1, 0], ["a", "a", "b", "b"], n_boot=400)
    assert low == 0.5 and high == pytest.approx(5 / 6)


def test_an_all_caps_sentence_is_scored_as_in_sentence_case():
    # adversarial review (2026-12-08): «АЗЕРБАЙДЖАН ОБВИНИЛ АРМЕНИЮ В ОБСТРЕЛЕ» scored -0.15 toward
    # Armenia (neutral), against -0.73 as written in sentence case: the model reads capitals
    from toolkit.targeted import sentence_case

    assert sentence_case("АЗЕРБАЙДЖАН ОБВИНИЛ АРМЕНИЮ В ОБСТРЕЛЕ.", 20, 27) == "Азербайджан обвинил Армению в обстреле."
    # the first letter and each word of the target keep a capital; fewer than 10 capitals: unchanged
    assert sentence_case("«НАГОРНЫЙ КАРАБАХ»: ВЛАСТИ НКР", 1, 17) == "«Нагорный Карабах»: власти нкр"
    assert sentence_case("«ЕС И США»: МИР", 6, 9) == "«ЕС И США»: МИР"
    assert sentence_case("В МИД РФ заявили о переговорах в Брюсселе.", 2, 5) == "В МИД РФ заявили о переговорах в Брюсселе."
    caps = frame_of(["АЗЕРБАЙДЖАН ОБВИНИЛ [АРМЕНИЮ] В ОБСТРЕЛЕ.", "ЕВРОСОЮЗ ВЫСОКО ОЦЕНИЛ ГОТОВНОСТЬ [АРМЕНИИ] ПРОДОЛЖАТЬ."])
    written = frame_of(["Азербайджан обвинил [Армению] в обстреле.", "Евросоюз высоко оценил готовность [Армении] продолжать."])
    out = targeted_sentiment(caps)
    assert out["label"].tolist() == targeted_sentiment(written)["label"].tolist() == [-1, 1]
    assert out["text"].tolist() == caps["text"].tolist()   # the rows keep their text as given
