from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "hifazat.referrals"
    label = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        from hifazat.cases.panels import CASE_PANELS, CASE_TIMELINE_SOURCES
        from hifazat.cases.services import approval_kind_register
        from hifazat.core.navigation import Section, register
        from hifazat.notifications.selectors import WORKLIST_SOURCES
        from hifazat.people.selectors import TIMELINE_SOURCES
        from hifazat.referrals import hooks, services

        register(
            Section(
                _("Referrals sent"),
                "referrals:referral_list",
                "referrals.view",
                _("Referrals your organisation sent, with their answers"),
                weight=90,
            ),
            Section(
                _("Incoming referrals"),
                "referrals:referral_incoming",
                "referrals.view",
                _("Referrals other organisations sent to yours"),
                weight=92,
            ),
            Section(
                _("Services directory"),
                "referrals:provider_list",
                "services.view",
                _("Who offers which service, where, and whether they accept referrals now"),
                weight=94,
            ),
            Section(
                _("Referral pathways"),
                "referrals:pathway_list",
                "services.view",
                _("The steps to follow in each area"),
                weight=96,
            ),
        )
        for registry, source in (
            (WORKLIST_SOURCES, hooks.worklist),
            (CASE_PANELS, hooks.case_panel),
            (CASE_TIMELINE_SOURCES, hooks.case_events),
            (TIMELINE_SOURCES, hooks.person_events),
        ):
            if source not in registry:
                registry.append(source)
        # A caseworker's requests, decided by a supervisor through the cases part's approvals; the handlers tell
        # the requester with the referral's number.
        approval_kind_register(
            services.APPROVAL_CONSENT_OVERRIDE,
            label=_("Sending a referral without the person's consent"),
            on_approved=services.approval_granted,
            on_refused=services.approval_refused,
            tells_requester=True,
        )
        approval_kind_register(
            services.APPROVAL_TRANSFER,
            label=_("Transferring a case to another organisation"),
            on_approved=services.approval_granted,
            on_refused=services.approval_refused,
            tells_requester=True,
        )
