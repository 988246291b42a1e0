#!/usr/bin/env python3
"""Hold N idle connections to a lakthan server (tools/bench/http-idle).

usage: http-idle-hold.py HOST PORT N HOLD_S READY_FILE STOP_FILE
Half of the connections send a complete GET /healthz (keep-alive), read the
answer and then idle; the other half send a partial request (request line and
one header, no blank line) and idle. Prints "ready N" to READY_FILE once all
are open, then waits until STOP_FILE exists or HOLD_S seconds have passed
(bounded). Then it reports how many the server had closed, and checks the
survivors still work: keep-alive ones send a second GET /healthz, partial
ones finish their request; both must get a 200."""
import os, select, socket, sys, time

host, port, n, hold = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
ready_file, stop_file = sys.argv[5], sys.argv[6]
REQ = b"GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n" % host.encode()
PART = b"GET /healthz HTTP/1.1\r\nHost: %s\r\n" % host.encode()


def read_response(s, timeout=10.0):
    """one HTTP response (headers + Content-Length body); '' when closed"""
    s.settimeout(timeout)
    buf = b""
    while b"\r\n\r\n" not in buf:
        c = s.recv(65536)
        if not c:
            return ""
        buf += c
    head, body = buf.split(b"\r\n\r\n", 1)
    clen = 0
    for l in head.split(b"\r\n")[1:]:
        k, _, v = l.partition(b":")
        if k.strip().lower() == b"content-length":
            clen = int(v)
    while len(body) < clen:
        c = s.recv(65536)
        if not c:
            break
        body += c
    return head.split(b"\r\n")[0].decode()


t0 = time.time()
socks = []  # (socket, kind)
fail_open = 0
for i in range(n):
    kind = "keepalive" if i % 2 == 0 else "partial"
    try:
        s = socket.create_connection((host, port), timeout=10)
        if kind == "keepalive":
            s.sendall(REQ)
            st = read_response(s)
            if " 200 " not in st + " ":
                fail_open += 1
                print("open %d: %r" % (i, st), file=sys.stderr)
        else:
            s.sendall(PART)
        socks.append((s, kind))
    except OSError as e:
        fail_open += 1
        print("open %d: %s" % (i, e), file=sys.stderr)
with open(ready_file, "w") as f:
    f.write("ready %d failed %d in %.2f s\n" % (len(socks), fail_open, time.time() - t0))

deadline = time.time() + hold
while time.time() < deadline and not os.path.exists(stop_file):
    time.sleep(0.2)
held = time.time() - t0

closed = {"keepalive": 0, "partial": 0}
alive = []
for s, kind in socks:
    r, _, _ = select.select([s], [], [], 0)
    if r:
        try:
            s.setblocking(False)
            d = s.recv(65536)
        except OSError:
            d = b""
        if not d:
            closed[kind] += 1
            s.close()
            continue
    alive.append((s, kind))

ok = bad = 0
for s, kind in alive:
    try:
        s.setblocking(True)
        s.sendall(REQ if kind == "keepalive" else b"\r\n")
        st = read_response(s)
        if " 200 " in st + " ":
            ok += 1
        else:
            bad += 1
    except OSError:
        bad += 1
    s.close()
print("opened %d (failed %d), held %.1f s; closed by the server meanwhile: keep-alive %d, partial %d; "
      "survivors answered 200 afterwards: %d, failed: %d"
      % (len(socks), fail_open, held, closed["keepalive"], closed["partial"], ok, bad))
