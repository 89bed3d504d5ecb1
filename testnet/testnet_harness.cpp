#include "testnet/testnet_harness.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/crypto/hash.hpp"
#include "core/state/transition.hpp"
#include "sim/engine/streams.hpp"
#include "sim/load/load_generator.hpp"
#include "sim/metrics/metrics_collector.hpp"
#include "sim/metrics/subnet_metrics.hpp"
#include "sim/run/run_assembly.hpp"
#include "testnet/admin_token.hpp"
#include "testnet/fault_driver.hpp"
#include "testnet/node_launch.hpp"
#include "testnet/node_process.hpp"
#include "testnet/node_wipe.hpp"
#include "testnet/port_picker.hpp"
#include "testnet/realtime_context.hpp"
#include "testnet/rpc_client.hpp"
#include "testnet/rpc_server.hpp"

namespace mt::testnet {

namespace fs = std::filesystem;

namespace {

// The last `lines` lines of a node's log, indented, for the failure that names a dead node.
std::string log_tail(const fs::path& path, std::size_t lines) {
  std::ifstream f(path);
  std::deque<std::string> tail;
  for (std::string line; std::getline(f, line);) {
    tail.push_back("    " + line);
    if (tail.size() > lines) tail.pop_front();
  }
  std::string out;
  for (const auto& l : tail) out += l + "\n";
  return out.empty() ? "    (empty or missing)\n" : out;
}

struct Slot {
  std::string name;
  fs::path dir;
  NodeProcess process;
  std::unique_ptr<RpcClient> rpc;
  std::uint64_t next_height = 1;  // next commit to collect
  std::uint64_t height = 0;
  bool down = false;              // crashed, not restarted yet
  NodeResources res;
};

struct Collected {
  TimeUs t = 0;
  std::size_t node = 0;
  BlockCommitted event;
};

// The scenario's duration (a day without one), or --until when that is earlier.
TimeUs run_end_us(const sim::Scenario& s, const TestnetOptions& o) {
  const TimeUs full = s.duration_us.value_or(24 * 3600 * kUsPerSec);
  return std::min(o.until_us.value_or(full), full);
}

std::optional<Hash32> hash_of(const json& j) {
  Bytes b;
  if (!j.is_string() || !from_hex(j.get<std::string>(), b) || b.size() != 32) return std::nullopt;
  Hash32 h;
  std::copy(b.begin(), b.end(), h.data.begin());
  return h;
}

class TestnetRun {
 public:
  TestnetRun(const sim::Scenario& s, const TestnetOptions& o) : s_(s), o_(o) {}
  ~TestnetRun() { stop_all(); }
  TestnetRun(const TestnetRun&) = delete;
  TestnetRun& operator=(const TestnetRun&) = delete;

  TestnetOutcome run();

 private:
  Status prepare();
  Status start_nodes();
  Status spawn(std::size_t i);
  Status wait_ready();
  void loop(TimeUs end_us);
  void submit_due();
  std::size_t send_batch(const std::vector<std::string>& raws);
  void poll(std::size_t i);
  void poll_all();
  void sample(TimeUs now);
  [[nodiscard]] CpuSample sample_node_cpu() const;
  BlockPtr fetch_block(std::size_t i, const Hash32& hash);
  void evaluate(TestnetOutcome& out, TimeUs end_us);
  void count_messages();
  std::vector<NodeMetrics> scrape_metrics();
  void subnet_state_metrics();
  void stop_all();
  [[nodiscard]] bool available(std::size_t i) const { return !slots_[i].down && !slots_[i].process.paused(); }
  [[nodiscard]] TimeUs now() const { return mono_since(epoch_ns_); }
  [[nodiscard]] bool interrupted() const { return o_.interrupted != nullptr && *o_.interrupted != 0; }
  ProcessHooks hooks();

