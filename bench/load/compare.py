"""Tremplin's pages beside Kolibri's under load, in one run (issue 15; docs/areas/load.md).

Both servers must already be up (bench/load/run.sh starts them in a network namespace with only loopback, and runs
this script there). This script signs in once on each (a Tremplin learner with code + PIN, a Kolibri learner), then
drives each page with wrk at each number of connections, and prints one Markdown table (requests per second, p50,
p99, errors) with the ratios and the issue's targets. Standard library + wrk only.

  python bench/load/compare.py --tremplin http://127.0.0.1:8000 --code DMT9TX --pin 1681 \
      --kolibri http://127.0.0.1:8081 --kolibri-user apprenant --kolibri-password … --kolibri-facility <id>
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

UA = "Mozilla/5.0 (Linux; Android 10) tremplin-load"


# --- one HTTP request without following redirects, cookies by hand (the servers set Secure cookies on plain HTTP) ---


def request(base: str, method: str, path: str, *, cookies: dict[str, str] | None = None, body: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], dict[str, str], str]:
    """(status, headers, cookies set, text)."""
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    sent = {"User-Agent": UA, "Host": f"{url.hostname}:{url.port}", **(headers or {})}
    if cookies:
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    connection.request(method, path, body=body, headers=sent)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    set_cookies = {}
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.strip().partition("=")
            set_cookies[key.strip()] = rest.split(";", 1)[0]
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, set_cookies, text


@dataclass
class Target:
    server: str  # "Tremplin" or "Kolibri"
    name: str
    base: str
    path: str
    cookies: dict[str, str]
    method: str = "GET"
    body: str = ""
    content_type: str = ""
    expect: tuple[int, ...] = (200,)


def tremplin_targets(base: str, code: str, pin: str) -> list[Target]:
    """The learner's home and a step page (signed in), the sign-in page, and the sign-in POST (with CSRF)."""
    status, _, anon, page = request(base, "GET", "/connexion/")
    assert status == 200, f"Tremplin /connexion/ answered {status}"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "code": code, "pin": pin, "remember": "on"})
    status, headers, signed, _ = request(base, "POST", "/connexion/", cookies=anon, body=form.encode(),
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 302 and headers.get("location") == "/apprendre/", f"Tremplin sign-in failed: {status} {headers}"
    session = {k: v for k, v in {**anon, **signed}.items() if k in ("sessionid", "csrftoken")}
    status, _, _, home = request(base, "GET", "/apprendre/", cookies=session)
    assert status == 200, f"Tremplin home answered {status}"
    step = re.search(r'href="(/apprendre/module/[\w-]+/etape/\d+/)"', home)
    if step is None:
        module = re.search(r'href="(/apprendre/module/[\w-]+/)"', home).group(1)
        step = re.search(r'href="(/apprendre/module/[\w-]+/etape/\d+/)"', request(base, "GET", module,
                                                                                  cookies=session)[3])
    step_path = step.group(1)
    assert request(base, "GET", step_path, cookies=session)[0] == 200, step_path
    return [
        Target("Tremplin", "learner home (signed in)", base, "/apprendre/", session),
        Target("Tremplin", f"step page {step_path}", base, step_path, session),
        Target("Tremplin", "sign-in page", base, "/connexion/", {}),
        Target("Tremplin", "sign-in POST (code + PIN)", base, "/connexion/", anon, "POST", form,
               "application/x-www-form-urlencoded", (302,)),
    ]


def kolibri_targets(base: str, user: str, password: str, facility: str, lang: str) -> list[Target]:
    """The learn page (signed in), the API it calls first for the home (homehydrate), the sign-in page, its POST."""
    body = json.dumps({"username": user, "password": password, "facility": facility})
    status, _, cookies, _ = request(base, "POST", "/api/auth/session/", body=body.encode(),
                                    headers={"Content-Type": "application/json"})
    assert status == 200, f"Kolibri sign-in failed: {status}"
    assert request(base, "GET", f"/{lang}/learn/", cookies=cookies)[0] == 200
    assert request(base, "GET", "/learn/api/homehydrate/", cookies=cookies)[0] == 200
    return [
        Target("Kolibri", f"learn page /{lang}/learn/ (signed in)", base, f"/{lang}/learn/", cookies),
        Target("Kolibri", "home data API /learn/api/homehydrate/", base, "/learn/api/homehydrate/", cookies),
        Target("Kolibri", f"sign-in page /{lang}/auth/", base, f"/{lang}/auth/", {}),
        Target("Kolibri", "sign-in POST /api/auth/session/", base, "/api/auth/session/", {}, "POST", body,
               "application/json"),
    ]


# --- wrk ---------------------------------------------------------------------------------------------------------


def lua_for(target: Target, folder: Path) -> Path:
    """A wrk script: method, body, headers; and a count of the statuses it did not expect (302 counts as an error
    for wrk's own tally only when >= 400, so the script counts them itself)."""
    headers = {"User-Agent": UA, "Accept-Encoding": "gzip", "Accept": "text/html,application/json"}
    if target.cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in target.cookies.items())
    if target.content_type:
        headers["Content-Type"] = target.content_type
    lines = [f"wrk.method = {json.dumps(target.method)}"]
    if target.body:
        lines.append(f"wrk.body = {json.dumps(target.body)}")
    lines += [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()]
    expected = " or ".join(f"status == {s}" for s in target.expect)
    lines += [
        "local threads = {}",
        "function setup(thread) table.insert(threads, thread) end",
        "function init(args) unexpected = 0 end",
        f"function response(status, headers, body) if not ({expected}) then unexpected = unexpected + 1 end end",
        "function done(summary, latency, requests)",
        "  local n = 0",
        "  for _, t in ipairs(threads) do n = n + t:get('unexpected') end",
        "  io.write(string.format('UNEXPECTED %d\\n', n))",
        "end",
    ]
    path = folder / f"{abs(hash((target.server, target.name, target.method)))}.lua"
    path.write_text("\n".join(lines) + "\n")
    return path


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * UNITS[unit]


