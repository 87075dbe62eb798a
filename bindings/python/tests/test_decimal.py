"""Values crossing the boundary: accepted types, rejected floats, the grammar, limits, formats."""

import decimal
import random
import unittest
from decimal import Decimal
from fractions import Fraction

import fisc


class AcceptedTypes(unittest.TestCase):
    def test_decimal_int_str(self):
        self.assertEqual(fisc.round_amount(Decimal("1234.565")), Decimal("1234.57"))
        self.assertEqual(fisc.round_amount(1234), Decimal("1234.00"))
        self.assertEqual(fisc.round_amount(-7), Decimal("-7.00"))
        self.assertEqual(fisc.round_amount("1234.565"), Decimal("1234.57"))

    def test_decimal_is_converted_with_format_f_not_str(self):
        # str(Decimal('1E+3')) == '1E+3', which fisc's grammar rejects.
        self.assertEqual(fisc.round_amount(Decimal("1E+3")), Decimal("1000.00"))
        self.assertEqual(str(fisc.round_amount(Decimal("1E+3"))), "1000.00")
        self.assertEqual(fisc.round_amount(Decimal("1E-7"), 7), Decimal("0.0000001"))
        self.assertEqual(fisc.round_amount(Decimal("5E-7"), 6), Decimal("0.000001"))
        self.assertEqual(fisc.round_amount(Decimal("1.20")), Decimal("1.20"))
        self.assertEqual(fisc.round_amount(Decimal("-0")), 0)
        self.assertEqual(fisc.format_decimal(Decimal("1.2E+5")), "120000")

    def test_float_rejected(self):
        for func, args in ((fisc.round_amount, (1234.56,)),
                           (fisc.round_to_unit, (2.5, "0.05")),
                           (fisc.to_chinese_upper, (1409.5,)),
                           (fisc.format_decimal, (1.5,)),
                           (fisc.apportion, ("1.00", [0.5, 0.5])),
                           (fisc.apportion, (1.0, ["1", "1"]))):
            with self.subTest(func=func.__name__, args=args):
                with self.assertRaises(TypeError) as cm:
                    func(*args)
                self.assertIn("pass Decimal('1234.56') or '1234.56'", str(cm.exception))

    def test_other_types_rejected(self):
        for value in (None, b"1.00", True, Fraction(1, 2), [1]):
            with self.subTest(value=value):
                with self.assertRaises(TypeError):
                    fisc.round_amount(value)

    def test_nan_and_infinity_rejected(self):
        for text in ("NaN", "sNaN", "Infinity", "-Infinity"):
            with self.subTest(value=text):
                with self.assertRaises(fisc.FiscInvalidArgument) as cm:
                    fisc.round_amount(Decimal(text))
                self.assertIsInstance(cm.exception, ValueError)
                self.assertEqual(cm.exception.code, fisc.Status.EINVAL)

    def test_absurd_exponent_refused_without_building_text(self):
        with self.assertRaises(fisc.FiscRangeError):
            fisc.round_amount(Decimal("1E+999999999"))
        with self.assertRaises(fisc.FiscRangeError):
            fisc.round_amount(Decimal("1E-999999999"))
        with self.assertRaises(fisc.FiscRangeError):
            fisc.round_amount(10 ** 5000)


class Grammar(unittest.TestCase):
    # (text, 1-based column of the first bad character)
    BAD = [
        ("1,234", 2),
        (" 1", 1),
        ("1 ", 2),
        ("1e5", 2),
        ("1E5", 2),
        ("NaN", 1),
        ("inf", 1),
        ("+1", 1),
        ("\uff11\uff12", 1),   # full-width １２
        ("1\uff12", 2),
        ("1.2.3", 4),
        ("--1", 2),
        ("1\x002", 2),        # an embedded NUL is an error, not the end of the text
        ("¥12", 1),
        ("12%", 3),           # % only with percent=True
        ("1/2", 2),           # a/b only with fraction=True
    ]

    def test_bad_text(self):
        for text, column in self.BAD:
            with self.subTest(text=text):
                with self.assertRaises(fisc.FiscParseError) as cm:
                    fisc.round_amount(text)
                e = cm.exception
                self.assertIsInstance(e, ValueError)
                self.assertEqual(e.code, fisc.Status.EPARSE)
                self.assertEqual(e.name, "FISC_EPARSE")
                self.assertEqual(e.column, column)
                self.assertTrue(e.text)
                self.assertEqual(str(e), e.text)

    def test_bad_text_without_one_column(self):
        # The grammar is violated, but where is for the library to say; it must say something.
        for text in ("", "-", "1.", ".5", "01", "-01", "00.5"):
            with self.subTest(text=text):
                with self.assertRaises(fisc.FiscParseError) as cm:
                    fisc.round_amount(text)
                self.assertGreaterEqual(cm.exception.column, 1)

    def test_source_names_the_parameter(self):
        with self.assertRaises(fisc.FiscParseError) as cm:
            fisc.round_amount("x")
        self.assertEqual(cm.exception.source, "value")

    def test_digit_limits(self):
        forty = "9" * 40
        self.assertEqual(fisc.round_amount(forty, 0), Decimal(forty))
        self.assertEqual(fisc.round_amount("0." + "1" * 20, 20), Decimal("0." + "1" * 20))
        for text in ("1" * 41, "-" + "1" * 41, "1" * 41 + ".5", "0." + "1" * 21):
            with self.subTest(text=text):
                with self.assertRaises(fisc.FiscRangeError) as cm:
                    fisc.round_amount(text)
                self.assertIsInstance(cm.exception, ValueError)
                self.assertEqual(cm.exception.code, fisc.Status.ERANGE)
        with self.assertRaises(fisc.FiscRangeError):
            fisc.round_amount(10 ** 41)
        with self.assertRaises(fisc.FiscRangeError):
            fisc.round_amount(Decimal("1E+41"))

    def test_large_values_exact(self):
        big = "1234567890123456789012345678901234567890.12345678901234567890"
        self.assertEqual(fisc.parse_decimal(big), Decimal(big))
        self.assertEqual(fisc.format_decimal(big), big.rstrip("0"))   # shortest exact form
        self.assertEqual(fisc.format_decimal(big, 20), big)


