"""The demo registry: households in the camps and host communities, months after the quake.

Proportions are plausible for the 2005 response (many widows and female-headed households, some separated and
orphaned children, older people left alone), not measured figures. Everything goes through the people services.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from hifazat.demo.names import FAMILY, FEMALE, MALE, VARIANT_SPELLINGS, VILLAGES
from hifazat.geography.models import AdminArea, Site
from hifazat.people import services
from hifazat.people.models import Household, Person

ORIGINS = ["PK201", "PK202", "PK203", "PK501", "PK502", "PK20101", "PK20201"]


class RegistryBuilder:
    def __init__(self, demo, households: int) -> None:
        self.demo, self.rng, self.count = demo, demo.rng, households
        self.actor = demo.actor("caseworker")
        self.sites = list(Site.objects.order_by("code"))
        self.origins = list(AdminArea.objects.filter(pcode__in=ORIGINS))

    def name(self, female: bool, family: tuple[str, str]) -> dict[str, str]:
        first, first_ur = self.rng.choice(FEMALE if female else MALE)
        both_scripts = self.rng.random() < 0.8
        return {
            "first_name": first,
            "second_name": family[0],
            "first_name_ur": first_ur if both_scripts else "",
            "second_name_ur": family[1] if both_scripts else "",
        }

    def man_of(self, family: tuple[str, str]) -> str:
        """A man's name of the family: a husband's or father's name as registers write it."""
        return self.rng.choice(MALE)[0] + " " + family[0]

    def phone(self) -> str:
        return f"03{self.rng.choice(['00', '01', '33', '45', '47'])}-{self.rng.randrange(10**6, 10**7)}"

    def age_or_birthdate(self, age: int) -> dict:
        if self.rng.random() < 0.35:  # many people know only their age
            return {"age_years": age}
        # Ages are as of today, so that the registry reads as a current one whatever day the demo is built.
        born = timezone.localdate() - datetime.timedelta(days=365 * age + self.rng.randrange(365))
        return {"birthdate": born}

    def person(
        self, household: Household, *, female: bool, age: int, relationship: str, family, **extra
    ) -> Person:
        data = {
            **self.name(female, family),
            **self.age_or_birthdate(age),
            "gender": "Feminine" if female else "Masculine",
            "household": household,
            "relationship_to_head": relationship,
            **extra,
        }
        if age < 18:
            data.setdefault("consent_given_by", "caregiver")
            data.setdefault("consent_given_by_name", extra.get("caregiver_name") or "the head of household")
            data.setdefault("child_view", "agrees" if age >= 8 else "not_able")
        if self.rng.random() < 0.03:
            data["disability"] = self.rng.choice(["walking", "seeing", "hearing", "self_care"])
        return services.person_register(actor=self.actor, **data)

    def household(self, index: int) -> Household:
        site = self.sites[index % len(self.sites)]
        return services.household_register(
            actor=self.actor,
            site=site,
            shelter_number=f"{chr(65 + index % 6)}-{index // 6 + 1}",
            origin_area=self.rng.choice(self.origins),
            origin_village=self.rng.choice(VILLAGES),
            arrival_date=datetime.date(2005, 10, 12) + datetime.timedelta(days=self.rng.randrange(120)),
        )

    def children(self, household, family, n: int, parentage: str, **extra) -> None:
        for _ in range(n):
            female = self.rng.random() < 0.5
            self.person(
                household,
                female=female,
                age=self.rng.randrange(0, 17),
                relationship="child",
                family=family,
                parentage_word="daughter_of" if female else "son_of",
                parentage_name=parentage,
                **extra,
            )

    def build(self) -> None:
        for index in range(self.count):
            if index and index % 250 == 0 and self.demo.progress:
                self.demo.progress(f"  {index} of {self.count} households registered")
            household, family = self.household(index), self.rng.choice(FAMILY)
            husband = self.man_of(family)
            roll = self.rng.random()
            if roll < 0.16:  # a widow heading her household
                self.person(
                    household,
                    female=True,
                    age=self.rng.randrange(22, 55),
                    relationship="head",
                    family=family,
                    marital_status="Widowed",
                    parentage_word="wife_of",
                    parentage_name=husband,
                    phone=self.phone() if self.rng.random() < 0.5 else "",
                )
                self.children(household, family, self.rng.randrange(1, 6), husband)
            elif roll < 0.19:  # orphaned siblings, the eldest at the head
                self.person(
                    household,
                    female=self.rng.random() < 0.4,
                    age=self.rng.randrange(13, 18),
                    relationship="head",
                    family=family,
                    child_status="orphaned",
                    consent_given_by="guardian",
                    consent_given_by_name="camp protection officer",
                )
                for _ in range(self.rng.randrange(1, 4)):
                    self.person(
                        household,
                        female=self.rng.random() < 0.5,
                        age=self.rng.randrange(4, 13),
                        relationship="sibling",
                        family=family,
                        child_status="orphaned",
                        consent_given_by="guardian",
                        consent_given_by_name="camp protection officer",
                    )
            elif roll < 0.24:  # an older person left alone, widowed
                female = self.rng.random() < 0.6
                self.person(
                    household,
                    female=female,
                    age=self.rng.randrange(62, 85),
                    relationship="head",
                    family=family,
                    marital_status="Widowed",
                    parentage_word="wife_of" if female else "son_of",
                    parentage_name=self.man_of(family),
                )
            else:  # a couple with children, sometimes a separated child of relatives
                self.person(
                    household,
                    female=False,
                    age=self.rng.randrange(24, 60),
                    relationship="head",
                    family=family,
                    marital_status="Married",
                    parentage_word="son_of",
                    parentage_name=self.man_of(family),
                    phone=self.phone() if self.rng.random() < 0.7 else "",
                )
                self.person(
                    household,
                    female=True,
                    age=self.rng.randrange(20, 50),
                    relationship="spouse",
                    family=family,
                    marital_status="Married",
                    parentage_word="wife_of",
                    parentage_name=husband,
                )
                self.children(
                    household, family, self.rng.randrange(0, 6), husband, child_status="with_parents"
                )
                if self.rng.random() < 0.08:
                    self.person(
                        household,
                        female=self.rng.random() < 0.5,
                        age=self.rng.randrange(5, 16),
                        relationship="other_relative",
                        family=self.rng.choice(FAMILY),
                        child_status=self.rng.choice(["separated", "separated", "unaccompanied"]),
                        caregiver_name=husband,
                        consent_given_by="caregiver",
                        consent_given_by_name=husband,
                        child_view="agrees",
                    )
        self.duplicates()

    def duplicates(self, count: int = 6) -> None:
        """Re-registrations of people already registered, by another registrar at another site, with the
        spellings registrars use: what the duplicate review queue is for."""
        originals = [
            p
            for p in Person.objects.filter(
                organisation=self.actor.organisation, birthdate__isnull=False, relationship_to_head="head"
            ).order_by("id")
            if p.first_name in VARIANT_SPELLINGS and not p.is_child
        ][:count]
        for original in originals:
            household = self.household(self.count + original.pk)
            services.person_register(
                actor=self.actor,
                household=household,
                relationship_to_head="head",
                first_name=VARIANT_SPELLINGS[original.first_name],
                second_name=original.second_name,
                gender=original.gender,
                marital_status=original.marital_status,
                parentage_word=original.parentage_word,
                parentage_name=original.parentage_name,
                age_years=original.age,
                consent_given_by="self",
            )


