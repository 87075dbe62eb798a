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

import codecs
import csv
import datetime
import difflib
import enum
import json
import os
import re
import threading
import warnings
from collections.abc import Mapping
from ctypes import byref, c_char_p, c_void_p
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple, Optional, Tuple

from . import _ffi
from ._handles import FLOAT_HINT, Handle, as_text
from .errors import (FiscError, FiscInvalidArgument, FiscMemoryError, FiscMisuse,
                     FiscNotFound, FiscParseError, Status, invalid_argument)
from .result import Result

__all__ = ["Evidence", "ParamKind", "FactType", "Layer", "ParamEntry", "Param", "FactInfo",
           "Policy", "RowError", "fact_vocabulary", "facts_to_json"]


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

    @classmethod
    def empty(cls, lib=None):
        """An empty set of facts (fisc_facts_new), to fill with fisc_facts_set."""
        lib = lib or _ffi.LIB
        out = c_void_p()
        lib.fisc_facts_new(byref(out), _ffi.new_error())
        if not out.value:
            raise MemoryError("fisc_facts_new returned no facts")
        self = cls.__new__(cls)
        Handle.__init__(self, lib, out.value, lib.fisc_facts_free)
        return self


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


# ------------------------------------------------------------------ batch: many rows, streamed

@dataclass(frozen=True)
class RowError:
    """A row that could not be evaluated, yielded in its place by :meth:`Policy.evaluate_many`
    and :meth:`Policy.evaluate_file`; the rows after it are still evaluated."""

    #: evaluate_many: the row's 0-based position in the iterable; evaluate_file: its row number
    #: (CSV: as a spreadsheet shows it, the header being row 1; JSON Lines: the line number)
    index: int
    #: the row's key (evaluate_file's ``key`` column), or None
    key: Any
    #: what is wrong with it: a :class:`~fisc.errors.FiscError` naming the fact when there is one
    error: FiscError

    def __str__(self):
        where = "row %d" % self.index
        if self.key is not None:
            where += " (%s)" % (self.key,)
        return "%s: %s" % (where, self.error)


_QUARTER_NUMBER = {"Q1": 1, "Q2": 2, "Q3": 3, "Q4": 4}


