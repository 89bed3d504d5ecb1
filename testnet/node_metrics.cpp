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

// Seconds between consecutive commits this process saw (the last kMaxCommitRecords at most).
void interval_metrics(MetricsText& m, const NodeRuntime& rt) {
  std::vector<double> gaps;
  const CommitRecord* prev = nullptr;
  for (const auto& [h, r] : rt.commits()) {
    if (prev != nullptr && prev->event.height + 1 == h) gaps.push_back(static_cast<double>(r.commit_us - prev->commit_us) / 1e6);
    prev = &r;
  }
  m.histogram("mtnode_block_interval_seconds", "Time between consecutive commits on this node.",
              {0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30}, gaps);
}

}  // namespace

std::string node_metrics(NodeRuntime& rt) {
  MetricsText m;
  consensus_metrics(m, rt);
  transport_metrics(m, rt);
  interval_metrics(m, rt);
  return m.str();
}

}  // namespace mt::testnet
