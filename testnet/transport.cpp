#include "testnet/transport.hpp"

#include <array>
#include <cstdio>
#include <deque>
#include <optional>

#include <fmt/format.h>

#include "core/util/assert.hpp"
#include "testnet/frame_codec.hpp"

namespace mt::testnet {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
constexpr std::size_t kReadChunk = 64 * 1024;
std::chrono::microseconds us(TimeUs t) { return std::chrono::microseconds(t); }
}  // namespace

// ---- Outbound: dial, hello both ways, then write queued frames ----
class Transport::Outbound : public std::enable_shared_from_this<Outbound> {
 public:
  Outbound(Transport& t, PeerId peer) : t_(t), peer_(peer), socket_(t.io_), backoff_timer_(t.io_), hs_timer_(t.io_) {}

  void keep_connected() {
    eager_ = true;
    if (state_ == State::idle) dial();
  }
  void push(const WirePtr& m) {
    const std::size_t size = m->payload().size() + kFrameHeaderBytes;
    if (queued_bytes_ + size > kMaxQueuedBytes && !queue_.empty()) {
      ++t_.stats_.dropped_queue_full;
      ++t_.by_kind_[static_cast<std::size_t>(m->kind)].dropped;
      return;
    }
    queue_.push_back(Entry{frame_header(static_cast<std::uint8_t>(m->kind), m->payload().size()), m});
    queued_bytes_ += size;
    if (state_ == State::idle) dial();
    write_next();
  }
  void close() {
    stopped_ = true;
    boost::system::error_code ec;
    socket_.close(ec);
    backoff_timer_.cancel();
    hs_timer_.cancel();
  }
  [[nodiscard]] bool ready() const { return state_ == State::ready; }

 private:
  enum class State : std::uint8_t { idle, connecting, ready, backoff };
  struct Entry {
    std::array<std::uint8_t, kFrameHeaderBytes> header;
    WirePtr message;
  };

  void dial() {
    if (stopped_) return;
    state_ = State::connecting;
    const std::uint64_t gen = ++gen_;
    socket_ = tcp::socket(t_.io_);
    const auto& addr = t_.table_.at(peer_);
    boost::system::error_code ec;
    const tcp::endpoint ep(asio::ip::make_address(addr.host, ec), addr.port);
    if (ec) return fail(gen, "bad address");
    auto self = shared_from_this();
    hs_timer_.expires_after(us(kHandshakeTimeout));
    hs_timer_.async_wait([self, gen](boost::system::error_code e) {
      if (!e && self->gen_ == gen && self->state_ == State::connecting) self->fail(gen, "handshake timeout");
    });
    socket_.async_connect(ep, [self, gen](boost::system::error_code e) {
      if (self->gen_ != gen || self->stopped_) return;
      if (e) return self->fail(gen, "connect");
      boost::system::error_code ignored;
      self->socket_.set_option(tcp::no_delay(true), ignored);
      self->nonce_ = fresh_nonce();
      Hello ours = self->t_.self_;
      ours.nonce = self->nonce_;
      self->hello_out_ = encode_frame(kHelloKind, encode_hello(ours));
      asio::async_write(self->socket_, asio::buffer(self->hello_out_), [self, gen](boost::system::error_code we, std::size_t) {
        if (self->gen_ != gen || self->stopped_) return;
        if (we) return self->fail(gen, "hello write");
        self->decoder_ = FrameDecoder{self->t_.limits_};
        self->decoder_.allow_hello(true);
        self->read_hello(gen);
      });
    });
  }

