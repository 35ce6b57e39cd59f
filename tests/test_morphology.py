"""Tests for toolkit.morphology: word form -> lemma (ru/uk pymorphy3, en Snowball, others lower case).

Every word form below is INVENTED test input (single words or made-up phrases), not corpus text.
"""
from __future__ import annotations

import pytest

import toolkit.morphology as morphology
from toolkit.morphology import analyse, lemma_cache, lemmatize, lemmatizer_for


# ------------------------------------------------------------------ Russian / Ukrainian lemmas

@pytest.mark.parametrize("form,lemma", [
    ("Карабах", "карабах"),
    ("Карабаха", "карабах"),
    ("Карабахе", "карабах"),
    ("Карабаху", "карабах"),
    ("Карабахом", "карабах"),
    ("Азербайджану", "азербайджан"),
    ("Азербайджана", "азербайджан"),
    ("Армении", "армения"),
    ("Армению", "армения"),
    ("Степанакерте", "степанакерт"),
    ("Степанакерта", "степанакерт"),
    ("Шуши", "шуша"),
    ("Шуше", "шуша"),
    ("Кремля", "кремль"),
    ("Путина", "путин"),
    ("Алиева", "алиев"),
])
def test_russian_lemmas_of_actor_and_place_forms(form, lemma):
    assert lemmatize(form, "ru") == lemma


@pytest.mark.parametrize("form,lemma", [
    ("Азербайджану", "азербайджан"),
    ("Вірменії", "вірменія"),
    ("Вірменію", "вірменія"),
    ("Карабаху", "карабах"),
    ("Нагірного", "нагірний"),
])
def test_ukrainian_lemmas_of_actor_and_place_forms(form, lemma):
    assert lemmatize(form, "uk") == lemma


def test_russian_and_ukrainian_are_analysed_with_their_own_dictionaries():
    # "Вірменії" is Ukrainian only; the two languages must not share a cache entry
    assert lemmatize("Азербайджану", "ru") == lemmatize("Азербайджану", "uk") == "азербайджан"
    assert lemmatize("Вірменії", "uk") == "вірменія"


@pytest.mark.parametrize("form,lemma", [
    ("Ёлке", "елка"),
    ("ёлки", "елка"),
    ("Всё", "все"),
    ("объём", "объем"),
    ("Объёма", "объем"),
])
def test_yo_is_written_ye_in_russian_lemmas(form, lemma):
    result = lemmatize(form, "ru")
    assert result == lemma
    assert "ё" not in result


def test_yo_and_ye_spellings_give_the_same_lemma():
    assert lemmatize("объёма", "ru") == lemmatize("объема", "ru") == "объем"


def test_analyse_replaces_yo_too():
    assert analyse("ёлке", "ru") == "елка"


# ------------------------------------------------------------------ English stems

@pytest.mark.parametrize("form,stem", [
    ("negotiations", "negoti"),
    ("Negotiations", "negoti"),
    ("blockade", "blockad"),
    ("corridors", "corridor"),
    ("Corridor", "corridor"),
    ("refugees", "refuge"),
    ("fled", "fled"),
    ("talks", "talk"),
])
def test_english_snowball_stems(form, stem):
    assert lemmatize(form, "en") == stem


def test_english_stems_match_nltk_snowball():
    from nltk.stem.snowball import SnowballStemmer

    stemmer = SnowballStemmer("english")
    for word in ["peacekeepers", "ceasefire", "humanitarian", "displaced", "agreements"]:
        assert lemmatize(word, "en") == stemmer.stem(word)


# ------------------------------------------------------------------ other Snowball stems, apostrophes

@pytest.mark.parametrize("form,language,stem", [
    # invented words; stems as the Snowball algorithms define them (https://snowballstem.org)
    ("négociations", "fr", "négoci"), ("négociation", "fr", "négoci"),
    ("Flüchtlinge", "de", "fluchtling"), ("Flüchtlingen", "de", "fluchtling"),
    ("negociaciones", "es", "negoci"), ("rifugiati", "it", "rifug"),
    ("refugiados", "pt", "refugi"), ("wojny", "pl", "wojn"), ("wojnie", "pl", "wojn"),
])
def test_european_snowball_stems(form, language, stem):
    assert lemmatize(form, language) == stem


