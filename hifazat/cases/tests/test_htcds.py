"""HTCDS value names in the data, human labels (English and Urdu) on screen."""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection

from hifazat.cases import htcds, record_services
from hifazat.cases.models import Case, CaseStatus, Perpetrator
from hifazat.cases.tests.base import HTMX, CaseTestCase
from hifazat.core.roles import Role
from hifazat.screening.models import TraffickingStatus

PICKLISTS = Path(__file__).resolve().parents[1] / "standard" / "htcds-picklists.csv"  # shipped with the part

# Each picklist and the HTCDS field whose value names it holds.
FIELDS = {
    "cas_Status": CaseStatus,
    "vic_TraffickingStatus": TraffickingStatus,
    "vic_TraffickingStatusDecisionMakingOrg": htcds.DecisionMakingOrganisation,
    "vic_RelationshipToTrafficker": htcds.RelationshipToTrafficker,
    "vic_RecruitmentWebsitesAndApps": htcds.WebsiteOrApp,
    "vic_ExploitationWebsitesAndApps": htcds.WebsiteOrApp,
    "vic_MethodOfRecruitment": htcds.RecruitmentMethod,
    "vic_MethodsOfControl": htcds.MethodOfControl,
    "vic_TypeOfExploitation": htcds.ExploitationType,
    "vic_TypeOfSexExploitation": htcds.SexExploitationType,
    "vic_ForcedLabourIndustry": htcds.ForcedLabourIndustry,
    "per_RoleInProcess": htcds.PerpetratorRole,
    "hte_Type": htcds.HistoricEventType,
    "spl_Type": htcds.SupportPlanType,
}


def test_every_picklist_has_the_standards_value_names_in_its_order() -> None:
    with PICKLISTS.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    for field, choices in FIELDS.items():
        official = [
            r["value_name"] for r in sorted(rows, key=lambda r: int(r["position"])) if r["field"] == field
        ]
        assert official == list(choices.values), field


def test_the_misspelt_value_name_is_kept_and_its_label_is_corrected() -> None:
    assert htcds.RelationshipToTrafficker.UNACQUAINTED.value == "Unaquainted"
    assert htcds.RelationshipToTrafficker.UNACQUAINTED.label == "Not known to them"


def test_a_list_of_value_names_is_checked_against_its_picklist() -> None:
    assert htcds.check_values("f", ["Servitude", "ForcedLabour", "Servitude"], htcds.ExploitationType) == [
        "ForcedLabour",
        "Servitude",
    ]
    for wrong in (["Forced labour"], "ForcedLabour", ["RestrictsMovement"]):
        try:
            htcds.check_values("exploitation_types", wrong, htcds.ExploitationType)
        except ValidationError as error:
            assert "exploitation_types" in error.message_dict
        else:
            raise AssertionError(f"{wrong!r} was accepted")


