"""fisc.Policy, evaluate and Result on the bundled policy (FISC_POLICY_DIR): golden values from
policy-params.md §9, layers and parameters, the facts dict (never a float), errors, handles."""

import ctypes
import datetime
import glob
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import unittest
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import fisc
from fisc import _ffi
from fisc.policy import facts_to_json

D = Decimal
HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(HERE)                              # bindings/python
SOURCE_ROOT = os.path.dirname(os.path.dirname(PACKAGE_ROOT))
# meson sets FISC_POLICY_DIR; by hand, the source tree's policies/.
POLICY_DIR = os.environ.get("FISC_POLICY_DIR") or os.path.join(SOURCE_ROOT, "policies")
LIB_PATH = os.environ.get("FISC_LIBRARY")

# 应纳税所得额 280万 and eligible size: 小型微利企业 (WE-9).
SMALL_MICRO = {"taxable_income": D("2800000"), "employees_average": 100,
               "assets_average": "10000000", "industry_restricted": False}

# An overlay: the standard rate at 20% from 2023 on (a what-if).
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


def setUpModule():
    # fisc_policy_load_default() reads the variable at each call.
    os.environ.setdefault("FISC_POLICY_DIR", POLICY_DIR)


def policy_files():
    return sorted(glob.glob(os.path.join(POLICY_DIR, "*.yaml")))


