// The simulated network: directed links over a Topology, each with latency (LatencyModel),
// bandwidth (serialisation delay behind a per-link FIFO queue), loss, duplication and optional
// reordering; partitions and clogging as faults; counters per link and per message kind.
//
//   Network net(scheduler, streams, std::move(topology), std::move(latency), LinkParams{});
//   net.on_deliver([&](PeerId from, PeerId to, const WirePtr& m) { world.deliver(from, to, m); });
//   net.set_digest(&digest);                 // fold every delivery into the run digest
//   net.send(0, 3, msg);                     // one peer
//   net.gossip(0, msg, /*except=*/std::nullopt);  // every direct neighbour
//
// Per message on link (from, to), at send time t:
//   dropped if a partition blocks (from, to) or with probability `loss`;
//   depart  = max(t, link free) + size * 8 / bandwidth   (the link sends one message at a time);
//   with a node uplink rate (set_node_bandwidth), every link of `from` shares it:
//   depart  = max(depart, max(t, uplink free) + size * 8 / uplink);
//   arrive  = depart + latency sample + extra_delay + clogs of both ends;
//   with a downlink rate on `to`, the message then waits for `to`'s downlink, in arrival order:
//   deliver = max(arrive, downlink free) + size * 8 / downlink;
//   links are FIFO: arrive = max(arrive, previous arrival on the link), unless the message is
//   picked (probability `reorder`) to skip that rule; with probability `duplicate` a second
//   copy with its own latency sample is sent too.
// A partition that starts while a message is in flight drops it on arrival as well.
// Message rules (message_rules.hpp), when any is active, may drop or delay it before all this.
// Every draw comes from the link's own stream ("link", from << 32 | to).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "core/node/wire.hpp"
#include "core/util/time.hpp"
#include "sim/engine/busy_meter.hpp"
#include "sim/engine/digest.hpp"
#include "sim/engine/random.hpp"
#include "sim/engine/scheduler.hpp"
#include "sim/engine/streams.hpp"
#include "sim/net/latency_model.hpp"
#include "sim/net/message_rules.hpp"
#include "sim/net/partition.hpp"
#include "sim/net/topology.hpp"

namespace mt::sim {

struct LinkParams {
  std::uint64_t bandwidth_bps = 0;  // bits per second; 0 = unlimited (no serialisation delay)
  double loss = 0;                  // probability in [0, 1]
  double duplicate = 0;             // probability in [0, 1]
  double reorder = 0;               // probability a message may overtake earlier ones
  TimeUs extra_delay_us = 0;        // added to every message (a slow or clogged link)
  std::uint64_t max_queue_bytes = 64ull << 20;  // bandwidth backlog beyond this is tail-dropped
};

struct LinkCounters {
  std::uint64_t sent = 0;        // send() calls (before loss and partitions)
  std::uint64_t delivered = 0;   // copies handed to on_deliver (duplicates included)
  std::uint64_t dropped = 0;     // lost, partitioned or tail-dropped
  std::uint64_t duplicated = 0;  // extra copies created
  std::uint64_t bytes = 0;       // bytes sent (size_bytes of each send)
};

using PartitionId = std::uint64_t;

class Network {
 public:
  using DeliverFn = std::function<void(PeerId from, PeerId to, const WirePtr& message)>;

  Network(Scheduler& scheduler, const Streams& streams, Topology topology, LatencyModel latency,
          LinkParams defaults = {});
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  void on_deliver(DeliverFn fn) { deliver_ = std::move(fn); }
  void set_digest(Digest* digest) { digest_ = digest; }

  // Sends to `to` (normally a direct neighbour; any node is allowed, e.g. a sync reply).
  void send(PeerId from, PeerId to, WirePtr message);
  // Sends to every direct neighbour of `from` except `except`, in neighbour order.
  void gossip(PeerId from, const WirePtr& message, std::optional<PeerId> except = std::nullopt);
  // Sends to each of `to` (the gossip router's mesh), in that order; the payload hashed once.
  void multicast(PeerId from, const WirePtr& message, std::span<const PeerId> to);

  // Faults. Link parameters are per directed link; reset restores the defaults.
  void set_link_params(PeerId from, PeerId to, const LinkParams& params);
  void reset_link_params(PeerId from, PeerId to);
  void set_default_params(const LinkParams& params) { params_[0] = params; }
  void clog(PeerId node, TimeUs extra_delay_us);  // every message to or from node is slower
  // A node's uplink and downlink rates in bits per second, shared by all its links (0: unlimited).
  void set_node_bandwidth(PeerId node, std::uint64_t up_bps, std::uint64_t down_bps);
  PartitionId add_partition(Partition partition);
  bool remove_partition(PartitionId id);
  // Drops or delays one kind of message on chosen links (message_rules.hpp); checked on every
  // send while any rule is active. A dropped message counts as dropped on its link.
  MessageRules::Id add_message_rule(MessageRule rule);
  bool remove_message_rule(MessageRules::Id id);
  void heal();  // removes every partition and clog (link parameters and message rules stay)
  [[nodiscard]] bool blocked(PeerId from, PeerId to) const;

