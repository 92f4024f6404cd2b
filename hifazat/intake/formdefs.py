"""The XLSForms Hifazat ships, written out as data (household registration, monitoring report, session
attendance, livelihood outcome visit) or generated from the screening catalogue (risk screening):
``python -m hifazat.intake.formdefs`` writes them to ``hifazat/intake/forms/`` (the committed files are what
supervisors upload; a test checks they still match).

Labels in English and Urdu (``label::English (en)``, ``label::Urdu (ur)``). Choice values are the models' own
codes (``people.models``, ``monitoring.models``, ``livelihoods.models``), so a submission needs no translation of
codes to be stored; a test checks them against the models.
"""

from __future__ import annotations

import os
from pathlib import Path

from hifazat.core.spreadsheets import xlsx_bytes

FORMS_DIR = Path(__file__).parent / "forms"
EN, UR = "label::English (en)", "label::Urdu (ur)"

SURVEY_COLUMNS = [
    "type",
    "name",
    EN,
    UR,
    "required",
    "relevant",
    "constraint",
    "constraint_message::English (en)",
    "constraint_message::Urdu (ur)",
    "parameters",
]
CHOICE_COLUMNS = ["list_name", "name", EN, UR]

HOUSEHOLD_REGISTRATION = {
    "survey": [
        ["text", "site_code", "Site code", "سائٹ کوڈ", "yes", "", "", "", "", ""],
        ["text", "shelter_number", "Shelter or tent number", "شیلٹر یا خیمہ نمبر", "", "", "", "", "", ""],
        ["text", "origin_village", "Village of origin", "آبائی گاؤں", "", "", "", "", "", ""],
        [
            "date",
            "arrival_date",
            "Arrival date",
            "آمد کی تاریخ",
            "",
            "",
            ". <= today()",
            "Not in the future",
            "مستقبل کی تاریخ نہیں",
            "",
        ],
        ["begin_repeat", "members", "Members of the household", "گھرانے کے افراد", "", "", "", "", "", ""],
        ["text", "first_name", "First name", "پہلا نام", "yes", "", "", "", "", ""],
        ["text", "second_name", "Second name", "دوسرا نام", "", "", "", "", "", ""],
        ["text", "first_name_ur", "First name in Urdu script", "پہلا نام اردو میں", "", "", "", "", "", ""],
        ["select_one gender", "gender", "Gender", "جنس", "yes", "", "", "", "", ""],
        [
            "select_one relationship",
            "relationship_to_head",
            "Relationship to the head",
            "سربراہ سے رشتہ",
            "yes",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "integer",
            "age_years",
            "Age in years",
            "عمر (سال)",
            "yes",
            "",
            ". >= 0 and . <= 120",
            "Between 0 and 120",
            "0 سے 120 کے درمیان",
            "",
        ],
        ["text", "phone", "Phone number", "فون نمبر", "", "", "", "", "", ""],
        [
            "select_one child_status",
            "child_status",
            "Child's care situation",
            "بچے کی دیکھ بھال کی صورت",
            "",
            "${age_years} < 18",
            "",
            "",
            "",
            "",
        ],
        [
            "select_one consent",
            "consent_registration",
            "Consent to registration",
            "اندراج کی رضامندی",
            "yes",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "select_one given_by",
            "consent_given_by",
            "Who decided",
            "فیصلہ کس نے کیا",
            "yes",
            "${consent_registration} = 'given'",
            "not(${age_years} < 18 and . = 'self')",
            "For a child, a caregiver or guardian decides",
            "بچے کے لیے سرپرست فیصلہ کرتا ہے",
            "",
        ],
        [
            "text",
            "consent_given_by_name",
            "Name of the caregiver or guardian",
            "سرپرست کا نام",
            "yes",
            "${consent_given_by} != 'self' and ${consent_registration} = 'given'",
            "",
            "",
            "",
            "",
        ],
        [
            "select_one child_view",
            "child_view",
            "The child's own view",
            "بچے کی اپنی رائے",
            "yes",
            "${age_years} < 18 and ${consent_registration} = 'given'",
            "",
            "",
            "",
            "",
        ],
        ["end_repeat", "", "", "", "", "", "", "", "", ""],
        [
            "image",
            "consent_photo",
            "Photo of the signed consent form",
            "دستخط شدہ رضامندی فارم کی تصویر",
            "",
            "",
            "",
            "",
            "",
            "max-pixels=1024",
        ],
    ],
    "choices": [
        ["gender", "Feminine", "Female", "عورت"],
        ["gender", "Masculine", "Male", "مرد"],
        ["gender", "TransgenderFeminine", "Transgender (feminine)", "خواجہ سرا (نسوانی)"],
        ["gender", "TransgenderMasculine", "Transgender (masculine)", "خواجہ سرا (مردانہ)"],
        ["gender", "NonSpecifiedUnknown", "Not specified or unknown", "نامعلوم"],
        ["relationship", "head", "Head of household", "گھرانے کا سربراہ"],
        ["relationship", "spouse", "Wife or husband", "بیوی یا شوہر"],
        ["relationship", "child", "Son or daughter", "بیٹا یا بیٹی"],
        ["relationship", "parent", "Mother or father", "ماں یا باپ"],
        ["relationship", "sibling", "Sister or brother", "بہن یا بھائی"],
        ["relationship", "grandchild", "Grandchild", "پوتا، پوتی، نواسا یا نواسی"],
        ["relationship", "other_relative", "Other relative", "دوسرا رشتہ دار"],
        ["relationship", "non_relative", "Not related", "رشتہ دار نہیں"],
        ["child_status", "with_parents", "With a parent", "والدین میں سے کسی کے ساتھ"],
        ["child_status", "separated", "Separated", "بچھڑا ہوا"],
        ["child_status", "unaccompanied", "Unaccompanied", "اکیلا"],
        ["child_status", "orphaned", "Orphaned", "یتیم"],
        ["consent", "given", "Given", "دی گئی"],
        [
            "consent",
            "declined",
            "Declined (nothing is recorded about this person)",
            "انکار (اس فرد کا کچھ درج نہیں ہوگا)",
        ],
        ["given_by", "self", "The person", "خود فرد"],
        ["given_by", "caregiver", "Caregiver", "دیکھ بھال کرنے والا"],
        ["given_by", "guardian", "Legal guardian", "قانونی سرپرست"],
        ["child_view", "agrees", "The child agrees", "بچہ متفق ہے"],
        ["child_view", "disagrees", "The child disagrees", "بچہ متفق نہیں"],
        ["child_view", "not_able", "Too young to give a view", "رائے دینے کے لیے بہت چھوٹا"],
    ],
    "settings": {
        "form_title": "Household registration",
        "form_id": "hifazat_household_registration",
        "version": "2026120301",
        "default_language": "English (en)",
    },
}

