"""Pay a program's applicants from a fixed budget (fisc budget, in Python).

Each applicant is identified by its 统一社会信用代码 (USCC, checked with :func:`fisc.validate_uscc`)
and has an approved amount and an optional cap. If the approved amounts fit in the budget each
applicant gets its amount; otherwise all are scaled down by one ratio (同比例核减). A cap limits an
applicant and what it cannot take goes to the others. Amounts are exact multiples of 0.01 (分):
the 分 left over after rounding down go by the largest remainder, ties to the lowest normalised
USCC. The arithmetic is :func:`fisc.apportion` (``mode="prorata"``, ``keys`` = the USCCs).
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import List, Optional

from .apportionment import apportion
from .errors import FiscInvalidArgument, invalid_argument
from .uscc import validate_uscc

__all__ = ["BudgetRow", "Reconciliation", "BudgetAllocation", "allocate_budget"]


@dataclass(frozen=True)
class BudgetRow:
    """One applicant and what it receives."""

    uscc: str                  #: the normalised USCC
    name: Optional[str]        #: as given, or None
    approved: Decimal          #: the approved amount
    cap: Optional[Decimal]     #: the cap, or None
    allocated: Decimal         #: what it receives (a multiple of 0.01)
    capped: bool               #: True when its cap held it


@dataclass(frozen=True)
class Reconciliation:
    """budget = paid + unallocated, exactly."""

    program: Optional[str]
    budget: Decimal
    paid: Decimal
    unallocated: Decimal


@dataclass(frozen=True)
class BudgetAllocation:
    """The rows, in the order the applicants were given, and the reconciliation."""

    rows: List[BudgetRow]
    reconciliation: Reconciliation

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        return self.rows[i]


_FIELDS = ("uscc", "approved", "cap", "name")


def _applicant(i, a):
    """(uscc, approved, cap, name) of applicant ``i`` given as a dict or a tuple."""
    if isinstance(a, dict):
        unknown = sorted(set(a) - set(_FIELDS))
        if unknown:
            raise invalid_argument("applicants[%d]: unknown field %r (uscc, approved, cap, name)"
                                   % (i, unknown[0]), source="applicants[%d]" % i)
        if "uscc" not in a or "approved" not in a:
            raise invalid_argument("applicants[%d]: 'uscc' and 'approved' are required" % i,
                                   source="applicants[%d]" % i)
        return a["uscc"], a["approved"], a.get("cap"), a.get("name")
    if isinstance(a, (tuple, list)) and 2 <= len(a) <= 4:
        a = tuple(a) + (None,) * (4 - len(a))
        return a[0], a[1], a[2], a[3]
    raise invalid_argument("applicants[%d]: give a dict or a tuple (uscc, approved, cap=None, "
                           "name=None)" % i, source="applicants[%d]" % i)


def allocate_budget(applicants, budget, program=None):
    """Pay ``applicants`` from ``budget``; returns a :class:`BudgetAllocation`.

    ``applicants`` is a sequence of dicts (``uscc``, ``approved``, optional ``cap`` and ``name``)
    or tuples ``(uscc, approved, cap=None, name=None)``; ``program`` labels the reconciliation.
    A bad USCC, a duplicate USCC (after normalisation) or a bad amount raises
    :class:`~fisc.errors.FiscInvalidArgument` naming the row (``applicants[i]``).

    >>> r = allocate_budget([('91440300708461136T', '100.00'), ('91330100716105852F', '100.00'),
    ...                      ('91110000802100433B', '100.00')], '100.00', program='demo')
    >>> [str(row.allocated) for row in r]
    ['33.33', '33.33', '33.34']
    >>> r.reconciliation.paid, r.reconciliation.unallocated
    (Decimal('100.00'), Decimal('0.00'))
    """
    if isinstance(applicants, (str, bytes, dict)):
        raise TypeError("applicants must be a sequence of dicts or tuples")
    items = [_applicant(i, a) for i, a in enumerate(applicants)]
    if not items:
        raise invalid_argument("there are no applicants", source="applicants")
    codes, seen = [], {}
    for i, (code, _approved, _cap, _name) in enumerate(items):
        try:
            u = validate_uscc(code) if isinstance(code, str) else None
        except FiscInvalidArgument as e:
            raise invalid_argument("applicants[%d]: %s" % (i, e.text), source="applicants[%d]" % i,
                                   column=e.column) from None
        if u is None:
            raise TypeError("applicants[%d]: the USCC must be a str, not %s"
                            % (i, type(code).__name__))
        if u.code in seen:
            raise invalid_argument("applicants[%d]: duplicate USCC %s (also applicants[%d])"
                                   % (i, u.code, seen[u.code]), source="applicants[%d]" % i)
        seen[u.code] = i
        codes.append(u.code)
    result = apportion(budget, [a for _u, a, _c, _n in items], caps=[c for _u, _a, c, _n in items],
                       keys=codes, mode="prorata")
    rows = [BudgetRow(uscc=codes[i], name=items[i][3], approved=Decimal(str(items[i][1])),
                      cap=None if items[i][2] is None else Decimal(str(items[i][2])),
                      allocated=result.parts[i], capped=result.capped[i])
            for i in range(len(items))]
    paid = result.allocated
    return BudgetAllocation(rows=rows, reconciliation=Reconciliation(
        program=program, budget=result.total, paid=paid, unallocated=result.total - paid))
