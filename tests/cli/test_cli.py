#!/usr/bin/env python3
"""Tests of the `fisc` command-line tool (examples/fisc.c).

Run: FISC_CLI=build/examples/fisc python3 tests/cli/test_cli.py

Standard library only. JSON is read with json.loads(..., parse_float=Decimal) so that no amount
ever passes through a binary float; amounts are compared as Decimal or Fraction.
"""
import csv
import glob
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
import unittest
from decimal import Decimal
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SAMPLE = os.path.join(ROOT, "examples", "data", "apportion-sample.csv")
CLI = os.environ.get("FISC_CLI")
# The bundled policy: meson sets FISC_POLICY_DIR; by hand, the source tree's policies/.
POLICY_DIR = os.environ.get("FISC_POLICY_DIR") or os.path.join(ROOT, "policies")

COMMANDS = ("round", "upper", "apportion", "budget", "uscc", "estimate", "params", "policy",
            "agreement", "batch", "report")


def setUpModule():
    if not CLI:
        raise unittest.SkipTest("set FISC_CLI to the fisc executable, e.g. build/examples/fisc")
    if not os.access(CLI, os.X_OK):
        raise unittest.SkipTest("FISC_CLI=%s is not an executable" % CLI)


def run(*args, stdin=None, env=None):
    """Run fisc; return (exit status, stdout text, stderr text). ``env`` adds variables."""
    full_env = dict(os.environ)
    full_env.setdefault("FISC_POLICY_DIR", POLICY_DIR)
    full_env.update(env or {})
    p = subprocess.run([CLI, *args], input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120, env=full_env)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def run_json(*args, stdin=None, env=None):
    """Run fisc with --json; stdout must be exactly one JSON document."""
    rc, out, err = run(*args, "--json", stdin=stdin, env=env)
    try:
        doc = json.loads(out, parse_float=Decimal)
    except ValueError as e:
        raise AssertionError("stdout is not JSON (%s): %r; stderr %r" % (e, out, err))
    return rc, doc, err


class CliTestCase(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def write(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        return path

    def assertUsageError(self, *args):
        rc, out, err = run(*args)
        self.assertEqual(rc, 2, (args, out, err))
        self.assertEqual(out, "")
        self.assertIn("usage error", err)
        self.assertIn("--help", err)
        return err

    def assertErrorEnvelope(self, doc, code):
        self.assertEqual(set(doc), {"error"})
        e = doc["error"]
        self.assertEqual(e["code"], code, e)
        self.assertIsInstance(e["message"], str)
        self.assertTrue(e["message"])
        for key in ("field", "line", "column"):
            self.assertIn(key, e)
        return e


class TestMain(CliTestCase):
    def test_help_documents_commands_and_exit_codes(self):
        rc, out, err = run("--help")
        self.assertEqual(rc, 0)
        self.assertEqual(err, "")
        self.assertTrue(out.startswith("Usage: fisc"))
        for cmd in COMMANDS:
            self.assertIn(cmd, out)
        self.assertIn("Exit status", out)
        for line in ("0   computed", "1   invalid input data", "2   usage error",
                     "3   batch finished with some rows bad", "4   policy or configuration error",
                     "70  internal error"):
            self.assertIn(line, out)

    def test_version(self):
        rc, out, err = run("--version")
        self.assertEqual(rc, 0)
        self.assertRegex(out, r"^fisc \d+\.\d+\.\d+ \(libfisc \d+\.\d+\.\d+\)\n$")

    def test_no_command(self):
        rc, out, err = run()
        self.assertEqual(rc, 2)
        self.assertEqual(out, "")
        self.assertIn("Usage: fisc", err)

    def test_unknown_command(self):
        err = self.assertUsageError("frobnicate")
        self.assertIn("frobnicate", err)

    def test_unknown_command_json(self):
        rc, doc, err = run_json("frobnicate")
        self.assertEqual(rc, 2)
        self.assertErrorEnvelope(doc, "FISC_CLI_USAGE")

    def test_unknown_top_option(self):
        self.assertUsageError("--frobnicate")

    def test_help_command(self):
        for cmd in COMMANDS:
            rc, out, err = run("help", cmd)
            self.assertEqual(rc, 0)
            self.assertTrue(out.startswith("Usage: fisc " + cmd), out)
        self.assertUsageError("help", "frobnicate")


class TestSubcommandHelp(CliTestCase):
    def test_help_on_every_subcommand(self):
        for cmd in COMMANDS:
            for flag in ("--help", "-h"):
                with self.subTest(cmd=cmd, flag=flag):
                    rc, out, err = run(cmd, flag)
                    self.assertEqual(rc, 0)
                    self.assertEqual(err, "")
                    self.assertTrue(out.startswith("Usage: fisc " + cmd), out)
                    self.assertIn("Exit status", out)

    def test_help_wins_over_other_arguments(self):
        rc, out, err = run("round", "1.5", "--places", "3", "--help")
        self.assertEqual(rc, 0)
        self.assertTrue(out.startswith("Usage: fisc round"))

    def test_apportion_help_explains_why_bad_rows_stop_everything(self):
        rc, out, err = run("apportion", "--help")
        self.assertIn("silently", out)
        self.assertIn("every other row", out)
        self.assertIn("row number", out)


class TestRound(CliTestCase):
    def check(self, expected, *args):
        rc, out, err = run("round", *args)
        self.assertEqual((rc, out, err), (0, expected + "\n", ""), args)

    def test_default_is_half_up_to_fen(self):
        self.check("2.68", "2.675")   # a binary float gives 2.67
        self.check("1.01", "1.005")
        self.check("2.67", "2.665")
        self.check("1.00", "1")
        self.check("0.00", "0.004")

    def test_negative_values_are_symmetric(self):
        self.check("-3", "-2.5", "--places", "0")
        self.check("-1.01", "-1.005")
        self.check("-1.01", "--", "-1.005")
        self.check("-2", "--places", "0", "-2.4")

    def test_modes(self):
        self.check("2.66", "2.665", "--mode", "half_even")
        self.check("2.68", "2.675", "--mode", "half_even")
        self.check("2.66", "2.665", "--mode", "half_down")
        self.check("2.67", "2.679", "--mode", "down")
        self.check("2.68", "2.671", "--mode", "up")
        self.check("2.68", "2.671", "--mode", "ceiling")
        self.check("-2.67", "-2.671", "--mode", "ceiling")
        self.check("-2.68", "-2.671", "--mode", "floor")
        self.check("2.67", "2.679", "--mode=floor")
        self.check("2.67", "2.679", "-m", "down")

    def test_places(self):
        self.check("1.235", "1.2345", "--places", "3")
        self.check("1200", "1234.5", "--places", "-2")
        self.check("1235", "1234.5", "--places=0")
        self.check("0.6667", "2/3", "--places", "4")
        self.check("0.13", "12.5%")
        self.check("3.14159", "3.14159", "--places", "5")

    def test_places_limits(self):
        # decimal.h documents places from -FISC_DECIMAL_MAX_INT_DIGITS (-40) to 36 (an early
        # libfisc stopped at -38).
        self.check("0." + "3" * 36, "1/3", "--places", "36")
        self.check("0", "5", "--places", "-38")
        self.check("0", "5", "--places", "-40")
        self.assertUsageError("round", "5", "--places", "-41")
        self.assertUsageError("round", "5", "--places", "37")

    def test_unit(self):
        self.check("1230000", "1234567", "--unit", "10000")
        self.check("12.35", "12.34", "--unit", "0.05")
        self.check("12.30", "12.34", "--unit", "0.05", "--mode", "down")

    def test_json(self):
        rc, doc, err = run_json("round", "1.005")
        self.assertEqual(rc, 0)
        self.assertEqual(err, "")
        self.assertEqual(doc["input"], "1.005")
        self.assertEqual(doc["result"], "1.01")
        self.assertEqual(Decimal(doc["residue"]), Decimal("-0.005"))
        self.assertEqual(doc["mode"], "half_up")
        self.assertEqual(doc["places"], 2)
        self.assertIsNone(doc["unit"])
        self.assertIs(doc["inexact"], True)
        self.assertIs(doc["rounded"], True)

    def test_json_exact(self):
        rc, doc, err = run_json("round", "1.5")
        self.assertEqual(rc, 0)
        self.assertEqual(doc["result"], "1.50")
        self.assertEqual(Decimal(doc["residue"]), 0)
        self.assertIs(doc["inexact"], False)

    def test_json_unit_and_fraction_residue(self):
        rc, doc, err = run_json("round", "2/3", "--unit", "0.01")
        self.assertEqual(rc, 0)
        self.assertEqual(doc["result"], "0.67")
        self.assertEqual(doc["unit"], "0.01")
        self.assertIsNone(doc["places"])
        self.assertEqual(Fraction(doc["residue"]), Fraction(2, 3) - Fraction(67, 100))
        self.assertIs(doc["inexact"], True)

    def test_bad_value(self):
        for bad in ("abc", "1,234.50", " 1.5", "1e3", "+1", "01.5", "NaN", ""):
            with self.subTest(value=bad):
                rc, out, err = run("round", bad)
                self.assertEqual(rc, 1, (bad, out, err))
                self.assertEqual(out, "")
                self.assertIn("VALUE", err)

    def test_bad_value_json(self):
        rc, doc, err = run_json("round", "12,5")
        self.assertEqual(rc, 1)
        self.assertEqual(err, "")
        e = self.assertErrorEnvelope(doc, "FISC_EPARSE")
        self.assertEqual(e["field"], "VALUE")
        self.assertEqual(e["column"], 3)

    def test_usage_errors(self):
        self.assertUsageError("round")
        self.assertUsageError("round", "1", "2")
        self.assertUsageError("round", "1", "--places", "x")
        self.assertUsageError("round", "1", "--places", "99")
        self.assertUsageError("round", "1", "--mode", "bankers")
        self.assertUsageError("round", "1", "--places", "2", "--unit", "0.05")
        self.assertUsageError("round", "1", "--unit", "0")
        self.assertUsageError("round", "1", "--unit", "abc")
        self.assertUsageError("round", "1", "--frobnicate")
        err = self.assertUsageError("round", "1", "--places")
        self.assertIn("needs a value", err)

    def test_usage_error_json(self):
        rc, doc, err = run_json("round", "1", "--mode", "bankers")
        self.assertEqual(rc, 2)
        e = self.assertErrorEnvelope(doc, "FISC_CLI_USAGE")
        self.assertIn("bankers", e["message"])


class TestUpper(CliTestCase):
    # conventions.md §2, shared with the C and Python tests
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "upper-vectors.tsv"),
              encoding="utf-8") as _f:
        VECTORS = [tuple(line.rstrip("\n").split("\t")) for line in _f if line.strip() and not line.startswith("#")]

    def test_vectors(self):
        for amount, expected in self.VECTORS:
            with self.subTest(amount=amount):
                rc, out, err = run("upper", amount)
                self.assertEqual((rc, out, err), (0, expected + "\n", ""))

    def test_flags(self):
        rc, out, err = run("upper", "1409.50", "--no-zheng-after-jiao")
        self.assertEqual(out, "壹仟肆佰零玖元伍角\n")
        rc, out, err = run("upper", "1409.50", "--rmb")
        self.assertEqual(out, "人民币壹仟肆佰零玖元伍角整\n")
        rc, out, err = run("upper", "--rmb", "--no-zheng-after-jiao", "1409.50")
        self.assertEqual(out, "人民币壹仟肆佰零玖元伍角\n")
        rc, out, err = run("upper", "10", "--no-zheng-after-jiao")
        self.assertEqual(out, "壹拾元整\n")  # 整 after 元 is always written

    def test_json(self):
        rc, doc, err = run_json("upper", "1409.5", "--rmb")
        self.assertEqual(rc, 0)
        self.assertEqual(doc, {"amount": "1409.50", "upper": "人民币壹仟肆佰零玖元伍角整"})

    def test_bad_amounts(self):
        for bad in ("1.005", "1,234", "abc", "¥12"):
            with self.subTest(amount=bad):
                rc, out, err = run("upper", bad)
                self.assertEqual(rc, 1, (out, err))
                self.assertEqual(out, "")
                self.assertIn("AMOUNT", err)
        rc, doc, err = run_json("upper", "1.005")
        self.assertEqual(rc, 1)
        self.assertErrorEnvelope(doc, "FISC_EINVAL")

    def test_usage_errors(self):
        self.assertUsageError("upper")
        self.assertUsageError("upper", "1", "2")
        self.assertUsageError("upper", "1", "--zheng")


class TestUscc(CliTestCase):
    VALID = ["91440300708461136T", "91330100716105852F", "91110000802100433B",
             "91350100M000100Y43"]

    def test_valid(self):
        rc, out, err = run("uscc", *self.VALID)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "".join(c + "\tvalid\n" for c in self.VALID))
        self.assertEqual(err, "")

    def test_invalid_check_character(self):
        rc, out, err = run("uscc", "91440300708461136A")
        self.assertEqual(rc, 1)
        self.assertEqual(out, "91440300708461136A\tinvalid\n")
        self.assertIn("91440300708461136A", err)

    def test_normalised_with_warning(self):
        rc, out, err = run("uscc", " 9144 0300-7084 6113 6t ")
        self.assertEqual(rc, 0, err)
        code, verdict, warning = out.rstrip("\n").split("\t")
        self.assertEqual((code, verdict), ("91440300708461136T", "valid"))
        self.assertIn("normalised", warning)

    def test_mixed_batch_exit_1(self):
        rc, out, err = run("uscc", self.VALID[0], "123456789012345", self.VALID[1])
        self.assertEqual(rc, 1)
        self.assertEqual(out.splitlines(), [self.VALID[0] + "\tvalid", "123456789012345\tinvalid",
                                            self.VALID[1] + "\tvalid"])

    def test_json(self):
        rc, doc, err = run_json("uscc", self.VALID[0], "91440300708461136A",
                                "91440300708461136t")
        self.assertEqual(rc, 1)
        self.assertEqual(err, "")
        self.assertIs(doc["all_valid"], False)
        ok, bad, norm = doc["codes"]
        self.assertEqual(ok, {"input": self.VALID[0], "valid": True, "code": self.VALID[0],
                              "warnings": [], "error": None})
        self.assertIs(bad["valid"], False)
        self.assertIsNone(bad["code"])
        self.assertEqual(bad["error"]["code"], "FISC_EINVAL")
        self.assertEqual(bad["error"]["column"], 18)
        self.assertEqual(norm["code"], "91440300708461136T")
        self.assertIn("normalized", norm["warnings"])

    def test_json_all_valid(self):
        rc, doc, err = run_json("uscc", *self.VALID)
        self.assertEqual(rc, 0)
        self.assertIs(doc["all_valid"], True)
        self.assertEqual([c["code"] for c in doc["codes"]], self.VALID)

    def test_usage(self):
        self.assertUsageError("uscc")


HEADER = "企业,申请金额,上限\n"


