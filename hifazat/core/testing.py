"""The shared test base: organisation A with one user per role, and organisation B with the same.

Every view test starts with who is refused, then what the allowed roles see. Users get no usable password
(hashing is slow); tests sign in with ``force_login`` (django-axes refuses the test client's ``login``).
"""

from __future__ import annotations

from django.test import Client, TestCase
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from hifazat.core.audit import Actor
from hifazat.core.roles import Role


def make_organisation(name: str, *, hosts_system: bool = False, org_type: str = "NGO"):
    from hifazat.accounts.models import Organisation

    return Organisation.objects.create(
        name=name, short_name=name.split()[-1], org_type=org_type, hosts_system=hosts_system
    )


def make_user(organisation, role: str, username: str):
    from hifazat.accounts.models import Membership, User

    user = User.objects.create(username=username, first_name=role.title(), last_name=organisation.short_name)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def signed_in_client(user, *, verified: bool = True) -> Client:
    """A test client signed in as ``user``; for roles that need two-factor login, already verified unless
    ``verified=False``. Usable outside a test case too (the concurrency tests give one to each thread)."""
    client = Client()
    client.force_login(user)
    if verified and user.requires_two_factor():
        device, _ = StaticDevice.objects.get_or_create(user=user, name="test")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


class HifazatTestCase(TestCase):
    """Organisation A (hosts the system) and B, each with one user per role: ``self.a[role]``,
    ``self.b[role]``; ``self.admin`` is A's administrator."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.org_a = make_organisation("Organisation A", hosts_system=True)
        cls.org_b = make_organisation("Organisation B")
        cls.a = {role: make_user(cls.org_a, role, f"a-{role}") for role in Role}
        cls.b = {role: make_user(cls.org_b, role, f"b-{role}") for role in Role}
        cls.admin = cls.a[Role.ADMINISTRATOR]

    def actor(self, user) -> Actor:
        return Actor.for_user(user)

    def client_for(self, user, *, verified: bool = True) -> Client:
        """A client signed in as ``user``; for roles that need two-factor login, already verified unless
        ``verified=False``."""
        return signed_in_client(user, verified=verified)

    def token_client(self, user) -> Client:
        """A client that calls the API with a new token of ``user`` (earlier ones keep working); for
        roles that need two-factor login the user gets a confirmed device first (a token needs one)."""
        from hifazat.accounts.tokens import token_create

        if user.requires_two_factor():
            StaticDevice.objects.get_or_create(user=user, name="test")
        _, key = token_create(user)
        return Client(HTTP_AUTHORIZATION=f"Token {key}")


def run_at_once(*calls):
    """Run each call in its own thread, all released together, and return their results in order (an exception
    a call raised is returned in its place). Each thread uses its own database connection, as two web requests
    would, and closes it when done. For tests of concurrent edits, which need PostgreSQL: SQLite serialises
    writers and ignores row locks, so a race there proves nothing (see ``needs_postgresql``)."""
    import threading

    from django.db import connections

    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int, call) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as error:  # returned to the test, which asserts on it
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def needs_postgresql(test):
    """Skips a concurrency test on SQLite, which cannot show a race (CI runs the suite on PostgreSQL too)."""
    import unittest

    from django.db import connection

    return unittest.skipUnless(
        connection.vendor == "postgresql",
        "concurrent edits are tested on PostgreSQL (DATABASE_URL=postgres://...)",
    )(test)
