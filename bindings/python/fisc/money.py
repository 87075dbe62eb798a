"""Exact rounding, formatting and 人民币大写 through libfisc.

Values go in as ``decimal.Decimal``, ``int`` or ``str`` and come out as ``Decimal``. ``float`` is
refused with ``TypeError``: ``Decimal(1234.56)`` is ``1234.55999999999994543…``. Strings must be in
fisc's grammar ``-?(0|[1-9][0-9]*)(\\.[0-9]+)?`` (ASCII, no spaces, no ``+``, no exponent, no
thousands separators); anything else raises :class:`~fisc.errors.FiscParseError` with ``.column``
at the first bad character, and more than 40 integer or 20 fraction digits raise
:class:`~fisc.errors.FiscRangeError`. All arithmetic happens in C; Python only moves text.
"""

import contextlib
import enum
from ctypes import byref, c_uint32, c_void_p
from decimal import Decimal
from typing import NamedTuple

from . import _ffi
from ._handles import Dec, decimals_of, format_ptr, from_text, pad_places
from .errors import invalid_argument

__all__ = [
    "Rounding",
    "Unit",
    "RoundResult",
    "round_amount",
    "round_to_unit",
    "to_chinese_upper",
    "parse_decimal",
    "format_decimal",
    "version",
    "version_number",
]


class Rounding(enum.IntEnum):
    """``fisc_round`` modes (values pinned in ``<fisc/decimal.h>``)."""

    HALF_UP = 0     #: 四舍五入: nearest, ties away from zero (symmetric); the money default
    HALF_EVEN = 1   #: 四舍六入五成双 (GB/T 8170): nearest, ties to the even neighbour
    HALF_DOWN = 2   #: nearest, ties toward zero
    DOWN = 3        #: 截位: toward zero
    UP = 4          #: away from zero
    CEILING = 5     #: toward positive infinity
    FLOOR = 6       #: toward negative infinity


class Unit(enum.IntEnum):
    """``fisc_unit``: the unit :func:`format_decimal` writes in."""

    YUAN = 0  #: the value as it is (元)
    WAN = 1   #: the value divided by 10000 exactly (万元)


_UNIT_NAMES = {"yuan": Unit.YUAN, "元": Unit.YUAN, "wan": Unit.WAN, "万元": Unit.WAN,
               "万": Unit.WAN}


class RoundResult(NamedTuple):
    """What ``with_residue=True`` returns: ``value + residue`` is exactly the input."""

    value: Decimal      #: the rounded value
    residue: Decimal    #: input - value, exactly (what the rounding dropped)
    inexact: bool       #: True when the residue is not zero (FISC_STATUS_INEXACT)


def rounding_mode(mode):
    """A :class:`Rounding` from a Rounding, its int value, or a name such as ``"half_up"``
    (case-insensitive; Python's ``decimal.ROUND_HALF_UP`` spelling is accepted too)."""
    if isinstance(mode, Rounding):
        return mode
    if isinstance(mode, str):
        key = mode.strip().lower().replace("-", "_")
        if key.startswith("round_"):
            key = key[len("round_"):]
        try:
            return Rounding[key.upper()]
        except KeyError:
            pass
    elif isinstance(mode, int) and not isinstance(mode, bool):
        try:
            return Rounding(mode)
        except ValueError:
            pass
    raise invalid_argument("unknown rounding mode %r; use one of %s" % (
        mode, ", ".join(repr(m.name.lower()) for m in Rounding)), source="mode")


def _unit_of(unit):
    if isinstance(unit, Unit):
        return unit
    if isinstance(unit, str) and unit.strip().lower() in _UNIT_NAMES:
        return _UNIT_NAMES[unit.strip().lower()]
    if isinstance(unit, int) and not isinstance(unit, bool):
        try:
            return Unit(unit)
        except ValueError:
            pass
    raise invalid_argument("unknown unit %r; use 'yuan' (元) or 'wan' (万元)" % (unit,),
                           source="unit")


def _int_arg(value, what):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s must be an int, not %s" % (what, type(value).__name__))
    return value


def round_amount(value, places=2, mode="half_up", *, with_residue=False):
    """Round ``value`` to ``places`` decimals (C: ``fisc_decimal_round``), once, exactly.

    ``places`` may be negative (-1 rounds to tens, -4 to 万). ``mode`` is a :class:`Rounding` or
    its name: "half_up" (四舍五入, the default), "half_even", "half_down", "down", "up",
    "ceiling", "floor". The Decimal returned has exactly ``places`` decimals when
    ``places >= 0`` (``round_amount('2', 2)`` is ``Decimal('2.00')``) and none otherwise.

    With ``with_residue=True`` the result is a :class:`RoundResult` ``(value, residue, inexact)``.

    >>> round_amount('2.665')
    Decimal('2.67')
    >>> round_amount('2.665', mode='half_even')
    Decimal('2.66')
    """
    places = _int_arg(places, "places")
    rmode = rounding_mode(mode)
    lib = _ffi.LIB
    with contextlib.ExitStack() as stack:
        v = stack.enter_context(Dec.parse(value, "value"))
        r = stack.enter_context(Dec())
        res = stack.enter_context(Dec()) if with_residue else None
        status = c_uint32(0)
        lib.fisc_decimal_round(r.ptr, res.ptr if res else None, v.ptr, places, rmode,
                               byref(status), _ffi.new_error())
        # The value already has at most max(places, 0) decimals: formatting with that many
        # places only pads zeros, so no rounding happens here or in Python.
        rounded = Decimal(r.text(places=max(places, 0), rounding=rmode))
        if not with_residue:
            return rounded
        return RoundResult(rounded, from_text(res.text()),
                           bool(status.value & _ffi.FISC_STATUS_INEXACT))