class TestApportion(CliTestCase):
    def apportion_json(self, text, *args):
        path = text if os.path.exists(text) else self.write("in.csv", text)
        rc, doc, err = run_json("apportion", path, *args)
        self.assertEqual(rc, 0, (doc, err))
        self.assertEqual(err, "")
        return doc

    def allocated(self, doc):
        return [r["allocated"] for r in doc["rows"]]

    def assertBalanced(self, doc):
        t = doc["totals"]
        total = sum(Decimal(a) for a in self.allocated(doc))
        self.assertEqual(total, Decimal(t["allocated"]))
        self.assertEqual(Decimal(t["allocated"]) + Decimal(t["unallocated"])
                         + Decimal(t["remainder"]), Decimal(doc["budget"]))

    def test_prorata_within_budget(self):
        doc = self.apportion_json(HEADER + "甲,100,\n乙,200,\n", "--budget", "1000")
        self.assertEqual(self.allocated(doc), ["100.00", "200.00"])
        self.assertEqual(doc["totals"]["unallocated"], "700.00")
        self.assertEqual(doc["totals"]["requested"], "300.00")
        self.assertEqual(doc["mode"], "prorata")
        self.assertBalanced(doc)

    def test_prorata_over_budget_scales_down(self):
        doc = self.apportion_json(HEADER + "甲,300\n乙,100\n", "--budget", "200")
        self.assertEqual(self.allocated(doc), ["150.00", "50.00"])
        self.assertEqual(doc["totals"]["unallocated"], "0.00")
        self.assertEqual([r["requested"] for r in doc["rows"]], ["300", "100"])
        self.assertBalanced(doc)

    def test_weights_largest_remainder(self):
        doc = self.apportion_json("a,1\nb,1\nc,1\n", "--budget", "100", "--mode", "weights")
        self.assertEqual(self.allocated(doc), ["33.34", "33.33", "33.33"])
        self.assertIs(doc["input"]["header"], False)
        self.assertEqual([r["weight"] for r in doc["rows"]], ["1", "1", "1"])
        self.assertEqual(Fraction(doc["rows"][0]["exact_share"]), Fraction(100, 3))
        self.assertEqual(doc["totals"]["weights"], "3")  # not money: exact, no "requested"
        self.assertNotIn("requested", doc["totals"])
        self.assertBalanced(doc)

    def test_remainder_rules(self):
        rows = "a,1\nb,1\nc,1\n"
        doc = self.apportion_json(rows, "--budget", "0.05", "--mode", "weights")
        self.assertEqual(self.allocated(doc), ["0.02", "0.02", "0.01"])
        doc = self.apportion_json(rows, "--budget", "0.05", "--mode", "weights",
                                  "--remainder", "first")
        self.assertEqual(self.allocated(doc), ["0.03", "0.01", "0.01"])
        doc = self.apportion_json(rows, "--budget", "0.05", "--mode", "weights",
                                  "--remainder", "separate")
        self.assertEqual(self.allocated(doc), ["0.01", "0.01", "0.01"])
        self.assertEqual(doc["totals"]["remainder"], "0.02")
        self.assertEqual(doc["remainder_rule"], "separate")
        self.assertBalanced(doc)

    def test_unit(self):
        doc = self.apportion_json("a,1\nb,1\nc,1\n", "--budget", "100", "--mode", "weights",
                                  "--unit", "1")
        self.assertEqual(self.allocated(doc), ["34", "33", "33"])
        self.assertEqual(doc["unit"], "1")

    def test_cap_moves_the_rest_to_others(self):
        doc = self.apportion_json(HEADER + "甲,1000,100\n乙,1000,\n", "--budget", "1000")
        self.assertEqual(self.allocated(doc), ["100.00", "900.00"])
        self.assertEqual([r["capped"] for r in doc["rows"]], [True, False])
        self.assertEqual(doc["rows"][0]["cap"], "100")
        self.assertIsNone(doc["rows"][1]["cap"])
        self.assertEqual(doc["totals"]["capped_rows"], 1)

    def test_sample_file(self):
        doc = self.apportion_json(SAMPLE, "--budget", "800000")
        self.assertEqual(doc["input"]["columns"], ["企业", "申请金额", "上限"])
        self.assertIs(doc["input"]["header"], True)
        rows = doc["rows"]
        self.assertEqual(len(rows), 6)
        self.assertEqual([r["row"] for r in rows], [2, 3, 4, 5, 6, 7])
        self.assertEqual(rows[3]["key"], "某某电子信息技术（玉林）有限公司")
        self.assertEqual(Decimal(doc["totals"]["allocated"]), Decimal("800000"))
        self.assertBalanced(doc)
        capped = [r for r in rows if r["capped"]]
        self.assertEqual(len(capped), 1)
        self.assertEqual(capped[0]["allocated"], "180000.00")
        # The others share 800000 - 180000 in proportion to their requests.
        free = [r for r in rows if not r["capped"]]
        weight = sum(Fraction(r["requested"]) for r in free)
        for r in free:
            exact = Fraction(r["requested"]) * Fraction(620000) / weight
            self.assertEqual(Fraction(r["exact_share"]), exact)
            self.assertLess(abs(Fraction(r["allocated"]) - exact), Fraction(1, 100))
            self.assertLessEqual(Decimal(r["allocated"]), Decimal(r["requested"]))
            self.assertIsInstance(r["allocated"], str)

    def test_csv_output(self):
        rc, out, err = run("apportion", SAMPLE, "--budget", "800000")
        self.assertEqual(rc, 0, err)
        self.assertFalse(out.startswith("\ufeff"))
        table = list(csv.reader(io.StringIO(out, newline="")))
        self.assertEqual(table[0], ["企业", "申请金额", "上限", "allocated", "capped"])
        self.assertEqual(len(table), 7)
        self.assertEqual(table[2][:3], ["广西某某新材料科技有限公司", "250000.00", "180000.00"])
        self.assertEqual(table[2][3:], ["180000.00", "yes"])
        self.assertEqual(sum(Decimal(r[3]) for r in table[1:]), Decimal("800000.00"))
        self.assertTrue(all(r[4] in ("yes", "no") for r in table[1:]))
        # The summary goes to standard error.
        self.assertIn("allocated", err)
        self.assertIn("800000.00", err)
        self.assertIn("unallocated", err)
        self.assertIn("remainder", err)

    def test_output_file_and_bom(self):
        dest = os.path.join(self.tmp, "out.csv")
        rc, out, err = run("apportion", SAMPLE, "--budget", "800000", "--output", dest, "--bom")
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "")
        with open(dest, "rb") as f:
            data = f.read()
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
        table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        self.assertEqual(table[0][0], "企业")

    def test_csv_writer_quotes_fields(self):
        text = '名称,金额\n"甲, ""一""\n公司",100\n乙,100\n'
        rc, out, err = run("apportion", self.write("q.csv", text), "--budget", "100")
        self.assertEqual(rc, 0, err)
        table = list(csv.reader(io.StringIO(out, newline="")))
        self.assertEqual(table[1][0], '甲, "一"\n公司')
        self.assertEqual(table[1][2], "50.00")

    def test_stdin(self):
        rc, doc, err = run_json("apportion", "-", "--budget", "10",
                                stdin=(HEADER + "甲,30\n乙,10\n").encode("utf-8"))
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.allocated(doc), ["7.50", "2.50"])
        self.assertEqual(doc["input"]["file"], "<stdin>")

    def test_gb18030_input(self):
        text = HEADER + "玉林某某科技有限公司,300,\n广西某某𠀀实业有限公司,100,\n"
        path = self.write("gbk.csv", text.encode("gb18030"))
        doc = self.apportion_json(path, "--budget", "200")
        self.assertEqual(doc["input"]["encoding"], "GB18030")
        self.assertEqual(doc["input"]["columns"], ["企业", "申请金额", "上限"])
        self.assertEqual([r["key"] for r in doc["rows"]],
                         ["玉林某某科技有限公司", "广西某某𠀀实业有限公司"])
        self.assertEqual(self.allocated(doc), ["150.00", "50.00"])
        # CSV output is UTF-8.
        rc, out, err = run("apportion", path, "--budget", "200")
        self.assertEqual(rc, 0)
        self.assertIn("玉林某某科技有限公司", out)

    def test_utf8_bom_input(self):
        path = self.write("bom.csv", b"\xef\xbb\xbf" + (HEADER + "甲,300\n乙,100\n").encode("utf-8"))
        doc = self.apportion_json(path, "--budget", "200")
        self.assertEqual(doc["input"]["encoding"], "UTF-8 with BOM")
        self.assertEqual(doc["input"]["columns"][0], "企业")  # not "\ufeff企业"
        self.assertIs(doc["input"]["header"], True)
        self.assertEqual(self.allocated(doc), ["150.00", "50.00"])

    def test_crlf_and_blank_lines(self):
        path = self.write("crlf.csv", "企业,申请金额\r\n甲,300\r\n\r\n乙,100\r\n")
        doc = self.apportion_json(path, "--budget", "200")
        self.assertEqual([r["row"] for r in doc["rows"]], [2, 4])
        self.assertEqual(self.allocated(doc), ["150.00", "50.00"])

    def test_bad_rows_are_all_reported_and_nothing_is_written(self):
        text = (HEADER
                + '甲,100,\n'                  # row 2: fine
                + '"乙",\"1,234.50\",\n'       # row 3: thousands separator
                + '"丙\n二部",100,\n'          # row 4: fine (a quoted line break: one row)
                + '丁,-5,\n'                   # row 5: negative
                + '戊\n'                       # row 6: missing column
                + '己,100,abc\n')              # row 7: bad cap
        path = self.write("bad.csv", text)
        dest = os.path.join(self.tmp, "never.csv")
        rc, out, err = run("apportion", path, "--budget", "100", "--output", dest)
        self.assertEqual(rc, 1)
        self.assertEqual(out, "")
        self.assertFalse(os.path.exists(dest))
        lines = err.splitlines()
        self.assertTrue(any("row 3, column 2 (申请金额)" in l for l in lines), err)
        self.assertTrue(any("row 5, column 2 (申请金额)" in l and "negative" in l for l in lines), err)
        self.assertTrue(any("row 6, column 2 (申请金额)" in l and "missing" in l for l in lines), err)
        self.assertTrue(any("row 7, column 3 (上限)" in l for l in lines), err)
        self.assertFalse(any("row 2," in l or "row 4," in l for l in lines), err)
        self.assertIn("bad.csv:3:2:", err)
        self.assertIn("4 bad rows", err)
        self.assertIn("nothing was allocated", err)

    def test_bad_rows_json(self):
        path = self.write("bad.csv", HEADER + "甲,100\n乙,1e3\n丙,\n")
        rc, doc, err = run_json("apportion", path, "--budget", "100")
        self.assertEqual(rc, 1)
        self.assertEqual(err, "")
        e = self.assertErrorEnvelope(doc, "FISC_EPARSE")
        self.assertEqual((e["line"], e["column"]), (3, 2))
        self.assertEqual(e["field"], path)
        self.assertEqual(e["count"], 2)
        self.assertEqual([(x["line"], x["column"]) for x in e["errors"]], [(3, 2), (4, 2)])
        self.assertIn("row 3, column 2 (申请金额)", e["errors"][0]["message"])
        self.assertIn("empty", e["errors"][1]["message"])

    def test_row_with_two_errors_is_one_bad_row(self):
        path = self.write("two.csv", HEADER + ",abc\n甲,1\n")
        rc, out, err = run("apportion", path, "--budget", "1")
        self.assertEqual(rc, 1)
        self.assertIn("row 2, column 1 (企业)", err)
        self.assertIn("row 2, column 2 (申请金额)", err)
        self.assertIn("1 bad row in", err)

    def test_reported_errors_are_bounded(self):
        path = self.write("many.csv", HEADER + "".join("企业%d,x\n" % i for i in range(150)))
        rc, out, err = run("apportion", path, "--budget", "1")
        self.assertEqual(rc, 1)
        self.assertEqual(out, "")
        self.assertEqual(sum(1 for l in err.splitlines() if ": row " in l), 100)
        self.assertIn("... and 50 more", err)
        self.assertIn("150 bad rows", err)
        rc, doc, err = run_json("apportion", path, "--budget", "1")
        self.assertEqual(rc, 1)
        self.assertEqual(doc["error"]["count"], 150)
        self.assertEqual(len(doc["error"]["errors"]), 100)
        self.assertEqual(doc["error"]["errors"][-1]["line"], 101)

    def test_extra_column_and_empty_key(self):
        path = self.write("x.csv", HEADER + "甲,100,,备注\n,100\n乙,100,,\n")
        rc, out, err = run("apportion", path, "--budget", "100")
        self.assertEqual(rc, 1)
        self.assertIn("row 2, column 4", err)
        self.assertIn("row 3, column 1 (企业)", err)
        self.assertNotIn("row 4", err)

    def test_csv_syntax_errors(self):
        cases = [
            (HEADER + '甲,100\n"乙,100\n', 3, "not closed"),
            (HEADER + '甲,100\n乙"x,100\n', 3, "quote"),
            (HEADER + '"甲"x,100\n', 2, "closing quote"),
        ]
        for text, row, words in cases:
            with self.subTest(text=text):
                rc, doc, err = run_json("apportion", self.write("s.csv", text), "--budget", "1")
                self.assertEqual(rc, 1)
                e = self.assertErrorEnvelope(doc, "FISC_EPARSE")
                self.assertEqual(e["line"], row)
                self.assertIn(words, e["message"])

    def test_undecodable_input(self):
        path = self.write("bin.csv", HEADER.encode("utf-8") + b"\xff\xfe\xfd,100\n")
        rc, doc, err = run_json("apportion", path, "--budget", "1")
        self.assertEqual(rc, 1)
        e = self.assertErrorEnvelope(doc, "FISC_EPARSE")
        self.assertEqual(e["line"], 2)
        rc, out, err = run("apportion", self.write("u16.csv", "a,1\n".encode("utf-16")),
                           "--budget", "1")
        self.assertEqual(rc, 1)
        self.assertIn("UTF-16", err)

    def test_bom_with_invalid_utf8(self):
        path = self.write("b.csv", b"\xef\xbb\xbf" + "企业,金额\n".encode("gb18030") + b"a,1\n")
        rc, out, err = run("apportion", path, "--budget", "1")
        self.assertEqual(rc, 1)
        self.assertIn("byte order mark", err)

    def test_input_size_limit(self):
        path = os.path.join(self.tmp, "big.csv")
        with open(path, "wb") as f:
            f.write(b"a,1\n" * (16 * 1024 * 1024 + 1))  # just over 64 MiB
        rc, doc, err = run_json("apportion", path, "--budget", "1")
        self.assertEqual(rc, 1)
        e = self.assertErrorEnvelope(doc, "FISC_ERANGE")
        self.assertIn("64 MiB", e["message"])

    def test_row_limit(self):
        path = os.path.join(self.tmp, "rows.csv")
        with open(path, "wb") as f:
            f.write(b"1\n" * 1000001)
        rc, doc, err = run_json("apportion", path, "--budget", "1")
        self.assertEqual(rc, 1)
        e = self.assertErrorEnvelope(doc, "FISC_ERANGE")
        self.assertIn("1000000 rows", e["message"])

    def test_empty_input(self):
        for text in ("", HEADER, "\n\n"):
            with self.subTest(text=text):
                rc, out, err = run("apportion", self.write("e.csv", text), "--budget", "1")
                self.assertEqual(rc, 1)
                self.assertIn("no data rows", err)

    def test_missing_file(self):
        rc, doc, err = run_json("apportion", os.path.join(self.tmp, "nope.csv"), "--budget", "1")
        self.assertEqual(rc, 1)
        e = self.assertErrorEnvelope(doc, "FISC_CLI_IO")
        self.assertTrue(e["field"].endswith("nope.csv"))

    def test_bad_budget(self):
        path = self.write("ok.csv", "a,1\n")
        for budget, code in (("abc", "FISC_EPARSE"), ("-5", "FISC_EINVAL"),
                             ("1.001", "FISC_EINVAL")):
            with self.subTest(budget=budget):
                rc, doc, err = run_json("apportion", path, "--budget", budget)
                self.assertEqual(rc, 1, doc)
                e = self.assertErrorEnvelope(doc, code)
                self.assertEqual(e["field"], "--budget")

    def test_usage_errors(self):
        path = self.write("ok.csv", "a,1\n")
        self.assertUsageError("apportion", path)                       # no --budget
        self.assertUsageError("apportion", "--budget", "1")            # no FILE
        self.assertUsageError("apportion", path, path, "--budget", "1")
        self.assertUsageError("apportion", path, "--budget", "1", "--mode", "equal")
        self.assertUsageError("apportion", path, "--budget", "1", "--remainder", "last")
        self.assertUsageError("apportion", path, "--budget", "1", "--unit", "-1")
        self.assertUsageError("apportion", path, "--budget")



# ---------------------------------------------------------------------------------------------
# fisc estimate, fisc params, fisc policy check, on the bundled policy (FISC_POLICY_DIR).
# Golden values: shared/reference/policy-params.md §9 (official and DERIVED worked examples).

# 应纳税所得额 280万 and eligible size: 小型微利企业 (WE-9).
SMALL_MICRO = {"taxable_income": "2800000", "employees_average": 100,
               "assets_average": "10000000", "industry_restricted": False}
DATE_RE = r"^\d{4}-\d{2}-\d{2}$"


def policy_files():
    return sorted(glob.glob(os.path.join(POLICY_DIR, "*.yaml")))


