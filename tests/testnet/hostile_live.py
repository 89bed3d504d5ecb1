#!/usr/bin/env python3
"""Hostile clients and peers against a live 4-process mtnode testnet on loopback.

Starts four mtnode processes (build/bin/mtnode), then for DURATION seconds sends random JSON-RPC
calls (every method, random params: huge and negative numbers, floats, strings, nested junk, raw
non-JSON and non-UTF-8 bodies, batches) and random P2P input (garbage, oversize headers,
half-sent frames left hanging, hellos claiming every index without the key). At the end every
node must still be alive, still finalizing, and under 100 MiB RSS. Exit 0 when so.

  python3 tests/testnet/hostile_live.py [DURATION_SECONDS]   (default 120)
"""
import json, os, random, signal, socket, struct, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MTNODE = os.environ.get("MTNODE", os.path.join(ROOT, "build", "bin", "mtnode"))
N = 4
METHODS = ["mt_chainId", "mt_genesisHash", "mt_blockNumber", "mt_getBlockByNumber", "mt_getBlockByHash",
           "mt_getBalance", "mt_getNonce", "mt_sendRawTransaction", "mt_getTransactionReceipt", "mt_validators",
           "mt_getValidator", "mt_getDelegation", "mt_status", "mt_getCommits", "mt_setLinkRules",
           "mt_subnetCount", "mt_getSubnet", "mt_getNeurons", "mt_getNeuron", "mt_getUid", "nope"]
SCENARIO = """version: 1
name: hostile-live
seed: 7
duration: 1h
chain: { block_time: 1s }
validators:
  - { group: val, count: 4, stake: 1000000 }
"""


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


def height(port):
    status, out = rpc_post(port, json.dumps({"jsonrpc": "2.0", "id": 1, "method": "mt_blockNumber"}).encode())
    try: return json.loads(out)["result"]
    except Exception: return -1


def main():
    duration = float(sys.argv[1]) if len(sys.argv) > 1 else 120
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
    t_end = time.time() + duration
    try:
        while time.time() < t_end:
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
        alive = all(p.poll() is None for p in procs)
        print(f"hostile-live: {duration:.0f}s, {calls} RPC calls, {conns} P2P connections; heights {h0} -> {h1}; "
              f"RSS MiB {[round(x / 1024, 1) for x in rss]}; alive {alive}")
        ok = alive and all(b > a >= 0 for a, b in zip(h0, h1)) and all(0 < x < 100 * 1024 for x in rss)
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
