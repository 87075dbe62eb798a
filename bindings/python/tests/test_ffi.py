"""The loader, the prototype table, the fisc_error mirror, status codes and exception mapping."""

import ctypes
import ctypes.util
import glob
import os
import re
import subprocess
import sys
import tempfile
import unittest
from unittest import mock

import fisc
from fisc import _ffi, errors
from fisc.errors import Status

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(HERE)                       # bindings/python
HEADERS = os.path.join(PACKAGE_ROOT, "..", "..", "include", "fisc")
LIB_PATH = os.environ.get("FISC_LIBRARY")


def run_python(code, env_updates):
    env = dict(os.environ)
    env.pop("FISC_LIBRARY", None)
    env.update(env_updates)
    env["PYTHONPATH"] = PACKAGE_ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=120)


class Loader(unittest.TestCase):
    def test_loaded_library_is_checked(self):
        lib = _ffi.load()
        self.assertIs(lib, _ffi.LIB)
        self.assertIs(_ffi.load(), lib)   # loaded once
        self.assertEqual(lib.fisc_version_number() // 10000, _ffi.FISC_VERSION_MAJOR)
        if LIB_PATH:
            self.assertIn("FISC_LIBRARY", _ffi.description())

    def test_explicit_path_that_does_not_exist(self):
        with self.assertRaises(ImportError) as cm:
            _ffi.load("/nonexistent/libfisc.so.0")
        msg = str(cm.exception)
        self.assertIn("/nonexistent/libfisc.so.0", msg)
        self.assertIn("FISC_LIBRARY", msg)

    @unittest.skipUnless(LIB_PATH, "FISC_LIBRARY is not set")
    def test_explicit_path_beats_the_environment(self):
        with mock.patch.dict(os.environ, {"FISC_LIBRARY": "/nonexistent/libfisc.so.0"}):
            lib, how = _ffi._search(LIB_PATH)
        self.assertIn("explicit path", how)
        self.assertEqual(lib.fisc_version_number(), fisc.version_number())
        # a second CDLL gets its own prototypes
        self.assertEqual(lib.fisc_decimal_round.argtypes,
                         _ffi._PROTOTYPES["fisc_decimal_round"][0])

    def test_environment_is_authoritative(self):
        opened = []
        real_open = _ffi._open

        def spy(target):
            opened.append(target)
            return real_open(target)

        with mock.patch.dict(os.environ, {"FISC_LIBRARY": "/nonexistent/libfisc.so.0"}), \
                mock.patch.object(_ffi, "_open", spy):
            with self.assertRaises(ImportError) as cm:
                _ffi._search(None)
        self.assertEqual(opened, ["/nonexistent/libfisc.so.0"])   # no fallback to other copies
        self.assertIn("FISC_LIBRARY='/nonexistent/libfisc.so.0'", str(cm.exception))

    def test_find_library_none_is_never_loaded(self):
        # CDLL(None) would silently be the main program; a None from find_library must be skipped.
        opened = []

        def fake_open(target):
            opened.append(target)
            raise OSError("cannot open %s" % target)

        with tempfile.TemporaryDirectory() as empty, \
                mock.patch.dict(os.environ, {}, clear=False), \
                mock.patch.object(_ffi, "_PACKAGE_LIB_DIR", empty), \
                mock.patch.object(_ffi, "_find_library", lambda name: None), \
                mock.patch.object(_ffi, "_open", fake_open):
            os.environ.pop("FISC_LIBRARY", None)
            with self.assertRaises(ImportError) as cm:
                _ffi._search(None)
        self.assertEqual(opened, ["libfisc.so.0"])
        msg = str(cm.exception)
        self.assertIn("find_library('fisc'): not found", msg)
        self.assertIn("libfisc.so.0", msg)
        self.assertIn("package directory", msg)
        self.assertIn("FISC_LIBRARY", msg)

    def test_search_order(self):
        opened = []

        def fake_open(target):
            opened.append(target)
            raise OSError("no")

        with tempfile.TemporaryDirectory() as d:
            for name in ("libfisc.so", "libfisc.so.0.1.0", "libfisc.so.0"):
                open(os.path.join(d, name), "w").close()
            with mock.patch.dict(os.environ, {}, clear=False), \
                    mock.patch.object(_ffi, "_PACKAGE_LIB_DIR", d), \
                    mock.patch.object(_ffi, "_find_library", lambda name: "libfisc.so.0"), \
                    mock.patch.object(_ffi, "_open", fake_open):
                os.environ.pop("FISC_LIBRARY", None)
                with self.assertRaises(ImportError):
                    _ffi._search(None)
            self.assertEqual(opened, [os.path.join(d, "libfisc.so.0"),
                                      os.path.join(d, "libfisc.so.0.1.0"),
                                      os.path.join(d, "libfisc.so"),
                                      "libfisc.so.0",      # find_library's answer
                                      "libfisc.so.0"])     # the literal SONAME

    @unittest.skipUnless(LIB_PATH, "FISC_LIBRARY is not set")
    def test_package_directory(self):
        with tempfile.TemporaryDirectory() as d:
            os.symlink(os.path.abspath(LIB_PATH), os.path.join(d, "libfisc.so.0"))
            with mock.patch.dict(os.environ, {}, clear=False), \
                    mock.patch.object(_ffi, "_PACKAGE_LIB_DIR", d):
                os.environ.pop("FISC_LIBRARY", None)
                lib, how = _ffi._search(None)
        self.assertIn(d, how)
        self.assertEqual(lib.fisc_version_number(), fisc.version_number())

    @unittest.skipUnless(LIB_PATH, "FISC_LIBRARY is not set")
    def test_find_library_answer_is_used(self):
        with tempfile.TemporaryDirectory() as empty, \
                mock.patch.dict(os.environ, {}, clear=False), \
                mock.patch.object(_ffi, "_PACKAGE_LIB_DIR", empty), \
                mock.patch.object(_ffi, "_find_library", lambda name: os.path.abspath(LIB_PATH)):
            os.environ.pop("FISC_LIBRARY", None)
            lib, how = _ffi._search(None)
        self.assertIn("find_library", how)

    def test_a_library_that_is_not_fisc(self):
        libm = ctypes.util.find_library("m")
        if not libm:
            self.skipTest("no libm")
        with self.assertRaises(ImportError) as cm:
            _ffi.load(libm)
        self.assertIn("not libfisc", str(cm.exception))

    def test_import_fails_cleanly_in_a_fresh_interpreter(self):
        r = run_python("import fisc", {"FISC_LIBRARY": "/nonexistent/libfisc.so.0"})
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("ImportError", r.stderr)
        self.assertIn("FISC_LIBRARY", r.stderr)

    @unittest.skipUnless(LIB_PATH, "FISC_LIBRARY is not set")
    def test_import_works_in_a_fresh_interpreter(self):
        r = run_python("import fisc; print(fisc.version(), fisc.round_amount('2.665'))",
                       {"FISC_LIBRARY": LIB_PATH})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split()[1], "2.67")

    def test_version_gate(self):
        _ffi._check_version(100, "test")
        _ffi._check_version(199, "test")
        _ffi._check_version(fisc.version_number(), "test")
        for bad in (10000, 10100, 20000, 99):
            with self.subTest(number=bad):
                with self.assertRaises(ImportError):
                    _ffi._check_version(bad, "test")
        with self.assertRaises(ImportError) as cm:
            _ffi._check_version(10203, "test")
        self.assertIn("1.2.3", str(cm.exception))


