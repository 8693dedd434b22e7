"""Display text in English and Arabic: what charts and pages call things.

Input: a key (an event type, a status, a column or a piece of the interface) and a language
code; output: the text to show. Names of things in the data (actors, venues) are not translated
here: they come from the knowledge base with both names.
"""

from __future__ import annotations

import math
from numbers import Number

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
        # Sidebar filters, records page, add-articles page (app.py, app_pages/records.py, add.py)
        "filter_actors": "Actors", "filter_themes": "Themes",
        "filter_countries": "Venue countries", "filter_cities": "Venue cities",
        "filter_sources": "Sources", "filter_statuses": "Status",
        "filter_any": "None chosen: all.",
        "clear_filters": "Clear all filters",
        "tab_events": "Events", "tab_actors": "Actors", "tab_places": "Places",
        "tab_articles": "Articles",
        "download_xlsx": "Download Excel", "download_json": "Download JSON",
        "download_parquet": "Download Parquet",
        "rows_capped": "The first {shown:,} of {n:,} events are shown; the downloads hold "
                       "all {n:,}.",
        "tab_capped": "The first {shown:,} of {n:,} rows are shown.",
        "ics_unavailable": "Calendar export is not available in this installation.",
        "first_date": "First", "last_date": "Last",
        "source": "Source", "url": "Web address", "role": "Role",
        "name_ar": "Name (Arabic)", "name_en": "Name",
        "country": "Country", "article_link": "Article",
        "role_venue": "venue", "role_about": "about",
        "page_add": "Add articles",
        "add_intro": "Upload article files or paste a text. What is found is shown first; "
                     "nothing is stored until you press Store.",
        "add_files": "Article files (.txt, .jsonl, .csv, .html)",
        "add_files_help": "Up to {count} files of {mb} MB each. A .txt or .html file is one "
                          "article named after the file; .jsonl and .csv hold articles with "
                          "'id' and 'text' fields.",
        "add_published": "Publication date (for .txt files and pasted text)",
        "add_paste": "Or paste an article's text",
        "add_title": "Title (optional)", "add_source": "Source (optional)",
        "add_extract": "Extract", "add_store": "Store", "add_discard": "Discard",
        "add_progress": "Reading {name} ({n} of {total})",
        "add_too_many": "{n} files chosen; at most {limit} at once. Upload them in parts.",
        "add_too_big": "{name}: {size:.1f} MB, over the limit of {mb} MB per file; split it "
                       "and upload the parts.",
        "add_bad_type": "{name}: not a .txt, .jsonl, .csv or .html file; it was skipped.",
        "add_error": "{error}",
        "add_errors": "{n} problems; the other articles can still be stored.",
        "add_found": "{articles} articles read, {events} events found. Check them, then "
                     "store.",
        "add_nothing": "Nothing to store: no article could be read.",
        "add_stored": "Stored: {added} new, {replaced} replaced, {unchanged} unchanged "
                      "articles. They show on every page now.",
        "add_already": "{n} of these articles are already stored: storing replaces them.",
        "add_no_events": "No event was found in these articles; they can still be stored.",
        "article_id": "Article",
        # Venues map and calendar (app_pages/venues.py, app_pages/calendar.py)
        "page_venues": "Venues map", "page_calendar": "Calendar",
        "map_venues": "Venues", "map_about": "Places events are about",
        "map_countries": "Country outlines",
        "map_held_here": "{n} events held here", "map_about_here": "{n} events about this place",
        "map_participants": "{n} participants stated", "map_more": "and {n} more",
        "map_size_by": "Marker size", "map_size_events": "Events",
        "map_size_participants": "Participants",
        "map_help": "Click a venue to filter every view to it.",
        "map_no_places": "No kept event has a venue with coordinates.",
        "venue": "Venue", "lat": "Latitude", "lon": "Longitude",
        "calendar_shown": "{n} dated events shown.",
        "calendar_capped": "The {n} dated events nearest to {day} are shown, of {total}.",
        "calendar_undated": "{n} kept events have no date and are not on the calendar.",
        "download_ics": "Download ICS (calendar)",
        "cal_today": "Today", "cal_month": "Month", "cal_week": "Week", "cal_list": "List",
        "cal_year": "Year", "cal_all_day": "All day", "cal_no_events": "No events to show",
        "cal_more": "more", "cal_prev": "Previous", "cal_next": "Next",
        # Overview, timeline, participation and article (app_pages/overview.py, timeline.py,
        # participation.py, article.py)
        "page_timeline": "Timeline", "page_participation": "Participation",
        "page_article": "Article",
        "latest": "Latest events", "upcoming": "Upcoming events",
        "none_listed": "None under these filters.",
        "timeline_title": "Events over time", "date_axis": "Date",
        "n_sources_text": "{n} sources", "one_source": "1 source", "no_theme": "No theme",
        "mark_conflicts": "sources disagree on {fields}",
        "mark_corrected": "corrected by an analyst: {fields}", "notes": "Notes",
        "color_by": "Colour by", "color_type": "Type", "color_theme": "Theme",
        "group_by": "Rows", "group_actor": "Actor", "group_venue": "Venue",
        "group_organization": "Organization",
        "timeline_capped": "Showing the {groups} busiest rows and at most {bars} bars.",
        "timeline_undated": "Events without a date are not on the timeline.",
        "choose_event": "Event", "choose_event_help": "Or click a bar or a diamond.",
        "event_detail": "Event detail", "field": "Field", "value": "Value",
        "about": "About", "sources": "Sources", "evidence": "Evidence",
        "open_article": "Open the article", "open_in_timeline": "Show in the timeline",
        "outlet": "Outlet", "published": "Published", "title": "Title", "kind": "Kind",
        "top_persons": "Events per person", "top_organizations": "Events per organization",
        "actor_themes": "Actors by theme", "participants_per_event": "Participants per event",
        "named_actors": "{n} named participants", "named_actors_axis": "Named participants",
        "stated_participants": "{n} participants stated", "co_participation":
        "Organizations taking part together", "delegations": "Delegations per country",
        "delegations_note": "A delegation is a country named among an event's participants "
                            "(not the host country of the venue).",
        "top_n": "Rows per chart",
        "choose_article": "Article", "article_missing": "No article with id {id}.",
        "find_article": "Find an article by words of its title",
        "no_article_found": "No article under these filters has these words in its title.",
        "articles_capped": "The newest {shown:,} of {n:,} articles are listed; find the others "
                           "by their title, or narrow the filters.",
        "no_articles": "No article reports an event under these filters.",
        "article_events": "Events in this article",
        "kind_person": "Person", "kind_organization": "Organization", "kind_place": "Place",
        "kind_date": "Date", "kind_evidence": "Event evidence",
        "kind_selected": "Evidence of the chosen event",
        "source_link": "Original",
        # Review and audit of corrections (app_pages/review.py, audit.py)
        "page_review": "Review an event", "page_audit": "Corrections log",
        "rv_pick": "Event to review", "rv_none": "No event under these filters.",
        "rv_sources": "Sources and what each one said", "rv_conflicts": "Sources disagree on",
        "rv_corrected": "Corrected by an analyst", "rv_who": "Your name",
        "rv_reason": "Reason (optional)", "rv_field": "Field to correct", "rv_value": "New value",
        "rv_apply": "Save the correction", "rv_reject": "Reject: not a real event",
        "rv_merge": "Merge another event into this one", "rv_merge_with": "Event to merge in",
        "rv_split": "Split: move these sources to an event of their own",
        "rv_split_pick": "Sources to move", "rv_done": "Saved. Corrections are kept apart from "
        "the machine's output and survive re-extraction.",
        "rv_undo": "Undo", "rv_history": "Corrections of this event",
        "rv_actors_help": "One per line; add \" | person\", \" | organization\" or \" | place\" "
                          "(default: person).",
        "rv_themes_help": "Theme ids, separated by commas.",
        "rv_correct": "Correct a field", "rv_structure": "Merge, split or reject",
        "au_all": "All corrections", "au_vanished": "To review: their event is gone",
        "au_vanished_help": "The article changed and no longer reports the corrected event. "
                            "The correction is kept; apply it again to the right event or undo it.",
        "au_vanished_none": "Every correction still finds its event.",
        "au_undo_pick": "Correction to undo", "download_corrections": "Download corrections (CSV)",
        "col_n_sources": "Sources", "n_sources": "Sources", "corrected_fields": "Corrected",
        "conflicts": "Conflicts",
        "made_at": "When (UTC)", "author": "Who", "action": "Action", "previous": "Before",
        "reason": "Reason", "event_id": "Event id", "state": "State", "n_members": "Sources then",
        "undoes": "Undoes", "correction_id": "Correction id", "evidence_start": "Evidence from",
        "evidence_end": "to", "article_event_id": "Article event", "claim": "Claim",
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
        "filter_actors": "الفاعلون", "filter_themes": "المواضيع",
        "filter_countries": "بلدان الانعقاد", "filter_cities": "مدن الانعقاد",
        "filter_sources": "المصادر", "filter_statuses": "الحالة",
        "filter_any": "إن لم يُختر شيء: الكل.",
        "clear_filters": "مسح كل عوامل التصفية",
        "tab_events": "الأحداث", "tab_actors": "الفاعلون", "tab_places": "الأماكن",
        "tab_articles": "المقالات",
        "download_xlsx": "تنزيل Excel", "download_json": "تنزيل JSON",
        "download_parquet": "تنزيل Parquet",
        "rows_capped": "يُعرض أول {shown:,} من {n:,} حدثًا؛ والتنزيلات تضم الأحداث كلها "
                       "({n:,}).",
        "tab_capped": "يُعرض أول {shown:,} من {n:,} صفًا.",
        "ics_unavailable": "تصدير التقويم غير متاح في هذا التثبيت.",
        "first_date": "الأول", "last_date": "الأخير",
        "source": "المصدر", "url": "الرابط", "role": "الدور",
        "name_ar": "الاسم", "name_en": "الاسم (بالإنجليزية)", "country": "البلد",
        "article_link": "المقال", "role_venue": "مكان الانعقاد", "role_about": "موضوع الحدث",
        "page_add": "إضافة مقالات",
        "add_intro": "ارفع ملفات المقالات أو الصق نصًا. يُعرض ما استُخرج أولًا، ولا يُخزَّن شيء "
                     "حتى تضغط «تخزين».",
        "add_files": "ملفات المقالات (‎.txt و‎.jsonl و‎.csv و‎.html)",
        "add_files_help": "حتى {count} ملفًا، حجم كل منها {mb} ميغابايت على الأكثر. ملف ‎.txt "
                          "أو ‎.html مقال واحد يحمل اسم الملف؛ وملفات ‎.jsonl و‎.csv تحوي "
                          "مقالات بحقلي 'id' و'text'.",
        "add_published": "تاريخ النشر (لملفات ‎.txt والنص الملصق)",
        "add_paste": "أو الصق نص مقال",
        "add_title": "العنوان (اختياري)", "add_source": "المصدر (اختياري)",
        "add_extract": "استخراج", "add_store": "تخزين", "add_discard": "تجاهل",
        "add_progress": "قراءة {name} ({n} من {total})",
        "add_too_many": "اخترت {n} ملفًا؛ الحد {limit} في المرة الواحدة. ارفعها على دفعات.",
        "add_too_big": "{name}: حجمه {size:.1f} ميغابايت، أكبر من حد {mb} ميغابايت للملف؛ "
                       "قسّمه وارفع أجزاءه.",
        "add_bad_type": "{name}: ليس ملف ‎.txt أو ‎.jsonl أو ‎.csv أو ‎.html؛ تم تخطيه.",
        "add_error": "{error}",
        "add_errors": "{n} مشكلة؛ ما زال ممكنًا تخزين المقالات الأخرى.",
        "add_found": "قُرئ {articles} مقالًا ووُجد {events} حدثًا. راجعها ثم خزّنها.",
        "add_nothing": "لا شيء للتخزين: تعذرت قراءة أي مقال.",
        "add_stored": "تم التخزين: {added} جديدًا، و{replaced} مستبدلًا، و{unchanged} دون "
                      "تغيير. تظهر الآن في كل الصفحات.",
        "add_already": "{n} من هذه المقالات مخزنة من قبل: التخزين يستبدلها.",
        "add_no_events": "لم يوجد حدث في هذه المقالات؛ يمكن تخزينها مع ذلك.",
        "article_id": "المقال",
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
        "map_no_places": "لا مكان بإحداثيات لأي من الأحداث المعروضة.",
        "venue": "المكان", "lat": "خط العرض", "lon": "خط الطول",
        "calendar_shown": "عدد الأحداث المؤرخة المعروضة: {n}.",
        "calendar_capped": "تُعرض {n} من الأحداث المؤرخة الأقرب إلى {day} من أصل {total}.",
        "calendar_undated": "عدد الأحداث غير المؤرخة التي لا تظهر في التقويم: {n}.",
        "download_ics": "تنزيل ICS (تقويم)",
        "cal_today": "اليوم", "cal_month": "شهر", "cal_week": "أسبوع", "cal_list": "قائمة",
        "cal_year": "سنة", "cal_all_day": "طوال اليوم", "cal_no_events": "لا أحداث للعرض",
        "cal_more": "أخرى", "cal_prev": "السابق", "cal_next": "التالي",
        # النظرة العامة والخط الزمني والمشاركة والمقالة
        "page_timeline": "الخط الزمني", "page_participation": "المشاركة",
        "page_article": "المقالة",
        "latest": "أحدث الأحداث", "upcoming": "الأحداث المقبلة",
        "none_listed": "لا شيء في هذه التصفية.",
        "timeline_title": "الأحداث عبر الزمن", "date_axis": "التاريخ",
        "n_sources_text": "عدد المصادر: {n}", "one_source": "مصدر واحد", "no_theme": "دون موضوع",
        "mark_conflicts": "تختلف المصادر في {fields}",
        "mark_corrected": "صحّحه محلل: {fields}", "notes": "ملاحظات",
        "color_by": "التلوين حسب", "color_type": "النوع", "color_theme": "الموضوع",
        "group_by": "الصفوف", "group_actor": "الفاعل", "group_venue": "المكان",
        "group_organization": "المنظمة",
        "timeline_capped": "تُعرض أكثر الصفوف نشاطا ({groups}) وبحد أقصى {bars} حدثا.",
        "timeline_undated": "الأحداث غير المؤرخة لا تظهر على الخط الزمني.",
        "choose_event": "الحدث", "choose_event_help": "أو انقر على شريط أو معيّن في الرسم.",
        "event_detail": "تفاصيل الحدث", "field": "الحقل", "value": "القيمة",
        "about": "يتناول", "sources": "المصادر", "evidence": "الدليل",
        "open_article": "فتح المقالة", "open_in_timeline": "عرض في الخط الزمني",
        "outlet": "الوسيلة", "published": "تاريخ النشر", "title": "العنوان", "kind": "الصنف",
        "top_persons": "الأحداث حسب الشخص", "top_organizations": "الأحداث حسب المنظمة",
        "actor_themes": "الفاعلون حسب الموضوع", "participants_per_event": "المشاركون في كل حدث",
        "named_actors": "عدد المشاركين المسمَّين: {n}", "named_actors_axis": "المشاركون المسمَّون",
        "stated_participants": "عدد المشاركين المذكور: {n}",
        "co_participation": "منظمات تشارك معا", "delegations": "الوفود حسب البلد",
        "delegations_note": "الوفد بلدٌ مذكور بين المشاركين في الحدث (لا البلد المضيف).",
        "top_n": "عدد الصفوف في كل رسم",
        "choose_article": "المقالة", "article_missing": "لا توجد مقالة بالمعرّف {id}.",
        "find_article": "ابحث عن مقالة بكلمات من عنوانها",
        "no_article_found": "لا مقالة في هذه التصفية في عنوانها هذه الكلمات.",
        "articles_capped": "تُعرض أحدث {shown:,} من {n:,} مقالة؛ ابحث عن غيرها بعنوانها أو "
                           "ضيّق التصفية.",
        "no_articles": "لا مقالة تذكر حدثا في هذه التصفية.",
        "article_events": "الأحداث في هذه المقالة",
        "kind_person": "شخص", "kind_organization": "منظمة", "kind_place": "مكان",
        "kind_date": "تاريخ", "kind_evidence": "دليل على حدث",
        "kind_selected": "دليل الحدث المختار",
        "source_link": "الأصل",
        # مراجعة الأحداث وسجل التصحيحات
        "page_review": "مراجعة حدث", "page_audit": "سجل التصحيحات",
        "rv_pick": "الحدث المراد مراجعته", "rv_none": "لا حدث في هذه التصفية.",
        "rv_sources": "المصادر وما قاله كل منها", "rv_conflicts": "تختلف المصادر في",
        "rv_corrected": "صحّحه محلل", "rv_who": "اسمك",
        "rv_reason": "السبب (اختياري)", "rv_field": "الحقل المراد تصحيحه",
        "rv_value": "القيمة الجديدة",
        "rv_apply": "حفظ التصحيح", "rv_reject": "رفض: ليس حدثا حقيقيا",
        "rv_merge": "دمج حدث آخر في هذا الحدث", "rv_merge_with": "الحدث المراد دمجه",
        "rv_split": "فصل: نقل هذه المصادر إلى حدث مستقل",
        "rv_split_pick": "المصادر المراد نقلها", "rv_done": "حُفظ. تُحفظ التصحيحات بمعزل عن "
        "مخرجات الآلة وتبقى بعد إعادة الاستخراج.",
        "rv_undo": "تراجع", "rv_history": "تصحيحات هذا الحدث",
        "rv_actors_help": "فاعل في كل سطر؛ أضف \" | person\" أو \" | organization\" أو "
                          "\" | place\" (الافتراضي: person).",
        "rv_themes_help": "معرّفات المواضيع مفصولة بفواصل.",
        "rv_correct": "تصحيح حقل", "rv_structure": "دمج أو فصل أو رفض",
        "au_all": "كل التصحيحات", "au_vanished": "للمراجعة: اختفى حدثها",
        "au_vanished_help": "تغيّرت المقالة ولم تعد تذكر الحدث المصحَّح. التصحيح محفوظ؛ "
                            "طبّقه من جديد على الحدث الصحيح أو تراجع عنه.",
        "au_vanished_none": "كل التصحيحات ما زالت تجد أحداثها.",
        "au_undo_pick": "التصحيح المراد التراجع عنه",
        "download_corrections": "تنزيل التصحيحات (CSV)",
        "col_n_sources": "المصادر", "n_sources": "المصادر", "corrected_fields": "المصحَّح",
        "conflicts": "الاختلافات",
        "made_at": "التوقيت (UTC)", "author": "المحلل", "action": "الإجراء",
        "previous": "القيمة السابقة", "reason": "السبب", "event_id": "معرّف الحدث",
        "state": "الحالة", "n_members": "عدد المصادر حينها", "undoes": "يتراجع عن",
        "correction_id": "معرّف التصحيح", "evidence_start": "الدليل من", "evidence_end": "إلى",
        "article_event_id": "حدث المقالة", "claim": "ما قاله المصدر",
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


