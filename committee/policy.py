"""Policy: every bold default of the rule book (docs/rules.md) as a typed, validated, per-community value with history.

Apps read a value with ``policy.get(community, "att.late_after")``. A community's own value wins over the
street office's value for all its communities, which wins over the rule book's default. The street office
changes values on the policy page; every change is a ``PolicyValue`` row with history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import gettext, ngettext_lazy, pgettext
from django.utils.translation import gettext_lazy as _

from committee.models import Community, PolicyValue, Role, StreetOffice


@dataclass(frozen=True)
class Setting:
    key: str
    kind: str  # int | decimal | fraction | time | role | days_of_month | weekday | month
    default: Any
    label: Any
    rule: str
    min: Any = None
    max: Any = None
    choices: tuple = field(default=())
    unit: Any = ""
    # One value for the whole street office (e.g. the street's regular-meeting schedule, MTG-2): a community
    # value would move what every community shares, so none can be set and none is read.
    street_only: bool = False

    def parse(self, raw: str):
        """Text → typed value, or a translated ValidationError naming the setting and its rule."""
        raw = (raw or "").strip()
        try:
            if self.kind == "int" or self.kind in ("weekday", "month"):
                value = int(raw)
            elif self.kind == "decimal":
                value = Decimal(raw)
                if not value.is_finite():
                    raise ValueError
            elif self.kind == "fraction":
                # "2/3" as the rule book writes it; a percentage ("75" or "75%") is taken exactly.
                if "/" in raw:
                    value = Fraction(raw.replace(" ", ""))
                else:
                    value = Fraction(Decimal(raw.rstrip("%"))) / 100
            elif self.kind == "time":
                value = dt.time.fromisoformat(raw)
            elif self.kind == "role":
                value = Role(raw)
            elif self.kind == "days_of_month":
                value = tuple(sorted({int(part) for part in raw.replace("，", ",").split(",") if part.strip()}))
                if not value or any(d < 1 or d > 31 for d in value):
                    raise ValueError
            else:  # pragma: no cover - a programming error in the registry
                raise ValueError(self.kind)
        except (ValueError, InvalidOperation, ZeroDivisionError):
            raise ValidationError(
                _("%(label)s (%(rule)s): “%(raw)s” is not a valid value."),
                params={"label": self.label, "rule": self.rule, "raw": raw},
            ) from None
        if self.choices and value not in self.choices:
            raise ValidationError(
                _("%(label)s (%(rule)s): choose one of the allowed values."),
                params={"label": self.label, "rule": self.rule},
            )
        if self.min is not None and value < self.min or self.max is not None and value > self.max:
            raise ValidationError(
                _("%(label)s (%(rule)s) must be between %(min)s and %(max)s."),
                params={"label": self.label, "rule": self.rule, "min": self.min, "max": self.max},
            )
        return value

    def format(self, value) -> str:
        if self.kind == "fraction":
            return f"{value.numerator}/{value.denominator}"
        if self.kind == "time":
            return value.strftime("%H:%M")
        if self.kind == "days_of_month":
            return ",".join(str(d) for d in value)
        return str(value)

    def display(self, value) -> str:
        """The value as a reader says it, in the reader's language: 星期一 not 0, 主任 not director."""
        if self.kind == "role":
            return str(Role(value).label)
        if self.kind == "weekday":
            return str(WEEKDAYS[int(value)])
        if self.kind == "month":
            return str(MONTHS[int(value)])
        if self.kind == "days_of_month":
            return gettext("days %(days)s of each month") % {"days": pgettext("list separator", ", ").join(str(d) for d in value)}
        text = self.format(value)
        if isinstance(self.unit, str):  # "%", "MB": the same in every language
            return f"{text} {self.unit}".strip()
        return self.unit % {"n": plural_number(value), "v": text}  # "1 month", "3 months" (ngettext)

    def form_choices(self) -> list[tuple[str, str]]:
        """(value as typed, label) for a setting with a closed list of values, else []: the edit form offers a
        choice in words instead of codes."""
        if self.kind == "role":
            values = self.choices
        elif self.kind == "weekday":
            values = range(7)
        elif self.kind == "month":
            values = range(1, 13)
        else:
            return []
        return [(self.format(v), self.display(v)) for v in values]

    @property
    def chapter(self) -> str:
        """The rule book chapter (ORG, ATT, MTG …) the setting belongs to."""
        return self.rule.split("-", 1)[0]

    @property
    def anchor(self) -> str:
        """The id of the setting's row on the policy page (no dots: a plain fragment)."""
        return "set-" + self.key.replace(".", "-").replace("_", "-")


