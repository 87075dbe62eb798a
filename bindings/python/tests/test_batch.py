"""Policy.evaluate_many / Policy.evaluate_file: streaming many rows, bad rows in place, CSV in
UTF-8 (with or without BOM) and GB18030 with name or label headers, JSON Lines; exact amounts."""

import json
import os
import tempfile
import unittest
from decimal import Decimal

import fisc
from fisc import RowError
from fisc.policy import _CHUNK

D = Decimal
HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
POLICY_DIR = os.environ.get("FISC_POLICY_DIR") or os.path.join(SOURCE_ROOT, "policies")

# 应纳税所得额 280万, eligible size: 小型微利企业 2023, 280万 × 25% × 20% = 140000.00 (WE-9).
SMALL_MICRO = {"taxable_income": D("2800000"), "employees_average": 100,
               "assets_average": D("10000000"), "industry_restricted": False}
# 301 employees: not 小型微利; 280万 × 25% = 700000.00.
STANDARD = dict(SMALL_MICRO, employees_average=301)
# A certificate issued 2022-11-05 is valid for 2022-2024: 15%; 500万 × 15% = 750000.00.
HNTE = {"taxable_income": "5000000", "employees_average": 400, "assets_average": "80000000",
        "industry_restricted": False, "hnte_certificate_date": "2022-11-05"}

HEADER = "taxable_income,employees_average,assets_average,industry_restricted"


def setUpModule():
    os.environ.setdefault("FISC_POLICY_DIR", POLICY_DIR)


def tax(r):
    return r["cn.cit"].amounts["tax"]


