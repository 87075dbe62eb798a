"""fisc.Agreement on the samples of examples/agreements/ (illustrative figures, not real
contracts) and the bundled policy (FISC_POLICY_DIR): loading and findings, evaluation from a path
and from a dict of Decimals, exact totals worked by hand, the schedule, floats refused, errors."""

import datetime
import hashlib
import json
import os
import tempfile
import unittest
from decimal import Decimal

import fisc

D = Decimal
HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
POLICY_DIR = os.environ.get("FISC_POLICY_DIR") or os.path.join(SOURCE_ROOT, "policies")
SAMPLES = os.path.join(SOURCE_ROOT, "examples", "agreements")
MANUFACTURING = os.path.join(SAMPLES, "manufacturing.yaml")
MANUFACTURING_ACTUALS = os.path.join(SAMPLES, "manufacturing.actuals.json")
MANUFACTURING_BREACH = os.path.join(SAMPLES, "manufacturing-breach.actuals.json")
HEADQUARTERS = os.path.join(SAMPLES, "headquarters.yaml")
HEADQUARTERS_ACTUALS = os.path.join(SAMPLES, "headquarters.actuals.json")
GATED = os.path.join(SAMPLES, "gated.yaml")
MFG, HQ = "yl-gxq-2023-012", "yl-gxq-2024-031"

# The hand computations are written out in tests/cli/test_cli.py (MFG_DUE ... MFG_PLAN); in short:
# manufacturing.yaml against manufacturing.actuals.json, through 2027:
#   land concession 20% × 24,000,000 = 4,800,000 (2023); construction 2,000,000 (2024, completed
#   late, no late share); equipment 5% × equipment investment × 80% (production started late),
#   capped (X2024 6,000,000 → 5,000,000 a year; X2025 4,800,000 → 4,600,000 left of 1200万), paid
#   40/30/30, the last third of X2025 forfeited (2027 output 3.8亿 < 4亿), then higher_of with the
#   Guangxi reward (1% of funds in place): 2024 2,960,000 − 1,300,000 = 1,660,000; 2025 4,060,000 −
#   600,000 = 3,460,000; 2026 3,600,000 (no Guangxi reward).
MFG_DUE = {2023: D("4800000.00"), 2024: D("3660000.00"), 2025: D("3460000.00"),
           2026: D("3600000.00"), 2027: D("0.00")}
MFG_TOTAL_DUE = D("15520000.00")
# manufacturing-breach.actuals.json: 2026 output 5.2亿 < 6亿 by 2026: everything paid is repaid on
# 2026-12-31 with 3.45% simple interest, actual/365, rounded once per term:
#   equipment (1,660,000 × 914 + 3,460,000 × 549 + 3,600,000 × 184) × 3.45% / 365 = 385,566.33
#   construction 2,000,000 × 3.45% × 730 / 365 = 138,000.00
#   land 4,800,000 × 3.45% × 1096 / 365 = 497,253.70
BREACH_REPAY, BREACH_INTEREST = D("15520000.00"), D("1020820.03")
# headquarters.yaml against headquarters.actuals.json: rent 50% (900,000; 900,000; 927,000),
# headcount 50万 when ≥ 100 (2026: 95, withheld), funds 2% capped at 150万 in all (1,000,000;
# 600,000 → 500,000); in 2025 the Guangxi reward 500,000 is excluded (exclusive).
HQ_DUE = {2025: D("2400000.00"), 2026: D("1400000.00"), 2027: D("1427000.00"), 2028: D("0.00"),
          2029: D("0.00")}
HQ_TOTALS = {"due": D("5227000.00"), "withheld": D("600000.00"), "concession": D("2727000.00"),
             "repay": D("0.00"), "interest": D("0.00"), "net": D("5227000.00")}
# The payment plan of manufacturing.yaml through 2027 (plan: figures, every condition met):
# equipment 1,600,000; 3,200,000; 3,900,000; 2,400,000; 900,000; construction 2,000,000 (2024);
# land 4,800,000 (2023).
MFG_PLAN_DUE = {2023: D("6400000.00"), 2024: D("5200000.00"), 2025: D("3900000.00"),
                2026: D("2400000.00"), 2027: D("900000.00")}

# headquarters.actuals.json as a dict: Decimals, ints, a date.
HQ_ACTUALS = {
    "years": {2025: {"funds_in_place": D("50000000"), "rent": D("1800000"), "headcount": 120},
              2026: {"funds_in_place": D("30000000"), "rent": D("1800000"), "headcount": 95},
              2027: {"funds_in_place": D("0"), "rent": D("1854000.00"), "headcount": 140}},
    "events": {"headquarters_registered": datetime.date(2025, 2, 18)},
    "facts": {2025: {"investment_project_kind": "headquarters",
                     "investment_funds_in_place": D("50000000")}},
}


