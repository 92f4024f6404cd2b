"""Cases in the field names and value names of the Human Trafficking Case Data Standard v2.0 (IOM, CC BY 4.0),
anonymised and k-anonymous as the Counter-Trafficking Data Collaborative (CTDC) publishes record-level data.

One row per person: their organisation's most recent case. Only people whose consent in force allows their data
to leave anonymised (``ConsentPurpose.ANONYMISED_DATA``, the newest decision, as ``people.services.consent_allows``
reads it) are in it. Nothing identifies a person directly: no name, phone, identity number, case number or UUID,
no date (the year the case was opened at most), no place finer than admin level 2 (the district of the site
where the person lives), no free text (case summaries, closure reasons, role details), ages in bands
(``core.disclosure.AGE_BANDS``). The quasi-identifiers (``QUASI_IDENTIFIERS``) are then generalised and the rows
that still stand out suppressed (``anonymity.k_anonymise``) until every combination of them occurs at least
``k`` times (by default ``HIFAZAT_DISCLOSURE_THRESHOLD``, which a request may raise, never lower).

Columns: HTCDS v2.0 field names exactly as the standard's field list spells them, with its value names
(multi-select picklists joined with ``;`` as in Salesforce, where HTCDS comes from); then fields HTCDS does not
have, named ``hfz_`` and described in the README (age band, P-codes, district, year opened). HTCDS has no age
band and no admin level 2 field: its ``prs_MailingState`` carries the province (admin 1) and
``prs_MailingCountry`` the ISO 3166 code. Its ``vic_AgeWhenTrafficked`` (an exact age) and the free-text,
date and lookup fields are left out.
"""

from __future__ import annotations

import base64
import datetime
import functools
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from hifazat.cases.models import Case
from hifazat.core import disclosure, spreadsheets
from hifazat.core.audit import Actor
from hifazat.geography.models import AdminArea
from hifazat.people.models import Consent, ConsentPurpose

from .anonymity import QuasiIdentifier, Record, Result, k_anonymise

PURPOSE = ConsentPurpose.ANONYMISED_DATA
MULTI_SEPARATOR = ";"

CREDIT = (
    "Field names and value names: Human Trafficking Case Data Standard (HTCDS) v2.0 by IOM (UN Migration), "
    "licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). This file uses a subset of its "
    "fields and adds fields marked hfz_ (adapted). IOM does not endorse Hifazat or the organisation that made "
    "this file."
)


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    htcds: bool = True


# The HTCDS fields, in the standard's order, with the standard's field labels.
HTCDS_COLUMNS = (
    Column("prs_Gender", "Gender (HTCDS picklist)"),
    Column("prs_MaritalStatus", "Marital Status (HTCDS picklist)"),
    Column("prs_Citizenship", "Citizenship (ISO 3166 alpha-2)"),
    Column(
        "prs_MailingCountry", "Mailing Country: the country of the site where the person lives (ISO 3166)"
    ),
    Column(
        "prs_MailingState",
        "Mailing State/Province: the province (admin 1) of the site where the person lives",
    ),
    Column("vic_TraffickingStatus", "Trafficking Status (HTCDS picklist)"),
    Column(
        "vic_TraffickingStatusDecisionMakingOrg",
        "Trafficking Status Decision Making Organization (HTCDS picklist)",
    ),
    Column("vic_RelationshipToTrafficker", "Relationship to Trafficker (HTCDS picklist)"),
    Column("vic_RecruitmentWebsitesAndApps", "Recruitment Websites and Apps (HTCDS multi-select, ; between)"),
    Column("vic_MethodOfRecruitment", "Method of Recruitment (HTCDS multi-select, ; between)"),
    Column("vic_MethodsOfControl", "Methods of Control (HTCDS multi-select, ; between)"),
    Column("vic_TypeOfExploitation", "Type of Exploitation (HTCDS multi-select, ; between)"),
    Column("vic_ForcedLabourIndustry", "Forced Labour Industry (HTCDS picklist, ISIC sections)"),
    Column("vic_TypeOfSexExploitation", "Type of Sex Exploitation (HTCDS multi-select, ; between)"),
    Column(
        "vic_ExploitationWebsitesAndApps", "Exploitation Websites and Apps (HTCDS multi-select, ; between)"
    ),
    Column("cas_Status", "Status of the case (HTCDS picklist)"),
)
# Fields HTCDS does not have (added, as the standard allows; DESIGN.md: "we add fields and say so").
ADDED_COLUMNS = (
    Column(
        "hfz_AgeBand", "Added: age band when the case was opened (0-4, 5-11, 12-17, 18-24, 25-59, 60+)", False
    ),
    Column("hfz_Adm1Pcode", "Added: OCHA P-code of the province (admin 1)", False),
    Column("hfz_Adm2Name", "Added: the district (admin 2) of the site where the person lives", False),
    Column("hfz_Adm2Pcode", "Added: OCHA P-code of the district (admin 2)", False),
    Column("hfz_YearOpened", "Added: the year the case was opened (or a five-year period)", False),
)
COLUMNS = HTCDS_COLUMNS + ADDED_COLUMNS
HEADERS = [c.name for c in COLUMNS]