def test_european_stems_agree_with_nltk_snowball():
    # a second implementation of the same algorithms (nltk's), on invented words where the two agree
    from nltk.stem.snowball import SnowballStemmer

    for language, name, words in [("fr", "french", "négociations réfugiés corridor blocus"),
                                  ("de", "german", "Verhandlungen Flüchtlinge Korridor Blockade"),
                                  ("es", "spanish", "negociaciones refugiados corredor bloqueo")]:
        for word in words.split():
            assert lemmatize(word, language) == SnowballStemmer(name).stem(word.lower())


@pytest.mark.parametrize("form,language,expected", [
    ("l'Arménie", "fr", "armen"),          # the elided article goes, then the stem: as "Arménie"
    ("L’Arménie", "fr", "armen"),          # typographic apostrophe
    ("dell'Armenia", "it", "armen"),
    ("aujourd'hui", "fr", "aujourd'hui"),   # not an elided article: the word is kept whole
    ("Karabağ'da", "tr", "karabağ"),       # Turkish: case suffixes after a name's apostrophe go
    ("Azerbaycan’ın", "tr", "azerbaycan"),
    ("Qarabağ'ın", "az", "qarabağ"),
    ("armenia's", "en", "armenia"),        # English: the stemmer's own possessive rule
])
def test_apostrophe_rules(form, language, expected):
    assert lemmatize(form, language) == expected


def test_elided_article_gives_the_token_of_the_bare_word():
    assert lemmatize("l'Arménie", "fr") == lemmatize("Arménie", "fr")
    assert lemmatize("qu'Erevan", "fr") == lemmatize("Erevan", "fr")
    assert lemmatize("Karabağ'daki", "tr") == lemmatize("Karabağ", "tr")


def test_no_snowball_stem_where_it_overstems():
    # Snowball's Armenian stemmer gives բա for Բաքվում ("in Baku") and its Turkish one "in" for
    # insan ("person"): these languages get dictionary lemmas and gazetteer names instead
    # (toolkit/data/languages.csv: Բաքվում is the gazetteer's Բաքվ* + -ում), and Arabic only loses
    # its article
    assert lemmatize("Բաքվում", "hy") == "բաքվ"
    assert lemmatize("insan", "tr") == "insan"
    assert lemmatize("الأرمن", "ar") == "أرمن"   # only the article goes (Snowball's gave ارم)


# ------------------------------------------------------------------ dictionary lemmas (simplemma)

@pytest.mark.parametrize("form,language,expected", [
    ("Ղարաբաղում", "hy", "ղարաբաղ"),        # "in Karabakh"
    ("Ղարաբաղի", "hy", "ղարաբաղ"),          # "of Karabakh"
    ("Հայաստանից", "hy", "հայաստան"),       # "from Armenia"
    ("պատերազմի", "hy", "պատերազմ"),        # "of the war"
    ("խաղաղության", "hy", "խաղաղություն"),  # "of peace"
    ("պայմանագրի", "hy", "պայմանագիր"),     # "of the treaty": the stem vowel comes back
    ("savaşta", "tr", "savaş"),             # "in the war"
    ("mültecilerin", "tr", "mülteci"),      # "of the refugees"
    ("anlaşmasının", "tr", "anlaşma"),      # "of its agreement"
    ("Karabağ'daki", "tr", "karabağ"),      # apostrophe rule first, then the dictionary
    ("İstanbul'da", "tr", "istanbul"),      # a capital-İ lemma is lower-cased to plain i
    ("ომში", "ka", "ომი"),                  # Georgian "in the war"
    ("მშვიდობის", "ka", "მშვიდობა"),        # "of peace"
    ("коридорът", "bg", "коридор"),         # Bulgarian definite article
    ("Armeniju", "hr", "armenija"),         # Croatian, through simplemma's Serbo-Croatian (hbs)
    ("pokračují", "cs", "pokračovat"),
])
def test_dictionary_lemmas(form, language, expected):
    assert lemmatize(form, language) == expected


@pytest.mark.parametrize("form,language,expected", [
    ("Մալիբուից", "hy", "մալիբուից"),      # "from Malibu": not in the dictionary, no gazetteer name: kept
    ("Paşinyan'ın", "tr", "paşinyan"),     # the apostrophe rule still applies
    ("karabağda", "tr", "karabağda"),      # Turkish has no name endings: a name's endings go only after an apostrophe
])
def test_forms_a_dictionary_lacks_are_kept(form, language, expected):
    from toolkit.morphology import dictionary_lemma

    assert dictionary_lemma(form.lower(), language) is None
    assert lemmatize(form, language) == expected


