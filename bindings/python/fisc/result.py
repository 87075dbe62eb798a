"""What an evaluation found (C: ``fisc_result``), as Python objects with exact amounts.

A :class:`Result` holds one :class:`Item` per program the policy enables: whether the
enterprise is eligible (or why not, or which facts are missing), the amounts as ``Decimal``, the
checked conditions, the parameters used with their citations and, when the evaluation traced,
the steps of the computation. The data are read once from ``fisc_result_to_json`` with
``json.loads(..., parse_float=Decimal)``, so no amount ever passes through a binary float; the C
result stays open for :meth:`Result.explain` and :meth:`Result.to_json` until :meth:`Result.close`.
"""

import enum
import json
from ctypes import POINTER, byref, c_void_p, cast
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Dict, List, Optional

from . import _ffi
from ._handles import Handle, format_ptr, pad_places
from .errors import invalid_argument, misuse

__all__ = ["Outcome", "Category", "Item", "Result"]


class Outcome(str, enum.Enum):
    """``fisc_outcome``, by the name the JSON result uses (compares equal to that string)."""

    ELIGIBLE = "eligible"          #: the incentive applies; the amounts are final
    NOT_ELIGIBLE = "not_eligible"  #: it does not: see the conditions not met
    UNDETERMINED = "undetermined"  #: facts are missing: see :attr:`Item.missing`

    def __str__(self):
        return self.value


#: fisc_outcome values (pinned in <fisc/evaluate.h>), for JSON that gives them as numbers.
_OUTCOME_CODES = {0: Outcome.ELIGIBLE, 1: Outcome.NOT_ELIGIBLE, 2: Outcome.UNDETERMINED}


class Category(enum.IntEnum):
    """``fisc_category``: what an amount counts toward in :attr:`Result.totals`."""

    TAX_PAYABLE = 0  #: tax still to pay under the rules
    TAX_RELIEF = 1   #: tax saved against the standard treatment
    SUBSIDY = 2      #: money granted
    REPAYMENT = 3    #: money to pay back (an agreement's clawback and its interest)

    @property
    def key(self):
        """The key of this category in :attr:`Result.totals`, e.g. ``"tax_relief"``."""
        return self.name.lower()


def _outcome(value):
    if isinstance(value, str):
        try:
            return Outcome(value)
        except ValueError:
            return value  # a newer library's outcome: keep its name rather than fail
    if isinstance(value, int) and not isinstance(value, bool):
        return _OUTCOME_CODES.get(value, value)
    return value


