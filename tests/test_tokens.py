"""Tests for toolkit.tokenize: lemmas, stopwords, multi-word phrases, forms, sklearn use.

All texts below are INVENTED short sentences written for these tests (no corpus text).
"""
from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit.tokens import Tokenizer, article_stopwords, pretokenized, stopwords, tokenize, tokenize_text, words

ROOT = Path(__file__).resolve().parents[1]


def toks(text, language, **options):
    return tokenize_text(text, language, **options)[0]


def forms_of(text, language, **options):
    return tokenize_text(text, language, **options)[1]


# ------------------------------------------------------------------ words

def test_words_keep_hyphens_and_apostrophes_and_drop_numbers():
    assert words("В Нагорно-Карабахском регионе, 19 сентября.") == ["В", "Нагорно-Карабахском", "регионе", "сентября"]
    assert words("з'їзд і прем’єр") == ["з'їзд", "і", "прем’єр"]


# ------------------------------------------------------------------ phrases

@pytest.mark.parametrize("text", [
    "Нагорный Карабах",                      # invented fragments in several cases
    "Жители Нагорного Карабаха",
    "Бои в Нагорном Карабахе",
    "Переговоры по Нагорному Карабаху",
    "Над Нагорным Карабахом",
])
def test_russian_nagorno_karabakh_in_any_case_is_one_token(text):
    tokens = toks(text, "ru")
    assert "нагорный_карабах" in tokens
    assert "нагорный" not in tokens and "карабах" not in tokens


@pytest.mark.parametrize("text,token", [
    ("Закрытие Лачинского коридора", "лачинский_коридор"),
    ("Пробка в Лачинском коридоре", "лачинский_коридор"),
    ("Заявление Государственного департамента", "государственный_департамент"),
    ("Позиция Европейского союза", "европейский_союз"),
    ("Встреча с Шарлем Мишелем", "шарль_мишель"),
    ("Помощь от Красного Креста", "красный_крест"),
])
def test_russian_phrases_in_oblique_cases(text, token):
    assert token in toks(text, "ru")


def test_russian_sentence_with_several_phrases():
    # invented
    text = "Представитель Государственного департамента и Европейского союза встретился с Шарлем Мишелем."
    assert toks(text, "ru") == ["представитель", "государственный_департамент", "европейский_союз",
                                "встретиться", "шарль_мишель"]


@pytest.mark.parametrize("text,token", [
    ("Жителі Нагірного Карабаху", "нагірний_карабах"),
    ("Переговори щодо Нагірного Карабаху", "нагірний_карабах"),
    ("Блокада Лачинського коридору", "лачинський_коридор"),
    ("Заява Європейського союзу", "європейський_союз"),
])
def test_ukrainian_phrases(text, token):
    assert token in toks(text, "uk")


def test_ukrainian_locative_of_nagorno_karabakh_is_the_same_token():
    # invented; uk locative "Нагірному Карабасі" (х -> с alternation) must not become a new token
    tokens, forms = tokenize_text("Бої в Нагірному Карабасі", "uk")
    assert "нагірний_карабах" in tokens
    assert forms[tokens.index("нагірний_карабах")] == "Нагірному Карабасі"
    assert "нагірний_карабас" not in tokens


@pytest.mark.parametrize("text", ["The Lachin corridor was closed.", "Trucks queued at the Lachin Corridor."])
def test_english_phrase(text):
    assert "lachin_corridor" in toks(text, "en")


def test_phrases_off_keeps_words_apart():
    assert toks("Бои в Нагорном Карабахе", "ru", phrases=False) == ["бой", "нагорный", "карабах"]


def test_no_lemmatize_gives_lower_case_forms_and_no_phrases():
    assert toks("Бои в Нагорном Карабахе", "ru", lemmatize=False) == ["бои", "нагорном", "карабахе"]


# ------------------------------------------------------------------ forms