def sha256_of(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class PolicyCase(unittest.TestCase):
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

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def cit(self, facts, **period):
        with self.policy.evaluate(facts, **period) as r:
            return r["cn.cit"]


class Loading(PolicyCase):
    def test_default_layers(self):
        layers = self.policy.layers
        files = policy_files()
        self.assertTrue(files, "no policy files in %s" % POLICY_DIR)
        self.assertEqual([l.path for l in layers], files)
        for layer in layers:
            self.assertIsInstance(layer, fisc.Layer)
            self.assertEqual(layer.sha256, sha256_of(layer.path))
            self.assertFalse(layer.is_overlay)
            self.assertTrue(layer.id)
            self.assertTrue(layer.document)

    def test_load_files_is_the_default(self):
        with fisc.Policy.load(*policy_files()) as p:
            self.assertEqual(p.layers, self.policy.layers)
            self.assertEqual(p.params(), self.policy.params())
            self.assertEqual(p.programs, self.policy.programs)
        with fisc.Policy.load(policy_files()) as p:          # a list works too
            self.assertEqual(len(p.layers), len(policy_files()))

    def test_programs(self):
        self.assertIn("cn.cit", self.policy.programs)
        self.assertIn("yulin.hnte_reward", self.policy.programs)

    def test_overlay(self):
        overlay = self.write("what-if.yaml", WHAT_IF_OVERLAY)
        with fisc.Policy.default(overlay=overlay) as p:
            last = p.layers[-1]
            self.assertTrue(last.is_overlay)
            self.assertEqual((last.id, last.path), ("what-if.rate20", overlay))
            e = p.param("cit.rate.standard").at("2024-01-01")
            self.assertEqual((e.value, e.layer, e.evidence), ("20%", "what-if.rate20",
                                                              fisc.Evidence.PLACEHOLDER))
            with p.evaluate(SMALL_MICRO, year=2023) as r:
                self.assertEqual(r["cn.cit"].amounts["tax_standard"], D("560000.00"))
                self.assertEqual(r["cn.cit"].amounts["tax"], D("140000.00"))
                self.assertTrue(r.provisional)      # a placeholder value was used
        with fisc.Policy.load(*policy_files(), overlay=overlay) as p:
            self.assertTrue(p.layers[-1].is_overlay)

    def test_errors(self):
        with self.assertRaises(fisc.FiscInvalidArgument):
            fisc.Policy.load()
        with self.assertRaises(fisc.FiscNotFound) as cm:
            fisc.Policy.load(os.path.join(self.tmp, "nope.yaml"))
        self.assertIn("nope.yaml", cm.exception.source + cm.exception.text)
        with open(policy_files()[0], encoding="utf-8") as f:
            text = f.read()
        bad = self.write("bad.yaml", text + "\nfrobnicate: 1\n")
        with self.assertRaises(fisc.FiscParseError) as cm:
            fisc.Policy.load(bad)
        e = cm.exception
        self.assertEqual((e.source, e.line, e.column), (bad, (text + "\n").count("\n") + 1, 1))
        self.assertIn("frobnicate", e.text)
        with self.assertRaises(TypeError):
            fisc.Policy.load(42)


class Parameters(PolicyCase):
    def test_listing(self):
        params = self.policy.params()
        self.assertGreater(len(params), 5)
        self.assertEqual([p.id for p in params], sorted(p.id for p in params))
        for p in params:
            with self.subTest(param=p.id):
                self.assertIsInstance(p, fisc.Param)
                self.assertIsInstance(p.kind, fisc.ParamKind)
                self.assertTrue(p.label_zh and p.label_en)
                self.assertTrue(p.entries)
                for e in p.entries:
                    self.assertIsInstance(e.from_date, datetime.date)
                    self.assertTrue(e.to_date is None or e.from_date <= e.to_date)
                    self.assertIsInstance(e.evidence, fisc.Evidence)
                    self.assertTrue(e.document)
                    self.assertTrue(e.layer)

    def test_standard_rate(self):
        p = self.policy.param("cit.rate.standard")
        self.assertEqual(p.unit, "rate")
        self.assertEqual(p.kind, fisc.ParamKind.VALUE)
        e = p.at(datetime.date(2023, 6, 30))
        self.assertEqual((e.value, e.evidence), ("25%", fisc.Evidence.CONFIRMED))
        self.assertIn("企业所得税法", e.document)
        self.assertEqual(str(e.evidence), "confirmed")
        self.assertIsNone(self.policy.param("no.such.parameter"))

    def test_at_and_match(self):
        everything = self.policy.params()
        for at in ("2019-06-30", datetime.date(2023, 6, 30), datetime.datetime(2022, 1, 1, 12)):
            with self.subTest(at=at):
                listed = self.policy.params(at=at)
                for p in listed:
                    self.assertEqual(len(p.entries), 1)
                    self.assertTrue(p.entries[0].in_force(at))
                self.assertEqual({p.id for p in listed},
                                 {p.id for p in everything if p.at(at) is not None})
        small = self.policy.params(match="small_micro")
        self.assertTrue(small)
        self.assertEqual(self.policy.params(match="SMALL_MICRO"), small)
        zh = everything[0].label_zh
        self.assertIn(everything[0].id, [p.id for p in self.policy.params(match=zh[:2])])
        self.assertEqual(self.policy.params(match="no-such-parameter"), [])
        with self.assertRaises(fisc.FiscInvalidArgument):
            self.policy.params(at="2023-02-30")
        with self.assertRaises(fisc.FiscInvalidArgument):
            self.policy.params(at="30/06/2023")


class Evaluate(PolicyCase):
    def test_small_micro_2023(self):
        with self.policy.evaluate(SMALL_MICRO, year=2023) as r:
            self.assertIsInstance(r, fisc.Result)
            self.assertEqual((r.schema, r.year, r.quarter), ("fisc-result/1", 2023, None))
            cit = r["cn.cit"]
            self.assertIs(r.find("cn.cit"), cit)
            self.assertEqual(cit.outcome, "eligible")
            self.assertIs(cit.outcome, fisc.Outcome.ELIGIBLE)
            self.assertTrue(cit.eligible)
            self.assertEqual(cit.choice, "small_micro")
            self.assertEqual(cit.categories, {"tax": "tax_payable", "relief": "tax_relief"})
            self.assertEqual(cit.amounts["tax"], D("140000.00"))
            self.assertEqual(str(cit.amounts["tax"]), "140000.00")   # exact text kept
            self.assertEqual(cit.amounts["tax_standard"], D("700000.00"))
            self.assertEqual(cit.amounts["relief"], D("560000.00"))
            for v in cit.amounts.values():
                self.assertIsInstance(v, Decimal)
            self.assertEqual(r.totals, {"tax_payable": D("140000.00"),
                                        "tax_relief": D("560000.00"), "subsidy": D("0.00"),
                                        "repayment": D("0.00")})
            for v in r.totals.values():
                self.assertIsInstance(v, Decimal)
            self.assertIsInstance(r.provisional, bool)
            self.assertTrue(cit.title_zh and cit.title_en and cit.summary_en)
            self.assertTrue(cit.conditions)
            self.assertTrue(cit.params)
            with self.assertRaises(KeyError):
                r["no.such.program"]
            self.assertEqual(len(r), len(list(r)))

    def test_small_micro_across_years(self):
        expected = {2019: "230000.00", 2020: "230000.00", 2021: "205000.00",
                    2022: "115000.00", 2023: "140000.00", 2024: "140000.00"}
        for year, tax in expected.items():
            with self.subTest(year=year):
                cit = self.cit(SMALL_MICRO, year=year)
                self.assertEqual(cit.amounts["tax"], D(tax))
                self.assertEqual(cit.amounts["relief"], D("700000.00") - D(tax))

    def test_cliff(self):
        cit = self.cit(dict(SMALL_MICRO, taxable_income=D("3000100")), year=2023)
        self.assertEqual(cit.outcome, fisc.Outcome.NOT_ELIGIBLE)
        self.assertFalse(cit.eligible)
        self.assertEqual(cit.choice, "standard")
        self.assertEqual(cit.amounts["tax"], D("750025.00"))

    def test_hnte_against_small_micro(self):
        facts = dict(SMALL_MICRO, taxable_income=2000000,
                     hnte_certificate_date=datetime.date(2023, 3, 1))
        cit = self.cit(facts, year=2023)
        self.assertEqual(cit.choice, "small_micro")
        self.assertEqual(cit.amounts["tax"], D("100000.00"))
        self.assertEqual(cit.amounts["tax_hnte"], D("300000.00"))
        # Not small or micro (WE-16, 1000万): the HNTE rate.
        cit = self.cit(dict(facts, taxable_income="10000000"), year=2023)
        self.assertEqual((cit.choice, cit.amounts["tax"]), ("hnte", D("1500000.00")))

    def test_quarterly_prepayment_2019(self):
        # WE-7; quarters as (start, end) pairs, and quarter as an int or "YYYYQn".
        q1 = {"taxable_income": "1500000", "employees": {"Q1": (120, 200)},
              "assets": {"Q1": (D("20000000"), D("40000000"))}, "industry_restricted": False}
        with self.policy.evaluate(q1, year=2019, quarter=1) as r:
            self.assertEqual((r.year, r.quarter), (2019, 1))
            self.assertEqual(r["cn.cit"].amounts["tax"], D("100000.00"))
        self.assertEqual(self.cit(q1, quarter="2019Q1").amounts["tax"], D("100000.00"))
        q2 = {"taxable_income": "2000000",
              "employees": {"Q1": {"start": 120, "end": 200}, "Q2": (400, 500)},
              "assets": {"Q1": (20000000, 40000000), "Q2": (40000000, 66000000)},
              "industry_restricted": False}
        cit = self.cit(q2, quarter="2019Q2")
        self.assertEqual(cit.outcome, "not_eligible")
        self.assertEqual(cit.amounts["tax"], D("500000.00"))

    def test_yulin_reward(self):
        facts = dict(SMALL_MICRO, hnte_certificate_date="2023-05-10", registered_in_yulin=True,
                     tax_registered_in_yulin=True)
        with self.policy.evaluate(facts, year=2023) as r:
            reward = r["yulin.hnte_reward"]
            self.assertTrue(reward.eligible)
            self.assertEqual(list(reward.amounts.values()), [D("50000.00")])
            self.assertEqual(r.totals["subsidy"], D("50000.00"))
        facts["tax_registered_in_yulin"] = False
        with self.policy.evaluate(facts, year=2023) as r:
            self.assertEqual(r["yulin.hnte_reward"].outcome, "not_eligible")

    def test_missing_facts(self):
        cit = self.cit({"taxable_income": "2800000"}, year=2023)
        self.assertEqual(cit.outcome, fisc.Outcome.UNDETERMINED)
        self.assertTrue(cit.missing)

    def test_trace_and_reports(self):
        with self.policy.evaluate(SMALL_MICRO, year=2023) as r:
            self.assertTrue(r.traced)
            self.assertTrue(r["cn.cit"].trace)
            zh = r.explain()
            self.assertIn("应纳税所得额", zh)
            self.assertIn("2800000", zh)
            en = r.explain("en")
            self.assertIn("taxable income", en.lower())
            self.assertLess(len(r.text("en")), len(en))
            doc = json.loads(r.to_json(), parse_float=Decimal)
            self.assertEqual(doc["schema"], "fisc-result/1")
            self.assertTrue(doc["items"][0].get("trace") is not None)
            self.assertNotIn("trace", json.loads(r.to_json(trace=False))["items"][0])
            self.assertIn("\n  ", r.to_json(pretty=True))
            self.assertEqual(json.loads(r.to_json(pretty=True)), json.loads(r.to_json()))
            with self.assertRaises(fisc.FiscInvalidArgument):
                r.explain("fr")
        with self.policy.evaluate(SMALL_MICRO, year=2023, trace=False) as r:
            self.assertFalse(r.traced)
            self.assertEqual(r["cn.cit"].trace, [])
            self.assertEqual(r["cn.cit"].amounts["tax"], D("140000.00"))

    def test_without_trace(self):
        # docs/result-schema.md: untraced (batch work), the texts are empty; outcomes, states,
        # amounts, missing facts and parameters are all still there.
        with self.policy.evaluate(SMALL_MICRO, year=2023, trace=True) as traced, \
                self.policy.evaluate(SMALL_MICRO, year=2023, trace=False) as bare:
            a, b = traced["cn.cit"], bare["cn.cit"]
            self.assertIn("small and micro enterprise relief applies", a.summary_en)
            self.assertTrue(any("2800000 ≤ 3000000" == c["detail"] for c in a.conditions))
            self.assertEqual((b.summary_zh, b.summary_en), ("", ""))
            for field in ("outcome", "amounts", "categories", "choice", "missing", "params",
                          "provisional"):
                self.assertEqual(getattr(a, field), getattr(b, field), field)
            self.assertEqual([(c["id"], c["state"]) for c in a.conditions],
                             [(c["id"], c["state"]) for c in b.conditions])
            self.assertEqual(traced.totals, bare.totals)

    def test_result_data_outlive_close(self):
        r = self.policy.evaluate(SMALL_MICRO, year=2023)
        r.close()
        r.close()
        self.assertEqual(r["cn.cit"].amounts["tax"], D("140000.00"))
        with self.assertRaises(fisc.FiscMisuse):
            r.explain()

    def test_result_refuses_a_closed_policy(self):
        p = fisc.Policy.default()
        r = p.evaluate(SMALL_MICRO, year=2023)
        p.close()
        with self.assertRaises(fisc.FiscMisuse):
            r.to_json()
        with self.assertRaises(fisc.FiscMisuse):
            p.evaluate(SMALL_MICRO, year=2023)
        with self.assertRaises(fisc.FiscMisuse):
            p.layers
        r.close()
        self.assertIn("closed", repr(p))

    def test_period_arguments(self):
        for kwargs in ({}, {"quarter": 5}, {"quarter": "2019Q5"}, {"quarter": "19Q1"},
                       {"year": 2020, "quarter": "2019Q2"}, {"quarter": -1, "year": 2019}):
            with self.subTest(kwargs=kwargs):
                with self.assertRaises(fisc.FiscInvalidArgument):
                    self.policy.evaluate(SMALL_MICRO, **kwargs)
        for kwargs in ({"year": 2023.0}, {"year": True}, {"year": "2023"},
                       {"year": 2019, "quarter": 1.0}):
            with self.subTest(kwargs=kwargs):
                with self.assertRaises(TypeError):
                    self.policy.evaluate(SMALL_MICRO, **kwargs)
        with self.assertRaises(fisc.FiscInvalidArgument):
            self.policy.evaluate(SMALL_MICRO, year=1800)       # the library's range check
        self.assertEqual(self.cit(SMALL_MICRO, year=2019, quarter="2019q4").amounts["tax"],
                         self.cit(SMALL_MICRO, year=2019, quarter=4).amounts["tax"])

    def test_threads(self):
        def work(year):
            return [self.cit(SMALL_MICRO, year=year).amounts["tax"] for _ in range(20)]

        years = [2019, 2021, 2022, 2023] * 4
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(work, years))
        taxes = {2019: D("230000.00"), 2021: D("205000.00"), 2022: D("115000.00"),
                 2023: D("140000.00")}
        for year, got in zip(years, results):
            self.assertEqual(set(got), {taxes[year]})


