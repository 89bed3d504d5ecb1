#!/usr/bin/env python3
"""Structural lint for scripts/lint: include layering, function length and file length.

Prints one line per finding (file:line: what, and the rule) and exits 1 if there are any.
Pure text analysis (comments and string literals stripped, braces counted): fast, no compiler.

Layering is checked through the whole include graph, not only a file's own #include lines: a
testnet/ file that includes a sim/run/ header which includes sim/world/ breaks the rule too. A
finding names the chain (a -> b -> forbidden), at the first file on it that the rule covers, so
each broken seam is reported where it is crossed.
"""
import collections
import os
import re
import sys

FUNCTION_LINES_MAX = 60        # STYLE.md: functions short (~60 lines) in sim/, cli/, testnet/
FILE_LINES_MAX = 800           # STYLE.md 12: split a file that passes about 800 lines
FUNCTION_DIRS = ("sim/", "cli/", "testnet/")
SOURCE_DIRS = ("core", "sim", "cli", "testnet", "reports")

# (folders the rule applies to, forbidden include prefixes, why)
LAYERING = [
    (("core/",), ("sim/", "reports/", "cli/", "testnet/"), "core/ is the chain: it knows nothing of its runtimes"),
    (("sim/",), ("reports/", "cli/", "testnet/"), "sim/ is below reports/, cli/ and testnet/"),
    (("reports/",), ("cli/", "testnet/", "sim/world/", "sim/runner/", "sim/faults/"),
     "reports/ reads run results (sim/run/); it does not drive a run"),
    (("sim/engine/", "sim/net/", "sim/world/", "sim/faults/", "sim/metrics/", "sim/load/", "sim/scenario/"),
     ("sim/runner/", "sim/checks/"), "lower sim/ folders include neither the runner nor the checks"),
    (("sim/run/",), ("sim/world/", "sim/runner/", "sim/faults/"),
     "sim/run/ is runtime-neutral: it includes neither runtime"),
    (("testnet/",), ("sim/world/", "sim/runner/", "sim/faults/"),
     "testnet/ shares the run layer (sim/run/), never the simulator's runtime"),
]

# Inside core/, each folder includes only the folders before it (core/README.md, "Layers").
CORE_LAYERS = ("util", "codec", "crypto", "chain", "state", "storage", "consensus", "mempool", "node")
LAYERING += [
    ((f"core/{d}/",), tuple(f"core/{later}/" for later in CORE_LAYERS[i + 1:]),
     f"core/{d}/ sits below " + ", ".join(CORE_LAYERS[i + 1:]) + " (core/README.md)")
    for i, d in enumerate(CORE_LAYERS[:-1])
]

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
SCOPE_RE = re.compile(r'^(?:template\s*<.*>\s*)?(?:namespace\b|class\b|struct\b|union\b|enum\b|extern\s+"C")')


def strip_code(text):
    """Blanks comments, string and char literals (keeping newlines) so braces can be counted."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith('R"', i):
            m = re.match(r'R"([^(]*)\(', text[i:])
            end = text.find(")" + (m.group(1) if m else "") + '"', i)
            j = n if end < 0 else end + len(m.group(1) if m else "") + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(" " * (min(j + 1, n) - i))
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def long_functions(path, text):
    """Yields (line, length, name) of function bodies longer than FUNCTION_LINES_MAX."""
    code = strip_code(text)
    code = "\n".join("" if l.lstrip().startswith("#") else l for l in code.split("\n"))
    stack = []  # per open brace: ("scope" | "function" | "block", start line, name)
    head_start = 0
    line = 1
    for i, c in enumerate(code):
        if c == "\n":
            line += 1
        elif c == "{":
            head = " ".join(code[head_start:i].split())
            in_function = any(kind == "function" for kind, _, _ in stack)
            if in_function:
                kind = "block"
            elif SCOPE_RE.match(head) or head == "":
                kind = "scope"
            elif ")" in head and ("=" not in head.split("(")[0] or "operator" in head.split("(")[0]):
                kind = "function"
            else:
                kind = "block"
            name = head.split("(")[0].split()[-1] if kind == "function" and head.split("(")[0].split() else head[:40]
            stack.append((kind, line, name))
            head_start = i + 1
        elif c == "}":
            if stack:
                kind, start, name = stack.pop()
                if kind == "function" and line - start + 1 > FUNCTION_LINES_MAX:
                    yield start, line - start + 1, name
            head_start = i + 1
        elif c == ";":
            head_start = i + 1
        elif c == ":" and code[i - 1:i + 1] != "::" and code[i:i + 2] != "::":
            # after "public:" / "private:" / "case x:" the next head starts fresh
            prev = code[head_start:i].split()
            if prev and prev[-1] in ("public", "private", "protected"):
                head_start = i + 1


def read_sources():
    """{path: text} of every .cpp / .hpp under SOURCE_DIRS, paths relative to the repository."""
    sources = {}
    for top in SOURCE_DIRS:
        for dirpath, _, files in os.walk(top):
            for f in sorted(files):
                if f.endswith((".cpp", ".hpp")):
                    path = os.path.join(dirpath, f)
                    with open(path, encoding="utf-8", errors="replace") as fh:
                        sources[path] = fh.read()
    return sources


def include_graph(sources):
    """{path: [(line, included path)]}: the project's own quoted includes (root-relative paths)."""
    graph = {}
    for path, text in sources.items():
        edges = []
        for no, l in enumerate(text.split("\n"), 1):
            m = INCLUDE_RE.match(l)
            if m:
                edges.append((no, m.group(1)))
        graph[path] = edges
    return graph