# Multi-select picklists and the case field behind each.
MULTI_VALUED = {
    "vic_RecruitmentWebsitesAndApps": "recruitment_websites",
    "vic_MethodOfRecruitment": "recruitment_methods",
    "vic_MethodsOfControl": "methods_of_control",
    "vic_TypeOfExploitation": "exploitation_types",
    "vic_TypeOfSexExploitation": "sex_exploitation_types",
    "vic_ExploitationWebsitesAndApps": "exploitation_websites",
}
SINGLE_VALUED = {
    "vic_TraffickingStatus": "trafficking_status",
    "vic_TraffickingStatusDecisionMakingOrg": "trafficking_status_decided_by",
    "vic_RelationshipToTrafficker": "relationship_to_trafficker",
    "vic_ForcedLabourIndustry": "forced_labour_industry",
    "cas_Status": "status",
}

PLACE_COLUMNS = ("prs_MailingCountry", "prs_MailingState", "hfz_Adm1Pcode", "hfz_Adm2Name", "hfz_Adm2Pcode")
# What someone who knows a person could match a row on. The victim context (types of exploitation, methods of
# control) is what the file is for: it is published as it is, not generalised (see the README).
QUASI_IDENTIFIERS = (
    QuasiIdentifier("age", ("hfz_AgeBand",), ("age band", "child, adult or older person", "not published")),
    QuasiIdentifier("gender", ("prs_Gender",), ("as recorded", "not published")),
    QuasiIdentifier("marital_status", ("prs_MaritalStatus",), ("as recorded", "not published")),
    QuasiIdentifier("citizenship", ("prs_Citizenship",), ("as recorded", "not published")),
    QuasiIdentifier("place", PLACE_COLUMNS, ("district", "province", "country", "not published")),
    QuasiIdentifier("year", ("hfz_YearOpened",), ("year", "five years", "not published")),
)
QI_COLUMNS = [column for q in QUASI_IDENTIFIERS for column in q.columns]

BROAD_AGES = {
    "0-4": "0-17",
    "5-11": "0-17",
    "12-17": "0-17",
    "18-24": "18-59",
    "25-59": "18-59",
    "60+": "60+",
}


def consent_status() -> Subquery:
    """The status of the person's anonymised-data consent in force: the newest decision, exactly as
    ``people.services.consent_in_force`` orders them (``decided_at``, then ``id``)."""
    return Subquery(
        Consent.objects.filter(person=OuterRef("person"), purpose=PURPOSE)
        .order_by("-decided_at", "-id")
        .values("status")[:1]
    )


def cases_for_export(actor: Actor) -> QuerySet[Case]:
    """The cases of the actor's organisation (active, unmerged people), each with its person's consent status
    (``consent``): what the export starts from. Analysts cannot open cases, but the export is theirs: it leaves
    with nothing that identifies a person."""
    if not actor.can("reporting.export_cases"):
        return Case.objects.none()
    return Case.objects.filter(
        organisation=actor.organisation, person__is_active=True, person__merged_into__isnull=True
    ).annotate(consent=consent_status())


