// A ModernTensor node: mempool + consensus + state + storage, as a state machine without I/O
// (DESIGN.md §2). Inputs are the on_* methods; everything outward goes through Context.
//
// Message flow:
//   client tx ─> on_transaction ─> mempool ─> gossip
//   peer msg  ─> on_message ─> (gossip_batch: each item as if it came alone) ─> decode (strict; memoised on the shared WireMessage) ─> dedup by
//                message id (bounded SeenSet) ─> by kind:
//     tx        mempool admission; admitted ─> relay to peers except the sender
//     proposal  Consensus::on_proposal; accepted/buffered (signature checked) ─> relay;
//               overflow (a full next-height buffer) or ahead (a later height or a round
//               beyond the window) ─> forgotten as seen, not relayed
//     vote      Consensus::on_vote;     the same
//     evidence  validated against state ─> pending evidence pool ─> relay
//     status    peer height ─> block sync if a peer is ahead (BlockSync, node_sync.cpp)
//     block_request  answered from the Store (bounded count and bytes); block h's commit is the
//                    last commit carried by block h+1, only the newest height's comes from its row
//     block_response each block's commit verified against the validator set the state knows,
//                    the block applied, stored, BlockCommitted{via_sync = true}
//   Consensus (node is its ConsensusHost, node_host.cpp):
//     propose_block  mempool.select + build_block (last commit, pending evidence)
//     validate_block apply_block (through the shared TransitionCache when given)
//     persist_consensus_record  Store::write_consensus_record (synced) after a vote or proposal
//                    is signed and before it leaves: signing state, lock and valid value with
//                    its polka, our own signed messages of the open height
//     decide         Store::write_block(block, commit [, snapshot]) in one transaction (dropping
//                    the parent's commit row, which this block now carries), state and
//                    mempool updated, BlockCommitted, Status to peers, next height started
//   Relay: at once, or with gossip_batch_interval > 0 into an outbox flushed to each peer as one
//     gossip_batch, without the items that peer already sent us.
//   Timers: consensus timeouts, the periodic Status, the sync request timeout, the outbox flush.
//   Restart: on_start restores from the Store (latest snapshot or genesis, then stored blocks
//   replayed through apply_block, then the consensus record) and starts the next height; if the
//   record is of that height, consensus resumes at the round it had signed in, with its lock and
//   its own votes, and the node sends those votes (and its proposal) again at once. A record
//   that fails its checksum or does not decode: the node follows the chain but never signs
//   (signing_disabled()).
//
// Gossip dedup: a bounded SeenSet of message ids (NodeConfig::seen_capacity); a duplicate of a
// shared message object is recognised by this node's mark on the object's decode memo. Under
// gossipsub votes are deduplicated by the vote set instead (node_votes.cpp).
//
// Invalid or undecodable peer input is dropped, counted (stats().messages_rejected) and reported
// as MessageRejected; it never crashes the node.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "core/consensus/consensus.hpp"
#include "core/mempool/mempool.hpp"
#include "core/node/block_sync.hpp"
#include "core/node/context.hpp"
#include "core/node/evidence_pool.hpp"
#include "core/node/gossip/router.hpp"
#include "core/node/message_codec.hpp"
#include "core/node/node_config.hpp"
#include "core/node/seen_set.hpp"
#include "core/state/state.hpp"