class Prototypes(unittest.TestCase):
    def test_every_prototype_is_applied(self):
        for name, (argtypes, restype, errcheck) in _ffi._PROTOTYPES.items():
            with self.subTest(name=name):
                func = getattr(_ffi.LIB, name)
                self.assertEqual(func.argtypes, argtypes)
                self.assertEqual(func.restype, restype)
                self.assertEqual(errcheck is None, getattr(func, "errcheck", None) is None)

    def test_caller_owned_strings_are_not_c_char_p(self):
        # char **out must come back as a pointer we can free, never as a copied bytes object.
        for name in ("fisc_decimal_to_string", "fisc_upper_format"):
            self.assertIs(_ffi._PROTOTYPES[name][0][0], ctypes.POINTER(ctypes.c_void_p))
        self.assertEqual(_ffi._PROTOTYPES["fisc_string_free"][0], [ctypes.c_void_p])

    @unittest.skipUnless(os.path.isdir(HEADERS), "public headers not found")
    def test_every_public_function_is_declared(self):
        declared = set()
        for header in glob.glob(os.path.join(HEADERS, "*.h")):
            with open(header, encoding="utf-8") as f:
                text = f.read()
            declared.update(re.findall(r"FISC_API\b[^;{]*?\b(fisc_\w+)\s*\(", text))
        self.assertGreater(len(declared), 40)
        self.assertEqual(sorted(declared - set(_ffi._PROTOTYPES)), [])
        self.assertEqual(sorted(set(_ffi._PROTOTYPES) - declared), [])


