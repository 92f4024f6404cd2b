"""The permission matrix: which role may do which action. This table is the only place that says so.

Views, API permissions, navigation and tests all read it through ``role_can``. An action names a capability,
not a URL; the URL-level matrix test (``hifazat/core/tests/test_route_matrix.py``) checks that every route
answers according to this table. Scope (which organisation's records) is a separate question, answered by each
model's ``*_visible_to`` selector.
"""

from __future__ import annotations

from hifazat.core.roles import Role

ALL_ROLES = frozenset(Role)
STAFF_ROLES = ALL_ROLES - {Role.NETWORK_REPORTER, Role.DONOR_VIEWER}

PERMISSIONS: dict[str, frozenset[Role]] = {
    # Reference data: admin areas, sites, the directory of organisations.
    "geography.view": ALL_ROLES,
    "geography.manage": frozenset({Role.ADMINISTRATOR}),
    "organisations.view": ALL_ROLES,
    "organisations.manage": frozenset({Role.ADMINISTRATOR}),
    # People who use the system, within the administrator's own organisation.
    "users.manage": frozenset({Role.ADMINISTRATOR}),
    "audit.view": frozenset({Role.ADMINISTRATOR}),
    # Background work (imports, exports) started in the user's organisation.
    "jobs.view": frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR, Role.ANALYST}),
    # The registry of households and people (scoped to the organisation), consent, duplicates.
    "people.view": frozenset(
        {Role.SUPERVISOR, Role.CASEWORKER, Role.CAMPAIGN_COORDINATOR, Role.LIVELIHOOD_OFFICER}
    ),
    "people.register": frozenset({Role.SUPERVISOR, Role.CASEWORKER}),
    "people.merge": frozenset({Role.SUPERVISOR}),
    # Spreadsheet import of households and people (intake): whoever may register people.
    "intake.import": frozenset({Role.SUPERVISOR, Role.CASEWORKER}),
    # ODK Collect forms (intake): supervisors and administrators publish forms and fix failed submissions;
    # whoever fills in one of the shipped forms in the field uses Collect, and gets only the forms whose work
    # their role may do (``intake.registration.PURPOSE_ACTIONS``: a network reporter gets the monitoring
    # report, a livelihood officer the outcome visit).
    "intake.forms": frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR}),
    "intake.submit": frozenset(
        {
            Role.SUPERVISOR,
            Role.CASEWORKER,
            Role.NETWORK_REPORTER,
            Role.MONITORING_FOCAL_POINT,
            Role.CAMPAIGN_COORDINATOR,
            Role.LIVELIHOOD_OFFICER,
        }
    ),
    # Correcting and re-running a submission that could not be stored writes to the registry: the supervisor.
    "intake.fix": frozenset({Role.SUPERVISOR}),
    # Risk screening and the follow-up queue.
    "screening.run": frozenset({Role.SUPERVISOR, Role.CASEWORKER}),
    "screening.view": frozenset({Role.SUPERVISOR, Role.CASEWORKER}),
    "screening.set_trafficking_status": frozenset({Role.SUPERVISOR}),
    # The user's own in-app notifications and work list.
    "notifications.view": ALL_ROLES,
    # Cases (HTCDS cas_): supervisors see the organisation's cases, caseworkers those they own or are assigned.
    "cases.view": frozenset({Role.SUPERVISOR, Role.CASEWORKER}),
    # Every case of the organisation (and every referral it sent), not only those the user owns or is assigned.
    "cases.view_all": frozenset({Role.SUPERVISOR}),
    "cases.open": frozenset({Role.SUPERVISOR, Role.CASEWORKER, Role.MONITORING_FOCAL_POINT}),
    "cases.edit": frozenset({Role.SUPERVISOR, Role.CASEWORKER}),
    "cases.assign": frozenset({Role.SUPERVISOR}),
    # Supervisor approvals: closing a case, overriding a missing consent (with a written reason).
    "cases.approve": frozenset({Role.SUPERVISOR}),
    # The services directory and referral pathways.
    "services.view": STAFF_ROLES,
    "services.manage": frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR}),
    # Referrals, sent and received.
    "referrals.view": frozenset({Role.SUPERVISOR, Role.CASEWORKER}),
    "referrals.send": frozenset({Role.SUPERVISOR, Role.CASEWORKER}),
    "referrals.respond": frozenset({Role.SUPERVISOR, Role.CASEWORKER}),
    # Family tracing and reunification.
    "tracing.view": frozenset({Role.SUPERVISOR, Role.CASEWORKER}),
    "tracing.manage": frozenset({Role.SUPERVISOR, Role.CASEWORKER}),
    # The best-interests decision before a child is reunified.
    "tracing.approve": frozenset({Role.SUPERVISOR}),
    # The monitoring network: reporters report (and see only their own reports); focal points triage.
    "monitoring.report": frozenset(
        {Role.NETWORK_REPORTER, Role.MONITORING_FOCAL_POINT, Role.SUPERVISOR, Role.CASEWORKER}
    ),
    # Staff who report get a reporter profile the first time they report; a network reporter reports only once a
    # focal point has registered them in a network.
    "monitoring.report_unregistered": frozenset(
        {Role.MONITORING_FOCAL_POINT, Role.SUPERVISOR, Role.CASEWORKER}
    ),
    "monitoring.view": frozenset({Role.MONITORING_FOCAL_POINT, Role.SUPERVISOR}),
    "monitoring.triage": frozenset({Role.MONITORING_FOCAL_POINT, Role.SUPERVISOR}),
    "monitoring.manage_reporters": frozenset({Role.MONITORING_FOCAL_POINT, Role.SUPERVISOR}),
    "monitoring.record_exit": frozenset({Role.MONITORING_FOCAL_POINT, Role.SUPERVISOR, Role.CASEWORKER}),
    "alerts.view": frozenset({Role.MONITORING_FOCAL_POINT, Role.SUPERVISOR}),
    "alerts.manage": frozenset({Role.MONITORING_FOCAL_POINT, Role.SUPERVISOR}),
    # Awareness campaigns. Funders (donor viewers) see their own campaigns' aggregate figures only.
    "campaigns.view": frozenset({Role.CAMPAIGN_COORDINATOR, Role.SUPERVISOR, Role.CASEWORKER, Role.ANALYST}),
    "campaigns.manage": frozenset({Role.CAMPAIGN_COORDINATOR}),
    "campaigns.approve": frozenset({Role.CAMPAIGN_COORDINATOR, Role.SUPERVISOR}),
    "campaigns.record_activity": frozenset({Role.CAMPAIGN_COORDINATOR, Role.CASEWORKER, Role.SUPERVISOR}),
    "campaigns.export_audience": frozenset({Role.CAMPAIGN_COORDINATOR}),
    "campaigns.gaps": frozenset({Role.CAMPAIGN_COORDINATOR, Role.CASEWORKER, Role.SUPERVISOR}),
    "campaigns.aggregates": frozenset(
        {Role.CAMPAIGN_COORDINATOR, Role.SUPERVISOR, Role.CASEWORKER, Role.ANALYST, Role.DONOR_VIEWER}
    ),
    # Livelihood programmes. Funders see the aggregate figures of the programmes they fund.
    "livelihoods.view": frozenset({Role.LIVELIHOOD_OFFICER, Role.SUPERVISOR, Role.CASEWORKER}),
    "livelihoods.manage": frozenset({Role.LIVELIHOOD_OFFICER, Role.SUPERVISOR}),
    "livelihoods.enrol": frozenset({Role.LIVELIHOOD_OFFICER, Role.SUPERVISOR}),
    "livelihoods.aggregates": frozenset(
        {Role.LIVELIHOOD_OFFICER, Role.SUPERVISOR, Role.ANALYST, Role.DONOR_VIEWER}
    ),
    # Whose programmes' figures: the programmes the organisation funds, and with this, those it implements too.
    "livelihoods.aggregates_implemented": frozenset({Role.LIVELIHOOD_OFFICER, Role.SUPERVISOR, Role.ANALYST}),
    # The response dashboard (reporting): the organisation's figures; analysts get them through disclosure control.
    "reporting.dashboard": frozenset({Role.SUPERVISOR, Role.ANALYST}),
    # Exports (reporting.exports, the page). Cases in HTCDS: record-level, though anonymised and k-anonymous, so
    # only the supervisor (who sees the cases) and the analyst (whose work it is); never donors, who get figures
    # only, nor roles without an analytic purpose. Who does what where (HXL): reference data, no person in it;
    # also the administrator, who keeps the directory of organisations.
    "reporting.exports": frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR, Role.ANALYST}),
    "reporting.export_cases": frozenset({Role.SUPERVISOR, Role.ANALYST}),
    "reporting.export_3w": frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR, Role.ANALYST}),
    # Donor reports (PDF, reporting.donor): a funder's donor viewers, for the campaigns and programmes their
    # organisation funds; supervisors, for those their organisation runs or funds. Always under disclosure control.
    "reporting.donor_reports": frozenset({Role.SUPERVISOR, Role.DONOR_VIEWER}),
    # Exact aggregate figures of the organisation's own work (core.disclosure): whoever sees the records
    # behind them. Donor viewers and analysts never see records, so their figures are always controlled.
    "figures.exact": ALL_ROLES - {Role.DONOR_VIEWER, Role.ANALYST},
    # The REST API and personal API tokens.
    "api.use": ALL_ROLES,
}


def role_can(role: str | None, action: str) -> bool:
    """Whether ``role`` may perform ``action``. An unknown action is a programming error, not a refusal."""
    if action not in PERMISSIONS:
        raise KeyError(f"unknown action {action!r}: add it to hifazat.core.permissions.PERMISSIONS")
    return role is not None and role in PERMISSIONS[action]


def roles_that_can(action: str) -> frozenset[Role]:
    """The roles the matrix lets do ``action``: for choosing among members (the focal points and supervisors who
    may triage a report, to assign it; the campaign coordinators who manage campaigns, to tell them)."""
    if action not in PERMISSIONS:
        raise KeyError(f"unknown action {action!r}: add it to hifazat.core.permissions.PERMISSIONS")
    return PERMISSIONS[action]
