"""The menu offers each role only what the permission matrix lets it open, grouped by weight band."""

from __future__ import annotations

from hifazat.core.navigation import NAVIGATION, menu_for, navigation_for
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase


class NavigationTests(HifazatTestCase):
    def test_no_entry_answers_403_to_the_role_it_is_offered_to(self) -> None:
        for role in Role:
            client = self.client_for(self.a[role])
            for section in navigation_for(self.actor(self.a[role])):
                with self.subTest(role=role, section=section.url_name):
                    self.assertEqual(client.get(section.url).status_code, 200)

    def test_a_donor_sees_no_registry(self) -> None:
        urls = {s.url_name for s in navigation_for(self.actor(self.a[Role.DONOR_VIEWER]))}
        self.assertNotIn("people:person_list", urls)
        self.assertIn("notifications:work", urls)

    def test_entries_are_grouped_by_weight_band_in_order(self) -> None:
        groups = menu_for(self.actor(self.a[Role.SUPERVISOR]))
        self.assertIsNone(groups[0].title)  # the user's own work comes first, ungrouped
        registry = next(g for g in groups if str(g.title) == "Registry")
        self.assertEqual(registry.sections[0].url_name, "people:person_list")
        weights = [s.weight for g in groups for s in g.sections]
        self.assertEqual(weights, sorted(weights))
        self.assertEqual(len({s.url_name for s in NAVIGATION}), len(NAVIGATION))
