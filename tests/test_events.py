"""The event extractor, on its own: Doc + hand-made entity and date mentions -> events.

Mentions are built by hand here so that each test states exactly what the extractor is given;
tests/test_pipeline.py runs the whole pipeline on whole articles.
"""

from __future__ import annotations

import datetime as dt

import pytest

from analytics.extract.events import find_events
from analytics.model import Article, DateMention, Mention, Venue
from analytics.text.doc import make_doc

PUBLISHED = dt.date(2016, 4, 21)  # a Thursday


def doc_of(text: str, published: dt.date | None = PUBLISHED):
    return make_doc(Article(id="t", text=text, published=published))


def place(text: str, surface: str, name_ar: str, country: str, *, country_level=False,
          occurrence: int = 0) -> Mention:
    start = _find(text, surface, occurrence)
    return Mention(start, start + len(surface), surface, "place", name_ar, None, "test",
                   entity_id=("iso:" + country) if country_level else "geo:" + name_ar,
                   country=country, lat=1.0, lon=1.0)


def org(text: str, surface: str, name_ar: str, entity_id: str = "org:x") -> Mention:
    start = _find(text, surface)
    return Mention(start, start + len(surface), surface, "organization", name_ar, None, "test",
                   entity_id=entity_id)


def person(text: str, surface: str) -> Mention:
    start = _find(text, surface)
    return Mention(start, start + len(surface), surface, "person", surface, None, "test")


def day(text: str, surface: str, first: dt.date, last: dt.date | None = None) -> DateMention:
    start = _find(text, surface)
    return DateMention(start, start + len(surface), surface, first, last or first, "day", "test")


def _find(text: str, surface: str, occurrence: int = 0) -> int:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    return start


def types(events) -> list[str]:
    return [e.type for e in events]


@pytest.mark.parametrize("text, expected", [
    ("عقد وزير الخارجية اجتماعا مع نظيره المصري.", ["meeting"]),
    ("انطلقت أعمال القمة العربية في عمان.", ["summit"]),
    ("افتتح الوزير المؤتمر الدولي للمانحين.", ["conference"]),
    ("تنظم الجامعة منتدى الشباب العربي.", ["forum"]),
    ("شارك الوفد في أشغال الدورة 147 لمجلس جامعة الدول العربية.", ["session"]),
    ("نظمت الوزارة ندوة حول التعليم.", ["seminar"]),
    ("افتتح الوزير معرض الكتاب الدولي.", ["exhibition"]),
    ("يؤدي الرئيس زيارة رسمية إلى الجزائر.", ["visit"]),
    ("جرى توقيع اتفاقية تعاون بين البلدين.", ["signing"]),
    ("أعلنت المنظمة إطلاق حملة للتلقيح.", ["launch"]),
    ("أقامت السفارة حفل استقبال بمناسبة العيد الوطني.", ["ceremony"]),
    # a verb's object after a long subject; a noun's complement after an adjective and a number
    ("وقع وزير الصحة العراقي وممثل منظمة الصحة العالمية أمس في بغداد مذكرة تفاهم.", ["signing"]),
    ("اختتمت في القاهرة أعمال الدورة العادية الـ148 لمجلس جامعة الدول العربية.", ["session"]),
    ("افتتح الأمين العام في جدة معرضا للفنون الإسلامية.", ["exhibition"]),
])
def test_each_type_has_a_trigger(text, expected):
    assert types(find_events(doc_of(text), [], [])) == expected


@pytest.mark.parametrize("text", [
    "أطلق مسلحون النار على دورية أمنية.",                 # gunfire, not a launch
    "طالبت العائلة بإطلاق سراح ابنها.",                    # release, not a launch
    "البيت معرض للخطر بسبب الأمطار.",                      # exposed, not an exhibition
    "الطفل معرض للإصابة بالمرض.",                          # exposed, not an exhibition
    "وقع الحادث في منطقة تبعد عن الحدود مسافة قصيرة على الطريق.",  # happened, not signed
    "هو أول مسلم يفوز بالجائزة على الإطلاق.",              # at all, not a launch
    "عقد الناطق الرسمي ندوة صحفية أمس.",                   # a press conference is a statement
    "فاز الترجي في القمة أمام النجم في مباراة الدوري.",    # a football top match
    "تصدر الفيلم قمة عائدات شباك التذاكر حول العالم.",     # the top of the box office
    "عاد الملف إلى قمة الاهتمامات.",                       # the top of the concerns
    "وصلت درجات الحرارة إلى قمة ارتفاعها هذا الأسبوع.",      # the peak of the heat
    "تصدر المرشح النتائج الأولية للدورة الأولى من الانتخابات الرئاسية.",  # an election round
    "نصح الوزير صديقه بعدم زيارة تونس في هذه الفترة.",       # a visit advised against
    "غادر الوزير القاعة دون التوقيع على الأمرين.",             # left without signing
    "وقال زعيم حزب العمال المعارض إن الحكومة فشلت.",          # the opposition party
    "قام بإخراج الطفل من النافذة معرضا حياته للخطر.",          # exposing his life to danger
    "عقد الوزير مؤتمرا صحافيا أعلن فيه القرار.",               # a press conference, accusative
    "حذرت المنظمة من أن حياة آلاف الأطفال معرضة للخطر.",     # exposed, in the feminine
    "زار المرضى العيادات الخارجية للمستشفى للحصول على الأدوية.",  # patients, not officials
    "أكد الوزير أن الوضع مستقر.",                          # a statement alone
    "تأجلت جلسة المحاكمة إلى الشهر المقبل.",               # a court hearing
    "استقبل المستشفى عشرين جريحا.",                        # no official receives anyone
    "فشلت المعارضة في توحيد صفوفها.",                     # المعارضة is not a plural of معرض
    "أقيمت تظاهرة فنية بقصر المؤتمرات بالعاصمة.",          # a building's name
    "سجلت الفرق 10 مخالفات خلال 43 زيارة لمحلات تجارية.",  # a count of inspections
])
def test_negative_contexts_are_not_events(text):
    assert find_events(doc_of(text), [], []) == []