def article_name(title: object, opening: object, article_id: str, words: int = 8) -> str:
    """What an article is called in a list: its title; without one (a missing value reaches
    pandas as None or NaN), the first `words` words of its text; without text, its id."""
    if isinstance(title, str) and title.strip():
        return title.strip()
    first = opening.split() if isinstance(opening, str) else []
    if first:
        return " ".join(first[:words]) + ("…" if len(first) > words else "")
    return article_id


def sources_text(n_sources: object, lang: str) -> str:
    """"3 sources": how many articles report a resolved event."""
    # A missing count reaches pandas as None or NaN.
    n = int(n_sources) if isinstance(n_sources, Number) and not math.isnan(n_sources) else 0
    return text("one_source", lang) if n == 1 else text("n_sources_text", lang, n=n)


# A stored field name (events.conflicts, corrected_fields) -> the column label that names it.
_FIELD_COLUMNS = {"start": "start_date", "end": "end_date"}


def event_marks(conflicts: object, corrected: object, lang: str) -> str:
    """The marks of an event whose sources disagree (⚠, on which fields) or that an analyst
    corrected (✎, which fields); empty when neither."""
    sep = "، " if lang == "ar" else ", "
    marks = []
    for sign, key, fields in (("⚠", "mark_conflicts", conflicts),
                              ("✎", "mark_corrected", corrected)):
        names = [column(_FIELD_COLUMNS.get(str(f), str(f)), lang) for f in _listed(fields)]
        if names:
            marks.append(f"{sign} {text(key, lang, fields=sep.join(names))}")
    return " · ".join(marks)


def event_signs(conflicts: object, corrected: object) -> str:
    """The marks alone, for a short label: ⚠ (sources disagree), ✎ (corrected)."""
    return "".join(sign for sign, fields in (("⚠", conflicts), ("✎", corrected))
                   if _listed(fields))


def event_sources_note(n_sources: object, conflicts: object, corrected: object,
                       lang: str) -> str:
    """"3 sources · ⚠ sources disagree on start": what every view shows beside an event."""
    marks = event_marks(conflicts, corrected, lang)
    return sources_text(n_sources, lang) + (f" · {marks}" if marks else "")


def _listed(value: object) -> list:
    """A stored list (a list, a numpy array, None or a missing value) as a list."""
    if value is None or isinstance(value, str) or not hasattr(value, "__iter__"):
        return []
    return list(value)