# A record number (a UUID, from the record's page), as risk screening's ``person_id`` checks it.
RECORD_NUMBER = "regex(., '^[0-9a-fA-F-]{36}$')"
RECORD_NUMBER_MESSAGE = ("A record number has 36 characters", "ریکارڈ نمبر 36 حروف کا ہوتا ہے")
NOT_FUTURE = (". <= today()", "Not in the future", "مستقبل کی تاریخ نہیں")


def _row(kind, name, en="", ur="", *, required=False, relevant="", constraint=("", "", ""), parameters=""):
    return [kind, name, en, ur, "yes" if required else "", relevant, *constraint, parameters]


def _length(limit: int) -> tuple[str, str, str]:
    return (f"string-length(.) <= {limit}", f"At most {limit} characters", f"زیادہ سے زیادہ {limit} حروف")


def _record(name: str, en: str, ur: str, *, required: bool = True) -> list[str]:
    return _row("text", name, en, ur, required=required, constraint=(RECORD_NUMBER, *RECORD_NUMBER_MESSAGE))


def _traces(name: str, en: str, ur: str) -> list[str]:
    return _row("text", name, f"{en} (one per line)", f"{ur} (ہر سطر میں ایک)", constraint=_length(2000))


MONITORING_REPORT = {
    "survey": [
        _row("select_one report_kind", "kind", "What did you see?", "آپ نے کیا دیکھا؟", required=True),
        _row("date", "occurred_on", "When", "کب", required=True, constraint=NOT_FUTURE),
        _row("text", "site_code", "Site code (if it was at a site)", "سائٹ کوڈ (اگر کسی سائٹ پر ہوا)"),
        _row("text", "place", "Where exactly", "ٹھیک کس جگہ", constraint=_length(200)),
        _row("geopoint", "location", "Location (optional)", "مقام کے نقاط (اختیاری)"),
        _row("text", "description", "What happened", "کیا ہوا", required=True, constraint=_length(5000)),
        _row("select_one involved_role", "involved_role", "The person at risk is", "خطرے میں فرد"),
        _row(
            "text",
            "involved_name",
            "Name of the person at risk, if known",
            "خطرے میں فرد کا نام، اگر معلوم ہو",
            constraint=_length(160),
        ),
        _row(
            "text",
            "involved_description",
            "Describe them (age, sex, where they live)",
            "ان کے بارے میں بتائیں (عمر، جنس، کہاں رہتے ہیں)",
            constraint=_length(300),
        ),
        _record(
            "person_id",
            "Their record number, if registered (from their page)",
            "اگر درج ہیں تو ان کا ریکارڈ نمبر (ان کے صفحے سے)",
            required=False,
        ),
        _row(
            "text",
            "companion_description",
            "The adult with them",
            "ان کے ساتھ بالغ شخص",
            relevant="${kind} = 'child_leaving'",
            constraint=_length(300),
        ),
        _traces("names", "The suspect's names and aliases", "مشتبہ شخص کے نام اور عرفیت"),
        _traces("phones", "Phone numbers", "فون نمبر"),
        _traces("plates", "Vehicle plates", "گاڑیوں کے نمبر"),
        _traces("employers", "Employers or agencies named", "بتائے گئے آجر یا ایجنسیاں"),
        _traces("destinations", "Destinations named", "بتائی گئی منزلیں"),
    ],
    "choices": [
        ["report_kind", "offer_work", "Suspicious offer of work", "کام کی مشکوک پیشکش"],
        ["report_kind", "offer_education", "Suspicious offer of education", "تعلیم کی مشکوک پیشکش"],
        ["report_kind", "offer_marriage", "Suspicious offer of marriage", "شادی کی مشکوک پیشکش"],
        ["report_kind", "recruiter_seen", "Recruiter seen", "بھرتی کرنے والا دیکھا گیا"],
        ["report_kind", "missing_person", "Missing person", "لاپتہ فرد"],
        [
            "report_kind",
            "child_leaving",
            "Child leaving with a non-family adult",
            "بچہ کسی غیر خاندانی بالغ کے ساتھ جا رہا ہے",
        ],
        [
            "report_kind",
            "suspected_trafficking",
            "Suspected trafficking incident",
            "انسانی اسمگلنگ کا مشتبہ واقعہ",
        ],
        ["report_kind", "other", "Other", "دیگر"],
        ["involved_role", "at_risk", "Targeted or at risk", "نشانہ بنایا گیا یا خطرے میں"],
        ["involved_role", "missing", "Missing", "لاپتہ"],
    ],
    "settings": {
        "form_title": "Monitoring report",
        "form_id": "hifazat_monitoring_report",
        "version": "2026120301",
        "default_language": "English (en)",
    },
}