def test_a_named_event_mentioned_again_is_one_event():
    text = ("تنطلق اليوم أعمال القمة العربية في البحر الميت. "
            "وستناقش القمة القضية الفلسطينية.")
    events = find_events(doc_of(text), [], [])
    assert [(e.type, e.name) for e in events] == [("summit", "القمة العربية")]
    assert len(events[0].evidence) == 2


def test_a_ceremony_in_construct_with_the_act_it_celebrates_is_one_event():
    text = "أعربوا عن رغبتهم في حضور حفل الاستقبال الذي سيقام بدار الموسيقى."
    assert types(find_events(doc_of(text), [], [])) == ["ceremony"]


def test_the_opening_of_an_exhibition_is_the_exhibition_not_a_ceremony():
    text = "تم اليوم افتتاح المعرض الفني التشكيلي بقصر الفنون."
    assert types(find_events(doc_of(text), [], [])) == ["exhibition"]


def test_a_numbered_public_hearing_is_a_session_without_an_official_nearby():
    text = ("انطلقت مساء اليوم جلسة الاستماع العلنية السادسة لضحايا الانتهاكات الجسيمة لحقوق "
            "الإنسان التي وقعت في الفترة الممتدة من 1955 إلى 2013.")
    assert types(find_events(doc_of(text), [], [])) == ["session"]


def test_an_unnumbered_sitting_without_an_official_is_no_event():
    text = "خضع الفنان لجلسة علاج طويلة في المصحة."
    assert find_events(doc_of(text), [], []) == []


def test_an_indefinite_meeting_after_a_talk_is_a_new_event():
    text = ("بحث الأمين العام مع المبعوث الأممي التعاون بين المنظمتين. "
            "وتلا اللقاء عقد اجتماع موسع مع ممثلي الدول الأعضاء.")
    events = find_events(doc_of(text), [], [])
    assert types(events) == ["meeting", "meeting"]


def test_name_is_the_trigger_with_its_modifiers_without_clitics():
    text = "يشارك الوفد في أعمال المنتدى العالمي السابع لتحالف الحضارات للأمم المتحدة في باكو."
    [event] = find_events(doc_of(text), [], [])
    assert event.name == "المنتدى العالمي السابع لتحالف الحضارات للأمم المتحدة"


def test_quoted_title_names_an_exhibition():
    text = 'تعقد المنظمة فعالية في شكل معرض بعنوان: "القدس: تقارب الحضارات" في باكو.'
    [event] = find_events(doc_of(text), [], [])
    assert (event.type, event.name) == ("exhibition", "القدس: تقارب الحضارات")


def test_indefinite_meeting_has_no_name():
    text = "عقد الوزير اجتماعا موسعا مع الولاة."
    [event] = find_events(doc_of(text), [], [])
    assert event.name is None


def test_venue_is_the_place_introduced_by_fi_and_not_the_place_it_is_about():
    text = "تعقد المنظمة معرضا حول القدس في باكو الأسبوع المقبل."
    entities = [place(text, "القدس", "القدس", ""), place(text, "باكو", "باكو", "AZ")]
    [event] = find_events(doc_of(text), entities, [])
    assert event.venue.name_ar == "باكو"
    assert [v.name_ar for v in event.about] == ["القدس"]


def test_city_is_preferred_to_its_country():
    text = "والمقرر عقده في مدينة باكو بجمهورية أذربيجان المنتدى العالمي."
    text = "يشارك الوفد في المنتدى العالمي المقرر عقده في مدينة باكو بجمهورية أذربيجان."
    entities = [place(text, "باكو", "باكو", "AZ"),
                place(text, "أذربيجان", "أذربيجان", "AZ", country_level=True)]
    [event] = find_events(doc_of(text), entities, [])
    assert event.venue.name_ar == "باكو"