  const sim::Scenario& s_;
  const TestnetOptions& o_;
  TestnetChain chain_;
  sim::RunView view_;
  std::vector<Slot> slots_;
  std::vector<std::uint16_t> p2p_ports_, rpc_ports_;
  std::int64_t epoch_ns_ = 0;
  std::unique_ptr<sim::LoadGenerator> load_;
  std::optional<TimeUs> next_arrival_;
  TimeUs load_until_ = 0;
  std::unique_ptr<sim::Rng> route_;
  std::unique_ptr<sim::MetricsCollector> metrics_;
  std::unique_ptr<FaultDriver> faults_;
  std::vector<Collected> events_;
  std::map<Hash32, BlockPtr> blocks_;
  std::vector<sim::NodeHeightPoint> heights_;
  std::uint64_t max_height_ = 0;
  std::uint64_t refused_ = 0;
  std::uint64_t submitted_ = 0;
  std::map<std::string, sim::MessageStats> messages_;
  std::vector<std::string> unplanned_;  // nodes that died without a planned fault: the run fails
  std::optional<CpuSample> cpu_at_warmup_;  // taken when the steady window opens
};

Status TestnetRun::prepare() {
  auto chain = build_testnet_chain(s_, o_.seed);
  if (!chain.ok()) return chain.error();
  chain_ = std::move(chain).value();
  const std::size_t n = chain_.setup.validators.size();
  for (const auto& v : chain_.setup.validators) {
    view_.nodes.push_back(sim::NodeMeta{v.name, v.group, v.key.public_key(), true, false});
  }
  auto ports = pick_free_ports(2 * n);
  if (!ports.ok()) return ports.error();
  p2p_ports_.assign(ports.value().begin(), ports.value().begin() + static_cast<std::ptrdiff_t>(n));
  rpc_ports_.assign(ports.value().begin() + static_cast<std::ptrdiff_t>(n), ports.value().end());
  slots_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    Slot& sl = slots_[i];
    sl.name = chain_.setup.validators[i].name;
    sl.res.name = sl.name;
    sl.dir = fs::path(o_.nodes_dir) / (fmt::format("node-{}", i));
    std::error_code ec;
    fs::create_directories(sl.dir, ec);
    if (ec) return make_error("cannot create " + sl.dir.string() + ": " + ec.message());
    // A fresh chain: remove what an earlier testnet left in this directory (our files only).
    for (const char* f : {"node.sqlite", "node.sqlite-wal", "node.sqlite-shm", "node.log"}) fs::remove(sl.dir / f, ec);
    sl.rpc = std::make_unique<RpcClient>("127.0.0.1", rpc_ports_[i], 2 * kUsPerSec);
    // The node reads the same file at start: admin methods (link rules for faults) need it.
    auto token = load_or_create_admin_token(fs::absolute(sl.dir).string());
    if (!token.ok()) return token.error();
    sl.rpc->set_admin_token(token.value());
  }
  sim::Streams streams(o_.seed);
  route_ = std::make_unique<sim::Rng>(streams.stream("load-route"));
  metrics_ = std::make_unique<sim::MetricsCollector>(view_, std::max<TimeUs>(s_.report.resolution_us, kUsPerMs));
  if (!chain_.setup.load.empty()) {
    std::vector<Address> validators;
    for (const auto& v : chain_.setup.validators) validators.push_back(v.key.public_key());
    load_ = std::make_unique<sim::LoadGenerator>(chain_.setup.load, chain_.chain_id, chain_.setup.backend,
                                                 chain_.setup.load_fee, streams.seed_of("load"), std::move(validators));
  }
  std::vector<std::string> names;
  for (const auto& sl : slots_) names.push_back(sl.name);
  faults_ = std::make_unique<FaultDriver>(s_, sim::FaultPlan::make(s_, o_.seed, run_end_us(s_, o_)), std::move(names), hooks());
  return {};
}

Status TestnetRun::spawn(std::size_t i) {
  Slot& sl = slots_[i];
  NodeLaunch l;
  l.scenario_path = fs::absolute(o_.scenario_path).string();
  l.overrides = o_.overrides;
  l.seed = o_.seed;
  l.index = static_cast<std::uint32_t>(i);
  l.data_dir = fs::absolute(sl.dir).string();
  l.epoch_ns = epoch_ns_;
  l.p2p_ports = p2p_ports_;
  l.rpc_ports = rpc_ports_;
  const std::string launch = (sl.dir / "launch.json").string();
  if (auto st = write_launch(launch, l); !st.ok()) return st;
  return sl.process.spawn({o_.mtnode_path, "--config", launch}, (sl.dir / "node.log").string());
}

Status TestnetRun::start_nodes() {
  epoch_ns_ = mono_now_ns();
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (auto st = spawn(i); !st.ok()) return make_error(slots_[i].name + ": " + st.error().message);
  }
  return wait_ready();
}

