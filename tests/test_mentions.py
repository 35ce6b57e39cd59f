"""Tests for toolkit.actors: gazetteer mentions of actors and places, with offsets.

All texts below are INVENTED short sentences written for these tests (no corpus text).
"""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.mentions import MENTION_COLUMNS, actors, find_mentions, gazetteer
from toolkit.units import segment

REQUIRED_IDS = ["azerbaijan", "armenia", "karabakh_authorities", "russia", "usa", "eu", "turkey", "iran",
                "france", "un", "icrc", "nagorno_karabakh", "stepanakert", "shusha", "lachin_corridor",
                "goris", "baku", "yerevan"]


def mentions(text, language):
    """(actor, mention) pairs, and a check that every mention is text[start:end]."""
    found = find_mentions(text, language)
    for actor, kind, mention, start, end in found:
        assert text[start:end] == mention
        assert kind in ("actor", "place")
    return [(m[0], m[2]) for m in found]


def one_frame(text, language, doc_id="a"):
    return pd.DataFrame({"doc_id": [doc_id], "language": [language], "text": [text]})


# ------------------------------------------------------------------ the gazetteer

def test_gazetteer_columns_and_kinds():
    gaz = gazetteer()
    assert list(gaz.columns) == ["id", "kind", "lang", "name", "case"]
    assert set(gaz["kind"]) == {"actor", "place", "mask"}
    assert set(gaz["case"]) == {"", "capital"}
    assert (gaz["name"].str.strip() == gaz["name"]).all()
    assert (gaz["name"] != "").all()
    assert not gaz.duplicated().any()


@pytest.mark.parametrize("language, text, expected", [
    ("it", "Una mosca a Mosca; si usa il dollaro negli USA", [("russia", "Mosca"), ("usa", "USA")]),
    ("es", "Se usa poco en la casa blanca de mi abuela; la Casa Blanca lo niega", [("usa", "Casa Blanca")]),
    ("en", "A turkey for dinner in Turkey", [("turkey", "Turkey")]),
    ("ar", "زار روسيا البيضاء ثم روسيا وأمريكا اللاتينية", [("russia", "روسيا")]),
    ("fa", "روسیه سفید و روسیه", [("russia", "روسیه")]),
    ("zh", "白俄罗斯和俄罗斯的纤维和塑料", [("russia", "俄罗斯")]),
    ("de", "Der US-Dollar fiel, die US-Regierung schwieg", [("usa", "US-Regierung")]),
    ("en", "The U.S. dollar rose", []),
    ("en", "Pro-Russian separatist leaders met; so did the separatist leaders of Karabakh",
     [("karabakh_authorities", "separatist leaders"), ("nagorno_karabakh", "Karabakh")]),
    ("ru", "пророссийские сепаратисты и сепаратисты Донбасса; карабахские сепаратисты",
     [("karabakh_authorities", "карабахские сепаратисты")]),
    ("tr", "ayrılıkçı terör örgütü PKK", []),
    ("fa", "یک جفت پوتین و پوتین‌ها؛ پوتین گفت", [("russia", "پوتین")]),
    ("fa", "پوتین‌هایش را پوشید", []),
    ("en", "the US dollar fell", []),
    ("uk", "біля білого дому сусіда; у Білому домі", [("usa", "Білому домі")]),
])
def test_names_that_are_also_other_words(language, text, expected):
    # invented sentences: lower-case homographs (mosca 'fly', usa 'uses', turkey) and phrases that
    # contain a name but name something else (Belarus, Latin America, the US dollar) are not mentions
    assert mentions(text, language) == expected


@pytest.mark.parametrize("text, expected", [
    ("აზერბაიჯანმა და სომხეთმა ხელი მოაწერეს შეთანხმებას ვაშინგტონში",
     [("azerbaijan", "აზერბაიჯანმა"), ("armenia", "სომხეთმა"), ("usa", "ვაშინგტონში")]),
    ("აზერბაიჯანელი და სომეხი ჟურნალისტები; აზერბაიჯანული ჩაი", []),     # demonyms and adjectives
    ("ტრამპლინი და აფხაზეთის სეპარატისტები", []),     # 'springboard'; separatists of Abkhazia
    ("ირანზე და ირანულ ჩაიზე", [("iran", "ირანზე")]),
    ("ტრამპმა და პუტინმა მთიან ყარაბაღზე ისაუბრეს",
     [("usa", "ტრამპმა"), ("russia", "პუტინმა"), ("nagorno_karabakh", "მთიან ყარაბაღზე")]),
])
def test_georgian_names_by_case_form(text, expected):
    # invented Georgian sentences: Armenia and Azerbaijan are found in their case forms, and neither
    # side's demonym or adjective counts as the state (the same rule as az/hy/tr)
    assert mentions(text, "ka") == expected


