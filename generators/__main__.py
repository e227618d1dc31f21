"""`python -m generators`. After `build` and `check` the process ends with os._exit: the
interpreter's own teardown (freeing every object of the render one by one, a final garbage
collection) cost a tenth of a build of the committed spec, for memory the OS reclaims at
once. Everything the build writes is written, fsynced and closed before main() returns."""

import os
import sys

from generators.cli import main

try:
    code = main()
except KeyboardInterrupt:  # outside main()'s own handling (parsing the arguments, returning)
    sys.stderr.write("interrupted; the outputs are unchanged or complete, never mixed\n")
    code = 130
if sys.argv[1:2] in (["build"], ["check"]):
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: what the interpreter's exit would report as status 120
        code = code or 120
    os._exit(code)
raise SystemExit(code)
