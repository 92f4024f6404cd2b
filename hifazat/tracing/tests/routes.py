"""The tracing part's rows of the route matrix (``hifazat/core/tests/test_route_matrix.py``).

``MATRIX`` maps each route name to the status each caller gets to a GET, in the order of the core table's columns:
anonymous, administrator, supervisor, caseworker, monitoring focal point, network reporter, campaign coordinator,
livelihood officer, analyst, donor viewer (all of organisation A). ``fixtures(cls)`` builds the records the routes
need (``cls`` is the core test class, with ``org_a``, ``a[role]``, ``site``, ``household``, ``person``) and returns
the UUID to put in each route that takes one.
"""

from __future__ import annotations

# fmt: off
#                                       anon  adm  sup   cw  mfp  rep camp  liv  ana donor
MATRIX: dict[str, list[int]] = {
}
# fmt: on


def fixtures(cls) -> dict:
    return {}