def test_headquarters_of_an_organization_is_the_venue():
    text = "بحث الأمين العام مع المبعوث الأممي بمقر منظمة التعاون الإسلامي التعاون بينهما."
    oic = org(text, "منظمة التعاون الإسلامي", "منظمة التعاون الإسلامي", "org:oic")
    jeddah = Venue("جدة", "Jeddah", "SA", 21.5, 39.2, "geo:jeddah")
    [event] = find_events(doc_of(text), [oic], [],
                          hq_venue=lambda m: jeddah if m.entity_id == "org:oic" else None)
    assert event.venue == jeddah


def test_sub_event_without_venue_takes_the_venue_of_the_event_before_it():
    text = ("يشارك الوفد في المنتدى العالمي في باكو الاثنين القادم. "
            "كما ستعقد جلسة تفاعلية حول التطرف خلال المنتدى.")
    entities = [place(text, "باكو", "باكو", "AZ")]
    events = find_events(doc_of(text), entities, [])
    assert [(e.type, e.venue.name_ar) for e in events] == [("forum", "باكو"), ("seminar", "باكو")]


def test_date_of_the_statement_is_not_the_date_of_the_meeting():
    text = "وبحسب بيان للمنظمة اليوم الخميس عقد اجتماع موسع مع ممثلي الدول."
    dates = [day(text, "اليوم الخميس", PUBLISHED)]
    [event] = find_events(doc_of(text), [], dates)
    assert event.start is None


def test_dates_and_status_of_a_planned_summit():
    text = "القمة العالمية للعمل الإنساني التي ستعقد في إسطنبول يومي 23-24 مايو المقبل."
    dates = [day(text, "يومي 23-24 مايو المقبل", dt.date(2016, 5, 23), dt.date(2016, 5, 24))]
    entities = [place(text, "إسطنبول", "إسطنبول", "TR")]
    [event] = find_events(doc_of(text), entities, dates)
    assert (event.start, event.end, event.status, event.venue.name_ar) == (
        dt.date(2016, 5, 23), dt.date(2016, 5, 24), "planned", "إسطنبول")


@pytest.mark.parametrize("text, status", [
    ("استقبل الرئيس صباح اليوم وزير الخارجية.", "held"),
    ("تنطلق اليوم أعمال القمة العربية.", "ongoing"),
    ("ستعقد القمة العربية في الرياض.", "planned"),
    ("يشارك الوزير في أشغال المنتدى الاقتصادي.", "ongoing"),
])
def test_status_from_tense(text, status):
    [event] = find_events(doc_of(text), [], [])
    assert event.status == status


def test_status_from_dates_overrides_tense():
    text = "عقد الوزير اجتماعا مع السفراء يوم 2 مايو."
    dates = [day(text, "يوم 2 مايو", dt.date(2016, 5, 2))]
    [event] = find_events(doc_of(text), [], dates)
    assert event.status == "planned"


@pytest.mark.parametrize("text, count", [
    ("ويشارك في المنتدى أكثر من 3000 زعيم سياسي.", 3000),
    ("انطلق المؤتمر بمشاركة 41 دولة ومنظمة.", 41),
    ("افتتح المعرض بمشاركة 300 عارض من 20 دولة.", 300),
    ("عقد المؤتمر سنة 2016 في جنيف.", None),
    ("يؤدي وفد متكون من 40 رجل أعمال زيارة إلى تونس.", 40),
    ("جرى في حلب حفل زفاف جماعي شمل 30 جنديا.", 30),
    ("جرى في حلب حفل شمل 30 في المائة من الميزانية.", None),
])
def test_participants(text, count):
    [event] = find_events(doc_of(text), [], [])
    assert event.participants == count


def test_actors_are_the_persons_and_organizations_of_the_event_sentence():
    text = "استقبل الرئيس الباجي قائد السبسي وزير الخارجية الفلسطيني رياض المالكي."
    entities = [person(text, "الباجي قائد السبسي"), person(text, "رياض المالكي")]
    [event] = find_events(doc_of(text), entities, [])
    assert [a.name_ar for a in event.actors] == ["الباجي قائد السبسي", "رياض المالكي"]


def test_themes_come_from_the_evidence():
    text = "عقدت المنظمة ندوة حول مكافحة التطرف العنيف وتعزيز الحوار بين الحضارات."
    [event] = find_events(doc_of(text), [], [])
    assert set(event.themes) >= {"counter-extremism", "intercultural-dialogue"}


def test_evidence_covers_the_trigger_sentence_and_offsets_index_the_text():
    text = "مقدمة قصيرة.\nافتتح الوزير المؤتمر الدولي للمانحين في الكويت."
    [event] = find_events(doc_of(text), [], [])
    [span] = event.evidence
    assert text[span.start:span.end] == "افتتح الوزير المؤتمر الدولي للمانحين في الكويت."
    assert text[event.trigger.start:event.trigger.end] == "المؤتمر"