def _decimal(value):
    """An amount from the JSON result (a string, or a number already parsed as Decimal)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, dict) and "value" in value:
        return _decimal(value["value"])
    raise invalid_argument("the result holds an amount that is not a decimal: %r" % (value,))


def _amounts(raw):
    """``{"tax": "140000.00"}`` or ``[{"name": "tax", "value": "140000.00"}]`` -> name -> Decimal."""
    if raw is None:
        return {}
    if isinstance(raw, dict):
        return {name: _decimal(v) for name, v in raw.items()}
    return {a["name"]: _decimal(a["value"]) for a in raw}


def _list(raw):
    return list(raw) if isinstance(raw, (list, tuple)) else []


@dataclass(frozen=True)
class Item:
    """One program's result. Built from the JSON result (schema fisc-result/1)."""

    #: program id, e.g. ``"cn.cit"``
    program: str
    #: an :class:`Outcome` (equal to ``"eligible"``, ``"not_eligible"`` or ``"undetermined"``)
    outcome: Outcome
    #: named amounts, exact and already rounded as the program's rule says: ``{"tax": Decimal(...)}``
    amounts: Dict[str, Decimal] = field(default_factory=dict)
    #: which amounts count in which total: ``{"tax": "tax_payable", "relief": "tax_relief"}``
    categories: Dict[str, str] = field(default_factory=dict)
    #: the option chosen where the program chooses (cn.cit: "standard", "hnte", "small_micro"),
    #: else ""
    choice: str = ""
    #: the checked conditions, as the JSON gives them (id, label, state, and the values compared
    #: in detail, which is "" when the evaluation did not trace)
    conditions: List[dict] = field(default_factory=list)
    #: the steps of the computation (empty unless the evaluation traced)
    trace: List[dict] = field(default_factory=list)
    #: True when a parameter it used is not confirmed by its cited text
    provisional: bool = False
    #: names of the facts that were needed and not given
    missing: List[str] = field(default_factory=list)
    #: the parameters used, with their values in force and citations
    params: List[dict] = field(default_factory=list)
    title_zh: str = ""
    title_en: str = ""
    #: one line: what was chosen or why not ("" when the evaluation did not trace)
    summary_zh: str = ""
    summary_en: str = ""
    #: the item as the JSON result has it, for members this class does not name
    raw: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def eligible(self):
        """True when the outcome is :attr:`Outcome.ELIGIBLE`."""
        return self.outcome == Outcome.ELIGIBLE

    @classmethod
    def from_json(cls, d):
        title = d.get("title") if isinstance(d.get("title"), dict) else {}
        summary = d.get("summary") if isinstance(d.get("summary"), dict) else {}
        steps = d.get("trace", d.get("steps"))
        return cls(program=d.get("program", ""),
                   outcome=_outcome(d.get("outcome")),
                   amounts=_amounts(d.get("amounts")),
                   categories=dict(d.get("categories") or {}),
                   choice=d.get("choice") or "",
                   conditions=_list(d.get("conditions")),
                   trace=_list(steps),
                   provisional=bool(d.get("provisional", False)),
                   missing=_list(d.get("missing_facts", d.get("missing"))),
                   params=_list(d.get("params", d.get("parameters"))),
                   title_zh=d.get("title_zh", title.get("zh", "")) or "",
                   title_en=d.get("title_en", title.get("en", "")) or "",
                   summary_zh=d.get("summary_zh", summary.get("zh", "")) or "",
                   summary_en=d.get("summary_en", summary.get("en", "")) or "",
                   raw=d)


_OUTCOME_NAMES = ("eligible", "not_eligible", "undetermined")
_STATE_NAMES = ("met", "not_met", "unknown")
_EVIDENCE_NAMES = ("confirmed", "unconfirmed", "placeholder")
_CATEGORY_KEYS = ("tax_payable", "tax_relief", "subsidy", "repayment")


def _txt(raw):
    return raw.decode("utf-8", "replace") if raw is not None else None


def _name(names, i):
    return names[i] if 0 <= i < len(names) else i


# Texts that repeat across results (condition labels, parameter entries), read once from C.
# Bounded; the values handed out are copies, so a caller changing one changes no other result.
_LABELS = {}
_PARAMS = {}
_CACHE_MAX = 4096


