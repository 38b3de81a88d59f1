#include <catch2/catch.hpp>

#include "persistence/postgres/pg_array.hpp"

using taskflow::persistence::pg_array;

TEST_CASE("an empty array is braces only", "[pg_array]") {
  CHECK(pg_array{}.literal() == "{}");
  CHECK(pg_array{}.size() == 0);
}

TEST_CASE("text elements are quoted, with quotes and backslashes escaped", "[pg_array]") {
  pg_array a;
  a.add(std::string_view{"plain"}).add(std::string_view{"say \"hi\""}).add(std::string_view{"back\\slash"});
  a.add(std::string_view{"{a,b} NULL"}).add(std::string_view{""});
  CHECK(a.literal() == R"({"plain","say \"hi\"","back\\slash","{a,b} NULL",""})");
  CHECK(a.size() == 5);
}

TEST_CASE("numbers, booleans and nulls are bare", "[pg_array]") {
  pg_array a;
  a.add(std::int64_t{-42}).add(std::int64_t{9007199254740993}).add(true).add(false).add_null();
  a.add(std::optional<std::string>{}).add(std::optional<std::string>{"NULL"});
  CHECK(a.literal() == R"({-42,9007199254740993,t,f,NULL,NULL,"NULL"})");
}