SCORE = (
    ". >= 0 and . <= 50",
    "A score is between 0 and the number of questions",
    "نمبر صفر اور سوالوں کی تعداد کے درمیان ہوتے ہیں",
)

SESSION_ATTENDANCE = {
    "survey": [
        _record(
            "session_id",
            "Record number of the session (from its page)",
            "نشست کا ریکارڈ نمبر (اس کے صفحے سے)",
        ),
        _row("begin_repeat", "attendees", "Registered people who attended", "شریک ہونے والے درج شدہ افراد"),
        _record(
            "person_id", "Record number of the person (from their page)", "فرد کا ریکارڈ نمبر (ان کے صفحے سے)"
        ),
        _row("integer", "pre_score", "Score before the session", "نشست سے پہلے کے نمبر", constraint=SCORE),
        _row("integer", "post_score", "Score after the session", "نشست کے بعد کے نمبر", constraint=SCORE),
        _row("end_repeat", ""),
    ],
    "choices": [],
    "settings": {
        "form_title": "Session attendance",
        "form_id": "hifazat_session_attendance",
        "version": "2026120301",
        "default_language": "English (en)",
    },
}

LIVELIHOOD_VISIT = {
    "survey": [
        _record(
            "enrolment_id",
            "Record number of the enrolment (from its page)",
            "پروگرام میں شمولیت کا ریکارڈ نمبر (اس کے صفحے سے)",
        ),
        _row(
            "integer",
            "months_after",
            "Which follow-up: months after enrolment (empty: the next one due)",
            "کون سا دورہ: شمولیت کے کتنے مہینے بعد (خالی: اگلا واجب دورہ)",
            constraint=(". >= 1 and . <= 36", "Between 1 and 36", "1 سے 36 کے درمیان"),
        ),
        _row("select_one visit_status", "status", "Visit", "دورہ", required=True),
        _row("date", "visited_on", "Date", "تاریخ", required=True, constraint=NOT_FUTURE),
        _row(
            "decimal",
            "income",
            "Household income per month now",
            "اس وقت گھرانے کی ماہانہ آمدنی",
            relevant="${status} = 'done'",
            constraint=(". >= 0", "Not below zero", "صفر سے کم نہیں"),
        ),
        _row(
            "select_one running",
            "activity_running",
            "Is the activity still running?",
            "کیا سرگرمی اب بھی جاری ہے؟",
            relevant="${status} = 'done'",
        ),
        _row("select_one employment", "employment", "Work", "کام", relevant="${status} = 'done'"),
        _row("text", "note", "Note", "نوٹ", constraint=_length(300)),
    ],
    "choices": [
        ["visit_status", "done", "Visited", "دورہ ہوا"],
        ["visit_status", "missed", "Could not be visited", "دورہ نہ ہو سکا"],
        ["running", "true", "Yes", "ہاں"],
        ["running", "false", "No", "نہیں"],
        ["employment", "none", "No work", "کوئی کام نہیں"],
        ["employment", "self_employed", "Own activity or business", "اپنی سرگرمی یا کاروبار"],
        ["employment", "wage", "Paid employment", "تنخواہ دار ملازمت"],
        ["employment", "casual", "Casual or day labour", "عارضی یا دیہاڑی کی مزدوری"],
    ],
    "settings": {
        "form_title": "Livelihood follow-up visit",
        "form_id": "hifazat_livelihood_visit",
        "version": "2026120301",
        "default_language": "English (en)",
    },
}