  [[nodiscard]] const Topology& topology() const { return topology_; }
  [[nodiscard]] const LatencyModel& latency() const { return latency_; }
  [[nodiscard]] LinkCounters link_counters(PeerId from, PeerId to) const;
  [[nodiscard]] const LinkCounters& kind_counters(MsgKind kind) const {
    return by_kind_.at(static_cast<std::size_t>(kind));
  }
  [[nodiscard]] const LinkCounters& totals() const { return totals_; }
  // Bytes each node put on links and had delivered to it, by node.
  struct NodeBytes {
    std::uint64_t sent = 0;
    std::uint64_t received = 0;
  };
  [[nodiscard]] const std::vector<NodeBytes>& node_bytes() const { return node_bytes_; }
  [[nodiscard]] std::uint64_t in_flight() const { return in_flight_; }
  // Time each bandwidth-limited resource spent sending (busy time / window = utilisation): nodes'
  // uplinks and downlinks by node, links by link_ends() index. Unlimited resources stay at 0.
  [[nodiscard]] const BusyMeter& uplink_usage() const { return uplink_usage_; }
  [[nodiscard]] const BusyMeter& downlink_usage() const { return downlink_usage_; }
  [[nodiscard]] const BusyMeter& link_usage() const { return link_usage_; }
  [[nodiscard]] std::pair<PeerId, PeerId> link_ends(std::size_t index) const {
    return {arrivals_.at(index).from, arrivals_.at(index).to};
  }

 private:
  // Everything a send touches, in one place: links of one node are adjacent, so a gossip walks
  // them in order. Deliveries land on random links, so what they touch lives apart in Arrivals.
  struct Link {
    PeerId from = 0;
    PeerId to = 0;
    std::uint32_t params_index = 0;  // into params_; 0 = defaults
    std::uint32_t index = 0;         // into arrivals_
    TimeUs wire_free_at = 0;         // when the link finishes sending what it has queued
    TimeUs last_arrival = 0;         // FIFO: no later message arrives before this
    Rng rng;
    LinkCounters counters;           // all but `delivered`, which Arrivals counts
    Link(PeerId f, PeerId t, std::uint32_t i, Rng r) : from(f), to(t), index(i), rng(r) {}
  };
  // 16 bytes per link: with hundreds of nodes the links outgrow the cache, and this is all a
  // delivery reads or writes.
  struct Arrivals {
    PeerId from = 0;
    PeerId to = 0;
    std::uint64_t delivered = 0;
  };

  Link& link(PeerId from, PeerId to);
  [[nodiscard]] const Link* find_link(PeerId from, PeerId to) const;
  void send_on(Link& l, const WirePtr& message, std::uint64_t hash);
  // Whether the message rules took the message (dropped, delayed or split it).
  bool apply_rules(Link& l, const WirePtr& message, std::uint64_t hash);
  bool apply_rules_to_batch(Link& l, const WirePtr& message);
  // Loss, bandwidth, latency and duplication of one message on its link, `extra_delay_us` later.
  void transmit(Link& l, const WirePtr& message, std::uint64_t hash, TimeUs extra_delay_us);
  TimeUs arrival_time(Link& l, TimeUs depart, bool fifo);
  // When `l` may start to carry `size` bytes sent now through the link and its node's uplink
  // (nullopt: a backlog beyond max_queue_bytes tail-drops it).
  std::optional<TimeUs> departure(Link& l, std::uint64_t size);
  void schedule_delivery(Link& l, const WirePtr& message, std::uint64_t hash, TimeUs at);
  void enter_downlink(std::uint32_t link_index, const WirePtr& message, std::uint64_t hash);
  void deliver(std::uint32_t link_index, const WirePtr& message, std::uint64_t hash);
  void count_kind(MsgKind kind, std::uint64_t LinkCounters::*field, std::uint64_t by = 1);
  void count(Link& l, MsgKind kind, std::uint64_t LinkCounters::*field, std::uint64_t by = 1);

  Scheduler& scheduler_;
  Streams streams_;
  Topology topology_;
  LatencyModel latency_;
  std::vector<LinkParams> params_;        // [0] = defaults, then per-link overrides
  std::vector<std::size_t> first_link_;   // node -> index of its first outgoing link in links_
  std::vector<Link> links_;               // topology links, never reallocated after construction
  std::map<std::uint64_t, Link> extra_links_;  // sends between non-neighbours (stable addresses)
  std::vector<Arrivals> arrivals_;        // by Link::index: topology links first, then extras
  std::vector<Link*> by_index_;           // Link::index -> its link
  std::vector<TimeUs> clog_us_;
  struct NodeLinks {  // a node's shared uplink and downlink
    std::uint64_t up_bps = 0;
    std::uint64_t down_bps = 0;
    TimeUs up_free_at = 0;
    TimeUs down_free_at = 0;
  };
  std::vector<NodeLinks> node_links_;
  BusyMeter uplink_usage_;
  BusyMeter downlink_usage_;
  BusyMeter link_usage_;
  std::map<PartitionId, Partition> partitions_;  // ordered: deterministic iteration
  MessageRules rules_;
  PartitionId next_partition_ = 1;
  std::array<LinkCounters, kMsgKindMax + 1> by_kind_{};
  LinkCounters totals_;
  std::vector<NodeBytes> node_bytes_;
  std::uint64_t in_flight_ = 0;
  DeliverFn deliver_;
  Digest* digest_ = nullptr;
};

}  // namespace mt::sim
