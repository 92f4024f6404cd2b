"""The sentences that explain a match, one per profile, comparison and level, in the user's language, with the two
values compared: registry duplicates (``explain``; made from the stored field, level and values, so that a pair
queued by a background scan is explained in the language of whoever reads it, ``explain_stored``) and family
tracing (``explain_tracing``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hifazat.core.text import isolated


def _names(field: str, detail: str) -> dict[str, str]:
    if field == "given_name":
        return {
            "exact": _("First name agrees (%(a)s / %(b)s)"),
            "variant": _("First name agrees in another spelling or script (%(a)s / %(b)s)"),
            "consonants": _(
                "First names share their consonants but are different names (%(a)s / %(b)s): weak evidence"
            ),
            "similar": _("First names a letter or two apart, perhaps a slip (%(a)s / %(b)s)"),
            "partial": _("First name partly agrees: one has a name the other lacks (%(a)s / %(b)s)"),
            "differs": _("First name differs (%(a)s / %(b)s)"),
        }
    if field == "family_name":
        return {
            "exact": _("Family name agrees (%(a)s / %(b)s)"),
            "variant": _("Family name agrees in another spelling or script (%(a)s / %(b)s)"),
            "consonants": _(
                "Family names share their consonants but are different names (%(a)s / %(b)s): weak evidence"
            ),
            "similar": _("Family names a letter or two apart, perhaps a slip (%(a)s / %(b)s)"),
            "partial": _("Family name partly agrees (%(a)s / %(b)s)"),
            "differs": _("Family name differs (%(a)s / %(b)s)"),
        }
    if detail == "father":
        return {
            "exact": _("Father's name agrees (%(a)s / %(b)s)"),
            "variant": _("Father's name agrees in another spelling or script (%(a)s / %(b)s)"),
            "consonants": _(
                "Fathers' names share their consonants but differ (%(a)s / %(b)s): weak evidence"
            ),
            "similar": _("Fathers' names a letter or two apart (%(a)s / %(b)s)"),
            "partial": _("Father's name partly agrees: written longer on one (%(a)s / %(b)s)"),
            "differs": _("Father's name differs (%(a)s / %(b)s)"),
        }
    if detail == "husband":
        return {
            "exact": _("Husband's name agrees (%(a)s / %(b)s)"),
            "variant": _("Husband's name agrees in another spelling or script (%(a)s / %(b)s)"),
            "consonants": _(
                "Husbands' names share their consonants but differ (%(a)s / %(b)s): weak evidence"
            ),
            "similar": _("Husbands' names a letter or two apart (%(a)s / %(b)s)"),
            "partial": _("Husband's name partly agrees: written longer on one (%(a)s / %(b)s)"),
            "differs": _("Husband's name differs (%(a)s / %(b)s)"),
        }
    return {
        "exact": _("Father's or husband's name agrees (%(a)s / %(b)s)"),
        "variant": _("Father's or husband's name agrees in another spelling or script (%(a)s / %(b)s)"),
        "consonants": _(
            "Father's or husband's names share their consonants but differ (%(a)s / %(b)s): weak evidence"
        ),
        "similar": _("Father's or husband's names a letter or two apart (%(a)s / %(b)s)"),
        "partial": _("Father's or husband's name partly agrees (%(a)s / %(b)s)"),
        "differs": _("Father's or husband's name differs (%(a)s / %(b)s)"),
    }


def _missing(field: str, detail: str) -> str:
    if field == "family_name" and detail == "title":
        return _("Family name not compared: a title such as Bibi is not a family name")
    return {
        "given_name": _("First name not recorded on both: not compared"),
        "family_name": _("Family name not recorded on both: not compared"),
        "parentage": _("Father's or husband's name not recorded on both: not compared"),
        "birth": _("Date of birth or age not recorded on both: not compared"),
        "gender": _("Sex not recorded on both: not compared"),
        "context": _("Household, phone, site and origin not comparable"),
        "household_members": _("No other household members to compare"),
    }[field]


def explain(field: str, level: str, a: str = "", b: str = "", *, detail: str = "") -> str:
    """The sentence for one comparison: its field, level, the two values compared and a detail (the kind of
    parentage; "swapped" for names written in the other order; "title" for a family name that is a title)."""
    if level == "missing":
        return _missing(field, detail)
    if level == "not_comparable":
        return _("Father's name on one record and husband's on the other: not compared")
    if field == "gender":
        sexes = {"female": _("female"), "male": _("male")}
        a, b = sexes.get(a, a), sexes.get(b, b)
    values = {"a": a or "—", "b": b or "—"}
    if field in {"given_name", "family_name", "parentage"}:
        text = _names(field, detail)[level] % values
        if detail == "swapped":
            text = _("%(text)s, written in the other order") % {"text": text}
        return text
    texts = {
        "birth": {
            "same_date": _("Same date of birth (%(a)s)"),
            "date_slip": _("Dates of birth differ by a likely slip of the pen (%(a)s / %(b)s)"),
            "same_year": _("Born the same year on different dates (%(a)s / %(b)s)"),
            "near": _("Born one or two years apart (%(a)s / %(b)s)"),
            "far": _("Born years apart (%(a)s / %(b)s)"),
            "estimate_same": _("Same year of birth, at least one estimated from an age (%(a)s / %(b)s)"),
            "estimate_1": _("Ages a year apart, at least one estimated (%(a)s / %(b)s)"),
            "estimate_range": _("Estimated ages within their tolerance (%(a)s / %(b)s)"),
            "estimate_out": _("Ages further apart than an estimate allows (%(a)s / %(b)s)"),
            "estimate_far": _("Ages far apart, even for an estimate (%(a)s / %(b)s)"),
        },
        "gender": {
            "agrees": _("Sex agrees (%(a)s)"),
            "differs": _("Sex differs (%(a)s / %(b)s): strong evidence of two people"),
        },
        "context": {
            "same_household": _(
                "Same household: members of one household are usually different people, unless one was "
                "entered twice"
            ),
            "same_phone": _(
                "Same phone number in another household: a family registered again elsewhere, or relatives"
            ),
            # Stored by the scorer before the household and the phone were told apart; still explained.
            "with_relatives": _(
                "Same household or phone, with the same father's or husband's name: what relatives share, "
                "so it adds little"
            ),
            "siblings": _(
                "Same household, phone or father with another first name: what siblings are, strong evidence "
                "of two people"
            ),
            "same_origin": _("Same place of origin"),
            "different_origin": _("Different place of origin"),
            "same_site": _("Same site"),
            "different_site": _("Registered at different sites (people move between camps)"),
        },
        "household_members": {
            "agree": _(
                "Other members of the household are found in the other household (%(a)s): a family registered "
                "again"
            ),
            "one_agrees": _(
                "One other member of the household is found in the other household: common names meet by "
                "chance, weak evidence"
            ),
            "differ": _("None of the other members of the household is found in the other household"),
        },
    }
    return texts[field][level] % values


def explain_stored(reason: dict) -> str:
    """The sentence for a reason stored as JSON (``Match.as_json``), in the current language; a reason stored
    before levels and values were kept shows its stored sentence."""
    if "values" not in reason or "level" not in reason:
        return reason.get("explanation", "")
    try:
        return explain(
            reason["field"], reason["level"], *reason["values"][:2], detail=reason.get("detail", "")
        )
    except (KeyError, TypeError, ValueError):
        return reason.get("explanation", "")


# --- Family tracing -----------------------------------------------------------------------------------------------


def explain_tracing(field: str, level: str, label: str, sought: str, found: str) -> str:
    """The sentence for one comparison of family tracing (``matching.tracing``): its field, level and the two
    values compared, the request's first, then the registered child's."""
    if level == "missing":
        return _("%(field)s: not recorded on both, not compared") % {"field": label}
    # Each value isolated (``core.text.isolated``): a date, an age or a Latin name keeps its own order inside an
    # Urdu sentence (2005-10-08 would otherwise read 08-10-2005), and an Urdu name keeps its own.
    values = {"a": isolated(sought or "—"), "b": isolated(found or "—")}
    texts = {
        "given_name": {
            "exact": _("The same first name: %(a)s / %(b)s"),
            "variant": _("The same first name in another spelling or script: %(a)s / %(b)s"),
            "consonants": _("First names with the same consonants, spelt far apart: %(a)s / %(b)s"),
            "similar": _("First names a letter or two apart, perhaps a slip: %(a)s / %(b)s"),
            "partial": _("First name partly agrees, one has a name the other lacks: %(a)s / %(b)s"),
            "differs": _("First names differ: %(a)s / %(b)s"),
        },
        "family_name": {
            "exact": _("The same family name: %(a)s / %(b)s"),
            "variant": _("The same family name in another spelling or script: %(a)s / %(b)s"),
            "consonants": _("Family names with the same consonants, spelt far apart: %(a)s / %(b)s"),
            "similar": _("Family names a letter or two apart, perhaps a slip: %(a)s / %(b)s"),
            "partial": _("Family name partly agrees: %(a)s / %(b)s"),
            "differs": _("Family names differ: %(a)s / %(b)s"),
        },
        "father_name": {
            "exact": _("The same father's name: %(a)s / %(b)s"),
            "variant": _("The same father's name in another spelling or script: %(a)s / %(b)s"),
            "consonants": _("Fathers' names with the same consonants, spelt far apart: %(a)s / %(b)s"),
            "similar": _("Fathers' names a letter or two apart, perhaps a slip: %(a)s / %(b)s"),
            "partial": _("Father's name partly agrees, one has a name the other lacks: %(a)s / %(b)s"),
            "differs": _("Fathers' names differ: %(a)s / %(b)s"),
        },
        "age": {
            "same_date": _("The same date of birth: %(a)s"),
            "same_year": _("Born the same year: %(a)s / %(b)s"),
            "near": _("Born one or two years apart: %(a)s / %(b)s"),
            "far": _("Born years apart: %(a)s / %(b)s"),
            "estimate_0": _("The same year of birth (at least one is an estimate): %(a)s / %(b)s"),
            "estimate_1": _("Ages one year apart (at least one is an estimate): %(a)s / %(b)s"),
            "estimate_3": _("Ages agree within three years, the tolerance for an estimate: %(a)s / %(b)s"),
            "estimate_window": _("Ages four to six years apart, at the edge of the tolerance: %(a)s / %(b)s"),
            "estimate_far": _("Ages far apart, even for an estimate: %(a)s / %(b)s"),
        },
        "sex": {
            "agrees": _("The same sex: %(a)s"),
            "differs": _("Sex differs: %(a)s / %(b)s"),
        },
        "origin": {
            "same_village": _("The same village of origin: %(a)s / %(b)s"),
            "same_tehsil": _("The same place of origin: %(a)s / %(b)s"),
            "within_district": _("Places of origin agree as far as the district: %(a)s / %(b)s"),
            "other_tehsil": _("Places of origin in the same district, not the same tehsil: %(a)s / %(b)s"),
            "same_province": _("Places of origin in the same province only: %(a)s / %(b)s"),
            "different": _("Different places of origin: %(a)s / %(b)s"),
        },
        "separation_place": {
            "same_district": _("Registered in the district where the child was lost: %(a)s / %(b)s"),
            "same_province": _("Registered in the province where the child was lost: %(a)s / %(b)s"),
            "different": _("Registered far from where the child was lost: %(a)s / %(b)s"),
        },
        "separation_date": {
            "soon_after": _("Arrived at the site within weeks of the separation: lost %(a)s, arrived %(b)s"),
            "later": _("Arrived at the site long after the separation: lost %(a)s, arrived %(b)s"),
            "before": _("Arrived at the site before the separation: lost %(a)s, arrived %(b)s"),
        },
    }
    return texts[field][level] % values
