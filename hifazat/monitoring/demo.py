"""The monitoring part's step of the demo scenario: ``build(demo)``, through the services users call.

IMPO runs the monitoring network. Eight reporters of every kind, in six organisations, report what they see in
the camps from November 2005 to April 2006; the public sends anonymous tips. A recruiter calling himself "Shahji"
(Javed Iqbal, phone 0345-8123456, a white van LES-4471) works H-11, Balakot and the University Ground camp in
February; a "marriage broker" drives a rise of marriage offers at Bagh City in March. The reports raise their
alerts; the focal point and the supervisor triage, alert the police unit, ask the campaign team to focus on Bagh,
open a case, link and close reports; caseworkers record camp exits, one of them a girl who left with a stranger.
"""

from __future__ import annotations

import datetime

from hifazat.accounts import services as accounts
from hifazat.accounts.models import OrganisationType
from hifazat.core.roles import Role
from hifazat.demo.scenario import DEMO_PASSWORD
from hifazat.geography.models import Site
from hifazat.monitoring import exit_services, rules, services
from hifazat.monitoring.models import Alert, Report
from hifazat.people.models import Person

START = datetime.date(2005, 11, 1)
END = datetime.date(2006, 4, 30)
BACKGROUND_REPORTS = 220
TIPS = 18

RECRUITER = {"name": "Javed Iqbal alias Shahji", "phone": "0345-8123456", "plate": "LES-4471"}
BROKER = {"name": "Zarina Mai", "phone": "0300-9087311"}

# (username, first name, last name, organisation short name, kind, reliability, sites covered)
REPORTERS = [
    ("reporter", "Gul", "Khan", "HWWS", "aid_worker", "B", ["MAN-CHP", "MAN-GHB"]),
    ("rep-army", "Asif", "Rana", "ARMY", "army", "B", ["MZD-UNI", "MZD-THP", "BAG-CTY"]),
    ("rep-camp", "Saira", "Malik", "GRP", "camp_personnel", "A", ["BTG-BTG", "ISB-I11", "BAG-CTY"]),
    ("rep-medical", "Dr Farah", "Naqvi", "IGH", "medical_staff", "A", ["ISB-H11", "ISB-I11"]),
    ("rep-official", "Khalid", "Swati", "MSW", "local_official", "C", ["MAN-BLK", "ABT-GCC", "ABT-HVL"]),
    ("rep-journalist", "Aamir", "Butt", "MASHRIQ", "journalist", "D", ["MZD-UNI", "MAN-BLK", "ISB-H11"]),
    ("rep-police", "Inspector Naveed", "Akhtar", "ATU", "police", "A", ["ISB-H11", "MAN-BLK", "MZD-UNI"]),
    (
        "rep-leader",
        "Maulana Abdul",
        "Qayyum",
        "KCRF",
        "community_leader",
        "C",
        ["BAG-DHK", "BTG-ALL", "MZD-THP"],
    ),
]
EXTRA_ORGANISATIONS = [
    ("Pakistan Army Earthquake Relief Cell", "ARMY", OrganisationType.CENTRAL_GOVERNMENT),
    ("Daily Mashriq", "MASHRIQ", OrganisationType.CORPORATE_BUSINESS),
]

DESCRIPTIONS = {
    "offer_work": [
        "A man offered factory jobs in Faisalabad to young women, with the fare paid in advance.",
        "Families were told of housework jobs in Lahore; the agent wanted the girls' identity cards.",
        "A contractor is recruiting boys for brick kilns, a loan to the family against their wages.",
    ],
    "offer_education": [
        "A woman says a madrassa in the city will take orphaned girls free of charge and house them.",
        "Men offered to take children to a boarding school in Karachi; no school name was given.",
    ],
    "offer_marriage": [
        "A broker is asking about widows and girls of 14 to 16 for marriages in Punjab, with money to the family.",
        "Proposals for young girls from men from outside the district, through a go-between.",
    ],
    "recruiter_seen": [
        "A man with a list of names was asking at the tents which families lost their fathers.",
        "The same man came back to the camp gate with a van and talked to teenage girls.",
    ],
    "missing_person": [
        "A girl of 15 has not been seen in the camp for three days; her aunt did not report it.",
        "A boy of 12 left for work in the bazaar and did not come back.",
    ],
    "child_leaving": [
        "A child left the camp with a man the neighbours did not know, towards the bus stand.",
    ],
    "suspected_trafficking": [
        "Two girls from the camp were seen at a house in the city; they could not leave.",
        "A family received money and their daughter was taken to 'work' in a house in Islamabad.",
    ],
    "other": [
        "Strangers photographing children at the water point.",
        "A new 'charity' registers children's names without any organisation's card.",
    ],
}
KIND_WEIGHTS = [
    ("offer_work", 26),
    ("offer_education", 10),
    ("offer_marriage", 16),
    ("recruiter_seen", 18),
    ("missing_person", 10),
    ("child_leaving", 4),
    ("suspected_trafficking", 8),
    ("other", 8),
]
DESTINATIONS = ["Lahore", "Karachi", "Faisalabad", "Rawalpindi", "Islamabad", "Dubai", "Peshawar"]


