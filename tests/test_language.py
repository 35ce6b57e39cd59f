"""Tests for toolkit.language: the probes of language detection and their fallback.

All texts are INVENTED for these tests (short made-up news sentences, repeated to length).
"""
from __future__ import annotations

import pytest

from toolkit import language
from toolkit.language import detect_language, detect_languages

RU = "Азербайджан и Армения провели новый раунд переговоров о мирном договоре в Вашингтоне. "
EN = "The foreign ministers met again in Washington to discuss the text of a peace treaty. "
UK = "Міністри закордонних справ знову зустрілися у Вашингтоні, щоб обговорити мирний договір. "


def whole_sample(text: str) -> str:
    """The reference: lingua on the whole sample, as detection worked before the probes."""
    return language._lingua(text[:language.SAMPLE_CHARS])


@pytest.mark.parametrize("text,expected", [(RU * 12, "ru"), (EN * 12, "en"), (UK * 12, "uk")])
def test_probes_agree_with_the_whole_sample(text, expected, monkeypatch):
    calls = []
    real = language._lingua
    monkeypatch.setattr(language, "_lingua", lambda t: calls.append(len(t)) or real(t))
    assert detect_language(text) == expected
    # two probes of about PROBE_LETTERS letters each, never the whole sample
    assert len(calls) == 2 and max(calls) < 2 * language.PROBE_LETTERS
    assert whole_sample(text) == expected


def test_probes_that_disagree_fall_back_to_the_whole_sample(monkeypatch):
    text = EN * 3 + RU * 12  # an English lead, then a Russian article: probes say en and ru
    calls = []
    real = language._lingua
    monkeypatch.setattr(language, "_lingua", lambda t: calls.append(len(t)) or real(t))
    assert detect_language(text) == "ru"
    assert calls[-1] == len(text[:language.SAMPLE_CHARS]) and len(calls) == 3


def test_short_texts_and_scripts():
    assert detect_language(RU) == "ru"  # shorter than three probes: the whole text decides
    assert detect_language("Ադրբեջանը և Հայաստանը բանակցություններ են վարել " * 5) == "hy"
    assert detect_languages(["12345 67", None, EN]) == ["und", "und", "en"]


def test_any_script_test_finds_every_character_of_the_single_language_scripts():
    # the one-scan test may skip the per-script counts only where none of them finds a character
    every = [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]  # the scripts are all in this plane
    for pattern, _ in language._SCRIPT_LANGUAGE:
        found = [c for c in every if pattern.fullmatch(c)]
        assert found and all(language._ANY_SCRIPT_LANGUAGE.fullmatch(c) for c in found)
    assert all(max(map(ord, pattern.pattern.encode().decode("unicode_escape"))) < 0x10000
               for pattern, _ in language._SCRIPT_LANGUAGE)


@pytest.mark.parametrize("text,expected", [
    # invented sentences ("the army began a military operation in Karabakh on Tuesday and the government
    # in Yerevan asked for help"); before cs, hr and sv were candidates they were detected as Vietnamese,
    # Slovenian and German
    ("Ázerbájdžánská armáda zahájila v úterý vojenskou operaci v Náhorním Karabachu a vláda v Jerevanu "
     "požádala o pomoc.", "cs"),
    ("Azerbajdžanska vojska u utorak je pokrenula vojnu operaciju u Gorskom Karabahu, a vlada u Erevanu "
     "zatražila je pomoć.", "hr"),
    ("Azerbajdzjans armé inledde på tisdagen en militär operation i Nagorno-Karabach och regeringen i "
     "Jerevan bad om hjälp.", "sv"),
    ("Az azerbajdzsáni hadsereg kedden katonai műveletet indított Hegyi-Karabahban, a jereváni kormány "
     "segítséget kért.", "hu"),
])
def test_neighbouring_languages_are_candidates(text, expected):
    assert detect_languages([text * 3]) == [expected]