class ErrorStruct(unittest.TestCase):
    def test_sizes_match_the_library(self):
        lib = _ffi.LIB
        self.assertEqual(ctypes.sizeof(_ffi._ErrorStruct), lib.fisc_error_size())
        self.assertEqual(_ffi._ErrorStruct.text.size, lib.fisc_error_text_size())
        self.assertEqual(_ffi._ErrorStruct.source.size, lib.fisc_error_source_size())
        self.assertEqual(lib.fisc_error_text_size(), 256)
        self.assertEqual(lib.fisc_error_source_size(), 64)
        self.assertEqual(_ffi._ErrorStruct.source.offset, 12)
        self.assertEqual(_ffi._ErrorStruct.text.offset, 12 + 64)

    def test_layout_check_refuses_a_mismatch(self):
        class Fake:
            fisc_error_size = staticmethod(lambda: 999)
            fisc_error_text_size = staticmethod(lambda: 256)
            fisc_error_source_size = staticmethod(lambda: 64)
        with self.assertRaises(ImportError) as cm:
            _ffi._check_layout(Fake, "test")
        self.assertIn("fisc_error_size()", str(cm.exception))
        _ffi._check_layout(_ffi.LIB, "test")

    def test_new_error_is_initialised(self):
        err = _ffi.new_error()
        self.assertEqual((err.code, err.line, err.column, err.source, err.text),
                         (0, -1, -1, b"", b""))

    def test_library_fills_and_clears_the_struct(self):
        lib = _ffi.LIB
        err = _ffi.new_error()
        out = ctypes.c_void_p()
        lib.fisc_decimal_new(ctypes.byref(out), err)
        try:
            with self.assertRaises(fisc.FiscParseError):
                lib.fisc_decimal_parse(out, b"1,5", 0, err)
            self.assertEqual(err.code, Status.EPARSE)
            self.assertEqual(err.column, 2)
            self.assertTrue(err.text)
            lib.fisc_error_clear(err)
            self.assertEqual((err.code, err.line, err.column, err.text), (0, -1, -1, b""))
            # a call resets the error when it starts
            err.code, err.text = -1, b"stale"
            self.assertEqual(lib.fisc_decimal_parse(out, b"1.5", 0, err), 0)
            self.assertEqual((err.code, err.text), (0, b""))
        finally:
            lib.fisc_decimal_free(out)


class StatusCodes(unittest.TestCase):
    def test_names_match_the_library(self):
        lib = _ffi.LIB
        for status in Status:
            with self.subTest(status=status):
                self.assertEqual(lib.fisc_err_name(status).decode(), "FISC_" + status.name)
                self.assertEqual(status.c_name, "FISC_" + status.name)
                self.assertTrue(lib.fisc_strerror(status))
        self.assertEqual(lib.fisc_err_name(-999), b"FISC_EUNKNOWN")
        self.assertEqual(lib.fisc_strerror(-999), b"unknown error")

    @unittest.skipUnless(os.path.isdir(HEADERS), "public headers not found")
    def test_values_match_errors_h(self):
        with open(os.path.join(HEADERS, "errors.h"), encoding="utf-8") as f:
            text = f.read()
        enum_body = re.search(r"typedef enum fisc_status \{(.*?)\}", text, re.S).group(1)
        in_header = {name: int(value)
                     for name, value in re.findall(r"FISC_(\w+)\s*=\s*(-?\d+)", enum_body)}
        self.assertEqual(in_header, {s.name: int(s) for s in Status})


