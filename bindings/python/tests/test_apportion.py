"""fisc.apportion: exact sums, caps, pro rata, remainder rules, tie order, errors, handles."""

import random
import unittest
from decimal import Decimal
from fractions import Fraction

import fisc

D = Decimal


def reference_shares(total, weights, caps):
    """Exact shares by water-filling: parts over their cap are fixed at it, the rest of the
    total is split over the others by weight. Returns (shares, unallocated)."""
    n = len(weights)
    w = [Fraction(x) for x in weights]
    c = [None if x is None else Fraction(x) for x in caps]
    shares = [Fraction(0)] * n
    free = set(range(n))
    remaining = Fraction(total)
    while free:
        wsum = sum(w[i] for i in free)
        if wsum == 0:
            break
        over = [i for i in free if c[i] is not None and remaining * w[i] / wsum > c[i]]
        if not over:
            for i in free:
                shares[i] = remaining * w[i] / wsum
            remaining = Fraction(0)
            break
        for i in over:
            shares[i] = c[i]
            remaining -= c[i]
            free.discard(i)
    return shares, remaining


def random_amount(rng, unit, max_units):
    return Decimal(rng.randint(0, max_units)) * unit


def random_weight(rng):
    kind = rng.random()
    if kind < 0.1:
        return Decimal(0)
    if kind < 0.5:
        return Decimal(rng.randint(1, 1000))
    return Decimal(rng.randint(1, 10 ** 7)).scaleb(-rng.randint(1, 4))


UNITS = [D("0.01"), D("0.01"), D("0.05"), D("1"), D("10000")]


class Basics(unittest.TestCase):
    def test_simple_split(self):
        r = fisc.apportion("100.00", ["1", "2"])
        self.assertEqual(r.parts, [D("33.33"), D("66.67")])
        self.assertEqual([str(p) for p in r], ["33.33", "66.67"])
        self.assertEqual(len(r), 2)
        self.assertEqual(r[1], D("66.67"))
        self.assertEqual(r.capped, [False, False])
        self.assertEqual(r.unallocated, 0)
        self.assertEqual(r.remainder, 0)
        self.assertEqual(r.allocated, D("100.00"))
        self.assertEqual(r.exact, [Fraction(100, 3), Fraction(200, 3)])
        self.assertEqual(r.total, D("100.00"))

    def test_parts_show_the_units_decimals(self):
        r = fisc.apportion("1.00", ["1", "1"])
        self.assertEqual([str(p) for p in r], ["0.50", "0.50"])
        self.assertEqual(str(r.unallocated), "0.00")
        r = fisc.apportion("30000", ["1", "2"], unit="10000")
        self.assertEqual([str(p) for p in r], ["10000", "20000"])

    def test_accepts_decimal_int_str(self):
        r = fisc.apportion(D("10.00"), [1, D("1"), "2"])
        self.assertEqual(r.parts, [D("2.50"), D("2.50"), D("5.00")])

    def test_largest_remainder(self):
        # 10 / 3 = 3.333...: one unit left over, to the first part in insertion order.
        self.assertEqual(fisc.apportion("10.00", ["1", "1", "1"]).parts,
                         [D("3.34"), D("3.33"), D("3.33")])
        # largest dropped fraction first, not the first part.
        r = fisc.apportion("1.00", ["1", "2", "4"])   # 14.2857, 28.5714, 57.1428
        self.assertEqual(r.parts, [D("0.14"), D("0.29"), D("0.57")])

    def test_first_remainder(self):
        r = fisc.apportion("1.00", ["1", "1", "1"], remainder="first")
        self.assertEqual(r.parts, [D("0.34"), D("0.33"), D("0.33")])
        r = fisc.apportion("0.05", ["1", "1", "1", "1", "1", "1", "1"], remainder="first")
        self.assertEqual(r.parts, [D("0.05")] + [D("0.00")] * 6)
        r = fisc.apportion("1.00", ["1", "1", "1"], remainder=fisc.Remainder.FIRST,
                           keys=["b", "c", "a"])
        self.assertEqual(r.parts, [D("0.33"), D("0.33"), D("0.34")])

    def test_separate_remainder(self):
        r = fisc.apportion("1.00", ["1", "1", "1"], remainder="separate")
        self.assertEqual(r.parts, [D("0.33")] * 3)
        self.assertEqual(r.remainder, D("0.01"))
        self.assertEqual(r.unallocated, 0)
        self.assertEqual(r.allocated + r.remainder, D("1.00"))
        r = fisc.apportion("100", ["1"] * 7, unit="1", remainder="separate")
        self.assertEqual(r.parts, [D(14)] * 7)
        self.assertEqual(r.remainder, D(2))

    def test_keys_give_the_tie_order(self):
        self.assertEqual(fisc.apportion("0.02", ["1", "1", "1"]).parts,
                         [D("0.01"), D("0.01"), D("0.00")])
        r = fisc.apportion("0.02", ["1", "1", "1"], keys=[3, 1, 2])
        self.assertEqual(r.parts, [D("0.00"), D("0.01"), D("0.01")])
        r = fisc.apportion("0.01", ["1", "1", "1"], keys=["z", "y", "x"])
        self.assertEqual(r.parts, [D("0.00"), D("0.00"), D("0.01")])
        # equal keys keep their position (stable sort)
        r = fisc.apportion("0.02", ["1", "1", "1", "1"], keys=[1, 0, 1, 0])
        self.assertEqual(r.parts, [D("0.00"), D("0.01"), D("0.00"), D("0.01")])
        # keys only break ties: a larger fraction still comes first
        r = fisc.apportion("0.10", ["1", "2"], keys=[0, 1])   # 0.0333, 0.0666
        self.assertEqual(r.parts, [D("0.03"), D("0.07")])

    def test_caps(self):
        r = fisc.apportion("1000", ["1", "1", "1"], caps=["100", None, None])
        self.assertEqual(r.parts, [D("100.00"), D("450.00"), D("450.00")])
        self.assertEqual(r.capped, [True, False, False])
        self.assertEqual(r.unallocated, 0)
        r = fisc.apportion("1000", ["1", "1"], caps=["100", "200"])
        self.assertEqual(r.parts, [D("100.00"), D("200.00")])
        self.assertEqual(r.capped, [True, True])
        self.assertEqual(r.unallocated, D("700.00"))
        # a cap that does not bind
        r = fisc.apportion("100", ["1", "1"], caps=["1000", None])
        self.assertEqual(r.parts, [D("50.00"), D("50.00")])
        self.assertEqual(r.capped, [False, False])
        # redistribution cascades: capping part 0 pushes part 1 over its cap too
        r = fisc.apportion("900", ["4", "2", "3"], caps=["300", "250", None])
        self.assertEqual(r.parts, [D("300.00"), D("240.00"), D("360.00")])
        r = fisc.apportion("1000", ["4", "2", "3"], caps=["300", "250", None])
        self.assertEqual(r.parts, [D("300.00"), D("250.00"), D("450.00")])

    def test_zero_total(self):
        r = fisc.apportion("0", ["1", "2"])
        self.assertEqual(r.parts, [0, 0])
        r = fisc.apportion("0", ["0", "0"])   # all-zero weights are fine with nothing to split
        self.assertEqual(r.parts, [0, 0])