class ParseAndFormat(unittest.TestCase):
    def test_parse_decimal(self):
        self.assertEqual(fisc.parse_decimal("1234.50"), Decimal("1234.5"))
        self.assertEqual(fisc.parse_decimal("-0.125"), Decimal("-0.125"))
        self.assertEqual(fisc.parse_decimal("12.5%", percent=True), Decimal("0.125"))
        self.assertEqual(fisc.parse_decimal("1/4", fraction=True), Decimal("0.25"))
        self.assertEqual(fisc.parse_decimal("2/3", fraction=True), Fraction(2, 3))
        self.assertEqual(fisc.parse_decimal("-1/3", fraction=True), Fraction(-1, 3))
        with self.assertRaises(fisc.FiscParseError):
            fisc.parse_decimal("1/0", fraction=True)
        with self.assertRaises(fisc.FiscParseError):
            fisc.parse_decimal("12.5%")

    def test_format_exact(self):
        self.assertEqual(fisc.format_decimal("1234.50"), "1234.5")
        self.assertEqual(fisc.format_decimal("-0.125"), "-0.125")
        self.assertEqual(fisc.format_decimal("0"), "0")
        self.assertEqual(fisc.format_decimal(Decimal("100")), "100")

    def test_format_places_and_grouping(self):
        self.assertEqual(fisc.format_decimal("1234.5", 2), "1234.50")
        self.assertEqual(fisc.format_decimal("1234.5", 2, grouping=True), "1,234.50")
        self.assertEqual(fisc.format_decimal("-1234567.891", 2, grouping=True), "-1,234,567.89")
        self.assertEqual(fisc.format_decimal("123", 0, grouping=True), "123")
        self.assertEqual(fisc.format_decimal("2.665", 2), "2.67")
        self.assertEqual(fisc.format_decimal("2.665", 2, "half_even"), "2.66")

    def test_format_wan(self):
        self.assertEqual(fisc.format_decimal("12345678.9", 6, unit="wan"), "1234.567890")
        self.assertEqual(fisc.format_decimal("12345678.9", 2, unit="wan"), "1234.57")
        self.assertEqual(fisc.format_decimal("50000000", 2, unit=fisc.Unit.WAN, grouping=True),
                         "5,000.00")
        self.assertEqual(fisc.format_decimal("12345", unit="wan"), "1.2345")
        with self.assertRaises(ValueError):
            fisc.format_decimal("1", 2, unit="lakh")

    def test_format_bad_places(self):
        with self.assertRaises(fisc.FiscInvalidArgument):
            fisc.format_decimal("1", 37)
        with self.assertRaises(fisc.FiscInvalidArgument):
            fisc.format_decimal("1", -2)


class Version(unittest.TestCase):
    def test_version(self):
        v = fisc.version()
        self.assertRegex(v, r"^\d+\.\d+\.\d+$")
        major, minor, patch = map(int, v.split("."))
        self.assertEqual(fisc.version_number(), major * 10000 + minor * 100 + patch)
        self.assertEqual(major, fisc._ffi.FISC_VERSION_MAJOR)


if __name__ == "__main__":
    unittest.main()


class FormatAgainstPython(unittest.TestCase):
    def test_random(self):
        modes = {"half_up": decimal.ROUND_HALF_UP, "half_even": decimal.ROUND_HALF_EVEN,
                 "half_down": decimal.ROUND_HALF_DOWN, "down": decimal.ROUND_DOWN,
                 "up": decimal.ROUND_UP, "ceiling": decimal.ROUND_CEILING,
                 "floor": decimal.ROUND_FLOOR}
        ctx = decimal.Context(prec=200)
        rng = random.Random(1234)
        for case in range(3000):
            whole = str(rng.randint(0, 10 ** rng.choice([0, 2, 4, 7, 12, 20, 35])))
            frac = "".join(rng.choice("0123456789") for _ in range(rng.choice([0, 1, 2, 3, 7])))
            value = ("-" if rng.random() < 0.4 else "") + whole + ("." + frac if frac else "")
            places = rng.choice([None, 0, 1, 2, 2, 4, 6])
            mode = rng.choice(sorted(modes))
            grouping = rng.random() < 0.5
            unit = rng.choice(["yuan", "wan"])
            v = Decimal(value)
            if unit == "wan":
                v = ctx.divide(v, Decimal(10000))
            if places is None:
                expected_value = v
            else:
                expected_value = v.quantize(Decimal(1).scaleb(-places), rounding=modes[mode],
                                            context=ctx)
            with self.subTest(value=value, places=places, mode=mode, grouping=grouping,
                              unit=unit):
                got = fisc.format_decimal(value, places, mode, grouping=grouping, unit=unit)
                self.assertEqual(Decimal(got.replace(",", "")), expected_value)
                if expected_value == 0:
                    continue   # "0.00" vs "-0.00" is not specified
                if places is None:
                    expected = format(expected_value.normalize(ctx), ",f" if grouping else "f")
                    if "." in expected:
                        expected = expected.rstrip("0").rstrip(".")
                else:
                    expected = format(expected_value, ",f" if grouping else "f")
                self.assertEqual(got, expected)
