"""Real concurrent requests on a referral (PostgreSQL only: SQLite serialises writers, so a race there proves
nothing). Each round, two signed-in clients post at the same moment from the same version of the page; exactly
one wins, the other is told of the conflict, and nothing is silently reverted."""

from __future__ import annotations

from functools import partial

import pytest
from django.test import Client

from hifazat.core.audit import Actor
from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user, needs_postgresql, run_at_once
from hifazat.core.testing import signed_in_client as _client
from hifazat.core.versioning import CONFLICT_MESSAGE
from hifazat.people.testing import make_site
from hifazat.referrals import directory_services, services
from hifazat.referrals.models import Referral, ReferralEvent, ReferralStatus, ServiceProvider
from hifazat.referrals.testing import ReferralWorld

ROUNDS = 20
CONFLICT = str(CONFLICT_MESSAGE).split(",")[0]


def _world():
    org_a = make_organisation("Organisation A", hosts_system=True)
    org_b = make_organisation("Organisation B")
    a = {role: make_user(org_a, role, f"a-{role}") for role in (Role.ADMINISTRATOR, Role.CASEWORKER)}
    b = {role: make_user(org_b, role, f"b-{role}") for role in (Role.CASEWORKER, Role.SUPERVISOR)}
    site = make_site()
    from hifazat.people import services as people

    household = people.household_register(
        actor=Actor.for_user(a[Role.CASEWORKER]), site=site, shelter_number="A-1"
    )
    person = people.person_register(
        actor=Actor.for_user(a[Role.CASEWORKER]),
        household=household,
        first_name="Nasreen",
        gender="Feminine",
        age_years=32,
    )
    world = ReferralWorld.build(org_a, org_b, a, b, site=site, person_a=person)
    b_second = make_user(org_b, Role.CASEWORKER, "b-caseworker-2")
    return world, a, b, b_second


def _refer(world, b) -> Referral:
    """A new referral from B's case to A's provider (B sends; A answers)."""
    return services.referral_send(
        actor=Actor.for_user(b[Role.CASEWORKER]),
        case=world.case_b,
        provider=world.provider_a,
        service="psychosocial",
        reason="AdditionalServicesRequired",
        urgency="high",
        shared_parts=["name_age", "support_needed"],
        support_needed="Counselling.",
    )


