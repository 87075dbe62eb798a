#!/usr/bin/env python3
"""Tests of `fisc whatif` (examples/cmd_whatif.c, examples/cli_batch.c).

Run: FISC_CLI=build/examples/fisc FISC_POLICY_DIR=policies python3 tests/cli/test_whatif.py

Standard library only; no binary float anywhere: amounts are compared as text and added with
Decimal. The facts that make yulin.platform_subsidy pay are those of tests/cli/test_batch.py's
overlay test. In the bundled policy the 玉政办规〔2017〕5号 amounts are placeholders (100万 for a
national key laboratory, 20万 for a city engineering centre, provisional); the example overlay
(examples/data/yulin-amounts.overlay.yaml) sets 80万 and 10万, and the test's own overlay is the
same file with the national key laboratory raised to 150万, so one platform gains and one loses.
"""
import csv
import io
import json
import os
import pty
import re
import subprocess
import tempfile
import unittest
from decimal import Decimal
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CLI = os.environ.get("FISC_CLI")
POLICY_DIR = os.environ.get("FISC_POLICY_DIR") or os.path.join(ROOT, "policies")
OVERLAY = os.path.join(ROOT, "examples", "data", "yulin-amounts.overlay.yaml")
BOM = b"\xef\xbb\xbf"
PS = "yulin.platform_subsidy"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}

HEADER = ["id", "platform_type", "platform_level", "platform_recognition_date",
          "platform_in_cultivation_pool", "statistics_in_yulin", "registered_in_yulin",
          "tax_registered_in_yulin", "employees_average"]
COMMON = ["2023-05-01", "true", "true", "true", "true"]
# Raised overlay (150万 for a national key laboratory, 10万 for a city engineering centre):
#   A1 key_laboratory national, 50 employees (band 20-99): 1000000.00 -> 1500000.00, +500000.00
#   A2 engineering_center city, 350 employees (ge300):     200000.00 ->  100000.00, -100000.00
#   A3 no platform, 10 employees (lt20): no subsidy either way, unchanged
#   A4 key_laboratory national, employees not given (unknown): +500000.00
#   A5 an unknown platform type: a bad row (row 6)
ROWS = [
    ["A1", "key_laboratory", "national"] + COMMON + ["50"],
    ["A2", "engineering_center", "city"] + COMMON + ["350"],
    ["A3", "", "", "", "", "", "", "", "10"],
    ["A4", "key_laboratory", "national"] + COMMON + [""],
    ["A5", "spaceship", "city"] + COMMON + ["5"],
]
# Three more enterprises with corporate income tax facts and no platform (as in test_batch.py):
#   C1 2800000 x 5% = 140000.00, C2 1000000 x 5% = 50000.00 (小型微利), C3 10000000 x 25% =
#   2500000.00 (not small): cn.cit's tax payable 2690000.00, the same under both policies.
CIT_HEADER = HEADER + ["taxable_income", "assets_average", "industry_restricted"]
CIT_ROWS = [r + ["", "", ""] for r in ROWS] + [
    ["C1", "", "", "", "", "", "", "", "100", "2800000", "10000000", "false"],
    ["C2", "", "", "", "", "", "", "", "50", "1000000", "5000000", "false"],
    ["C3", "", "", "", "", "", "", "", "500", "10000000", "60000000", "false"],
]
CATEGORIES = ["tax_payable", "tax_relief", "subsidy", "repayment"]


def setUpModule():
    if not CLI:
        raise unittest.SkipTest("set FISC_CLI to the fisc executable, e.g. build/examples/fisc")
    if not os.access(CLI, os.X_OK):
        raise unittest.SkipTest("FISC_CLI=%s is not an executable" % CLI)


