"""Serialises ast.parse inside the fuzzer's Python.

CPython 3.11 keeps the AST converter's recursion depth in state shared by every thread, so two
threads parsing at once can fail with "SystemError: AST constructor recursion depth mismatch"
(fixed in 3.12). Schemathesis runs its workers as threads, and Hypothesis parses source to
describe lambdas: under load one operation of a run would now and then end in that error, which
is the tool's, not nuri's. api-fuzz.sh loads this module at start-up through a .pth file.
"""

import ast
import sys
import threading

if sys.version_info < (3, 12):
    _lock = threading.Lock()
    _parse = ast.parse

    def _locked_parse(*args, **kwargs):
        with _lock:
            return _parse(*args, **kwargs)

    ast.parse = _locked_parse
