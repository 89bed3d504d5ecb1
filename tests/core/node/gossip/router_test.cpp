// The gossipsub router: the heartbeat grafts a mesh of d peers and keeps it in [d_lo, d_hi],
// GRAFT / PRUNE keep meshes symmetric, IHAVE asks (IWANT) only for unseen ids, IWANT is served
// from the message cache until `history` heartbeats pass, and the same seed draws the same mesh.
#include <doctest/doctest.h>

#include <vector>

#include "core/crypto/hash.hpp"
#include "core/node/gossip/router.hpp"

using namespace mt;

namespace {

std::vector<PeerId> peers_upto(PeerId n) {
  std::vector<PeerId> v;
  for (PeerId p = 0; p < n; ++p) v.push_back(p);
  return v;
}

GossipParams params(std::uint64_t seed = 7) {
  GossipParams p;
  p.mode = GossipMode::gossipsub;
  p.seed = seed;
  return p;
}

Hash32 id_of(std::uint8_t b) { return crypto::blake2b256(ByteView(&b, 1)); }

WirePtr vote_wire(std::uint8_t b) { return std::make_shared<WireMessage>(MsgKind::vote, Bytes{b}); }

std::size_t count_type(const std::vector<GossipRouter::Action>& out, GossipControl::Type t, std::uint8_t topic) {
  std::size_t n = 0;
  for (const auto& a : out) n += a.control.has_value() && a.control->type == t && a.control->topic == topic;
  return n;
}

constexpr std::uint8_t kVotes = 2;  // MsgKind::vote - 1

}  // namespace

TEST_CASE("the first heartbeat grafts d random peers per topic; a second leaves a mesh in bounds alone") {
  GossipRouter r(params());
  const auto peers = peers_upto(30);
  std::vector<GossipRouter::Action> out;
  r.heartbeat(peers, out);
  for (std::uint8_t t = 0; t < kGossipTopics; ++t) {
    CHECK(r.mesh(t).size() == 8);
    CHECK(count_type(out, GossipControl::Type::graft, t) == 8);
  }
  const std::vector<PeerId> before(r.mesh(kVotes).begin(), r.mesh(kVotes).end());
  out.clear();
  r.heartbeat(peers, out);
  CHECK(out.empty());  // nothing cached yet, mesh in bounds: nothing to say
  CHECK(std::vector<PeerId>(r.mesh(kVotes).begin(), r.mesh(kVotes).end()) == before);
}

TEST_CASE("a graft joins the mesh up to d_hi, then is answered with prune; a prune leaves it") {
  GossipRouter r(params());
  const auto peers = peers_upto(30);
  std::vector<GossipRouter::Action> out;
  r.heartbeat(peers, out);
  auto seen = [](const Hash32&) { return true; };
  GossipControl graft{GossipControl::Type::graft, kVotes, {}};
  for (PeerId p = 0; p < 30; ++p) {
    out.clear();
    const bool was_in = r.in_mesh(kVotes, p);
    const std::size_t size = r.mesh(kVotes).size();
    r.on_control(p, graft, peers, seen, out);
    if (was_in) {
      CHECK(out.empty());
    } else if (size < 12) {
      CHECK(r.in_mesh(kVotes, p));
    } else {
      CHECK(count_type(out, GossipControl::Type::prune, kVotes) == 1);
      CHECK_FALSE(r.in_mesh(kVotes, p));
    }
  }
  CHECK(r.mesh(kVotes).size() == 12);
  // A graft from a node that is not a peer is refused.
  out.clear();
  r.on_control(99, graft, peers, seen, out);
  CHECK(count_type(out, GossipControl::Type::prune, kVotes) == 1);
  const PeerId member = r.mesh(kVotes).front();
  r.on_control(member, GossipControl{GossipControl::Type::prune, kVotes, {}}, peers, seen, out);
  CHECK_FALSE(r.in_mesh(kVotes, member));
  CHECK(r.mesh(kVotes).size() == 11);
}

TEST_CASE("a mesh below d_lo is grafted back to d on the heartbeat; peers that left the peer list leave it") {
  GossipRouter r(params());
  const auto peers = peers_upto(30);
  std::vector<GossipRouter::Action> out;
  auto seen = [](const Hash32&) { return true; };
  r.heartbeat(peers, out);
  for (PeerId p = 0; p < 30; ++p) r.on_control(p, GossipControl{GossipControl::Type::graft, kVotes, {}}, peers, seen, out);
  for (PeerId p : std::vector<PeerId>(r.mesh(kVotes).begin(), r.mesh(kVotes).begin() + 7)) {
    r.on_control(p, GossipControl{GossipControl::Type::prune, kVotes, {}}, peers, seen, out);
  }
  CHECK(r.mesh(kVotes).size() == 5);
  out.clear();
  r.heartbeat(peers, out);
  CHECK(r.mesh(kVotes).size() == 8);
  CHECK(count_type(out, GossipControl::Type::graft, kVotes) == 3);
  // Peers that left the peer list leave the mesh.
  out.clear();
  r.heartbeat(peers_upto(3), out);
  CHECK(r.mesh(kVotes).size() == 3);
}

TEST_CASE("ihave is answered with iwant for unseen ids only; iwant is served from the cache for `history` heartbeats") {
  GossipParams p = params();
  p.history = 2;
  p.gossip_windows = 1;
  GossipRouter a(p);
  const auto peers = peers_upto(30);
  std::vector<GossipRouter::Action> out;
  a.heartbeat(peers, out);
  a.remember(id_of(1), kVotes, vote_wire(1));
  a.remember(id_of(2), kVotes, vote_wire(2));
  out.clear();
  a.heartbeat(peers, out);
  CHECK(count_type(out, GossipControl::Type::ihave, kVotes) == p.d_lazy);
  GossipControl ihave;
  for (const auto& act : out) {
    if (act.control.has_value() && act.control->type == GossipControl::Type::ihave) {
      CHECK_FALSE(a.in_mesh(kVotes, act.to));
      ihave = *act.control;
    }
  }
  REQUIRE(ihave.ids.size() == 2);
  GossipRouter b(params(8));
  std::vector<GossipRouter::Action> want;
  b.on_control(0, ihave, peers, [](const Hash32& id) { return id == id_of(1); }, want);
  REQUIRE(want.size() == 1);
  REQUIRE(want[0].control.has_value());
  CHECK(want[0].control->type == GossipControl::Type::iwant);
  CHECK(want[0].control->ids == std::vector<Hash32>{id_of(2)});
  std::vector<GossipRouter::Action> served;
  a.on_control(5, *want[0].control, peers, [](const Hash32&) { return true; }, served);
  REQUIRE(served.size() == 1);
  CHECK(served[0].to == 5);
  CHECK(served[0].wire->payload() == Bytes{2});
  // The next heartbeat drops the window out of a history of 2: nothing left to serve or advertise.
  out.clear();
  a.heartbeat(peers, out);
  CHECK(count_type(out, GossipControl::Type::ihave, kVotes) == 0);
  served.clear();
  a.on_control(5, *want[0].control, peers, [](const Hash32&) { return true; }, served);
  CHECK(served.empty());
}

TEST_CASE("the mesh is a function of the seed") {
  const auto peers = peers_upto(50);
  auto mesh_of = [&](std::uint64_t seed) {
    GossipRouter r(params(seed));
    std::vector<GossipRouter::Action> out;
    r.heartbeat(peers, out);
    return std::vector<PeerId>(r.mesh(kVotes).begin(), r.mesh(kVotes).end());
  };
  CHECK(mesh_of(3) == mesh_of(3));
  CHECK(mesh_of(3) != mesh_of(4));
}