Status TestnetRun::wait_ready() {
  std::vector<bool> ready(slots_.size(), false);
  const TimeUs deadline = now() + o_.ready_timeout_us;
  std::size_t left = slots_.size();
  while (left > 0) {
    if (interrupted()) return make_error("interrupted");
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      if (ready[i]) continue;
      if (!slots_[i].process.alive()) {
        return make_error(slots_[i].name + " exited at startup; see " + (slots_[i].dir / "node.log").string());
      }
      if (slots_[i].rpc->call("mt_status").ok()) {
        ready[i] = true;
        --left;
      }
    }
    if (now() > deadline) {
      return make_error(fmt::format("{} nodes did not answer mt_status within the startup timeout", left));
    }
    if (left > 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return {};
}

ProcessHooks TestnetRun::hooks() {
  ProcessHooks h;
  h.crash = [this](std::size_t i) {
    slots_[i].res.peak_rss_bytes = std::max(slots_[i].res.peak_rss_bytes, peak_rss_bytes_of(slots_[i].process.pid()));
    slots_[i].process.kill_and_reap();
    slots_[i].down = true;
  };
  h.restart = [this](std::size_t i, bool wipe) {
    // A wipe drops the chain data but keeps the consensus record, as a validator keeps its key
    // state: a wiped node cannot sign at a height it already signed.
    if (wipe) {
      if (auto st = wipe_keeping_signing_state(slots_[i].dir.string()); !st.ok()) {
        unplanned_.push_back(slots_[i].name + ": wipe failed: " + st.error().message + "\n");
      }
    }
    if (spawn(i).ok()) {
      slots_[i].down = false;
      ++slots_[i].res.restarts;
    }
  };
  h.pause = [this](std::size_t i) { slots_[i].process.pause(); };
  h.resume = [this](std::size_t i) { slots_[i].process.resume(); };
  h.set_rules = [this](std::size_t i, const LinkRules& r) {
    if (!available(i)) return false;
    json delay = json::array();
    for (const auto& [p, d] : r.delay_out) delay.push_back(json::array({p, d}));
    const json rules{{"blockedOut", r.blocked_out}, {"blockedIn", r.blocked_in}, {"delayOut", delay}};
    return slots_[i].rpc->call("mt_setLinkRules", json::array({rules})).ok();
  };
  return h;
}


// Every arrival due by now, in JSON-RPC batches (at most kMaxBatch transactions, one HTTP
// request each) to a random live node: one request per transaction could not keep up with 60 tx/s
// against 50 processes on two busy cores (docs/testnet.md, testnet-50v). A batch also stops at
// half the server's body limit in hex, so a size mix of big transactions (load[].size) never has
// a whole batch refused for its length.
void TestnetRun::submit_due() {
  constexpr std::size_t kMaxBatchHexBytes = RpcServer::kMaxBodyBytes / 2;
  while (next_arrival_ && *next_arrival_ <= now() && !interrupted()) {
    std::vector<std::string> raws;
    std::size_t hex_bytes = 0;
    while (raws.size() < kMaxBatch && hex_bytes < kMaxBatchHexBytes && next_arrival_ && *next_arrival_ <= now()) {
      TxPtr tx = load_->make_tx();
      metrics_->on_submitted(tx->hash(), *next_arrival_);
      ++submitted_;
      raws.push_back(to_hex(tx->encoded()));
      hex_bytes += raws.back().size();
      next_arrival_ = load_->next_arrival(load_until_);
    }
    const std::size_t admitted = send_batch(raws);
    for (std::size_t k = admitted; k < raws.size(); ++k) {
      ++refused_;
      metrics_->on_rejected_submission();
    }
  }
}

// Sends one batch of mt_sendRawTransaction to the first live node (from a random one) that
// answers it at all (open loop: a node that is down or paused is skipped); how many it admitted.
std::size_t TestnetRun::send_batch(const std::vector<std::string>& raws) {
  json body = json::array();
  for (std::size_t k = 0; k < raws.size(); ++k) {
    body.push_back({{"jsonrpc", "2.0"}, {"id", k}, {"method", "mt_sendRawTransaction"}, {"params", json::array({raws[k]})}});
  }
  const std::string text = body.dump();
  const std::size_t n = slots_.size();
  const auto first = static_cast<std::size_t>(route_->uniform_u64(n));
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = (first + k) % n;
    if (!available(i)) continue;
    auto r = slots_[i].rpc->post(text);
    if (!r.ok() || r.value().status != 200) continue;
    const json replies = json::parse(r.value().body, nullptr, false);
    if (!replies.is_array()) return 0;
    std::size_t admitted = 0;
    for (const auto& reply : replies) admitted += reply.is_object() && reply.contains("result") ? 1u : 0u;
    return admitted;
  }
  return 0;
}

