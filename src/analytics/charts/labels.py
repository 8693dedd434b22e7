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
