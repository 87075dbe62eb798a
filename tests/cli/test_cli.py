#!/usr/bin/env python3
"""Tests of the `fisc` command-line tool (examples/fisc.c).

Run: FISC_CLI=build/examples/fisc python3 tests/cli/test_cli.py

Standard library only. JSON is read with json.loads(..., parse_float=Decimal) so that no amount
ever passes through a binary float; amounts are compared as Decimal or Fraction.
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest
from decimal import Decimal
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SAMPLE = os.path.join(ROOT, "examples", "data", "apportion-sample.csv")
CLI = os.environ.get("FISC_CLI")

COMMANDS = ("round", "upper", "apportion", "uscc")


def setUpModule():
    if not CLI:
        raise unittest.SkipTest("set FISC_CLI to the fisc executable, e.g. build/examples/fisc")
    if not os.access(CLI, os.X_OK):
        raise unittest.SkipTest("FISC_CLI=%s is not an executable" % CLI)


def run(*args, stdin=None):
    """Run fisc; return (exit status, stdout text, stderr text)."""
    p = subprocess.run([CLI, *args], input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def run_json(*args, stdin=None):
    """Run fisc with --json; stdout must be exactly one JSON document."""
    rc, out, err = run(*args, "--json", stdin=stdin)
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
                     "3   batch finished with some rows failed", "4   policy or configuration error",
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


if __name__ == "__main__":
    unittest.main(verbosity=2)