namespace mt {

struct NodeStats {
  std::uint64_t messages_received = 0;
  std::uint64_t messages_duplicate = 0;  // already seen: dropped silently
  std::uint64_t messages_rejected = 0;   // undecodable or invalid: dropped and reported
  std::uint64_t messages_relayed = 0;
  std::uint64_t batches_sent = 0;        // gossip_batch frames (one per peer per flush)
  std::uint64_t batch_items_skipped = 0; // relays left out because that peer had sent us the message
  std::uint64_t txs_admitted = 0;
  std::uint64_t txs_dropped = 0;         // valid but not admitted (stale nonce, pool full, ...)
  std::uint64_t blocks_committed = 0;    // by consensus
  std::uint64_t blocks_synced = 0;       // by block sync
  std::uint64_t sync_requests = 0;
  std::uint64_t sync_timeouts = 0;
  std::uint64_t blocks_replayed = 0;     // at restart
  std::uint64_t rows_dropped = 0;        // at restart: stored rows that failed their checksum
  std::uint64_t heights_dropped = 0;     // at restart: stored heights given up (synced again)
  std::uint64_t retransmitted = 0;       // own messages re-gossiped while consensus stalled
  // Gossiped messages received (with duplicates) and unique ones taken in, by MsgKind: their
  // ratio is the gossip amplification (copies a node receives per unique message).
  std::array<std::uint64_t, kMsgKindMax + 1> gossip_received{};
  std::array<std::uint64_t, kMsgKindMax + 1> gossip_unique{};
  std::uint64_t gossip_control_sent = 0;  // GRAFT / PRUNE / IHAVE / IWANT (gossipsub only)
  std::uint64_t gossip_served = 0;        // cached messages sent for an IWANT
};

class Node final : private ConsensusHost {
 public:
  Node(NodeConfig config, Context& ctx);
  ~Node() override;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Restores from storage, starts consensus at the next height, announces our status.
  void on_start();
  void on_message(PeerId from, const WirePtr& message);
  void on_timer(TimerId id, std::uint64_t tag);
  // A client submits a transaction to this node; admitted ones are gossiped.
  Admission on_transaction(const TxPtr& tx);

  [[nodiscard]] const state::StatePtr& state() const { return state_; }
  [[nodiscard]] std::uint64_t height() const { return state_->height(); }
  [[nodiscard]] const Mempool& mempool() const { return *mempool_; }
  [[nodiscard]] const Consensus* consensus() const { return consensus_.get(); }
  [[nodiscard]] const NodeStats& stats() const { return stats_; }
  [[nodiscard]] const EvidencePool& evidence_pool() const { return evidence_; }
  [[nodiscard]] bool syncing() const { return sync_.active(); }
  [[nodiscard]] bool started() const { return started_; }
  // A validator whose stored consensus record was unreadable at start: it signs nothing.
  [[nodiscard]] bool signing_disabled() const { return signing_disabled_; }
  [[nodiscard]] std::optional<Address> address() const;
  // The peers this node gossips to (its context's links).
  [[nodiscard]] std::span<const PeerId> peers() const { return ctx_.peers(); }

 private:
  // ---- ConsensusHost (node_host.cpp) ----
  [[nodiscard]] TimeUs now() const override { return ctx_.now(); }
  BlockPtr propose_block(std::uint64_t height, std::uint32_t round) override;
  bool validate_block(const Block& block) override;
  void persist_consensus_record(const ConsensusRecord& record) override;
  void broadcast_proposal(const Proposal& proposal) override;
  void broadcast_vote(const Vote& vote) override;
  void schedule_timeout(std::uint64_t height, std::uint32_t round, ConsensusStep step, TimeUs delay) override;
  void decide(std::uint64_t height, std::uint32_t round, BlockPtr block, const Commit& commit) override;
  void evidence_found(const DuplicateVoteEvidence& evidence) override;
  void consensus_event(const ConsensusEvent& event) override { ctx_.emit(Event(event)); }

