// The outbox relay against in-memory ports: rows are fetched, published and
// only then marked sent, in commit order; whatever fails leaves the rows
// unsent for the next drain; ticks report the backlog and prune. Drains run
// on a manual executor, so each test steps them one at a time and every
// call on the fakes happens on the test's thread, in the order recorded.
#include <catch2/catch.hpp>

#include <algorithm>

#include <caf/send.hpp>

#include "messages/time/unix_clock.hpp"
#include "runtime/atoms.hpp"
#include "runtime/services/outbox_relay.hpp"
#include "tests/unit/support/manual_executor.hpp"
#include "tests/unit/support/test_actor_system.hpp"

using namespace taskflow;

namespace {

using journal = std::vector<std::string>;

caf::error refused(const char* what) {
  return ports::make_error(ports::store_errc::unavailable, what);
}

// Spends one of the failures a test injected.
bool fail_now(int& failures) {
  if (failures == 0)
    return false;
  --failures;
  return true;
}

// Rows with a sent flag, as the outbox table holds them.
class memory_outbox final : public ports::outbox_store {
public:
  explicit memory_outbox(journal& calls) : calls_(calls) {}

  void commit(std::int64_t seq) {
    messages::EventEnvelope event;
    event.set_event_id("e" + std::to_string(seq));
    rows_.push_back({{seq, std::move(event)}, false});
  }

  std::vector<std::int64_t> unsent() const {
    std::vector<std::int64_t> out;
    for (const auto& r : rows_)
      if (!r.sent)
        out.push_back(r.entry.seq);
    return out;
  }

  caf::expected<std::vector<ports::outbox_entry>> fetch_unsent(std::size_t limit) override {
    calls_.emplace_back("fetch");
    if (fail_now(fail_fetches))
      return refused("injected fetch failure");
    std::vector<ports::outbox_entry> out;
    for (const auto& r : rows_)
      if (!r.sent && out.size() < limit)
        out.push_back(r.entry);
    return out;
  }

  caf::expected<void> mark_sent(const std::vector<std::int64_t>& seqs) override {
    std::string call = "mark";
    for (auto seq : seqs)
      call += " " + std::to_string(seq);
    calls_.push_back(call);
    if (fail_now(fail_marks))
      return refused("injected mark failure");
    for (auto& r : rows_)
      r.sent = r.sent || std::find(seqs.begin(), seqs.end(), r.entry.seq) != seqs.end();
    return caf::unit;
  }

  caf::expected<std::int64_t> backlog() override {
    calls_.emplace_back("backlog");
    return static_cast<std::int64_t>(unsent().size());
  }

  caf::expected<std::int64_t> prune_sent(std::int64_t older_than_ms) override {
    calls_.emplace_back("prune");
    prune_cutoffs.push_back(older_than_ms);
    auto before = rows_.size();
    rows_.erase(std::remove_if(rows_.begin(), rows_.end(), [](const row& r) { return r.sent; }), rows_.end());
    return static_cast<std::int64_t>(before - rows_.size());
  }

  int fail_fetches = 0;
  int fail_marks = 0;
  std::vector<std::int64_t> prune_cutoffs;

private:
  struct row {
    ports::outbox_entry entry;
    bool sent;
  };
  journal& calls_;
  std::vector<row> rows_;
};

// Takes every batch unless told to refuse; keeps what it took.
class recording_bus final : public ports::event_bus {
public:
  explicit recording_bus(journal& calls) : calls_(calls) {}

  caf::expected<void> declare_consumer(const std::string&, ports::consumer_scope) override { return caf::unit; }

  caf::expected<void> publish(const std::vector<messages::EventEnvelope>& events, std::chrono::milliseconds) override {
    std::string call = "publish";
    for (const auto& e : events)
      call += " " + e.event_id();
    calls_.push_back(call);
    if (during_publish)
      std::exchange(during_publish, nullptr)();
    if (fail_now(fail_publishes))
      return refused("injected publish failure");
    for (const auto& e : events)
      taken.push_back(e.event_id());
    return caf::unit;
  }

