// Read-your-writes fence: a list waits until the read model holds the
// client's write, and gives up (false) when the projector is too slow, the
// store cannot tell or the pool is full, never keeping the client forever.
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include "actors/ports/services/read_model_store.hpp"
#include "runtime/edge_api/read_fence.hpp"
#include "tests/unit/support/inline_executor.hpp"
#include "tests/unit/support/test_actor_system.hpp"

using namespace taskflow;
using namespace std::chrono_literals;

namespace {

// The projector's progress on one task: it reaches `final_mark` after
// `checks_before_caught_up` looks, or fails every look when `broken`.
class lagging_read_model final : public ports::read_model_store {
public:
  ports::view_mark final_mark;
  int checks_before_caught_up = 0;
  bool broken = false;
  std::atomic<int> checks{0};

  caf::expected<std::vector<ports::projection_outcome>> project(const std::string&,
                                                                const std::vector<messages::EventEnvelope>&) override {
    return caf::make_error(caf::sec::feature_disabled);
  }
  caf::expected<messages::TaskPage> list_tasks(const messages::ListTasksQuery&) override {
    return caf::make_error(caf::sec::feature_disabled);
  }
  caf::expected<messages::TaskPage> list_tasks_keyset(const messages::ListTasksQuery&) override {
    return caf::make_error(caf::sec::feature_disabled);
  }
  caf::expected<ports::view_mark> view_mark_of(const std::string& task_id) override {
    // Called on the fence's threads, where Catch's assertions may not run.
    auto seen = ++checks;
    if (broken || task_id != "t-1")
      return caf::make_error(caf::sec::runtime_error, "store down");
    if (seen <= checks_before_caught_up)
      return ports::view_mark{};
    return final_mark;
  }
  caf::expected<void> ping() override { return {}; }
};

class full_pool final : public ports::blocking_executor {
public:
  bool post(std::function<void()>) override { return false; }
};

struct fence_setup {
  testing::test_config cfg;
  caf::actor_system system{cfg};
  testing::inline_executor pool;
  std::shared_ptr<lagging_read_model> read_model = std::make_shared<lagging_read_model>();

  // The fence's answer for `position`, and how long it took.
  std::pair<bool, std::chrono::milliseconds> await(runtime::read_position position, std::chrono::milliseconds wait) {
    runtime::read_fence fence{system, pool, read_model};
    auto answered = std::make_shared<std::promise<bool>>();
    auto started = std::chrono::steady_clock::now();
    fence.await(std::move(position), wait, [answered](bool caught_up) { answered->set_value(caught_up); });
    auto result = answered->get_future();
    REQUIRE(result.wait_for(5s) == std::future_status::ready);
    return {result.get(),
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)};
  }
};

}  // namespace

TEST_CASE("a list after a write the read model already holds goes ahead at once", "[read_fence]") {
  fence_setup s;
  s.read_model->final_mark = {7, false};
  auto [caught_up, took] = s.await({"t-1", 7, false}, 1s);
  CHECK(caught_up);
  CHECK(s.read_model->checks == 1);
  CHECK(took < 500ms);
}

TEST_CASE("a newer version than the write also lets the list go ahead", "[read_fence]") {
  fence_setup s;
  s.read_model->final_mark = {9, false};
  CHECK(s.await({"t-1", 7, false}, 1s).first);
}

TEST_CASE("the fence looks again until the projector has passed the write", "[read_fence]") {
  fence_setup s;
  s.read_model->final_mark = {3, false};
  s.read_model->checks_before_caught_up = 3;
  CHECK(s.await({"t-1", 3, false}, 2s).first);
  CHECK(s.read_model->checks == 4);
}

TEST_CASE("a deletion is held only once the read model shows the task deleted", "[read_fence]") {
  fence_setup s;
  s.read_model->final_mark = {4, true};
  s.read_model->checks_before_caught_up = 2;
  CHECK(s.await({"t-1", 4, true}, 2s).first);
  CHECK(s.read_model->checks == 3);

  fence_setup live;
  live.read_model->final_mark = {12, false};
  CHECK_FALSE(live.await({"t-1", 4, true}, 50ms).first);
}

TEST_CASE("a projector that stays behind lets the list go without the write when the wait is over", "[read_fence]") {
  fence_setup s;
  s.read_model->final_mark = {1, false};
  auto [caught_up, took] = s.await({"t-1", 2, false}, 60ms);
  CHECK_FALSE(caught_up);
  CHECK(took >= 50ms);
  CHECK(took < 2s);
  CHECK(s.read_model->checks > 1);
}

TEST_CASE("a read model that cannot say where it stands ends the wait at once", "[read_fence]") {
  fence_setup s;
  s.read_model->broken = true;
  auto [caught_up, took] = s.await({"t-1", 1, false}, 2s);
  CHECK_FALSE(caught_up);
  CHECK(s.read_model->checks == 1);
  CHECK(took < 1s);
}

TEST_CASE("with the store pool full the fence answers on the caller's thread without waiting", "[read_fence]") {
  testing::test_config cfg;
  caf::actor_system system{cfg};
  full_pool pool;
  auto read_model = std::make_shared<lagging_read_model>();
  runtime::read_fence fence{system, pool, read_model};
  std::optional<bool> answer;
  fence.await({"t-1", 1, false}, 2s, [&answer](bool caught_up) { answer = caught_up; });
  REQUIRE(answer);
  CHECK_FALSE(*answer);
  CHECK(read_model->checks == 0);
}
