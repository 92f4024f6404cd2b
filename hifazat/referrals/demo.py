"""The referrals part's step of the demo scenario: ``build(demo)``, through the services users call.

IMPO's caseworkers refer cases to the partners in the directory, and the partners' staff answer: referrals in
every state (sent, accepted, declined with a reason, completed, overdue), one to the anti-trafficking police unit
with its reference number and outcome, one sent without consent on a supervisor's approval, and one transfer
that closes IMPO's case and opens one at HWWS. Times are counted back from now, as the registry's are, so that
what is due and overdue reads right on any day the demo is built.
"""

from __future__ import annotations

import datetime
import secrets

from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from hifazat.accounts import services as accounts
from hifazat.cases.models import Approval, Case
from hifazat.cases.selectors import cases_visible_to
from hifazat.cases.services import approval_decide, case_open
from hifazat.core.roles import Role
from hifazat.demo.scenario import DEMO_PASSWORD
from hifazat.people import services as people
from hifazat.people.models import Consent, Person
from hifazat.referrals import directory_services, services
from hifazat.referrals.models import ServiceProvider

# (username, first name, last name, role, organisation): the receiving partners' staff.
USERS = [
    ("hwws-supervisor", "Fozia", "Swati", Role.SUPERVISOR, "HWWS"),
    ("hwws-caseworker", "Rukhsana", "Tanoli", Role.CASEWORKER, "HWWS"),
    ("atu-officer", "Asif", "Raza", Role.CASEWORKER, "ATU"),
    ("igh-caseworker", "Samina", "Qazi", Role.CASEWORKER, "IGH"),
    ("kcrf-caseworker", "Bilal", "Mir", Role.CASEWORKER, "KCRF"),
]


def _users(demo) -> None:
    for username, first, last, role, org in USERS:
        organisation = demo.organisations[org]
        # A partner's own administrator adds its staff; the host's adds them for partners without one.
        has_admin = organisation.memberships.filter(role=Role.ADMINISTRATOR, is_active=True).exists()
        actor = demo.actor(f"{org.lower()}-admin") if has_admin else demo.actor("admin")
        demo.users[username] = accounts.user_create(
            actor=actor,
            organisation=organisation,
            role=role,
            username=username,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
        )
        if role == Role.SUPERVISOR:  # supervisors sign in with a second factor: printed backup codes
            device = StaticDevice.objects.create(user=demo.users[username], name="Demo backup codes")
            codes = [f"{secrets.randbelow(9 * 10**7) + 10**7}" for _ in range(5)]
            StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
            demo.backup_codes[username] = codes


class Referrer:
    """IMPO's caseworker picking cases and referring them, with the person's consent recorded first."""

    def __init__(self, demo) -> None:
        self.demo = demo
        self.caseworker = demo.actor("caseworker")
        self.supervisor = demo.actor("supervisor")
        self.now = timezone.now()
        self.used: set[int] = set()
        self.cases = list(
            cases_visible_to(self.caseworker)
            .filter(status__in=["Active", "FollowUp"])
            .select_related("person__household__site__area")
            .order_by("id")
        )

    def provider(self, name: str) -> ServiceProvider:
        return ServiceProvider.objects.get(name=name)

    def case(self, *, child: bool) -> Case:
        """An open case of the caseworker's, of a woman or of a child not yet used here; if the cases step left
        too few, one is opened for a screened person of the right kind."""
        for case in self.cases:
            person = case.person
            if case.pk not in self.used and person.is_child == child and (child or person.is_female):
                self.used.add(case.pk)
                return case
        # Too few cases of that kind (a small demo): open one, for a screened person if any is left.
        taken = Case.objects.filter(organisation=self.caseworker.organisation).values("person")
        left = (
            Person.objects.filter(organisation=self.caseworker.organisation, is_active=True, merged_into=None)
            .exclude(pk__in=taken)
            .prefetch_related("screenings")
            .order_by("id")
        )
        fitting = [p for p in left if p.is_child == child and (child or p.is_female)]
        person = next((p for p in fitting if p.screenings.all()), fitting[0])
        screening = next(iter(person.screenings.all()), None)
        case = case_open(
            actor=self.caseworker,
            person=person,
            origin="screening" if screening else "walk_in",
            origin_uuid=screening.uuid if screening else None,
            summary="Needs services the partners offer.",
        )
        self.used.add(case.pk)
        return case

    def consent(self, person: Person, purpose: str = "referral", **extra) -> None:
        if person.is_child:
            extra = {
                "given_by": Consent.GivenBy.CAREGIVER,
                "given_by_name": person.caregiver_name or "the head of household",
                "child_view": Consent.ChildView.AGREES,
                **extra,
            }
        people.consent_record(actor=self.caseworker, person=person, purpose=purpose, status="given", **extra)

    def refer(self, case: Case, provider: str, service: str, *, days_ago: float, actor=None, **options):
        options.setdefault("reason", "AdditionalServicesRequired")
        options.setdefault("urgency", "high")
        options.setdefault("shared_parts", ["name_age", "location", "support_needed"])
        return services.referral_send(
            actor=actor or self.caseworker,
            case=case,
            provider=self.provider(provider),
            service=service,
            sent_at=self.now - datetime.timedelta(days=days_ago),
            **options,
        )

    def later(self, referral, hours: float) -> datetime.datetime:
        return (referral.sent_at or self.now) + datetime.timedelta(hours=hours)


