"""Tests for toolkit.targeted: tone toward a marked target, the shipped model and its recipe.

Every sentence here (and in tests/data/targeted_tone_team.tsv) is invented, written by the
toolkit team for these tests; none is copied from a news text or from RuSentNE.
"""
import hashlib
import importlib.util
import json
import math
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


def _recipe():
    spec = importlib.util.spec_from_file_location("train_targeted_tone", ROOT / "scripts" / "train_targeted_tone.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def frame_of(sentences, language="ru") -> pd.DataFrame:
    """Sentences with the target in [brackets] -> text/start/end/language rows."""
    rows = []
    for sentence in sentences:
        start = sentence.index("[")
        end = sentence.index("]") - 1
        rows.append((sentence.replace("[", "").replace("]", ""), start, end, language))
    return pd.DataFrame(rows, columns=["text", "start", "end", "language"])


def team(language=None) -> pd.DataFrame:
    table = pd.read_csv(TEAM, sep="\t", comment="#")
    if language is not None:
        table = table[table["lang"] == language]
    out = pd.concat([frame_of([s], lang) for s, lang in zip(table["sentence"], table["lang"])], ignore_index=True)
    out["expected"] = table["label"].to_numpy()
    return out


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


def test_team_sentences_russian_model_beats_lexicon():
    """The model's F1_PN on the team's Russian sentences (a domain check, 30 sentences)."""
    from sklearn.metrics import f1_score

    data = team("ru")
    scores = {}
    for method in ("model", "lexicon"):
        labels = targeted_sentiment(data, method=method)["label"].astype(int)
        scores[method] = f1_score(data["expected"], labels, labels=[-1, 1], average="macro")
    assert scores["model"] >= 0.6
    assert scores["model"] > scores["lexicon"]


@pytest.mark.parametrize("language", ["uk", "en"])
def test_team_sentences_other_languages_use_the_validated_lexicon(language):
    from sklearn.metrics import f1_score

    data = team(language)
    auto = targeted_sentiment(data)
    lex = targeted_sentiment(data, method="lexicon")
    pd.testing.assert_frame_equal(auto, lex)          # "auto" is the lexicon outside Russian
    assert targeted_sentiment(data, method="model")["score"].isna().all()   # the model is ru only
    assert f1_score(data["expected"], auto["label"].astype(int), labels=[-1, 1], average="macro") >= 0.4


def test_lexicon_score_hand_computed():
    # target "Армения", then осудить (1 word away), варварский (2), обстрел (3), one clause
    text = "Армения осудила варварский обстрел."
    lex = lexicon("ru")
    total = lex["осудить"] / 1 + lex["варварский"] / 2 + lex["обстрел"] / 3
    assert lexicon_score(text, 0, 7, "ru") == pytest.approx(total / math.sqrt(total * total + 1))
    # a word behind a clause break counts half
    text = "Армения, осудила"
    assert lexicon_score(text, 0, 7, "ru") == pytest.approx((lex["осудить"] / 2) / math.sqrt((lex["осудить"] / 2) ** 2 + 1))
    assert lexicon_score("Армения прибыла.", 0, 7, "ru") == 0.0
    assert math.isnan(lexicon_score("Hayastan gəldi.", 0, 8, "az"))


def test_features_mark_the_target_and_its_role():
    subject = target_features("Азербайджан обвинил Армению.", 0, 11, "ru")
    obj = target_features("Азербайджан обвинил Армению.", 20, 27, "ru")
    assert "marker:<T> обвинить" in subject and "marker:обвинить <T>" in obj
    assert "role:before-" in subject and "role:after-" in obj
    assert "role:case=nomn" in subject and "role:case=accs" in obj
    assert "window:R1c:обвинить" in subject and "window:L1c:обвинить" in obj


# ------------------------------------------------------------------ interface

def test_shape_keys_and_unscored_languages():
    frame = pd.DataFrame({"doc_id": ["a", "b", "c", "d"],
                          "text": ["Азербайджан обвинил Армению.", "Армения прибыла.", "Hayastan gəldi.", "Armenia left."],
                          "start": [20, 0, 0, 0], "end": [27, 7, 8, 7], "language": ["ru", "ru", "az", None]},
                         index=[10, 11, 12, 13])
    out = targeted_sentiment(frame)
    assert list(out.columns) == list(frame.columns) + ["label", "score"]
    assert list(out.index) == [10, 11, 12, 13]
    assert str(out["label"].dtype) == "Int64" and out["score"].dtype == float
    assert out["label"].iloc[:2].notna().all() and out["label"].iloc[2:].isna().all()
    assert out["score"].iloc[2:].isna().all()
    assert out["score"].iloc[:2].between(-1, 1).all()
    assert set(out["label"].dropna()) <= {-1, 0, 1}
    pd.testing.assert_frame_equal(frame, out[frame.columns])   # the input is not modified


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
    data = team().drop(columns="expected").assign(label=team()["expected"].to_numpy())
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


@pytest.mark.skipif(not RUSENTNE.exists(), reason="RuSentNE training split not available (../shared)")
def test_shipped_model_was_trained_on_the_rusentne_file():
    recipe = _recipe()
    meta = json.loads((ROOT / "toolkit" / "models" / f"{targeted.MODEL_NAME}.json").read_text(encoding="utf-8"))
    frame = recipe.load(RUSENTNE)
    assert hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest() == meta["training_data"]["sha256"]
