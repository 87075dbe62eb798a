"""One-matter-one-discussion (一事一议) agreements (C: ``fisc_agreement_*``, ``fisc_actuals_*``).

An agreement is the incentive package a city signs for one enterprise's project (玉政办函〔2022〕41号
三(九), 六(二十)): terms that reward investment in place, equipment, output or headcount, released
by conditions, paid in instalments, capped, clawed back when a commitment fails, and combined
with the general programs. It is a YAML document (``docs/agreement-format.md``) that
:meth:`Agreement.load` reads strictly and checks against the policy; what the checks find is kept
as :attr:`Agreement.findings` (an agreement with errors still loads, so that one can see what is
wrong with a signed contract)::

    ag = fisc.Agreement.load("examples/agreements/manufacturing.yaml")
    ag.error_count                               # 0
    res = ag.evaluate("examples/agreements/manufacturing.actuals.json", through=2027)
    res.totals["due"]                            # Decimal: everything that fell due
    res.years[2024]["yl-gxq-2023-012/equipment"].amounts
    print(res.explain("en"))                     # needs evaluate(..., explain=True) for the steps

The actual figures are a path to an actuals JSON file, or a dict::

    {"years": {2024: {"funds_in_place": Decimal("130000000"), "headcount": 420}},
     "events": {"production_started": datetime.date(2024, 9, 15)},
     "facts": {2024: {"investment_project_kind": "foreign", ...}}}

whose numbers are ``Decimal``, ``int`` or ``str`` (``float`` raises ``TypeError``) and go to the
library as decimal text through ``fisc_actuals_set_metric``; nothing passes through a binary
float. Each evaluated year is an ordinary :class:`~fisc.result.Result`.
"""

import datetime
import enum
import json
import os
import re
from collections.abc import Mapping
from ctypes import byref, c_void_p
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from . import _ffi
from ._handles import Handle, as_text, format_ptr, pad_places
from .errors import invalid_argument, misuse
from .policy import Evidence, Policy, _Facts, _int_arg, _path_arg
from .result import Result, _lang

__all__ = ["Severity", "Finding", "Agreement", "AgreementResult", "TOTALS"]

#: The names of :attr:`AgreementResult.totals` (C: ``fisc_agreement_result_total``).
TOTALS = ("due", "withheld", "repay", "interest", "concession", "net")

_YEAR = re.compile(r"[0-9]{4}")


class Severity(enum.IntEnum):
    """``fisc_severity``: how serious a finding is."""

    ERROR = 0    #: the agreement, or a term, cannot be paid as written (evaluation withholds it)
    WARNING = 1  #: it can, but someone must look (a provisional rule, an unchecked value)
    NOTE = 2     #: for the record

    def __str__(self):
        return self.name.lower()


def _s(raw):
    return raw.decode("utf-8", "replace") if raw else ""


def _enum_or_int(cls, value):
    try:
        return cls(value)
    except ValueError:
        return value


@dataclass(frozen=True)
class Finding:
    """What checking an agreement against the policy found (C: ``fisc_finding``)."""

    #: e.g. ``"legal.fair_competition"``, ``"basis.category"``, ``"approval.authority"``, ``"party.uscc"``
    id: str
    #: a :class:`Severity`
    severity: Severity
    #: the term concerned, or ""
    term: str
    message_zh: str
    message_en: str
    #: the document, and the 1-based line and column of the node concerned (0 when none)
    source: str
    line: int
    column: int
    #: the policy parameter relied on, or "", and its citation
    param: str
    document: str
    article: str
    url: str
    #: the :class:`~fisc.policy.Evidence` of that rule, or None
    evidence: Optional[Evidence]

    def message(self, lang="zh"):
        """The message in ``"zh"`` or ``"en"``."""
        _lang(lang)
        return self.message_en if lang == "en" else self.message_zh

    @property
    def provisional(self):
        """True when the rule relied on is not confirmed by its cited text."""
        return self.evidence is not None and self.evidence != Evidence.CONFIRMED

    @classmethod
    def _from_c(cls, f):
        return cls(id=_s(f.id), severity=_enum_or_int(Severity, f.severity), term=_s(f.term),
                   message_zh=_s(f.message_zh), message_en=_s(f.message_en), source=_s(f.source),
                   line=f.line, column=f.column, param=_s(f.param), document=_s(f.document),
                   article=_s(f.article), url=_s(f.url),
                   evidence=None if f.evidence < 0 else _enum_or_int(Evidence, f.evidence))


