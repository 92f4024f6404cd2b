"""The web kit (``core.web``): a form page's POST and a record's action answer the same way in every part."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.test import RequestFactory, SimpleTestCase, override_settings

from hifazat.core.access import ExplainedRefusal
from hifazat.core.versioning import EditConflict
from hifazat.core.web import act, form_errors_text, go, page_of, refusal_text, show_errors, submitted


class ReasonForm(forms.Form):
    reason = forms.CharField()
    version = forms.IntegerField(required=False)


class NotAllowed(ExplainedRefusal):
    reason = "The person's consent for referral is not in force."


def request(method: str = "post", data: dict | None = None, **headers):
    made = getattr(RequestFactory(), method)("/somewhere/", data or {}, **headers)
    made._messages = CookieStorage(made)
    made.htmx = headers.get("HTTP_HX_REQUEST") == "true"
    return made


def said(made) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in made._messages]


class SubmittedTests(SimpleTestCase):
    def test_nothing_happens_on_a_get_or_an_invalid_form(self) -> None:
        calls = []
        self.assertIsNone(submitted(request("get"), ReasonForm(None), calls.append, done="Done.", then="/x/"))
        invalid = ReasonForm({"reason": ""})
        self.assertIsNone(submitted(request(), invalid, calls.append, done="Done.", then="/x/"))
        self.assertEqual(calls, [])
        self.assertIn("reason", invalid.errors)

    def test_done_says_so_and_goes_to_the_record_written(self) -> None:
        made = request(data={"reason": "moved"})
        response = submitted(
            made,
            ReasonForm(made.POST),
            lambda data: data["reason"].upper(),
            done=lambda result: f"Saved: {result}.",
            then=lambda result: f"/records/{result}/",
        )
        self.assertEqual((response.status_code, response["Location"]), (302, "/records/MOVED/"))
        self.assertEqual(said(made), [("success", "Saved: MOVED.")])

    def test_an_htmx_post_is_sent_to_the_whole_page(self) -> None:
        made = request(data={"reason": "x"}, HTTP_HX_REQUEST="true")
        response = submitted(made, ReasonForm(made.POST), lambda data: None, done="Done.", then="/x/")
        self.assertEqual((response.status_code, response["HX-Redirect"]), (200, "/x/"))

    def test_a_refusal_goes_beside_the_field_it_names_or_above_the_form(self) -> None:
        made = request(data={"reason": "x"})
        form = ReasonForm(made.POST)

        def refuse(data):
            raise ValidationError({"reason": "Too short.", "household": "Not yours."})

        self.assertIsNone(submitted(made, form, refuse, done="Done.", then="/x/"))
        self.assertEqual(form.errors["reason"], ["Too short."])
        self.assertEqual(form.non_field_errors(), ["Not yours."])  # a field the form does not show
        self.assertEqual(said(made), [])

    def test_a_refusal_named_in_refusals_is_said_in_its_words_on_the_form(self) -> None:
        made = request(data={"reason": "x"})
        form = ReasonForm(made.POST)

        def refuse(data):
            raise NotAllowed

        submitted(made, form, refuse, done="Done.", then="/x/", refusals={NotAllowed: "Record the consent."})
        self.assertEqual(form.non_field_errors(), ["Record the consent."])
        with self.assertRaises(PermissionDenied):  # not named: a 403, as before
            submitted(made, ReasonForm(made.POST), refuse, done="Done.", then="/x/")


class ActTests(SimpleTestCase):
    def test_an_invalid_form_says_what_is_missing_and_goes_back(self) -> None:
        made = request(data={})
        response = act(made, ReasonForm(made.POST), lambda data: None, done="Done.", back="/back/")
        self.assertEqual(response["Location"], "/back/")
        self.assertEqual(said(made), [("error", "This field is required.")])
        made = request(data={})
        act(
            made,
            ReasonForm(made.POST),
            lambda data: None,
            done="Done.",
            back="/back/",
            invalid="Give a reason.",
        )
        self.assertEqual(said(made), [("error", "Give a reason.")])

    def test_a_refusal_is_said_and_done_is_said_then_on_to_then(self) -> None:
        made = request()

        def refuse(data):
            raise ValidationError(["Closed.", "Reopen it first."])

        response = act(made, None, refuse, done="Done.", back="/back/", then="/next/")
        self.assertEqual(
            (response["Location"], said(made)), ("/back/", [("error", "Closed. Reopen it first.")])
        )
        made = request()
        response = act(made, None, lambda data: 3, done=lambda n: f"{n} found.", back="/back/", then="/next/")
        self.assertEqual((response["Location"], said(made)), ("/next/", [("success", "3 found.")]))

    def test_a_level_can_be_given_with_what_is_said(self) -> None:
        made = request()
        act(made, None, lambda data: None, done=(messages.WARNING, "Over the budget."), back="/back/")
        self.assertEqual(said(made), [("warning", "Over the budget.")])

    def test_a_stale_edit_shows_the_page_again_with_what_was_typed(self) -> None:
        made = request(data={"reason": "Typed with care", "version": "3"})

        def stale(data):
            raise EditConflict

        shown = []
        response = act(
            made,
            ReasonForm(made.POST),
            stale,
            done="Done.",
            back="/back/",
            conflict=lambda form: shown.append(form) or HttpResponse(form["reason"].value()),
        )
        self.assertEqual((response.status_code, response.content), (409, b"Typed with care"))
        self.assertIn("Someone else changed this record", shown[0].non_field_errors()[0])
        # Without a page to show again, the conflict is said like any refusal.
        made = request(data={"reason": "x"})
        response = act(made, ReasonForm(made.POST), stale, done="Done.", back="/back/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("Someone else changed this record", said(made)[0][1])


class HelperTests(SimpleTestCase):
    @override_settings(HIFAZAT_PAGE_SIZE=5)
    def test_page_of_reads_the_page_asked_for_and_falls_back_to_a_real_one(self) -> None:
        rows = list(range(12))
        self.assertEqual(list(page_of(request("get", {"page": "2"}), rows).object_list), [5, 6, 7, 8, 9])
        self.assertEqual(page_of(request("get", {"page": "99"}), rows).number, 3)
        self.assertEqual(page_of(request("get", {"page": "x"}), rows).number, 1)

    def test_texts_of_refusals_and_forms(self) -> None:
        self.assertEqual(refusal_text(ValidationError(["One.", "Two."])), "One. Two.")
        self.assertEqual(refusal_text(NotAllowed(), {PermissionDenied: "You may not."}), "You may not.")
        form = ReasonForm({"reason": "", "version": "x"})
        form.is_valid()
        self.assertEqual(form_errors_text(form), "This field is required. Enter a whole number.")
        form = ReasonForm({"reason": "x"})
        form.is_valid()
        show_errors(form, ValidationError("Closed."))
        self.assertEqual(form.non_field_errors(), ["Closed."])

    def test_go_names_a_view_a_url_or_a_record(self) -> None:
        class Record:
            def get_absolute_url(self) -> str:
                return "/records/1/"

        self.assertEqual(go(request(), Record())["Location"], "/records/1/")
        self.assertEqual(go(request(), "/plain/")["Location"], "/plain/")
        self.assertEqual(go(request(), "core:home")["Location"], "/")