  // ---- Inputs by kind (node.cpp) ----
  // One message, alone or out of a batch (the per-message work of on_message): a vote under
  // gossipsub to take_vote, another gossiped kind to take_gossiped, the rest to take_direct.
  void handle_input(PeerId from, const WirePtr& message);
  void handle_batch(PeerId from, const WirePtr& message);
  // Cache hints for the batch loop: the loads item i + 1..4 will need (a hint, no effect).
  void prefetch_batch_items(std::span<const WirePtr> items, std::size_t i) const;
  // A gossiped message deduplicated by its id (take_in), then handled by kind.
  void take_gossiped(PeerId from, const WirePtr& message);
  // A point-to-point message (status, block sync, gossip control): decoded and handled.
  void take_direct(PeerId from, const WirePtr& message);
  // The decoded message of a strict decode (the memo of `message`), or null after rejecting it.
  const Message* decoded_or_reject(PeerId from, const WireMessage& message, const DecodeMemo& memo);
  // ---- Votes by what they are (node_votes.cpp) ----
  // True under gossipsub: votes are deduplicated by the vote set, not by message id.
  [[nodiscard]] bool votes_by_vote_set() const;
  void take_vote(PeerId from, const WirePtr& message);
  // Counts a vote's receipt (received, unique, duplicate) and charges its signature check.
  // `from` and `id` are unused: take_vote tells the outbox who already has a duplicate.
  void note_vote_outcome(InputResult r, bool relayed);
  // `wire` is the message as received and `seen` the serial of its insert into seen_, for
  // relaying it.
  void handle_tx(PeerId from, const TxPtr& tx, const WirePtr& wire, std::uint64_t seen);
  void handle_proposal(PeerId from, const Proposal& proposal, const WirePtr& wire, std::uint64_t seen);
  void handle_vote(PeerId from, std::shared_ptr<const Vote> vote, const WirePtr& wire, std::uint64_t seen);
  void handle_evidence(PeerId from, const Evidence& evidence, const WirePtr& wire, std::uint64_t seen);
  void reject(PeerId from, MsgKind kind);
  // Consensus could not keep a gossiped message for now (InputResult::overflow): take back its
  // insert into seen_ (serial `seen`, the latest) and our mark on it, so it counts when it comes
  // again.
  void unsee(const WirePtr& wire, std::uint64_t seen);
  // Forwards a message we accepted to every peer but `from`: at once, or through the outbox.
  void relay(const WirePtr& wire, std::uint64_t seen, PeerId from);
  // A duplicate of the message taken in as seen-serial `seen` came from `from`: if it waits in
  // the outbox, `from` won't get it back.
  void note_duplicate(std::uint64_t seen, PeerId from);
  void flush_outbox();
  void send_own(const Message& message);  // gossip a message we originate (marked seen)
  // ---- The gossipsub router's side (node_gossip.cpp; router_ is null under flood) ----
  void on_heartbeat();
  void handle_control(PeerId from, const GossipControl& control);
  void router_remember(const WirePtr& wire);
  void run_router_actions();
  [[nodiscard]] AccountLookup account_lookup() const;
  [[nodiscard]] Status check_evidence(const Evidence& evidence);

  // ---- Block execution and commit (node_host.cpp) ----
  // apply_block through the shared cache when configured; charges CPU.
  Result<state::StatePtr> execute(const Block& block, bool commit_sigs_known);
  // Stores block + commit (+ snapshot) atomically, moves the state, updates the mempool and the
  // evidence pool, emits SlashApplied and BlockCommitted, and announces our status.
  void commit_block(const BlockPtr& block, const Commit& commit, state::StatePtr next, std::uint32_t round,
                    bool via_sync);
  void emit_slashes(const state::State& before, const state::State& after, const Block& block);
  // Starts consensus at height() + 1 if it is not there yet (after a sync or a restore).
  void rejoin_consensus();

  // ---- Block sync (node_sync.cpp) ----
  void handle_status(PeerId from, const StatusMsg& status);
  void handle_block_request(PeerId from, const BlockRequestMsg& request);
  void handle_block_response(PeerId from, const BlockResponseMsg& response);
  void maybe_request_blocks();
  void on_sync_timeout(std::uint64_t request_seq);
  void broadcast_status();
  void arm_status_timer();
  // On the status tick: if consensus made no progress since the last tick, re-gossip our own
  // signed messages of this height (Consensus::retransmit_messages). Peers that have them drop
  // them as duplicates; a peer that was down or lost them gets what it needs to move on.
  void retransmit_if_stalled();
  // Gossips Consensus::retransmit_messages() (after a restart, and when stalled): our own
  // messages of the height and the polka behind our valid value.
  void resend_consensus_messages();