# ------------------------------------------------------------------------------------ actuals

class _Actuals(Handle):
    """An owned ``fisc_actuals *``: loaded from a file, or built from a dict by the setters."""

    _kind = "actuals"

    def __init__(self, ptr, lib):
        if not ptr:
            raise MemoryError("the library returned no actuals")
        super().__init__(lib, ptr, lib.fisc_actuals_free)

    @classmethod
    def load(cls, path, lib):
        out = c_void_p()
        lib.fisc_actuals_load(byref(out), _path_arg(path, "actuals"), _ffi.new_error())
        return cls(out.value, lib)

    @classmethod
    def from_dict(cls, actuals, lib, agreement_id):
        """Build from a dict; keys starting with "_" are comments, as in the JSON format."""
        unknown = [k for k in actuals if k not in ("fisc_actuals", "agreement", "years", "events", "facts")
                   and not (isinstance(k, str) and k.startswith("_"))]
        if unknown:
            raise invalid_argument("actuals: unknown member %r (years, events, facts)" % (unknown[0],),
                                   source="actuals")
        named = actuals.get("agreement")
        if named is not None and named != agreement_id:
            raise invalid_argument("the actuals are for agreement %s, not %s" % (named, agreement_id),
                                   source="agreement")
        out = c_void_p()
        lib.fisc_actuals_new(byref(out), _ffi.new_error())
        self = cls(out.value, lib)
        try:
            self._set_years(_mapping(actuals.get("years", {}), "actuals['years']"))
            self._set_events(_mapping(actuals.get("events", {}), "actuals['events']"))
            self._set_facts(_mapping(actuals.get("facts", {}), "actuals['facts']"))
        except BaseException:
            self.close()
            raise
        return self

    def _set_years(self, years):
        for year, metrics in years.items():
            y = _year_key(year, "actuals['years']")
            for name, value in _mapping(metrics, "actuals['years'][%d]" % y).items():
                what = "actuals['years'][%d][%r]" % (y, name)
                if value is None:
                    continue  # unknown, as if not given
                text = as_text(value, what)
                self._lib.fisc_actuals_set_metric(self.ptr, y, _name(name, what), text.encode("utf-8"),
                                                  _ffi.new_error())

    def _set_events(self, events):
        for name, day in events.items():
            what = "actuals['events'][%r]" % (name,)
            if day is None:
                continue  # it has not happened
            self._lib.fisc_actuals_set_event(self.ptr, _name(name, what), _date_text(day, what),
                                             _ffi.new_error())

    def _set_facts(self, facts):
        for year, values in facts.items():
            y = _year_key(year, "actuals['facts']")
            fh = _Facts(_mapping(values, "actuals['facts'][%d]" % y), self._lib)
            try:
                self._lib.fisc_actuals_adopt_facts(self.ptr, y, fh.ptr, _ffi.new_error())
            except BaseException:
                fh.close()  # on an error the caller still owns them
                raise
            fh._ptr = None  # the actuals own them now


def _mapping(value, what):
    if not isinstance(value, Mapping):
        raise TypeError("%s must be a dict, not %s" % (what, type(value).__name__))
    return value


def _year_key(key, what):
    if isinstance(key, str) and _YEAR.fullmatch(key):
        return int(key)
    return _int_arg(key, "%s key %r" % (what, key))


def _name(name, what):
    if not isinstance(name, str):
        raise TypeError("%s: names must be str, not %s" % (what, type(name).__name__))
    return name.encode("utf-8")


def _date_text(day, what):
    if isinstance(day, datetime.datetime):
        raise TypeError("%s: a datetime is not a date; pass datetime.date or 'YYYY-MM-DD'" % what)
    if isinstance(day, datetime.date):
        return day.isoformat().encode("ascii")
    if isinstance(day, str):
        return day.encode("utf-8")
    raise TypeError("%s must be a datetime.date or 'YYYY-MM-DD', not %s" % (what, type(day).__name__))