def build_registry(demo, households: int) -> None:
    RegistryBuilder(demo, households).build()


def build_screenings(demo, share: float = 0.5) -> None:
    """Screen about half of the people in a vulnerability group, after their consent: most score low or medium,
    some high, and a few turn urgent on an outside offer of work or marriage, or a stranger asking about a child."""
    from hifazat.people.models import Person
    from hifazat.screening import indicators
    from hifazat.screening import services as screening
    from hifazat.screening.testing import neutral_answers

    rng, actor = demo.rng, demo.actor("caseworker")
    catalogue, _version = indicators.current()
    people = Person.objects.filter(organisation=actor.organisation, vulnerabilities__isnull=False).distinct()
    for person in people.order_by("id"):
        if rng.random() > share:
            continue
        services.consent_record(
            actor=actor,
            person=person,
            purpose="screening",
            status="given",
            given_by="caregiver" if person.is_child else "self",
            given_by_name="the head of household" if person.is_child else "",
            child_view="agrees" if person.is_child else "",
        )
        questions = catalogue.questions_for(subject_is_child=person.is_child)
        answers = neutral_answers(catalogue, subject_is_child=person.is_child)
        # Risk factors of the person's situation; exploitation indicators (which raise red flags) are rarer.
        situation = [
            q for q in questions if q.section in {"individual", "household", "community", "structural"}
        ]
        exploitation = [q for q in questions if q.red_flags and not q.id.startswith("lure_")]
        chosen = rng.sample(situation, k=min(len(situation), rng.choice([0, 1, 2, 3, 4, 5, 7, 9])))
        if exploitation and rng.random() < 0.04:
            chosen.append(rng.choice(exploitation))
        sections = {section.id: section for section in catalogue.sections}
        for question in chosen:
            answers[question.id] = max(question.options, key=lambda option: option.weight).value
            # A question asked only after a gate ("was the person ever recruited?") needs the gate open.
            for condition in (sections[question.section].relevant, question.relevant):
                for gate in _gates(condition):
                    answers[gate] = "yes"
        if rng.random() < 0.07:
            lure = rng.choice(["lure_offer_work", "lure_offer_marriage", "lure_stranger_asked_child"])
            if lure in answers:
                answers[lure] = "yes"
        screening.screening_record(actor=actor, person=person, answers=answers)


def _gates(condition: dict | None) -> list[str]:
    """The questions whose answers a relevance condition reads (``screening.indicators.evaluate``)."""
    if not condition:
        return []
    if "answer" in condition:
        return [condition["answer"]]
    nested = condition.get("all") or condition.get("any") or [condition.get("not")]
    return [gate for part in nested for gate in _gates(part)]