def quarters(*pairs):
    """{"Q1": {"start": a, "end": b}, ...} from (a, b) pairs."""
    return {"Q%d" % (i + 1): {"start": a, "end": b} for i, (a, b) in enumerate(pairs)}


class PolicyTestCase(CliTestCase):
    def facts(self, facts, name="facts.json"):
        return self.write(name, json.dumps(facts, ensure_ascii=False, indent=1))

    def estimate(self, facts, *args):
        """fisc estimate --json on these facts; exit 0 required. Returns the result document."""
        rc, doc, err = run_json("estimate", self.facts(facts), *args)
        self.assertEqual(rc, 0, (doc, err))
        self.assertEqual(err, "")
        return doc

    def item(self, doc, program):
        items = [i for i in doc["items"] if i["program"] == program]
        self.assertEqual(len(items), 1, [i["program"] for i in doc["items"]])
        return items[0]

    def cit(self, facts, *args):
        return self.item(self.estimate(facts, *args), "cn.cit")

    def bad_layer(self, text, name="bad.yaml"):
        """A copy of the first bundled layer with @p text appended, as a new file."""
        with open(policy_files()[0], encoding="utf-8") as f:
            base = f.read()
        return self.write(name, base + text)


class TestEstimate(PolicyTestCase):
    def test_small_micro_2023(self):
        doc = self.estimate(SMALL_MICRO, "--year", "2023")
        self.assertEqual(doc["schema"], "fisc-result/1")
        self.assertEqual(doc["period"]["year"], 2023)
        self.assertIsNone(doc["period"]["quarter"])
        cit = self.item(doc, "cn.cit")
        self.assertEqual(cit["outcome"], "eligible")
        self.assertEqual(cit["choice"], "small_micro")
        self.assertEqual(cit["categories"], {"tax": "tax_payable", "relief": "tax_relief"})
        a = cit["amounts"]
        self.assertEqual(a["tax"], "140000.00")             # 280万 × 5%
        self.assertEqual(a["tax_standard"], "700000.00")    # 280万 × 25%
        self.assertEqual(a["relief"], "560000.00")
        self.assertEqual(a["tax_small_micro"], "140000.00")
        self.assertNotIn("tax_hnte", a)                     # no certificate: no HNTE route
        self.assertEqual(doc["totals"]["tax_payable"], "140000.00")
        self.assertEqual(doc["totals"]["tax_relief"], "560000.00")
        self.assertIsInstance(doc["provisional"], bool)
        for v in a.values():
            self.assertIsInstance(v, str)                   # amounts are strings, never numbers

    def test_small_micro_across_years(self):
        # WE-9: the same 280万 under each year's brackets.
        expected = {"2019": "230000.00", "2020": "230000.00", "2021": "205000.00",
                    "2022": "115000.00", "2023": "140000.00", "2024": "140000.00"}
        for year, tax in expected.items():
            with self.subTest(year=year):
                cit = self.cit(SMALL_MICRO, "--year", year)
                self.assertEqual(cit["outcome"], "eligible")
                self.assertEqual(cit["amounts"]["tax"], tax)
                self.assertEqual(Decimal(cit["amounts"]["relief"]),
                                 Decimal("700000.00") - Decimal(tax))

    def test_cliff_above_three_million(self):
        # WE-9: 300.01万 is not 小型微利 at all (no marginal relief): 300.01万 × 25%.
        cit = self.cit(dict(SMALL_MICRO, taxable_income="3000100"), "--year", "2023")
        self.assertEqual(cit["outcome"], "not_eligible")
        self.assertEqual(cit["choice"], "standard")
        self.assertEqual(cit["amounts"]["tax"], "750025.00")
        self.assertEqual(cit["amounts"]["relief"], "0.00")
        self.assertTrue(any(c["state"] == "not_met" for c in cit["conditions"]), cit["conditions"])

    def test_size_limits(self):
        for facts in (dict(SMALL_MICRO, employees_average=301),
                      dict(SMALL_MICRO, assets_average="50000000.01"),
                      dict(SMALL_MICRO, industry_restricted=True)):
            with self.subTest(facts=facts):
                cit = self.cit(facts, "--year", "2023")
                self.assertEqual(cit["outcome"], "not_eligible")
                self.assertEqual(cit["amounts"]["tax"], "700000.00")
        cit = self.cit(dict(SMALL_MICRO, employees_average=300, assets_average="50000000"),
                       "--year", "2023")
        self.assertEqual(cit["amounts"]["tax"], "140000.00")   # the limits are inclusive

    def test_hnte_against_small_micro(self):
        # WE-10: both apply; 小微 (5%) beats the HNTE rate (15%), and they are never stacked.
        facts = dict(SMALL_MICRO, taxable_income="2000000", hnte_certificate_date="2023-03-01")
        cit = self.cit(facts, "--year", "2023")
        self.assertEqual(cit["outcome"], "eligible")
        self.assertEqual(cit["choice"], "small_micro")
        self.assertEqual(cit["amounts"]["tax"], "100000.00")
        self.assertEqual(cit["amounts"]["tax_hnte"], "300000.00")
        self.assertEqual(cit["amounts"]["tax_standard"], "500000.00")
        self.assertEqual(cit["amounts"]["relief"], "400000.00")

    def test_hnte_alone(self):
        # WE-16: 应纳税所得额 1000万, HNTE: 150万.
        facts = dict(SMALL_MICRO, taxable_income="10000000", hnte_certificate_date="2022-11-01")
        cit = self.cit(facts, "--year", "2023")
        self.assertEqual(cit["outcome"], "eligible")
        self.assertEqual(cit["choice"], "hnte")
        self.assertEqual(cit["amounts"]["tax"], "1500000.00")
        self.assertEqual(cit["amounts"]["relief"], "1000000.00")

    def test_quarterly_prepayment_2019(self):
        # WE-7 (国家税务总局公告2019年第2号 解读 format), cumulative to each quarter.
        emp = [(120, 200), (400, 500), (350, 200), (220, 210)]
        assets = [(20000000, 40000000), (40000000, 66000000), (66000000, 70000000),
                  (70000000, 25000000)]
        income = ["1500000", "2000000", "2800000", "3000000"]
        expected = [("eligible", "100000.00"),      # Q1: 100 × 5% + 50 × 10%
                    ("not_eligible", "500000.00"),  # Q2: average headcount 305 > 300
                    ("not_eligible", "700000.00"),  # Q3: average assets 5033.33万 > 5000万
                    ("eligible", "250000.00")]      # Q4: 100 × 5% + 200 × 10%
        for q in range(4):
            with self.subTest(quarter=q + 1):
                facts = {"taxable_income": income[q], "employees": quarters(*emp[:q + 1]),
                         "assets": quarters(*assets[:q + 1]), "industry_restricted": False}
                doc = self.estimate(facts, "--quarter", "2019Q%d" % (q + 1))
                self.assertEqual(doc["period"], dict(doc["period"], year=2019, quarter=q + 1))
                cit = self.item(doc, "cn.cit")
                self.assertEqual((cit["outcome"], cit["amounts"]["tax"]), expected[q])
        # Q1's relief: 150万 × 25% - 10万 = 27.5万.
        facts = {"taxable_income": income[0], "employees": quarters(emp[0]),
                 "assets": quarters(assets[0]), "industry_restricted": False}
        self.assertEqual(self.cit(facts, "--quarter", "2019q1")["amounts"]["relief"],
                         "275000.00")

    def test_quarter_two_names_the_average(self):
        facts = {"taxable_income": "2000000", "employees": quarters((120, 200), (400, 500)),
                 "assets": quarters((20000000, 40000000), (40000000, 66000000)),
                 "industry_restricted": False}
        cit = self.cit(facts, "--quarter", "2019Q2")
        self.assertTrue(any("305" in (c["detail"] or "") and c["state"] == "not_met"
                            for c in cit["conditions"]), cit["conditions"])

    def test_yulin_hnte_reward(self):
        # policy-params.md §2.2: 5万元 once, in the year of recognition, registered and taxed in 玉林.
        facts = dict(SMALL_MICRO, hnte_certificate_date="2023-05-10", registered_in_yulin=True,
                     tax_registered_in_yulin=True)
        doc = self.estimate(facts, "--year", "2023")
        reward = self.item(doc, "yulin.hnte_reward")
        self.assertEqual(reward["outcome"], "eligible")
        self.assertEqual(list(reward["amounts"].values()), ["50000.00"])
        self.assertEqual(doc["totals"]["subsidy"], "50000.00")
        for changed in ({"tax_registered_in_yulin": False}, {"registered_in_yulin": False},
                        {"hnte_certificate_date": "2022-05-10"}):
            with self.subTest(changed=changed):
                doc = self.estimate(dict(facts, **changed), "--year", "2023")
                self.assertEqual(self.item(doc, "yulin.hnte_reward")["outcome"], "not_eligible")
                self.assertEqual(doc["totals"]["subsidy"], "0.00")

    def test_missing_facts_are_undetermined(self):
        doc = self.estimate({"taxable_income": "2800000"}, "--year", "2023")
        cit = self.item(doc, "cn.cit")
        self.assertEqual(cit["outcome"], "undetermined")
        self.assertTrue(cit["missing_facts"])
        reward = self.item(doc, "yulin.hnte_reward")
        self.assertIn(reward["outcome"], ("undetermined", "not_eligible"))

    def test_every_item_has_the_schema_members(self):
        doc = self.estimate(SMALL_MICRO, "--year", "2023")
        self.assertEqual(doc["currency"], "CNY")
        self.assertEqual(set(doc["totals"]), {"tax_payable", "tax_relief", "subsidy", "repayment"})
        for item in doc["items"]:
            for key in ("program", "title", "outcome", "provisional", "summary", "amounts",
                        "missing_facts", "conditions", "parameters"):
                self.assertIn(key, item)
            self.assertNotIn("trace", item)   # only with --explain
            self.assertIn(item["outcome"], ("eligible", "not_eligible", "undetermined"))
            for p in item["parameters"]:
                self.assertIn(p["status"], ("confirmed", "unconfirmed", "placeholder"))
                self.assertTrue(p["citation"]["document"])
        layers = doc["policy"]["layers"]
        self.assertEqual([l["path"] for l in layers if not l["overlay"]], policy_files())

    def test_json_explain_has_the_steps(self):
        rc, doc, err = run_json("estimate", self.facts(SMALL_MICRO), "--year", "2023",
                                "--explain")
        self.assertEqual(rc, 0, err)
        cit = self.item(doc, "cn.cit")
        self.assertTrue(cit["trace"])
        for step in cit["trace"]:
            for key in ("id", "label", "formula", "substituted", "result", "rounding"):
                self.assertIn(key, step)
        self.assertTrue(any(s["result"] in ("140000", "140000.00") for s in cit["trace"]))

    def test_text_report(self):
        path = self.facts(SMALL_MICRO)
        rc, out, err = run("estimate", path, "--year", "2023")
        self.assertEqual((rc, err), (0, ""))
        self.assertRegex(out, r"140,?000\.00")
        self.assertRegex(out, r"560,?000\.00")
        self.assertIn("[cn.cit]", out)
        self.assertIn("[yulin.hnte_reward]", out)
        rc, en, err = run("estimate", path, "--year", "2023", "--lang", "en")
        self.assertEqual((rc, err), (0, ""))
        self.assertRegex(en, r"140,?000\.00")
        self.assertNotEqual(out, en)
        # The item's one-line summary says what was chosen, even without --explain.
        self.assertIn("适用小型微利企业优惠", out)
        self.assertIn("small and micro enterprise relief applies", en)

    def test_explain_shows_conditions_citations_and_steps(self):
        path = self.facts(SMALL_MICRO)
        rc, short, err = run("estimate", path, "--year", "2023")
        rc, out, err = run("estimate", path, "--year", "2023", "--explain")
        self.assertEqual((rc, err), (0, ""))
        self.assertGreater(len(out), len(short))
        self.assertIn("2800000", out)                       # the numbers substituted
        self.assertRegex(out, r"财税〔2019〕13号|2023年第6号|2023年第12号")  # a citation
        rc, en, err = run("estimate", path, "--year", "2023", "--explain", "--lang", "en")
        self.assertEqual(rc, 0)
        self.assertIn("taxable income", en.lower())

    def test_stdin(self):
        rc, doc, err = run_json("estimate", "-", "--year", "2023",
                                stdin=json.dumps(SMALL_MICRO).encode("utf-8"))
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.item(doc, "cn.cit")["amounts"]["tax"], "140000.00")

    def test_explicit_policy_files_match_the_default(self):
        path = self.facts(SMALL_MICRO)
        args = [a for f in policy_files() for a in ("--policy", f)]
        rc, doc, err = run_json("estimate", path, "--year", "2023", *args)
        self.assertEqual(rc, 0, err)
        rc, default, err = run_json("estimate", path, "--year", "2023")
        self.assertEqual(doc, default)

    def test_overlay_what_if(self):
        # A what-if: the standard rate at 20% from 2023; 小微 still wins.
        overlay = self.write("what-if.yaml", WHAT_IF_OVERLAY)
        cit = self.cit(SMALL_MICRO, "--year", "2023", "--overlay", overlay)
        self.assertEqual(cit["amounts"]["tax_standard"], "560000.00")
        self.assertEqual(cit["amounts"]["tax"], "140000.00")
        self.assertEqual(cit["amounts"]["relief"], "420000.00")
        rc, doc, err = run_json("estimate", self.facts(SMALL_MICRO), "--year", "2023",
                                "--overlay", overlay)
        self.assertTrue(doc["policy"]["layers"][-1]["overlay"])

    def test_not_eligible_is_exit_0(self):
        rc, out, err = run("estimate", self.facts(dict(SMALL_MICRO, employees_average=1000)),
                           "--year", "2023")
        self.assertEqual((rc, err), (0, ""))
        self.assertRegex(out, r"700,?000\.00")

    # --- errors ---

    def test_facts_not_json(self):
        path = self.write("facts.json", '{\n  "taxable_income": "2800000",\n'
                                        '  "employees_average": 100,,\n}\n')
        rc, out, err = run("estimate", path, "--year", "2023")
        self.assertEqual(rc, 1, err)
        self.assertEqual(out, "")
        self.assertRegex(err, r"(^|\s)%s:3:\d+: " % re.escape(path))
        rc, doc, err = run_json("estimate", path, "--year", "2023")
        self.assertEqual(rc, 1)
        e = self.assertErrorEnvelope(doc, "FISC_EPARSE")
        self.assertEqual((e["field"], e["line"]), (path, 3))
        self.assertIsInstance(e["column"], int)

    def test_unknown_fact(self):
        path = self.write("facts.json", '{\n  "taxable_incme": "2800000"\n}\n')
        rc, out, err = run("estimate", path, "--year", "2023")
        self.assertEqual(rc, 1)
        self.assertIn("did you mean", err)
        self.assertIn("taxable_income", err)
        self.assertRegex(err, r"%s:2:\d+: " % re.escape(path))

    def test_bad_fact_values(self):
        for facts in ({"industry_restricted": "yes"}, {"hnte_certificate_date": "2023-02-30"},
                      {"employees_average": -1}, {"taxable_income": "1,000"}):
            with self.subTest(facts=facts):
                rc, doc, err = run_json("estimate", self.facts(facts), "--year", "2023")
                self.assertEqual(rc, 1, doc)
                self.assertIn(doc["error"]["code"], ("FISC_EINVAL", "FISC_EPARSE", "FISC_ERANGE"))
                self.assertEqual(doc["error"]["line"], 2)

    def test_missing_facts_file(self):
        rc, out, err = run("estimate", os.path.join(self.tmp, "nope.json"), "--year", "2023")
        self.assertEqual(rc, 1)
        self.assertIn("nope.json", err)

    def test_bad_policy_is_exit_4(self):
        bad = self.bad_layer("\nfrobnicate: 1\n")
        nlines = open(bad, encoding="utf-8").read().count("\n")
        rc, out, err = run("estimate", self.facts(SMALL_MICRO), "--year", "2023", "--policy", bad)
        self.assertEqual(rc, 4, err)
        self.assertEqual(out, "")
        self.assertRegex(err, r"%s:%d:\d+: " % (re.escape(bad), nlines))
        rc, doc, err = run_json("estimate", self.facts(SMALL_MICRO), "--year", "2023",
                                "--policy", bad)
        self.assertEqual(rc, 4)
        e = self.assertErrorEnvelope(doc, "FISC_EPARSE")
        self.assertEqual((e["field"], e["line"]), (bad, nlines))

    def test_bad_bundled_policy_is_exit_4(self):
        d = os.path.join(self.tmp, "policies")
        os.mkdir(d)
        with open(os.path.join(d, "a.yaml"), "w", encoding="utf-8") as f:
            f.write("fisc_policy: 1\nid: [unclosed\n")
        rc, out, err = run("estimate", self.facts(SMALL_MICRO), "--year", "2023",
                           env={"FISC_POLICY_DIR": d})
        self.assertEqual(rc, 4, err)
        self.assertIn("a.yaml:", err)

    def test_missing_policy_file_is_exit_4(self):
        rc, out, err = run("estimate", self.facts(SMALL_MICRO), "--year", "2023",
                           "--policy", os.path.join(self.tmp, "nope.yaml"))
        self.assertEqual(rc, 4, err)
        self.assertIn("nope.yaml", err)

    def test_long_policy_path_is_shown_whole(self):
        # fisc_error::source holds 63 bytes; the CLI names the file as it was given.
        d = os.path.join(self.tmp, "a-rather-long-directory-name-for-policies", "and-another-one")
        os.makedirs(d)
        bad = os.path.join(d, "guangxi-provincial-layer.yaml")
        with open(policy_files()[0], encoding="utf-8") as f:
            text = f.read()
        with open(bad, "w", encoding="utf-8") as f:
            f.write(text + "\nfrobnicate: 1\n")
        self.assertGreater(len(bad.encode()), 64)
        rc, out, err = run("policy", "check", bad)
        self.assertEqual(rc, 4)
        self.assertIn(bad + ":", err)

    def test_year_without_values_is_exit_4(self):
        # The bundled policy starts in 2008 (the standard rate) and 2019 (小型微利): a year it
        # does not cover is a configuration problem, not bad facts.
        rc, out, err = run("estimate", self.facts(SMALL_MICRO), "--year", "1990")
        self.assertEqual((rc, out), (4, ""))
        self.assertIn("no value in force", err)
        rc, doc, err = run_json("estimate", self.facts(SMALL_MICRO), "--year", "1990")
        self.assertEqual(rc, 4)
        self.assertErrorEnvelope(doc, "FISC_ENOTFOUND")

    def test_usage_errors(self):
        path = self.facts(SMALL_MICRO)
        self.assertUsageError("estimate", path)                          # no period
        self.assertUsageError("estimate", "--year", "2023")              # no FACTS
        self.assertUsageError("estimate", path, path, "--year", "2023")
        self.assertUsageError("estimate", path, "--year", "2023", "--quarter", "2023Q1")
        for bad in ("2019Q5", "2019Q0", "19Q1", "2019-Q1", "1989Q1", "2019Q"):
            self.assertUsageError("estimate", path, "--quarter", bad)
        for bad in ("1989", "2101", "twenty", "2023.0"):
            self.assertUsageError("estimate", path, "--year", bad)
        self.assertUsageError("estimate", path, "--year", "2023", "--lang", "fr")
        self.assertUsageError("estimate", path, "--year", "2023", "--overlay", "a", "--overlay", "b")
        self.assertUsageError("estimate", path, "--year", "2023", "--frobnicate")
        err = self.assertUsageError("estimate", path, "--year")
        self.assertIn("needs a value", err)

    def test_usage_error_json(self):
        rc, doc, err = run_json("estimate", self.facts(SMALL_MICRO))
        self.assertEqual(rc, 2)
        e = self.assertErrorEnvelope(doc, "FISC_CLI_USAGE")
        self.assertIn("--year", e["message"])