  void read_hello(std::uint64_t gen) {
    auto self = shared_from_this();
    socket_.async_read_some(asio::buffer(buf_), [self, gen](boost::system::error_code e, std::size_t n) {
      if (self->gen_ != gen || self->stopped_) return;
      if (e) return self->fail(gen, "closed during handshake");
      if (!self->decoder_.feed(ByteView(self->buf_.data(), n)).ok()) {
        ++self->t_.stats_.bad_frames;
        return self->fail(gen, "bad hello frame");
      }
      auto frame = self->decoder_.next();
      if (!frame) return self->read_hello(gen);
      auto hello = frame->kind == kHelloKind ? decode_hello(frame->payload) : Result<Hello>(make_error("not a hello"));
      Status st = hello.ok() ? check_hello(self->t_.self_, hello.value(), self->t_.peer_count()) : Status(hello.error());
      if (st.ok() && hello.value().node_index != self->peer_) st = make_error("dialled node answers as another index");
      if (st.ok()) {
        st = verify_hello_proof(self->t_.id_, HelloRole::listener, hello.value(), self->nonce_, self->t_.self_.node_index,
                                hello.value().proof);
      }
      if (!st.ok()) {
        ++self->t_.stats_.handshakes_refused;
        std::fprintf(stderr, "transport: peer %u refused: %s\n", self->peer_, st.error().message.c_str());
        return self->fail(gen, "refused");
      }
      self->send_auth(gen, hello.value().nonce);
    });
  }

  // The last handshake frame: our proof over the listener's nonce; then the link is ready.
  void send_auth(std::uint64_t gen, const Hash32& challenge) {
    const Signature proof = sign_hello_proof(t_.id_, HelloRole::dialer, t_.self_, challenge, peer_);
    auth_out_ = encode_frame(kAuthKind, proof.view());
    auto self = shared_from_this();
    asio::async_write(socket_, asio::buffer(auth_out_), [self, gen](boost::system::error_code we, std::size_t) {
      if (self->gen_ != gen || self->stopped_) return;
      if (we) return self->fail(gen, "auth write");
      self->hs_timer_.cancel();
      self->state_ = State::ready;
      self->backoff_ = kBackoffMin;
      ++self->t_.stats_.connects;
      self->watch_close(gen);
      self->write_next();
    });
  }

  // The listener never writes after its hello: a read completing means the connection ended.
  void watch_close(std::uint64_t gen) {
    auto self = shared_from_this();
    socket_.async_read_some(asio::buffer(buf_), [self, gen](boost::system::error_code, std::size_t) {
      if (self->gen_ == gen && !self->stopped_) self->fail(gen, "closed by peer");
    });
  }

  void write_next() {
    if (writing_ || queue_.empty() || state_ != State::ready) return;
    writing_ = true;
    const std::uint64_t gen = gen_;
    const Entry& e = queue_.front();
    const std::array<asio::const_buffer, 2> bufs{asio::buffer(e.header), asio::buffer(e.message->payload())};
    auto self = shared_from_this();
    asio::async_write(socket_, bufs, [self, gen](boost::system::error_code err, std::size_t n) {
      if (self->gen_ != gen || self->stopped_) return;
      self->writing_ = false;
      if (err) return self->fail(gen, "write");
      auto& kind = self->t_.by_kind_[static_cast<std::size_t>(self->queue_.front().message->kind)];
      ++kind.sent;
      kind.bytes += n;
      self->queued_bytes_ -= self->queue_.front().message->payload().size() + kFrameHeaderBytes;
      self->queue_.pop_front();
      ++self->t_.stats_.frames_sent;
      self->t_.stats_.bytes_sent += n;
      self->write_next();
    });
  }

  void fail(std::uint64_t gen, const char* /*why*/) {
    if (gen != gen_ || stopped_) return;
    ++gen_;  // every handler of the old socket is now stale
    boost::system::error_code ec;
    socket_.close(ec);
    hs_timer_.cancel();
    writing_ = false;
    state_ = State::backoff;
    backoff_timer_.expires_after(us(backoff_));
    backoff_ = std::min(backoff_ * 2, kBackoffMax);
    auto self = shared_from_this();
    backoff_timer_.async_wait([self](boost::system::error_code e) {
      if (e || self->stopped_) return;
      self->state_ = State::idle;
      if (self->eager_ || !self->queue_.empty()) self->dial();
    });
  }