def _fact_text(value, name):
    """The text fisc_facts_set() reads for one fact value; None for an unknown one."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        raise TypeError("facts[%s]: float is not accepted because binary floating point is "
                        "inexact (%r); %s" % (name, value, FLOAT_HINT))
    if isinstance(value, (Decimal, int)):
        return as_text(value, "facts[%s]" % name)
    if isinstance(value, datetime.datetime):
        raise TypeError("facts[%s]: a datetime is not a date; pass datetime.date or 'YYYY-MM-DD'"
                        % name)
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError("facts[%s]: %s is not a fact value; use Decimal, int, str, bool, None, "
                    "datetime.date or a dict of quarters" % (name, type(value).__name__))


def _set_quarters(lib, fptr, name, raw, value):
    """A per-quarter fact from {"Q1": {"start": ..., "end": ...}} or {"Q1": (start, end)}."""
    for q, v in value.items():
        if not isinstance(q, str):
            raise TypeError("facts[%s]: keys must be str, not %s" % (name, type(q).__name__))
        if q.startswith("_"):
            continue
        n = _QUARTER_NUMBER.get(q)
        if n is None:
            raise invalid_argument("facts[%s]: %r is not a quarter (Q1 to Q4)" % (name, q),
                                   source=name)
        if isinstance(v, Mapping):
            start, end = v.get("start"), v.get("end")
        elif isinstance(v, (tuple, list)) and len(v) == 2:
            start, end = v
        elif v is None:
            start = end = None
        else:
            raise invalid_argument("facts[%s.%s]: a quarter is {'start': ..., 'end': ...} or "
                                   "(start, end)" % (name, q), source=name)
        start, end = _fact_text(start, name + "." + q), _fact_text(end, name + "." + q)
        lib.fisc_facts_set_quarter(fptr, raw, n, None if start is None else start.encode("utf-8"),
                                   None if end is None else end.encode("utf-8"), _ffi.new_error())


def _is_fatal(exc):
    """Errors that end a stream rather than a row: out of memory, and a misuse (the policy
    closed while the rows are read), which is a programming error, not bad data."""
    return isinstance(exc, (MemoryError, FiscMemoryError, FiscMisuse))


class _BatchRunner:
    """What evaluate_many and evaluate_file share: one policy, one period, one options struct,
    and the fact names already encoded."""

    def __init__(self, policy, year, quarter, trace, summary=False):
        y, q = _period(year, quarter)
        if trace and summary:
            raise ValueError("summary=True is for batch work without the explanation: "
                             "it cannot be combined with trace=True")
        self.policy = policy
        self.lib = policy._lib
        policy.ptr  # FiscMisuse on a closed policy, before any row is read
        self.opts = _ffi._EvalOptionsStruct()
        self.lib.fisc_eval_options_init(self.opts, _ffi.FISC_EVAL_OPTIONS_VERSION)
        self.opts.year = y
        self.opts.quarter = q
        self.opts.trace = 1 if trace else 0
        self.opts.summary = 1 if summary else 0
        self.trace = bool(trace)
        self.names = {}  # fact name -> its UTF-8 bytes
        self.err = _ffi.new_error()  # one fisc_error for the setters; a fresh one after a failure

    def facts(self, row):
        """A _Facts built from ``row`` (name -> value) through fisc_facts_set: no JSON text."""
        if not isinstance(row, Mapping):
            raise TypeError("each row must be a dict of fact name -> value, not %s"
                            % type(row).__name__)
        lib, err = self.lib, self.err
        fh = _Facts.empty(lib)
        try:
            fptr = fh.ptr
            for name, value in row.items():
                raw = self.names.get(name)
                if raw is None:
                    if not isinstance(name, str):
                        raise TypeError("facts: keys must be str, not %s" % type(name).__name__)
                    raw = self.names[name] = name.encode("utf-8")
                if value is None or name.startswith("_"):
                    continue
                if isinstance(value, Mapping):
                    _set_quarters(lib, fptr, name, raw, value)
                    continue
                lib.fisc_facts_set(fptr, raw, _fact_text(value, name).encode("utf-8"), err)
        except BaseException:
            fh.close()
            self.err = _ffi.new_error()
            raise
        return fh

    def evaluate(self, fh):
        """Evaluate the facts (their ownership passes to the Result, or they are freed)."""
        lib = self.lib
        try:
            out = c_void_p()
            lib.fisc_evaluate(byref(out), self.policy.ptr, fh.ptr, self.opts, _ffi.new_error())
            if not out.value:
                raise MemoryError("fisc_evaluate returned no result")
        except BaseException:
            fh.close()
            raise
        return Result(lib, out.value, self.policy, fh, self.trace, lazy=True)

    def row(self, index, key, row):
        """A Result, or a RowError for a row whose facts or evaluation fail."""
        try:
            return self.evaluate(self.facts(row))
        except FiscError as exc:
            if _is_fatal(exc):
                raise
            return RowError(index, key, exc)


# --- files: CSV (UTF-8 with or without BOM, or GB18030) and JSON Lines

_CHUNK = 1 << 18  # as fisc batch reads (CLI_STREAM_CHUNK): the chunk that decides the encoding
_DECIDE_BYTES = 256  # non-ASCII text that decides, unless the file ends first (as fisc batch)
_BOOL_WORDS = {"true": "true", "false": "false", "是": "true", "否": "false"}
_JSONL_EXTENSIONS = (".jsonl", ".ndjson", ".json")


_places = threading.local()  # the count of the decoding error handler below, per thread


def _skip_utf8_place(exc):
    """An error handler: a byte that begins no UTF-8 character and the continuation bytes right
    after it are one bad place (as fisc batch counts them)."""
    data, i = exc.object, exc.start + 1
    while i < len(data) and 0x80 <= data[i] <= 0xBF:
        i += 1
    _places.n += 1
    return "", i


codecs.register_error("fisc.utf8-place", _skip_utf8_place)

# A GB18030 character by its byte structure (ASCII runs, 2-byte and 4-byte codes), as fisc batch
# reads it, and with _CUT the first bytes of one at the end of the text: what a left-to-right
# scan leaves between its matches is the bytes that begin no character.
_GB18030_CHARS = (rb"[\x00-\x7f]+|[\x81-\xfe][\x40-\x7e\x80-\xfe]"
                  rb"|[\x81-\xfe][\x30-\x39][\x81-\xfe][\x30-\x39]")
_GB18030_WHOLE = re.compile(_GB18030_CHARS)
_GB18030_CUT = re.compile(_GB18030_CHARS + rb"|[\x81-\xfe](?:[\x30-\x39][\x81-\xfe]?)?\Z")


def _choose_encoding(text, final):
    """"gb18030" or "utf-8-sig" for the first non-ASCII text of a file, ``text``, which is not
    valid UTF-8: GB18030 when it has fewer bad places as GB18030 than as UTF-8; a character cut
    by the end of ``text`` counts only when it is the end of the file (``final``). As fisc
    batch's choose_encoding (examples/cli_stream.c)."""
    gb = len((_GB18030_WHOLE if final else _GB18030_CUT).sub(b"", text))
    if gb == 0:
        return "gb18030"
    _places.n = 0
    codecs.getincrementaldecoder("utf-8")("fisc.utf8-place").decode(text, final=final)
    return "gb18030" if gb < _places.n else "utf-8-sig"


