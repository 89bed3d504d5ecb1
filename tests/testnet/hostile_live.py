#!/usr/bin/env python3
"""Hostile clients and peers against a live 4-process mtnode testnet on loopback.

Starts four mtnode processes (build/bin/mtnode), then for DURATION seconds sends random JSON-RPC
calls (every method, random params: huge and negative numbers, floats, strings, nested junk, raw
non-JSON and non-UTF-8 bodies, batches) and random P2P input (garbage, oversize headers,
half-sent frames left hanging, hellos claiming every index without the key). At the end every
node must still be alive, still finalizing, and under 100 MiB RSS. Exit 0 when so.

  python3 tests/testnet/hostile_live.py [--duration SECONDS] [--report FILE]   (default 120 s)

RSS is sampled every 5 s; the report gives each node's peak, the requests sent, and the bans and
closed connections each node's /metrics counted.
"""
import argparse, json, os, random, signal, socket, struct, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MTNODE = os.environ.get("MTNODE", os.path.join(ROOT, "build", "bin", "mtnode"))
N = 4
METHODS = ["mt_chainId", "mt_genesisHash", "mt_blockNumber", "mt_getBlockByNumber", "mt_getBlockByHash",
           "mt_getBalance", "mt_getNonce", "mt_sendRawTransaction", "mt_getTransactionReceipt", "mt_validators",
           "mt_getValidator", "mt_getDelegation", "mt_status", "mt_getCommits", "mt_setLinkRules",
           "mt_subnetCount", "mt_getSubnet", "mt_getNeurons", "mt_getNeuron", "mt_getUid", "mt_faucet", "nope"]
SCENARIO = """version: 1
name: hostile-live
seed: 7
duration: 1h
chain: { block_time: 1s }
validators:
  - { group: val, count: 4, stake: 1000000 }
genesis: { accounts: [ { name: faucet, balance: 1000000000000 } ] }
"""
PAYEE = "ab" * 32  # paid once by mt_faucet at the start; its balance is checked on every node at the end


def free_ports(k):
    socks = [socket.socket() for _ in range(k)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def rand_value(r, depth=0):
    c = r.randrange(10)
    if c == 0: return r.choice([2**63, 2**64 - 1, 2**63 - 1, -1, -2**63, 0, 1])
    if c == 1: return r.random() * 10 ** r.randrange(0, 300)
    if c == 2: return "".join(chr(r.randrange(32, 0x2FFF)) for _ in range(r.randrange(0, 80)))
    if c == 3: return "0x" + "".join(r.choice("0123456789abcdef") for _ in range(r.choice([0, 2, 63, 64, 66])))
    if c == 4 and depth < 3: return [rand_value(r, depth + 1) for _ in range(r.randrange(0, 5))]
    if c == 5 and depth < 3: return {r.choice(["blockedOut", "blockedIn", "delayOut", "x"]): rand_value(r, depth + 1)}
    if c == 6: return r.choice([True, False, None])
    return r.randrange(0, 1000)


def rpc_post(port, body, headers=None, timeout=3):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/", data=body, method="POST",
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except Exception as e:  # connection refused etc.
        return None, str(e).encode()


def rpc_fuzz(r, port):
    k = r.randrange(8)
    if k == 0:
        body = bytes(r.randrange(256) for _ in range(r.randrange(0, 200)))
    elif k == 1:
        body = json.dumps([{"jsonrpc": "2.0", "id": i, "method": r.choice(METHODS),
                            "params": [rand_value(r) for _ in range(r.randrange(0, 4))]} for i in range(r.randrange(1, 70))]).encode()
    else:
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": r.choice(METHODS),
                           "params": [rand_value(r) for _ in range(r.randrange(0, 5))]}).encode()
    status, out = rpc_post(port, body)
    if status is None:
        raise RuntimeError(f"rpc port {port} not answering: {out[:200]!r}")


def frame(kind, payload):
    return struct.pack("<IB", len(payload) + 1, kind) + payload


def hello(index, chain=b"x"):
    return (struct.pack("<IH", 0x4d544e31, 2) + struct.pack("<I", len(chain)) + chain + os.urandom(32)
            + struct.pack("<I", index) + os.urandom(32) + bytes(64))


def p2p_fuzz(r, port, hanging):
    s = socket.create_connection(("127.0.0.1", port), timeout=2)
    k = r.randrange(6)
    try:
        if k == 0: s.sendall(os.urandom(r.randrange(1, 2000)))
        elif k == 1: s.sendall(struct.pack("<IB", r.choice([2**24, 2**31, 2**32 - 1, 1025]), r.choice([0x80, 3, 5, 7])))
        elif k == 2: s.sendall(frame(0x80, hello(r.randrange(N + 2))))
        elif k == 3: s.sendall(frame(0x80, os.urandom(r.randrange(0, 1024))))
        elif k == 4:  # a half-sent hello, left hanging
            s.sendall(struct.pack("<IB", 1000, 0x80) + os.urandom(100))
            hanging.append(s)
            if len(hanging) > 40:
                hanging.pop(0).close()
            return
        else: s.sendall(frame(0x81, os.urandom(64)))
        s.settimeout(0.2)
        try: s.recv(4096)
        except OSError: pass
    finally:
        if not hanging or hanging[-1] is not s:
            s.close()


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def call(port, method, params):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode()
    status, out = rpc_post(port, body)
    try: return json.loads(out)
    except Exception: return {"error": {"message": out[:200].decode(errors="replace")}}


