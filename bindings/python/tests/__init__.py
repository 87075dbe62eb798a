# Makes tests/ a package, so both `python3 -m unittest discover -s tests` and meson's
# `... discover -s tests -t .` (run from bindings/python) find the test modules.