def plural_number(value) -> int:
    """The number ngettext chooses the form by: whole numbers as they are, a fraction as plural ("1.5 days");
    gettext wants an int."""
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else 2


def _s(*args, **kwargs) -> Setting:
    return Setting(*args, **kwargs)


D = Decimal
# Units say the number with the right plural ("1 month", "3 months"); "%" and "MB" are plain strings.
UNIT_DAYS = ngettext_lazy("%(v)s day", "%(v)s days", "n")
UNIT_WORKING_DAYS = ngettext_lazy("%(v)s working day", "%(v)s working days", "n")
UNIT_TIMES = ngettext_lazy("%(v)s time", "%(v)s times", "n")
UNIT_YUAN = ngettext_lazy("%(v)s yuan", "%(v)s yuan", "n")
UNIT_MONTHS = ngettext_lazy("%(v)s month", "%(v)s months", "n")
UNIT_HOURS = ngettext_lazy("%(v)s hour", "%(v)s hours", "n")
SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in [
        # ORG
        _s("org.committee_approver", "role", Role.DIRECTOR, _("Committee-level approver"), "ORG-3",
           choices=(Role.DIRECTOR, Role.PARTY_SECRETARY)),
        _s("org.all_out_notice_days", "int", 1, _("Notice to residents before all staff are out"), "ORG-4",
           min=0, max=10, unit=UNIT_DAYS),
        # ATT
        _s("att.late_after", "time", dt.time(8, 30), _("Sign-in after this time is late"), "ATT-1"),
        _s("att.early_before", "time", dt.time(17, 30), _("Sign-out before this time is leaving early"), "ATT-1"),
        _s("att.emergency_filing_days", "int", 3, _("Emergency leave: written request filed within"), "ATT-4",
           min=1, max=30, unit=UNIT_WORKING_DAYS),
        _s("att.full_sick_days", "decimal", D("2"), _("Full attendance: sick leave at most"), "ATT-5",
           min=D(0), max=D(31), unit=UNIT_DAYS),
        _s("att.full_personal_days", "decimal", D("1"), _("Full attendance: personal leave at most"), "ATT-5",
           min=D(0), max=D(31), unit=UNIT_DAYS),
        _s("att.full_late_early", "int", 3, _("Full attendance: late + early at most"), "ATT-5",
           min=0, max=31, unit=UNIT_TIMES),
        _s("att.late_fee", "decimal", D("10.00"), _("Deduction per late/early above the limit"), "ATT-6",
           min=D(0), max=D(1000), unit=UNIT_YUAN),
        _s("att.wage_days_divisor", "decimal", D("21.75"), _("Monthly paid days (daily wage = wage ÷ this)"),
           "ATT-6", min=D(1), max=D(31)),
        _s("att.absence_days_deducted", "decimal", D("1"), _("Days' wage deducted per day of absence"), "ATT-6",
           min=D(0), max=D(10), unit=UNIT_DAYS),
        _s("att.continuous_sick_months", "int", 1, _("Continuous sick leave flag above"), "ATT-7",
           min=1, max=12, unit=UNIT_MONTHS),
        _s("att.total_sick_months", "int", 2, _("Total sick leave in a year flag above"), "ATT-7",
           min=1, max=12, unit=UNIT_MONTHS),
        _s("att.total_personal_months", "int", 1, _("Total personal leave in a year flag from"), "ATT-7",
           min=1, max=12, unit=UNIT_MONTHS),
        _s("att.inspection_deduction_pct", "decimal", D("10"), _("Score deducted per inspection finding"), "ATT-8",
           min=D(0), max=D(100), unit="%"),
        _s("att.sheet_due_day", "int", 10, _("Monthly attendance sheet due by day"), "ATT-9", min=1, max=28),
        # MTG
        _s("mtg.regular_days", "days_of_month", (10, 20, 27), _("Street regular meetings on days"), "MTG-2",
           street_only=True),
        _s("mtg.regular_time", "time", dt.time(14, 30), _("Street regular meetings at"), "MTG-2", street_only=True),
        _s("mtg.absence_deduction_pct", "decimal", D("10"), _("Wage deducted per unapproved meeting absence"),
           "MTG-5", min=D(0), max=D(100), unit="%"),
        _s("mtg.representatives_months", "int", 6, _("Representative meeting at least every"), "MTG-6",
           min=1, max=12, unit=UNIT_MONTHS),
        _s("mtg.quorum", "fraction", Fraction(2, 3), _("Quorum (share of all members present)"), "MTG-6",
           min=Fraction(1, 2), max=Fraction(1)),
        _s("mtg.council_months", "int", 3, _("Consultation council at least every"), "MTG-7",
           min=1, max=12, unit=UNIT_MONTHS),
        _s("mtg.study_weekday", "weekday", 0, _("Cadres' study weekday"), "MTG-10", min=0, max=6),
        _s("mtg.mass_meeting_months", "int", 1, _("Residents' mass meeting at least every"), "MTG-10",
           min=1, max=12, unit=UNIT_MONTHS),
        # DB
        _s("db.max_cadres", "int", 3, _("Dibao panel: committee cadres at most"), "DB-1", min=0, max=20),
        _s("db.min_resident_pct", "decimal", D("50"), _("Dibao panel: resident representatives at least"), "DB-1",
           min=D(0), max=D(100), unit="%"),
        _s("db.panel_months", "int", 1, _("Dibao panel meets every"), "DB-2", min=1, max=12, unit=UNIT_MONTHS),
        _s("db.standard", "decimal", D("1450.00"), _("Local dibao standard per person per month"), "DB-6",
           min=D(0), max=D(100000), unit=UNIT_YUAN),
        # FIN
        _s("fin.tier_low", "decimal", D("500.00"), _("Expense below this: community secretary alone"), "FIN-2",
           min=D(0), max=D(1000000), unit=UNIT_YUAN),
        _s("fin.tier_high", "decimal", D("1000.00"), _("Expense from this amount (included): community-building office director"),
           "FIN-2", min=D(0), max=D(1000000), unit=UNIT_YUAN),
        _s("fin.cheque_settle_days", "int", 10, _("Cheque settled within"), "FIN-4", min=1, max=60,
           unit=UNIT_WORKING_DAYS),
        _s("fin.cash_days", "days_of_month", (10, 23), _("Cash reimbursement days"), "FIN-5"),
        _s("fin.cash_notice_above", "decimal", D("1000.00"), _("Cash from this amount (included): notify finance a day ahead"),
           "FIN-6", min=D(0), max=D(1000000), unit=UNIT_YUAN),
        _s("fin.cheque_from", "decimal", D("800.00"), _("Cash from this amount needs a leader's approval"),
           "FIN-6", min=D(0), max=D(1000000), unit=UNIT_YUAN),
        _s("fin.purchase_people", "int", 3, _("People making a purchase, at least"), "FIN-8", min=1, max=10),
        _s("fin.audit_months", "int", 6, _("Internal audit every"), "FIN-9", min=1, max=24, unit=UNIT_MONTHS),
        # WEL
        _s("wel.budget_min_pct", "decimal", D("90"), _("Welfare budget at least (of allotment)"), "WEL-3",
           min=D(0), max=D(100), unit="%"),
        _s("wel.midyear_spend_pct", "decimal", D("45"), _("Welfare spending by mid-year at least"), "WEL-3",
           min=D(0), max=D(100), unit="%"),
        _s("wel.yearend_spend_pct", "decimal", D("90"), _("Welfare spending by year end at least"), "WEL-3",
           min=D(0), max=D(100), unit="%"),
        _s("wel.social_org_pct", "decimal", D("70"), _("Funds for social-organisation cultivation at least"),
           "WEL-4", min=D(0), max=D(100), unit="%"),
        _s("wel.prize_pct", "decimal", D("30"), _("Prizes at most (of event and of year)"), "WEL-5",
           min=D(0), max=D(100), unit="%"),
        _s("wel.completion_pct", "decimal", D("90"), _("Planned projects completed at least"), "WEL-7",
           min=D(0), max=D(100), unit="%"),
        _s("wel.activities_per_category", "int", 10, _("Activities per category per year at least"), "WEL-7",
           min=0, max=100),
        _s("wel.prize_max", "decimal", D("200.00"), _("A single prize at most (the street's standard)"), "WEL-5",
           min=D(0), max=D(100000), unit=UNIT_YUAN),
        _s("wel.change_max_pct", "decimal", D("10"), _("Mid-year project change at most"), "WEL-8",
           min=D(0), max=D(100), unit="%"),
        _s("wel.posting_days", "int", 10, _("Welfare project posting at least"), "WEL-11", min=1, max=60,
           unit=UNIT_WORKING_DAYS),
        _s("wel.awareness_pct", "decimal", D("80"), _("Residents' awareness target"), "WEL-11",
           min=D(0), max=D(100), unit="%"),
        # ARC, SEAL, DIS, GRID
        _s("arc.filing_month", "month", 3, _("Previous year filed by the end of month"), "ARC-2", min=1, max=12),
        _s("seal.handover_days", "int", 7, _("Seal handed over after an election within"), "SEAL-6",
           min=1, max=60, unit=UNIT_WORKING_DAYS),
        _s("seal.lost_notice_days", "int", 30, _("Lost-seal notice posted at least"), "SEAL-8", min=1, max=365,
           unit=UNIT_DAYS),
        _s("dis.half_year_months", "int", 6, _("Policies and targets disclosed every"), "DIS-2", min=1, max=12,
           unit=UNIT_MONTHS),
        _s("dis.quarter_months", "int", 3, _("Dibao and finance disclosed every"), "DIS-2", min=1, max=12,
           unit=UNIT_MONTHS),
        _s("grid.director_visit_hours_week", "decimal", D("4"), _("Director and deputy visits per week"),
           "GRID-5", min=D(0), max=D(40), unit=UNIT_HOURS),
        _s("grid.member_visit_hours_day", "decimal", D("1"), _("Other members' visits per day"), "GRID-5",
           min=D(0), max=D(8), unit=UNIT_HOURS),
        _s("grid.request_days", "int", 5, _("Residents' requests answered within"), "GRID-6", min=1, max=60,
           unit=UNIT_WORKING_DAYS),
        # POST
        _s("post.eval_total", "int", 100, _("Annual evaluation: total score"), "POST-6", min=1, max=1000,
           street_only=True),  # the score sheet's weights are street-wide, so is their total
        _s("post.lost_badge_fee", "decimal", D("20"), _("Fee for reissuing a lost badge"), "POST-5", min=D(0),
           max=D(1000), unit=UNIT_YUAN),
        _s("grid.request_days_question", "int", 2, _("Residents' questions answered within"), "GRID-6", min=1,
           max=60, unit=UNIT_WORKING_DAYS),
        _s("grid.request_days_repair", "int", 5, _("Repair and environment requests dealt with within"), "GRID-6",
           min=1, max=60, unit=UNIT_WORKING_DAYS),
        _s("grid.request_days_complaint", "int", 5, _("Complaints answered within"), "GRID-6", min=1, max=60,
           unit=UNIT_WORKING_DAYS),
        _s("grid.holiday_visit_days", "int", 30, _("Holiday visits to special households count from"), "GRID-5",
           min=1, max=60, unit=UNIT_DAYS),
        # CTL
        _s("ctl.upload_max_mb", "int", 10, _("Uploaded files at most"), "CTL-7", min=1, max=50, unit="MB"),
    ]
}