  caf::expected<std::unique_ptr<ports::bus_subscription>> subscribe(const std::string&, ports::bus_handler) override {
    return refused("the relay only publishes");
  }

  int fail_publishes = 0;
  std::vector<std::string> taken;
  // Runs once, inside the next publish: what happens while a drain is out.
  std::function<void()> during_publish;

private:
  journal& calls_;
};

struct relay_fixture {
  // Outlives the actor system: a job never run holds the relay's handle
  // until discarded.
  testing::manual_executor pool;
  testing::test_config cfg;
  caf::actor_system sys{cfg};
  runtime::logger log{runtime::log_level::error};
  runtime::metrics stats;
  journal calls;
  std::shared_ptr<memory_outbox> outbox = std::make_shared<memory_outbox>(calls);
  std::shared_ptr<recording_bus> bus = std::make_shared<recording_bus>(calls);
  runtime::outbox_relay_config config;
  caf::actor relay;

  relay_fixture() {
    config.batch_size = 2;
    // Only the first tick, at spawn, and the ones a test sends.
    config.poll_interval = std::chrono::hours{1};
  }

  ~relay_fixture() {
    testing::stop_actor(sys, relay);
    pool.discard();
  }

  // Each of these runs one drain and returns the calls it made on the ports.
  // start(): the drain of the first tick, which the relay sends itself.
  journal start() {
    relay = sys.spawn(runtime::outbox_relay, config, runtime::outbox_relay_deps{outbox, bus, &pool, &log, &stats});
    return next_drain();
  }
  journal nudged() {
    nudge();
    return next_drain();
  }
  journal ticked() {
    caf::anon_send(relay, runtime::tick_atom::value);
    return next_drain();
  }
  // The drain the relay has asked for already.
  journal next_drain() {
    REQUIRE(pool.run_next());
    return std::exchange(calls, {});
  }

  // What a commit does after writing its outbox rows.
  void nudge() { caf::anon_send(relay, runtime::nudge_atom::value); }
};

}  // namespace

TEST_CASE("unsent rows are published in commit order, batch by batch, and marked sent after the bus took them",
          "[unit][outbox_relay]") {
  relay_fixture f;
  for (int seq = 1; seq <= 5; ++seq)
    f.outbox->commit(seq);
  CHECK(f.start() == journal{"backlog", "fetch", "publish e1 e2", "mark 1 2", "fetch", "publish e3 e4", "mark 3 4",
                             "fetch", "publish e5", "mark 5"});
  CHECK(f.outbox->unsent().empty());
  CHECK(f.bus->taken == std::vector<std::string>{"e1", "e2", "e3", "e4", "e5"});
  CHECK(f.stats.events_published.Value() == 5);
  CHECK(f.stats.publish_failures.Value() == 0);
}

TEST_CASE("a full last batch makes the drain look once more for rows", "[unit][outbox_relay]") {
  relay_fixture f;
  for (int seq = 1; seq <= 4; ++seq)
    f.outbox->commit(seq);
  CHECK(f.start() ==
        journal{"backlog", "fetch", "publish e1 e2", "mark 1 2", "fetch", "publish e3 e4", "mark 3 4", "fetch"});
}

TEST_CASE("a publish the bus refuses leaves its rows unsent, and the next drain publishes them",
          "[unit][outbox_relay]") {
  relay_fixture f;
  for (int seq = 1; seq <= 3; ++seq)
    f.outbox->commit(seq);
  f.bus->fail_publishes = 1;
  // Nothing after the refused batch: no mark, no later batch.
  CHECK(f.start() == journal{"backlog", "fetch", "publish e1 e2"});
  CHECK(f.outbox->unsent() == std::vector<std::int64_t>{1, 2, 3});
  CHECK(f.bus->taken.empty());
  CHECK(f.stats.publish_failures.Value() == 1);
  CHECK(f.stats.events_published.Value() == 0);

  CHECK(f.nudged() == journal{"fetch", "publish e1 e2", "mark 1 2", "fetch", "publish e3", "mark 3"});
  CHECK(f.outbox->unsent().empty());
  CHECK(f.bus->taken == std::vector<std::string>{"e1", "e2", "e3"});
  CHECK(f.stats.publish_failures.Value() == 1);
  CHECK(f.stats.events_published.Value() == 3);
}