def display_width(text):
    """Terminal columns of ``text``: East Asian Wide and Fullwidth characters take two, combining
    marks none (unicodedata, independent of the C implementation under test)."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cc", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def column_spans(rule):
    """The (start, end) display columns of the dash groups of a table rule line."""
    spans, col, start = [], 0, None
    for ch in rule + " ":
        if ch == "-" and start is None:
            start = col
        elif ch != "-" and start is not None:
            spans.append((start, col))
            start = None
        col += 1
    return spans


def cells(line, spans):
    """Split a table line into cells by display columns (the rule's spans)."""
    out, col, i = [], 0, 0
    bounds = [s for s, _ in spans[1:]] + [10 ** 9]
    current = ""
    for ch in line:
        if col >= bounds[i] and i < len(spans) - 1:
            out.append(current.strip())
            current = ""
            i += 1
        current += ch
        col += display_width(ch)
    out.append(current.strip())
    return out + [""] * (len(spans) - len(out))


def table(text, first_line):
    """The table starting at the line ``first_line`` (its header) of a text report: the header's
    cells and the rows' cells, each row split at the rule's columns; the rows end at the second
    rule, then the totals rows follow until a blank line. Returns (header, rows, totals)."""
    lines = text.splitlines()
    start = lines.index(first_line)
    header_line, rule = lines[start + 1], lines[start + 2]
    spans = column_spans(rule)
    end = lines.index(rule, start + 3)
    stop = end + 1
    while stop < len(lines) and lines[stop].strip():
        stop += 1
    rows = [cells(l, spans) for l in lines[start + 3:end]]
    totals = [cells(l, spans) for l in lines[end + 1:stop]]
    return cells(header_line, spans), rows, totals, lines[start + 1:stop], spans


def block(rows, title):
    """The rows of one program in a summary table: its first row has ``title`` in column 0,
    the next ones (its other amounts and clauses) an empty column 0."""
    starts = [i for i, r in enumerate(rows) if r[0] == title]
    assert len(starts) == 1, ([r[0] for r in rows], title)
    end = starts[0] + 1
    while end < len(rows) and not rows[end][0]:
        end += 1
    return rows[starts[0]:end]


CIT_ZH, CIT_EN = "企业所得税（税率选择）", "Corporate income tax (rate choice)"

# R&D of a manufacturer (GB/T 4754-2017 C3491): one slot of expensed projects, 770000 in all
# (other related costs 30000, within their 10% limit), and 100000 contracted out in China.
RD_FACTS = {"industry_code_version": "2017", "industry_revenue_1_code": "C3491",
            "industry_revenue_1_amount": "4650000", "income_total": "4800000",
            "income_non_taxable": "0", "income_investment": "30000", "rd_tech_sme": False,
            "rd_ic_or_machine_tool": False, "rd_project_count": 1, "rd_p1_personnel": "500000",
            "rd_p1_direct": "150000", "rd_p1_depreciation": "60000", "rd_p1_amortisation": "10000",
            "rd_p1_design": "20000", "rd_p1_other": "30000", "rd_contracted_domestic": "100000",
            "rd_contracted_related": "0", "rd_contracted_overseas": "0",
            "rd_intangible_amortisation": "0"}


class TestEstimateSummary(PolicyTestCase):
    """The text report of one period: summary table, then each program's details."""

    def report(self, facts, *args):
        rc, out, err = run("estimate", self.facts(facts), *args)
        self.assertEqual((rc, err), (0, ""), out)
        return out

    def test_summary_table_2023(self):
        facts = dict(SMALL_MICRO, hnte_certificate_date="2023-05-10", registered_in_yulin=True,
                     tax_registered_in_yulin=True)
        out = self.report(facts, "--year", "2023")
        self.assertTrue(out.startswith("2023 年度（截至 2023-12-31）\n政策: "), out)
        header, rows, totals, _, _ = table(out, "概要（金额单位：元）")
        self.assertEqual(header, ["项目", "结果", "金额", "元", "暂定", "依据"])
        # cn.cit chose 小型微利: its clause is the 小型微利 parameters' citations only.
        cit = block(rows, CIT_ZH)
        self.assertEqual(cit[0][:5], [CIT_ZH, "符合", "应纳税额", "140,000.00", "否"])
        self.assertEqual(cit[1][:5], ["", "", "减免税额", "560,000.00", ""])
        cit_clauses = [r[5] for r in cit]
        self.assertEqual(len(cit), 3, cit)
        self.assertIn("财政部 税务总局公告2023年第12号 三", cit_clauses)
        self.assertIn("中华人民共和国企业所得税法 第二十八条第一款", cit_clauses)
        self.assertFalse(any("第四条" in c or "第二十八条第二款" in c for c in cit_clauses))
        reward = [r for r in rows if r[0] == "玉林市高新技术企业认定奖励"]
        self.assertEqual(len(reward), 1)
        self.assertEqual(reward[0][1:5], ["符合", "补贴", "50,000.00", "否"])
        self.assertIn("玉政发〔2017〕9号", reward[0][5])
        self.assertIn("第四条", reward[0][5])
        self.assertEqual(totals, [["合计", "", "应纳税额", "140,000.00", "", ""],
                                  ["", "", "减免税额", "560,000.00", "", ""],
                                  ["", "", "补贴", "50,000.00", "", ""]])

    def test_columns_line_up_in_display_width(self):
        # Chinese characters take two columns: every cell starts where its header starts, and
        # every amount ends where the amount column ends.
        out = self.report(SMALL_MICRO, "--year", "2023")
        _, _, _, lines, spans = table(out, "概要（金额单位：元）")
        amount_end = spans[3][1]
        for line in lines:
            if set(line) <= {"-", " "}:
                self.assertEqual(column_spans(line), spans)
                continue
            m = re.search(r"\d[\d,]*\.\d\d|(?<= )-(?= )", line)
            if m:
                self.assertEqual(display_width(line[:m.end()]), amount_end, line)
        self.assertNotRegex(out, r" \n")   # no trailing spaces

    def test_clause_follows_the_choice(self):
        # WE-16: 1000万 with a certificate: the HNTE rate; its clause is 第二十八条第二款.
        facts = dict(SMALL_MICRO, taxable_income="10000000", hnte_certificate_date="2022-11-01")
        _, rows, _, _, _ = table(self.report(facts, "--year", "2023"), "概要（金额单位：元）")
        cit = block(rows, CIT_ZH)
        self.assertEqual(cit[0][:4], [CIT_ZH, "符合", "应纳税额", "1,500,000.00"])
        clauses = [r[5] for r in cit if r[5]]
        self.assertTrue(any("第二十八条第二款" in c for c in clauses), clauses)
        self.assertFalse(any("2023年第12号" in c for c in clauses), clauses)
        # WE-9's cliff: 300.01万 is taxed at the standard rate, 企业所得税法 第四条.
        _, rows, _, _, _ = table(self.report(dict(SMALL_MICRO, taxable_income="3000100"),
                                             "--year", "2023"), "概要（金额单位：元）")
        cit = block(rows, CIT_ZH)
        self.assertEqual(cit, [[CIT_ZH, "不符合", "应纳税额", "750,025.00", "否",
                                "中华人民共和国企业所得税法 第四条"],
                               ["", "", "减免税额", "0.00", "", ""]])

    def test_not_eligible_lists_the_conditions_not_met(self):
        out = self.report(dict(SMALL_MICRO, taxable_income="3000100"), "--year", "2023")
        details = out[out.index("\n企业所得税（税率选择） [cn.cit]: 不符合\n"):]
        self.assertIn("  未满足的条件:\n", details)
        self.assertIn("    ✗ 应纳税所得额不超过上限 (3000100 > 3000000)\n", details)
        self.assertNotIn("✓", details)                # met conditions only with --explain
        en = self.report(dict(SMALL_MICRO, employees_average=301), "--year", "2023", "--lang", "en")
        self.assertIn("Conditions not met:", en)
        self.assertRegex(en, r"✗ .*\(301 > 300\)")

    def test_undetermined_lists_the_missing_facts(self):
        out = self.report({"taxable_income": "2800000"}, "--year", "2023")
        _, rows, totals, _, _ = table(out, "概要（金额单位：元）")
        self.assertEqual(block(rows, CIT_ZH)[0][:4], [CIT_ZH, "无法确定", "", "-"])
        details = out[out.index("[cn.cit]: 无法确定"):]
        self.assertIn("  缺少的事实:\n", details)
        self.assertIn("    industry_restricted（从事国家限制或禁止行业）\n", details)
        self.assertIn("  无法判断的条件:\n", details)
        self.assertIn("    ? 不属于国家限制或禁止行业 (unknown)\n", details)
        en = self.report({"taxable_income": "2800000"}, "--year", "2023", "--lang", "en")
        self.assertIn("Missing facts:", en)
        self.assertIn("industry_restricted (In an industry the State restricts or prohibits)", en)

    def test_english_summary(self):
        out = self.report(SMALL_MICRO, "--year", "2019", "--lang", "en")
        self.assertTrue(out.startswith("tax year 2019 (to 2019-12-31)\nPolicy: "), out)
        header, rows, totals, _, _ = table(out, "Summary (amounts in yuan)")
        self.assertEqual(header, ["Program", "Outcome", "Amount", "yuan", "Provisional", "Clause"])
        self.assertEqual(block(rows, CIT_EN)[0][:5], [CIT_EN, "eligible", "tax payable",
                                                      "230,000.00", "no"])
        self.assertEqual(totals[0][:4], ["Total", "", "tax payable", "230,000.00"])

    def test_quarter_header(self):
        facts = {"taxable_income": "1500000", "employees": quarters((120, 200)),
                 "assets": quarters((20000000, 40000000)), "industry_restricted": False}
        out = self.report(facts, "--quarter", "2019Q1")
        self.assertTrue(out.startswith("2019 年第 1 季度预缴（累计至 2019-03-31）\n"), out)
        _, rows, _, _, _ = table(out, "概要（金额单位：元）")
        self.assertEqual(block(rows, CIT_ZH)[0][2:4], ["应纳税额", "100,000.00"])   # WE-7 Q1

    def test_provisional_is_marked(self):
        overlay = self.write("what-if.yaml", WHAT_IF_OVERLAY)       # a placeholder value
        out = self.report(SMALL_MICRO, "--year", "2023", "--overlay", overlay)
        self.assertIn("【暂定】", out)
        _, rows, _, _, _ = table(out, "概要（金额单位：元）")
        self.assertEqual(block(rows, CIT_ZH)[0][:5], [CIT_ZH, "符合", "应纳税额", "140,000.00", "是"])
        self.assertIn("[cn.cit]: 符合（暂定）", out)

    def test_a_program_without_totals_shows_its_first_amount(self):
        # cn.rd_deduction publishes no amount that counts in a total: the summary shows its first
        # (headline) amount. 2023年第7号: 100% of 770000 expensed + 80% of 100000 contracted out
        # (财税〔2018〕64号) = 850000; to 2020 (财税〔2018〕99号) 75%.
        out = self.report(dict(SMALL_MICRO, **RD_FACTS), "--year", "2023")
        _, rows, _, _, _ = table(out, "概要（金额单位：元）")
        rd = block(rows, "研发费用加计扣除")
        self.assertEqual(rd[0][1:5], ["符合", "extra_deduction", "850,000.00", "否"])
        self.assertTrue(all(r[2] == "" for r in rd[1:]), rd)          # one amount only
        self.assertIn("财政部 税务总局公告2023年第7号 一", [r[5] for r in rd])
        rc, out, err = run("estimate", self.facts(dict(SMALL_MICRO, **RD_FACTS)), "--years",
                           "2020-2021")
        self.assertEqual(rc, 0, err)
        row = [l for l in out.splitlines() if l.strip().startswith("extra_deduction")]
        self.assertEqual(len(row), 1, out)
        self.assertEqual(row[0].split()[1:], ["637,500.00", "850,000.00"])

    def test_explain_shows_every_condition_parameter_and_step(self):
        out = self.report(dict(SMALL_MICRO, taxable_income="3000100"), "--year", "2023",
                          "--explain")
        details = out[out.index("[cn.cit]"):]
        self.assertIn("  条件:\n", details)
        self.assertIn("✓ 从业人数季度平均值不超过上限 (100 ≤ 300)", details)
        self.assertIn("✗ 应纳税所得额不超过上限 (3000100 > 3000000)", details)
        self.assertIn("  参数及出处:\n", details)
        self.assertRegex(details, r"cit\.rate\.standard = 25% \[已证实, 2008-01-01\.\.\] "
                                  r"中华人民共和国企业所得税法 第四条")
        self.assertIn("cit.small_micro.max_assets = 5000 万元", details)
        self.assertIn("  计算步骤:\n", details)
        self.assertIn("3000100 × 25% = 750025", details)


class TestEstimateYears(PolicyTestCase):
    """fisc estimate --years: the same facts under each year's rules."""

    YEARS_FACTS = dict(SMALL_MICRO, hnte_certificate_date="2023-05-10", registered_in_yulin=True,
                       tax_registered_in_yulin=True)

    def test_json_is_one_result_per_year(self):
        path = self.facts(self.YEARS_FACTS)
        rc, doc, err = run_json("estimate", path, "--years", "2007,2019-2027")
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(doc["schema"], "fisc-years/1")
        self.assertEqual([y["year"] for y in doc["years"]], [2007] + list(range(2019, 2028)))
        by_year = {y["year"]: y for y in doc["years"]}
        # The 企业所得税法 is in force from 2008: the bundled policy has no rules for 2007. The
        # year says so, and the others run.
        self.assertEqual(set(by_year[2007]), {"year", "error"})
        self.assertEqual(by_year[2007]["error"]["code"], "FISC_ENOTFOUND")
        self.assertIn("2007-12-31", by_year[2007]["error"]["message"])
        we9 = {2019: "230000.00", 2020: "230000.00", 2021: "205000.00", 2022: "115000.00",
               2023: "140000.00", 2024: "140000.00", 2025: "140000.00", 2026: "140000.00",
               2027: "140000.00"}
        for year, tax in we9.items():
            with self.subTest(year=year):
                res = by_year[year]["result"]
                self.assertEqual(res["schema"], "fisc-result/1")
                self.assertEqual(res["period"]["year"], year)
                self.assertEqual(self.item(res, "cn.cit")["amounts"]["tax"], tax)
                self.assertNotIn("trace", self.item(res, "cn.cit"))
                # exactly what --year gives
                rc, single, err = run_json("estimate", path, "--year", str(year))
                self.assertEqual(res, single)
        self.assertEqual(self.item(by_year[2023]["result"], "yulin.hnte_reward")["outcome"],
                         "eligible")
        self.assertEqual(by_year[2024]["result"]["totals"]["subsidy"], "0.00")
        rc, doc, err = run_json("estimate", path, "--years", "2023", "--explain")
        self.assertTrue(self.item(doc["years"][0]["result"], "cn.cit")["trace"])

    def test_year_list(self):
        rc, doc, err = run_json("estimate", self.facts(SMALL_MICRO), "--years", "2019,2022-2023,2021")
        self.assertEqual(rc, 0, err)
        self.assertEqual([y["year"] for y in doc["years"]], [2019, 2021, 2022, 2023])

    def test_text_table(self):
        rc, out, err = run("estimate", self.facts(self.YEARS_FACTS), "--years", "2007,2019-2024")
        self.assertEqual((rc, err), (0, ""))
        lines = out.splitlines()
        self.assertEqual(lines[0], "逐年对比：同一企业事实，按各年度规则（金额单位：元）")
        header_at = lines.index("", 0) + 1                  # after the title and the policy
        end = lines.index("", header_at)                     # the table ends at a blank line
        spans = column_spans(lines[header_at + 1])
        rows = [cells(l, spans) for l in lines[header_at:end] if not set(l) <= {"-", " "}]
        header = rows[0]
        self.assertEqual(header, ["项目", "", "2007"] + [str(y) for y in range(2019, 2025)])
        body = {}
        program = None
        for r in rows[1:]:
            program = r[0] or program
            body[(program, r[1])] = r[2:]
        self.assertEqual(len(body), len(rows) - 1)
        self.assertEqual(body[("企业所得税（税率选择）", "结果")],
                         ["无规则", "符合", "符合", "符合", "符合", "符合", "符合"])
        self.assertEqual(body[("企业所得税（税率选择）", "应纳税额")],
                         ["-", "230,000.00", "230,000.00", "205,000.00", "115,000.00",
                          "140,000.00", "140,000.00"])
        self.assertEqual(body[("企业所得税（税率选择）", "减免税额")],
                         ["-", "470,000.00", "470,000.00", "495,000.00", "585,000.00",
                          "560,000.00", "560,000.00"])
        self.assertEqual(body[("玉林市高新技术企业认定奖励", "结果")],
                         ["无规则", "不符合", "不符合", "不符合", "不符合", "符合", "不符合"])
        self.assertEqual(body[("玉林市高新技术企业认定奖励", "补贴")],
                         ["-", "-", "-", "-", "-", "50,000.00", "-"])
        self.assertEqual(body[("合计", "补贴")],
                         ["-", "0.00", "0.00", "0.00", "0.00", "50,000.00", "0.00"])
        # Why 2007 has no column of figures, below the table.
        self.assertRegex(out, r"\n2007：无规则：parameter \S+ has no value in force on 2007-12-31")
        # What changed, and the parameter behind it with its citation.
        changes = out[out.index("与上一年度相比的变化:\n"):]
        self.assertIn("  2020 → 2021  企业所得税（税率选择）：应纳税额 230,000.00 → 205,000.00；"
                      "减免税额 470,000.00 → 495,000.00\n", changes)
        self.assertRegex(changes, r"参数 cit\.small_micro\.taxable_share：≤1000000: 25%.* → "
                                  r"≤1000000: 12\.5%.*2021年第12号.*2021-01-01 起")
        self.assertIn("2022 → 2023  玉林市高新技术企业认定奖励：不符合 → 符合；补贴 - → 50,000.00",
                      changes)
        self.assertNotIn("2019 → 2020", changes)          # nothing changed for this enterprise

    def test_text_columns_line_up(self):
        rc, out, err = run("estimate", self.facts(SMALL_MICRO), "--years", "2019-2023",
                           "--lang", "en")
        self.assertEqual(rc, 0, err)
        lines = out.splitlines()
        rule = [l for l in lines if l.startswith("---")][0]
        ends = [e for _, e in column_spans(rule)][2:]
        for line in lines[lines.index(rule) + 1:]:
            if not line:
                break
            if set(line) <= {"-", " "}:
                continue
            last = display_width(line)
            self.assertEqual(last, ends[-1], line)   # right-aligned to the last column's end
        self.assertIn("Changes from the year before:", out)
        self.assertIn("2021 → 2022  Corporate income tax (rate choice): tax payable "
                      "205,000.00 → 115,000.00", out)

    def test_explain_appends_each_years_report(self):
        rc, out, err = run("estimate", self.facts(SMALL_MICRO), "--years", "2007,2019-2020",
                           "--explain")
        self.assertEqual(rc, 0, err)
        self.assertIn("\n2019 年度（截至 2019-12-31）\n", out)
        self.assertIn("\n2020 年度（截至 2020-12-31）\n", out)
        self.assertNotIn("2007 年度（截至", out)
        self.assertEqual(out.count("\n========================================\n"), 2)
        self.assertEqual(out.count("2800000 × 25% = 700000\n"), 2)    # cn.cit's steps, each year

    def test_no_year_with_rules_is_exit_4(self):
        rc, out, err = run("estimate", self.facts(SMALL_MICRO), "--years", "1990-1992")
        self.assertEqual((rc, out), (4, ""))
        self.assertIn("no value in force on 1990-12-31", err)
        rc, doc, err = run_json("estimate", self.facts(SMALL_MICRO), "--years", "2005-2007")
        self.assertEqual(rc, 4)
        self.assertIn("2005-12-31", self.assertErrorEnvelope(doc, "FISC_ENOTFOUND")["message"])

    def test_usage_errors(self):
        path = self.facts(SMALL_MICRO)
        for bad in ("2019-2018", "1989-2019", "2019-2101", "2019-", "19-20", "2019,", ",2019",
                    "2019..2020", "abc", "2019-2020-2021"):
            with self.subTest(years=bad):
                self.assertUsageError("estimate", path, "--years", bad)
        self.assertUsageError("estimate", path, "--years", "2019-2020", "--year", "2019")
        self.assertUsageError("estimate", path, "--years", "2019-2020", "--quarter", "2019Q1")
        self.assertUsageError("estimate", path, "--years", "2019", "--years", "2020")
        rc, out, err = run("estimate", "--help")
        self.assertIn("--years", out)
        self.assertIn("fisc-years/1", out)
        self.assertIn("clause", out)


# An overlay (docs/policy-format.md): the standard rate at 20% from 2023 on.
WHAT_IF_OVERLAY = """\
fisc_policy: 1
id: what-if.rate20
overlay: true
title:
  zh: 假设：基本税率20%
  en: "What if: standard rate 20%"
parameters:
  - id: cit.rate.standard
    values:
      - from: 2023-01-01
        value: 20%
        status: placeholder
        citation:
          document: what-if
"""


class TestParams(PolicyTestCase):
    def params(self, *args):
        rc, doc, err = run_json("params", *args)
        self.assertEqual(rc, 0, (doc, err))
        self.assertEqual(doc["count"], len(doc["params"]))
        return doc

    def test_listing(self):
        doc = self.params()
        params = doc["params"]
        self.assertGreater(len(params), 5)
        ids = [p["id"] for p in params]
        self.assertEqual(ids, sorted(ids))
        self.assertEqual(len(set(ids)), len(ids))
        self.assertIn("cit.rate.standard", ids)
        for p in params:
            with self.subTest(param=p["id"]):
                self.assertRegex(p["id"], r"^[a-z0-9_.]+$")
                self.assertTrue(p["label_zh"])
                self.assertTrue(p["label_en"])
                self.assertEqual(p["label"], p["label_zh"])
                self.assertIn(p["kind"], ("value", "scale", "table"))
                self.assertTrue(p["entries"])
                last_to = None
                for e in p["entries"]:
                    self.assertRegex(e["from"], DATE_RE)
                    if e["to"] is not None:
                        self.assertRegex(e["to"], DATE_RE)
                        self.assertLessEqual(e["from"], e["to"])
                    if last_to is not None:
                        self.assertLess(last_to, e["from"])   # date order, no overlap
                    last_to = e["to"] or "9999-12-31"
                    self.assertIn(e["evidence"], ("confirmed", "unconfirmed", "placeholder"))
                    self.assertTrue(e["document"])            # every value is cited
                    self.assertTrue(e["layer"])
                    self.assertTrue(e["value"])

    def test_standard_rate(self):
        doc = self.params("--match", "cit.rate.standard", "--at", "2023-06-30")
        p = [x for x in doc["params"] if x["id"] == "cit.rate.standard"][0]
        self.assertEqual(len(p["entries"]), 1)
        e = p["entries"][0]
        self.assertEqual(e["value"], "25%")
        self.assertEqual(e["evidence"], "confirmed")
        self.assertIn("企业所得税法", e["document"])
        self.assertEqual(p["unit"], "rate")

    def test_at_keeps_the_entry_in_force(self):
        everything = self.params()
        for at in ("2019-01-01", "2021-12-31", "2023-06-30"):
            with self.subTest(at=at):
                doc = self.params("--at", at)
                self.assertEqual(doc["at"], at)
                self.assertLessEqual(doc["count"], everything["count"])
                for p in doc["params"]:
                    self.assertEqual(len(p["entries"]), 1, p)
                    e = p["entries"][0]
                    self.assertLessEqual(e["from"], at)
                    self.assertTrue(e["to"] is None or at <= e["to"])
                # and nothing in force that day was left out
                kept = {p["id"] for p in doc["params"]}
                for p in everything["params"]:
                    if any(e["from"] <= at and (e["to"] is None or at <= e["to"])
                           for e in p["entries"]):
                        self.assertIn(p["id"], kept)

    def test_match(self):
        doc = self.params("--match", "small_micro")
        self.assertTrue(doc["params"])
        for p in doc["params"]:
            self.assertTrue("small_micro" in p["id"] or "small_micro" in p["label_en"].lower())
        self.assertEqual(self.params("--match", "SMALL_MICRO")["params"], doc["params"])
        # by the Chinese label
        zh = self.params()["params"][0]["label_zh"]
        ids = [p["id"] for p in self.params("--match", zh[:2])["params"]]
        self.assertIn(self.params()["params"][0]["id"], ids)

    def test_nothing_matches(self):
        rc, out, err = run("params", "--match", "no-such-parameter")
        self.assertEqual((rc, out), (0, ""))
        self.assertIn("no parameter matches", err)
        doc = self.params("--match", "no-such-parameter")
        self.assertEqual((doc["count"], doc["params"]), (0, []))

    def test_lang(self):
        doc = self.params("--lang", "en")
        for p in doc["params"]:
            self.assertEqual(p["label"], p["label_en"])
        rc, out, err = run("params", "--match", "cit.rate.standard", "--lang", "en")
        self.assertEqual(rc, 0)
        label = [p for p in doc["params"] if p["id"] == "cit.rate.standard"][0]["label_en"]
        self.assertTrue(out.startswith("cit.rate.standard  %s  [rate]\n" % label), out)

    def test_text_output(self):
        rc, out, err = run("params", "--match", "cit.rate.standard", "--at", "2023-06-30")
        self.assertEqual((rc, err), (0, ""))
        lines = out.splitlines()
        self.assertEqual(len(lines), 2, out)
        self.assertRegex(lines[0], r"^cit\.rate\.standard  \S.*  \[rate\]$")
        self.assertRegex(lines[1], r"^  \d{4}-\d{2}-\d{2}\.\.(\d{4}-\d{2}-\d{2})?  25%  confirmed  "
                                   r".*企业所得税法.*\(layer \S+\)$")
        rc, out, err = run("params")
        self.assertEqual(rc, 0)
        for line in out.splitlines():
            self.assertTrue(line.startswith("  ") or re.match(r"^[a-z0-9_.]+  .*\[.*\]$", line),
                            line)

    def test_explicit_policy_files(self):
        args = [a for f in policy_files() for a in ("--policy", f)]
        self.assertEqual(self.params(*args), self.params())

    def test_overlay_entries_name_the_overlay(self):
        overlay = self.write("what-if.yaml", WHAT_IF_OVERLAY)
        doc = self.params("--overlay", overlay, "--match", "cit.rate.standard", "--at", "2024-01-01")
        e = doc["params"][0]["entries"][0]
        self.assertEqual((e["value"], e["layer"], e["evidence"]), ("20%", "what-if.rate20",
                                                                   "placeholder"))
        doc = self.params("--overlay", overlay, "--match", "cit.rate.standard", "--at", "2022-01-01")
        self.assertEqual(doc["params"][0]["entries"][0]["value"], "25%")

    def test_bad_policy_is_exit_4(self):
        bad = self.bad_layer("\nfrobnicate: 1\n")
        rc, out, err = run("params", "--policy", bad)
        self.assertEqual((rc, out), (4, ""))
        self.assertIn(bad + ":", err)

    def test_usage_errors(self):
        for bad in ("2023-13-01", "2023-02-30", "2023-2-3", "20230101", "yesterday"):
            self.assertUsageError("params", "--at", bad)
        self.assertUsageError("params", "--at", "2023-02-29")          # not a leap year
        rc, out, err = run("params", "--at", "2024-02-29")
        self.assertEqual(rc, 0, err)
        self.assertUsageError("params", "--lang", "fr")
        self.assertUsageError("params", "policy.yaml")                 # files go after --policy
        self.assertUsageError("params", "--overlay", "a", "--overlay", "b")
        self.assertUsageError("params", "--match")


class TestPolicyCheck(PolicyTestCase):
    def test_bundled_policy_is_ok(self):
        files = policy_files()
        self.assertTrue(files, "no policy files in %s" % POLICY_DIR)
        rc, out, err = run("policy", "check", *files)
        self.assertEqual((rc, err), (0, ""))
        self.assertTrue(out.startswith("OK: %d layer" % len(files)), out)
        for f in files:
            with open(f, "rb") as fh:
                digest = hashlib.sha256(fh.read()).hexdigest()
            self.assertIn("sha256 %s" % digest, out)
            self.assertIn(f, out)
        self.assertIn("cn.cit", out)

    def test_json(self):
        files = policy_files()
        rc, doc, err = run_json("policy", "check", *files)
        self.assertEqual(rc, 0, err)
        self.assertIs(doc["ok"], True)
        self.assertEqual([l["path"] for l in doc["layers"]], files)
        for layer, f in zip(doc["layers"], files):
            with open(f, "rb") as fh:
                self.assertEqual(layer["sha256"], hashlib.sha256(fh.read()).hexdigest())
            self.assertIs(layer["overlay"], False)
            self.assertTrue(layer["id"])
            self.assertTrue(layer["document"])
        self.assertEqual(doc["program_count"], len(doc["programs"]))
        self.assertIn("cn.cit", doc["programs"])
        self.assertIn("yulin.hnte_reward", doc["programs"])
        rc, params, err = run_json("params")
        self.assertEqual(doc["parameter_count"], params["count"])

    def test_overlay(self):
        overlay = self.write("what-if.yaml", WHAT_IF_OVERLAY)
        rc, doc, err = run_json("policy", "check", *policy_files(), "--overlay", overlay)
        self.assertEqual(rc, 0, err)
        self.assertEqual(doc["layers"][-1]["path"], overlay)
        self.assertIs(doc["layers"][-1]["overlay"], True)
        self.assertEqual(doc["layers"][-1]["id"], "what-if.rate20")
        rc, out, err = run("policy", "check", *policy_files(), "--overlay", overlay)
        self.assertIn("and an overlay", out.splitlines()[0])
        self.assertIn("overlay what-if.rate20", out)

    def test_error_with_file_line_column(self):
        bad = self.bad_layer("\nfrobnicate: 1\n")
        line = open(bad, encoding="utf-8").read().count("\n")
        rc, out, err = run("policy", "check", bad)
        self.assertEqual((rc, out), (4, ""))
        self.assertRegex(err, r"^fisc policy check: %s:%d:1: " % (re.escape(bad), line))
        self.assertIn("frobnicate", err)
        rc, doc, err = run_json("policy", "check", bad)
        self.assertEqual((rc, err), (4, ""))
        e = self.assertErrorEnvelope(doc, "FISC_EPARSE")
        self.assertEqual((e["field"], e["line"], e["column"]), (bad, line, 1))

    def test_yaml_syntax_error(self):
        bad = self.write("syntax.yaml", "fisc_policy: 1\nid: x\ntitle: [unclosed\n")
        rc, doc, err = run_json("policy", "check", bad)
        self.assertEqual(rc, 4)
        e = self.assertErrorEnvelope(doc, "FISC_EPARSE")
        self.assertEqual(e["field"], bad)
        self.assertIsInstance(e["line"], int)

    def test_layer_redefining_a_parameter(self):
        f = policy_files()[0]
        rc, out, err = run("policy", "check", f, f)
        self.assertEqual(rc, 4)
        self.assertIn("twice", err)

    def test_missing_file(self):
        rc, out, err = run("policy", "check", os.path.join(self.tmp, "nope.yaml"))
        self.assertEqual((rc, out), (4, ""))
        self.assertIn("nope.yaml", err)

    def test_usage_errors(self):
        self.assertUsageError("policy")
        self.assertUsageError("policy", "frobnicate")
        self.assertUsageError("policy", "check")
        self.assertUsageError("policy", "check", policy_files()[0], "--frobnicate")
        rc, out, err = run("policy", "check", "--help")
        self.assertEqual(rc, 0)
        self.assertTrue(out.startswith("Usage: fisc policy check"))
        rc, doc, err = run_json("policy")
        self.assertEqual(rc, 2)
        self.assertErrorEnvelope(doc, "FISC_CLI_USAGE")



SAMPLE_SUBSIDIES = os.path.join(ROOT, "examples", "data", "sample-subsidies.json")
YULIN_OVERLAY = os.path.join(ROOT, "examples", "data", "yulin-amounts.overlay.yaml")


class TestYulinSubsidyExamples(PolicyTestCase):
    """examples/data/sample-subsidies.json (subsidies beside the tax incentives) and the example
    overlay examples/data/yulin-amounts.overlay.yaml (docs/overlays.md)."""

    SUBSIDIES = {  # program: (amount name, amount on the bundled policy, provisional)
        "yulin.hnte_reward": ("reward", "50000.00", False),          # 5万元, confirmed
        "gx.zone_approval_subsidy": ("yulin", "1000000.00", True),   # placeholder 100万
        "yulin.platform_subsidy": ("subsidy", "500000.00", True),    # placeholder 50万 (regional engineering center)
    }

    def test_sample_subsidies_json(self):
        rc, doc, err = run_json("estimate", SAMPLE_SUBSIDIES, "--year", "2023")
        self.assertEqual((rc, err), (0, ""))
        self.assertIs(doc["provisional"], True)
        for program, (name, amount, provisional) in self.SUBSIDIES.items():
            with self.subTest(program=program):
                it = self.item(doc, program)
                self.assertEqual(it["outcome"], "eligible")
                self.assertEqual(it["amounts"][name], amount)
                self.assertIs(it["provisional"], provisional)
        self.assertEqual(self.item(doc, "gx.zone_approval_subsidy")["amounts"]["guangxi"], "10000000.00")
        pts = self.item(doc, "yulin.zone_assessment")
        self.assertEqual((pts["outcome"], pts["provisional"]), ("eligible", True))
        self.assertEqual(Decimal(pts["amounts"]["points"]), Decimal(10))  # points: not in the subsidy total
        cit = self.item(doc, "cn.cit")
        self.assertEqual((cit["outcome"], cit["amounts"]["tax"]), ("eligible", "140000.00"))
        # the sample is a company: the 桂惠贷 个体工商户贷 scheme does not apply to its loan
        self.assertEqual(self.item(doc, "gx.loan_interest_subsidy")["outcome"], "not_eligible")
        self.assertEqual(doc["totals"]["subsidy"], "11550000.00")  # 50000 + 11000000 + 500000

    def test_sample_subsidies_text_both_languages(self):
        rows = {
            "zh": ["【暂定】",
                   r"玉林市高新技术企业认定奖励\s+符合\s+补贴\s+50,000\.00\s+否\s",
                   r"新获批高新区经费补助\s+符合\s+补贴 \(guangxi\)\s+10,000,000\.00\s+是\s",
                   r"玉林市科技创新平台补助\s+符合\s+补贴\s+500,000\.00\s+是\s",
                   r"企业所得税（税率选择）\s+符合\s+应纳税额\s+140,000\.00\s+否\s"],
            "en": [r"\[PROVISIONAL\]",
                   r"Yulin reward for a newly recognized high-tech enterprise\s+eligible\s+subsidy\s+50,000\.00\s+no\b",
                   r"Subsidy for a newly approved high-tech zone\s+eligible\s+subsidy \(guangxi\)\s+10,000,000\.00\s+yes\b",
                   r"Yulin innovation platform subsidy\s+eligible\s+subsidy\s+500,000\.00\s+yes\b",
                   r"Corporate income tax \(rate choice\)\s+eligible\s+tax payable\s+140,000\.00\s+no\b"],
        }
        for lang, patterns in rows.items():
            with self.subTest(lang=lang):
                rc, out, err = run("estimate", SAMPLE_SUBSIDIES, "--year", "2023", "--lang", lang)
                self.assertEqual((rc, err), (0, ""))
                for pattern in patterns:
                    self.assertRegex(out, pattern)

    def test_example_overlay(self):
        rc, out, err = run("policy", "check", *policy_files(), "--overlay", YULIN_OVERLAY)
        self.assertEqual((rc, err), (0, ""))
        self.assertIn("and an overlay", out.splitlines()[0])
        self.assertIn("overlay example.yulin-amounts", out)
        rc, doc, err = run_json("estimate", SAMPLE_SUBSIDIES, "--year", "2023", "--overlay", YULIN_OVERLAY)
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual((doc["policy"]["layers"][-1]["id"], doc["policy"]["layers"][-1]["overlay"]),
                         ("example.yulin-amounts", True))
        zone = self.item(doc, "gx.zone_approval_subsidy")
        self.assertEqual((zone["amounts"]["yulin"], zone["provisional"]), ("2000000.00", False))  # example 200万
        plat = self.item(doc, "yulin.platform_subsidy")
        self.assertEqual((plat["amounts"]["subsidy"], plat["provisional"]), ("300000.00", False))  # example 30万
        self.assertEqual(doc["totals"]["subsidy"], "12350000.00")


class TestBudget(CliTestCase):
    """fisc budget: a program's applicants paid from a fixed budget (同比例核减, ties by USCC)."""

    # Valid codes (GB 32100-2015), in code order: LOW < MID < HIGH.
    LOW, MID, HIGH = "91110000802100433B", "91330100716105852F", "91440300708461136T"

    def budget(self, text, amount, *extra, program="cn.cit"):
        path = self.write("applicants.csv", text)
        return run("budget", path, "--program", program, "--budget", amount, *extra)

    def rows(self, out):
        return list(csv.reader(io.StringIO(out)))

    def test_over_budget_is_scaled_down(self):
        rc, out, err = self.budget("uscc,name,approved,cap\n%s,甲,300.00,\n%s,乙,100.00,\n%s,丙,100.00,\n"
                                   % (self.HIGH, self.MID, self.LOW), "250.00")
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.rows(out), [
            ["uscc", "name", "approved", "cap", "allocated", "capped"],
            [self.HIGH, "甲", "300.00", "", "150.00", "no"],
            [self.MID, "乙", "100.00", "", "50.00", "no"],
            [self.LOW, "丙", "100.00", "", "50.00", "no"]])
        self.assertIn("reconciliation for program cn.cit: budget 250.00, paid 250.00, "
                      "unallocated 0.00", err)

    def test_under_budget_each_gets_its_amount(self):
        rc, out, err = self.budget("%s,甲,300.00\n%s,乙,100.00\n" % (self.HIGH, self.LOW), "1000")
        self.assertEqual(rc, 0, err)
        self.assertEqual(self.rows(out)[1:], [[self.HIGH, "甲", "300.00", "300.00", "no"],
                                              [self.LOW, "乙", "100.00", "100.00", "no"]])
        self.assertIn("budget 1000.00, paid 400.00, unallocated 600.00", err)

    def test_cap_binds_and_the_excess_is_redistributed(self):
        # 200 over 500 is 40%: HIGH would get 120.00 but is capped at 50.00; the other 150.00
        # goes equally to MID and LOW.
        rc, out, err = self.budget("uscc,name,approved,cap\n%s,甲,300.00,50.00\n%s,乙,100.00,\n"
                                   "%s,丙,100.00,\n" % (self.HIGH, self.MID, self.LOW), "200.00")
        self.assertEqual(rc, 0, err)
        self.assertEqual([r[4:] for r in self.rows(out)[1:]],
                         [["50.00", "yes"], ["75.00", "no"], ["75.00", "no"]])
        self.assertIn("paid 200.00, unallocated 0.00", err)

    def test_ties_go_to_the_lowest_uscc(self):
        for order in ((self.HIGH, self.MID, self.LOW), (self.LOW, self.HIGH, self.MID)):
            rc, out, err = self.budget("".join("%s,x,100.00\n" % c for c in order), "100.00")
            self.assertEqual(rc, 0, err)
            got = {r[0]: r[3] for r in self.rows(out)[1:]}
            self.assertEqual(got, {self.LOW: "33.34", self.MID: "33.33", self.HIGH: "33.33"}, order)

    def test_bad_uscc_row_is_reported_and_nothing_written(self):
        rc, out, err = self.budget("uscc,name,approved\n%s,甲,1.00\n91330100716105852A,乙,1.00\n"
                                   % self.HIGH, "1.00")
        self.assertEqual(rc, 1)
        self.assertEqual(out, "")
        self.assertIn("applicants.csv:3:1:", err)
        self.assertIn("row 3, column 1 (uscc)", err)
        self.assertIn("should be 'F'", err)
        self.assertIn("1 bad row", err)

    def test_duplicate_usccs_are_an_error(self):
        rc, doc, err = run_json("budget", self.write("d.csv", "%s,甲,1.00\n%s,乙,1.00\n"
                                                     "9133 0100716105852f,丙,1.00\n"
                                                     % (self.MID, self.HIGH, )),
                                "--program", "cn.cit", "--budget", "1.00")
        self.assertEqual(rc, 1)
        self.assertEqual(doc["error"]["code"], "FISC_EINVAL")
        self.assertEqual(doc["error"]["line"], 3)
        self.assertEqual(doc["error"]["column"], 1)
        self.assertIn("duplicate USCC %s (also in row 1)" % self.MID, doc["error"]["errors"][0]["message"])

    def test_json_reconciliation(self):
        rc, doc, err = run_json("budget", self.write("j.csv", "%s,甲,100.00\n%s,乙,100.00\n"
                                                     "%s,丙,100.00\n" % (self.HIGH, self.MID, self.LOW)),
                                "--program", "cn.cit", "--budget", "100.00")
        self.assertEqual(rc, 0, err)
        self.assertEqual(doc["program"], "cn.cit")
        self.assertEqual(doc["reconciliation"], {"program": "cn.cit", "budget": "100.00",
                                                 "paid": "100.00", "unallocated": "0.00"})
        self.assertEqual([(r["uscc"], r["name"], r["allocated"]) for r in doc["rows"]],
                         [(self.HIGH, "甲", "33.33"), (self.MID, "乙", "33.33"),
                          (self.LOW, "丙", "33.34")])

    def test_json_reconciliation_under_budget(self):
        rc, doc, err = run_json("budget", self.write("u.csv", "%s,甲,12.34,10.00\n" % self.LOW),
                                "--program", "cn.cit", "--budget", "100")
        self.assertEqual(rc, 0, err)
        self.assertEqual(doc["reconciliation"], {"program": "cn.cit", "budget": "100.00",
                                                 "paid": "10.00", "unallocated": "90.00"})
        self.assertIs(doc["rows"][0]["capped"], True)

    def test_unknown_program(self):
        rc, out, err = self.budget("%s,甲,1.00\n" % self.LOW, "1.00", program="no.such_program")
        self.assertEqual(rc, 2)
        self.assertEqual(out, "")
        self.assertIn("unknown --program 'no.such_program'", err)
        rc, out, err = self.budget("%s,甲,1.00\n" % self.LOW, "1.00", "--policy",
                                   os.path.join(POLICY_DIR, "10-national.yaml"),
                                   program="cn.rd_deduction")
        self.assertEqual(rc, 2, err)
        rc, out, err = self.budget("%s,甲,1.00\n" % self.LOW, "1.00", "--policy",
                                   os.path.join(POLICY_DIR, "10-national.yaml"), "--policy",
                                   os.path.join(POLICY_DIR, "11-national-rd.yaml"),
                                   program="cn.rd_deduction")
        self.assertEqual(rc, 0, err)

    def test_program_is_required(self):
        self.assertUsageError("budget", self.write("p.csv", "%s,甲,1.00\n" % self.LOW),
                              "--budget", "1.00")