def setting(key: str) -> Setting:
    try:
        return SETTINGS[key]
    except KeyError:
        raise KeyError(f"unknown policy key {key!r}; add it to committee.policy.SETTINGS") from None


def get(community: Community, key: str):
    """The value in force for a community: its own, else its street office's, else the rule book's."""
    spec = setting(key)
    raw = _values_for(community).get(key)
    return spec.parse(raw) if raw is not None else spec.default


def get_many(community: Community, *keys: str) -> dict[str, Any]:
    values = _values_for(community)
    return {k: (setting(k).parse(values[k]) if k in values else setting(k).default) for k in keys}


def _values_for(community: Community) -> dict[str, str]:
    """Effective raw values for a community in one query, cached on the community instance."""
    cache = getattr(community, "_policy_cache", None)
    if cache is None:
        rows = PolicyValue.objects.filter(
            Q(street_office_id=community.street_office_id, community__isnull=True) | Q(community=community)
        ).exclude(value="")
        street, own = {}, {}
        for row in rows:
            (own if row.community_id else street)[row.key] = row.value
        cache = {**street, **_own_values(own)}
        community._policy_cache = cache
    return cache


def committee_approver_role(community: Community) -> Role:
    """ORG-3: the role that approves "at committee level" in this community (主任 or 书记)."""
    return Role(get(community, "org.committee_approver"))


