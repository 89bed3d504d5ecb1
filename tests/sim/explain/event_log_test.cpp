// Reading events.jsonl back for explain: a line that is not JSON is an error naming its line,
// unknown kinds are skipped, a slashed validator leaves the height's validators, and the height
// at a moment and the worst stall are chosen from the log.
#include <doctest/doctest.h>

#include "sim/explain/round_story.hpp"

using namespace mt;
using namespace mt::sim;

namespace {
const char* kLog =
    R"({"t":0,"seq":0,"node":0,"kind":"node_info","name":"a[0]","group":"a","stake":10,"honest":true,"byzantine":null,"at_genesis":true}
{"t":0,"seq":1,"node":1,"kind":"node_info","name":"a[1]","group":"a","stake":10,"honest":true,"byzantine":null,"at_genesis":true}
{"t":0,"seq":2,"node":2,"kind":"node_info","name":"a[2]","group":"a","stake":10,"honest":true,"byzantine":null,"at_genesis":true}
{"t":5,"seq":3,"node":0,"kind":"round_started","height":1,"round":0,"reason":"first","proposer":0}
{"t":6,"seq":4,"node":0,"kind":"some_future_kind","height":1}
{"t":7,"seq":5,"node":0,"kind":"committed","height":1,"round":0,"block":"aa","proposer":0}
{"t":8,"seq":6,"node":0,"kind":"slash","validator":2,"height":1,"double_sign":true,"amount":1}
{"t":10,"seq":7,"node":0,"kind":"round_started","height":2,"round":0,"reason":"first","proposer":1}
{"t":20,"seq":8,"node":0,"kind":"round_started","height":2,"round":1,"reason":"timeout","proposer":0}
{"t":30,"seq":9,"node":0,"kind":"committed","height":2,"round":1,"block":"bb","proposer":0}
)";
}  // namespace

TEST_CASE("an event log reads back; a bad line is an error naming it") {
  auto log = parse_event_log(kLog);
  REQUIRE_MESSAGE(log.ok(), (log.ok() ? "" : log.error().message));
  CHECK(log.value().nodes.size() == 3);
  CHECK(log.value().name(1) == "a[1]");
  CHECK(log.value().events.size() == 7);  // the unknown kind is kept as a record, never interpreted
  auto bad = parse_event_log(std::string(kLog) + "not json\n");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("line 11") != std::string::npos);
}

TEST_CASE("a validator slashed at one height is not among the next height's validators") {
  auto log = parse_event_log(kLog).value();
  CHECK(members_at(log, 1) == std::vector<bool>{true, true, true});
  CHECK(members_at(log, 2) == std::vector<bool>{true, true, false});
  CHECK(tell_height(log, 2).total_stake == 20);
}

TEST_CASE("the height at a moment and the worst stall come from the log") {
  auto log = parse_event_log(kLog).value();
  CHECK(height_at(log, 6) == 1u);
  CHECK(height_at(log, 12) == 2u);
  CHECK(worst_height(log) == 2u);  // two rounds
  CHECK_FALSE(conflict_height(log).has_value());
  auto forked = parse_event_log(std::string(kLog) +
                                R"({"t":31,"seq":10,"node":1,"kind":"committed","height":1,"round":0,"block":"cc","proposer":0})" "\n");
  CHECK(conflict_height(forked.value()) == 1u);
  const HeightStory story = tell_height(log, 2);
  REQUIRE(story.rounds.size() == 2);
  CHECK(story.rounds[0].proposer == 1);
  CHECK(story.rounds[1].start_reason == "timeout");
  CHECK(story.decided_round == 1u);
}