# ------------------------------------------------------------------ names and their endings (name_suffixes.csv)

@pytest.mark.parametrize("form,language,expected", [
    ("Qarabağda", "az", "qarabağ"),                 # "in Karabakh": locative -da
    ("Qarabağdakı", "az", "qarabağ"),               # locative + relative -kı
    ("Azərbaycanın", "az", "azərbaycan"),           # genitive -ın
    ("Ermənistana", "az", "ermənistan"),            # dative -a
    ("Əliyevin", "az", "əliyev"),
    ("Paşinyanla", "az", "paşinyan"),               # comitative -la
    ("Rusiyanın", "az", "rusiya"),                  # genitive after a vowel: -nın
    ("sülhməramlılarının", "az", "sülhməramlı"),    # "of their peacekeepers": plural + possessive + genitive
    ("Xankəndiyə", "az", "xankənd"),                # both Xankəndi* and Xankənd* are listed: the shorter name
    ("Xankəndi", "az", "xankənd"),                  # ... so every form of the city gives one token
    ("Qarabağ", "az", "qarabağ"),
    ("qaçqın", "az", "qaçqın"),                     # "refugee": ends like a genitive, but is no name + ending
    ("davam", "az", "davam"),                       # "continuation": first-person possessives are not endings here
    ("Qarabağlı", "az", "qarabağlı"),               # "from Karabakh": a derivation, not an ending of the list
    ("Լաչինից", "hy", "լաչին"),                     # "from Lachin": not in the dictionary, a gazetteer name + -ից
    ("Լաչինի", "hy", "լաչին"),
    ("ყარაბაღში", "ka", "ყარაბაღ"),                 # "in Karabakh": -ში
    ("ყარაბაღის", "ka", "ყარაბაღ"),                 # "of Karabakh": -ის
])
def test_names_lose_their_endings(form, language, expected):
    assert lemmatize(form, language) == expected


@pytest.mark.parametrize("form,expected", [
    ("ordusunun", "ordu"),           # "of its army": possessive -su + genitive -nun; Turkish ordu
    ("xalqının", "xalq"),            # "of its people": x -> h, q -> k gives Turkish halkının -> halk
    ("tədbirləri", "tədbir"),        # "measures": plural + possessive; ə -> e
    ("bölgədəki", "bölgə"),          # locative + relative -ki
    ("davam", "davam"),              # Turkish reads dava "lawsuit" + -m: not an Azerbaijani ending here
    ("verir", "verir"),              # a verb: -ir is no nominal ending, kept
    ("ilin", "ilin"),                # "of the year": a lemma under 3 letters is not taken
    ("xəbər", "xəbər"),              # "news" (Turkish haber): the word itself, nothing to cut
    ("ordusunda", "ordu"),           # -nda after the possessive -su
    ("komanda", "komanda"),          # "team": not Turkish koma "coma" + -nda (-nda follows only a possessive)
    ("kəndində", "kəndində"),        # "in his village": not Turkish kendi "self" + -ndə
    ("dəfə", "dəfə"),                # "time, occurrence": not def "tambourine" + -ə (lemma_overrides.csv)
])
def test_azerbaijani_reads_turkish_lemmas_only_as_its_own_beginning(form, expected):
    assert lemmatize(form, "az") == expected


@pytest.mark.parametrize("form,language,expected,dictionary", [
    ("Gence'de", "tr", "gence", "genç"),      # "in Ganja": the dictionary says genç, "young"
    ("Biden", "tr", "biden", "bide"),
    ("Շուշի", "hy", "շուշի", "շուշա"),        # the Armenian name of Shusha/Shushi ...
    ("Շուշա", "hy", "շուշա", "շուշա"),        # ... and the Azerbaijani one stay two tokens
    ("Շուշիում", "hy", "շուշի", "շուշի"),      # "in Shushi": name + -ում
    ("Շուշայում", "hy", "շուշա", "շուշա"),     # "in Shusha": name + the glide form -յում
    ("ԱՄՆ", "hy", "ամն", "ամ"),               # "USA" (a name of 3 letters: kept as written, not cut)
])
def test_names_come_before_the_dictionary(form, language, expected, dictionary):
    from toolkit.morphology import dictionary_lemma, word_proper

    assert dictionary_lemma(word_proper(form.lower(), language), language) == dictionary
    assert lemmatize(form, language) == expected


