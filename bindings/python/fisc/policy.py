"""Policies, facts and evaluation (C: ``fisc_policy_*``, ``fisc_facts_*``, ``fisc_evaluate``).

A :class:`Policy` is one or more YAML layers (national, then Guangxi, then Yulin) and an optional
overlay that overrides chosen parameters for a what-if. Every parameter value carries its dates,
its citation and its evidence status. :meth:`Policy.evaluate` runs every program the policy
enables for the facts about one enterprise and returns a :class:`~fisc.result.Result`::

    policy = fisc.Policy.default()
    result = policy.evaluate({"taxable_income": Decimal("2800000"), "employees_average": 100,
                              "assets_average": "10000000", "industry_restricted": False},
                             year=2023)
    result["cn.cit"].amounts["tax"]        # Decimal('140000.00')
    print(result.explain("en"))

:meth:`Policy.evaluate_years` evaluates the same facts under each tax year's rules and returns
``{year: Result}`` (a year the policy has no rules for maps to its ``FiscNotFound``).

Facts are a dict keyed by vocabulary name (:func:`fact_vocabulary`). Values are ``Decimal``,
``int``, ``str``, ``bool``, ``None`` (unknown), ``datetime.date`` and, for per-quarter facts,
``{"Q1": {"start": ..., "end": ...}}`` (or ``{"Q1": (start, end)}``). ``float`` is refused with
``TypeError``. The dict goes to the library as JSON text in which every Decimal is a string, so
nothing is ever rounded to binary on the way.

A loaded policy is immutable: one may be shared between threads and evaluated concurrently.
"""

import datetime
import enum
import json
import os
import re
import threading
from collections.abc import Mapping
from ctypes import byref, c_char_p, c_void_p
from decimal import Decimal
from typing import NamedTuple, Optional, Tuple

from . import _ffi
from ._handles import FLOAT_HINT, Handle, as_text
from .errors import FiscNotFound, invalid_argument
from .result import Result

__all__ = ["Evidence", "ParamKind", "FactType", "Layer", "ParamEntry", "Param", "FactInfo",
           "Policy", "fact_vocabulary", "facts_to_json"]


class Evidence(enum.IntEnum):
    """``fisc_evidence``: how sure a parameter value is."""

    CONFIRMED = 0    #: the value appears in the cited text
    UNCONFIRMED = 1  #: no cited source confirms it: results using it are provisional
    PLACEHOLDER = 2  #: a stand-in until the rule is known: results are provisional

    def __str__(self):
        return self.name.lower()


class ParamKind(enum.IntEnum):
    """``fisc_param_kind``: what kind of data a parameter holds."""

    VALUE = 0  #: one value per period
    SCALE = 1  #: brackets (thresholds and rates) per period
    TABLE = 2  #: amounts keyed by enumeration values, per period


class FactType(enum.IntEnum):
    """``fisc_fact_type``."""

    DECIMAL = 0   #: an exact decimal: Decimal, int or str ("1234.56", "15%")
    INTEGER = 1   #: a whole number
    BOOL = 2      #: True / False
    DATE = 3      #: "YYYY-MM-DD" or a datetime.date
    ENUM = 4      #: one of a named set of values
    TEXT = 5      #: text
    QUARTERS = 6  #: per quarter of the tax year: {"Q1": {"start": N, "end": N}, ...}


class Layer(NamedTuple):
    """One file of a policy (``fisc_layer_info``)."""

    id: str           #: policy id from the file
    path: str         #: the file as given
    sha256: str       #: lower-case hex SHA-256 of the file's bytes
    document: str     #: document number, e.g. "玉政办函〔2022〕41号"
    title_zh: str
    title_en: str
    is_overlay: bool  #: True for the overlay


class ParamEntry(NamedTuple):
    """One dated value of a parameter (``fisc_param_entry``)."""

    from_date: datetime.date            #: first day in force
    to_date: Optional[datetime.date]    #: last day in force, or None when open-ended
    value: str                          #: as written: "25%", "5", or a summary for a scale/table
    evidence: Evidence
    document: str                       #: cited document, e.g. "财税〔2019〕13号"
    article: str                        #: e.g. "第二条", or ""
    url: str                            #: where the text was read, or ""
    layer: str                          #: id of the layer (or overlay) the entry comes from

    def in_force(self, at):
        """True when the entry is in force on ``at`` (a date or "YYYY-MM-DD")."""
        day = _date_arg(at, "at")
        return self.from_date <= day and (self.to_date is None or day <= self.to_date)


