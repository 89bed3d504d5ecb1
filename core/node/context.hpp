// The seam between a node and the world it runs in (DESIGN.md §2). A node is a state machine
// without I/O: the simulator implements Context with virtual time and simulated links; the
// multi-process testnet implements it with a wall clock and TCP. core/ sees nothing else.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "core/crypto/verifier.hpp"
#include "core/node/events.hpp"
#include "core/node/wire.hpp"
#include "core/util/time.hpp"

namespace mt {

namespace storage {
class Store;
}

using TimerId = std::uint64_t;

class Context {
 public:
  virtual ~Context() = default;

  // The node's own clock (may be skewed or drift relative to the world's clock).
  [[nodiscard]] virtual TimeUs now() const = 0;

  // Point-to-point to a direct peer or, for sync replies, to whoever asked.
  virtual void send(PeerId to, WirePtr message) = 0;
  // To every direct peer except `except` (the peer we heard it from). Nodes relay what they
  // accept once, which turns this into gossip over the topology.
  virtual void gossip(WirePtr message, std::optional<PeerId> except = std::nullopt) = 0;
  [[nodiscard]] virtual std::span<const PeerId> peers() const = 0;
  // A relay to the listed direct peers only (the gossip router's mesh). A runtime that
  // intercepts gossip() (the simulator's byzantine wrapper) intercepts this the same way.
  virtual void gossip_to(WirePtr message, std::span<const PeerId> to) {
    for (const PeerId p : to) send(p, message);
  }

  // Fires on_timer(id, tag) after `delay` of this node's clock unless cancelled first.
  virtual TimerId set_timer(TimeUs delay, std::uint64_t tag) = 0;
  virtual void cancel_timer(TimerId id) = 0;

  // Durable storage: what was written before a crash survives it, nothing more.
  virtual storage::Store& storage() = 0;
  // The process-wide verifier (shared cache). Pure, so sharing cannot change an outcome.
  virtual crypto::Verifier& verifier() = 0;

  // Virtual CPU time this handler consumed (verification, execution, hashing): a busy node queues
  // its next inputs behind it. A real runtime ignores it.
  virtual void charge_cpu(TimeUs cost) = 0;

  virtual void emit(const Event& event) = 0;
};

}  // namespace mt
