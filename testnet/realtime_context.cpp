#include "testnet/realtime_context.hpp"

#include "core/util/assert.hpp"

namespace mt::testnet {

std::int64_t mono_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(MonoClock::now().time_since_epoch()).count();
}

TimeUs mono_since(std::int64_t epoch_ns) { return (mono_now_ns() - epoch_ns) / 1000; }

RealtimeContext::RealtimeContext(boost::asio::io_context& io, Transport& transport, storage::Store& store,
                                 crypto::Verifier& verifier, std::vector<PeerId> neighbours, std::int64_t epoch_ns)
    : io_(io), transport_(transport), store_(store), verifier_(verifier), neighbours_(std::move(neighbours)),
      epoch_ns_(epoch_ns) {}

RealtimeContext::~RealtimeContext() {
  for (auto& [id, t] : timers_) t->cancel();
}

void RealtimeContext::gossip(WirePtr message, std::optional<PeerId> except) {
  for (PeerId p : neighbours_) {
    if (!except || *except != p) transport_.send(p, message);
  }
}

TimerId RealtimeContext::set_timer(TimeUs delay, std::uint64_t tag) {
  MT_ASSERT(delay >= 0, "negative timer delay");
  const TimerId id = next_timer_++;
  auto timer = std::make_unique<boost::asio::steady_timer>(io_, std::chrono::microseconds(delay));
  timer->async_wait([this, id, tag](boost::system::error_code ec) {
    if (ec) return;  // cancelled
    if (timers_.erase(id) == 0) return;
    if (on_timer_) on_timer_(id, tag);
  });
  timers_.emplace(id, std::move(timer));
  return id;
}

void RealtimeContext::cancel_timer(TimerId id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return;
  it->second->cancel();
  timers_.erase(it);  // the handler sees operation_aborted (the timer object dies after it runs)
}

}  // namespace mt::testnet
