// Help texts: what each command does, its options, and an example, like `git help`.
#include <cstdio>

#include "cli/commands.hpp"

namespace mt::cli {

void print_main_help() {
  std::printf(
      "mtsim - deterministic simulation harness for the ModernTensor L1\n"
      "\n"
      "usage: mtsim <command> [options]\n"
      "\n"
      "commands:\n"
      "  run FILE      run a scenario and print a verdict (exit 0 when every expectation holds)\n"
      "  check FILE    validate a scenario without running it and print a summary\n"
      "  sweep FILE... run many seeds as parallel processes into one results database\n"
      "  explore [ENV] draw whole scenarios from seeds and search for failures (docs/explore.md)\n"
      "  merge OUT IN  combine results databases IN... into OUT (e.g. the shards of a sweep)\n"
      "  report DB     regenerate junit.xml, summary.md and report.html from a results database\n"
      "  shrink FILE   simplify a failing scenario while every failed expectation still fails\n"
      "  inspect FILE  replay to a time and print one node's consensus and chain state there\n"
      "  explain DIR   tell a run's round story per height from its events (docs/debugging.md)\n"
      "  testnet FILE  run the scenario as one mtnode process per validator over TCP (docs/testnet.md)\n"
      "  capacity FILE find the saturation point: rising offered rates, the knee, the bottleneck\n"
      "  calibrate     measure this machine's per-operation CPU costs as a `costs:` fragment (docs/cost-model.md)\n"
      "  help COMMAND  show the options of a command\n"
      "\n"
      "options:\n"
      "  -h, --help    this text\n"
      "  -V, --version print the version\n"
      "\n"
      "exit codes: 0 all expectations met, 1 safety violated, 2 liveness or performance missed,\n"
      "3 nondeterminism, 4 wall-clock budget exceeded, 64 bad command line, 65 bad scenario,\n"
      "70 internal error, 130 interrupted.\n"
      "\n"
      "example:\n"
      "  mtsim run scenarios/quickstart.yaml --seed 7\n"
      "The scenario format is described in docs/scenario-reference.md.\n");
}

void print_check_help() {
  std::printf(
      "usage: mtsim check FILE [--set path=value]... [--resolved]\n"
      "\n"
      "Loads FILE strictly (unknown or duplicate keys, wrong types, bad units and impossible values\n"
      "are errors with file:line:column) and prints a one-screen summary of the run it describes.\n"
      "Exit 0 when valid, 65 when not, 64 on a bad command line.\n"
      "\n"
      "options:\n"
      "  --set path=value   override one key, e.g. --set chain.block_time=2s --set validators[0].count=10\n"
      "  --resolved         print the fully resolved scenario (defaults applied, draws frozen) as YAML\n"
      "  -h, --help         this text\n");
}

void print_run_help() {
  std::printf(
      "usage: mtsim run FILE [options]\n"
      "\n"
      "Runs the scenario in FILE on simulated time and prints the seed first, then progress, then every\n"
      "expectation with PASS/FAIL and the command that replays the run.\n"
      "\n"
      "options:\n"
      "  --seed N                 root seed (default: the scenario's seed, else 1)\n"
      "  --set path=value         override one key (repeatable), e.g. --set load[0].rate=100/s\n"
      "  --until T                stop at simulated time T (a duration such as 90s), before the scenario's end\n"
      "  --out DIR                where reports go (default: runs/<name>-seed<N>)\n"
      "  --dump-resolved          also write resolved.yaml (defaults applied, random draws frozen)\n"
      "  --progress MODE          auto | bar | lines | none (auto: a live bar on a terminal, lines in CI)\n"
      "  --color MODE             auto | always | never (auto honours NO_COLOR and non-terminals)\n"
      "  -q, --quiet              no progress output (the same as --progress none)\n"
      "  --trace                  write every event to trace.log in the output folder\n"
      "  --timeline               write timeline.json (Chrome trace: open in ui.perfetto.dev)\n"
      "  --events                 write events.jsonl (consensus and fault events, docs/events.md)\n"
      "  --events-heights A..B    only events of these heights (implies --events)\n"
      "  --events-nodes SEL       only events of these validators (implies --events)\n"
      "  --check-determinism      run twice and compare digests (exit 3 on a mismatch)\n"
      "  --no-share               turn off the simulation shortcuts (shared verification, transitions,\n"
      "                           block bytes and message decoding): same outcome, slower\n"
      "  --baseline OLD.json      after the summary, print metric deltas against an earlier report.json\n"
      "  -h, --help               this text\n");
}

void print_sweep_help() {
  std::printf(
      "usage: mtsim sweep FILE... --seeds 1..200 --out DIR [options]\n"
      "\n"
      "Runs every scenario FILE with every seed, each run its own process ('mtsim run' into\n"
      "DIR/<name>-seed<S>), up to --jobs at a time. Prints a line per finished run (PASS, or FAIL\n"
      "with the command that reproduces it), appends each finished run to DIR/results.sqlite (one\n"
      "transaction per run), then writes DIR/junit.xml and DIR/summary.md from the database and\n"
      "closes with 'N passed, N failed'. Exit code: the worst over the runs (safety 1 outranks\n"
      "nondeterminism 3, liveness 2 and wall budget 4); 130 on Ctrl-C, finished runs kept.\n"
      "\n"
      "options:\n"
      "  --seeds LIST        seeds: 1..200, 7, or a comma list such as 1..10,42 (ascending)\n"
      "  --out DIR           where runs, results.sqlite, junit.xml and summary.md go\n"
      "  -j, --jobs N        runs at a time (default: the number of cores)\n"
      "  --shard i/n         run only the i-th (1-based) of n interleaved slices of the run list;\n"
      "                      combine the shards' databases with 'mtsim merge' (docs/sweeps.md)\n"
      "  --set path=value    override one key in every run (repeatable)\n"
      "  -h, --help          this text\n"
      "\n"
      "example:\n"
      "  mtsim sweep scenarios/quickstart.yaml --seeds 1..50 --jobs 4 --out runs/sweep\n");
}

void print_capacity_help() {
  std::printf(
      "usage: mtsim capacity FILE --out DIR [options]\n"
      "\n"
      "Finds how much the scenario's chain carries. Runs the scenario at rising offered rates (every\n"
      "load segment's rate set to R), each point a normal seeded 'mtsim run' in its own process\n"
      "(DIR/rate-<R>), --jobs at a time: a coarse ramp doubling up to --max-rate that stops at the\n"
      "first rate that does not keep up, then bisection on the knee. A rate keeps up when finalized\n"
      "TPS >= 95%% of offered and finality p99 <= the bound (both over the steady window). Prints a\n"
      "table and 'saturation: N tx/s (bottleneck: ...)', or 'saturation: >= R tx/s' when even\n"
      "--max-rate keeps up; writes DIR/capacity.json and DIR/capacity.html (the curves, the knee\n"
      "marked). The scenario's 'capacity.saturation_tps' expectations are judged here. Exit code:\n"
      "a point's safety violation (1), nondeterminism (3) or internal error (70) counts, its missed\n"
      "throughput does not; a failed capacity expectation gives 2. See docs/capacity.md.\n"
      "\n"
      "options:\n"
      "  --out DIR           where the point runs, capacity.json and capacity.html go\n"
      "  -j, --jobs N        runs at a time (default: the number of cores)\n"
      "  --max-rate R        highest offered rate, tx/s (default: 4x the scenario's rate, >= 100)\n"
      "  --p99 D             finality p99 bound (default: the scenario's steady finality_latency.p99\n"
      "                      max expectation, else 2 x block time)\n"
      "  --seed N            the seed of every point (default: the scenario's, else 1)\n"
      "  --set path=value    override one key in every run (repeatable)\n"
      "  --testnet           run each point as 'mtsim testnet' (real mtnode processes), one at a time;\n"
      "                      prints the CPU each node got and the cpu.speed that models it\n"
      "  -h, --help          this text\n"
      "\n"
      "example:\n"
      "  mtsim capacity scenarios/milestone-50tps.yaml --jobs 2 --out runs/capacity\n");
}

void print_explore_help() {
  std::printf(
      "usage: mtsim explore [ENVELOPE.yaml] (--seeds A..B | --budget 10m) --out DIR [options]\n"
      "\n"
      "Searches for failures: each seed draws a whole scenario from the envelope (built-in defaults\n"
      "without one: validators, stake shape, network, load, a random subset of fault kinds and\n"
      "byzantine behaviours, and the expectations theory supports), writes it to\n"
      "DIR/seed-<N>/scenario.yaml and runs it in its own process, up to --jobs at a time. A failing\n"
      "seed is shrunk into shrunk.yaml and prints one replay line. Every run goes to\n"
      "DIR/results.sqlite; coverage of protocol events to DIR/seed-<N>/coverage.json and\n"
      "DIR/coverage.json, with the events no seed reached. Closes with 'N passed, N failed'; exit\n"
      "code as for sweep (the worst over the seeds: safety 1 first). See docs/explore.md.\n"
      "\n"
      "options:\n"
      "  --seeds LIST        seeds: 1..200, 7, or a comma list such as 1..10,42\n"
      "  --budget T          keep drawing seeds (from --first-seed, default 1) for wall time T (10m, 90s)\n"
      "  --out DIR           where seed folders, results.sqlite, coverage.json, junit.xml go\n"
      "  -j, --jobs N        seeds at a time (default: the number of cores)\n"
      "  --shard i/n         run only the i-th of n interleaved slices of the seeds (CI matrix, Slurm)\n"
      "  --shrink-runs K     reruns spent shrinking each failure (default 40; 0: do not shrink)\n"
      "  --max-failures N    start no new seed after N failures (0, the default: no limit)\n"
      "  --seed-timeout T    kill a seed still running after T (default 10m); it counts as exit 4\n"
      "  --bias / --no-bias  draw toward kinds that reach unreached events (default: on with\n"
      "                      --budget, off with --seeds, so a seed list always draws the same)\n"
      "  -h, --help          this text\n"
      "\n"
      "example:\n"
      "  mtsim explore --seeds 1..40 --jobs 2 --out runs/explore\n");
}

void print_merge_help() {
  std::printf(
      "usage: mtsim merge OUT.sqlite IN.sqlite...\n"
      "\n"
      "Adds every run of the input results databases to OUT (created when missing). A run stored in\n"
      "several inputs is kept once, so merging the shards of a sweep in any order gives the same\n"
      "content as one unsharded sweep. Then 'mtsim report OUT' writes junit.xml and the HTML.\n");
}

void print_report_help() {
  std::printf(
      "usage: mtsim report DB [--out DIR] [--latest]\n"
      "\n"
      "Regenerates from a results database: DIR/junit.xml and DIR/summary.md over every run, and\n"
      "DIR/<name>-seed<S>/report.html for each run (with --latest: only DIR/report.html, for the\n"
      "run that started last). DIR defaults to the folder holding DB.\n");
}

void print_testnet_help() {
  std::printf(
      "usage: mtsim testnet FILE [options]\n"
      "\n"
      "Runs the scenario as real processes: one mtnode per validator on 127.0.0.1 (TCP between them,\n"
      "SQLite store each, JSON-RPC for the harness), drives the scenario's load through JSON-RPC, applies\n"
      "crash (SIGKILL + restart), pause (SIGSTOP/SIGCONT), partition and link delay, then evaluates the\n"
      "same expectations and writes the same reports as `mtsim run`, plus testnet-nodes.json (memory per\n"
      "process). At the end every node's GET /metrics is scraped into report.json (\"testnet_metrics\") and\n"
      "one console line. Scenarios with byzantine groups, clock skew, nemesis, stake/join/leave or message\n"
      "loss are refused (exit 65): run them in the simulator. Ctrl-C stops every node (exit 130).\n"
      "\n"
      "options:\n"
      "  --seed N           root seed (keys, genesis, load; default: the scenario's seed, else 1)\n"
      "  --set path=value   override one key (repeatable)\n"
      "  --until T          stop after T of wall time (a duration such as 30s)\n"
      "  --out DIR          report directory (default runs/<name>-testnet-seed<N>)\n"
      "  --progress MODE    auto | bar | lines | none (a status line every 5 s; as for mtsim run)\n"
      "  --color MODE       auto | always | never (the summary's colours; as for mtsim run)\n"
      "  -q, --quiet        no progress output (the same as --progress none)\n"
      "  --nodes-dir DIR    node data, launch files and logs (default OUT/nodes)\n"
      "  --mtnode PATH      the node executable (default: mtnode beside mtsim)\n"
      "  -h, --help         this text\n"
      "\n"
      "example:\n"
      "  mtsim testnet scenarios/testnet-smoke.yaml\n");
}

void print_calibrate_help() {
  std::printf(
      "usage: mtsim calibrate [--out FILE] [--budget MS]\n"
      "\n"
      "Times the operations a simulated node charges CPU for (Ed25519 verify and sign, a cached\n"
      "verification, BLAKE2b per KiB, a block's fixed cost, one transfer's execution, a durable block\n"
      "write to SQLite) on this machine with the chain's own code, and prints a `costs:` fragment with\n"
      "the means in whole microseconds. A scenario that says `extends: FILE` then simulates validators\n"
      "as fast as this machine; `validators[].cpu: {speed: 0.5}` scales from there (docs/cost-model.md).\n"
      "\n"
      "options:\n"
      "  --out FILE    also write the fragment to FILE\n"
      "  --budget MS   time spent on each operation (default 300; 9 operations)\n"
      "  -h, --help    this text\n"
      "\n"
      "example:\n"
      "  mtsim calibrate --out costs.yaml\n");
}

}  // namespace mt::cli
