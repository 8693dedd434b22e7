"""Display text in English and Arabic: what charts and pages call things.

Input: a key (an event type, a status, a column or a piece of the interface) and a language
code; output: the text to show. Names of things in the data (actors, venues) are not translated
here: they come from the knowledge base with both names.
"""

from __future__ import annotations

LANGUAGES = {"en": "English", "ar": "العربية"}

EVENT_TYPE_LABELS = {
    "en": {
        "meeting": "Meeting", "summit": "Summit", "conference": "Conference", "forum": "Forum",
        "session": "Session", "seminar": "Seminar", "exhibition": "Exhibition", "visit": "Visit",
        "signing": "Signing", "launch": "Launch", "ceremony": "Ceremony",
    },
    "ar": {
        "meeting": "اجتماع", "summit": "قمة", "conference": "مؤتمر", "forum": "منتدى",
        "session": "دورة", "seminar": "ندوة", "exhibition": "معرض", "visit": "زيارة",
        "signing": "توقيع", "launch": "إطلاق", "ceremony": "حفل",
    },
}

STATUS_LABELS = {
    "en": {"held": "held", "ongoing": "ongoing", "planned": "planned"},
    "ar": {"held": "انعقد", "ongoing": "جارٍ", "planned": "مرتقب"},
}

TEXT = {
    "en": {
        "app_title": "Arabic news event observatory",
        "language": "Language",
        "filters": "Filters",
        "dates": "Dates",
        "types": "Event types",
        "types_help": "None chosen: every type.",
        "search": "Search names, venues, actors",
        "undated": "Include events without a date",
        "page_overview": "Overview",
        "page_records": "Events table",
        "events": "Events",
        "articles": "Articles",
        "actors": "Actors",
        "venues": "Venues",
        "date_span": "Dates",
        "month": "Month",
        "type": "Type",
        "by_month": "Events by month and type",
        "by_type": "Events by type",
        "no_data": "No event matches these filters.",
        "no_store": "No store yet at {path}. Build it from the sample articles with "
                    "`analytics ingest data/sample --db {path}` (or `make run`), then reload.",
        "download_csv": "Download CSV",
        "rows": "{n} events",
        "start_date": "Start", "end_date": "End", "name": "Name", "status": "Status",
        "venue_name_ar": "Venue (Arabic)", "venue_name_en": "Venue", "venue_country": "Country",
        "actors_ar": "Actors (Arabic)", "actors_en": "Actors", "themes": "Themes",
        "participants": "Participants", "confidence": "Confidence", "id": "Event id",
        # Venues map and calendar (pages/venues.py, pages/calendar.py)
        "page_venues": "Venues map", "page_calendar": "Calendar",
        "map_venues": "Venues", "map_about": "Places events are about",
        "map_countries": "Country outlines",
        "map_held_here": "{n} events held here", "map_about_here": "{n} events about this place",
        "map_participants": "{n} participants stated", "map_more": "and {n} more",
        "map_size_by": "Marker size", "map_size_events": "Events",
        "map_size_participants": "Participants",
        "map_help": "Click a venue to filter every view to it.",
        "map_picked": "Showing the events held in {name}.", "map_clear": "Show every venue",
        "map_no_places": "No kept event has a venue with coordinates.",
        "venue": "Venue", "lat": "Latitude", "lon": "Longitude", "place": "Place",
        "calendar_shown": "{n} dated events shown.",
        "calendar_capped": "The {n} dated events nearest to {day} are shown, of {total}.",
        "calendar_undated": "{n} kept events have no date and are not on the calendar.",
        "download_ics": "Download ICS (calendar)",
        "cal_today": "Today", "cal_month": "Month", "cal_week": "Week", "cal_list": "List",
        "cal_year": "Year", "cal_all_day": "All day", "cal_no_events": "No events to show",
        "cal_more": "more", "cal_prev": "Previous", "cal_next": "Next",
    },
    "ar": {
        "app_title": "مرصد الأحداث في الأخبار العربية",
        "language": "اللغة",
        "filters": "التصفية",
        "dates": "التواريخ",
        "types": "أنواع الأحداث",
        "types_help": "إن لم يُختر شيء: كل الأنواع.",
        "search": "ابحث في الأسماء والأماكن والفاعلين",
        "undated": "تضمين الأحداث غير المؤرخة",
        "page_overview": "نظرة عامة",
        "page_records": "جدول الأحداث",
        "events": "الأحداث",
        "articles": "المقالات",
        "actors": "الفاعلون",
        "venues": "الأماكن",
        "date_span": "التواريخ",
        "month": "الشهر",
        "type": "النوع",
        "by_month": "الأحداث حسب الشهر والنوع",
        "by_type": "الأحداث حسب النوع",
        "no_data": "لا حدث يطابق هذه التصفية.",
        "no_store": "لا توجد قاعدة بيانات بعد في {path}. أنشئها من المقالات النموذجية بالأمر "
                    "`analytics ingest data/sample --db {path}` (أو `make run`) ثم أعد التحميل.",
        "download_csv": "تنزيل CSV",
        "rows": "عدد الأحداث: {n}",
        "start_date": "البداية", "end_date": "النهاية", "name": "الاسم", "status": "الحالة",
        "venue_name_ar": "المكان", "venue_name_en": "المكان (بالإنجليزية)",
        "venue_country": "البلد", "actors_ar": "الفاعلون",
        "actors_en": "الفاعلون (بالإنجليزية)", "themes": "المواضيع",
        "participants": "المشاركون", "confidence": "الثقة", "id": "معرّف الحدث",
        # خريطة الأماكن والتقويم
        "page_venues": "خريطة الأماكن", "page_calendar": "التقويم",
        "map_venues": "أماكن الانعقاد", "map_about": "أماكن تتناولها الأحداث",
        "map_countries": "حدود الدول",
        "map_held_here": "عدد الأحداث المنعقدة هنا: {n}",
        "map_about_here": "عدد الأحداث المتعلقة بهذا المكان: {n}",
        "map_participants": "عدد المشاركين المذكور: {n}", "map_more": "و{n} غيرها",
        "map_size_by": "حجم العلامة", "map_size_events": "الأحداث",
        "map_size_participants": "المشاركون",
        "map_help": "انقر على مكان لتصفية كل الصفحات عليه.",
        "map_picked": "تُعرض الأحداث المنعقدة في {name}.", "map_clear": "عرض كل الأماكن",
        "map_no_places": "لا مكان بإحداثيات لأي من الأحداث المعروضة.",
        "venue": "المكان", "lat": "خط العرض", "lon": "خط الطول", "place": "المكان",
        "calendar_shown": "عدد الأحداث المؤرخة المعروضة: {n}.",
        "calendar_capped": "تُعرض {n} من الأحداث المؤرخة الأقرب إلى {day} من أصل {total}.",
        "calendar_undated": "عدد الأحداث غير المؤرخة التي لا تظهر في التقويم: {n}.",
        "download_ics": "تنزيل ICS (تقويم)",
        "cal_today": "اليوم", "cal_month": "شهر", "cal_week": "أسبوع", "cal_list": "قائمة",
        "cal_year": "سنة", "cal_all_day": "طوال اليوم", "cal_no_events": "لا أحداث للعرض",
        "cal_more": "أخرى", "cal_prev": "السابق", "cal_next": "التالي",
    },
}


def text(key: str, lang: str, **values: object) -> str:
    """The interface text `key` in `lang` (English when the language is unknown)."""
    table = TEXT.get(lang, TEXT["en"])
    return table[key].format(**values) if values else table[key]


def column(name: str, lang: str) -> str:
    """The heading of a query's column (the column's own name when it has no label)."""
    return TEXT.get(lang, TEXT["en"]).get(name, name)


def event_type(code: str, lang: str) -> str:
    return EVENT_TYPE_LABELS.get(lang, EVENT_TYPE_LABELS["en"]).get(code, code)


def status(code: str | None, lang: str) -> str:
    if code is None:
        return ""
    return STATUS_LABELS.get(lang, STATUS_LABELS["en"]).get(code, code)
