// Context (core/node/context.hpp) for a node running as a real process: the wall clock (the one
// place a node reads it), asio timers, the TCP transport, a SQLite file store. Single-threaded:
// every input and timer runs on the one io_context, so the node needs no locks.
//
// now() is microseconds since the testnet's epoch, a CLOCK_MONOTONIC instant the harness picks
// and hands to every node; on one host that gives every process the same time base, so commit
// times from different nodes (and the harness's submit times) compare directly.
#pragma once

#include <utility>  // before asio: Boost 1.74's awaitable.hpp uses std::exchange without it
#include <boost/asio.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "core/crypto/verifier.hpp"
#include "core/node/context.hpp"
#include "core/storage/store.hpp"
#include "testnet/transport.hpp"

namespace mt::testnet {

using MonoClock = std::chrono::steady_clock;

// Microseconds of MonoClock since the epoch given in nanoseconds of MonoClock.
TimeUs mono_since(std::int64_t epoch_ns);
std::int64_t mono_now_ns();

class RealtimeContext final : public Context {
 public:
  using TimerFn = std::function<void(TimerId id, std::uint64_t tag)>;
  using EventFn = std::function<void(const Event& e)>;

  RealtimeContext(boost::asio::io_context& io, Transport& transport, storage::Store& store, crypto::Verifier& verifier,
                  std::vector<PeerId> neighbours, std::int64_t epoch_ns);
  ~RealtimeContext() override;

  // Where timers and events go (the node, the RPC's commit log); set before the node starts.
  void on_timer(TimerFn fn) { on_timer_ = std::move(fn); }
  void on_event(EventFn fn) { on_event_ = std::move(fn); }

  [[nodiscard]] TimeUs now() const override { return mono_since(epoch_ns_); }
  void send(PeerId to, WirePtr message) override { transport_.send(to, message); }
  void gossip(WirePtr message, std::optional<PeerId> except) override;
  [[nodiscard]] std::span<const PeerId> peers() const override { return neighbours_; }
  TimerId set_timer(TimeUs delay, std::uint64_t tag) override;
  void cancel_timer(TimerId id) override;
  storage::Store& storage() override { return store_; }
  crypto::Verifier& verifier() override { return verifier_; }
  void charge_cpu(TimeUs /*cost*/) override {}  // real CPU time is spent, not modelled
  void emit(const Event& event) override {
    if (on_event_) on_event_(event);
  }

  [[nodiscard]] std::size_t pending_timers() const { return timers_.size(); }

 private:
  boost::asio::io_context& io_;
  Transport& transport_;
  storage::Store& store_;
  crypto::Verifier& verifier_;
  std::vector<PeerId> neighbours_;
  std::int64_t epoch_ns_;
  TimerFn on_timer_;
  EventFn on_event_;
  TimerId next_timer_ = 1;
  std::map<TimerId, std::unique_ptr<boost::asio::steady_timer>> timers_;
};

}  // namespace mt::testnet
