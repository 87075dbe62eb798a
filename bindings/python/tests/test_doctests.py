"""The examples in the package's docstrings run and give what they say."""

import doctest
import importlib

MODULES = ["fisc", "fisc.money", "fisc.apportionment", "fisc.uscc", "fisc.errors", "fisc.policy"]


def load_tests(loader, tests, pattern):
    for name in MODULES:
        tests.addTests(doctest.DocTestSuite(importlib.import_module(name)))
    return tests
