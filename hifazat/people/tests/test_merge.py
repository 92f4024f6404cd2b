"""Merging two records of one person: every linked record moves, nothing is lost, and the merge can be undone."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from hifazat.core.models import AuditEntry
from hifazat.core.roles import Role
from hifazat.people import services
from hifazat.people.merge import person_links, person_merge, person_unmerge, suspicion_dismiss
from hifazat.people.models import DuplicateSuspicion, Person, Vulnerability
from hifazat.people.review_queue import duplicates_scan_person
from hifazat.people.search import person_search
from hifazat.people.selectors import persons_visible_to, suspicions_visible_to
from hifazat.people.tests.test_duplicates import MatchingTestCase


def links_of(*people: Person) -> dict[tuple[str, str, object], int]:
    """Every row of every relation that points at one of ``people``: (model, field, row) → the person's id."""
    found = {}
    for model, field in person_links():
        for pk, person_id in model._base_manager.filter(**{f"{field}__in": people}).values_list("pk", field):
            found[(model._meta.label_lower, field, pk)] = person_id
    return found


class MergeTestCase(MatchingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.keep = self.person(
            "Nasreen",
            second_name="Bibi",
            marital_status="Widowed",
            parentage_word="wife_of",
            parentage_name="Muhammad Rashid",
            age_years=32,
            relationship_to_head="head",
        )
        services.vulnerability_record(
            actor=self.caseworker,
            person=self.keep,
            group="person_with_disability",
            reason="hearing, not assessed",
        )
        self.remove = self.person(
            "Nasrin",
            second_name="Bibi",
            marital_status="Widowed",
            parentage_word="wife_of",
            parentage_name="Mohd Rashid",
            age_years=33,
            relationship_to_head="head",
            household=self.other_household,
        )
        self.child = self.person(
            "Ayesha",
            age_years=9,
            relationship_to_head="child",
            household=self.other_household,
            caregiver=self.remove,
        )
        services.consent_record(
            actor=self.caseworker, person=self.remove, purpose="screening", status="given"
        )
        self.other_household.refresh_from_db()
        self.assertEqual(self.other_household.head, self.remove)

    def merge(self, actor=None, **kwargs):
        return person_merge(
            actor=actor or self.supervisor,
            keep=self.keep,
            remove=self.remove,
            reason="same widow, two camps",
            **kwargs,
        )


class WhoIsRefusedTests(MergeTestCase):
    def test_a_caseworker_may_not_merge_or_undo(self) -> None:
        with self.assertRaises(PermissionDenied):
            self.merge(actor=self.caseworker)
        merge = self.merge()
        with self.assertRaises(PermissionDenied):
            person_unmerge(actor=self.caseworker, merge=merge, reason="wrong")
        with self.assertRaises(PermissionDenied):
            suspicion_dismiss(
                actor=self.caseworker,
                suspicion=DuplicateSuspicion.objects.create(
                    organisation=self.org_a,
                    person_a=self.keep,
                    person_b=self.child,
                    score=0.5,
                    band="possible",
                ),
            )

    def test_organisation_b_may_not_merge_as_people_or_undo_as_merges(self) -> None:
        with self.assertRaises(PermissionDenied):
            self.merge(actor=self.actor(self.b[Role.SUPERVISOR]))
        self.remove.refresh_from_db()
        self.assertTrue(self.remove.is_active)
        merge = self.merge()
        with self.assertRaises(PermissionDenied):
            person_unmerge(actor=self.actor(self.b[Role.SUPERVISOR]), merge=merge, reason="no")

    def test_organisation_b_sees_none_of_as_suspicions(self) -> None:
        duplicates_scan_person(self.remove)
        self.assertEqual(suspicions_visible_to(self.actor(self.a[Role.SUPERVISOR])).count(), 1)
        self.assertEqual(suspicions_visible_to(self.actor(self.b[Role.SUPERVISOR])).count(), 0)
        self.assertEqual(suspicions_visible_to(self.actor(self.a[Role.DONOR_VIEWER])).count(), 0)

    def test_a_merge_needs_two_people_and_a_reason(self) -> None:
        with self.assertRaises(ValidationError):
            person_merge(actor=self.supervisor, keep=self.keep, remove=self.keep, reason="same")
        with self.assertRaises(ValidationError):
            person_merge(actor=self.supervisor, keep=self.keep, remove=self.remove, reason=" ")


class MergeTests(MergeTestCase):
    def test_a_merge_loses_no_linked_record_and_can_be_undone(self) -> None:
        before = links_of(self.keep, self.remove)
        self.assertGreaterEqual(
            len({model for model, _, _ in before}), 4
        )  # consents, groups, household, person
        merge = self.merge()

        after = links_of(self.keep, self.remove)
        # The one new link is the merge itself: the removed record points at the kept one.
        self.assertEqual(after.pop(("people.person", "merged_into", self.remove.pk)), self.keep.pk)
        self.assertEqual(after.keys(), before.keys(), "every linked row still exists and is still linked")
        left = {(row["model"], row["field"], row["pk"]) for row in merge.left}
        for row, person_id in after.items():
            self.assertEqual(person_id, self.remove.pk if row in left else self.keep.pk, row)
        moved = {(row["model"], row["field"], row["pk"]) for row in merge.moved}
        self.assertEqual(
            moved | left, {row for row, person_id in before.items() if person_id == self.remove.pk}
        )
        # Both are widows heading a household: the kept person has those groups already (one row per group), so
        # the removed person's rows of them stay with her, listed; her third group (a single parent) moves.
        self.assertEqual({row["model"] for row in merge.left}, {"people.vulnerability"})
        self.assertEqual(
            set(
                Vulnerability.objects.filter(pk__in=[row["pk"] for row in merge.left]).values_list(
                    "group", flat=True
                )
            ),
            {"separated_or_widowed_woman", "female_headed_household"},
        )
        self.assertIn("widowed_single_parent", set(self.keep.vulnerabilities.values_list("group", flat=True)))
        self.assertEqual(self.keep.consents.filter(purpose="screening").count(), 1)
        self.other_household.refresh_from_db()
        self.child.refresh_from_db()
        self.assertEqual((self.other_household.head, self.child.caregiver), (self.keep, self.keep))
        self.remove.refresh_from_db()
        self.assertEqual((self.remove.merged_into, self.remove.is_active), (self.keep, False))
        self.assertNotIn(self.remove, persons_visible_to(self.supervisor))

        person_unmerge(actor=self.supervisor, merge=merge, reason="two different women after all")
        self.assertEqual(links_of(self.keep, self.remove), before)
        self.remove.refresh_from_db()
        self.assertEqual((self.remove.merged_into, self.remove.is_active), (None, True))
        merge.refresh_from_db()
        self.assertIsNotNone(merge.undone_at)
        with self.assertRaises(ValidationError):
            person_unmerge(actor=self.supervisor, merge=merge, reason="again")

    def test_the_removed_name_finds_the_kept_person(self) -> None:
        visible = persons_visible_to(self.supervisor)
        called = self.person("Shamim", second_name="Bibi", age_years=33, household=self.other_household)
        self.assertEqual(list(person_search(visible, "Shameem")), [called])
        merge = person_merge(
            actor=self.supervisor, keep=self.keep, remove=called, reason="known by her nickname"
        )
        self.assertEqual(list(person_search(visible, "Shameem")), [self.keep])
        person_unmerge(actor=self.supervisor, merge=merge, reason="not the same")
        self.assertEqual(list(person_search(visible, "Shameem")), [called])

    def test_the_suspicion_is_decided_by_the_merge_and_its_undoing(self) -> None:
        [suspicion] = duplicates_scan_person(self.remove)
        merge = self.merge()
        suspicion.refresh_from_db()
        self.assertEqual((suspicion.status, suspicion.decided_by), ("merged", self.a[Role.SUPERVISOR]))
        person_unmerge(actor=self.supervisor, merge=merge, reason="not the same")
        suspicion.refresh_from_db()
        self.assertEqual(suspicion.status, "dismissed")
        duplicates_scan_person(self.remove)
        suspicion.refresh_from_db()
        self.assertEqual(suspicion.status, "dismissed", "a decided pair is not raised again")

    def test_merge_and_undo_are_audited_without_names(self) -> None:
        merge = self.merge()
        person_unmerge(actor=self.supervisor, merge=merge, reason="not the same")
        entries = AuditEntry.objects.filter(object_uuid=self.keep.uuid, action="update").order_by("at", "id")
        self.assertEqual(
            [sorted(e.detail) for e in entries],
            [
                ["merge", "merged", "moved", "not_moved"],
                ["merge", "moved_back", "not_moved_back", "unmerged"],
            ],
        )
        for entry in entries:
            self.assertNotIn("Nasr", str(entry.detail))
            self.assertNotIn("widow", str(entry.detail))

    def test_a_chain_of_merges_is_undone_from_the_last(self) -> None:
        third = self.person(
            "Nasreen", second_name="Bi", parentage_name="Rashid", age_years=33, household=self.other_household
        )
        first = person_merge(actor=self.supervisor, keep=self.remove, remove=third, reason="same")
        second = self.merge()
        third.refresh_from_db()
        self.assertEqual(third.merged_into, self.keep, "people merged into the removed record follow it")
        with self.assertRaises(ValidationError):
            person_unmerge(actor=self.supervisor, merge=first, reason="undo the first")
        person_unmerge(actor=self.supervisor, merge=second, reason="undo the second")
        third.refresh_from_db()
        self.assertEqual(third.merged_into, self.remove)
        person_unmerge(actor=self.supervisor, merge=first, reason="undo the first")
        third.refresh_from_db()
        self.assertTrue(third.is_active)

    def test_every_relation_to_a_person_is_found(self) -> None:
        names = {f"{model._meta.label_lower}.{field}" for model, field in person_links()}
        self.assertTrue(
            {
                "people.consent.person",
                "people.vulnerability.person",
                "people.household.head",
                "people.person.caregiver",
            }
            <= names
        )
        self.assertFalse({"people.personmatchkey.person", "people.personmerge.kept"} & names)
