"""Builds each Keras script given (python run_scripts.py A.py B.py …) against the Keras stand-in beside this
file, printing one JSON line per script: its model's output shape and parameter counts."""
import io
import json
import os
import runpy
import sys
from contextlib import redirect_stdout

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

for path in sys.argv[1:]:
    captured = io.StringIO()
    with redirect_stdout(captured):
        try:
            runpy.run_path(path, run_name="__main__")
        except SystemExit as e:
            if e.code not in (None, 0):
                raise
    lines = [l for l in captured.getvalue().splitlines() if l.startswith("{")]
    print(lines[-1], flush=True)
