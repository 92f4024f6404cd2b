"""The plug-in hooks: a part declares one, others register on it from their hooks.py, tests register for a block."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.test import SimpleTestCase

from hifazat.core import hooks
from hifazat.core.navigation import NAVIGATION


def first(actor):
    return ["first"]


def second(actor):
    return ["second"]


@dataclass(frozen=True)
class Entry:
    code: str
    title: str


class HookTests(SimpleTestCase):
    def setUp(self) -> None:
        # A fresh name per test: hooks are process-wide, like the parts' own.
        self.name = f"test.{uuid.uuid4().hex}"
        self.hook = hooks.define(self.name, "``source(actor) -> list[str]``: lines for a test page.")

    def test_an_unknown_hook_name_is_a_clear_error(self) -> None:
        for use in (
            lambda: hooks.register("test.no_such_hook", first),
            lambda: hooks.get("test.no_such_hook"),
            lambda: hooks.temporarily("test.no_such_hook", first),
        ):
            with self.assertRaisesRegex(hooks.UnknownHook, "no hook named 'test.no_such_hook'.*hooks.define"):
                use()

    def test_the_declaration_keeps_its_docstring_and_a_second_declaration_is_the_same_hook(self) -> None:
        self.assertIn("source(actor) -> list[str]", self.hook.__doc__)
        self.assertIs(hooks.define(self.name, "another text"), self.hook)
        self.assertIs(hooks.hook(self.name), self.hook)

    def test_contributions_come_in_registration_order(self) -> None:
        hooks.register(self.name, second)
        hooks.register(self.name, first)
        self.assertEqual(hooks.get(self.name), [second, first])
        self.assertEqual(list(self.hook), [second, first])

    def test_register_decorates_and_returns_the_function(self) -> None:
        @hooks.register(self.name)
        def third(actor):
            return ["third"]

        @self.hook.register
        def fourth(actor):
            return ["fourth"]

        self.assertEqual(third(None), ["third"])  # still the function, not a wrapper
        self.assertEqual(self.hook.get(), [third, fourth])

    def test_registering_twice_keeps_one(self) -> None:
        hooks.register(self.name, first)
        hooks.register(self.name, second)
        hooks.register(self.name, first)
        self.assertEqual(hooks.get(self.name), [first, second])

    def test_with_a_key_a_second_registration_replaces_the_first_in_its_place(self) -> None:
        keyed = hooks.define(f"{self.name}.keyed", "An ``Entry``.", key=lambda entry: entry.code)
        keyed.register(Entry("a", "A"))
        keyed.register(Entry("b", "B"))
        keyed.register(Entry("a", "A, renamed"))
        self.assertEqual(keyed.get(), [Entry("a", "A, renamed"), Entry("b", "B")])

    def test_get_returns_a_copy(self) -> None:
        self.hook.register(first)
        self.hook.get().append(second)
        self.assertEqual(self.hook.get(), [first])

    def test_temporarily_adds_for_the_block_and_restores(self) -> None:
        self.hook.register(first)
        with hooks.temporarily(self.name, second):
            self.assertEqual(self.hook.get(), [first, second])
        self.assertEqual(self.hook.get(), [first])

    def test_temporarily_only_replaces_all_for_the_block(self) -> None:
        self.hook.register(first)
        with self.hook.temporarily(second, only=True):
            self.assertEqual(self.hook.get(), [second])
        with self.hook.temporarily(only=True):
            self.assertEqual(self.hook.get(), [])
        self.assertEqual(self.hook.get(), [first])

    def test_temporarily_restores_after_an_error_and_undoes_registrations_made_inside(self) -> None:
        self.hook.register(first)
        with self.assertRaises(RuntimeError), self.hook.temporarily(second):
            self.hook.register(lambda actor: [])
            raise RuntimeError("the test failed half way")
        self.assertEqual(self.hook.get(), [first])

    def test_every_part_registers_through_its_hooks_module_in_the_order_of_the_parts(self) -> None:
        url_names = {section.url_name for section in NAVIGATION}
        self.assertLessEqual({"people:person_list", "cases:case_list", "notifications:work"}, url_names)
        parts = [source.__module__.split(".")[1] for source in hooks.get("people.timeline")]
        self.assertLessEqual(
            {"people", "screening", "cases", "referrals", "tracing", "livelihoods"}, set(parts)
        )
        installed = [name.split(".")[1] for name in settings.INSTALLED_APPS if name.startswith("hifazat.")]
        self.assertEqual(parts, sorted(parts, key=installed.index))
