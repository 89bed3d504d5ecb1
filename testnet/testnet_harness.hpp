// `mtsim testnet`: one scenario as real processes. Starts one mtnode per validator on 127.0.0.1
// (keys and genesis from the scenario and seed, exactly as the simulator derives them), drives the
// scenario's load through JSON-RPC (the same open-loop generator, so the same signed
// transactions), applies the faults a process can take (fault_driver.hpp), collects every node's
// committed blocks with its commit time, and evaluates the same expectations with the same
// metrics collector as a simulated run, into the same RunResult (so reports/ writes the same
// files). Every process it starts is stopped on every path out, Ctrl-C included.
//
// Time: testnet time 0 is a CLOCK_MONOTONIC instant taken just before the nodes start; every node
// and the harness measure from it, so submit and commit times compare directly. Events are
// evaluated after the run, sorted by time (the checks see what they would have seen live).
#pragma once

#include <csignal>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/run/run_result.hpp"
#include "testnet/cpu_share.hpp"
#include "testnet/metrics_scrape.hpp"
#include "sim/scenario/scenario.hpp"

namespace mt::testnet {

struct TestnetOptions {
  std::string scenario_path;            // given to every node (they load it themselves)
  std::vector<std::string> overrides;   // --set
  std::uint64_t seed = 1;
  std::string nodes_dir;                // node-<i>/{launch.json,node.sqlite,node.log}
  std::string mtnode_path;              // the mtnode executable
  std::optional<TimeUs> until_us;       // stop earlier than the scenario's duration
  TimeUs poll_interval_us = 500 * kUsPerMs;
  TimeUs ready_timeout_us = 60 * kUsPerSec;
  const volatile std::sig_atomic_t* interrupted = nullptr;  // set by a SIGINT handler
  std::function<void(const std::string& line)> progress;   // one line every few seconds
};

struct NodeResources {
  std::string name;
  std::uint64_t peak_rss_bytes = 0;  // max VmHWM over the node's incarnations
  std::uint32_t restarts = 0;
  std::uint64_t final_height = 0;
};

struct TestnetOutcome {
  sim::RunResult result;
  std::vector<NodeResources> nodes;
  std::string error;         // the run could not start (exit 65/70 by error_exit)
  int error_exit = 0;
  bool interrupted = false;
  std::uint64_t txs_refused = 0;  // submissions a node did not admit or could not be reached
  // Nodes that died without a planned fault, each with the end of its log: the run fails (exit 70).
  std::vector<std::string> unplanned_exits;
  // Every node's GET /metrics, scraped at the end before the nodes stop (metrics_scrape.hpp).
  std::vector<NodeMetrics> metrics;
  // The CPU the nodes got over the steady window (cpu_share.hpp); none when the run ended before
  // the window opened.
  std::optional<CpuShare> cpu;
};

TestnetOutcome run_testnet(const sim::Scenario& scenario, const TestnetOptions& options);

}  // namespace mt::testnet
