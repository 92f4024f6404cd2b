"""A caseworker opens a tracing request on a phone (360 × 740) in Urdu: the page fits the screen, the likely child
comes first with the comparison open, the unlikely ones are folded away (one tap opens them, and none of them can
be confirmed in one tap), the inquirer's phone number is a call link that reads left to right beside its label,
and the match is confirmed from the phone. Nothing leaves 127.0.0.1; no script error, no Content-Security-Policy
violation."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hifazat.core.audit import Actor
from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user
from hifazat.core.testing_browser import page_width, reads_left_to_right, sign_in, watch
from hifazat.tracing.testing import make_areas, make_request, register_child

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-results"
PHONE = {"width": 360, "height": 740}
# Children in the registry who share a name with the boy sought but not much else: other family or first names,
# ages, sexes and places of origin.
OTHERS = [
    ("Bilal", "Awan", False, 13),
    ("Bilal", "Qureshi", False, 15),
    ("Bilal", "Khan", False, 3),
    ("Bilal", "Abbasi", False, 16),
    ("Bilal", "Swati", False, 14),
    ("Sana", "Tanoli", True, 12),
    ("Rabia", "Tanoli", True, 4),
    ("Hamza", "Tanoli", False, 16),
    ("Asma", "Tanoli", True, 10),
]


def test_a_tracing_request_on_a_phone_in_urdu(live_server, page: Page) -> None:
    organisation = make_organisation("Organisation A", hosts_system=True)
    caseworker = make_user(organisation, Role.CASEWORKER, "caseworker")
    actor = Actor.for_user(caseworker)
    areas = make_areas()
    bilal = register_child(
        actor,
        "Bilal",
        "Tanoli",
        first_name_ur="بلال",
        age=9,
        origin=areas["balakot"],
        village="Garhi Dupatta",
    )
    for first, second, female, age in OTHERS:
        register_child(actor, first, second, female=female, age=age, origin=areas["muzaffarabad"])
    tracing = make_request(
        actor,
        "Bilal",
        second_name="Tanoli",
        gender="Masculine",
        age_years=9,
        origin_area=areas["balakot"],
        origin_village="Garhi Dupatta",
        phone="0300-1234567",
    )

    watched = watch(page)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, caseworker, language="ur")
    page.goto(f"{live_server.url}/tracing/{tracing.uuid}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_contain_text("تلاش کی درخواست")
    assert page_width(page) <= PHONE["width"]

    # The likely child first, with the comparison open and the confirmation at hand.
    likely = page.locator("article", has=page.locator(f"a[href='/tracing/children/{bilal.uuid}/']"))
    expect(likely).to_be_visible()
    expect(likely).to_contain_text("غالب مماثلت")
    expect(likely.locator("table")).to_be_visible()
    expect(likely.get_by_role("button", name="مماثلت کی تصدیق کریں")).to_be_visible()
    # The percentage reads left to right in the Urdu badge.
    assert likely.locator("bdi[dir=ltr]").first.inner_text().endswith("%")

    # Numbers, dates and codes inside Urdu sentences keep their order (they read reversed before).
    for value in ("A-T-2026-0001", "2005-10-08", "2005-10-14", "~2017"):
        assert reads_left_to_right(page, value), value

    # The others are folded: not on the screen, and the page is short enough to read on a phone.
    folded = page.locator("#unlikely-candidates")
    expect(folded).not_to_have_attribute("open", "")
    unlikely = folded.locator("article")
    assert unlikely.count() >= 5
    expect(unlikely.first).to_be_hidden()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4000, f"the page is {height} px long on a phone"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "tracing-request-urdu-phone.png"), full_page=True)
    folded.locator("summary").first.click()
    expect(unlikely.first).to_be_visible()
    expect(unlikely.first.locator("table")).to_be_hidden()  # each comparison one more tap away
    expect(folded.get_by_role("button", name="مماثلت کی تصدیق کریں")).to_have_count(0)
    assert page_width(page) <= PHONE["width"]

    # The phone number: a call link, left to right, on the line of its label.
    phone = page.locator("a[href^='tel:']")
    expect(phone).to_have_text("+923001234567")
    expect(phone).to_have_attribute("dir", "ltr")
    label = page.locator("dt", has_text="فون")
    label_box, value_box = label.bounding_box(), phone.bounding_box()
    assert abs(label_box["y"] - value_box["y"]) < label_box["height"], (label_box, value_box)
    assert value_box["x"] + value_box["width"] <= label_box["x"]  # right to left: the label, then the value

    # Confirm the match from the phone.
    likely.get_by_role("button", name="مماثلت کی تصدیق کریں").click()
    expect(page.locator("h1")).to_contain_text("ملاپ کی چیک لسٹ")
    assert page_width(page) <= PHONE["width"]
    assert watched.outside == [], watched.outside
    assert watched.problems == [], watched.problems
