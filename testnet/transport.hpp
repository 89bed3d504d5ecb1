// TCP between testnet nodes (Boost.Asio, one io_context, no threads). Each node listens on its
// port and dials every peer it sends to; a connection carries frames one way (dialer -> listener)
// after an authenticated handshake (handshake.hpp: hellos both ways with nonces, each side proves
// its genesis key over the other's nonce). So a pair of nodes talking both ways holds two
// connections, and neither side has to decide who dials whom.
//
// Bounded everything: a link queues at most kMaxQueuedBytes (newer messages are dropped and
// counted; gossip is retransmitted by the node when it matters), a read buffer holds at most one
// frame within its kind's cap (frame_codec.hpp), and inbound connections are capped: at most
// kMaxHandshaking not yet through the hello (which must arrive within kHandshakeTimeout), at most
// kMaxInboundPerPeer per claimed node index. After the handshake a frame, once started, must
// complete within kFrameTimeout, and a connection with no frame for kIdleTimeout is closed (the
// dialler reconnects). A broken frame, a failed handshake or a deadline closes that connection
// only. Outbound links reconnect with exponential backoff.
//
// Peer scoring: every authenticated peer has a score, 0 at best. An invalid message (the node's
// MessageRejected) costs kInvalidMessageCost, a broken frame after the handshake kBadFrameCost; a
// score recovers kRecoverPerSec per second. At kBanScore or below the peer is banned for
// ban_duration (default kBanDuration): its inbound connections are closed, its handshakes refused
// and anything still arriving from it dropped; then it starts again at 0. Scores are exported
// (peer_scores(), mtnode_peer_score).
//
// Link rules (set by the harness at run time) live here, below the node: messages to a blocked
// peer are dropped at send, messages from a blocked peer are dropped at receive, and a per-peer
// delay holds outgoing messages before queueing them (partition and latency faults).
#pragma once

#include <utility>  // before asio: Boost 1.74's awaitable.hpp uses std::exchange without it
#include <boost/asio.hpp>
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/node/wire.hpp"
#include "core/util/result.hpp"
#include "core/util/time.hpp"
#include "testnet/frame_codec.hpp"
#include "testnet/handshake.hpp"

namespace mt::testnet {

struct PeerAddress {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
};

struct LinkRules {
  std::set<PeerId> blocked_out;        // drop what we send to these
  std::set<PeerId> blocked_in;         // drop what arrives from these
  std::map<PeerId, TimeUs> delay_out;  // hold messages to these this long first
  bool operator==(const LinkRules&) const = default;
};

struct TransportStats {
  std::uint64_t frames_sent = 0;
  std::uint64_t frames_received = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t dropped_queue_full = 0;
  std::uint64_t dropped_by_rules = 0;
  std::uint64_t handshakes_refused = 0;  // we refused a peer, or a peer refused us
  std::uint64_t bad_frames = 0;          // connections closed for a broken stream
  std::uint64_t connects = 0;            // outbound connections that completed a handshake
  std::uint64_t inbound_refused = 0;     // over a connection cap
  std::uint64_t timeouts = 0;            // closed by a handshake, frame or idle deadline
  std::uint64_t bans = 0;                // peers banned for a low score
  std::uint64_t dropped_banned = 0;      // messages dropped from a banned peer
};

struct PeerScore {
  double score = 0;                                    // 0 at best, kBanScore or below: banned
  std::chrono::steady_clock::time_point updated{};     // for the recovery
  std::chrono::steady_clock::time_point banned_until{};
};

// Per message kind (index = MsgKind), for the report's "messages by type".
struct KindCounters {
  std::uint64_t sent = 0;       // frames written
  std::uint64_t received = 0;   // frames handed to the node
  std::uint64_t dropped = 0;    // queue full or link rules
  std::uint64_t bytes = 0;      // framed bytes written
  std::uint64_t bytes_in = 0;   // framed bytes received (blocked ones too)
};

class Transport {
 public:
  using MessageFn = std::function<void(PeerId from, const WirePtr& message)>;
  static constexpr std::size_t kMaxQueuedBytes = 8u << 20;  // per outbound link: a few full blocks
  static constexpr std::size_t kMaxHandshaking = 16;        // inbound connections before their hello
  static constexpr std::size_t kMaxInboundPerPeer = 2;      // a reconnect may overlap the old link
  static constexpr TimeUs kBackoffMin = 50 * kUsPerMs;
  static constexpr TimeUs kBackoffMax = 2 * kUsPerSec;
  static constexpr TimeUs kHandshakeTimeout = 5 * kUsPerSec;
  static constexpr TimeUs kFrameTimeout = 10 * kUsPerSec;   // a started frame must complete
  static constexpr TimeUs kIdleTimeout = 60 * kUsPerSec;    // no frame at all
  static constexpr double kInvalidMessageCost = 10;
  static constexpr double kBadFrameCost = 25;
  static constexpr double kRecoverPerSec = 1;
  static constexpr double kBanScore = -100;
  static constexpr TimeUs kBanDuration = 60 * kUsPerSec;