def height(port):
    status, out = rpc_post(port, json.dumps({"jsonrpc": "2.0", "id": 1, "method": "mt_blockNumber"}).encode())
    try: return json.loads(out)["result"]
    except Exception: return -1


def metric_sum(port, name):
    """Sum of every sample of `name` (any labels) on the node's GET /metrics; -1 when unreachable."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=3) as resp:
            text = resp.read().decode()
    except Exception:
        return -1
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            total += float(line.rsplit(" ", 1)[1])
    return int(total)


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("duration_pos", nargs="?", type=float, help=argparse.SUPPRESS)
    ap.add_argument("--duration", type=float, default=120, help="seconds of hostile traffic (default 120)")
    ap.add_argument("--report", help="write the numbers as JSON to this file")
    a = ap.parse_args()
    if a.duration_pos is not None:
        a.duration = a.duration_pos
    return a


def main():
    args = parse_args()
    duration = args.duration
    d = tempfile.mkdtemp(prefix="mtsim-hostile-")
    with open(os.path.join(d, "scenario.yaml"), "w") as f:
        f.write(SCENARIO)
    ports = free_ports(2 * N)
    p2p, rpcp = ports[:N], ports[N:]
    epoch = time.monotonic_ns()
    procs = []
    for i in range(N):
        nd = os.path.join(d, f"node-{i}")
        os.makedirs(nd)
        launch = {"scenario": os.path.join(d, "scenario.yaml"), "seed": 7, "index": i, "data_dir": nd,
                  "epoch_ns": epoch, "host": "127.0.0.1", "p2p_ports": p2p, "rpc_ports": rpcp}
        with open(os.path.join(nd, "launch.json"), "w") as f:
            json.dump(launch, f)
        procs.append(subprocess.Popen([MTNODE, "--config", os.path.join(nd, "launch.json")],
                                      stdout=subprocess.DEVNULL, stderr=open(os.path.join(nd, "log"), "w")))
    time.sleep(3)
    r = random.Random(1)
    hanging = []
    calls = conns = 0
    h0 = [height(p) for p in rpcp]
    paid = call(rpcp[0], "mt_faucet", [PAYEE])
    print("hostile-live: faucet payout:", paid.get("result", paid.get("error")))
    t_end = time.time() + duration
    rss_peak = [0] * N
    next_sample = 0.0
    try:
        while time.time() < t_end:
            if time.time() >= next_sample:
                rss_peak = [max(a, rss_kib(p.pid)) for a, p in zip(rss_peak, procs)]
                next_sample = time.time() + 5
            i = r.randrange(N)
            if r.random() < 0.5:
                rpc_fuzz(r, rpcp[i]); calls += 1
            else:
                try: p2p_fuzz(r, p2p[i], hanging); conns += 1
                except OSError: pass
            for j, p in enumerate(procs):
                if p.poll() is not None:
                    raise RuntimeError(f"node {j} exited with {p.returncode}")
        time.sleep(3)
        h1 = [height(p) for p in rpcp]
        rss = [rss_kib(p.pid) for p in procs]
        rss_peak = [max(a, b) for a, b in zip(rss_peak, rss)]
        alive = all(p.poll() is None for p in procs)
        payee = [call(p, "mt_getBalance", [PAYEE]).get("result") for p in rpcp]
        bans = [metric_sum(p, "mtnode_peer_bans_total") for p in rpcp]
        closed = [metric_sum(p, "mtnode_connections_closed_total") for p in rpcp]
        print(f"hostile-live: {duration:.0f}s, {calls} RPC requests, {conns} P2P connections; heights {h0} -> {h1}; "
              f"RSS MiB now {[round(x / 1024, 1) for x in rss]}, peak {[round(x / 1024, 1) for x in rss_peak]}; "
              f"bans {bans}; connections closed {closed}; faucet payee balance {payee}; alive {alive}")
        ok = alive and all(b > a >= 0 for a, b in zip(h0, h1)) and all(0 < x < 100 * 1024 for x in rss_peak)
        ok = ok and "result" in paid and all(b == paid["result"]["amount"] for b in payee)
        if args.report:
            with open(args.report, "w") as f:
                json.dump({"duration_s": duration, "rpc_requests": calls, "p2p_connections": conns,
                           "heights_before": h0, "heights_after": h1, "rss_kib_peak": rss_peak,
                           "rss_kib_end": rss, "bans": bans, "connections_closed": closed, "faucet_payee_balance": payee,
                           "pass": ok}, f, indent=1)
        print("hostile-live:", "PASS" if ok else "FAIL")
        return 0 if ok else 1
    except RuntimeError as e:
        print("hostile-live: FAIL:", e)
        for j in range(N):
            print(f"--- node {j} log tail"); os.system(f"tail -5 {d}/node-{j}/log")
        return 1
    finally:
        for s in hanging: s.close()
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try: p.wait(timeout=10)
            except subprocess.TimeoutExpired: p.kill()


if __name__ == "__main__":
    sys.exit(main())
