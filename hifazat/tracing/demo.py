"""The tracing part's step of the demo scenario: ``build(demo)``, through the services users call.

Parents and relatives come to the host organisation's desks asking for children lost in the quake or in the
confusion of the camps. Most of those children are among the separated and unaccompanied children the registry
holds, written as the inquirer says the names (another spelling, Urdu script only, no family name), with a
guessed age; a few are not registered at all. The separated children's caregivers have agreed to family tracing,
except one uncle who wants to wait: that girl is never a candidate, although her mother is looking for her.

One reunification is complete (the checklist, the supervisor's best-interests decision, the child's case closed
as reunified); another waits for the supervisor's decision; some requests have a match proposed or a candidate
rejected. Requests are received in the weeks before today (as the registry's dates are counted), about
separations in the months after 8 October 2005.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from hifazat.cases import services as cases
from hifazat.cases.models import OPEN_STATUSES, Case
from hifazat.demo.names import FAMILY, FEMALE, MALE, VARIANT_SPELLINGS, VILLAGES
from hifazat.geography.models import Site
from hifazat.people import services as people
from hifazat.people.models import Consent, ConsentPurpose, Person, VulnerabilityGroup
from hifazat.tracing import services
from hifazat.tracing.models import BestInterests, CandidateStatus, ChecklistItem, ChildView, TracingStatus
from hifazat.tracing.selectors import tracing_children_visible_to

QUAKE = datetime.date(2005, 10, 8)
# Children found alone and registered by the team when the registry holds too few (small demos).
FOUND_ALONE = [
    ("Bilal", "بلال", "Tanoli", "تنولی", False, 9),
    ("Saima", "صائمہ", "Awan", "اعوان", True, 7),
    ("Usman", "عثمان", "Swati", "سواتی", False, 12),
    ("Rubina", "روبینہ", "Abbasi", "عباسی", True, 5),
    ("Hamza", "حمزہ", "Jadoon", "جدون", False, 11),
    ("Nargis", "نرگس", "Gujjar", "گجر", True, 14),
    ("Imran", "عمران", "Qureshi", "قریشی", False, 8),
    ("Kulsoom", "کلثوم", "Butt", "بٹ", True, 10),
]
MINIMUM = 8
RELATIONS = ["mother", "father", "mother", "aunt_uncle", "grandparent", "sibling", "father"]
CIRCUMSTANCES = [
    "The school collapsed in the earthquake; the children were carried out by soldiers and taken away by truck.",
    "Separated in the crowd at the Balakot bridge when the aid trucks came.",
    "Sent ahead with neighbours to the camp after the house fell; the neighbours' tent could not be found.",
    "Taken to hospital in Islamabad by helicopter with injuries; the family was not told where.",
    "Left the camp with other children to fetch water and did not come back.",
]


class TracingBuilder:
    def __init__(self, demo) -> None:
        self.demo, self.rng = demo, demo.rng
        self.caseworker = demo.actor("caseworker")
        self.supervisor = demo.actor("supervisor")
        self.today = timezone.localdate()

    def separated_children(self) -> list[Person]:
        """The host organisation's registered separated, unaccompanied and orphaned children, with a few found
        alone added when the registry holds too few."""
        children = list(
            Person.objects.filter(
                organisation=self.caseworker.organisation,
                is_active=True,
                merged_into__isnull=True,
                vulnerabilities__group=VulnerabilityGroup.AT_RISK_CHILD,
            )
            .distinct()
            .select_related("household__site")
            .order_by("-child_status", "id")  # separated and unaccompanied before orphaned
        )
        if len(children) < MINIMUM:
            children += self.register_found_alone(MINIMUM - len(children))
        return children

    def register_found_alone(self, count: int) -> list[Person]:
        site = Site.objects.filter(code="MAN-BLK").first() or Site.objects.order_by("code").first()
        household = people.household_register(
            actor=self.caseworker,
            site=site,
            shelter_number="CP-1",
            origin_village="",
            arrival_date=QUAKE + datetime.timedelta(days=9),
        )
        found = []
        for first, first_ur, family, family_ur, female, age in FOUND_ALONE[:count]:
            found.append(
                people.person_register(
                    actor=self.caseworker,
                    household=household,
                    relationship_to_head="non_relative",
                    first_name=first,
                    second_name=family,
                    first_name_ur=first_ur,
                    second_name_ur=family_ur,
                    gender="Feminine" if female else "Masculine",
                    age_years=age,
                    child_status="unaccompanied",
                    caregiver_name="Child protection tent, Balakot",
                    consent_given_by="guardian",
                    consent_given_by_name="camp protection officer",
                    child_view="agrees",
                )
            )
        return found

    def consent(self, child: Person, status: str) -> None:
        if child.consents.filter(purpose=ConsentPurpose.FAMILY_TRACING).exists():
            return
        people.consent_record(
            actor=self.caseworker,
            person=child,
            purpose=ConsentPurpose.FAMILY_TRACING,
            status=status,
            given_by=Consent.GivenBy.CAREGIVER if child.caregiver_name else Consent.GivenBy.GUARDIAN,
            given_by_name=child.caregiver_name or "camp protection officer",
            child_view=Consent.ChildView.AGREES if (child.age or 0) >= 8 else Consent.ChildView.NOT_ABLE,
        )

    def spelt(self, name: str) -> str:
        """The name as the inquirer's helper writes it: now and then another spelling."""
        if name in VARIANT_SPELLINGS and self.rng.random() < 0.7:
            return VARIANT_SPELLINGS[name]
        if self.rng.random() < 0.3 and "ee" in name:
            return name.replace("ee", "i", 1)
        return name

    def describe(self, child: Person, index: int) -> dict:
        """What an inquirer tells about ``child``: the names in one script or both, a guessed age, where the
        family came from, when and where they lost the child."""
        rng = self.rng
        urdu_only = child.first_name_ur and rng.random() < 0.25
        data = {
            "first_name": "" if urdu_only else self.spelt(child.first_name),
            "first_name_ur": child.first_name_ur if urdu_only or rng.random() < 0.4 else "",
            "gender": child.gender if rng.random() < 0.9 else "",
        }
        if rng.random() < 0.7:
            data["second_name"] = "" if urdu_only else child.second_name
            data["second_name_ur"] = child.second_name_ur if urdu_only else ""
        household = child.household
        if household is not None and household.origin_area_id and rng.random() < 0.75:
            data["origin_area"] = household.origin_area
            if household.origin_village and rng.random() < 0.6:
                data["origin_village"] = household.origin_village
        if household is not None and rng.random() < 0.6:
            data["separation_area"] = household.site.area
        age = child.age
        if age is not None and rng.random() < 0.9:
            data["age_years"] = max(0, age + rng.choice([-1, 0, 0, 1]))
        relation = RELATIONS[index % len(RELATIONS)]
        father = self.rng.choice(MALE)[0] + " " + (child.second_name or self.rng.choice(FAMILY)[0])
        if rng.random() < 0.8:
            data["parentage_name"] = child.parentage_name or father
        data["inquirer_name"] = (
            data.get("parentage_name", father)
            if relation == "father"
            else self.inquirer_name(relation, child)
        )
        data["inquirer_relationship"] = relation
        return data

    def inquirer_name(self, relation: str, child: Person) -> str:
        family = child.second_name or self.rng.choice(FAMILY)[0]
        if relation in {"mother", "grandparent"} and self.rng.random() < 0.6:
            return f"{self.rng.choice(FEMALE)[0]} Bibi"
        return f"{self.rng.choice(MALE)[0]} {family}"

    def unregistered(self) -> dict:
        """A child nobody has registered (yet): the request stays open."""
        female = self.rng.random() < 0.5
        first, first_ur = self.rng.choice(FEMALE if female else MALE)
        family, family_ur = self.rng.choice(FAMILY)
        return {
            "first_name": first,
            "second_name": family,
            "first_name_ur": first_ur,
            "second_name_ur": family_ur,
            "gender": "Feminine" if female else "Masculine",
            "age_years": self.rng.randrange(3, 15),
            "origin_village": self.rng.choice(VILLAGES),
            "parentage_name": f"{self.rng.choice(MALE)[0]} {family}",
            "inquirer_name": f"{self.rng.choice(FEMALE)[0]} Bibi",
            "inquirer_relationship": "mother",
        }

    def request(self, data: dict, index: int):
        rng = self.rng
        separated = QUAKE if rng.random() < 0.7 else QUAKE + datetime.timedelta(days=rng.randrange(1, 90))
        return services.tracing_request_create(
            actor=self.caseworker,
            received_on=self.today - datetime.timedelta(days=rng.randrange(20, 150)),
            phone=f"03{rng.choice(['00', '33', '45'])}-{rng.randrange(10**6, 10**7)}"
            if rng.random() < 0.7
            else "",
            inquirer_consent=True,
            separation_date=separated if rng.random() < 0.85 else None,
            separation_place=rng.choice(
                ["Balakot bazaar", "Garhi Habibullah school", "Muzaffarabad road", ""]
            ),
            circumstances=CIRCUMSTANCES[index % len(CIRCUMSTANCES)],
            **data,
        )

    def reunite(self, request, child: Person) -> None:
        """The whole path: confirm, the checklist, the supervisor's decision, the reunification, and the child's
        case closed as reunified."""
        if not Case.objects.filter(person=child, status__in=OPEN_STATUSES).exists():
            cases.case_open(
                actor=self.caseworker,
                person=child,
                origin="tracing",
                summary="Separated child; family found through tracing.",
                origin_uuid=request.uuid,
            )
        request = services.match_confirm(
            actor=self.caseworker, request=request, person=child, note="Photo recognised by the inquirer."
        )
        if request.case_id is None:  # the child has more than one open case: link the newest
            newest = Case.objects.filter(person=child, status__in=OPEN_STATUSES).order_by(
                "-opened_on", "-id"
            )[0]
            request = services.tracing_request_update(actor=self.caseworker, request=request, case=newest)
        self.checklist(request, complete=True)
        services.reunification_record(
            actor=self.caseworker, request=request, reunified_on=self.today - datetime.timedelta(days=3)
        )
        request.refresh_from_db()
        if request.case is not None and request.case.is_open:
            cases.case_close_request(
                actor=self.supervisor,
                case=request.case,
                outcome="reunified",
                reason="Reunified with the family after the tracing checklist and the best-interests decision.",
            )

    def checklist(self, request, *, complete: bool) -> None:
        steps = [
            (
                ChecklistItem.IDENTITY,
                "",
                "Compared the child with the family's photograph; the child named the village.",
            ),
            (
                ChecklistItem.RELATIONSHIP,
                "",
                "The inquirer's identity card; neighbours from the village confirmed.",
            ),
            (
                ChecklistItem.CHILD_VIEWS,
                ChildView.WANTS,
                "Heard alone with the caseworker; the child asked for the mother.",
            ),
        ]
        for item, outcome, note in steps:
            services.checklist_record(
                actor=self.caseworker, request=request, item=item, outcome=outcome, note=note
            )
        if complete:
            services.checklist_record(
                actor=self.supervisor,
                request=request,
                item=ChecklistItem.BEST_INTERESTS,
                outcome=BestInterests.REUNIFY,
                note="Home visit by the caseworker: a safe shelter and the mother able to care for the child.",
            )


