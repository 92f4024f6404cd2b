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
        client = Client()
        client.force_login(user)
        if verified and user.requires_two_factor():
            device, _ = StaticDevice.objects.get_or_create(user=user, name="test")
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client
