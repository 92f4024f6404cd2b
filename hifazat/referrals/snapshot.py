"""The snapshot a referral carries: exactly the parts of the person's record that the sender chose to share.

Built once, when the referral is made, from the sender's records, and stored encrypted with the referral. The
receiving organisation reads this and nothing else: values are copied, never linked, so a later change or a
merge at the sender shows nothing to the receiver. Value names stay as stored (HTCDS gender, group codes);
``shown`` turns them into labels in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hifazat.people.models import Gender, VulnerabilityGroup
from hifazat.referrals.models import SharedPart
from hifazat.screening.models import Band

# The parts that carry the sender's own words: chosen, they must not be empty.
TEXT_PARTS = {SharedPart.SUPPORT_NEEDED: "support_needed", SharedPart.NOTES: "notes"}
# What a sender shares unless they choose otherwise: the least a receiver can act on.
DEFAULT_PARTS = [SharedPart.NAME_AGE, SharedPart.SUPPORT_NEEDED]


def clean_parts(parts) -> list[str]:
    chosen = [p for p in SharedPart.values if p in set(parts)]
    unknown = set(parts) - set(SharedPart.values)
    if unknown:
        raise ValidationError({"shared_parts": f"Unknown parts: {sorted(unknown)}."})
    if not chosen:
        raise ValidationError({"shared_parts": "Choose at least one part of the record to share."})
    return chosen


def build(case, parts: list[str], *, support_needed: str, notes: str, consent) -> dict[str, Any]:
    """The snapshot of ``parts`` of ``case`` and its person. ``consent`` is the decision in force that allows the
    referral (``None`` when a supervisor overrides): the receiver needs to know who consented, not why not."""
    person = case.person
    snapshot: dict[str, Any] = {}
    texts = {"support_needed": support_needed.strip(), "notes": notes.strip()}
    for part, name in TEXT_PARTS.items():
        if part in parts and not texts[name]:
            raise ValidationError({name: "Write this part, or do not share it."})
    if SharedPart.NAME_AGE in parts:
        snapshot[SharedPart.NAME_AGE] = {
            "first_name": person.first_name,
            "second_name": person.second_name,
            "first_name_ur": person.first_name_ur,
            "second_name_ur": person.second_name_ur,
            "gender": person.gender,
            "age": person.age,
            "age_is_estimate": person.birthdate_is_estimate,
        }
    if SharedPart.PHONE in parts:
        snapshot[SharedPart.PHONE] = person.phone
    if SharedPart.LOCATION in parts:
        site = person.household.site if person.household_id else None
        snapshot[SharedPart.LOCATION] = (
            {
                "site": site.name,
                "site_ur": site.name_ur,
                "area": site.area.name,
                "area_ur": site.area.name_ur,
                "pcode": site.area.pcode,
            }
            if site
            else None
        )
    if SharedPart.SCREENING in parts:
        snapshot[SharedPart.SCREENING] = _screening(person, case.organisation)
    if SharedPart.CASE_SUMMARY in parts:
        snapshot[SharedPart.CASE_SUMMARY] = case.summary
    if SharedPart.VULNERABILITY in parts:
        snapshot[SharedPart.VULNERABILITY] = sorted(
            set(person.vulnerabilities.values_list("group", flat=True))
        )
    if SharedPart.SUPPORT_NEEDED in parts:
        snapshot[SharedPart.SUPPORT_NEEDED] = texts["support_needed"]
    if SharedPart.NOTES in parts:
        snapshot[SharedPart.NOTES] = texts["notes"]
    snapshot["consent"] = (
        {
            "given_by": consent.given_by,
            # The caregiver's name is shared only with the person's own name.
            "given_by_name": consent.given_by_name if SharedPart.NAME_AGE in parts else "",
            "child_view": consent.child_view,
            "purpose": consent.purpose,
        }
        if consent is not None
        else None
    )
    return snapshot


def _screening(person, organisation) -> dict[str, Any] | None:
    """The latest screening's result and red flags, in both languages; never the answers."""
    from hifazat.screening.selectors import screening_catalogue

    screening = (
        person.screenings.filter(organisation=organisation).select_related("catalogue_version").first()
    )
    if screening is None:
        return None
    catalogue = screening_catalogue(screening)
    flags = [
        catalogue.red_flags[f["flag"]].text for f in screening.red_flags if f["flag"] in catalogue.red_flags
    ]
    return {
        "screened_on": screening.screened_at.date().isoformat(),
        "band": screening.band,
        "score": screening.score,
        "red_flags": [{"en": t.en, "ur": t.ur} for t in flags],
    }


@dataclass(frozen=True)
class ShownPart:
    key: str
    label: str
    lines: list[str]
    urdu: list[str]


def _text(value: dict, key: str) -> str:
    """The Urdu or English of a pair stored as ``key`` and ``key_ur``, for the reader's language."""
    if (get_language() or "en").startswith("ur") and value.get(f"{key}_ur"):
        return value[f"{key}_ur"]
    return value.get(key) or ""


def shown(snapshot: dict[str, Any]) -> list[ShownPart]:
    """The shared parts as lines to show, in the order of ``SharedPart``, labels in the current language."""
    parts = []
    for part in SharedPart:
        if part.value not in snapshot:
            continue
        value = snapshot[part.value]
        lines: list[str] = []
        urdu: list[str] = []
        if value in (None, "", []):
            lines = ["—"]
        elif part == SharedPart.NAME_AGE:
            name = " ".join(v for v in (value["first_name"], value["second_name"]) if v)
            lines.append(name)
            name_ur = " ".join(v for v in (value["first_name_ur"], value["second_name_ur"]) if v)
            if name_ur:
                urdu.append(name_ur)
            gender = Gender(value["gender"]).label if value["gender"] in Gender.values else value["gender"]
            age = value.get("age")
            if age is None:
                lines.append(f"{gender}, {_('age not known')}")
            elif value.get("age_is_estimate"):
                lines.append(_("%(gender)s, about %(age)s years") % {"gender": gender, "age": age})
            else:
                lines.append(_("%(gender)s, %(age)s years") % {"gender": gender, "age": age})
        elif part == SharedPart.LOCATION:
            lines.append(f"{_text(value, 'site')}, {_text(value, 'area')} ({value['pcode']})")
        elif part == SharedPart.SCREENING:
            band = Band(value["band"]).label if value["band"] in Band.values else value["band"]
            lines.append(
                _("%(band)s (score %(score)s), screened on %(date)s")
                % {"band": band, "score": value["score"], "date": value["screened_on"]}
            )
            urdu_reader = (get_language() or "en").startswith("ur")
            lines.extend(
                _("Red flag: %(flag)s") % {"flag": (f["ur"] if urdu_reader and f["ur"] else f["en"])}
                for f in value["red_flags"]
            )
        elif part == SharedPart.VULNERABILITY:
            lines = [str(VulnerabilityGroup(g).label) if g in VulnerabilityGroup.values else g for g in value]
        else:
            lines = [str(value)]
        parts.append(ShownPart(part.value, str(part.label), lines, urdu))
    return parts
