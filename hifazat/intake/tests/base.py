"""Shared set-up of the intake tests: a site, the shipped household form published in organisation A, Collect
keys, and submissions written as Collect writes them."""

from __future__ import annotations

import uuid
from xml.sax.saxutils import escape

from hifazat.core.audit import Actor
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.geography.models import AdminArea, Site
from hifazat.intake import services
from hifazat.intake.formdefs import FORMS_DIR, HOUSEHOLD_REGISTRATION
from hifazat.intake.models import CollectKey, Purpose
from hifazat.intake.tests.collect import Collect

FORM_ID = HOUSEHOLD_REGISTRATION["settings"]["form_id"]
VERSION = HOUSEHOLD_REGISTRATION["settings"]["version"]
SHIPPED = (FORMS_DIR / "household_registration.xlsx").read_bytes()

ADULT = {
    "first_name": "Nasreen",
    "second_name": "Bibi",
    "gender": "Feminine",
    "relationship_to_head": "head",
    "age_years": "34",
    "phone": "0300 1234567",
    "consent_registration": "given",
    "consent_given_by": "self",
}
CHILD = {
    "first_name": "Ayesha",
    "gender": "Feminine",
    "relationship_to_head": "child",
    "age_years": "9",
    "child_status": "with_parents",
    "consent_registration": "given",
    "consent_given_by": "caregiver",
    "consent_given_by_name": "Nasreen Bibi",
    "child_view": "agrees",
}


def household_xml(
    *,
    members: list[dict],
    site_code: str = "ISB-H11",
    instance_id: str | None = None,
    deprecated_id: str = "",
    form_id: str = FORM_ID,
    version: str = VERSION,
    photo: str = "",
) -> bytes:
    """A filled household registration as Collect writes it (pyxform's instance, ``meta/instanceID``)."""
    rows = "".join(
        "<members>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in member.items()) + "</members>"
        for member in members
    )
    deprecated = f"<deprecatedID>{deprecated_id}</deprecatedID>" if deprecated_id else ""
    return (
        f'<?xml version="1.0" ?><data xmlns:jr="http://openrosa.org/javarosa" '
        f'xmlns:orx="http://openrosa.org/xforms" id="{form_id}" version="{version}">'
        f"<site_code>{escape(site_code)}</site_code><shelter_number>T-7</shelter_number>"
        f"<origin_village>Khairpur</origin_village><arrival_date>2026-11-02</arrival_date>{rows}"
        f"<consent_photo>{photo}</consent_photo>"
        f"<meta><instanceID>{instance_id or f'uuid:{uuid.uuid4()}'}</instanceID>{deprecated}</meta></data>"
    ).encode()


class IntakeTestCase(HifazatTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        country = AdminArea.objects.create(pcode="PK", name="Pakistan", level=0)
        cls.site = Site.objects.create(
            code="ISB-H11", name="H-11 Relief Camp", site_type="relief_camp", area=country
        )
        cls.supervisor = cls.a[Role.SUPERVISOR]
        cls.caseworker = cls.a[Role.CASEWORKER]
        cls.form = services.form_upload(
            actor=Actor.for_user(cls.supervisor),
            name="household_registration.xlsx",
            content=SHIPPED,
            purpose=Purpose.HOUSEHOLD_REGISTRATION,
            media=[("sites.csv", b"name,label\nISB-H11,H-11 Relief Camp\n")],
        )

    def collect_for(self, user, *, password: str | None = None) -> Collect:
        """Collect configured for ``user``: a key made through the service (any role: the key's owner may be
        refused later, which is what some tests check)."""
        key = CollectKey.objects.filter(user=user).first()
        if key is None:
            from hifazat.intake.services import secret_sha256

            secret = "s3cret-" + user.username
            key = CollectKey.objects.create(user=user, secret_sha256=secret_sha256(secret))
        else:
            secret = "s3cret-" + user.username
        return Collect(
            server_url=f"https://testserver/collect/{key.token}",
            username=user.username,
            password=password if password is not None else secret,
            around=lambda: self.captureOnCommitCallbacks(execute=True),
        )