def _day(rng, start: datetime.date = START, end: datetime.date = END) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def _phone(rng) -> str:
    return f"03{rng.choice(['00', '01', '21', '33', '45'])}-{rng.randrange(10**6, 10**7)}"


def build_reporters(demo) -> None:
    admin = demo.actor("admin")
    for name, short, kind in EXTRA_ORGANISATIONS:
        demo.organisations[short] = accounts.organisation_create(
            actor=admin, name=name, short_name=short, org_type=kind
        )
    focal = demo.actor("focalpoint")
    sites = {s.code: s for s in Site.objects.all()}
    for username, first, last, org, kind, grade, covered in REPORTERS:
        if username not in demo.users:
            creator = demo.actor("hwws-admin") if org == "HWWS" else admin
            demo.users[username] = accounts.user_create(
                actor=creator,
                organisation=demo.organisations[org],
                role=Role.NETWORK_REPORTER,
                username=username,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
            )
        services.reporter_register(
            actor=focal,
            user=demo.users[username],
            kind=kind,
            sites=[sites[c] for c in covered if c in sites],
            reliability=grade,
            reliability_note="Graded by the focal point after the first reports were checked.",
        )


def _submit(demo, username: str, **data) -> Report:
    return services.report_submit(actor=demo.actor(username), **data)


def build_background(demo) -> list[Report]:
    """Reports of every kind from every reporter, at the sites each covers, over six months."""
    rng = demo.rng
    sites = {s.code: s for s in Site.objects.all()}
    kinds = [kind for kind, weight in KIND_WEIGHTS for _ in range(weight)]
    reports = []
    for _ in range(BACKGROUND_REPORTS):
        username, *_rest, covered = rng.choice(REPORTERS)
        kind = rng.choice(kinds)
        traces: dict[str, list[str]] = {}
        if rng.random() < 0.45:
            traces["phone"] = [_phone(rng)]
        if rng.random() < 0.2:
            traces["destination"] = [rng.choice(DESTINATIONS)]
        people = []
        if kind in ("missing_person", "child_leaving") or rng.random() < 0.2:
            female = rng.random() < 0.6
            people.append(
                {
                    "role": "missing" if kind == "missing_person" else "at_risk",
                    "description": f"{'girl' if female else 'boy'} of about {rng.randrange(9, 17)}",
                }
            )
        reports.append(
            _submit(
                demo,
                username,
                kind=kind,
                occurred_on=_day(rng),
                description=rng.choice(DESCRIPTIONS[kind]),
                site=sites[rng.choice(covered)],
                traces=traces,
                people=people,
            )
        )
    return reports