@pytest.mark.parametrize("language, text, expected", [
    ("ja", "アルメニアとアゼルバイジャンは米国の仲介で合意した。トルコ石の指輪",
     [("armenia", "アルメニア"), ("azerbaijan", "アゼルバイジャン"), ("usa", "米国")]),
    ("ja", "ナゴルノ・カラバフ当局は解散した", [("karabakh_authorities", "ナゴルノ・カラバフ当局")]),
    ("ko", "아르메니아와 아제르바이잔은 미국의 중재로 합의했다",
     [("armenia", "아르메니아와"), ("azerbaijan", "아제르바이잔은"), ("usa", "미국의")]),
    ("ko", "이란성 쌍둥이; 이란은 반대했다", [("iran", "이란은")]),
    # the people are not the state (masks), as in every other language
    ("ja", "アルメニア系住民とアルメニア人、アルメニア政府", [("armenia", "アルメニア")]),
    ("ko", "아르메니아인들이 떠났다. 아르메니아는", [("armenia", "아르메니아는")]),
    ("zh", "数万名亚美尼亚族人前往亚美尼亚", [("armenia", "亚美尼亚")]),
    # review: names a neighbour pulled into a dictionary word (登上, 沙市) are found
    ("zh", "拜登上台后访问欧洲", [("usa", "拜登")]),
    ("zh", "阿塞拜疆军队进入舒沙市", [("azerbaijan", "阿塞拜疆"), ("shusha", "舒沙")]),
    # review: a katakana name inside a longer katakana word is another word; the US state is no country
    ("ja", "アイランド、ラテンアメリカ、ジョージア州。イランとアメリカ", [("iran", "イラン"), ("usa", "アメリカ")]),
    ("ko", "러시아워에 이란으로 EU는", [("iran", "이란으로"), ("eu", "EU는")]),   # 러시아워 'rush hour'
])
def test_japanese_and_korean_core_names(language, text, expected):
    # invented sentences: Japanese names inside runs of kana and kanji (トルコ石 'turquoise' is a mask);
    # Korean names with particles attached, and Korean Iran by case form (이란성 'fraternal')
    assert mentions(text, language) == expected


def test_a_user_gazetteer_without_the_case_column_matches_any_case_and_a_wrong_case_is_refused(tmp_path):
    plain = tmp_path / "plain.csv"
    plain.write_text("id,kind,lang,name\nrussia,actor,it,Mosca\n", encoding="utf-8")
    assert [m[2] for m in find_mentions("una mosca", "it", str(plain))] == ["mosca"]
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("id,kind,lang,name,case\nrussia,actor,it,Mosca,upper\n", encoding="utf-8")
    with pytest.raises(ValueError, match="'case' must be empty or 'capital', not 'upper'"):
        find_mentions("Mosca", "it", str(wrong))


def test_gazetteer_each_id_has_one_kind():
    kinds = gazetteer().groupby("id")["kind"].nunique()
    assert (kinds == 1).all(), kinds[kinds > 1]


@pytest.mark.parametrize("entry_id", REQUIRED_IDS)
def test_gazetteer_has_required_ids_in_five_languages(entry_id):
    gaz = gazetteer()
    rows = gaz[gaz["id"] == entry_id]
    assert not rows.empty
    assert {"ru", "uk", "en", "az", "hy"} <= set(rows["lang"])


@pytest.mark.parametrize("entry_id,kind", [
    ("azerbaijan", "actor"), ("armenia", "actor"), ("russia", "actor"), ("usa", "actor"), ("eu", "actor"),
    ("nagorno_karabakh", "place"), ("stepanakert", "place"), ("shusha", "place"),
    ("lachin_corridor", "place"), ("goris", "place"), ("baku", "place"), ("yerevan", "place"),
])
def test_gazetteer_kind_of_ids(entry_id, kind):
    gaz = gazetteer()
    assert set(gaz.loc[gaz["id"] == entry_id, "kind"]) == {kind}


def test_gazetteer_returns_a_copy():
    gaz = gazetteer()
    gaz.loc[:, "name"] = "x"
    assert (gazetteer()["name"] != "x").any()


# ------------------------------------------------------------------ Russian

def test_russian_inflected_forms_with_offsets():
    text = "Азербайджану предложили мир. Бои в Нагорном Карабахе продолжаются."  # invented
    found = find_mentions(text, "ru")
    assert found == [
        ("azerbaijan", "actor", "Азербайджану", 0, 12),
        ("nagorno_karabakh", "place", "Нагорном Карабахе", 35, 52),
    ]
    # one mention for the two-word name, not a second one for "Карабахе"
    assert [m[0] for m in found].count("nagorno_karabakh") == 1


