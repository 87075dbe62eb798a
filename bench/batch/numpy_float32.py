#!/usr/bin/env python3
"""The batch benchmark's computation in numpy float32, as a float engine (OpenFisca) does it.

    /usr/bin/python3 bench/batch/numpy_float32.py ENTERPRISES.csv [--exact FILE] [--repeat K]
                                                  [--pandas]
(any python3 that has numpy; Debian's python3-numpy, which scripts/install-deps --bench installs,
is for /usr/bin/python3; --pandas also needs python3-pandas).

Issue 7 ("Speed") compares fisc with "the same computation in numpy float32 (OpenFisca's number
type), including reading the CSV (no output written)". This is that computation: the formulas of
decimal_baseline.py (read it for the law and the parameters), vectorised over whole columns the
way an OpenFisca formula is written, every column and constant float32, rounding half up to
0.01 as floor(x × 100 + 0.5) / 100 in float32, totals with ndarray.sum() (float32, pairwise).

The CSV is read with numpy.loadtxt (numpy's C reader, numpy >= 1.23) into float32 columns and
byte-string columns for the code, the certificate date and the two booleans; --pandas reads it
with pandas.read_csv (C engine) instead. Timed, in integer nanoseconds of wall time
(time.perf_counter_ns) and of this process's CPU time (time.process_time_ns): reading, computing
and summing; not the import of numpy, nor the error analysis. The CPU figure matters on a shared
machine, where the wall time also measures the other processes.

Prints rows, the times and rows/s of each run (integer arithmetic), and the float32 totals under
the names decimal_baseline.py prints, as the exact decimal value of the float32 number. With
--exact FILE (decimal_baseline.py's output, or the --summary-json file of `fisc batch` on the same
input; - for standard input) it also prints each total's error in 元, split into what the float32
row values lose (their exact sum, math.fsum in float64, minus the exact total) and what the
float32 summation adds. No Decimal or float64 is used in the timed part.
"""

import argparse
import functools
import json
import math
import sys
import time
from decimal import Decimal

import numpy as np

F = np.float32
ZERO = F(0)
HALF = F(0.5)
HUNDRED = F(100)
NINE = F(9)
TEN = F(10)
RATE_GENERAL = F(1)               # rd.extra_rate.general from 2023: 100%
RATE_IC = F(1.2)                  # rd.extra_rate.ic_machine_tool 2023-2027: 120%
CONTRACTED_SHARE = F(0.8)         # rd.contracted.eligible_share: 80%
NEGATIVE_SHARE = F(0.5)           # rd.negative_list.main_business_share: 50%
NEGATIVE_SECTIONS = (b"F", b"H", b"K", b"L")   # with C16: decimal_baseline's NEGATIVE_PREFIXES
NEGATIVE_CLASS = b"C16"
RATE_STANDARD = F(0.25)           # cit.rate.standard
RATE_HNTE = F(0.15)               # cit.rate.hnte
SM_SHARE_RATE = F(0.25) * F(0.20)  # cit.small_micro.taxable_share × cit.rate.small_micro
SM_MAX_INCOME = F(3000000)
SM_MAX_EMPLOYEES = F(300)
SM_MAX_ASSETS = F(50000000)
YEAR = 2023
HNTE_YEARS = 3                    # hnte.validity_years
# A certificate issued in the validity window and by the period's end: YEAR-HNTE_YEARS+1 <=
# its year <= YEAR and date <= YEAR-12-31 is one range of ISO dates; "" (none) is below it.
HNTE_FIRST = b"%d-01-01" % (YEAR - HNTE_YEARS + 1)
HNTE_LAST = b"%d-12-31" % YEAR

NUMBERS = ("income_before_rd_extra_and_losses", "employees_average", "assets_average",
           "industry_revenue_1_amount", "income_total", "income_non_taxable", "income_investment",
           "rd_p1_personnel", "rd_p1_direct", "rd_p1_depreciation", "rd_p1_amortisation",
           "rd_p1_design", "rd_p1_other", "rd_contracted_domestic")