BlockPtr TestnetRun::fetch_block(std::size_t i, const Hash32& hash) {
  if (auto it = blocks_.find(hash); it != blocks_.end()) return it->second;
  auto r = slots_[i].rpc->call("mt_getBlockByHash", json::array({hash.hex(), true}));
  if (!r.ok() || !r.value().is_object()) return nullptr;
  Bytes raw;
  if (!from_hex(r.value().value("raw", std::string()), raw)) return nullptr;
  auto block = Block::decode(raw);
  if (!block.ok() || block.value().hash() != hash) return nullptr;
  auto ptr = std::make_shared<const Block>(std::move(block).value());
  blocks_.emplace(hash, ptr);
  return ptr;
}

void TestnetRun::poll(std::size_t i) {
  Slot& sl = slots_[i];
  if (!available(i)) return;
  if (!sl.process.alive()) {  // not a fault we applied: the node died on its own
    sl.down = true;
    unplanned_.push_back(fmt::format("{} exited at {} ms without a planned fault; the end of {}:\n{}", sl.name,
                                     now() / kUsPerMs, (sl.dir / "node.log").string(),
                                     log_tail(sl.dir / "node.log", 20)));
    return;
  }
  sl.res.peak_rss_bytes = std::max(sl.res.peak_rss_bytes, peak_rss_bytes_of(sl.process.pid()));
  auto r = sl.rpc->call("mt_getCommits", json::array({sl.next_height, 256}));
  if (!r.ok() || !r.value().is_array()) return;
  for (const auto& c : r.value()) {
    auto hash = hash_of(c.value("hash", json()));
    auto root = hash_of(c.value("stateRoot", json()));
    auto proposer = hash_of(c.value("proposer", json()));
    if (!hash || !root || !proposer) continue;
    BlockCommitted e;
    e.height = c.value("height", std::uint64_t{0});
    e.round = c.value("round", std::uint32_t{0});
    e.block_hash = *hash;
    e.state_root = *root;
    e.proposer = *proposer;
    e.timestamp_ms = c.value("timestamp", std::uint64_t{0});
    for (const auto& t : c.value("transactions", json::array())) {
      if (auto h = hash_of(t)) e.tx_hashes.push_back(*h);
    }
    e.evidence_count = c.value("evidenceCount", std::size_t{0});
    e.via_sync = c.value("viaSync", false);
    e.block = fetch_block(i, *hash);
    if (e.block == nullptr) break;  // try again at the next poll
    sl.next_height = e.height + 1;
    sl.height = std::max(sl.height, e.height);
    max_height_ = std::max(max_height_, e.height);
    events_.push_back(Collected{c.value("commitUs", TimeUs{0}), i, std::move(e)});
  }
}

void TestnetRun::poll_all() {
  for (std::size_t i = 0; i < slots_.size(); ++i) poll(i);
}

