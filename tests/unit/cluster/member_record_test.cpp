// The member record's JSON: a round trip, strict reading of every field, and
// tolerance of fields a newer node adds.
#include <catch2/catch.hpp>

#include "actors/ports/store_error.hpp"
#include "cluster/membership/member_record.hpp"

using namespace taskflow;

namespace {

cluster::member_record sample() {
  cluster::member_record r;
  r.id = "worker-1";
  r.roles = {"edge", "worker"};
  r.state = cluster::member_state::up;
  r.http_address = "127.0.0.1:8080";
  r.cluster_address = "127.0.0.1:4001";
  r.started_at_ms = 1'700'000'000'123;
  r.incarnation = 18'000'000'000'000'000'000ULL;
  r.handoff_ack = 7;
  return r;
}

std::string error_of(std::string_view json) {
  auto parsed = cluster::member_from_json(json);
  REQUIRE_FALSE(parsed);
  return ports::error_text(parsed.error());
}

}  // namespace

TEST_CASE("a member record survives its JSON form", "[member_record]") {
  auto r = sample();
  auto back = cluster::member_from_json(cluster::to_json(r));
  REQUIRE(back);
  CHECK(*back == r);
  CHECK(back->is_worker());
  CHECK(back->has_role("edge"));
  CHECK_FALSE(back->has_role("admin"));
}

TEST_CASE("member states have stable names", "[member_record]") {
  for (auto s : {cluster::member_state::joining, cluster::member_state::up, cluster::member_state::leaving})
    CHECK(cluster::member_state_from(cluster::to_string(s)) == s);
  CHECK(cluster::to_string(cluster::member_state::leaving) == "leaving");
  CHECK_FALSE(cluster::member_state_from("down"));
}

TEST_CASE("a member record is read strictly", "[member_record]") {
  CHECK(error_of("not json").find("not JSON") != std::string::npos);
  CHECK(error_of("[1]").find("not a JSON object") != std::string::npos);
  auto j = cluster::to_json(sample());
  auto without = [&](const std::string& field) {
    auto at = j.find("\"" + field + "\"");
    auto end = j.find_first_of(",}", j.find(':', at));
    if (j[end] == ',')
      ++end;
    return j.substr(0, at) + j.substr(end);
  };
  CHECK(error_of(without("incarnation")).find("missing \"incarnation\"") != std::string::npos);
  CHECK(error_of(without("http_address")).find("missing \"http_address\"") != std::string::npos);
  auto replaced = [&](const std::string& from, const std::string& to) {
    auto copy = j;
    copy.replace(copy.find(from), from.size(), to);
    return copy;
  };
  CHECK(error_of(replaced("\"handoff_ack\":7", "\"handoff_ack\":-1")).find("\"handoff_ack\" has the wrong type") !=
        std::string::npos);
  CHECK(error_of(replaced("\"state\":\"up\"", "\"state\":\"down\"")).find("unknown state") != std::string::npos);
  CHECK(error_of(replaced("\"id\":\"worker-1\"", "\"id\":\"\"")).find("empty \"id\"") != std::string::npos);
  CHECK(error_of(replaced("[\"edge\",\"worker\"]", "[\"edge\",1]")).find("\"roles\" has the wrong type") !=
        std::string::npos);
}

TEST_CASE("a member record ignores fields it does not know", "[member_record]") {
  auto j = cluster::to_json(sample());
  j.insert(1, "\"zone\":\"eu-1\",");
  auto parsed = cluster::member_from_json(j);
  REQUIRE(parsed);
  CHECK(*parsed == sample());
}
