"""The reporting part's rows of the route matrix (``hifazat/core/tests/test_route_matrix.py``), in the order of
the core table's columns: anonymous, administrator, supervisor, caseworker, monitoring focal point, network
reporter, campaign coordinator, livelihood officer, analyst, donor viewer."""

from __future__ import annotations

# fmt: off
#                                       anon  adm  sup   cw  mfp  rep camp  liv  ana donor
MATRIX: dict[str, list[int]] = {
    # reporting.dashboard: supervisors (exact figures) and analysts (under disclosure control).
    "reporting:dashboard":              [302, 403, 200, 403, 403, 403, 403, 403, 200, 403],
    # The dashboard's figures as HXL (always under disclosure control): the same readers.
    "reporting:dashboard_export":       [302, 403, 200, 403, 403, 403, 403, 403, 200, 403],
    # reporting.exports (the page) and reporting.export_3w (who does what where, HXL): administrators,
    # supervisors, analysts. reporting.export_cases (HTCDS): supervisors and analysts; the fixture export is the
    # analyst's, and supervisors follow their organisation's jobs (jobs.view); start and download are POST only.
    "reporting:exports":                [302, 200, 200, 403, 403, 403, 403, 403, 200, 403],
    "reporting:who_what_where":         [302, 200, 200, 403, 403, 403, 403, 403, 200, 403],
    "reporting:case_export_start":      [302, 403, 405, 403, 403, 403, 403, 403, 405, 403],
    "reporting:case_export_detail":     [302, 403, 200, 403, 403, 403, 403, 403, 200, 403],
    "reporting:case_export_download":   [302, 403, 405, 403, 403, 403, 403, 403, 405, 403],
    # reporting.donor_reports: supervisors and donor viewers; the fixture campaign and programme are A's own and
    # funded by A, so both see them (each PDF is rendered: English, the default language).
    "reporting:donor_reports":          [302, 403, 200, 403, 403, 403, 403, 403, 403, 200],
    "reporting:donor_campaign_pdf":     [302, 403, 200, 403, 403, 403, 403, 403, 403, 200],
    "reporting:donor_programme_pdf":    [302, 403, 200, 403, 403, 403, 403, 403, 403, 200],
}
# fmt: on


def fixtures(cls) -> dict:
    from hifazat.core.audit import Actor
    from hifazat.core.jobs import job_create
    from hifazat.core.roles import Role
    from hifazat.reporting.exports import CASES_JOB_KIND

    export = job_create(
        actor=Actor.for_user(cls.a[Role.ANALYST]), kind=CASES_JOB_KIND, payload='{"format": "xlsx", "k": 10}'
    )
    return {
        "reporting:case_export_detail": export.uuid,
        "reporting:case_export_download": export.uuid,
        # The campaigns' and livelihoods' fixtures (built before these): funded by organisation A.
        "reporting:donor_campaign_pdf": cls.part_uuids["campaigns:campaign_figures"],
        "reporting:donor_programme_pdf": cls.part_uuids["livelihoods:programme_figures"],
    }