def _detect_encoding(path):
    """"utf-8-sig" or "gb18030", decided as ``fisc batch`` decides: by the first 256 KiB chunk
    that holds a byte above 0x7F, from that byte on (with fewer than 256 bytes from there to the
    chunk's end, the next chunk too; up to a NUL, which fisc batch refuses). It is UTF-8 when
    it is valid UTF-8 (a sequence cut at the chunk's end aside); else GB18030 when it has fewer
    bad places as GB18030 than as UTF-8 (a GBK file has none), else UTF-8: a UTF-8 file with a
    stray byte stays UTF-8, and the stray byte is its row's error, where as GB18030 its rows
    would be read with their text garbled. A file with a UTF-8 BOM, or all ASCII, is UTF-8. A
    later byte that is not valid in the encoding chosen is that row's error (``_Lines``)."""
    with open(path, "rb") as f:
        first, carry = True, b""
        while True:
            data = f.read(_CHUNK)
            final = len(data) < _CHUNK
            if first and data.startswith(codecs.BOM_UTF8):
                return "utf-8-sig"
            first = False
            chunk = carry + data
            at = None if chunk.isascii() else next(i for i, b in enumerate(chunk) if b > 0x7F)
            if at is None:
                if final:
                    return "utf-8-sig"
                carry = b""
                continue
            nul = chunk.find(b"\0")
            if 0 <= nul < at:  # fisc batch decides on the bytes before a NUL (and refuses it)
                return "utf-8-sig"
            text = chunk[at:nul] if nul > at else chunk[at:]
            final = final or nul > at
            if not final and len(text) < _DECIDE_BYTES:
                carry = text  # too little non-ASCII text to judge: decide with the next chunk
                continue
            try:  # valid, a character cut by the chunk's end aside (_DECIDE_BYTES come before it)
                codecs.getincrementaldecoder("utf-8")().decode(text, final=final)
            except UnicodeDecodeError:
                return _choose_encoding(text, final)
            return "utf-8-sig"


class _BadLine(Exception):
    """A line whose bytes are not valid in the file's encoding (raised by ``_lines``)."""

    def __init__(self, text):
        super().__init__(text)
        self.text = text


class _Lines:
    """The lines of binary file ``f``, decoded one by one (no byte of a GB18030 or UTF-8
    character is 0x0A, so a line never splits one), so that every line before a bad byte is
    read. A bad line raises _BadLine from ``__next__``; unlike a generator's, the next call goes
    on with the line after it (csv.reader starts its next record there)."""

    def __init__(self, f, encoding):
        codec = codecs.lookup(encoding).name
        utf8 = codec in ("utf-8", "utf-8-sig")
        if codec.startswith(("utf-16", "utf-32")):
            raise invalid_argument("%s: encoding %s is not supported (as fisc batch): save the "
                                   "file as CSV UTF-8 or as GBK/GB18030" % (f.name, encoding),
                                   source="encoding")
        self._pending = []  # the lines after the first of a read that holds lone CRs
        self._f = f
        self._name = "UTF-8" if utf8 else codec.upper()
        self._codec = "utf-8" if utf8 else encoding
        self._bom = utf8  # a BOM is skipped on the first line only

    def __iter__(self):
        return self

    def __next__(self):
        if self._pending:
            raw = self._pending.pop()
        else:
            raw = self._f.readline()
            if not raw:
                raise StopIteration
            if b"\r" in raw[:-2]:  # lone CRs end lines too (old Mac files), as fisc batch reads them
                parts = raw.splitlines(keepends=True)
                raw = parts[0]
                self._pending = parts[:0:-1]
        if self._bom:
            self._bom = False
            if raw.startswith(codecs.BOM_UTF8):
                raw = raw[3:]
        try:
            return raw.decode(self._codec)
        except UnicodeDecodeError as exc:
            raise _BadLine("invalid %s (byte 0x%02X) in a file read as %s: save it as CSV UTF-8 "
                           "or as GBK/GB18030" % (self._name, raw[exc.start], self._name)) from None


