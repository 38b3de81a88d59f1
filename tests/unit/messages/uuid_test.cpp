// UUIDv7 ids: canonical form, version and variant bits, time order.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "messages/ids/uuid.hpp"

using namespace taskflow;

TEST_CASE("new ids are canonical version-7 UUIDs with the RFC 9562 variant", "[uuid]") {
  auto id = ids::new_uuid_v7();
  CHECK(ids::is_uuid(id));
  CHECK(id[14] == '7');
  CHECK(std::string{"89ab"}.find(id[19]) != std::string::npos);
  for (char c : id)
    CHECK((c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')));
}

TEST_CASE("ids minted in a row are unique and sort by creation", "[uuid]") {
  std::vector<std::string> made;
  for (int i = 0; i < 20'000; ++i)
    made.push_back(ids::new_uuid_v7());
  CHECK(std::set<std::string>(made.begin(), made.end()).size() == made.size());
  CHECK(std::is_sorted(made.begin(), made.end()));
}

TEST_CASE("ids minted on many threads at once never collide", "[uuid]") {
  std::mutex mutex;
  std::set<std::string> seen;
  std::size_t made = 0;
  std::vector<std::thread> minters;
  for (int t = 0; t < 4; ++t)
    minters.emplace_back([&] {
      std::vector<std::string> mine;
      // More than one thread-local pool of random bytes holds.
      for (int i = 0; i < 2'000; ++i)
        mine.push_back(ids::new_uuid_v7());
      std::lock_guard lock{mutex};
      made += mine.size();
      seen.insert(mine.begin(), mine.end());
    });
  for (auto& t : minters)
    t.join();
  CHECK(made == 8'000);
  CHECK(seen.size() == made);
}

TEST_CASE("the embedded time is the minting time", "[uuid]") {
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                 .count();
  auto ms = ids::uuid_v7_millis(ids::new_uuid_v7());
  CHECK(ms >= now);
  CHECK(ms - now < 5'000);
  CHECK(ids::uuid_v7_millis("550e8400-e29b-41d4-a716-446655440000") == 0);  // version 4
}

TEST_CASE("is_uuid accepts only the canonical 8-4-4-4-12 form", "[uuid]") {
  CHECK(ids::is_uuid("550e8400-e29b-41d4-a716-446655440000"));
  CHECK(ids::is_uuid("550E8400-E29B-41D4-A716-446655440000"));
  CHECK_FALSE(ids::is_uuid("550e8400e29b41d4a716446655440000"));
  CHECK_FALSE(ids::is_uuid("550e8400-e29b-41d4-a716-44665544000"));
  CHECK_FALSE(ids::is_uuid("550e8400-e29b-41d4-a716-44665544000g"));
  CHECK_FALSE(ids::is_uuid("{550e8400-e29b-41d4-a716-446655440000}"));
  CHECK_FALSE(ids::is_uuid(""));
}

TEST_CASE("name-based ids are the RFC's version-5 UUIDs and depend on every input", "[uuid]") {
  const std::string dns = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
  // The value Python's uuid.uuid5(uuid.NAMESPACE_DNS, "www.example.com") gives.
  CHECK(ids::uuid_v5(dns, "www.example.com") == "2ed6657d-e927-568b-95e1-2665a8aea6a2");
  CHECK(ids::uuid_v5(dns, "www.example.org") != ids::uuid_v5(dns, "www.example.com"));
  CHECK(ids::uuid_v5("65a23f31-614b-472b-8744-59d0e5388f94", "www.example.com") !=
        ids::uuid_v5(dns, "www.example.com"));
  CHECK_THROWS_AS(ids::uuid_v5("not-a-uuid", "x"), std::invalid_argument);
}
