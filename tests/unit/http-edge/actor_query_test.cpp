// The query of GET /admin/api/actors: defaults, bounds, and a field error
// for each bad value.
#include <catch2/catch.hpp>

#include "http-edge/admin/actor_cursor.hpp"
#include "http-edge/admin/actor_query.hpp"

using namespace taskflow;
using params = std::multimap<std::string, std::string>;

namespace {

std::vector<std::string> error_fields(const params& p) {
  auto parsed = edge::parse_actor_query(p);
  std::vector<std::string> out;
  if (auto* errors = std::get_if<messages::field_errors>(&parsed))
    for (const auto& e : *errors)
      out.push_back(e.field());
  return out;
}

}  // namespace

TEST_CASE("no parameters: every type and node, 50 per page", "[actor_query]") {
  auto parsed = edge::parse_actor_query({});
  REQUIRE(std::holds_alternative<runtime::actor_query>(parsed));
  const auto& q = std::get<runtime::actor_query>(parsed);
  CHECK(q.type.empty());
  CHECK(q.node.empty());
  CHECK(q.id_prefix.empty());
  CHECK(q.limit == 50);
  CHECK_FALSE(q.after);
}

TEST_CASE("filters and limit are taken as given when valid", "[actor_query]") {
  auto parsed = edge::parse_actor_query({{"type", "user"}, {"node", "n-2"}, {"prefix", "01a2"}, {"limit", "500"}});
  REQUIRE(std::holds_alternative<runtime::actor_query>(parsed));
  const auto& q = std::get<runtime::actor_query>(parsed);
  CHECK(q.type == "user");
  CHECK(q.node == "n-2");
  CHECK(q.id_prefix == "01a2");
  CHECK(q.limit == 500);
}

TEST_CASE("each bad value is named", "[actor_query]") {
  CHECK(error_fields({{"type", "tasks"}}) == std::vector<std::string>{"type"});
  CHECK(error_fields({{"limit", "0"}}) == std::vector<std::string>{"limit"});
  CHECK(error_fields({{"limit", "501"}}) == std::vector<std::string>{"limit"});
  CHECK(error_fields({{"limit", "ten"}}) == std::vector<std::string>{"limit"});
  CHECK(error_fields({{"node", ""}}) == std::vector<std::string>{"node"});
  CHECK(error_fields({{"prefix", std::string(65, 'a')}}) == std::vector<std::string>{"prefix"});
  CHECK(error_fields({{"cursor", "garbage"}}) == std::vector<std::string>{"cursor"});
  CHECK(error_fields({{"type", "x"}, {"limit", "-1"}}) == std::vector<std::string>{"type", "limit"});
}

TEST_CASE("a cursor continues only the filter it was made for", "[actor_query]") {
  runtime::actor_query tasks;
  tasks.type = "task";
  auto cursor = edge::encode_actor_cursor({"task", "abc"}, edge::actor_filter_of(tasks));
  auto same = edge::parse_actor_query({{"type", "task"}, {"cursor", cursor}, {"limit", "5"}});
  REQUIRE(std::holds_alternative<runtime::actor_query>(same));
  CHECK(std::get<runtime::actor_query>(same).after == runtime::actor_position{"task", "abc"});
  CHECK(error_fields({{"type", "user"}, {"cursor", cursor}}) == std::vector<std::string>{"cursor"});
  CHECK(error_fields({{"cursor", cursor}}) == std::vector<std::string>{"cursor"});
}

TEST_CASE("filters that differ never share a cursor", "[actor_query]") {
  runtime::actor_query a;
  a.node = "ab";
  a.id_prefix = "c";
  runtime::actor_query b;
  b.node = "a";
  b.id_prefix = "bc";
  CHECK(edge::actor_filter_of(a) != edge::actor_filter_of(b));
}
