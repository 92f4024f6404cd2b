"""Selection rules in words: each rule's sentence, generated from its data, in English and in Urdu.

The programme page shows every rule in the language of the page and in the other language below it, so that a
committee or a community meeting can read the same rules the ranking applies. Each sentence is a whole
translatable template (word order differs between English and Urdu); only the values are filled in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from hifazat.livelihoods.models import (
    HouseholdLimit,
    Programme,
    RuleCondition,
    RulePurpose,
    SelectionRule,
)
from hifazat.people.models import Gender, VulnerabilityGroup
from hifazat.screening.models import Band

# The age below which nobody takes part unless an age rule says otherwise.
ADULT_AGE = 18


def _join(words: list[str]) -> str:
    """ "high or urgent", "a, b or c"."""
    if len(words) <= 1:
        return "".join(words)
    return _(", ").join(words[:-1]) + _(" or ") + words[-1]


def _place(obj) -> str:
    if obj is None:
        return "—"
    if translation.get_language() == "ur" and getattr(obj, "name_ur", ""):
        return obj.name_ur
    return obj.name


def _lower(text: str) -> str:
    return text.lower() if translation.get_language() == "en" else text


def _ages(rule: SelectionRule) -> str:
    if rule.age_min is not None and rule.age_max is not None:
        return _("%(min)s to %(max)s") % {"min": rule.age_min, "max": rule.age_max}
    if rule.age_min is not None:
        return _("%(min)s or older") % {"min": rule.age_min}
    return _("%(max)s or younger") % {"max": rule.age_max}


def _values(rule: SelectionRule) -> str:
    if rule.condition == RuleCondition.SCREENING_BAND:
        return _join([_lower(str(Band(v).label)) for v in rule.values])
    if rule.condition == RuleCondition.VULNERABILITY:
        return _join([f"“{VulnerabilityGroup(v).label}”" for v in rule.values])
    if rule.condition == RuleCondition.SEX:
        return _join([_lower(str(Gender(v).label)) for v in rule.values])
    return ""


def _eligibility_sentence(rule: SelectionRule) -> str:
    c, values = rule.condition, {"values": _values(rule)}
    if c == RuleCondition.SCREENING_BAND:
        return _("Only households where a member's latest risk screening is %(values)s.") % values
    if c == RuleCondition.VULNERABILITY:
        return _("Only households with a member in the group %(values)s.") % values
    if c == RuleCondition.SEX:
        return _("Only members whose gender is %(values)s may take part.") % values
    if c == RuleCondition.AGE:
        return _("Only members aged %(ages)s may take part.") % {"ages": _ages(rule)}
    if c == RuleCondition.SITE:
        return _("Only households living at %(place)s.") % {"place": _place(rule.site)}
    if c == RuleCondition.AREA:
        return _("Only households living in %(place)s.") % {"place": _place(rule.area)}
    return _("Only households with a member referred from a case.")


def _priority_sentence(rule: SelectionRule, position: int) -> str:
    c = rule.condition
    data = {"rank": position, "values": _values(rule)}
    if c == RuleCondition.SCREENING_BAND:
        return _("Priority %(rank)s: households where a member's latest risk screening is %(values)s.") % data
    if c == RuleCondition.VULNERABILITY:
        return _("Priority %(rank)s: households with a member in the group %(values)s.") % data
    if c == RuleCondition.SEX:
        return _("Priority %(rank)s: households with a member of gender %(values)s who may take part.") % data
    if c == RuleCondition.AGE:
        return _("Priority %(rank)s: households with a member aged %(ages)s who may take part.") % {
            **data,
            "ages": _ages(rule),
        }
    if c == RuleCondition.SITE:
        return _("Priority %(rank)s: households living at %(place)s.") % {**data, "place": _place(rule.site)}
    if c == RuleCondition.AREA:
        return _("Priority %(rank)s: households living in %(place)s.") % {**data, "place": _place(rule.area)}
    return _("Priority %(rank)s: households with a member referred from a case.") % data


def rule_sentence(rule: SelectionRule, position: int | None = None) -> str:
    """The rule in the current language. ``position``: the rule's place among the priority rules (1 first)."""
    if rule.purpose == RulePurpose.ELIGIBILITY:
        return _eligibility_sentence(rule)
    return _priority_sentence(rule, position or rule.rank)


@dataclass(frozen=True)
class Sentence:
    """One rule in both languages; ``rule`` is None for what the programme itself says (where, who, how many)."""

    text: str
    other: str
    rule: SelectionRule | None = None


def _both(make) -> tuple[str, str]:
    """``make()`` in the page's language and in the other one (English and Urdu)."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    other = "en" if current == "ur" else "ur"
    with translation.override(other):
        other_text = make()
    return make(), other_text


def programme_rules_in_words(programme: Programme, rules: list[SelectionRule] | None = None) -> dict:
    """Every rule the selection applies, in words: the programme's own conditions (where, adults only, one
    enrolment per household), the eligibility rules, the priority rules in order, and how ties are broken."""
    rules = list(programme.rules.select_related("site", "area")) if rules is None else rules
    eligibility = [r for r in rules if r.purpose == RulePurpose.ELIGIBILITY]
    priority = sorted((r for r in rules if r.purpose == RulePurpose.PRIORITY), key=lambda r: r.rank)
    sites, areas = list(programme.sites.all()), list(programme.areas.all())

    def coverage() -> str:
        return _("Only households living at or in: %(places)s.") % {
            "places": _join([_place(p) for p in [*areas, *sites]])
        }

    def adults() -> str:
        return _("Only adults (%(age)s or older) may take part: no rule sets another age.") % {
            "age": ADULT_AGE
        }

    def limit() -> str:
        return str(HouseholdLimit(programme.household_limit).label) + "."

    def order() -> str:
        return _(
            "Eligible households are ranked by the priority rules in order: first those that meet rule 1; "
            "among them, and among those that do not, those that meet rule 2; and so on."
        )

    def ties() -> str:
        return _("Households that meet the same rules keep the order in which they were registered.")

    general = []
    if sites or areas:
        general.append(Sentence(*_both(coverage)))
    if not any(r.condition == RuleCondition.AGE for r in eligibility):
        general.append(Sentence(*_both(adults)))
    general.append(Sentence(*_both(limit)))
    return {
        "general": general,
        "eligibility": [Sentence(*_both(lambda r=r: rule_sentence(r)), rule=r) for r in eligibility],
        "priority": [
            Sentence(*_both(lambda r=r, n=n: rule_sentence(r, n)), rule=r) for n, r in enumerate(priority, 1)
        ],
        "order": [Sentence(*_both(order)), Sentence(*_both(ties))],
    }
