"""The Urdu catalogue: compiled from its .po by the project's own compiler, and used by the pages."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from hifazat.core.audit import Actor
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.core.translations import catalogues, compile_catalogue, mo_bytes, parse_po
from hifazat.geography.models import AdminArea, Site

ROOT = Path(__file__).resolve().parents[3]
# The project's catalogue and every part's own (``hifazat/<part>/locale``): Django reads a part's catalogue from
# its folder, and each is held to the same checks here. A part's own test checks only that its strings are used.
CATALOGUES = catalogues(ROOT)
URDU = [po for po in CATALOGUES if "/ur/" in po.as_posix()]


def test_the_catalogues_are_found() -> None:
    assert ROOT / "locale/ur/LC_MESSAGES/django.po" in URDU
    assert len(URDU) > 5, URDU


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: str(po.relative_to(ROOT)))
def test_the_committed_mo_file_matches_its_po_file(po: Path) -> None:
    assert po.with_suffix(".mo").read_bytes() == compile_catalogue(po), f"recompile {po.with_suffix('.mo')}"


@pytest.mark.parametrize("po", URDU, ids=lambda po: str(po.relative_to(ROOT)))
def test_every_urdu_entry_is_translated(po: Path) -> None:
    text = po.read_text(encoding="utf-8")
    body = text.split("\n\n", 1)[1]
    assert 'msgstr ""\n\n' not in body and not body.rstrip().endswith('msgstr ""'), (
        "an entry has no translation"
    )
    assert 'msgstr[0] ""' not in body and 'msgstr[1] ""' not in body, "a plural has no translation"
    assert "#, fuzzy" not in text


def test_pages_strings_are_urdu_in_urdu() -> None:
    with translation.override("ur"):
        assert translation.gettext("Sites") != "Sites"
        assert translation.get_language_bidi()


def test_the_compiler_reads_plurals_contexts_and_skips_fuzzy_entries() -> None:
    po = """msgid ""
msgstr "Content-Type: text/plain; charset=UTF-8\\n"

msgctxt "site"
msgid "Open"
msgstr "کھلا"

msgid "one record"
msgid_plural "%(n)s records"
msgstr[0] "ایک ریکارڈ"
msgstr[1] "%(n)s ریکارڈ"

