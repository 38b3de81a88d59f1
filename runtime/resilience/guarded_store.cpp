#include "runtime/resilience/guarded_store.hpp"

namespace taskflow::runtime {

guarded_store::guarded_store(std::shared_ptr<ports::task_store> tasks, std::shared_ptr<ports::outbox_store> outbox,
                             std::shared_ptr<ports::read_model_store> reads, std::shared_ptr<dependency_guard> guard)
    : tasks_(std::move(tasks)), outbox_(std::move(outbox)), reads_(std::move(reads)), guard_(std::move(guard)) {}

caf::expected<std::optional<task::task_state>> guarded_store::load_task(const std::string& id) {
  return guard_->call(true, [&] { return tasks_->load_task(id); });
}

void guarded_store::commit(std::shared_ptr<const ports::task_commit> commit, ports::commit_done done) {
  auto started = guard_->begin();
  if (!started)
    return done(std::move(started.error()));
  tasks_->commit(std::move(commit),
                 [guard = guard_, started = *started, done = std::move(done)](caf::expected<void> written) {
                   guard->end(written ? caf::error{} : written.error(), started);
                   done(std::move(written));
                 });
}

caf::expected<std::vector<ports::outbox_entry>> guarded_store::fetch_unsent(std::size_t limit) {
  return guard_->call(true, [&] { return outbox_->fetch_unsent(limit); });
}

caf::expected<void> guarded_store::mark_sent(const std::vector<std::int64_t>& seqs) {
  return guard_->call(true, [&] { return outbox_->mark_sent(seqs); });
}

caf::expected<std::int64_t> guarded_store::backlog() {
  return guard_->call(true, [&] { return outbox_->backlog(); });
}

caf::expected<std::int64_t> guarded_store::prune_sent(std::int64_t older_than_ms) {
  return guard_->call(true, [&] { return outbox_->prune_sent(older_than_ms); });
}

caf::expected<std::vector<ports::projection_outcome>> guarded_store::project(
    const std::string& consumer, const std::vector<messages::EventEnvelope>& events) {
  // Safe to repeat: the inbox turns a second application into duplicates.
  return guard_->call(true, [&] { return reads_->project(consumer, events); });
}

caf::expected<messages::TaskPage> guarded_store::list_tasks(const messages::ListTasksQuery& query) {
  return guard_->call(true, [&] { return reads_->list_tasks(query); });
}

caf::expected<messages::TaskPage> guarded_store::list_tasks_keyset(const messages::ListTasksQuery& query) {
  return guard_->call(true, [&] { return reads_->list_tasks_keyset(query); });
}

caf::expected<ports::view_mark> guarded_store::view_mark_of(const std::string& task_id) {
  return guard_->call(true, [&] { return reads_->view_mark_of(task_id); });
}

caf::expected<void> guarded_store::ping() {
  return reads_->ping();
}

}  // namespace taskflow::runtime