def test_no_publication_date_leaves_status_to_tense():
    text = "ستعقد القمة العربية في الرياض."
    [event] = find_events(doc_of(text, published=None), [], [])
    assert event.status == "planned" and event.start is None


def test_same_input_same_events():
    text = "استقبل الرئيس وزير الخارجية. وتناول اللقاء العلاقات الثنائية."
    assert find_events(doc_of(text), [], []) == find_events(doc_of(text), [], [])


def test_a_match_in_a_sports_report_is_not_a_meeting():
    text = ("فاز الترجي على النجم في مباراة الدوري بهدفين. وأكد المدرب أن اللاعبين قدموا أداء جيدا. "
            "وسيدير اللقاء الحكم يوسف السرايري.")
    assert find_events(doc_of(text), [], []) == []


def test_a_meeting_in_a_political_report_stays_a_meeting():
    text = "وسيدير اللقاء رئيس الحكومة بحضور الوزراء."
    assert types(find_events(doc_of(text), [], [])) == ["meeting"]


@pytest.mark.parametrize("text, expected", [
    # The opening of a fair is the fair; its edition's genitive is the same event.
    ("أشرف الوزير على افتتاح الدورة الثانية والثلاثين لمعرض تونس الدولي للكتاب.", ["exhibition"]),
    # A noun in construct with a trigger is one event; the act signed wins over the ceremony.
    ("أقيم حفل توقيع اتفاقية التعاون بين البلدين.", ["signing"]),
    ("أقامت السفارة حفل استقبال بمناسبة العيد الوطني.", ["ceremony"]),
])
def test_compound_triggers_make_one_event(text, expected):
    assert types(find_events(doc_of(text), [], [])) == expected


@pytest.mark.parametrize("text, expected", [
    ("وسيتم خلال القمة تخصيص جلسة لدراسة تحديات التنمية يشارك فيها رؤساء دول.", ["summit", "session"]),
    ("انعقدت جلسة عمل بين الوفد الحكومي وممثلي الشركات.", ["meeting"]),
    ("انعقدت جلسة بين الوفد الحكومي وممثلي الشركات.", ["meeting"]),
    ("عقد البرلمان جلسة عامة للمصادقة على الميزانية.", ["session"]),
])
def test_a_sitting_is_a_session_of_a_body_or_gathering_else_talks(text, expected):
    assert types(find_events(doc_of(text), [], [])) == expected


@pytest.mark.parametrize("text, expected", [
    ("كان للرئيس على هامش القمة لقاءات مع عدة قادة دول.", ["summit", "meeting"]),
    ("ينتظر أن يعقدوا لقاءات في مدينتي صفاقس وسوسة.", []),
])
def test_plural_triggers_count_when_reported(text, expected):
    assert types(find_events(doc_of(text), [], [])) == expected


def test_events_on_the_sidelines_of_another_share_its_date():
    text = ("بحث وزير الخارجية اليوم الثلاثاء مع نظيره المصري الملف الليبي، على هامش مشاركته في "
            "أشغال الدورة 147 لمجلس جامعة الدول العربية.")
    dates = [day(text, "اليوم الثلاثاء", dt.date(2017, 3, 7))]
    events = find_events(doc_of(text, dt.date(2017, 3, 7)), [], dates)
    assert [(e.type, e.start) for e in events] == [
        ("meeting", dt.date(2017, 3, 7)), ("session", dt.date(2017, 3, 7))]


def test_the_edition_of_a_festival_is_a_ceremony():
    text = "تنطلق اليوم الدورة الثالثة لأيام قرطاج الموسيقية."
    assert types(find_events(doc_of(text), [], [])) == ["ceremony"]


# ---------------------------------------------------------------- venues, through the pipeline
# These read the real knowledge base (which places are sites, regions, cities).

def _pipeline_events(text: str, published: dt.date = PUBLISHED):
    from analytics.pipeline import extract
    return extract(Article(id="t", text=text, published=published)).events


def test_a_visits_destination_is_its_venue_even_beside_a_palace():
    text = ("استقبل الرئيس صباح اليوم بقصر قرطاج رئيس الوزراء الجزائري الذي يؤدي زيارة إلى "
            "تونس تستمر يومين.")
    visit = next(e for e in _pipeline_events(text) if e.type == "visit")
    assert visit.venue.name_ar == "تونس"


def test_the_date_of_a_statement_does_not_date_the_visit_it_announces():
    text = "أعلن وزير الخارجية أمس الأحد أن الرئيس سيؤدي زيارة رسمية إلى الجزائر."
    [visit] = _pipeline_events(text, published=dt.date(2017, 4, 3))
    assert (visit.start, visit.status) == (None, "planned")


