"""Split a total into parts exactly (C: ``fisc_apportion_*``).

Two uses, as ``mode``:

* ``"weights"``: the whole total is split in proportion to the weights;
* ``"prorata"``: each part is a request; if the requests fit in the total (a budget) each part
  gets its request and the rest is unallocated, otherwise every request is scaled down by the
  same ratio (同比例核减).

Parts are multiples of ``unit`` (``"0.01"``, i.e. 分, by default). A part may have a cap; what a
capped part cannot take goes to the others. Units left over after rounding down go out by the
``remainder`` rule: ``"largest"`` (largest dropped fraction first, the default), ``"first"``
(all to the first part in tie order with room) or ``"separate"`` (kept out and reported in
:attr:`Apportionment.remainder`). Ties go by ``keys`` when given (the parts sorted by key,
stably), else by position.

The parts, the remainder and the unallocated amount always add up exactly to the total.
"""

import contextlib
import enum
from ctypes import byref, c_size_t, c_uint32, c_void_p, cast, POINTER
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import List

from . import _ffi
from ._handles import Dec, Handle, decimals_of, format_ptr, from_text, pad_places
from .errors import invalid_argument, misuse

__all__ = ["ApportionMode", "Remainder", "Apportionment", "Apportioner", "apportion"]


class ApportionMode(enum.IntEnum):
    """``fisc_apportion_mode``."""

    WEIGHTS = 0  #: split the whole total by weight
    PRORATA = 1  #: parts are requests; scale them down only when over budget


class Remainder(enum.IntEnum):
    """``fisc_remainder``: where units left after rounding down go."""

    LARGEST = 0   #: largest remainder method (Hamilton)
    FIRST = 1     #: all to the first part in tie order
    SEPARATE = 2  #: kept out of the parts and reported


def _enum_arg(enum_cls, value, what):
    if isinstance(value, enum_cls):
        return value
    if isinstance(value, str):
        try:
            return enum_cls[value.strip().upper().replace("-", "_")]
        except KeyError:
            pass
    elif isinstance(value, int) and not isinstance(value, bool):
        try:
            return enum_cls(value)
        except ValueError:
            pass
    raise invalid_argument("unknown %s %r; use one of %s" % (
        what, value, ", ".join(repr(m.name.lower()) for m in enum_cls)), source=what)


@dataclass(frozen=True)
class Apportionment:
    """The result of one run. Iterating, ``len()`` and indexing go over :attr:`parts`."""

    #: the amount of each part, a multiple of the unit, in the order the parts were given
    parts: List[Decimal]
    #: True where the part's cap held it (FISC_STATUS_CAPPED)
    capped: List[bool]
    #: True where the part differs from its exact share (FISC_STATUS_INEXACT)
    inexact: List[bool]
    #: each part's exact, unrounded share (a Fraction: it may not terminate)
    exact: List[Fraction]
    #: what the caps (or, pro rata, the requests) could not absorb
    unallocated: Decimal
    #: units kept out of the parts by remainder="separate" (zero otherwise)
    remainder: Decimal
    #: the total that was apportioned
    total: Decimal = field(default=Decimal(0))
    #: the unit the parts are multiples of
    unit: Decimal = field(default=Decimal("0.01"))

    def __iter__(self):
        return iter(self.parts)

    def __len__(self):
        return len(self.parts)

    def __getitem__(self, i):
        return self.parts[i]

    @property
    def allocated(self):
        """The sum of the parts (total - remainder - unallocated)."""
        return sum(self.parts, Decimal(0))


