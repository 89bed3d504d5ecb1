// The vocabulary of `mtsim explore`: the fault kinds and byzantine behaviours a seed may switch on
// (swarm testing), the protocol events coverage counts, and which kinds tend to reach which event
// (the bias of a --budget run raises the weight of kinds tied to events not reached yet).
#pragma once

#include <string>
#include <vector>

namespace mt::sim::explore {

// Fault kinds a drawn scenario may use. Each maps onto the scenario format's `faults:` actions
// (split: partition groups; one_way: partition one_way; link_delay / link_loss: link) or onto a
// `nemesis:` section (nemesis).
extern const std::vector<std::string> kFaultKinds;

// Byzantine behaviours: the scenario format's own list (kByzantineBehaviors).
const std::vector<std::string>& behaviour_kinds();

// Protocol events coverage counts, in report order.
extern const std::vector<std::string> kCoverageEvents;

// The fault kinds and behaviours that tend to reach `event` (empty when nothing drawn helps).
std::vector<std::string> kinds_reaching(const std::string& event);

// Behaviours that can make a validator sign two conflicting messages (or ignore its lock): with
// byzantine stake at or above 1/3 they can break agreement, so no safety check is expected there.
bool breaks_agreement_above_third(const std::string& behaviour);

}  // namespace mt::sim::explore