def _vocab_index():
    """Header text -> fact name: names, zh labels, en labels (any case), and the fact's type."""
    index, types = {}, {}
    for info in fact_vocabulary():
        types[info.name] = info.type
        for label in (info.label_zh, info.label_en.casefold()):
            if label:
                index.setdefault(label, info.name)
    for name in types:  # a name always means itself, whatever a label says
        index[name] = name
    return index, types


def _column_fact(header, index):
    h = header.strip()
    return index.get(h) or index.get(h.casefold())


def _file_format(path, encoding):
    """"jsonl" or "csv": by the extension, else by the first character that is not a space."""
    lower = os.fsdecode(path).lower()
    if lower.endswith(_JSONL_EXTENSIONS):
        return "jsonl"
    if lower.endswith((".csv", ".txt")):
        return "csv"
    with open(path, "rb") as f:  # "{" and spaces are single bytes in UTF-8 and GB18030
        first = True
        while True:
            chunk = f.read(4096)
            if not chunk:
                return "csv"
            if first and chunk.startswith(codecs.BOM_UTF8):
                chunk = chunk[3:]
            first = False
            stripped = chunk.lstrip()
            if stripped:
                return "jsonl" if stripped[:1] == b"{" else "csv"


def _no_constant(name):
    """json.loads' parse_constant: NaN and Infinity are no amounts (they would be floats)."""
    raise ValueError("%s is not a number fisc reads" % name)


def _row_error(index, key, text, cls=FiscParseError, code=Status.EPARSE, source="", column=-1):
    return RowError(index, key, cls(text, code=code, source=source, line=index, column=column))


def _csv_columns(header, key, index, path):
    """The fact of each CSV column (None for a comment or key-only column), and the key's column."""
    if header is None:
        raise invalid_argument("%s: the file is empty: the first row must name the facts"
                               % os.fsdecode(path), source="header")
    if not any(cell.strip() for cell in header):
        raise invalid_argument("%s: row 1 is blank: the first row must name the facts"
                               % os.fsdecode(path), source="header")
    columns, seen, key_col = [], {}, None
    for i, cell in enumerate(header):
        h = cell.strip()
        fact = None if not h or h.startswith("_") else _column_fact(h, index)
        if key is not None and key_col is None and (h == key or (fact is not None and fact == key)):
            key_col = i
        if fact is None and h and not h.startswith("_") and h != key and h != "id":
            # as `fisc batch` does: warned about and ignored (an id or notes column is common)
            near = difflib.get_close_matches(h, list(index), n=3, cutoff=0.6)
            warnings.warn(
                "%s: column %d %r is not a fact%s; ignored"
                % (os.fsdecode(path), i + 1, h,
                   " (did you mean %s?)" % ", ".join(repr(index[n]) for n in near) if near else ""),
                UserWarning, stacklevel=4)
        if fact is not None:
            if fact in seen:
                raise invalid_argument("%s: columns %d and %d are both the fact %s"
                                       % (os.fsdecode(path), seen[fact] + 1, i + 1, fact),
                                       source="header", column=i + 1)
            seen[fact] = i
        columns.append(fact)
    if key is not None and key_col is None:
        raise invalid_argument("%s: no column %r for the key" % (os.fsdecode(path), key),
                               source="key")
    if key is None:  # as `fisc batch`: uscc, else a column headed "id"
        key_col = seen.get("uscc")
        if key_col is None:
            key_col = next((i for i, cell in enumerate(header) if cell.strip() == "id"), None)
    return columns, key_col


