"""Loading libfisc and declaring its C prototypes. The only module that calls ``ctypes.CDLL``.

``load()`` is the single place a packager needs to patch. It searches, in this order:

1. an explicit ``path`` argument;
2. the ``FISC_LIBRARY`` environment variable (a file path);
3. a package-relative ``fisc/_lib/libfisc.so*`` (wheels that ship the library);
4. ``ctypes.util.find_library('fisc')`` (which returns a SONAME such as ``libfisc.so.0``, or None);
5. the literal SONAME ``libfisc.so.0``.

An explicit path, or ``FISC_LIBRARY``, is authoritative: when it cannot be loaded the search stops
there, so a broken build tree never silently falls back to some other installed copy. The
unversioned ``libfisc.so`` (a -dev package symlink) is never searched for by name.

After loading, the library's ``fisc_version_number()`` must have the major version this binding
was written for, the ``fisc_error`` layout must match :class:`_ErrorStruct`, and every symbol in
``_PROTOTYPES`` must exist; otherwise ``ImportError``.
"""

import ctypes
import ctypes.util
import functools
import glob
import os
from ctypes import (POINTER, Structure, c_char, c_char_p, c_int, c_int64, c_long, c_size_t, c_uint,
                    c_uint32, c_void_p)

from . import errors

#: The major version this binding speaks (FISC_VERSION_MAJOR in <fisc/common.h>).
FISC_VERSION_MAJOR = 0
#: The oldest library version with every function in _PROTOTYPES (0.1.0).
FISC_VERSION_MIN = 100
#: The SONAME; the unversioned libfisc.so is never loaded by name.
SONAME = "libfisc.so.0"
#: Environment variable naming the library file to load.
ENV_VAR = "FISC_LIBRARY"

FISC_ERROR_TEXT_SIZE = 256    # FISC_ERROR_TEXT_SIZE, checked against fisc_error_text_size()
FISC_ERROR_SOURCE_SIZE = 64   # FISC_ERROR_SOURCE_SIZE, checked against fisc_error_source_size()

FISC_FORMAT_VERSION = 1
FISC_PLACES_EXACT = -1
FISC_APPORTION_OPTIONS_VERSION = 1

FISC_PARSE_PLAIN = 0x0
FISC_PARSE_PERCENT = 0x1
FISC_PARSE_FRACTION = 0x2

FISC_STATUS_ROUNDED = 0x1
FISC_STATUS_INEXACT = 0x2
FISC_STATUS_CAPPED = 0x4

FISC_UPPER_NO_ZHENG_AFTER_JIAO = 0x1
FISC_UPPER_RMB_PREFIX = 0x2

FISC_EVAL_OPTIONS_VERSION = 2
FISC_JSON_TRACE = 0x1
FISC_JSON_PRETTY = 0x2
FISC_CATEGORY_COUNT = 4
FISC_AGREEMENT_OPTIONS_VERSION = 1

_PACKAGE_LIB_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_lib")


class _ErrorStruct(Structure):
    """Mirror of ``struct fisc_error`` (caller-owned). A new instance holds no error
    (FISC_ERROR_INIT: code 0, line -1, column -1, empty strings)."""

    _fields_ = [
        ("code", c_int),
        ("line", c_int),
        ("column", c_int),
        ("source", c_char * FISC_ERROR_SOURCE_SIZE),
        ("text", c_char * FISC_ERROR_TEXT_SIZE),
    ]

    def __init__(self):
        super().__init__(0, -1, -1, b"", b"")

    def to_exception(self, code, lib):
        """The exception for status ``code`` with this struct's detail."""
        text = _decode(self.text)
        if not text:
            text = _decode(lib.fisc_strerror(code) or b"")
        return errors.make_error(code, text, name=_decode(lib.fisc_err_name(code) or b""),
                                 source=_decode(self.source), line=self.line,
                                 column=self.column)


def new_error():
    """A fresh ``fisc_error`` in the FISC_ERROR_INIT state; use one per call."""
    return _ErrorStruct()


class _FormatStruct(Structure):
    """Mirror of ``struct fisc_format`` (transparent, versioned; set up by fisc_format_init)."""

    _fields_ = [
        ("version", c_uint),
        ("places", c_int),
        ("rounding", c_int),
        ("grouping", c_int),
        ("unit", c_int),
    ]


class _ApportionOptionsStruct(Structure):
    """Mirror of ``struct fisc_apportion_options`` (initialise with fisc_apportion_options_init)."""

    _fields_ = [
        ("version", c_uint),
        ("mode", c_int),
        ("remainder", c_int),
        ("unit", c_void_p),             # const fisc_decimal *, borrowed for the call
        ("order", POINTER(c_size_t)),   # const size_t *
        ("order_len", c_size_t),
    ]


class _UsccStruct(Structure):
    """Mirror of ``struct fisc_uscc`` (plain C types only; no private members)."""

    _fields_ = [
        ("code", c_char * 19),
        ("warnings", c_uint),
    ]


class _ParamEntryStruct(Structure):
    """Mirror of ``struct fisc_param_entry`` (borrowed from the policy; fields only appended)."""

    _fields_ = [
        ("from_", c_char_p),     # "from" in C: first day in force
        ("to", c_char_p),        # last day, or NULL when open-ended
        ("value", c_char_p),
        ("evidence", c_int),     # fisc_evidence
        ("document", c_char_p),
        ("article", c_char_p),
        ("url", c_char_p),
        ("layer", c_char_p),
    ]


class _LayerInfoStruct(Structure):
    """Mirror of ``struct fisc_layer_info`` (borrowed from the policy)."""

    _fields_ = [
        ("id", c_char_p),
        ("path", c_char_p),
        ("sha256", c_char_p),
        ("title_zh", c_char_p),
        ("title_en", c_char_p),
        ("document", c_char_p),
        ("is_overlay", c_int),
    ]


