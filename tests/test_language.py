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
    assert [ch for ch in letters if ch not in language._alphabets()["bg"].letters] == list("ҷӯқғ")
    assert language._alphabets()["bg"].foreign.findall(text.lower()) == list("ҷӯқғ")   # the fast path agrees
    assert language.writes_like(text, "bg") and not language.writes_like(text + " Кӯҳӣ", "bg")
    # a Russian article quoting Ukrainian: 6 foreign letters (ї and five і) in about 700 are under 1 %: Russian
    russian = "Премьер-министр заявил, что переговоры продолжатся на следующей неделе в Брюсселе. " * 10
    assert language.writes_like(russian + "Київ і Харків, Дніпро і Львів", "ru")
    # 300 Latin letters without ə are not Azerbaijani; with it they may be
    assert not language.writes_like("Ozarbayjon harbiy amaliyot boshladi " * 10, "az")
    assert language.writes_like("Azərbaycan hərbi əməliyyat başladı " * 10, "az")
    assert language.writes_like("anything at all", "en")   # no row: not checked


def test_a_short_text_is_judged_among_its_likeliest_candidates():
    # benchmark (2026-12-08): judging a short text among all 45 candidates loaded every candidate's
    # 1- to 5-gram models (about 850 MB, 20 CPU s a process). Agreement with that reference (lingua's
    # full detector over every candidate) on invented titles in ten languages
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    from toolkit.languages import codes

    reference = LanguageDetectorBuilder.from_iso_codes_639_1(
        *[getattr(IsoCode639_1, c.upper()) for c in codes(detect=True)]).build()
    titles = ["Переговоры в Брюсселе отложены", "Переговори у Брюсселі відкладено", "Talks in Brussels postponed",
              "Brüsseldəki danışıqlar təxirə salındı", "Brüksel'deki görüşmeler ertelendi",
              "Gespräche in Brüssel verschoben", "Les pourparlers de Bruxelles reportés", "Rozmowy w Brukseli przełożone",
              "Преговорите в Брюксел са отложени", "Брюсселдегі келіссөздер кейінге қалдырылды"]
    expected = ["ru", "uk", "en", "az", "tr", "de", "fr", "pl", "bg", "kk"]
    assert [language._lingua(t) for t in titles] == expected
    assert [reference.detect_language_of(t).iso_code_639_1.name.lower() for t in titles] == expected
    assert language._detector_among.cache_info().currsize >= 1     # the short path was taken
