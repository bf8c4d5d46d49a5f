"""Drives bench/mqtt/run.sh: one Mosquitto, then per QoS the peer (mosquitto_pub -l) and Espwire, then the drain."""
import json, os, signal, socket, subprocess, sys, tempfile, time, urllib.request, shutil, getpass, datetime

ROOT = os.getcwd()
N = int(os.environ.get("N", "100000"))
ESPWIRE = ["dotnet", os.path.join(ROOT, "src/Espwire.Cli/bin/Release/net10.0/espwire.dll")]
# run.sh builds another commit (BASELINE_REF, main by default) in a temporary directory and passes its espwire.dll
# here, so its rows come from the same broker on the same machine at the same load as this tree's.
BASELINE = os.environ.get("BASELINE_DLL") or None
BASELINE_REF = os.environ.get("BASELINE_REF", "main")
MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
work = tempfile.mkdtemp(prefix="espwire-bench-mqtt-")
children = []


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, what, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"run.py: {what} did not listen on 127.0.0.1:{port}")


def load():
    return float(open("/proc/loadavg").read().split()[0])


class Broker:
    def __init__(self):
        self.port = free_port()
        self.conf = os.path.join(work, "mosquitto.conf")
        with open(self.conf, "w") as f:
            f.write(f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location {work}/\n"
                    f"max_queued_messages 0\nmax_queued_bytes 0\nuser {getpass.getuser()}\nlog_dest none\n")
        self.start()

    def start(self):
        self.process = subprocess.Popen([MOSQUITTO, "-c", self.conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        children.append(self.process)
        wait_port(self.port, "mosquitto")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait()


def payload(i):
    # The same shape and size as Espwire's reading JSON, so both sides publish alike messages.
    return ('{"device":"bench-1","seq":%d,"received_at":"2026-12-02T06:00:00.000000Z","transport":"tcp","raw":"n=%d",'
            '"format":"kv","values":{"n":%d}}' % (i, i, i))


def peer(broker, qos):
    lines = os.path.join(work, "lines.txt")
    with open(lines, "w") as f:
        for i in range(1, N + 1):
            f.write(payload(i) + "\n")
    before = load()
    start = time.perf_counter()
    with open(lines) as f:
        subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(broker.port), "-q", str(qos), "-t", "bench/peer/reading",
                        "-i", f"bench-peer-q{qos}", "-l"], stdin=f, check=True)
    return {"run": f"mosquitto_pub -l, QoS {qos}", "seconds": time.perf_counter() - start, "load": before}


def stats(http):
    with urllib.request.urlopen(f"http://127.0.0.1:{http}/api/stats", timeout=10) as r:
        return json.load(r)


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve(broker, qos, name, dll=None):
    tcp, http = free_port(), free_port()
    process = subprocess.Popen((["dotnet", dll] if dll else ESPWIRE) + ["serve", "--tcp", f"127.0.0.1:{tcp}", "--no-udp", "--db", os.path.join(work, name + ".db"),
                                          "--quiet", "--http", f"127.0.0.1:{http}", "--mqtt", f"mqtt://127.0.0.1:{broker.port}",
                                          "--mqtt-qos", str(qos), "--mqtt-client-id", name],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children.append(process)
    wait_port(tcp, "espwire serve")
    wait_port(http, "espwire serve --http")
    return process, tcp, http


def send(tcp):
    with socket.create_connection(("127.0.0.1", tcp)) as s:
        s.sendall(b"@id bench-1\n" + b"".join(b"n=%d\n" % i for i in range(1, N + 1)))
        s.shutdown(socket.SHUT_WR)
        while s.recv(65536):
            pass


def wait_stats(http, condition, timeout=600):
    end = time.time() + timeout
    while time.time() < end:
        s = stats(http)
        if condition(s):
            return s
        time.sleep(0.02)
    sys.exit(f"run.py: gave up waiting; last stats {s}")


def stop(process):
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=120)


def label(dll):
    return f" [{BASELINE_REF}]" if dll else ""


def espwire(broker, qos, dll=None):
    process, tcp, http = serve(broker, qos, f"bench-q{qos}{'-base' if dll else ''}", dll)
    wait_stats(http, lambda s: s["mqtt_connected"])
    before = load()
    cpu = cpu_seconds(process.pid)
    start = time.perf_counter()
    send(tcp)
    wait_stats(http, lambda s: s["readings_stored"] >= N and s["mqtt_backlog"] == 0)
    seconds = time.perf_counter() - start
    cpu = cpu_seconds(process.pid) - cpu
    stop(process)
    return {"run": f"espwire serve --mqtt{label(dll)}, QoS {qos} (received, stored, forwarded)", "seconds": seconds, "load": before, "cpu": cpu}


