#!/usr/bin/env python3
"""Compare the dynamic symbols libfisc exports with lib/exports.txt (jansson check-exports,
wayland-egl-symbols-check). Fails on a new symbol ("new ABI") and on a missing one ("ABI break")."""
import subprocess
import sys


def exported(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True,
                         capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in "TDBRtdbr" and not parts[2].startswith("FISC_"):
            names.add(parts[2].split("@")[0])
    return names


def main():
    lib, listfile = sys.argv[1], sys.argv[2]
    want = {l.strip() for l in open(listfile, encoding="utf-8")
            if l.strip() and not l.startswith("#")}
    have = exported(lib)
    new, gone = sorted(have - want), sorted(want - have)
    for name in new:
        print("new ABI detected (add it to lib/exports.txt on purpose):", name)
    for name in gone:
        print("ABI break (exported before, missing now):", name)
    print(f"{len(have)} symbols exported, {len(want)} listed")
    return 1 if new or gone else 0


if __name__ == "__main__":
    sys.exit(main())
