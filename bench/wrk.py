"""wrk, the HTTP load generator (Debian: `apt-get install wrk`), driven for bench/over_http.py.

`run` measures one URL for a number of seconds at a number of connections (one thread
each, so each connection is a client of its own) and returns wrk's own figures: requests,
errors, and latency percentiles from its histogram. `posts` has each connection post as
one client of its own (its own token, X-Acting-For and address) exactly `count` times, then
stop; it returns what each got back and the wall time from the first request sent to the
last answer received (wrk's own duration is the whole -d, however early its threads stop).
"""

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# wrk calls done() once at the end; it prints one line that `_figures` reads back.
DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %.6f, "socket_errors": %d, "status_errors": %d, '
    .. '"p50": %d, "p95": %d, "p99": %d, "max": %d}\\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.timeout,
    e.status, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max))
end
"""

# Each thread (one connection) is one client: its token, organisation and address come from
# PLAN by the order wrk sets the threads up. The wall clock is CLOCK_MONOTONIC through
# LuaJIT's FFI (wrk's Lua has no clock finer than a second).
POSTS = """
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local clock = ffi.new("bench_timespec")
local function now_us()
  ffi.C.clock_gettime(1, clock)
  return tonumber(clock.tv_sec) * 1e6 + tonumber(clock.tv_nsec) / 1e3
end

local threads, counter = {}, 0
function setup(thread)
  counter = counter + 1
  local client = PLAN[counter]
  thread:set("index", counter)
  thread:set("token", client[1])
  thread:set("acting", client[2])
  thread:set("address", client[3])
  table.insert(threads, thread)
end

sent, accepted, refused, first_us, last_us, statuses = 0, 0, 0, 0, 0, ""
function request()
  sent = sent + 1
  if first_us == 0 then first_us = now_us() end
  local headers = {
    ["Host"] = HOST, ["X-Forwarded-Proto"] = "https", ["X-Forwarded-For"] = address,
    ["Content-Type"] = "application/json", ["Accept"] = "application/json",
    ["X-Acting-For"] = tostring(acting),
  }
  if token ~= "" then headers["Authorization"] = "Token " .. token end
  return wrk.format("POST", PATH, headers, string.format(BODY, sent, index))
end

function response(status, headers, body)
  last_us = now_us()
  if status == 201 then
    accepted = accepted + 1
  else
    refused = refused + 1
    if #statuses < 200 then statuses = statuses .. status .. " " end
  end
  if accepted + refused >= COUNT then wrk.thread:stop() end
end

done = function(summary, latency, requests)
  local first, last, totals, statuses = nil, 0, {0, 0, 0}, ""
  for _, thread in ipairs(threads) do
    local began = thread:get("first_us")
    if began > 0 and (first == nil or began < first) then first = began end
    if thread:get("last_us") > last then last = thread:get("last_us") end
    totals[1] = totals[1] + thread:get("sent")
    totals[2] = totals[2] + thread:get("accepted")
    totals[3] = totals[3] + thread:get("refused")
    statuses = statuses .. thread:get("statuses")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"sent": %d, "accepted": %d, "refused": %d, "seconds": %.6f, '
    .. '"socket_errors": %d, "statuses": "%s", "p50": %d, "p95": %d, "p99": %d, "max": %d, '
    .. '"errors": "connect %d read %d write %d timeout %d"}\\n',
    totals[1], totals[2], totals[3], (last - (first or last)) / 1e6,
    e.connect + e.read + e.write + e.timeout, statuses, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max, e.connect, e.read, e.write,
    e.timeout))
end
"""


@dataclass(frozen=True)
class Figures:
    requests: int
    seconds: float
    errors: int  # socket errors and answers of 400 or more
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def executable() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (Debian's package).")
    return found


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid Lua string literal for plain text


def _run_wrk(arguments: list[str], script: str, timeout: float) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as file:
        file.write(script)
    try:
        result = subprocess.run(
            [executable(), *arguments, "--script", file.name],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    finally:
        Path(file.name).unlink()
    lines = [line for line in result.stdout.splitlines() if line.startswith("BENCH ")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return json.loads(lines[-1][len("BENCH ") :])


def run(url: str, headers: dict, *, connections: int, seconds: float) -> Figures:
    """`connections` clients (a thread each) requesting `url` for `seconds`."""
    arguments = [f"-t{connections}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "30s"]
    for name, value in headers.items():
        arguments += ["-H", f"{name}: {value}"]
    found = _run_wrk([*arguments, "--latency", url], DONE, timeout=seconds + 60)
    return Figures(
        requests=found["requests"],
        seconds=found["seconds"],
        errors=found["socket_errors"] + found["status_errors"],
        p50_ms=found["p50"] / 1000,
        p95_ms=found["p95"] / 1000,
        p99_ms=found["p99"] / 1000,
    )


@dataclass(frozen=True)
class Posts:
    sent: int
    accepted: int  # answered 201
    refused: int  # answered anything else
    statuses: list[int]  # the statuses of the refusals (the first ones)
    socket_errors: int
    seconds: float  # first request sent to last answer received
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        return self.accepted / self.seconds if self.seconds else 0.0


def posts(
    base: str,
    path: str,
    host: str,
    clients: list[tuple[str, int, str]],
    *,
    count: int,
    body: str,
    seconds: float,
) -> Posts:
    """Each of `clients` (token or "", organisation id, address) on a connection of its own
    posts `body` (a Lua format string taking the request's number and the client's) to
    `path` `count` times, one after the other; wrk stops after `seconds` whatever is left."""
    plan = ",\n".join(f"{{{_lua_string(t)}, {o}, {_lua_string(a)}}}" for t, o, a in clients)
    script = (
        f"PLAN = {{\n{plan}\n}}\nHOST = {_lua_string(host)}\nPATH = {_lua_string(path)}\n"
        f"BODY = {_lua_string(body)}\nCOUNT = {count}\n{POSTS}"
    )
    n = len(clients)
    arguments = [f"-t{n}", f"-c{n}", f"-d{seconds:g}s", "--timeout", "30s", base]
    found = _run_wrk(arguments, script, timeout=seconds + 60)
    shown = {k: v for k, v in found.items() if k != "statuses"}
    print(f"  wrk, posts to {path}: {shown}", file=sys.stderr, flush=True)
    return Posts(
        sent=found["sent"],
        accepted=found["accepted"],
        refused=found["refused"],
        statuses=[int(s) for s in found["statuses"].split()],
        socket_errors=found["socket_errors"],
        seconds=found["seconds"],
        p50_ms=found["p50"] / 1000,
        p95_ms=found["p95"] / 1000,
        p99_ms=found["p99"] / 1000,
    )