  // `table[i]` is node i's listen address; `self.node_index` is ours.
  // `id` holds our node key and every node's genesis key (one per table entry).
  Transport(boost::asio::io_context& io, Hello self, NodeIdentity id, std::vector<PeerAddress> table,
            FrameLimits limits = FrameLimits::for_chain());
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Binds our table entry's port (0: any free port; listen_port() tells which).
  Status listen();
  // Dials these peers now (others are dialled on first send).
  void connect(const std::vector<PeerId>& peers);
  void on_message(MessageFn fn) { on_message_ = std::move(fn); }
  void send(PeerId to, const WirePtr& message);
  void set_rules(LinkRules rules) { rules_ = std::move(rules); }
  // Lowers `peer`'s score by `cost` (see the top of this file); may ban it.
  void penalize(PeerId peer, double cost);
  [[nodiscard]] bool banned(PeerId peer) const;
  // Current scores (recovered up to now) of every peer ever penalized.
  [[nodiscard]] std::map<PeerId, double> peer_scores() const;
  void set_ban_duration(TimeUs d) { ban_duration_ = d; }
  // Shorter frame and idle deadlines (tests); the defaults are kFrameTimeout and kIdleTimeout.
  void set_deadlines(TimeUs frame, TimeUs idle) {
    frame_timeout_ = frame;
    idle_timeout_ = idle;
  }
  [[nodiscard]] const LinkRules& rules() const { return rules_; }
  // Closes every socket; pending handlers finish with errors.
  void stop();

  [[nodiscard]] std::uint16_t listen_port() const { return listen_port_; }
  // Peers with a live outbound connection (handshake done).
  [[nodiscard]] std::size_t connected_peers() const;
  [[nodiscard]] std::size_t inbound_connections() const { return inbound_.size(); }
  // Inbound connections through the handshake that claim `peer`.
  [[nodiscard]] std::size_t inbound_from(PeerId peer) const;
  [[nodiscard]] const TransportStats& stats() const { return stats_; }
  [[nodiscard]] const std::array<KindCounters, kMsgKindMax + 1>& by_kind() const { return by_kind_; }
  [[nodiscard]] const Hello& self() const { return self_; }
  [[nodiscard]] std::uint32_t peer_count() const { return static_cast<std::uint32_t>(table_.size()); }

 private:
  class Outbound;
  class Inbound;
  friend class Outbound;
  friend class Inbound;
  void accept_next();
  void deliver(PeerId from, const WirePtr& message);
  void enqueue(PeerId to, const WirePtr& message);
  Outbound& link(PeerId to);

  boost::asio::io_context& io_;
  Hello self_;
  NodeIdentity id_;
  std::vector<PeerAddress> table_;
  FrameLimits limits_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t listen_port_ = 0;
  std::map<PeerId, std::shared_ptr<Outbound>> outbound_;
  std::set<std::shared_ptr<Inbound>> inbound_;
  MessageFn on_message_;
  LinkRules rules_;
  TransportStats stats_;
  std::array<KindCounters, kMsgKindMax + 1> by_kind_{};
  std::map<PeerId, PeerScore> scores_;
  TimeUs ban_duration_ = kBanDuration;
  TimeUs frame_timeout_ = kFrameTimeout;
  TimeUs idle_timeout_ = kIdleTimeout;
  bool stopped_ = false;
};

}  // namespace mt::testnet
