"""The intake part's step of the demo scenario: ``build(demo)``, through the services the pages and ODK Collect
call.

Winter 2005: the supervisor (IMPO) publishes the shipped forms (household registration, risk screening, monitoring
report, session attendance, livelihood follow-up visit), with their English and Urdu labels; the caseworker sets up ODK Collect and, after a day of visits in the H-11 camp without a connection,
sends the households she registered. The OpenRosa endpoint (``intake.collect.submission``) receives each one and
stores it through ``submission_receive`` and ``submission_process``, the calls made here: households, members
with their consent, vulnerability groups and match keys. One family's grandmother declined to be registered:
only her number is kept. A submission with a site code mistyped on the phone is kept as failed, with its reason,
for the supervisor to correct on the submissions page.
"""

from __future__ import annotations

import uuid
from xml.sax.saxutils import escape

from hifazat.intake import services
from hifazat.intake.formdefs import FORMS_DIR, PURPOSES
from hifazat.intake.models import Purpose

# (site code, shelter, members as (first name, second name, gender, relationship, age, consent))
HOUSEHOLDS = [
    (
        "ISB-H11",
        "C-14",
        [
            ("Shabana", "Bibi", "Feminine", "head", "31", "given"),
            ("Saima", "Bibi", "Feminine", "child", "12", "given"),
            ("Zubair", "Khan", "Masculine", "child", "8", "given"),
            ("Hajra", "Bibi", "Feminine", "parent", "72", "declined"),
        ],
    ),
    (
        "ISB-H11",
        "C-15",
        [
            ("Mushtaq", "Ahmed", "Masculine", "head", "44", "given"),
            ("Rukhsana", "Ahmed", "Feminine", "spouse", "38", "given"),
        ],
    ),
    (
        "ISB-H1l",  # mistyped on the phone: kept as failed, with the reason, to be corrected
        "C-16",
        [("Nazia", "Parveen", "Feminine", "head", "27", "given")],
    ),
]


def household_submission_xml(
    *,
    form_id: str,
    version: str,
    site_code: str,
    shelter: str,
    members: list[dict[str, str]],
    instance_id: str,
) -> bytes:
    """A filled household registration as ODK Collect writes it for the shipped form (``meta/instanceID``)."""
    rows = "".join(
        "<members>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in member.items()) + "</members>"
        for member in members
    )
    return (
        f'<?xml version="1.0" ?><data xmlns:jr="http://openrosa.org/javarosa" '
        f'xmlns:orx="http://openrosa.org/xforms" id="{escape(form_id)}" version="{escape(version)}">'
        f"<site_code>{escape(site_code)}</site_code><shelter_number>{escape(shelter)}</shelter_number>"
        f"{rows}<meta><instanceID>{escape(instance_id)}</instanceID></meta></data>"
    ).encode()


def _member(first: str, second: str, gender: str, relationship: str, age: str, consent: str, head: str):
    member = {
        "first_name": first,
        "second_name": second,
        "gender": gender,
        "relationship_to_head": relationship,
        "age_years": age,
        "consent_registration": consent,
        "consent_given_by": "self",
    }
    if int(age) < 18:
        member.update(
            consent_given_by="caregiver",
            consent_given_by_name=head,
            child_view="agrees",
            child_status="with_parents",
        )
    return member


def build(demo) -> None:
    supervisor, caseworker = demo.actor("supervisor"), demo.actor("caseworker")
    form = services.form_upload(
        actor=supervisor,
        name="household_registration.xlsx",
        content=(FORMS_DIR / "household_registration.xlsx").read_bytes(),
        purpose=Purpose.HOUSEHOLD_REGISTRATION,
    )
    for name, purpose in PURPOSES.items():
        if purpose != Purpose.HOUSEHOLD_REGISTRATION:
            services.form_upload(
                actor=supervisor, name=name, content=(FORMS_DIR / name).read_bytes(), purpose=purpose
            )
    services.collect_key_create(actor=caseworker)
    for site_code, shelter, rows in HOUSEHOLDS:
        head = " ".join(rows[0][:2])
        xml = household_submission_xml(
            form_id=form.form_id,
            version=form.version,
            site_code=site_code,
            shelter=shelter,
            members=[_member(*row, head=head) for row in rows],
            instance_id=f"uuid:{uuid.UUID(int=demo.rng.getrandbits(128), version=4)}",
        )
        submission, _created = services.submission_receive(
            actor=caseworker, form=form, xml=xml, attachments=[], complete=True
        )
        services.submission_process(actor=caseworker, submission=submission)
