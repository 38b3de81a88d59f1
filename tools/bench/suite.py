#!/usr/bin/env python3
"""The number work of tools/bench/suite: small HTTP clients, parsers for what
wrk, h2load and pgbench print, and the report that rewrites the suite's part
of docs/benchmarks.md. Every client talks to 127.0.0.1 only and every loop
is bounded by a count or a deadline.

  suite.py signin PORT                      prints an access token
  suite.py ready PORT SECONDS               waits for /readyz 200
  suite.py seed PORT N                      creates N tasks, prints their ids
  suite.py warm PORT IDS_FILE               reads each id once, fails on a non-200
  suite.py cluster PORT SECONDS NODE...     waits until exactly NODE... are up and own every shard
  suite.py wrk FILE                         rps p50_us p99_us non2xx socket_errors
  suite.py h2load LOG SECONDS SUMMARY       requests rate p50_us p99_us max_us failed
  suite.py overload LOG SECONDS SUMMARY     offered_rps goodput_rps p99_2xx_us shed_503 other_failed
  suite.py pgbench FILE                     tps failed
  suite.py lag PG_URL AFTER_SEQ SECONDS     events p50_ms p99_ms max_ms (outbox -> read model)
  suite.py backlog PG_URL SECONDS           waits until the outbox is sent and projected
  suite.py report RESULTS META DOC          rewrites DOC between the suite markers (DOC "-": none), prints the section
"""

import http.client
import json
import math
import os
import re
import statistics
import subprocess
import sys
import time

BEGIN, END = "<!-- suite:begin -->", "<!-- suite:end -->"


def call(port, method, path, body=None, token=None, timeout=10.0):
    conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=timeout)
    try:
        headers = {}
        if token:
            headers["Authorization"] = "Bearer " + token
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body)
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def poll(seconds, check, what):
    deadline = time.monotonic() + float(seconds)
    last = None
    while time.monotonic() < deadline:
        try:
            ok, last = check()
            if ok:
                return last
        except (OSError, ValueError, KeyError, http.client.HTTPException) as e:
            last = f"{type(e).__name__}: {e}"
        time.sleep(0.1)
    raise SystemExit(f"suite.py: {what} not reached within {seconds} s (last: {last})")


def percentile(sorted_values, p):
    """Nearest rank: the smallest value with at least p of the samples at or below it."""
    if not sorted_values:
        return float("nan")
    return sorted_values[max(0, math.ceil(p * len(sorted_values)) - 1)]


def to_us(text):
    """wrk's latency units (412.00us, 1.20ms, 1.05s, 2.00m) in microseconds."""
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text)
    if not m:
        raise SystemExit(f"suite.py: cannot read the latency '{text}'")
    return float(m.group(1)) * {"us": 1, "ms": 1e3, "s": 1e6, "m": 60e6}[m.group(2)]