@pytest.mark.parametrize("text,expected", [
    # invented
    ("В Ханкенди и из Степанакерта уехали жители.",
     [("stepanakert", "Ханкенди"), ("stepanakert", "Степанакерта")]),
    ("В Шуши тихо.", [("shusha", "Шуши")]),
    ("Город Шуша пуст.", [("shusha", "Шуша")]),
    ("Пашинян выступил.", [("armenia", "Пашинян")]),
    ("Пашиняну позвонили.", [("armenia", "Пашиняну")]),
    ("Алиев выступил.", [("azerbaijan", "Алиев")]),
    ("Встреча с Алиевым.", [("azerbaijan", "Алиевым")]),
    ("Путин промолчал.", [("russia", "Путин")]),
    ("Кремль промолчал.", [("russia", "Кремль")]),
    ("В Кремле промолчали.", [("russia", "Кремле")]),
    ("Госдеп заявил.", [("usa", "Госдеп")]),
    ("Представитель Госдепа заявил.", [("usa", "Госдепа")]),
    ("Миротворцы ушли.", [("russia", "Миротворцы")]),
    ("Российские миротворцы ушли.", [("russia", "Российские миротворцы")]),
    ("Армении предложили мир.", [("armenia", "Армении")]),
    ("Колонна прошла Лачинский коридор.", [("lachin_corridor", "Лачинский коридор")]),
    ("Пробка в Лачинском коридоре.", [("lachin_corridor", "Лачинском коридоре")]),
    ("Жители Гориса встречали беженцев.", [("goris", "Гориса")]),
])
def test_russian_mentions(text, expected):
    assert mentions(text, "ru") == expected


def test_baku_and_yerevan_are_both_actor_and_place():
    found = mentions("Баку и Ереван договорились.", "ru")  # invented
    assert set(found) == {("azerbaijan", "Баку"), ("baku", "Баку"), ("armenia", "Ереван"), ("yerevan", "Ереван")}


def test_yo_spelling_variant():
    # invented; "Вооружённые" written with ё must match the gazetteer's "Вооруженные"
    assert mentions("Вооружённые силы Армении отступили.", "ru") == [("armenia", "Вооружённые силы Армении")]


# ------------------------------------------------------------------ Ukrainian

@pytest.mark.parametrize("text,expected", [
    # invented
    ("Бої в Нагірному Карабасі тривають.", [("nagorno_karabakh", "Нагірному Карабасі")]),
    ("Жителі Нагірного Карабаху виїхали.", [("nagorno_karabakh", "Нагірного Карабаху")]),
    ("Ситуація в Карабасі напружена.", [("nagorno_karabakh", "Карабасі")]),
    ("Вірменії запропонували мир.", [("armenia", "Вірменії")]),
    ("Азербайджану запропонували мир.", [("azerbaijan", "Азербайджану")]),
    ("Пашинян і Алієв зустрілися.", [("armenia", "Пашинян"), ("azerbaijan", "Алієв")]),
    ("Держдеп заявив.", [("usa", "Держдеп")]),
    ("Миротворці пішли.", [("russia", "Миротворці")]),
])
def test_ukrainian_mentions(text, expected):
    assert mentions(text, "uk") == expected


def test_ukrainian_locative_offsets():
    text = "Бої в Нагірному Карабасі тривають."  # invented
    assert find_mentions(text, "uk") == [("nagorno_karabakh", "place", "Нагірному Карабасі", 6, 24)]


# ------------------------------------------------------------------ az / hy / en

@pytest.mark.parametrize("language,text,expected", [
    # invented sentences
    ("az", "Qarabağda vəziyyət gərgindir.", [("nagorno_karabakh", "Qarabağda")]),
    ("az", "Xankəndidə sakitlikdir.", [("stepanakert", "Xankəndidə")]),
    ("az", "Şuşada bayram.", [("shusha", "Şuşada")]),
    ("hy", "Ղարաբաղում իրավիճակը լարված է", [("nagorno_karabakh", "Ղարաբաղում")]),
    ("hy", "Ստեփանակերտում լուռ է", [("stepanakert", "Ստեփանակերտում")]),
    ("en", "Talks on Nagorno-Karabakh and the Lachin corridor.",
     [("nagorno_karabakh", "Nagorno-Karabakh"), ("lachin_corridor", "Lachin corridor")]),
    ("en", "Residents left Stepanakert and Shusha.", [("stepanakert", "Stepanakert"), ("shusha", "Shusha")]),
    ("en", "Armenia's government protested.", [("armenia", "Armenia's")]),
])
def test_other_language_mentions(language, text, expected):
    assert mentions(text, language) == expected


@pytest.mark.parametrize("language,text", [
    # invented; "un" is "flour" in Azerbaijani and Turkish -- the English "UN" must not match it
    ("az", "Kəndə un və çörək gətirildi."),
    ("tr", "Köye un ve ekmek getirildi."),
], ids=["az-un", "tr-un"])
def test_english_names_do_not_match_other_languages(language, text):
    assert mentions(text, language) == []