FIELDS = (
    "person_id",
    "consent",
    "opened_on",
    "person__gender",
    "person__marital_status",
    "person__citizenship",
    "person__birthdate",
    "person__household__site__area_id",
    *SINGLE_VALUED.values(),
    *MULTI_VALUED.values(),
)


def latest_per_person(cases: QuerySet[Case]) -> Iterable[dict]:
    """Each person's most recent case (by opening date, then creation), as plain values."""
    seen: set[int] = set()
    for row in cases.order_by("person_id", "-opened_on", "-id").values(*FIELDS).iterator(chunk_size=2000):
        if row["person_id"] in seen:
            continue
        seen.add(row["person_id"])
        yield row


class Places:
    """Admin areas by key, loaded once: the district, province and country of a site's area."""

    def __init__(self) -> None:
        self.areas = {a.pk: a for a in AdminArea.objects.only("pk", "pcode", "name", "level", "parent_id")}

    def levels(self, area_id: int | None) -> list[tuple[str, ...]]:
        """The place columns at each level: district, province, country, nothing."""
        nothing = ("",) * len(PLACE_COLUMNS)
        chain: dict[int, AdminArea] = {}
        node = self.areas.get(area_id) if area_id else None
        while node is not None:
            chain[node.level] = node
            node = self.areas.get(node.parent_id) if node.parent_id else None
        country, province, district = chain.get(0), chain.get(1), chain.get(2)
        code = country.pcode if country is not None and len(country.pcode) == 2 else ""
        at_province = (code, province.name, province.pcode, "", "") if province else (code, "", "", "", "")
        at_district = (
            (code, province.name, province.pcode, district.name, district.pcode)
            if province and district
            else at_province
        )
        return [at_district, at_province, (code, "", "", "", ""), nothing]


def _age_levels(birthdate: datetime.date | None, on: datetime.date) -> list[tuple[str, ...]]:
    if birthdate is None:
        return [("",), ("",), ("",)]
    age = on.year - birthdate.year - ((on.month, on.day) < (birthdate.month, birthdate.day))
    band = disclosure.age_band(age)
    if band == disclosure.UNKNOWN_AGE:
        return [("",), ("",), ("",)]
    return [(band,), (BROAD_AGES[band],), ("",)]


@functools.cache
def _year_levels(year: int) -> list[tuple[str, ...]]:
    first = year - year % 5
    return [(str(year),), (f"{first}-{first + 4}",), ("",)]


def record_of(row: dict, places: Places) -> Record:
    """A case's values as a record: the quasi-identifiers at each of their levels, the rest as published."""
    rest: dict[str, object] = {name: row[field] or "" for name, field in SINGLE_VALUED.items()}
    rest.update({name: MULTI_SEPARATOR.join(row[field] or []) for name, field in MULTI_VALUED.items()})
    return Record(
        qi={
            "age": _age_levels(row["person__birthdate"], row["opened_on"]),
            "gender": [(row["person__gender"] or "",), ("",)],
            "marital_status": [(row["person__marital_status"] or "",), ("",)],
            "citizenship": [(row["person__citizenship"] or "",), ("",)],
            "place": places.levels(row["person__household__site__area_id"]),
            "year": _year_levels(row["opened_on"].year),
        },
        rest=rest,
    )


def anonymise(records: list[Record], *, k: int) -> Result:
    """k-anonymise the records, then order the rows by their values: the order of the file says nothing of
    when or in which order people were registered."""
    result = k_anonymise(records, QUASI_IDENTIFIERS, k=k)
    result.rows.sort(key=lambda row: tuple(str(row[name]) for name in HEADERS))
    return result


