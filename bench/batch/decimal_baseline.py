#!/usr/bin/env python3
"""The batch benchmark's computation in Python's ``decimal``: the baseline fisc is compared with.

    python3 bench/batch/decimal_baseline.py ENTERPRISES.csv

For each row of a file from gen_enterprises.py, tax year 2023 and only the cases that file holds
(one R&D project slot, expensed; no related-party, overseas or amortisation amounts; no losses of
earlier years; no 西部大开发 claim):

- cn.rd_deduction (财政部 税务总局公告2023年第7号 一; 2023年第44号 一; 国家税务总局公告2021年第28号;
  财税〔2018〕64号; 财税〔2015〕119号 第四条): no deduction when the negative-list revenue is above
  50% of 收入总额 − 不征税收入 − 投资收益; other related costs allowed up to
  (categories 1-5) × 10% / (1 − 10%) = (categories 1-5) / 9; base = categories 1-5 + allowed +
  80% of the R&D contracted out in China; extra deduction = base × 100% (120% for 集成电路 /
  工业母机), rounded half up to 0.01 (that rounded amount is what cn.cit subtracts).
- cn.cit: taxable income = income before the extra deduction − the extra deduction; on
  max(income, 0): 25%; 15% with a 高新技术企业 certificate covering 2023 (issued 2021-2023); 小型微利
  (not restricted, income ≤ 300万, employees ≤ 300, assets ≤ 5000万): income × 25% × 20%; the
  lowest, rounded half up to 0.01.

The parameters are written here as the policy files give them for 2023 (policies/10-national.yaml,
11-national-rd.yaml). Every operation is exact: + − × on values of at most ~30 digits in a
context of 60 digits, the only division (by 9) as an exact divmod with the remainder deciding
the half-up rounding, and quantize(ROUND_HALF_UP) where the programs round. No float anywhere.

The CSV is read and converted to Decimal first, 100,000 rows at a time; only the computation
is timed, in integer nanoseconds (time.perf_counter_ns), summed over the chunks. Prints rows, the computation's ns, rows/s (integer), and the
exact totals: cn.cit tax over all rows (the batch summary's tax payable total, and its cn.cit
total) and over the rows where a reduced rate applies (cn.cit "eligible"), the relief (the
summary's tax relief total), and the R&D extra deduction.
"""

import csv
import sys
import time
from decimal import ROUND_HALF_UP, Decimal, getcontext

getcontext().prec = 60

ZERO = Decimal(0)
CENT = Decimal("0.01")
NINE = Decimal(9)
TEN = Decimal(10)
RATE_GENERAL = Decimal("1")          # rd.extra_rate.general from 2023: 100%
RATE_IC = Decimal("1.2")             # rd.extra_rate.ic_machine_tool 2023-2027: 120%
CONTRACTED_SHARE = Decimal("0.8")    # rd.contracted.eligible_share: 80%
NEGATIVE_SHARE = Decimal("0.5")      # rd.negative_list.main_business_share: 50%
NEGATIVE_PREFIXES = ("C16", "F", "H", "K", "L")   # 娱乐业 R89/R90 not generated
RATE_STANDARD = Decimal("0.25")      # cit.rate.standard
RATE_HNTE = Decimal("0.15")          # cit.rate.hnte
SM_SHARE_RATE = Decimal("0.25") * Decimal("0.20")  # cit.small_micro.taxable_share × cit.rate.small_micro
SM_MAX_INCOME = Decimal("3000000")
SM_MAX_EMPLOYEES = Decimal("300")
SM_MAX_ASSETS = Decimal("50000000")
YEAR = 2023
HNTE_YEARS = 3                       # hnte.validity_years


def round_div9(n):
    """n / 9 rounded half up to 0.01, exactly (n >= 0)."""
    q, rem = divmod(n * 100, NINE)
    if rem + rem >= NINE:
        q += 1
    return q.scaleb(-2)


CHUNK = 100_000


