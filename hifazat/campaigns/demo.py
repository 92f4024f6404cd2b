"""The campaigns part's step of the demo scenario: ``build(demo)``, through the services users call.

The Government of Japan funds "Safe Futures", run by IMPO with the Hazara Women's Welfare Society and the Kashmir
Child Rights Forum. It is launched at the H-11 camp in January 2006 and carried on in the Mansehra and Muzaffarabad
camps until June: key messages in Urdu and English, approved by the supervisor (one still waiting for review, one
returned), sessions with registered attendees and knowledge checks, leaflets and posters, radio spots, and a text
message audience handed over for RapidPro, whose delivery report confirms most of the messages (the funder's
donor report tells handed over from delivered). Coverage is high at H-11, patchy in Mansehra and Muzaffarabad, and nil
at Garhi Habibullah and Thuri Park: the gaps the coordinator has to close.

Demo user added: ``hwws-campaigns``, the partner's campaign coordinator (sees the campaign; HWWS has no registry
of its own in the demo, so no names).
"""

from __future__ import annotations

import datetime

from hifazat.accounts import services as accounts
from hifazat.core.roles import Role
from hifazat.demo.scenario import DEMO_PASSWORD
from hifazat.geography.models import AdminArea, Site
from hifazat.people import services as people
from hifazat.people.models import Consent, ConsentPurpose
from hifazat.people.normalise import normalise_phone
from hifazat.people.selectors import persons_visible_to

from . import delivery, exports, selectors, services
from .models import Reach, Session

WOMAN, CHILD, PARENT = "separated_or_widowed_woman", "at_risk_child", "widowed_single_parent"

