"""Every command of the README's "Running in production" section runs, as written, on a
PostgreSQL, Redis and SMTP server of the test's own (tests/production/topology.py): the
one-shot commands exit 0, the servers start and serve, the sweeps can be run by hand, and
the server's environment holds no dev package afterwards."""

import re

import pytest

from tests.production.topology import readme_blocks, readme_commands, wait_until

pytestmark = pytest.mark.production

DEV_ONLY = ("pytest", "playwright", "schemathesis", "factory", "ruff", "pypdf")


def test_every_command_of_the_section_ran_in_order(production):
    ran = [command.written for command, _result in production.ran]
    written = [c.written for c in readme_commands() if c.kind != "by hand"]
    assert ran[: len(written)] == written
    for command, result in production.ran:
        if result is not None:
            assert result.returncode == 0, (command.run, result.stderr)
    for name, process in production.servers.items():
        assert process.poll() is None, f"{name} stopped:\n{production.log(name)[-2000:]}"


def test_check_deploy_prints_what_the_readme_says(production):
    """The comment beside `check --deploy` in the README is its output, word for word."""
    (line,) = [line for block in readme_blocks() for line in block if "check --deploy" in line]
    promised = line.split("#", 1)[1].strip()
    (result,) = [r for c, r in production.ran if "check --deploy" in c.run]
    assert result.stdout.strip() + result.stderr.strip() == promised


def test_the_server_environment_has_no_dev_packages(production):
    """A plain `uv run` after `uv sync --no-dev` would have synced the dev group back."""
    probe = f"import importlib.util as u; print(*[m for m in {DEV_ONLY!r} if u.find_spec(m)])"
    result = production.run_shell(f"uv run --no-sync python -c {probe!r}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == []
    assert production.venv.exists()


@pytest.mark.parametrize("task", ["relay_pending", "send_due_pulses", "deliver_pending"])
def test_each_sweep_runs_by_hand(production, task):
    result = production.by_hand(task)
    assert result.returncode == 0, result.stderr
    task_id = re.search(r"[0-9a-f]{8}-[0-9a-f-]{27}", result.stdout).group(0)
    wait_until(
        lambda: any(f"{task_id}] succeeded" in production.log(name) for name in production.servers),
        timeout=60,
        what=f"a worker to run {task} ({task_id})",
    )