def test_forms_aligned_with_tokens_and_phrase_form_is_surface_text():
    tokens, forms = tokenize_text("Переговоры о Нагорном Карабахе и Лачинском коридоре продолжились.", "ru")
    assert len(tokens) == len(forms)
    assert tokens == ["переговоры", "нагорный_карабах", "лачинский_коридор", "продолжиться"]
    assert forms == ["Переговоры", "Нагорном Карабахе", "Лачинском коридоре", "продолжились"]


def test_shushi_keeps_its_surface_form():
    tokens, forms = tokenize_text("Жители Шуши вернулись. Город Шуша пуст.", "ru")  # invented
    assert tokens.count("шуша") == 2
    assert forms[tokens.index("шуша")] == "Шуши"
    assert [f for t, f in zip(tokens, forms) if t == "шуша"] == ["Шуши", "Шуша"]


def test_forms_aligned_after_stopword_removal():
    tokens, forms = tokenize_text("И в Карабахе, и в Армении спокойно.", "ru")
    assert len(tokens) == len(forms)
    assert dict(zip(forms, tokens))["Карабахе"] == "карабах"
    assert dict(zip(forms, tokens))["Армении"] == "армения"


# ------------------------------------------------------------------ stopwords

def test_stopwords_removed_and_content_words_kept_ru():
    tokens = toks("Азербайджан начал наступление в Карабахе и в Шуше.", "ru")  # invented
    assert "и" not in tokens and "в" not in tokens
    assert "наступление" in tokens
    assert tokens == ["азербайджан", "начать", "наступление", "карабах", "шуша"]


def test_stopwords_off_keeps_function_words():
    tokens = toks("Наступление в Карабахе и Армении", "ru", stopwords_=False)
    assert tokens == ["наступление", "в", "карабах", "и", "армения"]


def test_stopwords_removed_and_content_words_kept_en():
    tokens = toks("The blockade of the corridor and the talks", "en")  # invented
    assert "the" not in tokens and "of" not in tokens and "and" not in tokens
    assert "blockad" in tokens  # Snowball stem of "blockade"
    assert tokens == ["blockad", "corridor", "talk"]


def test_english_function_words_on_a_page_in_another_script_are_stopwords():
    # invented: a Russian article with an English caption, an Azerbaijani (Latin) one whose
    # words spelt like English function words ("on" = ten) must stay
    ru = toks("Колонна прошла к Лачину. Photo: the convoy to Lachin", "ru")
    assert "the" not in ru and "to" not in ru and "convoy" in ru and "колонна" in ru
    az = toks("Laçına on maşın getdi", "az")
    assert "on" in az
    assert "the" in article_stopwords("hy") and "the" not in article_stopwords("az")
    assert article_stopwords("en") == stopwords("en")


def test_packaged_stopword_lists_contain_the_basics():
    assert {"и", "в", "на"} <= stopwords("ru")
    assert {"і", "в", "на"} <= stopwords("uk")
    assert {"the", "and", "of"} <= stopwords("en")
    assert "наступление" not in stopwords("ru")
    assert "blockade" not in stopwords("en")
    assert stopwords("xx") == frozenset()


@pytest.mark.parametrize("language,text,stopword", [
    # invented; each stopword is listed (as written here) in toolkit/lexicons/stopwords/<lang>.txt,
    # but its lemma / Snowball stem is not, so a lemma-only comparison keeps it
    ("en", "They left because the road was closed.", "because"),
    ("en", "The road was very dangerous.", "very"),
    ("en", "Only the convoy passed.", "only"),
    ("ru", "Беженцев стало больше.", "больше"),
    ("uk", "Він ніколи не здавався.", "ніколи"),
], ids=["en-because", "en-very", "en-only", "ru-bolshe", "uk-nikoly"])
def test_listed_stopwords_are_removed_whatever_their_lemma(language, text, stopword):
    assert stopword in stopwords(language)
    tokens, forms = tokenize_text(text, language)
    assert stopword not in [f.lower() for f in forms], (tokens, forms)


