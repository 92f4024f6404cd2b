"""Where the machine lacks Pango (a fresh machine with Python alone), asking for a donor PDF says so on the page
(503), writes no audit entry, and the rest of Hifazat works as before."""

from __future__ import annotations

import contextlib
import sys
from importlib.abc import MetaPathFinder
from unittest import mock

from hifazat.campaigns.tests.base import CampaignTestCase
from hifazat.core.models import AuditEntry

from .donor_testing import build_campaign


class NoPango(MetaPathFinder):
    """Imports of WeasyPrint fail as they do where Pango is missing (cffi cannot open the library)."""

    def find_spec(self, name, path, target=None):
        if name.split(".")[0] == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': cannot open shared object file")
        return None


@contextlib.contextmanager
def without_pango():
    """WeasyPrint unloaded and its imports failing, as on a machine without Pango; all as it was afterwards."""
    with mock.patch.dict(sys.modules):
        for name in [name for name in sys.modules if name.split(".")[0] == "weasyprint"]:
            del sys.modules[name]
        sys.meta_path.insert(0, finder := NoPango())
        try:
            yield
        finally:
            sys.meta_path.remove(finder)


class WithoutPangoTests(CampaignTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_campaign(cls)

    def test_the_donor_is_told_the_server_cannot_make_pdfs_and_nothing_is_audited(self) -> None:
        url = f"/reporting/donor/campaigns/{self.campaign_.uuid}/?start=2006-02&end=2006-03&language=en"
        with without_pango():
            response = self.client_for(self.donor).get(url)
        self.assertContains(response, "needs Pango", status_code=503)
        self.assertContains(response, f'id="report-{self.campaign_.uuid}"', status_code=503)
        self.assertFalse(AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists())

    def test_the_message_reads_in_urdu(self) -> None:
        url = f"/reporting/donor/campaigns/{self.campaign_.uuid}/?start=2006-02&end=2006-03&language=ur"
        with without_pango():
            response = self.client_for(self.donor).get(url, HTTP_ACCEPT_LANGUAGE="ur")
        self.assertContains(response, "Pango", status_code=503)
        self.assertNotContains(response, "needs Pango", status_code=503)
