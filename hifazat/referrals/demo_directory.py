"""The services directory of the demo districts: built before cases, so that cases can refer to it.

Providers of the partner organisations in Mansehra, Battagram, Muzaffarabad, Bagh and Islamabad (hospital care,
counselling, safe shelter, legal aid, the anti-trafficking police unit, schooling, livelihoods, family tracing),
and for each district the pathways a caseworker follows. Names and numbers are demo values. Written by the host's
administrator, who keeps the directory for partners without users of their own.
"""

from __future__ import annotations

from hifazat.geography.models import AdminArea
from hifazat.referrals import directory_services

# key: (organisation, name, Urdu name, services, area P-codes, contact person, phone, hours, address)
PROVIDERS = {
    "igh": (
        "IGH",
        "Islamabad General Hospital",
        "اسلام آباد جنرل ہسپتال",
        ["medical"],
        ["PK701", "PK203"],
        "Dr. Samina Qazi, women's ward",
        "051-9260100",
        "Emergency 24 hours; outpatients Mon–Sat 08:00–14:00",
        "G-8/3, Islamabad",
    ),
    "igh-mansehra": (
        "IGH",
        "IGH Mobile Medical Unit, Mansehra and Battagram",
        "آئی جی ایچ موبائل میڈیکل یونٹ، مانسہرہ و بٹگرام",
        ["medical"],
        ["PK201", "PK202"],
        "Dr. Kamran Swati",
        "0997-300412",
        "Camp rounds daily 09:00–17:00",
        "Chattar Plain Tent Village, Mansehra",
    ),
    "igh-kashmir": (
        "IGH",
        "IGH Field Hospital, Muzaffarabad",
        "آئی جی ایچ فیلڈ ہسپتال، مظفرآباد",
        ["medical"],
        ["PK501", "PK502"],
        "Dr. Ayesha Mir",
        "05822-920310",
        "24 hours",
        "University Ground, Muzaffarabad",
    ),
    "hwws-counselling": (
        "HWWS",
        "HWWS Women's Counselling Centre, Mansehra",
        "ایچ ڈبلیو ڈبلیو ایس خواتین مشاورتی مرکز، مانسہرہ",
        ["psychosocial"],
        ["PK201", "PK202"],
        "Fozia Swati",
        "0997-301550",
        "Mon–Sat 09:00–16:00; women counsellors",
        "Shinkiari Road, Mansehra",
    ),
    "hwws-shelter": (
        "HWWS",
        "HWWS Safe House, Mansehra",
        "ایچ ڈبلیو ڈبلیو ایس محفوظ پناہ گاہ، مانسہرہ",
        ["shelter", "psychosocial"],
        ["PK201", "PK202", "PK203"],
        "Fozia Swati",
        "0997-301551",
        "Admissions 24 hours by phone",
        "Address given on referral",
    ),
    "msw-shelter": (
        "MSW",
        "Dar-ul-Aman Islamabad (women's shelter)",
        "دارالامان اسلام آباد",
        ["shelter"],
        ["PK701"],
        "Superintendent",
        "051-9250433",
        "Admissions 24 hours",
        "Address given on referral",
    ),
    "grp-legal": (
        "GRP",
        "GRP Legal Aid Desk",
        "جی آر پی قانونی امداد ڈیسک",
        ["legal_aid"],
        ["PK2", "PK5", "PK7"],
        "Advocate Naila Kiani",
        "051-2870921",
        "Mon–Fri 09:00–17:00; camp visits on Saturdays",
        "Blue Area, Islamabad",
    ),
    "atu": (
        "ATU",
        "Federal Anti-Trafficking Police Unit",
        "وفاقی انسداد انسانی اسمگلنگ پولیس یونٹ",
        ["police"],
        ["PK"],
        "Duty officer",
        "051-9261600",
        "24 hours",
        "Mauve Area, G-9/4, Islamabad",
    ),
    "grp-schools": (
        "GRP",
        "GRP Tent Schools",
        "جی آر پی خیمہ اسکول",
        ["education"],
        ["PK501", "PK502", "PK202"],
        "Tahir Abbasi",
        "05822-920733",
        "Mon–Sat 08:00–13:00",
        "In the camps",
    ),
    "grp-livelihood": (
        "GRP",
        "GRP Livelihood Programme (cash for work, skills)",
        "جی آر پی روزگار پروگرام",
        ["livelihood"],
        ["PK201", "PK501", "PK502"],
        "Sajid Awan",
        "0997-302210",
        "Mon–Fri 09:00–16:00",
        "Mansehra and Muzaffarabad offices",
    ),
    "kcrf-tracing": (
        "KCRF",
        "KCRF Family Tracing and Reunification Desk",
        "کے سی آر ایف خاندانی تلاش اور ملاپ ڈیسک",
        ["family_tracing"],
        ["PK5", "PK201", "PK202", "PK701"],
        "Bilal Mir",
        "05822-921440",
        "Daily 08:00–18:00",
        "Thuri Park Camp, Muzaffarabad",
    ),
    "kcrf-space": (
        "KCRF",
        "KCRF Child-Friendly Spaces",
        "کے سی آر ایف بچوں کے لیے محفوظ جگہیں",
        ["psychosocial", "education"],
        ["PK501", "PK502"],
        "Rubina Qureshi",
        "05822-921441",
        "Daily 09:00–15:00",
        "University Ground and Thuri Park camps",
    ),
}

