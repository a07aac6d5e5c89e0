"""Money: exact Decimal yuan, rounded half-up to the fen, and Chinese capitals for receipts (FIN-7, FIN-11)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import cn2an
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FEN = Decimal("0.01")


def to_yuan(value) -> Decimal:
    """A Decimal with two places, rounded half-up. Floats are refused: they are never exact (FIN-11)."""
    if isinstance(value, float):
        raise TypeError("money is never a float (FIN-11); pass a Decimal or a string")
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(value)s is not an amount of money."), params={"value": value}) from None
    if not amount.is_finite():
        raise ValidationError(_("%(value)s is not an amount of money."), params={"value": value})
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def capitals(value) -> str:
    """1409.50 → 人民币壹仟肆佰零玖元伍角; 100000 → 人民币壹拾万元整. Negative amounts are refused."""
    amount = to_yuan(value)
    if amount < 0:
        raise ValidationError(_("A negative amount cannot be written in capitals (FIN-7)."))
    if amount == 0:
        return "人民币零元整"
    return "人民币" + cn2an.an2cn(format(amount, "f"), "rmb")