@pytest.mark.parametrize("text", [
    # invented; ordinary English words that only share a Snowball stem with a gazetteer name
    "The ticket cost ten francs.",
    "Farmers sold turkeys at the market.",
], ids=["francs", "turkeys"])
def test_english_common_words_are_not_actors(text):
    assert mentions(text, "en") == []


def test_no_mentions_in_unrelated_text():
    assert mentions("Погода сегодня хорошая.", "ru") == []  # invented
    assert mentions("", "ru") == []


# ------------------------------------------------------------------ both sides named alike (gazetteer 1.1.0)

# invented phrases: the same kind of name for Armenia and for Azerbaijan in each language; each one
# must be found as one mention of its own side. With gazetteer 1.0.0 the Armenian phrase found
# nothing in all pairs but the two "армия/армія" ones, while the Azerbaijani one was found in 20 of 24
SYMMETRIC_PAIRS = [
    ("ru", "Армянские военные отошли.", "Азербайджанские военные отошли."),
    ("ru", "Позиции армянских войск.", "Позиции азербайджанских войск."),
    ("ru", "Реформа в армии Армении.", "Реформа в армии Азербайджана."),
    ("ru", "Бюджет армянских вооруженных сил.", "Бюджет азербайджанских вооруженных сил."),
    ("uk", "Вірменські військові відступили.", "Азербайджанські військові відступили."),
    ("uk", "Позиції вірменських військ.", "Позиції азербайджанських військ."),
    ("uk", "Реформа в армії Вірменії.", "Реформа в армії Азербайджану."),
    ("en", "Armenian forces withdrew.", "Azerbaijani forces withdrew."),
    ("en", "Armenian troops withdrew.", "Azerbaijani troops withdrew."),
    ("en", "The Armenian military said so.", "The Azerbaijani military said so."),
    ("en", "Armenian soldiers were captured.", "Azerbaijani soldiers were captured."),
    ("en", "The Armenian president spoke.", "The Azerbaijani president spoke."),
    ("tr", "Ermeni güçleri saldırdı.", "Azeri güçleri saldırdı."),
    ("tr", "Ermeni kuvvetleri çekildi.", "Azeri kuvvetleri çekildi."),
    ("tr", "Ermeni askerleri yaralandı.", "Azerbaycanlı askerler yaralandı."),
    ("tr", "Ermeni yetkililer açıkladı.", "Azerbaycanlı yetkililer açıkladı."),
    ("tr", "Savunma Bakanı Suren Papikyan açıkladı.", "Savunma Bakanı Zakir Hasanov açıkladı."),
    ("az", "Erməni hərbçiləri geri çəkildi.", "Azərbaycanlı hərbçilər geri çəkildi."),
    ("az", "Müdafiə naziri Suren Papikyan bildirdi.", "Müdafiə naziri Zakir Həsənov bildirdi."),
    ("az", "Spiker Alen Simonyan bildirdi.", "Spiker Sahibə Qafarova bildirdi."),
    ("hy", "հայկական զինուժը նահանջեց", "ադրբեջանական զինուժը նահանջեց"),
    ("hy", "հայկական ուժերը նահանջեցին", "ադրբեջանական ուժերը նահանջեցին"),
    ("hy", "հայ զինծառայողները վիրավորվեցին", "ադրբեջանցի զինծառայողները վիրավորվեցին"),
    ("hy", "հայկական իշխանությունները հայտարարեցին", "ադրբեջանական իշխանությունները հայտարարեցին"),
]


@pytest.mark.parametrize("language,armenian,azerbaijani", SYMMETRIC_PAIRS,
                         ids=[f"{p[0]}-{i}" for i, p in enumerate(SYMMETRIC_PAIRS)])
def test_both_sides_have_the_same_kind_of_name(language, armenian, azerbaijani):
    assert [actor for actor, _ in mentions(armenian, language)] == ["armenia"]
    assert [actor for actor, _ in mentions(azerbaijani, language)] == ["azerbaijan"]


