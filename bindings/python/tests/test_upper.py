"""fisc.to_chinese_upper: every vector of conventions.md §2, options and errors."""

import os
import random
import unittest
from decimal import Decimal

import fisc

# reference/conventions.md §2, "Canonical output and test vectors", shared with the C and CLI tests.
_VECTOR_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tests", "data",
                            "upper-vectors.tsv")


def _read_vectors(path):
    with open(path, encoding="utf-8") as f:
        return [tuple(line.rstrip("\n").split("\t")) for line in f if line.strip() and not line.startswith("#")]


VECTORS = _read_vectors(_VECTOR_FILE)


class ChineseUpper(unittest.TestCase):
    def test_vectors(self):
        for amount, expected in VECTORS:
            with self.subTest(amount=amount):
                self.assertEqual(fisc.to_chinese_upper(amount), expected)

    def test_vectors_as_decimal(self):
        for amount, expected in VECTORS:
            with self.subTest(amount=amount):
                self.assertEqual(fisc.to_chinese_upper(Decimal(amount)), expected)

    def test_int_and_short_decimals(self):
        self.assertEqual(fisc.to_chinese_upper(10), "壹拾元整")
        self.assertEqual(fisc.to_chinese_upper("1409.5"), "壹仟肆佰零玖元伍角整")
        self.assertEqual(fisc.to_chinese_upper(Decimal("1E+1")), "壹拾元整")

    def test_no_zheng_after_jiao(self):
        # PBoC's own example: ¥1409.50 -> 人民币壹仟肆佰零玖元伍角
        self.assertEqual(fisc.to_chinese_upper("1409.50", zheng_after_jiao=False),
                         "壹仟肆佰零玖元伍角")
        self.assertEqual(fisc.to_chinese_upper("1409.50", zheng_after_jiao=False,
                                               rmb_prefix=True),
                         "人民币壹仟肆佰零玖元伍角")
        self.assertEqual(fisc.to_chinese_upper("0.50", zheng_after_jiao=False), "伍角")
        # 整 after 元 is always written; never after 分.
        self.assertEqual(fisc.to_chinese_upper("10", zheng_after_jiao=False), "壹拾元整")
        self.assertEqual(fisc.to_chinese_upper("6007.14", zheng_after_jiao=False),
                         "陆仟零柒元壹角肆分")

    def test_rmb_prefix(self):
        self.assertEqual(fisc.to_chinese_upper("1409.50", rmb_prefix=True),
                         "人民币壹仟肆佰零玖元伍角整")
        self.assertEqual(fisc.to_chinese_upper("0", rmb_prefix=True), "人民币零元整")

    def test_forty_integer_digits(self):
        text = fisc.to_chinese_upper("1" + "0" * 39)
        self.assertTrue(text.startswith("壹"))
        self.assertTrue(text.endswith("元整"))

    def test_errors(self):
        with self.assertRaises(fisc.FiscInvalidArgument) as cm:
            fisc.to_chinese_upper("1.234")   # round to 分 first
        self.assertEqual(cm.exception.code, fisc.Status.EINVAL)
        self.assertEqual(cm.exception.name, "FISC_EINVAL")
        with self.assertRaises(fisc.FiscRangeError):
            fisc.to_chinese_upper("1" * 41)
        with self.assertRaises(fisc.FiscParseError) as cm:
            fisc.to_chinese_upper("1,409.50")
        self.assertEqual(cm.exception.column, 2)
        self.assertEqual(cm.exception.source, "amount")
        with self.assertRaises(TypeError):
            fisc.to_chinese_upper(1409.5)

    def test_round_then_write(self):
        amount = fisc.round_amount("1680.3249")
        self.assertEqual(fisc.to_chinese_upper(amount), "壹仟陆佰捌拾元零叁角贰分")


if __name__ == "__main__":
    unittest.main()


DIGITS = "零壹贰叁肆伍陆柒捌玖"


def reference_upper(amount):
    """An independent implementation of the canonical form in conventions.md §2 / upper.h."""
    text = format(Decimal(amount), "f")
    negative = text.startswith("-")
    whole_text, _, frac_text = text.lstrip("-").partition(".")
    frac_text = (frac_text + "00")[:2]
    whole, jiao, fen = int(whole_text), int(frac_text[0]), int(frac_text[1])

    def below_yi(n):
        # n < 10**8: 万 and units sections; one 零 per run of inner zeros, none trailing.
        out, pending, started = [], False, False
        for power in range(7, -1, -1):
            digit = n // 10 ** power % 10
            if digit == 0:
                pending = started
            else:
                if pending:
                    out.append("零")
                out.append(DIGITS[digit] + ["", "拾", "佰", "仟"][power % 4])
                pending, started = False, True
            if power == 4:
                if n // 10 ** 4:
                    out.append("万")
                pending = False     # trailing zeros of the 万 section are not read
        return "".join(out)

    def integer(n):
        if n < 10 ** 8:
            return below_yi(n)
        high, low = divmod(n, 10 ** 8)
        text = integer(high) + "亿"          # the part above 亿 written recursively
        if low:
            text += ("零" if low < 10 ** 7 else "") + below_yi(low)
        return text

    text = ""
    if whole:
        text = integer(whole) + "元"
    if jiao == 0 and fen == 0:
        text = (text or "零元") + "整"
    elif jiao == 0:
        text += ("零" if whole else "") + DIGITS[fen] + "分"
    else:
        if whole and whole % 10 == 0:
            text += "零"
        text += DIGITS[jiao] + "角" + (DIGITS[fen] + "分" if fen else "整")
    return ("负" if negative else "") + text


class ReferenceComparison(unittest.TestCase):
    def test_reference_matches_the_vectors(self):
        for amount, expected in VECTORS:
            self.assertEqual(reference_upper(amount), expected, amount)

    def test_random_amounts(self):
        rng = random.Random(1997)
        for case in range(3000):
            # Digits biased towards 0, so inner and trailing zero runs are common.
            ndigits = rng.choice([1, 2, 3, 4, 5, 8, 9, 12, 13, 17, 20, 25, 33, 40])
            digits = "".join(rng.choice("0000000123456789") for _ in range(ndigits))
            whole = digits.lstrip("0") or "0"
            frac = rng.choice(["00", "05", "50", "10", "01", "99", "%02d" % rng.randint(0, 99)])
            amount = ("-" if rng.random() < 0.1 and (whole != "0" or frac != "00") else "") + \
                whole + "." + frac
            with self.subTest(amount=amount):
                self.assertEqual(fisc.to_chinese_upper(amount), reference_upper(amount))