@pytest.mark.parametrize("language,text,kept", [
    # invented; the stem of the kept word is a listed stopword (mine, seit), the word is not
    ("en", "The mines were cleared.", "mines"),
    ("de", "Beide Seiten verhandeln.", "Seiten"),
])
def test_stopwords_are_compared_with_words_not_with_stems(language, text, kept):
    assert kept in tokenize_text(text, language)[1]


def test_contractions_and_elided_stopwords_go():
    # invented; the tokenizer keeps the apostrophe inside a word
    assert tokenize_text("It's clear they don't know.", "en")[1] == ["clear", "know"]
    assert tokenize_text("C'est qu'une crise.", "fr")[1] == ["crise"]
    # review 2026-12-07: one-letter words after an elided article (a, y, è) are stopwords too
    assert tokenize_text("Il n’a rien dit et l’a nié, il n’y va pas.", "fr")[1] == ["nié"]
    assert tokenize_text("C’è chi dice di no, anch'io.", "it")[0] == []


def test_extra_stopwords_are_also_compared_with_tokens():
    # invented; a user who removes a term as the tables show it (a stem) removes its words
    assert tokenize_text("The negotiations failed.", "en", extra_stopwords=["negoti"])[0] == ["fail"]
    assert tokenize_text("The negotiations failed.", "en", extra_stopwords=["Negotiations"])[0] == ["fail"]


def test_new_languages_have_their_stopwords_and_stems():
    # invented; Czech "a", "v" and Swedish "och", "i" are stopwords-iso function words
    assert tokenize_text("Armáda a vláda v Jerevanu", "cs")[0] == ["armáda", "vláda", "jerevan"]
    assert tokenize_text("Regeringen och armén i Jerevan", "sv")[0] == ["regering", "armén", "jerevan"]


@pytest.mark.parametrize("text,language,expected", [
    # invented; a page title's site name, a link, an e-mail address and outlet names written as domains
    ("რა ხდება ყარაბაღში? | Allnews.Ge", "ka", ["ხდის", "ყარაბაღ"]),
    ("Talks resumed pic.twitter.com/x1 https://t.co/abc (mail@news.am).", "en", ["talk", "resum"]),
    ("Haber3.com ve www.gazeta.uz yazdı.", "tr", ["yaz"]),
    # not addresses: decimals, abbreviations, sentence ends
    ("Baku grew 2.5 percent in the U.S. Washington.", "en", ["baku", "grew", "percent", "u_s", "washington"]),
    # review 2026-12-07: sentences glued on endings that clean leaves glued lost both words
    ("Talks were held in Yerevan.Media reported progress.", "en", ["talk", "held", "yerevan", "media", "report",
                                                                  "progress"]),
    ("Shelling in Karabakh.By evening it stopped.", "en", ["shell", "karabakh", "evening", "stop"]),
    ("Xezerxeber.az-ın xəbəri", "az", ["xəbəri"]),                    # an outlet name with a case suffix
])
def test_addresses_are_not_tokens(text, language, expected):
    assert tokenize_text(text, language)[0] == expected


def test_words_keep_their_combining_marks():
    # review 2026-12-07: Devanagari vowel signs are not "word characters" to Python's re, so Hindi
    # words fell apart (भारत -> भ, रत); Arabic tanween split a word and is now folded away. Invented.
    assert tokenize_text("भारत सरकार ने कहा", "hi")[0] == ["भारत", "सरकार"]      # ने, कहा: stopwords
    assert tokenize_text("أرغموا قسراً على الرحيل", "ar")[0] == ["أرغموا", "قسرا", "رحيل"]   # the article goes


def test_georgian_function_words_are_stopwords():
    # invented: "this is in Karabakh and that"; before ka.txt, და "and" and რომ "that" were key words
    assert tokenize_text("ეს არის ყარაბაღში და რომ", "ka")[0] == ["ყარაბაღ"]


def test_extra_stopwords_remove_a_word():
    text = "Азербайджан начал наступление в Карабахе."  # invented
    assert "наступление" in toks(text, "ru")
    tokens, forms = tokenize_text(text, "ru", extra_stopwords=["наступление"])
    assert tokens == ["азербайджан", "начать", "карабах"]
    assert forms == ["Азербайджан", "начал", "Карабахе"]
    # matched on lemmas and case-insensitively
    assert "начать" not in toks(text, "ru", extra_stopwords=["Начать"])


