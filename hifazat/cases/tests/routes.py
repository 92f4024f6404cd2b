"""The cases part's rows of the route matrix (``hifazat/core/tests/test_route_matrix.py``).

``MATRIX`` maps each route name to the status each caller gets to a GET, in the order of the core table's columns:
anonymous, administrator, supervisor, caseworker, monitoring focal point, network reporter, campaign coordinator,
livelihood officer, analyst, donor viewer (all of organisation A). ``fixtures(cls)`` builds the records the routes
need (``cls`` is the core test class, with ``org_a``, ``a[role]``, ``site``, ``household``, ``person``) and returns
the UUID to put in each route that takes one.

Cases are the supervisor's and the caseworker's (``cases.view``, ``cases.open``, ``cases.edit``); assigning and
approving are the supervisor's, as is the trafficking status. Writes are POST-only: a GET is 405 for those who
may write, 403 for the others. Correcting and removing a record answers a GET with its form (200).
"""

from __future__ import annotations

# fmt: off
#                                          anon  adm  sup   cw  mfp  rep camp  liv  ana donor
MATRIX: dict[str, list[int]] = {
    "cases:case_list":                     [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "cases:case_open":                     [302, 403, 200, 200, 404, 403, 403, 403, 403, 403],
    "cases:case_open_from_screening":      [302, 403, 200, 200, 404, 403, 403, 403, 403, 403],
    "cases:case_detail":                   [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "cases:case_summary":                  [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    "cases:case_status":                   [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    "cases:case_close":                    [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    "cases:victim_context":                [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    "cases:historic_event_create":         [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    "cases:perpetrator_create":            [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    "cases:comment_create":                [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    "cases:plan_create":                   [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    "cases:plan_end":                      [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    "cases:service_create":                [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    "cases:followup_create":               [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    "cases:followup_close":                [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    "cases:event_edit":                    [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "cases:event_remove":                  [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "cases:perpetrator_edit":              [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "cases:perpetrator_remove":            [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "cases:plan_edit":                     [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "cases:plan_remove":                   [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "cases:service_edit":                  [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "cases:service_remove":                [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "cases:followup_edit":                 [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "cases:followup_remove":               [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "cases:case_assign":                   [302, 403, 405, 403, 403, 403, 403, 403, 403, 403],
    "cases:case_transfer":                 [302, 403, 405, 403, 403, 403, 403, 403, 403, 403],
    "cases:trafficking_status":            [302, 403, 405, 403, 403, 403, 403, 403, 403, 403],
    "cases:case_reopen":                   [302, 403, 405, 403, 403, 403, 403, 403, 403, 403],
    "cases:approval_list":                 [302, 403, 200, 403, 403, 403, 403, 403, 403, 403],
    "cases:approval_decide":               [302, 403, 405, 403, 403, 403, 403, 403, 403, 403],
    "api:case_list":                       [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:case_detail":                     [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:case_comment_list":               [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:case_event_list":                 [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:case_perpetrator_list":           [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:case_plan_list":                  [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:case_service_list":               [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:case_followup_list":              [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:case_event_detail":               [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:case_perpetrator_detail":         [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:case_plan_detail":                [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:case_service_detail":             [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:case_followup_detail":            [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:case_approval_list":              [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    # POST-only: a GET is 405 for every member; the POST needs cases.approve (tests in cases/tests).
    "api:case_approval_decide":            [401, 405, 405, 405, 405, 405, 405, 405, 405, 405],
}
# fmt: on


def fixtures(cls) -> dict:
    import datetime

    from hifazat.cases import record_services, services
    from hifazat.core.audit import Actor
    from hifazat.core.roles import Role

    caseworker = Actor.for_user(cls.a[Role.CASEWORKER])
    case = services.case_open(actor=caseworker, person=cls.person, origin="walk_in")
    plan = record_services.support_plan_add(
        actor=caseworker, case=case, plan_type="Health", objectives="Treatment"
    )
    followup = record_services.case_followup_add(
        actor=caseworker, case=case, due_on=datetime.date.today(), purpose="Home visit"
    )
    event = record_services.historic_event_add(
        actor=caseworker, case=case, event_type="Recruitment", place="Lahore"
    )
    perpetrator = record_services.perpetrator_add(
        actor=caseworker, case=case, roles=["RecruiterOrIntermediary"], alias="Agent"
    )
    service = record_services.service_record(
        actor=caseworker, case=case, service="medical", delivered_on=datetime.date.today()
    )
    approval = services.case_close_request(
        actor=caseworker, case=case, outcome="objectives_met", reason="Support complete"
    )
    records_by_kind = {
        "event": event,
        "perpetrator": perpetrator,
        "plan": plan,
        "service": service,
        "followup": followup,
    }
    without_uuid = {"cases:case_list", "cases:approval_list", "api:case_list", "api:case_approval_list"}
    uuids = {name: case.uuid for name in MATRIX if name not in without_uuid}
    uuids.update(
        {
            "cases:case_open": cls.person.uuid,
            "cases:case_open_from_screening": cls.screening.uuid,
            "cases:plan_end": plan.uuid,
            **{
                f"cases:{kind}_{act}": record.uuid
                for kind, record in records_by_kind.items()
                for act in ("edit", "remove")
            },
            **{f"api:case_{kind}_detail": record.uuid for kind, record in records_by_kind.items()},
            "cases:followup_close": followup.uuid,
            "cases:approval_decide": approval.uuid,
            "api:case_approval_decide": approval.uuid,
        }
    )
    return uuids
