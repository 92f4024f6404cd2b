"""The base for case tests: organisation A's caseworker with a case, a second caseworker, the supervisor."""

from __future__ import annotations

from hifazat.cases.testing import open_case, register_person
from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase, make_user

HTMX = {"HTTP_HX_REQUEST": "true"}


class CaseTestCase(HifazatTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.colleague_user = make_user(cls.org_a, Role.CASEWORKER, "a-caseworker-2")

    def setUp(self) -> None:
        self.caseworker = self.actor(self.a[Role.CASEWORKER])
        self.colleague = self.actor(self.colleague_user)
        self.supervisor = self.actor(self.a[Role.SUPERVISOR])
        self.person = register_person(self.caseworker)
        self.case = open_case(self.caseworker, self.person, summary="Widow offered work in Lahore")

    def url(self, name: str = "", obj=None) -> str:
        obj = obj or self.case
        return f"/cases/{obj.uuid}/{name + '/' if name else ''}"
