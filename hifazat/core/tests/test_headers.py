"""Security headers on every page; no caching of pages that a signed-in user sees."""

from __future__ import annotations

from django.test import Client

from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase


class HeaderTests(HifazatTestCase):
    def test_content_security_policy_allows_no_inline_script(self) -> None:
        response = Client().get("/accounts/login/")
        policy = response["Content-Security-Policy"]
        self.assertIn("script-src 'self'", policy)
        self.assertNotIn("unsafe-inline", policy)
        self.assertIn("frame-ancestors 'none'", policy)
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "same-origin")

    def test_pages_of_a_signed_in_user_are_not_stored(self) -> None:
        client = self.client_for(self.a[Role.CASEWORKER])
        for url in ("/", "/sites/", "/profile/", "/api/v1/sites/"):
            self.assertIn("no-store", client.get(url)["Cache-Control"], url)

    def test_pages_hold_no_inline_script(self) -> None:
        body = self.client_for(self.a[Role.CASEWORKER]).get("/sites/").content.decode()
        for chunk in body.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            self.assertTrue(
                "src=" in tag or 'type="application/json"' in tag, f"inline script: <script{tag}>"
            )