def test_extra_stopwords_in_tokenize_dataframe():
    df = pd.DataFrame({"text": ["Азербайджан начал наступление."], "language": ["ru"]})
    out = tokenize(df, extra_stopwords=("азербайджан",))
    assert out["tokens"].iloc[0] == ["начать", "наступление"]


# ------------------------------------------------------------------ other scripts

@pytest.mark.parametrize("language,text,expected", [
    ("az", "Qarabağda vəziyyət gərgindir", ["qarabağ", "vəziyyət", "gərgin"]),   # gərgin "tense" + copula -dir
    ("hy", "Ղարաբաղում իրավիճակը լարված է", ["ղարաբաղ", "իրավիճակ", "լարված"]),
    ("ka", "ყარაბაღში ვითარება დაძაბულია", ["ყარაბაღ", "ვითარება", "დაძაბულია"]),
    ("ar", "الوضع في كاراباخ متوتر", None),
    ("ja", "カラバフの状況は緊迫している", None),
])
def test_other_languages_are_lower_cased_without_crash(language, text, expected):
    # invented sentences ("the situation in Karabakh is tense")
    tokens, forms = tokenize_text(text, language)
    assert len(tokens) == len(forms)
    assert all(t == t.lower() for t in tokens)
    assert tokens  # something survives
    if expected is not None:
        for token in expected:
            assert token in tokens


def test_upper_case_non_latin_is_lower_cased():
    assert toks("ՂԱՐԱԲԱՂ", "hy", stopwords_=False) == ["ղարաբաղ"]
    assert toks("QARABAĞ", "az", stopwords_=False) == ["qarabağ"]


# ------------------------------------------------------------------ tokenize(DataFrame)

def _frame():
    return pd.DataFrame({
        "doc_id": ["a", "b", "c", "d"],
        "language": ["ru", "uk", "en", "az"],
        "text": [  # invented
            "Бои в Нагорном Карабахе продолжаются.",
            "Блокада Лачинського коридору триває.",
            "The Lachin corridor blockade continues.",
            "Qarabağda vəziyyət gərgindir.",
        ],
    }, index=[10, 11, 12, 13])


def test_tokenize_dataframe_adds_aligned_columns_and_keeps_index():
    df = _frame()
    out = tokenize(df)
    assert out.index.tolist() == [10, 11, 12, 13]
    assert "tokens" not in df.columns  # input not modified
    assert out.loc[10, "tokens"] == ["бой", "нагорный_карабах", "продолжаться"]
    assert out.loc[10, "forms"] == ["Бои", "Нагорном Карабахе", "продолжаются"]
    assert "лачинський_коридор" in out.loc[11, "tokens"]
    assert out.loc[12, "tokens"] == ["lachin_corridor", "blockad", "continu"]
    for t, f in zip(out["tokens"], out["forms"]):
        assert isinstance(t, list) and len(t) == len(f)


def test_tokenize_missing_text_and_language():
    df = pd.DataFrame({"text": [None, "Бои в Карабахе"], "language": ["ru", None]})
    out = tokenize(df)
    assert out["tokens"].iloc[0] == []
    # a missing language is detected (the language rule), so the Russian text is lemmatised
    assert out["tokens"].iloc[1] == ["бой", "карабах"]


def test_tokenize_needs_text():
    with pytest.raises(ValueError):
        tokenize(pd.DataFrame({"body": ["x"]}))


def test_identical_output_across_two_runs():
    df = _frame()
    first = tokenize(df)
    second = tokenize(df)
    assert first["tokens"].tolist() == second["tokens"].tolist()
    assert first["forms"].tolist() == second["forms"].tolist()


