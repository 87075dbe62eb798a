#!/bin/sh
# The batch benchmark of issue 7 ("Speed"): fisc batch on 1,000,000 generated enterprises with the
# corporate income tax and R&D super-deduction programs, CSV in and CSV out, --jobs 2; then the same
# computation in Python's decimal (without reading the file) for the ratio, and in numpy float32
# (reading the file, as a float engine such as OpenFisca does) for its speed and its error.
# Not part of any test suite.
#
#   bench/batch/run.sh [BUILD_DIR] [ROWS]        (defaults: build, 1000000; or env BUILD, ROWS;
#                                                 env RUNS: fisc batch runs, default 3)
#
# The input is generated once into bench/batch/cache/ (deterministic: the same file every time) and
# reused. Reports the machine, wall time, rows/s (integer arithmetic), peak RSS, the exact totals of
# the batch summary, and the baseline's rows/s and exact totals; says whether the totals agree.
# The numpy step runs with NUMPY_PYTHON (default /usr/bin/python3, Debian's python3-numpy: install
# it with scripts/install-deps --bench) and is skipped, saying so, when that cannot import numpy.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-${BUILD:-build}}
rows=${2:-${ROWS:-1000000}}
case $build in /*) ;; *) build=$root/$build ;; esac
fisc=$build/examples/fisc
py=${PYTHON:-python3}
cache=$here/cache
input=$cache/enterprises-$rows.csv
out=${OUT:-$cache/results-$rows.csv}
summary=$cache/summary-$rows.json
log=$cache/batch-$rows.log

[ -x "$fisc" ] || { echo "run.sh: $fisc not found: build first (meson compile -C $build)" >&2; exit 2; }
mkdir -p "$cache"
if [ ! -s "$input" ]; then
    echo "generating $rows rows into $input ..."
    "$py" "$here/gen_enterprises.py" "$rows" "$input.tmp"
    mv "$input.tmp" "$input"
fi

echo "machine: $(uname -m), $(nproc) CPU(s): $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "input:   $input ($(wc -c <"$input") bytes)"

# fisc batch, RUNS times (default 3: these shared machines' speed swings with their neighbours):
# each run's wall time in integer nanoseconds, peak RSS from /usr/bin/time -v when present, else
# from getrusage(RUSAGE_CHILDREN) in a small Python wrapper (both in kB). The median run is the
# figure, and the ratios below use it; the summary and the totals are the last run's.
runs=${RUNS:-3}
case $runs in ""|0|*[!0-9]*) echo "run.sh: RUNS must be a positive whole number, not '$runs'" >&2; exit 2 ;; esac
# The input into the page cache first, so that every run (and the baselines after them) reads it
# from memory: these machines reclaim pages unused for a few minutes (DAMON), and a first run
# then read the disk (1.6-1.9M rows/s against 2.2-2.6M for the next ones).
cat "$input" >/dev/null
one_run() { # prints: status ns rss
    if [ -x /usr/bin/time ]; then
        t0=$(date +%s%N)
        status=0
        /usr/bin/time -v -o "$log.time" "$@" 2>"$log" || status=$?
        t1=$(date +%s%N)
        echo "$status $((t1 - t0)) $(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$log.time")"
    else
        "$py" - "$log" "$@" <<'PY'
import resource, subprocess, sys, time
t0 = time.perf_counter_ns()
with open(sys.argv[1], "wb") as err:
    status = subprocess.call(sys.argv[2:], stderr=err)
t1 = time.perf_counter_ns()
print(status, t1 - t0, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
    fi
}
times=""
rss=0
i=1
while [ "$i" -le "$runs" ]; do
    set -- $(one_run "$fisc" batch "$input" --policy "$root/policies/10-national.yaml" \
        --policy "$root/policies/11-national-rd.yaml" --year 2023 --jobs 2 -o "$out" \
        --summary-json "$summary")
    [ "$1" -eq 0 ] || { cat "$log"; echo "run.sh: fisc batch exited with $1" >&2; exit 1; }
    echo "fisc batch --jobs 2, run $i of $runs: wall $2 ns, $((rows * 1000000000 / $2)) rows/s, peak RSS $3 kB"
    times="$times $2"
    [ "$3" -gt "$rss" ] && rss=$3
    i=$((i + 1))
done
cat "$log"
ns=$(printf '%s\n' $times | sort -n | sed -n "$((runs / 2 + 1))p") # of an even count, the slower middle
echo "fisc batch --jobs 2: wall ${ns} ns, $((rows * 1000000000 / ns)) rows/s (median of $runs), peak RSS ${rss} kB (most)"

# The decimal baseline: reads the file first, times the computation only.
base=$("$py" "$here/decimal_baseline.py" "$input")
echo "$base" | sed 's/^/decimal baseline: /'
base_rate=$(echo "$base" | sed -n 's/^rows_per_s //p')
echo "ratio fisc batch / Python decimal: $((rows * 1000000000 / ns / base_rate)).$(( (rows * 1000000000 / ns * 10 / base_rate) % 10 ))x"

# numpy float32: reads the file and computes (no output written); its totals' error against the
# decimal baseline's exact totals. Informative: a failure here does not fail the benchmark.
numpy_py=${NUMPY_PYTHON:-/usr/bin/python3}
if "$numpy_py" -c 'import numpy' 2>/dev/null; then
    if flt=$(printf '%s\n' "$base" | "$numpy_py" "$here/numpy_float32.py" "$input" --exact -); then
        echo "$flt" | sed 's/^/numpy float32: /'
        flt_rate=$(echo "$flt" | sed -n 's/^rows_per_s //p')
        echo "ratio fisc batch / numpy float32: $((rows * 1000000000 / ns / flt_rate)).$(( (rows * 1000000000 / ns * 10 / flt_rate) % 10 ))x"
    else
        echo "numpy float32: numpy_float32.py failed (see above)" >&2
    fi
else
    echo "numpy float32: skipped: $numpy_py cannot import numpy (install it with: scripts/install-deps --bench)"
fi

# The exact totals must agree: cn.cit (eligible rows), tax payable, tax relief, cn.rd_deduction.
"$py" - "$summary" <<PY
import json, sys
s = json.load(open(sys.argv[1]))
progs = {p["program"]: p["total"] for p in s["programs"]}
base = {}
for line in """$base""".splitlines():
    if line.startswith("total "):
        k, _, v = line.rpartition(" ")
        base[k] = v
# The cn.cit column total: the tax of every computed row, or (older fisc batch) of the rows
# where a reduced rate applies; say which it is, never both.
cit = progs.get("cn.cit")
all_rows = base["total cn.cit tax, all rows"]
reduced = base["total cn.cit tax, eligible rows"]
pairs = [("cn.cit tax (all rows)" if cit != reduced else "cn.cit tax (eligible rows)", cit,
          all_rows if cit != reduced else reduced),
         ("tax payable (all rows)", s["totals"]["tax_payable"], all_rows),
         ("tax relief", s["totals"]["tax_relief"], base["total cn.cit relief"]),
         ("cn.rd_deduction extra", progs.get("cn.rd_deduction"),
          base["total cn.rd_deduction extra_deduction"])]
bad = 0
for name, a, b in pairs:
    same = a == b
    bad += not same
    print("total %-24s fisc %s  decimal %s  %s" % (name, a, b, "agree" if same else "DISAGREE"))
sys.exit(1 if bad or s["bad"] else 0)
PY