# (topic, title, target group, {(language, channel): text})
MESSAGES = [
    (
        "work_offers",
        "False offers of work",
        "",
        {
            (
                "eng",
                "public",
            ): "Warning signs of a false job offer: a stranger offers well-paid work in a city or "
            "abroad; asks you to leave at once or in secret; keeps your identity card or asks for money in "
            "advance; gives no address and no written contract. A real employer lets you check first and tell "
            "your family.",
            (
                "urd",
                "public",
            ): "نوکری کی جھوٹی پیشکش کی علامات: کوئی اجنبی شہر یا بیرونِ ملک زیادہ تنخواہ والی "
            "نوکری کی پیشکش کرے؛ فوراً یا چھپ کر جانے کو کہے؛ آپ کا شناختی کارڈ اپنے پاس رکھ لے یا پیشگی رقم "
            "مانگے؛ نہ پتہ دے نہ تحریری معاہدہ۔ اصل آجر آپ کو پہلے تصدیق کرنے اور گھر والوں کو بتانے دیتا ہے۔",
            (
                "urd",
                "session",
            ): "نوکری کی پیشکش پر بات کریں: کس نے پیشکش کی؟ کہاں لے جانا چاہتا ہے؟ شناختی کارڈ کس "
            "کے پاس ہے؟ گروپ سے پوچھیں کہ انہوں نے کیمپ میں ایسی پیشکشیں سنی ہیں۔",
            (
                "urd",
                "radio",
            ): "بہن، اگر کوئی اجنبی آپ کو شہر میں اچھی نوکری کا کہے اور آج ہی چلنے کو کہے تو رکیں۔ "
            "پہلے اپنے گھر والوں اور کیمپ کے تحفظ ڈیسک سے بات کریں۔ تحفظ ہیلپ لائن: 0800-44333۔",
            (
                "urd",
                "leaflet",
            ): "نوکری کی پیشکش؟ پہلے پوچھیں، پھر سوچیں، پھر جائیں۔ شناختی کارڈ اپنے پاس رکھیں۔",
        },
    ),
    (
        "education_offers",
        "False offers of schooling",
        CHILD,
        {
            (
                "eng",
                "public",
            ): "Warning signs of a false offer of schooling: someone offers to take your child "
            "to a school or madrasa far away, free, and will not say where; asks you to tell nobody; offers money "
            "for the child. Ask the camp's education officer before any child leaves the camp.",
            (
                "urd",
                "public",
            ): "تعلیم کی جھوٹی پیشکش کی علامات: کوئی آپ کے بچے کو دور کسی اسکول یا مدرسے میں مفت لے "
            "جانے کی پیشکش کرے اور جگہ نہ بتائے؛ کسی کو نہ بتانے کو کہے؛ بچے کے بدلے پیسے دے۔ کسی بچے کو کیمپ سے "
            "بھیجنے سے پہلے کیمپ کے تعلیمی افسر سے پوچھیں۔",
            (
                "urd",
                "session",
            ): "بچوں کے ساتھ کھیل: اگر کوئی اجنبی کہے کہ چلو میں تمہیں اسکول لے چلوں تو کیا کرو گے؟ "
            "جواب: اپنی امی، ابو یا استاد کو بتاؤ اور اکیلے کہیں نہ جاؤ۔",
        },
    ),
    (
        "marriage_offers",
        "False offers of marriage",
        WOMAN,
        {
            (
                "eng",
                "public",
            ): "Warning signs of a false marriage offer: a proposal from a family nobody in the "
            "camp knows; a hurried nikah far from home; money offered to the bride's family; the promise of a rich "
            "life abroad. Check the groom's family and address with your elders and the camp office first.",
            (
                "urd",
                "public",
            ): "شادی کی جھوٹی پیشکش کی علامات: ایسے خاندان کا رشتہ جسے کیمپ میں کوئی نہ جانتا ہو؛ گھر "
            "سے دور جلدی میں نکاح؛ دلہن کے گھر والوں کو رقم کی پیشکش؛ بیرونِ ملک امیر زندگی کا وعدہ۔ پہلے اپنے "
            "بزرگوں اور کیمپ دفتر کے ساتھ دولہا کے خاندان اور پتے کی تصدیق کریں۔",
        },
    ),
    (
        "what_to_do",
        "What to do",
        "",
        {
            (
                "eng",
                "public",
            ): "What to do: do not hand over your identity card; never let a child leave with a "
            "stranger; ask for the name, address and phone number of anyone who makes an offer; tell the camp's "
            "protection desk before you or a family member leaves the camp.",
            (
                "urd",
                "public",
            ): "کیا کریں: اپنا شناختی کارڈ کسی کے حوالے نہ کریں؛ کسی بچے کو اجنبی کے ساتھ ہرگز نہ "
            "جانے دیں؛ پیشکش کرنے والے کا نام، پتہ اور فون نمبر پوچھیں؛ کیمپ چھوڑنے سے پہلے کیمپ کے تحفظ ڈیسک کو "
            "بتائیں۔",
        },
    ),
    (
        "hotline",
        "Hotline numbers",
        "",
        {
            ("eng", "public"): "Protection helpline, free, day and night: 0800-44333 (a demo number). "
            "Police emergency: 15.",
            ("urd", "public"): "تحفظ ہیلپ لائن، مفت، دن رات: 0800-44333 (نمونے کا نمبر)۔ پولیس ایمرجنسی: 15۔",
        },
    ),
    (
        "what_to_do",
        "Ask before you go",
        PARENT,
        {
            ("urd", "sms"): "ہوشیار رہیں: نوکری یا شادی کی کسی پیشکش پر جانے سے پہلے 0800-44333 پر فون کریں۔ "
            "شناختی کارڈ کسی کو نہ دیں۔",
            ("eng", "sms"): "Be careful: before you go with any offer of work or marriage, call 0800-44333. "
            "Do not give your ID card to anyone.",
            (
                "urd",
                "session",
            ): "اکیلے والدین کے لیے: آپ کی ذمہ داری بڑی ہے اور دھوکہ دینے والے یہ جانتے ہیں۔ "
            "کسی بھی پیشکش پر فیصلہ کرنے سے پہلے کسی بھروسے والے شخص سے بات کریں۔",
        },
    ),
]

