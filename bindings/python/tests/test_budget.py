"""fisc.allocate_budget: pro rata over and under budget, caps, ties by USCC, bad and duplicate
USCCs, the reconciliation."""

import unittest
from decimal import Decimal

import fisc

D = Decimal

# Valid codes (GB 32100-2015), in code order: LOW < MID < HIGH.
LOW, MID, HIGH = "91110000802100433B", "91330100716105852F", "91440300708461136T"


class TestAllocateBudget(unittest.TestCase):
    def test_over_budget_is_scaled_down_pro_rata(self):
        r = fisc.allocate_budget([(HIGH, "300.00"), (MID, "100.00"), (LOW, "100.00")], "250.00",
                                 program="demo")
        self.assertEqual([row.allocated for row in r], [D("150.00"), D("50.00"), D("50.00")])
        self.assertEqual([row.capped for row in r], [False, False, False])
        rec = r.reconciliation
        self.assertEqual((rec.program, rec.budget, rec.paid, rec.unallocated),
                         ("demo", D("250.00"), D("250.00"), D("0.00")))

    def test_under_budget_each_gets_its_amount(self):
        r = fisc.allocate_budget([(HIGH, "300.00"), (MID, "100.00"), (LOW, "100.00")], "1000.00")
        self.assertEqual([row.allocated for row in r], [D("300.00"), D("100.00"), D("100.00")])
        rec = r.reconciliation
        self.assertIsNone(rec.program)
        self.assertEqual((rec.budget, rec.paid, rec.unallocated),
                         (D("1000.00"), D("500.00"), D("500.00")))

    def test_cap_binds_and_the_excess_is_redistributed(self):
        # 200 over 500 is 40%: HIGH would get 120.00 but its cap is 50.00; the other 150.00 is
        # split equally between MID and LOW (75.00 each, within their approved 100.00).
        r = fisc.allocate_budget([
            {"uscc": HIGH, "name": "甲", "approved": "300.00", "cap": "50.00"},
            {"uscc": MID, "approved": "100.00"},
            (LOW, "100.00", None, "丙"),
        ], "200.00")
        self.assertEqual([row.allocated for row in r], [D("50.00"), D("75.00"), D("75.00")])
        self.assertEqual([row.capped for row in r], [True, False, False])
        self.assertEqual([row.name for row in r], ["甲", None, "丙"])
        self.assertEqual(r[0].cap, D("50.00"))
        self.assertEqual(r.reconciliation.paid, D("200.00"))
        self.assertEqual(r.reconciliation.unallocated, D("0.00"))

    def test_ties_go_to_the_lowest_uscc_whatever_the_order(self):
        for order in ([HIGH, MID, LOW], [LOW, MID, HIGH], [MID, LOW, HIGH]):
            r = fisc.allocate_budget([(c, "100.00") for c in order], "100.00")
            got = {row.uscc: row.allocated for row in r}
            self.assertEqual(got, {LOW: D("33.34"), MID: D("33.33"), HIGH: D("33.33")}, order)
            self.assertEqual(r.reconciliation.paid, D("100.00"))

    def test_two_extra_fen_go_to_the_two_lowest_usccs(self):
        r = fisc.allocate_budget([(HIGH, "100.00"), (MID, "100.00"), (LOW, "100.00")], "100.01")
        self.assertEqual([row.allocated for row in r], [D("33.33"), D("33.34"), D("33.34")])

    def test_uscc_is_normalised(self):
        r = fisc.allocate_budget([("9111 0000-802100433b", "10.00")], "5.00")
        self.assertEqual(r[0].uscc, LOW)
        self.assertEqual(r[0].allocated, D("5.00"))

    def test_bad_uscc_names_the_row(self):
        with self.assertRaises(fisc.FiscInvalidArgument) as cm:
            fisc.allocate_budget([(HIGH, "1.00"), ("91330100716105852A", "1.00")], "1.00")
        self.assertIn("applicants[1]", str(cm.exception))
        self.assertIn("'F'", str(cm.exception))
        self.assertEqual(cm.exception.column, 18)
        self.assertEqual(cm.exception.source, "applicants[1]")

    def test_duplicate_uscc_is_an_error(self):
        with self.assertRaises(fisc.FiscInvalidArgument) as cm:
            fisc.allocate_budget([(MID, "1.00"), (HIGH, "1.00"), ("9133 0100716105852f", "1.00")],
                                 "1.00")
        self.assertIn("applicants[2]", str(cm.exception))
        self.assertIn("duplicate USCC %s (also applicants[0])" % MID, str(cm.exception))

    def test_bad_inputs(self):
        with self.assertRaises(fisc.FiscInvalidArgument):
            fisc.allocate_budget([], "1.00")
        with self.assertRaises(fisc.FiscInvalidArgument):
            fisc.allocate_budget([{"uscc": HIGH}], "1.00")
        with self.assertRaises(TypeError):
            fisc.allocate_budget([(HIGH, 1.5)], "1.00")


if __name__ == "__main__":
    unittest.main()