@pytest.mark.parametrize("language,text,expected", [
    # invented; the known defect of 1.0.0: Turkish "Armenian forces" was not an actor, so this
    # sentence counted as naming Azerbaijan only
    ("tr", "Azerbaycan ordusu ile Ermeni güçleri arasında çatışma çıktı.",
     [("azerbaijan", "Azerbaycan ordusu"), ("armenia", "Ermeni güçleri")]),
    ("tr", "Ermeni silahlı kuvvetlerinin mevzileri vuruldu.", [("armenia", "Ermeni silahlı kuvvetlerinin")]),
    ("tr", "Ermeni tarafı açıklama yaptı.", [("armenia", "Ermeni tarafı")]),
    ("tr", "yasadışı Ermeni silahlı grupları çekildi.", [("karabakh_authorities", "yasadışı Ermeni")]),
    ("en", "Azerbaijani and Armenian forces exchanged fire.", [("armenia", "Armenian forces")]),
    # the Karabakh Armenians' own forces are the de facto authorities' (the longest name wins)
    ("en", "Ethnic Armenian forces in Karabakh laid down arms.",
     [("karabakh_authorities", "Ethnic Armenian forces"), ("nagorno_karabakh", "Karabakh")]),
    ("en", "Speaker Sahiba Gafarova replied.", [("azerbaijan", "Sahiba Gafarova")]),
    ("ru", "Встреча с Сахибой Гафаровой.", [("azerbaijan", "Сахибой Гафаровой")]),
    ("ru", "Турецкие военные прибыли.", [("turkey", "Турецкие военные")]),
    ("uk", "Зустріч з Аленом Симоняном.", [("armenia", "Аленом Симоняном")]),
    # the state names' case forms, listed one by one in az/hy/tr since 1.1.0
    ("hy", "Հայաստանից Ադրբեջան", [("armenia", "Հայաստանից"), ("azerbaijan", "Ադրբեջան")]),
    ("hy", "Ադրբեջանում և Հայաստանում", [("azerbaijan", "Ադրբեջանում"), ("armenia", "Հայաստանում")]),
    ("hy", "Ադրբեջանի ու Հայաստանի", [("azerbaijan", "Ադրբեջանի"), ("armenia", "Հայաստանի")]),
    ("az", "Azərbaycanın və Ermənistanın", [("azerbaijan", "Azərbaycanın"), ("armenia", "Ermənistanın")]),
    ("az", "Azərbaycandan Ermənistana", [("azerbaijan", "Azərbaycandan"), ("armenia", "Ermənistana")]),
    ("tr", "Azerbaycan’ın ve Ermenistan'ın", [("azerbaijan", "Azerbaycan’ın"), ("armenia", "Ermenistan'ın")]),
    ("tr", "Azerbaycanda ve Ermenistanda", [("azerbaijan", "Azerbaycanda"), ("armenia", "Ermenistanda")]),
])
def test_names_added_in_1_1_0(language, text, expected):
    assert mentions(text, language) == expected


@pytest.mark.parametrize("language,text", [
    # invented; an ethnic adjective or demonym alone names people, not a state: not an actor on
    # either side (1.0.0 counted the hy/az/tr Azerbaijani ones through the state-name prefix)
    ("tr", "Ermeni nüfusu azaldı."),
    ("tr", "Azerbaycanlılar bayram kutladı."),
    ("tr", "Ermeni taraftarlar maçı izledi."),      # taraftar (fan) is not taraf (side)
    ("az", "Erməni əhalisi köçdü."),
    ("az", "Azərbaycanlılar bayram etdi."),
    ("hy", "ադրբեջանական լրատվամիջոցները գրում են"),
    ("hy", "ադրբեջանցիները տոնում են"),
    ("hy", "հայկական ուժեղ թիմը հաղթեց"),          # ուժեղ (strong) is not ուժեր (forces)
    ("en", "Armenian cuisine and Azerbaijani music."),
    ("ru", "Армянская кухня и азербайджанская музыка."),
], ids=["tr-ermeni", "tr-azerbaycanli", "tr-taraftar", "az-ermeni", "az-azerbaycanli", "hy-adj", "hy-demonym",
        "hy-strong", "en-adj", "ru-adj"])
def test_ethnic_adjectives_alone_are_not_actors(language, text):
    assert mentions(text, language) == []


# ------------------------------------------------------------------ actors(DataFrame)

def test_actors_frame_columns_dtypes_and_metadata():
    df = pd.DataFrame({
        "doc_id": ["d1", "d2"],
        "language": ["ru", "uk"],
        "outlet": ["o1", "o2"],
        "published": pd.to_datetime(["2023-09-19", "2023-09-20"]),
        "text": ["Азербайджан начал операцию в Нагорном Карабахе.",  # invented
                 "Бої в Нагірному Карабасі."],
    }, index=[5, 9])
    out = actors(df)
    assert list(out.columns) == MENTION_COLUMNS + ["outlet", "published"]
    assert out[["doc_id", "actor", "mention", "start", "end"]].values.tolist() == [
        ["d1", "azerbaijan", "Азербайджан", 0, 11],
        ["d1", "nagorno_karabakh", "Нагорном Карабахе", 29, 46],
        ["d2", "nagorno_karabakh", "Нагірному Карабасі", 6, 24],
    ]
    assert out["segment_id"].tolist() == [0, 0, 0]  # 0 = the whole article
    assert str(out["segment_id"].dtype) == "Int64"
    assert out["outlet"].tolist() == ["o1", "o1", "o2"]
    assert out["published"].dtype == df["published"].dtype
    assert out["kind"].tolist() == ["actor", "place", "place"]
    texts = dict(zip(df["doc_id"], df["text"]))
    for row in out.itertuples():
        assert texts[row.doc_id][row.start:row.end] == row.mention