def _xpath(condition: dict) -> str:
    """A catalogue relevance condition (``screening.indicators.evaluate``) as an XLSForm ``relevant`` expression.
    The form knows the age band only as "under 18" and not the sex: a condition on the sex is left to the server,
    which drops the answers to questions it does not ask."""
    if "all" in condition or "any" in condition:
        joiner = " and " if "all" in condition else " or "
        return "(" + joiner.join(_xpath(c) for c in condition.get("all", condition.get("any"))) + ")"
    if "not" in condition:
        return f"not({_xpath(condition['not'])})"
    if "answer" in condition:
        return "(" + " or ".join(f"${{{condition['answer']}}} = '{v}'" for v in condition["in"]) + ")"
    if "age_band" in condition:
        bands = set(condition["age_band"])
        if "child" not in bands:
            return "${is_child} != 'yes'"
        return "${is_child} = 'yes'" if bands == {"child"} else "true()"
    return "true()"


def risk_screening() -> dict:
    """The risk screening as an XLSForm, generated from the catalogue in use (``screening/catalogue``): one
    group per section, one question per indicator with its options, in English and Urdu. Its version follows
    the catalogue's checksum, so that a changed catalogue is a new form version for Collect."""
    from hifazat.screening.indicators import current_catalogue

    catalogue = current_catalogue()
    blank = ["", "", "", ""]
    survey = [
        [
            "text",
            "person_id",
            "Record number of the person (from their page)",
            "فرد کا ریکارڈ نمبر (ان کے صفحے سے)",
            "yes",
            "",
            "regex(., '^[0-9a-fA-F-]{36}$')",
            "A record number has 36 characters",
            "ریکارڈ نمبر 36 حروف کا ہوتا ہے",
            "",
        ],
        [
            "select_one yes_no",
            "is_child",
            "Is the person under 18?",
            "کیا فرد کی عمر 18 سال سے کم ہے؟",
            "yes",
            *blank,
            "",
        ],
    ]
    choices = [["yes_no", "yes", "Yes", "ہاں"], ["yes_no", "no", "No", "نہیں"]]
    for section in catalogue.sections:
        parts = ["${is_child} = 'yes'"] if section.applies_to == "child" else []
        if section.relevant:
            parts.append(_xpath(section.relevant))
        relevant = " and ".join(f"({p})" for p in parts) if len(parts) > 1 else "".join(parts)
        survey.append(
            ["begin_group", section.id, section.title.en, section.title.ur, "", relevant, "", "", "", ""]
        )
        for question in section.questions:
            survey.append(
                [
                    f"select_one q_{question.id}",
                    question.id,
                    question.text.en,
                    question.text.ur,
                    "yes",
                    _xpath(question.relevant) if question.relevant else "",
                    "",
                    "",
                    "",
                    "",
                ]
            )
            choices += [[f"q_{question.id}", o.value, o.text.en, o.text.ur] for o in question.options]
        survey.append(["end_group", "", "", "", "", "", "", "", "", ""])
    return {
        "survey": survey,
        "choices": choices,
        "settings": {
            "form_title": catalogue.title.en,
            "form_id": "hifazat_risk_screening",
            "version": f"{catalogue.version}-{catalogue.checksum[:8]}",
            "default_language": "English (en)",
        },
    }


