// The edge's in-flight budget: past it a request gets 503 with Retry-After at
// once, probes pass regardless, and a slot comes back when its answer does;
// the refusals are logged as a summary, not a line each.
#include <catch2/catch.hpp>

#include <optional>
#include <vector>

#include "http-edge/middleware/admission.hpp"
#include "http-edge/middleware/shed_summary.hpp"
#include "http-edge/routing/router.hpp"
#include "http-edge/server/request_pipeline.hpp"
#include "runtime/config/config.hpp"
#include "runtime/observability/logger.hpp"
#include "runtime/observability/metrics.hpp"
#include "tests/unit/support/manual_clock.hpp"

using namespace taskflow;
using namespace std::chrono_literals;

TEST_CASE("an admission budget gives out at most its limit of slots and takes them back", "[http][admission]") {
  runtime::metrics stats;
  edge::admission_budget budget{2, &stats.http_requests_in_flight, &stats.http_requests_shed};
  CHECK(budget.try_enter());
  CHECK(budget.try_enter());
  CHECK_FALSE(budget.try_enter());
  CHECK(stats.http_requests_in_flight.Value() == 2);
  CHECK(stats.http_requests_shed.Value() == 1);
  budget.leave();
  CHECK(budget.in_flight() == 1);
  CHECK(budget.try_enter());
  CHECK(stats.http_requests_in_flight.Value() == 2);
}

namespace {

struct held_requests {
  std::vector<edge::responder> waiting;
  void release_all() {
    for (auto& answer : waiting) {
      edge::http_response res{edge::http::status::ok, 11};
      res.body() = "done";
      answer(std::move(res));
    }
    waiting.clear();
  }
};

edge::http_request get(const std::string& target) {
  edge::http_request req{edge::http::verb::get, target, 11};
  req.set(edge::http::field::host, "127.0.0.1");
  return req;
}

}  // namespace

TEST_CASE("past the in-flight budget the edge answers 503 with Retry-After at once, probes still pass",
          "[http][admission]") {
  runtime::config cfg;
  cfg.max_in_flight_requests = 2;
  runtime::metrics stats;
  runtime::logger log{runtime::log_level::error};
  held_requests held;
  edge::router routes;
  routes.add(edge::http::verb::get, "/hold", {.who = edge::access::anyone},
             [&held](std::shared_ptr<edge::request_context>, edge::responder answer) {
               held.waiting.push_back(std::move(answer));
             });
  routes.add(edge::http::verb::get, "/probe", {.who = edge::access::anyone, .rate = edge::rate_class::unlimited},
             [](std::shared_ptr<edge::request_context>, edge::responder answer) {
               answer(edge::http_response{edge::http::status::ok, 11});
             });
  edge::request_pipeline pipeline{routes, cfg, stats, log, nullptr, nullptr};

  std::vector<std::optional<edge::http_response>> answers(4);
  auto send = [&](const std::string& target, std::size_t slot) {
    pipeline.handle(get(target), "127.0.0.1",
                    [&answers, slot](edge::http_response res, std::shared_ptr<edge::response_stream>) {
                      answers[slot] = std::move(res);
                    });
  };
  send("/hold", 0);
  send("/hold", 1);
  REQUIRE(held.waiting.size() == 2);

  send("/hold", 2);
  REQUIRE(answers[2]);
  CHECK(held.waiting.size() == 2);
  CHECK(answers[2]->result() == edge::http::status::service_unavailable);
  CHECK(answers[2]->at(edge::http::field::retry_after) == "1");
  CHECK(answers[2]->at(edge::http::field::content_type) == "application/problem+json");
  CHECK_THAT(answers[2]->body(), Catch::Contains("(2)"));

  send("/probe", 3);
  REQUIRE(answers[3]);
  CHECK(answers[3]->result() == edge::http::status::ok);

  held.release_all();
  CHECK(answers[0]->result() == edge::http::status::ok);
  CHECK(stats.http_requests_in_flight.Value() == 0);
  send("/hold", 2);
  CHECK(held.waiting.size() == 1);
  held.release_all();
  CHECK(answers[2]->result() == edge::http::status::ok);
  CHECK(stats.http_requests_shed.Value() == 1);
}

TEST_CASE("refusals are logged as one summary line per interval, the first at once", "[http][admission]") {
  runtime::logger log{runtime::log_level::error};
  testing::manual_clock clock;
  edge::shed_summary summary{log, "requests_shed", 2, 1000ms, clock.source()};

  CHECK(summary.refused() == 1u);  // shedding began: said at once
  for (int i = 0; i < 4; ++i)
    CHECK_FALSE(summary.refused());
  clock.advance(999ms);
  CHECK_FALSE(summary.refused());
  clock.advance(1ms);
  CHECK(summary.refused() == 6u);  // the five held back and this one

  clock.advance(5000ms);  // a quiet spell: the next refusal is news again
  CHECK(summary.refused() == 1u);
}