def psql(url, sql):
    done = subprocess.run(["psql", url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    if done.returncode != 0:
        raise SystemExit(f"suite.py: psql failed: {done.stderr.strip()}")
    return done.stdout


# ---------------------------------------------------------------------------- commands

def cmd_signin(port):
    def check():
        status, data = call(port, "POST", "/api/v1/sessions",
                            {"email": "bench@taskflow.local", "password": "bench-password"})
        return status == 201 and "access_token" in data.decode(), data
    print(json.loads(poll(30, check, f"a sign-in on port {port}"))["access_token"])


def cmd_ready(port, seconds):
    poll(seconds, lambda: (call(port, "GET", "/readyz", timeout=2)[0] == 200, "not ready"),
         f"/readyz 200 on port {port}")


def cmd_seed(port, n):
    token = os.environ["TASKFLOW_TOKEN"]
    for i in range(int(n)):
        status, data = call(port, "POST", "/api/v1/tasks", {"title": f"seed {i}", "priority": 2}, token)
        if status != 201:
            raise SystemExit(f"suite.py: POST /api/v1/tasks answered {status}: {data[:200]!r}")
        print(json.loads(data)["id"])


def cmd_grpcbody(task_id, path):
    """A GetTaskRequest{id} as one gRPC message: not compressed, length, bytes."""
    message = b"\x0a" + bytes([len(task_id)]) + task_id.encode()
    with open(path, "wb") as f:
        f.write(b"\x00" + len(message).to_bytes(4, "big") + message)


def cmd_warm(port, ids_file):
    token = os.environ["TASKFLOW_TOKEN"]
    bad = [i for i in open(ids_file).read().split()
           if call(port, "GET", "/api/v1/tasks/" + i, token=token)[0] != 200]
    if bad:
        raise SystemExit(f"suite.py: {len(bad)} reads failed on port {port}")


def cmd_cluster(port, seconds, *nodes):
    token = os.environ["TASKFLOW_TOKEN"]

    def check():
        status, data = call(port, "GET", "/admin/api/cluster", token=token)
        states = {n["id"]: n["state"] for n in json.loads(data)["nodes"]} if status == 200 else {}
        status, data = call(port, "GET", "/admin/api/shards", token=token)
        owners = set(json.loads(data)["owners"]) if status == 200 else set()
        up = all(states.get(n) == "up" for n in nodes)
        return up and owners == {nodes[0]}, f"states {states}, owners {sorted(owners)}"
    poll(seconds, check, f"members {' '.join(nodes)} up with {nodes[0]} owning every shard (port {port})")


def cmd_wrk(path):
    out = open(path).read()
    rps = re.search(r"^Requests/sec:\s+([0-9.]+)", out, re.M)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    if not (rps and p50 and p99):
        raise SystemExit(f"suite.py: no wrk summary in {path}: {out[-500:]}")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = sum(int(x) for x in sock.groups()) if sock else 0
    print(f"{float(rps.group(1)):.1f} {to_us(p50.group(1)):.0f} {to_us(p99.group(1)):.0f} "
          f"{bad.group(1) if bad else 0} {errors}")


def cmd_h2load(path, seconds, summary):
    rows = [line.split("\t") for line in open(path) if line.strip()]
    if not rows:
        raise SystemExit(f"suite.py: h2load logged no request in {path}")
    lat = sorted(int(r[2]) for r in rows)
    # Requests that got no response (a connection error, a timeout) are in the summary only.
    lost = re.search(r"(\d+) errored, (\d+) timeout", open(summary).read())
    non2xx = sum(1 for r in rows if not r[1].startswith("2")) + (sum(map(int, lost.groups())) if lost else 0)
    print(f"{len(rows)} {len(rows) / float(seconds):.1f} {percentile(lat, .5):.0f} {percentile(lat, .99):.0f} "
          f"{lat[-1]} {non2xx}")


def cmd_overload(path, seconds, summary):
    rows = [line.split("\t") for line in open(path) if line.strip()]
    if not rows:
        raise SystemExit(f"suite.py: h2load logged no request in {path}")
    good = sorted(int(r[2]) for r in rows if r[1].startswith("2"))
    shed = sum(1 for r in rows if r[1] == "503")
    lost = re.search(r"(\d+) errored, (\d+) timeout", open(summary).read())
    other = len(rows) - len(good) - shed + (sum(map(int, lost.groups())) if lost else 0)
    p99 = percentile(good, .99) if good else 0
    print(f"{len(rows) / float(seconds):.1f} {len(good) / float(seconds):.1f} {p99:.0f} {shed} {other}")


def cmd_pgbench(path):
    out = open(path).read()
    tps = re.search(r"tps = ([0-9.]+)", out)
    failed = re.search(r"number of failed transactions: (\d+)", out)
    if not tps:
        raise SystemExit(f"suite.py: no pgbench summary in {path}: {out[-500:]}")
    print(f"{float(tps.group(1)):.1f} {failed.group(1) if failed else 0}")


UNPROJECTED = ("SELECT count(*) FROM outbox o WHERE o.seq > {after} AND (o.sent_at_ms IS NULL OR NOT EXISTS "
               "(SELECT 1 FROM inbox i WHERE i.consumer = 'projector' AND i.event_id = o.event_id))")


def cmd_backlog(url, seconds):
    poll(seconds, lambda: (int(psql(url, UNPROJECTED.format(after=0))) == 0, "rows left"),
         "an outbox sent and projected")


def cmd_lag(url, after, seconds):
    # Wait for every event written since AFTER to reach the read model.
    poll(seconds, lambda: (int(psql(url, UNPROJECTED.format(after=int(after)))) == 0, "rows left"),
         "the read model caught up")
    lags = sorted(int(x) for x in psql(
        url, "SELECT i.processed_at_ms - o.created_at_ms FROM outbox o JOIN inbox i "
             f"ON i.event_id = o.event_id AND i.consumer = 'projector' WHERE o.seq > {int(after)}").split())
    if not lags:
        raise SystemExit("suite.py: no projected event to measure")
    print(f"{len(lags)} {percentile(lags, .5)} {percentile(lags, .99)} {lags[-1]}")


# ---------------------------------------------------------------------------- report

def fmt_num(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"


def fmt_us(us):
    return f"{us / 1000:.2f} ms" if us >= 1000 else f"{us:.0f} µs"


def cmd_report(results_path, meta_path, doc_path):
    meta = json.load(open(meta_path))
    runs = [json.loads(line) for line in open(results_path) if line.strip()]
    failures = {r["fig"]: r["reason"] for r in runs if r.get("failed")}
    runs = [r for r in runs if not r.get("failed")]

    def values(fig, side, metric):
        return [r["value"] for r in runs if r["fig"] == fig and r["side"] == side and r["metric"] == metric]

    def med(fig, side, metric):
        v = values(fig, side, metric)
        return statistics.median(v) if v else None

    def total(fig, side, metric):
        return sum(values(fig, side, metric))

    def errors_note(fig, side="taskflow"):
        n = total(fig, side, "non2xx") + total(fig, side, "errors")
        return f" ({n:,.0f} failed requests)" if n else ""

    cmds = meta["commands"]
    rows = []

    def row(fig, what, tf, ref, ratio, goal, met):
        if fig in failures:
            reason = " ".join(failures[fig].replace("|", "/").split())[:240]
            tf, ref, ratio, met = f"not measured: {reason}", "—", "—", "not measured"
        elif goal == "report":
            met = "reported" if tf != "—" else "not measured"
        elif met is None:
            met = "not measured" if tf == "—" else "no reference in this run"
        elif isinstance(met, bool):
            met = "met" if met else "**not met**"
        rows.append(f"| {fig} | {what} | {tf} | {ref} | {ratio} | {goal} | {met} | {cmds.get(fig, '')} |")

    def ratio_of(a, b):
        return a / b if a is not None and b else None

    # B1
    tf, ng = med("B1", "taskflow", "rps"), med("B1", "nginx", "rps")
    r = ratio_of(tf, ng)
    c = meta["connections"]
    row("B1", f"`GET /healthz`, {c} connections",
        f"{fmt_num(tf)} req/s{errors_note('B1')}" if tf else "—",
        f"nginx, same bytes and Content-Type: {fmt_num(ng)} req/s{errors_note('B1', 'nginx')}" if ng else "—",
        f"{r:.2f}×" if r else "—", "≥ 1.0×", r >= 1.0 if r else None)
    b1 = tf
    # B2
    tf = med("B2", "taskflow", "rps")
    r = ratio_of(tf, b1)
    row("B2", f"`GET /api/v1/tasks/{{id}}`, resident actor, Bearer JWT, {c} connections",
        f"{fmt_num(tf)} req/s (p99 {fmt_us(med('B2', 'taskflow', 'p99_us'))}){errors_note('B2')}" if tf else "—",
        f"B1's TaskFlow: {fmt_num(b1)} req/s" if b1 else "—",
        f"{r:.2f}×" if r else "—", "≥ 0.85×", r >= 0.85 if r else None)
    # B3
    tf, ng = med("B3", "taskflow", "p99_us"), med("B3", "nginx", "p99_us")
    rate = med("B3", "taskflow", "target_rps")
    got_tf, got_ng = med("B3", "taskflow", "rps"), med("B3", "nginx", "rps")
    r = ratio_of(tf, ng)
    row("B3", "p99 of B2 at a fixed rate of 70 % of B2's peak (open loop, h2load)",
        f"p99 {fmt_us(tf)} at {fmt_num(got_tf)} req/s (p50 {fmt_us(med('B3', 'taskflow', 'p50_us'))})"
        f"{errors_note('B3')}" if tf else "—",
        f"nginx p99 {fmt_us(ng)} at {fmt_num(got_ng)} req/s{errors_note('B3', 'nginx')}" if ng else "—",
        f"{r:.2f}×" if r else "—", f"≤ 3× and ≤ 2 ms (rate {fmt_num(rate)} req/s)" if rate else "≤ 3× and ≤ 2 ms",
        (r <= 3 and tf <= 2000) if r else None)
    # B4
    tf, pg = med("B4", "taskflow", "rps"), med("B4", "pgbench", "tps")
    r = ratio_of(tf, pg)
    row("B4", f"durable `POST /api/v1/tasks` on PostgreSQL (fsync on), {c} connections",
        f"{fmt_num(tf)} req/s (p99 {fmt_us(med('B4', 'taskflow', 'p99_us'))}){errors_note('B4')}" if tf else "—",
        f"pgbench, 1 outbox-shaped row per transaction, {meta['connections']} clients: {fmt_num(pg)} tx/s"
        f"{errors_note('B4', 'pgbench')}" if pg else "—",
        f"{r:.2f}×" if r else "—", "≥ 1.5×", r >= 1.5 if r else None)
    b4 = tf
    # B5
    tf = med("B5", "taskflow", "rps")
    r = ratio_of(tf, b4)
    row("B5", "B4 with the relay publishing to JetStream (`--nats`)",
        f"{fmt_num(tf)} req/s (p99 {fmt_us(med('B5', 'taskflow', 'p99_us'))}){errors_note('B5')}" if tf else "—",
        f"B4's TaskFlow (in-process bus): {fmt_num(b4)} req/s" if b4 else "—",
        f"{r:.2f}×" if r else "—", "≥ 0.85×", r >= 0.85 if r else None)
    # B6
    secs, rss = med("B6", "taskflow", "seconds"), med("B6", "taskflow", "rss_kib")
    per = med("B6", "taskflow", "bytes_per_actor")
    n = med("B6", "taskflow", "actors")
    row("B6", f"{fmt_num(n) if n else '1,000,000'} resident task actors with state, in process",
        f"RSS {rss / 1048576:.2f} GiB ({per:,.0f} B per actor), created in {secs:.2f} s" if secs else "—",
        "—", "—", "≤ 1 GiB RSS; created ≤ 2 s",
        ((rss <= 1048576 and secs <= 2.0) if n == 1_000_000 else "not judged: the goal is for 1,000,000")
        if secs else None)
    # B7
    e1, w1 = med("B7", "edge", "p50_us"), med("B7", "owner", "p50_us")
    r = ratio_of(e1, w1)
    row("B7", "median read through an edge-only node (one middleman hop), 1 connection",
        f"p50 {fmt_us(e1)} ({e1 - w1:+.0f} µs){errors_note('B7', 'edge')}" if r else "—",
        f"the owning node: p50 {fmt_us(w1)}{errors_note('B7', 'owner')}" if w1 else "—",
        f"{r:.2f}×" if r else "—", "≤ +150 µs median", (e1 - w1 <= 150) if r else None)
    # B8
    tf = med("B8", "taskflow", "rps")
    r = ratio_of(tf, b4)
    row("B8", f"embedded SQLite `POST /api/v1/tasks`, {c} connections",
        f"{fmt_num(tf)} req/s (p99 {fmt_us(med('B8', 'taskflow', 'p99_us'))}){errors_note('B8')}" if tf else "—",
        f"B4's TaskFlow: {fmt_num(b4)} req/s" if b4 else "—",
        f"{r:.2f}×" if r else "—", "report", None)
    # B9
    p99, rate = med("B9", "taskflow", "p99_ms"), med("B9", "taskflow", "rps")
    row("B9", f"outbox → JetStream → read model lag at {meta['b9_rate']:,} writes/s",
        f"p99 {p99:.0f} ms (p50 {med('B9', 'taskflow', 'p50_ms'):.0f} ms, max {med('B9', 'taskflow', 'max_ms'):.0f} ms)"
        f" at {fmt_num(rate)} of {meta['b9_rate']:,} writes/s{errors_note('B9')}" if p99 is not None else "—",
        "—", "—", "p99 ≤ 100 ms", (p99 <= 100 and rate >= 0.95 * meta["b9_rate"]) if p99 is not None else None)

    # B10
    good, free = med("B10", "taskflow", "goodput_rps"), med("B10", "unbounded", "goodput_rps")
    b8 = med("B8", "taskflow", "rps")
    r = ratio_of(good, b8)

    def overload_cell(side):
        offered, p99 = med("B10", side, "offered_rps"), med("B10", side, "p99_2xx_us")
        shed, other = total("B10", side, "shed_503"), total("B10", side, "other_failed")
        before, after = med("B10", side, "rss_before_kib"), med("B10", side, "rss_after_kib")
        return (f"goodput {fmt_num(med('B10', side, 'goodput_rps'))} req/s of {fmt_num(offered)} offered "
                f"(p99 of 2xx {fmt_us(p99)}), {shed:,.0f} shed with 503, {other:,.0f} other failures, "
                f"RSS {before / 1024:.0f} → {after / 1024:.0f} MiB")
    growth = med("B10", "taskflow", "rss_after_kib") - med("B10", "taskflow", "rss_before_kib") if good else None
    row("B10", f"`POST /api/v1/tasks` offered at 2× B8's peak (open loop, {meta.get('b10_connections', '?')} "
        "connections), default in-flight budget (1024)",
        overload_cell("taskflow") if good else "—",
        f"the same node with the budget off: {overload_cell('unbounded')}" if free else "—",
        f"{r:.2f}× B8" if r else "—", "goodput ≥ 0.9× B8's peak; RSS growth ≤ 64 MiB",
        (r >= 0.9 and growth <= 65536) if r else None)

    # B11
    grpc, http = med("B11", "grpc", "rps"), med("B11", "http", "rps")
    r = ratio_of(grpc, http)
    row("B11", f"`GetTask` over gRPC (h2c), {c} concurrent calls",
        f"{fmt_num(grpc)} req/s (p50 {fmt_us(med('B11', 'grpc', 'p50_us'))}, p99 {fmt_us(med('B11', 'grpc', 'p99_us'))})"
        f"{errors_note('B11', 'grpc')}" if grpc else "—",
        f"`GET /api/v2/tasks/{{id}}` over HTTP/1.1, same node and concurrency: {fmt_num(http)} req/s "
        f"(p50 {fmt_us(med('B11', 'http', 'p50_us'))}, p99 {fmt_us(med('B11', 'http', 'p99_us'))})"
        f"{errors_note('B11', 'http')}" if http else "—",
        f"{r:.2f}×" if r else "—", "≥ 1.0×", r >= 1.0 if r else None)

    # B12
    def tracing_cell(kind, ratio):
        rps, off = med("B12", f"{kind}@{ratio}", "rps"), med("B12", f"{kind}@0", "rps")
        if not rps:
            return "—"
        cost = f" ({(rps / off - 1) * 100:+.1f} %)" if off and ratio != "0" else ""
        return (f"{fmt_num(rps)} req/s{cost} (p99 {fmt_us(med('B12', f'{kind}@{ratio}', 'p99_us'))})"
                f"{errors_note('B12', f'{kind}@{ratio}')}")
    for kind, what in (("get", "`GET /api/v1/tasks/{id}` (B2)"), ("post", "`POST /api/v1/tasks` (B8)")):
        tenth, off = med("B12", f"{kind}@0.1", "rps"), med("B12", f"{kind}@0", "rps")
        r = ratio_of(tenth, off)
        row("B12", f"{what} with tracing, {c} connections: sampling 0.1; 1.0",
            f"{tracing_cell(kind, '0.1')}; {tracing_cell(kind, '1')}" if tenth else "—",
            f"sampling 0: {tracing_cell(kind, '0')}" if off else "—",
            f"{r:.2f}×" if r else "—", "≥ 0.95× at 0.1 (≤ 5 % cost)", r >= 0.95 if r else None)

    lines = [BEGIN, "## Suite: TaskFlow beside its references", "",
             "Written by `tools/bench/suite`, which replaces this section (between its two marker comments) "
             "on each run; the sections after it are older single-purpose runs. "
             "Goals are measured, never asserted: a figure that misses its goal says **not met**.", "",
             f"- Date: {meta['date']}; commit {meta['commit']}; Release build in `{meta['build_dir']}`.",
             f"- Machine: {meta['nproc']} cores (nproc), {meta['cpu']}, {meta['mem']}; load average "
             f"{meta['load_start']} at the start, {meta.get('load_end', '?')} at the end.",
             f"- Command: `{meta['command']}` (total {meta.get('elapsed', '?')}).",
             f"- Every figure: one warm-up run of {meta['warmup']} s, then {meta['repeats']} measured runs of "
             f"{meta['seconds']} s each, reference and TaskFlow alternating; each cell is the median of the "
             "runs. Everything on 127.0.0.1, load generators on the same cores as the servers.", "",
             "| # | what | TaskFlow | reference measured in the same run | ratio | goal | met? | command |",
             "|---|---|---|---|---|---|---|---|", *rows, ""]
    lines += [f"- {note}" for note in meta["notes"]]
    labels = {"rps": "requests/s", "tps": "transactions/s", "p50_us": "p50 (µs)", "p99_us": "p99 (µs)",
              "max_us": "max (µs)", "seconds": "creation (s)", "rss_kib": "RSS after (KiB)",
              "rss_before_kib": "RSS before (KiB)", "bytes_per_actor": "bytes per actor",
              "p50_ms": "lag p50 (ms)", "p99_ms": "lag p99 (ms)", "max_ms": "lag max (ms)",
              "offered_rps": "offered requests/s", "goodput_rps": "2xx/s", "p99_2xx_us": "p99 of 2xx (µs)",
              "shed_503": "shed (503)", "other_failed": "other failures", "rss_after_kib": "RSS at the end (KiB)"}

    def raw(v):
        return str(int(v)) if v == int(v) else f"{v:.3f}".rstrip("0")

    lines += ["", "Every measured run, in order:", "", "| # | metric | runs |", "|---|---|---|"]
    for fig in sorted({r["fig"] for r in runs}):
        for metric in dict.fromkeys(r["metric"] for r in runs if r["fig"] == fig):
            if metric not in labels:
                continue
            sides = dict.fromkeys(r["side"] for r in runs if r["fig"] == fig and r["metric"] == metric)
            cells = "; ".join(f"{side}: " + ", ".join(raw(v) for v in values(fig, side, metric)) for side in sides)
            lines.append(f"| {fig} | {labels[metric]} | {cells} |")
    lines.append(END)
    section = "\n".join(lines)
    if doc_path == "-":
        print(section)
        return

    doc = open(doc_path).read()
    if BEGIN in doc and END in doc:
        head, rest = doc.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        doc = head + section + tail
    else:
        # At the top of the results: before the first section heading.
        at = doc.find("\n## ")
        at = len(doc) if at < 0 else at + 1
        doc = doc[:at] + section + "\n\n" + doc[at:]
    with open(doc_path + ".tmp", "w") as f:
        f.write(doc)
    os.replace(doc_path + ".tmp", doc_path)
    print(section)


COMMANDS = {"signin": cmd_signin, "ready": cmd_ready, "seed": cmd_seed, "warm": cmd_warm, "cluster": cmd_cluster,
            "grpcbody": cmd_grpcbody,
            "wrk": cmd_wrk, "h2load": cmd_h2load, "overload": cmd_overload, "pgbench": cmd_pgbench, "lag": cmd_lag, "backlog": cmd_backlog,
            "report": cmd_report}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        raise SystemExit(__doc__)
    COMMANDS[sys.argv[1]](*sys.argv[2:])
