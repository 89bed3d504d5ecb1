// One event as one line of JSON (docs/events.md is the schema): `t` (µs of simulated time), `seq`
// (the sink's running number), `node`, `kind`, then the kind's fields in a fixed order. Block
// hashes are their first 8 bytes in hex (null: nil); validators are node indices (-1: not a
// node of the run). Deterministic: integers and fixed strings only, no floating point.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/node/events.hpp"
#include "sim/events/world_event.hpp"

namespace mt::sim {

// Node index of a validator address (-1: unknown).
using AddressIndex = std::map<Address, std::int64_t>;

// The height an event belongs to (nullopt: none, e.g. a node start).
std::optional<std::uint64_t> event_height(const Event& e);

void append_event_json(std::string& out, TimeUs t, std::uint64_t seq, std::size_t node, const Event& e,
                       const AddressIndex& index);
void append_world_json(std::string& out, TimeUs t, std::uint64_t seq, const WorldEvent& e);

// `s` as a JSON string literal, quotes included.
std::string json_quoted(std::string_view s);

// The short hex of a block hash as the file writes it ("null" for nil, quoted otherwise).
std::string block_json(const Hash32& h);

}  // namespace mt::sim
