"""What every browser journey does first: sign a user in without the login form, and watch the page for
requests that leave the server, script errors and Content-Security-Policy violations.

    watched = watch(page)
    sign_in(page, live_server, caseworker, language="ur")
    ...
    assert watched.outside == [], watched.outside
    assert watched.problems == [], watched.problems
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from playwright.sync_api import ConsoleMessage, Page, Route

from hifazat.core.testing import signed_in_client

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})


def sign_in(page: Page, live_server, user, *, language: str | None = None) -> None:
    """Sign ``user`` in (verified by a second factor where their role needs one), replacing whoever was: the
    page's cookies are cleared first. With ``language`` (``"ur"``), the pages come in that language."""
    client = signed_in_client(user)
    cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    if language:
        cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": name, "value": value, "url": live_server.url} for name, value in cookies.items()]
    )


@dataclass
class Watched:
    """What a page did while watched: ``requested``, every URL it asked for; ``outside``, those on another
    host than the live server's (refused, never sent); ``problems``, script errors, console errors and
    Content-Security-Policy violations."""

    requested: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def watch(page: Page) -> Watched:
    """Refuse every request to another host than 127.0.0.1 or localhost, and record it, with every console
    error, Content-Security-Policy message and uncaught script error, in the ``Watched`` returned."""
    watched = Watched()

    def route(route: Route) -> None:
        url = route.request.url
        watched.requested.append(url)
        if urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            watched.outside.append(url)
            route.abort()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            where = message.location.get("url", "") or page.url
            watched.problems.append(f"{message.text[:400]} ({where})")

    page.route("**/*", route)
    page.on("console", on_console)
    page.on("pageerror", lambda error: watched.problems.append(str(error)))
    return watched


_READS_LEFT_TO_RIGHT = """(value) => {
  // Where the text of <main> holds ``value``: is each character drawn to the right of the one before it?
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(value);
    if (at < 0) continue;
    const xs = [...value].map((_, i) => {
      const range = document.createRange();
      range.setStart(node, at + i);
      range.setEnd(node, at + i + 1);
      return range.getBoundingClientRect();
    }).filter((box) => box.width > 0).map((box) => box.x);
    return xs.every((x, i) => i === 0 || x > xs[i - 1]);
  }
  return null;
}"""


def reads_left_to_right(page: Page, value: str) -> bool | None:
    """Whether ``value`` (a phone number, a plate), where the page's <main> shows it, reads left to right, as
    it must inside right-to-left Urdu; ``None`` where the page does not show it."""
    return page.evaluate(_READS_LEFT_TO_RIGHT, value)


def page_width(page: Page) -> int:
    """The page's laid-out width in CSS pixels, read once it has loaded and its fonts have arrived: a width read
    before the Urdu font is in is the fallback font's, and can differ from what the reader sees."""
    page.wait_for_load_state("load")
    return page.evaluate("() => document.fonts.ready.then(() => document.documentElement.scrollWidth)")
