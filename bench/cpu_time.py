"""CPU time spent by each server of the topology over a stretch of a benchmark, read from
/proc: what a request costs each part, whatever else the machine does meanwhile (another
job's load moves the latencies and the rates, not the CPU seconds a comment takes).

A process's utime + stime are counted from the stretch's start (or from zero for one that
started during it); a process that ended within the stretch is not counted, so the servers
keep their processes and database connections through it (the README's gthread workers and
DATABASE_CONN_MAX_AGE do)."""

import os
import time
from pathlib import Path

import harness  # noqa: F401  (puts the project on sys.path, as for every benchmark)

from tests.production.topology import descendants

TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    # After the command name (in parentheses, may hold spaces): utime and stime are the
    # 12th and 13th fields (proc(5): fields 14 and 15 of the whole line).
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _groups(topology) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for name, process in topology.servers.items():
        group = "Celery workers" if name.startswith("worker") else name
        found.setdefault(group, []).extend([process.pid, *descendants(process.pid)])
    postmaster = int((topology.cluster.data / "postmaster.pid").read_text().split()[0])
    found["PostgreSQL"] = [postmaster, *descendants(postmaster)]
    found["Redis"] = [topology.redis.process.pid]
    return found


class Meter:
    """CPU seconds by server (gunicorn, Celery workers, beat, PostgreSQL, Redis) since made."""

    def __init__(self, topology):
        self.topology = topology
        self.start = self._read()

    def _read(self) -> dict[str, dict[int, float]]:
        return {
            group: {pid: _cpu_seconds(pid) for pid in pids}
            for group, pids in _groups(self.topology).items()
        }

    def spent(self) -> dict[str, float]:
        return {
            group: sum(
                seconds - self.start.get(group, {}).get(pid, 0.0) for pid, seconds in now.items()
            )
            for group, now in self._read().items()
        }

    def settled(self, group: str, *, quiet: float = 0.05, every: float = 1.0, at_most=120.0):
        """spent() once `group` has used less than `quiet` CPU seconds in `every` seconds
        (its queue done), or after `at_most` seconds."""
        last, deadline = self.spent(), time.monotonic() + at_most
        while time.monotonic() < deadline:
            time.sleep(every)
            now = self.spent()
            if now[group] - last[group] < quiet:
                return now
            last = now
        return last
