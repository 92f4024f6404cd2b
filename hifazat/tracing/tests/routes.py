"""The tracing part's rows of the route matrix (``hifazat/core/tests/test_route_matrix.py``).

``MATRIX`` maps each route name to the status each caller gets to a GET, in the order of the core table's columns:
anonymous, administrator, supervisor, caseworker, monitoring focal point, network reporter, campaign coordinator,
livelihood officer, analyst, donor viewer (all of organisation A). ``fixtures(cls)`` builds the records the routes
need (``cls`` is the core test class, with ``org_a``, ``a[role]``, ``site``, ``household``, ``person``) and returns
the UUID to put in each route that takes one.
"""

from __future__ import annotations

import datetime

# fmt: off
#                                       anon  adm  sup   cw  mfp  rep camp  liv  ana donor
MATRIX: dict[str, list[int]] = {
    # Family tracing: tracing.view and tracing.manage (supervisor, caseworker); writes are POST-only.
    "tracing:request_list":             [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "tracing:request_create":           [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "tracing:request_detail":           [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "tracing:request_edit":             [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "tracing:request_refresh":          [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    "tracing:candidate_decide":         [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    "tracing:match_confirm":            [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    "tracing:match_withdraw":           [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    "tracing:checklist":                [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "tracing:reunify":                  [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    "tracing:request_close":            [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    "tracing:child_list":               [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "tracing:child_detail":             [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:tracing_request_list":         [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:tracing_request_detail":       [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:tracing_request_candidates":   [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:tracing_checklist":            [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:tracing_child_candidates":     [401, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "api:tracing_candidate_decide":     [401, 405, 405, 405, 405, 405, 405, 405, 405, 405],
    "api:tracing_match_confirm":        [401, 405, 405, 405, 405, 405, 405, 405, 405, 405],
}
# fmt: on

REQUEST_ROUTES = [
    "tracing:request_detail",
    "tracing:request_edit",
    "tracing:request_refresh",
    "tracing:candidate_decide",
    "tracing:match_confirm",
    "tracing:match_withdraw",
    "tracing:checklist",
    "tracing:reunify",
    "tracing:request_close",
    "api:tracing_request_detail",
    "api:tracing_request_candidates",
    "api:tracing_checklist",
    "api:tracing_candidate_decide",
    "api:tracing_match_confirm",
]


def fixtures(cls) -> dict:
    from hifazat.tracing.models import TracingRequest

    request = TracingRequest.objects.create(
        organisation=cls.org_a,
        number="A-T-2005-0001",
        received_on=datetime.date(2005, 11, 1),
        inquirer_name="Parveen Bibi",
        inquirer_relationship="mother",
        inquirer_consent=True,
        first_name="Bilal",
        gender="Masculine",
    )
    return {
        **dict.fromkeys(REQUEST_ROUTES, request.uuid),
        "tracing:child_detail": cls.person.uuid,
        "api:tracing_child_candidates": cls.person.uuid,
    }