def test_actors_kind_filter():
    df = one_frame("Азербайджан начал операцию в Нагорном Карабахе.", "ru")  # invented
    assert actors(df, kind="place")["actor"].tolist() == ["nagorno_karabakh"]
    assert actors(df, kind="actor")["actor"].tolist() == ["azerbaijan"]
    with pytest.raises(ValueError):
        actors(df, kind="person")


def test_actors_on_segments_keeps_segment_id_and_offsets_are_in_the_segment():
    corpus = pd.DataFrame({
        "doc_id": ["d1"], "language": ["ru"], "outlet": ["o1"],
        "text": ["Азербайджан начал операцию.\n\nПашинян заявил, что Армения не вмешается."],  # invented
    })
    seg = segment(corpus, "paragraph")
    out = actors(seg)
    assert out[["doc_id", "segment_id", "actor", "mention", "start", "end"]].values.tolist() == [
        ["d1", 0, "azerbaijan", "Азербайджан", 0, 11],
        ["d1", 1, "armenia", "Пашинян", 0, 7],
        ["d1", 1, "armenia", "Армения", 20, 27],
    ]
    seg_text = {(r.doc_id, r.segment_id): r.text for r in seg.itertuples()}
    for row in out.itertuples():
        assert seg_text[(row.doc_id, row.segment_id)][row.start:row.end] == row.mention


def test_actors_sentences():
    corpus = one_frame("Путин промолчал. Госдеп заявил о Лачинском коридоре.", "ru")  # invented
    out = actors(segment(corpus, "sentence"))
    assert out[["segment_id", "actor", "mention"]].values.tolist() == [
        [0, "russia", "Путин"], [1, "usa", "Госдеп"], [1, "lachin_corridor", "Лачинском коридоре"]]


def test_actors_empty_and_missing_text():
    empty = actors(pd.DataFrame({"doc_id": [], "language": [], "text": []}))
    assert len(empty) == 0 and list(empty.columns) == MENTION_COLUMNS
    none_text = actors(pd.DataFrame({"doc_id": ["a"], "language": ["ru"], "text": [None]}))
    assert len(none_text) == 0


def test_actors_without_language_column_detect_it():
    # the language rule: detected as Russian, so only the Russian names apply (the English name
    # at the end is not a Russian-language mention); the old test's loop also passed on no rows
    df = pd.DataFrame({"doc_id": ["a"], "text": ["Азербайджан и Армения подписали соглашение о мире. "
                                                 "Nagorno-Karabakh"]})  # invented
    out = actors(df)
    assert list(out.columns) == MENTION_COLUMNS
    assert out[["language", "actor", "mention", "start", "end"]].values.tolist() == [
        ["ru", "azerbaijan", "Азербайджан", 0, 11], ["ru", "armenia", "Армения", 14, 21]]


# ------------------------------------------------------------------ property: offsets

_pieces = st.lists(st.sampled_from([
    # invented fragments
    "Азербайджан", "Нагорном Карабахе", "Степанакерта", "Шуши", "Пашинян", "Путин", "Госдепа",
    "и", "в", "бои", "продолжаются", ",", ".", "«", "»", "—", "2023", "Лачинском коридоре",
]), min_size=0, max_size=12)


@settings(max_examples=60, deadline=None)
@given(pieces=_pieces, sep=st.sampled_from([" ", "  ", "\n", " \n "]))
def test_mention_equals_text_slice_property(pieces, sep):
    text = sep.join(pieces)
    found = find_mentions(text, "ru")
    last_end = 0
    for _, _, mention, start, end in found:
        assert text[start:end] == mention
        assert start >= last_end or start == found[0][3]
        last_end = max(last_end, end)


# ------------------------------------------------------------------ mentioning (known answers)

# invented sentences: which of Azerbaijan / Armenia each one names, written beside it
MENTIONING_DOCS = pd.DataFrame({
    "doc_id": ["a", "b"], "language": ["ru", "ru"],
    "text": ["Азербайджан начал переговоры. Армения ответила. Баку и Ереван спорят. Погода хорошая.",
             "Азербайджан и снова Азербайджан. Армения и Россия. Россия молчит."],
})


def test_mentioning_keeps_units_naming_exactly_one_of_the_actors():
    from toolkit.mentions import mentioning

    out = mentioning(MENTIONING_DOCS, ["azerbaijan", "armenia"])
    # a0: Azerbaijan; a1: Armenia; a2: both (the gazetteer reads Baku and Yerevan as the two
    # governments too, beside the places); a3: nothing; b0: Azerbaijan twice (still one actor); b1: Armenia (Russia is not asked); b2: nothing
    assert out[["doc_id", "segment_id", "context"]].values.tolist() == [
        ["a", 0, "azerbaijan"], ["a", 1, "armenia"], ["b", 0, "azerbaijan"], ["b", 1, "armenia"]]
    assert out["text"].tolist()[3] == "Армения и Россия."
    both = mentioning(MENTIONING_DOCS, ["armenia", "russia"])
    # a2 names Armenia (Yerevan) and no Russia; b1 names both (dropped); b2 names Russia only
    assert both[["doc_id", "segment_id", "context"]].values.tolist() == [
        ["a", 1, "armenia"], ["a", 2, "armenia"], ["b", 2, "russia"]]
    assert mentioning(MENTIONING_DOCS, ["no_such_actor"]).empty