def _actuals(actuals, lib, agreement_id):
    """An _Actuals from a path or a dict."""
    if isinstance(actuals, Mapping):
        return _Actuals.from_dict(actuals, lib, agreement_id)
    if isinstance(actuals, (str, bytes, os.PathLike)):
        return _Actuals.load(actuals, lib)
    raise TypeError("actuals must be a path or a dict, not %s" % type(actuals).__name__)


def _through(through):
    if through is None:
        return 0
    return _int_arg(through, "through")


# ------------------------------------------------------------------------------------ results

class _YearResult(Result):
    """One year of an :class:`AgreementResult`: the C result belongs to the agreement result, so
    closing this one only drops the reference, and it cannot be used once the agreement result
    is closed (its items, totals and document stay readable)."""

    def __init__(self, owner, ptr, trace):
        self._owner = owner  # set first: Result.__init__ reads the C result
        super().__init__(owner._lib, ptr, None, None, trace)

    def _live(self):
        if self._owner.closed:
            raise misuse("the agreement result of this year has been closed")
        return super()._live()

    def close(self):
        """Forget the borrowed C result (the agreement result frees it)."""
        self._ptr = None
        self._facts = None

    def __repr__(self):
        return "<fisc agreement year %s: %s>" % (self.year, ", ".join(
            "%s: %s" % (i.program, i.outcome) for i in self.items))


class AgreementResult(Handle):
    """An owned ``fisc_agreement_result *``: one :class:`~fisc.result.Result` per year evaluated.

    ``years``, ``totals``, ``provisional`` and ``document`` are read once and stay usable after
    :meth:`close`; :meth:`to_json`, :meth:`text` and :meth:`explain` need the C result.
    """

    _kind = "agreement result"

    def __init__(self, lib, ptr, agreement, trace, schedule):
        if not ptr:
            raise MemoryError("fisc_agreement_evaluate returned no result")
        super().__init__(lib, ptr, lib.fisc_agreement_result_free)
        self._agreement = agreement
        self.traced = bool(trace)
        #: True for :meth:`Agreement.schedule` (the plan if every condition is met)
        self.schedule = bool(schedule)
        try:
            #: ``{year: Result}`` in year order: the general programs' items (when the actuals
            #: carry that year's facts), one item per term ("AGREEMENT-ID/TERM-ID") and one for the
            #: package ("AGREEMENT-ID")
            self.years = {}
            for i in range(lib.fisc_agreement_result_year_count(ptr)):
                at = lib.fisc_agreement_result_at(ptr, i)
                if not at:
                    raise MemoryError("fisc_agreement_result_at returned no result")
                self.years[lib.fisc_agreement_result_year(ptr, i)] = _YearResult(self, at, trace)
            #: the totals over every year, by name (:data:`TOTALS`): ``{"due": Decimal, ...}``
            self.totals = self._read_totals()
            #: True when any year's result is provisional
            self.provisional = bool(lib.fisc_agreement_result_provisional(ptr))
            #: the JSON document (schema fisc-agreement/1) as parsed, numbers as Decimal
            self.document = json.loads(self.to_json(), parse_float=Decimal)
        except BaseException:
            self.close()
            raise

    def _read_totals(self):
        totals = {}
        for name in TOTALS:
            p = self._lib.fisc_agreement_result_total(self.ptr, name.encode("ascii"))
            if p:
                # sums of amounts rounded to the agreement's unit: show at least 分, never round
                totals[name] = Decimal(pad_places(format_ptr(p, lib=self._lib)[0], 2))
        return totals

    def __getitem__(self, year):
        """``res[2024]``: that year's :class:`~fisc.result.Result` (KeyError when not evaluated)."""
        return self.years[year]

    def __iter__(self):
        return iter(self.years.values())

    def __len__(self):
        return len(self.years)

    def to_json(self, trace=None, pretty=False):
        """The result as JSON text (schema fisc-agreement/1; C: ``fisc_agreement_result_to_json``).

        ``trace`` includes each year's steps (default: when the evaluation traced).
        """
        flags = 0
        if self.traced if trace is None else trace:
            flags |= _ffi.FISC_JSON_TRACE
        if pretty:
            flags |= _ffi.FISC_JSON_PRETTY
        out = c_void_p()
        self._lib.fisc_agreement_result_to_json(byref(out), self.ptr, flags, _ffi.new_error())
        return _ffi.take_string(out.value, self._lib)

    def text(self, lang="zh", explain=False):
        """The year-by-year report in ``"zh"`` or ``"en"`` (C: ``fisc_agreement_result_to_text``):
        what fell due, what was withheld, repaid and charged as interest, with the cumulative paid
        against the caps and the ceiling; with ``explain``, each year's items explained."""
        out = c_void_p()
        self._lib.fisc_agreement_result_to_text(byref(out), self.ptr, _lang(lang),
                                                1 if explain else 0, _ffi.new_error())
        return _ffi.take_string(out.value, self._lib)

    def explain(self, lang="zh"):
        """The report with each year's conditions, the agreement's clauses and the policy's
        parameters with their citations, and the steps (recorded by ``evaluate(...,
        explain=True)``)."""
        return self.text(lang, explain=True)

    def close(self):
        """Release the C result; the years' :class:`~fisc.result.Result` objects keep their data
        but can no longer give text or JSON. Safe to call more than once."""
        for r in getattr(self, "years", {}).values():
            r.close()
        super().close()

    def __repr__(self):
        if self.closed:
            return "<fisc.AgreementResult (closed)>"
        return "<fisc.AgreementResult %s, %d years, due %s>" % (
            "schedule" if self.schedule else "actuals", len(self.years), self.totals.get("due"))