class Prorata(unittest.TestCase):
    def test_budget_above_requests(self):
        r = fisc.apportion("1000", ["100", "200", "300"], mode="prorata")
        self.assertEqual(r.parts, [D("100.00"), D("200.00"), D("300.00")])
        self.assertEqual(r.unallocated, D("400.00"))
        self.assertEqual(r.remainder, 0)
        r = fisc.apportion("600", ["100", "200", "300"], mode=fisc.ApportionMode.PRORATA)
        self.assertEqual(r.parts, [D("100.00"), D("200.00"), D("300.00")])
        self.assertEqual(r.unallocated, 0)

    def test_budget_below_requests(self):   # 同比例核减
        r = fisc.apportion("300", ["100", "200", "300"], mode="prorata")
        self.assertEqual(r.parts, [D("50.00"), D("100.00"), D("150.00")])
        self.assertEqual(r.unallocated, 0)
        r = fisc.apportion("100.00", ["50", "50", "50"], mode="prorata")
        self.assertEqual(r.parts, [D("33.34"), D("33.33"), D("33.33")])

    def test_prorata_with_caps(self):
        r = fisc.apportion("300", ["100", "200", "300"], caps=[None, "50", None],
                           mode="prorata")
        self.assertLessEqual(r.parts[1], D("50.00"))
        self.assertEqual(r.allocated + r.unallocated + r.remainder, D("300"))
        r = fisc.apportion("1000", ["100", "200", "300"], caps=[None, "50", None],
                           mode="prorata")   # within budget: requests, but the cap holds
        self.assertEqual(r.parts, [D("100.00"), D("50.00"), D("300.00")])
        self.assertTrue(r.capped[1])
        self.assertEqual(r.unallocated, D("550.00"))

    def test_capped_flag_means_a_callers_cap(self):
        # apportion.h: FISC_STATUS_CAPPED is set "if the cap held the part"; a part that simply
        # received its full request, with no cap given, was not held by a cap.
        r = fisc.apportion("1000", ["100", "200", "300"], mode="prorata")
        self.assertEqual(r.capped, [False, False, False])
        r = fisc.apportion("1000", ["100", "200", "300"], caps=[None, "50", None],
                           mode="prorata")
        self.assertEqual(r.capped, [False, True, False])

    def test_random(self):
        rng = random.Random(8170)
        for case in range(150):
            unit = rng.choice(UNITS)
            n = rng.randint(1, 10)
            requests = [random_amount(rng, unit, 10 ** 6) for _ in range(n)]
            asked = sum(requests)
            budget = random_amount(rng, unit, int(asked / unit * 2) + 1)
            with self.subTest(case=case, unit=unit, requests=requests, budget=budget):
                r = fisc.apportion(budget, requests, unit=unit, mode="prorata")
                self.assertEqual(r.allocated + r.unallocated + r.remainder, budget)
                if budget >= asked:
                    self.assertEqual(r.parts, requests)
                    self.assertEqual(r.unallocated, budget - asked)
                else:
                    self.assertEqual(r.allocated, budget)
                    self.assertEqual(r.unallocated, 0)
                    for part, req in zip(r.parts, requests):
                        exact = Fraction(req) * Fraction(budget) / Fraction(asked)
                        self.assertLess(abs(Fraction(part) - exact), Fraction(unit))
                        self.assertLessEqual(part, req)