class _FactInfoStruct(Structure):
    """Mirror of ``struct fisc_fact_info`` (static storage in the library)."""

    _fields_ = [
        ("name", c_char_p),
        ("type", c_int),         # fisc_fact_type
        ("unit", c_char_p),
        ("label_zh", c_char_p),
        ("label_en", c_char_p),
        ("values", c_char_p),    # '|'-separated enumeration values, or ""
        ("help_en", c_char_p),
    ]


class _EvalOptionsStruct(Structure):
    """Mirror of ``struct fisc_eval_options`` (initialise with fisc_eval_options_init)."""

    _fields_ = [
        ("version", c_uint),
        ("year", c_int),
        ("quarter", c_int),
        ("trace", c_int),
        ("summary", c_int),  # version 2
    ]


class _AmountStruct(Structure):
    """Mirror of ``struct fisc_amount`` (borrowed from its result)."""

    _fields_ = [
        ("name", c_char_p),
        ("value", c_void_p),    # const fisc_decimal *
        ("category", c_int),    # fisc_category, or -1 when it only informs
    ]


class _ConditionStruct(Structure):
    """Mirror of ``struct fisc_condition`` (borrowed from its result)."""

    _fields_ = [
        ("id", c_char_p),
        ("label_zh", c_char_p),
        ("label_en", c_char_p),
        ("state", c_int),       # fisc_cond_state
        ("detail", c_char_p),
    ]


class _UsedParamStruct(Structure):
    """Mirror of ``struct fisc_used_param`` (borrowed from its result)."""

    _fields_ = [
        ("id", c_char_p),
        ("value", c_char_p),
        ("from_", c_char_p),    # "from" in C
        ("to", c_char_p),
        ("evidence", c_int),    # fisc_evidence
        ("document", c_char_p),
        ("article", c_char_p),
        ("url", c_char_p),
        ("unit", c_char_p),
    ]


class _StepStruct(Structure):
    """Mirror of ``struct fisc_step`` (borrowed from its result)."""

    _fields_ = [
        ("id", c_char_p),
        ("label_zh", c_char_p),
        ("label_en", c_char_p),
        ("formula", c_char_p),
        ("substituted", c_char_p),
        ("result", c_char_p),
        ("rounding", c_char_p),
    ]


class _ItemStruct(Structure):
    """Mirror of ``struct fisc_item`` (borrowed from its result): read by the batch path of
    :class:`fisc.result.Result`, which skips the JSON text."""

    _fields_ = [
        ("program", c_char_p),
        ("title_zh", c_char_p),
        ("title_en", c_char_p),
        ("outcome", c_int),
        ("provisional", c_int),
        ("summary_zh", c_char_p),
        ("summary_en", c_char_p),
        ("amount_count", c_size_t),
        ("amounts", POINTER(_AmountStruct)),
        ("condition_count", c_size_t),
        ("conditions", POINTER(_ConditionStruct)),
        ("missing_count", c_size_t),
        ("missing", POINTER(c_char_p)),
        ("param_count", c_size_t),
        ("params", POINTER(_UsedParamStruct)),
        ("step_count", c_size_t),
        ("steps", POINTER(_StepStruct)),
        ("choice", c_char_p),
    ]


class _FindingStruct(Structure):
    """Mirror of ``struct fisc_finding`` (borrowed from its agreement)."""

    _fields_ = [
        ("id", c_char_p),          # e.g. "legal.fair_competition"
        ("severity", c_int),       # fisc_severity
        ("term", c_char_p),        # the term concerned, or ""
        ("message_zh", c_char_p),
        ("message_en", c_char_p),
        ("source", c_char_p),      # the document
        ("line", c_int),           # 1-based, or 0
        ("column", c_int),
        ("param", c_char_p),       # the policy parameter relied on, or ""
        ("document", c_char_p),    # its citation, or ""
        ("article", c_char_p),
        ("url", c_char_p),
        ("evidence", c_int),       # fisc_evidence of that rule, or -1
    ]


class _AgreementOptionsStruct(Structure):
    """Mirror of ``struct fisc_agreement_options`` (initialise with fisc_agreement_options_init)."""

    _fields_ = [
        ("version", c_uint),
        ("trace", c_int),
        ("through_year", c_int),   # 0: the agreement's last year
        ("schedule", c_int),
    ]


def _decode(raw):
    return raw.decode("utf-8", "replace") if raw else ""


def _check_status(lib, result, func, args):
    """errcheck for functions returning ``fisc_status``: a negative status raises.

    The ``fisc_error`` is, by convention, the last argument, passed as an _ErrorStruct
    instance (ctypes hands errcheck the arguments as the caller passed them).
    """
    if result >= 0:
        return result
    err = args[-1] if args else None
    if not isinstance(err, _ErrorStruct):
        err = _ErrorStruct()
    raise err.to_exception(result, lib)


_STATUS = _check_status  # the errcheck marker used in the table below

_FISC_DECIMAL_P = c_void_p      # fisc_decimal *: always an opaque heap handle (fisc_decimal_new)
_FISC_APPORTION_P = c_void_p    # fisc_apportion *
_FISC_POLICY_P = c_void_p       # fisc_policy *
_FISC_PARAM_P = c_void_p        # const fisc_param * (borrowed from its policy)
_FISC_FACTS_P = c_void_p        # fisc_facts *
_FISC_RESULT_P = c_void_p       # fisc_result *
_FISC_AGREEMENT_P = c_void_p    # fisc_agreement *
_FISC_ACTUALS_P = c_void_p      # fisc_actuals *
_FISC_AGREEMENT_RESULT_P = c_void_p  # fisc_agreement_result *
_ERR = POINTER(_ErrorStruct)    # fisc_error *