# ------------------------------------------------------------------------------------ agreement

class Agreement(Handle):
    """An owned, immutable ``fisc_agreement *``. Make one with :meth:`load` or :meth:`loads`.

    The C agreement holds its own reference to the policy it was checked against, so the
    :class:`~fisc.policy.Policy` given may be closed while the agreement is in use. An agreement
    may be shared between threads.
    """

    _kind = "agreement"

    def __init__(self, ptr, lib=None):
        """Take ownership of a ``fisc_agreement *`` (use :meth:`load` or :meth:`loads`)."""
        lib = lib or _ffi.LIB
        if not ptr:
            raise MemoryError("the agreement loader returned no agreement")
        super().__init__(lib, ptr, lib.fisc_agreement_free)
        try:
            #: what checking it against the policy found, as :class:`Finding` objects
            self.findings = self._read_findings()
        except BaseException:
            self.close()
            raise

    @classmethod
    def load(cls, path, policy=None):
        """Load and check an agreement document (C: ``fisc_agreement_load``).

        ``policy`` is a :class:`~fisc.policy.Policy`; by default the bundled one
        (:meth:`Policy.default() <fisc.policy.Policy.default>`). A document that cannot be read
        raises :class:`~fisc.errors.FiscParseError`, :class:`~fisc.errors.FiscInvalidArgument` or
        :class:`~fisc.errors.FiscRangeError` with ``.source``, ``.line`` and ``.column``; what the
        policy checks find does not raise: see :attr:`findings` and :attr:`error_count`.
        """
        if path is None:
            raise TypeError("path must be the agreement's file (str or os.PathLike), not None")
        raw = _path_arg(path, "path")
        return cls._load(policy, lambda lib, out, p: lib.fisc_agreement_load(
            byref(out), p, raw, _ffi.new_error()))

    @classmethod
    def loads(cls, text, policy=None, name="agreement"):
        """As :meth:`load`, from the document's text (C: ``fisc_agreement_load_string``);
        ``name`` stands for the file in messages."""
        if not isinstance(text, (str, bytes)):
            raise TypeError("text must be a str, not %s" % type(text).__name__)
        raw = text.encode("utf-8") if isinstance(text, str) else text
        return cls._load(policy, lambda lib, out, p: lib.fisc_agreement_load_string(
            byref(out), p, str(name).encode("utf-8"), raw, len(raw), _ffi.new_error()))

    @classmethod
    def _load(cls, policy, call):
        if policy is not None and not isinstance(policy, Policy):
            raise TypeError("policy must be a fisc.Policy, not %s" % type(policy).__name__)
        own = policy is None
        if own:
            policy = Policy.default()
        lib = policy._lib
        try:
            out = c_void_p()
            call(lib, out, policy.ptr)
            return cls(out.value, lib)
        finally:
            if own:
                policy.close()  # the C agreement keeps its own reference

    def _read_findings(self):
        lib, ptr = self._lib, self.ptr
        found = []
        for i in range(lib.fisc_agreement_finding_count(ptr)):
            p = lib.fisc_agreement_finding(ptr, i)
            if p:
                found.append(Finding._from_c(p.contents))
        return found

    @property
    def id(self):
        """The agreement's id (its ``id:``), which names its items in results."""
        return _s(self._lib.fisc_agreement_id(self.ptr))

    @property
    def title(self):
        """The title in Chinese (:meth:`title_in` for English)."""
        return self.title_in("zh")

    def title_in(self, lang="zh"):
        """The title in ``"zh"`` or ``"en"``."""
        return _s(self._lib.fisc_agreement_title(self.ptr, _lang(lang)))

    @property
    def hash(self):
        """SHA-256 of the document's bytes, 64 lower-case hexadecimal digits."""
        return _s(self._lib.fisc_agreement_hash(self.ptr))

    @property
    def first_year(self):
        """The first year the agreement can pay, repay or check anything in."""
        return self._lib.fisc_agreement_first_year(self.ptr)

    @property
    def last_year(self):
        """The last such year."""
        return self._lib.fisc_agreement_last_year(self.ptr)

    @property
    def error_count(self):
        """The number of findings of severity error (C: ``fisc_agreement_error_count``)."""
        return self._lib.fisc_agreement_error_count(self.ptr)

    def check_json(self, pretty=False):
        """The outline and the findings as JSON (schema fisc-agreement-check/1)."""
        out = c_void_p()
        self._lib.fisc_agreement_check_to_json(byref(out), self.ptr,
                                               _ffi.FISC_JSON_PRETTY if pretty else 0,
                                               _ffi.new_error())
        return _ffi.take_string(out.value, self._lib)

    def _run(self, actuals, through, explain, schedule):
        lib = self._lib
        opts = _ffi._AgreementOptionsStruct()
        lib.fisc_agreement_options_init(opts, _ffi.FISC_AGREEMENT_OPTIONS_VERSION)
        opts.trace = 1 if explain else 0
        opts.through_year = _through(through)
        opts.schedule = 1 if schedule else 0
        out = c_void_p()
        lib.fisc_agreement_evaluate(byref(out), self.ptr, actuals.ptr if actuals else None, opts,
                                    _ffi.new_error())
        return AgreementResult(lib, out.value, self, explain, schedule)

    def evaluate(self, actuals, *, through=None, explain=False) -> AgreementResult:
        """Evaluate year by year against the enterprise's actual figures (C:
        ``fisc_agreement_evaluate``).

        ``actuals`` is the path of an actuals JSON file or a dict (see the module docstring).
        ``through`` is the last year to evaluate (default: the agreement's last year).
        ``explain`` records the explanation (steps, values compared, summaries) for
        :meth:`AgreementResult.explain`. Bad actuals raise :class:`~fisc.errors.FiscError`
        subclasses naming the member; a float raises ``TypeError``.
        """
        self.ptr  # FiscMisuse on a closed agreement, before the actuals are read
        through = _through(through)
        act = _actuals(actuals, self._lib, self.id)
        try:
            return self._run(act, through, explain, schedule=False)
        finally:
            act.close()  # borrowed for the call only

    def schedule(self, *, through=None, explain=False) -> AgreementResult:
        """The payment plan if every condition is met: the agreement's ``plan:`` figures as each
        year's metrics, every condition taken as met, no general program."""
        return self._run(None, _through(through), explain, schedule=True)

    def __repr__(self):
        if self.closed:
            return "<fisc.Agreement (closed)>"
        return "<fisc.Agreement %s, %d finding(s), %d error(s)>" % (
            self.id, len(self.findings), self.error_count)
