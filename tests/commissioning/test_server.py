"""The WSGI application settles the garbage collector once it has loaded (README,
Benchmarks: what the collector's pauses cost the heaviest lists)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_loading_the_wsgi_application_freezes_start_up_and_raises_the_young_threshold():
    probe = (
        "import gc; import config.wsgi; print(gc.get_freeze_count() > 10_000, gc.get_threshold())"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split("\n")[0] == "True (50000, 20, 20)"
