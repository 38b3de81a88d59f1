#include "runtime/timers/reminder_service.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "actors/shell/serial_jobs.hpp"
#include "cluster/placement/stable_hash.hpp"
#include "messages/caf_types.hpp"
#include "messages/trace/span.hpp"
#include "runtime/atoms.hpp"
#include "runtime/sharding/shard_key.hpp"

namespace taskflow::runtime {
namespace {

using self_ptr = reminder_service_actor*;

bool owned(const reminder_service_deps& deps, const std::string& task_id) {
  const auto& admission = *deps.admission;
  if (admission.fenced())
    return false;
  // A pending shard is this node's once its old owner lets go: its rings
  // answer MOVED until then and are retried.
  return admission.access(shard_of("task/" + task_id, admission.shard_count())) != shard_access::foreign;
}

// Which shards this node serves, in one number: a change means a handoff
// (or a fence) since the last scan.
std::uint64_t shards_served(const shard_admission& admission) {
  std::uint64_t hash = cluster::fnv1a_64(admission.fenced() ? "fenced" : "serving");
  for (std::uint32_t s = 0; s < admission.shard_count(); ++s)
    hash = (hash ^ static_cast<std::uint64_t>(admission.access(s))) * 0x100000001b3ULL;
  return hash;
}

void publish_size(self_ptr self, const reminder_service_deps& deps) {
  if (deps.stats)
    deps.stats->reminder_timers.Set(static_cast<double>(self->state.wheel.held()));
}

// Makes sure a wake is on its way for the earliest timer; a wake for a later
// time is superseded (its generation no longer matches when it arrives).
void arm(self_ptr self, const reminder_service_deps& deps) {
  auto& st = self->state;
  publish_size(self, deps);
  auto next = st.wheel.next_due_at();
  if (!next || (st.wake_at && *st.wake_at <= *next))
    return;
  st.wake_at = next;
  auto delay = std::max<std::int64_t>(0, *next - deps.now_ms());
  self->delayed_send(self, std::chrono::milliseconds{delay}, wake_atom::value, ++st.wake_generation);
}

// A ring happens long after the write that set its timer, so it is a trace
// of its own, linked to that write's when it was sampled; what the reminder
// command does (its commit, the notifications) is the ring's child.
trace::span ring_span(const ports::reminder_timer& timer) {
  auto span = trace::span::linked_root("reminder ring", trace::kind::internal, timer.traceparent);
  span.attr("taskflow.actor", "task/" + timer.task_id).attr("taskflow.reminder.due_at_ms", timer.remind_at_ms);
  return span;
}

void ring(self_ptr self, const reminder_service_config& config, const reminder_service_deps& deps) {
  auto& st = self->state;
  auto now = deps.now_ms();
  auto host = deps.shard_host.current();
  for (auto& timer : st.wheel.take_due(now)) {
    if (!owned(deps, timer.task_id)) {
      st.wheel.answered(timer.task_id);
      continue;
    }
    if (!host) {  // the shard host is restarting
      st.wheel.failed(timer.task_id, now);
      continue;
    }
    if (deps.stats)
      deps.stats->reminder_lag_seconds.Observe(
          static_cast<double>(std::max<std::int64_t>(0, now - timer.remind_at_ms)) / 1000.0);
    auto span = ring_span(timer);
    messages::TaskCommand cmd;
    cmd.set_task_id(timer.task_id);
    cmd.set_traceparent(span.traceparent());
    cmd.mutable_remind();
    self->request(host, config.ring_timeout, std::move(cmd))
        .then(
            [self, deps, id = timer.task_id, span](messages::TaskReply& reply) mutable {
              if (reply.has_error()) {
                span.fail(reply.error().detail());
                self->state.wheel.failed(id, deps.now_ms());
              } else {
                self->state.wheel.answered(id);
              }
              span.end();
              arm(self, deps);
            },
            [self, deps, id = timer.task_id, span](caf::error& err) mutable {
              span.fail(caf::to_string(err)).end();
              self->state.wheel.failed(id, deps.now_ms());
              arm(self, deps);
            });
  }
  arm(self, deps);
}

void begin_scan(self_ptr self, const reminder_service_config& config, const reminder_service_deps& deps);

// Reads one page on the store pool; its outcome comes back as a resume.
void scan_page(self_ptr self, const reminder_service_config& config, const reminder_service_deps& deps,
               std::int64_t until, std::optional<ports::reminder_timer> after) {
  auto posted = shell::post_and_resume(self, *deps.pool, [self, config, deps, until, after]() -> std::function<void()> {
    auto page = deps.store->due_reminders(until, after, config.page_size);
    return [self, config, deps, until, page = std::move(page)]() mutable {
      auto& st = self->state;
      if (!page) {
        // Logged once per outage; the next tick scans again.
        if (!st.scan_failing && deps.log)
          deps.log->warn("reminder_scan_failed", {{"error", ports::error_detail(page.error())}});
        st.scan_failing = true;
        st.scanning = false;
        return;
      }
      st.scan_failing = false;
      std::vector<ports::reminder_timer> ours;
      for (auto& timer : *page)
        if (owned(deps, timer.task_id))
          ours.push_back(std::move(timer));
      st.wheel.loaded(ours);
      if (page->size() == config.page_size && !st.wheel.full())
        scan_page(self, config, deps, until, page->back());
      else
        st.scanning = false;
      ring(self, config, deps);
    };
  });
  if (!posted)
    self->state.scanning = false;  // the pool is full: the next tick tries again
}

void begin_scan(self_ptr self, const reminder_service_config& config, const reminder_service_deps& deps) {
  auto& st = self->state;
  st.scanning = true;
  st.last_scan = std::chrono::steady_clock::now();
  st.shards_seen = shards_served(*deps.admission);
  // Shards handed away take their timers with them; the new owner scans.
  st.wheel.retain([&deps](const std::string& id) { return owned(deps, id); });
  auto until = deps.now_ms() + config.horizon.count();
  st.wheel.scan_began(until);
  scan_page(self, config, deps, until, std::nullopt);
}

}  // namespace

caf::behavior reminder_service(reminder_service_actor* self, reminder_service_config config,
                               reminder_service_deps deps) {
  self->state.wheel = reminder_wheel{config.limits};
  self->send(self, tick_atom::value);
  return {
      [self, config, deps](tick_atom) {
        auto& st = self->state;
        bool due = std::chrono::steady_clock::now() - st.last_scan >= config.scan_interval;
        if (!st.scanning && (due || shards_served(*deps.admission) != st.shards_seen))
          begin_scan(self, config, deps);
        self->delayed_send(self, std::min(config.shard_check_interval, config.scan_interval), tick_atom::value);
      },
      [self, config, deps](wake_atom, std::uint64_t generation) {
        auto& st = self->state;
        if (generation != st.wake_generation)
          return;
        st.wake_at.reset();
        ring(self, config, deps);
      },
      [self, deps](remind_atom, const std::string& task_id, std::int64_t at_ms, const std::string& traceparent) {
        self->state.wheel.announced(task_id, at_ms, traceparent);
        arm(self, deps);
      },
      [self, deps](remind_atom, const std::string& task_id) {
        self->state.wheel.announced(task_id, std::nullopt);
        publish_size(self, deps);
      },
      [](shell::resume& done) { done.run(); },
  };
}

}  // namespace taskflow::runtime
