"""Owners of C heap handles, and the conversion of Python values to fisc decimal text.

A handle class owns one pointer: ``close()`` releases it (idempotent), ``with`` closes it, and
``__del__`` closes it too unless the interpreter is shutting down. Using a closed handle raises
:class:`~fisc.errors.FiscMisuse` instead of passing a dangling pointer to C.
"""

import sys
from ctypes import byref, c_uint32, c_void_p
from decimal import Decimal
from fractions import Fraction

from . import _ffi
from .errors import FiscRangeError, Status, invalid_argument, misuse

FLOAT_HINT = "pass Decimal('1234.56') or '1234.56'"

# A Decimal or int this far beyond fisc's limits (40 integer / 20 fraction digits) is refused
# before its text is built: format(Decimal('1E+999999999'), 'f') would need a gigabyte.
_ABSURD_DIGITS = 1000


class Handle:
    """Base class: owns one C pointer released by ``free``."""

    _kind = "handle"

    def __init__(self, lib, ptr, free):
        self._lib = lib
        self._free = free
        self._ptr = ptr

    @property
    def ptr(self):
        """The C pointer (an int); FiscMisuse once the handle is closed."""
        if self._ptr is None:
            raise misuse("this %s has been closed" % self._kind)
        return self._ptr

    @property
    def closed(self):
        return self._ptr is None

    def close(self):
        """Release the C object. Safe to call more than once."""
        ptr, self._ptr = self._ptr, None
        if ptr is not None:
            self._free(ptr)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        # At interpreter shutdown module globals and the library may already be torn down
        # (python-magic's guard): leaking one object then is harmless, crashing is not.
        try:
            if getattr(self, "_ptr", None) is None or sys is None or sys.is_finalizing():
                return
            self.close()
        except Exception:
            pass


def as_text(value, what="value"):
    """The canonical decimal text of a Decimal, int or str (str is passed through unchanged,
    for fisc's own parser to judge). float is refused: it is binary and inexact."""
    if isinstance(value, bool):
        raise TypeError("%s: a bool is not an amount; %s" % (what, FLOAT_HINT))
    if isinstance(value, float):
        raise TypeError("%s: float is not accepted because binary floating point is inexact "
                        "(%r); %s" % (what, value, FLOAT_HINT))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise invalid_argument("%s: %s is not a finite number" % (what, value), source=what)
        if value and (value.adjusted() > _ABSURD_DIGITS
                      or value.as_tuple().exponent < -_ABSURD_DIGITS):
            raise FiscRangeError("%s: %s has too many digits" % (what, value), code=Status.ERANGE,
                                 source=what)
        # format(d, 'f'), never str(d): str(Decimal('1E+3')) is '1E+3', which fisc rejects.
        return format(value, "f")
    if isinstance(value, int):
        if value.bit_length() > _ABSURD_DIGITS * 3:
            raise FiscRangeError("%s: the integer has too many digits" % what,
                                 code=Status.ERANGE, source=what)
        return str(value)
    if isinstance(value, str):
        return value
    raise TypeError("%s must be a Decimal, int or str, not %s; %s"
                    % (what, type(value).__name__, FLOAT_HINT))


def from_text(text):
    """A fisc exact text ("1234.5", "-0.125", "2/3") as a Decimal, or a Fraction if it is p/q."""
    if "/" in text:
        return Fraction(text)
    return Decimal(text)


def pad_places(text, places):
    """Append zeros so that ``text`` (an exact decimal) shows at least ``places`` decimals."""
    if places <= 0 or "/" in text:
        return text
    point = text.find(".")
    have = 0 if point < 0 else len(text) - point - 1
    if have >= places:
        return text
    return text + ("" if point >= 0 else ".") + "0" * (places - have)


def decimals_of(text):
    """How many decimals an exact text shows ("0.05" -> 2, "10" -> 0)."""
    point = text.find(".")
    return 0 if point < 0 else len(text) - point - 1


def format_ptr(ptr, places=None, rounding=0, grouping=False, unit=0, lib=None):
    """Text of the fisc_decimal at ``ptr`` (owned or borrowed) via fisc_decimal_to_string.

    ``places=None`` gives the exact shortest form. Returns ``(text, status_bits)``.
    """
    lib = lib or _ffi.LIB
    fmt = None
    if places is not None or grouping or unit:
        fmt = _ffi._FormatStruct()
        lib.fisc_format_init(fmt, _ffi.FISC_FORMAT_VERSION)
        fmt.places = _ffi.FISC_PLACES_EXACT if places is None else places
        fmt.rounding = int(rounding)
        fmt.grouping = 1 if grouping else 0
        fmt.unit = int(unit)
    out = c_void_p()
    status = c_uint32(0)
    lib.fisc_decimal_to_string(byref(out), ptr, fmt, byref(status), _ffi.new_error())
    return _ffi.take_string(out.value, lib), status.value


class Dec(Handle):
    """An owned ``fisc_decimal *`` from fisc_decimal_new(); never the struct itself."""

    _kind = "fisc decimal"

    def __init__(self, lib=None):
        lib = lib or _ffi.LIB
        out = c_void_p()
        lib.fisc_decimal_new(byref(out), _ffi.new_error())
        if not out.value:
            raise MemoryError("fisc_decimal_new returned no decimal")
        super().__init__(lib, out.value, lib.fisc_decimal_free)

    @classmethod
    def parse(cls, value, what="value", flags=_ffi.FISC_PARSE_PLAIN, lib=None):
        """A new decimal holding ``value`` (Decimal, int or str), parsed by fisc.

        Raises FiscParseError (with .column) or FiscRangeError on bad text; the exception's
        ``source`` is ``what`` when the library named none.
        """
        raw = as_text(value, what).encode("utf-8")
        d = cls(lib)
        try:
            # parse_n with the byte length: a NUL inside the str is an error, not an end.
            d._lib.fisc_decimal_parse_n(d.ptr, raw, len(raw), flags, _ffi.new_error())
        except Exception as exc:
            d.close()
            if getattr(exc, "source", None) == "":
                exc.source = what
            raise
        return d

    def set_int(self, v):
        self._lib.fisc_decimal_set_int(self.ptr, v)
        return self

    def text(self, places=None, rounding=0, grouping=False, unit=0):
        """The value as text (see format_ptr)."""
        return format_ptr(self.ptr, places, rounding, grouping, unit, self._lib)[0]

    def value(self):
        """The value as a Decimal (or a Fraction when it does not terminate)."""
        return from_text(self.text())

    def sign(self):
        return self._lib.fisc_decimal_sign(self.ptr)

    def cmp(self, other):
        return self._lib.fisc_decimal_cmp(self.ptr, other.ptr)

