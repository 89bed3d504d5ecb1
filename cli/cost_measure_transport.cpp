#include "cli/cost_measure_transport.hpp"

#include <fmt/format.h>
#include <time.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/chain/transaction.hpp"
#include "core/crypto/keys.hpp"
#include "core/node/message_codec.hpp"
#include "testnet/transport.hpp"

namespace mt::cli {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
constexpr std::uint64_t kWarmup = 200;      // frames before the meters start
constexpr std::uint64_t kMinFrames = 2000;  // at least this many measured
constexpr auto kStepTimeout = std::chrono::seconds(5);

double thread_cpu_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

// A signed transfer as a tx frame: what gossip relays most.
WirePtr transfer_frame() {
  const auto from = crypto::KeyPair::from_label("calibrate-sender");
  Transaction t;
  t.chain_id = "calibrate";
  t.sender = from.public_key();
  t.fee = 10;
  t.payload = Transfer{crypto::KeyPair::from_label("calibrate-receiver").public_key(), 100};
  t.sign(from, crypto::Backend::real);
  return encode_message(Message(SignedTx::make(std::move(t))));
}

// The receiving side: counts frames on its own thread and notes its thread's CPU time when the
// warmup ends and at each frame after it.
struct Receiver {
  std::mutex mu;
  std::condition_variable cv;
  std::uint64_t received = 0;
  double cpu_at_warmup = 0;
  double cpu_last = 0;

  void on_frame() {
    const double cpu = thread_cpu_ns();
    {
      std::lock_guard lock(mu);
      ++received;
      if (received == kWarmup) cpu_at_warmup = cpu;
      cpu_last = cpu;
    }
    cv.notify_one();
  }
  bool wait_for(std::uint64_t n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, kStepTimeout, [&] { return received >= n; });
  }
};

struct Endpoints {
  asio::io_context io_rx, io_tx;
  std::unique_ptr<testnet::Transport> rx, tx;
};

testnet::Hello hello_of(std::uint32_t index) {
  testnet::Hello h;
  h.chain_id = "calibrate";
  h.node_index = index;
  return h;
}

// Node 0 listens on a free loopback port (its io_context runs on its own thread from then on).
Status open_listener(Endpoints& e, const std::vector<crypto::KeyPair>& keys, const std::vector<PublicKey>& pubs) {
  e.rx = std::make_unique<testnet::Transport>(e.io_rx, hello_of(0), testnet::NodeIdentity{keys[0], pubs},
                                              std::vector<testnet::PeerAddress>(2));
  return e.rx->listen();
}

// Node 1 dials node 0 and runs its side of the handshake on this thread.
Status dial(Endpoints& e, const std::vector<crypto::KeyPair>& keys, const std::vector<PublicKey>& pubs) {
  std::vector<testnet::PeerAddress> table(2);
  table[0].port = e.rx->listen_port();
  e.tx = std::make_unique<testnet::Transport>(e.io_tx, hello_of(1), testnet::NodeIdentity{keys[1], pubs}, table);
  e.tx->connect({0});
  const auto deadline = Clock::now() + kStepTimeout;
  while (e.tx->connected_peers() == 0 && Clock::now() < deadline) e.io_tx.run_for(std::chrono::milliseconds(5));
  if (e.tx->connected_peers() == 0) return make_error("loopback TCP handshake did not complete");
  return Status{};
}

// Sends frames one at a time until `budget` is spent (at least kMinFrames after the warmup);
// the sender's CPU nanoseconds over the measured frames and how many, or an error.
Result<std::pair<double, std::uint64_t>> send_frames(Endpoints& e, Receiver& r, std::chrono::milliseconds budget) {
  const WirePtr frame = transfer_frame();
  const auto start = Clock::now();
  double cpu_start = 0;
  std::uint64_t sent = 0;
  while (sent < kWarmup + kMinFrames || Clock::now() - start < budget) {
    if (sent == kWarmup) cpu_start = thread_cpu_ns();
    e.tx->send(0, frame);
    ++sent;
    while (e.tx->stats().frames_sent < sent) {
      if (e.io_tx.run_one_for(kStepTimeout) == 0) return make_error("a loopback frame was not written");
    }
    if (!r.wait_for(sent)) return make_error("a loopback frame was not received");
  }
  return std::pair{thread_cpu_ns() - cpu_start, sent - kWarmup};
}

}  // namespace

Result<std::vector<MeasuredOp>> measure_transport(std::chrono::milliseconds budget) {
  const std::vector<crypto::KeyPair> keys{crypto::KeyPair::from_label("calibrate-node0"),
                                          crypto::KeyPair::from_label("calibrate-node1")};
  const std::vector<PublicKey> pubs{keys[0].public_key(), keys[1].public_key()};
  Endpoints e;
  Receiver r;
  if (Status st = open_listener(e, keys, pubs); !st.ok()) return st.error();
  e.rx->on_message([&r](PeerId, const WirePtr&) { r.on_frame(); });
  auto guard = asio::make_work_guard(e.io_rx);
  std::thread rx_thread([&e] { e.io_rx.run(); });
  const Status dialled = dial(e, keys, pubs);
  auto sent = dialled.ok() ? send_frames(e, r, budget) : Result<std::pair<double, std::uint64_t>>(dialled.error());
  guard.reset();
  e.io_rx.stop();
  rx_thread.join();
  if (e.tx) e.tx->stop();
  e.rx->stop();
  if (!sent.ok()) return sent.error();
  const auto [send_ns, frames] = sent.value();
  const double receive_ns = r.cpu_last - r.cpu_at_warmup;
  const auto per = [frames](double ns) { return ns / static_cast<double>(frames); };
  const std::string size = fmt::format("{} B tx frames over loopback TCP", transfer_frame()->payload().size());
  return std::vector<MeasuredOp>{
      {"send_message", "testnet transport: queue and write one of " + size, per(send_ns), frames},
      {"receive_message", "testnet transport: wake, read and unframe one of " + size, per(receive_ns), frames},
  };
}

}  // namespace mt::cli
