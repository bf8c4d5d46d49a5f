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
args = parser.parse_args()

rows = {}
with open(args.results) as f:
    for line in f:
        entry = json.loads(line)
        rows[entry["name"]] = entry["result"]

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
    return "-" if not a or not b else f"{a / b:.1f}x"

out = []
out.append("# Receiver benchmark results")
out.append("")
out.append(f"Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC by `bash bench/receiver/run.sh`"
           f" (scale {args.scale}), all traffic on 127.0.0.1.")
out.append(f"Machine: {os.cpu_count()} cores (`nproc`), {cpu_model()}, {platform.system()} {platform.release()}; "
           "shared with other jobs while measured, so treat numbers as lower bounds.")
out.append("")
out.append("Same generator (`bench/Espwire.Bench.Receiver`) against every server in the same run. A per-message client")
out.append("connects, sends `N\\r\\n`, shuts down its side and waits for the server to close (the server took the line).")
out.append("Rates count until every line is stored: rows in SQLite for Espwire+SQLite, lines in the file for socat,")
out.append("server-side close for Espwire without a sink and for the seed (which closes after its one `recv`).")
out.append("")
out.append("| run | lines sent | lines stored | seconds | readings/s | connections/s |")
out.append("|---|---:|---:|---:|---:|---:|")
for name, r in rows.items():
    stored = "-" if r["lines_stored"] < 0 else f"{r['lines_stored']:,}"
    conns = fmt(r["connections_per_s"]) if r["connections_per_s"] else "-"
    out.append(f"| {name} | {r['lines_sent']:,} | {stored} | {r['seconds']:.2f} | {fmt(r['lines_per_s'])} | {conns} |")
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
with open(args.out, "w") as f:
    f.write("\n".join(out) + "\n")
