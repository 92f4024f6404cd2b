"""Helpers for tests of the people part and the parts that build on it."""

from __future__ import annotations

from hifazat.geography.models import AdminArea, Site


def make_site(code: str = "ISB-H11", name: str = "H-11 Relief Camp") -> Site:
    country, _ = AdminArea.objects.get_or_create(pcode="PK", defaults={"name": "Pakistan", "level": 0})
    province, _ = AdminArea.objects.get_or_create(
        pcode="PK7", defaults={"name": "ICT", "level": 1, "parent": country}
    )
    district, _ = AdminArea.objects.get_or_create(
        pcode="PK701", defaults={"name": "Islamabad", "level": 2, "parent": province}
    )
    site, _ = Site.objects.get_or_create(
        code=code, defaults={"name": name, "site_type": "relief_camp", "area": district}
    )
    return site


def person_from_record(organisation, household, relationship: str, record):
    """An unsaved ``Person`` of ``organisation`` holding ``record`` (a ``MatchRecord`` of ``matching.synthetic``,
    whose ``phone_index`` is the number itself) as registration writes it, with its name and phonetic keys."""
    from hifazat.core import crypto
    from hifazat.matching import names
    from hifazat.people.models import Person

    person = Person(
        organisation=organisation,
        household=household,
        relationship_to_head=relationship,
        first_name=record.first_name or "-",
        second_name=record.second_name,
        first_name_ur=record.first_name_ur,
        second_name_ur=record.second_name_ur,
        parentage_word=record.parentage_word,
        parentage_name=record.parentage_name,
        parentage_name_ur=record.parentage_name_ur,
        birthdate=record.birthdate,
        birthdate_is_estimate=record.birthdate_is_estimate,
        birth_year=record.birth_year,
        gender=record.gender,
        phone_index=crypto.blind_index("phone", record.phone_index) if record.phone_index else "",
    )
    person.name_key = names.name_key(
        person.first_name, person.second_name, person.first_name_ur, person.second_name_ur
    )[:200]
    person.phonetic_key = names.phonetic_key(person.first_name, person.second_name)[:60]
    return person


def write_synthetic_registry(organisation, registry, *, code: str = "SYN", chunk: int = 5000) -> list[int]:
    """Write a generated registry (``matching.synthetic``) as ``organisation``'s households and people, with
    their key-table rows, in bulk and ``chunk`` people at a time (what registering them one by one would store
    for matching); return the people's ids in the order of ``registry.records``. Sites and places of origin are
    made under the codes ``code``."""
    from hifazat.people.duplicates import match_key_rows, record_for
    from hifazat.people.models import Household, Person, PersonMatchKey

    district = make_site().area
    origins = [
        AdminArea.objects.get_or_create(
            pcode=f"{code}O{i:02d}",
            defaults={"name": f"{code} origin {i}", "level": 2, "parent": district.parent},
        )[0]
        for i in range(max((h.origin or 0) for h in registry.households) + 1)
    ]
    sites = [
        Site.objects.get_or_create(
            code=f"{code}S{i:02d}",
            defaults={"name": f"{code} site {i}", "site_type": "relief_camp", "area": district},
        )[0]
        for i in range(max(h.site for h in registry.households) + 1)
    ]
    household_ids = []
    for start in range(0, len(registry.households), chunk):
        households = [
            Household(
                organisation=organisation,
                site=sites[h.site],
                shelter_number=f"{code}-{start + index}",
                origin_area=origins[h.origin] if h.origin is not None else None,
            )
            for index, h in enumerate(registry.households[start : start + chunk])
        ]
        Household.objects.bulk_create(households)
        household_ids.extend(household.pk for household in households)
    site_of = [sites[h.site] for h in registry.households]
    origin_of = [origins[h.origin] if h.origin is not None else None for h in registry.households]
    ids = []
    for start in range(0, len(registry.records), chunk):
        people = []
        for record, relationship in zip(
            registry.records[start : start + chunk],
            registry.relationships[start : start + chunk],
            strict=True,
        ):
            household = Household(
                pk=household_ids[record.household],
                site=site_of[record.household],
                origin_area=origin_of[record.household],
            )
            people.append(person_from_record(organisation, household, relationship, record))
        Person.objects.bulk_create(people)
        PersonMatchKey.objects.bulk_create(
            [
                PersonMatchKey(person_id=person.pk, key=key, birth_year=year)
                for person in people
                for key, year in match_key_rows([record_for(person)]).items()
            ],
            batch_size=chunk,
        )
        ids.extend(person.pk for person in people)
    return ids
