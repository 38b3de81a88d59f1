// The node's Prometheus metrics. One registry per node, created at start and
// passed to whoever records; the edge serves it as text on /metrics.
#pragma once

#include <memory>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace taskflow::runtime {

class metrics {
  // Declared first: the families below are registered in it while the
  // constructor initializes them in declaration order.
  std::shared_ptr<prometheus::Registry> registry_;

public:
  metrics();

  prometheus::Registry& registry() { return *registry_; }
  // The whole registry in Prometheus text exposition format 0.0.4.
  std::string serialize() const;

  // HTTP edge, labelled by route pattern (never the raw path), method, status.
  prometheus::Family<prometheus::Counter>& http_requests;
  prometheus::Family<prometheus::Histogram>& http_request_seconds;
  // Admission: requests the edge is working on, and those refused (503)
  // because the budget of them was spent.
  prometheus::Gauge& http_requests_in_flight;
  prometheus::Counter& http_requests_shed;

  // Actors.
  prometheus::Gauge& resident_actors;
  prometheus::Counter& activations;
  prometheus::Counter& passivations;
  prometheus::Counter& actor_crashes;
  prometheus::Family<prometheus::Counter>& supervisor_restarts;

  // Events.
  prometheus::Gauge& outbox_backlog;
  prometheus::Gauge& store_calls_queued;
  prometheus::Counter& store_calls_refused;
  // Group commit: task commits per transaction, and each commit's wait from
  // submission to durable.
  prometheus::Histogram& store_commit_batch_size;
  prometheus::Histogram& store_commit_wait_seconds;
  prometheus::Counter& store_commit_batches_retried;
  prometheus::Counter& events_published;
  prometheus::Counter& publish_failures;
  prometheus::Family<prometheus::Counter>& events_consumed;

  // Remote dependencies (postgres, nats, redis): breaker state (0 closed,
  // 1 open, 2 half-open), calls by outcome (ok, failed, slow: succeeded past
  // --dependency-slow-call-ms, rejected while open), retries.
  prometheus::Family<prometheus::Gauge>& dependency_breaker_state;
  prometheus::Family<prometheus::Counter>& dependency_calls;
  prometheus::Family<prometheus::Counter>& dependency_retries;

  // Query cache lookups by cache and outcome (hit, miss, bypass when the
  // cache could not be used).
  prometheus::Family<prometheus::Counter>& cache_lookups;

  // Webhooks: attempts by outcome (delivered, retried, failed, disabled by a
  // 410, postponed by an open breaker), pending deliveries in the store (all
  // nodes'), and this node's breaker per endpoint (0 closed, 1 open, 2
  // half-open).
  prometheus::Family<prometheus::Counter>& webhook_deliveries;
  prometheus::Gauge& webhook_queue_depth;
  prometheus::Family<prometheus::Gauge>& webhook_breaker_state;

  // Cluster: live members by state as this node sees them, shards this node
  // serves, handoffs it finished, requests retried because the node asked
  // no longer served the key ("moved"), and the round trip of requests
  // answered by another node.
  prometheus::Family<prometheus::Gauge>& cluster_members;
  prometheus::Gauge& shards_owned;
  prometheus::Counter& handoffs;
  prometheus::Counter& moved_retries;
  prometheus::Histogram& remote_request_seconds;

  // Notifications: added to feeds, by type; live streams open on this edge,
  // and streams refused because a limit was reached ("user", "node").
  prometheus::Family<prometheus::Counter>& notifications_created;
  prometheus::Gauge& notification_streams;
  prometheus::Family<prometheus::Counter>& notification_streams_refused;

  // Reminders: how late each timer rang after its time (a node that was
  // down shows its downtime here once per task), and the timers the wheel
  // holds.
  prometheus::Histogram& reminder_lag_seconds;
  prometheus::Gauge& reminder_timers;
};

}  // namespace taskflow::runtime
