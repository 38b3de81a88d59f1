#include "runtime/services/webhook_dispatcher.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include <caf/sec.hpp>

#include "actors/shell/serial_jobs.hpp"
#include "messages/trace/span.hpp"
#include "runtime/atoms.hpp"
#include "runtime/webhooks/webhook_payload.hpp"
#include "runtime/webhooks/webhook_signature.hpp"

namespace taskflow::runtime {
namespace {

using dispatcher_actor = caf::stateful_actor<webhook_dispatcher_state>;

void count(const webhook_dispatcher_deps& deps, const char* outcome) {
  deps.stats->webhook_deliveries.Add({{"outcome", outcome}}).Increment();
}

ports::attempt_record judged(const webhook_dispatcher_config& config, const webhook_dispatcher_deps& deps,
                             const ports::leased_delivery& leased, const caf::expected<int>& answer, std::int64_t now) {
  notification::attempt_report report;
  if (answer)
    report.status_code = *answer;
  ports::attempt_record record;
  record.delivery_id = leased.delivery.id;
  record.attempts = leased.delivery.attempts + 1;
  auto verdict = notification::judge_attempt(config.schedule, record.attempts, report, now, deps.jitter());
  record.status = std::string{verdict.status};
  record.status_code = report.status_code;
  if (!answer)
    record.error = ports::error_detail(answer.error());
  record.next_attempt_at_ms = verdict.next_attempt_at_ms;
  record.disable_endpoint = verdict.disable_endpoint;
  if (verdict.status == notification::delivery_delivered)
    record.delivered_at_ms = now;
  return record;
}

const char* outcome_of(const ports::attempt_record& record) {
  if (record.status == notification::delivery_delivered)
    return "delivered";
  if (record.disable_endpoint)
    return "disabled";
  if (record.status == notification::delivery_failed)
    return "failed";
  return "retried";
}

// An attempt is a trace of its own (it runs later than the write that caused
// it, and may run many times), linked to that write's when it was sampled.
trace::span attempt_span(const ports::leased_delivery& leased) {
  auto span = trace::span::linked_root("webhook POST", trace::kind::client, leased.delivery.notification.traceparent());
  span.attr("http.request.method", "POST")
      .attr("taskflow.webhook.endpoint_id", leased.delivery.endpoint_id)
      .attr("taskflow.webhook.delivery_id", leased.delivery.id)
      .attr("taskflow.webhook.event_type", leased.delivery.notification.type())
      .attr("taskflow.webhook.attempt", static_cast<std::int64_t>(leased.delivery.attempts) + 1);
  return span;
}

// One delivery, start to end, on a webhook pool thread.
void deliver(const webhook_dispatcher_config& config, const webhook_dispatcher_deps& deps,
             const ports::leased_delivery& leased) {
  auto& breaker = deps.breakers->of(leased.delivery.endpoint_id);
  if (!breaker.allow()) {
    auto wait = std::max(breaker.retry_after(), std::chrono::milliseconds{100});
    (void)deps.store->postpone(config.node_id, leased.delivery.id, deps.now_ms() + wait.count());
    count(deps, "postponed");
    return;
  }
  auto span = attempt_span(leased);
  auto key = webhook_secret_key(leased.secret);
  caf::expected<int> answer = caf::make_error(caf::sec::invalid_argument, "the endpoint's secret is unusable");
  if (key) {
    auto body = webhook_body(leased.delivery.notification);
    ports::outbound_post post{leased.url, webhook_headers(*key, leased.delivery.id, deps.now_ms() / 1000, body),
                              std::move(body), config.connect_timeout, config.total_timeout};
    // The receiver may continue the attempt's trace, as any HTTP client's.
    if (span.recording())
      post.headers.emplace_back("traceparent", span.traceparent());
    answer = deps.sender->post(post);
  }
  if (answer)
    span.attr("http.response.status_code", static_cast<std::int64_t>(*answer));
  else
    span.fail(ports::error_detail(answer.error()));
  span.end();
  notification::attempt_report report;
  if (answer)
    report.status_code = *answer;
  if (notification::counts_against_endpoint(report))
    breaker.record_failure();
  else
    breaker.record_success();
  auto now = deps.now_ms();
  auto record = judged(config, deps, leased, answer, now);
  auto recorded = deps.store->record_attempt(config.node_id, record, now);
  if (!recorded) {
    deps.log->warn("webhook_record_failed",
                   {{"delivery", leased.delivery.id}, {"error", ports::error_detail(recorded.error())}});
    return;
  }
  if (!*recorded) {
    // The lease lapsed and another node took the delivery: its outcome counts.
    deps.log->warn("webhook_lease_lost", {{"delivery", leased.delivery.id}});
    return;
  }
  count(deps, outcome_of(record));
  if (record.status != notification::delivery_delivered)
    deps.log->info("webhook_attempt_failed", {{"delivery", leased.delivery.id},
                                              {"endpoint", leased.delivery.endpoint_id},
                                              {"attempt", record.attempts},
                                              {"status", record.status},
                                              {"status_code", record.status_code.value_or(0)},
                                              {"error", record.error}});
}

void start_cycle(dispatcher_actor* self, const webhook_dispatcher_config& config, const webhook_dispatcher_deps& deps);

void finish_one(dispatcher_actor* self, const webhook_dispatcher_config& config, const webhook_dispatcher_deps& deps) {
  auto& st = self->state;
  if (st.in_flight > 0)
    --st.in_flight;
  if (st.in_flight == 0 && std::exchange(st.again, false))
    start_cycle(self, config, deps);
}

void send_all(dispatcher_actor* self, const webhook_dispatcher_config& config, const webhook_dispatcher_deps& deps,
              std::vector<ports::leased_delivery> leased) {
  auto& st = self->state;
  if (leased.size() >= config.batch_size)
    st.again = true;  // more may be due
  for (auto& one : leased) {
    auto posted = shell::post_and_resume(self, *deps.send_pool, [self, config, deps, one = std::move(one)] {
      deliver(config, deps, one);
      return std::function<void()>{[self, config, deps] { finish_one(self, config, deps); }};
    });
    // A full pool leaves the lease to lapse; the delivery is tried then.
    if (posted)
      ++st.in_flight;
  }
  if (st.in_flight == 0 && std::exchange(st.again, false))
    start_cycle(self, config, deps);
}

void start_cycle(dispatcher_actor* self, const webhook_dispatcher_config& config, const webhook_dispatcher_deps& deps) {
  auto& st = self->state;
  if (st.leasing || st.in_flight > 0) {
    st.again = true;
    return;
  }
  st.leasing = true;
  auto refresh = std::exchange(st.refresh, false);
  auto posted = shell::post_and_resume(self, *deps.store_pool, [self, config, deps, refresh]() {
    if (refresh)
      if (auto backlog = deps.store->backlog())
        deps.stats->webhook_queue_depth.Set(static_cast<double>(backlog->pending));
    auto leased = deps.store->lease_due(config.node_id, deps.now_ms(), config.lease.count(), config.batch_size);
    if (!leased)
      deps.log->warn("webhook_lease_failed", {{"error", ports::error_detail(leased.error())}});
    return std::function<void()>{
        [self, config, deps, got = leased ? std::move(*leased) : std::vector<ports::leased_delivery>{}]() mutable {
          self->state.leasing = false;
          send_all(self, config, deps, std::move(got));
        }};
  });
  if (!posted)
    st.leasing = false;  // the store pool is full: the next tick tries again
}

}  // namespace

caf::behavior webhook_dispatcher(dispatcher_actor* self, webhook_dispatcher_config config,
                                 webhook_dispatcher_deps deps) {
  self->send(self, tick_atom::value);
  return {
      [self, config, deps](nudge_atom) { start_cycle(self, config, deps); },
      [self, config, deps](tick_atom) {
        self->state.refresh = true;
        start_cycle(self, config, deps);
        self->delayed_send(self, config.poll_interval, tick_atom::value);
      },
      [](shell::resume& done) { done.run(); },
  };
}

}  // namespace taskflow::runtime
