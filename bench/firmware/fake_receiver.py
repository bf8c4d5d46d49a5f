#!/usr/bin/env python3
"""A minimal ack-protocol receiver for the firmware benchmark: stores in memory, ACKs after each read batch,
counts readings per second. Stands in for `espwire serve` until main's receiver speaks docs/ack-protocol.md."""
import socket, sys, threading, time

def main():
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    print(srv.getsockname()[1], flush=True)
    highest = {}
    def serve(c):
        buf = b""; name = None
        while True:
            d = c.recv(65536)
            if not d:
                return
            buf += d
            lines = buf.split(b"\n"); buf = lines.pop()
            for line in lines:
                line = line.rstrip(b"\r")
                if line.startswith(b"@id "):
                    name = line.split()[1]; highest.setdefault(name, 0)
                    c.sendall(b"ACK %d\n" % highest[name])
                elif line.startswith(b"#") and name is not None:
                    seq = int(line[1:line.index(b" ")])
                    if seq > highest[name]:
                        highest[name] = seq
            if name is not None:
                c.sendall(b"ACK %d\n" % highest[name])
    def accept():
        while True:
            c, _ = srv.accept()
            threading.Thread(target=serve, args=(c,), daemon=True).start()
    threading.Thread(target=accept, daemon=True).start()
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5
    time.sleep(1.0)  # device boot
    start = sum(highest.values()); t0 = time.time()
    time.sleep(seconds)
    n = sum(highest.values()) - start
    print(f"stored {n} readings in {seconds:.0f} s: {n / (time.time() - t0):.0f} readings/s", flush=True)

main()