class Param(NamedTuple):
    """One parameter of a policy, with its dated entries."""

    id: str                        #: dotted id, e.g. "cit.rate.standard"
    label_zh: str
    label_en: str
    unit: str                      #: as written in the file: "元", "rate", "万元", ...
    kind: ParamKind
    entries: Tuple[ParamEntry, ...]

    def label(self, lang="zh"):
        return self.label_en if lang == "en" else self.label_zh

    def at(self, day):
        """The entry in force on ``day``, or None."""
        for e in self.entries:
            if e.in_force(day):
                return e
        return None


class FactInfo(NamedTuple):
    """One entry of the fact vocabulary (``fisc_fact_info``)."""

    name: str
    type: FactType
    unit: str
    label_zh: str
    label_en: str
    values: Tuple[str, ...]  #: the allowed values of an ENUM fact, else ()
    help_en: str


def _s(raw):
    return raw.decode("utf-8", "replace") if raw else ""


def _iso(raw):
    return datetime.date.fromisoformat(raw.decode("ascii")) if raw else None


def _date_arg(value, what):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise invalid_argument("%s must be a datetime.date or 'YYYY-MM-DD', not %r" % (what, value),
                           source=what)


def _path_arg(path, what):
    if path is None:
        return None
    if isinstance(path, bytes):
        return path
    if isinstance(path, (str, os.PathLike)):
        return os.fsencode(os.fspath(path))
    raise TypeError("%s must be a path (str or os.PathLike), not %s" % (what, type(path).__name__))


def _int_arg(value, what):
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float):
            raise TypeError("%s must be an int, not a float" % what)
        raise TypeError("%s must be an int, not %s" % (what, type(value).__name__))
    return value


_QUARTER_KEY = re.compile(r"Q[1-4]")


def _jsonable(value, where):
    """``value`` with every Decimal as its exact text; float and unknown types refused."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, float):
        raise TypeError("facts[%s]: float is not accepted because binary floating point is "
                        "inexact (%r); %s" % (where, value, FLOAT_HINT))
    if isinstance(value, (Decimal, int)):
        text = as_text(value, "facts[%s]" % where)
        # A Decimal goes as a JSON string (the library reads "1234.56" exactly); an int as a
        # JSON number, whose text is exact too.
        return text if isinstance(value, Decimal) else value
    if isinstance(value, datetime.datetime):
        raise TypeError("facts[%s]: a datetime is not a date; pass datetime.date or 'YYYY-MM-DD'"
                        % where)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise TypeError("facts[%s]: keys must be str, not %s" % (where, type(k).__name__))
            sub = "%s.%s" % (where, k) if where else k
            if _QUARTER_KEY.fullmatch(k) and isinstance(v, (tuple, list)):
                if len(v) != 2:
                    raise invalid_argument("facts[%s]: a quarter is (start, end), got %d values"
                                           % (sub, len(v)), source=sub)
                v = {"start": v[0], "end": v[1]}
            out[k] = _jsonable(v, sub)
        return out
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, "%s[%d]" % (where, i)) for i, v in enumerate(value)]
    raise TypeError("facts[%s]: %s is not a fact value; use Decimal, int, str, bool, None, "
                    "datetime.date or a dict of quarters" % (where, type(value).__name__))


def facts_to_json(facts):
    """The JSON text handed to ``fisc_facts_from_json`` for a dict of facts (Decimals as strings)."""
    if not isinstance(facts, Mapping):
        raise TypeError("facts must be a dict of fact name -> value, not %s"
                        % type(facts).__name__)
    return json.dumps(_jsonable(facts, ""), ensure_ascii=False, allow_nan=False)


class _Facts(Handle):
    """An owned ``fisc_facts *``, made from a dict through fisc_facts_from_json."""

    _kind = "facts"

    def __init__(self, facts, lib=None):
        lib = lib or _ffi.LIB
        raw = facts_to_json(facts).encode("utf-8")
        out = c_void_p()
        lib.fisc_facts_from_json(byref(out), raw, len(raw), b"facts", _ffi.new_error())
        if not out.value:
            raise MemoryError("fisc_facts_from_json returned no facts")
        super().__init__(lib, out.value, lib.fisc_facts_free)


class _SharedFacts:
    """Facts parsed once and shared by the results of :meth:`Policy.evaluate_years`: each
    result holds a claim (its ``_facts``), and the facts are freed when the last claim is
    closed."""

    def __init__(self, facts):
        self._facts = facts
        self._claims = 0
        self._lock = threading.Lock()

    def claim(self):
        with self._lock:
            self._claims += 1
        return _FactsClaim(self)

    def release(self):
        with self._lock:
            self._claims -= 1
            last = self._claims <= 0
        if last:
            self._facts.close()


class _FactsClaim:
    """One result's claim on :class:`_SharedFacts`; ``close()`` is idempotent."""

    def __init__(self, shared):
        self._shared = shared

    def close(self):
        shared, self._shared = self._shared, None
        if shared is not None:
            shared.release()


