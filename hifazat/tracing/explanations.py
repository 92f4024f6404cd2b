"""The sentences that explain a tracing score, one per field and level, in the user's language, with the two
values compared (the request's first, then the registered child's)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hifazat.core.text import isolated


def explain(field: str, level: str, label: str, sought: str, found: str) -> str:
    """The sentence for one comparison: its field, level and the two values compared."""
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