class RandomWeights(unittest.TestCase):
    def check_common(self, r, total, unit, n):
        self.assertEqual(len(r), n)
        self.assertEqual(r.allocated + r.unallocated + r.remainder, total)
        for p in r.parts:
            self.assertGreaterEqual(p, 0)
            self.assertEqual(p % unit, 0, "part %s is not a multiple of %s" % (p, unit))

    def test_uncapped_sum_is_exact(self):
        rng = random.Random(20240601)
        for case in range(300):
            unit = rng.choice(UNITS)
            n = rng.randint(1, 15)
            weights = [random_weight(rng) for _ in range(n)]
            if not any(weights):
                weights[0] = Decimal(1)
            total = random_amount(rng, unit, rng.choice([0, 1, 7, 100, 10 ** 4, 10 ** 9]))
            with self.subTest(case=case, unit=unit, weights=weights, total=total):
                r = fisc.apportion(total, weights, unit=unit)
                self.check_common(r, total, unit, n)
                self.assertEqual(sum(r.parts), total)
                self.assertEqual(r.unallocated, 0)
                self.assertEqual(r.remainder, 0)
                self.assertEqual(r.capped, [False] * n)
                ref, _ = reference_shares(total, weights, [None] * n)
                self.assertEqual(r.exact, ref)
                for part, exact in zip(r.parts, ref):
                    self.assertLess(abs(Fraction(part) - exact), Fraction(unit))

    def test_caps_respected(self):
        rng = random.Random(4754)
        for case in range(300):
            unit = rng.choice(UNITS)
            n = rng.randint(1, 12)
            weights = [random_weight(rng) for _ in range(n)]
            if not any(weights):
                weights[-1] = Decimal(3)
            total = random_amount(rng, unit, rng.choice([10, 1000, 10 ** 6]))
            most = int(total / unit) // n + 3
            caps = [None if rng.random() < 0.4 else random_amount(rng, unit, most)
                    for _ in range(n)]
            with self.subTest(case=case, unit=unit, weights=weights, caps=caps, total=total):
                r = fisc.apportion(total, weights, caps=caps, unit=unit)
                self.check_common(r, total, unit, n)
                self.assertEqual(r.remainder, 0)
                ref, ref_unallocated = reference_shares(total, weights, caps)
                self.assertEqual(r.unallocated, ref_unallocated)
                for i, (part, exact, cap) in enumerate(zip(r.parts, ref, caps)):
                    if cap is not None:
                        self.assertLessEqual(part, cap)
                    if r.capped[i]:
                        self.assertEqual(part, cap)
                    else:
                        self.assertLess(abs(Fraction(part) - exact), Fraction(unit),
                                        "part %d: %s vs exact %s" % (i, part, exact))

    def test_separate_and_first_keep_the_sum(self):
        rng = random.Random(32100)
        for case in range(100):
            unit = rng.choice(UNITS)
            n = rng.randint(1, 9)
            weights = [Decimal(rng.randint(1, 50)) for _ in range(n)]
            total = random_amount(rng, unit, 10 ** 5)
            keys = [rng.randint(0, 3) for _ in range(n)]
            with self.subTest(case=case, weights=weights, total=total, keys=keys):
                sep = fisc.apportion(total, weights, unit=unit, remainder="separate", keys=keys)
                self.assertEqual(sep.allocated + sep.remainder, total)
                self.assertLess(sep.remainder, unit * n)
                ref, _ = reference_shares(total, weights, [None] * n)
                for part, exact in zip(sep.parts, ref):
                    self.assertLessEqual(Fraction(part), exact)   # rounded down
                    self.assertLess(exact - Fraction(part), Fraction(unit))
                first = fisc.apportion(total, weights, unit=unit, remainder="first", keys=keys)
                self.assertEqual(first.allocated, total)
                lucky = sorted(range(n), key=keys.__getitem__)[0]
                for i in range(n):
                    expected = sep.parts[i] + (sep.remainder if i == lucky else 0)
                    self.assertEqual(first.parts[i], expected)