# name: (argtypes, restype, errcheck). Every public function of <fisc/fisc.h>, applied at load.
_PROTOTYPES = {
    # --- common.h ---
    # int fisc_version_number(void);
    "fisc_version_number": ([], c_int, None),
    # const char *fisc_version_string(void);   (static storage)
    "fisc_version_string": ([], c_char_p, None),
    # void fisc_string_free(char *s);
    "fisc_string_free": ([c_void_p], None, None),

    # --- errors.h ---
    # void fisc_error_clear(fisc_error *err);
    "fisc_error_clear": ([_ERR], None, None),
    # const char *fisc_strerror(int code);   (static storage)
    "fisc_strerror": ([c_int], c_char_p, None),
    # const char *fisc_err_name(int code);   (static storage)
    "fisc_err_name": ([c_int], c_char_p, None),
    # size_t fisc_error_size(void);
    "fisc_error_size": ([], c_size_t, None),
    # size_t fisc_error_text_size(void);
    "fisc_error_text_size": ([], c_size_t, None),
    # size_t fisc_error_source_size(void);
    "fisc_error_source_size": ([], c_size_t, None),

    # --- decimal.h ---
    # void fisc_decimal_init(fisc_decimal *d);      (caller-owned struct; unused by the binding)
    "fisc_decimal_init": ([_FISC_DECIMAL_P], None, None),
    # void fisc_decimal_clear(fisc_decimal *d);     (caller-owned struct; unused by the binding)
    "fisc_decimal_clear": ([_FISC_DECIMAL_P], None, None),
    # fisc_status fisc_decimal_new(fisc_decimal **out, fisc_error *err);
    "fisc_decimal_new": ([POINTER(c_void_p), _ERR], c_int, _STATUS),
    # void fisc_decimal_free(fisc_decimal *d);
    "fisc_decimal_free": ([_FISC_DECIMAL_P], None, None),
    # size_t fisc_decimal_size(void);
    "fisc_decimal_size": ([], c_size_t, None),
    # fisc_status fisc_decimal_parse(fisc_decimal *out, const char *text, unsigned flags,
    #                                fisc_error *err);
    "fisc_decimal_parse": ([_FISC_DECIMAL_P, c_char_p, c_uint, _ERR], c_int, _STATUS),
    # fisc_status fisc_decimal_parse_n(fisc_decimal *out, const char *text, size_t len,
    #                                  unsigned flags, fisc_error *err);
    "fisc_decimal_parse_n": ([_FISC_DECIMAL_P, c_char_p, c_size_t, c_uint, _ERR], c_int,
                             _STATUS),
    # fisc_status fisc_decimal_set(fisc_decimal *out, const fisc_decimal *v, fisc_error *err);
    "fisc_decimal_set": ([_FISC_DECIMAL_P, _FISC_DECIMAL_P, _ERR], c_int, _STATUS),
    # void fisc_decimal_set_int(fisc_decimal *out, int64_t v);
    "fisc_decimal_set_int": ([_FISC_DECIMAL_P, c_int64], None, None),
    # fisc_status fisc_decimal_add(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b,
    #                              fisc_error *err);
    "fisc_decimal_add": ([_FISC_DECIMAL_P] * 3 + [_ERR], c_int, _STATUS),
    # fisc_status fisc_decimal_sub(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b,
    #                              fisc_error *err);
    "fisc_decimal_sub": ([_FISC_DECIMAL_P] * 3 + [_ERR], c_int, _STATUS),
    # fisc_status fisc_decimal_mul(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b,
    #                              fisc_error *err);
    "fisc_decimal_mul": ([_FISC_DECIMAL_P] * 3 + [_ERR], c_int, _STATUS),
    # fisc_status fisc_decimal_div(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b,
    #                              fisc_error *err);
    "fisc_decimal_div": ([_FISC_DECIMAL_P] * 3 + [_ERR], c_int, _STATUS),
    # fisc_status fisc_decimal_neg(fisc_decimal *r, const fisc_decimal *a, fisc_error *err);
    "fisc_decimal_neg": ([_FISC_DECIMAL_P] * 2 + [_ERR], c_int, _STATUS),
    # fisc_status fisc_decimal_abs(fisc_decimal *r, const fisc_decimal *a, fisc_error *err);
    "fisc_decimal_abs": ([_FISC_DECIMAL_P] * 2 + [_ERR], c_int, _STATUS),
    # fisc_status fisc_decimal_min(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b,
    #                              fisc_error *err);
    "fisc_decimal_min": ([_FISC_DECIMAL_P] * 3 + [_ERR], c_int, _STATUS),
    # fisc_status fisc_decimal_max(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b,
    #                              fisc_error *err);
    "fisc_decimal_max": ([_FISC_DECIMAL_P] * 3 + [_ERR], c_int, _STATUS),
    # int fisc_decimal_cmp(const fisc_decimal *a, const fisc_decimal *b);
    "fisc_decimal_cmp": ([_FISC_DECIMAL_P, _FISC_DECIMAL_P], c_int, None),
    # int fisc_decimal_sign(const fisc_decimal *a);
    "fisc_decimal_sign": ([_FISC_DECIMAL_P], c_int, None),
    # int fisc_decimal_is_integer(const fisc_decimal *a);
    "fisc_decimal_is_integer": ([_FISC_DECIMAL_P], c_int, None),
    # int fisc_decimal_is_terminating(const fisc_decimal *a);
    "fisc_decimal_is_terminating": ([_FISC_DECIMAL_P], c_int, None),
    # fisc_status fisc_decimal_round(fisc_decimal *r, fisc_decimal *residue, const fisc_decimal *v,
    #                                int places, fisc_round mode, uint32_t *status,
    #                                fisc_error *err);
    "fisc_decimal_round": ([_FISC_DECIMAL_P, _FISC_DECIMAL_P, _FISC_DECIMAL_P, c_int, c_int,
                            POINTER(c_uint32), _ERR], c_int, _STATUS),
    # fisc_status fisc_decimal_round_unit(fisc_decimal *r, fisc_decimal *residue,
    #                                     const fisc_decimal *v, const fisc_decimal *unit,
    #                                     fisc_round mode, uint32_t *status, fisc_error *err);
    "fisc_decimal_round_unit": ([_FISC_DECIMAL_P, _FISC_DECIMAL_P, _FISC_DECIMAL_P,
                                 _FISC_DECIMAL_P, c_int, POINTER(c_uint32), _ERR], c_int,
                                _STATUS),
    # fisc_status fisc_format_init(fisc_format *fmt, unsigned int version);
    "fisc_format_init": ([POINTER(_FormatStruct), c_uint], c_int, _STATUS),
    # fisc_status fisc_decimal_to_string(char **out, const fisc_decimal *v, const fisc_format *fmt,
    #                                    uint32_t *status, fisc_error *err);
    #   (out: caller-owned, read with string_at and release with fisc_string_free)
    "fisc_decimal_to_string": ([POINTER(c_void_p), _FISC_DECIMAL_P, POINTER(_FormatStruct),
                                POINTER(c_uint32), _ERR], c_int, _STATUS),
    # fisc_status fisc_decimal_format(char *buf, size_t size, size_t *len, const fisc_decimal *v,
    #                                 const fisc_format *fmt, uint32_t *status, fisc_error *err);
    "fisc_decimal_format": ([c_char_p, c_size_t, POINTER(c_size_t), _FISC_DECIMAL_P,
                             POINTER(_FormatStruct), POINTER(c_uint32), _ERR], c_int, _STATUS),

    # --- upper.h ---
    # fisc_status fisc_upper_format(char **out, const fisc_decimal *amount, unsigned flags,
    #                               fisc_error *err);
    "fisc_upper_format": ([POINTER(c_void_p), _FISC_DECIMAL_P, c_uint, _ERR], c_int, _STATUS),

    # --- apportion.h ---
    # fisc_status fisc_apportion_options_init(fisc_apportion_options *opts, unsigned int version);
    "fisc_apportion_options_init": ([POINTER(_ApportionOptionsStruct), c_uint], c_int,
                                    _STATUS),
    # fisc_status fisc_apportion_new(fisc_apportion **out, fisc_error *err);
    "fisc_apportion_new": ([POINTER(c_void_p), _ERR], c_int, _STATUS),
    # void fisc_apportion_free(fisc_apportion *ap);
    "fisc_apportion_free": ([_FISC_APPORTION_P], None, None),
    # fisc_status fisc_apportion_add(fisc_apportion *ap, const fisc_decimal *weight,
    #                                const fisc_decimal *cap, fisc_error *err);
    "fisc_apportion_add": ([_FISC_APPORTION_P, _FISC_DECIMAL_P, _FISC_DECIMAL_P, _ERR], c_int,
                           _STATUS),
    # fisc_status fisc_apportion_run(fisc_apportion *ap, const fisc_decimal *total,
    #                                const fisc_apportion_options *opts, fisc_error *err);
    "fisc_apportion_run": ([_FISC_APPORTION_P, _FISC_DECIMAL_P, POINTER(_ApportionOptionsStruct),
                            _ERR], c_int, _STATUS),
    # size_t fisc_apportion_count(const fisc_apportion *ap);
    "fisc_apportion_count": ([_FISC_APPORTION_P], c_size_t, None),
    # const fisc_decimal *fisc_apportion_part(const fisc_apportion *ap, size_t i, uint32_t *flags);
    #   (borrowed; NULL when out of range or not run)
    "fisc_apportion_part": ([_FISC_APPORTION_P, c_size_t, POINTER(c_uint32)], c_void_p, None),
    # const fisc_decimal *fisc_apportion_exact_share(const fisc_apportion *ap, size_t i);
    "fisc_apportion_exact_share": ([_FISC_APPORTION_P, c_size_t], c_void_p, None),
    # const fisc_decimal *fisc_apportion_unallocated(const fisc_apportion *ap);
    "fisc_apportion_unallocated": ([_FISC_APPORTION_P], c_void_p, None),
    # const fisc_decimal *fisc_apportion_remainder(const fisc_apportion *ap);
    "fisc_apportion_remainder": ([_FISC_APPORTION_P], c_void_p, None),

    # --- uscc.h ---
    # fisc_status fisc_uscc_check(fisc_uscc *out, const char *text, fisc_error *err);
    "fisc_uscc_check": ([POINTER(_UsccStruct), c_char_p, _ERR], c_int, _STATUS),

    # --- policy.h ---
    # fisc_status fisc_policy_load(fisc_policy **out, const char *path, fisc_error *err);
    "fisc_policy_load": ([POINTER(c_void_p), c_char_p, _ERR], c_int, _STATUS),
    # fisc_status fisc_policy_load_files(fisc_policy **out, const char *const *paths, size_t n,
    #                                    const char *overlay, fisc_error *err);
    "fisc_policy_load_files": ([POINTER(c_void_p), POINTER(c_char_p), c_size_t, c_char_p, _ERR],
                               c_int, _STATUS),
    # fisc_status fisc_policy_load_default(fisc_policy **out, const char *overlay,
    #                                      fisc_error *err);
    "fisc_policy_load_default": ([POINTER(c_void_p), c_char_p, _ERR], c_int, _STATUS),
    # void fisc_policy_free(fisc_policy *p);
    "fisc_policy_free": ([_FISC_POLICY_P], None, None),
    # size_t fisc_policy_layer_count(const fisc_policy *p);
    "fisc_policy_layer_count": ([_FISC_POLICY_P], c_size_t, None),
    # const char *fisc_policy_hash(const fisc_policy *p);   (borrowed)
    "fisc_policy_hash": ([_FISC_POLICY_P], c_char_p, None),
    # const fisc_layer_info *fisc_policy_layer(const fisc_policy *p, size_t i);   (borrowed)
    "fisc_policy_layer": ([_FISC_POLICY_P, c_size_t], POINTER(_LayerInfoStruct), None),
    # size_t fisc_policy_param_count(const fisc_policy *p);
    "fisc_policy_param_count": ([_FISC_POLICY_P], c_size_t, None),
    # const fisc_param *fisc_policy_param(const fisc_policy *p, size_t i);   (borrowed)
    "fisc_policy_param": ([_FISC_POLICY_P, c_size_t], _FISC_PARAM_P, None),
    # const fisc_param *fisc_policy_find_param(const fisc_policy *p, const char *id);
    "fisc_policy_find_param": ([_FISC_POLICY_P, c_char_p], _FISC_PARAM_P, None),
    # const char *fisc_param_id(const fisc_param *q);   (borrowed)
    "fisc_param_id": ([_FISC_PARAM_P], c_char_p, None),
    # const char *fisc_param_label(const fisc_param *q, const char *lang);   (borrowed)
    "fisc_param_label": ([_FISC_PARAM_P, c_char_p], c_char_p, None),
    # const char *fisc_param_unit(const fisc_param *q);   (borrowed)
    "fisc_param_unit": ([_FISC_PARAM_P], c_char_p, None),
    # int fisc_param_kind_of(const fisc_param *q);
    "fisc_param_kind_of": ([_FISC_PARAM_P], c_int, None),
    # size_t fisc_param_entry_count(const fisc_param *q);
    "fisc_param_entry_count": ([_FISC_PARAM_P], c_size_t, None),
    # const fisc_param_entry *fisc_param_entry_at(const fisc_param *q, size_t i);   (borrowed)
    "fisc_param_entry_at": ([_FISC_PARAM_P, c_size_t], POINTER(_ParamEntryStruct), None),
    # size_t fisc_policy_program_count(const fisc_policy *p);
    "fisc_policy_program_count": ([_FISC_POLICY_P], c_size_t, None),
    # const char *fisc_policy_program_id(const fisc_policy *p, size_t i);   (borrowed)
    "fisc_policy_program_id": ([_FISC_POLICY_P, c_size_t], c_char_p, None),

    # --- facts.h ---
    # size_t fisc_fact_vocab_count(void);
    "fisc_fact_vocab_count": ([], c_size_t, None),
    # const fisc_fact_info *fisc_fact_vocab_at(size_t i);   (static storage)
    "fisc_fact_vocab_at": ([c_size_t], POINTER(_FactInfoStruct), None),
    # const fisc_fact_info *fisc_fact_vocab_find(const char *name);   (static storage)
    "fisc_fact_vocab_find": ([c_char_p], POINTER(_FactInfoStruct), None),
    # long fisc_fact_vocab_index(const char *name);
    "fisc_fact_vocab_index": ([c_char_p], c_long, None),
    # fisc_status fisc_facts_new(fisc_facts **out, fisc_error *err);
    "fisc_facts_new": ([POINTER(c_void_p), _ERR], c_int, _STATUS),
    # void fisc_facts_free(fisc_facts *f);
    "fisc_facts_free": ([_FISC_FACTS_P], None, None),
    # fisc_status fisc_facts_from_json(fisc_facts **out, const char *json, size_t len,
    #                                  const char *source, fisc_error *err);
    "fisc_facts_from_json": ([POINTER(c_void_p), c_char_p, c_size_t, c_char_p, _ERR], c_int,
                             _STATUS),
    # fisc_status fisc_facts_load_file(fisc_facts **out, const char *path, fisc_error *err);
    "fisc_facts_load_file": ([POINTER(c_void_p), c_char_p, _ERR], c_int, _STATUS),
    # fisc_status fisc_facts_set(fisc_facts *f, const char *name, const char *value,
    #                            fisc_error *err);
    "fisc_facts_set": ([_FISC_FACTS_P, c_char_p, c_char_p, _ERR], c_int, _STATUS),
    # fisc_status fisc_facts_set_quarter(fisc_facts *f, const char *name, int quarter,
    #                                    const char *start, const char *end, fisc_error *err);
    "fisc_facts_set_quarter": ([_FISC_FACTS_P, c_char_p, c_int, c_char_p, c_char_p, _ERR], c_int,
                               _STATUS),
    # fisc_status fisc_facts_set_index(fisc_facts *f, size_t index, const char *value, size_t len,
    #                                  fisc_error *err);
    "fisc_facts_set_index": ([_FISC_FACTS_P, c_size_t, c_char_p, c_size_t, _ERR], c_int, _STATUS),
    # fisc_status fisc_facts_set_row(size_t *failed_out, fisc_facts *f, const long *index,
    #                                const char *text, const fisc_fact_span *cells, size_t n,
    #                                fisc_error *err);
    "fisc_facts_set_row": ([POINTER(c_size_t), _FISC_FACTS_P, POINTER(c_long), c_char_p, c_void_p, c_size_t,
                            _ERR], c_int, _STATUS),
    # void fisc_facts_clear(fisc_facts *f);
    "fisc_facts_clear": ([_FISC_FACTS_P], None, None),
    # fisc_status fisc_facts_unset(fisc_facts *f, const char *name, fisc_error *err);
    "fisc_facts_unset": ([_FISC_FACTS_P, c_char_p, _ERR], c_int, _STATUS),
    # int fisc_facts_has(const fisc_facts *f, const char *name);
    "fisc_facts_has": ([_FISC_FACTS_P, c_char_p], c_int, None),
    # fisc_status fisc_facts_get(char **out, const fisc_facts *f, const char *name,
    #                            fisc_error *err);
    #   (out: caller-owned, read with string_at and release with fisc_string_free)
    "fisc_facts_get": ([POINTER(c_void_p), _FISC_FACTS_P, c_char_p, _ERR], c_int, _STATUS),

    # --- evaluate.h ---
    # fisc_status fisc_eval_options_init(fisc_eval_options *o, unsigned int version);
    "fisc_eval_options_init": ([POINTER(_EvalOptionsStruct), c_uint], c_int, _STATUS),
    # fisc_status fisc_evaluate(fisc_result **out, const fisc_policy *policy,
    #                           const fisc_facts *facts, const fisc_eval_options *opts,
    #                           fisc_error *err);
    "fisc_evaluate": ([POINTER(c_void_p), _FISC_POLICY_P, _FISC_FACTS_P,
                       POINTER(_EvalOptionsStruct), _ERR], c_int, _STATUS),
    # fisc_status fisc_evaluate_into(fisc_result **r, const fisc_policy *policy,
    #                                const fisc_facts *facts, const fisc_eval_options *opts,
    #                                fisc_error *err);
    #   (reuses *r: earlier Result objects must not share it; the binding keeps one result per Result)
    "fisc_evaluate_into": ([POINTER(c_void_p), _FISC_POLICY_P, _FISC_FACTS_P,
                            POINTER(_EvalOptionsStruct), _ERR], c_int, _STATUS),
    # void fisc_result_free(fisc_result *r);
    "fisc_result_free": ([_FISC_RESULT_P], None, None),
    # size_t fisc_result_item_count(const fisc_result *r);
    "fisc_result_item_count": ([_FISC_RESULT_P], c_size_t, None),
    # const fisc_item *fisc_result_item(const fisc_result *r, size_t i);
    #   (borrowed; the binding reads items through fisc_result_to_json, not the struct)
    "fisc_result_item": ([_FISC_RESULT_P, c_size_t], c_void_p, None),
    # const fisc_item *fisc_result_find(const fisc_result *r, const char *program);   (borrowed)
    "fisc_result_find": ([_FISC_RESULT_P, c_char_p], c_void_p, None),
    # const fisc_decimal *fisc_result_total(const fisc_result *r, int category);   (borrowed)
    "fisc_result_total": ([_FISC_RESULT_P, c_int], _FISC_DECIMAL_P, None),
    # int fisc_result_provisional(const fisc_result *r);
    "fisc_result_provisional": ([_FISC_RESULT_P], c_int, None),
    # fisc_status fisc_result_to_json(char **out, const fisc_result *r, unsigned flags,
    #                                 fisc_error *err);
    #   (out: caller-owned, read with string_at and release with fisc_string_free)
    "fisc_result_to_json": ([POINTER(c_void_p), _FISC_RESULT_P, c_uint, _ERR], c_int, _STATUS),
    # fisc_status fisc_result_to_text(char **out, const fisc_result *r, const char *lang,
    #                                 int explain, fisc_error *err);
    #   (out: caller-owned, read with string_at and release with fisc_string_free)
    "fisc_result_to_text": ([POINTER(c_void_p), _FISC_RESULT_P, c_char_p, c_int, _ERR], c_int,
                            _STATUS),

    # --- agreement.h ---
    # fisc_status fisc_agreement_load(fisc_agreement **out, const fisc_policy *policy,
    #                                 const char *path, fisc_error *err);
    "fisc_agreement_load": ([POINTER(c_void_p), _FISC_POLICY_P, c_char_p, _ERR], c_int, _STATUS),
    # fisc_status fisc_agreement_load_string(fisc_agreement **out, const fisc_policy *policy,
    #                                        const char *name, const char *text, size_t len,
    #                                        fisc_error *err);
    "fisc_agreement_load_string": ([POINTER(c_void_p), _FISC_POLICY_P, c_char_p, c_char_p,
                                    c_size_t, _ERR], c_int, _STATUS),
    # void fisc_agreement_free(fisc_agreement *a);
    "fisc_agreement_free": ([_FISC_AGREEMENT_P], None, None),
    # const char *fisc_agreement_id(const fisc_agreement *a);   (borrowed)
    "fisc_agreement_id": ([_FISC_AGREEMENT_P], c_char_p, None),
    # const char *fisc_agreement_title(const fisc_agreement *a, const char *lang);   (borrowed)
    "fisc_agreement_title": ([_FISC_AGREEMENT_P, c_char_p], c_char_p, None),
    # const char *fisc_agreement_hash(const fisc_agreement *a);   (borrowed)
    "fisc_agreement_hash": ([_FISC_AGREEMENT_P], c_char_p, None),
    # int fisc_agreement_first_year(const fisc_agreement *a);
    "fisc_agreement_first_year": ([_FISC_AGREEMENT_P], c_int, None),
    # int fisc_agreement_last_year(const fisc_agreement *a);
    "fisc_agreement_last_year": ([_FISC_AGREEMENT_P], c_int, None),
    # size_t fisc_agreement_finding_count(const fisc_agreement *a);
    "fisc_agreement_finding_count": ([_FISC_AGREEMENT_P], c_size_t, None),
    # const fisc_finding *fisc_agreement_finding(const fisc_agreement *a, size_t i);   (borrowed)
    "fisc_agreement_finding": ([_FISC_AGREEMENT_P, c_size_t], POINTER(_FindingStruct), None),
    # size_t fisc_agreement_error_count(const fisc_agreement *a);
    "fisc_agreement_error_count": ([_FISC_AGREEMENT_P], c_size_t, None),
    # fisc_status fisc_agreement_check_to_json(char **out, const fisc_agreement *a, unsigned flags,
    #                                          fisc_error *err);
    #   (out: caller-owned, read with string_at and release with fisc_string_free)
    "fisc_agreement_check_to_json": ([POINTER(c_void_p), _FISC_AGREEMENT_P, c_uint, _ERR], c_int,
                                     _STATUS),
    # fisc_status fisc_actuals_new(fisc_actuals **out, fisc_error *err);
    "fisc_actuals_new": ([POINTER(c_void_p), _ERR], c_int, _STATUS),
    # fisc_status fisc_actuals_load(fisc_actuals **out, const char *path, fisc_error *err);
    "fisc_actuals_load": ([POINTER(c_void_p), c_char_p, _ERR], c_int, _STATUS),
    # fisc_status fisc_actuals_load_string(fisc_actuals **out, const char *name, const char *json,
    #                                      size_t len, fisc_error *err);
    "fisc_actuals_load_string": ([POINTER(c_void_p), c_char_p, c_char_p, c_size_t, _ERR], c_int,
                                 _STATUS),
    # void fisc_actuals_free(fisc_actuals *a);
    "fisc_actuals_free": ([_FISC_ACTUALS_P], None, None),
    # fisc_status fisc_actuals_set_metric(fisc_actuals *a, int year, const char *metric,
    #                                     const char *value, fisc_error *err);
    "fisc_actuals_set_metric": ([_FISC_ACTUALS_P, c_int, c_char_p, c_char_p, _ERR], c_int,
                                _STATUS),
    # fisc_status fisc_actuals_set_event(fisc_actuals *a, const char *event, const char *date,
    #                                    fisc_error *err);
    "fisc_actuals_set_event": ([_FISC_ACTUALS_P, c_char_p, c_char_p, _ERR], c_int, _STATUS),
    # fisc_status fisc_actuals_adopt_facts(fisc_actuals *a, int year, fisc_facts *facts,
    #                                      fisc_error *err);   (owns the facts on FISC_OK only)
    "fisc_actuals_adopt_facts": ([_FISC_ACTUALS_P, c_int, _FISC_FACTS_P, _ERR], c_int, _STATUS),
    # fisc_status fisc_agreement_options_init(fisc_agreement_options *o, unsigned int version);
    "fisc_agreement_options_init": ([POINTER(_AgreementOptionsStruct), c_uint], c_int, _STATUS),
    # fisc_status fisc_agreement_evaluate(fisc_agreement_result **out, const fisc_agreement *a,
    #                                     const fisc_actuals *actuals,
    #                                     const fisc_agreement_options *opts, fisc_error *err);
    "fisc_agreement_evaluate": ([POINTER(c_void_p), _FISC_AGREEMENT_P, _FISC_ACTUALS_P,
                                 POINTER(_AgreementOptionsStruct), _ERR], c_int, _STATUS),
    # void fisc_agreement_result_free(fisc_agreement_result *r);
    "fisc_agreement_result_free": ([_FISC_AGREEMENT_RESULT_P], None, None),
    # size_t fisc_agreement_result_year_count(const fisc_agreement_result *r);
    "fisc_agreement_result_year_count": ([_FISC_AGREEMENT_RESULT_P], c_size_t, None),
    # int fisc_agreement_result_year(const fisc_agreement_result *r, size_t i);
    "fisc_agreement_result_year": ([_FISC_AGREEMENT_RESULT_P, c_size_t], c_int, None),
    # const fisc_result *fisc_agreement_result_at(const fisc_agreement_result *r, size_t i);
    #   (borrowed from the agreement result)
    "fisc_agreement_result_at": ([_FISC_AGREEMENT_RESULT_P, c_size_t], _FISC_RESULT_P, None),
    # const fisc_decimal *fisc_agreement_result_total(const fisc_agreement_result *r,
    #                                                 const char *name);   (borrowed, or NULL)
    "fisc_agreement_result_total": ([_FISC_AGREEMENT_RESULT_P, c_char_p], _FISC_DECIMAL_P, None),
    # int fisc_agreement_result_provisional(const fisc_agreement_result *r);
    "fisc_agreement_result_provisional": ([_FISC_AGREEMENT_RESULT_P], c_int, None),
    # fisc_status fisc_agreement_result_to_json(char **out, const fisc_agreement_result *r,
    #                                           unsigned flags, fisc_error *err);
    #   (out: caller-owned, read with string_at and release with fisc_string_free)
    "fisc_agreement_result_to_json": ([POINTER(c_void_p), _FISC_AGREEMENT_RESULT_P, c_uint, _ERR],
                                      c_int, _STATUS),
    # fisc_status fisc_agreement_result_to_text(char **out, const fisc_agreement_result *r,
    #                                           const char *lang, int explain, fisc_error *err);
    #   (out: caller-owned, read with string_at and release with fisc_string_free)
    "fisc_agreement_result_to_text": ([POINTER(c_void_p), _FISC_AGREEMENT_RESULT_P, c_char_p, c_int,
                                       _ERR], c_int, _STATUS),
}