def test_georgian_names_listed_in_case_forms_share_their_root():
    # the gazetteer lists ირანი*, ირანს*, ირანმ*, ირანშ* ...: their common root ირან is the name
    assert {lemmatize(w, "ka") for w in ["ირანი", "ირანს", "ირანმა", "ირანში", "ირანთან"]} == {"ირან"}
    assert lemmatize("ბაქოსთან", "ka") == "ბაქო"          # dative -ს + the postposition -თან


def test_a_name_whose_stem_changes_stays_two_tokens():
    # Armenian Բաքու "Baku", Բաքվում "in Baku": the gazetteer lists both stems (Բաքու*, Բաքվ*)
    assert (lemmatize("Բաքու", "hy"), lemmatize("Բաքվում", "hy")) == ("բաքու", "բաքվ")


def test_every_dictionary_stays_loaded(monkeypatch):
    from toolkit import morphology

    # simplemma's shared store keeps 8 dictionaries; the toolkit's own keeps one per language
    store = morphology._lemma_lookup()._dictionary_factory
    assert store._get_dictionary.cache_info().maxsize >= len(set(morphology.LEMMA_DICTIONARIES.values())) == 13


def test_name_endings_are_chained_in_slot_order(monkeypatch):
    from toolkit import morphology

    # invented rules: name "abcd"; slot 1 "x", slot 2 "y"
    monkeypatch.setattr(morphology, "_name_rules", lambda language: (frozenset({"abcd", "ab"}),
                                                                       frozenset({"", "x", "y", "xy"})))
    assert [morphology.name_stem(w, "az") for w in ["abcdx", "abcdxy", "abcdyx", "abcdxx", "abcd", "ab", "abx"]] \
        == ["abcd", "abcd", None, None, "abcd", "ab", None]   # a name under 4 letters is only taken whole
    monkeypatch.undo()
    chains = morphology._name_rules("az")[1]
    assert {"", "lar", "ın", "ların", "larının", "dakı", "dır"} <= chains and "ınlar" not in chains
    assert morphology._name_rules("tr")[1] == frozenset({""})   # Turkish: names only as written


def test_a_dictionary_lemma_that_is_not_one_word_is_not_taken(monkeypatch):
    from toolkit import morphology

    class Lookup:
        def get_lemma(self, token, lang):
            return {"ab": "a b", "cd": "c.", "ef": "E2", "gh": "Kl"}.get(token)

    monkeypatch.setattr(morphology, "_lemma_lookup", lambda: Lookup())
    assert [morphology.dictionary_lemma(w, "hy") for w in ["ab", "cd", "ef", "gh", "ij"]] == \
        [None, None, None, "kl", None]


# ------------------------------------------------------------------ other languages: lower case only

@pytest.mark.parametrize("form,language,expected", [
    ("vəziyyətdə", "az", "vəziyyətdə"),      # "in the situation": no name, kept as written
    ("Ermənistan", "az", "ermənistan"),
    ("Karabach", "de", "karabach"),
    ("Anything", "und", "anything"),
])
def test_other_languages_are_lower_cased_only(form, language, expected):
    assert lemmatize(form, language) == expected
    assert analyse(form.lower(), language) == expected


@pytest.mark.parametrize("form,expected", [
    ("الأرمن", "أرمن"),        # "the Armenians": the article goes
    ("للأرمن", "أرمن"),        # "for the Armenians": preposition + article
    ("والحرب", "حرب"),         # "and the war": conjunction + article
    ("بالقرب", "قرب"),         # "near": preposition + article
    ("وزير", "وزير"),          # "minister": a bare و is not cut (it begins words)
    ("الله", "الله"),          # two letters would remain: kept
    ("الآن", "الآن"),          # "now": likewise
    ("أرمن", "أرمن"),
])
def test_arabic_tokens_lose_the_article(form, expected):
    assert lemmatize(form, "ar") == expected


def test_lemmatizer_for_other_languages_is_identity_on_lower_forms():
    assert lemmatizer_for("az")("vəziyyətdə") == "vəziyyətdə"
    assert lemmatizer_for("fa")("ارمنستان") == "ارمنستان"


