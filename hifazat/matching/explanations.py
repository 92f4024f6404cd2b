"""The sentences that explain a duplicate score, one per comparison and level, in the user's language, with the
two values compared. Made from the stored field, level and values, so that a pair queued by a background scan is
explained in the language of whoever reads it (``explain_stored``)."""

from __future__ import annotations

from django.utils.translation import gettext as _


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
            "same_household": _("Same household or phone"),
            "with_relatives": _(
                "Same household or phone, with the same father's or husband's name: what relatives share, "
                "so it adds little"
            ),
            "siblings": _(
                "Same household or father, another first name and another age: what siblings are, strong "
                "evidence of two people"
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