WOMAN_AT_RISK = ("A woman or girl at risk of trafficking", "خطرے سے دوچار عورت یا لڑکی")
SEPARATED_CHILD = ("A separated or unaccompanied child", "بچھڑا ہوا یا اکیلا بچہ")
VICTIM = ("A victim of trafficking identified in a camp", "کیمپ میں شناخت شدہ اسمگلنگ کا شکار")

# (area P-code, (title, Urdu title), description, [(service, provider key or None, notes)])
PATHWAYS = [
    (
        "PK201",
        WOMAN_AT_RISK,
        "A widow or separated woman with an outside offer of work or marriage, or whom someone pressures.",
        [
            ("medical", "igh-mansehra", "If she is hurt or pregnant."),
            ("psychosocial", "hwws-counselling", "A woman counsellor, within three days."),
            ("shelter", "hwws-shelter", "Only if she cannot stay where she is safely."),
            ("legal_aid", "grp-legal", "Documents, inheritance, a forced marriage."),
            ("police", "atu", "Only with her consent, unless a child is in danger."),
            ("livelihood", "grp-livelihood", "When she is ready: income lowers the pressure."),
        ],
    ),
    (
        "PK201",
        SEPARATED_CHILD,
        "A child without their parents or usual caregiver.",
        [
            ("family_tracing", "kcrf-tracing", "Register the tracing request the same day."),
            ("psychosocial", "hwws-counselling", ""),
            ("police", "atu", "At once if a stranger took or asked about the child."),
        ],
    ),
    (
        "PK202",
        WOMAN_AT_RISK,
        "As in Mansehra; the mobile unit visits Battagram camps on Tuesdays and Fridays.",
        [
            ("medical", "igh-mansehra", ""),
            ("psychosocial", "hwws-counselling", ""),
            ("shelter", "hwws-shelter", ""),
            ("police", "atu", "Only with her consent."),
        ],
    ),
    (
        "PK501",
        SEPARATED_CHILD,
        "A child without their parents or usual caregiver in the Muzaffarabad camps.",
        [
            ("family_tracing", "kcrf-tracing", "Register the tracing request the same day."),
            ("psychosocial", "kcrf-space", ""),
            ("education", "grp-schools", ""),
            ("medical", "igh-kashmir", ""),
            ("police", "atu", "At once if a stranger took or asked about the child."),
        ],
    ),
    (
        "PK501",
        WOMAN_AT_RISK,
        "A widow or separated woman with an outside offer of work or marriage.",
        [
            ("medical", "igh-kashmir", ""),
            ("legal_aid", "grp-legal", ""),
            ("police", "atu", "Only with her consent."),
            ("livelihood", "grp-livelihood", ""),
        ],
    ),
    (
        "PK502",
        SEPARATED_CHILD,
        "A child without their parents or usual caregiver in Bagh.",
        [
            ("family_tracing", "kcrf-tracing", ""),
            ("psychosocial", "kcrf-space", ""),
            ("education", "grp-schools", ""),
            ("police", "atu", "At once if a stranger took or asked about the child."),
        ],
    ),
    (
        "PK701",
        VICTIM,
        "Someone who was trafficked and has come back, or was found in the H-11 or I-11 camps.",
        [
            ("medical", "igh", "Examination and treatment first."),
            ("shelter", "msw-shelter", "Women and girls; boys through the tracing desk."),
            ("legal_aid", "grp-legal", ""),
            ("police", "atu", "With consent; the unit records a reference number."),
            ("family_tracing", "kcrf-tracing", ""),
        ],
    ),
]


def build(demo) -> None:
    actor = demo.actor("admin")
    areas = {a.pcode: a for a in AdminArea.objects.all()}
    providers = {}
    for key, (org, name, name_ur, services, pcodes, contact, phone, hours, address) in PROVIDERS.items():
        providers[key] = directory_services.provider_create(
            actor=actor,
            organisation=demo.organisations[org],
            name=name,
            name_ur=name_ur,
            services=services,
            areas=[areas[p] for p in pcodes],
            contact_person=contact,
            phone=phone,
            hours=hours,
            address=address,
        )
    for pcode, (title, title_ur), description, steps in PATHWAYS:
        directory_services.pathway_create(
            actor=actor,
            area=areas[pcode],
            title=title,
            title_ur=title_ur,
            description=description,
            steps=[
                {"service": service, "provider": providers[key] if key else None, "notes": notes}
                for service, key, notes in steps
            ],
        )