def build(demo) -> None:
    b = TracingBuilder(demo)
    children = b.separated_children()
    declined = next((c for c in children if c.is_female and c.child_status == "separated"), children[-1])
    for child in children:
        b.consent(child, Consent.Status.DECLINED if child == declined else Consent.Status.GIVEN)
    traceable = set(tracing_children_visible_to(b.caseworker).values_list("pk", flat=True))
    sought = [c for c in children if c.pk in traceable]
    count = min(len(sought), max(6, min(30, len(sought) // 3)))
    matched = []
    for index, child in enumerate(sought[:count]):
        matched.append((b.request(b.describe(child, index), index), child))
    # The girl whose uncle declined tracing: her mother asks, and she is never a candidate.
    b.request(b.describe(declined, 0) | {"inquirer_relationship": "mother"}, 0)
    for index in range(max(3, count // 6)):
        b.request(b.unregistered(), index)

    # The team's decisions: one reunification complete, one waiting for the supervisor, a proposed match, a
    # rejected candidate.
    first, second, *rest = matched
    b.reunite(*first)
    services.match_confirm(
        actor=b.caseworker, request=second[0], person=second[1], note="Recognised at once."
    )
    b.checklist(second[0], complete=False)
    for request, child in rest[:2]:
        request.refresh_from_db()
        if request.status == TracingStatus.OPEN:
            services.candidate_decide(
                actor=b.caseworker, request=request, person=child, decision=CandidateStatus.PROPOSED
            )
    for request, child in rest[2:4]:
        other = request.candidates.exclude(person=child).filter(status=CandidateStatus.OPEN).first()
        if other is not None:
            services.candidate_decide(
                actor=b.caseworker,
                request=request,
                person=other.person,
                decision=CandidateStatus.REJECTED,
                note="The mother says her son has a scar on his hand; this boy has none.",
            )
