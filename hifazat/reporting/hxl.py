"""Who does what where (3W) as an HXL-tagged table: organisations, the services their service points offer, the
areas those cover, and the sites they manage.

The first row names the columns for people, the second holds the HXL hashtags (HXL 1.1: ``#org``, ``#sector``,
``#adm1``, ``#adm2`` with attributes such as ``+name``, ``+code``, ``+type``), so that HDX, the HXL Proxy and
any HXL tool read the table without a mapping.

Two versions. **For publication** (the default): no place finer than admin level 2; a service point's coverage of a
tehsil counts as its district, and what is at one place (service points, sites) is named only by its district, so
that a safe house's location never leaves; rows that say the same are merged. **For partners in the response**:
the service point and the site by name, and the admin level 3 area where coverage was recorded that finely. No
version carries contact persons, phone numbers, e-mail addresses, street addresses or opening hours.
"""

from __future__ import annotations

from dataclasses import dataclass

from hifazat.accounts.models import OrganisationType
from hifazat.core import disclosure
from hifazat.core.audit import Actor
from hifazat.geography.models import AdminArea, SiteType
from hifazat.geography.selectors import sites_visible_to
from hifazat.referrals.models import ServiceType
from hifazat.referrals.selectors import providers_visible_to


@dataclass(frozen=True)
class HxlColumn:
    header: str
    hashtag: str
    public: bool = True


# The humanitarian cluster (IASC) of each service type: what #sector+cluster holds.
CLUSTER = {
    ServiceType.MEDICAL: "Health",
    ServiceType.PSYCHOSOCIAL: "Protection",
    ServiceType.SHELTER: "Shelter",
    ServiceType.LEGAL_AID: "Protection",
    ServiceType.POLICE: "Protection",
    ServiceType.EDUCATION: "Education",
    ServiceType.LIVELIHOOD: "Early Recovery",
    ServiceType.FAMILY_TRACING: "Protection",
}
SITE_MANAGEMENT = ("Camp Coordination and Camp Management", "site_management", "Site management")

COLUMNS = (
    HxlColumn("Organisation", "#org+name"),
    HxlColumn("Organisation (short name)", "#org+acronym"),
    HxlColumn("Organisation type", "#org+type"),
    HxlColumn("Cluster", "#sector+cluster+name"),
    HxlColumn("Activity code", "#activity+code"),
    HxlColumn("Activity", "#activity+name"),
    HxlColumn("Service point or site", "#loc+name", public=False),
    HxlColumn("Site type", "#loc+type", public=False),
    HxlColumn("Accepting referrals now", "#status+referrals"),
    HxlColumn("Country", "#country+code+v_iso2"),
    HxlColumn("Province", "#adm1+name"),
    HxlColumn("Province P-code", "#adm1+code"),
    HxlColumn("District", "#adm2+name"),
    HxlColumn("District P-code", "#adm2+code"),
    HxlColumn("Tehsil", "#adm3+name", public=False),
    HxlColumn("Tehsil P-code", "#adm3+code", public=False),
)


def columns(*, public: bool) -> list[HxlColumn]:
    return [c for c in COLUMNS if c.public or not public]


def _chain(area: AdminArea, areas: dict[int, AdminArea]) -> dict[int, AdminArea]:
    chain, node = {}, area
    while node is not None:
        chain[node.level] = node
        node = areas.get(node.parent_id) if node.parent_id else None
    return chain


def _place(area: AdminArea, areas: dict[int, AdminArea], *, public: bool) -> dict[str, str]:
    chain = _chain(area, areas)
    if public:  # no place finer than admin level 2
        chain = {level: node for level, node in chain.items() if level <= disclosure.PUBLIC_LEVEL}
    country = chain.get(0)
    place = {"#country+code+v_iso2": country.pcode if country is not None and len(country.pcode) == 2 else ""}
    for level, tag in ((1, "#adm1"), (2, "#adm2"), (3, "#adm3")):
        node = chain.get(level)
        place[f"{tag}+name"] = node.name if node else ""
        place[f"{tag}+code"] = node.pcode if node else ""
    return place


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def rows(actor: Actor, *, public: bool = True) -> list[dict[str, str]]:
    """The 3W rows by hashtag: one per service point, service and area covered, and one per site managed, from
    the directory and the sites the actor may see (shared reference data)."""
    areas = {a.pk: a for a in AdminArea.objects.only("pk", "pcode", "name", "level", "parent_id")}
    types = dict(OrganisationType.choices)
    out: list[dict[str, str]] = []

    def organisation(org) -> dict[str, str]:
        return {
            "#org+name": org.name,
            "#org+acronym": org.short_name,
            "#org+type": org.org_type if org.org_type in types else "",  # HTCDS org_Type value names
        }

    for provider in providers_visible_to(actor).order_by("organisation__name", "name"):
        for service in provider.services.all():
            for area in provider.areas.all():
                out.append(
                    {
                        **organisation(provider.organisation),
                        "#sector+cluster+name": CLUSTER.get(service.service, ""),
                        "#activity+code": service.service,
                        "#activity+name": str(ServiceType(service.service).label),
                        "#loc+name": provider.name,
                        "#loc+type": "service_point",
                        "#status+referrals": _yes_no(provider.accepting_referrals),
                        **_place(areas.get(area.pk, area), areas, public=public),
                    }
                )
    sites = (
        sites_visible_to(actor)
        .filter(managing_organisation__isnull=False, managing_organisation__is_active=True, is_open=True)
        .select_related("managing_organisation")
        .order_by("managing_organisation__name", "name")
    )
    for site in sites:
        cluster, code, name = SITE_MANAGEMENT
        out.append(
            {
                **organisation(site.managing_organisation),
                "#sector+cluster+name": cluster,
                "#activity+code": code,
                "#activity+name": name,
                "#loc+name": site.name,
                "#loc+type": site.site_type if site.site_type in SiteType.values else "",
                "#status+referrals": "",
                **_place(areas[site.area_id], areas, public=public),
            }
        )
    tags = [c.hashtag for c in columns(public=public)]
    table = [{tag: row[tag] for tag in tags} for row in out]
    if public:  # what the publication cannot tell apart is one row
        unique = {tuple(row.values()): row for row in table}
        table = list(unique.values())
    table.sort(key=lambda row: tuple(row.values()))
    return table


def table(actor: Actor, *, public: bool = True) -> list[list[str]]:
    """The header row, the hashtag row, then the rows."""
    cols = columns(public=public)
    return [
        [c.header for c in cols],
        [c.hashtag for c in cols],
        *[[row[c.hashtag] for c in cols] for row in rows(actor, public=public)],
    ]


def readme_rows(*, public: bool) -> list[list[str]]:
    """The README sheet of the XLSX: what the table is, and what it leaves out."""
    return [
        ["Hifazat: who does what where (3W), HXL-tagged"],
        [],
        [
            "Row 1 names the columns, row 2 holds their HXL hashtags (https://hxlstandard.org, HXL 1.1). One row per "
            "service point, service and area covered, and one per site managed. Clusters follow the IASC clusters; "
            "organisation types are HTCDS v2.0 org_Type value names where the organisation has one."
        ],
        [
            "For publication: no place finer than a district (admin level 2); service points and sites are named by "
            "their district only."
            if public
            else "For partners in the response: service points and sites by name, tehsils (admin level 3) where "
            "coverage was recorded that finely. Do not publish it."
        ],
        ["No contact person, phone number, e-mail address, street address or opening hours is in this file."],
    ]
