"""fisc.Policy.evaluate_years: the same facts under each tax year's rules, on the bundled policy
(FISC_POLICY_DIR). Golden values: policy-params.md §9 WE-9 (应纳税所得额 280万, eligible size)."""

import json
import os
import unittest
from decimal import Decimal

import fisc

D = Decimal
HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
POLICY_DIR = os.environ.get("FISC_POLICY_DIR") or os.path.join(SOURCE_ROOT, "policies")

SMALL_MICRO = {"taxable_income": D("2800000"), "employees_average": 100,
               "assets_average": "10000000", "industry_restricted": False}

# WE-9: the tax on 280万 under each year's 小型微利 brackets; 25% of 280万 is 700000.
WE9_TAX = {2019: D("230000.00"), 2020: D("230000.00"), 2021: D("205000.00"),
           2022: D("115000.00"), 2023: D("140000.00"), 2024: D("140000.00"),
           2025: D("140000.00"), 2026: D("140000.00"), 2027: D("140000.00")}


def setUpModule():
    os.environ.setdefault("FISC_POLICY_DIR", POLICY_DIR)


def close_all(results):
    for r in results.values():
        if isinstance(r, fisc.Result):
            r.close()


class EvaluateYears(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.policy = fisc.Policy.default()

    @classmethod
    def tearDownClass(cls):
        cls.policy.close()

    def years(self, *args, **kwargs):
        results = self.policy.evaluate_years(*args, **kwargs)
        self.addCleanup(close_all, results)
        return results

    def test_default_years_are_2019_to_2027(self):
        results = self.years(SMALL_MICRO)
        self.assertEqual(list(results), list(range(2019, 2028)))
        for year, r in results.items():
            with self.subTest(year=year):
                self.assertIsInstance(r, fisc.Result)
                self.assertEqual((r.year, r.quarter), (year, None))
                cit = r["cn.cit"]
                self.assertEqual(cit.outcome, fisc.Outcome.ELIGIBLE)
                self.assertEqual(cit.choice, "small_micro")
                self.assertEqual(cit.amounts["tax"], WE9_TAX[year])
                self.assertEqual(cit.amounts["relief"], D("700000.00") - WE9_TAX[year])

    def test_years_without_rules_do_not_stop_the_others(self):
        # The 企业所得税法 is in force from 2008: the bundled policy has no rules for 2006 or
        # 2007, and says which parameter has no value.
        years = [2006, 2007] + list(range(2019, 2028))
        results = self.years(SMALL_MICRO, years=years)
        self.assertEqual(list(results), years)
        for year in (2006, 2007):
            with self.subTest(year=year):
                err = results[year]
                self.assertIsInstance(err, fisc.FiscNotFound)
                self.assertIsInstance(err, fisc.FiscError)
                self.assertEqual(err.name, "FISC_ENOTFOUND")
                self.assertIn("no value in force on %d-12-31" % year, str(err))
        for year in range(2019, 2028):
            self.assertEqual(results[year]["cn.cit"].amounts["tax"], WE9_TAX[year])

    def test_each_year_is_the_single_year_evaluation(self):
        facts = dict(SMALL_MICRO, hnte_certificate_date="2023-05-10", registered_in_yulin=True,
                     tax_registered_in_yulin=True)
        results = self.years(facts, years=[2022, 2023, 2024])
        for year, r in results.items():
            with self.subTest(year=year):
                with self.policy.evaluate(facts, year=year) as single:
                    self.assertEqual(json.loads(r.to_json()), json.loads(single.to_json()))
                    self.assertEqual(r.totals, single.totals)
        # The Yulin reward (5万元) is paid in the year of recognition only.
        self.assertEqual([results[y]["yulin.hnte_reward"].outcome for y in (2022, 2023, 2024)],
                         ["not_eligible", "eligible", "not_eligible"])
        self.assertEqual(results[2023].totals["subsidy"], D("50000.00"))

    def test_results_share_the_facts_safely(self):
        # The facts are parsed once; closing some results leaves the others usable.
        results = self.policy.evaluate_years(SMALL_MICRO, years=[2021, 2022, 2023])
        facts = results[2023]._facts._shared._facts    # white box: the one parsed set of facts
        self.assertIs(results[2021]._facts._shared._facts, facts)
        try:
            results[2021].close()
            results[2021].close()
            self.assertIn("\"year\": 2022", results[2022].to_json(pretty=True))
            self.assertIn("2800000", results[2023].explain())
            results[2022].close()
            self.assertEqual(results[2023]["cn.cit"].amounts["tax"], D("140000.00"))
            self.assertIn("taxable income", results[2023].explain("en").lower())
            self.assertFalse(facts.closed)
        finally:
            close_all(results)
        self.assertTrue(facts.closed)                 # freed with the last result
        # When every year fails there is no result, and the facts are freed at once.
        self.assertIsInstance(self.years(SMALL_MICRO, years=[2007])[2007], fisc.FiscNotFound)

    def test_order_and_iterables(self):
        results = self.years(SMALL_MICRO, years=(y for y in (2023, 2019)))
        self.assertEqual(list(results), [2023, 2019])
        self.assertEqual(self.years(SMALL_MICRO, years=[]), {})
        without = self.years(SMALL_MICRO, years=[2022], trace=False)
        self.assertFalse(without[2022].traced)
        self.assertEqual(without[2022]["cn.cit"].amounts["tax"], D("115000.00"))

    def test_errors_raise_and_keep_nothing(self):
        with self.assertRaises(fisc.FiscInvalidArgument):
            self.policy.evaluate_years({"no_such_fact": 1})
        with self.assertRaises(TypeError):
            self.policy.evaluate_years(dict(SMALL_MICRO, taxable_income=2800000.0))
        for years in ([2023.0], ["2023"], [True]):
            with self.subTest(years=years):
                with self.assertRaises(TypeError):
                    self.policy.evaluate_years(SMALL_MICRO, years=years)
        for years in ([1989], [2101], [2023, 2023]):
            with self.subTest(years=years):
                with self.assertRaises(fisc.FiscInvalidArgument):
                    self.policy.evaluate_years(SMALL_MICRO, years=years)
        closed = fisc.Policy.default()
        closed.close()
        with self.assertRaises(fisc.FiscMisuse):
            closed.evaluate_years(SMALL_MICRO)


if __name__ == "__main__":
    unittest.main()