TEST_CASE("rows the bus took but the store could not mark are published again", "[unit][outbox_relay]") {
  // At least once: the bus drops the repeat by event id, consumers by inbox.
  relay_fixture f;
  f.outbox->commit(1);
  f.outbox->fail_marks = 1;
  CHECK(f.start() == journal{"backlog", "fetch", "publish e1", "mark 1"});
  CHECK(f.outbox->unsent() == std::vector<std::int64_t>{1});
  CHECK(f.stats.events_published.Value() == 0);

  CHECK(f.nudged() == journal{"fetch", "publish e1", "mark 1"});
  CHECK(f.outbox->unsent().empty());
  CHECK(f.bus->taken == std::vector<std::string>{"e1", "e1"});
  CHECK(f.stats.events_published.Value() == 1);
}

TEST_CASE("an outbox that cannot be read publishes nothing until it answers again", "[unit][outbox_relay]") {
  relay_fixture f;
  f.outbox->commit(1);
  f.outbox->fail_fetches = 1;
  CHECK(f.start() == journal{"backlog", "fetch"});
  CHECK(f.bus->taken.empty());

  CHECK(f.nudged() == journal{"fetch", "publish e1", "mark 1"});
  CHECK(f.outbox->unsent().empty());
}

TEST_CASE("a row committed while a drain is out is published by the drain its nudge makes", "[unit][outbox_relay]") {
  relay_fixture f;
  f.outbox->commit(1);
  f.bus->during_publish = [&f] {
    f.outbox->commit(2);
    f.nudge();
  };
  // The drain already running does not see it: its batch was not full.
  CHECK(f.start() == journal{"backlog", "fetch", "publish e1", "mark 1"});
  CHECK(f.outbox->unsent() == std::vector<std::int64_t>{2});

  CHECK(f.next_drain() == journal{"fetch", "publish e2", "mark 2"});
  CHECK(f.outbox->unsent().empty());
}

TEST_CASE("each tick reports the rows waiting before its drain as the backlog", "[unit][outbox_relay]") {
  relay_fixture f;
  for (int seq = 1; seq <= 3; ++seq)
    f.outbox->commit(seq);
  f.bus->fail_publishes = 1;  // the bus is away at the first tick
  f.start();
  CHECK(f.stats.outbox_backlog.Value() == 3);
  CHECK(f.outbox->unsent().size() == 3);

  // The bus is back: the backlog is read before this drain empties it ...
  f.ticked();
  CHECK(f.stats.outbox_backlog.Value() == 3);
  CHECK(f.outbox->unsent().empty());

  // ... and the next tick shows what it left.
  f.ticked();
  CHECK(f.stats.outbox_backlog.Value() == 0);
}

TEST_CASE("a nudge drains without reading the backlog", "[unit][outbox_relay]") {
  relay_fixture f;
  f.start();
  f.outbox->commit(1);
  CHECK(f.nudged() == journal{"fetch", "publish e1", "mark 1"});
}

TEST_CASE("sent rows older than keep_sent are pruned on every 300th tick", "[unit][outbox_relay]") {
  relay_fixture f;
  f.config.keep_sent = std::chrono::minutes{30};
  f.outbox->commit(1);
  auto started_ms = clock::unix_now_ms();
  f.start();  // tick 1
  for (int tick = 2; tick < 300; ++tick)
    f.ticked();
  CHECK(f.outbox->prune_cutoffs.empty());
  auto last = f.ticked();
  CHECK(last == journal{"backlog", "prune", "fetch"});
  REQUIRE(f.outbox->prune_cutoffs.size() == 1);
  auto keep_ms = std::chrono::milliseconds{f.config.keep_sent}.count();
  CHECK(f.outbox->prune_cutoffs[0] >= started_ms - keep_ms);
  CHECK(f.outbox->prune_cutoffs[0] <= clock::unix_now_ms() - keep_ms);
}