# --- Writing the file --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """What the README says about the file: no personal value, counts and choices only. The counts of people left
    out are figures about people who are not in the file: they leave as ``core.disclosure`` lets the maker see
    them (exact for a supervisor, rounded or hidden, ``None``, for an analyst). The rows are in the file."""

    organisation: str
    made_on: datetime.date
    k: int
    rows: int
    suppressed: int | None
    without_consent: int | None
    levels: dict[str, str]


def _shown(n: int | None) -> str:
    return disclosure.HIDDEN if n is None else str(n)


def readme_rows(summary: Summary) -> list[list[str]]:
    rows = [
        ["Hifazat: cases in HTCDS v2.0, anonymised and k-anonymous"],
        [],
        ["Made by", summary.organisation],
        ["Made on", summary.made_on.isoformat()],
        ["k", str(summary.k)],
        ["Rows (one per person: their most recent case)", str(summary.rows)],
        [
            "People left out because their combination of quasi-identifiers was too rare",
            _shown(summary.suppressed),
        ],
        [
            "People left out because their consent does not allow anonymised use",
            _shown(summary.without_consent),
        ],
        [
            f"Counts of people left out follow disclosure control: {disclosure.HIDDEN} hides a count below the "
            "threshold; others may be rounded to it."
        ],
        [],
        [
            "Every combination of the quasi-identifier columns below occurs in at least k rows. Names, phone "
            "numbers, identity numbers, case numbers, dates and places finer than a district never leave; ages are "
            "in bands; a blank value is either not recorded or not published. The victim context (methods, types "
            "of exploitation) is published as recorded: it is not generalised."
        ],
        [],
        ["Quasi-identifier", "Columns", "Published as"],
        *[[q.name, ", ".join(q.columns), summary.levels[q.name]] for q in QUASI_IDENTIFIERS],
        [],
        ["Column", "Source", "Description"],
        *[[c.name, "HTCDS v2.0" if c.htcds else "added by Hifazat", c.description] for c in COLUMNS],
        [],
        [CREDIT],
    ]
    return rows


def table_rows(result: Result) -> list[list[object]]:
    return [HEADERS, *[[row[name] for name in HEADERS] for row in result.rows]]


def write_xlsx(result: Result, summary: Summary) -> bytes:
    return spreadsheets.xlsx_bytes({"cases": table_rows(result), "README": readme_rows(summary)})


def write_csv_zip(result: Result, summary: Summary) -> bytes:
    """The CSV with its README beside it, in one ZIP: a CSV has no room for the credit and the notes."""
    table = io.StringIO()
    spreadsheets.writer(table, lineterminator="\n").writerows(table_rows(result))
    readme = "\n".join("\t".join(row) for row in readme_rows(summary)) + "\n"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("htcds-cases.csv", table.getvalue().encode("utf-8"))
        archive.writestr("README.txt", readme.encode("utf-8"))
    return out.getvalue()


def build(actor: Actor, *, k: int, file_format: str, progress=None) -> tuple[bytes, Summary]:
    """The file (XLSX, or CSV and README in a ZIP) and its summary, for the actor's organisation."""
    cases = cases_for_export(actor)
    places = Places()
    records, without_consent = [], 0
    for done, row in enumerate(latest_per_person(cases), 1):
        if row["consent"] != Consent.Status.GIVEN:
            without_consent += 1
        else:
            records.append(record_of(row, places))
        if progress is not None and done % 1000 == 0:
            progress(done)
    result = anonymise(records, k=k)
    policy = disclosure.policy_for(actor, inside=True)
    summary = Summary(
        organisation=actor.organisation.name,
        made_on=timezone.localdate(),
        k=k,
        rows=len(result.rows),
        suppressed=policy.count(result.suppressed).value,
        without_consent=policy.count(without_consent).value,
        levels=result.level_names(QUASI_IDENTIFIERS),
    )
    content = write_xlsx(result, summary) if file_format == "xlsx" else write_csv_zip(result, summary)
    return content, summary


def pack(content: bytes) -> str:
    """Bytes as text for ``core.crypto`` (which encrypts text)."""
    return base64.b64encode(content).decode("ascii")


def unpack(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))
