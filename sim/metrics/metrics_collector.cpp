#include "sim/metrics/metrics_collector.hpp"

#include <algorithm>
#include <cmath>

namespace mt::sim {

namespace {
constexpr int kFinalized = 0;
constexpr int kIncluded = 1;
constexpr int kOffered = 2;

double nearest_rank(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}
}  // namespace

Percentiles percentiles_of(std::vector<double> samples) {
  Percentiles p;
  if (samples.empty()) return p;
  std::sort(samples.begin(), samples.end());
  p.count = samples.size();
  p.p50 = nearest_rank(samples, 0.50);
  p.p90 = nearest_rank(samples, 0.90);
  p.p99 = nearest_rank(samples, 0.99);
  p.max = samples.back();
  double sum = 0;
  for (double s : samples) sum += s;
  p.mean = sum / static_cast<double>(samples.size());
  return p;
}

MetricsCollector::MetricsCollector(const RunView& view, TimeUs bucket_us) : view_(view), bucket_us_(bucket_us) {
  MT_ASSERT(bucket_us > 0, "metrics bucket must be positive");
}

void MetricsCollector::on_submitted(const Hash32& tx_hash, TimeUs intended_us) {
  ++submitted_count_;
  submit_times_.push_back(intended_us);
  txs_.try_emplace(tx_hash, TxRecord{intended_us, -1});
}

void MetricsCollector::on_event(std::size_t node, TimeUs t, const Event& e) {
  if (node >= view_.nodes.size() || !view_.nodes[node].honest) return;
  if (const auto* s = std::get_if<SlashApplied>(&e)) {
    slashes_.try_emplace({s->validator, s->height}, s->double_sign);
    return;
  }
  const auto* c = std::get_if<BlockCommitted>(&e);
  if (c == nullptr) return;
  auto [it, inserted] = blocks_.try_emplace(c->height);
  if (!inserted) return;
  it->second = BlockSeen{t, c->timestamp_ms, c->round, static_cast<std::uint32_t>(c->tx_hashes.size()),
                         is_full(*c), c->block_hash, c->proposer};
  evidence_committed_ += c->evidence_count;
  for (const auto& h : c->tx_hashes) {
    auto tx = txs_.find(h);
    if (tx == txs_.end() || tx->second.finalized_us >= 0) continue;
    tx->second.finalized_us = t;
    ++finalized_count_;
    finalized_.emplace_back(tx->second.intended_us, t);
  }
}

bool MetricsCollector::is_full(const BlockCommitted& c) const {
  if (max_block_txs_ == 0) return false;
  if (c.tx_hashes.size() >= max_block_txs_) return true;
  if (c.block == nullptr || c.block->txs.empty()) return false;
  std::size_t bytes = 0, largest = 0;
  for (const auto& tx : c.block->txs) {
    bytes += tx->size_bytes();
    largest = std::max(largest, tx->size_bytes());
  }
  return bytes + largest > max_block_bytes_;
}

std::optional<double> MetricsCollector::full_fraction(const IntervalSet& w) const {
  std::uint64_t blocks = 0, full = 0;
  for (const auto& [h, b] : blocks_) {
    if (!w.contains(b.first_commit_us)) continue;
    ++blocks;
    full += b.full ? 1u : 0u;
  }
  if (blocks == 0) return std::nullopt;
  return static_cast<double>(full) / static_cast<double>(blocks);
}

std::optional<double> MetricsCollector::resource_metric(const std::string& name, const IntervalSet& w) const {
  std::optional<BusiestResource> r;
  if (name == "cpu.busy_max") r = busiest_cpu(resources_, view_, w);
  if (name == "link.utilisation_max") r = busiest_link(resources_, view_, w);
  if (name == "mempool.peak") r = mempool_peak(resources_, view_, w);
  if (name == "blocks.full_fraction") return full_fraction(w);
  if (!r) return std::nullopt;
  return r->value;
}

void MetricsCollector::fill_resources(RunMetrics& m, const IntervalSet& steady) const {
  if (auto r = busiest_cpu(resources_, view_, steady)) {
    m.cpu_busy_max = r->value;
    m.cpu_busy_max_node = r->name;
  }
  if (auto r = busiest_link(resources_, view_, steady)) {
    m.link_utilisation_max = r->value;
    m.link_utilisation_max_name = r->name;
  }
  if (auto r = mempool_peak(resources_, view_, steady)) {
    m.mempool_peak = static_cast<std::uint64_t>(r->value);
    m.mempool_peak_node = r->name;
  }
  m.blocks_full_fraction = full_fraction(steady).value_or(0);
}

double MetricsCollector::tps_over(const IntervalSet& w, int which) const {
  const TimeUs len = w.length();
  if (len <= 0) return 0;
  std::uint64_t n = 0;
  if (which == kOffered) {
    for (TimeUs t : submit_times_) n += w.contains(t) ? 1u : 0u;
  } else {
    for (const auto& [h, b] : blocks_) {
      TimeUs t = which == kFinalized ? b.first_commit_us : static_cast<TimeUs>(b.timestamp_ms) * kUsPerMs;
      if (w.contains(t)) n += b.tx_count;
    }
  }
  return static_cast<double>(n) * static_cast<double>(kUsPerSec) / static_cast<double>(len);
}

std::vector<double> MetricsCollector::latencies_ms(const IntervalSet& w) const {
  std::vector<double> out;
  for (const auto& [intended, fin] : finalized_) {
    if (w.contains(intended)) out.push_back(static_cast<double>(fin - intended) / 1000.0);
  }
  return out;
}

std::vector<double> MetricsCollector::intervals_ms(const IntervalSet& w) const {
  std::vector<double> out;
  const BlockSeen* prev = nullptr;
  std::uint64_t prev_h = 0;
  for (const auto& [h, b] : blocks_) {
    if (prev != nullptr && h == prev_h + 1 && w.contains(b.first_commit_us)) {
      out.push_back(static_cast<double>(b.first_commit_us - prev->first_commit_us) / 1000.0);
    }
    prev = &b;
    prev_h = h;
  }
  return out;
}

namespace {
std::optional<double> pick(const Percentiles& p, const std::string& stat) {
  if (p.count == 0) return std::nullopt;
  if (stat == "p50") return p.p50;
  if (stat == "p90") return p.p90;
  if (stat == "p99") return p.p99;
  if (stat == "max") return p.max;
  if (stat == "mean") return p.mean;
  return std::nullopt;
}
}  // namespace

std::optional<double> MetricsCollector::metric(const std::string& name, const IntervalSet& w) const {
  if (auto it = state_metrics_.find(name); it != state_metrics_.end()) return it->second;
  if (name.rfind("subnet.", 0) == 0) return std::nullopt;  // no subnets in this run
  if (name == "tps.finalized.mean") return tps_over(w, kFinalized);
  if (name == "tps.included.mean") return tps_over(w, kIncluded);
  if (name == "tps.offered.mean") return tps_over(w, kOffered);
  if (name == "height" || name == "final_height") return static_cast<double>(max_height());
  if (name == "txs.finalized") return static_cast<double>(finalized_count_);
  if (name == "txs.pending_at_end") return static_cast<double>(submitted_count_ - finalized_count_);
  if (name == "txs.rejected") return static_cast<double>(rejected_);
  if (name == "evidence.committed") return static_cast<double>(evidence_committed_);
  if (name == "slashes.double_sign" || name == "slashes.downtime") {
    const bool want_double = name == "slashes.double_sign";
    std::uint64_t n = 0;
    for (const auto& [k, double_sign] : slashes_) n += double_sign == want_double ? 1u : 0u;
    return static_cast<double>(n);
  }
  if (name == "longest_stall") return metric("stall.max", w);
  if (name == "cpu.busy_max" || name == "link.utilisation_max" || name == "mempool.peak" ||
      name == "blocks.full_fraction") {
    return resource_metric(name, w);
  }
  auto dot = name.rfind('.');
  if (dot == std::string::npos) return std::nullopt;
  std::string base = name.substr(0, dot), stat = name.substr(dot + 1);
  if (base == "finality_latency") return pick(percentiles_of(latencies_ms(w)), stat);
  if (base == "block_interval") return pick(percentiles_of(intervals_ms(w)), stat);
  if (base == "rounds_per_height") {
    std::vector<double> rounds;
    for (const auto& [h, b] : blocks_) {
      if (w.contains(b.first_commit_us)) rounds.push_back(static_cast<double>(b.round) + 1.0);
    }
    return pick(percentiles_of(rounds), stat);
  }
  if (name == "stall.max") {
    auto iv = intervals_ms(w);
    if (iv.empty()) return std::nullopt;
    return *std::max_element(iv.begin(), iv.end());
  }
  return std::nullopt;
}

void MetricsCollector::fill(RunResult& out, const IntervalSet& steady, TimeUs end_us) const {
  auto& m = out.metrics;
  m.subnet = state_metrics_;
  m.tps_finalized_mean = tps_over(steady, kFinalized);
  m.tps_included_mean = tps_over(steady, kIncluded);
  m.tps_offered_mean = tps_over(steady, kOffered);
  if (!steady.empty()) {
    m.steady_from_us = steady.parts().front().first;
    m.steady_until_us = steady.parts().back().second;
  }
  auto lat = latencies_ms(steady);
  m.finality_latency_ms = percentiles_of(lat);
  std::sort(lat.begin(), lat.end());
  m.finality_latency_samples_ms = std::move(lat);
  IntervalSet all(0, end_us + 1);
  m.block_interval_ms = percentiles_of(intervals_ms(all));
  std::vector<double> rounds;
  for (const auto& [h, b] : blocks_) rounds.push_back(static_cast<double>(b.round) + 1.0);
  m.rounds_per_height = percentiles_of(rounds);
  m.final_height = max_height();
  m.txs_submitted = submitted_count_;
  m.txs_finalized = finalized_count_;
  m.txs_pending_at_end = submitted_count_ - finalized_count_;
  m.txs_rejected = rejected_;
  m.evidence_committed = evidence_committed_;
  for (const auto& [k, double_sign] : slashes_) (double_sign ? m.slashes_double_sign : m.slashes_downtime)++;
  TimeUs prev = 0;
  for (const auto& [h, b] : blocks_) {
    m.longest_stall_us = std::max(m.longest_stall_us, b.first_commit_us - prev);
    prev = b.first_commit_us;
  }
  m.longest_stall_us = std::max(m.longest_stall_us, end_us - prev);
  fill_resources(m, steady);

  fill_blocks(out);
  fill_series(out, end_us);
}

void MetricsCollector::fill_blocks(RunResult& out) const {
  for (const auto& [h, b] : blocks_) {
    BlockRecord r;
    r.height = h;
    r.commit_time_us = b.first_commit_us;
    r.timestamp_ms = b.timestamp_ms;
    r.round = b.round;
    r.tx_count = b.tx_count;
    r.hash = b.hash.hex();
    auto who = view_.node_by_address(b.proposer);
    r.proposer = who >= 0 ? view_.nodes[static_cast<std::size_t>(who)].name : b.proposer.short_hex();
    out.blocks.push_back(std::move(r));
  }
}

// Time series: one point per bucket.
void MetricsCollector::fill_series(RunResult& out, TimeUs end_us) const {
  const auto buckets = static_cast<std::size_t>(end_us / bucket_us_ + 1);
  out.series.assign(buckets, SeriesPoint{});
  for (std::size_t i = 0; i < buckets; ++i) out.series[i].t_us = static_cast<TimeUs>(i) * bucket_us_;
  const double per_s = static_cast<double>(kUsPerSec) / static_cast<double>(bucket_us_);
  auto bucket_of = [&](TimeUs t) { return std::min(buckets - 1, static_cast<std::size_t>(std::max<TimeUs>(t, 0) / bucket_us_)); };
  for (TimeUs t : submit_times_) out.series[bucket_of(t)].offered_tps += per_s;
  for (const auto& [h, b] : blocks_) {
    out.series[bucket_of(b.first_commit_us)].finalized_tps += per_s * b.tx_count;
    out.series[bucket_of(static_cast<TimeUs>(b.timestamp_ms) * kUsPerMs)].included_tps += per_s * b.tx_count;
    auto& pt = out.series[bucket_of(b.first_commit_us)];
    pt.height = std::max(pt.height, h);
  }
  std::uint64_t running = 0;
  for (auto& pt : out.series) {
    running = std::max(running, pt.height);
    pt.height = running;
  }
}

}  // namespace mt::sim