# ---------------------------------------------------------------------------------------------
# Agreements (一事一议): examples/agreements/ (illustrative figures, not real contracts).

AGREEMENTS = os.path.join(ROOT, "examples", "agreements")
MANUFACTURING = os.path.join(AGREEMENTS, "manufacturing.yaml")
MANUFACTURING_ACTUALS = os.path.join(AGREEMENTS, "manufacturing.actuals.json")
MANUFACTURING_BREACH = os.path.join(AGREEMENTS, "manufacturing-breach.actuals.json")
HEADQUARTERS = os.path.join(AGREEMENTS, "headquarters.yaml")
HEADQUARTERS_ACTUALS = os.path.join(AGREEMENTS, "headquarters.actuals.json")
GATED = os.path.join(AGREEMENTS, "gated.yaml")
GATED_ACTUALS = os.path.join(AGREEMENTS, "gated.actuals.json")
MFG, HQ, GATED_ID = "yl-gxq-2023-012", "yl-gxq-2024-031", "yl-gxq-2024-027"
D = Decimal

# manufacturing.yaml against manufacturing.actuals.json, worked by hand from
# docs/agreement-format.md (amounts in 元):
#
# equipment (第五条第一款): 5% of each year's equipment investment 2023-2025, late share 80%,
# cap 500万 a year and 1200万 in all, released when cumulative funds in place reach 3亿 (by 2024)
# and production has started (by 2024-06-30), paid 40/30/30 in the year of release and the two
# after it, the last 30% only in a year whose output is at least 4亿.
#   funds in place: 2023 1.8亿 (cumulative 1.8亿: not yet), 2024 1.3亿 (cumulative 3.1亿 ≥ 3亿: met
#   in 2024, on time); production started 2024-09-15, after 2024-06-30: met in 2024, late.
#   2023: nothing released: the 2023 award waits.
#   2024: the awards of 2023 and 2024 are released, each × 80% (a milestone was met late):
#         X2023: 60,000,000 × 5% = 3,000,000 × 80% = 2,400,000 (within 500万)
#         X2024: 150,000,000 × 5% = 7,500,000 × 80% = 6,000,000 > 500万 a year: 5,000,000
#                (1,000,000 withheld by cap_per_year)
#   2025: X2025: 120,000,000 × 5% = 6,000,000 × 80% = 4,800,000 (within 500万); the rest of
#         the 1200万 total is 12,000,000 − 2,400,000 − 5,000,000 = 4,600,000: 4,600,000
#         (200,000 withheld by cap_total)
#   instalments (40/30/30):  X2023 2,400,000 → 960,000 (2024), 720,000 (2025), 720,000 (2026)
#                            X2024 5,000,000 → 2,000,000 (2024), 1,500,000 (2025), 1,500,000 (2026)
#                            X2025 4,600,000 → 1,840,000 (2025), 1,380,000 (2026), 1,380,000 (2027)
#   the third instalments need output ≥ 4亿 in their year: 2026 6.2亿 met; 2027 3.8亿 not met:
#   X2025's last 1,380,000 is forfeited (withheld).
#   A (before combining): 2024 960,000 + 2,000,000 = 2,960,000;
#   2025 720,000 + 1,500,000 + 1,840,000 = 4,060,000; 2026 720,000 + 1,500,000 + 1,380,000 =
#   3,600,000; 2027 0.
#   higher_of with gx.investment_reward (第八条): the Guangxi reward G is 1% of the year's funds
#   in place (a foreign project of 3000万美元 ≥ 1500万美元, no cap): 2023 1,800,000; 2024 1,300,000;
#   2025 600,000; 2026 and 2027 none (no funds in place: not eligible, G = 0). The term pays
#   max(A − G, 0): 2023 0; 2024 2,960,000 − 1,300,000 = 1,660,000; 2025 4,060,000 − 600,000 =
#   3,460,000; 2026 3,600,000; 2027 0. In all 8,720,000.
# construction (第五条第二款): 200万 fixed for 2024, released on completion by 2024-06-30;
#   completed 2024-08-20 (late, no late_share: 100%): 2,000,000 due in 2024.
# land (第五条第三款): 20% of the 2023 land price 24,000,000 = 4,800,000, released when
#   construction starts by 2023-09-30 (2023-06-18, on time): a concession due in 2023.
# ceiling (第九条): min(2500万, 10% × cumulative fixed-asset investment): 2023 min(25,000,000,
#   15,000,000) ≥ 4,800,000 awarded; 2024 min(25,000,000, 38,000,000) ≥ 14,200,000; 2025
#   min(25,000,000, 53,000,000) ≥ 18,800,000: it never binds.
# clawback (第十条): output of 6亿 in a year by 2026 (2026: 6.2亿, met on time); no relocation:
#   nothing to repay.
MFG_DUE = {2023: "4800000.00",            # land 4,800,000
           2024: "3660000.00",            # construction 2,000,000 + equipment 1,660,000
           2025: "3460000.00",            # equipment
           2026: "3600000.00",            # equipment
           2027: "0.00"}                  # the last instalment is forfeited
