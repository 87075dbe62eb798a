#!/usr/bin/env python3
"""Write a deterministic enterprise file for the batch benchmark (issue 7 "Speed").

    python3 bench/batch/gen_enterprises.py N OUT.csv [--seed S]

N rows of CSV (UTF-8, no BOM, LF) with the facts cn.cit and cn.rd_deduction need for tax year
2023 (docs/facts.md): a mix of 小型微利 enterprises (about 55%), 高新技术企业 with a certificate
(about 15%, some expired), standard-rate enterprises (about 25%), loss makers whose R&D extra
deduction exceeds their income (3%) and wholesalers on the R&D negative list (2%); about 3% are
集成电路/工业母机 enterprises (120% extra), 30% contract R&D out in China, and the other related
costs of the R&D exceed the 10% limit in about a third of the rows. Amounts are in 元 with 分.

Deterministic: the same N and seed give the same bytes on every machine. The random numbers are
a 64-bit linear congruential generator (Knuth's MMIX constants) in pure integer arithmetic; no
float is used anywhere.
"""

import argparse
import sys

MASK = (1 << 64) - 1
A = 6364136223846793005
C = 1442695040888963407

HEADER = [
    "enterprise_name", "income_before_rd_extra_and_losses", "employees_average",
    "assets_average", "industry_restricted", "hnte_certificate_date",
    "industry_revenue_1_code", "industry_revenue_1_amount", "income_total",
    "income_non_taxable", "income_investment", "rd_ic_or_machine_tool", "rd_project_count",
    "rd_p1_personnel", "rd_p1_direct", "rd_p1_depreciation", "rd_p1_amortisation",
    "rd_p1_design", "rd_p1_other", "rd_contracted_domestic", "rd_contracted_related",
    "rd_contracted_overseas", "rd_intangible_amortisation",
]

# GB/T 4754 codes outside the R&D negative list (manufacturing, software, R&D services).
CODES = ["C39", "C35", "C38", "C26", "C34", "I65", "M73", "C27"]


class Lcg:
    def __init__(self, seed):
        self.x = seed & MASK

    def below(self, n):
        """An integer in [0, n): the top 32 bits scaled by n (integer only)."""
        self.x = (A * self.x + C) & MASK
        return ((self.x >> 32) * n) >> 32

    def between(self, lo, hi):
        """An integer in [lo, hi]."""
        return lo + self.below(hi - lo + 1)


def yuan(fen):
    """分 (an int >= 0) as 元 text with two decimals."""
    return "%d.%02d" % divmod(fen, 100)


def share(r, amount, lo_permille, hi_permille):
    """amount × a share drawn in [lo, hi] ‰, in 分 (integer division)."""
    return amount * r.between(lo_permille, hi_permille) // 1000


def row(r, i):
    kind = r.below(100)
    ic = r.below(100) < 3
    restricted = r.below(100) < 1
    cert = ""
    if kind < 55:      # 小型微利: small headcount and assets, income mostly within 300万
        revenue = r.between(100_000_000, 3_000_000_000)           # 100万 .. 3000万 元, in 分
        employees = r.between(5, 300) if r.below(100) < 97 else r.between(301, 340)
        assets = r.between(100_000_000, 5_000_000_000) if r.below(100) < 97 \
            else r.between(5_000_000_001, 5_200_000_000)
        rd = share(r, revenue, 10, 80)
        before = r.between(0, 380_000_000)                        # 0 .. 380万 元
    elif kind < 70:    # 高新技术企业: certificate of 2020 (expired for 2023) to 2023
        revenue = r.between(2_000_000_000, 50_000_000_000)
        employees = r.between(50, 2000)
        assets = r.between(1_000_000_000, 50_000_000_000)
        rd = share(r, revenue, 40, 100)
        before = share(r, revenue, 30, 150) + rd * 2
        cert = "%d-%02d-%02d" % (r.between(2020, 2023), r.between(1, 12), r.between(1, 28))
    elif kind < 95:    # standard rate: large
        revenue = r.between(5_000_000_000, 200_000_000_000)
        employees = r.between(301, 5000)
        assets = r.between(5_000_000_001, 300_000_000_000)
        rd = share(r, revenue, 5, 40)
        before = share(r, revenue, 20, 120)
    elif kind < 98:    # loss after the extra deduction
        revenue = r.between(100_000_000, 2_000_000_000)
        employees = r.between(10, 200)
        assets = r.between(100_000_000, 2_000_000_000)
        rd = share(r, revenue, 100, 200)
        before = share(r, rd, 100, 900)
    else:              # wholesale: on the negative list, no super-deduction
        revenue = r.between(500_000_000, 20_000_000_000)
        employees = r.between(10, 280)
        assets = r.between(100_000_000, 4_000_000_000)
        rd = share(r, revenue, 2, 10)
        before = share(r, revenue, 10, 60)
    personnel = share(r, rd, 500, 600)
    direct = share(r, rd, 150, 250)
    depreciation = share(r, rd, 50, 100)
    amortisation = share(r, rd, 0, 30)
    design = share(r, rd, 0, 50)
    five = personnel + direct + depreciation + amortisation + design
    other = share(r, five, 20, 200)           # the limit is five/9, about 111‰: over it in ~half
    contracted = share(r, rd, 50, 200) if r.below(100) < 30 else 0
    if kind >= 98:
        code, line = "F51", revenue
    else:
        code, line = CODES[r.below(len(CODES))], share(r, revenue, 600, 1000)
    return [
        "E%07d" % i, yuan(before), str(employees), yuan(assets),
        "true" if restricted else "false", cert, code, yuan(line), yuan(revenue), "0.00",
        "0.00", "true" if ic else "false", "1", yuan(personnel), yuan(direct),
        yuan(depreciation), yuan(amortisation), yuan(design), yuan(other), yuan(contracted),
        "0.00", "0.00", "0.00",
    ]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rows", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=20230101)
    args = ap.parse_args(argv)
    r = Lcg(args.seed)
    with (sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8",
                                                   newline="")) as f:
        f.write(",".join(HEADER) + "\n")
        batch = []
        for i in range(1, args.rows + 1):
            batch.append(",".join(row(r, i)))
            if len(batch) == 10000:
                f.write("\n".join(batch) + "\n")
                batch = []
        if batch:
            f.write("\n".join(batch) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
