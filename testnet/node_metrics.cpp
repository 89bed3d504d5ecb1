// GET /metrics: the node's state and counters in the Prometheus text format, every name prefixed
// mtnode_ (the list is in docs/testnet.md; docs/grafana-mtnode.json charts them).
#include <fmt/format.h>

#include "testnet/metrics_text.hpp"
#include "testnet/node_runtime.hpp"

namespace mt::testnet {

namespace {

double d(std::uint64_t v) { return static_cast<double>(v); }

void consensus_metrics(MetricsText& m, const NodeRuntime& rt) {
  const Node& n = rt.node();
  m.family("mtnode_height", "gauge", "Last finalized height.");
  m.sample("mtnode_height", d(n.height()));
  const Consensus* c = n.consensus();
  m.family("mtnode_round", "gauge", "Consensus round at the current height.");
  m.sample("mtnode_round", c != nullptr ? c->round() : 0);
  m.family("mtnode_step", "gauge", "Consensus step (1 propose, 2 prevote, 3 precommit, 4 commit).");
  m.sample("mtnode_step", c != nullptr ? static_cast<double>(c->step()) : 0);
  m.family("mtnode_syncing", "gauge", "1 while the node is in block sync.");
  m.sample("mtnode_syncing", n.syncing() ? 1 : 0);
  m.family("mtnode_mempool_txs", "gauge", "Transactions in the mempool.");
  m.sample("mtnode_mempool_txs", d(n.mempool().size()));
  const auto& st = n.stats();
  m.family("mtnode_blocks_committed_total", "counter", "Blocks committed by consensus.");
  m.sample("mtnode_blocks_committed_total", d(st.blocks_committed));
  m.family("mtnode_blocks_synced_total", "counter", "Blocks applied from block sync.");
  m.sample("mtnode_blocks_synced_total", d(st.blocks_synced));
  m.family("mtnode_messages_rejected_total", "counter", "Peer messages that failed decoding or validation.");
  m.sample("mtnode_messages_rejected_total", d(st.messages_rejected));
  m.family("mtnode_signature_checks_total", "counter", "Signature verifications (cache hits and misses).");
  m.sample("mtnode_signature_checks_total", d(rt.verifier().hits()), {{"result", "cache_hit"}});
  m.sample("mtnode_signature_checks_total", d(rt.verifier().misses()), {{"result", "verified"}});
}

void transport_metrics(MetricsText& m, NodeRuntime& rt) {
  Transport& t = rt.transport();
  m.family("mtnode_peers", "gauge", "Peers with a live authenticated outbound link.");
  m.sample("mtnode_peers", d(t.connected_peers()));
  m.family("mtnode_inbound_connections", "gauge", "Inbound connections (any handshake state).");
  m.sample("mtnode_inbound_connections", d(t.inbound_connections()));
  m.family("mtnode_bytes_total", "counter", "Framed bytes by message kind and direction.");
  for (std::uint8_t k = 1; k <= kMsgKindMax; ++k) {
    const auto& c = t.by_kind()[k];
    const std::string kind(msg_kind_name(static_cast<MsgKind>(k)));
    m.sample("mtnode_bytes_total", d(c.bytes), {{"kind", kind}, {"direction", "out"}});
    m.sample("mtnode_bytes_total", d(c.bytes_in), {{"kind", kind}, {"direction", "in"}});
  }
  m.family("mtnode_messages_total", "counter", "Messages by kind and outcome.");
  for (std::uint8_t k = 1; k <= kMsgKindMax; ++k) {
    const auto& c = t.by_kind()[k];
    const std::string kind(msg_kind_name(static_cast<MsgKind>(k)));
    m.sample("mtnode_messages_total", d(c.sent), {{"kind", kind}, {"outcome", "sent"}});
    m.sample("mtnode_messages_total", d(c.received), {{"kind", kind}, {"outcome", "received"}});
    m.sample("mtnode_messages_total", d(c.dropped), {{"kind", kind}, {"outcome", "dropped"}});
  }
  const auto& s = t.stats();
  m.family("mtnode_connections_closed_total", "counter", "Connections closed or refused, by reason.");
  m.sample("mtnode_connections_closed_total", d(s.handshakes_refused), {{"reason", "handshake_refused"}});
  m.sample("mtnode_connections_closed_total", d(s.bad_frames), {{"reason", "bad_frame"}});
  m.sample("mtnode_connections_closed_total", d(s.timeouts), {{"reason", "deadline"}});
  m.sample("mtnode_connections_closed_total", d(s.inbound_refused), {{"reason", "over_cap"}});
  m.family("mtnode_peer_bans_total", "counter", "Peers banned for a score at or below the threshold.");
  m.sample("mtnode_peer_bans_total", d(s.bans));
  m.family("mtnode_peer_score", "gauge", "Score of each peer ever penalized (0 best; banned at -100).");
  for (const auto& [peer, score] : t.peer_scores()) m.sample("mtnode_peer_score", score, {{"peer", fmt::format("{}", peer)}});
}

void store_metrics(MetricsText& m, NodeRuntime& rt) {
  using K = storage::Store::WriteKind;
  constexpr std::pair<K, const char*> kKinds[] = {
      {K::block, "block"}, {K::commit, "commit"}, {K::snapshot, "snapshot"}, {K::consensus_record, "consensus_record"}, {K::meta, "meta"}};
  m.family("mtnode_store_writes_total", "counter", "Successful store writes by kind (a block write holds its commit).");
  for (const auto& [k, name] : kKinds) m.sample("mtnode_store_writes_total", d(rt.store().writes(k).writes), {{"kind", name}});
  m.family("mtnode_store_write_bytes_total", "counter", "Payload bytes of those writes, by kind.");
  for (const auto& [k, name] : kKinds) m.sample("mtnode_store_write_bytes_total", d(rt.store().writes(k).bytes), {{"kind", name}});
  const SyncTime& s = rt.sync_time();
  const TimeUs open_us = s.since ? rt.now() - *s.since : 0;
  m.family("mtnode_sync_episodes_total", "counter", "Block sync episodes started.");
  m.sample("mtnode_sync_episodes_total", d(s.episodes));
  m.family("mtnode_sync_seconds_total", "counter", "Time spent in block sync (an open episode counts up to now).");
  m.sample("mtnode_sync_seconds_total", static_cast<double>(s.closed_us + open_us) / 1e6);
}

// Over the commits this process saw (the last kMaxCommitRecords at most): seconds between
// consecutive commits, and finality, from a block's timestamp (its proposer's clock at the
// proposal; every process shares the testnet epoch) to its commit here, live commits only.
void commit_metrics(MetricsText& m, const NodeRuntime& rt) {
  std::vector<double> gaps;
  std::vector<double> finality;
  const CommitRecord* prev = nullptr;
  for (const auto& [h, r] : rt.commits()) {
    if (prev != nullptr && prev->event.height + 1 == h) gaps.push_back(static_cast<double>(r.commit_us - prev->commit_us) / 1e6);
    if (!r.event.via_sync) {
      finality.push_back(static_cast<double>(r.commit_us) / 1e6 - static_cast<double>(r.event.timestamp_ms) / 1e3);
    }
    prev = &r;
  }
  m.histogram("mtnode_block_interval_seconds", "Time between consecutive commits on this node.",
              {0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30}, gaps);
  m.histogram("mtnode_finality_seconds", "From a block's proposal timestamp to its commit on this node.",
              {0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30}, finality);
}

}  // namespace

std::string node_metrics(NodeRuntime& rt) {
  MetricsText m;
  consensus_metrics(m, rt);
  transport_metrics(m, rt);
  store_metrics(m, rt);
  commit_metrics(m, rt);
  return m.str();
}

}  // namespace mt::testnet