def test_a_date_after_the_verb_of_saying_and_its_an_dates_the_event():
    text = "أكد الوزير أن الاجتماع عقد أمس في تونس."
    [meeting] = _pipeline_events(text, published=dt.date(2017, 4, 3))
    assert (meeting.start, meeting.status) == (dt.date(2017, 4, 2), "held")


def test_the_country_an_envoy_is_sent_to_is_not_where_he_is_received():
    text = ("استقبل وزير الخارجية الجزائري عبد القادر مساهل بمقر الوزارة المبعوث الأممي إلى "
            "ليبيا غسان سلامة.")
    [meeting] = _pipeline_events(text)
    assert meeting.venue is None or meeting.venue.name_ar != "ليبيا"


def test_a_visit_verb_and_its_tour_in_one_sentence_are_one_visit():
    text = ("يزور الأمين العام للأمم المتحدة أنطونيو غوتيريش المنطقة الأسبوع المقبل في جولة "
            "تشمل الأردن ولبنان والعراق.")
    [visit] = _pipeline_events(text, published=dt.date(2017, 10, 16))
    assert visit.status == "planned"


def test_a_city_whose_name_begins_with_ba_is_no_venue_by_that_letter():
    text = "بروكسل - يعقد وزراء خارجية دول الاتحاد الأوروبي اجتماعا في لوكسمبورغ الاثنين المقبل."
    [meeting] = _pipeline_events(text)
    assert meeting.venue.name_ar == "لوكسمبورغ"


def test_the_lead_event_without_a_place_is_at_the_dateline():
    text = ("جنيف - اختتم مجلس حقوق الإنسان التابع للأمم المتحدة دورته السابعة والثلاثين "
            "اليوم الجمعة بعد أربعة أسابيع من المداولات.")
    [session] = _pipeline_events(text)
    assert session.venue.name_ar == "جنيف"


def test_the_agency_of_a_dateline_is_no_actor():
    text = ("الرياض (واس) - وصل إلى الرياض مساء أمس الرئيس الفرنسي إيمانويل ماكرون في زيارة "
            "رسمية تستغرق يومين.")
    [visit] = _pipeline_events(text)
    assert "وكالة الأنباء السعودية" not in [a.name_ar for a in visit.actors]
    assert "إيمانويل ماكرون" in [a.name_ar for a in visit.actors]


def test_a_conference_and_its_own_session_in_one_sentence_are_one_event():
    text = "يعقد المؤتمر الإسلامي لوزراء الصحة دورته السادسة منتصف الشهر المقبل في جدة."
    [conference] = _pipeline_events(text, published=dt.date(2017, 10, 16))
    assert (conference.type, conference.status) == ("conference", "planned")


def test_a_meeting_during_a_visit_shares_its_dates_and_place():
    text = ("أعلنت الوزارة أن الملك سيقوم بزيارة دولة إلى فرنسا في الفترة من 20 إلى 22 نوفمبر "
            "المقبل، يلتقي خلالها الرئيس الفرنسي.")
    visit, meeting = _pipeline_events(text, published=dt.date(2017, 10, 16))
    assert (visit.type, visit.start, visit.end) == ("visit", dt.date(2017, 11, 20),
                                                    dt.date(2017, 11, 22))
    assert (meeting.start, meeting.venue.name_ar) == (dt.date(2017, 11, 20), "فرنسا")


def test_an_ordinal_in_the_tens_is_part_of_the_name():
    text = "احتضنت نواكشوط يومي 25 و26 يوليو 2016 القمة العربية السابعة والعشرين."
    [summit] = _pipeline_events(text, published=dt.date(2016, 7, 27))
    assert summit.name == "القمة العربية السابعة والعشرين"


def test_his_meeting_with_the_hamza_on_its_seat_is_a_meeting():
    text = ("أكد الأمين العام أحمد أبو الغيط، خلال لقائه اليوم الأحد وزير الخارجية الروسي "
            "سيرغي لافروف بمقر الجامعة في القاهرة، أهمية التنسيق.")
    [meeting] = _pipeline_events(text, published=dt.date(2017, 10, 15))
    assert (meeting.type, meeting.start, meeting.venue.name_ar) == (
        "meeting", dt.date(2017, 10, 15), "القاهرة")


def test_the_body_that_holds_a_meeting_is_not_its_place():
    text = "عقدت لجنة فلسطين التابعة لمنظمة التعاون الإسلامي اجتماعها السنوي في جدة."
    [meeting] = _pipeline_events(text)
    assert meeting.venue.name_ar == "جدة"


def test_a_place_two_words_after_a_participle_of_holding_is_the_venue():
    text = "شهدت القمة العربية المنعقدة في منطقة البحر الميت بالأردن مواقف طريفة."
    [summit] = _pipeline_events(text)
    assert "البحر الميت" in summit.venue.name_ar


