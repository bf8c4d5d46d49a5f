#!/usr/bin/env python3
"""Peer for bench/at: a minimal pyserial AT client doing what Espwire does, written for this benchmark.

It follows WiFiEspAT's approach (ATE0, CIPMUX=1, CIPRECVMODE=1, CIPSEND <= 2048, CIPRECVDATA <= 2048).
Usage: peer.py PORT_URL HOST PORT SIZE   prints {"send_s": .., "recv_s": ..} (1.7 dialect).
"""
import json, re, sys, time
import serial

url, host, port, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
s = serial.serial_for_url(url, baudrate=115200, timeout=30)
buf = b""


def fill():
    global buf
    chunk = s.read(s.in_waiting or 1)
    if not chunk:
        raise TimeoutError("the module went quiet")
    buf += chunk


def read_line():
    global buf
    while b"\r\n" not in buf:
        fill()
    line, buf = buf.split(b"\r\n", 1)
    return line


def until(*finals):
    while True:
        line = read_line()
        if line in finals:
            return line
        if line in (b"ERROR", b"FAIL", b"SEND FAIL"):
            raise RuntimeError(line)


def command(text, *finals):
    s.write(text.encode() + b"\r\n")
    return until(*(finals or (b"OK",)))


def wait_prompt():
    global buf
    while b">" not in buf:
        fill()
    buf = buf[buf.index(b">") + 1:].lstrip(b" ")


s.reset_input_buffer()
for attempt in range(3):
    try:
        command("AT")
        break
    except TimeoutError:
        pass
time.sleep(0.3)  # let late replies and boot text drain, as Espwire's quiet wait does
s.reset_input_buffer()
buf = b""
command("ATE0")
command("AT+CWMODE_CUR=1")
command('AT+CWJAP_CUR="iptime","admin"')
command("AT+CIPMUX=1")
command("AT+CIPRECVMODE=1")
command(f'AT+CIPSTART=0,"TCP","{host}",{port}')

data = bytes((i * 7 + 3) & 0xFF for i in range(size))
t0 = time.perf_counter()
for off in range(0, size, 2048):
    chunk = data[off:off + 2048]
    s.write(f"AT+CIPSEND=0,{len(chunk)}\r\n".encode())
    wait_prompt()
    s.write(chunk)
    until(b"SEND OK")
send_s = time.perf_counter() - t0

header = re.compile(rb"\+CIPRECVDATA,(\d+):")
got, first = 0, None
while got < size:
    s.write(b"AT+CIPRECVDATA=0,2048\r\n")
    while True:
        while b"\r\n" not in buf and not header.search(buf):
            fill()
        m = header.search(buf)
        if m and (b"\r\n" not in buf[:m.start()] or not buf[:m.start()].strip()):
            n = int(m.group(1))
            buf = buf[m.end():]
            while len(buf) < n:
                fill()
            buf = buf[n:]
            if n and first is None:
                first = time.perf_counter()
            got += n
            continue
        line = read_line()
        if line in (b"OK", b"ERROR"):
            break
recv_s = time.perf_counter() - first
print(json.dumps({"send_s": send_s, "recv_s": recv_s}))
