"""The campaigns part's rows of the route matrix (``hifazat/core/tests/test_route_matrix.py``).

``MATRIX`` maps each route name to the status each caller gets to a GET, in the order of the core table's columns:
anonymous, administrator, supervisor, caseworker, monitoring focal point, network reporter, campaign coordinator,
livelihood officer, analyst, donor viewer (all of organisation A). ``fixtures(cls)`` builds the records the routes
need (``cls`` is the core test class, with ``org_a``, ``a[role]``, ``site``, ``household``, ``person``) and returns
the UUID to put in each route that takes one.

The fixture campaign is run and funded by organisation A, so A's donor viewer sees its figures and nothing else.
"""

from __future__ import annotations

import datetime

# fmt: off
#                                          anon  adm  sup   cw  mfp  rep camp  liv  ana donor
MATRIX: dict[str, list[int]] = {
    # The public awareness page: anyone, signed in or not.
    "campaigns:public":                    [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    # campaigns.aggregates: the list and the figures, donors included (their funded campaigns only).
    "campaigns:campaign_list":             [302, 403, 200, 200, 403, 403, 200, 403, 200, 200],
    "campaigns:campaign_figures":          [302, 403, 200, 200, 403, 403, 200, 403, 200, 200],
    # campaigns.view: coordinator, supervisor, caseworker, analyst.
    "campaigns:campaign_detail":           [302, 403, 200, 200, 403, 403, 200, 403, 200, 403],
    "campaigns:campaign_messages":         [302, 403, 200, 200, 403, 403, 200, 403, 200, 403],
    "campaigns:message_detail":            [302, 403, 200, 200, 403, 403, 200, 403, 200, 403],
    "campaigns:campaign_activities":       [302, 403, 200, 200, 403, 403, 200, 403, 200, 403],
    "campaigns:session_detail":            [302, 403, 200, 200, 403, 403, 200, 403, 200, 403],
    # campaigns.manage: the coordinator of the running organisation.
    "campaigns:campaign_create":           [302, 403, 403, 403, 403, 403, 200, 403, 403, 403],
    "campaigns:campaign_edit":             [302, 403, 403, 403, 403, 403, 200, 403, 403, 403],
    "campaigns:campaign_launch":           [302, 403, 403, 403, 403, 403, 200, 403, 403, 403],
    "campaigns:message_create":            [302, 403, 403, 403, 403, 403, 200, 403, 403, 403],
    "campaigns:version_write":             [302, 403, 403, 403, 403, 403, 200, 403, 403, 403],
    "campaigns:material_create":           [302, 403, 403, 403, 403, 403, 200, 403, 403, 403],
    "campaigns:sms_length":                [302, 403, 403, 403, 403, 403, 405, 403, 403, 403],
    "campaigns:version_submit":            [302, 403, 403, 403, 403, 403, 405, 403, 403, 403],
    # campaigns.approve: coordinator and supervisor (never the version's author: tests in test_messages).
    "campaigns:version_review":            [302, 403, 405, 403, 403, 403, 405, 403, 403, 403],
    # campaigns.gaps and campaigns.record_activity: coordinator, supervisor, caseworker.
    "campaigns:gap_list":                  [302, 403, 200, 200, 403, 403, 200, 403, 403, 403],
    "campaigns:session_create":            [302, 403, 200, 200, 403, 403, 200, 403, 403, 403],
    "campaigns:session_edit":              [302, 403, 200, 200, 403, 403, 200, 403, 403, 403],
    "campaigns:attendee_search":           [302, 403, 200, 200, 403, 403, 200, 403, 403, 403],
    "campaigns:distribution_create":       [302, 403, 200, 200, 403, 403, 200, 403, 403, 403],
    "campaigns:radio_create":              [302, 403, 200, 200, 403, 403, 200, 403, 403, 403],
    "campaigns:attendee_add":              [302, 403, 405, 405, 403, 403, 405, 403, 403, 403],
    "campaigns:scores_add":                [302, 403, 405, 405, 403, 403, 405, 403, 403, 403],
    "campaigns:attendee_remove":           [302, 403, 405, 405, 403, 403, 405, 403, 403, 403],
    # campaigns.export_audience: the coordinator (the fixture export is theirs).
    "campaigns:export_create":             [302, 403, 403, 403, 403, 403, 200, 403, 403, 403],
    "campaigns:export_detail":             [302, 403, 403, 403, 403, 403, 200, 403, 403, 403],
    "campaigns:export_download":           [302, 403, 403, 403, 403, 403, 405, 403, 403, 403],
    "campaigns:export_delivery":           [302, 403, 403, 403, 403, 403, 405, 403, 403, 403],
    "api:campaign_list":                   [401, 403, 200, 200, 403, 403, 200, 403, 200, 200],
    "api:campaign_figures":                [401, 403, 200, 200, 403, 403, 200, 403, 200, 200],
    "api:campaign_detail":                 [401, 403, 200, 200, 403, 403, 200, 403, 200, 403],
    "api:campaign_messages":               [401, 403, 200, 200, 403, 403, 200, 403, 200, 403],
    "api:campaign_message_versions":       [401, 403, 200, 200, 403, 403, 200, 403, 200, 403],
    "api:campaign_sessions":               [401, 403, 200, 200, 403, 403, 200, 403, 200, 403],
    "api:campaign_session_attendees":      [401, 403, 200, 200, 403, 403, 200, 403, 200, 403],
    "api:campaign_gaps":                   [401, 403, 200, 200, 403, 403, 200, 403, 403, 403],
    "api:campaign_exports":                [401, 403, 403, 403, 403, 403, 200, 403, 403, 403],
    "api:campaign_export_detail":          [401, 403, 403, 403, 403, 403, 200, 403, 403, 403],
    # POST-only endpoints answer GET with 405 for every member; the POST itself needs the role (tests in api).
    "api:campaign_version_review":         [401, 405, 405, 405, 405, 405, 405, 405, 405, 405],
    "api:campaign_sms_length":             [401, 405, 405, 405, 405, 405, 405, 405, 405, 405],
}
# fmt: on


def fixtures(cls) -> dict:
    from hifazat.core.jobs import job_create
    from hifazat.core.roles import Role
    from hifazat.core.testing import HifazatTestCase

    from ..models import (
        Attendance,
        Campaign,
        KeyMessage,
        Material,
        MessageExport,
        MessageVersion,
        Session,
    )

    coordinator = cls.a[Role.CAMPAIGN_COORDINATOR]
    campaign = Campaign.objects.create(
        organisation=cls.org_a,
        funder=cls.org_a,
        name="Safe futures",
        objective="Warn widows about false offers of work.",
        starts_on=datetime.date(2006, 1, 1),
        target_groups=["separated_or_widowed_woman"],
    )
    campaign.sites.add(cls.site)
    message = KeyMessage.objects.create(campaign=campaign, title="Work offers", topic="work_offers")
    version = MessageVersion.objects.create(
        message=message,
        language="urd",
        channel="public",
        number=1,
        text="ملازمت کی پیشکش",
        status="in_review",
        created_by=coordinator,
    )
    session = Session.objects.create(
        campaign=campaign,
        site=cls.site,
        held_on=datetime.date(2006, 2, 1),
        facilitator=cls.org_a,
        target_group="separated_or_widowed_woman",
        female_18_59=12,
    )
    attendance = Attendance.objects.create(session=session, person=cls.person, pre_score=2, post_score=4)
    material = Material.objects.create(
        campaign=campaign, kind="leaflet", title="Leaflet", language="urd", print_run=100
    )
    actor = HifazatTestCase.actor(None, coordinator)
    export = MessageExport.objects.create(
        campaign=campaign,
        organisation=cls.org_a,
        message=message,
        target_group="separated_or_widowed_woman",
        fallback_language="urd",
        job=job_create(actor=actor, kind="campaigns.audience_export"),
        created_by=coordinator,
    )
    return {
        **{
            name: campaign.uuid
            for name in (
                "campaigns:campaign_detail",
                "campaigns:campaign_edit",
                "campaigns:campaign_launch",
                "campaigns:campaign_figures",
                "campaigns:gap_list",
                "campaigns:campaign_messages",
                "campaigns:message_create",
                "campaigns:campaign_activities",
                "campaigns:session_create",
                "campaigns:material_create",
                "campaigns:radio_create",
                "campaigns:export_create",
                "api:campaign_detail",
                "api:campaign_figures",
                "api:campaign_gaps",
                "api:campaign_messages",
                "api:campaign_sessions",
                "api:campaign_exports",
            )
        },
        "campaigns:message_detail": message.uuid,
        "campaigns:version_write": message.uuid,
        "api:campaign_message_versions": message.uuid,
        "campaigns:version_submit": version.uuid,
        "campaigns:version_review": version.uuid,
        "api:campaign_version_review": version.uuid,
        "campaigns:session_detail": session.uuid,
        "campaigns:session_edit": session.uuid,
        "campaigns:attendee_search": session.uuid,
        "campaigns:attendee_add": session.uuid,
        "campaigns:scores_add": session.uuid,
        "api:campaign_session_attendees": session.uuid,
        "campaigns:attendee_remove": attendance.uuid,
        "campaigns:distribution_create": material.uuid,
        "campaigns:export_detail": export.uuid,
        "campaigns:export_download": export.uuid,
        "campaigns:export_delivery": export.uuid,
        "api:campaign_export_detail": export.uuid,
    }