def test_a_launch_whose_object_follows_a_long_subject():
    text = ("أطلقت منظمة الأمم المتحدة للطفولة (اليونيسف) بالشراكة مع وزارة الصحة اليمنية، "
            "اليوم السبت، حملة تطعيم ضد الكوليرا في عدن.")
    assert types(_pipeline_events(text)) == ["launch"]


def test_a_gathering_named_after_a_city_is_held_there():
    text = ("افتتح وزير الثقافة مساء أمس معرض أبوظبي الدولي للكتاب بمشاركة ناشرين من تونس "
            "ومصر.")
    [fair] = _pipeline_events(text)
    assert fair.venue.name_ar == "أبوظبي"


def test_a_country_after_a_conference_is_what_it_is_about_not_its_venue():
    text = "شارك الوزير في مؤتمر سوريا للمانحين المنعقد في بروكسل."
    [conference] = _pipeline_events(text)
    assert conference.venue.name_ar == "بروكسل"


def test_a_site_venue_names_the_city_it_is_in():
    text = "استقبل رئيس الجمهورية صباح اليوم بقصر قرطاج وزير الخارجية الفرنسي."
    meeting = _pipeline_events(text)[0]
    assert (meeting.venue.name_ar, meeting.venue.city_ar) == ("قصر قرطاج", "قرطاج")


def test_a_continent_is_what_a_session_is_about_not_where_it_meets():
    text = ("وسيتم خلال القمة تخصيص جلسة لدراسة تحديات وفرص التنمية في إفريقيا يشارك فيها "
            "رئيس الدولة.")
    for event in _pipeline_events(text):
        assert event.venue is None or event.venue.name_ar != "إفريقيا"


def test_a_place_beyond_another_events_trigger_is_that_events_venue():
    text = ("بحث الأمين العام مع المبعوث الأممي بمقر المنظمة في جدة التعاون بين المنظمتين. "
            "وتلا اللقاء عقد اجتماع موسع للتشاور بشأن الإعداد للقمة العالمية للعمل الإنساني "
            "التي ستعقد في إسطنبول يومي 23-24 مايو المقبل.")
    venues = {e.type: e.venue.name_ar for e in _pipeline_events(text) if e.venue}
    assert venues["summit"] == "إسطنبول"
    assert venues["meeting"] == "جدة"


def test_a_month_beside_an_undated_signing_makes_it_held():
    text = ("اتفق الوزيران على تنفيذ الاتفاق السياسي الموقع بالصخيرات في ديسمبر 2015 برعاية "
            "الأمم المتحدة.")
    signing = next(e for e in _pipeline_events(text, dt.date(2017, 3, 7)) if e.type == "signing")
    assert (signing.start, signing.status) == (None, "held")


# ---------------------------------------------------------------- one event, several mentions

def _types(text: str) -> list[str]:
    return sorted(e.type for e in _pipeline_events(text))


def test_two_nouns_of_one_type_in_a_sentence_are_one_event():
    assert _types("أجرى الوفد عدة اجتماعات من بينها اجتماع عقد اليوم بمقر الولاية.") == [
        "meeting"]
    assert _types("نظمت الجمعية حفلا فنيا بمناسبة عيد الاستقلال، وكان حفلا لم يسبق له "
                  "مثيل.") == ["ceremony"]


def test_a_noun_told_apart_by_another_is_a_second_event():
    assert _types("عقد الوزير اجتماعا مع السفير الفرنسي ثم اجتماعا آخر مع رئيس البعثة "
                  "الأوروبية.") == ["meeting", "meeting"]


def test_the_head_word_taken_up_again_is_the_same_event():
    text = ("انعقدت اليوم جلسة عمل بمقر الولاية حول مشاريع التنمية بالجهة. وتم خلال الجلسة "
            "تحديد أولويات البرمجة.")
    assert _types(text) == ["meeting"]


def test_a_session_of_today_is_the_session_already_reported():
    text = ("انطلقت مساء اليوم جلسة الاستماع العلنية الرابعة لهيئة الحقيقة والكرامة. وقد حضر "
            "جلسة اليوم عدد من النواب والحقوقيين.")
    assert _types(text) == ["session"]


def test_an_indefinite_mention_next_to_the_event_is_that_event():
    text = ("تنظم الجمعية يوم 18 مارس حفلا فنيا بالمسرح البلدي. وينتظر الجمهور حفلا "
            "استثنائيا تقدم فيه الفرقة أغاني جديدة.")
    assert _types(text) == ["ceremony"]


def test_an_indefinite_mention_with_a_date_of_its_own_is_another_event():
    text = ("التقى وزير الخارجية اليوم السفير الفرنسي بمقر الوزارة. وكان للوزير لقاء يوم "
            "12 أفريل مع السفير الإيطالي.")
    assert _types(text) == ["meeting", "meeting"]