  // ---- Restart (node_restore.cpp) ----
  void restore_from_storage();
  // The stored record (empty when none was ever written); nullopt when it cannot be read.
  [[nodiscard]] std::optional<ConsensusRecord> read_consensus_record();
  [[nodiscard]] storage::Store& store() { return ctx_.storage(); }

  // Timer tags: the kind in the top byte, a sequence number below.
  enum class TimerKind : std::uint8_t { consensus = 1, status = 2, sync = 3, gossip = 4, heartbeat = 5 };
  struct PendingTimeout {
    std::uint64_t height;
    std::uint32_t round;
    ConsensusStep step;
  };
  static std::uint64_t make_tag(TimerKind kind, std::uint64_t seq);

  NodeConfig config_;
  Context& ctx_;
  state::StatePtr genesis_;
  state::StatePtr state_;
  Commit last_commit_;  // the commit of height(), carried by the next block
  std::unique_ptr<Mempool> mempool_;
  std::unique_ptr<Consensus> consensus_;
  SeenSet seen_;
  // Inserts a gossiped message's id into seen_: inserted is false for a duplicate; serial names
  // the insert that holds the id. Reads and leaves this node's mark on the shared memo when
  // decoding is memoised.
  SeenSet::Insert take_in(const DecodeMemo& memo);
  EvidencePool evidence_;
  BlockSync sync_;
  NodeStats stats_;
  bool started_ = false;
  bool signing_disabled_ = false;
  // Set by evidence_found: the vote being taken in made new evidence (take_vote relays it).
  bool evidence_from_input_ = false;

  // Blocks this node built or validated for the next height, with their states (decide reuses
  // them instead of executing again). Cleared whenever the state moves.
  std::map<Hash32, state::StatePtr> executed_;
  std::map<std::uint64_t, PendingTimeout> timeouts_;  // consensus timers by sequence
  struct Progress {
    std::uint64_t height = 0;
    std::uint32_t round = 0;
    ConsensusStep step = ConsensusStep::commit;
    bool operator==(const Progress&) const = default;
  };
  Progress last_tick_progress_;
  // The peers that already have an outbox item: a few inline (the usual case), the rest spilled.
  class PeerList {
   public:
    void add(PeerId p) {
      if (contains(p)) return;
      if (inline_count_ < kInline) {
        inline_[inline_count_++] = p;
      } else {
        spilled_.push_back(p);
      }
    }
    [[nodiscard]] bool contains(PeerId p) const {
      for (std::uint32_t i = 0; i < inline_count_; ++i) {
        if (inline_[i] == p) return true;
      }
      return !spilled_.empty() && std::find(spilled_.begin(), spilled_.end(), p) != spilled_.end();
    }

   private:
    static constexpr std::uint32_t kInline = 5;
    std::array<PeerId, kInline> inline_{};
    std::uint32_t inline_count_ = 0;
    std::vector<PeerId> spilled_;
  };
  // Relays waiting for the next flush, in the order they were taken in (ascending seen serial,
  // which is how a duplicate finds its item), each with the peers that already have it.
  struct OutboxItem {
    WirePtr wire;
    std::uint64_t seen;
    PeerList has;
  };
  std::vector<OutboxItem> outbox_;
  std::size_t outbox_bytes_ = 0;
  std::optional<TimerId> flush_timer_;
  std::unique_ptr<GossipRouter> router_;
  std::vector<PeerId> targets_;                  // scratch: a relay's mesh peers
  std::vector<GossipRouter::Action> actions_;    // scratch: what the router wants sent
  std::uint64_t next_timer_seq_ = 1;
};

}  // namespace mt
