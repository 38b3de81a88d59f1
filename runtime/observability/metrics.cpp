#include "runtime/observability/metrics.hpp"

#include <iterator>

#include <prometheus/text_serializer.h>

#include "runtime/observability/build_info.hpp"
#include "runtime/observability/process_metrics.hpp"

namespace taskflow::runtime {
namespace {

template <class Builder>
auto& family(Builder builder, prometheus::Registry& registry, const char* name, const char* help) {
  return builder.Name(name).Help(help).Register(registry);
}

}  // namespace

metrics::metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      http_requests(family(prometheus::BuildCounter(), *registry_, "taskflow_http_requests_total",
                           "HTTP requests by route, method and status")),
      http_request_seconds(family(prometheus::BuildHistogram(), *registry_, "taskflow_http_request_duration_seconds",
                                  "HTTP request latency by route and method")),
      http_requests_in_flight(family(prometheus::BuildGauge(), *registry_, "taskflow_http_requests_in_flight",
                                     "Requests this edge has admitted and not yet answered")
                                  .Add({})),
      http_requests_shed(family(prometheus::BuildCounter(), *registry_, "taskflow_http_requests_shed_total",
                                "Requests answered 503 at once because the in-flight budget was spent")
                             .Add({})),
      resident_actors(family(prometheus::BuildGauge(), *registry_, "taskflow_actors_resident",
                             "Aggregate actors resident on this node")
                          .Add({})),
      activations(family(prometheus::BuildCounter(), *registry_, "taskflow_actor_activations_total",
                         "Aggregate actors activated")
                      .Add({})),
      passivations(family(prometheus::BuildCounter(), *registry_, "taskflow_actor_passivations_total",
                          "Aggregate actors passivated (idle, evicted or asked)")
                       .Add({})),
      actor_crashes(family(prometheus::BuildCounter(), *registry_, "taskflow_actor_crashes_total",
                           "Aggregate actors that terminated abnormally")
                        .Add({})),
      supervisor_restarts(family(prometheus::BuildCounter(), *registry_, "taskflow_supervisor_restarts_total",
                                 "Service actors restarted by their supervisor, by child")),
      outbox_backlog(
          family(prometheus::BuildGauge(), *registry_, "taskflow_outbox_backlog", "Outbox rows not yet published")
              .Add({})),
      store_calls_queued(family(prometheus::BuildGauge(), *registry_, "taskflow_store_calls_queued",
                                "Blocking store calls waiting for a thread of the store pool")
                             .Add({})),
      store_calls_refused(family(prometheus::BuildCounter(), *registry_, "taskflow_store_calls_refused_total",
                                 "Store calls refused (503) because the store pool's queue was full")
                              .Add({})),
      store_commit_batch_size(family(prometheus::BuildHistogram(), *registry_, "taskflow_store_commit_batch_size",
                                     "Task commits written together in one transaction (group commit)")
                                  .Add({}, prometheus::Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64, 128, 256})),
      store_commit_wait_seconds(
          family(prometheus::BuildHistogram(), *registry_, "taskflow_store_commit_wait_seconds",
                 "From a task commit's submission to its batch being durable")
              .Add({}, prometheus::Histogram::BucketBoundaries{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                               0.25, 0.5, 1, 2.5, 5})),
      store_commit_batches_retried(
          family(prometheus::BuildCounter(), *registry_, "taskflow_store_commit_batches_retried_total",
                 "Batches written again commit by commit because one commit failed the multi-row statements")
              .Add({})),
      events_published(family(prometheus::BuildCounter(), *registry_, "taskflow_events_published_total",
                              "Events published to the bus")
                           .Add({})),
      publish_failures(family(prometheus::BuildCounter(), *registry_, "taskflow_event_publish_failures_total",
                              "Outbox batches the bus did not acknowledge")
                           .Add({})),
      events_consumed(family(prometheus::BuildCounter(), *registry_, "taskflow_events_consumed_total",
                             "Events handled by consumers, by consumer and outcome")),
      dependency_breaker_state(family(prometheus::BuildGauge(), *registry_, "taskflow_dependency_breaker_state",
                                      "Circuit breaker per dependency: 0 closed, 1 open, 2 half-open")),
      dependency_calls(family(prometheus::BuildCounter(), *registry_, "taskflow_dependency_calls_total",
                              "Calls to a dependency by outcome (ok, failed, rejected by the open breaker)")),
      dependency_retries(family(prometheus::BuildCounter(), *registry_, "taskflow_dependency_retries_total",
                                "Calls to a dependency retried after a failure")),
      cache_lookups(family(prometheus::BuildCounter(), *registry_, "taskflow_cache_lookups_total",
                           "Query cache lookups by cache and outcome (hit, miss, bypass)")),
      webhook_deliveries(family(prometheus::BuildCounter(), *registry_, "taskflow_webhook_deliveries_total",
                                "Webhook delivery attempts by outcome (delivered, retried, failed, disabled, "
                                "postponed)")),
      webhook_queue_depth(family(prometheus::BuildGauge(), *registry_, "taskflow_webhook_retry_queue_depth",
                                 "Webhook deliveries pending in the store, first attempts and retries")
                              .Add({})),
      webhook_breaker_state(family(prometheus::BuildGauge(), *registry_, "taskflow_webhook_breaker_state",
                                   "This node's circuit breaker per webhook endpoint: 0 closed, 1 open, 2 half-open")),
      cluster_members(family(prometheus::BuildGauge(), *registry_, "taskflow_cluster_members",
                             "Live cluster members by state, as this node sees them")),
      shards_owned(
          family(prometheus::BuildGauge(), *registry_, "taskflow_cluster_shards_owned", "Shards this node serves")
              .Add({})),
      handoffs(family(prometheus::BuildCounter(), *registry_, "taskflow_cluster_handoffs_total",
                      "Placement changes this node finished handing off")
                   .Add({})),
      moved_retries(family(prometheus::BuildCounter(), *registry_, "taskflow_cluster_moved_retries_total",
                           "Requests sent again because the node asked no longer served the key")
                        .Add({})),
      remote_request_seconds(
          family(prometheus::BuildHistogram(), *registry_, "taskflow_cluster_remote_request_duration_seconds",
                 "Round trip of requests answered by an actor on another node")
              .Add({}, prometheus::Histogram::BucketBoundaries{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                               0.25, 0.5, 1, 2.5, 5})),
      notifications_created(family(prometheus::BuildCounter(), *registry_, "taskflow_notifications_created_total",
                                   "Notifications added to a feed, by type")),
      notification_streams(family(prometheus::BuildGauge(), *registry_, "taskflow_notification_streams",
                                  "Live notification streams (GET /api/v1/events) open on this edge")
                               .Add({})),
      notification_streams_refused(family(prometheus::BuildCounter(), *registry_,
                                          "taskflow_notification_streams_refused_total",
                                          "Live notification streams refused because a limit was reached, by limit")),
      reminder_lag_seconds(family(prometheus::BuildHistogram(), *registry_, "taskflow_reminder_lag_seconds",
                                  "How late a reminder timer rang after its time")
                               .Add({}, prometheus::Histogram::BucketBoundaries{0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60,
                                                                                300, 3600, 86400})),
      reminder_timers(family(prometheus::BuildGauge(), *registry_, "taskflow_reminder_timers",
                             "Reminder timers the node's wheel holds (those due within its horizon)")
                          .Add({})) {
  family(prometheus::BuildGauge(), *registry_, "taskflow_build_info", "The build this node runs; always 1")
      .Add({{"version", std::string{version()}}})
      .Set(1);
}

std::string metrics::serialize() const {
  auto families = registry_->Collect();
  auto process = collect_process_metrics();
  families.insert(families.end(), std::make_move_iterator(process.begin()), std::make_move_iterator(process.end()));
  return prometheus::TextSerializer{}.Serialize(families);
}

}  // namespace taskflow::runtime