  Transport& t_;
  PeerId peer_;
  tcp::socket socket_;
  asio::steady_timer backoff_timer_;
  asio::steady_timer hs_timer_;
  State state_ = State::idle;
  std::uint64_t gen_ = 0;
  bool eager_ = false;
  bool writing_ = false;
  bool stopped_ = false;
  TimeUs backoff_ = kBackoffMin;
  std::deque<Entry> queue_;
  std::size_t queued_bytes_ = 0;
  Bytes hello_out_;
  Bytes auth_out_;
  Hash32 nonce_;
  FrameDecoder decoder_;
  std::array<std::uint8_t, 4096> buf_{};
};

// ---- Inbound: hello both ways, then read frames and hand them to the node ----
class Transport::Inbound : public std::enable_shared_from_this<Inbound> {
 public:
  Inbound(Transport& t, tcp::socket socket)
      : t_(t), socket_(std::move(socket)), deadline_(t.io_), decoder_(t.limits_), buf_(kReadChunk) {}

  void start() {
    decoder_.allow_hello(true);
    arm(kHandshakeTimeout);
    read();
  }
  [[nodiscard]] bool helloed() const { return helloed_; }
  [[nodiscard]] PeerId peer() const { return peer_; }
  void close() {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ec;
    socket_.close(ec);
    deadline_.cancel();
    t_.inbound_.erase(shared_from_this());
  }

 private:
  // One deadline at a time: the hello, then a started frame, or idleness. Re-arming cancels the last.
  void arm(TimeUs after) {
    deadline_.expires_after(us(after));
    auto self = shared_from_this();
    deadline_.async_wait([self](boost::system::error_code e) {
      if (e || self->closed_) return;
      ++self->t_.stats_.timeouts;
      self->close();
    });
  }
  // After a read: idle when nothing is buffered; a fresh frame deadline when a new frame started
  // (none was pending, or one completed); otherwise the started frame keeps its deadline.
  void rearm(bool was_empty, std::size_t frames) {
    if (!helloed_) return;
    if (decoder_.buffered() == 0) return arm(t_.idle_timeout_);
    if (was_empty || frames > 0) arm(t_.frame_timeout_);
  }

  void read() {
    auto self = shared_from_this();
    socket_.async_read_some(asio::buffer(buf_), [self](boost::system::error_code e, std::size_t n) {
      if (self->closed_ || self->t_.stopped_) return;
      if (e) return self->close();
      const bool was_empty = self->decoder_.buffered() == 0;
      if (!self->decoder_.feed(ByteView(self->buf_.data(), n)).ok()) {
        ++self->t_.stats_.bad_frames;
        return self->close();
      }
      std::size_t frames = 0;
      while (auto frame = self->decoder_.next()) {
        ++frames;
        if (!self->handle(std::move(*frame))) return self->close();
        if (self->closed_ || self->t_.stopped_) return;
      }
      if (self->decoder_.failed()) {
        ++self->t_.stats_.bad_frames;
        if (self->helloed_) self->t_.penalize(self->peer_, kBadFrameCost);
        return self->close();
      }
      self->rearm(was_empty, frames);
      self->read();
    });
  }

  bool refuse(const Status& st) {
    ++t_.stats_.handshakes_refused;
    std::fprintf(stderr, "transport: refused a connection: %s\n", st.error().message.c_str());
    return false;
  }

  // Their hello: check it, answer with ours, our nonce and our proof over theirs.
  bool handle_hello(const Frame& frame) {
    auto hello = frame.kind == kHelloKind ? decode_hello(frame.payload) : Result<Hello>(make_error("no hello first"));
    Status st = hello.ok() ? check_hello(t_.self_, hello.value(), t_.peer_count()) : Status(hello.error());
    if (!st.ok()) return refuse(st);
    claimed_ = hello.value();
    Hello ours = t_.self_;
    ours.nonce = nonce_ = fresh_nonce();
    ours.proof = sign_hello_proof(t_.id_, HelloRole::listener, t_.self_, claimed_->nonce, claimed_->node_index);
    hello_out_ = encode_frame(kHelloKind, encode_hello(ours));
    auto self = shared_from_this();
    asio::async_write(socket_, asio::buffer(hello_out_), [self](boost::system::error_code e, std::size_t) {
      if (e) self->close();
    });
    return true;
  }

