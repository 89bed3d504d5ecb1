// events.jsonl's pieces on their own: a height range parses and rejects what it should, an
// event's line carries the documented fields in order, and the sink keeps only what the filter
// lets through, numbering the lines it writes.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/events/event_sink.hpp"

using namespace mt;
using namespace mt::sim;

TEST_CASE("height ranges: A..B, A.., ..B and one height; garbage and empty ranges are errors") {
  auto r = parse_height_range("3..7");
  REQUIRE(r.ok());
  CHECK(r.value().min == 3);
  CHECK(r.value().max == 7);
  CHECK(r.value().contains(7));
  CHECK_FALSE(r.value().contains(8));
  CHECK(parse_height_range("5..").value().max == UINT64_MAX);
  CHECK(parse_height_range("..5").value().min == 0);
  CHECK(parse_height_range("4").value().min == 4);
  CHECK(parse_height_range("4").value().max == 4);
  CHECK_FALSE(parse_height_range("..").ok());
  CHECK_FALSE(parse_height_range("a..b").ok());
  CHECK_FALSE(parse_height_range("9..3").ok());
  CHECK(parse_height_range("3..7").value().to_string() == "3..7");
}

TEST_CASE("an event line has t, seq, node and kind first, then the kind's fields; nil is null") {
  std::string line;
  Hash32 block;
  block.data[0] = 0xab;
  append_event_json(line, 1'500'000, 9, 2, Event(VoteCast{VoteType::prevote, 4, 1, block, 0}), {});
  CHECK(line ==
        "{\"t\":1500000,\"seq\":9,\"node\":2,\"kind\":\"vote\",\"type\":\"prevote\",\"height\":4,\"round\":1,"
        "\"block\":\"ab00000000000000\",\"locked_round\":0}\n");
  line.clear();
  Address proposer;
  proposer.data[1] = 7;
  append_event_json(line, 10, 0, 0, Event(ConsensusEvent(RoundStarted{4, 2, RoundReason::timeout, proposer})),
                    {{proposer, 3}});
  CHECK(line == "{\"t\":10,\"seq\":0,\"node\":0,\"kind\":\"round_started\",\"height\":4,\"round\":2,"
                "\"reason\":\"timeout\",\"proposer\":3}\n");
  line.clear();
  append_event_json(line, 10, 1, 0, Event(ConsensusEvent(PolkaSeen{4, 2, Hash32{}})), {});
  CHECK(line.find("\"block\":null") != std::string::npos);
}

TEST_CASE("the sink writes the node table, then only events passing the height and node filter") {
  const auto path = std::filesystem::temp_directory_path() / "mtsim-event-sink-test.jsonl";
  EventFilter filter;
  filter.heights = parse_height_range("2..3").value();
  filter.nodes = {true, false};
  std::vector<EventNode> nodes(2);
  nodes[0].name = "a[0]";
  nodes[1].name = "a[1]";
  nodes[0].stake = nodes[1].stake = "1000";
  auto sink = EventSink::open(path.string(), filter, nodes);
  REQUIRE(sink.ok());
  sink.value()->on_event(0, 5, Event(SyncFinished{1}));  // height 1: filtered out
  sink.value()->on_event(0, 6, Event(SyncFinished{2}));  // kept
  sink.value()->on_event(1, 7, Event(SyncFinished{2}));  // node 1: filtered out
  sink.value()->on_world(8, WorldEvent{"crash", "c1", "crash", "a[1]", {1}});  // world events always pass
  REQUIRE(sink.value()->close().ok());
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string text = ss.str();
  CHECK(sink.value()->lines() == 4);  // two node_info lines, one event, one world event
  CHECK(text.find("\"kind\":\"node_info\",\"name\":\"a[1]\"") != std::string::npos);
  CHECK(text.find("\"seq\":2,\"node\":0,\"kind\":\"sync_finished\",\"height\":2") != std::string::npos);
  CHECK(text.find("\"height\":1}") == std::string::npos);
  CHECK(text.find("\"seq\":3,\"node\":1,\"kind\":\"crash\",\"fault\":\"c1\"") != std::string::npos);
  std::filesystem::remove(path);
}