def _period(year, quarter):
    """(year, quarter) for fisc_eval_options: quarter 0 is the whole year."""
    q = 0
    if isinstance(quarter, str):
        m = re.fullmatch(r"(\d{4})[Qq]([1-4])", quarter.strip())
        if not m:
            raise invalid_argument("quarter %r is not YYYYQn (e.g. '2019Q2') or 1..4" % quarter,
                                   source="quarter")
        qyear, q = int(m.group(1)), int(m.group(2))
        if year is not None and _int_arg(year, "year") != qyear:
            raise invalid_argument("year=%d and quarter=%r disagree" % (year, quarter),
                                   source="year")
        year = qyear
    elif quarter is not None:
        q = _int_arg(quarter, "quarter")
        if not 0 <= q <= 4:
            raise invalid_argument("quarter must be 1 to 4 (or 0 / None for the whole year), "
                                   "not %d" % q, source="quarter")
    if year is None:
        raise invalid_argument("give the tax year: year=2023, or quarter='2023Q2'", source="year")
    return _int_arg(year, "year"), q


class Policy(Handle):
    """An owned, immutable ``fisc_policy *``. Make one with :meth:`default` or :meth:`load`.

    >>> Policy.load()
    Traceback (most recent call last):
      ...
    fisc.errors.FiscInvalidArgument: give at least one policy file; Policy.default() loads the bundled policy
    """

    _kind = "policy"

    def __init__(self, ptr, lib=None):
        """Take ownership of a ``fisc_policy *`` (use :meth:`default` or :meth:`load`)."""
        lib = lib or _ffi.LIB
        if not ptr:
            raise MemoryError("the policy loader returned no policy")
        super().__init__(lib, ptr, lib.fisc_policy_free)

    @classmethod
    def default(cls, overlay=None):
        """The policy bundled with fisc (C: ``fisc_policy_load_default``), with an optional
        overlay file. The directory is ``FISC_POLICY_DIR``, else ``policies/`` beside the
        loaded libfisc, else the installed data directory.

        Raises :class:`~fisc.errors.FiscParseError` (with ``.source``, ``.line``, ``.column``)
        for a file that is not valid policy YAML, :class:`~fisc.errors.FiscNotFound` when no
        policy directory or file is found.
        """
        lib = _ffi.LIB
        out = c_void_p()
        lib.fisc_policy_load_default(byref(out), _path_arg(overlay, "overlay"), _ffi.new_error())
        return cls(out.value, lib)

    @classmethod
    def load(cls, *paths, overlay=None):
        """Load policy layer files in order, national first (C: ``fisc_policy_load_files``),
        with an optional overlay. Errors as :meth:`default`."""
        if len(paths) == 1 and isinstance(paths[0], (list, tuple)):
            paths = tuple(paths[0])
        if not paths:
            raise invalid_argument("give at least one policy file; Policy.default() loads the "
                                   "bundled policy", source="paths")
        raw = [_path_arg(p, "paths[%d]" % i) for i, p in enumerate(paths)]
        array = (c_char_p * len(raw))(*raw)
        lib = _ffi.LIB
        out = c_void_p()
        lib.fisc_policy_load_files(byref(out), array, len(raw), _path_arg(overlay, "overlay"),
                                   _ffi.new_error())
        return cls(out.value, lib)

    @property
    def layers(self):
        """The files, layers first then the overlay, as :class:`Layer` tuples."""
        lib, ptr = self._lib, self.ptr
        layers = []
        for i in range(lib.fisc_policy_layer_count(ptr)):
            p = lib.fisc_policy_layer(ptr, i)
            if not p:
                continue
            info = p.contents
            layers.append(Layer(id=_s(info.id),
                                path=os.fsdecode(info.path) if info.path else "",
                                sha256=_s(info.sha256), document=_s(info.document),
                                title_zh=_s(info.title_zh), title_en=_s(info.title_en),
                                is_overlay=bool(info.is_overlay)))
        return layers

    @property
    def programs(self):
        """Ids of the programs the policy enables, e.g. ``["cn.cit", ...]``."""
        lib, ptr = self._lib, self.ptr
        return [_s(lib.fisc_policy_program_id(ptr, i))
                for i in range(lib.fisc_policy_program_count(ptr))]

    def _param(self, q):
        lib = self._lib
        entries = []
        for k in range(lib.fisc_param_entry_count(q)):
            p = lib.fisc_param_entry_at(q, k)
            if not p:
                continue
            e = p.contents
            try:
                evidence = Evidence(e.evidence)
            except ValueError:
                evidence = e.evidence
            entries.append(ParamEntry(from_date=_iso(e.from_), to_date=_iso(e.to),
                                      value=_s(e.value), evidence=evidence,
                                      document=_s(e.document), article=_s(e.article),
                                      url=_s(e.url), layer=_s(e.layer)))
        kind = lib.fisc_param_kind_of(q)
        try:
            kind = ParamKind(kind)
        except ValueError:
            pass
        return Param(id=_s(lib.fisc_param_id(q)), label_zh=_s(lib.fisc_param_label(q, b"zh")),
                     label_en=_s(lib.fisc_param_label(q, b"en")),
                     unit=_s(lib.fisc_param_unit(q)), kind=kind, entries=tuple(entries))

    def params(self, at=None, match=None):
        """The parameters in id order, as :class:`Param` tuples.

        ``at`` (a date or "YYYY-MM-DD") keeps only the entry in force that day and leaves out
        parameters with none; ``match`` keeps parameters whose id or label (zh or en) contains
        it, ignoring case.
        """
        day = None if at is None else _date_arg(at, "at")
        if match is not None and not isinstance(match, str):
            raise TypeError("match must be a str, not %s" % type(match).__name__)
        needle = match.casefold() if match else None
        lib, ptr = self._lib, self.ptr
        out = []
        for i in range(lib.fisc_policy_param_count(ptr)):
            q = lib.fisc_policy_param(ptr, i)
            if not q:
                continue
            param = self._param(q)
            if needle and not any(needle in s.casefold()
                                  for s in (param.id, param.label_zh, param.label_en)):
                continue
            if day is not None:
                entries = tuple(e for e in param.entries if e.in_force(day))
                if not entries:
                    continue
                param = param._replace(entries=entries)
            out.append(param)
        return out

    def param(self, param_id):
        """The parameter with this dotted id (C: ``fisc_policy_find_param``), or None."""
        if not isinstance(param_id, str):
            raise TypeError("param_id must be a str, not %s" % type(param_id).__name__)
        q = self._lib.fisc_policy_find_param(self.ptr, param_id.encode("utf-8"))
        return self._param(q) if q else None

    def evaluate(self, facts, year=None, quarter=None, trace=True):
        """Evaluate every program for ``facts`` (a dict) and a period (C: ``fisc_evaluate``).

        ``year`` is the tax year (1990..2100). ``quarter`` is None (the whole year), 1..4
        (prepayment cumulative to that quarter of ``year``) or a string such as ``"2019Q2"``
        that gives the year too. ``trace`` records the steps and every text of the result
        (summaries, the values conditions compared: :meth:`Result.explain`); without it, for
        batch work, outcomes, states, amounts, missing facts and parameters are all still there.

        "Not eligible" is a result, never an exception. Bad facts raise
        :class:`~fisc.errors.FiscInvalidArgument` or :class:`~fisc.errors.FiscParseError`
        naming the fact; a float raises ``TypeError``; a period the policy has no value for
        raises :class:`~fisc.errors.FiscNotFound`.
        """
        y, q = _period(year, quarter)
        lib = self._lib
        fh = _Facts(facts, lib)
        try:
            opts = _ffi._EvalOptionsStruct()
            lib.fisc_eval_options_init(opts, _ffi.FISC_EVAL_OPTIONS_VERSION)
            opts.year = y
            opts.quarter = q
            opts.trace = 1 if trace else 0
            out = c_void_p()
            lib.fisc_evaluate(byref(out), self.ptr, fh.ptr, opts, _ffi.new_error())
            if not out.value:
                raise MemoryError("fisc_evaluate returned no result")
        except BaseException:
            fh.close()
            raise
        return Result(lib, out.value, self, fh, trace)

    def evaluate_years(self, facts, years=range(2019, 2028), trace=True):
        """Evaluate the same facts under each tax year's rules: "what did a rule change change
        for me" (C: one ``fisc_evaluate`` per year, the facts parsed once).

        ``years`` is an iterable of tax years (ints, 1990..2100); the default is 2019 to 2027.
        Returns a dict ``{year: Result}`` in the order given. A year for which the policy has
        no rules (a parameter some program needs has no value in force on the year's last day)
        maps to the :class:`~fisc.errors.FiscNotFound` exception that says which, instead of
        stopping the other years::

            for year, r in policy.evaluate_years(facts).items():
                if isinstance(r, fisc.FiscError):
                    print(year, "no rules:", r)
                else:
                    print(year, r["cn.cit"].amounts["tax"])

        Anything else raises as :meth:`evaluate` does, and no result is kept: bad facts, a
        float, a year that is not an int or is out of range, a duplicate year. Each
        :class:`~fisc.result.Result` must be closed (or used with ``with``) like the one
        :meth:`evaluate` returns; the facts are freed with the last of them.
        """
        wanted = []
        for y in years:
            y = _int_arg(y, "years[%d]" % len(wanted))
            if not 1990 <= y <= 2100:
                raise invalid_argument("years: %d is not a tax year from 1990 to 2100" % y,
                                       source="years")
            if y in wanted:
                raise invalid_argument("years: %d is given twice" % y, source="years")
            wanted.append(y)
        lib = self._lib
        self.ptr  # FiscMisuse on a closed policy, before the facts are parsed
        shared = _SharedFacts(_Facts(facts, lib))
        hold = shared.claim()  # this loop's own claim, so no result can free the facts early
        out = {}
        try:
            for y in wanted:
                opts = _ffi._EvalOptionsStruct()
                lib.fisc_eval_options_init(opts, _ffi.FISC_EVAL_OPTIONS_VERSION)
                opts.year = y
                opts.quarter = 0
                opts.trace = 1 if trace else 0
                res = c_void_p()
                try:
                    lib.fisc_evaluate(byref(res), self.ptr, shared._facts.ptr, opts,
                                      _ffi.new_error())
                except FiscNotFound as exc:
                    out[y] = exc
                    continue
                if not res.value:
                    raise MemoryError("fisc_evaluate returned no result")
                out[y] = Result(lib, res.value, self, shared.claim(), trace)
        except BaseException:
            for r in out.values():
                if isinstance(r, Result):
                    r.close()
            raise
        finally:
            hold.close()  # the last result to close (or this, when there is none) frees them
        return out

    def __repr__(self):
        if self.closed:
            return "<fisc.Policy (closed)>"
        return "<fisc.Policy %s>" % " + ".join(
            ("overlay " if l.is_overlay else "") + l.id for l in self.layers)


def fact_vocabulary():
    """Every fact the library knows (C: ``fisc_fact_vocab_*``), as :class:`FactInfo` tuples."""
    lib = _ffi.LIB
    out = []
    for i in range(lib.fisc_fact_vocab_count()):
        p = lib.fisc_fact_vocab_at(i)
        if not p:
            continue
        f = p.contents
        try:
            ftype = FactType(f.type)
        except ValueError:
            ftype = f.type
        values = tuple(v for v in _s(f.values).split("|") if v)
        out.append(FactInfo(name=_s(f.name), type=ftype, unit=_s(f.unit), label_zh=_s(f.label_zh),
                            label_en=_s(f.label_en), values=values, help_en=_s(f.help_en)))
    return out
