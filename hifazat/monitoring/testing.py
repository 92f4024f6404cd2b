"""Helpers for tests of the monitoring part and of the pages that show its records (the route matrix)."""

from __future__ import annotations

import datetime
import io

from PIL import Image

RECRUITER_PHONE = "0300-1234567"


def jpeg_bytes(*, gps: bool = False, size: tuple[int, int] = (64, 48)) -> bytes:
    """A small JPEG; with ``gps=True`` it carries the EXIF a phone writes: where (GPS), when, which camera."""
    image = Image.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x0110] = "Model X"  # Model
        exif[0x0132] = "2006:01:10 10:00:00"  # DateTime
        exif[0x013B] = "Gul Khan"  # Artist
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1] = "N"
        gps_ifd[2] = (34.0, 22.0, 12.0)
        gps_ifd[3] = "E"
        gps_ifd[4] = (73.0, 28.0, 1.0)
        image.save(out, format="JPEG", exif=exif, comment=b"taken at the camp gate")
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def make_reports_at_two_sites(
    actor, first_site, second_site, day: datetime.date, phone: str = RECRUITER_PHONE
):
    """Two reports of a recruiter with the same phone number (written two ways) at two sites, a week apart: the
    shared-trace alert. Returns the later report, the earlier one and the alert."""
    from hifazat.monitoring import services

    earlier = services.report_submit(
        actor=actor,
        kind="recruiter_seen",
        occurred_on=day - datetime.timedelta(days=7),
        description="A man offering factory work in Lahore to young women at the gate.",
        site=second_site,
        traces={"phone": [phone], "name": ["Javed Iqbal"]},
    )
    later = services.report_submit(
        actor=actor,
        kind="offer_work",
        occurred_on=day,
        description="Job offers in Lahore, advance paid to the family.",
        site=first_site,
        traces={"phone": ["+92 " + phone.replace("-", " ")[1:]], "plate": ["LEA-1234"]},
    )
    return later, earlier, later.alerts.get(rule="shared_trace")


def register(
    actor, household, first_name: str, second_name: str = "", *, age: int, gender: str = "Feminine", **data
):
    """A registered person through the registry's service, with consent recorded as a caseworker would."""
    from hifazat.people import services

    if age < 18:
        data.setdefault("consent_given_by", "caregiver")
        data.setdefault("consent_given_by_name", "the head of household")
        data.setdefault("child_view", "agrees")
    return services.person_register(
        actor=actor,
        household=household,
        first_name=first_name,
        second_name=second_name,
        gender=gender,
        age_years=age,
        **data,
    )
