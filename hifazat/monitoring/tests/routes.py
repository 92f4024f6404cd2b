"""The monitoring part's rows of the route matrix (``hifazat/core/tests/test_route_matrix.py``).

``MATRIX`` maps each route name to the status each caller gets to a GET, in the order of the core table's columns:
anonymous, administrator, supervisor, caseworker, monitoring focal point, network reporter, campaign coordinator,
livelihood officer, analyst, donor viewer (all of organisation A). ``fixtures(cls)`` builds the records the routes
need (``cls`` is the core test class, with ``org_a``, ``a[role]``, ``site``, ``household``, ``person``) and returns
the UUID to put in each route that takes one.

The report is A's network reporter's: the caseworker, who may report but sees only their own reports, gets 404.
"""

from __future__ import annotations

import datetime

# fmt: off
#                                       anon  adm  sup   cw  mfp  rep camp  liv  ana donor
MATRIX: dict[str, list[int]] = {
    # The public's anonymous tip form: everyone, signed in or not.
    "monitoring:tip":                   [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "monitoring:tip_thanks":            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    # monitoring.report: reporters, focal points, supervisors, caseworkers (a reporter sees only their own).
    "monitoring:report_list":           [302, 403, 200, 200, 200, 200, 403, 403, 403, 403],
    "monitoring:report_create":         [302, 403, 200, 200, 200, 200, 403, 403, 403, 403],
    "monitoring:report_detail":         [302, 403, 200, 404, 200, 200, 403, 403, 403, 403],
    "monitoring:attachment":            [302, 403, 200, 404, 200, 200, 403, 403, 403, 403],
    "monitoring:report_photo":          [302, 403, 405, 405, 405, 405, 403, 403, 403, 403],
    # monitoring.triage and monitoring.view: focal points and supervisors.
    "monitoring:report_triage":         [302, 403, 405, 403, 405, 403, 403, 403, 403, 403],
    "monitoring:report_close":          [302, 403, 405, 403, 405, 403, 403, 403, 403, 403],
    "monitoring:report_police":         [302, 403, 405, 403, 405, 403, 403, 403, 403, 403],
    "monitoring:report_campaign":       [302, 403, 405, 403, 405, 403, 403, 403, 403, 403],
    "monitoring:report_link":           [302, 403, 405, 403, 405, 403, 403, 403, 403, 403],
    "monitoring:report_link_person":    [302, 403, 405, 403, 405, 403, 403, 403, 403, 403],
    "monitoring:report_open_case":      [302, 403, 405, 403, 405, 403, 403, 403, 403, 403],
    "monitoring:report_people":         [302, 403, 200, 403, 200, 403, 403, 403, 403, 403],
    "monitoring:report_network":        [302, 403, 200, 403, 200, 403, 403, 403, 403, 403],
    "monitoring:network":               [302, 403, 200, 403, 200, 403, 403, 403, 403, 403],
    "monitoring:report_map":            [302, 403, 200, 403, 200, 403, 403, 403, 403, 403],
    # alerts.view and alerts.manage: focal points and supervisors.
    "monitoring:alert_list":            [302, 403, 200, 403, 200, 403, 403, 403, 403, 403],
    "monitoring:alert_detail":          [302, 403, 200, 403, 200, 403, 403, 403, 403, 403],
    "monitoring:alert_assign":          [302, 403, 405, 403, 405, 403, 403, 403, 403, 403],
    "monitoring:alert_acknowledge":     [302, 403, 405, 403, 405, 403, 403, 403, 403, 403],
    "monitoring:alert_resolve":         [302, 403, 405, 403, 405, 403, 403, 403, 403, 403],
    # monitoring.manage_reporters: focal points and supervisors.
    "monitoring:reporter_list":         [302, 403, 200, 403, 200, 403, 403, 403, 403, 403],
    "monitoring:reporter_create":       [302, 403, 200, 403, 200, 403, 403, 403, 403, 403],
    "monitoring:reporter_detail":       [302, 403, 200, 403, 200, 403, 403, 403, 403, 403],
    # monitoring.record_exit: focal points, supervisors, caseworkers.
    "monitoring:exit_list":             [302, 403, 200, 200, 200, 403, 403, 403, 403, 403],
    "monitoring:exit_create":           [302, 403, 200, 200, 200, 403, 403, 403, 403, 403],
    "api:report_list":                  [401, 403, 200, 200, 200, 200, 403, 403, 403, 403],
    "api:report_detail":                [401, 403, 200, 404, 200, 200, 403, 403, 403, 403],
    "api:report_triage":                [401, 405, 405, 405, 405, 405, 405, 405, 405, 405],
    "api:report_network":               [401, 403, 200, 403, 200, 403, 403, 403, 403, 403],
    "api:alert_list":                   [401, 403, 200, 403, 200, 403, 403, 403, 403, 403],
    "api:alert_detail":                 [401, 403, 200, 403, 200, 403, 403, 403, 403, 403],
}
# fmt: on


def fixtures(cls) -> dict:
    from hifazat.core.audit import Actor
    from hifazat.core.roles import Role
    from hifazat.monitoring import services
    from hifazat.monitoring.testing import jpeg_bytes, make_reports_at_two_sites
    from hifazat.people.testing import make_site

    focal = Actor.for_user(cls.a[Role.MONITORING_FOCAL_POINT])
    reporter = services.reporter_register(actor=focal, user=cls.a[Role.NETWORK_REPORTER], kind="police")
    report, _other, alert = make_reports_at_two_sites(
        Actor.for_user(reporter.user),
        cls.site,
        make_site("MAN-BLK", "Balakot Relief Camp"),
        datetime.date(2006, 1, 10),
    )
    photo = services.attachment_add(actor=Actor.for_user(reporter.user), report=report, data=jpeg_bytes())
    cls.addClassCleanup(photo.image.delete, save=False)
    report_routes = [
        "report_detail",
        "report_photo",
        "report_triage",
        "report_close",
        "report_police",
        "report_campaign",
        "report_link",
        "report_link_person",
        "report_open_case",
        "report_people",
        "report_network",
    ]
    alert_routes = ["alert_detail", "alert_assign", "alert_acknowledge", "alert_resolve"]
    return {
        **{f"monitoring:{name}": report.uuid for name in report_routes},
        **{f"monitoring:{name}": alert.uuid for name in alert_routes},
        "monitoring:attachment": photo.uuid,
        "monitoring:reporter_detail": reporter.uuid,
        "monitoring:exit_create": cls.person.uuid,
        "api:report_detail": report.uuid,
        "api:report_triage": report.uuid,
        "api:report_network": report.uuid,
        "api:alert_detail": alert.uuid,
    }
