"""fisc.validate_uscc: conventions.md §6 vectors, normalisation, warnings, errors with columns."""

import unittest

import fisc
from fisc import UsccWarning

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]


def check_char(body17):
    """The GB 32100 check character, computed independently of the library."""
    total = sum(CHARSET.index(ch) * w for ch, w in zip(body17, WEIGHTS))
    return CHARSET[(31 - total % 31) % 31]


def org_code_ok(code):
    """The GB 11714 check on characters 9-17."""
    values = [int(ch, 36) for ch in code[8:16]]
    c = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2))) % 11
    return code[16] == {10: "X", 11: "0"}.get(c, str(c))


VALID = ["91440300708461136T", "91330100716105852F", "91110000802100433B", "91350100M000100Y43"]


class Vectors(unittest.TestCase):
    def test_reference_helpers_agree_with_the_vectors(self):
        self.assertEqual(WEIGHTS, [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
        for code in VALID:
            self.assertEqual(check_char(code[:17]), code[17])
            self.assertTrue(org_code_ok(code))

    def test_valid(self):
        for code in VALID:
            with self.subTest(code=code):
                u = fisc.validate_uscc(code)
                self.assertIsInstance(u, fisc.Uscc)
                self.assertEqual(u.code, code)
                self.assertEqual(str(u), code)
                self.assertEqual(u.warnings, UsccWarning.NONE)
                self.assertFalse(u.normalized)
                self.assertTrue(fisc.is_valid_uscc(code))

    def test_last_character_changed(self):
        for code in VALID:
            for other in CHARSET:
                if other == code[17]:
                    continue
                bad = code[:17] + other
                with self.subTest(code=bad):
                    with self.assertRaises(fisc.FiscInvalidArgument) as cm:
                        fisc.validate_uscc(bad)
                    e = cm.exception
                    self.assertIsInstance(e, ValueError)
                    self.assertEqual(e.code, fisc.Status.EINVAL)
                    self.assertEqual(e.column, 18)
                    self.assertIn(code[17], e.text)   # the message gives the expected character
            self.assertFalse(fisc.is_valid_uscc(code[:17] + ("0" if code[17] != "0" else "1")))

    def test_forbidden_letters_give_the_column(self):
        for letter in "IOSVZ":
            code = "9144030070846" + letter + "136T"
            with self.subTest(code=code):
                with self.assertRaises(fisc.FiscInvalidArgument) as cm:
                    fisc.validate_uscc(code)
                self.assertEqual(cm.exception.column, 14)
        with self.assertRaises(fisc.FiscInvalidArgument) as cm:
            fisc.validate_uscc("I1440300708461136T")
        self.assertEqual(cm.exception.column, 1)

    def test_column_counts_input_characters(self):
        # The column points into what the user typed, spaces included.
        with self.assertRaises(fisc.FiscInvalidArgument) as cm:
            fisc.validate_uscc("9144 0300 7084 6I13 6T")
        self.assertEqual(cm.exception.column, 17)
        with self.assertRaises(fisc.FiscInvalidArgument) as cm:
            fisc.validate_uscc("914403007084611３６X")   # full-width digits, wrong check
        self.assertEqual(cm.exception.column, 18)


class Normalisation(unittest.TestCase):
    def check(self, text, expected="91440300708461136T"):
        u = fisc.validate_uscc(text)
        self.assertEqual(u.code, expected)
        self.assertIn(UsccWarning.NORMALIZED, u.warnings)
        self.assertTrue(u.normalized)

    def test_lower_case(self):
        self.check("91440300708461136t")
        self.check("91350100m000100y43", "91350100M000100Y43")

    def test_spaces_and_hyphens(self):
        self.check(" 91440300708461136T ")
        self.check("9144 0300 7084 6113 6T")
        self.check("914403-00708461136-T")
        self.check("91440300708461136T\n")

    def test_full_width(self):
        self.check("９１４４０３００７０８４６１１３６Ｔ")
        self.check("91440300708461136ｔ")
        self.check("\u300091440300708461136T")   # ideographic space


class Warnings(unittest.TestCase):
    def test_org_code_warning(self):
        body = "9144030070846113"
        for digit in "0123456789":
            candidate = body + digit
            code = candidate + check_char(candidate)
            if org_code_ok(code):
                continue
            u = fisc.validate_uscc(code)   # valid: the GB 11714 failure only warns
            self.assertEqual(u.code, code)
            self.assertEqual(u.warnings, UsccWarning.ORG_CODE)
            break
        else:
            self.fail("no test code found")

    def test_category_warning(self):
        for pair in ("99", "A1", "14"):
            body = pair + "440300708461136"
            code = body + check_char(body)
            with self.subTest(code=code):
                u = fisc.validate_uscc(code)
                self.assertEqual(u.warnings, UsccWarning.CATEGORY)

    def test_known_categories(self):
        for pair in ("11", "12", "13", "19", "51", "52", "53", "59", "91", "92", "93", "Y1"):
            body = pair + "440300708461136"
            code = body + check_char(body)
            with self.subTest(code=code):
                self.assertEqual(fisc.validate_uscc(code).warnings, UsccWarning.NONE)

    def test_combined_warnings(self):
        body = "99440300708461135"
        code = body + check_char(body)
        u = fisc.validate_uscc(code.lower())
        self.assertEqual(u.warnings,
                         UsccWarning.NORMALIZED | UsccWarning.ORG_CODE | UsccWarning.CATEGORY)


class Errors(unittest.TestCase):
    def assertInvalid(self, text):
        with self.assertRaises(fisc.FiscInvalidArgument) as cm:
            fisc.validate_uscc(text)
        self.assertTrue(cm.exception.text)
        return cm.exception

    def test_lengths_and_legacy_forms(self):
        self.assertInvalid("")
        self.assertInvalid("   ")
        self.assertInvalid("91440300708461136")      # 17
        self.assertInvalid("91440300708461136TT")    # 19
        e = self.assertInvalid("440301103092765")    # legacy 15-digit 注册号
        self.assertIn("15", e.text)
        self.assertInvalid("70846113-6")             # legacy 组织机构代码
        e = self.assertInvalid("9.14403E+17")        # Excel scientific notation
        self.assertIn("Excel", e.text)
        self.assertInvalid("x" * 300)

    def test_bad_characters(self):
        e = self.assertInvalid("914403007084611统6T")
        self.assertEqual(e.column, 16)
        e = self.assertInvalid("9144030070846113_T")
        self.assertEqual(e.column, 17)

    def test_nul_is_not_an_end(self):
        e = self.assertInvalid("91440300708461136T\0junk")
        self.assertEqual(e.column, 19)

    def test_type(self):
        with self.assertRaises(TypeError):
            fisc.validate_uscc(b"91440300708461136T")
        with self.assertRaises(TypeError):
            fisc.validate_uscc(914403007084611361)


if __name__ == "__main__":
    unittest.main()
