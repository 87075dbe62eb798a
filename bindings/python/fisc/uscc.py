"""统一社会信用代码 (unified social credit code, GB 32100-2015) validation (C: ``fisc_uscc_check``)."""

import enum
from dataclasses import dataclass

from . import _ffi
from .errors import FiscInvalidArgument, invalid_argument

__all__ = ["UsccWarning", "Uscc", "validate_uscc", "is_valid_uscc"]


class UsccWarning(enum.IntFlag):
    """``FISC_USCC_WARN_*``: things worth telling a user about a code that is nevertheless valid."""

    NONE = 0
    #: the input was normalised (spaces, hyphens, full-width characters or lower case removed)
    NORMALIZED = 0x1
    #: the GB 11714 check of the 组织机构代码 (characters 9-17) fails: common in legacy data
    ORG_CODE = 0x2
    #: the 登记管理部门码 / 机构类别码 pair is not one fisc knows
    CATEGORY = 0x4


@dataclass(frozen=True)
class Uscc:
    """A valid code: ``code``, the normalised 18 characters, and ``warnings``, a UsccWarning."""

    code: str
    warnings: UsccWarning

    def __str__(self):
        return self.code

    @property
    def normalized(self):
        """True when the input had to be normalised to give :attr:`code`."""
        return bool(self.warnings & UsccWarning.NORMALIZED)


def validate_uscc(code):
    """Check a 统一社会信用代码 and return a :class:`Uscc`.

    Spaces, hyphens, full-width forms and lower case are normalised first (with the NORMALIZED
    warning). An invalid code raises :class:`~fisc.errors.FiscInvalidArgument` (a ValueError)
    whose text says what is wrong and whose ``.column`` is the 1-based position of the character
    to blame when there is one (a character outside the set such as I, O, S, V, Z; a wrong check
    character), else -1.

    >>> validate_uscc('91440300708461136T').code
    '91440300708461136T'
    """
    if not isinstance(code, str):
        raise TypeError("code must be a str, not %s" % type(code).__name__)
    nul = code.find("\0")
    if nul >= 0:
        # The C function takes a NUL-terminated string: it would silently see only the prefix.
        raise invalid_argument("the code contains a NUL character at position %d" % (nul + 1),
                               source="code", column=nul + 1)
    out = _ffi._UsccStruct()
    _ffi.LIB.fisc_uscc_check(out, code.encode("utf-8"), _ffi.new_error())
    return Uscc(out.code.decode("ascii"), UsccWarning(out.warnings))


def is_valid_uscc(code):
    """True when :func:`validate_uscc` accepts ``code`` (warnings allowed)."""
    try:
        validate_uscc(code)
    except FiscInvalidArgument:
        return False
    return True