MFG_TERM_DUE = {"land": {2023: "4800000.00"}, "construction": {2024: "2000000.00"},
                "equipment": {2023: "0.00", 2024: "1660000.00", 2025: "3460000.00",
                              2026: "3600000.00", 2027: "0.00"}}
MFG_GUANGXI = {2023: "1800000.00", 2024: "1300000.00", 2025: "600000.00"}   # 1% of funds in place
MFG_TOTAL_DUE = "15520000.00"            # 4,800,000 + 3,660,000 + 3,460,000 + 3,600,000
# withheld for good (an award still waiting for its conditions is not withheld):
MFG_WITHHELD = {2024: "1000000.00",      # X2024 above the 500万 cap a year
                2025: "200000.00",       # X2025 above what is left of the 1200万 total
                2027: "1380000.00"}      # X2025's last instalment: 2027 output below 4亿
MFG_TOTAL_WITHHELD = "2580000.00"        # 1,000,000 + 200,000 + 1,380,000

# manufacturing-breach.actuals.json: the same, but output is 5.2亿 in 2026 (< 6亿 by 2026): the
# clawback triggers in 2026, breach date 2026-12-31 (the milestone's deadline). The 2026
# instalments (paid on 06-30, before the breach) count as paid. Repay 100% of what each term
# paid, with simple interest at 3.45% over actual days / 365, rounded once per term:
#   equipment: 1,660,000 paid 2024-06-30 (914 days), 3,460,000 paid 2025-06-30 (549 days),
#     3,600,000 paid 2026-06-30 (184 days): repay 8,720,000; interest
#     (1,660,000 × 914 + 3,460,000 × 549 + 3,600,000 × 184) × 3.45% / 365
#     = (1,517,240,000 + 1,899,540,000 + 662,400,000) × 0.0345 / 365 = 140,731,710 / 365
#     = 385,566.3287... → 385,566.33
#   construction: 2,000,000 paid 2024-12-31 (730 days): 2,000,000 × 3.45% × 730 / 365 = 138,000.00
#   land: 4,800,000 granted 2023-12-31 (1096 days, 2024 a leap year):
#     4,800,000 × 3.45% × 1096 / 365 = 181,497,600 / 365 = 497,253.6986... → 497,253.70
#   repay 8,720,000 + 2,000,000 + 4,800,000 = 15,520,000; interest 385,566.33 + 138,000.00 +
#   497,253.70 = 1,020,820.03. The term ends: X2025's last instalment (1,380,000) is forfeited.
BREACH_TERM_REPAY = {"equipment": ("8720000.00", "385566.33"),
                     "construction": ("2000000.00", "138000.00"),
                     "land": ("4800000.00", "497253.70")}
