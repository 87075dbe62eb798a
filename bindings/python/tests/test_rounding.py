"""fisc.round_amount / fisc.round_to_unit: every mode, ties on both signs, units, residues."""

import decimal
import random
import unittest
from decimal import Decimal
from fractions import Fraction

import fisc
from fisc import Rounding


class RoundAmountModes(unittest.TestCase):
    # (value, mode, expected) at 2 places; ties on both signs for every mode.
    CASES = [
        ("2.665", "half_up", "2.67"),
        ("-2.665", "half_up", "-2.67"),
        ("2.675", "half_up", "2.68"),
        ("2.664", "half_up", "2.66"),
        ("2.665", "half_even", "2.66"),
        ("2.675", "half_even", "2.68"),
        ("-2.665", "half_even", "-2.66"),
        ("-2.675", "half_even", "-2.68"),
        ("2.6651", "half_even", "2.67"),
        ("2.665", "half_down", "2.66"),
        ("-2.665", "half_down", "-2.66"),
        ("2.6651", "half_down", "2.67"),
        ("2.669", "down", "2.66"),
        ("-2.669", "down", "-2.66"),
        ("2.661", "up", "2.67"),
        ("-2.661", "up", "-2.67"),
        ("2.661", "ceiling", "2.67"),
        ("-2.661", "ceiling", "-2.66"),
        ("2.661", "floor", "2.66"),
        ("-2.661", "floor", "-2.67"),
        ("2.66", "up", "2.66"),
        ("-2.66", "floor", "-2.66"),
        ("0.005", "half_up", "0.01"),
        ("-0.005", "half_up", "-0.01"),
        ("0.004", "up", "0.01"),
        ("1234567890123456789012345678901234567890.125", "half_up",
         "1234567890123456789012345678901234567890.13"),
    ]

    def test_modes(self):
        for value, mode, expected in self.CASES:
            with self.subTest(value=value, mode=mode):
                got = fisc.round_amount(value, 2, mode)
                self.assertEqual(got, Decimal(expected))
                self.assertEqual(str(got), expected)  # exactly 2 decimals, no exponent

    def test_mode_as_enum_and_aliases(self):
        self.assertEqual(fisc.round_amount("2.665", 2, Rounding.HALF_EVEN), Decimal("2.66"))
        self.assertEqual(fisc.round_amount("2.665", 2, "HALF_EVEN"), Decimal("2.66"))
        self.assertEqual(fisc.round_amount("2.665", 2, "ROUND_HALF_EVEN"), Decimal("2.66"))
        self.assertEqual(fisc.round_amount("2.665", 2, int(Rounding.HALF_UP)), Decimal("2.67"))

    def test_enum_values_are_pinned(self):
        self.assertEqual([m.name for m in Rounding],
                         ["HALF_UP", "HALF_EVEN", "HALF_DOWN", "DOWN", "UP", "CEILING", "FLOOR"])
        self.assertEqual([int(m) for m in Rounding], list(range(7)))

    def test_unknown_mode(self):
        for mode in ("half-sideways", "", 7, -1, None, 2.5, True):
            with self.subTest(mode=mode):
                with self.assertRaises(ValueError):
                    fisc.round_amount("1", 2, mode)

    def test_default_is_half_up_two_places(self):
        self.assertEqual(str(fisc.round_amount("2.665")), "2.67")
        self.assertEqual(str(fisc.round_amount(Decimal("-2.665"))), "-2.67")

    def test_result_has_exactly_places_decimals(self):
        self.assertEqual(str(fisc.round_amount("2", 2)), "2.00")
        self.assertEqual(str(fisc.round_amount(2, 4)), "2.0000")
        self.assertEqual(str(fisc.round_amount("2.5", 0)), "3")
        self.assertEqual(str(fisc.round_amount("2.5", 0, "half_even")), "2")
        self.assertEqual(str(fisc.round_amount("1.23456789", 6)), "1.234568")
        self.assertEqual(fisc.round_amount("2.665", 2).as_tuple().exponent, -2)

    def test_negative_places(self):
        self.assertEqual(fisc.round_amount("1234.5", -2), Decimal("1200"))
        self.assertEqual(fisc.round_amount("1250", -2), Decimal("1300"))
        self.assertEqual(fisc.round_amount("1250", -2, "half_even"), Decimal("1200"))
        self.assertEqual(fisc.round_amount("12345678", -4), Decimal("12350000"))
        self.assertEqual(fisc.round_amount("-1250", -2), Decimal("-1300"))

    def test_negative_places_down_to_the_header_limit(self):
        # decimal.h: "places from -FISC_DECIMAL_MAX_INT_DIGITS to 36", i.e. -40..36.
        self.assertEqual(fisc.round_amount("1", -38), 0)
        self.assertEqual(fisc.round_amount("5" + "0" * 37, -38), Decimal("1" + "0" * 38))
        self.assertEqual(fisc.round_amount("1", -39), 0)
        self.assertEqual(fisc.round_amount("5" + "0" * 38, -39), Decimal("1" + "0" * 39))
        self.assertEqual(fisc.round_amount("1", -40), 0)
        self.assertEqual(fisc.round_amount("4" + "0" * 39, -40), 0)
        self.assertEqual(fisc.round_amount("5" + "0" * 39, -40), Decimal("1" + "0" * 40))
        self.assertEqual(fisc.round_amount("1", -40, "up"), Decimal("1" + "0" * 40))
        with self.assertRaises(fisc.FiscInvalidArgument):
            fisc.round_amount("1", -41)

    def test_places_out_of_range(self):
        with self.assertRaises(fisc.FiscInvalidArgument):
            fisc.round_amount("1", 37)
        with self.assertRaises(TypeError):
            fisc.round_amount("1", 2.0)
        with self.assertRaises(TypeError):
            fisc.round_amount("1", "2")

    def test_round_once_not_stepwise(self):
        # GB/T 8170: 8.53459 -> 8.53 directly (stepwise rounding would give 8.54).
        self.assertEqual(fisc.round_amount("8.53459", 2), Decimal("8.53"))

    def test_with_residue(self):
        r = fisc.round_amount("2.665", 2, with_residue=True)
        self.assertEqual(r, fisc.RoundResult(Decimal("2.67"), Decimal("-0.005"), True))
        value, residue, inexact = fisc.round_amount("-2.661", 2, "floor", with_residue=True)
        self.assertEqual((value, residue, inexact), (Decimal("-2.67"), Decimal("0.009"), True))
        r = fisc.round_amount("2.60", 2, with_residue=True)
        self.assertEqual(r.value, Decimal("2.60"))
        self.assertEqual(r.residue, 0)
        self.assertFalse(r.inexact)
        for value in ("1.005", "-7.125", "0.333333", "123456.789"):
            for mode in Rounding:
                r = fisc.round_amount(value, 2, mode, with_residue=True)
                self.assertEqual(r.value + r.residue, Decimal(value), (value, mode))