# Byte strings wide enough for the generated values; comparisons on them run in C.
TEXTS = (("industry_restricted", "S5"), ("hnte_certificate_date", "S10"),
         ("industry_revenue_1_code", "S8"), ("rd_ic_or_machine_tool", "S5"))
BOOLS = ("industry_restricted", "rd_ic_or_machine_tool")

NAMES = ("total cn.cit tax, all rows", "total cn.cit tax, eligible rows",
         "total cn.cit relief", "total cn.rd_deduction extra_deduction")


def header(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return f.readline().rstrip("\r\n").split(",")


def read_numpy(path):
    """The columns compute() needs, as float32 arrays and bool arrays."""
    h = header(path)
    names = NUMBERS + tuple(n for n, _ in TEXTS)
    dtype = np.dtype([(n, F) for n in NUMBERS] + list(TEXTS))
    a = np.loadtxt(path, dtype=dtype, delimiter=",", skiprows=1, encoding="utf-8",
                   usecols=[h.index(n) for n in names], ndmin=1)
    # One contiguous array per column, as OpenFisca holds a variable (fields of a structured
    # array are strided views, which make every operation on them slower).
    cols = {n: np.ascontiguousarray(a[n]) for n in names}
    for n in BOOLS:
        cols[n] = cols[n] == b"true"
    return cols


def read_pandas(pd, path):
    texts = [n for n, _ in TEXTS if n not in BOOLS]
    df = pd.read_csv(path, engine="c", usecols=list(NUMBERS + tuple(n for n, _ in TEXTS)),
                     dtype={**{n: F for n in NUMBERS}, **{n: bool for n in BOOLS},
                            **{n: str for n in texts}},
                     keep_default_na=False, encoding="utf-8-sig")
    cols = {n: df[n].to_numpy() for n in NUMBERS + BOOLS}
    for n, kind in TEXTS:
        if n not in BOOLS:
            cols[n] = df[n].to_numpy(dtype=kind)
    return cols


def round_cent(x):
    """Half up to 0.01, in float32: above 167,772.16 (2**24 cents) a float32 no longer holds
    every cent, and above 2**24 元 not even every 元."""
    return np.floor(x * HUNDRED + HALF) / HUNDRED


def compute(c):
    """Per row: the cn.cit tax, whether a reduced rate applies, the relief, the R&D extra."""
    # cn.rd_deduction
    code = c["industry_revenue_1_code"]
    negative = (np.isin(code.astype("S1"), NEGATIVE_SECTIONS)
                | (code.astype("S3") == NEGATIVE_CLASS)) \
        & (c["industry_revenue_1_amount"] > NEGATIVE_SHARE * (
            c["income_total"] - c["income_non_taxable"] - c["income_investment"]))
    rate = np.where(c["rd_ic_or_machine_tool"], RATE_IC, RATE_GENERAL)
    domestic = c["rd_contracted_domestic"] * CONTRACTED_SHARE
    five = c["rd_p1_personnel"] + c["rd_p1_direct"] + c["rd_p1_depreciation"] \
        + c["rd_p1_amortisation"] + c["rd_p1_design"]
    other = c["rd_p1_other"]
    within = other * NINE <= five
    extra = np.where(negative, ZERO,
                     np.where(within, round_cent((five + other + domestic) * rate),
                              round_cent((five * TEN + domestic * NINE) * rate / NINE)))
    # cn.cit
    base = np.maximum(c["income_before_rd_extra_and_losses"] - extra, ZERO)
    standard = base * RATE_STANDARD
    cert = c["hnte_certificate_date"]
    hnte = base * RATE_HNTE
    use_hnte = (cert >= HNTE_FIRST) & (cert <= HNTE_LAST) & (hnte < standard)
    best = np.where(use_hnte, hnte, standard)
    small = base * SM_SHARE_RATE
    use_small = ~c["industry_restricted"] & (base <= SM_MAX_INCOME) \
        & (c["employees_average"] <= SM_MAX_EMPLOYEES) & (c["assets_average"] <= SM_MAX_ASSETS) \
        & (small < best)
    best = np.where(use_small, small, best)
    tax = round_cent(best)
    reduced = use_hnte | use_small
    return (tax, np.where(reduced, tax, ZERO), round_cent(standard) - tax, extra)


def run_once(path, reader):
    t0, c0 = time.perf_counter_ns(), time.process_time_ns()
    cols = reader(path)
    t1 = time.perf_counter_ns()
    per_row = compute(cols)
    totals = [a.sum() for a in per_row]
    t2, c2 = time.perf_counter_ns(), time.process_time_ns()
    return len(cols["income_total"]), t1 - t0, t2 - t1, c2 - c0, per_row, totals


def read_exact(path):
    """{name: Decimal} and the row count, from decimal_baseline.py's output or a fisc batch
    --summary-json file (which has no eligible-rows total)."""
    f = sys.stdin if path == "-" else open(path, encoding="utf-8")
    with f:
        text = f.read()
    if text.lstrip().startswith("{"):
        s = json.loads(text, parse_float=Decimal)
        progs = {p["program"]: p["total"] for p in s["programs"]}
        return s["rows"], {NAMES[0]: Decimal(s["totals"]["tax_payable"]),
                           NAMES[2]: Decimal(s["totals"]["tax_relief"]),
                           NAMES[3]: Decimal(progs["cn.rd_deduction"])}
    rows, exact = None, {}
    for line in text.splitlines():
        if line.startswith("rows "):
            rows = int(line.split()[1])
        elif line.startswith("total "):
            name, _, value = line.rpartition(" ")
            exact[name] = Decimal(value)
    return rows, exact


def money(d):
    return "{:,.2f}".format(d)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input")
    ap.add_argument("--exact", metavar="FILE",
                    help="decimal_baseline.py output or fisc batch --summary-json (- for stdin)")
    ap.add_argument("--repeat", type=int, default=1, metavar="K", help="timed runs (default 1)")
    ap.add_argument("--pandas", action="store_true", help="read with pandas.read_csv")
    args = ap.parse_args(argv[1:])
    exact_rows, exact = read_exact(args.exact) if args.exact else (None, {})
    reader = read_numpy
    if args.pandas:
        import pandas      # imported here, not timed, as numpy's import is not
        reader = functools.partial(read_pandas, pandas)
    rates = []
    for k in range(max(args.repeat, 1)):
        n, read_ns, compute_ns, cpu_ns, per_row, totals = run_once(args.input, reader)
        wall = read_ns + compute_ns
        rate = n * 1_000_000_000 // wall if wall else 0
        rates.append(rate)
        print("run %d: read_ns %d compute_ns %d wall_ns %d cpu_ns %d rows_per_s %d "
              "rows_per_cpu_s %d" % (k + 1, read_ns, compute_ns, wall, cpu_ns, rate,
                                     n * 1_000_000_000 // cpu_ns if cpu_ns else 0))
    print("reader %s" % ("pandas " + pandas.__version__ if args.pandas
                         else "numpy.loadtxt " + np.__version__))
    print("rows %d" % n)
    print("rows_per_s %d" % max(rates))   # the best run: the least disturbed by other processes
    if exact_rows is not None and exact_rows != n:
        sys.stderr.write("numpy_float32.py: --exact is for %d rows, the input has %d\n"
                         % (exact_rows, n))
        return 1
    for name, total, rows in zip(NAMES, totals, per_row):
        value = Decimal(float(total))       # the float32 number, exactly
        print("%s %s" % (name, format(value, "f")))
        if name in exact:
            row_sum = Decimal(math.fsum(rows.astype(np.float64).tolist()))
            print("  error %s 元 (float32 %s, exact %s): %s from the row values, %s from "
                  "the float32 summation" % (money(value - exact[name]), money(value),
                                             money(exact[name]),
                                             money(row_sum - exact[name]),
                                             money(value - row_sum)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
