"""Exceptions raised by the fisc binding, and the status codes of ``<fisc/errors.h>``.

Every fisc function that fails returns a negative ``fisc_status`` and fills a caller-owned
``fisc_error``. The binding turns that into one exception, always a :class:`FiscError`, whose
class follows the code:

==================  =================================================
``FISC_EINVAL``     :class:`FiscInvalidArgument` (also a ``ValueError``)
``FISC_ENOMEM``     :class:`FiscMemoryError` (also a ``MemoryError``)
``FISC_ENOTFOUND``  :class:`FiscNotFound` (also a ``LookupError``)
``FISC_EPARSE``     :class:`FiscParseError` (also a ``ValueError``)
``FISC_ERANGE``     :class:`FiscRangeError` (also a ``ValueError``)
``FISC_EMISUSE``    :class:`FiscMisuse`
``FISC_EDIVZERO``   :class:`FiscDivisionByZero` (also a ``ZeroDivisionError``)
other codes         :class:`FiscError`
==================  =================================================

The message is the library's ``fisc_error.text``, or ``fisc_strerror(code)`` when that is empty.
Applications that show their own (e.g. Chinese) messages should key them on ``.name``
(``"FISC_EPARSE"``), which never changes, and never parse the English text.

This module does not touch the C library, so it can be imported on its own.
"""

import enum

__all__ = [
    "Status",
    "FiscError",
    "FiscInvalidArgument",
    "FiscMemoryError",
    "FiscNotFound",
    "FiscParseError",
    "FiscRangeError",
    "FiscMisuse",
    "FiscDivisionByZero",
]


class Status(enum.IntEnum):
    """``fisc_status`` codes. Pinned and append-only, as in ``<fisc/errors.h>``."""

    OK = 0          #: success
    EINVAL = -1     #: an argument or input value is invalid
    ENOMEM = -2     #: memory could not be allocated
    ENOTFOUND = -3  #: a named thing does not exist
    EPARSE = -4     #: text could not be parsed (the error gives the position)
    ERANGE = -5     #: a value is outside the documented limits
    EMISUSE = -6    #: the caller broke a documented precondition
    EDIVZERO = -7   #: division by zero

    @property
    def c_name(self):
        """The name ``fisc_err_name()`` gives this code, e.g. ``"FISC_EINVAL"``."""
        return "FISC_" + self.name


class FiscError(Exception):
    """A fisc call failed.

    Attributes:
        code:   the ``fisc_status`` (a negative int; a :class:`Status` when known).
        name:   the stable name from ``fisc_err_name()``, e.g. ``"FISC_EPARSE"``.
        text:   the library's sentence describing the failure (English).
        source: the file, field or parameter concerned, or ``""``.
        line:   1-based line of the offending text, or -1.
        column: 1-based column (in characters) of the offending character, or -1.
    """

    def __init__(self, text, code=Status.EINVAL, name=None, source="", line=-1, column=-1):
        super().__init__(text)
        try:
            code = Status(code)
        except ValueError:
            code = int(code)
        self.code = code
        if name is None:
            name = code.c_name if isinstance(code, Status) else "FISC_EUNKNOWN"
        self.name = name
        self.text = text
        self.source = source
        self.line = line
        self.column = column

    def __str__(self):
        return self.text

    def __repr__(self):
        return "%s(%r, code=%d, name=%r, source=%r, line=%d, column=%d)" % (
            type(self).__name__, self.text, int(self.code), self.name, self.source,
            self.line, self.column)


class FiscInvalidArgument(FiscError, ValueError):
    """``FISC_EINVAL``: an argument or input value is invalid."""


class FiscMemoryError(FiscError, MemoryError):
    """``FISC_ENOMEM``: the library could not allocate memory."""


class FiscNotFound(FiscError, LookupError):
    """``FISC_ENOTFOUND``: a named thing does not exist."""


class FiscParseError(FiscError, ValueError):
    """``FISC_EPARSE``: text could not be parsed; ``.column`` gives the first bad character."""


class FiscRangeError(FiscError, ValueError):
    """``FISC_ERANGE``: a value is outside the documented limits (e.g. too many digits)."""


class FiscMisuse(FiscError):
    """``FISC_EMISUSE``: a documented precondition was broken (e.g. a handle used after close())."""


class FiscDivisionByZero(FiscError, ZeroDivisionError):
    """``FISC_EDIVZERO``: division by zero."""


_CLASS_FOR_CODE = {
    Status.EINVAL: FiscInvalidArgument,
    Status.ENOMEM: FiscMemoryError,
    Status.ENOTFOUND: FiscNotFound,
    Status.EPARSE: FiscParseError,
    Status.ERANGE: FiscRangeError,
    Status.EMISUSE: FiscMisuse,
    Status.EDIVZERO: FiscDivisionByZero,
}


def exception_class(code):
    """The exception class raised for status ``code`` (:class:`FiscError` for unknown codes)."""
    return _CLASS_FOR_CODE.get(code, FiscError)


def make_error(code, text, name=None, source="", line=-1, column=-1):
    """Build (do not raise) the exception for ``code``."""
    return exception_class(code)(text, code=code, name=name, source=source, line=line,
                                 column=column)


def invalid_argument(text, source="", column=-1):
    """A :class:`FiscInvalidArgument` raised by the binding itself (no C call involved)."""
    return FiscInvalidArgument(text, code=Status.EINVAL, source=source,
                               line=1 if column > 0 else -1, column=column)


def misuse(text, source=""):
    """A :class:`FiscMisuse` raised by the binding itself (e.g. a closed handle)."""
    return FiscMisuse(text, code=Status.EMISUSE, source=source)