  // Their proof over our nonce under the genesis key of the index they claimed: then they are in.
  bool handle_auth(const Frame& frame) {
    if (frame.kind != kAuthKind || frame.payload.size() != Signature{}.data.size()) {
      return refuse(make_error("expected the dialer's proof"));
    }
    Signature proof;
    std::copy(frame.payload.begin(), frame.payload.end(), proof.data.begin());
    if (auto st = verify_hello_proof(t_.id_, HelloRole::dialer, *claimed_, nonce_, t_.self_.node_index, proof); !st.ok()) {
      return refuse(st);
    }
    if (t_.banned(claimed_->node_index)) return refuse(make_error(fmt::format("peer {} is banned", claimed_->node_index)));
    if (t_.inbound_from(claimed_->node_index) >= kMaxInboundPerPeer) {
      ++t_.stats_.inbound_refused;
      return false;
    }
    helloed_ = true;
    peer_ = claimed_->node_index;
    decoder_.allow_hello(false);
    arm(t_.idle_timeout_);
    return true;
  }

  bool handle(Frame frame) {
    if (!claimed_) return handle_hello(frame);
    if (!helloed_) return handle_auth(frame);
    if (frame.kind == kHelloKind || frame.kind == kAuthKind) {
      ++t_.stats_.bad_frames;
      return false;
    }
    ++t_.stats_.frames_received;
    t_.deliver(peer_, to_wire(std::move(frame)));
    return true;
  }

  Transport& t_;
  tcp::socket socket_;
  asio::steady_timer deadline_;
  FrameDecoder decoder_;
  std::vector<std::uint8_t> buf_;
  Bytes hello_out_;
  std::optional<Hello> claimed_;  // their hello, until their proof arrives
  Hash32 nonce_;
  PeerId peer_ = 0;
  bool helloed_ = false;  // authenticated
  bool closed_ = false;
};

// ---- Transport ----
Transport::Transport(asio::io_context& io, Hello self, NodeIdentity id, std::vector<PeerAddress> table,
                     FrameLimits limits)
    : io_(io),
      self_(std::move(self)),
      id_(std::move(id)),
      table_(std::move(table)),
      limits_(limits),
      acceptor_(io) {
  MT_ASSERT(id_.keys.size() == table_.size(), "one genesis key per peer table entry");
  MT_ASSERT(self_.node_index < table_.size(), "our index is outside the peer table");
}

Transport::~Transport() { stop(); }

Status Transport::listen() {
  const auto& me = table_[self_.node_index];
  boost::system::error_code ec;
  const tcp::endpoint ep(asio::ip::make_address(me.host, ec), me.port);
  if (ec) return make_error("listen address " + me.host + ": " + ec.message());
  acceptor_.open(ep.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return make_error(fmt::format("listen on {}:{}: {}", me.host, me.port, ec.message()));
  listen_port_ = acceptor_.local_endpoint().port();
  accept_next();
  return {};
}

void Transport::accept_next() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (stopped_) return;
    if (!ec) {
      std::size_t handshaking = 0;
      for (const auto& in : inbound_) handshaking += in->helloed() ? 0u : 1u;
      if (handshaking >= kMaxHandshaking) {
        ++stats_.inbound_refused;
        boost::system::error_code ignored;
        socket.close(ignored);
      } else {
        auto in = std::make_shared<Inbound>(*this, std::move(socket));
        inbound_.insert(in);
        in->start();
      }
    }
    accept_next();
  });
}

Transport::Outbound& Transport::link(PeerId to) {
  auto it = outbound_.find(to);
  if (it == outbound_.end()) it = outbound_.emplace(to, std::make_shared<Outbound>(*this, to)).first;
  return *it->second;
}