def _apply_prototypes(lib, where):
    """Set argtypes/restype/errcheck on every _PROTOTYPES symbol; ImportError if one is missing."""
    missing = []
    for name, (argtypes, restype, errcheck) in _PROTOTYPES.items():
        try:
            func = getattr(lib, name)
        except AttributeError:
            missing.append(name)
            continue
        func.argtypes = argtypes
        func.restype = restype
        if errcheck is not None:
            func.errcheck = functools.partial(errcheck, lib)
    if missing:
        raise ImportError("the fisc library %s lacks %d function(s) this binding needs: %s"
                          % (where, len(missing), ", ".join(missing)))


def _check_version(number, where):
    """Refuse a library whose major version differs, or that predates this binding's API."""
    major, minor, patch = number // 10000, number // 100 % 100, number % 100
    if major != FISC_VERSION_MAJOR:
        raise ImportError(
            "the fisc library %s is version %d.%d.%d, but this binding needs major version %d; "
            "install a matching libfisc or set %s to one" % (
                where, major, minor, patch, FISC_VERSION_MAJOR, ENV_VAR))
    if number < FISC_VERSION_MIN:
        raise ImportError(
            "the fisc library %s is version %d.%d.%d, older than %d.%d.%d which this binding needs"
            % (where, major, minor, patch, FISC_VERSION_MIN // 10000, FISC_VERSION_MIN // 100 % 100,
               FISC_VERSION_MIN % 100))