def test_an_event_known_by_its_series_name_is_held_in_the_city_it_names():
    # "منتدى دافوس الاقتصادي" is read as an organization (the World Economic Forum); the
    # forum it names meets in Davos, not in the town the sentence goes on to speak of.
    text = ("وقال رئيس الحكومة على هامش مشاركته في منتدى دافوس الاقتصادي إن الحكومة تتفهم "
            "احتجاجات الشباب في مدينة بن قردان.")
    forum = next(e for e in _pipeline_events(text, dt.date(2017, 1, 20)) if e.type == "forum")
    assert (forum.venue.name_ar, forum.venue.country) == ("دافوس", "CH")


# ---------------------------------------------------------------- agency datelines

@pytest.mark.parametrize("text,published,venue", [
    ("أبوظبي في 5 نوفمبر / وام / انطلقت اليوم فعاليات منتدى تعزيز السلم بمشاركة 700 شخصية.",
     dt.date(2018, 11, 5), "أبوظبي"),
    (("الكويت - 12 - 3 (كونا) -- افتتح ولي العهد اليوم الأحد أعمال المؤتمر الدولي الثالث "
     "للمانحين لدعم الوضع الإنساني في سوريا."), dt.date(2017, 3, 12), "الكويت"),
    (("نيويورك، 1 حزيران/يونيو 2017 - عقد مجلس الأمن الدولي يوم الخميس جلسة طارئة لمناقشة "
     "الأوضاع الإنسانية في اليمن."), dt.date(2017, 6, 1), "نيويورك"),
    (("جدة 14 رجب 1437 هـ الموافق 21 أبريل 2016 م واس\nاستقبل الأمين العام لمنظمة التعاون "
     "الإسلامي في مكتبه اليوم سفير باكستان."), dt.date(2016, 4, 21), "جدة"),
])
def test_the_lead_event_is_at_the_dateline_in_each_agencys_style(text, published, venue):
    lead = _pipeline_events(text, published)[0]
    assert lead.venue.name_ar == venue
    assert not {"وكالة أنباء الإمارات", "وكالة الأنباء الكويتية", "وكالة الأنباء السعودية"} & {
        a.name_ar for a in lead.actors}


def test_the_dateline_city_is_more_precise_than_its_country_as_signatory():
    text = ("الدوحة في 14 فبراير /قنا/ وقعت دولة قطر والمملكة المتحدة اليوم مذكرة تفاهم للتعاون "
            "في مجال مكافحة الإرهاب.")
    [signing] = _pipeline_events(text, dt.date(2018, 2, 14))
    assert signing.venue.name_ar == "الدوحة"


def test_the_filing_date_of_a_dateline_does_not_date_a_planned_visit():
    text = ("القاهرة في 10 مايو /أ ش أ/ يتوجه وزير الخارجية غدا الأربعاء إلى باريس في زيارة "
            "رسمية تستغرق يومين.")
    visit = next(e for e in _pipeline_events(text, dt.date(2016, 5, 10)) if e.type == "visit")
    assert (visit.start, visit.end, visit.status) == (
        dt.date(2016, 5, 11), dt.date(2016, 5, 12), "planned")


def test_an_undated_lead_event_happened_on_the_filing_date():
    text = ("جنيف في 12 مايو (رويترز) - اختتم مجلس حقوق الإنسان التابع للأمم المتحدة دورته "
            "السابعة والثلاثين بعد أربعة أسابيع من المداولات.")
    [session] = _pipeline_events(text, dt.date(2018, 5, 13))
    assert (session.start, session.venue.name_ar) == (dt.date(2018, 5, 12), "جنيف")


def test_a_place_after_the_situation_and_its_adjective_is_what_the_event_is_about():
    text = "عقد مجلس الأمن الدولي أمس جلسة طارئة لمناقشة الأوضاع الإنسانية في اليمن."
    [session] = _pipeline_events(text, dt.date(2017, 6, 2))
    assert session.venue is None or session.venue.name_ar != "اليمن"


def test_the_edition_of_a_forum_is_the_forum_and_is_named_after_it():
    text = ("انطلقت اليوم في أبوظبي فعاليات الدورة الثانية من منتدى تعزيز السلم في المجتمعات "
            "المسلمة.")
    [forum] = _pipeline_events(text, dt.date(2018, 11, 5))
    assert (forum.type, forum.name) == ("forum", "الدورة الثانية من منتدى تعزيز السلم")


def test_the_edition_of_a_fair_takes_the_fairs_name():
    text = ("أشرف رئيس الحكومة اليوم على افتتاح الدورة الثانية والثلاثين لمعرض تونس الدولي "
            "للكتاب.")
    fair = next(e for e in _pipeline_events(text, dt.date(2016, 3, 25)) if e.type == "exhibition")
    assert fair.name == "الدورة الثانية والثلاثين لمعرض تونس الدولي للكتاب"


def test_an_event_takes_the_closest_of_the_dates_nearest_to_it():
    text = ("يقف حجاج بيت الله الحرام اليوم على صعيد عرفات، فيما عقدت الهيئة العليا للحج "
            "اجتماعها السنوي يوم الخميس 8 سبتمبر.")
    [meeting] = _pipeline_events(text, dt.date(2016, 9, 10))
    assert meeting.start == dt.date(2016, 9, 8)


