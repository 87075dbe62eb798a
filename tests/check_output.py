#!/usr/bin/env python3
"""Run a program and compare its standard output with the expected text: check_output.py EXE TEXT."""
import subprocess
import sys

out = subprocess.run([sys.argv[1]], capture_output=True, check=True).stdout.decode("utf-8")
want = sys.argv[2] + "\n"
if out != want:
    print(f"got      {out!r}\nexpected {want!r}")
    sys.exit(1)
print("output as expected")