class Facts(PolicyCase):
    def test_json_conversion(self):
        doc = json.loads(facts_to_json({
            "taxable_income": D("1E+3"), "assets_average": D("0.0000001"), "employees_average": 7,
            "hnte_certificate_date": datetime.date(2023, 3, 1), "industry_restricted": False,
            "uscc": None, "employees": {"Q1": (1, 2), "Q2": {"start": D("3"), "end": 4}}}))
        self.assertEqual(doc, {
            "taxable_income": "1000", "assets_average": "0.0000001", "employees_average": 7,
            "hnte_certificate_date": "2023-03-01", "industry_restricted": False, "uscc": None,
            "employees": {"Q1": {"start": 1, "end": 2}, "Q2": {"start": "3", "end": 4}}})

    def test_float_is_refused(self):
        for facts in ({"taxable_income": 2800000.0},
                      {"employees": {"Q1": (120.0, 200)}},
                      {"employees": {"Q1": {"start": 1, "end": 2.5}}}):
            with self.subTest(facts=facts):
                with self.assertRaises(TypeError) as cm:
                    self.policy.evaluate(facts, year=2023)
                self.assertIn("Decimal('1234.56')", str(cm.exception))

    def test_other_bad_values(self):
        with self.assertRaises(TypeError):
            self.policy.evaluate([("taxable_income", "1")], year=2023)
        with self.assertRaises(TypeError):
            facts_to_json({"taxable_income": object()})
        with self.assertRaises(TypeError):
            facts_to_json({1: "x"})
        with self.assertRaises(TypeError):
            facts_to_json({"hnte_certificate_date": datetime.datetime(2023, 1, 1)})
        with self.assertRaises(fisc.FiscInvalidArgument):
            facts_to_json({"taxable_income": D("NaN")})
        with self.assertRaises(fisc.FiscInvalidArgument):
            facts_to_json({"employees": {"Q1": (1, 2, 3)}})

    def test_library_errors_name_the_fact(self):
        with self.assertRaises(fisc.FiscInvalidArgument) as cm:
            self.policy.evaluate({"taxable_incme": "1"}, year=2023)
        self.assertIn("did you mean", cm.exception.text)
        self.assertIn("taxable_income", cm.exception.text)
        self.assertEqual(cm.exception.name, "FISC_EINVAL")
        with self.assertRaises(fisc.FiscError):
            self.policy.evaluate({"industry_restricted": "maybe"}, year=2023)
        with self.assertRaises(fisc.FiscError):
            self.policy.evaluate({"hnte_certificate_date": "2023-02-30"}, year=2023)

    def test_vocabulary(self):
        vocab = {f.name: f for f in fisc.fact_vocabulary()}
        self.assertEqual(vocab["taxable_income"].type, fisc.FactType.DECIMAL)
        self.assertEqual(vocab["taxable_income"].unit, "元")
        self.assertEqual(vocab["taxable_income"].label_zh, "应纳税所得额")
        self.assertEqual(vocab["employees"].type, fisc.FactType.QUARTERS)
        self.assertEqual(vocab["hnte_certificate_date"].type, fisc.FactType.DATE)
        for name in SMALL_MICRO:
            self.assertIn(name, vocab)