def reached_through(graph, start, first_hop):
    """{header: parent} for everything `first_hop` includes, directly or not, plus itself."""
    parent = {first_hop: start}
    queue = collections.deque([first_hop])
    while queue:
        here = queue.popleft()
        for _, nxt in graph.get(here, ()):
            if nxt not in parent and nxt != start:
                parent[nxt] = here
                queue.append(nxt)
    return parent


def layering_findings(graph):
    """One finding per include edge into a forbidden folder, per rule it breaks.

    Each file a rule covers is followed through its includes; a covered file that is reached
    through another covered file is left to that one. Files that reach the same forbidden edge
    (X includes H) are reported once, with the shortest chain and how many more reach it."""
    by_edge = collections.OrderedDict()
    for path in sorted(graph):
        rules = [r for r in LAYERING if path.startswith(r[0])]
        for no, inc in graph[path]:
            parent = None
            for folders, forbidden, why in rules:
                if inc.startswith(folders) and not inc.startswith(forbidden):
                    continue  # a covered file: followed from there
                parent = parent or reached_through(graph, path, inc)
                for bad in sorted(h for h in parent if h.startswith(forbidden)):
                    chain = [bad]
                    while chain[-1] != inc:
                        chain.append(parent[chain[-1]])
                    chain.reverse()
                    if len(chain) > 1 and chain[-2].startswith(forbidden):
                        continue  # inside the forbidden folder: its entry is the finding
                    edge = (why, chain[-2] if len(chain) > 1 else path, bad)
                    by_edge.setdefault(edge, []).append((len(chain), path, no, chain))
    findings = []
    for (why, _, _), hits in by_edge.items():
        _, path, no, chain = min(hits)
        what = "includes " + chain[0] if len(chain) == 1 else "reaches " + " -> ".join(chain)
        more = f" (and {len(hits) - 1} more files)" if len(hits) > 1 else ""
        findings.append(f"{path}:{no}: {what}{more}: {why}")
    return findings


def self_test():
    """The rules catch what they claim: a forbidden header reached through an allowed one, once per
    edge, and a long operator body. Run by scripts/lint before the real tree (--self-test)."""
    graph = {
        "testnet/a.cpp": [(3, "sim/run/b.hpp")],
        "testnet/c.cpp": [(5, "sim/run/b.hpp")],
        "sim/run/b.hpp": [(7, "sim/world/w.hpp")],
        "sim/world/w.hpp": [(1, "sim/world/x.hpp")],
        "sim/world/x.hpp": [],
        "core/node/n.cpp": [(2, "core/util/u.hpp")],
        "core/util/u.hpp": [],
    }
    got = layering_findings(graph)
    want_testnet = "testnet/a.cpp:3: reaches sim/run/b.hpp -> sim/world/w.hpp (and 1 more files)"
    want_run = "sim/run/b.hpp:7: includes sim/world/w.hpp"
    assert len(got) == 2 and got[0].startswith(want_run) and got[1].startswith(want_testnet), got
    body = "bool operator==(const A& a, const A& b) {\n" + "  x();\n" * 70 + "}\n"
    assert [n for _, _, n in long_functions("sim/a.cpp", body)] == ["operator=="], "operator body not measured"
    short = "int f() {\n  auto g = [] {\n    return 1;\n  };\n  return g();\n}\n"
    assert not list(long_functions("sim/a.cpp", short)), "a short function flagged"
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    os.chdir(root)
    sources = read_sources()
    findings = layering_findings(include_graph(sources))
    for path, text in sorted(sources.items()):
        lines = text.split("\n")
        if len(lines) - 1 > FILE_LINES_MAX:
            findings.append(f"{path}:1: file has {len(lines) - 1} lines (max {FILE_LINES_MAX}): split it by concept")
        if path.startswith(FUNCTION_DIRS):
            for start, length, name in long_functions(path, text):
                findings.append(f"{path}:{start}: function {name} has {length} lines "
                                f"(max {FUNCTION_LINES_MAX}): move a step into a named helper")
    for f in findings:
        print(f)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