def run(*args):
    env = dict(os.environ)
    env.setdefault("FISC_POLICY_DIR", POLICY_DIR)
    p = subprocess.run([CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300,
                       env=env)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def csv_text(header, rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()


def read_diff(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data.startswith(BOM), data[:20]
    return list(csv.DictReader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def program(doc, pid):
    return [p for p in doc["programs"] if p["program"] == pid][0]


class Checker(HTMLParser):
    """Every non-void element closed in order; the tags and attributes the page holds."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.tags, self.attrs, self.text = [], [], set(), [], []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.extend(attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.extend(attrs)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes %s" % (tag, self.stack[-1:] or "nothing"))
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


class WhatifTestCase(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.tmp = self._tmp.name
        with open(OVERLAY, encoding="utf-8") as f:
            text = f.read()
        row = '{platform_type: key_laboratory, platform_level: national, value: "80"}'
        self.assertEqual(text.count(row), 1)
        self.raise_overlay = self.write("raise.overlay.yaml", text.replace(row, row.replace('"80"', '"150"')))
        self.input = self.write("p.csv", csv_text(HEADER, ROWS))

    def tearDown(self):
        self._tmp.cleanup()

    def write(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        return path

    def whatif(self, *extra, overlay=None, path=None):
        return run("whatif", path or self.input, "--year", "2023", "--overlay",
                   overlay or self.raise_overlay, *extra)


class Totals(WhatifTestCase):
    def test_json_totals_counts_and_bands(self):
        rc, out, err = self.whatif("--json")
        self.assertEqual(rc, 3, err)  # one bad row
        doc = json.loads(out, parse_float=Decimal)
        self.assertEqual(doc["schema"], "fisc-whatif/1")
        self.assertEqual((doc["rows"], doc["computed"], doc["bad"]), (5, 4, 1))
        self.assertEqual({b["band"]: b["rows"] for b in doc["bands"]},
                         {"lt20": 1, "20-99": 1, "100-299": 0, "ge300": 1, "unknown": 1})
        ps = program(doc, PS)
        self.assertEqual((ps["base"], ps["overlay"], ps["difference"]),
                         ("2200000.00", "3100000.00", "900000.00"))
        self.assertEqual((ps["gain"], ps["lose"], ps["unchanged"], ps["undetermined"]), (2, 1, 1, 0))
        self.assertEqual((ps["gains"], ps["losses"]), ("1000000.00", "100000.00"))
        # Reconciliation, exactly: base + gains - losses = overlay for a subsidy.
        self.assertEqual(Decimal(ps["base"]) + Decimal(ps["gains"]) - Decimal(ps["losses"]),
                         Decimal(ps["overlay"]))
        bands = ps["bands"]
        self.assertEqual((bands["20-99"]["gain"], bands["20-99"]["gains"]), (1, "500000.00"))
        self.assertEqual((bands["unknown"]["gain"], bands["unknown"]["gains"]), (1, "500000.00"))
        self.assertEqual((bands["ge300"]["lose"], bands["ge300"]["losses"]), (1, "100000.00"))
        self.assertEqual((bands["lt20"]["unchanged"], bands["lt20"]["gains"]), (1, "0.00"))
        self.assertEqual(bands["100-299"], {"gain": 0, "lose": 0, "unchanged": 0, "undetermined": 0,
                                            "gains": "0.00", "losses": "0.00"})
        # The base amounts are placeholders (provisional); the overlay's are confirmed.
        self.assertEqual((ps["provisional_rows_base"], ps["provisional_rows_overlay"]), (3, 0))
        # No taxable income: the corporate income tax is undetermined under both, unchanged.
        cit = program(doc, "cn.cit")
        self.assertEqual((cit["base"], cit["overlay"], cit["difference"]), ("0.00", "0.00", "0.00"))
        self.assertEqual((cit["gain"], cit["lose"], cit["undetermined"]), (0, 0, 4))
        # Both policies, with their hashes and layers; only the second has the overlay.
        self.assertRegex(doc["base"]["hash"], "^[0-9a-f]{64}$")
        self.assertRegex(doc["overlay"]["hash"], "^[0-9a-f]{64}$")
        self.assertNotEqual(doc["base"]["hash"], doc["overlay"]["hash"])
        self.assertFalse(any(l["overlay"] for l in doc["base"]["layers"]))
        self.assertEqual([l["path"] for l in doc["overlay"]["layers"] if l["overlay"]],
                         [self.raise_overlay])
        self.assertIn("p.csv: row 6: column 2 (platform_type)", err)

    def test_example_overlay_lowers(self):
        rc, out, err = self.whatif("--json", overlay=OVERLAY)
        self.assertEqual(rc, 3, err)
        ps = program(json.loads(out, parse_float=Decimal), PS)
        self.assertEqual((ps["base"], ps["overlay"], ps["difference"]),
                         ("2200000.00", "1700000.00", "-500000.00"))
        self.assertEqual((ps["gain"], ps["lose"], ps["unchanged"]), (0, 3, 1))
        self.assertEqual((ps["gains"], ps["losses"]), ("0.00", "500000.00"))

    def test_table_on_stdout(self):
        rc, out, err = self.whatif()
        self.assertEqual(rc, 3, err)
        self.assertIn("5 rows read, 4 computed, 1 bad", out)
        line = [l for l in out.splitlines() if l.startswith(PS + " *")][0]
        self.assertEqual(line.split()[2:],
                         ["2200000.00", "3100000.00", "900000.00", "2", "1", "1", "0",
                          "1000000.00", "100000.00"])
        bands = [l.split() for l in out.splitlines() if l.startswith(PS + "  ")]
        self.assertEqual(bands, [
            [PS, "lt20", "1", "0", "0", "1", "0", "0.00", "0.00"],
            [PS, "20-99", "1", "1", "0", "0", "0", "500000.00", "0.00"],
            [PS, "ge300", "1", "0", "1", "0", "0", "0.00", "100000.00"],
            [PS, "unknown", "1", "1", "0", "0", "0", "500000.00", "0.00"]])
        self.assertIn("row 6:", err)

    def test_encoding_is_said(self):
        # The same rows with a Chinese name column, in GBK and in UTF-8: the same figures; the
        # table says GBK/GB18030 only for that, the JSON names either.
        rows = [["甲公司%d" % i] + r for i, r in enumerate(ROWS)]
        text = csv_text(["企业名称"] + HEADER, rows)
        docs = []
        for name, data, encoding in (("g.csv", text.encode("gbk"), "GB18030"),
                                     ("u.csv", text.encode("utf-8"), "UTF-8")):
            path = self.write(name, data)
            rc, out, err = self.whatif(path=path)
            self.assertEqual(rc, 3, err)
            said = "5 rows read, 4 computed, 1 bad; the input was read as GBK/GB18030\n"
            (self.assertIn if encoding == "GB18030" else self.assertNotIn)(said, out)
            rc, out, err = self.whatif("--json", path=path)
            doc = json.loads(out, parse_float=Decimal)
            self.assertEqual(doc.pop("encoding"), encoding)
            doc.pop("source")
            docs.append(doc)
        self.assertEqual(docs[0], docs[1])


class Categories(WhatifTestCase):
    """Totals per category: every amount of each row's results in the category (as fisc batch)."""

    def test_json_subsidy_only(self):
        rc, out, err = self.whatif("--json")
        self.assertEqual(rc, 3, err)
        doc = json.loads(out, parse_float=Decimal)
        cats = doc["categories"]
        self.assertEqual(list(cats), CATEGORIES)
        self.assertEqual(cats["subsidy"], {"base": "2200000.00", "overlay": "3100000.00",
                                           "difference": "900000.00"})
        for k in ("tax_payable", "tax_relief", "repayment"):
            self.assertEqual(cats[k], {"base": "0.00", "overlay": "0.00", "difference": "0.00"})
        ps = program(doc, PS)
        self.assertEqual((cats["subsidy"]["base"], cats["subsidy"]["overlay"],
                          cats["subsidy"]["difference"]),
                         (ps["base"], ps["overlay"], ps["difference"]))

    def test_json_with_tax_payable(self):
        path = self.write("cit.csv", csv_text(CIT_HEADER, CIT_ROWS))
        rc, out, err = self.whatif("--json", path=path)
        self.assertEqual(rc, 3, err)
        doc = json.loads(out, parse_float=Decimal)
        cats = doc["categories"]
        self.assertEqual(cats["tax_payable"], {"base": "2690000.00", "overlay": "2690000.00",
                                               "difference": "0.00"})
        self.assertEqual(cats["subsidy"], {"base": "2200000.00", "overlay": "3100000.00",
                                           "difference": "900000.00"})
        # cn.cit's relief counts beside its tax: C1 700000 - 140000 (小型微利), C2 250000 - 50000,
        # C3 none (500 employees), under both policies.
        self.assertEqual(cats["tax_relief"], {"base": "760000.00", "overlay": "760000.00",
                                              "difference": "0.00"})
        cit, ps = program(doc, "cn.cit"), program(doc, PS)
        self.assertEqual((cit["base"], cit["overlay"]), ("2690000.00", "2690000.00"))
        self.assertEqual(Decimal(cats["tax_payable"]["base"]),
                         Decimal("140000.00") + Decimal("50000.00") + Decimal("2500000.00"))
        for side in ("base", "overlay", "difference"):
            self.assertEqual(cats["tax_payable"][side], cit[side])
            self.assertEqual(cats["subsidy"][side], ps[side])
        # The base side is what fisc batch adds up for the same rows and policy.
        summary = os.path.join(self.tmp, "summary.json")
        run("batch", path, "--year", "2023", "-o", os.path.join(self.tmp, "out.csv"),
            "--summary-json", summary)
        with open(summary, encoding="utf-8") as f:
            totals = json.load(f)["totals"]
        self.assertEqual({k: c["base"] for k, c in cats.items()}, totals)

    def test_table(self):
        path = self.write("cit.csv", csv_text(CIT_HEADER, CIT_ROWS))
        rc, out, err = self.whatif(path=path)
        self.assertEqual(rc, 3, err)
        lines = out.splitlines()
        at = lines.index("By category (every amount of each result in the category):")
        self.assertEqual(lines[at + 1].split(), ["Category", "Base", "Overlay", "Difference"])
        self.assertEqual([l.split() for l in lines[at + 3:at + 7]], [
            ["tax_payable", "2690000.00", "2690000.00", "0.00"],
            ["tax_relief", "760000.00", "760000.00", "0.00"],
            ["subsidy", "2200000.00", "3100000.00", "900000.00"],
            ["repayment", "0.00", "0.00", "0.00"]])

    def test_example_overlay_lowers(self):
        rc, out, err = self.whatif("--json", overlay=OVERLAY)
        self.assertEqual(rc, 3, err)
        cats = json.loads(out, parse_float=Decimal)["categories"]
        self.assertEqual(cats["subsidy"], {"base": "2200000.00", "overlay": "1700000.00",
                                           "difference": "-500000.00"})


class Progress(WhatifTestCase):
    def test_none_when_not_a_tty(self):
        rc, out, err = self.whatif("--json")
        self.assertEqual(rc, 3, err)
        self.assertNotIn("rows/s", err)
        self.assertNotIn("\r", err)

    def test_on_a_tty(self):
        # Standard error on a pseudo-terminal: the progress line of fisc batch, ended by a newline.
        master, slave = pty.openpty()
        env = dict(os.environ)
        env.setdefault("FISC_POLICY_DIR", POLICY_DIR)
        try:
            p = subprocess.Popen([CLI, "whatif", self.input, "--year", "2023", "--overlay",
                                  self.raise_overlay, "--json"], stdout=subprocess.PIPE,
                                 stderr=slave, env=env)
            os.close(slave)
            slave = None
            chunks = []
            while True:
                try:
                    data = os.read(master, 4096)
                except OSError:  # EIO: the terminal's last writer closed it
                    break
                if not data:
                    break
                chunks.append(data)
            out = p.stdout.read()
            p.stdout.close()
            self.assertEqual(p.wait(timeout=300), 3)
        finally:
            if slave is not None:
                os.close(slave)
            os.close(master)
        err = b"".join(chunks).decode("utf-8")
        self.assertRegex(err, r"\r\x1b\[Kfisc whatif: 5 rows, \d+ rows/s\r?\n")
        self.assertEqual(json.loads(out)["rows"], 5)  # standard output is still the summary


class DifferenceFile(WhatifTestCase):
    def test_csv(self):
        path = os.path.join(self.tmp, "diff.csv")
        rc, out, err = self.whatif("-o", path)
        self.assertEqual(rc, 3, err)
        rows = read_diff(path)
        keys = list(rows[0].keys())
        self.assertEqual(keys[:3], ["row", "key", "band"])
        self.assertEqual(keys[-1], "error")
        self.assertIn(PS + ".base", keys)
        self.assertEqual(keys[keys.index(PS + ".base"):keys.index(PS + ".base") + 3],
                         [PS + ".base", PS + ".overlay", PS + ".difference"])
        self.assertEqual([r["row"] for r in rows], ["2", "3", "4", "5", "6"])
        self.assertEqual([r["key"] for r in rows], ["A1", "A2", "A3", "A4", "A5"])
        self.assertEqual([r["band"] for r in rows], ["20-99", "ge300", "lt20", "unknown", ""])
        self.assertEqual([r[PS + ".base"] for r in rows],
                         ["1000000.00", "200000.00", "", "1000000.00", ""])
        self.assertEqual([r[PS + ".overlay"] for r in rows],
                         ["1500000.00", "100000.00", "", "1500000.00", ""])
        self.assertEqual([r[PS + ".difference"] for r in rows],
                         ["500000.00", "-100000.00", "0.00", "500000.00", ""])
        self.assertEqual([r["error"] for r in rows[:4]], [""] * 4)
        self.assertIn("spaceship", rows[4]["error"])
        self.assertEqual(rows[0]["cn.cit.difference"], "0.00")
        self.assertEqual(rows[0]["cn.cit.base"], "")

    def test_jsonl(self):
        path = os.path.join(self.tmp, "diff.jsonl")
        rc, out, err = self.whatif("-o", path)
        self.assertEqual(rc, 3, err)
        with open(path, encoding="utf-8") as f:
            docs = [json.loads(l, parse_float=Decimal) for l in f]
        self.assertEqual([d["row"] for d in docs], [2, 3, 4, 5, 6])
        self.assertEqual(docs[0]["programs"][PS], {"base": "1000000.00", "overlay": "1500000.00",
                                                   "difference": "500000.00"})
        self.assertEqual(docs[2]["programs"][PS], {"base": None, "overlay": None,
                                                   "difference": "0.00"})
        self.assertEqual(docs[1]["band"], "ge300")
        self.assertEqual(docs[3]["band"], "unknown")
        self.assertIsNone(docs[4]["band"])
        self.assertIsNone(docs[4]["programs"])
        self.assertIn("platform_type", docs[4]["error"])

    def test_jsonl_input_same_totals(self):
        lines = []
        for r in ROWS[:4]:
            d = {k: v for k, v in zip(HEADER, r) if v and k != "id"}
            for k in ("platform_in_cultivation_pool", "statistics_in_yulin", "registered_in_yulin",
                      "tax_registered_in_yulin"):
                if k in d:
                    d[k] = True
            if "employees_average" in d:
                d["employees_average"] = int(d["employees_average"])
            lines.append(json.dumps(d))
        path = self.write("p.jsonl", "\n".join(lines) + "\n")
        rc, out, err = self.whatif("--json", path=path)
        self.assertEqual(rc, 0, err)
        doc = json.loads(out, parse_float=Decimal)
        ps = program(doc, PS)
        self.assertEqual((ps["base"], ps["overlay"], ps["gain"], ps["lose"]),
                         ("2200000.00", "3100000.00", 2, 1))


def generated_rows(n):
    """n deterministic rows (integer arithmetic only), some bad."""
    types = ["key_laboratory", "engineering_center", "incubator", "maker_space", ""]
    levels = ["national", "regional", "city"]
    rows = []
    x = 4242
    for i in range(n):
        x = (x * 1103515245 + 12345) % (1 << 31)
        t = types[x % 5]
        lv = levels[(x >> 5) % 3]
        emp = "" if i % 11 == 3 else str((x >> 9) % 500)
        if i % 89 == 17:
            t = "spaceship"
        if t:
            rows.append(["G%05d" % i, t, lv] + COMMON + [emp])
        else:
            rows.append(["G%05d" % i, "", "", "", "", "", "", "", emp])
    return rows


class Parallel(WhatifTestCase):
    def test_jobs_identical(self):
        rows = generated_rows(9000)  # more than four blocks of 2048 rows
        path = self.write("g.csv", csv_text(HEADER, rows))
        outs = []
        for jobs in ("1", "2", "3"):
            diff = os.path.join(self.tmp, "d%s.csv" % jobs)
            page = os.path.join(self.tmp, "r%s.html" % jobs)
            rc, out, err = self.whatif("--jobs", jobs, "-o", diff, "--html", page, path=path)
            self.assertEqual(rc, 3, err)
            rc2, js, err2 = self.whatif("--jobs", jobs, "--json", path=path)
            self.assertEqual(rc2, 3, err2)
            with open(diff, "rb") as f, open(page, "rb") as g:
                outs.append((out, js, f.read(), g.read(), err))
        self.assertEqual(outs[0], outs[1])
        self.assertEqual(outs[0], outs[2])
        got = read_diff(os.path.join(self.tmp, "d1.csv"))
        self.assertEqual([r["key"] for r in got], ["G%05d" % i for i in range(9000)])
        doc = json.loads(outs[0][1], parse_float=Decimal)
        ps = program(doc, PS)
        good = [r for r in got if not r["error"]]
        self.assertEqual(doc["bad"], len([i for i in range(9000) if i % 89 == 17]))
        self.assertEqual(Decimal(ps["base"]),
                         sum((Decimal(r[PS + ".base"]) for r in good if r[PS + ".base"]), Decimal(0)))
        self.assertEqual(Decimal(ps["overlay"]),
                         sum((Decimal(r[PS + ".overlay"]) for r in good if r[PS + ".overlay"]),
                             Decimal(0)))
        diffs = [Decimal(r[PS + ".difference"]) for r in good]
        self.assertEqual(ps["gain"], sum(1 for d in diffs if d > 0))
        self.assertEqual(ps["lose"], sum(1 for d in diffs if d < 0))
        self.assertEqual(Decimal(ps["gains"]), sum((d for d in diffs if d > 0), Decimal(0)))
        self.assertEqual(Decimal(ps["losses"]), -sum((d for d in diffs if d < 0), Decimal(0)))


    def test_bad_byte_after_many_rows_with_threads(self):
        # Bad UTF-8 in row 10002 (the BOM says UTF-8), in a later block: that row is bad and
        # the others are evaluated and written in order, whatever --jobs is.
        rows = generated_rows(10000)
        text = csv_text(HEADER, rows)
        data = (BOM + text.encode("utf-8") + b"bad\xff,,,,,,,,5\r\n" +
                b"after,,,,,,,,5\r\n")
        path = self.write("u.csv", data)
        outs = []
        for jobs in ("1", "2", "3"):
            diff = os.path.join(self.tmp, "u%s.csv" % jobs)
            rc, out, err = self.whatif("--jobs", jobs, "-o", diff, path=path)
            self.assertEqual(rc, 3, err[-300:])
            self.assertIn("row 10002: column 1 (%s): invalid UTF-8 (byte 0xFF)" % HEADER[0], err)
            with open(diff, "rb") as f:
                outs.append((out, err, f.read()))
        self.assertEqual(outs[1], outs[0])
        self.assertEqual(outs[2], outs[0])
        got = read_diff(os.path.join(self.tmp, "u1.csv"))
        self.assertEqual([r["key"] for r in got],
                         ["G%05d" % i for i in range(10000)] + ["10002", "after"])

    @unittest.skipUnless(os.path.exists("/dev/full"), "no /dev/full")
    def test_output_that_cannot_be_written_with_threads(self):
        path = self.write("g.csv", csv_text(HEADER, generated_rows(20000)))
        for jobs in ("1", "2", "3"):
            rc, out, err = self.whatif("--jobs", jobs, "-o", "/dev/full", path=path)
            self.assertEqual(rc, 70, (jobs, err[-300:]))
            self.assertIn("/dev/full", err)
            self.assertIn("writing the differences failed", err)

    def test_program_with_two_parts_shows_its_change(self):
        # gx.zone_approval_subsidy: Guangxi's 1000万 and Yulin's part, 100万 (placeholder) -> 200万
        # (the example overlay): the program gains 100万, as the subsidy category does.
        path = self.write("z.csv", "id,zone_approval_level,zone_approval_date,employees_average\r\n"
                                   "Z1,national,2023-03-01,100\r\n")
        rc, out, err = self.whatif("--json", path=path, overlay=OVERLAY)
        self.assertEqual(rc, 0, err)
        doc = json.loads(out, parse_float=Decimal)
        zone = program(doc, "gx.zone_approval_subsidy")
        self.assertEqual((zone["base"], zone["overlay"], zone["difference"]),
                         ("11000000.00", "12000000.00", "1000000.00"))
        self.assertEqual((zone["gain"], zone["unchanged"]), (1, 0))
        self.assertEqual(doc["categories"]["subsidy"]["difference"], "1000000.00")
        # the page writes 大写 for money only: yulin.zone_assessment's points are informative
        page = os.path.join(self.tmp, "z.html")
        rc, out, err = self.whatif("--html", page, path=path, overlay=OVERLAY)
        self.assertEqual(rc, 0, err)
        with open(page, encoding="utf-8") as f:
            html = f.read()
        rows = dict(re.findall(r'<tr data-program="([^"]+)"(.*?)</tr>', html, re.S))
        self.assertIn("仅供参考", rows["yulin.zone_assessment"])
        self.assertNotIn("人民币", rows["yulin.zone_assessment"])
        self.assertIn("人民币壹仟贰佰万元整", rows["gx.zone_approval_subsidy"])


class Html(WhatifTestCase):
    def upper(self, amount):
        args = ("upper", amount, "--rmb") if not amount.startswith("-") else ("upper", "--rmb", "--", amount)
        rc, out, err = run(*args)
        self.assertEqual(rc, 0, err)
        return out.strip()

    def page(self, *extra):
        path = os.path.join(self.tmp, "r.html")
        rc, out, err = self.whatif("--html", path, *extra)
        self.assertEqual(rc, 3, err)
        with open(path, encoding="utf-8") as f:
            return f.read()

    def check_page(self, text):
        c = Checker()
        c.feed(text)
        c.close()
        self.assertEqual(c.errors, [])
        self.assertEqual(c.stack, [])
        self.assertTrue(text.startswith("<!DOCTYPE html>"))
        # Offline: nothing to load.
        self.assertFalse(c.tags & {"script", "link", "img", "iframe", "object", "embed"}, c.tags)
        for name, value in c.attrs:
            self.assertNotIn(name, ("src", "href"), (name, value))
        self.assertNotRegex(text, r"url\(|@import|https?://")
        return c

    def test_zh_page(self):
        text = self.page()
        self.check_page(text)
        row = re.search(r'<tr data-program="yulin\.platform_subsidy">.*?</tr>', text, re.S).group(0)
        for amount, money in (("2200000.00", "2,200,000.00"), ("3100000.00", "3,100,000.00"),
                              ("900000.00", "900,000.00")):
            self.assertIn(">%s<" % money, row)
            self.assertIn(self.upper(amount), row)
        self.assertIn("1,000,000.00", row)  # gains
        self.assertIn("100,000.00", row)    # losses
        self.assertIn('id="provisional-banner"', text)
        self.assertIn('class="prov"', row)
        # The distribution: bars for the platform subsidy only, integer lengths from 分.
        bars = re.findall(r'<rect class="(gain|loss)" x="\d+" y="\d+" width="(\d+)" height="16" '
                          r'fill="#[0-9a-f]+" data-fen="(\d+)"/>', text)
        self.assertEqual(len(bars), 8)  # 4 bands with rows x gain and loss
        full = int(re.search(r'data-full="(\d+)"', text).group(1))
        max_fen = max(int(f) for _, _, f in bars)
        self.assertEqual(max_fen, 50000000)
        for _, width, fen in bars:
            self.assertEqual(int(width), int(fen) * full // max_fen)
        # Both policies with their layers' hashes.
        rc, out, err = self.whatif("--json")
        doc = json.loads(out)
        self.assertIn('id="base-hash">%s<' % doc["base"]["hash"], text)
        self.assertIn('id="overlay-hash">%s<' % doc["overlay"]["hash"], text)
        for l in doc["overlay"]["layers"]:
            self.assertIn(l["sha256"], text)
        self.assertIn("<html lang=\"zh\">", text)

    def test_en_page(self):
        text = self.page("--lang", "en")
        self.check_page(text)
        self.assertIn("<html lang=\"en\">", text)
        self.assertIn("Gains and losses by size band", text)
        self.assertIn("3,100,000.00", text)
        self.assertIn("Totals by category", text)
        row = re.search(r'<tr data-category="subsidy">.*?</tr>', text, re.S).group(0)
        self.assertIn("<td>Subsidy</td>", row)

    def test_categories(self):
        path = self.write("cit.csv", csv_text(CIT_HEADER, CIT_ROWS))
        page = os.path.join(self.tmp, "c.html")
        rc, out, err = self.whatif("--html", page, path=path)
        self.assertEqual(rc, 3, err)
        with open(page, encoding="utf-8") as f:
            text = f.read()
        self.check_page(text)
        self.assertIn("<h3>按类别合计</h3>", text)
        table = re.search(r'<table id="categories">.*?</table>', text, re.S).group(0)
        self.assertEqual(re.findall(r'<tr data-category="([a-z_]+)"><td>([^<]+)</td>', table),
                         [("tax_payable", "应纳税额"), ("tax_relief", "减免税额"), ("subsidy", "补贴"),
                          ("repayment", "应退还")])
        want = {"tax_payable": ("2690000.00", "2690000.00", "0.00"),
                "subsidy": ("2200000.00", "3100000.00", "900000.00"),
                "tax_relief": ("760000.00", "760000.00", "0.00")}
        for cat, amounts in want.items():
            for side, amount in zip(("base", "overlay", "difference"), amounts):
                cell = re.search(r'<td class="num" id="category-%s-%s">([^<]+)</td>'
                                 r'<td class="upper">([^<]+)</td>' % (side, cat), table)
                self.assertIsNotNone(cell, (cat, side))
                self.assertEqual(cell.group(1).replace(",", ""), amount)
                self.assertEqual(cell.group(2), self.upper(amount))


class Usage(WhatifTestCase):
    def test_usage_errors(self):
        for args in (("whatif", self.input, "--year", "2023"),               # no overlay
                     ("whatif", self.input, "--overlay", OVERLAY),          # no period
                     ("whatif", self.input, "--year", "2023", "--overlay", OVERLAY, "--lang", "fr"),
                     ("whatif", self.input, "--year", "2023", "--overlay", OVERLAY, "-o", "-"),
                     ("whatif", self.input, "--year", "2023", "--overlay", OVERLAY, "--jobs", "-1")):
            rc, out, err = run(*args)
            self.assertEqual(rc, 2, (args, err))
            self.assertEqual(out, "")

    def test_help(self):
        rc, out, err = run("whatif", "--help")
        self.assertEqual(rc, 0)
        for word in ("employees_average", "lt20", "ge300", "unknown", "--html", "fisc-whatif/1",
                     "categories", "tax_payable", "progress line",
                     "Exit status"):
            self.assertIn(word, out)
        rc, out, err = run("--help")
        self.assertIn("whatif INPUT", out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
