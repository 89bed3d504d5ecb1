// Node: the gossipsub router's side of relaying (gossip/router.hpp). Under flood (router_ null)
// none of this runs.
#include "core/node/node.hpp"

namespace mt {

void Node::on_heartbeat() {
  actions_.clear();
  router_->heartbeat(ctx_.peers(), actions_);
  run_router_actions();
  (void)ctx_.set_timer(config_.gossip.heartbeat, make_tag(TimerKind::heartbeat, 0));
}

void Node::handle_control(PeerId from, const GossipControl& control) {
  if (router_ == nullptr) return;  // a flood node ignores the mesh of others
  actions_.clear();
  router_->on_control(from, control, ctx_.peers(), [this](const Hash32& id) { return seen_.contains(id); },
                      actions_);
  run_router_actions();
}

void Node::router_remember(const WirePtr& wire) {
  // With every peer in the topic's mesh (a sparse graph) there is nobody to send an IHAVE to,
  // hence nobody to serve an IWANT: the cache would only keep messages alive.
  const std::uint8_t topic = *GossipRouter::topic_of(wire->kind);
  if (ctx_.peers().size() <= router_->mesh(topic).size()) return;
  const DecodeMemo* decoded = config_.memoise_decode ? wire->memo().decoded() : nullptr;
  const Hash32 id = decoded != nullptr ? decoded->id : message_id(*wire);
  router_->remember(id, topic, wire);
}

void Node::run_router_actions() {
  // The IHAVEs of one topic carry the same ids to each peer: one message object for all of them,
  // so it is encoded once and its receivers share one decode.
  const GossipControl* last = nullptr;
  WirePtr last_wire;
  for (auto& a : actions_) {
    if (a.control.has_value()) {
      ++stats_.gossip_control_sent;
      if (last == nullptr || !(*last == *a.control)) {
        last_wire = encode_message(Message(*a.control));
        last = &*a.control;
      }
      ctx_.send(a.to, last_wire);
    } else {
      ++stats_.gossip_served;
      ctx_.send(a.to, a.wire);
    }
  }
  actions_.clear();
}

}  // namespace mt