#, fuzzy
msgid "Draft"
msgstr "مسودہ"
"""
    messages = parse_po(po)
    assert messages["site\x04Open"] == "کھلا"
    assert messages["one record\x00%(n)s records"] == "ایک ریکارڈ\x00%(n)s ریکارڈ"
    assert "Draft" not in messages
    assert mo_bytes(messages)[:4] == b"\xde\x12\x04\x95"


# --- Every main page, as every role, in Urdu: no English sentence of the catalogues left untranslated ----------


class _VisibleText(HTMLParser):
    """The text a reader sees (and hears: labels, placeholders, titles), without what is marked as being in
    another language (``lang="en"``: the language switch) and without scripts and styles."""

    SKIP = {"script", "style", "template"}
    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []

    def _hidden(self) -> bool:
        return any(hidden for _tag, hidden in self.stack)

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        hidden = tag in self.SKIP or (attrs.get("lang") not in (None, "ur"))
        if not hidden and not self._hidden():
            for name in ("placeholder", "title", "aria-label", "alt"):
                if attrs.get(name):
                    self.texts.append(attrs[name])
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.texts.append(attrs["value"])
        if tag not in self.VOID:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data) -> None:
        if data.strip() and not self._hidden():
            self.texts.append(" ".join(data.split()))


def visible_texts(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    return parser.texts


class _RightToLeftText(_VisibleText):
    """The visible text that is laid out right to left: outside any element marked left to right (``dir="ltr"``,
    ``<bdi dir="ltr">``, the ``hz-ltr`` class) and outside left-to-right isolates (U+2066 ... U+2069)."""

    def __init__(self) -> None:
        super().__init__()
        self.ltr: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs) -> None:
        values = dict(attrs)
        marked = values.get("dir") == "ltr" or "hz-ltr" in (values.get("class") or "").split()
        if tag not in self.VOID:
            self.ltr.append((tag, marked))
        super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag) -> None:
        while self.ltr:
            if self.ltr.pop()[0] == tag:
                break
        super().handle_endtag(tag)

    def handle_data(self, data) -> None:
        if not any(marked for _tag, marked in self.ltr):
            super().handle_data(re.sub("\u2066[^\u2069]*\u2069", " ", data))


# Digits joined by a separator: a phone number, a date, a time, a range. Laid out right to left after Urdu
# letters, their parts swap places ("0800-44333" reads "44333-0800"). A code that starts with Latin letters
# (a record number, "IMPO-R-2006-0012") keeps its order by itself: the letters set its direction.
NUMBER_WITH_PARTS = re.compile(r"(?<![A-Za-z0-9-])\d+(?:[-/:.,]\d+)+")


def numbers_read_right_to_left(html: str) -> set[str]:
    parser = _RightToLeftText()
    parser.feed(html)
    return {number for text in parser.texts for number in NUMBER_WITH_PARTS.findall(text)}


def english_sources() -> list[tuple[str, re.Pattern]]:
    """Every English string that the catalogues translate into Urdu, as a pattern (placeholders match any
    text), longest first. Strings the Urdu keeps as they are (names of standards, "SMS") are left out, and so are
    one-word strings shorter than five letters, which data may hold by chance."""
    sources = {}
    for po in catalogues(ROOT):
        if "/ur/" not in str(po):
            continue
        for key, value in parse_po(po.read_text(encoding="utf-8")).items():
            if not key or "\x04" in key:
                key = key.split("\x04", 1)[-1]
            for english, urdu in zip(key.split("\x00"), value.split("\x00") * 2, strict=False):
                if not english or english == urdu or not re.search(r"[a-z]", english):
                    continue
                words = re.findall(r"[A-Za-z']+", re.sub(r"%\(\w+\)[sd]|\{\{ *\w+ *\}\}", "", english))
                if len(words) < 2 and len(english) < 5:
                    continue
                parts = re.split(r"%\(\w+\)[sd]|%[sd]", english)
                pattern = r".+?".join(re.escape(p) for p in parts)
                sources[english] = re.compile(rf"(?<![A-Za-z]){pattern}(?![A-Za-z])")
    return sorted(sources.items(), key=lambda item: -len(item[0]))


def untranslated(html: str, sources: list[tuple[str, re.Pattern]]) -> set[str]:
    found = set()
    for text in visible_texts(html):
        for english, pattern in sources:  # longest first: a sentence is reported once, not its parts too
            if " " not in english.strip():
                if text == english:  # a single word: only as the whole text of an element
                    found.add(english)
            elif pattern.search(text):
                found.add(english)
                text = pattern.sub("\x00", text)
    return found


# Words in Latin letters that an Urdu page may show: the test's data (people, users, organisations, the sites'
# codes), proper names (messaging platforms, HTCDS picklist values that are brand names) and "P-code".
LATIN = {
    *("Nasreen", "Bibi", "Ayesha", "Bilal", "Parveen", "Organisation", "ISB-H11", "T-14", "P-code", "PK"),
    *(f"{role.title()}" for role in Role),
    *(f"a-{role}" for role in Role),
    *("Facebook", "Messenger", "Instagram", "Line", "Qzone", "Snapchat", "Telegram", "Twitter", "Viber"),
    *("WeChat", "WhatsApp", "Sale", "VK", "Skype", "TikTok", "Signal", "IMO", "LinkedIn", "Tinder"),
}


@pytest.mark.django_db
class UrduPagesTests(HifazatTestCase):
    """The main pages of every role, with data on them, in Urdu: any English sentence that the catalogues know
    and that shows untranslated fails (a string not marked for translation, a sentence built in code, a label
    read from data in English)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        from hifazat.cases.services import case_open
        from hifazat.monitoring import services as monitoring
        from hifazat.people import services as people
        from hifazat.people.testing import make_site
        from hifazat.tracing.testing import make_request

        cls.site = make_site()
        AdminArea.objects.filter(pk=cls.site.area_id).update(name_ur="اسلام آباد")
        AdminArea.objects.filter(pcode="PK7").update(name_ur="وفاقی دارالحکومت")
        AdminArea.objects.filter(pcode="PK").update(name_ur="پاکستان")
        Site.objects.filter(pk=cls.site.pk).update(name_ur="ایچ الیون ریلیف کیمپ")
        caseworker = Actor.for_user(cls.a[Role.CASEWORKER])
        household = people.household_register(actor=caseworker, site=cls.site, shelter_number="T-14")
        cls.person = people.person_register(
            actor=caseworker,
            household=household,
            relationship_to_head="head",
            first_name="Nasreen",
            second_name="Bibi",
            gender="Feminine",
            marital_status="Widowed",
            age_years=32,
            disability="seeing",
            phone="0300-1234567",
        )
        people.person_register(
            actor=caseworker,
            household=household,
            relationship_to_head="child",
            first_name="Ayesha",
            gender="Feminine",
            age_years=9,
            consent_given_by="caregiver",
            consent_given_by_name="Nasreen Bibi",
            child_view="agrees",
        )
        cls.household = household
        cls.case = case_open(actor=caseworker, person=cls.person, origin="walk_in", summary="")
        cls.tracing = make_request(caseworker, "Bilal", gender="Masculine", age_years=9)
        focal = Actor.for_user(cls.a[Role.MONITORING_FOCAL_POINT])
        monitoring.reporter_register(actor=focal, user=cls.a[Role.NETWORK_REPORTER], kind="medical_staff")
        cls.report = monitoring.report_submit(
            actor=Actor.for_user(cls.a[Role.NETWORK_REPORTER]),
            kind="recruiter_seen",
            occurred_on=datetime.date(2006, 1, 10),
            description="ایک آدمی نے لڑکیوں کو لاہور میں نوکری کی پیشکش کی۔",
            site=cls.site,
            traces={"phone": ["0300-7654321"]},
        )

    def pages(self) -> list[str]:
        return [
            "/",
            "/work/",
            "/people/",
            f"/people/{self.person.uuid}/",
            "/households/",
            f"/households/{self.household.uuid}/",
            "/cases/",
            f"/cases/{self.case.uuid}/",
            "/referrals/sent/",
            "/services/providers/",
            "/tracing/",
            f"/tracing/{self.tracing.uuid}/",
            "/monitoring/reports/",
            f"/monitoring/reports/{self.report.uuid}/",
            "/campaigns/",
            "/livelihoods/",
            "/sites/",
            f"/sites/{self.site.uuid}/",
            "/organisations/",
            f"/organisations/{self.org_a.uuid}/",
            "/notifications/",
            "/profile/",
        ]

    def urdu_pages(self) -> Iterator[tuple[str, str, bool]]:
        """Each main page as each role that may open it, then the public pages, in Urdu: (which, html, signed
        in). Fails unless most roles' pages were really rendered."""
        seen = 0
        for role in Role:
            client = self.client_for(self.a[role])
            for url in self.pages():
                response = client.get(url, HTTP_ACCEPT_LANGUAGE="ur")
                if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                    continue
                seen += 1
                self.assertIn('lang="ur"', response.content.decode()[:200], url)
                yield f"{role} {url}", response.content.decode(), True
        self.assertGreater(seen, 60)
        for url in (reverse("campaigns:public") + "?lang=ur", reverse("monitoring:tip") + "?lang=ur"):
            response = Client().get(url)
            self.assertEqual(response.status_code, 200, url)
            yield f"public {url}", response.content.decode(), False

    def test_the_main_pages_of_every_role_have_no_english_left_in_urdu(self) -> None:
        sources = english_sources()
        problems: dict[str, set[str]] = {}
        for which, html, signed_in in self.urdu_pages():
            found = untranslated(html, sources)
            # A place with an Urdu name is named in Urdu (lists, choices, pages); and nothing else in Latin
            # letters shows but the data (names of people, users, organisations) and proper names.
            for text in visible_texts(html) if signed_in else ():
                found |= {name for name in ("H-11 Relief Camp", "Islamabad") if name in text}
                found |= {
                    word
                    for word in re.findall(r"[A-Za-z][A-Za-z_-]+", text)
                    if word not in LATIN and not word.isupper()  # acronyms and codes: CSV, CNIC, ISB-H
                }
            if found:
                problems[which] = found
        self.maxDiff = None
        self.assertEqual(problems, {})

    def test_every_number_with_parts_reads_left_to_right_on_urdu_pages(self) -> None:
        problems = {
            which: found
            for which, html, _ in self.urdu_pages()
            if (found := numbers_read_right_to_left(html))
        }
        self.maxDiff = None
        self.assertEqual(problems, {})

    def test_the_check_finds_a_number_left_to_the_urdu_around_it(self) -> None:
        page = (
            '<p>فون 0800-44333</p><p>تاریخ <bdi dir="ltr">2005-10-08</bdi></p>'
            '<dd class="hz-ltr"><a>0300-1234567</a></dd><p>عمر \u20662006-01-10\u2069 سال 32</p>'
        )
        self.assertEqual(numbers_read_right_to_left(page), {"0800-44333"})

    def test_the_check_finds_an_english_sentence_and_a_generated_one(self) -> None:
        sources = english_sources()
        page = '<p>Family tracing</p><p>woman aged 32, widowed</p><p lang="en">English</p><p>نسرین</p>'
        self.assertEqual(untranslated(page, sources), {"Family tracing", "woman aged %(age)s, %(status)s"})