def setUpModule():
    os.environ.setdefault("FISC_POLICY_DIR", POLICY_DIR)


def due(result, program):
    """What an agreement's item of a year's Result grants: its "due" (a subsidy) and its
    "concession" (a rent or land-price concession, named apart); 0 when it has neither."""
    amounts = result[program].amounts
    return amounts.get("due", D(0)) + amounts.get("concession", D(0))


class AgreementCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.policy = fisc.Policy.default()

    @classmethod
    def tearDownClass(cls):
        cls.policy.close()

    def load(self, path, **kwargs):
        ag = fisc.Agreement.load(path, policy=kwargs.get("policy", self.policy))
        self.addCleanup(ag.close)
        return ag

    def keep(self, res):
        self.addCleanup(res.close)
        return res


class Loading(AgreementCase):
    def test_manufacturing(self):
        ag = self.load(MANUFACTURING)
        self.assertEqual(ag.id, MFG)
        self.assertIn("示例", ag.title)
        self.assertIn("illustrative", ag.title_in("en"))
        with open(MANUFACTURING, "rb") as f:
            self.assertEqual(ag.hash, hashlib.sha256(f.read()).hexdigest())
        self.assertEqual((ag.first_year, ag.last_year), (2023, 2033))
        self.assertEqual(ag.error_count, 0)
        self.assertFalse([f for f in ag.findings if f.severity == fisc.Severity.ERROR])
        doc = json.loads(ag.check_json())
        self.assertEqual(doc["schema"], "fisc-agreement-check/1")

    def test_default_policy(self):
        with fisc.Agreement.load(HEADQUARTERS) as ag:
            self.assertEqual(ag.id, HQ)
            self.assertEqual(ag.error_count, 0)

    def test_gated_findings(self):
        ag = self.load(GATED)
        self.assertEqual(ag.error_count, 1)
        legal = [f for f in ag.findings if f.id == "legal.fair_competition"]
        self.assertEqual(len(legal), 1)
        f = legal[0]
        self.assertIsInstance(f, fisc.Finding)
        self.assertEqual((f.severity, f.term), (fisc.Severity.ERROR, "contribution"))
        self.assertIn("公平竞争审查条例", f.document)
        self.assertEqual(f.article, "第十条")
        self.assertEqual(f.param, "agreement.fair_competition.restricted_base")
        self.assertFalse(f.provisional)
        self.assertGreater(f.line, 0)
        self.assertTrue(f.message("zh") and f.message("en"))
        self.assertEqual(str(f.severity), "error")

    def test_policy_may_be_closed_after_loading(self):
        policy = fisc.Policy.default()
        ag = fisc.Agreement.load(HEADQUARTERS, policy=policy)
        policy.close()   # the C agreement holds its own reference
        try:
            with ag.evaluate(HEADQUARTERS_ACTUALS) as res:
                self.assertEqual(res.totals["due"], HQ_TOTALS["due"])
        finally:
            ag.close()

    def test_malformed_documents_raise_with_the_position(self):
        with open(MANUFACTURING, encoding="utf-8") as f:
            text = f.read()
        lines = text.splitlines()
        rate_line = next(i for i, l in enumerate(lines, 1) if l == '    rate: "5%"')
        with self.assertRaises(fisc.FiscParseError) as cm:
            fisc.Agreement.loads(text.replace('    rate: "5%"', "    rate: 0.05", 1), self.policy,
                                 name="bad.yaml")
        self.assertEqual((cm.exception.source, cm.exception.line, cm.exception.column),
                         ("bad.yaml", rate_line, 11))
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "typo.yaml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text.replace("    cap_total_wan:", "    cap_totl_wan:", 1))
            with self.assertRaises(fisc.FiscError) as cm:
                fisc.Agreement.load(path, self.policy)
            self.assertIn('did you mean "cap_total_wan"', str(cm.exception))
            self.assertGreater(cm.exception.line, 0)
        with self.assertRaises(fisc.FiscError):
            fisc.Agreement.load(os.path.join(SAMPLES, "no-such.yaml"), self.policy)
        with self.assertRaises(TypeError):
            fisc.Agreement.load(MANUFACTURING, policy="policies/")
        with self.assertRaises(TypeError):
            fisc.Agreement.load(None)

    def test_closed_agreement(self):
        ag = fisc.Agreement.load(HEADQUARTERS, policy=self.policy)
        ag.close()
        ag.close()
        with self.assertRaises(fisc.FiscMisuse):
            ag.id
        with self.assertRaises(fisc.FiscMisuse):
            ag.evaluate(HEADQUARTERS_ACTUALS)