def build_recruiter(demo) -> list[Report]:
    """Shahji's February: his phone at three camps, his van at two, his name in Urdu once."""
    sites = {s.code: s for s in Site.objects.all()}
    story = [
        (
            "rep-police",
            "recruiter_seen",
            datetime.date(2006, 2, 3),
            "ISB-H11",
            {"phone": [RECRUITER["phone"]], "name": [RECRUITER["name"]]},
            "A man calling himself Shahji offered girls work as maids in Lahore, 5,000 rupees a month.",
        ),
        (
            "rep-official",
            "offer_work",
            datetime.date(2006, 2, 11),
            "MAN-BLK",
            {"phone": ["+92 345 8123456"], "plate": [RECRUITER["plate"]]},
            "Job offers for girls in Lahore houses; a white van waited at the camp road.",
        ),
        (
            "rep-journalist",
            "recruiter_seen",
            datetime.date(2006, 2, 19),
            "MZD-UNI",
            {
                "phone": ["923458123456"],
                "name": ["جاوید اقبال"],
                "plate": ["les 4471"],
                "destination": ["Lahore"],
            },
            "A recruiter gave families a phone number and said their daughters would send money home.",
        ),
        (
            "rep-army",
            "offer_work",
            datetime.date(2006, 2, 24),
            "MZD-UNI",
            {"phone": ["0345 8123456"], "employer": ["Al-Noor Domestic Services (Pvt) Ltd"]},
            "Soldiers at the distribution point were asked to pass on job offers; the card names Al-Noor.",
        ),
    ]
    return [
        _submit(demo, username, kind=kind, occurred_on=day, description=text, site=sites[code], traces=traces)
        for username, kind, day, code, traces, text in story
    ]


def build_broker(demo) -> list[Report]:
    """A quiet site, then four marriage offers in one week of March: a rise above the baseline."""
    site = Site.objects.get(code="BAG-CTY")
    reports = [
        _submit(
            demo,
            "rep-camp",
            kind="offer_marriage",
            occurred_on=datetime.date(2006, 1, 20),
            description=DESCRIPTIONS["offer_marriage"][0],
            site=site,
        )
    ]
    for offset, username in enumerate(["rep-camp", "rep-army", "rep-camp", "rep-army"]):
        reports.append(
            _submit(
                demo,
                username,
                kind="offer_marriage",
                occurred_on=datetime.date(2006, 3, 6) + datetime.timedelta(days=offset * 2),
                description="A woman called Zarina Mai is arranging marriages of young girls to men from Punjab.",
                site=site,
                traces={"name": [BROKER["name"]], "phone": [BROKER["phone"]]},
            )
        )
    return reports


def build_tips(demo) -> list[Report]:
    rng = demo.rng
    sites = list(Site.objects.order_by("code"))
    tips = [
        services.tip_submit(
            kind="recruiter_seen",
            description="شاہ جی نام کا آدمی لڑکیوں کو لاہور میں نوکری کا کہہ رہا ہے۔ اس کا نمبر یہ ہے۔",
            occurred_on=datetime.date(2006, 2, 14),
            site=Site.objects.get(code="ISB-H11"),
            traces={"phone": ["۰۳۴۵۸۱۲۳۴۵۶"]},
        )
    ]
    for _ in range(TIPS - 1):
        kind = rng.choice(
            ["offer_work", "offer_marriage", "missing_person", "suspected_trafficking", "other"]
        )
        tips.append(
            services.tip_submit(
                kind=kind,
                description=rng.choice(DESCRIPTIONS[kind]),
                occurred_on=_day(rng),
                site=rng.choice(sites) if rng.random() < 0.8 else None,
                place="" if rng.random() < 0.8 else "near the bus stand",
                traces={"phone": [_phone(rng)]} if rng.random() < 0.3 else {},
            )
        )
    return tips


def build_registry_links(demo) -> None:
    """Reports about registered people: one at high risk, one child leaving with a stranger."""
    host = demo.organisations["IMPO"]
    registry = rules._registry(host.pk).select_related("household__site")
    high = registry.filter(latest_band__in=rules.HIGH_RISK, household__isnull=False).order_by("pk").first()
    if high is not None:
        _submit(
            demo,
            "rep-medical",
            kind="offer_marriage",
            occurred_on=datetime.date(2006, 3, 2),
            description="At the clinic a registered woman said a go-between is pressing her family for a marriage.",
            site=high.household.site,
            people=[{"role": "at_risk", "person": high}],
        )
    child = (
        Person.objects.filter(organisation=host, household__isnull=False, birthdate__isnull=False)
        .exclude(pk=getattr(high, "pk", None))
        .order_by("-birthdate", "pk")
    )
    child = next((p for p in child[:50] if 8 <= (p.age or 0) < 16), None)
    if child is not None:
        _submit(
            demo,
            "rep-leader",
            kind="child_leaving",
            occurred_on=datetime.date(2006, 3, 18),
            description="The child was seen walking to the road with a man from outside, carrying a bag.",
            site=child.household.site,
            people=[
                {"role": "at_risk", "person": child},
                {"role": "companion", "description": "man of about 40, not from the camp"},
            ],
            traces={"plate": [RECRUITER["plate"]]},
        )


