#include "actors/task/command_memory.hpp"

namespace taskflow::task {

std::optional<messages::TaskReply> command_memory::find(const std::string& command_id,
                                                        const task_state& current) const {
  for (const auto& e : entries_) {
    if (e.command_id != command_id)
      continue;
    if (!e.shows_current)
      return e.reply;
    messages::TaskReply reply;
    *reply.mutable_task() = current.snapshot;
    return reply;
  }
  return std::nullopt;
}

void command_memory::remember(const std::string& command_id, messages::TaskReply reply, const task_state* current) {
  if (capacity_ == 0)
    return;
  // Versions only grow, so an answer at the current version is the current
  // task, whole.
  bool mark = current && reply.has_task() && current->snapshot.version() > 0 &&
              reply.task().version() == current->snapshot.version() && reply.task().id() == current->snapshot.id();
  entry e{command_id, mark ? messages::TaskReply{} : std::move(reply), mark};
  if (entries_.size() < capacity_) {
    entries_.push_back(std::move(e));
  } else {
    marks_ -= entries_[next_].shows_current ? 1 : 0;
    entries_[next_] = std::move(e);
    next_ = (next_ + 1) % capacity_;
  }
  marks_ += mark ? 1 : 0;
}

void command_memory::before_change(const task_state& current) {
  if (marks_ == 0)
    return;
  for (auto& e : entries_)
    if (e.shows_current) {
      *e.reply.mutable_task() = current.snapshot;
      e.shows_current = false;
    }
  marks_ = 0;
}

}  // namespace taskflow::task
