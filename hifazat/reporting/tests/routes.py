"""The reporting part's rows of the route matrix (``hifazat/core/tests/test_route_matrix.py``), in the order of
the core table's columns: anonymous, administrator, supervisor, caseworker, monitoring focal point, network
reporter, campaign coordinator, livelihood officer, analyst, donor viewer."""

from __future__ import annotations

# fmt: off
#                                       anon  adm  sup   cw  mfp  rep camp  liv  ana donor
MATRIX: dict[str, list[int]] = {
    # reporting.dashboard: supervisors (exact figures) and analysts (under disclosure control).
    "reporting:dashboard":              [302, 403, 200, 403, 403, 403, 403, 403, 200, 403],
}
# fmt: on


def fixtures(cls) -> dict:
    return {}
