"""The cases part's step of the demo scenario: ``build(demo)``, through the services users call.

IMPO's caseworkers open cases of three kinds:

- at risk: from the urgent and high screenings (the band and red flags in the summary), with a support plan and a
  follow-up visit;
- possible victims: walk-ins and people the monitoring network pointed to, weeks ago, with the supervisor's
  "possible victim" status, plans, services delivered, follow-ups (some overdue) and comments;
- actual victims: the girls and women recruited by "Shahji" in February 2006 (the recruiter of the monitoring
  demo), with the HTCDS victim context, historic events (recruitment at the camp, transit, exploitation in
  Lahore), the perpetrator with his phone and van (encrypted), and the police unit's decision.

Some cases close with the supervisor's approval, one closure waits for it, one was refused with a note, and a
second caseworker receives assigned and transferred cases. Case work is counted back from today, as the
registry's and the screenings' dates are, so that what is due and overdue reads right on any day the demo is
built; the trafficking events themselves are dated in the months after the quake of 8 October 2005.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from hifazat.accounts import services as accounts
from hifazat.cases import record_services, services
from hifazat.cases.models import Case
from hifazat.core.roles import Role
from hifazat.demo.scenario import DEMO_PASSWORD
from hifazat.geography.models import AdminArea
from hifazat.people.models import Person
from hifazat.screening.models import Band, Screening

# The second caseworker of the host organisation: assignments and transfers go to her.
USERS = [("caseworker2", "Shabana", "Kiani", Role.CASEWORKER, "IMPO")]

# The recruiter of the monitoring demo (monitoring/demo.py), so that a case and the network's reports meet.
RECRUITER = {
    "first_name": "Javed",
    "second_name": "Iqbal",
    "alias": "Shahji",
    "phone": "0345-8123456",
    "identifying_details": "Drives a white van, LES-4471; says he works for Al-Noor Domestic Services, Lahore.",
}

PLANS_AT_RISK = [
    (
        "SocialCare",
        "Keep her safe in the camp and linked to the women's committee.",
        "Weekly visit; women's group.",
    ),
    ("Livelihood", "An income of her own, so that offers of work away lose their pull.", "Tailoring course."),
    ("Financial", "Cover the household's debts to the camp shop.", "Cash grant in two instalments."),
]
PLANS_CHILD = [
    ("Education", "Back to school in the camp's tent school.", "Enrol; uniform and books; check attendance."),
    ("SocialCare", "A safe carer and a daily routine.", "Visit the carer weekly; child-friendly space."),
]
PLANS_VICTIM = [
    (
        "Health",
        "Treatment and a check-up by a woman doctor.",
        "Referral to the hospital; follow the treatment.",
    ),
    ("SexualExploitationRehabilitation", "Recovery from what happened.", "Counselling twice a week."),
    (
        "LabourExploitationRehabilitation",
        "Recovery and her wages claimed.",
        "Counselling; legal aid for wages.",
    ),
    ("Legal", "Her statement to the police unit, safely.", "Legal aid lawyer present; protection order."),
]
COMMENTS = [
    "Visited the tent; she is worried about her brother-in-law's plans for her.",
    "Met the camp's women's committee: they will keep an eye on strangers asking for her.",
    "She asked about the tailoring course; added to the list for next month.",
    "Caregiver present at the visit; the child was quiet but agreed to come to the school tent.",
    "Called the hospital: the appointment is confirmed.",
]
FOLLOW_UPS = [
    "Home visit",
    "Check school attendance",
    "Call the hospital about the results",
    "Visit with the counsellor",
]


class CaseBuilder:
    def __init__(self, demo) -> None:
        self.demo, self.rng = demo, demo.rng
        self.today = timezone.localdate()
        self.caseworker = demo.actor("caseworker")
        self.caseworker2 = demo.actor("caseworker2")
        self.supervisor = demo.actor("supervisor")
        self.organisation = self.caseworker.organisation
        self.used: set[int] = set()

    def ago(self, days: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days)

    def open(self, person: Person, *, origin: str, summary: str, days_ago: int = 0, **extra) -> Case:
        self.used.add(person.pk)
        actor = extra.pop("actor", self.caseworker)
        return services.case_open(
            actor=actor, person=person, origin=origin, summary=summary, opened_on=self.ago(days_ago), **extra
        )

    def plan(self, case: Case, plans, *, days_ago: int, actor=None):
        plan_type, objectives, actions = self.rng.choice(plans)
        return record_services.support_plan_add(
            actor=actor or self.caseworker,
            case=case,
            plan_type=plan_type,
            objectives=objectives,
            action_plan=actions,
            planned_end_date=self.today
            + datetime.timedelta(days=self.rng.randrange(30, 150) - days_ago // 2),
        )

    def followup(self, case: Case, due_in: int, actor=None):
        return record_services.case_followup_add(
            actor=actor or self.caseworker,
            case=case,
            due_on=self.today + datetime.timedelta(days=due_in),
            purpose=self.rng.choice(FOLLOW_UPS),
        )

    def comment(self, case: Case, actor=None):
        record_services.case_comment_add(
            actor=actor or self.caseworker, case=case, body=self.rng.choice(COMMENTS)
        )

    # --- The three kinds --------------------------------------------------------------------------------------

    def at_risk(self, limit: int) -> list[Case]:
        """Cases from the urgent screenings first, then the high ones: one per person, the latest screening."""
        screenings = (
            Screening.objects.filter(organisation=self.organisation, band__in=[Band.URGENT, Band.HIGH])
            .select_related("person__household")
            .order_by("person_id", "-screened_at")
        )
        latest: dict[int, Screening] = {}
        for screening in screenings:
            latest.setdefault(screening.person_id, screening)
        chosen = sorted(latest.values(), key=lambda s: (s.band != Band.URGENT, s.person_id))[:limit]
        cases = []
        for index, screening in enumerate(chosen):
            person = screening.person
            flags = len(screening.red_flags)
            summary = f"Risk screening: {screening.get_band_display().lower()}, score {screening.score}" + (
                f", {flags} red flag{'s' if flags > 1 else ''}." if flags else "."
            )
            case = self.open(
                person,
                origin="screening",
                origin_uuid=screening.uuid,
                summary=summary,
                caseworker=self.caseworker2.user if index % 4 == 3 else None,
            )
            worker = self.caseworker2 if case.caseworker_id == self.caseworker2.user.pk else self.caseworker
            self.plan(case, PLANS_CHILD if person.is_child else PLANS_AT_RISK, days_ago=0, actor=worker)
            self.followup(case, 2 if screening.band == Band.URGENT else 7, actor=worker)
            if index % 3 == 0:
                self.comment(case, actor=worker)
            cases.append(case)
        return cases

    def candidates(self, *, child: bool, count: int) -> list[Person]:
        """Registered people not yet in a case: girls of 12 to 17, or women of 16 to 40."""
        people = (
            Person.objects.filter(organisation=self.organisation, is_active=True, merged_into__isnull=True)
            .exclude(pk__in=self.used)
            .exclude(cases__isnull=False)
            .filter(gender="Feminine")
            .order_by("id")
        )
        found = []
        for person in people.iterator():
            age = person.age
            if age is not None and ((12 <= age < 18) if child else (18 <= age <= 40)):
                found.append(person)
                if len(found) == count:
                    break
        return found

    def possible_victim(self, person: Person, index: int) -> Case:
        days = self.rng.randrange(30, 120)
        case = self.open(
            person,
            origin="monitoring_report" if index % 2 else "walk_in",
            summary="Came to the protection desk after a man offered her family money for her to work away."
            if index % 2 == 0
            else "A camp volunteer reported that she was asked to leave with a stranger for work.",
            days_ago=days,
        )
        record_services.case_trafficking_status_set(
            actor=self.supervisor, case=case, status="PossibleVictimOfTrafficking"
        )
        plan = self.plan(case, PLANS_CHILD if person.is_child else PLANS_AT_RISK, days_ago=days)
        for _ in range(self.rng.randrange(1, 4)):
            record_services.service_record(
                actor=self.caseworker,
                case=case,
                support_plan=plan,
                service=self.rng.choice(["psychosocial", "cash", "relief_items", "education", "medical"]),
                delivered_on=self.ago(self.rng.randrange(1, days)),
                provided_by=self.rng.choice(
                    ["IMPO protection desk", "IGH mobile unit", "HWWS women's centre"]
                ),
            )
        # Some follow-ups were missed: overdue on the work list.
        self.followup(case, -self.rng.randrange(1, 12) if index % 3 == 0 else self.rng.randrange(1, 10))
        self.comment(case)
        return case

    def actual_victim(self, person: Person, index: int) -> Case:
        days = self.rng.randrange(60, 150)
        case = self.open(
            person,
            origin="monitoring_report",
            summary="Recruited at the camp with a promise of work as a maid in Lahore; returned with the "
            "police unit's help.",
            days_ago=days,
        )
        child = person.is_child
        recruited = datetime.date(2006, 2, 3) + datetime.timedelta(days=index * 3)
        areas = {a.pcode: a for a in AdminArea.objects.filter(pcode__in=["PK701", "PK201"])}
        record_services.victim_context_update(
            actor=self.caseworker,
            case=case,
            recruitment_methods=["ThroughFriendsOrSocialEvents", "Other"]
            if index % 2
            else ["ThroughFamilyOrFamilyEvents"],
            recruitment_area=areas.get("PK701"),
            recruitment_place="H-11 Relief Camp",
            recruitment_country="PK",
            methods_of_control=["FalsePromises", "WithholdsDocuments", "TakesEarnings", "PsychologicalAbuse"],
            exploitation_types=["ChildLabour", "Servitude"] if child else ["ForcedLabour"],
            forced_labour_industry="T_ActivitiesOfHouseholdsAsEmployers",
            relationship_to_trafficker="Unaquainted",
            age_when_trafficked=person.age,
            recruitment_websites=[],
            exploitation_websites=[],
        )
        for event_type, offset, place, area, country, description in (
            ("Recruitment", 0, "H-11 Relief Camp", areas.get("PK701"), "PK", "Offered work as a maid."),
            ("Transit", 1, "Pir Wadhai bus stand, Rawalpindi", None, "PK", "Taken by van, then by bus."),
            ("Exploitation", 3, "Gulberg, Lahore", None, "PK", "Domestic work, unpaid, not allowed out."),
        ):
            record_services.historic_event_add(
                actor=self.caseworker,
                case=case,
                event_type=event_type,
                occurred_on=recruited + datetime.timedelta(days=offset),
                date_is_approximate=event_type == "Exploitation",
                area=area,
                place=place,
                country=country,
                description=description,
            )
        record_services.perpetrator_add(
            actor=self.caseworker,
            case=case,
            roles=["RecruiterOrIntermediary", "Transporter"],
            gender="Masculine",
            estimated_age=40,
            nationality="PK",
            role_details="Approached families in the camp; drove the girls to Rawalpindi himself.",
            **RECRUITER,
        )
        if index == 0:
            record_services.perpetrator_add(
                actor=self.caseworker,
                case=case,
                roles=["Exploiter"],
                alias="The employer in Gulberg",
                gender="Feminine",
                role_details="Kept her in the house and took her wages.",
            )
        record_services.case_trafficking_status_set(
            actor=self.supervisor,
            case=case,
            status="ActualVictimOfTrafficking",
            decided_by="Police" if index % 2 == 0 else "",
        )
        for plan_type in (
            "Health",
            "SexualExploitationRehabilitation" if index % 2 else "LabourExploitationRehabilitation",
        ):
            _, objectives, actions = next(p for p in PLANS_VICTIM if p[0] == plan_type)
            plan = record_services.support_plan_add(
                actor=self.caseworker,
                case=case,
                plan_type=plan_type,
                objectives=objectives,
                action_plan=actions,
                planned_end_date=self.ago(days - 90),
            )
            record_services.service_record(
                actor=self.caseworker,
                case=case,
                support_plan=plan,
                service="medical" if plan_type == "Health" else "psychosocial",
                delivered_on=self.ago(days - 5),
                provided_by="IGH Islamabad" if plan_type == "Health" else "HWWS women's centre",
            )
        self.followup(case, -self.rng.randrange(2, 20) if index % 2 else self.rng.randrange(3, 14))
        self.comment(case)
        return case

    # --- Workflow ---------------------------------------------------------------------------------------------

    def close(self, case: Case, outcome: str, reason: str, *, approve: bool | None) -> None:
        """A caseworker asks; the supervisor approves (``True``), refuses with a note (``False``) or has not
        decided yet (``None``)."""
        for followup in case.followups.filter(status="open"):
            record_services.case_followup_close(
                actor=self.caseworker, followup=followup, outcome="Visited; all well."
            )
        approval = services.case_close_request(
            actor=self.caseworker, case=case, outcome=outcome, reason=reason
        )
        if approve is not None:
            services.approval_decide(
                actor=self.supervisor,
                approval=approval,
                approved=approve,
                note=""
                if approve
                else "Her brother-in-law is still in the camp: keep the case open a month more.",
            )


def _users(demo) -> None:
    for username, first, last, role, org in USERS:
        demo.users[username] = accounts.user_create(
            actor=demo.actor("admin"),
            organisation=demo.organisations[org],
            role=role,
            username=username,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
        )


def build(demo) -> None:
    _users(demo)
    b = CaseBuilder(demo)
    at_risk = b.at_risk(limit=max(4, min(80, demo.households // 25)))
    possible = [
        b.possible_victim(person, i)
        for i, person in enumerate(
            b.candidates(child=True, count=max(1, demo.households // 200))
            + b.candidates(child=False, count=max(2, demo.households // 80))
        )
    ]
    actual = [
        b.actual_victim(person, i)
        for i, person in enumerate(
            b.candidates(child=True, count=1)
            + b.candidates(child=False, count=max(1, demo.households // 400))
        )
    ]
    # Assignment and transfer within IMPO: the second caseworker takes over.
    if len(possible) > 2:
        services.case_assign(actor=b.supervisor, case=possible[-1], caseworker=b.caseworker2.user)
    if len(actual) > 1:
        services.case_transfer(
            actor=b.supervisor,
            case=actual[-1],
            to=b.caseworker2.user,
            note="Shabana speaks the family's language and covers the H-11 camp.",
        )
    # Closures: approved, waiting, refused; and one the supervisor closes herself.
    closable = [c for c in possible if c.caseworker_id == b.caseworker.user.pk]
    if closable:
        record_services.case_trafficking_status_set(
            actor=b.supervisor, case=closable[0], status="NotAVictimOfTrafficking"
        )
        b.close(
            closable[0],
            "no_longer_at_risk",
            "The offer was for real work with a relative; checked.",
            approve=True,
        )
    if len(closable) > 1:
        b.close(
            closable[1], "objectives_met", "She has her own income and the family's support.", approve=None
        )
    if len(closable) > 2:
        b.close(closable[2], "lost_contact", "The family left the camp; no phone.", approve=False)
    if len(at_risk) > 4:
        services.case_close_request(
            actor=b.supervisor,
            case=at_risk[-1],
            outcome="no_longer_at_risk",
            reason="Re-screened with the family present: the offer came from her uncle, a teacher in Abbottabad.",
        )