class Errors(unittest.TestCase):
    def test_negative_weight(self):
        with self.assertRaises(fisc.FiscInvalidArgument) as cm:
            fisc.apportion("100", ["1", "-1", "2"])
        self.assertIsInstance(cm.exception, ValueError)
        self.assertEqual(cm.exception.code, fisc.Status.EINVAL)

    def test_negative_cap(self):
        with self.assertRaises(fisc.FiscInvalidArgument):
            fisc.apportion("100", ["1", "1"], caps=[None, "-5"])

    def test_all_zero_weights_with_positive_total(self):
        with self.assertRaises(fisc.FiscInvalidArgument):
            fisc.apportion("100", ["0", "0", "0"])

    def test_bad_total(self):
        with self.assertRaises(fisc.FiscInvalidArgument):
            fisc.apportion("-1", ["1"])
        with self.assertRaises(fisc.FiscInvalidArgument):
            fisc.apportion("1.005", ["1"])              # not a multiple of 0.01
        with self.assertRaises(fisc.FiscInvalidArgument):
            fisc.apportion("15", ["1"], unit="10")
        with self.assertRaises(fisc.FiscParseError) as cm:
            fisc.apportion("1,000", ["1"])
        self.assertEqual(cm.exception.source, "total")

    def test_no_parts(self):
        with self.assertRaises(fisc.FiscInvalidArgument):
            fisc.apportion("100", [])

    def test_bad_unit(self):
        for unit in ("0", "-0.01"):
            with self.subTest(unit=unit):
                with self.assertRaises(fisc.FiscInvalidArgument):
                    fisc.apportion("100", ["1"], unit=unit)

    def test_bad_arguments(self):
        with self.assertRaises(fisc.FiscInvalidArgument):
            fisc.apportion("100", ["1", "1"], caps=[None])
        with self.assertRaises(ValueError):
            fisc.apportion("100", ["1", "1"], keys=[1])
        with self.assertRaises(ValueError):
            fisc.apportion("100", ["1"], remainder="biggest")
        with self.assertRaises(ValueError):
            fisc.apportion("100", ["1"], mode="equal")
        with self.assertRaises(TypeError):
            fisc.apportion("100", "12")
        with self.assertRaises(fisc.FiscParseError) as cm:
            fisc.apportion("100", ["1", "x"])
        self.assertEqual(cm.exception.source, "weights[1]")


class Handle(unittest.TestCase):
    def test_reuse_with_other_options(self):
        with fisc.Apportioner(["1", "1", "1"]) as ap:
            self.assertEqual(len(ap), 3)
            self.assertEqual(ap.run("1.00").parts, [D("0.34"), D("0.33"), D("0.33")])
            self.assertEqual(ap.run("1.00", keys=[2, 1, 0]).parts,
                             [D("0.33"), D("0.33"), D("0.34")])
            ap.add("3", cap="0.10")
            r = ap.run("1.00", remainder="separate")
            self.assertEqual(len(r), 4)
            self.assertEqual(r.parts[3], D("0.10"))
            self.assertTrue(r.capped[3])
            self.assertEqual(r.allocated + r.remainder, D("1.00"))
        self.assertTrue(ap.closed)
        ap.close()   # idempotent

    def test_closed_handle_is_misuse(self):
        ap = fisc.Apportioner(["1"])
        ap.close()
        with self.assertRaises(fisc.FiscMisuse):
            ap.run("1.00")
        with self.assertRaises(fisc.FiscMisuse):
            len(ap)

    def test_failed_run_then_good_run(self):
        with fisc.Apportioner(["0", "0"]) as ap:
            with self.assertRaises(fisc.FiscInvalidArgument):
                ap.run("1.00")
            self.assertEqual(ap.run("0").parts, [0, 0])

    def test_many_handles_are_released(self):
        for _ in range(2000):
            fisc.Apportioner(["1", "2"]).run("3.00")   # freed by __del__


if __name__ == "__main__":
    unittest.main()
