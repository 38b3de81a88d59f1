// Rendezvous placement of shards on workers: the same table everywhere, an
// even spread, and a join or a leave among N workers moves about 1/N of the
// shards, all of them to or from that worker and none between the others.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <map>
#include <random>
#include <sstream>

#include "cluster/placement/shard_placement.hpp"

using namespace taskflow;

namespace {

constexpr std::uint32_t shards = 1024;

std::vector<std::string> workers(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i)
    out.push_back("worker-" + std::to_string(i));
  return out;
}

std::map<std::string, int> counts(const std::vector<std::string>& owners) {
  std::map<std::string, int> out;
  for (const auto& o : owners)
    ++out[o];
  return out;
}

}  // namespace

TEST_CASE("placement is deterministic and ignores the order of the workers", "[placement]") {
  auto ws = workers(5);
  auto first = cluster::place_shards(shards, ws);
  CHECK(cluster::place_shards(shards, ws) == first);
  std::mt19937 rng{42};
  for (int round = 0; round < 5; ++round) {
    std::shuffle(ws.begin(), ws.end(), rng);
    CHECK(cluster::place_shards(shards, ws) == first);
  }
  for (std::uint32_t s = 0; s < shards; s += 97)
    CHECK(cluster::rendezvous_owner(s, ws) == first[s]);
}

TEST_CASE("placement pins a few known owners, so every platform agrees", "[placement]") {
  // Fixed values: a change here changes every cluster's table, so a rolling
  // upgrade would run two placements at once.
  auto ws = workers(3);
  auto owners = cluster::place_shards(8, ws);
  std::ostringstream table;
  for (const auto& o : owners)
    table << o.back();
  INFO("owners of shards 0..7: " << table.str());
  CHECK(table.str() == "22012021");
}

TEST_CASE("no workers own nothing, one worker owns everything", "[placement]") {
  CHECK(cluster::rendezvous_owner(3, {}).empty());
  auto none = cluster::place_shards(4, {});
  CHECK(none == std::vector<std::string>(4));
  auto one = cluster::place_shards(shards, {"solo"});
  CHECK(std::all_of(one.begin(), one.end(), [](const auto& o) { return o == "solo"; }));
}

TEST_CASE("each of N workers owns roughly 1024/N shards", "[placement]") {
  for (int n = 2; n <= 8; ++n) {
    auto per = counts(cluster::place_shards(shards, workers(n)));
    REQUIRE(per.size() == static_cast<std::size_t>(n));
    double fair = static_cast<double>(shards) / n;
    for (const auto& [id, count] : per) {
      INFO("N=" << n << " " << id << " owns " << count << ", fair share " << fair);
      CHECK(count >= fair * 0.65);
      CHECK(count <= fair * 1.35);
    }
  }
}

TEST_CASE("moved_shards lists exactly the shards whose owner changed", "[placement]") {
  std::vector<std::string> before{"a", "b", "a", "c"};
  std::vector<std::string> after{"a", "a", "a", "b"};
  CHECK(cluster::moved_shards(before, after) == std::vector<std::uint32_t>{1, 3});
  CHECK(cluster::moved_shards(before, before).empty());
}

TEST_CASE("a join or a leave among N workers moves about 1/(N+1) of the shards and no others", "[placement]") {
  std::ostringstream table;
  table << "\n  N -> N+1   moved on join   moved on leave   expected ~1024/(N+1)\n";
  for (int n = 1; n <= 8; ++n) {
    auto small = workers(n);
    auto big = workers(n + 1);
    const auto& newcomer = big.back();
    auto before = cluster::place_shards(shards, small);
    auto after = cluster::place_shards(shards, big);

    // Join: every moved shard goes to the newcomer; nothing moves between the others.
    auto joined = cluster::moved_shards(before, after);
    for (auto s : joined) {
      INFO("N=" << n << " shard " << s << " moved " << before[s] << " -> " << after[s]);
      CHECK(after[s] == newcomer);
    }
    // Leave (the reverse): only the leaving worker's shards move.
    auto left = cluster::moved_shards(after, before);
    for (auto s : left) {
      INFO("N=" << n + 1 << " shard " << s << " moved " << after[s] << " -> " << before[s]);
      CHECK(after[s] == newcomer);
    }
    CHECK(left.size() == static_cast<std::size_t>(counts(after)[newcomer]));

    double expected = static_cast<double>(shards) / (n + 1);
    table << "  " << n << " -> " << n + 1 << std::setw(15) << joined.size() << std::setw(17) << left.size()
          << std::setw(19) << std::fixed << std::setprecision(1) << expected << "\n";
    INFO("N=" << n << " moved " << joined.size() << ", expected about " << expected);
    CHECK(static_cast<double>(joined.size()) >= expected * 0.65);
    CHECK(static_cast<double>(joined.size()) <= expected * 1.35);
  }
  // Also leaving a worker from the middle, not only the last one added.
  auto six = workers(6);
  auto five = six;
  five.erase(five.begin() + 2);
  auto before = cluster::place_shards(shards, six);
  auto after = cluster::place_shards(shards, five);
  auto moved = cluster::moved_shards(before, after);
  for (auto s : moved)
    CHECK(before[s] == six[2]);
  table << "  6 -> 5 (worker-2 leaves): moved " << moved.size() << ", expected ~" << shards / 6 << "\n";
  std::cout << table.str() << std::flush;
}

TEST_CASE("placing 1024 shards on 10 workers takes microseconds", "[placement]") {
  auto ws = workers(10);
  auto start = std::chrono::steady_clock::now();
  constexpr int rounds = 100;
  std::size_t sink = 0;
  for (int i = 0; i < rounds; ++i)
    sink += cluster::place_shards(shards, ws).size();
  auto each = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start) / rounds;
  std::cout << "place_shards(1024, 10 workers): " << each.count() << " us\n" << std::flush;
  CHECK(sink == rounds * shards);
  CHECK(each < std::chrono::milliseconds{5});
}