def test_identical_output_across_processes():
    import os

    df = _frame()
    here = tokenize(df)[["tokens", "forms"]].values.tolist()
    code = (
        "import json, sys, pandas as pd\n"
        "from toolkit.tokens import tokenize\n"
        "rows = json.load(sys.stdin)\n"
        "df = pd.DataFrame(rows, columns=['text', 'language'])\n"
        "print(json.dumps(tokenize(df)[['tokens', 'forms']].values.tolist()))\n"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")  # a different string hashing than this process
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            input=json.dumps(df[["text", "language"]].values.tolist()),
                            timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == here


def test_parallel_gives_the_same_tokens():
    base = [  # invented
        ("Бои в Нагорном Карабахе продолжаются.", "ru"),
        ("Жители Степанакерта уезжают через Лачинский коридор.", "ru"),
        ("Блокада Лачинського коридору триває.", "uk"),
        ("The Lachin corridor blockade continues.", "en"),
        ("Qarabağda vəziyyət gərgindir.", "az"),
        ("Пашинян встретился с Алиевым в Брюсселе.", "ru"),
        ("Ղարաբաղում իրավիճակը լարված է", "hy"),
        ("", "ru"),                 # no text and no word: packed results keep empty token lists
        ("19.09.2023, 13:00", "en"),
    ]
    rows = [(f"{text} Номер {i}." if lang == "ru" else text, lang) for i, (text, lang) in
            enumerate(base * 35)]
    df = pd.DataFrame(rows, columns=["text", "language"])
    assert len(df) > 200
    serial = tokenize(df, n_jobs=1)
    parallel = tokenize(df, n_jobs=2)
    assert serial["tokens"].tolist() == parallel["tokens"].tolist()
    assert serial["forms"].tolist() == parallel["forms"].tolist()
    assert parallel.index.tolist() == df.index.tolist()


# ------------------------------------------------------------------ scikit-learn

RU_DOCS = [  # invented
    "Азербайджан начал наступление в Нагорном Карабахе.",
    "Жители Нагорного Карабаха уехали в Армению.",
    "Лачинский коридор закрыт, гуманитарная помощь не проходит.",
    "Россия и Европейский союз призвали к переговорам.",
    "Армения и Азербайджан обсудили мирный договор.",
    "Гуманитарная помощь прошла через Лачинский коридор.",
]


def test_tokenizer_is_callable_and_matches_tokenize_text():
    tok = Tokenizer(language="ru")
    assert tok(RU_DOCS[0]) == toks(RU_DOCS[0], "ru")
    assert tok.transform(RU_DOCS[:2]) == [toks(d, "ru") for d in RU_DOCS[:2]]
    assert tok.fit(RU_DOCS) is tok


def test_tokenizer_options_are_sklearn_params():
    from sklearn.base import clone

    tok = Tokenizer(language="uk", phrases=False, extra_stopwords=("бій",))
    params = tok.get_params()
    assert params["language"] == "uk" and params["phrases"] is False
    assert clone(tok).get_params() == params


def test_tokenizer_as_countvectorizer_analyzer():
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer(analyzer=Tokenizer(language="ru"))
    matrix = vec.fit_transform(["В Карабахе", "Карабах и Азербайджан", "Нагорном Карабахе"])
    vocab = vec.vocabulary_
    assert set(vocab) == {"карабах", "азербайджан", "нагорный_карабах"}
    assert matrix[:, vocab["карабах"]].toarray().ravel().tolist() == [1, 1, 0]
    assert matrix.sum() == 4


def test_tokenizer_as_tfidf_analyzer():
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer=Tokenizer(language="ru"))
    matrix = vec.fit_transform(RU_DOCS)
    assert matrix.shape == (len(RU_DOCS), len(vec.vocabulary_))
    assert "лачинский_коридор" in vec.vocabulary_
    assert "и" not in vec.vocabulary_
    np.testing.assert_allclose(np.sqrt(matrix.multiply(matrix).sum(axis=1)).A.ravel(), 1.0)