class Batch(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.policy = fisc.Policy.default()

    @classmethod
    def tearDownClass(cls):
        cls.policy.close()

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def write(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        return path


class EvaluateMany(Batch):
    def test_exact_amounts_in_order(self):
        out = list(self.policy.evaluate_many([SMALL_MICRO, STANDARD, HNTE], year=2023))
        self.assertEqual([tax(r) for r in out], [D("140000.00"), D("700000.00"), D("750000.00")])
        self.assertEqual([r["cn.cit"].choice for r in out], ["small_micro", "standard", "hnte"])
        self.assertEqual(str(tax(out[0])), "140000.00")
        self.assertEqual(out[0].totals["tax_relief"], D("560000.00"))

    def test_same_as_evaluate(self):
        for facts in (SMALL_MICRO, STANDARD, HNTE):
            with self.policy.evaluate(facts, year=2023, trace=False) as one:
                many = next(self.policy.evaluate_many([facts], year=2023))
                self.assertEqual([i.raw for i in many.items], [i.raw for i in one.items])
                self.assertEqual(many.totals, one.totals)
                self.assertEqual(many.provisional, one.provisional)
                self.assertEqual(many.document["items"], one.document["items"])
                many.close()

    def test_summary_keeps_what_counts(self):
        # An enterprise with one R&D project (row 2 of bench/batch's generated file): expensed
        # R&D 73975.08 + other costs 6509.80 (under the cap 73975.08 × 10% / 90% = 8219.45) at
        # 100% (2023) = extra deduction 80484.88; taxable income 636595.43 − 80484.88 =
        # 556110.55, 小型微利 × 25% × 20% = 27805.53. cn.rd_deduction publishes nine amounts,
        # all informative: the summary keeps extra_deduction, its first, which cn.cit reads.
        rd = {"income_before_rd_extra_and_losses": "636595.43", "employees_average": 103,
              "assets_average": "6035578.82", "industry_restricted": False,
              "industry_revenue_1_code": "C34", "industry_revenue_1_amount": "4142844.12",
              "income_total": "4967439.00", "income_non_taxable": 0, "income_investment": 0,
              "rd_ic_or_machine_tool": False, "rd_project_count": 1,
              "rd_p1_personnel": "42645.46", "rd_p1_direct": "20942.72",
              "rd_p1_depreciation": "8191.30", "rd_p1_amortisation": "1520.03",
              "rd_p1_design": "675.57", "rd_p1_other": "6509.80", "rd_contracted_domestic": 0,
              "rd_contracted_related": 0, "rd_contracted_overseas": 0,
              "rd_intangible_amortisation": 0}
        rows = [SMALL_MICRO, STANDARD, HNTE, rd]
        full = list(self.policy.evaluate_many(rows, year=2023))
        short = list(self.policy.evaluate_many(rows, year=2023, summary=True))
        self.assertEqual([tax(r) for r in short], [D("140000.00"), D("700000.00"),
                                                   D("750000.00"), D("27805.53")])
        kept_informative = 0
        for f, s in zip(full, short):
            self.assertEqual(s.totals, f.totals)
            self.assertEqual(s.provisional, f.provisional)
            self.assertEqual([i.program for i in s.items], [i.program for i in f.items])
            for fi, si in zip(f.items, s.items):
                self.assertEqual((si.outcome, si.choice, si.provisional, si.missing, si.params),
                                 (fi.outcome, fi.choice, fi.provisional, fi.missing, fi.params))
                self.assertEqual(si.conditions, [])
                for name, value in si.amounts.items():   # what it has is the full result's
                    self.assertEqual(value, fi.amounts[name], (fi.program, name))
                for name, cat in fi.categories.items():  # and it has what counts in a total
                    self.assertEqual(si.amounts[name], fi.amounts[name], (fi.program, name))
                if fi.amounts:                            # and the headline
                    first = next(iter(fi.amounts))
                    self.assertEqual(si.amounts[first], fi.amounts[first], fi.program)
                kept_informative += sum(1 for n in si.amounts if n not in si.categories)
        self.assertEqual(len(full[3]["cn.rd_deduction"].amounts), 9)
        self.assertEqual(short[3]["cn.rd_deduction"].amounts, {"extra_deduction": D("80484.88")})
        self.assertEqual(short[3]["cn.cit"].amounts["taxable_income"], D("556110.55"))
        self.assertGreater(kept_informative, 0)
        for r in full + short:
            r.close()

    def test_summary_not_with_trace(self):
        with self.assertRaises(ValueError):
            self.policy.evaluate_many([SMALL_MICRO], year=2023, trace=True, summary=True)
        with self.assertRaises(ValueError):
            self.policy.evaluate_file(os.path.join(self.tmp, "none.csv"), year=2023,
                                      trace=True, summary=True)

    def test_quarter_period(self):
        # Prepayment to 2023Q2: the same brackets; 120万 × 25% × 20% = 60000.00.
        facts = dict(SMALL_MICRO, taxable_income="1200000")
        (r,) = self.policy.evaluate_many([facts], quarter="2023Q2")
        self.assertEqual(tax(r), D("60000.00"))
        self.assertEqual(r.quarter, 2)

    def test_bad_row_in_the_middle(self):
        rows = [SMALL_MICRO, dict(SMALL_MICRO, taxable_income="12,3x"),
                dict(SMALL_MICRO, no_such_fact=1), STANDARD]
        out = list(self.policy.evaluate_many(rows, year=2023))
        self.assertEqual(len(out), 4)
        self.assertEqual(tax(out[0]), D("140000.00"))
        for i in (1, 2):
            self.assertIsInstance(out[i], RowError)
            self.assertEqual(out[i].index, i)
            self.assertIsInstance(out[i].error, fisc.FiscError)
        self.assertIn("taxable_income", str(out[1].error))
        self.assertIn("no_such_fact", str(out[2].error))
        self.assertEqual(tax(out[3]), D("700000.00"))

    def test_key_member(self):
        rows = [dict(SMALL_MICRO, id="A-1"), dict(SMALL_MICRO, id="B-2", taxable_income="x")]
        out = list(self.policy.evaluate_many(rows, year=2023, key="id"))
        self.assertEqual(tax(out[0]), D("140000.00"))
        self.assertEqual((out[1].index, out[1].key), (1, "B-2"))
        self.assertIn("row 1 (B-2)", str(out[1]))

    def test_float_rejected(self):
        rows = iter([dict(SMALL_MICRO, taxable_income=2800000.0)])
        with self.assertRaises(TypeError) as cm:
            list(self.policy.evaluate_many(rows, year=2023))
        self.assertIn("float", str(cm.exception))

    def test_values_of_every_kind(self):
        import datetime
        facts = dict(HNTE, hnte_certificate_date=datetime.date(2022, 11, 5),
                     taxable_income=5000000, employees=None)
        (r,) = self.policy.evaluate_many([facts], year=2023)
        self.assertEqual(tax(r), D("750000.00"))
        # quarters: employees 100 and 120, assets 1000万: the average counts
        q = dict(SMALL_MICRO)
        del q["employees_average"]
        q["employees"] = {"Q1": (100, 120), "Q2": {"start": 120, "end": 120},
                          "Q3": (120, 120), "Q4": (120, 120)}
        (r,) = self.policy.evaluate_many([q], year=2023)
        self.assertEqual(tax(r), D("140000.00"))
        self.assertEqual(r["cn.cit"].missing, [])

    def test_lazy_generator(self):
        consumed = []

        def rows():
            for i in range(3):
                consumed.append(i)
                yield SMALL_MICRO
            raise RuntimeError("the source broke after 3 rows")

        it = self.policy.evaluate_many(rows(), year=2023)
        self.assertEqual(consumed, [])             # nothing read before the first next()
        first = next(it)
        self.assertEqual(consumed, [0])            # one row read, one result
        self.assertEqual(tax(first), D("140000.00"))
        got = [first]
        with self.assertRaises(RuntimeError):
            for r in it:
                got.append(r)
        self.assertEqual([tax(r) for r in got], [D("140000.00")] * 3)

    def test_period_checked_at_once(self):
        with self.assertRaises(fisc.FiscInvalidArgument):
            self.policy.evaluate_many([SMALL_MICRO])
        with self.assertRaises(fisc.FiscInvalidArgument):
            self.policy.evaluate_many([SMALL_MICRO], year=2023, quarter="2022Q1")

    def test_not_a_dict(self):
        with self.assertRaises(TypeError):
            list(self.policy.evaluate_many([["taxable_income", 1]], year=2023))


class EvaluateFile(Batch):
    def rows(self, path, **kw):
        return list(self.policy.evaluate_file(path, year=2023, **kw))

    def test_csv_utf8_with_bad_row(self):
        text = (HEADER + "\r\n2800000,100,10000000,false\r\nabc,100,10000000,false\r\n"
                "\r\n2800000,301,10000000,FALSE\r\n2800000,100,10000000,false,extra\r\n"
                "2800000,100,10000000,true\r\n")
        out = self.rows(self.write("e.csv", text.encode("utf-8")))
        self.assertEqual([n for n, _, _ in out], [2, 3, 5, 6, 7])  # row 4 is blank
        self.assertEqual(tax(out[0][2]), D("140000.00"))
        self.assertIsInstance(out[1][2], RowError)
        self.assertEqual(out[1][2].index, 3)
        self.assertIn("taxable_income", str(out[1][2].error))
        self.assertEqual(tax(out[2][2]), D("700000.00"))
        self.assertIsInstance(out[3][2], RowError)              # too many fields
        self.assertIn("5 fields", str(out[3][2].error))
        self.assertEqual(tax(out[4][2]), D("700000.00"))         # restricted industry

    def test_csv_bom_and_zh_labels_and_key(self):
        vocab = {f.name: f for f in fisc.fact_vocabulary()}
        header = ",".join(["企业名称"] + [vocab[n].label_zh for n in HEADER.split(",")])
        self.assertEqual(header, "企业名称,应纳税所得额,从业人数季度平均值,资产总额季度平均值,"
                                 "从事国家限制或禁止行业")
        text = header + "\n甲公司,2800000,100,10000000,否\n乙公司,2800000,300,50000000.01,否\n"
        out = self.rows(self.write("zh.csv", b"\xef\xbb\xbf" + text.encode("utf-8")),
                        key="企业名称")
        self.assertEqual([(n, k) for n, k, _ in out], [(2, "甲公司"), (3, "乙公司")])
        self.assertEqual(tax(out[0][2]), D("140000.00"))
        self.assertEqual(tax(out[1][2]), D("700000.00"))  # assets 1 分 above 5000万

    def test_csv_en_labels_any_case(self):
        text = ('Taxable income,"EMPLOYEES, AVERAGE OF QUARTERLY AVERAGES",assets_average,'
                "industry_restricted,_note\n2800000,100,10000000,false,anything\n")
        (row,) = self.rows(self.write("en.csv", text.encode("utf-8")))
        self.assertEqual(tax(row[2]), D("140000.00"))

    def test_csv_gb18030(self):
        text = ("序号,企业名称,应纳税所得额,从业人数季度平均值,资产总额季度平均值,从事国家限制或禁止行业\n"
                "1,玉林市甲乙丙有限公司,2800000,100,10000000,否\n"
                "2,广西壮族自治区丁公司,3000000.01,100,10000000,否\n")
        data = text.encode("gb18030")
        with self.assertRaises(UnicodeDecodeError):
            data.decode("utf-8")
        out = self.rows(self.write("gb.csv", data), key="序号")
        self.assertEqual([(n, k) for n, k, _ in out], [(2, "1"), (3, "2")])
        self.assertEqual(tax(out[0][2]), D("140000.00"))
        # one 分 above 300万: the cliff, 3000000.01 × 25% = 750000.0025 → 750000.00
        self.assertEqual(tax(out[1][2]), D("750000.00"))
        self.assertEqual(out[1][2]["cn.cit"].choice, "standard")

    def test_stray_byte_in_utf8_or_gbk_is_one_row(self):
        # No BOM: the first non-ASCII text decides, as fisc batch decides. A UTF-8 file whose
        # first name ends in a Latin-1 byte stays UTF-8 (as GB18030 its other names would be
        # garbled in silence); a GBK file with a stray byte stays GBK. Either way the stray byte
        # is its row's error, and every other row keeps its name and is evaluated.
        names = ["企业%d号" % i for i in range(12)] + ["林", "乙", "郑伟芳"]
        for enc, stray, label in (("utf-8", b"\xe9", "UTF-8"), ("gbk", b"\xff", "GB18030"),
                                  ("gbk", b"\x80", "GB18030")):
            for at in (0, 5, len(names) - 1):
                text = "".join("%s,2800000,100,10000000,false\n" % n for n in names)
                data = ("enterprise_name," + HEADER + "\n" + text).encode(enc)
                name = names[at].encode(enc)
                data = data.replace(b"\n" + name + b",", b"\n" + name + stray + b",", 1)
                out = self.rows(self.write("s.csv", data), key="enterprise_name")
                self.assertEqual([n for n, _, _ in out], list(range(2, len(names) + 2)))
                bad = [(n, r) for n, _, r in out if isinstance(r, RowError)]
                self.assertEqual([n for n, _ in bad], [at + 2], (enc, at))
                self.assertIn("invalid %s (byte 0x%02X) in a file read as %s"
                              % (label, stray[0], label), str(bad[0][1]))
                self.assertEqual([k for n, k, _ in out if n != at + 2],
                                 names[:at] + names[at + 1:], (enc, at))
                self.assertTrue(all(tax(r) == D("140000.00") for n, _, r in out if n != at + 2))

    def test_csv_quoted_line_break_is_one_row(self):
        text = ('enterprise_name,' + HEADER + '\n"two\nlines",2800000,100,10000000,false\n'
                'x,abc,100,10000000,false\n')
        out = self.rows(self.write("q.csv", text.encode("utf-8")), key="enterprise_name")
        self.assertEqual([(n, k) for n, k, _ in out], [(2, "two\nlines"), (3, "x")])
        self.assertEqual(out[1][2].index, 3)

    def test_csv_bad_header(self):
        # a column that is no fact is ignored with a warning naming the closest fact, as
        # `fisc batch` does; the fact it meant is then missing
        path = self.write("bad.csv", b"id,taxable_incme,employees_average\nA7,1,2\n")
        with self.assertWarns(UserWarning) as cm:
            it = self.policy.evaluate_file(path, year=2023)
        self.assertIn("taxable_income", str(cm.warning))  # did you mean
        ((n, key, r),) = list(it)
        self.assertEqual((n, key), (2, "A7"))               # the id column is the key
        self.assertEqual(r["cn.cit"].outcome, fisc.Outcome.UNDETERMINED)
        self.assertIn("taxable_income", r["cn.cit"].missing)
        path = self.write("dup.csv", "taxable_income,应纳税所得额\n1,2\n".encode("utf-8"))
        with self.assertRaises(fisc.FiscInvalidArgument):
            self.policy.evaluate_file(path, year=2023)
        with self.assertRaises(fisc.FiscInvalidArgument):
            self.policy.evaluate_file(self.write("k.csv", (HEADER + "\n").encode()), year=2023,
                                      key="id")
        with self.assertRaises(OSError):
            self.policy.evaluate_file(os.path.join(self.tmp, "none.csv"), year=2023)

    def test_jsonl(self):
        lines = [json.dumps({"uscc": "91440300708461136T", "taxable_income": "2800000",
                             "employees_average": 100, "assets_average": 10000000,
                             "industry_restricted": False}),
                 "",
                 '{"taxable_income": 2800000.50, "employees_average": 301, '
                 '"assets_average": 10000000, "industry_restricted": false}',
                 '{"taxable_income": ',
                 '[1, 2]',
                 json.dumps(HNTE)]
        out = self.rows(self.write("e.jsonl", "\n".join(lines).encode("utf-8")))
        self.assertEqual([n for n, _, _ in out], [1, 3, 4, 5, 6])
        self.assertEqual(out[0][1], "91440300708461136T")
        self.assertEqual(tax(out[0][2]), D("140000.00"))
        # a JSON number with a fraction is read exactly: 2800000.50 × 25% = 700000.125 → .13
        self.assertEqual(tax(out[1][2]), D("700000.13"))
        self.assertIsInstance(out[2][2], RowError)
        self.assertIsInstance(out[2][2].error, fisc.FiscParseError)
        self.assertIsInstance(out[3][2], RowError)
        self.assertEqual(tax(out[4][2]), D("750000.00"))

    def test_csv_syntax_error_is_one_row(self):
        # A stray quote spoils its own row only: the rows after it still come.
        text = (HEADER + "\r\n2800000,100,10000000,false\r\n\"28\"x,100,10000000,false\r\n"
                "2800000,301,10000000,false\r\n2800000,100,10000000,false\r\n")
        out = self.rows(self.write("q.csv", text.encode()))
        self.assertEqual([n for n, _, _ in out], [2, 3, 4, 5])
        self.assertIsInstance(out[1][2], RowError)
        self.assertIn("CSV syntax", str(out[1][2]))
        self.assertEqual([tax(r) for _, _, r in (out[0], out[2], out[3])],
                         [D("140000.00"), D("700000.00"), D("140000.00")])

    def test_bad_byte_late_in_utf8_is_one_row(self):
        # A Chinese label in the header makes the first chunk (256 KiB) valid UTF-8, so the file is
        # read as UTF-8, as fisc batch reads it; a Latin-1 byte in row 2002, past that chunk
        # (a comment column pads the rows), is that row's error, naming the byte; every row
        # before it is evaluated and the row after it still comes.
        head = "应纳税所得额,employees_average,assets_average,industry_restricted,_note\r\n"
        body = ("2800000,100,10000000,false," + "x" * 600 + "\r\n") * 2000
        data = (head + body).encode("utf-8") + b"Caf\xe9,100,10000000,false,\r\n" + \
            b"2800000,301,10000000,false,\r\n"
        self.assertGreater(len(data), _CHUNK)
        out = self.rows(self.write("late.csv", data))
        self.assertEqual(len(out), 2002)
        self.assertEqual([n for n, _, _ in out[:2]], [2, 3])
        self.assertTrue(all(tax(r) == D("140000.00") for _, _, r in out[:2000]))
        n, _, bad = out[2000]
        self.assertEqual(n, 2002)
        self.assertIsInstance(bad, RowError)
        self.assertIn("invalid UTF-8 (byte 0xE9)", str(bad))
        self.assertEqual((out[2001][0], tax(out[2001][2])), (2003, D("700000.00")))

    def test_cr_only_line_ends_and_utf16_refused(self):
        text = (HEADER + "\r2800000,100,10000000,false\r2800000,301,10000000,false\r").encode()
        out = self.rows(self.write("cr.csv", text))
        self.assertEqual([(n, tax(r)) for n, _, r in out],
                         [(2, D("140000.00")), (3, D("700000.00"))])
        with self.assertRaises(fisc.FiscInvalidArgument):
            self.rows(self.write("u.csv", text), encoding="utf-16")

    def test_blank_first_row(self):
        path = self.write("blank.csv", ("\r\n" + HEADER + "\r\n2800000,100,10000000,false\r\n")
                          .encode())
        with self.assertRaises(fisc.FiscInvalidArgument) as cm:
            self.policy.evaluate_file(path, year=2023)
        self.assertIn("row 1 is blank", str(cm.exception))

    def test_jsonl_bad_values_are_rows(self):
        lines = [json.dumps(SMALL_MICRO, default=str),
                 '{"taxable_income": NaN, "employees_average": 100}',
                 '{"taxable_income": [1], "employees_average": 100}',
                 '{"taxable_income": {"a": 1}, "employees_average": 100}',
                 json.dumps(dict(STANDARD, id="S-1"), default=str)]
        out = self.rows(self.write("v.jsonl", "\n".join(lines).encode()), key="uscc")
        self.assertEqual([n for n, _, _ in out], [1, 2, 3, 4, 5])
        self.assertEqual(tax(out[0][2]), D("140000.00"))
        for i in (1, 2, 3):
            self.assertIsInstance(out[i][2], RowError, out[i])
        self.assertIn("NaN", str(out[1][2]))
        self.assertIn("taxable_income", str(out[2][2]))
        # an "id" member that is no fact is ignored, whatever the key is (as the CSV column)
        self.assertEqual(tax(out[4][2]), D("700000.00"))

    def test_policy_closed_while_reading_raises(self):
        p = fisc.Policy.default()
        it = p.evaluate_many([SMALL_MICRO, SMALL_MICRO], year=2023)
        first = next(it)
        self.assertEqual(tax(first), D("140000.00"))
        first.close()
        p.close()
        with self.assertRaises(fisc.FiscMisuse):
            next(it)

    def test_jsonl_detected_by_content(self):
        path = self.write("rows.txt.data", (json.dumps(HNTE) + "\n").encode("utf-8"))
        (row,) = self.rows(path)
        self.assertEqual(tax(row[2]), D("750000.00"))

    def test_streams(self):
        # A file bigger than one read chunk, consumed lazily: the first result comes at once.
        path = os.path.join(self.tmp, "big.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(HEADER + "\n")
            for _ in range(40000):
                f.write("2800000,100,10000000,false\n")
        it = self.policy.evaluate_file(path, year=2023)
        n, key, r = next(it)
        self.assertEqual((n, key, tax(r)), (2, None, D("140000.00")))
        it.close()


if __name__ == "__main__":
    unittest.main()