# ------------------------------------------------------------------ languages added in gazetteer 1.2.0

# INVENTED sentences, one or more per language added in gazetteer 1.2.0, with the (actor, mention)
# pairs worked out by hand from the gazetteer; they exercise case forms (pl), elision (fr, it),
# attached proclitics (ar و/ب/ل), the Persian zero-width non-joiner and unspaced Chinese
ADDED_LANGUAGES = [
    ("es", "El Gobierno azerbaiyano y las autoridades armenias se reunieron en Bakú; Putin habló de Nagorno Karabaj.",
     [("azerbaijan", "Gobierno azerbaiyano"), ("armenia", "autoridades armenias"), ("azerbaijan", "Bakú"),
      ("baku", "Bakú"), ("russia", "Putin"), ("nagorno_karabakh", "Nagorno Karabaj")]),
    ("es", "La parte armenia cerró el corredor de Lachín cerca de Stepanakert.",
     [("armenia", "parte armenia"), ("lachin_corridor", "corredor de Lachín"), ("stepanakert", "Stepanakert")]),
    ("it", "L'esercito azero è entrato nell'Artsakh; dell'Armenia parla Pashinyan a Erevan.",
     [("azerbaijan", "L'esercito azero"), ("nagorno_karabakh", "nell'Artsakh"), ("armenia", "dell'Armenia"),
      ("armenia", "Pashinyan"), ("armenia", "Erevan"), ("yerevan", "Erevan")]),
    ("it", "L’Ue e l'Onu hanno chiesto all'Azerbaigian di riaprire il corridoio di Lachin.",
     [("eu", "L’Ue"), ("un", "l'Onu"), ("azerbaijan", "all'Azerbaigian"), ("lachin_corridor", "corridoio di Lachin")]),
    ("pt", "As forças azerbaijanas entraram em Khankendi; o governo arménio pediu ajuda à Rússia e à ONU.",
     [("azerbaijan", "forças azerbaijanas"), ("stepanakert", "Khankendi"), ("armenia", "governo arménio"),
      ("russia", "Rússia"), ("un", "ONU")]),
    ("pl", "Rząd Armenii i władze azerbejdżańskie rozmawiały w Brukseli o Górskim Karabachu; Alijew spotkał się z Paszynianem.",
     [("armenia", "Armenii"), ("azerbaijan", "władze azerbejdżańskie"), ("eu", "Brukseli"),
      ("nagorno_karabakh", "Górskim Karabachu"), ("azerbaijan", "Alijew"), ("armenia", "Paszynianem")]),
    ("pl", "Armeńscy żołnierze i wojska azerbejdżańskie stoją w Stepanakercie i w Szuszy.",
     [("azerbaijan", "wojska azerbejdżańskie"), ("stepanakert", "Stepanakercie"), ("shusha", "Szuszy")]),
    ("ar", "وقال علييف إن القوات الأذربيجانية دخلت ناغورني قره باغ وبأذربيجان ولأرمينيا حدود مشتركة مع إيران.",
     [("azerbaijan", "علييف"), ("azerbaijan", "القوات الأذربيجانية"), ("nagorno_karabakh", "ناغورني قره باغ"),
      ("azerbaijan", "وبأذربيجان"), ("armenia", "ولأرمينيا"), ("iran", "إيران")]),
    ("ar", "التقى باشينيان بوتين في موسكو، وطالبت الأمم المتحدة بفتح ممر لاتشين.",
     [("armenia", "باشينيان"), ("russia", "بوتين"), ("russia", "موسكو"), ("un", "الأمم المتحدة"),
      ("lachin_corridor", "ممر لاتشين")]),
    ("fa", "نیروهای آذربایجانی وارد استپاناکرت شدند و پاشینیان در ایروان با مقامات ایران دیدار کرد.",
     [("azerbaijan", "نیروهای آذربایجانی"), ("stepanakert", "استپاناکرت"), ("armenia", "پاشینیان"),
      ("armenia", "ایروان"), ("yerevan", "ایروان"), ("iran", "ایران")]),
    ("fa", "الهام علی\u200cاف و اردوغان درباره قره\u200cباغ با روسیه گفتگو کردند.",
     [("azerbaijan", "الهام علی\u200cاف"), ("turkey", "اردوغان"), ("nagorno_karabakh", "قره\u200cباغ"),
      ("russia", "روسیه")]),
    ("zh", "阿塞拜疆总统阿利耶夫与亚美尼亚总理帕希尼扬在布鲁塞尔会面，讨论纳戈尔诺-卡拉巴赫问题。",
     [("azerbaijan", "阿塞拜疆"), ("azerbaijan", "阿利耶夫"), ("armenia", "亚美尼亚"), ("armenia", "帕希尼扬"),
      ("eu", "布鲁塞尔"), ("nagorno_karabakh", "纳戈尔诺-卡拉巴赫")]),
    ("zh", "俄罗斯维和人员撤出拉钦走廊，联合国呼吁保护汉肯迪的居民。",
     [("russia", "俄罗斯"), ("lachin_corridor", "拉钦走廊"), ("un", "联合国"), ("stepanakert", "汉肯迪")]),
    ("fr", "L'armée azerbaïdjanaise est entrée dans le Haut-Karabakh; Erevan accuse Bakou, d'après l'ONU.",
     [("azerbaijan", "L'armée azerbaïdjanaise"), ("nagorno_karabakh", "Haut-Karabakh"), ("armenia", "Erevan"),
      ("yerevan", "Erevan"), ("azerbaijan", "Bakou"), ("baku", "Bakou"), ("un", "l'ONU")]),
    ("de", "Die armenische Regierung und Aserbaidschans Präsident Alijew trafen sich in Brüssel; die EU-Kommission begrüßte das.",
     [("armenia", "armenische Regierung"), ("azerbaijan", "Aserbaidschans"), ("azerbaijan", "Alijew"),
      ("eu", "Brüssel"), ("eu", "EU-Kommission")]),
]