def test_pretokenized_identity_analyzer():
    from sklearn.feature_extraction.text import CountVectorizer

    assert pretokenized(["a", "b"]) == ["a", "b"]
    vec = CountVectorizer(analyzer=pretokenized).fit([["нагорный_карабах", "бой"], ["бой"]])
    assert vec.vocabulary_ == {"бой": 0, "нагорный_карабах": 1}
    assert pickle.loads(pickle.dumps(vec)).transform([["бой", "бой"]]).toarray().tolist() == [[2, 0]]


def test_lda_pipeline_fits_pickles_and_reproduces():
    from sklearn.decomposition import LatentDirichletAllocation
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.pipeline import make_pipeline

    pipe = make_pipeline(CountVectorizer(analyzer=Tokenizer(language="ru")),
                         LatentDirichletAllocation(n_components=2, random_state=0))
    pipe.fit(RU_DOCS)
    before = pipe.transform(RU_DOCS)
    assert before.shape == (len(RU_DOCS), 2)
    np.testing.assert_allclose(before.sum(axis=1), 1.0)
    loaded = pickle.loads(pickle.dumps(pipe))
    after = loaded.transform(RU_DOCS)
    np.testing.assert_array_equal(before, after)
    assert loaded[0].vocabulary_ == pipe[0].vocabulary_


def test_tokenizer_transform_honours_its_language():
    # regression (issue 10): Tokenizer(language="ru").transform(df) used the frame's column instead
    frame = pd.DataFrame({"text": ["Бои в Карабахе"], "language": ["en"]})  # invented
    assert Tokenizer(language="ru").transform(frame) == [["бой", "карабах"]]
    assert Tokenizer(language="ru").transform(frame) == Tokenizer(language="ru").transform(["Бои в Карабахе"])


def test_tokenizer_passes_the_estimator_checks_that_apply_to_text():
    # check_estimator's battery feeds numeric arrays; for a text transformer (like CountVectorizer)
    # it skips with a warning, so the API checks that take no data are run one by one
    import warnings

    from sklearn.base import clone
    from sklearn.utils import estimator_checks as checks

    tokenizer = Tokenizer(language="ru", extra_stopwords=("бой",))
    for check in (checks.check_no_attributes_set_in_init, checks.check_get_params_invariance,
                  checks.check_set_params, checks.check_parameters_default_constructible,
                  checks.check_estimator_repr):
        check("Tokenizer", tokenizer)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        checks.check_estimator(Tokenizer())
    assert any("Can't test estimator Tokenizer" in str(w.message) for w in caught)
    copy = clone(tokenizer)
    assert copy.get_params() == tokenizer.get_params() and copy is not tokenizer
    texts = ["Бои в Карабахе", "Азербайджан и Армения"]  # invented
    assert tokenizer.fit(texts) is tokenizer
    assert tokenizer.fit_transform(texts) == tokenizer.transform(texts) == [["карабах"], ["азербайджан", "армения"]]


def test_phrases_from_a_users_file(tmp_path):
    # regression (issue 10): phrases could only be changed by editing the installed package's file.
    # The phrase list is INVENTED for this test ("гуманитарная пауза" is not a packaged phrase).
    path = tmp_path / "my_phrases.csv"
    path.write_text("# invented for this test\nlang,phrase\nru,гуманитарная пауза\n", encoding="utf-8")
    frame = pd.DataFrame({"text": ["Гуманитарную паузу объявили в Нагорном Карабахе"], "language": ["ru"]})
    packaged = tokenize(frame)
    mine = tokenize(frame, phrases=str(path))
    assert packaged["tokens"][0] == ["гуманитарный", "пауза", "объявить", "нагорный_карабах"]
    assert mine["tokens"][0] == ["гуманитарный_пауза", "объявить", "нагорный_карабах"]  # gazetteer names still merged
    assert mine["forms"][0][0] == "Гуманитарную паузу"
    assert [r["name"] for r in mine.attrs["resources"] if r["kind"] == "phrases"] == ["my_phrases.csv"]
    assert [r["name"] for r in packaged.attrs["resources"] if r["kind"] == "phrases"] == ["phrases"]
    assert Tokenizer(language="ru", phrases=str(path))("Гуманитарная пауза") == ["гуманитарный_пауза"]
    assert tokenize(frame, phrases=False)["tokens"][0][-2:] == ["нагорный", "карабах"]
    assert not [r for r in tokenize(frame, phrases=False).attrs["resources"] if r["kind"] == "phrases"]