class Binding(unittest.TestCase):
    def test_caller_owned_strings_are_not_c_char_p(self):
        for name in ("fisc_facts_get", "fisc_result_to_json", "fisc_result_to_text"):
            self.assertIs(_ffi._PROTOTYPES[name][0][0], ctypes.POINTER(ctypes.c_void_p))

    def test_enums_match_the_header(self):
        header = os.path.join(SOURCE_ROOT, "include", "fisc")
        if not os.path.isdir(header):
            self.skipTest("headers not found")
        with open(os.path.join(header, "policy.h"), encoding="utf-8") as f:
            policy_h = f.read()
        with open(os.path.join(header, "evaluate.h"), encoding="utf-8") as f:
            evaluate_h = f.read()
        for member in fisc.Evidence:
            self.assertIn("FISC_EVIDENCE_%s = %d" % (member.name, member), policy_h)
        for member in fisc.ParamKind:
            self.assertIn("FISC_PARAM_%s = %d" % (member.name, member), policy_h)
        for member in fisc.Category:
            self.assertIn("FISC_CATEGORY_%s = %d" % (member.name, member), evaluate_h)
        for i, name in enumerate(("ELIGIBLE", "NOT_ELIGIBLE", "UNDETERMINED")):
            self.assertIn("FISC_OUTCOME_%s = %d" % (name, i), evaluate_h)
            self.assertEqual(fisc.Outcome[name].value, name.lower())

    @unittest.skipUnless(LIB_PATH, "FISC_LIBRARY is not set")
    def test_handles_alive_at_interpreter_shutdown(self):
        code = ("import sys, fisc\n"
                "p = fisc.Policy.default()\n"
                "r = p.evaluate({'taxable_income': '100'}, year=2023)\n"
                "sys.modules['__keep__'] = [p, r, fisc.Policy.default()]\n")
        env = dict(os.environ)
        env["PYTHONPATH"] = PACKAGE_ROOT + os.pathsep + env.get("PYTHONPATH", "")
        r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                           timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")


if __name__ == "__main__":
    unittest.main()
