// The node's reminder timers as plain data, with the time passed in: what
// rings when, what a scan and the tasks' announcements change, how a backlog
// drains without a storm, and what a handoff drops.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "runtime/timers/reminder_wheel.hpp"

using namespace taskflow;
using namespace taskflow::runtime;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> ids(const std::vector<ports::reminder_timer>& timers) {
  std::vector<std::string> out;
  for (const auto& t : timers)
    out.push_back(t.task_id);
  return out;
}

}  // namespace

TEST_CASE("timers ring at their time, earliest first, once", "[reminder_wheel]") {
  reminder_wheel wheel;
  wheel.scan_began(10'000);
  wheel.loaded({{"b", 2000}, {"a", 1000}, {"c", 3000}});
  CHECK(wheel.next_due_at() == 1000);
  CHECK(wheel.take_due(999).empty());
  CHECK(ids(wheel.take_due(2000)) == std::vector<std::string>{"a", "b"});
  CHECK(wheel.next_due_at() == 3000);
  CHECK(wheel.in_flight() == 2);
  wheel.answered("a");
  wheel.answered("b");
  CHECK(wheel.take_due(2500).empty());
  CHECK(ids(wheel.take_due(9000)) == std::vector<std::string>{"c"});
  CHECK_FALSE(wheel.next_due_at());
}

TEST_CASE("a task holds one timer: an announcement moves or cancels it", "[reminder_wheel]") {
  reminder_wheel wheel;
  wheel.scan_began(10'000);
  wheel.loaded({{"a", 1000}});
  wheel.announced("a", 5000);
  CHECK(wheel.held() == 1);
  CHECK(wheel.take_due(4000).empty());
  wheel.announced("a", std::nullopt);
  CHECK(wheel.held() == 0);
  CHECK(wheel.take_due(20'000).empty());
}

TEST_CASE("an announcement beyond the horizon is left to a later scan", "[reminder_wheel]") {
  reminder_wheel wheel;
  wheel.scan_began(10'000);
  wheel.loaded({{"a", 1000}});
  wheel.announced("a", 10'001);
  CHECK(wheel.held() == 0);
  wheel.announced("b", 10'000);
  CHECK(wheel.held() == 1);
  // The next scan reaches further and takes announcements up to there.
  wheel.scan_began(20'000);
  wheel.announced("a", 10'001);
  CHECK(wheel.held() == 2);
}

TEST_CASE("a backlog rings at most max_in_flight at once and drains as rings are answered", "[reminder_wheel]") {
  reminder_wheel wheel{{3, 10'000, 1s}};
  wheel.scan_began(100'000);
  std::vector<ports::reminder_timer> backlog;
  for (int i = 0; i < 10; ++i)
    backlog.push_back({"t" + std::to_string(i), 1000 + i});
  wheel.loaded(backlog);
  auto now = 50'000;  // the node was down through all of them
  auto first = wheel.take_due(now);
  CHECK(ids(first) == std::vector<std::string>{"t0", "t1", "t2"});
  CHECK(wheel.take_due(now).empty());
  CHECK_FALSE(wheel.next_due_at());  // nothing may leave until an answer
  wheel.answered("t0");
  CHECK(wheel.next_due_at() == 1003);
  CHECK(ids(wheel.take_due(now)) == std::vector<std::string>{"t3"});
  std::size_t rung = 4;
  for (const auto& id : std::vector<std::string>{"t1", "t2", "t3"})
    wheel.answered(id);
  for (auto batch = wheel.take_due(now); !batch.empty(); batch = wheel.take_due(now)) {
    rung += batch.size();
    for (const auto& t : batch)
      wheel.answered(t.task_id);
  }
  CHECK(rung == 10);  // each task once
  CHECK(wheel.held() == 0);
}

TEST_CASE("a failed ring rings again after a pause, unless the task announced meanwhile", "[reminder_wheel]") {
  reminder_wheel wheel{{64, 10'000, 1s}};
  wheel.scan_began(100'000);
  wheel.loaded({{"a", 1000}, {"b", 1000}});
  REQUIRE(wheel.take_due(1000).size() == 2);
  wheel.failed("a", 1500);
  CHECK(wheel.next_due_at() == 2500);
  CHECK(wheel.take_due(2499).empty());
  // b's ring reached the task, which announced its next timer, but the answer was lost.
  wheel.announced("b", 7000);
  wheel.failed("b", 1500);
  CHECK(ids(wheel.take_due(2500)) == std::vector<std::string>{"a"});
  CHECK(wheel.next_due_at() == 7000);
}

TEST_CASE("a scan does not overwrite a ring in flight", "[reminder_wheel]") {
  reminder_wheel wheel;
  wheel.scan_began(100'000);
  wheel.loaded({{"a", 1000}});
  REQUIRE(wheel.take_due(1000).size() == 1);
  // A scan read the row before the ring's commit moved its timer.
  wheel.loaded({{"a", 1000}});
  CHECK(wheel.held() == 0);
  wheel.answered("a");
}

TEST_CASE("timers of shards handed away are dropped", "[reminder_wheel]") {
  reminder_wheel wheel;
  wheel.scan_began(100'000);
  wheel.loaded({{"mine", 1000}, {"theirs", 1000}, {"mine-too", 2000}});
  wheel.retain([](const std::string& id) { return id.rfind("mine", 0) == 0; });
  CHECK(ids(wheel.take_due(5000)) == std::vector<std::string>{"mine", "mine-too"});
}

TEST_CASE("the wheel says when it is full, so a scan stops loading", "[reminder_wheel]") {
  reminder_wheel wheel{{64, 2, 1s}};
  wheel.scan_began(100'000);
  wheel.loaded({{"a", 1}});
  CHECK_FALSE(wheel.full());
  wheel.loaded({{"b", 2}});
  CHECK(wheel.full());
}

TEST_CASE("a timer rings with the traceparent of the write that set it, kept through a retry", "[reminder_wheel]") {
  reminder_wheel wheel;
  wheel.scan_began(10'000);
  wheel.loaded({{"a", 1000, "00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01"}});
  auto due = wheel.take_due(1000);
  REQUIRE(due.size() == 1);
  CHECK(due[0].traceparent == "00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01");
  wheel.failed("a", 1000);
  due = wheel.take_due(5000);
  REQUIRE(due.size() == 1);
  CHECK(due[0].traceparent == "00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01");
  // A ring's own announcement (nothing written) keeps the write's; a new write replaces it.
  wheel.announced("a", 6000, "");
  CHECK(wheel.take_due(6000).front().traceparent == "00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01");
  wheel.answered("a");
  wheel.announced("a", 7000, "00-cccccccccccccccccccccccccccccccc-dddddddddddddddd-01");
  CHECK(wheel.take_due(7000).front().traceparent == "00-cccccccccccccccccccccccccccccccc-dddddddddddddddd-01");
}