def build_exits(demo) -> None:
    """Departures recorded by the caseworker: families going home, and two children who worry the team."""
    actor = demo.actor("caseworker")
    people = list(
        Person.objects.filter(
            organisation=actor.organisation, household__isnull=False, birthdate__isnull=False
        )
        .select_related("household")
        .order_by("pk")
    )
    adults = [p for p in people if not p.is_child][:4]
    children = [p for p in people if p.is_child and (p.age or 0) >= 10]
    for adult in adults:
        exit_services.exit_record(
            actor=actor,
            person=adult,
            departed_on=datetime.date(2006, 4, 3),
            companion="family",
            reason="return_home",
            destination="home village",
        )
    if len(children) >= 2:
        exit_services.exit_record(
            actor=actor,
            person=children[0],
            departed_on=datetime.date(2006, 3, 27),
            companion="non_relative",
            companion_name="Zarina Mai",
            companion_phone=BROKER["phone"],
            destination="Faisalabad",
            reason="marriage",
            reason_detail="The neighbours say a marriage was arranged.",
        )
        exit_services.exit_record(
            actor=actor,
            person=children[1],
            departed_on=datetime.date(2006, 4, 9),
            companion="alone",
            destination="Rawalpindi",
            reason="work",
        )


def triage(demo, reports: list[Report], recruiter: list[Report], broker: list[Report]) -> None:
    """The focal point's and the supervisor's work: most reports triaged, some actioned, some closed."""
    rng = demo.rng
    focal, supervisor = demo.actor("focalpoint"), demo.actor("supervisor")
    focal_user = demo.users["focalpoint"]
    for report in reports:
        roll = rng.random()
        if roll < 0.25:
            continue  # still new
        services.report_triage(
            actor=focal,
            report=report,
            priority=rng.choice(["low", "medium", "medium", "high"]),
            credibility=rng.choice([2, 3, 3, 4, 6]),
            assignee=focal_user if rng.random() < 0.5 else None,
        )
        if roll > 0.7:
            outcome = rng.choice(["no_action", "insufficient", "unfounded", "action_taken"])
            note = "" if outcome in ("no_action", "action_taken") else "Checked with the camp committee."
            services.report_close(actor=focal, report=report, outcome=outcome, note=note)
    first, *_rest = recruiter
    services.report_triage(actor=focal, report=first, priority="urgent", credibility=2, assignee=focal_user)
    services.report_alert_police(
        actor=focal, report=first, police_reference="ATU-ISB-2006-031", note="Phone and van passed on."
    )
    services.report_link_reports(
        actor=focal, report=recruiter[-1], others=[first], note="The same recruiter."
    )
    services.report_triage(actor=focal, report=broker[-1], priority="high", credibility=3)
    services.report_campaign_focus(
        actor=focal,
        report=broker[-1],
        site=broker[-1].site,
        note="Marriage lures: sessions for widows and mothers.",
    )
    linked = Report.objects.filter(network=focal.organisation, people__person__isnull=False).distinct()
    report = linked.filter(kind="offer_marriage").first()
    if report is not None:
        person = report.people.filter(person__isnull=False).first().person
        services.report_triage(actor=supervisor, report=report, priority="high", credibility=2)
        services.report_open_case(actor=supervisor, report=report, person=person)
    alerts = Alert.objects.filter(network=focal.organisation).order_by("pk")
    for alert in alerts:
        if alert.rule in ("shared_trace", "site_rise"):
            services.alert_acknowledge(actor=focal, alert=alert)
    old = alerts.filter(status="open", last_seen_on__lt=datetime.date(2006, 1, 1)).first()
    if old is not None:
        services.alert_resolve(actor=focal, alert=old, resolution="Checked: a family visit, not a recruiter.")


def build(demo) -> None:
    build_reporters(demo)
    reports = build_background(demo)
    recruiter = build_recruiter(demo)
    broker = build_broker(demo)
    tips = build_tips(demo)
    build_registry_links(demo)
    build_exits(demo)
    triage(demo, reports + tips[1:], recruiter, broker)
    if demo.progress:
        demo.progress(
            f"  monitoring: {Report.objects.count()} reports, {Alert.objects.count()} alerts, "
            f"{len(REPORTERS)} reporters"
        )