@pytest.mark.parametrize("language, text, expected", ADDED_LANGUAGES)
def test_added_languages_known_answers(language, text, expected):
    assert mentions(text, language) == expected


# INVENTED ordinary sentences: no actor or place. fr "un"/"d'un" is the article (English "UN" is not
# a French name), es "parte" alone is 'part', pl "Stanowisko ... zjednoczon-" and "uniwersytet
# europejski" must not read as the USA or the EU, and Arabic-script proclitic stripping must not
# turn ordinary words into names
ORDINARY = [
    ("fr", "Il a reçu un appel d'un ami à la gare."),
    ("es", "La empresa ganó un premio en la parte alta de la ciudad."),
    ("it", "La casa è in vendita e la parte nuova è pronta."),
    ("pt", "O livro está na mesa e a parte nova da casa está pronta."),
    ("pl", "Stanowisko zjednoczonej rady w sprawie podatków; uniwersytet europejski."),
    ("de", "Die Kinder spielen im Garten und lesen ein Buch."),
    ("ar", "ذهب الطالب إلى المكتبة وقرأ كتابا عن التاريخ."),
    ("fa", "دانشجو به کتابخانه رفت و کتابی درباره تاریخ خواند."),
    ("zh", "他在北京的大学学习历史和经济。"),
]


@pytest.mark.parametrize("language, text", ORDINARY)
def test_added_languages_ordinary_words_do_not_match(language, text):
    assert mentions(text, language) == []


def test_added_languages_use_only_their_own_names():
    # invented: an English name in a Spanish sentence is not a Spanish name ("Armenian government"
    # has its own Spanish rows); a language without rows (Dutch) still sees every name
    assert mentions("Armenian government", "es") == []
    assert [m[0] for m in mentions("Armenian government", "nl")] == ["armenia"]


def test_languages_matched_as_before_keep_the_plain_word_rule():
    # invented: ru/en/tr are not matched with the script rules, so an English possessive and a
    # Turkish apostrophe suffix are read exactly as before 1.2.0
    from toolkit.languages import profile

    assert [code for code in ("ru", "uk", "en", "az", "hy", "tr") if profile(code).script_rules] == []
    assert all(profile(code).script_rules for code in ("ar", "fa", "zh", "ja", "fr", "it"))
    assert mentions("Armenia's army", "en") == [("armenia", "Armenia's")]
    assert [m[0] for m in mentions("ABD'nin açıklaması", "tr")] == ["usa"]


@pytest.mark.parametrize("language,text,expected", [
    # invented; an audit on everyday sentences (2026-12-07): Iran's provinces are not the Republic of
    # Azerbaijan, and Polish writes the Armenian adjective ormiański
    ("fa", "برف در آذربایجان شرقی باریده است.", [("iranian_azerbaijan", "آذربایجان شرقی")]),
    ("fa", "جمهوری آذربایجان و ارمنستان مذاکره کردند.", [("azerbaijan", "جمهوری آذربایجان"), ("armenia", "ارمنستان")]),
    ("en", "Snow fell in East Azerbaijan.", [("iranian_azerbaijan", "East Azerbaijan")]),
    ("pl", "Wojska ormiańskie i rząd ormiański", [("armenia", "Wojska ormiańskie"), ("armenia", "rząd ormiański")]),
])
def test_audit_of_the_added_languages(language, text, expected):
    assert mentions(text, language) == expected