@transaction.atomic
def set_value(
    *, street_office: StreetOffice, community: Community | None, key: str, raw: str, reason: str, acting_user
) -> PolicyValue | None:
    """Set (or, with an empty value, clear back to the default) one value. Validated before anything is saved."""
    spec = setting(key)
    if community is not None and spec.street_only:
        raise ValidationError(
            _("“%(label)s” is one value for the whole street office; a community cannot have its own (%(rule)s)."),
            params={"label": spec.label, "rule": spec.rule},
        )
    existing = PolicyValue.objects.select_for_update(of=("self",)).filter(
        street_office=street_office, community=community, key=key
    ).first()
    # An empty value returns the setting to the default above it; the row stays, so its history does too.
    text = "" if raw is None or str(raw).strip() == "" else spec.format(spec.parse(str(raw)))
    if existing is None and text == "":
        return None
    row = existing or PolicyValue(street_office=street_office, community=community, key=key)
    row.value = text
    row.reason = reason
    row._history_user = acting_user
    row.save()
    if community is not None:
        community.__dict__.pop("_policy_cache", None)
    return row


def table(street_office: StreetOffice, community: Community | None):
    """Rows for the policy page: each setting with the default, the street value and the community value."""
    rows = PolicyValue.objects.filter(street_office=street_office).exclude(value="")
    street = {r.key: r for r in rows if r.community_id is None}
    own = {r.key: r for r in rows if community is not None and r.community_id == community.pk}
    out = []
    for spec in SETTINGS.values():
        street_row, own_row = street.get(spec.key), own.get(spec.key)
        if spec.street_only:
            own_row = None
        effective_raw = (own_row or street_row).value if (own_row or street_row) else None
        effective = spec.parse(effective_raw) if effective_raw is not None else spec.default
        out.append(
            {
                "spec": spec,
                "default": spec.display(spec.default),
                "street": spec.display(spec.parse(street_row.value)) if street_row else "",
                "own": spec.display(spec.parse(own_row.value)) if own_row else "",
                "effective": spec.display(effective),
                "edit_value": spec.format(effective),
            }
        )
    return out


def prefetch(communities) -> None:
    """Load the policy of many communities in one query (dashboards of a whole street office)."""
    communities = [c for c in communities if getattr(c, "_policy_cache", None) is None]
    if not communities:
        return
    street_ids = {c.street_office_id for c in communities}
    rows = PolicyValue.objects.filter(
        Q(street_office_id__in=street_ids, community__isnull=True) | Q(community__in=communities)
    ).exclude(value="")
    street: dict[int, dict[str, str]] = {}
    own: dict[int, dict[str, str]] = {}
    for row in rows:
        if row.community_id:
            own.setdefault(row.community_id, {})[row.key] = row.value
        else:
            street.setdefault(row.street_office_id, {})[row.key] = row.value
    for c in communities:
        c._policy_cache = {**street.get(c.street_office_id, {}), **_own_values(own.get(c.pk, {}))}
        c._street_policy_cache = dict(street.get(c.street_office_id, {}))  # the street's own values only


def _own_values(values: dict[str, str]) -> dict[str, str]:
    """A community's own values, less those of street-only settings (a legacy row is never read)."""
    return {k: v for k, v in values.items() if k not in SETTINGS or not SETTINGS[k].street_only}