class Evaluation(AgreementCase):
    def test_manufacturing_from_a_path(self):
        res = self.keep(self.load(MANUFACTURING).evaluate(MANUFACTURING_ACTUALS, through=2027))
        self.assertIsInstance(res, fisc.AgreementResult)
        self.assertEqual(list(res.years), [2023, 2024, 2025, 2026, 2027])
        for year, r in res.years.items():
            with self.subTest(year=year):
                self.assertIsInstance(r, fisc.Result)
                self.assertEqual(r.year, year)
                self.assertEqual(due(r, MFG), MFG_DUE[year])
        self.assertEqual(res[2024]["gx.investment_reward"].amounts["reward"], D("1300000.00"))
        self.assertEqual(due(res[2024], MFG + "/equipment"), D("1660000.00"))
        self.assertEqual(due(res[2024], MFG + "/construction"), D("2000000.00"))
        self.assertEqual(res[2023][MFG].amounts["concession"], D("4800000.00"))
        self.assertEqual(res.totals["due"], MFG_TOTAL_DUE)
        self.assertEqual(res.totals["concession"], D("4800000.00"))
        # withheld for good: 1,000,000 (cap a year, 2024) + 200,000 (cap in all, 2025) + 1,380,000
        # (the last instalment, 2027); the 2023 award that waited in 2023 is not withheld
        self.assertEqual(res.totals["withheld"], D("2580000.00"))
        self.assertEqual((res.totals["repay"], res.totals["interest"]), (D(0), D(0)))
        self.assertEqual(res.totals["net"], MFG_TOTAL_DUE)
        self.assertEqual(set(res.totals), set(fisc.agreement.TOTALS))
        for v in res.totals.values():
            self.assertIsInstance(v, Decimal)

    def test_clawback_with_interest(self):
        res = self.keep(self.load(MANUFACTURING).evaluate(MANUFACTURING_BREACH, through=2027))
        pkg = res[2026][MFG]
        self.assertEqual((pkg.amounts["repay"], pkg.amounts["interest"]), (BREACH_REPAY, BREACH_INTEREST))
        self.assertEqual(res[2026][MFG + "/equipment"].amounts["interest"], D("385566.33"))
        self.assertEqual(res[2026].totals["repayment"], BREACH_REPAY + BREACH_INTEREST)
        self.assertEqual(res.totals["repay"], BREACH_REPAY)
        self.assertEqual(res.totals["interest"], BREACH_INTEREST)
        self.assertEqual(res.totals["net"], MFG_TOTAL_DUE - BREACH_REPAY - BREACH_INTEREST)

    def test_headquarters_from_a_dict_equals_the_file(self):
        ag = self.load(HEADQUARTERS)
        from_dict = self.keep(ag.evaluate(HQ_ACTUALS))
        from_file = self.keep(ag.evaluate(HEADQUARTERS_ACTUALS))
        self.assertEqual(from_dict.totals, HQ_TOTALS)
        self.assertEqual(from_file.totals, HQ_TOTALS)
        for year, expected in HQ_DUE.items():
            self.assertEqual(due(from_dict[year], HQ), expected, year)
        self.assertEqual(from_dict.document, from_file.document)
        first = from_dict[2025]
        self.assertEqual(first["gx.investment_reward"].amounts["reward"], D("500000.00"))
        self.assertEqual(first[HQ].amounts["excluded"], D("-500000.00"))
        self.assertEqual(first.totals["subsidy"], D("2400000.00"))

    def test_dict_keys_and_values(self):
        ag = self.load(HEADQUARTERS)
        text_keys = {"years": {str(y): {k: str(v) if isinstance(v, Decimal) else v
                                        for k, v in m.items()}
                               for y, m in HQ_ACTUALS["years"].items()},
                     "events": {"headquarters_registered": "2025-02-18"},
                     "facts": {"2025": {"investment_project_kind": "headquarters",
                                        "investment_funds_in_place": "50000000"}},
                     "fisc_actuals": 1, "agreement": HQ}
        with ag.evaluate(text_keys) as res:
            self.assertEqual(res.totals, HQ_TOTALS)
        # a metric given as None is unknown: the 2027 headcount reward then waits
        unknown = {"years": {2025: {"rent": "1800000", "headcount": None}},
                   "events": {"headquarters_registered": "2025-02-18"}}
        with ag.evaluate(unknown, through=2025) as res:
            self.assertEqual(due(res[2025], HQ + "/headcount"), D(0))
            self.assertEqual(due(res[2025], HQ + "/rent"), D("900000.00"))

    def test_floats_are_refused(self):
        ag = self.load(HEADQUARTERS)
        for bad in ({"years": {2025: {"rent": 1800000.0}}},
                    {"years": {2025: {"headcount": True}}},
                    {"facts": {2025: {"investment_funds_in_place": 5e7}}},
                    {"years": {2025.0: {"rent": "1"}}},
                    {"events": {"headquarters_registered": datetime.datetime(2025, 2, 18)}}):
            with self.subTest(bad=bad):
                with self.assertRaises(TypeError):
                    ag.evaluate(bad)
        with self.assertRaises(TypeError):
            ag.evaluate(HEADQUARTERS_ACTUALS, through=2027.0)
        with self.assertRaises(TypeError):
            ag.evaluate([("rent", "1")])

    def test_bad_actuals_raise_the_bindings_exceptions(self):
        ag = self.load(HEADQUARTERS)
        with self.assertRaises(fisc.FiscError):
            ag.evaluate({"years": {2025: {"no_such_metric": "1"}}})
        with self.assertRaises(fisc.FiscError):
            ag.evaluate({"years": {2025: {"rent": "abc"}}})
        with self.assertRaises(fisc.FiscError):
            ag.evaluate({"events": {"no_such_event": "2025-01-01"}})
        with self.assertRaises(fisc.FiscError):
            ag.evaluate({"events": {"headquarters_registered": "2025-02-30"}})
        with self.assertRaises(fisc.FiscInvalidArgument):
            ag.evaluate({"yeers": {}})
        with self.assertRaises(fisc.FiscError):
            ag.evaluate({"facts": {2025: {"no_such_fact": 1}}})
        with self.assertRaises(fisc.FiscError):
            ag.evaluate(os.path.join(SAMPLES, "no-such.actuals.json"))
        # another agreement's figures, from a file (the library says so) or from a dict
        other = os.path.join(SAMPLES, "manufacturing.actuals.json")
        for actuals in (other, dict(HQ_ACTUALS, agreement=MFG)):
            with self.assertRaises(fisc.FiscInvalidArgument) as cm:
                ag.evaluate(actuals)
            self.assertIn("the actuals are for agreement %s, not %s" % (MFG, HQ), str(cm.exception))
        with self.assertRaises(fisc.FiscError):
            ag.evaluate(HEADQUARTERS_ACTUALS, through=2024)   # before the agreement's first year
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "bad.json")
            with open(path, "w") as f:
                f.write('{\n  "fisc_actuals": 1,\n  "years": {"2025": {"rent": 1.8e6}}\n}\n')
            with self.assertRaises(fisc.FiscError) as cm:
                ag.evaluate(path)
            self.assertEqual(cm.exception.line, 3)

    def test_schedule(self):
        res = self.keep(self.load(MANUFACTURING).schedule(through=2027))
        self.assertTrue(res.schedule)
        self.assertEqual(list(res.years), list(MFG_PLAN_DUE))
        for year, expected in MFG_PLAN_DUE.items():
            self.assertEqual(due(res[year], MFG), expected, year)
            self.assertIsNone(res[year].find("gx.investment_reward"))   # no general program
        self.assertEqual(res.totals["due"], sum(MFG_PLAN_DUE.values()))

    def test_text_json_and_explain(self):
        ag = self.load(MANUFACTURING)
        res = self.keep(ag.evaluate(MANUFACTURING_BREACH, through=2027, explain=True))
        doc = json.loads(res.to_json(), parse_float=Decimal)
        self.assertEqual(doc["schema"], "fisc-agreement/1")
        self.assertEqual(D(doc["totals"]["interest"]), BREACH_INTEREST)
        self.assertEqual(doc, res.document)
        text = res.text("en")
        self.assertIn("15,520,000.00", text)
        explained = res.explain("zh")
        self.assertGreater(len(explained), len(res.text("zh")))
        for clause in ("第五条第一款", "第十条"):
            self.assertIn(clause, explained)
        self.assertIn("385566.33", json.dumps(res[2026][MFG + "/equipment"].trace))
        with self.assertRaises(fisc.FiscInvalidArgument):
            res.text("fr")

    def test_closing_the_result(self):
        res = self.load(HEADQUARTERS).evaluate(HEADQUARTERS_ACTUALS)
        year = res[2025]
        self.assertIn("2025", year.to_json())
        res.close()
        res.close()
        self.assertEqual(due(year, HQ), HQ_DUE[2025])   # the data stay
        self.assertEqual(res.totals["due"], HQ_TOTALS["due"])
        with self.assertRaises(fisc.FiscMisuse):
            res.to_json()
        with self.assertRaises(fisc.FiscMisuse):
            year.to_json()


if __name__ == "__main__":
    unittest.main()