# (site code, date, facilitating organisation, target group, share of the site's people in the group who are
# linked, title). None at Garhi Habibullah (MAN-GHB): a gap the figures show.
SESSIONS = [
    ("ISB-H11", datetime.date(2006, 1, 20), "IMPO", WOMAN, 0.35, "Launch: the camp's women"),
    ("ISB-H11", datetime.date(2006, 2, 3), "IMPO", PARENT, 0.5, "Widowed parents"),
    ("ISB-H11", datetime.date(2006, 2, 17), "IMPO", CHILD, 0.5, "Children and their carers"),
    ("ISB-H11", datetime.date(2006, 3, 3), "IMPO", WOMAN, 0.35, "Second round"),
    ("MAN-BLK", datetime.date(2006, 2, 22), "HWWS", WOMAN, 0.4, "Widows of Balakot"),
    ("MAN-BLK", datetime.date(2006, 3, 15), "HWWS", CHILD, 0.3, "Schooling offers"),
    ("MAN-CHP", datetime.date(2006, 3, 8), "HWWS", PARENT, 0.3, "Widowed parents"),
    ("MZD-UNI", datetime.date(2006, 3, 22), "KCRF", CHILD, 0.45, "Children in the University Ground camp"),
    ("MZD-UNI", datetime.date(2006, 4, 5), "KCRF", WOMAN, 0.3, "Marriage offers"),
    ("MZD-THP", datetime.date(2006, 4, 19), "KCRF", PARENT, 0.0, "Widowed parents (nobody registered came)"),
]


def build(demo) -> None:
    coordinator, reviewer = demo.actor("campaigns"), demo.actor("supervisor")
    _partner_coordinator(demo)
    orgs = demo.organisations
    campaign = services.campaign_create(
        actor=coordinator,
        name="Safe Futures",
        objective="Warn the people most at risk in the camps (widows, separated and orphaned children, widowed "
        "single parents) of traffickers' false offers of work, schooling and marriage, in their language, and "
        "tell them whom to call.",
        funder=orgs["GoJ"],
        partners=[orgs["HWWS"], orgs["KCRF"]],
        starts_on=datetime.date(2006, 1, 15),
        ends_on=datetime.date(2006, 6, 30),
        areas=list(AdminArea.objects.filter(pcode__in=["PK201", "PK501"])),
        sites=[Site.objects.get(code="ISB-H11")],
        target_groups=[WOMAN, CHILD, PARENT],
    )
    messages = _messages(demo, campaign, coordinator, reviewer)
    services.campaign_launch(
        actor=coordinator,
        campaign=campaign,
        launched_on=datetime.date(2006, 1, 20),
        launch_site=Site.objects.get(code="ISB-H11"),
        launch_note="Opened with the camp's elders, the camp manager and a representative of the funder.",
    )
    _phone_consents(demo, campaign)
    _materials(coordinator, campaign, messages["False offers of work"])
    _radio(coordinator, campaign, messages["False offers of work"])
    _sessions(demo, coordinator, campaign, messages)
    _exports(demo, coordinator, campaign, messages["Ask before you go"])


def _partner_coordinator(demo) -> None:
    demo.users["hwws-campaigns"] = accounts.user_create(
        actor=demo.actor("hwws-admin"),
        organisation=demo.organisations["HWWS"],
        role=Role.CAMPAIGN_COORDINATOR,
        username="hwws-campaigns",
        password=DEMO_PASSWORD,
        first_name="Rubina",
        last_name="Swati",
    )