class RoundToUnit(unittest.TestCase):
    CASES = [
        # unit 0.05
        ("2.661", "0.05", "half_up", "2.65"),
        ("2.675", "0.05", "half_up", "2.70"),
        ("2.625", "0.05", "half_up", "2.65"),
        ("2.625", "0.05", "half_even", "2.60"),
        ("2.675", "0.05", "half_even", "2.70"),
        ("2.625", "0.05", "half_down", "2.60"),
        ("-2.625", "0.05", "half_up", "-2.65"),
        ("2.651", "0.05", "up", "2.70"),
        ("2.699", "0.05", "down", "2.65"),
        ("-2.651", "0.05", "ceiling", "-2.65"),
        ("-2.651", "0.05", "floor", "-2.70"),
        ("2.6", "0.05", "half_up", "2.60"),
        # unit 10
        ("15", "10", "half_up", "20"),
        ("25", "10", "half_even", "20"),
        ("35", "10", "half_even", "40"),
        ("15", "10", "half_down", "10"),
        ("-15", "10", "half_up", "-20"),
        ("14.99", "10", "half_up", "10"),
        ("11", "10", "up", "20"),
        ("19.99", "10", "down", "10"),
        ("-11", "10", "ceiling", "-10"),
        ("-11", "10", "floor", "-20"),
        # unit 10000 (万)
        ("12345678", "10000", "half_up", "12350000"),
        ("12345000", "10000", "half_up", "12350000"),
        ("12345000", "10000", "half_even", "12340000"),
        ("12355000", "10000", "half_even", "12360000"),
        ("-12345000", "10000", "half_up", "-12350000"),
        ("19999", "10000", "down", "10000"),
        ("1", "10000", "ceiling", "10000"),
        ("-1", "10000", "floor", "-10000"),
        ("4999.99", "10000", "half_up", "0"),
        # unit 0.01 agrees with round_amount
        ("2.665", "0.01", "half_up", "2.67"),
        ("-2.675", "0.01", "half_even", "-2.68"),
    ]

    def test_units(self):
        for value, unit, mode, expected in self.CASES:
            with self.subTest(value=value, unit=unit, mode=mode):
                got = fisc.round_to_unit(value, unit, mode)
                self.assertEqual(got, Decimal(expected))

    def test_result_shows_the_units_decimals(self):
        self.assertEqual(str(fisc.round_to_unit("2.6", "0.05")), "2.60")
        self.assertEqual(str(fisc.round_to_unit("15", "10")), "20")
        self.assertEqual(str(fisc.round_to_unit("12345678", "10000")), "12350000")
        self.assertEqual(str(fisc.round_to_unit("3", Decimal("0.05"))), "3.00")

    def test_residue(self):
        r = fisc.round_to_unit("2.661", "0.05", with_residue=True)
        self.assertEqual(r, (Decimal("2.65"), Decimal("0.011"), True))
        r = fisc.round_to_unit("2.65", "0.05", with_residue=True)
        self.assertEqual(r.value, Decimal("2.65"))
        self.assertEqual(r.residue, 0)
        self.assertFalse(r.inexact)
        r = fisc.round_to_unit("12345678", "10000", "down", with_residue=True)
        self.assertEqual(r, (Decimal("12340000"), Decimal("5678"), True))

    def test_bad_unit(self):
        for unit in ("0", "-0.05", "-10"):
            with self.subTest(unit=unit):
                with self.assertRaises(fisc.FiscInvalidArgument):
                    fisc.round_to_unit("1", unit)
        with self.assertRaises(TypeError):
            fisc.round_to_unit("1", 0.05)
        with self.assertRaises(fisc.FiscParseError) as cm:
            fisc.round_to_unit("1", "0,05")
        self.assertEqual(cm.exception.column, 2)
        self.assertEqual(cm.exception.source, "unit")