def _check_layout(lib, where):
    """The fisc_error mirror must match the compiled library exactly."""
    expected = {
        "fisc_error_size()": (lib.fisc_error_size(), ctypes.sizeof(_ErrorStruct)),
        "fisc_error_text_size()": (lib.fisc_error_text_size(), FISC_ERROR_TEXT_SIZE),
        "fisc_error_source_size()": (lib.fisc_error_source_size(), FISC_ERROR_SOURCE_SIZE),
    }
    bad = ["%s is %d, the binding assumes %d" % (k, got, want)
           for k, (got, want) in expected.items() if got != want]
    if bad:
        raise ImportError("the fisc library %s does not match this binding: %s"
                          % (where, "; ".join(bad)))


def _package_candidates(directory):
    """Files ``directory/libfisc.so*``: the SONAME first, then versioned names, bare .so last."""
    names = [os.path.basename(p) for p in glob.glob(os.path.join(directory, "libfisc.so*"))]
    names.sort(key=lambda n: (n != SONAME, n == "libfisc.so", len(n), n))
    return [os.path.join(directory, n) for n in names]


def _find_library(name):
    """ctypes.util.find_library, kept as a module attribute so tests can replace it."""
    return ctypes.util.find_library(name)


def _open(target):
    """ctypes.CDLL, refusing None (CDLL(None) would be the main program, not libfisc)."""
    if not target:
        raise OSError("no file name")
    return ctypes.CDLL(target)


