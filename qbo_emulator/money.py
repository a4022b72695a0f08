"""Amounts: QuickBooks keeps money to the cent and rounds half up (a line of 128.35 kg at
14.50 is 1,861.08, not 1,861.07).  Decimal arithmetic throughout; JSON numbers on the wire."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from . import faults

CENT = Decimal("0.01")
ZERO = Decimal("0")


def cents(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse(value, element, default=None):
    """A number as QuickBooks reads it: JSON number or numeric string; "" is "not given"."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise faults.invalid_property(element, element)
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise faults.invalid_property(element, element) from exc


def out(value):
    """A Decimal as the JSON number QuickBooks sends (``100.0``, ``337.5``, ``0``)."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value() and abs(value) < 10**15:
        return float(value) if value else 0
    return float(value)


def out_cents(value):
    return out(cents(value))