class ExceptionMapping(unittest.TestCase):
    EXPECTED = [
        (Status.EINVAL, fisc.FiscInvalidArgument, ValueError),
        (Status.ENOMEM, fisc.FiscMemoryError, MemoryError),
        (Status.ENOTFOUND, fisc.FiscNotFound, LookupError),
        (Status.EPARSE, fisc.FiscParseError, ValueError),
        (Status.ERANGE, fisc.FiscRangeError, ValueError),
        (Status.EMISUSE, fisc.FiscMisuse, fisc.FiscError),
        (Status.EDIVZERO, fisc.FiscDivisionByZero, ZeroDivisionError),
    ]

    def test_classes(self):
        for code, cls, base in self.EXPECTED:
            with self.subTest(code=code):
                self.assertIs(errors.exception_class(code), cls)
                self.assertTrue(issubclass(cls, fisc.FiscError))
                self.assertTrue(issubclass(cls, base))
        self.assertIs(errors.exception_class(-42), fisc.FiscError)
        self.assertFalse(issubclass(fisc.FiscMisuse, ValueError))

    def test_errcheck_builds_the_exception_from_the_struct(self):
        lib = _ffi.LIB
        for code, cls, base in self.EXPECTED:
            err = _ffi.new_error()
            err.code, err.line, err.column = code, 3, 7
            err.source, err.text = b"policy.yaml", "第3行有误".encode()
            with self.subTest(code=code):
                with self.assertRaises(cls) as cm:
                    _ffi._check_status(lib, int(code), None, ("x", err))
                e = cm.exception
                self.assertIsInstance(e, base)
                self.assertEqual(e.code, code)
                self.assertEqual(e.name, "FISC_" + code.name)
                self.assertEqual((e.text, e.source, e.line, e.column),
                                 ("第3行有误", "policy.yaml", 3, 7))
                self.assertEqual(str(e), "第3行有误")

    def test_empty_text_falls_back_to_strerror(self):
        with self.assertRaises(fisc.FiscNotFound) as cm:
            _ffi._check_status(_ffi.LIB, -3, None, (_ffi.new_error(),))
        self.assertEqual(cm.exception.text, _ffi.LIB.fisc_strerror(-3).decode())
        with self.assertRaises(fisc.FiscError) as cm:
            _ffi._check_status(_ffi.LIB, -77, None, (_ffi.new_error(),))
        self.assertEqual(cm.exception.name, "FISC_EUNKNOWN")
        self.assertEqual(cm.exception.code, -77)
        self.assertIs(type(cm.exception), fisc.FiscError)

    def test_success_passes_through(self):
        self.assertEqual(_ffi._check_status(_ffi.LIB, 0, None, (_ffi.new_error(),)), 0)

    def test_real_calls_map_to_exceptions(self):
        with self.assertRaises(fisc.FiscParseError) as cm:
            fisc.round_amount("1,234")
        self.assertEqual((cm.exception.name, cm.exception.column), ("FISC_EPARSE", 2))
        with self.assertRaises(fisc.FiscInvalidArgument) as cm:
            fisc.to_chinese_upper("0.001")
        self.assertEqual(cm.exception.name, "FISC_EINVAL")
        with self.assertRaises(fisc.FiscRangeError) as cm:
            fisc.round_amount("1" * 41)
        self.assertEqual(cm.exception.name, "FISC_ERANGE")

    def test_division_by_zero_from_the_library(self):
        from fisc._handles import Dec
        with Dec.parse("1") as a, Dec.parse("0") as b, Dec() as r:
            with self.assertRaises(fisc.FiscDivisionByZero) as cm:
                _ffi.LIB.fisc_decimal_div(r.ptr, a.ptr, b.ptr, _ffi.new_error())
            self.assertIsInstance(cm.exception, ZeroDivisionError)
            self.assertEqual(cm.exception.name, "FISC_EDIVZERO")

    def test_repr(self):
        e = errors.make_error(Status.EPARSE, "bad", column=4)
        self.assertIn("FiscParseError", repr(e))
        self.assertIn("column=4", repr(e))


class Handles(unittest.TestCase):
    def test_decimal_handle_lifecycle(self):
        from fisc._handles import Dec
        d = Dec.parse("12.50")
        self.assertEqual(d.text(), "12.5")
        self.assertEqual(d.text(places=2), "12.50")
        d.close()
        d.close()
        self.assertTrue(d.closed)
        with self.assertRaises(fisc.FiscMisuse):
            d.text()
        with Dec() as z:
            self.assertEqual(z.text(), "0")
        self.assertTrue(z.closed)

    @unittest.skipUnless(LIB_PATH, "FISC_LIBRARY is not set")
    def test_handles_alive_at_interpreter_shutdown(self):
        # __del__ must not crash or print when module globals are torn down at exit.
        code = ("import sys, fisc\n"
                "from fisc._handles import Dec\n"
                "ap = fisc.Apportioner(['1', '2'])\n"
                "ap.run('3.00')\n"
                "sys.modules['__keep__'] = [ap, Dec.parse('1.5'), fisc.Apportioner(['1'])]\n"
                "class Cycle: pass\n"
                "c = Cycle(); c.self = c; c.d = Dec.parse('2')\n")
        r = run_python(code, {"FISC_LIBRARY": LIB_PATH})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")

    def test_threads(self):
        # ctypes releases the GIL during calls; fisc keeps no global state.
        from concurrent.futures import ThreadPoolExecutor

        def work(i):
            out = []
            for k in range(200):
                value = "%d.%03d" % (i, k)
                out.append((fisc.round_amount(value, 2, "half_even"),
                            fisc.to_chinese_upper(fisc.round_amount(value)),
                            sum(fisc.apportion("%d.00" % (k + 1), ["1", "2", "3"]))))
            return out

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(work, range(16)))
        self.assertEqual(results, [work(i) for i in range(16)])
        self.assertEqual(results[3][5][2], 6)

    def test_string_free_accepts_null(self):
        _ffi.LIB.fisc_string_free(None)
        self.assertIsNone(_ffi.take_string(None))


if __name__ == "__main__":
    unittest.main()
