#include "sim/net/network.hpp"

#include <algorithm>
#include <limits>

#include "core/node/message_codec.hpp"
#include "core/util/amount.hpp"

namespace mt::sim {

namespace {
std::uint64_t link_key(PeerId from, PeerId to) { return (std::uint64_t{from} << 32) | to; }

// Serialisation delay of `size` bytes at `bps` bits per second, rounded up to whole microseconds.
TimeUs serialisation_us(std::uint64_t size, std::uint64_t bps) {
  const UInt128 bits_us = static_cast<UInt128>(size) * 8 * kUsPerSec;
  return static_cast<TimeUs>((bits_us + bps - 1) / bps);
}

// Bytes a sender at `bps` still has queued when it is busy until `free_at`.
std::uint64_t backlog_bytes(TimeUs now, TimeUs free_at, std::uint64_t bps) {
  if (free_at <= now) return 0;
  return static_cast<std::uint64_t>(static_cast<UInt128>(static_cast<std::uint64_t>(free_at - now)) * bps / (8 * kUsPerSec));
}
}  // namespace

Network::Network(Scheduler& scheduler, const Streams& streams, Topology topology, LatencyModel latency,
                 LinkParams defaults)
    : scheduler_(scheduler),
      streams_(streams),
      topology_(std::move(topology)),
      latency_(std::move(latency)),
      params_{defaults},
      clog_us_(topology_.size(), 0),
      node_links_(topology_.size()),
      node_bytes_(topology_.size()) {
  const std::size_t n = topology_.size();
  first_link_.resize(n + 1);
  std::size_t total = 0;
  for (std::size_t v = 0; v < n; ++v) {
    first_link_[v] = total;
    total += topology_.neighbours(static_cast<PeerId>(v)).size();
  }
  first_link_[n] = total;
  links_.reserve(total);
  arrivals_.reserve(total);
  for (std::size_t v = 0; v < n; ++v) {
    const auto from = static_cast<PeerId>(v);
    for (PeerId to : topology_.neighbours(from)) {
      links_.emplace_back(from, to, static_cast<std::uint32_t>(arrivals_.size()), streams_.stream("link", link_key(from, to)));
      arrivals_.push_back({from, to, 0});
    }
  }
  by_index_.reserve(total);
  for (Link& l : links_) by_index_.push_back(&l);
}

const Network::Link* Network::find_link(PeerId from, PeerId to) const {
  if (from < topology_.size()) {
    const auto nb = topology_.neighbours(from);
    const auto it = std::lower_bound(nb.begin(), nb.end(), to);
    if (it != nb.end() && *it == to) return &links_[first_link_[from] + static_cast<std::size_t>(it - nb.begin())];
  }
  const auto it = extra_links_.find(link_key(from, to));
  return it == extra_links_.end() ? nullptr : &it->second;
}

Network::Link& Network::link(PeerId from, PeerId to) {
  MT_ASSERT(from < topology_.size() && to < topology_.size() && from != to, "send between unknown nodes");
  if (const Link* l = find_link(from, to)) return const_cast<Link&>(*l);
  const auto key = link_key(from, to);
  MT_ASSERT(arrivals_.size() < std::numeric_limits<std::uint32_t>::max(), "too many links");
  const auto index = static_cast<std::uint32_t>(arrivals_.size());
  Link& l = extra_links_.try_emplace(key, from, to, index, streams_.stream("link", key)).first->second;
  arrivals_.push_back({from, to, 0});
  by_index_.push_back(&l);
  return l;
}

void Network::count(Link& l, MsgKind kind, std::uint64_t LinkCounters::*field, std::uint64_t by) {
  l.counters.*field += by;
  count_kind(kind, field, by);
}

void Network::count_kind(MsgKind kind, std::uint64_t LinkCounters::*field, std::uint64_t by) {
  by_kind_[static_cast<std::size_t>(kind)].*field += by;
  totals_.*field += by;
}

void Network::send(PeerId from, PeerId to, WirePtr message) {
  MT_ASSERT(message != nullptr, "sending a null message");
  const std::uint64_t hash = digest_ != nullptr ? Digest::payload_hash(*message) : 0;
  send_on(link(from, to), message, hash);
}

void Network::gossip(PeerId from, const WirePtr& message, std::optional<PeerId> except) {
  MT_ASSERT(message != nullptr && from < topology_.size(), "bad gossip");
  const std::uint64_t hash = digest_ != nullptr ? Digest::payload_hash(*message) : 0;
  const auto nb = topology_.neighbours(from);
  for (std::size_t i = 0; i < nb.size(); ++i) {
    if (except && nb[i] == *except) continue;
    send_on(links_[first_link_[from] + i], message, hash);
  }
}

void Network::multicast(PeerId from, const WirePtr& message, std::span<const PeerId> to) {
  MT_ASSERT(message != nullptr, "multicasting a null message");
  const std::uint64_t hash = digest_ != nullptr ? Digest::payload_hash(*message) : 0;
  for (const PeerId p : to) send_on(link(from, p), message, hash);
}

TimeUs Network::arrival_time(Link& l, TimeUs depart, bool fifo) {
  const LinkParams& p = params_[l.params_index];
  TimeUs delay = latency_.sample(l.from, l.to, l.rng);
  delay += p.extra_delay_us + clog_us_[l.from] + clog_us_[l.to];
  TimeUs arrive = depart + delay;
  if (fifo) {
    arrive = std::max(arrive, l.last_arrival);
    l.last_arrival = arrive;
  }
  return arrive;
}

void Network::send_on(Link& l, const WirePtr& message, std::uint64_t hash) {
  const auto size = static_cast<std::uint64_t>(message->size_bytes());
  count(l, message->kind, &LinkCounters::sent);
  count(l, message->kind, &LinkCounters::bytes, size);
  node_bytes_[l.from].sent += size;
  if (!rules_.empty() && rules_.covers(l.from, l.to) && apply_rules(l, message, hash)) return;
  transmit(l, message, hash, 0);
}

bool Network::apply_rules(Link& l, const WirePtr& message, std::uint64_t hash) {
  if (message->kind == MsgKind::gossip_batch) return apply_rules_to_batch(l, message);
  const RuleVerdict v = rules_.judge(l.from, l.to, *message);
  if (!v.any()) return false;
  if (v.drop) {
    count(l, message->kind, &LinkCounters::dropped);
  } else {
    transmit(l, message, hash, v.delay_us);
  }
  return true;
}

// Items a rule drops leave the batch; items it delays travel later in a batch of their own (one
// per delay); the rest go now, as a smaller batch. A batch no rule touches goes as it is.
bool Network::apply_rules_to_batch(Link& l, const WirePtr& message) {
  std::shared_ptr<const DecodeMemo> keep_memo;
  const DecodeMemo& memo = decode_message_ref(*message, /*memoise=*/true, keep_memo);
  if (!memo.result.ok()) return false;
  const auto* batch = std::get_if<GossipBatch>(&memo.result.value());
  if (batch == nullptr) return false;
  std::vector<WirePtr> now;
  std::map<TimeUs, std::vector<WirePtr>> later;
  bool touched = false;
  for (const auto& item : batch->items) {
    const RuleVerdict v = rules_.judge(l.from, l.to, *item);
    touched = touched || v.any();
    if (v.drop) {
      count(l, item->kind, &LinkCounters::dropped);
    } else {
      (v.delay_us > 0 ? later[v.delay_us] : now).push_back(item);
    }
  }
  if (!touched) return false;
  later.emplace(0, std::move(now));
  for (auto& [delay, items] : later) {
    if (items.empty()) continue;
    WirePtr part = make_gossip_batch(std::move(items), /*memoise=*/true);
    transmit(l, part, digest_ != nullptr ? Digest::payload_hash(*part) : 0, delay);
  }
  return true;
}

void Network::transmit(Link& l, const WirePtr& message, std::uint64_t hash, TimeUs extra_delay_us) {
  const LinkParams& p = params_[l.params_index];
  const auto size = static_cast<std::uint64_t>(message->size_bytes());
  if (blocked(l.from, l.to) || l.rng.bernoulli(p.loss)) {
    count(l, message->kind, &LinkCounters::dropped);
    return;
  }
  const std::optional<TimeUs> depart = departure(l, size);
  if (!depart) {
    count(l, message->kind, &LinkCounters::dropped);
    return;
  }
  // A message a rule delays overtakes nothing and holds nothing back: it skips the FIFO rule.
  const bool fifo = !(p.reorder > 0 && l.rng.bernoulli(p.reorder)) && extra_delay_us == 0;
  schedule_delivery(l, message, hash, arrival_time(l, *depart, fifo) + extra_delay_us);
  if (l.rng.bernoulli(p.duplicate)) {
    count(l, message->kind, &LinkCounters::duplicated);
    schedule_delivery(l, message, hash, arrival_time(l, *depart, fifo) + extra_delay_us);
  }
}

std::optional<TimeUs> Network::departure(Link& l, std::uint64_t size) {
  const LinkParams& p = params_[l.params_index];
  const TimeUs now = scheduler_.now();
  NodeLinks& up = node_links_[l.from];
  if (p.bandwidth_bps > 0 && backlog_bytes(now, l.wire_free_at, p.bandwidth_bps) + size > p.max_queue_bytes) {
    return std::nullopt;
  }
  if (up.up_bps > 0 && backlog_bytes(now, up.up_free_at, up.up_bps) + size > params_[0].max_queue_bytes) {
    return std::nullopt;
  }
  TimeUs depart = now;
  if (p.bandwidth_bps > 0) {
    const TimeUs start = std::max(now, l.wire_free_at);
    l.wire_free_at = start + serialisation_us(size, p.bandwidth_bps);
    link_usage_.add(l.index, start, l.wire_free_at);
    depart = l.wire_free_at;
  }
  if (up.up_bps > 0) {
    const TimeUs start = std::max(now, up.up_free_at);
    up.up_free_at = start + serialisation_us(size, up.up_bps);
    uplink_usage_.add(l.from, start, up.up_free_at);
    depart = std::max(depart, up.up_free_at);
  }
  return depart;
}

void Network::schedule_delivery(Link& l, const WirePtr& message, std::uint64_t hash, TimeUs at) {
  ++in_flight_;
  const std::uint32_t index = l.index;
  if (node_links_[l.to].down_bps > 0) {
    scheduler_.schedule_at(at, [this, index, message, hash] { enter_downlink(index, message, hash); });
    return;
  }
  scheduler_.schedule_at(at, [this, index, message, hash] { deliver(index, message, hash); });
}

// The message reached the receiver's network interface; it waits behind what arrived before it.
void Network::enter_downlink(std::uint32_t link_index, const WirePtr& message, std::uint64_t hash) {
  NodeLinks& down = node_links_[arrivals_[link_index].to];
  const TimeUs start = std::max(scheduler_.now(), down.down_free_at);
  down.down_free_at = start + serialisation_us(static_cast<std::uint64_t>(message->size_bytes()), down.down_bps);
  downlink_usage_.add(arrivals_[link_index].to, start, down.down_free_at);
  scheduler_.schedule_at(down.down_free_at, [this, link_index, message, hash] { deliver(link_index, message, hash); });
}

void Network::deliver(std::uint32_t link_index, const WirePtr& message, std::uint64_t hash) {
  --in_flight_;
  Arrivals& a = arrivals_[link_index];
  if (blocked(a.from, a.to)) {  // a partition started while the message was in flight
    count(*by_index_[link_index], message->kind, &LinkCounters::dropped);
    return;
  }
  ++a.delivered;
  count_kind(message->kind, &LinkCounters::delivered);
  node_bytes_[a.to].received += message->size_bytes();
  if (digest_ != nullptr) {
    digest_->record_delivery(scheduler_.now(), a.from, a.to, message->kind, message->size_bytes(), hash);
  }
  if (deliver_) deliver_(a.from, a.to, message);
}

void Network::set_link_params(PeerId from, PeerId to, const LinkParams& params) {
  Link& l = link(from, to);
  if (l.params_index == 0) {
    l.params_index = static_cast<std::uint32_t>(params_.size());
    params_.push_back(params);
  } else {
    params_[l.params_index] = params;
  }
}

void Network::reset_link_params(PeerId from, PeerId to) { link(from, to).params_index = 0; }

void Network::clog(PeerId node, TimeUs extra_delay_us) {
  MT_ASSERT(node < clog_us_.size() && extra_delay_us >= 0, "bad clog");
  clog_us_[node] = extra_delay_us;
}

void Network::set_node_bandwidth(PeerId node, std::uint64_t up_bps, std::uint64_t down_bps) {
  MT_ASSERT(node < node_links_.size(), "bandwidth for an unknown node");
  node_links_[node].up_bps = up_bps;
  node_links_[node].down_bps = down_bps;
}

PartitionId Network::add_partition(Partition partition) {
  const PartitionId id = next_partition_++;
  partitions_.emplace(id, std::move(partition));
  return id;
}

bool Network::remove_partition(PartitionId id) { return partitions_.erase(id) > 0; }

MessageRules::Id Network::add_message_rule(MessageRule rule) { return rules_.add(std::move(rule)); }
bool Network::remove_message_rule(MessageRules::Id id) { return rules_.remove(id); }

void Network::heal() {
  partitions_.clear();
  std::fill(clog_us_.begin(), clog_us_.end(), 0);
}

bool Network::blocked(PeerId from, PeerId to) const {
  for (const auto& [id, p] : partitions_) {
    if (p.blocks(from, to)) return true;
  }
  return false;
}

LinkCounters Network::link_counters(PeerId from, PeerId to) const {
  const Link* l = find_link(from, to);
  if (l == nullptr) return LinkCounters{};
  LinkCounters c = l->counters;
  c.delivered = arrivals_[l->index].delivered;
  return c;
}

}  // namespace mt::sim