def _messages(demo, campaign, coordinator, reviewer) -> dict:
    made = {}
    for topic, title, group, texts in MESSAGES:
        message = services.key_message_create(
            actor=coordinator, campaign=campaign, title=title, topic=topic, target_group=group
        )
        for (language, channel), text in texts.items():
            version = services.version_write(
                actor=coordinator, message=message, language=language, channel=channel, text=text, submit=True
            )
            services.version_review(actor=reviewer, version=version, approve=True)
        made[title] = message
    # A sharper Urdu text for the marriage warning waits for review; an English hotline text was sent back.
    services.version_write(
        actor=coordinator,
        message=made["False offers of marriage"],
        language="urd",
        channel="public",
        text="شادی سے پہلے تصدیق کریں: دولہا کا خاندان، گاؤں اور شناختی کارڈ۔ جلدی کا نکاح خطرے کی علامت ہے۔",
        submit=True,
    )
    returned = services.version_write(
        actor=coordinator,
        message=made["Hotline numbers"],
        language="eng",
        channel="public",
        text="Call the helpline on 0800-4433.",
        submit=True,
    )
    services.version_review(
        actor=reviewer, version=returned, approve=False, note="The number is missing a digit: 0800-44333."
    )
    return made


def _population(campaign, actor, group: str, site):
    return selectors.population(
        campaign, persons_visible_to(actor), groups=[group], site_ids=[site.pk]
    ).order_by("pk")


def _phone_consents(demo, campaign) -> None:
    """Caseworkers asked the people with a phone whether the campaign may text them: most agreed."""
    caseworker = demo.actor("caseworker")
    with_phone = (
        selectors.population(campaign, persons_visible_to(caseworker))
        .exclude(phone_encrypted="")
        .exclude(consents__purpose=ConsentPurpose.PHONE_CONTACT)
        .order_by("pk")
    )
    for person in with_phone:
        roll = demo.rng.random()
        if roll < 0.2:
            continue  # not asked yet
        _consent(caseworker, person, Consent.Status.GIVEN if roll < 0.88 else Consent.Status.DECLINED)


def _consent(actor, person, status) -> None:
    extra = {}
    if person.is_child:
        extra = {"given_by": "caregiver", "given_by_name": "the head of household", "child_view": "agrees"}
    people.consent_record(
        actor=actor, person=person, purpose=ConsentPurpose.PHONE_CONTACT, status=status, **extra
    )


def _materials(coordinator, campaign, message) -> None:
    leaflet = services.material_create(
        actor=coordinator,
        campaign=campaign,
        kind="leaflet",
        title="Ask first, then go (Urdu leaflet)",
        language="urd",
        message=message,
        print_run=6000,
        printed_on=datetime.date(2006, 1, 16),
    )
    poster = services.material_create(
        actor=coordinator,
        campaign=campaign,
        kind="poster",
        title="Warning signs (Urdu poster)",
        language="urd",
        message=message,
        print_run=300,
        printed_on=datetime.date(2006, 1, 16),
    )
    for code, day, leaflets, posters in (
        ("ISB-H11", datetime.date(2006, 1, 20), 1800, 60),
        ("MAN-BLK", datetime.date(2006, 2, 22), 1200, 40),
        ("MAN-CHP", datetime.date(2006, 3, 8), 700, 25),
        ("MZD-UNI", datetime.date(2006, 3, 22), 1500, 50),
        ("MZD-THP", datetime.date(2006, 4, 19), 300, 20),
    ):
        site = Site.objects.get(code=code)
        services.distribution_record(
            actor=coordinator, material=leaflet, site=site, distributed_on=day, quantity=leaflets
        )
        services.distribution_record(
            actor=coordinator, material=poster, site=site, distributed_on=day, quantity=posters
        )


