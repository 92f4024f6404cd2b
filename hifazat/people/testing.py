"""Helpers for tests of the people part and the parts that build on it."""

from __future__ import annotations

from hifazat.geography.models import AdminArea, Site


def make_site(code: str = "ISB-H11", name: str = "H-11 Relief Camp") -> Site:
    country, _ = AdminArea.objects.get_or_create(pcode="PK", defaults={"name": "Pakistan", "level": 0})
    province, _ = AdminArea.objects.get_or_create(
        pcode="PK7", defaults={"name": "ICT", "level": 1, "parent": country}
    )
    district, _ = AdminArea.objects.get_or_create(
        pcode="PK701", defaults={"name": "Islamabad", "level": 2, "parent": province}
    )
    site, _ = Site.objects.get_or_create(
        code=code, defaults={"name": name, "site_type": "relief_camp", "area": district}
    )
    return site