def _item_dict(lib, ptr, trace):
    """The item at ``ptr`` (a borrowed ``const fisc_item *``) as the JSON result has it
    (schema fisc-result/1; the steps when ``trace``), read from the C structs."""
    it = cast(ptr, POINTER(_ffi._ItemStruct)).contents
    amounts, categories = {}, {}
    for k in range(it.amount_count):
        a = it.amounts[k]
        name = _txt(a.name)
        amounts[name] = pad_places(format_ptr(a.value, lib=lib)[0], 2)  # as the JSON has it
        if 0 <= a.category < len(_CATEGORY_KEYS):
            categories[name] = _CATEGORY_KEYS[a.category]
    conditions = []
    for k in range(it.condition_count):
        c = it.conditions[k]
        cid = c.id
        label = _LABELS.get(cid)
        if label is None:
            label = {"zh": _txt(c.label_zh), "en": _txt(c.label_en)}
            if len(_LABELS) < _CACHE_MAX:
                _LABELS[cid] = label
        conditions.append({"id": _txt(cid), "label": dict(label),
                           "state": _name(_STATE_NAMES, c.state), "detail": _txt(c.detail)})
    params = []
    for k in range(it.param_count):
        u = it.params[k]
        # A parameter's entry is the same text in every result of a policy: read it once.
        pkey = (u.id, u.value, u.unit, u.from_, u.to, u.evidence, u.document, u.article, u.url)
        d = _PARAMS.get(pkey)
        if d is None:
            d = {"id": _txt(u.id), "value": _txt(u.value), "unit": _txt(u.unit),
                 "from": _txt(u.from_), "to": _txt(u.to),
                 "status": _name(_EVIDENCE_NAMES, u.evidence),
                 "citation": {"document": _txt(u.document), "article": _txt(u.article),
                              "url": _txt(u.url)}}
            if len(_PARAMS) < _CACHE_MAX:
                _PARAMS[pkey] = d
        d = dict(d)
        d["citation"] = dict(d["citation"])
        params.append(d)
    d = {"program": _txt(it.program), "title": {"zh": _txt(it.title_zh), "en": _txt(it.title_en)},
         "outcome": _name(_OUTCOME_NAMES, it.outcome), "provisional": bool(it.provisional),
         "summary": {"zh": _txt(it.summary_zh), "en": _txt(it.summary_en)},
         "choice": _txt(it.choice) or "", "amounts": amounts, "categories": categories,
         "missing_facts": [_txt(it.missing[k]) for k in range(it.missing_count)],
         "conditions": conditions, "parameters": params}
    if trace:
        d["trace"] = [{"id": _txt(s.id), "label": {"zh": _txt(s.label_zh), "en": _txt(s.label_en)},
                       "formula": _txt(s.formula), "substituted": _txt(s.substituted),
                       "result": _txt(s.result), "rounding": _txt(s.rounding)}
                      for s in (it.steps[k] for k in range(it.step_count))]
    return d


def _lang(lang):
    if lang not in ("zh", "en"):
        raise invalid_argument("unknown language %r; use 'zh' or 'en'" % (lang,), source="lang")
    return lang.encode("ascii")


