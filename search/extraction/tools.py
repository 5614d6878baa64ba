"""Running external programs on hostile files: timeout, memory limit (prlimit), one thread, no shell, a minimal
environment."""

import os
import shutil
import subprocess

from search.extraction.errors import ExtractionTimeout, ToolMissing
from search.extraction.limits import Limits


def run(args: list[str], limits: Limits, *, timeout: int | None = None) -> subprocess.CompletedProcess:
    """Run a program; ExtractionTimeout if it runs too long, ToolMissing if it is not installed. The caller checks
    the return code."""
    program = shutil.which(args[0])
    if program is None:
        raise ToolMissing(detail=args[0], tool=args[0])
    command = [program, *args[1:]]
    prlimit = shutil.which("prlimit")
    if prlimit:  # util-linux; without it the program runs without a memory limit
        command = [prlimit, f"--as={limits.subprocess_memory_bytes}", "--core=0", "--", *command]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "OMP_THREAD_LIMIT": "1",  # tesseract: one thread per worker process
        "HOME": "/nonexistent",
    }
    if "TESSDATA_PREFIX" in os.environ:
        env["TESSDATA_PREFIX"] = os.environ["TESSDATA_PREFIX"]
    seconds = timeout or limits.timeout
    try:
        return subprocess.run(
            command, capture_output=True, timeout=seconds, env=env, check=False, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired as exc:  # subprocess.run kills the child
        raise ExtractionTimeout(detail=args[0], seconds=seconds) from exc
