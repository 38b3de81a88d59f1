#include "runtime/services/batched_consumer.hpp"

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/sec.hpp>
#include <caf/send.hpp>

#include "messages/trace/span.hpp"
#include "runtime/atoms.hpp"

namespace taskflow::runtime {
namespace {

void settle(std::vector<ports::bus_delivery>& batch, bool done) {
  for (auto& d : batch)
    done ? d.ack() : d.nak();
}

// The drain message queues behind the deliveries already in the mailbox, so
// everything that arrived meanwhile goes in one batch.
void schedule_drain(caf::stateful_actor<batched_consumer_state>* self) {
  if (!self->state.drain_scheduled) {
    self->state.drain_scheduled = true;
    self->send(self, drain_atom::value);
  }
}

// One consumer span per sampled event, all as long as the batch that
// handled them (OpenTelemetry's messaging "process" spans).
std::vector<trace::span> process_spans(const std::string& consumer,
                                       const std::vector<messages::EventEnvelope>& events) {
  std::vector<trace::span> spans;
  for (const auto& event : events) {
    auto parent = trace::parse_traceparent(event.traceparent());
    if (!parent || !parent->sampled)
      continue;
    auto span = trace::span::start("process " + consumer, trace::kind::consumer, event.traceparent());
    span.attr("messaging.operation.type", "process")
        .attr("messaging.destination.name", "taskflow.events")
        .attr("messaging.consumer.group.name", consumer)
        .attr("messaging.message.id", event.event_id())
        .attr("messaging.batch.message_count", static_cast<std::int64_t>(events.size()));
    spans.push_back(std::move(span));
  }
  return spans;
}

}  // namespace

caf::behavior batched_consumer(caf::stateful_actor<batched_consumer_state>* self, batched_consumer_deps deps) {
  // The bus calls back on its own thread; a weak handle lets the actor die
  // (and be restarted) without the bus keeping it alive.
  caf::weak_actor_ptr me = self->ctrl();
  auto subscription = deps.bus->subscribe(deps.consumer, [me](ports::bus_delivery delivery) {
    if (auto target = caf::actor_cast<caf::actor>(me))
      caf::anon_send(target, std::move(delivery));
    else
      delivery.nak();
  });
  if (!subscription) {
    // Failing here lets the supervisor retry with backoff.
    deps.log->warn("consumer_subscribe_failed",
                   {{"consumer", deps.consumer}, {"error", ports::error_detail(subscription.error())}});
    self->quit(caf::make_error(caf::sec::runtime_error, "consumer could not subscribe"));
    return {};
  }
  self->state.subscription = std::move(*subscription);
  shell::quit_when_idle(self, self->state.jobs);
  auto work = std::make_shared<const batch_work>(std::move(deps.work));
  return {
      [self](ports::bus_delivery& delivery) {
        self->state.pending.push_back(std::move(delivery));
        schedule_drain(self);
      },
      [self, pool = deps.pool, work, consumer = deps.consumer](drain_atom) {
        auto& st = self->state;
        st.drain_scheduled = false;
        // A batch in flight drains again when it is done.
        if (!st.jobs.idle() || st.pending.empty())
          return;
        auto batch = std::make_shared<std::vector<ports::bus_delivery>>(std::move(st.pending));
        st.pending.clear();
        st.jobs.submit(
            self, *pool,
            [batch, work, consumer]() -> std::function<void()> {
              std::vector<messages::EventEnvelope> events;
              events.reserve(batch->size());
              // Only the ack and nak callbacks are needed afterwards.
              for (auto& d : *batch)
                events.push_back(std::move(d.event));
              auto spans = process_spans(consumer, events);
              bool done = (*work)(events);
              for (auto& span : spans) {
                if (!done)
                  span.fail("the batch failed; the bus delivers it again");
                span.end();
              }
              settle(*batch, done);
              return [] {};
            },
            [batch] { settle(*batch, false); }, [batch](const caf::error&) { settle(*batch, false); });
      },
      [self](shell::resume& done) {
        self->state.jobs.finished(self, done);
        if (!self->state.pending.empty())
          schedule_drain(self);
      },
  };
}

}  // namespace taskflow::runtime
