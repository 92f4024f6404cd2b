"""Reads of households and people, starting from what the actor may see."""

from __future__ import annotations

from django.db.models import QuerySet

from hifazat.core import crypto
from hifazat.core.audit import Actor
from hifazat.people.models import Household, Person
from hifazat.people.normalise import normalise_identity_number, normalise_phone


def households_visible_to(actor: Actor | None) -> QuerySet[Household]:
    """The households the actor's organisation registered. Sharing with other organisations comes with
    referrals (cases), each through the person's consent."""
    if actor is None or not actor.can("people.view"):
        return Household.objects.none()
    return Household.objects.filter(organisation=actor.organisation, is_active=True).select_related(
        "site", "head"
    )


def persons_visible_to(actor: Actor | None) -> QuerySet[Person]:
    """The active, unmerged people the actor's organisation registered."""
    if actor is None or not actor.can("people.view"):
        return Person.objects.none()
    return Person.objects.filter(organisation=actor.organisation, is_active=True, merged_into__isnull=True)


def persons_with_phone(queryset: QuerySet[Person], phone: str) -> QuerySet[Person]:
    """Exact search on an encrypted phone number, through its blind index."""
    normalised = normalise_phone(phone)
    return (
        queryset.filter(phone_index=crypto.blind_index("phone", normalised))
        if normalised
        else queryset.none()
    )


def persons_with_identity_number(queryset: QuerySet[Person], number: str) -> QuerySet[Person]:
    normalised = normalise_identity_number(number)
    if not normalised:
        return queryset.none()
    return queryset.filter(identity_number_index=crypto.blind_index("identity_number", normalised))