class Apportioner(Handle):
    """An owned ``fisc_apportion *``: add parts, then :meth:`run` (as often as wanted).

    >>> with Apportioner(['1', '1', '1']) as ap:
    ...     list(ap.run('1.00'))
    [Decimal('0.34'), Decimal('0.33'), Decimal('0.33')]
    """

    _kind = "apportioner"

    def __init__(self, weights=(), caps=None):
        lib = _ffi.LIB
        out = c_void_p()
        lib.fisc_apportion_new(byref(out), _ffi.new_error())
        if not out.value:
            raise MemoryError("fisc_apportion_new returned no object")
        super().__init__(lib, out.value, lib.fisc_apportion_free)
        try:
            weights = _as_list(weights, "weights")
            if caps is not None:
                caps = _as_list(caps, "caps")
                if len(caps) != len(weights):
                    raise invalid_argument("caps has %d entries but weights has %d; give one cap "
                                           "(or None) per part" % (len(caps), len(weights)),
                                           source="caps")
            for i, w in enumerate(weights):
                self.add(w, caps[i] if caps is not None else None)
        except BaseException:
            self.close()
            raise

    def add(self, weight, cap=None):
        """Add a part with a weight (or request) and an optional cap; returns its index."""
        index = len(self)
        with contextlib.ExitStack() as stack:
            w = stack.enter_context(Dec.parse(weight, "weights[%d]" % index))
            c = None
            if cap is not None:
                c = stack.enter_context(Dec.parse(cap, "caps[%d]" % index))
            self._lib.fisc_apportion_add(self.ptr, w.ptr, c.ptr if c is not None else None,
                                         _ffi.new_error())
        return index

    def __len__(self):
        return self._lib.fisc_apportion_count(self.ptr)

    def run(self, total, *, unit="0.01", remainder="largest", keys=None, mode="weights"):
        """Apportion ``total`` over the parts; returns an :class:`Apportionment`."""
        lib = self._lib
        rem = _enum_arg(Remainder, remainder, "remainder")
        amode = _enum_arg(ApportionMode, mode, "mode")
        n = len(self)
        order_array = None
        if keys is not None:
            keys = _as_list(keys, "keys")
            if len(keys) != n:
                raise invalid_argument("keys has %d entries but there are %d parts"
                                       % (len(keys), n), source="keys")
            order = sorted(range(n), key=keys.__getitem__)  # stable: equal keys keep position
            order_array = (c_size_t * n)(*order)
        with contextlib.ExitStack() as stack:
            t = stack.enter_context(Dec.parse(total, "total"))
            u = stack.enter_context(Dec.parse(unit, "unit"))
            opts = _ffi._ApportionOptionsStruct()
            lib.fisc_apportion_options_init(opts, _ffi.FISC_APPORTION_OPTIONS_VERSION)
            opts.mode = amode
            opts.remainder = rem
            opts.unit = u.ptr
            if order_array is not None:
                opts.order = cast(order_array, POINTER(c_size_t))
                opts.order_len = n
            lib.fisc_apportion_run(self.ptr, t.ptr, opts, _ffi.new_error())

            places = decimals_of(u.text())
            parts, capped, inexact, exact = [], [], [], []
            for i in range(n):
                flags = c_uint32(0)
                p = lib.fisc_apportion_part(self.ptr, i, byref(flags))
                if not p:
                    raise misuse("fisc_apportion_part(%d) returned NULL after a successful run"
                                 % i)
                parts.append(self._read(p, places))
                capped.append(bool(flags.value & _ffi.FISC_STATUS_CAPPED))
                inexact.append(bool(flags.value & _ffi.FISC_STATUS_INEXACT))
                e = lib.fisc_apportion_exact_share(self.ptr, i)
                exact.append(Fraction(from_text(format_ptr(e, lib=lib)[0])) if e else None)
            unallocated = self._read(lib.fisc_apportion_unallocated(self.ptr), places)
            remainder_amount = self._read(lib.fisc_apportion_remainder(self.ptr), places)
            return Apportionment(parts=parts, capped=capped, inexact=inexact, exact=exact,
                                 unallocated=unallocated, remainder=remainder_amount,
                                 total=from_text(pad_places(t.text(), places)),
                                 unit=from_text(u.text()))

    def _read(self, ptr, places):
        """A borrowed fisc_decimal (valid until the next run or close) as a Decimal."""
        if not ptr:
            raise misuse("the apportionment has no result to read")
        return from_text(pad_places(format_ptr(ptr, lib=self._lib)[0], places))


def _as_list(values, what):
    if isinstance(values, (str, bytes)):
        raise TypeError("%s must be a sequence of amounts, not a single %s"
                        % (what, type(values).__name__))
    return list(values)


def apportion(total, weights, caps=None, unit="0.01", remainder="largest", keys=None,
              mode="weights"):
    """Split ``total`` over ``weights`` exactly; returns an :class:`Apportionment`.

    ``caps`` is None or one entry per part, None meaning uncapped. ``keys`` is None or one
    sortable key per part giving the tie order (smallest key first served). See the module
    docstring for ``unit``, ``remainder`` and ``mode``.

    >>> [str(p) for p in apportion('100.00', ['1', '2'])]
    ['33.33', '66.67']
    """
    with Apportioner(weights, caps) as ap:
        return ap.run(total, unit=unit, remainder=remainder, keys=keys, mode=mode)