def _jsonl_key(obj, key):
    if key is not None:
        return obj.get(key)
    k = obj.get("uscc")
    return k if k is not None else obj.get("id")


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

    def evaluate_many(self, rows, *, year=None, quarter=None, trace=False, key=None,
                      summary=False):
        """Evaluate every row of ``rows``, streaming: an iterable (a list, a generator, a
        ``csv.DictReader`` ...) of dicts of fact name -> value, read one at a time.

        Yields, for each row in order, a :class:`~fisc.result.Result` or, for a row whose facts
        are bad (an unknown fact, a number that does not parse, a value out of range) or whose
        evaluation fails, a :class:`RowError` in its place; the rows after it still come. The
        period is as for :meth:`evaluate`; ``trace`` is off by default (batch work: amounts,
        outcomes and conditions without the explanation texts). ``key`` names a member of each
        row that is the row's key (for the RowError), not a fact; rows need not have it.

        ``summary=True`` asks for less, faster (what ``fisc batch`` asks for): each item keeps its
        outcome, choice, provisional mark, missing facts, parameters and the amounts that count
        in a total (so the result's totals are whole), and of its other amounts only its first
        and those a later program reads; ``conditions`` is empty. Every amount it has equals the
        full evaluation's. It cannot be combined with ``trace=True`` (``ValueError``).

        Values are as for :meth:`evaluate` (Decimal, int, str, bool, None for unknown,
        datetime.date, a dict of quarters) and are set one by one with ``fisc_facts_set``; a
        member whose name starts with "_" is a comment. A ``float``, or a row that is not a
        dict, raises ``TypeError`` (a programming error, not bad data), as does anything the
        iterable raises; a bad period or a closed policy raises at once, before any row is read::

            for r in policy.evaluate_many(rows, year=2023):
                if isinstance(r, fisc.RowError):
                    print(r)                        # row 7: rd_p1_other: ...
                else:
                    total += r["cn.cit"].amounts.get("tax", 0)

        Each Result holds its C result until it is closed or dropped. It reads what is asked
        for when it is asked (an item, the totals): read what you need before ``close()``; what
        was read stays usable after it. Closing the policy while the rows are read raises
        :class:`~fisc.errors.FiscMisuse` (a programming error, not a bad row).
        """
        runner = _BatchRunner(self, year, quarter, trace, summary)
        if key is not None and not isinstance(key, str):
            raise TypeError("key must be a str (the name of a member of each row), not %s"
                            % type(key).__name__)
        return self._many(runner, iter(rows), key)

    @staticmethod
    def _many(runner, rows, key):
        for index, row in enumerate(rows):
            k = None
            if key is not None and isinstance(row, Mapping) and key in row:
                k = row[key]
                row = {n: v for n, v in row.items() if n != key}
            yield runner.row(index, k, row)

    def evaluate_file(self, path, *, year=None, quarter=None, key=None, encoding=None,
                      trace=False, summary=False):
        """Evaluate every row of a CSV or JSON Lines file, streaming (the file is never read
        whole): yields ``(row_number, key, Result or RowError)`` in file order.

        CSV: the header names the facts, by name or by their Chinese or English label (as
        :func:`fact_vocabulary` gives them; English in any case); a column whose header starts
        with "_" is a comment. An empty cell is an unknown fact; a yes/no fact also reads
        TRUE / FALSE (any case) and 是 / 否. Encoding, as ``fisc batch`` detects it: UTF-8 with a
        BOM; else the first 256 KiB chunk that holds a byte above 0x7F decides, UTF-8 when it is
        valid UTF-8, else GB18030 (``encoding`` overrides the detection); a line with a byte that
        is not valid in that encoding is that row's RowError, and the rows after it still come.
        Row numbers are those a spreadsheet shows: the header is row 1, a record with a quoted
        line break is one row, blank lines are counted and skipped. A row with fewer fields than
        the header, or whose cells are all empty (",,,"), is evaluated with the missing cells
        unknown (its items list the facts they lack), as ``fisc batch`` does. JSON Lines (``.jsonl``, ``.ndjson``,
        ``.json``, or a file whose first character is "{"): one object per line, numbers read
        exactly (never as float); the row number is the line number; blank lines are skipped.

        ``key`` is the column (or member) that identifies a row: its header text or fact name.
        By default, as ``fisc batch``: the ``uscc`` column if there is one, else a column headed
        ``id``, else none (the key is None). A key column that is a fact is also used as one. A
        CSV column that is no fact (nor the key) is ignored with a ``UserWarning`` naming the
        closest facts, as ``fisc batch`` ignores it with a warning.

        Raises at once, before yielding anything: a file that cannot be opened
        (``OSError``), a CSV header that names a fact twice (FiscInvalidArgument), a ``key``
        that is not a column, a bad period.
        A bad row (a number that does not parse, more fields than the header, a CSV syntax
        error such as a stray quote, a line of JSON that is not an object or holds NaN, a list
        or another value that is no fact value) yields a :class:`RowError` whose ``index`` is the
        row number, and the rows after it still come; an unclosed quote takes the rest of the
        file into its row. A JSON Lines member named ``id`` that is no fact is ignored, as the
        CSV column is.
        ``trace`` and ``summary`` are as for :meth:`evaluate_many`.
        """
        runner = _BatchRunner(self, year, quarter, trace, summary)
        fspath = os.fspath(path)
        if encoding is None:
            encoding = _detect_encoding(fspath)
        elif codecs.lookup(encoding).name == "utf-8":
            encoding = "utf-8-sig"
        if key is not None and not isinstance(key, str):
            raise TypeError("key must be a str (a column name), not %s" % type(key).__name__)
        index, types = _vocab_index()
        if _file_format(fspath, encoding) == "jsonl":
            return self._jsonl_rows(runner, fspath, encoding, key, index)
        with open(fspath, "rb") as f:
            try:
                header = next(csv.reader(_Lines(f, encoding), strict=True), None)
            except (_BadLine, csv.Error) as exc:
                raise invalid_argument("%s: row 1 (the header): %s" % (fspath, exc),
                                       source="header") from None
        columns, key_col = _csv_columns(header, key, index, fspath)
        return self._csv_rows(runner, fspath, encoding, columns, key_col, types)

    @staticmethod
    def _csv_rows(runner, path, encoding, columns, key_col, types):
        ncol = len(columns)
        with open(path, "rb") as f:
            reader = csv.reader(_Lines(f, encoding), strict=True)
            number = 0
            while True:
                number += 1
                try:
                    record = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:  # the reader goes on with the next line
                    yield number, None, _row_error(number, None, "CSV syntax: %s" % exc)
                    continue
                except _BadLine as exc:   # the same: _lines goes on with the next line
                    yield number, None, _row_error(number, None, exc.text)
                    continue
                if number == 1:
                    continue  # the header, read before
                if not record or (len(record) == 1 and not record[0].strip()):
                    continue  # a blank row
                k = record[key_col].strip() if key_col is not None and key_col < len(record) \
                    else None
                if len(record) > ncol:
                    yield number, k, _row_error(
                        number, k, "row %d has %d fields, the header %d" % (number, len(record),
                                                                            ncol),
                        column=ncol + 1)
                    continue
                row = {}
                for name, cell in zip(columns, record):
                    if name is None:
                        continue
                    cell = cell.strip()
                    if not cell:
                        continue
                    if types.get(name) == FactType.BOOL:
                        cell = _BOOL_WORDS.get(cell.casefold(), cell)
                    row[name] = cell
                yield number, k, runner.row(number, k, row)

    @staticmethod
    def _jsonl_rows(runner, path, encoding, key, index):
        with open(path, "rb") as f:
            lines = _Lines(f, encoding)
            number = 0
            while True:
                number += 1
                try:
                    line = next(lines)
                except StopIteration:
                    return
                except _BadLine as exc:
                    yield number, None, _row_error(number, None, exc.text)
                    continue
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line, parse_float=Decimal, parse_constant=_no_constant)
                except ValueError as exc:
                    col = getattr(exc, "colno", -1)
                    yield number, None, _row_error(number, None, "line %d is not JSON: %s"
                                                   % (number, getattr(exc, "msg", exc)), column=col)
                    continue
                if not isinstance(obj, dict):
                    yield number, None, _row_error(
                        number, None, "line %d is not a JSON object" % number,
                        cls=FiscInvalidArgument, code=Status.EINVAL)
                    continue
                k = _jsonl_key(obj, key)
                row = {}
                for name, value in obj.items():
                    fact = name if name.startswith("_") else _column_fact(name, index)
                    if fact is None:
                        if name == key or name == "id":  # as a CSV column: not a fact
                            continue
                        fact = name  # unknown: fisc_facts_set says so, with a suggestion
                    row[fact] = value
                try:
                    result = runner.row(number, k, row)
                except TypeError as exc:  # a value of the file's, not a caller's mistake
                    result = _row_error(number, k, str(exc), cls=FiscInvalidArgument,
                                        code=Status.EINVAL)
                yield number, k, result

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
