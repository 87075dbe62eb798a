"""fisc: exact Chinese subsidy and tax-incentive arithmetic (ctypes binding of libfisc).

Amounts go in as ``decimal.Decimal``, ``int`` or ``str`` and come out as ``Decimal``; ``float`` is
refused (``TypeError``: pass ``Decimal('1234.56')`` or ``'1234.56'``). All arithmetic happens in
the C library, exactly.

>>> import fisc
>>> fisc.round_amount('2.665')                       # 四舍五入 to 分
Decimal('2.67')
>>> fisc.round_amount('2.665', mode='half_even')     # GB/T 8170
Decimal('2.66')
>>> fisc.round_to_unit('12345000', '10000')          # to 万
Decimal('12350000')
>>> fisc.to_chinese_upper('1409.50')
'壹仟肆佰零玖元伍角整'
>>> list(fisc.apportion('100.00', ['1', '2']))
[Decimal('33.33'), Decimal('66.67')]
>>> fisc.validate_uscc('91440300708461136T').code
'91440300708461136T'

Policies and evaluation: ``fisc.Policy.default().evaluate({...facts...}, year=2023)`` returns a
:class:`Result` whose items say, per program, whether the enterprise is eligible, the amounts as
``Decimal`` and, with :meth:`Result.explain`, every step with its citation (see :mod:`fisc.policy`).

Agreements (一事一议): ``fisc.Agreement.load(path)`` reads a signed incentive package and checks it
against the policy (``.findings``); ``.evaluate(actuals)`` gives, year by year, what falls due, what
is withheld, repaid and charged as interest, each year an ordinary :class:`Result`; ``.schedule()``
the payment plan if every condition is met (see :mod:`fisc.agreement`).

The library is found by :func:`fisc._ffi.load`: ``FISC_LIBRARY`` (a file path) first, then
``fisc/_lib/``, ``ctypes.util.find_library('fisc')`` and ``libfisc.so.0``. Errors are
:class:`FiscError` subclasses (see :mod:`fisc.errors`).
"""

from .errors import (FiscDivisionByZero, FiscError, FiscInvalidArgument, FiscMemoryError,
                     FiscMisuse, FiscNotFound, FiscParseError, FiscRangeError, Status)
from . import _ffi  # loads the library (ImportError if it cannot be found)
from .money import (Rounding, RoundResult, Unit, format_decimal, parse_decimal, round_amount,
                    round_to_unit, to_chinese_upper, version, version_number)
from .apportionment import Apportioner, ApportionMode, Apportionment, Remainder, apportion
from .budget import BudgetAllocation, BudgetRow, Reconciliation, allocate_budget
from .uscc import Uscc, UsccWarning, is_valid_uscc, validate_uscc
from .result import Category, Item, Outcome, Result
from .policy import (Evidence, FactInfo, FactType, Layer, Param, ParamEntry, ParamKind, Policy,
                     RowError, fact_vocabulary, facts_to_json)
from .agreement import Agreement, AgreementResult, Finding, Severity

__version__ = "0.1.0"

__all__ = [
    # money
    "Rounding", "RoundResult", "Unit", "round_amount", "round_to_unit", "to_chinese_upper",
    "parse_decimal", "format_decimal", "version", "version_number",
    # apportionment
    "apportion", "Apportioner", "Apportionment", "ApportionMode", "Remainder",
    "allocate_budget", "BudgetAllocation", "BudgetRow", "Reconciliation",
    # USCC
    "validate_uscc", "is_valid_uscc", "Uscc", "UsccWarning",
    # policies, facts and results
    "Policy", "Layer", "Param", "ParamEntry", "ParamKind", "Evidence", "Result", "Item",
    "Outcome", "Category", "FactInfo", "FactType", "fact_vocabulary", "facts_to_json",
    "RowError",
    # agreements (一事一议)
    "Agreement", "AgreementResult", "Finding", "Severity",
    # errors
    "Status", "FiscError", "FiscInvalidArgument", "FiscMemoryError", "FiscNotFound",
    "FiscParseError", "FiscRangeError", "FiscMisuse", "FiscDivisionByZero",
]