@dataclass
class Result:
    rps: float
    p50: float
    p99: float
    requests: int
    errors: int
    detail: str
    cpu_ms: float = 0.0  # the server's CPU per request (its process tree; the database server excluded)


def tree_cpu_seconds(root: int) -> float:
    """CPU time (user + system) used so far by a process and all its living descendants. On a shared machine this is
    what a request costs, whatever the neighbours do to the wall clock."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / tick
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        total += times.get(pid, 0.0)
        stack += [child for child, parent in parents.items() if parent == pid]
    return total


def run_wrk(target: Target, connections: int, duration: int, folder: Path, server_pid: int = 0) -> Result:
    script = lua_for(target, folder)
    cpu_before = tree_cpu_seconds(server_pid) if server_pid else 0.0
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s", "--latency",
               "-s", str(script), target.base + target.path]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    cpu = tree_cpu_seconds(server_pid) - cpu_before if server_pid else 0.0
    percentiles = {"50": "0ms", "99": "0ms", **dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))}
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    socket_errors = sum(int(x) for x in socket.groups()) if socket else 0
    failed = socket_errors  # connect, read, write, timeout: each one a request that got no answer
    unexpected = int(re.search(r"UNEXPECTED (\d+)", out).group(1))
    detail = f"status≠{'/'.join(map(str, target.expect))}: {unexpected}" + (
        f", socket {socket.group(0).split(': ')[1]}" if socket else "")
    return Result(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), ms(percentiles["50"]),
                  ms(percentiles["99"]), requests, unexpected + failed, detail,
                  cpu * 1000 / requests if requests else 0.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tremplin", default="http://127.0.0.1:8000")
    parser.add_argument("--code", required=True, help="a Tremplin learner's personal code")
    parser.add_argument("--pin", required=True)
    parser.add_argument("--kolibri", default="http://127.0.0.1:8081")
    parser.add_argument("--kolibri-user", default="apprenant")
    parser.add_argument("--kolibri-password", required=True)
    parser.add_argument("--kolibri-facility", required=True)
    parser.add_argument("--kolibri-lang", default="fr-fr")
    parser.add_argument("--connections", default="20,50")
    parser.add_argument("--duration", type=int, default=20, help="seconds per measurement")
    parser.add_argument("--note", default="", help="printed under the table (server, workers…)")
    parser.add_argument("--tremplin-pid", type=int, default=0, help="the server's main process, for its CPU time")
    parser.add_argument("--kolibri-pid", type=int, default=0)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed (apt-get install wrk)")

    targets = (tremplin_targets(args.tremplin, args.code, args.pin)
               + kolibri_targets(args.kolibri, args.kolibri_user, args.kolibri_password, args.kolibri_facility,
                                 args.kolibri_lang))
    levels = [int(c) for c in args.connections.split(",")]
    results: dict[tuple[str, int], Result] = {}
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        for target in targets:
            run_wrk(target, 4, 2, Path(folder))  # warm-up: caches, connection pools, lazy imports
            for connections in levels:
                pid = args.tremplin_pid if target.server == "Tremplin" else args.kolibri_pid
                result = run_wrk(target, connections, args.duration, Path(folder), pid)
                results[(target.server + target.name, connections)] = result
                print(f"  {target.server:8} {target.name:45} c={connections:<3} {result.rps:8.1f} req/s  "
                      f"p50 {result.p50:7.1f} ms  p99 {result.p99:7.1f} ms  errors {result.errors}  "
                      f"server CPU {result.cpu_ms:.1f} ms/req", file=sys.stderr)
    load_after = os.getloadavg()

    print(f"\nLoad run {started}, {args.duration} s per measurement, wrk 2 threads, connections {args.connections}; "
          f"load average before {load_before[0]:.2f} / after {load_after[0]:.2f} on {os.cpu_count()} cores.")
    if args.note:
        print(args.note)
    print()
    header = "| server | page | " + " | ".join(
        f"c={c} req/s | c={c} p50 ms | c={c} p99 ms | c={c} errors" for c in levels) + " | server CPU ms/req |"
    print(header)
    print("|" + "---|" * (3 + 4 * len(levels)))
    for target in targets:
        cells = []
        for c in levels:
            r = results[(target.server + target.name, c)]
            cells += [f"{r.rps:.1f}", f"{r.p50:.0f}", f"{r.p99:.0f}", f"{r.errors}"]
        cpu = min(results[(target.server + target.name, c)].cpu_ms for c in levels)
        cells.append(f"{cpu:.1f}" if cpu else "–")
        print(f"| {target.server} | {target.name} | " + " | ".join(cells) + " |")

    learn = targets[4]
    print("\nRatios to Kolibri's learn page (same run, same connections):")
    for target in targets[:4]:
        ratios = ", ".join(f"c={c}: {results[(target.server + target.name, c)].rps / results[('Kolibri' + learn.name, c)].rps:.1f}×"
                           for c in levels)
        print(f"- {target.name}: {ratios}")
    hydrate = targets[5]
    print("\nRatios to Kolibri's learn page + its home data API (what showing a learner their home takes there, "
          "two requests: 1 / (1/shell + 1/homehydrate)):")
    for target in targets[:2]:
        ratios = []
        for c in levels:
            shell, data = (results[("Kolibri" + t.name, c)].rps for t in (learn, hydrate))
            both = 1 / (1 / shell + 1 / data) if shell and data else 0
            ratios.append(f"c={c}: {results[(target.server + target.name, c)].rps / both:.1f}×" if both else "–")
        print(f"- {target.name}: {', '.join(ratios)}")
    learn_cpu = min(results[("Kolibri" + learn.name, c)].cpu_ms for c in levels)
    if learn_cpu:
        print("\nBy CPU per request (what the neighbours on a shared machine do not change; the database server's own "
              "CPU is not counted — Kolibri's SQLite runs inside its process and is):")
        for target in targets[:4]:
            cpu = min(results[(target.server + target.name, c)].cpu_ms for c in levels)
            print(f"- {target.name}: {cpu:.1f} ms, {learn_cpu / cpu:.1f}× the requests per CPU-second of Kolibri's "
                  f"learn page ({learn_cpu:.1f} ms); {1000 / cpu:.0f} req/s per fully available core")
    print("\nTargets (issue 15):")
    top = max(levels)
    for target in targets[:2]:
        ratio = min(results[(target.server + target.name, c)].rps / results[("Kolibri" + learn.name, c)].rps
                    for c in levels)
        p99 = results[(target.server + target.name, top)].p99
        print(f"- {target.name}: ≥ 10× Kolibri's learn page: {'met' if ratio >= 10 else 'MISSED'} ({ratio:.1f}×); "
              f"p99 ≤ 200 ms at {top} connections: {'met' if p99 <= 200 else 'MISSED'} ({p99:.0f} ms)")
    post = min(results[(targets[3].server + targets[3].name, c)].rps for c in levels)
    print(f"- sign-in POST ≥ 60/s: {'met' if post >= 60 else 'MISSED'} ({post:.1f}/s at worst)")
    errors = sum(r.errors for (key, _), r in results.items() if key.startswith("Tremplin"))
    print(f"- no error on Tremplin: {'met' if errors == 0 else 'MISSED'} ({errors})")
    print("\nErrors in detail: " + "; ".join(
        f"{t.server} {t.name} c={c}: {results[(t.server + t.name, c)].detail}" for t in targets for c in levels
        if results[(t.server + t.name, c)].errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