SHIPPED = {
    "household_registration.xlsx": HOUSEHOLD_REGISTRATION,
    "monitoring_report.xlsx": MONITORING_REPORT,
    "session_attendance.xlsx": SESSION_ATTENDANCE,
    "livelihood_visit.xlsx": LIVELIHOOD_VISIT,
}
GENERATED = {"risk_screening.xlsx": risk_screening}
# What each shipped form's submissions become (``intake.models.Purpose``, ``intake.registration.STORE``): the
# purpose to choose when publishing it.
PURPOSES = {
    "household_registration.xlsx": "household_registration",
    "risk_screening.xlsx": "risk_screening",
    "monitoring_report.xlsx": "monitoring_report",
    "session_attendance.xlsx": "session_attendance",
    "livelihood_visit.xlsx": "livelihood_visit",
}


def workbook_bytes(definition: dict) -> bytes:
    """The XLSForm workbook of ``definition``: survey, choices and settings sheets."""
    return xlsx_bytes(
        {
            "survey": [SURVEY_COLUMNS, *definition["survey"]],
            "choices": [CHOICE_COLUMNS, *definition["choices"]],
            "settings": [list(definition["settings"]), list(definition["settings"].values())],
        }
    )


def write_shipped() -> list[Path]:
    FORMS_DIR.mkdir(exist_ok=True)
    written = []
    for name, definition in [*SHIPPED.items(), *((n, make()) for n, make in GENERATED.items())]:
        path = FORMS_DIR / name
        path.write_bytes(workbook_bytes(definition))
        written.append(path)
    return written


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    for path in write_shipped():
        print(path)
