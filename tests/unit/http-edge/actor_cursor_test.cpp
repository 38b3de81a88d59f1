// Admin list cursors: they round-trip, and anything edited, truncated or made
// for another filter is refused.
#include <catch2/catch.hpp>

#include "http-edge/admin/actor_cursor.hpp"

using namespace taskflow;
using edge::decode_actor_cursor;
using edge::encode_actor_cursor;

TEST_CASE("an actor cursor decodes to the position it was made from", "[actor_cursor]") {
  runtime::actor_position at{"task", "01a20f1d-e9b0-73d9-98cf-000000000001"};
  auto cursor = encode_actor_cursor(at, "filter");
  auto back = decode_actor_cursor(cursor, "filter");
  REQUIRE(back);
  CHECK(*back == at);
  CHECK(cursor.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
        std::string::npos);
}

TEST_CASE("a cursor for another filter, edited or truncated is refused", "[actor_cursor]") {
  auto cursor = encode_actor_cursor({"user", "01a20f1d-e9b0-73d9-98cf-000000000002"}, "a");
  CHECK_FALSE(decode_actor_cursor(cursor, "b"));
  CHECK_FALSE(decode_actor_cursor(cursor.substr(0, cursor.size() - 1), "a"));
  auto edited = cursor;
  edited[5] = edited[5] == 'A' ? 'B' : 'A';
  CHECK_FALSE(decode_actor_cursor(edited, "a"));
  CHECK_FALSE(decode_actor_cursor("", "a"));
  CHECK_FALSE(decode_actor_cursor("not a cursor!", "a"));
  CHECK_FALSE(decode_actor_cursor(std::string(600, 'A'), "a"));
}

TEST_CASE("a cursor never names an unknown actor type", "[actor_cursor]") {
  auto cursor = encode_actor_cursor({"tasks", "x"}, "f");
  CHECK_FALSE(decode_actor_cursor(cursor, "f"));
}