@pytest.mark.parametrize("language", ["az", "tr"])
def test_turkic_dotted_capital_i_lower_cases_to_plain_i(language):
    # Invented words. In Azerbaijani and Turkish "İ" is the capital of "i": a sentence-initial
    # "İnsanlar" must give the same token as "insanlar" in mid-sentence. Python's str.lower()
    # turns "İ" into "i" + U+0307 (combining dot above), which makes them two different tokens.
    # Turkish tokens are dictionary lemmas (insanlar "people" -> insan); Azerbaijani reads Turkish's
    # lemma as its own beginning + the plural ending
    expected = "insan"
    assert lemmatize("İnsanlar", language) == lemmatize("insanlar", language) == expected
    assert "\u0307" not in lemmatize("İrəvan", language)


# ------------------------------------------------------------------ lemmatizer_for / cache

def test_lemmatizer_for_agrees_with_lemmatize():
    lemma_of = lemmatizer_for("ru")
    for form in ["карабахе", "азербайджану", "армении", "степанакерте"]:
        assert lemma_of(form) == lemmatize(form, "ru")
    assert lemmatizer_for("en")("negotiations") == "negoti"
    assert lemmatizer_for("uk")("вірменії") == "вірменія"


def test_lemmatize_fills_the_shared_cache():
    cache = lemma_cache("ru")
    cache.pop("карабахом", None)
    assert lemmatize("Карабахом", "ru") == "карабах"
    assert cache["карабахом"] == "карабах"  # key is the lower-case form


def _counting_analyse(monkeypatch):
    calls = []
    real = morphology.analyse

    def counting(form, language):
        calls.append((form, language))
        return real(form, language)

    monkeypatch.setattr(morphology, "analyse", counting)
    return calls


def test_lemmatize_calls_analyse_once_per_form(monkeypatch):
    calls = _counting_analyse(monkeypatch)
    monkeypatch.delitem(lemma_cache("ru"), "степанакерту", raising=False)
    assert lemmatize("Степанакерту", "ru") == "степанакерт"
    assert calls == [("степанакерту", "ru")]
    assert lemmatize("Степанакерту", "ru") == "степанакерт"
    assert lemmatize("СТЕПАНАКЕРТУ", "ru") == "степанакерт"  # same lower-case form
    assert len(calls) == 1


def test_lemmatizer_for_uses_the_cache(monkeypatch):
    calls = _counting_analyse(monkeypatch)
    monkeypatch.delitem(lemma_cache("uk"), "азербайджаном", raising=False)
    lemma_of = lemmatizer_for("uk")
    assert lemma_of("азербайджаном") == "азербайджан"
    assert lemma_of("азербайджаном") == "азербайджан"
    assert calls == [("азербайджаном", "uk")]
    # a form cached by one path is served to the other without analysing it again
    assert lemmatize("Азербайджаном", "uk") == "азербайджан"
    assert lemmatizer_for("uk")("азербайджаном") == "азербайджан"
    assert len(calls) == 1


def test_caches_are_per_language(monkeypatch):
    calls = _counting_analyse(monkeypatch)
    for language in ("ru", "uk"):
        monkeypatch.delitem(lemma_cache(language), "азербайджаны", raising=False)
    lemmatize("азербайджаны", "ru")
    lemmatize("азербайджаны", "uk")
    assert [c[1] for c in calls] == ["ru", "uk"]


def test_stems_are_right_under_threads():
    """Review (2026-12-07): one shared snowballstemmer object gave wrong stems and IndexErrors when
    threads (scikit-learn under joblib's threading backend) stemmed at once; each thread now has its
    own. Invented French words, stemmed in 8 threads and compared with one thread's stems."""
    from concurrent.futures import ThreadPoolExecutor

    import sys

    words = ["présidentielles", "gouvernement", "négociations", "réfugiés", "frontières", "corridor"] * 3000
    expected = [morphology.analyse(w, "fr") for w in words]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)   # switch threads often, as a loaded machine does
    try:
        with ThreadPoolExecutor(8) as pool:
            got = list(pool.map(lambda w: morphology.analyse(w, "fr"), words))
    finally:
        sys.setswitchinterval(interval)
    assert got == expected
