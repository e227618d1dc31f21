"""Printing that survives a closed stdout (`build | head -1`): not a crash, not a traceback."""

from __future__ import annotations

import os
import sys
from typing import TextIO


def emit(line: str, stream: TextIO | None = None) -> None:
    """Print and flush `line`; once the reader is gone, drop this and every later line."""
    stream = sys.stdout if stream is None else stream
    try:
        print(line, file=stream, flush=True)
    except BrokenPipeError:
        # point the descriptor at /dev/null so the interpreter's final flush cannot fail either
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, stream.fileno())
        finally:
            os.close(devnull)