def build(demo) -> None:
    _users(demo)
    r = Referrer(demo)
    hwws, hwws_supervisor = demo.actor("hwws-caseworker"), demo.actor("hwws-supervisor")
    igh, atu, kcrf = demo.actor("igh-caseworker"), demo.actor("atu-officer"), demo.actor("kcrf-caseworker")

    # Accepted: a medical check by the mobile unit.
    case = r.case(child=False)
    r.consent(case.person)
    accepted = r.refer(
        case,
        "IGH Mobile Medical Unit, Mansehra and Battagram",
        "medical",
        days_ago=4,
        support_needed="Check-up: she has had pains since the quake and has not seen a woman doctor.",
    )
    services.referral_accept(
        actor=igh, referral=accepted, note="Seen on the camp round on Thursday.", at=r.later(accepted, 20)
    )

    # Declined, with the reason; the safe house then shows it is full.
    case = r.case(child=False)
    r.consent(case.person)
    declined = r.refer(
        case,
        "HWWS Safe House, Mansehra",
        "shelter",
        days_ago=6,
        urgency="urgent",
        shared_parts=["name_age", "vulnerability", "support_needed"],
        support_needed="A safe place to stay: her late husband's relatives want to send her away for work.",
    )
    services.referral_decline(
        actor=hwws_supervisor,
        referral=declined,
        reason="The safe house is full until the end of March; she is first on the waiting list.",
        at=r.later(declined, 5),
    )
    directory_services.provider_update(
        actor=hwws_supervisor,
        provider=r.provider("HWWS Safe House, Mansehra"),
        accepting_referrals=False,
        availability_note="Full until the end of March.",
    )

    # Completed: family tracing for a separated child.
    case = r.case(child=True)
    r.consent(case.person)
    r.consent(case.person, "family_tracing")
    tracing = r.refer(
        case,
        "KCRF Family Tracing and Reunification Desk",
        "family_tracing",
        days_ago=20,
        shared_parts=["name_age", "location", "vulnerability", "support_needed"],
        support_needed="Trace the child's mother's family; they lived near Balakot before the quake.",
    )
    services.referral_accept(actor=kcrf, referral=tracing, at=r.later(tracing, 10))
    services.referral_complete(
        actor=kcrf,
        referral=tracing,
        outcome="An aunt was found in Garhi Habibullah; the family link was verified and a visit arranged.",
        at=r.later(tracing, 24 * 12),
    )

    # The police unit: accepted with its reference number, completed with the outcome.
    case = r.case(child=False)
    r.consent(case.person)
    police = r.refer(
        case,
        "Federal Anti-Trafficking Police Unit",
        "police",
        days_ago=15,
        urgency="urgent",
        shared_parts=["name_age", "phone", "screening", "case_summary", "support_needed"],
        support_needed="She wants to report the man who offered her work in a Lahore factory.",
    )
    services.referral_accept(
        actor=atu,
        referral=police,
        note="A woman officer will take her statement.",
        reference="ATU/ISB/2006/0112",
        at=r.later(police, 6),
    )
    services.referral_complete(
        actor=atu,
        referral=police,
        outcome="FIR registered; the recruiter was arrested at the Mansehra bus stand. She gave her statement "
        "with a woman officer present.",
        at=r.later(police, 24 * 9),
    )

    # Sent without consent, on the supervisor's approval of the caseworker's request; then accepted.
    case = r.case(child=False)
    override = r.refer(
        case,
        "Islamabad General Hospital",
        "medical",
        days_ago=2,
        urgency="urgent",
        support_needed="Hospital care: she collapsed in the camp.",
        override_reason="She collapsed in the camp and cannot speak; the camp doctor asks for hospital care.",
    )
    approval_decide(
        actor=r.supervisor,
        approval=Approval.objects.get(target_uuid=override.uuid),
        approved=True,
        note="Her life may be at risk and she cannot consent now; her consent is to be asked when she can.",
    )
    override.refresh_from_db()
    services.referral_accept(actor=igh, referral=override, note="Admitted to the women's ward.")

    # A transfer: she has moved back to Mansehra; HWWS takes the case over and opens its own.
    case = r.case(child=False)
    r.consent(case.person)
    transfer = r.refer(
        case,
        "HWWS Women's Counselling Centre, Mansehra",
        "psychosocial",
        days_ago=3,
        reason="MigrationOrChangeOfLocation",
        is_transfer=True,
        shared_parts=["name_age", "phone", "case_summary", "vulnerability", "support_needed"],
        support_needed="Ongoing case management and counselling near her family in Mansehra.",
    )
    approval_decide(
        actor=r.supervisor, approval=Approval.objects.get(target_uuid=transfer.uuid), approved=True
    )
    transfer.refresh_from_db()
    services.referral_accept(
        actor=hwws_supervisor, referral=transfer, note="Rukhsana Tanoli will follow her."
    )
    services.referral_open_case(actor=hwws, referral=transfer)

    # Overdue: an urgent referral nobody answered in time; the sweep tells both sides.
    case = r.case(child=False)
    r.consent(case.person)
    r.refer(
        case,
        "HWWS Women's Counselling Centre, Mansehra",
        "psychosocial",
        days_ago=3,
        urgency="urgent",
        support_needed="Counselling: she was approached twice this week about a marriage in another city.",
    )
    services.referrals_mark_overdue()

    # Sent this morning, awaiting an answer.
    case = r.case(child=False)
    r.consent(case.person)
    r.refer(
        case,
        "GRP Legal Aid Desk",
        "legal_aid",
        days_ago=0.2,
        urgency="routine",
        support_needed="Help to claim her late husband's land and compensation papers.",
    )
