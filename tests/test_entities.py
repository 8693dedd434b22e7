"""Specifications of the entity extractor: Doc -> person, organization and place Mentions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.extract.entities import Candidate, find_entities, resolve_overlaps, romanize
from analytics.model import ENTITY_KINDS, Article
from analytics.text.doc import make_doc

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def entities(text: str) -> list:
    return find_entities(make_doc(Article("t", text)))


def found(text: str) -> list[tuple[str, str, str]]:
    return [(m.kind, m.text, m.name_ar) for m in entities(text)]


# ---------------------------------------------------------------- knowledge, clitics, variants

@pytest.mark.parametrize("text, expected", [
    ("اجتمع الوزير بمنظمة التعاون الإسلامي", ("organization", "بمنظمة التعاون الإسلامي", "منظمة التعاون الإسلامي")),
    ("قدم الدعم وللأمم المتحدة دور", ("organization", "وللأمم المتحدة", "الأمم المتحدة")),
    ("وصل الوفد بالقاهرة مساء", ("place", "بالقاهرة", "القاهرة")),
    ("عاد من استانبول", ("place", "استانبول", "إسطنبول")),
    ("زار اسطنبول", ("place", "اسطنبول", "إسطنبول")),
    ("أعلن مركز إرسيكا", ("organization", "مركز إرسيكا", "مركز الأبحاث للتاريخ والفنون والثقافة الإسلامية")),
    ("قال حلف شمال الأطلسي", ("organization", "حلف شمال الأطلسي", "حلف شمال الأطلسي")),
    ("في منطقة الشرق الأوسط", ("place", "منطقة الشرق الأوسط", "الشرق الأوسط")),
])
def test_known_names_are_found_with_their_clitics_and_given_their_canonical_name(text, expected):
    assert expected in found(text)


def test_a_place_mention_carries_english_name_country_and_coordinates():
    m = next(m for m in entities("عقد المنتدى في باكو") if m.kind == "place")
    assert (m.name_en, m.country, round(m.lat), round(m.lon)) == ("Baku", "AZ", 40, 50)
    assert m.source == "places.tsv#geo:587084" and m.entity_id == "geo:587084"


def test_an_organization_mention_carries_the_country_of_its_seat():
    m = entities("أكدت منظمة التعاون الإسلامي")[0]
    assert (m.name_en, m.country, m.entity_id) == ("Organisation of Islamic Cooperation", "SA", "org:oic")


def test_the_longest_name_wins_over_the_names_inside_it():
    assert found("وكالة تونس إفريقيا للأنباء") == [
        ("organization", "وكالة تونس إفريقيا للأنباء", "وكالة تونس إفريقيا للأنباء")]


@pytest.mark.parametrize("text", [
    "قال المسؤول الإسرائيلي إن القوات الفلسطينية انسحبت",
    "أكد الجانب التونسي والوفد الجزائري",
    "وأضاف الوزير الأمريكي",
])
def test_demonym_adjectives_are_not_places(text):
    assert [m for m in entities(text) if m.kind == "place"] == []


@pytest.mark.parametrize("text", ["أعلنت الحكومة اليمنية", "قال الجيش العراقي", "رحبت الحكومة التونسية"])
def test_a_government_or_army_described_by_a_demonym_is_not_an_organization(text):
    assert [m for m in entities(text) if m.kind == "organization"] == []


@pytest.mark.parametrize("text", ["مدينة كبيرا جدا", "رفع السلط المعنية", "ورقة بيضاء", "كان الطقس ماطرا"])
def test_common_words_that_are_also_town_names_are_not_places(text):
    assert [m for m in entities(text) if m.kind == "place"] == []


def test_a_common_word_country_name_needs_a_place_cue():
    assert [m.name_ar for m in entities("الوضع مالي صعب") if m.kind == "place"] == []
    assert [m.name_ar for m in entities("وصل الجنود إلى مالي") if m.kind == "place"] == ["مالي"]


# ---------------------------------------------------------------- disputed places

@pytest.mark.parametrize("text, name, country", [
    ("زار القدس الشريف", "القدس", None),
    ("في الضفة الغربية", "الضفة الغربية", "PS"),
    ("في الجولان المحتل", "الجولان", None),
    ("في الصحراء الغربية", "الصحراء الغربية", "EH"),
])
def test_disputed_places_get_the_policy_country(text, name, country):
    m = next(m for m in entities(text) if m.kind == "place")
    assert (m.name_ar, m.country) == (name, country)


# ---------------------------------------------------------------- unknown organizations and places

@pytest.mark.parametrize("text, name", [
    ("أعلنت وزارة الشؤون المحلية", "وزارة الشؤون المحلية"),
    ("نظمت جمعية الموسيقيين التونسيين", "جمعية الموسيقيين التونسيين"),
    ("قال مسؤول بوزارة الصناعة والتجارة", "وزارة الصناعة والتجارة"),
    ("أكدت الهيئة الوطنية لمكافحة الفساد", "الهيئة الوطنية لمكافحة الفساد"),
    ("بيان وزارة الدفاع الجزائرية", "وزارة الدفاع الجزائرية"),
])
def test_an_unknown_organization_is_found_from_its_head_noun(text, name):
    assert ("organization", name) in [(m.kind, m.name_ar) for m in entities(text)]


@pytest.mark.parametrize("text", ["أعلن المجلس البلدي", "شركة البيئة", "طالبت وزارة"])
def test_a_head_noun_without_a_name_is_not_an_organization(text):
    assert [m for m in entities(text) if m.kind == "organization"] == []


def test_an_organization_name_stops_at_a_verb_and_at_another_body():
    names = [m.name_ar for m in entities("وافقت وزارة النقل منحت الموافقة") if m.kind == "organization"]
    assert names == ["وزارة النقل"]
    names = [m.name_ar for m in entities("الجمعية العامة للأمم المتحدة واليونسكو") if m.kind == "organization"]
    assert names == ["الجمعية العامة للأمم المتحدة", "منظمة الأمم المتحدة للتربية والعلم والثقافة"]


def test_a_place_unknown_to_the_gazetteer_is_read_after_a_place_noun():
    assert ("place", "إلتمان") in [(m.kind, m.name_ar) for m in entities("وقع الحادث بمدينة إلتمان الألمانية")]


def test_a_site_named_by_a_definite_proper_name_is_a_place():
    assert ("place", "مطار الشعيرات") in [(m.kind, m.name_ar) for m in entities(
        "استهدفت الضربة مطار الشعيرات العسكري")]


@pytest.mark.parametrize("text, name", [
    ("يقيم اللاجئون في مخيم الزعتري منذ سنوات.", "مخيم الزعتري"),
    ("يعرض الفيلم بقاعة الكوليزي بالعاصمة.", "قاعة الكوليزي"),
    ("نقل المصاب إلى مستشفى الأغالبة.", "مستشفى الأغالبة"),
])
def test_a_building_named_after_its_head_noun_is_a_place(text, name):
    assert ("place", name) in {(kind, name_ar) for kind, _, name_ar in found(text)}


@pytest.mark.parametrize("text", [
    "أقيم الحفل في قاعة أفراح بالضاحية.",
    "تم تجهيز قاعة للاحتفالات.",
    "أنشئ ميناء للصيد البحري.",
])
def test_a_building_head_before_a_description_is_no_place(text):
    assert all(not n.startswith(("قاعة", "ميناء")) for _, _, n in found(text))


def test_a_site_head_before_a_definite_common_noun_is_no_place():
    assert [m for m in entities("عقد الاجتماع في قاعة الاجتماعات") if m.kind == "place"] == []


def test_an_unknown_place_ends_where_a_known_place_or_another_place_noun_begins():
    found_places = [m.name_ar for m in entities(
        "ولد في حي المنشية بالإسكندرية ونشأ في قرية مليتة بجزيرة قرقنة") if m.kind == "place"]
    assert "المنشية" in found_places and "الإسكندرية" in found_places
    assert "مليتة" in found_places


@pytest.mark.parametrize("text, name", [
    ("وقال سامي أبو زهري الناطق باسم الحركة إن", "سامي أبو زهري"),
    ("وأوضحت هزار الجيناوي الناطقة الرسمية باسم المحكمة أن", "هزار الجيناوي"),
])
def test_a_role_with_the_article_after_a_name_is_not_part_of_it(text, name):
    assert name in [m.name_ar for m in entities(text) if m.kind == "person"]


@pytest.mark.parametrize("text, name", [
    ("وأكدت وزارة الدفاع الوطني العقيد بلحسن الوسلاتي أن", "وزارة الدفاع الوطني"),
    ("أعلنت وزارة العدل والمدير العام للسجون أن", "وزارة العدل"),
])
def test_a_title_after_an_organization_is_not_part_of_its_name(text, name):
    assert name in [m.name_ar for m in entities(text) if m.kind == "organization"]


def test_chaired_by_is_no_organization_and_a_time_phrase_ends_a_name():
    found_ = found("زار وفد من البنك الإسلامي للتنمية برئاسة نائب الرئيس الأسبوع الماضي "
                   "مخيمات اللاجئين في الأردن، وأعلنت وزارة الداخلية الإيطالية الأسبوع الماضي أن")
    kinds = {(kind, name) for kind, _, name in found_}
    assert ("organization", "وزارة الداخلية الإيطالية") in kinds
    assert not any(name.startswith(("رئاسة", "مخيمات")) for _, name in kinds)


def test_general_in_a_name_is_not_the_year():
    assert ("organization", "الاتحاد العام التونسي للشغل") in [
        (m.kind, m.name_ar) for m in entities("أعلن الاتحاد العام التونسي للشغل العام الماضي")]


def test_a_given_name_that_is_also_a_word_is_a_name_after_a_title_with_a_surname():
    assert ("person", "حيدر العبادي") in [(m.kind, m.name_ar) for m in entities(
        "التقى رئيس الوزراء العراقي حيدر العبادي في بغداد المبعوث الأمريكي")]


def test_a_frequent_word_after_a_title_is_no_name():
    assert [m for m in entities("وقال الوزير بحضور الإطارات الجهوية إن") if m.kind == "person"] == []


def test_a_cooperative_is_an_organization():
    assert ("organization", "تعاونية الخدمات الفلاحية") in [
        (m.kind, m.name_ar) for m in entities("أعلنت تعاونية الخدمات الفلاحية عن برنامجها")]


def test_the_organization_anaphor_refers_to_the_last_one_with_that_head_noun():
    ms = entities("عقدت منظمة التعاون الإسلامي اجتماعا، وقالت المنظمة إن الدورة ناجحة")
    anaphor = next(m for m in ms if m.text == "المنظمة")
    assert (anaphor.name_ar, anaphor.source) == ("منظمة التعاون الإسلامي", "rule:anaphora")


# ---------------------------------------------------------------- persons

def test_a_person_after_a_title_keeps_the_whole_role_phrase():
    text = "وقال الأمين العام المساعد للشؤون الإنسانية بمنظمة التعاون الإسلامي هشام يوسف إن"
    m = next(m for m in entities(text) if m.kind == "person")
    assert (m.text, m.title) == ("هشام يوسف", "الأمين العام المساعد للشؤون الإنسانية بمنظمة التعاون الإسلامي")


@pytest.mark.parametrize("text, name, title", [
    ("التقى رئيس الحكومة يوسف الشاهد", "يوسف الشاهد", "رئيس الحكومة"),
    ("استقبل وزير الخارجية التونسي خميس الجهيناوي", "خميس الجهيناوي", "وزير الخارجية التونسي"),
    ("قال المبعوث الأممي إلى ليبيا غسان سلامة", "غسان سلامة", "المبعوث الأممي إلى ليبيا"),
    ("وأكد السفير هشام يوسف", "هشام يوسف", "السفير"),
    ("واستقبل الرئيس الباجي قائد السبسي", "الباجي قائد السبسي", "الرئيس"),
    ("والمتحدث باسم الخارجية أحمد أبو زيد", "أحمد أبو زيد", "المتحدث باسم الخارجية"),
])
def test_titles_and_roles_before_a_name(text, name, title):
    m = next(m for m in entities(text) if m.kind == "person")
    assert (m.name_ar, m.title) == (name, title)


@pytest.mark.parametrize("text, name", [
    ("وأكد خميس الجهيناوي أن الحل سياسي", "خميس الجهيناوي"),
    ("وأوضحت سهام بن سدرين أن الهيئة", "سهام بن سدرين"),
    ("محمد بن إبراهيم وسمير بن يعقوب تونسيان", "محمد بن إبراهيم"),
])
def test_names_are_found_from_context_and_given_names(text, name):
    assert name in [m.name_ar for m in entities(text) if m.kind == "person"]


@pytest.mark.parametrize("text", [
    "قال مصدر أمني إن", "وأكد بيان الوزارة أن", "وأضاف أن الوضع", "وقالت على الرغم من ذلك",
    "الرئيس عندما وصل",
])
def test_a_common_word_after_a_verb_or_title_is_not_a_name(text):
    assert [m for m in entities(text) if m.kind == "person"] == []


def test_a_later_surname_refers_to_the_person_named_before():
    ms = [m for m in entities("وأكد خميس الجهيناوي أن تونس تدعم الحل. وأضاف الجهيناوي أن اللقاء مثمر")
          if m.kind == "person"]
    assert [(m.text, m.name_ar) for m in ms] == [("خميس الجهيناوي", "خميس الجهيناوي"),
                                                 ("الجهيناوي", "خميس الجهيناوي")]


def test_a_title_word_inside_a_place_name_starts_no_person():
    # "الشيخ" ends "شرم الشيخ": the verb after the dateline is no sheikh's name.
    kinds = found("شرم الشيخ - تنطلق غدا أعمال القمة العربية في مدينة شرم الشيخ المصرية.")
    assert {kind for kind, _, _ in kinds} == {"place"}
    assert ("person", "محمد بن زايد") in {
        (kind, text) for kind, text, _ in found("وصل إلى شرم الشيخ الشيخ محمد بن زايد.")}


def test_a_family_name_the_news_made_frequent_ends_a_name_and_is_no_word():
    persons = {text for kind, text, _ in found(
        "وصل الرئيس التركي رجب طيب أردوغان إلى الدوحة اليوم.") if kind == "person"}
    assert persons == {"رجب طيب أردوغان"}
    persons = {text for kind, text, _ in found(
        "وقال ترامب بوتين شريك في مكافحة الإرهاب.") if kind == "person"}
    assert "ترامب بوتين" not in persons and "ترامب" in persons


def test_a_weekday_after_a_name_is_not_part_of_it():
    persons = {text for kind, text, _ in found("وأكد زكريا حمد الجمعة أن الحكومة ماضية في "
                                               "الإصلاحات.") if kind == "person"}
    assert persons == {"زكريا حمد"}


def test_after_a_title_a_given_name_takes_a_demonym_as_family_name():
    persons = {text for kind, text, _ in found(
        "التقى الأمين العام لجامعة الدول العربية الدكتور نبيل العربي اليوم المبعوث الأممي.")
        if kind == "person"}
    assert persons == {"نبيل العربي"}


@pytest.mark.parametrize("text", ["التأكيد على حسن الجوار بين البلدين.",
                                  "نشر أسماء الضحايا صباح اليوم.",
                                  "أكد على حسن التصرف في المال العام."])
def test_an_ambiguous_given_name_before_a_common_word_is_a_phrase(text):
    assert [kind for kind, _, _ in found(text) if kind == "person"] == []


def test_compound_given_names_take_their_second_word():
    assert ("person", "سيف الإسلام القذافي") in {
        (kind, text) for kind, text, _ in found("وقال سيف الإسلام القذافي إن الحوار ممكن.")}


def test_skhirat_of_the_libyan_agreement_is_a_place():
    assert ("place", "الصخيرات") in {(kind, name) for kind, _, name in
                                     found("ضرورة اعتماد اتفاق الصخيرات في ليبيا.")}


def test_a_known_family_name_keeps_its_usual_latin_spelling():
    assert romanize("جان كلود يونكر", person=True).endswith("Juncker")
    assert romanize("رجب طيب أردوغان", person=True).endswith("Erdogan")


def test_an_unknown_name_gets_a_readable_romanization():
    assert romanize("خميس الجهيناوي", person=True).startswith("Khemais al-J")
    assert romanize("وزارة الشؤون المحلية") == "Wazara al-Sha'oun al-Mahlia"


# ---------------------------------------------------------------- the overlap policy

def test_the_longest_candidate_wins_and_knowledge_beats_a_pattern_at_equal_length():
    long_ = Candidate(0, 3, "organization", "a", None, "rule:x", False)
    short = Candidate(1, 2, "place", "b", None, "places.tsv#1", True)
    pattern = Candidate(4, 6, "organization", "c", None, "rule:x", False)
    known = Candidate(4, 6, "organization", "d", None, "organizations.tsv#y", True)
    assert [c.name_ar for c in resolve_overlaps([short, long_, pattern, known])] == ["a", "d"]


# ---------------------------------------------------------------- offsets

@pytest.mark.parametrize("text", [
    "اجتمع الوزيرُ بمنظّمة التعاون الإسلاميّ في إسطنـــبول",
    "\u200fوصل\u200f الرئيس الباجي قائد السبسي إلى «القاهرة» يوم ٢٩ مارس",
    "قال    حلف شمال الأطلسي(الناتو)،وأضاف الجهيناوي",
])
def test_every_mention_text_is_the_original_text_at_its_offsets(text):
    ms = entities(text)
    assert ms and all(text[m.start:m.end] == m.text for m in ms)


_ALPHABET = st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويىةأإآؤئء") + list("ًٌٍَُِّْـ")
                            + [" ", " ", " ", "،", ".", "\n", "(", ")", "«", "\u200f", "7", "٣", "a"]
                            + ["منظمة ", "التعاون ", "الإسلامي ", "وزير ", "الخارجية ", "بالقاهرة ",
                               "قال ", "محمد ", "الرئيس ", "وزارة ", "الشؤون ", "المنظمة "])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_offsets_hold_on_any_text(text):
    for m in entities(text):
        assert text[m.start:m.end] == m.text
        assert m.kind in ENTITY_KINDS and m.name_ar and m.source


@pytest.mark.skipif(not (SHARED / "corpus" / "ant-v1.1.jsonl").exists(), reason="../shared absent")
def test_offsets_hold_on_real_news():
    with (SHARED / "corpus" / "ant-v1.1.jsonl").open(encoding="utf-8") as fh:
        for n, line in zip(range(300), fh):
            a = json.loads(line)
            text = a["text"] or ""
            for m in entities(text):
                assert text[m.start:m.end] == m.text, a["id"]