class Result(Handle):
    """An owned ``fisc_result *`` and what it says, read once into Python objects.

    ``items``, ``totals``, ``provisional``, ``schema`` and ``document`` stay usable after
    :meth:`close`; :meth:`explain`, :meth:`text` and :meth:`to_json` need the C result. A batch
    result (:meth:`Policy.evaluate_many`, :meth:`Policy.evaluate_file`) reads them when first
    asked for: what was read before :meth:`close` stays usable, the rest raises FiscMisuse. A result
    keeps its policy (and facts) alive: the C result may borrow text from them.

    Items can be looked up by program id: ``result["cn.cit"]``, or :meth:`find`.
    """

    _kind = "result"

    #: what a batch result (``lazy``) reads only when asked for
    _LAZY = frozenset(("document", "schema", "year", "quarter", "items", "totals"))

    def __init__(self, lib, ptr, policy, facts, trace, lazy=False):
        super().__init__(lib, ptr, lib.fisc_result_free)
        self._policy = policy
        self._facts = facts
        self.traced = bool(trace)
        # Batch results (Policy.evaluate_many / evaluate_file) read what is asked for, when it
        # is asked for: an item from the C structs, the JSON text only for ``document``.
        self._lazy = bool(lazy)
        if self._lazy:
            try:
                self.provisional = bool(lib.fisc_result_provisional(ptr))
            except BaseException:
                self.close()
                raise
            return
        try:
            text = self.to_json(trace=trace)
            #: the JSON result as parsed (numbers that have a fraction are Decimal)
            self.document = json.loads(text, parse_float=Decimal)
            #: the schema name, "fisc-result/1"
            self.schema = self.document.get("schema")
            period = self.document.get("period") or {}
            #: the tax year evaluated
            self.year = period.get("year")
            #: the quarter of a prepayment (1..4), or None for the whole year
            self.quarter = period.get("quarter")
            #: one :class:`Item` per program, in the library's order
            self.items = [Item.from_json(d) for d in self.document.get("items", [])]
            #: non-zero when any item used a parameter that is not confirmed
            self.provisional = bool(lib.fisc_result_provisional(ptr))
            #: totals over eligible items per category: {"tax_payable": Decimal, "tax_relief": ..., "subsidy": ...}
            self.totals = self._read_totals()
        except BaseException:
            self.close()
            raise

    def __getattr__(self, name):
        # Called only for attributes not set: the lazy ones of a batch result.
        if name in Result._LAZY and self.__dict__.get("_lazy"):
            if name == "totals":
                self.totals = self._read_totals()
            elif name == "items":
                self.items = self._read_items()
            else:
                self._read_document()
            return self.__dict__[name]
        raise AttributeError("%r object has no attribute %r" % (type(self).__name__, name))

    def _read_document(self):
        self.document = json.loads(self.to_json(trace=self.traced), parse_float=Decimal)
        self.schema = self.document.get("schema")
        period = self.document.get("period") or {}
        self.year = period.get("year")
        self.quarter = period.get("quarter")

    def _read_items(self):
        lib, ptr = self._lib, self._live()
        found = self.__dict__.get("_found") or {}
        items = []
        for i in range(lib.fisc_result_item_count(ptr)):
            p = lib.fisc_result_item(ptr, i)
            if p:
                d = _item_dict(lib, p, self.traced)
                items.append(found.get(d["program"]) or Item.from_json(d))
        return items

    def _read_totals(self):
        totals = {}
        for cat in Category:
            p = self._lib.fisc_result_total(self._live(), int(cat))
            if p:
                # The total is a sum of rounded amounts: show at least 分, never round here.
                totals[cat.key] = Decimal(pad_places(format_ptr(p, lib=self._lib)[0], 2))
        return totals

    def _live(self):
        """The C result, refusing one whose policy was closed: it may borrow text from it."""
        ptr = self.ptr
        if self._policy is not None and self._policy.closed:
            raise misuse("the policy of this result has been closed")
        return ptr

    def close(self):
        """Release the C result (and the facts it was computed from). Safe to call twice."""
        super().close()
        facts, self._facts = getattr(self, "_facts", None), None
        if facts is not None:
            facts.close()

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, key):
        """``result["cn.cit"]`` (KeyError when no such program) or ``result[0]``."""
        if isinstance(key, str):
            item = self.find(key)
            if item is None:
                raise KeyError(key)
            return item
        return self.items[key]

    def find(self, program) -> Optional[Item]:
        """The item of program ``program`` (e.g. ``"cn.cit"``), or None."""
        if self._lazy and "items" not in self.__dict__:
            found = self.__dict__.setdefault("_found", {})
            if program not in found:
                if not isinstance(program, str):
                    return None
                p = self._lib.fisc_result_find(self._live(), program.encode("utf-8"))
                found[program] = Item.from_json(_item_dict(self._lib, p, self.traced)) if p else None
            return found[program]
        for item in self.items:
            if item.program == program:
                return item
        return None

    def to_json(self, trace=None, pretty=False):
        """The result as JSON text (C: ``fisc_result_to_json``), amounts as strings.

        ``trace`` includes the steps (default: when the evaluation traced); ``pretty`` indents.
        """
        flags = 0
        if self.traced if trace is None else trace:
            flags |= _ffi.FISC_JSON_TRACE
        if pretty:
            flags |= _ffi.FISC_JSON_PRETTY
        out = c_void_p()
        self._lib.fisc_result_to_json(byref(out), self._live(), flags, _ffi.new_error())
        return _ffi.take_string(out.value, self._lib)

    def text(self, lang="zh", explain=False):
        """A readable report in ``"zh"`` or ``"en"`` (C: ``fisc_result_to_text``)."""
        out = c_void_p()
        self._lib.fisc_result_to_text(byref(out), self._live(), _lang(lang), 1 if explain else 0,
                                      _ffi.new_error())
        return _ffi.take_string(out.value, self._lib)

    def explain(self, lang="zh"):
        """The report with each condition, the parameters used with their citations, and the
        steps with their roundings (the steps need an evaluation with ``trace=True``)."""
        return self.text(lang, explain=True)

    def __repr__(self):
        return "<fisc.Result %s>" % ", ".join(
            "%s: %s" % (i.program, i.outcome) for i in self.items)