def _search(path=None):
    """Find, open, check and declare libfisc. Returns ``(CDLL, description)``; no caching."""
    attempts = []

    def fail(final):
        lines = "\n".join("  - " + a for a in attempts)
        raise ImportError(
            "could not load the fisc C library (%s). Tried:\n%s\n"
            "Set the %s environment variable to the library file, e.g. "
            "%s=/path/to/build/libfisc.so.0, or pass a path to fisc._ffi.load()."
            % (final, lines, ENV_VAR, ENV_VAR))

    def candidates():
        if path is not None:
            yield "explicit path %r" % (os.fspath(path),), os.fspath(path), True
            return
        env = os.environ.get(ENV_VAR)
        if env:
            yield "%s=%r" % (ENV_VAR, env), env, True
            return
        files = _package_candidates(_PACKAGE_LIB_DIR)
        if not files:
            attempts.append("package directory %s: no libfisc.so* there" % _PACKAGE_LIB_DIR)
        for p in files:
            yield "package file %s" % p, p, False
        try:
            found = _find_library("fisc")
        except Exception as exc:  # find_library runs ldconfig/gcc/ld; any of them may misbehave
            attempts.append("ctypes.util.find_library('fisc'): failed (%s)" % exc)
            found = None
        else:
            if found is None:
                attempts.append("ctypes.util.find_library('fisc'): not found")
        if found is not None:
            yield "ctypes.util.find_library('fisc') -> %r" % found, found, False
        yield "SONAME %r (the dynamic linker's search path)" % SONAME, SONAME, False

    for description, target, authoritative in candidates():
        try:
            lib = _open(target)
        except OSError as exc:
            attempts.append("%s: %s" % (description, exc))
            if authoritative:
                fail("%s could not be opened; it is used alone, so no other place was searched"
                     % description)
            continue
        try:
            version_number = lib.fisc_version_number
        except AttributeError:
            attempts.append("%s: opened, but it has no fisc_version_number(); not libfisc"
                            % description)
            if authoritative:
                fail("%s is not libfisc" % description)
            continue
        version_number.argtypes = []
        version_number.restype = c_int
        where = "loaded from %s" % description
        # A wrong version or layout is an error, not a reason to keep searching: the user
        # should learn that the copy found first is unusable.
        _check_version(version_number(), where)
        _apply_prototypes(lib, where)
        _check_layout(lib, where)
        return lib, description
    fail("no candidate could be opened")


_LIB = None
_LIB_DESCRIPTION = None


def load(path=None):
    """Load libfisc and return the ``ctypes.CDLL``, with every prototype declared.

    Without ``path`` the library is searched for once (see the module docstring) and cached;
    with ``path`` exactly that file is loaded (not cached), which is useful for tests and tools.
    Raises ImportError listing every attempt when nothing can be loaded.
    """
    global _LIB, _LIB_DESCRIPTION
    if path is not None:
        return _search(path)[0]
    if _LIB is None:
        _LIB, _LIB_DESCRIPTION = _search(None)
    return _LIB


def description():
    """How the cached library was found, e.g. ``"FISC_LIBRARY='/…/libfisc.so.0.1.0'"``."""
    load()
    return _LIB_DESCRIPTION


# Load at import time: ``import fisc`` fails with a clear ImportError rather than later.
LIB = load()


def take_string(ptr, lib=None):
    """Copy a caller-owned ``char *`` (from a ``char **out``) into a str and release it."""
    lib = lib or LIB
    if not ptr:
        return None
    try:
        return ctypes.string_at(ptr).decode("utf-8")
    finally:
        lib.fisc_string_free(ptr)