def test_chinese_and_japanese_are_cut_into_words():
    """Review (2026-12-07): a Chinese sentence was one token (no spaces), so its frequencies and
    topics counted whole clauses; then character bigrams, which put fragments and pairs across two
    words (入纳 of 进入 + 纳卡) among a figure's key words. Chinese is now cut into jieba's words,
    Japanese into janome's. Invented sentences; the words written out by hand."""
    zh = tokenize_text("阿塞拜疆与亚美尼亚。俄罗斯维和部队进入纳卡地区", "zh")
    # 与 'and' is one character (dropped), 地区 'region' a stopword-free noun, 进入 'enter' kept
    assert zh[0] == ["阿塞拜疆", "亚美尼亚", "俄罗斯", "维和部队", "进入", "纳卡", "地区"]
    assert zh[1] == zh[0]                       # forms: the words as written
    assert tokenize_text("我们认为这个问题", "zh")[0] == ["认为", "问题"]   # 我们 'we', 这个 'this': stopwords
    assert tokenize_text("俄罗斯TASS报道", "zh", stopwords_=False)[0] == ["俄罗斯", "tass", "报道"]
    # Japanese: particles (の, は, を, と), auxiliaries (た) and the light verb する (a stopword) go;
    # the token is the dictionary form (述べる), the form as written stays (述べ)
    ja = tokenize_text("アルメニアの首相は和平交渉を開始すると述べた。TASS", "ja")
    assert ja[0] == ["アルメニア", "首相", "和平", "交渉", "開始", "述べる", "tass"]
    assert ja[1] == ["アルメニア", "首相", "和平", "交渉", "開始", "述べ", "TASS"]
    assert tokenize_text("亚", "zh")[0] == []                           # a lone character is no word


def test_chinese_names_of_the_gazetteer_stay_whole():
    """Session 13's note: 纳戈尔诺-卡拉巴赫 was cut at the hyphen and 纳 dropped as a one-character
    word, leaving 戈尔诺 and 卡拉巴赫. The gazetteer's Chinese names are now kept whole, as its
    multi-word names are merged in other languages. Invented sentences."""
    text = "在纳戈尔诺-卡拉巴赫地区。塞浦路斯拉纳卡"
    assert tokenize_text(text, "zh")[0] == ["纳戈尔诺-卡拉巴赫", "地区", "塞浦路斯", "拉纳卡"]
    # without phrases the segmenter alone: the old cut (拉纳卡 "Larnaca", a gazetteer mask, is in jieba too)
    assert tokenize_text(text, "zh", phrases=False)[0] == ["戈尔诺", "卡拉巴赫", "地区", "塞浦路斯", "拉纳卡"]
    assert tokenize_text("Armenia 纳戈尔诺-卡拉巴赫 peace-talks", "zh")[0] == ["armenia", "纳戈尔诺-卡拉巴赫",
                                                                                "peace-talks"]


def test_tokens_record_the_name_resources_they_read():
    # invented: Azerbaijani tokens cut a gazetteer name's endings (qarabağda -> qarabağ), so the
    # gazetteer and the endings file are part of their provenance, with or without phrases
    df = pd.DataFrame({"text": ["Qarabağda danışıqlar davam edir."], "language": ["az"]})
    for phrases in (True, False):
        out = tokenize(df, phrases=phrases)
        assert out["tokens"].iloc[0][0] == "qarabağ"
        names = {r["name"] for r in out.attrs["resources"]}
        assert {"gazetteer", "name_suffixes"} <= names
    english = tokenize(pd.DataFrame({"text": ["Talks go on."], "language": ["en"]}), phrases=False)
    assert "name_suffixes" not in {r["name"] for r in english.attrs["resources"]}
