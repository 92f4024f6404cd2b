"""Map tooltips show a site's name as text: a name written as HTML stays characters on the screen and never
becomes an element (Leaflet's ``bindTooltip`` reads a string as HTML)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hifazat.core.roles import Role
from hifazat.core.testing import make_organisation, make_user
from hifazat.core.testing_browser import sign_in
from hifazat.geography.models import Site
from hifazat.people.testing import make_site

HOSTILE = "<img src=x onerror=alert(1)>"
STATIC = Path(__file__).resolve().parents[3]
MAP_SCRIPTS = [
    STATIC / "static/hifazat/site_map.js",
    STATIC / "hifazat/monitoring/static/monitoring/report_map.js",
]


def test_every_map_script_gives_its_tooltips_text_not_html() -> None:
    for script in MAP_SCRIPTS:
        source = script.read_text(encoding="utf-8")
        calls = re.findall(r"bindTooltip\(([^)]*)\)", source)
        assert calls == ["label"], (script.name, calls)
        assert "label.textContent = feature.properties.name" in source, script.name
        assert "innerHTML" not in source, script.name


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_site_named_with_html_is_shown_as_text_on_the_map(live_server, page: Page) -> None:
    organisation = make_organisation("Organisation A", hosts_system=True)
    user = make_user(organisation, Role.CASEWORKER, "caseworker")
    site = make_site("ISB-H11", HOSTILE)
    Site.objects.filter(pk=site.pk).update(latitude=Decimal("33.656"), longitude=Decimal("72.987"))
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    sign_in(page, live_server, user)
    page.goto(f"{live_server.url}/sites/{site.uuid}/")
    marker = page.locator("#site-map path.leaflet-interactive").first
    expect(marker).to_be_attached()
    marker.hover(force=True)
    tooltip = page.locator(".leaflet-tooltip")
    expect(tooltip).to_have_text(HOSTILE)
    expect(tooltip.locator("img")).to_have_count(0)
    marker.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_have_text(HOSTILE)
    expect(popup.locator("img")).to_have_count(0)
    assert dialogs == []
