"""Pure functions deciding the rules of the posts chapter (POST-1 … POST-6). No database access."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0")
CENT = Decimal("0.01")

# POST-1: the six posts of the rule book in three groups (key, group, order). The data migration fills the
# table with these; the names are shown translated by key.
POSTS = (
    ("finance_supervision", "supervision", 10),
    ("major_matters_supervision", "supervision", 20),
    ("public_order", "public", 30),
    ("environmental_hygiene", "public", 40),
    ("policy_publicity", "ideology", 50),
    ("civility", "ideology", 60),
)
POST_NAMES = {
    "finance_supervision": _("Finance supervision"),
    "major_matters_supervision": _("Major-matters supervision"),
    "public_order": _("Public order"),
    "environmental_hygiene": _("Environmental hygiene"),
    "policy_publicity": _("Policy publicity"),
    "civility": _("Civility"),
}


def post_label(key: str, name: str):
    return POST_NAMES.get(key, name)


def round_points(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def weights_error(weights: dict[str, Decimal], total: Decimal) -> str | None:
    """POST-6: the weights of the score sheet add up exactly to the total; none is negative."""
    if any(w < 0 for w in weights.values()):
        return str(_("A weight cannot be negative (POST-6)."))
    s = sum(weights.values(), ZERO)
    if s != total:
        return str(_("The weights add up to %(sum)s points, not to the total of %(total)s: change them so that "
                     "they add up (POST-6).") % {"sum": s.normalize() if s else 0, "total": total})
    return None


def item_points(weight: Decimal, score) -> Decimal | None:
    """POST-6: an item earns its weight × its score (a share from 0 to 1); None when not available."""
    if score is None:
        return None
    score = min(max(Decimal(score), ZERO), Decimal(1))
    return round_points(weight * score)


def att8_deduction(total: Decimal, pct: Decimal) -> Decimal:
    """ATT-8 → POST-6: each inspection that found a problem deducts its share (10%) of the sheet's total."""
    return round_points(total * pct / 100)


def award_eligible(*, mtg5_ineligible: bool, att7_flagged: bool, grade: str = "") -> bool:
    """POST-6 / MTG-5 / ATT-7: a person may be proposed for the year-end award unless two regular meetings in
    a row were missed (MTG-5), a resignation flag stands (ATT-7), or the grade is 不称职 (POST-4)."""
    return not (mtg5_ineligible or att7_flagged or grade == "incompetent")


def normalise_badge_number(raw: str) -> str:
    """POST-5: badge numbers are compared without surrounding blanks, upper case."""
    return (raw or "").strip().upper()
