"""Code run in a Python process of its own, for what a process does as it starts (its
settings read from the environment, its modules loaded), which a test process that has
started long ago cannot show."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def printed(code: str, **env: str) -> list[str]:
    """The words `code` prints in a new process with the test's environment and `env`; the
    process must succeed."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()