if __name__ == "__main__":
    unittest.main()


class AgainstPythonDecimal(unittest.TestCase):
    """Random values rounded by fisc and by Python's decimal module (with enough precision and
    the matching rounding constant) must agree exactly."""

    PY_MODES = {
        Rounding.HALF_UP: decimal.ROUND_HALF_UP,
        Rounding.HALF_EVEN: decimal.ROUND_HALF_EVEN,
        Rounding.HALF_DOWN: decimal.ROUND_HALF_DOWN,
        Rounding.DOWN: decimal.ROUND_DOWN,
        Rounding.UP: decimal.ROUND_UP,
        Rounding.CEILING: decimal.ROUND_CEILING,
        Rounding.FLOOR: decimal.ROUND_FLOOR,
    }

    @staticmethod
    def random_value(rng):
        whole = str(rng.randint(0, 10 ** rng.choice([0, 1, 3, 6, 12, 20, 30, 39])))
        frac_len = rng.choice([0, 1, 2, 3, 4, 6, 10, 20])
        frac = "".join(rng.choice("0123456789" if rng.random() < 0.5 else "05")
                       for _ in range(frac_len))
        sign = "-" if rng.random() < 0.5 else ""
        return sign + whole + ("." + frac if frac else "")

    def test_round_amount(self):
        rng = random.Random(2665)
        ctx = decimal.Context(prec=200)
        for case in range(4000):
            value = self.random_value(rng)
            places = rng.choice([-6, -4, -1, 0, 1, 2, 2, 2, 3, 4, 8, 20])
            mode = rng.choice(list(Rounding))
            exponent = Decimal(1).scaleb(-places)
            expected = Decimal(value).quantize(exponent, rounding=self.PY_MODES[mode],
                                               context=ctx)
            with self.subTest(value=value, places=places, mode=mode.name):
                got = fisc.round_amount(value, places, mode, with_residue=True)
                self.assertEqual(got.value, expected)
                if places >= 0:
                    self.assertEqual(got.value.as_tuple().exponent, -places)
                self.assertEqual(ctx.add(got.value, got.residue), Decimal(value))
                self.assertEqual(got.inexact, got.residue != 0)

    def test_round_to_unit(self):
        rng = random.Random(5)
        ctx = decimal.Context(prec=200)
        units = ["0.01", "0.05", "0.25", "0.5", "1", "3", "7", "10", "100", "10000", "0.001"]
        for case in range(3000):
            value = self.random_value(rng)
            unit = rng.choice(units)
            mode = rng.choice(list(Rounding))
            # q = value / unit exactly; round q to an integer with mode; multiply back.
            q = Fraction(Decimal(value)) / Fraction(Decimal(unit))
            floor = q.numerator // q.denominator
            frac = q - floor
            if frac == 0:
                k = floor
            else:
                half = Fraction(1, 2)
                toward_zero = floor if q > 0 else floor + 1
                away = floor + 1 if q > 0 else floor
                if mode == Rounding.CEILING:
                    k = floor + 1
                elif mode == Rounding.FLOOR:
                    k = floor
                elif mode == Rounding.DOWN:
                    k = toward_zero
                elif mode == Rounding.UP:
                    k = away
                elif abs(q - toward_zero) < half:
                    k = toward_zero
                elif abs(q - toward_zero) > half:
                    k = away
                elif mode == Rounding.HALF_UP:
                    k = away
                elif mode == Rounding.HALF_DOWN:
                    k = toward_zero
                else:
                    k = floor if floor % 2 == 0 else floor + 1
            expected = ctx.multiply(Decimal(k), Decimal(unit))
            with self.subTest(value=value, unit=unit, mode=mode.name):
                got = fisc.round_to_unit(value, unit, mode, with_residue=True)
                self.assertEqual(got.value, expected)
                self.assertEqual(ctx.add(got.value, got.residue), Decimal(value))
