#!/usr/bin/env python3
"""Tests of `fisc batch` (examples/cmd_batch.c, examples/cli_stream.c).

Run: FISC_CLI=build/examples/fisc FISC_POLICY_DIR=policies python3 tests/cli/test_batch.py

Standard library only; no binary float anywhere: amounts are compared as text and added with
Decimal. The expected amounts are worked by hand from the rules (财政部 税务总局公告2023年第6号 /
2023年第12号: a 小型微利企业's taxable income is counted at 25% and taxed at 20%, so 5% in 2023;
the standard rate is 25%, 企业所得税法 第四条), as in tests/test_cit.c and the README.
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

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CLI = os.environ.get("FISC_CLI")
POLICY_DIR = os.environ.get("FISC_POLICY_DIR") or os.path.join(ROOT, "policies")
OVERLAY = os.path.join(ROOT, "examples", "data", "yulin-amounts.overlay.yaml")
CIT_POLICY = ("--policy", os.path.join(POLICY_DIR, "10-national.yaml"),
              "--policy", os.path.join(POLICY_DIR, "11-national-rd.yaml"))
BOM = b"\xef\xbb\xbf"
# Bytes fisc batch reads at a time (CLI_STREAM_CHUNK, examples/cli_stream.c): the tests put
# characters, NULs and the first non-ASCII text at its edges.
CHUNK = 1 << 18
csv.field_size_limit(1 << 24)

# Three enterprises, tax year 2023:
#   A 小型微利: 2800000 × 5% = 140000.00 (relief 700000.00 - 140000.00 = 560000.00)
#   B 小型微利: 1000000 × 5% = 50000.00 (relief 250000.00 - 50000.00 = 200000.00)
#   C 500 employees, not small: 10000000 × 25% = 2500000.00, no relief (not_eligible)
HEADER = ["uscc", "taxable_income", "employees_average", "assets_average", "industry_restricted"]
ROWS = [
    ["91440300708461136T", "2800000", "100", "10000000", "false"],
    ["", "1000000", "50", "5000000", "false"],
    ["", "10000000", "500", "60000000", "false"],
]
ZH_HEADER = ["统一社会信用代码", "应纳税所得额", "从业人数季度平均值", "资产总额季度平均值",
             "从事国家限制或禁止行业"]


def setUpModule():
    if not CLI:
        raise unittest.SkipTest("set FISC_CLI to the fisc executable, e.g. build/examples/fisc")
    if not os.access(CLI, os.X_OK):
        raise unittest.SkipTest("FISC_CLI=%s is not an executable" % CLI)


def run(*args, stdin=None):
    """Run fisc; return (exit status, stdout bytes, stderr text)."""
    env = dict(os.environ)
    env.setdefault("FISC_POLICY_DIR", POLICY_DIR)
    p = subprocess.run([CLI, *args], input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=300, env=env)
    return p.returncode, p.stdout, p.stderr.decode("utf-8")


def csv_text(header, rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()


def read_output(data):
    """The output CSV (UTF-8 with a BOM) as a list of dicts."""
    assert data.startswith(BOM), data[:20]
    return list(csv.DictReader(io.StringIO(data[3:].decode("utf-8"), newline="")))


class BatchTestCase(unittest.TestCase):
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

    def batch(self, path, *extra, policy=CIT_POLICY, year="2023"):
        return run("batch", path, "--year", year, *policy, *extra)

    def assertKnownAmounts(self, rows, key_a="91440300708461136T"):
        self.assertEqual([r["row"] for r in rows], ["2", "3", "4"])
        self.assertEqual([r["key"] for r in rows], [key_a, "3", "4"])
        self.assertEqual([r["cn.cit.outcome"] for r in rows],
                         ["eligible", "eligible", "not_eligible"])
        self.assertEqual([r["cn.cit.amount"] for r in rows], ["140000.00", "50000.00", "2500000.00"])
        self.assertEqual([r["cn.cit.provisional"] for r in rows], ["no", "no", "no"])
        # No R&D facts: the super-deduction is undetermined (missing facts are not errors).
        self.assertEqual([r["cn.rd_deduction.outcome"] for r in rows], ["undetermined"] * 3)
        self.assertEqual([r["cn.rd_deduction.amount"] for r in rows], [""] * 3)
        self.assertEqual([r["error"] for r in rows], [""] * 3)


class KnownAmounts(BatchTestCase):
    def test_known_amounts_and_summary(self):
        path = self.write("a.csv", csv_text(HEADER, ROWS))
        summary = os.path.join(self.tmp, "s.json")
        rc, out, err = self.batch(path, "--summary-json", summary)
        self.assertEqual(rc, 0, err)
        rows = read_output(out)
        self.assertEqual(list(rows[0].keys()),
                         ["row", "key", "cn.rd_deduction.outcome", "cn.rd_deduction.amount",
                          "cn.rd_deduction.provisional", "cn.cit.outcome", "cn.cit.amount",
                          "cn.cit.provisional", "error"])
        self.assertKnownAmounts(rows)
        self.assertIn("3 rows read, 3 computed, 0 bad", err)
        self.assertIn("cn.cit: eligible 2, not eligible 1, undetermined 0, total 2690000.00", err)
        # Category totals as fisc estimate's (docs/result-schema.md): items not undetermined.
        self.assertIn("tax payable 2690000.00, tax relief 760000.00, subsidy 0.00", err)
        with open(summary, encoding="utf-8") as f:
            doc = json.loads(f.read(), parse_float=Decimal)
        self.assertEqual((doc["rows"], doc["computed"], doc["bad"]), (3, 3, 0))
        cit = [p for p in doc["programs"] if p["program"] == "cn.cit"][0]
        self.assertEqual((cit["eligible"], cit["not_eligible"], cit["undetermined"]), (2, 1, 0))
        self.assertEqual(cit["total"], "2690000.00")
        self.assertEqual(doc["totals"], {"tax_payable": "2690000.00", "tax_relief": "760000.00",
                                         "subsidy": "0.00", "repayment": "0.00"})

    def test_zh_and_en_label_headers(self):
        rc, out, err = self.batch(self.write("zh.csv", csv_text(ZH_HEADER, ROWS)))
        self.assertEqual(rc, 0, err)
        self.assertKnownAmounts(read_output(out))
        en = ["uscc", "Taxable income", "employees_average", "assets_average", "industry_restricted"]
        rc, out2, err = self.batch(self.write("en.csv", csv_text(en, ROWS)))
        self.assertEqual(rc, 0, err)
        self.assertEqual(out2, out)

    def test_bom_or_not_same_output(self):
        text = csv_text(HEADER, ROWS)
        rc1, out1, err1 = self.batch(self.write("plain.csv", text))
        rc2, out2, err2 = self.batch(self.write("bom.csv", BOM + text.encode("utf-8")))
        self.assertEqual((rc1, rc2), (0, 0), err1 + err2)
        self.assertEqual(out1, out2)

    def test_gb18030_input(self):
        header = ["企业名称"] + ZH_HEADER[1:]
        rows = [["玉林市甲科技有限公司"] + ROWS[0][1:], ["乙公司，南宁"] + ROWS[1][1:],
                ["丙"] + ROWS[2][1:]]
        data = csv_text(header, rows).encode("gb18030")
        with self.assertRaises(UnicodeDecodeError):
            data.decode("utf-8")
        summary = os.path.join(self.tmp, "s.json")
        rc, out, err = self.batch(self.write("gbk.csv", data), "--key", "企业名称",
                                  "--summary-json", summary)
        self.assertEqual(rc, 0, err)
        got = read_output(out)
        self.assertEqual([r["key"] for r in got], ["玉林市甲科技有限公司", "乙公司，南宁", "丙"])
        self.assertEqual([r["cn.cit.amount"] for r in got], ["140000.00", "50000.00", "2500000.00"])
        # the encoding chosen is said: on standard error only for GB18030, in the JSON always
        self.assertIn("3 rows read, 3 computed, 0 bad; the input was read as GBK/GB18030\n", err)
        with open(summary, encoding="utf-8") as f:
            self.assertEqual(json.load(f)["encoding"], "GB18030")
        for name, data, encoding in (("u.csv", csv_text(header, rows).encode("utf-8"), "UTF-8"),
                                     ("b.csv", BOM + csv_text(header, rows).encode("utf-8"),
                                      "UTF-8 with BOM"),
                                     ("a.csv", csv_text(HEADER, ROWS).encode("utf-8"), "ASCII")):
            rc, out, err = self.batch(self.write(name, data), "--summary-json", summary)
            self.assertEqual(rc, 0, err)
            self.assertNotIn("GB18030", err)
            with open(summary, encoding="utf-8") as f:
                self.assertEqual(json.load(f)["encoding"], encoding)

    def test_stdin_and_default_key(self):
        header = ["id"] + HEADER[1:]
        rows = [["e-%d" % i] + r[1:] for i, r in enumerate(ROWS)]
        rc, out, err = run("batch", "-", "--year", "2023", *CIT_POLICY,
                           stdin=csv_text(header, rows).encode("utf-8"))
        self.assertEqual(rc, 0, err)
        self.assertEqual([r["key"] for r in read_output(out)], ["e-0", "e-1", "e-2"])
        self.assertNotIn("warning", err)  # the key column is not a fact, and that is fine

    def test_unknown_column_warns(self):
        rc, out, err = self.batch(self.write("x.csv", csv_text(HEADER + ["colour"],
                                                               [r + ["red"] for r in ROWS])))
        self.assertEqual(rc, 0, err)
        self.assertIn("column 6 (colour) is not a fact; ignored", err)
        self.assertKnownAmounts(read_output(out))


class BadRows(BatchTestCase):
    def test_summary_of_an_input_that_stops_says_so(self):
        text = (",".join(HEADER) + "\n" + ",".join(ROWS[0]) + "\n" + ",".join(ROWS[1]) + "\n"
                'a9,"1000000,50\n')
        summary = os.path.join(self.tmp, "s.json")
        rc, out, err = self.batch(self.write("t.csv", text), "--summary-json", summary)
        self.assertEqual(rc, 1, err)
        self.assertIn("2 rows read, 2 computed, 0 bad (INCOMPLETE", err)
        with open(summary, "rb") as f:
            doc = json.loads(f.read(), parse_float=Decimal)
        self.assertIs(doc["complete"], False)
        self.assertIn("row 4", doc["stopped"])
        self.assertIn("quoted field is not closed", doc["stopped"])
        self.assertEqual((doc["rows"], doc["computed"]), (2, 2))
        # the same rows, whole: complete
        whole = self.write("w.csv", text.rsplit("a9", 1)[0])
        rc, out, err = self.batch(whole, "--summary-json", summary)
        self.assertEqual(rc, 0, err)
        self.assertNotIn("INCOMPLETE", err)
        with open(summary, "rb") as f:
            doc = json.loads(f.read(), parse_float=Decimal)
        self.assertEqual((doc["complete"], doc["stopped"], doc["rows"]), (True, None, 2))

    def test_bad_rows_reported_and_kept(self):
        header = HEADER + ["platform_type"]
        rows = [ROWS[0] + [""],
                ["", "12x4", "50", "5000000", "false", ""],        # unparsable number
                ["", "1000000", "50", "5000000", "false", "spaceship"],  # unknown enumeration
                ["", "1000000", "50", "5000000", "false", ""],
                ["", "1000000", "50", "5000000", "perhaps", ""]]  # not a boolean
        rc, out, err = self.batch(self.write("bad.csv", csv_text(header, rows)))
        self.assertEqual(rc, 3, err)
        got = read_output(out)
        self.assertEqual([r["row"] for r in got], ["2", "3", "4", "5", "6"])
        self.assertEqual([r["cn.cit.amount"] for r in got], ["140000.00", "", "", "50000.00", ""])
        self.assertEqual([r["cn.cit.outcome"] for r in got],
                         ["eligible", "", "", "eligible", ""])
        self.assertEqual(got[0]["error"], "")
        self.assertIn("taxable_income", got[1]["error"])
        self.assertIn("12x4", got[1]["error"])
        self.assertIn("platform_type", got[2]["error"])
        self.assertIn("spaceship", got[2]["error"])
        self.assertIn("industry_restricted", got[4]["error"])
        lines = [l for l in err.splitlines() if ": row " in l]
        self.assertEqual(len(lines), 3, err)
        self.assertIn("bad.csv: row 3: column 2 (taxable_income)", lines[0])
        self.assertIn("row 4: column 6 (platform_type)", lines[1])
        self.assertIn("row 6: column 5 (industry_restricted)", lines[2])
        self.assertIn("5 rows read, 2 computed, 3 bad", err)
        self.assertIn("cn.cit: eligible 2, not eligible 0, undetermined 0, total 190000.00", err)

    def test_malformed_record_is_a_bad_row(self):
        text = csv_text(HEADER, ROWS[:1]) + 'x"y,1000000,50,5000000,false\r\n' \
            + ",1000000,50,5000000,false,extra\r\n" + csv_text(HEADER, ROWS[1:2]).split("\r\n", 1)[1]
        rc, out, err = self.batch(self.write("m.csv", text))
        self.assertEqual(rc, 3, err)
        got = read_output(out)
        self.assertEqual([r["row"] for r in got], ["2", "3", "4", "5"])
        self.assertIn("quote inside an unquoted field", got[1]["error"])
        self.assertIn("6 fields, the header 5", got[2]["error"])
        self.assertEqual(got[3]["cn.cit.amount"], "50000.00")

    def test_quoted_line_break_is_one_row(self):
        header = ["enterprise_name"] + HEADER[1:]
        rows = [["甲\n第二行"] + ROWS[0][1:], ["乙"] + ["1x"] + ROWS[1][2:], ["丙"] + ROWS[2][1:]]
        rc, out, err = self.batch(self.write("q.csv", csv_text(header, rows)))
        self.assertEqual(rc, 3, err)
        self.assertIn("q.csv: row 3: ", err)  # Excel's numbering: the two-line record is row 2
        got = read_output(out)
        self.assertEqual([r["row"] for r in got], ["2", "3", "4"])

    def test_unclosed_quote_stops_with_row(self):
        text = csv_text(HEADER, ROWS) + '"open,1,2,3,false\r\n'
        rc, out, err = self.batch(self.write("u.csv", text))
        self.assertEqual(rc, 1, err)
        self.assertIn("row 5", err)
        self.assertIn("not closed", err)
        self.assertEqual(len(read_output(out)), 3)  # the rows before it are written

    def test_usage_errors(self):
        path = self.write("a.csv", csv_text(HEADER, ROWS))
        for args in (("batch", path), ("batch", path, "--year", "2023", "--key", "nope"),
                     ("batch", path, "--year", "2023", "--format", "jsonl", "--encoding", "gb18030"),
                     ("batch", path, "--year", "2023", "--jobs", "-1"),
                     ("batch", "--year", "2023")):
            rc, out, err = run(*args)
            self.assertEqual(rc, 2, (args, err))
            self.assertEqual(out, b"")

    def test_help(self):
        rc, out, err = run("batch", "--help")
        self.assertEqual(rc, 0)
        text = out.decode("utf-8")
        for word in ("--jobs", "main amount", "first of its amounts", "--summary-json", "Exit status"):
            self.assertIn(word, text)
        rc, out, err = run("--help")
        self.assertIn("batch INPUT", out.decode("utf-8"))


def generated_rows(n):
    """n deterministic rows (integer arithmetic only), some of them bad."""
    rows = []
    x = 12345
    for i in range(n):
        x = (x * 1103515245 + 12345) % (1 << 31)
        income = x % 400000000  # 分
        employees = 1 + (x >> 8) % 400
        assets = 100000000 + (x >> 4) % 6000000000
        t = "%d.%02d" % divmod(income, 100)
        if i % 97 == 13:
            t = t.replace(".", ",")  # quoted by csv, then unparsable
        rows.append(["G%05d" % i, t, str(employees), "%d.%02d" % divmod(assets, 100),
                     "true" if i % 50 == 7 else "false"])
    return rows


class Parallel(BatchTestCase):
    def test_jobs_give_identical_output(self):
        rows = generated_rows(2000)
        path = self.write("g.csv", csv_text(["id"] + HEADER[1:], rows))
        outs = []
        for jobs in ("1", "2", "3", "0"):
            summary = os.path.join(self.tmp, "s%s.json" % jobs)
            rc, out, err = self.batch(path, "--jobs", jobs, "--summary-json", summary)
            self.assertEqual(rc, 3, err)  # some rows are bad on purpose
            with open(summary, "rb") as f:
                outs.append((out, f.read()))
        for o in outs[1:]:
            self.assertEqual(o[0], outs[0][0])
            self.assertEqual(o[1], outs[0][1])
        got = read_output(outs[0][0])
        self.assertEqual(len(got), 2000)
        self.assertEqual([r["key"] for r in got], ["G%05d" % i for i in range(2000)])
        # The summary's totals are the exact sums of the output's column.
        doc = json.loads(outs[0][1], parse_float=Decimal)
        total = sum((Decimal(r["cn.cit.amount"]) for r in got if r["cn.cit.amount"]), Decimal(0))
        cit = [p for p in doc["programs"] if p["program"] == "cn.cit"][0]
        self.assertEqual(Decimal(cit["total"]), total)
        self.assertEqual(doc["bad"], sum(1 for r in got if r["error"]))
        self.assertEqual(doc["bad"], len([i for i in range(2000) if i % 97 == 13]))

    def test_every_offset_across_a_chunk(self):
        """Shift a 4-byte GB18030 character and a 3-byte UTF-8 one over the first chunk's end,
        from wholly after it to wholly before it. With a first row of CJK text the encoding is
        decided in the first chunk, and the character is split between two chunks' decoding;
        without it, the character is the first non-ASCII text, and the decision waits for the
        next chunk (fewer than 256 bytes follow it in the first)."""
        chunk = CHUNK
        # 乙 is D2 D2 in GB18030: alone at the end of a chunk, D2 could begin a UTF-8 character.
        for enc, ch in (("gb18030", "\U0001F600"), ("gb18030", "林"), ("gb18030", "乙"),
                        ("utf-8", "林"), ("utf-8", "\U0001F600")):
            width = len(ch.encode(enc))
            for first in ([], ["林" * 150]):
                lead = csv_text(["enterprise_name"] + HEADER[1:], []).encode(enc)
                if first:
                    lead += csv_text([], [first + ROWS[1][1:]]).encode(enc)
                # the key's row: csv_text([], ...) writes an empty row first (a blank line,
                # skipped), then '"' (the key holds a comma): the key begins 3 bytes on
                at = len(lead) + 3
                for shift in range(width + 1):
                    key = "a" * (chunk - at - shift) + ch + "z"  # ch at chunk - shift
                    data = lead + csv_text([], [[key + ","] + ROWS[0][1:]]).encode(enc) \
                        + csv_text([], [["b"] + ROWS[1][1:]]).encode(enc)
                    self.assertEqual(data.index(ch.encode(enc), at), chunk - shift)
                    rc, out, err = self.batch(self.write("s.csv", data), "--key", "enterprise_name")
                    self.assertEqual(rc, 0, (enc, shift, err))
                    got = read_output(out)
                    self.assertEqual([r["key"] for r in got], first + [key + ",", "b"],
                                     (enc, len(first), shift))

    def test_nul_byte_in_a_full_gb18030_chunk(self):
        """A NUL after GBK text that fills most of the first chunk (its UTF-8 1.5 times as long):
        the bytes after the NUL went back behind the converted text, which had no room for them
        (heap overflow)."""
        for n in (CHUNK * 100000 // (1 << 20), CHUNK * 698000 // (1 << 20)):
            data = b"id,taxable_income\n" + "中".encode("gbk") * (n // 2) + b"\0" + b"x" * CHUNK
            rc, out, err = self.batch(self.write("nul.csv", data))
            self.assertEqual(rc, 1, (n, err[-300:]))
            self.assertIn("the input holds a NUL byte", err)


def csv_cell(text):
    """One CSV field as RFC 4180 writes it: quoted when it holds a comma, quote or line break."""
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


class Encodings(BatchTestCase):
    """A byte that is not valid in the encoding detected: its row is bad, the others are read."""

    def summary_encoding(self, path):
        summary = os.path.join(self.tmp, "enc.json")
        rc, out, err = self.batch(path, "--summary-json", summary)
        self.assertIn(rc, (0, 3), err[-300:])
        with open(summary, encoding="utf-8") as f:
            return json.load(f)["encoding"]

    def test_gb18030_that_grows_twice_as_utf8(self):
        # FE51 and five other 2-byte codes become 4-byte UTF-8 (glibc): a chunk of them is twice as
        # long decoded. After a first chunk of short GBK rows that ends inside a record, a chunk
        # of them overflowed the decoded text's buffer when bad bytes followed (ASan: a write
        # past its end), and stopped the input ("Argument list too long") when none did.
        chunk, z = CHUNK, CHUNK * 100000 // (1 << 20)
        head = "name,taxable_income\n".encode()
        head += "甲公司,1\n".encode("gbk") * ((chunk - z - len(head)) // 9)
        head += b"a" * (chunk - z - len(head)) + b"z" * z
        self.assertEqual(len(head), chunk)
        rows = (chunk - z - 20) // 9  # after the header's 20 bytes
        fe51 = chunk * 490000 // (1 << 20)  # then bad bytes to the chunk's end
        for tail, rc_want in ((b"\xfe\x51" * fe51 + b"\xff" * (chunk - 2 * fe51), 3),
                              (b"\xfe\x51" * (chunk // 2), 0)):
            data = head + tail + b",2800000\nlast,1000000\n"
            rc, out, err = self.batch(self.write("fe51.csv", data), "--key", "name", "--format",
                                      "jsonl")
            self.assertEqual(rc, rc_want, err[-300:])
            got = [json.loads(l) for l in out.decode("utf-8").splitlines()]
            self.assertEqual(len(got), rows + 2)
            self.assertEqual(got[-1]["key"], "last")
            big = got[-2]
            if rc_want:
                self.assertIn("column 1 (name): invalid GB18030 (byte 0xFF)", big["error"])
                self.assertEqual(big["key"], str(big["row"]))
            else:
                self.assertIsNone(big["error"])
                self.assertEqual(big["key"], head[rows * 9 + 20:].decode("ascii")
                                 + "\U00020087" * (chunk // 2))  # glibc: FE51 is U+20087

    def test_bad_byte_in_json_lines_names_its_column(self):
        data = ('{"enterprise_name":"企业","taxable_income":"2800000"}\n'.encode() +
                b'{"enterprise_name":"\xe9","taxable_income":"1"}\n' +
                b'{"taxable_income":"1000000","employees_average":"50",'
                b'"assets_average":"5000000","industry_restricted":false}\n')
        rc, out, err = run("batch", self.write("j.jsonl", data), "--year", "2023", *CIT_POLICY,
                           "--format", "jsonl")
        self.assertEqual(rc, 3, err)
        lines = [json.loads(l) for l in out.decode("utf-8").splitlines()]
        self.assertEqual([l["error"] is None for l in lines], [True, False, True])
        self.assertIn("column 21: invalid UTF-8 (byte 0xE9) in a file read as UTF-8",
                      lines[1]["error"])
        self.assertEqual(lines[2]["programs"]["cn.cit"]["amount"], "50000.00")

    def test_bad_byte_in_the_header_stops(self):
        rc, out, err = self.batch(self.write("h.csv", b"taxable_income,na\xffme\n2800000,x\n"))
        self.assertEqual(rc, 1, err)
        self.assertIn("row 1: invalid", err)

    def test_character_cut_at_the_end(self):
        # The last row ends inside a character: that row is bad, the others are read.
        for enc, cut, label in (("gbk", "中".encode("gbk")[:1], "GB18030"),
                                ("utf-8", "中".encode()[:2], "UTF-8")):
            data = ("name,taxable_income\n甲,2800000\n乙,1000000\n".encode(enc) + b"x" + cut)
            rc, out, err = self.batch(self.write("c.csv", data), "--key", "name")
            self.assertEqual(rc, 3, err)
            got = read_output(out)
            self.assertEqual([r["key"] for r in got], ["甲", "乙", "4"])
            self.assertIn("row 4: column 1 (name): invalid %s (byte 0x%02X)" % (label, cut[0]),
                          err)

    def test_little_non_ascii_at_a_chunk_end_waits(self):
        # After a chunk of ASCII, GBK 郑 (D6 A3, valid UTF-8 by chance) 10 bytes before its
        # end: judged on those bytes alone, the file was UTF-8 and every GBK row after it bad.
        # Fewer than 256 bytes of non-ASCII text wait for the next chunk, which shows GBK.
        head = b"name,taxable_income,note\n"
        pad = CHUNK - len(head) - 10 - 5  # "a,1," and the line end: 郑 at CHUNK - 10
        data = head + b"a," + b"1," + b"x" * pad + b"\n" + "郑,2800000,\n".encode("gbk") + \
            "伟芳,1000000,\n".encode("gbk") * 50
        rc, out, err = self.batch(self.write("w.csv", data), "--key", "name")
        self.assertEqual(rc, 0, err[-300:])
        self.assertIn("the input was read as GBK/GB18030", err)
        self.assertEqual([r["key"] for r in read_output(out)], ["a", "郑"] + ["伟芳"] * 50)

    def test_detection_agrees_with_python(self):
        # The Python binding's evaluate_file decides the encoding as fisc batch does: random
        # mixtures of UTF-8 and GBK text, stray bytes, cut characters and 4-byte codes that
        # map to nothing, small and around the end of the first chunk.
        if not os.environ.get("FISC_LIBRARY"):  # not set for a sanitizer build (tests/meson.build)
            self.skipTest("FISC_LIBRARY is not set: no Python binding to compare with")
        sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
        try:
            from fisc.policy import _CHUNK, _detect_encoding
        except Exception as exc:  # no library to load: nothing to compare with
            self.skipTest("the Python binding cannot be imported: %s" % exc)
        finally:
            sys.path.pop(0)
        self.assertEqual(_CHUNK, CHUNK)  # the chunk that decides the encoding, in C and Python
        import random
        rnd = random.Random(7)
        pieces = ["企业".encode(), "企业".encode("gbk"), "郑伟芳".encode("gbk"), b"\xe9", b"\xff",
                  b"\x80", b"\xd6", b"\xe4\xb8", b",", b"\n", b"a", b"1", "😀".encode(),
                  "😀".encode("gb18030"), b"\x84\x31\xa5\x30", b"\xfe\x39\xfe\x39", b"\x81\x30"]
        names = {"UTF-8": "utf-8-sig", "UTF-8 with BOM": "utf-8-sig", "ASCII": "utf-8-sig",
                 "GB18030": "gb18030"}
        for i in range(160):
            body = b"".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 40)))
            head = b"name,taxable_income\n"
            if i % 4 == 3:  # the first non-ASCII text in the last 6 bytes of the first chunk
                body = b"a" * (CHUNK - len(head) - 1 - rnd.randint(1, 6)) + b"\n" + body
            elif i % 8 == 1:  # 300 bytes of valid UTF-8 that end the first chunk, then the rest
                utf8 = "企业".encode() * 50
                body = b"a" * (CHUNK - len(head) - 1 - len(utf8)) + b"\n" + utf8 + body
            path = self.write("d.csv", head + body + b"\n")
            self.assertEqual(names[self.summary_encoding(path)], _detect_encoding(path), body[-60:])


class FastPaths(BatchTestCase):
    """The edges of the reader's fast paths (examples/cli_stream.c): fields split in place and
    found 16 or 8 bytes at a time, ASCII checked many bytes at a time, bytes decoded where they
    were read, blocks that hand their text over (the next block read while one is evaluated), and
    amounts written from a stack buffer. Each case is also what the general path does."""

    HEAD = ["enterprise_name", "note"] + HEADER[1:]

    def rows_text(self, rows, ends=("\r\n",)):
        lines = [",".join(csv_cell(c) for c in self.HEAD)]
        lines += [",".join(csv_cell(c) for c in r) for r in rows]
        return "".join(l + ends[i % len(ends)] for i, l in enumerate(lines))

    def test_fields_of_every_length_at_every_offset(self):
        # Unquoted and quoted notes of 0..40 bytes put every comma, quote and line end at every
        # offset of a 16- and an 8-byte window; the name after them is quoted one row in three.
        rows, names = [], []
        for n in range(41):
            for note in ("x" * n, "y" * n + ',"z"', 'q"' * (n // 2), "林" * (n // 3) + "a" * (n % 3)):
                name = "名%d,%s" % (n, "k" * (n % 5)) if n % 3 == 0 else "n%d" % n
                rows.append([name, note] + ROWS[1][1:])
                names.append(name)
        for ends in (("\r\n",), ("\n",), ("\r",), ("\r\n", "\n", "\r")):
            path = self.write("w.csv", self.rows_text(rows, ends))
            rc, out, err = self.batch(path, "--key", "enterprise_name")
            self.assertEqual(rc, 0, (ends, err))
            got = read_output(out)
            self.assertEqual([r["key"] for r in got], names, ends)
            self.assertEqual({r["cn.cit.amount"] for r in got}, {"50000.00"}, ends)
            self.assertEqual([r["row"] for r in got], [str(i + 2) for i in range(len(rows))])

    def test_bytes_below_a_quote_at_every_offset(self):
        # The fast split looks first for every byte up to '"' (0x22): a space, '!', a tab or a
        # control character is not special, and must be told apart from " LF CR in the same
        # window, before and after a comma or a line end, at every offset of a 32-byte window.
        rows, names = [], []
        for n in range(40):
            for c in (" ", "!", "\t", "\x01", "\x1f", "#"):
                name = "n%d%s%s" % (n, "k" * (n % 7), c * (1 + n % 3))
                note = c * (n % 33) + "x" + c
                rows.append([name, note] + ROWS[n % 2][1:])
                names.append(name)
        for ends in (("\r\n",), ("\n",), ("\r",)):
            path = self.write("b.csv", self.rows_text(rows, ends))
            rc, out, err = self.batch(path, "--key", "enterprise_name")
            self.assertEqual(rc, 0, (ends, err[-300:]))
            got = read_output(out)
            self.assertEqual([r["key"] for r in got], names, ends)
            self.assertEqual([r["cn.cit.amount"] for r in got],
                             [["140000.00", "50000.00"][i // 6 % 2] for i in range(len(rows))])
            self.assertEqual([r["row"] for r in got], [str(i + 2) for i in range(len(rows))])

    def test_stray_quotes_at_every_offset(self):
        text = self.rows_text([])
        for k in range(1, 41):
            text += "a" * k + '"b,1000000,50,5000000,false\r\n'       # a quote in an unquoted field
            text += '"c"' + "d" * k + ",1000000,50,5000000,false\r\n"  # text after a closing quote
            text += ",".join(["ok%d" % k, "e" * k] + ROWS[1][1:]) + "\r\n"
        rc, out, err = self.batch(self.write("q.csv", text), "--key", "enterprise_name")
        self.assertEqual(rc, 3, err)
        got = read_output(out)
        self.assertEqual(len(got), 120)
        for k in range(1, 41):
            bad1, bad2, good = got[3 * k - 3:3 * k]
            self.assertIn("quote inside an unquoted field", bad1["error"])
            self.assertEqual(bad1["key"], "a" * k + '"b')
            self.assertIn("after a closing quote", bad2["error"])
            self.assertEqual(bad2["key"], "c" + "d" * k)
            self.assertEqual((good["key"], good["cn.cit.amount"], good["error"]),
                             ("ok%d" % k, "50000.00", ""))

    def test_utf8_checked_at_every_offset(self):
        # Valid characters of 2, 3 and 4 bytes after 0..23 ASCII bytes decode as they are.
        rows = [["a" * k + ch] + ["n"] + ROWS[1][1:] for k in range(24) for ch in ("é", "林", "😀")]
        text = self.rows_text(rows)
        rc, out, err = self.batch(self.write("u.csv", BOM + text.encode("utf-8")),
                                  "--key", "enterprise_name")
        self.assertEqual(rc, 0, err)
        self.assertEqual([r["key"] for r in read_output(out)], [r[0] for r in rows])
        # A bad byte after 0..23 ASCII bytes of row 4, in a file read as UTF-8 (its BOM): row 4
        # is bad, naming its column and the byte, and keyed by its number (its key is not
        # text); the rows before and after it are computed.
        for k in range(24):
            for bad in (b"\xff", b"\xe6\x9e", b"\xc0\xaf", b"\xed\xa0\x80"):
                data = BOM + self.rows_text(rows[:2]).encode("utf-8") \
                    + b"a" * k + bad + b"z,n,1,1,1,false\r\n" \
                    + (",".join(rows[2]) + "\r\n").encode("utf-8")
                rc, out, err = self.batch(self.write("b.csv", data), "--key", "enterprise_name")
                self.assertEqual(rc, 3, (k, bad, err))
                self.assertIn("row 4: column 1 (enterprise_name): invalid UTF-8 (byte 0x%02X) in "
                              "a file read as UTF-8" % bad[0], err)
                got = read_output(out)
                self.assertEqual([(r["row"], r["key"]) for r in got],
                                 [("2", rows[0][0]), ("3", rows[1][0]), ("4", "4"),
                                  ("5", rows[2][0])], (k, bad))
                self.assertEqual([bool(r["error"]) for r in got], [False, False, True, False])
                self.assertEqual(got[3]["cn.cit.amount"], got[0]["cn.cit.amount"])

    def test_many_blocks_and_chunks(self):
        # 9000 rows of about 150 bytes: more than four blocks of 2048 rows and over a chunk, with
        # quoted names (doubled quotes, line breaks), blank lines and mixed line ends.
        rows = []
        for i in range(9000):
            name = "企业%05d" % i + ("，" * (i % 7)) + ('"q"' if i % 11 == 0 else "") \
                + ("\n第二行" if i % 97 == 0 else "") + "x" * (i % 60)
            rows.append([name, "note %d" % i] + ROWS[i % 2][1:])
        text = self.rows_text(rows, ("\r\n", "\n", "\r\n", "\r\n\r\n", "\n"))
        path = self.write("m.csv", text)
        outs = []
        for jobs in ("1", "3"):
            rc, out, err = self.batch(path, "--key", "enterprise_name", "--jobs", jobs)
            self.assertEqual(rc, 0, err)
            outs.append(out)
        self.assertEqual(outs[0], outs[1])
        got = read_output(outs[0])
        self.assertEqual([r["key"] for r in got], [r[0] for r in rows])
        self.assertEqual([r["cn.cit.amount"] for r in got], ["140000.00", "50000.00"] * 4500)
        # Excel's numbering: a blank line after every fifth record still counts as a row.
        expect, row = [], 2
        for i in range(9000):
            expect.append(str(row))
            row += 2 if i % 5 == 2 else 1
        self.assertEqual([r["row"] for r in got], expect)

    def test_record_length_limit(self):
        limit = 16 * 1024 * 1024  # CLI_STREAM_MAX_RECORD: the record's text and a NUL per field
        for size, ok in ((limit - 1, True), (limit, False)):
            data = b"enterprise_name,taxable_income\r\n" + b"x" * size + b",5\r\nb,2\r\n"
            rc, out, err = self.batch(self.write("l.csv", data), "--key", "enterprise_name",
                                      policy=CIT_POLICY[:2])
            if ok:
                self.assertEqual(rc, 0, err[:300])
                self.assertEqual(len(read_output(out)), 2)
            else:
                self.assertEqual(rc, 1, err[:300])
                self.assertIn("row 2 is longer than %d bytes" % limit, err)
        # Short fields count their NULs too, 2 bytes a field: the record is over the limit when
        # a field begins after the first limit / 2 + 1 (the last one ends the record unchecked).
        for n, ok in ((limit // 2 + 1, True), (limit // 2 + 2, False)):
            data = b"enterprise_name,taxable_income\r\n" + b",".join([b"1"] * n) + b"\r\n"
            rc, out, err = self.batch(self.write("n.csv", data), policy=CIT_POLICY[:2])
            if ok:
                self.assertEqual(rc, 3, err[:300])  # a row with too many fields, but read
                self.assertIn("row 2: the row has %d fields, the header 2" % n, err)
            else:
                self.assertEqual(rc, 1, err[:300])
                self.assertIn("row 2 is longer than %d bytes" % limit, err)

    def test_json_lines_across_blocks_and_chunks(self):
        # 20000 lines (over a chunk, ten blocks), blank lines and CRLF among them.
        lines, keys, amounts = [], [], []
        for i in range(20000):
            if i % 1000 == 999:
                lines.append("  \r")
                continue
            key = "J%05d" % i
            lines.append('{"enterprise_name":"%s","taxable_income":"%s","employees_average":50,'
                         '"assets_average":"5000000","industry_restricted":false}%s'
                         % (key, ROWS[i % 2][1], "\r" if i % 3 == 0 else ""))
            keys.append(key)
            amounts.append(["140000.00", "50000.00"][i % 2])
        path = self.write("many.jsonl", "\n".join(lines) + "\n")
        outs = []
        for jobs in ("1", "2"):
            rc, out, err = self.batch(path, "--jobs", jobs, "--key", "enterprise_name")
            self.assertEqual(rc, 0, err[-500:])
            outs.append(out)
        self.assertEqual(outs[0], outs[1])
        got = read_output(outs[0])
        self.assertEqual([r["key"] for r in got], keys)
        self.assertEqual([r["row"] for r in got],
                         [str(i + 1) for i in range(20000) if i % 1000 != 999])
        self.assertEqual([r["cn.cit.amount"] for r in got], amounts)

    def test_amounts_get_two_decimals(self):
        # 25% (500 employees, not small): shortest exact texts with 0, 1 and 2 decimals, up to 39
        # integer digits, padded to two decimals in the rows and in the totals.
        incomes = ["0", "0.4", "0.04", "1", "12.5", "1" + "0" * 37, "9" * 39]
        path = self.write("a.csv", csv_text(HEADER, [["", v, "500", "60000000", "false"]
                                                     for v in incomes]))
        rc, out, err = self.batch(path)
        self.assertEqual(rc, 0, err)
        want = ["0.00", "0.10", "0.01", "0.25", "3.13", "25" + "0" * 35 + ".00",
                "24" + "9" * 37 + ".75"]
        self.assertEqual([r["cn.cit.amount"] for r in read_output(out)], want)
        # In integer 分 (Decimal's default context keeps 28 digits): 25% of the income, the total.
        self.assertEqual(int(want[-1].replace(".", "")), int("9" * 39) * 25)
        total = sum(int(v.replace(".", "")) for v in want)
        self.assertIn("cn.cit: eligible 0, not eligible 7, undetermined 0, total %d.%02d"
                      % divmod(total, 100), err)


class RecordFastPath(BatchTestCase):
    """The reader's path for whole records (examples/cli_stream.c csv_fast_records): records of
    unquoted fields split a window of 32 (SSE2) or 8 bytes at a time, line ends found in the same
    windows, a record with a quote put back for the general path, blocks that end with the text
    read; and the writer's: amounts formatted into room kept in the output, row numbers counted
    on from the last row's. Each case is also what the general path does."""

    HEAD = ["enterprise_name", "note"] + HEADER[1:]

    def test_quote_after_unquoted_fields_at_every_offset(self):
        # A quoted field after 1 or 5 unquoted ones (the record is split up to the quote, then put
        # back), a quoted last field, a stray quote late in a record (a bad row), each followed by
        # a record the fast path takes; the quoted fields hold commas, quotes and line breaks.
        lines, keys, bad = [",".join(self.HEAD)], [], []
        for k in range(70):
            name = "n%d%s" % (k, "x" * k)
            tail = ",".join(ROWS[1][1:])
            lines.append('%s,"a,""b""\r\nc%s",%s' % (name, "y" * (k % 33), tail))
            lines.append('%s2,%s,%s,%s,%s,"%s"' % (name, "z" * k, *ROWS[1][1:4], ROWS[1][4]))
            lines.append('%s3,%s,%s,%s,%s,%sq"f' % (name, "w" * (k % 7), *ROWS[1][1:4], "x" * k))
            lines.append("%s4,%s,%s" % (name, "v" * k, tail))
            keys += [name, name + "2", name + "3", name + "4"]
            bad += [False, False, True, False]
        for end in ("\r\n", "\n", "\r"):
            path = self.write("q.csv", end.join(lines) + end)
            outs = []
            for jobs in ("1", "2"):
                rc, out, err = self.batch(path, "--key", "enterprise_name", "--jobs", jobs)
                self.assertEqual(rc, 3, (end, err[-300:]))
                outs.append((out, err))
            self.assertEqual(outs[0], outs[1], repr(end))
            got = read_output(outs[0][0])
            self.assertEqual([r["key"] for r in got], keys, repr(end))
            self.assertEqual([r["row"] for r in got], [str(i + 2) for i in range(len(keys))])
            for r, b in zip(got, bad):
                if b:
                    self.assertIn("quote inside an unquoted field", r["error"])
                else:
                    self.assertEqual((r["cn.cit.amount"], r["error"]), ("50000.00", ""), r["key"])

    def test_windows_full_of_commas(self):
        # 70 empty columns after a name of 1..34 bytes: windows where every byte is a comma (each
        # bit of the mask, the highest too), starting at every offset of a window. Each record
        # once unquoted (the fast split) and once with its name quoted (the general path, from
        # the start of the record): the same output.
        names = ["n" + "a" * n for n in range(34)]
        head = ["enterprise_name"] + ["c%d" % i for i in range(70)] + HEADER[1:]
        outs = []
        for quote in (False, True):
            lines = [",".join(head)]
            lines += [",".join(['"%s"' % k if quote else k] + [""] * 70 + ROWS[1][1:]) for k in names]
            rc, out, err = self.batch(self.write("c.csv", "\r\n".join(lines) + "\r\n"),
                                      "--key", "enterprise_name")
            self.assertEqual(rc, 0, err)
            got = read_output(out)
            self.assertEqual([r["key"] for r in got], names)
            self.assertEqual({r["cn.cit.amount"] for r in got}, {"50000.00"})
            outs.append(out)
        self.assertEqual(outs[0], outs[1])

    def test_line_ends_and_blank_lines_at_every_window_offset(self):
        # Records of 0 to 99 bytes more than the last: every LF, CR and CRLF, the CR of a CRLF as
        # the last byte of a window and its LF the first of the next, and blank lines, at every
        # offset of a window; a record of one empty field is a blank line, one of two is not.
        for end in ("\r\n", "\n", "\r"):
            lines, expect, row = [",".join(self.HEAD)], [], 2
            for k in range(100):
                name = "r%d%s" % (k, "." * k)
                lines.append(",".join([name, "x" * (k % 40)] + ROWS[k % 2][1:]))
                expect.append((str(row), name, ["140000.00", "50000.00"][k % 2]))
                row += 1
                if k % 3 == 0:
                    lines.append("")  # blank: skipped, still counted
                    row += 1
                if k % 10 == 0:
                    lines.append(",")  # two empty fields: a row, whose facts are missing
                    expect.append((str(row), str(row), ""))
                    row += 1
            path = self.write("e.csv", end.join(lines) + end)
            rc, out, err = self.batch(path, "--key", "enterprise_name")
            self.assertEqual(rc, 0, (repr(end), err[-300:]))
            got = [(r["row"], r["key"], r["cn.cit.amount"]) for r in read_output(out)]
            self.assertEqual(got, expect, repr(end))

    def test_amounts_of_every_length(self):
        # 25% of 4 × A is A: amounts of 1 to 39 integer digits with 0, 1 and 2 decimals, in CSV
        # and JSON Lines; past 38 digits a value is written through the heap. The totals in the
        # summary are their exact sums (integer 分).
        amounts = []
        for n in range(1, 40):
            whole = int("7" * n)
            for cents in (0, 50, 25):
                amounts.append(whole * 100 + cents)
        rows = [["", str(4 * a // 100), "500", "60000000", "false"] for a in amounts]
        path = self.write("a.csv", csv_text(HEADER, rows))
        want = ["%d.%02d" % divmod(a, 100) for a in amounts]
        rc, out, err = self.batch(path)
        self.assertEqual(rc, 0, err)
        self.assertEqual([r["cn.cit.amount"] for r in read_output(out)], want)
        self.assertIn("cn.cit: eligible 0, not eligible %d, undetermined 0, total %d.%02d"
                      % ((len(amounts),) + divmod(sum(amounts), 100)), err)
        rc, out, err = self.batch(path, "--format", "jsonl", "--jobs", "2")
        self.assertEqual(rc, 0, err)
        docs = [json.loads(l) for l in out.decode("utf-8").splitlines()]
        self.assertEqual([d["programs"]["cn.cit"]["amount"] for d in docs], want)

    def test_row_numbers_count_on(self):
        # Row numbers past 9, 99, 999 and 9999, counted on from row to row, and written anew after
        # a blank line, at the start of a block and of each thread's block.
        lines, expect, row = [",".join(self.HEAD)], [], 2
        for i in range(10100):
            lines.append(",".join(["k%d" % i, ""] + ROWS[i % 2][1:]))
            expect.append(str(row))
            row += 1
            if i in (6, 96, 997, 998, 9997) or i % 1000 == 500:
                lines.append("")
                row += 1
        path = self.write("r.csv", "\n".join(lines) + "\n")
        outs = []
        for jobs in ("1", "2", "3"):
            rc, out, err = self.batch(path, "--jobs", jobs)
            self.assertEqual(rc, 0, err[-300:])
            outs.append(out)
        self.assertEqual(outs[1], outs[0])
        self.assertEqual(outs[2], outs[0])
        got = read_output(outs[0])
        self.assertEqual([r["row"] for r in got], expect)
        self.assertEqual([r["key"] for r in got], expect)  # no key column: the row number

    def test_bad_byte_after_many_rows_with_threads(self):
        # Bad UTF-8 in row 6002 (the BOM says UTF-8), past the first chunk: that row is bad,
        # naming its column and the byte, and every other row is computed and written in order,
        # whatever the number of threads.
        rows = [["e%05d" % i, "n" * (i % 90)] + ROWS[i % 2][1:] for i in range(6000)]
        text = "".join(",".join(csv_cell(c) for c in r) + "\r\n" for r in [self.HEAD] + rows)
        data = BOM + text.encode("utf-8") + b"bad,x\xff,1,1,1,false\r\nafter,x,1,1,1,false\r\n"
        path = self.write("u.csv", data)
        outs = []
        for jobs in ("1", "2", "3"):
            rc, out, err = self.batch(path, "--jobs", jobs, "--key", "enterprise_name")
            self.assertEqual(rc, 3, err[-300:])
            self.assertIn("row 6002: column 2 (%s): invalid UTF-8 (byte 0xFF)" % self.HEAD[1], err)
            self.assertIn("6002 rows read, 6001 computed, 1 bad\n", err)
            outs.append((out, err))
        self.assertEqual(outs[1], outs[0])
        self.assertEqual(outs[2], outs[0])
        got = read_output(outs[0][0])
        self.assertEqual([r["key"] for r in got], [r[0] for r in rows] + ["bad", "after"])
        self.assertEqual([r["row"] for r in got[-2:]], ["6002", "6003"])
        self.assertTrue(got[-2]["error"])
        self.assertEqual((got[-1]["error"], got[-1]["cn.cit.outcome"]), ("", "eligible"))

    def test_stray_byte_in_utf8_or_gbk_is_one_bad_row(self):
        # No BOM, so the first non-ASCII text decides the encoding. A UTF-8 file whose first
        # name ends in a Latin-1 byte is still UTF-8 (as GB18030 its other names would be
        # garbled in silence); a GBK file with a stray byte is still GBK. Either way the stray
        # byte is its row's error, naming the column, and every other row keeps its name.
        names = ["企业%d号" % i for i in range(12)] + ["林", "乙", "郑伟芳"]
        rows = [[n, "n"] + ROWS[0][1:] for n in names]
        for enc, stray in (("utf-8", b"\xe9"), ("gbk", b"\xff"), ("gbk", b"\x80")):
            for at in (0, 5, len(rows) - 1):
                data = "".join(",".join(r) + "\n" for r in [self.HEAD] + rows).encode(enc)
                name = names[at].encode(enc)
                data = data.replace(b"\n" + name + b",", b"\n" + name + stray + b",", 1)
                rc, out, err = self.batch(self.write("s.csv", data), "--key", "enterprise_name")
                self.assertEqual(rc, 3, (enc, at, err))
                label = "UTF-8" if enc == "utf-8" else "GB18030"
                self.assertIn("row %d: column 1 (enterprise_name): invalid %s (byte 0x%02X) in a "
                              "file read as %s" % (at + 2, label, stray[0], label), err)
                got = read_output(out)
                expect = names[:at] + [str(at + 2)] + names[at + 1:]
                self.assertEqual([r["key"] for r in got], expect, (enc, at))
                self.assertEqual(sum(1 for r in got if r["error"]), 1)

    @unittest.skipUnless(os.path.exists("/dev/full"), "no /dev/full")
    def test_output_that_cannot_be_written_with_threads(self):
        path = self.write("g.csv", csv_text(["id"] + HEADER[1:], generated_rows(20000)))
        for jobs in ("1", "2", "3"):
            rc, out, err = self.batch(path, "--jobs", jobs, "-o", "/dev/full")
            self.assertEqual(rc, 70, (jobs, err[-300:]))
            self.assertIn("/dev/full", err)
            self.assertIn("writing the result failed", err)


class Formats(BatchTestCase):
    def test_jsonl_in_and_out(self):
        lines = [json.dumps(dict(zip(HEADER, r)), ensure_ascii=False) for r in ROWS]
        lines = [l.replace('"false"', "false").replace('"uscc": "", ', "") for l in lines]
        lines.insert(1, "")  # blank lines are skipped but counted
        lines.append('{"taxable_income": "1x"}')
        lines.append("not json")
        path = self.write("in.jsonl", "\n".join(lines) + "\n")
        out_path = os.path.join(self.tmp, "out.jsonl")
        rc, out, err = self.batch(path, "-o", out_path)
        self.assertEqual(rc, 3, err)
        self.assertEqual(out, b"")
        with open(out_path, encoding="utf-8") as f:
            docs = [json.loads(l, parse_float=Decimal) for l in f]
        self.assertEqual([d["row"] for d in docs], [1, 3, 4, 5, 6])
        self.assertEqual(docs[0]["key"], "91440300708461136T")
        self.assertEqual(docs[1]["key"], "3")
        cit = [d["programs"]["cn.cit"] if d["programs"] else None for d in docs]
        self.assertEqual(cit[0], {"outcome": "eligible", "amount": "140000.00",
                                  "amount_name": "tax", "provisional": False})
        self.assertEqual(cit[1]["amount"], "50000.00")
        self.assertEqual((cit[2]["outcome"], cit[2]["amount"]), ("not_eligible", "2500000.00"))
        self.assertEqual(docs[2]["programs"]["cn.rd_deduction"]["outcome"], "undetermined")
        self.assertIsNone(docs[0]["error"])
        self.assertIsNone(docs[3]["programs"])
        self.assertIn("taxable_income", docs[3]["error"])
        self.assertIsNotNone(docs[4]["error"])
        self.assertIn("in.jsonl: row 5:", err)
        self.assertIn("in.jsonl: row 6:", err)

    def test_csv_in_jsonl_out_by_format(self):
        rc, out, err = self.batch(self.write("a.csv", csv_text(HEADER, ROWS)), "--format", "jsonl")
        self.assertEqual(rc, 0, err)
        docs = [json.loads(l, parse_float=Decimal) for l in out.decode("utf-8").splitlines()]
        self.assertEqual([d["programs"]["cn.cit"]["amount"] for d in docs],
                         ["140000.00", "50000.00", "2500000.00"])

    def test_gb18030_output(self):
        header = ["企业名称"] + HEADER[1:]
        rows = [["玉林甲"] + ROWS[0][1:], ["乙"] + ROWS[1][1:], ["丙"] + ROWS[2][1:]]
        path = self.write("a.csv", csv_text(header, rows))
        rc, utf8, err = self.batch(path, "--key", "企业名称")
        self.assertEqual(rc, 0, err)
        rc, gb, err = self.batch(path, "--key", "企业名称", "--encoding", "gb18030")
        self.assertEqual(rc, 0, err)
        self.assertFalse(gb.startswith(BOM))
        with self.assertRaises(UnicodeDecodeError):
            gb.decode("utf-8")
        self.assertEqual(gb.decode("gb18030"), utf8[3:].decode("utf-8"))
        self.assertIn("玉林甲", gb.decode("gb18030"))


class FormulaKeys(BatchTestCase):
    def test_keys_a_spreadsheet_would_run_stay_text(self):
        # The CSV output has a BOM for Excel: a key that Excel would run as a formula gets a
        # leading ' (OWASP "CSV injection"); a negative number and plain text are as they were.
        keys = ['=HYPERLINK("http://x","a")', "+86", "@SUM(1)", "-ab", "-5", "-1.50", "中文"]
        rows = [[k] + ROWS[0][1:] for k in keys]
        path = self.write("f.csv", csv_text(["enterprise_name"] + HEADER[1:], rows))
        rc, out, err = self.batch(path, "--key", "enterprise_name")
        self.assertEqual(rc, 0, err)
        self.assertEqual([r["key"] for r in read_output(out)],
                         ["'" + k for k in keys[:4]] + keys[4:])
        # JSON Lines is not for spreadsheets: the key as it is
        rc, out, err = self.batch(path, "--key", "enterprise_name", "--format", "jsonl")
        self.assertEqual([json.loads(l)["key"] for l in out.splitlines()], keys)


class Overlay(BatchTestCase):
    def test_overlay_changes_placeholder_subsidy_totals(self):
        # 玉政办规〔2017〕5号 amounts are placeholders in the bundled policy (100万 and 20万 for these
        # two platforms, provisional); the example overlay sets 80万 and 10万 (docs/overlays.md).
        header = ["uscc", "platform_type", "platform_level", "platform_recognition_date",
                  "platform_in_cultivation_pool", "statistics_in_yulin", "registered_in_yulin",
                  "tax_registered_in_yulin"]
        common = ["2023-05-01", "true", "true", "true", "true"]
        rows = [["", "key_laboratory", "national"] + common,
                ["", "engineering_center", "city"] + common]
        path = self.write("p.csv", csv_text(header, rows))
        results = {}
        for name, extra in (("base", ()), ("overlay", ("--overlay", OVERLAY))):
            summary = os.path.join(self.tmp, name + ".json")
            rc, out, err = run("batch", path, "--year", "2023", "--summary-json", summary, *extra)
            self.assertEqual(rc, 0, err)
            with open(summary, encoding="utf-8") as f:
                doc = json.loads(f.read(), parse_float=Decimal)
            results[name] = (read_output(out), doc)
        base, over = results["base"], results["overlay"]
        self.assertEqual([r["yulin.platform_subsidy.amount"] for r in base[0]],
                         ["1000000.00", "200000.00"])
        self.assertEqual([r["yulin.platform_subsidy.provisional"] for r in base[0]], ["yes", "yes"])
        self.assertEqual([r["yulin.platform_subsidy.amount"] for r in over[0]],
                         ["800000.00", "100000.00"])
        self.assertEqual([r["yulin.platform_subsidy.provisional"] for r in over[0]], ["no", "no"])

        def total(doc):
            return [p for p in doc["programs"] if p["program"] == "yulin.platform_subsidy"][0]["total"]
        self.assertEqual(total(base[1]), "1200000.00")
        self.assertEqual(total(over[1]), "900000.00")
        self.assertEqual(base[1]["totals"]["subsidy"], "1200000.00")
        self.assertEqual(over[1]["totals"]["subsidy"], "900000.00")

    def test_parts_of_one_category_are_summed(self):
        # gx.zone_approval_subsidy pays a newly approved national zone 1000万 of Guangxi funds
        # (桂政办发〔2021〕81号) and Yulin's own part (placeholder 100万; the example overlay 200万),
        # both subsidy: the program's column is their sum, named guangxi+yulin in JSON Lines, and
        # the program's total is the category's.
        path = self.write("z.csv", "id,zone_approval_level,zone_approval_date\r\n"
                                   "Z1,national,2023-03-01\r\nZ2,,\r\n")
        for extra, want in (((), "11000000.00"), (("--overlay", OVERLAY), "12000000.00")):
            summary = os.path.join(self.tmp, "z.json")
            rc, out, err = run("batch", path, "--year", "2023", "--summary-json", summary, *extra)
            self.assertEqual(rc, 0, err)
            got = read_output(out)
            self.assertEqual([r["gx.zone_approval_subsidy.amount"] for r in got], [want, ""])
            with open(summary, encoding="utf-8") as f:
                doc = json.loads(f.read(), parse_float=Decimal)
            zone = [p for p in doc["programs"] if p["program"] == "gx.zone_approval_subsidy"][0]
            self.assertEqual(zone["total"], want)
            self.assertEqual(doc["totals"]["subsidy"], want)
            rc, out, err = run("batch", path, "--year", "2023", "--format", "jsonl", *extra)
            first = json.loads(out.splitlines()[0])["programs"]["gx.zone_approval_subsidy"]
            self.assertEqual((first["amount"], first["amount_name"]), (want, "guangxi+yulin"))


class CategoryTotals(BatchTestCase):
    # The summary adds each category amount by amount, item by item (cmd_batch.c add_item()),
    # not from each row's result totals: the sums must still be fisc estimate's totals, added
    # over the rows, with undetermined items left out, zero relief, a relief after the tax, a
    # subsidy, and rows whose main amount has no category (cn.rd_deduction).
    FACTS = [
        {"taxable_income": "2800000", "employees_average": 100, "assets_average": "10000000",
         "industry_restricted": False},
        {"taxable_income": "10000000", "employees_average": 500, "assets_average": "60000000",
         "industry_restricted": False},
        {"employees_average": 100},
        {"taxable_income": "0", "employees_average": 10, "assets_average": "100000",
         "industry_restricted": False},
        {"taxable_income": "-1234.56", "employees_average": 10, "assets_average": "100000",
         "industry_restricted": False},
        {"taxable_income": "1000000.01", "employees_average": 50, "assets_average": "5000000",
         "industry_restricted": False, "rd_project_count": 1, "rd_p1_personnel": "42645.46",
         "rd_p1_direct": "20942.72", "rd_ic_or_machine_tool": False},
        {"platform_type": "key_laboratory", "platform_level": "national",
         "platform_recognition_date": "2023-05-01", "platform_in_cultivation_pool": True,
         "statistics_in_yulin": True, "registered_in_yulin": True, "tax_registered_in_yulin": True},
    ]

    def estimate_totals(self, policy):
        sums = {}
        for i, facts in enumerate(self.FACTS):
            path = self.write("f%d.json" % i, json.dumps(facts))
            rc, out, err = run("estimate", path, "--year", "2023", "--json", *policy)
            self.assertEqual(rc, 0, err)
            doc = json.loads(out.decode("utf-8"), parse_float=Decimal)
            for k, v in doc["totals"].items():
                sums[k] = sums.get(k, Decimal(0)) + Decimal(v)
        return {k: "%.2f" % v for k, v in sums.items()}

    def test_category_totals_are_estimates_added(self):
        lines = "".join(json.dumps(f) + "\n" for f in self.FACTS)
        path = self.write("rows.jsonl", lines)
        for policy in ((), CIT_POLICY):
            want = self.estimate_totals(policy)
            self.assertNotEqual(want["tax_payable"], "0.00")
            self.assertNotEqual(want["tax_relief"], "0.00")
            for jobs in ("1", "2"):
                for fmt in ("csv", "jsonl"):
                    summary = os.path.join(self.tmp, "s.json")
                    rc, out, err = self.batch(path, "--jobs", jobs, "--format", fmt,
                                              "--summary-json", summary, policy=policy)
                    self.assertEqual(rc, 0, err)
                    with open(summary, encoding="utf-8") as f:
                        doc = json.loads(f.read(), parse_float=Decimal)
                    self.assertEqual(doc["totals"], want, (policy, jobs, fmt))

    def test_program_totals_are_their_amounts_added(self):
        # A worker adds a row's main amount once, to a total of the category it also counts in
        # or to one of no category (undetermined, none, cn.rd_deduction's), and the summary adds
        # those up (cmd_batch.c prog_stats): each program's total must still be the sum of its
        # amount column, and the categories' as before.
        lines = "".join(json.dumps(f) + "\n" for f in self.FACTS)
        path = self.write("rows.jsonl", lines)
        for policy in ((), CIT_POLICY):
            want = self.estimate_totals(policy)
            for jobs in ("1", "2"):
                summary = os.path.join(self.tmp, "s.json")
                rc, out, err = self.batch(path, "--jobs", jobs, "--summary-json", summary,
                                          policy=policy)
                self.assertEqual(rc, 0, err)
                rows = read_output(out)
                with open(summary, encoding="utf-8") as f:
                    doc = json.loads(f.read(), parse_float=Decimal)
                self.assertEqual(doc["totals"], want, (policy, jobs))
                for prog in doc["programs"]:
                    col = prog["program"] + ".amount"
                    amounts = [Decimal(r[col]) for r in rows if r[col]]
                    self.assertEqual(prog["total"], "%.2f" % sum(amounts, Decimal(0)),
                                     (policy, jobs, prog["program"]))
                    self.assertIn("  %s: eligible %d, not eligible %d, undetermined %d, total %s\n"
                                  % (prog["program"], prog["eligible"], prog["not_eligible"],
                                     prog["undetermined"], prog["total"]), err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