def round_to_unit(value, unit, mode="half_up", *, with_residue=False):
    """Round ``value`` to a multiple of ``unit`` (C: ``fisc_decimal_round_unit``).

    ``unit`` is any positive decimal: "0.01" (分), "0.05", "1", "10", "10000" (万元) ... The result
    shows as many decimals as the unit does (``round_to_unit('2.6', '0.05')`` is
    ``Decimal('2.60')``, ``round_to_unit('15', '10')`` is ``Decimal('20')``).
    With ``with_residue=True`` the result is a :class:`RoundResult` ``(value, residue, inexact)``.
    A unit that is not positive raises :class:`~fisc.errors.FiscInvalidArgument`.
    """
    rmode = rounding_mode(mode)
    lib = _ffi.LIB
    with contextlib.ExitStack() as stack:
        u = stack.enter_context(Dec.parse(unit, "unit"))
        v = stack.enter_context(Dec.parse(value, "value"))
        r = stack.enter_context(Dec())
        res = stack.enter_context(Dec()) if with_residue else None
        status = c_uint32(0)
        lib.fisc_decimal_round_unit(r.ptr, res.ptr if res else None, v.ptr, u.ptr, rmode,
                                    byref(status), _ffi.new_error())
        # A multiple of the unit never has more decimals than the unit: pad, never round.
        rounded = Decimal(pad_places(r.text(), decimals_of(u.text())))
        if not with_residue:
            return rounded
        return RoundResult(rounded, from_text(res.text()),
                           bool(status.value & _ffi.FISC_STATUS_INEXACT))


def to_chinese_upper(amount, zheng_after_jiao=True, rmb_prefix=False):
    """Write an amount in 元 as 人民币大写 (C: ``fisc_upper_format``).

    ``amount`` has at most two decimals (round to 分 first) and at most 40 integer digits.
    整 follows 元 always and 角 by default; ``zheng_after_jiao=False`` gives PBoC's shorter
    form (1409.50 → 壹仟肆佰零玖元伍角). ``rmb_prefix=True`` prefixes 人民币.

    >>> to_chinese_upper('1409.50')
    '壹仟肆佰零玖元伍角整'
    """
    flags = 0
    if not zheng_after_jiao:
        flags |= _ffi.FISC_UPPER_NO_ZHENG_AFTER_JIAO
    if rmb_prefix:
        flags |= _ffi.FISC_UPPER_RMB_PREFIX
    lib = _ffi.LIB
    with Dec.parse(amount, "amount") as a:
        out = c_void_p()
        lib.fisc_upper_format(byref(out), a.ptr, flags, _ffi.new_error())
        return _ffi.take_string(out.value, lib)


def parse_decimal(text, *, percent=False, fraction=False):
    """Parse with fisc's grammar and return the exact value.

    ``percent=True`` also accepts ``N%`` (N/100); ``fraction=True`` also accepts ``a/b``. The
    result is a Decimal when the value is a terminating decimal, else a ``fractions.Fraction``
    (``parse_decimal('1/3', fraction=True)``).
    """
    flags = _ffi.FISC_PARSE_PLAIN
    if percent:
        flags |= _ffi.FISC_PARSE_PERCENT
    if fraction:
        flags |= _ffi.FISC_PARSE_FRACTION
    with Dec.parse(text, "text", flags) as d:
        return d.value()


def format_decimal(value, places=None, mode="half_up", *, grouping=False, unit="yuan"):
    """Format a value as text (C: ``fisc_decimal_to_string``).

    ``places=None`` gives the exact shortest form ("1234.5"); an int 0..36 gives exactly that
    many decimals, rounded by ``mode`` if needed. ``grouping=True`` separates thousands with
    ",". ``unit="wan"`` divides by 10000 exactly first (amounts in 万元).

    >>> format_decimal('12345678.9', 2, grouping=True)
    '12,345,678.90'
    >>> format_decimal('12345678.9', 6, unit='wan')
    '1234.567890'
    """
    if places is not None:
        places = _int_arg(places, "places")
    rmode = rounding_mode(mode)
    u = _unit_of(unit)
    with Dec.parse(value, "value") as d:
        return format_ptr(d.ptr, places, rmode, grouping, u)[0]


def version():
    """The running library's version, "major.minor.patch" (C: ``fisc_version_string``)."""
    return _ffi.LIB.fisc_version_string().decode("ascii")


def version_number():
    """The running library's version as major*10000 + minor*100 + patch."""
    return _ffi.LIB.fisc_version_number()