def drain(broker, dll=None):
    broker.stop()
    process, tcp, http = serve(broker, 1, f"bench-drain{'-base' if dll else ''}", dll)
    send(tcp)
    wait_stats(http, lambda s: s["readings_stored"] >= N and s["mqtt_backlog"] >= N)
    broker.start()
    wait_stats(http, lambda s: s["mqtt_connected"], timeout=120)
    before = load()
    cpu = cpu_seconds(process.pid)
    start = time.perf_counter()
    wait_stats(http, lambda s: s["mqtt_backlog"] == 0)
    seconds = time.perf_counter() - start
    cpu = cpu_seconds(process.pid) - cpu
    stop(process)
    return {"run": f"espwire backlog drain after an outage{label(dll)}, QoS 1 (from reconnect)", "seconds": seconds, "load": before, "cpu": cpu}


def main():
    broker = Broker()
    rows = []
    try:
        for qos in (0, 1):
            rows.append(peer(broker, qos))
            if BASELINE:
                rows.append(espwire(broker, qos, BASELINE))
            rows.append(espwire(broker, qos))
            print("  " + "; ".join(f"{r['run'].split(',')[0]}: {N / r['seconds']:,.0f}/s" for r in rows[-(3 if BASELINE else 2):]), flush=True)
        if BASELINE:
            rows.append(drain(broker, BASELINE))
        rows.append(drain(broker))
        print(f"  drain: {N / rows[-1]['seconds']:,.0f}/s", flush=True)
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
        shutil.rmtree(work, ignore_errors=True)
    write(rows)


def write(rows):
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    out = [
        "# MQTT forwarding benchmark results", "",
        f"Measured {now} by `bash bench/mqtt/run.sh` (N={N:,}), all traffic on 127.0.0.1, one Mosquitto "
        f"({subprocess.run([MOSQUITTO, '-h'], capture_output=True, text=True).stdout.splitlines()[0]}, persistence on) for every row.",
        f"Machine: {os.cpu_count()} cores ({cpu}). `uptime` at the end: `{uptime}`.", "",
        "The peer is `mosquitto_pub -l` publishing N lines of the same JSON shape and size as Espwire's readings (one connection,",
        "QoS as shown; at QoS 1 it waits for every PUBACK). Espwire's row is end to end: N readings sent over one TCP connection",
        "to `espwire serve --mqtt`, stored in SQLite, read back by the outbox and published, timed until `/api/stats` shows them",
        "all stored and `mqtt_backlog` 0 (at QoS 1: every PUBACK in and the cursor saved). The drain row stores N readings while",
        "the broker is stopped (SIGTERM), starts it again, and times from the reconnect until the backlog is empty.", "",
        "The receiver's CPU column is the `espwire serve` process's user+system time over the timed part, per reading: it",
        "moves less with the machine's load than the rate does." +
        (f" Rows marked [{BASELINE_REF}] are that commit, built by run.sh in a temporary directory and run in the same" 
         " run, just before this tree's row." if BASELINE else ""), "",
        "| run | readings | seconds | readings/s | vs mosquitto_pub | receiver CPU µs/reading | load (1 min) |", "|---|---:|---:|---:|---:|---:|---:|",
    ]
    peers = {}
    for row in rows:
        rate = N / row["seconds"]
        ratio = "-"
        if row["run"].startswith("mosquitto_pub"):
            peers[row["run"][-1]] = rate
        elif "QoS" in row["run"] and not row["run"].startswith("espwire backlog"):
            qos = row["run"].split("QoS ")[1][0]
            ratio = f"{rate / peers[qos]:.2f}x" if qos in peers else "-"
        cpu = f"{row['cpu'] * 1e6 / N:.1f}" if "cpu" in row else "-"
        out.append(f"| {row['run']} | {N:,} | {row['seconds']:.2f} | {rate:,.0f} | {ratio} | {cpu} | {row['load']:.1f} |")
    start_load = min(row["load"] for row in rows)
    if start_load > 1.5 * (os.cpu_count() or 1):
        out += ["", "These figures come from a loaded machine (see the load column): treat them as a smoke run and re-run",
                "on a quiet machine for numbers to quote."]
    else:
        out += ["", "The load column is the 1-minute load average at the start of each run; on 2 cores most of it is the",
                "benchmark's own processes (broker, receiver, generator) from the run before."]
    # A hand-written "## What changed" section (and what follows it) is kept from the previous file.
    path = os.path.join(ROOT, "bench/mqtt/RESULTS.md")
    if os.path.exists(path):
        previous = open(path).read()
        at = previous.find("\n## What changed")
        if at >= 0:
            out += ["", previous[at + 1:].rstrip("\n")]
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    print("wrote bench/mqtt/RESULTS.md")


main()