class VictimContextTests(CaseTestCase):
    def record_context(self) -> Case:
        return record_services.victim_context_update(
            actor=self.caseworker,
            case=self.case,
            exploitation_types=["SexualExploitation", "ForcedLabour"],
            methods_of_control=["WithholdsDocuments", "DebtBondage"],
            recruitment_methods=["ThroughFamilyOrFamilyEvents"],
            recruitment_websites=["WhatsApp", "4Sale"],
            forced_labour_industry="T_ActivitiesOfHouseholdsAsEmployers",
            relationship_to_trafficker="Unaquainted",
            age_when_trafficked=15,
            recruitment_place="H-11 Relief Camp",
            recruitment_country="pk",
        )

    def test_the_database_holds_htcds_value_names(self) -> None:
        self.record_context()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT exploitation_types, methods_of_control, relationship_to_trafficker, forced_labour_industry,"
                " recruitment_country FROM cases_case WHERE id = %s",
                [self.case.pk],
            )
            row = cursor.fetchone()
        self.assertIn('"ForcedLabour", "SexualExploitation"', row[0])  # in the picklist's order
        self.assertIn('"DebtBondage", "WithholdsDocuments"', row[1])
        self.assertEqual(row[2:], ("Unaquainted", "T_ActivitiesOfHouseholdsAsEmployers", "PK"))

    def test_a_value_outside_the_picklist_is_refused_naming_the_field(self) -> None:
        with self.assertRaises(ValidationError) as refused:
            record_services.victim_context_update(
                actor=self.caseworker, case=self.case, methods_of_control=["Chains"]
            )
        self.assertIn("methods_of_control", refused.exception.message_dict)
        with self.assertRaises(ValidationError) as refused:
            record_services.victim_context_update(
                actor=self.caseworker, case=self.case, relationship_to_trafficker="Uncle"
            )
        self.assertIn("relationship_to_trafficker", refused.exception.message_dict)
        self.case.refresh_from_db()
        self.assertEqual(self.case.methods_of_control, [])

    def test_labels_are_shown_in_english_and_in_urdu(self) -> None:
        self.record_context()
        client = self.client_for(self.a[Role.CASEWORKER])
        page = client.get(self.url())
        for label in (
            "Forced labour",
            "Withholds documents",
            "Not known to them",
            "Through family or family events",
        ):
            self.assertContains(page, label)
        self.assertNotContains(page, ">Unaquainted<")
        client.cookies["django_language"] = "ur"
        page = client.get(self.url())
        self.assertContains(page, 'lang="ur"')
        for label in ("جبری مشقت", "دستاویزات اپنے پاس رکھ لیتا ہے", "ان کے لیے اجنبی"):
            self.assertContains(page, label)

    def test_the_page_form_stores_value_names(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        response = client.post(
            self.url("victim-context"),
            {"exploitation_types": ["ForcedMarriage"], "relationship_to_trafficker": "Familial"},
            **HTMX,
        )
        self.assertContains(response, "Forced marriage")
        self.case.refresh_from_db()
        self.assertEqual(self.case.exploitation_types, ["ForcedMarriage"])
        self.assertEqual(self.case.relationship_to_trafficker, "Familial")
        refused = client.post(self.url("victim-context"), {"exploitation_types": ["Slavery"]}, **HTMX)
        self.assertContains(refused, "invalid-feedback")
        self.case.refresh_from_db()
        self.assertEqual(self.case.exploitation_types, ["ForcedMarriage"])


class PerpetratorTests(CaseTestCase):
    def test_roles_are_value_names_and_the_numbers_are_encrypted(self) -> None:
        perpetrator = record_services.perpetrator_add(
            actor=self.caseworker,
            case=self.case,
            roles=["Transporter", "RecruiterOrIntermediary"],
            first_name="Javed",
            alias="Shahji",
            phone="0345-8123456",
            identity_number="61101-1234567-1",
            identifying_details="White van LES-4471",
        )
        stored = Perpetrator.objects.values(
            "roles", "phone_encrypted", "identity_number_encrypted", "identifying_details_encrypted"
        ).get(pk=perpetrator.pk)
        self.assertEqual(stored["roles"], ["Transporter", "RecruiterOrIntermediary"])  # the picklist order
        for column in ("phone_encrypted", "identity_number_encrypted", "identifying_details_encrypted"):
            self.assertNotIn("8123456", stored[column])
            self.assertNotIn("LES-4471", stored[column])
        self.assertEqual(perpetrator.phone, "+923458123456")
        self.assertEqual(perpetrator.identifying_details, "White van LES-4471")
        self.assertEqual(perpetrator.role_labels, ["Transporter", "Recruiter or intermediary"])

    def test_a_perpetrator_needs_a_role_and_a_name(self) -> None:
        with self.assertRaises(ValidationError) as refused:
            record_services.perpetrator_add(actor=self.caseworker, case=self.case, roles=[], alias="Shahji")
        self.assertIn("roles", refused.exception.message_dict)
        with self.assertRaises(ValidationError) as refused:
            record_services.perpetrator_add(actor=self.caseworker, case=self.case, roles=["Exploiter"])
        self.assertIn("first_name", refused.exception.message_dict)
        with self.assertRaises(ValidationError):
            record_services.perpetrator_add(actor=self.caseworker, case=self.case, roles=["Boss"], alias="X")