BREACH_REPAY, BREACH_INTEREST = "15520000.00", "1020820.03"
BREACH_NET = "-1020820.03"               # 15,520,000 − 15,520,000 − 1,020,820.03

# headquarters.yaml against headquarters.actuals.json (headquarters registered 2025-02-18, by
# 2025-03-31):
#   rent (concession, 50% of the standard rent, at most 100万 a year): 2025 1,800,000 × 50% =
#     900,000; 2026 900,000; 2027 1,854,000 × 50% = 927,000.
#   headcount (50万 a year with year-end headcount ≥ 100): 2025 120 → 500,000; 2026 95 → withheld
#     for good (500,000); 2027 140 → 500,000.
#   funds (2% of funds in place 2025-2026, at most 150万 in all): 2025 50,000,000 × 2% = 1,000,000;
#     2026 30,000,000 × 2% = 600,000, the rest of the total is 500,000: 500,000 (100,000 withheld
#     by cap_total).
#   exclusive with gx.investment_reward (第七条): in 2025 (the year with facts) the Guangxi reward
#     for a headquarters project is 1% × 50,000,000 = 500,000; the package records it as
#     excluded (−500,000), so the year's subsidy total is the package's 2,400,000 alone.
#   ceiling 800万: 2,400,000 + 1,400,000 + 1,427,000 = 5,227,000 awarded: never binds.
HQ_DUE = {2025: "2400000.00",            # 900,000 + 500,000 + 1,000,000
          2026: "1400000.00",            # 900,000 + 0 + 500,000
          2027: "1427000.00",            # 927,000 + 500,000
          2028: "0.00", 2029: "0.00"}    # the stay commitment runs to 2029-12-31
HQ_TERM_DUE = {"rent": {2025: "900000.00", 2026: "900000.00", 2027: "927000.00"},
               "headcount": {2025: "500000.00", 2026: "0.00", 2027: "500000.00"},
               "funds": {2025: "1000000.00", 2026: "500000.00"}}
HQ_TOTALS = {"due": "5227000.00", "withheld": "600000.00",   # 500,000 (headcount) + 100,000 (cap)
             "concession": "2727000.00",                     # 900,000 + 900,000 + 927,000
             "repay": "0.00", "interest": "0.00", "net": "5227000.00"}

# The payment plan of manufacturing.yaml (its plan: figures, every condition met on time, no
# general program, so nothing to combine with):
#   equipment: X2023 80,000,000 × 5% = 4,000,000; X2024 140,000,000 × 5% = 7,000,000 → 5,000,000
#     (cap a year); X2025 100,000,000 × 5% = 5,000,000, the rest of 1200万 is 3,000,000 →
#     3,000,000. Instalments 40/30/30 from each award's year:
#     2023 1,600,000; 2024 1,200,000 + 2,000,000 = 3,200,000; 2025 1,200,000 + 1,500,000 +
#     1,200,000 = 3,900,000; 2026 1,500,000 + 900,000 = 2,400,000; 2027 900,000: 12,000,000.
#   construction 2,000,000 in 2024; land 20% × 24,000,000 = 4,800,000 in 2023.
#   ceiling: 2023 min(25,000,000, 10% × 150,000,000) = 15,000,000 ≥ 8,800,000 awarded; never binds.
MFG_PLAN = {2023: {"equipment": "1600000.00", "construction": "0.00", "land": "4800000.00"},
            2024: {"equipment": "3200000.00", "construction": "2000000.00", "land": "0.00"},
            2025: {"equipment": "3900000.00", "construction": "0.00", "land": "0.00"},
            2026: {"equipment": "2400000.00", "construction": "0.00", "land": "0.00"},
            2027: {"equipment": "900000.00", "construction": "0.00", "land": "0.00"}}
MFG_PLAN_TOTAL = "18800000.00"           # 6,400,000 + 5,200,000 + 3,900,000 + 2,400,000 + 900,000


# An overlay that makes the Guangxi reward rate for foreign-invested projects (the sample's kind)
# a placeholder, with the same value.
AGREEMENT_PLACEHOLDER_OVERLAY = """\
fisc_policy: 1
id: what-if.agreement
overlay: true
title:
  zh: 假设：广西外商投资重大项目奖励比例未经核实
  en: "What if: the Guangxi foreign-project reward rate is unconfirmed"
parameters:
  - id: gx.investment_reward.foreign_rate
    values:
      - from: 2019-05-27
        value: "1%"
        status: placeholder
        citation:
          document: what-if
"""


def line_of(path, needle):
    """The 1-based line of the first line of file ``path`` that contains ``needle``."""
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if needle in line:
                return number
    raise AssertionError("%r not in %s" % (needle, path))


def agreement_years(doc):
    """{year: fisc-result/1 document} of a fisc-agreement/1 document."""
    return {y["year"]: y["result"] for y in doc["years"]}


def item_of(result, program):
    items = [i for i in result["items"] if i["program"] == program]
    assert len(items) == 1, (program, [i["program"] for i in result["items"]])
    return items[0]


def amount(item, name):
    """An amount of an item as a Decimal (absent: 0)."""
    return D(item["amounts"].get(name, "0"))


def paid(item):
    """What an agreement's item grants in its year: its "due" (a subsidy) and its "concession"
    (a rent or land-price concession, which the items name apart)."""
    return amount(item, "due") + amount(item, "concession")