def load(path):
    """The rows as tuples of Decimal / int / bool, in the order compute() reads them, in lists
    of CHUNK rows (so that a million rows do not need gigabytes of Decimal objects at once)."""
    out = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        rd = csv.reader(f)
        h = {name: i for i, name in enumerate(next(rd))}
        idx = [h[n] for n in (
            "income_before_rd_extra_and_losses", "employees_average", "assets_average",
            "industry_restricted", "hnte_certificate_date", "industry_revenue_1_code",
            "industry_revenue_1_amount", "income_total", "income_non_taxable",
            "income_investment", "rd_ic_or_machine_tool", "rd_p1_personnel", "rd_p1_direct",
            "rd_p1_depreciation", "rd_p1_amortisation", "rd_p1_design", "rd_p1_other",
            "rd_contracted_domestic")]
        for rec in rd:
            v = [rec[i] for i in idx]
            cert = v[4]
            out.append((Decimal(v[0]), Decimal(v[1]), Decimal(v[2]), v[3] == "true",
                        (int(cert[:4]), cert) if cert else None, v[5], Decimal(v[6]),
                        Decimal(v[7]), Decimal(v[8]), Decimal(v[9]), v[10] == "true",
                        Decimal(v[11]) + Decimal(v[12]) + Decimal(v[13]) + Decimal(v[14])
                        + Decimal(v[15]), Decimal(v[16]), Decimal(v[17])))
            if len(out) == CHUNK:
                yield out
                out = []
    if out:
        yield out


def compute(rows, totals):
    total_tax, total_reduced, total_relief, total_extra = totals
    period_end = "%d-12-31" % YEAR
    for (before, employees, assets, restricted, cert, code, line, income_total, non_taxable,
         investment, ic, five, other, contracted) in rows:
        # cn.rd_deduction
        if code.startswith(NEGATIVE_PREFIXES) and \
                line > NEGATIVE_SHARE * (income_total - non_taxable - investment):
            extra = ZERO
        else:
            rate = RATE_IC if ic else RATE_GENERAL
            domestic = contracted * CONTRACTED_SHARE
            if other * NINE <= five:     # within the limit five / 9
                extra = ((five + other + domestic) * rate).quantize(CENT, ROUND_HALF_UP)
            else:                        # (five + five/9 + domestic) × rate
                extra = round_div9((five * TEN + domestic * NINE) * rate)
        total_extra += extra
        # cn.cit
        income = before - extra
        base = income if income > ZERO else ZERO
        standard = base * RATE_STANDARD
        best = standard
        reduced = False
        if cert is not None and cert[0] <= YEAR <= cert[0] + HNTE_YEARS - 1 \
                and cert[1] <= period_end:
            hnte = base * RATE_HNTE
            if hnte < best:
                best, reduced = hnte, True
        if not restricted and base <= SM_MAX_INCOME and employees <= SM_MAX_EMPLOYEES \
                and assets <= SM_MAX_ASSETS:
            small = base * SM_SHARE_RATE
            if small < best:
                best, reduced = small, True
        tax = best.quantize(CENT, ROUND_HALF_UP)
        total_tax += tax
        if reduced:              # cn.cit eligible: a reduced rate is cheaper than 25%
            total_reduced += tax
        total_relief += standard.quantize(CENT, ROUND_HALF_UP) - tax
    return total_tax, total_reduced, total_relief, total_extra


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: decimal_baseline.py ENTERPRISES.csv\n")
        return 2
    totals = (ZERO, ZERO, ZERO, ZERO)
    n = ns = 0
    for rows in load(argv[1]):  # read and convert a chunk (not timed), then compute it (timed)
        t0 = time.perf_counter_ns()
        totals = compute(rows, totals)
        ns += time.perf_counter_ns() - t0
        n += len(rows)
    total_tax, total_reduced, total_relief, total_extra = totals
    print("rows %d" % n)
    print("compute_ns %d" % ns)
    print("rows_per_s %d" % (n * 1_000_000_000 // ns if ns else 0))
    print("total cn.cit tax, all rows %s" % total_tax)
    print("total cn.cit tax, eligible rows %s" % total_reduced)
    print("total cn.cit relief %s" % total_relief)
    print("total cn.rd_deduction extra_deduction %s" % total_extra)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