void TestnetRun::sample(TimeUs t) {
  sim::NodeHeightPoint p;
  p.t_us = t;
  for (const auto& sl : slots_) p.heights.push_back(sl.height);
  heights_.push_back(std::move(p));
}

// A down or paused node counts as not running (0): its window is not measured.
CpuSample TestnetRun::sample_node_cpu() const {
  std::vector<pid_t> pids;
  for (const auto& sl : slots_) pids.push_back(sl.down ? 0 : sl.process.pid());
  return sample_cpu(pids);
}

void TestnetRun::loop(TimeUs end_us) {
  load_until_ = end_us;
  if (load_) next_arrival_ = load_->next_arrival(load_until_);
  TimeUs next_poll = 0;
  TimeUs next_progress = 5 * kUsPerSec;
  std::uint64_t last_finalized_txs = 0;
  while (!interrupted()) {
    const TimeUs t = now();
    if (t >= end_us || (s_.stop_at_height && max_height_ >= *s_.stop_at_height)) break;
    // The steady window's CPU sample is taken on time, not at the next poll: polling 21 starved
    // nodes can take seconds on a loaded host.
    if (!cpu_at_warmup_ && t >= s_.warmup_us) cpu_at_warmup_ = sample_node_cpu();
    submit_due();
    if (t >= next_poll) {
      poll_all();
      sample(t);
      faults_->tick(now(), max_height_);
      next_poll = t + o_.poll_interval_us;
    }
    if (o_.progress && t >= next_progress) {
      std::uint64_t txs = 0;
      for (const auto& e : events_) txs += e.node == 0 ? e.event.tx_hashes.size() : 0;
      char line[200];
      std::snprintf(line, sizeof line, "  t=%6.1fs/%.0fs  height %5llu  node0 finalized %6.1f tx/s  submitted %llu",
                    static_cast<double>(t) / 1e6, static_cast<double>(end_us) / 1e6,
                    static_cast<unsigned long long>(max_height_), static_cast<double>(txs - last_finalized_txs) / 5.0,
                    static_cast<unsigned long long>(submitted_));
      o_.progress(line);
      last_finalized_txs = txs;
      next_progress = t + 5 * kUsPerSec;
    }
    TimeUs wake = std::min(next_poll, now() + 50 * kUsPerMs);
    if (next_arrival_) wake = std::min(wake, *next_arrival_);
    const TimeUs sleep = wake - now();
    if (sleep > 0) std::this_thread::sleep_for(std::chrono::microseconds(sleep));
  }
}

void TestnetRun::evaluate(TestnetOutcome& out, TimeUs end_us) {
  std::stable_sort(events_.begin(), events_.end(), [](const Collected& a, const Collected& b) {
    return a.t != b.t ? a.t < b.t : a.node != b.node ? a.node < b.node : a.event.height < b.event.height;
  });
  view_.faults = faults_->windows();
  sim::ExpectationSet expectations(s_, view_, chain_.genesis, chain_.setup.backend, o_.seed);
  for (const auto& c : events_) {
    const Event e = c.event;
    metrics_->on_event(c.node, c.t, e);
    expectations.on_event(c.node, c.t, e);
  }
  subnet_state_metrics();
  sim::RunResult& r = out.result;
  r = sim::assemble_run_result(s_, view_, expectations, *metrics_,
                               sim::RunEnd{o_.seed, end_us, faults_->windows(), std::move(heights_)});
  r.scenario_file = o_.scenario_path;
  r.digest = "testnet";  // real time is not reproducible: no run digest
  r.metrics.txs_rejected = refused_;
  r.metrics.messages_by_kind = messages_;
  r.reproduce_command = fmt::format("mtsim testnet {} --seed {}", o_.scenario_path, o_.seed);
  out.txs_refused = refused_;
  out.unplanned_exits = unplanned_;
  for (auto& sl : slots_) {
    sl.res.final_height = sl.height;
    out.nodes.push_back(sl.res);
  }
}