# adversarial review (2026-12-08): lingua chooses among the candidates only, so a language outside
# them came out as its nearest one and was read with that language's rules. Invented sentences
# ("Azerbaijan began a military operation in Karabakh on Tuesday; Armenia's prime minister condemned
# the attack; thousands fled the region"), each three times (a short article)
@pytest.mark.parametrize("text,nearest", [
    ("Озарбойҷон рӯзи сешанбе дар Қарабоғи Кӯҳӣ амалиёти низомӣ оғоз кард. Сарвазири Арманистон ҳамларо "
     "шадидан маҳкум кард. Ҳазорон нафар аз минтақа фирор карданд. ", "bg"),                       # Tajik
    ("Әзербайҗан сишәмбе көнне Таулы Карабахта хәрби операция башлады. Әрмәнстан премьер-министры "
     "һөҗүмне кискен хөкем итте. Меңнәрчә кеше төбәктән качты. ", "ru"),                            # Tatar
    ("Озарбайжон сешанба куни Тоғли Қорабоғда ҳарбий амалиёт бошлади. Арманистон бош вазири ҳужумни "
     "қаттиқ қоралади. Минглаб одамлар минтақадан қочиб кетди. ", "mk"),                            # Uzbek
    ("Azerbaýjan sişenbe güni Daglyk Garabagda harby operasiýa başlady. Ermenistanyň premýer-ministri "
     "hüjümi berk ýazgardy. Müňlerçe adam sebitden gaçdy. ", "tr"),                                 # Turkmen
    ("Azerbaijan ilianzisha operesheni ya kijeshi katika eneo la Nagorno-Karabakh siku ya Jumanne. Waziri "
     "mkuu wa Armenia alilaani vikali shambulio hilo. Maelfu ya watu walikimbia eneo hilo. ", "sq"),  # Swahili
])
def test_a_language_outside_the_candidates_is_und_not_its_nearest(text, nearest):
    assert language._lingua(text * 3) == nearest      # what lingua alone says
    assert detect_languages([text * 3]) == ["und"]


def test_writes_like_by_hand():
    # against the Bulgarian alphabet, 4 of these 32 Cyrillic letters are foreign (ҷ ӯ қ ғ): 12 %, but
    # fewer than FOREIGN_MIN = 5, too few to tell; three more (ӯ ҳ ӣ of "Кӯҳӣ") make 7: not Bulgarian
    text = "Озарбойҷон рӯзи сешанбе дар Қарабоғи"
    letters = language._SCRIPT_LETTERS["cyrillic"].findall(text.lower())
    assert len(letters) == 32
    assert [ch for ch in letters if ch not in language._alphabets()["bg"][1]] == list("ҷӯқғ")
    assert language._alphabets()["bg"][3].findall(text.lower()) == list("ҷӯқғ")   # the fast path agrees
    assert language.writes_like(text, "bg") and not language.writes_like(text + " Кӯҳӣ", "bg")
    # a Russian article quoting Ukrainian: 6 foreign letters (ї and five і) in about 700 are under 1 %: Russian
    russian = "Премьер-министр заявил, что переговоры продолжатся на следующей неделе в Брюсселе. " * 10
    assert language.writes_like(russian + "Київ і Харків, Дніпро і Львів", "ru")
    # 300 Latin letters without ə are not Azerbaijani; with it they may be
    assert not language.writes_like("Ozarbayjon harbiy amaliyot boshladi " * 10, "az")
    assert language.writes_like("Azərbaycan hərbi əməliyyat başladı " * 10, "az")
    assert language.writes_like("anything at all", "en")   # no row: not checked


def test_lingua_models_are_unloaded_after_a_rare_short_text(monkeypatch):
    # benchmark (2026-12-08): 19 short texts among 100,000 articles made lingua keep its 1- to 5-gram
    # models (about 850 MB) in both ingest workers, over the 2 GB target; after a rare short text
    # they are unloaded (at most 5, or 1 % of the texts, so a corpus of titles does not thrash)
    class Stub:
        unloaded = 0

        def detect_language_of(self, text):
            return None

        def unload_language_models(self):
            Stub.unloaded += 1

    monkeypatch.setattr(language, "_detector", lambda: Stub())
    monkeypatch.setattr(language, "_seen", {"texts": 0, "short": 0})
    long = "Переговоры министров продолжатся на следующей неделе в Брюсселе. " * 4
    for _ in range(3):
        assert language._lingua(long) == "und"
    assert Stub.unloaded == 0                       # long texts: the trigram models stay
    for _ in range(7):
        language._lingua("Короткий текст")          # 13 letters
    assert Stub.unloaded == 5                        # 5 of 10 texts are short by then: no more unloading
    for _ in range(490):
        language._lingua(long)
    language._lingua("Короткий текст")              # the 8th short text of 500: 1.6 % > 1 %
    assert Stub.unloaded == 5
    for _ in range(400):
        language._lingua(long)
    language._lingua("Короткий текст")              # the 9th of 902: under 1 %, unloaded again
    assert Stub.unloaded == 6