def _outcome(response, won_url: str) -> str:
    """``won`` (sent on to ``won_url``), ``conflict`` (the page says so), or what else came back."""
    if response.status_code == 302 and response["Location"] == won_url:
        return "won"
    body = response.content.decode()
    if response.status_code == 200 and CONFLICT in body:
        return "conflict"
    return f"{response.status_code}: {body[:300]}"


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_receiver_accepting_while_the_sender_withdraws_one_wins_the_other_is_told() -> None:
    world, a, b, _second = _world()
    receiver, sender = _client(a[Role.CASEWORKER]), _client(b[Role.CASEWORKER])
    wins = {"accepted": 0, "withdrawn": 0}
    for round_ in range(ROUNDS):
        referral = _refer(world, b)
        version = referral.version
        accept, withdraw = run_at_once(
            partial(
                receiver.post,
                f"/referrals/{referral.uuid}/accept/",
                {"note": f"round {round_}", "version": version},
            ),
            partial(
                sender.post,
                f"/referrals/{referral.uuid}/withdraw/",
                {"reason": f"round {round_}", "version": version},
            ),
        )
        page = f"/referrals/{referral.uuid}/"
        outcomes = sorted([_outcome(accept, page), _outcome(withdraw, page)])
        assert outcomes == ["conflict", "won"], (round_, outcomes)
        referral.refresh_from_db()
        if _outcome(accept, page) == "won":
            assert referral.status == ReferralStatus.ACCEPTED
            assert referral.withdraw_reason == "" and referral.snapshot["support_needed"] == "Counselling."
            wins["accepted"] += 1
        else:
            assert referral.status == ReferralStatus.WITHDRAWN
            assert referral.responded_at is None and referral.snapshot == {}
            wins["withdrawn"] += 1
        assert referral.version == version + 1
        kinds = set(referral.events.values_list("kind", flat=True))
        assert len(kinds & {ReferralEvent.Kind.ACCEPTED, ReferralEvent.Kind.WITHDRAWN}) == 1
    assert sum(wins.values()) == ROUNDS


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_of_the_receivers_staff_accepting_and_declining_at_once_one_wins_the_other_is_told() -> None:
    world, a, b, _second = _world()
    first = _client(a[Role.CASEWORKER])
    second = _client(make_user(world.provider_a.organisation, Role.CASEWORKER, "a-caseworker-2"))
    for round_ in range(ROUNDS):
        referral = _refer(world, b)
        version = referral.version
        accept, decline = run_at_once(
            partial(
                first.post,
                f"/referrals/{referral.uuid}/accept/",
                {"reference": f"R{round_}", "version": version},
            ),
            partial(
                second.post, f"/referrals/{referral.uuid}/decline/", {"reason": "Full.", "version": version}
            ),
        )
        page = f"/referrals/{referral.uuid}/"
        outcomes = sorted([_outcome(accept, page), _outcome(decline, page)])
        assert outcomes == ["conflict", "won"], (round_, outcomes)
        referral.refresh_from_db()
        if _outcome(accept, page) == "won":
            assert (referral.status, referral.receiver_reference, referral.decline_reason) == (
                ReferralStatus.ACCEPTED,
                f"R{round_}",
                "",
            )
        else:
            assert (referral.status, referral.receiver_reference) == (ReferralStatus.DECLINED, "")
        assert referral.version == version + 1


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_answers_without_versions_at_once_never_revert_each_other() -> None:
    """Through the API, without versions (clients that send none): the row lock orders the two answers and the
    second is refused by the status it finds; never both applied, never a silent revert."""
    from hifazat.accounts.tokens import token_create

    world, a, b, _second = _world()

    def api(user) -> Client:
        return Client(HTTP_AUTHORIZATION=f"Token {token_create(user)[1]}")

    first, second = (
        api(a[Role.CASEWORKER]),
        api(make_user(world.provider_a.organisation, Role.CASEWORKER, "a-cw-2")),
    )
    for round_ in range(ROUNDS // 2):
        referral = _refer(world, b)
        url = f"/api/v1/referrals/{referral.uuid}/respond/"
        accept, decline = run_at_once(
            partial(
                first.post, url, {"action": "accept", "reference": "R1"}, content_type="application/json"
            ),
            partial(
                second.post, url, {"action": "decline", "reason": "Full."}, content_type="application/json"
            ),
        )
        codes = sorted([accept.status_code, decline.status_code])
        assert codes in ([200, 400], [200, 409]), (round_, codes, accept.content, decline.content)
        referral.refresh_from_db()
        if accept.status_code == 200:
            assert (referral.status, referral.receiver_reference, referral.decline_reason) == (
                "accepted",
                "R1",
                "",
            )
        else:
            assert (referral.status, referral.receiver_reference, referral.decline_reason) == (
                "declined",
                "",
                "Full.",
            )
        assert referral.version == 2


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_people_editing_different_fields_of_a_provider_at_once_lose_nothing() -> None:
    world, a, b, _second = _world()
    admin, supervisor = _client(a[Role.ADMINISTRATOR]), _client(b[Role.SUPERVISOR])
    provider = world.provider_b
    for round_ in range(ROUNDS // 2):
        provider = ServiceProvider.objects.get(pk=provider.pk)
        base = {
            "organisation": provider.organisation.uuid,
            "name": provider.name,
            "services": provider.service_values,
            "areas": [area.uuid for area in provider.areas.all()],
            "phone": provider.phone,
            "availability_note": provider.availability_note,
            "accepting_referrals": "on",
            "is_active": "on",
            "version": provider.version,
        }
        url = f"/services/providers/{provider.uuid}/edit/"
        phone, note = f"051-{round_:07d}", f"Full until week {round_}"
        by_admin, by_supervisor = run_at_once(
            partial(admin.post, url, {**base, "phone": phone}),
            partial(supervisor.post, url, {**base, "availability_note": note}),
        )
        provider.refresh_from_db()
        page = f"/services/providers/{provider.uuid}/"
        outcomes = sorted([_outcome(by_admin, page), _outcome(by_supervisor, page)])
        assert outcomes == ["conflict", "won"], (round_, outcomes)
        changed = (provider.phone == phone, provider.availability_note == note)
        assert changed == ((True, False) if _outcome(by_admin, page) == "won" else (False, True)), round_


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_directory_edits_of_different_fields_without_versions_at_once_both_stay() -> None:
    world, a, b, _second = _world()
    admin, supervisor = Actor.for_user(a[Role.ADMINISTRATOR]), Actor.for_user(b[Role.SUPERVISOR])
    for round_ in range(ROUNDS // 2):
        first = ServiceProvider.objects.get(pk=world.provider_b.pk)
        second = ServiceProvider.objects.get(pk=world.provider_b.pk)
        phone, note = f"051-{round_:07d}", f"Full until week {round_}"
        results = run_at_once(
            partial(directory_services.provider_update, actor=admin, provider=first, phone=phone),
            partial(
                directory_services.provider_update, actor=supervisor, provider=second, availability_note=note
            ),
        )
        assert not [r for r in results if isinstance(r, BaseException)], results
        provider = ServiceProvider.objects.get(pk=world.provider_b.pk)
        assert (provider.phone, provider.availability_note) == (phone, note), round_
