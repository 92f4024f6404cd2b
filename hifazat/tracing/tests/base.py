"""A small registry for the tracing tests: separated children of organisation A, with and without tracing consent,
their namesakes, and organisation B's own separated child."""

from __future__ import annotations

from hifazat.core.roles import Role
from hifazat.core.testing import HifazatTestCase
from hifazat.tracing.testing import make_areas, register_child


class TracingTestCase(HifazatTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.areas = make_areas()
        cls.cw = cls.actor_of(cls.a[Role.CASEWORKER])
        cls.sup = cls.actor_of(cls.a[Role.SUPERVISOR])
        cls.cw_b = cls.actor_of(cls.b[Role.CASEWORKER])
        # The child the tests' mother is looking for, and a namesake from elsewhere.
        cls.bilal = register_child(
            cls.cw,
            "Bilal",
            "Tanoli",
            first_name_ur="بلال",
            second_name_ur="تنولی",
            age=9,
            origin=cls.areas["balakot"],
            village="Garhi Dupatta",
            parentage_word="son_of",
            parentage_name="Akbar Tanoli",
        )
        cls.namesake = register_child(cls.cw, "Bilal", "Awan", age=12, origin=cls.areas["muzaffarabad"])
        cls.saima = register_child(cls.cw, "Saima", "Awan", female=True, age=7, origin=cls.areas["mansehra"])
        # The same description, but no family-tracing consent (none recorded; declined): never candidates.
        cls.no_consent = register_child(
            cls.cw, "Bilal", "Tanoli", age=9, origin=cls.areas["balakot"], tracing_consent=None
        )
        cls.declined = register_child(
            cls.cw, "Bilal", "Tanoli", age=9, origin=cls.areas["balakot"], tracing_consent="declined"
        )
        # Living with his parents: not a separated child, never searched.
        cls.with_parents = register_child(
            cls.cw, "Bilal", "Tanoli", age=9, origin=cls.areas["balakot"], child_status="with_parents"
        )
        # Organisation B's separated child of the same name.
        cls.other_org = register_child(cls.cw_b, "Bilal", "Tanoli", age=9, origin=cls.areas["balakot"])
        cls.hidden = [cls.no_consent, cls.declined, cls.with_parents, cls.other_org]

    @staticmethod
    def actor_of(user):
        from hifazat.core.audit import Actor

        return Actor.for_user(user)