// The AI layer's end-of-run metrics (as the simulator takes them from its most advanced node): the
// final state rebuilt by replaying the collected chain from genesis, so no node has to export it.
void TestnetRun::subnet_state_metrics() {
  if (s_.subnets.empty()) return;
  std::map<std::uint64_t, BlockPtr> chain;
  for (const auto& c : events_) chain.emplace(c.event.height, c.event.block);  // first commit per height
  crypto::Verifier verifier(chain_.setup.backend, 1u << 16);
  state::StatePtr st = chain_.genesis;
  for (const auto& [h, block] : chain) {
    if (h != st->height() + 1 || block == nullptr) break;
    auto next = state::apply_block(st, *block, verifier);
    if (!next.ok()) break;  // a safety check reports it; the metrics stop at the last good state
    st = std::move(next).value();
  }
  metrics_->set_state_metrics(sim::subnet_metrics(*st, sim::SubnetPlan::make(s_, o_.seed)));
}

// Frames by kind, summed over the live processes' transports (a restarted node counts from its
// restart: what its earlier incarnation sent is gone with it).
void TestnetRun::count_messages() {
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (!available(i)) continue;
    auto st = slots_[i].rpc->call("mt_status");
    if (!st.ok() || !st.value().contains("byKind")) continue;
    for (const auto& [kind, c] : st.value()["byKind"].items()) {
      auto& m = messages_[kind];
      m.sent += c.value("sent", std::uint64_t{0});
      m.delivered += c.value("received", std::uint64_t{0});
      m.dropped += c.value("dropped", std::uint64_t{0});
      m.bytes += c.value("bytes", std::uint64_t{0});
    }
  }
  for (auto it = messages_.begin(); it != messages_.end();) {
    it = it->second.sent == 0 && it->second.delivered == 0 ? messages_.erase(it) : std::next(it);
  }
}

std::vector<NodeMetrics> TestnetRun::scrape_metrics() {
  std::vector<NodeMetrics> out;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    NodeMetrics m{slots_[i].name, "", {}};
    if (!available(i)) {
      m.error = "not running at the end (down or paused)";
    } else if (auto reply = slots_[i].rpc->post("", "GET", "/metrics"); !reply.ok()) {
      m.error = reply.error().message;
    } else if (reply.value().status != 200) {
      m.error = fmt::format("HTTP {}", reply.value().status);
    } else if (auto parsed = parse_exposition(reply.value().body); !parsed.ok()) {
      m.error = parsed.error().message;
    } else {
      m.samples = std::move(parsed).value();
    }
    out.push_back(std::move(m));
  }
  return out;
}

void TestnetRun::stop_all() {
  for (auto& sl : slots_) {
    if (sl.process.running()) sl.res.peak_rss_bytes = std::max(sl.res.peak_rss_bytes, peak_rss_bytes_of(sl.process.pid()));
    sl.process.resume();
    if (sl.process.running()) ::kill(sl.process.pid(), SIGTERM);
  }
  for (auto& sl : slots_) sl.process.terminate(3000);
}

TestnetOutcome TestnetRun::run() {
  TestnetOutcome out;
  if (auto st = prepare(); !st.ok()) {
    out.error = st.error().message;
    out.error_exit = kExitBadScenario;
    return out;
  }
  if (auto st = start_nodes(); !st.ok()) {
    out.interrupted = interrupted();
    out.error = st.error().message;
    out.error_exit = out.interrupted ? kExitInterrupted : kExitInternal;
    return out;
  }
  const TimeUs end_us = run_end_us(s_, o_);
  loop(end_us);
  if (cpu_at_warmup_) out.cpu = cpu_share(*cpu_at_warmup_, sample_node_cpu());
  out.interrupted = interrupted();
  const TimeUs run_end = std::min(now(), end_us);
  faults_->finish(run_end);
  poll_all();  // what committed up to the end
  count_messages();
  out.metrics = scrape_metrics();
  stop_all();
  evaluate(out, run_end);
  return out;
}

}  // namespace

TestnetOutcome run_testnet(const sim::Scenario& scenario, const TestnetOptions& options) {
  TestnetRun run(scenario, options);
  return run.run();
}

}  // namespace mt::testnet