class TestAgreement(PolicyTestCase):
    """fisc agreement check|evaluate|schedule on the samples of examples/agreements/."""

    def check(self, path, *args):
        return run("agreement", "check", path, *args)

    def evaluate_json(self, path, actuals, *args):
        rc, doc, err = run_json("agreement", "evaluate", path, "--actuals", actuals, *args)
        self.assertEqual((rc, err), (0, ""), doc)
        self.assertEqual(doc["schema"], "fisc-agreement/1")
        return doc

    # --- check ---

    def test_clean_samples_pass_the_check(self):
        for path, ident in ((MANUFACTURING, MFG), (HEADQUARTERS, HQ)):
            with self.subTest(path=path):
                rc, out, err = self.check(path)
                self.assertEqual((rc, err), (0, ""), out)
                self.assertIn(ident, out.splitlines()[0])
                with open(path, "rb") as f:
                    self.assertIn("SHA-256 " + hashlib.sha256(f.read()).hexdigest(), out)
                self.assertIn("通过：没有错误", out)
                self.assertNotIn(": 错误:", out)
                rc, en, err = self.check(path, "--lang", "en")
                self.assertEqual((rc, err), (0, ""))
                self.assertIn("OK: no errors (0 error(s)", en)
                rc, doc, err = run_json("agreement", "check", path)
                self.assertEqual((rc, err), (0, ""))
                self.assertEqual(doc["schema"], "fisc-agreement-check/1")
                self.assertFalse([f for f in doc["findings"] if f["severity"] == "error"], doc["findings"])

    def test_manufacturing_years(self):
        rc, out, err = self.check(MANUFACTURING, "--lang", "en")
        self.assertEqual(rc, 0, err)
        # from 2023 (the first term year) to 2033 (no relocation until 2033-03-19)
        self.assertIn("Years: 2023–2033", out)

    def test_gated_sample_fails_with_the_legal_finding(self):
        # gated.yaml was signed 2024-09-10, after 公平竞争审查条例 came into force (2024-08-01),
        # with a reward computed from local fiscal contribution (term "contribution").
        rc, out, err = self.check(GATED)
        self.assertEqual((rc, err), (1, ""), out)
        term_line = line_of(GATED, "- id: contribution")
        findings = [l for l in out.splitlines() if "[legal.fair_competition" in l]
        self.assertEqual(len(findings), 1, out)
        self.assertRegex(findings[0], r"^  %s:(\d+):(\d+): 错误: " % re.escape(GATED))
        line = int(re.match(r"^  .*?\.yaml:(\d+):", findings[0]).group(1))
        self.assertTrue(term_line <= line <= term_line + 8, (term_line, findings[0]))
        self.assertIn("条款 contribution", findings[0])
        self.assertIn("公平竞争审查条例", out)
        self.assertIn("第十条", out)
        self.assertIn("不通过", out)
        rc, doc, err = run_json("agreement", "check", GATED)
        self.assertEqual(rc, 1)
        legal = [f for f in doc["findings"] if f["id"] == "legal.fair_competition"]
        self.assertEqual(len(legal), 1, doc["findings"])
        self.assertEqual((legal[0]["severity"], legal[0]["term"]), ("error", "contribution"))
        self.assertEqual(legal[0]["line"], line)
        self.assertIn("公平竞争审查条例", json.dumps(legal[0], ensure_ascii=False))

    def test_malformed_documents_give_file_line_column(self):
        with open(MANUFACTURING, encoding="utf-8") as f:
            text = f.read()
        rate_line = line_of(MANUFACTURING, 'rate: "5%"')
        cap_line = line_of(MANUFACTURING, 'cap_total_wan: "1200"')
        cases = [
            # a float-typed number: write "0.05", not 0.05 (the value's column)
            (text.replace('    rate: "5%"', "    rate: 0.05", 1), rate_line, 11, "FISC_EPARSE"),
            # an unknown key, with a suggestion (the key's column)
            (text.replace("    cap_total_wan:", "    cap_totl_wan:", 1), cap_line, 5, "FISC_EPARSE"),
        ]
        for i, (bad, line, column, code) in enumerate(cases):
            with self.subTest(case=i):
                path = self.write("bad%d.yaml" % i, bad)
                rc, out, err = self.check(path)
                self.assertEqual((rc, out), (1, ""), err)
                self.assertIn("fisc agreement check: %s:%d:%d: " % (path, line, column), err)
                rc, doc, err = run_json("agreement", "check", path)
                self.assertEqual(rc, 1)
                e = self.assertErrorEnvelope(doc, code)
                self.assertEqual((e["field"], e["line"], e["column"]), (path, line, column))
        path = self.write("typo.yaml", text.replace("    cap_total_wan:", "    cap_totl_wan:", 1))
        self.assertIn('did you mean "cap_total_wan"', self.check(path)[2])
        # not YAML at all
        path = self.write("broken.yaml", "fisc_agreement: 1\nid: [unclosed\n")
        rc, out, err = self.check(path)
        self.assertEqual(rc, 1)
        self.assertRegex(err, r"%s:\d+:\d+: " % re.escape(path))
        # no such file: bad input data too
        rc, out, err = self.check(os.path.join(self.tmp, "missing.yaml"))
        self.assertEqual((rc, out), (1, ""))
        self.assertIn("missing.yaml", err)

    def test_check_from_stdin(self):
        with open(MANUFACTURING, "rb") as f:
            data = f.read()
        rc, out, err = run("agreement", "check", "-", stdin=data)
        self.assertEqual((rc, err), (0, ""))
        self.assertIn("SHA-256 " + hashlib.sha256(data).hexdigest(), out)

    def test_bad_policy_is_exit_4(self):
        bad = self.bad_layer("\nfrobnicate: 1\n")
        rc, out, err = self.check(MANUFACTURING, "--policy", bad)
        self.assertEqual((rc, out), (4, ""))
        self.assertIn(bad, err)

    # --- evaluate ---

    def test_manufacturing_year_by_year(self):
        doc = self.evaluate_json(MANUFACTURING, MANUFACTURING_ACTUALS, "--through", "2027")
        years = agreement_years(doc)
        self.assertEqual(sorted(years), [2023, 2024, 2025, 2026, 2027])
        for year, result in years.items():
            with self.subTest(year=year):
                self.assertEqual(result["period"]["year"], year)
                package = item_of(result, MFG)
                self.assertEqual(paid(package), D(MFG_DUE[year]))
                self.assertEqual(amount(package, "withheld"), D(MFG_WITHHELD.get(year, "0")))
                self.assertEqual(amount(package, "repay"), 0)
                self.assertEqual(amount(package, "interest"), 0)
                for term, due in MFG_TERM_DUE.items():
                    if year in due:
                        self.assertEqual(paid(item_of(result, MFG + "/" + term)), D(due[year]), term)
                if year in MFG_GUANGXI:   # the general program, evaluated from that year's facts
                    self.assertEqual(item_of(result, "gx.investment_reward")["amounts"]["reward"],
                                     MFG_GUANGXI[year])
        self.assertEqual(amount(item_of(years[2023], MFG), "concession"), D("4800000.00"))
        # the equipment award of 2023 waits in 2023 (funds and production not yet there): shown,
        # never counted as withheld
        self.assertEqual(amount(item_of(years[2023], MFG + "/equipment"), "waiting"), D("3000000.00"))
        totals = doc["totals"]
        self.assertEqual(D(totals["due"]), D(MFG_TOTAL_DUE))
        self.assertEqual(D(totals["concession"]), D("4800000.00"))
        self.assertEqual(D(totals["withheld"]), D(MFG_TOTAL_WITHHELD))
        self.assertEqual((D(totals["repay"]), D(totals["interest"])), (0, 0))
        self.assertEqual(D(totals["net"]), D(MFG_TOTAL_DUE))

    def test_manufacturing_whole_span(self):
        # 2028-2033: nothing more falls due; the relocation commitment is kept.
        doc = self.evaluate_json(MANUFACTURING, MANUFACTURING_ACTUALS)
        self.assertEqual(sorted(agreement_years(doc)), list(range(2023, 2034)))
        self.assertEqual(D(doc["totals"]["due"]), D(MFG_TOTAL_DUE))
        self.assertEqual(D(doc["totals"]["repay"]), 0)

    def test_manufacturing_clawback_with_interest(self):
        doc = self.evaluate_json(MANUFACTURING, MANUFACTURING_BREACH, "--through", "2027")
        years = agreement_years(doc)
        for year in (2023, 2024, 2025, 2026):   # paid as before, 2026's instalments included
            self.assertEqual(paid(item_of(years[year], MFG)), D(MFG_DUE[year]), year)
        for term, (repay, interest) in BREACH_TERM_REPAY.items():
            with self.subTest(term=term):
                it = item_of(years[2026], MFG + "/" + term)
                self.assertEqual((amount(it, "repay"), amount(it, "interest")), (D(repay), D(interest)))
        package = item_of(years[2026], MFG)
        self.assertEqual((amount(package, "repay"), amount(package, "interest")),
                         (D(BREACH_REPAY), D(BREACH_INTEREST)))
        self.assertEqual(years[2026]["totals"]["repayment"], "16540820.03")  # 15,520,000 + 1,020,820.03
        self.assertEqual(amount(item_of(years[2027], MFG + "/equipment"), "due"), 0)
        totals = doc["totals"]
        self.assertEqual(D(totals["due"]), D(MFG_TOTAL_DUE))
        self.assertEqual(D(totals["withheld"]), D(MFG_TOTAL_WITHHELD))   # the last instalment, forfeited
        self.assertEqual((D(totals["repay"]), D(totals["interest"])), (D(BREACH_REPAY), D(BREACH_INTEREST)))
        self.assertEqual(D(totals["net"]), D(BREACH_NET))

    def test_headquarters_exclusive_with_the_general_program(self):
        doc = self.evaluate_json(HEADQUARTERS, HEADQUARTERS_ACTUALS)
        years = agreement_years(doc)
        self.assertEqual(sorted(years), [2025, 2026, 2027, 2028, 2029])
        for year, result in years.items():
            with self.subTest(year=year):
                self.assertEqual(paid(item_of(result, HQ)), D(HQ_DUE[year]))
                for term, due in HQ_TERM_DUE.items():
                    if year in due:
                        self.assertEqual(paid(item_of(result, HQ + "/" + term)), D(due[year]), term)
        first = years[2025]
        self.assertEqual(item_of(first, "gx.investment_reward")["amounts"]["reward"], "500000.00")
        self.assertEqual(amount(item_of(first, HQ), "excluded"), D("-500000.00"))
        self.assertEqual(D(first["totals"]["subsidy"]), D("2400000.00"))   # A only
        self.assertEqual({k: D(doc["totals"][k]) for k in HQ_TOTALS},
                         {k: D(v) for k, v in HQ_TOTALS.items()})

    def test_text_table(self):
        rc, out, err = run("agreement", "evaluate", MANUFACTURING, "--actuals", MANUFACTURING_ACTUALS,
                           "--through", "2027")
        self.assertEqual((rc, err), (0, ""))
        self.assertIn(MFG, out)
        for year, due in MFG_DUE.items():
            self.assertRegex(out, r"(?m)^\s*%d\b.*\b%s\b" % (year, re.escape("{:,.2f}".format(D(due)))))
        rc, en, err = run("agreement", "evaluate", MANUFACTURING, "--actuals", MANUFACTURING_ACTUALS,
                          "--through", "2027", "--lang", "en")
        self.assertEqual((rc, err), (0, ""))
        self.assertNotEqual(out, en)
        self.assertIn("15,520,000.00", en)

    def test_findings_are_shown_above_the_table(self):
        # gated.yaml: the settlement reward (100万 for 2025, production started 2025-04-01, by
        # 2025-12-31) is paid; the reward on local fiscal contribution is never paid (the legal
        # gate), whatever the contribution.
        rc, out, err = run("agreement", "evaluate", GATED, "--actuals", GATED_ACTUALS)
        self.assertEqual((rc, err), (0, ""))              # computed: the finding withholds the term
        self.assertLess(out.index("legal.fair_competition"), out.index("1,000,000.00"))
        doc = self.evaluate_json(GATED, GATED_ACTUALS)
        self.assertEqual(D(doc["totals"]["due"]), D("1000000.00"))
        for year, result in agreement_years(doc).items():
            contribution = item_of(result, GATED_ID + "/contribution")
            self.assertEqual(paid(contribution), 0, year)
            self.assertIn({"id": "legal.fair_competition", "state": "not_met"},
                          [{"id": c["id"], "state": c["state"]} for c in contribution["conditions"]])
        self.assertTrue(any(f["id"] == "legal.fair_competition" for f in doc["findings"]))

    def test_an_unconfirmed_parameter_makes_it_provisional(self):
        # A what-if: the Guangxi foreign-project reward rate (1%) as a placeholder. The years whose
        # general program used it (2023-2025: funds in place) are provisional, and so is the whole
        # result; the amounts are unchanged.
        overlay = self.write("placeholder.yaml", AGREEMENT_PLACEHOLDER_OVERLAY)
        doc = self.evaluate_json(MANUFACTURING, MANUFACTURING_ACTUALS, "--through", "2027",
                                 "--overlay", overlay)
        self.assertIs(doc["provisional"], True)
        years = agreement_years(doc)
        self.assertEqual([y for y, r in sorted(years.items()) if r["provisional"]], [2023, 2024, 2025])
        self.assertEqual(D(doc["totals"]["due"]), D(MFG_TOTAL_DUE))
        rc, out, err = run("agreement", "evaluate", MANUFACTURING, "--actuals", MANUFACTURING_ACTUALS,
                           "--through", "2027", "--overlay", overlay)
        self.assertEqual((rc, err), (0, ""))
        self.assertIn("【暂定】", out)
        self.assertIn("what-if.agreement (", out)          # the overlay among the policy's layers
        self.assertIs(self.evaluate_json(MANUFACTURING, MANUFACTURING_ACTUALS, "--through", "2027")
                      ["provisional"], False)

    def test_explain_cites_the_clauses(self):
        rc, short, err = run("agreement", "evaluate", MANUFACTURING, "--actuals", MANUFACTURING_BREACH,
                             "--through", "2027")
        rc, out, err = run("agreement", "evaluate", MANUFACTURING, "--actuals", MANUFACTURING_BREACH,
                           "--through", "2027", "--explain")
        self.assertEqual((rc, err), (0, ""))
        self.assertGreater(len(out), len(short))
        for clause in ("第五条第一款", "第五条第三款", "第六条第二款", "第八条", "第十条"):
            self.assertIn(clause, out)
        self.assertIn("玉高管协〔2023〕12号", out)              # the agreement's own number
        self.assertIn("桂政发〔2019〕27号", out)                # the general program's citation
        self.assertIn("3.45%", out)
        rc, doc, err = run_json("agreement", "evaluate", MANUFACTURING, "--actuals", MANUFACTURING_BREACH,
                                "--through", "2027", "--explain")
        self.assertEqual(rc, 0, err)
        equipment = item_of(agreement_years(doc)[2026], MFG + "/equipment")
        self.assertTrue(equipment["trace"])
        self.assertIn("385566.33", json.dumps(equipment["trace"]))

    def test_json_matches_the_text_totals(self):
        doc = self.evaluate_json(HEADQUARTERS, HEADQUARTERS_ACTUALS)
        rc, out, err = run("agreement", "evaluate", HEADQUARTERS, "--actuals", HEADQUARTERS_ACTUALS,
                           "--lang", "en")
        self.assertEqual(rc, 0, err)
        for key in ("due", "withheld"):
            self.assertIn("{:,.2f}".format(D(doc["totals"][key])), out)

    def test_actuals_from_stdin(self):
        with open(HEADQUARTERS_ACTUALS, "rb") as f:
            data = f.read()
        rc, doc, err = run_json("agreement", "evaluate", HEADQUARTERS, "--actuals", "-", stdin=data)
        self.assertEqual(rc, 0, err)
        self.assertEqual(D(doc["totals"]["due"]), D(HQ_TOTALS["due"]))

    def test_bad_actuals(self):
        path = self.write("a.json", '{\n  "fisc_actuals": 1,\n  "years": {"2025": {"output": 1.5e9}}\n}\n')
        rc, out, err = run("agreement", "evaluate", HEADQUARTERS, "--actuals", path)
        self.assertEqual((rc, out), (1, ""))
        self.assertRegex(err, r"%s:3:\d+: " % re.escape(path))
        path = self.write("b.json", '{"fisc_actuals": 1, "years": {"2025": {"outptu": "1"}}}')
        rc, doc, err = run_json("agreement", "evaluate", HEADQUARTERS, "--actuals", path)
        self.assertEqual(rc, 1)
        e = self.assertErrorEnvelope(doc, doc["error"]["code"])
        self.assertEqual((e["field"], e["line"]), (path, 1))

    def test_actuals_of_another_agreement(self):
        rc, out, err = run("agreement", "evaluate", HEADQUARTERS, "--actuals", MANUFACTURING_ACTUALS)
        self.assertEqual((rc, out), (1, ""))
        self.assertIn("the actuals are for agreement %s, not %s" % (MFG, HQ), err)

    # --- schedule ---

    def test_schedule_json(self):
        rc, doc, err = run_json("agreement", "schedule", MANUFACTURING, "--through", "2027")
        self.assertEqual((rc, err), (0, ""))
        years = agreement_years(doc)
        self.assertEqual(sorted(years), sorted(MFG_PLAN))
        for year, terms in MFG_PLAN.items():
            for term, due in terms.items():
                with self.subTest(year=year, term=term):
                    self.assertEqual(paid(item_of(years[year], MFG + "/" + term)), D(due))
            self.assertFalse([i for i in years[year]["items"] if "/" not in i["program"]
                              and i["program"] != MFG])   # no general program
        self.assertEqual(D(doc["totals"]["due"]), D(MFG_PLAN_TOTAL))

    def test_schedule_text(self):
        rc, out, err = run("agreement", "schedule", MANUFACTURING, "--through", "2027", "--lang", "en")
        self.assertEqual((rc, err), (0, ""))
        header, rows, totals, lines, spans = table(
            out, "Payment plan if every condition is met on time (amounts in yuan)")
        self.assertEqual(header, ["Year", "Equipment investment reward", "Construction reward",
                                  "Land-price concession", "Year total", "Cumulative"])
        cumulative = D(0)
        for row, (year, terms) in zip(rows, MFG_PLAN.items()):
            year_total = sum(D(v) for v in terms.values())
            cumulative += year_total
            self.assertEqual(row, [str(year)] + ["{:,.2f}".format(D(terms[t])) if D(terms[t]) else "-"
                                                 for t in ("equipment", "construction", "land")]
                             + ["{:,.2f}".format(year_total), "{:,.2f}".format(cumulative)])
        self.assertEqual(totals[0][0], "Total")
        self.assertEqual(totals[0][-2], "{:,.2f}".format(D(MFG_PLAN_TOTAL)))
        rc, zh, err = run("agreement", "schedule", MANUFACTURING, "--through", "2027")
        self.assertEqual(rc, 0, err)
        self.assertIn("付款计划", zh)
        self.assertIn("设备投资奖励", zh)

    # --- usage ---

    def test_usage_errors(self):
        self.assertUsageError("agreement")
        self.assertUsageError("agreement", "frobnicate")
        self.assertUsageError("agreement", "check")
        self.assertUsageError("agreement", "check", MANUFACTURING, HEADQUARTERS)
        self.assertUsageError("agreement", "check", MANUFACTURING, "--lang", "fr")
        self.assertUsageError("agreement", "check", MANUFACTURING, "--actuals", MANUFACTURING_ACTUALS)
        err = self.assertUsageError("agreement", "evaluate", MANUFACTURING)
        self.assertIn("--actuals is required", err)
        for bad in ("1999", "2101", "twenty", "2023.0"):
            self.assertUsageError("agreement", "evaluate", MANUFACTURING, "--actuals",
                                  MANUFACTURING_ACTUALS, "--through", bad)
        err = self.assertUsageError("agreement", "evaluate", MANUFACTURING, "--actuals",
                                    MANUFACTURING_ACTUALS, "--through", "2022")
        self.assertIn("2023–2033", err)
        self.assertUsageError("agreement", "evaluate", "-", "--actuals", "-")
        self.assertUsageError("agreement", "schedule", MANUFACTURING, "--explain")
        rc, doc, err = run_json("agreement", "evaluate", MANUFACTURING)
        self.assertEqual(rc, 2)
        self.assertErrorEnvelope(doc, "FISC_CLI_USAGE")

    def test_help(self):
        for sub in ("check", "evaluate", "schedule"):
            with self.subTest(sub=sub):
                rc, out, err = run("agreement", sub, "--help")
                self.assertEqual((rc, err), (0, ""))
                self.assertTrue(out.startswith("Usage: fisc agreement " + sub), out)
                self.assertIn("Exit status", out)
        rc, out, err = run("agreement", "check", "--help")
        self.assertIn("1 findings of\nseverity error", out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