def _radio(coordinator, campaign, message) -> None:
    for station, pcode, first, last, airings in (
        ("Radio Pakistan Muzaffarabad", "PK501", datetime.date(2006, 3, 1), datetime.date(2006, 4, 30), 48),
        (
            "Radio Pakistan Abbottabad (Hazara service)",
            "PK201",
            datetime.date(2006, 2, 15),
            datetime.date(2006, 4, 15),
            36,
        ),
    ):
        services.radio_spot_record(
            actor=coordinator,
            campaign=campaign,
            station=station,
            language="urd",
            message=message,
            area=AdminArea.objects.get(pcode=pcode),
            first_aired_on=first,
            last_aired_on=last,
            airings=airings,
        )


def _headcount(rng, group: str, people: int) -> dict[str, int]:
    """Who came, by sex and age band: the linked people and those who are not registered (or not known)."""
    total = people + rng.randrange(4, 14)
    if group == CHILD:
        carers = rng.randrange(2, 5)
        girls = (total - carers) // 2
        counts = {"female_0_17": girls, "male_0_17": total - carers - girls, "female_18_59": carers}
    else:
        older = rng.randrange(0, 3)
        children = rng.randrange(0, 4)
        counts = {"female_60_plus": older, "female_0_17": children, "female_18_59": total - older - children}
    return counts


def _sessions(demo, coordinator, campaign, messages) -> None:
    rng = demo.rng
    talking_points = {
        WOMAN: "False offers of work",
        PARENT: "Ask before you go",
        CHILD: "False offers of schooling",
    }
    for code, day, facilitator, group, share, title in SESSIONS:
        site = Site.objects.get(code=code)
        candidates = list(_population(campaign, coordinator, group, site))
        linked = rng.sample(candidates, k=round(share * len(candidates)))
        session = services.session_record(
            actor=coordinator,
            campaign=campaign,
            site=site,
            held_on=day,
            facilitator=demo.organisations[facilitator],
            target_group=group,
            title=title,
            message=messages[talking_points[group]],
            check_max_score=5,
            **_headcount(rng, group, len(linked)),
        )
        for person in linked:
            pre = rng.randrange(0, 4) if rng.random() < 0.8 else None
            post = min(5, pre + rng.randrange(1, 4)) if pre is not None else None
            services.attendee_add(
                actor=coordinator, session=session, person=person, pre_score=pre, post_score=post
            )
        _unlinked_scores(rng, coordinator, session)


def _unlinked_scores(rng, actor, session: Session) -> None:
    unregistered = session.attendance_total - session.attendances.count()
    scores = []
    for _ in range(unregistered // 2):
        pre = rng.randrange(0, 3)
        scores.append((pre, min(session.check_max_score, pre + rng.randrange(0, 4))))
    if scores:
        services.scores_record(actor=actor, session=session, scores=scores)


def _exports(demo, coordinator, campaign, message) -> None:
    """The widowed parents' audience, prepared and handed over for a RapidPro broadcast; a second one, for the
    widows of the Mansehra camps, is ready and waits to be taken."""
    handed = exports.export_start(
        actor=coordinator, message=message, target_group=PARENT, fallback_language="urd"
    )
    exports.export_build.call(str(handed.uuid))  # the worker's job, done at once for the demo
    exports.export_download(actor=coordinator, export=handed)
    _delivery_report(coordinator, handed)
    waiting = exports.export_start(
        actor=coordinator,
        message=message,
        target_group=WOMAN,
        fallback_language="urd",
        sites=list(Site.objects.filter(code__in=["MAN-BLK", "MAN-CHP", "MAN-GHB"])),
    )
    exports.export_build.call(str(waiting.uuid))


def _delivery_report(coordinator, export) -> None:
    """RapidPro's delivery report of the broadcast: four phones in five received it, the fifth was off or out of
    credit, so the funder's report shows text messages handed over and, fewer, delivered."""
    rows = Reach.objects.filter(export=export).select_related("person").order_by("person_id")
    report = [
        (normalise_phone(row.person.phone), "failed" if n % 5 == 4 else "delivered")
        for n, row in enumerate(rows)
        if row.person.phone
    ]
    delivery.export_delivery_record(actor=coordinator, export=export, report=report)