void Transport::connect(const std::vector<PeerId>& peers) {
  for (PeerId p : peers) {
    if (p != self_.node_index && p < table_.size()) link(p).keep_connected();
  }
}

void Transport::send(PeerId to, const WirePtr& message) {
  if (stopped_ || to == self_.node_index || to >= table_.size()) return;
  if (rules_.blocked_out.contains(to)) {
    ++stats_.dropped_by_rules;
    ++by_kind_[static_cast<std::size_t>(message->kind)].dropped;
    return;
  }
  auto d = rules_.delay_out.find(to);
  if (d == rules_.delay_out.end() || d->second <= 0) return enqueue(to, message);
  auto timer = std::make_shared<asio::steady_timer>(io_, us(d->second));
  timer->async_wait([this, timer, to, message](boost::system::error_code ec) {
    if (!ec && !stopped_) enqueue(to, message);
  });
}

void Transport::enqueue(PeerId to, const WirePtr& message) { link(to).push(message); }

void Transport::deliver(PeerId from, const WirePtr& message) {
  by_kind_[static_cast<std::size_t>(message->kind)].bytes_in += message->payload().size() + kFrameHeaderBytes;
  if (banned(from)) {
    ++stats_.dropped_banned;
    return;
  }
  if (rules_.blocked_in.contains(from)) {
    ++stats_.dropped_by_rules;
    ++by_kind_[static_cast<std::size_t>(message->kind)].dropped;
    return;
  }
  ++by_kind_[static_cast<std::size_t>(message->kind)].received;
  if (on_message_) on_message_(from, message);
}

namespace {
double recovered(const PeerScore& s, std::chrono::steady_clock::time_point now) {
  const double secs = std::chrono::duration<double>(now - s.updated).count();
  return std::min(0.0, s.score + secs * Transport::kRecoverPerSec);
}
}  // namespace

void Transport::penalize(PeerId peer, double cost) {
  if (peer >= table_.size() || peer == self_.node_index) return;
  const auto now = std::chrono::steady_clock::now();
  PeerScore& s = scores_[peer];
  if (now < s.banned_until) return;  // already out
  s.score = recovered(s, now) - cost;
  s.updated = now;
  if (s.score > kBanScore) return;
  ++stats_.bans;
  s.score = 0;
  s.banned_until = now + std::chrono::microseconds(ban_duration_);
  std::fprintf(stderr, "transport: peer %u banned for %lld s (score)\n", peer,
               static_cast<long long>(ban_duration_ / kUsPerSec));
  auto inbound = inbound_;  // close() erases from the set
  for (const auto& in : inbound) {
    if (in->helloed() && in->peer() == peer) in->close();
  }
}

bool Transport::banned(PeerId peer) const {
  auto it = scores_.find(peer);
  return it != scores_.end() && std::chrono::steady_clock::now() < it->second.banned_until;
}

std::map<PeerId, double> Transport::peer_scores() const {
  std::map<PeerId, double> out;
  const auto now = std::chrono::steady_clock::now();
  for (const auto& [p, s] : scores_) out[p] = now < s.banned_until ? kBanScore : recovered(s, now);
  return out;
}

std::size_t Transport::inbound_from(PeerId peer) const {
  std::size_t n = 0;
  for (const auto& in : inbound_) n += in->helloed() && in->peer() == peer ? 1u : 0u;
  return n;
}

std::size_t Transport::connected_peers() const {
  std::size_t n = 0;
  for (const auto& [p, l] : outbound_) n += l->ready() ? 1u : 0u;
  return n;
}

void Transport::stop() {
  if (stopped_) return;
  stopped_ = true;
  boost::system::error_code ec;
  acceptor_.close(ec);
  for (auto& [p, l] : outbound_) l->close();
  auto inbound = inbound_;  // close() erases from the set
  for (const auto& in : inbound) in->close();
}

}  // namespace mt::testnet
