"""`python -m generators`. After `build` and `check` the process ends with os._exit: the
interpreter's own teardown (freeing every object of the render one by one, a final garbage
collection) cost a tenth of a build of the committed spec, for memory the OS reclaims at
once. Everything the build writes is written, fsynced and closed before main() returns."""

import os
import sys

try:
    from generators.cli import main

    code = main()
except KeyboardInterrupt:  # outside main()'s own handling (imports, parsing the arguments, returning)
    if sys.stderr is not None:
        sys.stderr.write("interrupted; the outputs are unchanged or complete, never mixed\n")
    code = 130
if sys.argv[1:2] in (["build"], ["check"]):
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None: the descriptor was closed when Python started
                stream.flush()
        except (OSError, ValueError):  # a closed pipe: what the interpreter's exit reports as status 120
            code = code or 120
    os._exit(code)
raise SystemExit(code)