def test_an_event_named_inside_another_events_name_leaves_it_the_date_and_place():
    text = ("شارك وزير الخارجية في افتتاح أعمال الاجتماع الوزاري التحضيري للقمة العربية الذي "
            "عقد اليوم في العاصمة الأردنية عمّان.")
    events = {e.type: e for e in _pipeline_events(text, dt.date(2017, 3, 27))}
    meeting = events["meeting"]
    assert (meeting.start, meeting.venue.name_ar) == (dt.date(2017, 3, 27), "عمان")
    summit = events.get("summit")
    assert summit is None or (summit.start, summit.venue, summit.status) == (None, None, None)


def test_the_session_of_a_council_is_named_with_the_council():
    text = ("اختتمت في جنيف يوم الجمعة أعمال الدورة الرابعة والثلاثين لمجلس حقوق الإنسان بعد "
            "أن اعتمد المجلس 41 قرارا.")
    [session] = _pipeline_events(text, dt.date(2017, 3, 25))
    assert session.name == "الدورة الرابعة والثلاثين لمجلس حقوق الإنسان"


def test_a_bodys_numbered_session_is_an_event_without_a_complement():
    text = ("يعقد المجلس الوزاري لمجلس التعاون لدول الخليج العربية دورته الـ142 في الرياض يوم "
            "الخميس 7 ربيع الآخر 1438هـ.")
    [session] = _pipeline_events(text, dt.date(2017, 1, 2))
    assert (session.type, session.start, session.venue.name_ar) == (
        "session", dt.date(2017, 1, 5), "الرياض")


def test_in_turn_is_no_session():
    assert _pipeline_events("وسجلت مداخيل السياحة بدورها تراجعا بنسبة 2 بالمائة.") == ()


def test_a_festivals_numbered_edition_is_the_festival():
    text = "اختتمت ليلة البارحة فعاليات المهرجان العربي للإذاعة والتلفزيون في دورته 18."
    assert [e.type for e in _pipeline_events(text, dt.date(2017, 4, 29))] == ["ceremony"]


def test_celebrating_an_international_day_is_a_ceremony():
    text = ("احتفلت منظمة الأمم المتحدة للتربية والعلم والثقافة (اليونسكو) اليوم في مقرها "
            "بباريس باليوم العالمي للغة العربية.")
    [ceremony] = _pipeline_events(text, dt.date(2016, 12, 18))
    assert (ceremony.type, ceremony.venue.name_ar) == ("ceremony", "باريس")


def test_celebrating_a_win_is_no_ceremony():
    assert _pipeline_events("احتفل الوزير بالفوز في الانتخابات البلدية.") == ()


def test_a_country_after_a_signing_verb_signs_it_the_city_is_where():
    text = ("وقعت المملكة المغربية والاتحاد الأوروبي اليوم الثلاثاء بالرباط اتفاقية تمويل "
            "لدعم إصلاح التعليم.")
    [signing] = _pipeline_events(text, dt.date(2017, 9, 12))
    assert signing.venue.name_ar == "الرباط"


def test_participants_counted_before_min_and_their_kind():
    text = ("تستضيف الدوحة من 25 إلى 27 أكتوبر المؤتمر الدولي الخامس للحوار بين الأديان بمشاركة "
            "نحو 300 من رجال الدين والباحثين.")
    [conference] = _pipeline_events(text, dt.date(2015, 10, 20))
    assert conference.participants == 300


def test_a_meeting_a_council_holds_is_a_session():
    text = ("عقد مجلس الجامعة العربية على مستوى المندوبين الدائمين اجتماعا طارئا اليوم لبحث "
            "التدخلات في الشؤون العربية.")
    [session] = _pipeline_events(text, dt.date(2017, 11, 20))
    assert session.type == "session"
    text = "عقد وزير الخارجية اجتماعا مع سفراء الدول الإفريقية بمقر الوزارة."
    assert [e.type for e in _pipeline_events(text)] == ["meeting"]


def test_a_city_in_a_guests_title_is_no_venue():
    text = ("تم اليوم بقصر الحكومة بالقصبة التوقيع على مذكرة تفاهم بين تونس والمملكة المتحدة "
            "بحضور عمدة الحي المالي لمدينة لندن.")
    [signing] = _pipeline_events(text, dt.date(2017, 4, 11))
    assert signing.venue is not None and signing.venue.name_ar != "لندن"


def test_a_day_after_an_event_noun_is_its_date_not_its_number():
    text = "قرر مجلس النواب تأجيل النظر في مشروع القانون إلى جلسة 7 أفريل المقبل."
    for event in _pipeline_events(text, dt.date(2017, 3, 20)):
        assert event.name is None or not event.name.endswith("7")
