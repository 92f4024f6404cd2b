"""The intake part's rows of the route matrix (``hifazat/core/tests/test_route_matrix.py``).

Columns: anonymous, administrator, supervisor, caseworker, monitoring focal point, network reporter, campaign
coordinator, livelihood officer, analyst, donor viewer (all of organisation A). ``fixtures(cls)`` builds the records
the routes need and returns the UUID to put in each route that takes one.
"""

from __future__ import annotations

# fmt: off
#                                       anon  adm  sup   cw  mfp  rep camp  liv  ana donor
MATRIX: dict[str, list[int]] = {
    # Spreadsheet import of households and people: intake.import (supervisor, caseworker); the commit is POST-only.
    "intake:sheet_start":               [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "intake:sheet_template":            [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "intake:sheet_detail":              [302, 403, 200, 200, 403, 403, 403, 403, 403, 403],
    "intake:sheet_commit":              [302, 403, 405, 405, 403, 403, 403, 403, 403, 403],
    # Field forms: intake.forms (administrator, supervisor) publishes; the submissions, which hold personal
    # data, are the supervisor's (intake.fix); Collect settings for intake.submit (every role that fills in a
    # shipped form in the field: all but the administrator, the analyst and the donor viewer).
    "intake:form_list":                 [302, 200, 200, 403, 403, 403, 403, 403, 403, 403],
    "intake:form_detail":               [302, 200, 200, 403, 403, 403, 403, 403, 403, 403],
    "intake:form_toggle":               [302, 405, 405, 403, 403, 403, 403, 403, 403, 403],
    "intake:submission_list":           [302, 403, 200, 403, 403, 403, 403, 403, 403, 403],
    "intake:submission_detail":         [302, 403, 200, 403, 403, 403, 403, 403, 403, 403],
    "intake:submission_retry":          [302, 403, 405, 403, 403, 403, 403, 403, 403, 403],
    "intake:collect_setup":             [302, 403, 200, 200, 200, 200, 200, 200, 403, 403],
    # OpenRosa for Collect: Basic credentials, never a session, and never over plain HTTP (the matrix's
    # client): 403 for everyone. Over HTTPS the answers are tested in intake/tests/test_openrosa.py.
    "intake:openrosa_form_list":        [403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    "intake:openrosa_submission":       [403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    "intake:openrosa_form":             [403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    "intake:openrosa_manifest":         [403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    "intake:openrosa_media":            [403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
}
# fmt: on


def fixtures(cls) -> dict:
    return {**sheet_fixtures(cls), **form_fixtures(cls)}


def form_fixtures(cls) -> dict:
    """A published form with a media file, a submission that failed, and the caseworker's Collect key."""
    from hifazat.core.roles import Role
    from hifazat.intake.models import CollectKey, FormMedia, Submission, XForm

    form = XForm.objects.create(
        organisation=cls.org_a,
        form_id="household",
        version="1",
        title="Household",
        purpose="household_registration",
        xlsform_name="household.xlsx",
        xlsform=b"PK",
        xml=b"<h:html/>",
        md5="0" * 32,
    )
    media = FormMedia.objects.create(form=form, name="sites.csv", content=b"a", md5="0" * 32)
    submission = Submission.objects.create(
        organisation=cls.org_a,
        form=form,
        instance_id="uuid:1",
        received_xml=b"<data/>",
        xml=b"<data/>",
        complete=True,
        status="failed",
        error="site_code: missing",
    )
    key = CollectKey.objects.create(user=cls.a[Role.CASEWORKER], secret_sha256="0" * 64)
    return {
        "intake:form_detail": form.uuid,
        "intake:form_toggle": form.uuid,
        "intake:submission_detail": submission.uuid,
        "intake:submission_retry": submission.uuid,
        "intake:openrosa_form_list": key.token,
        "intake:openrosa_submission": key.token,
        "intake:openrosa_form": form.uuid,
        "intake:openrosa_manifest": form.uuid,
        "intake:openrosa_media": media.uuid,
    }


def sheet_fixtures(cls) -> dict:
    """A spreadsheet import started by A's caseworker (the supervisor sees the organisation's jobs)."""
    from hifazat.core.audit import Actor
    from hifazat.core.jobs import job_create
    from hifazat.core.roles import Role

    job = job_create(actor=Actor.for_user(cls.a[Role.CASEWORKER]), kind="intake.people", file_name="p.csv")
    return {"intake:sheet_detail": job.uuid, "intake:sheet_commit": job.uuid}
