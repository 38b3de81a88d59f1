// The answers to a task's last commands, by command id, so that a retried
// command gets its first outcome instead of running twice. Every resident
// task keeps one, so it is kept small: nothing is allocated before the first
// command with an id, and an answer that shows the task as it stands is kept
// as a mark rather than a second copy of the task, until the task changes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "actors/task/task_state.hpp"
#include "messages/task/task_replies.pb.h"

namespace taskflow::task {

class command_memory {
public:
  explicit command_memory(std::size_t capacity) : capacity_(capacity) {}

  // The first answer to `command_id`, if it is among the last `capacity`.
  // `current` is the task as it stands.
  std::optional<messages::TaskReply> find(const std::string& command_id, const task_state& current) const;

  // Remembers an answer, forgetting the oldest once full. `current` is the
  // task as it stands, if known.
  void remember(const std::string& command_id, messages::TaskReply reply, const task_state* current);

  // Must be called before the task's state changes: answers that were marks
  // become copies of the state they showed.
  void before_change(const task_state& current);

  std::size_t size() const { return entries_.size(); }

private:
  struct entry {
    std::string command_id;
    // Empty while `shows_current`.
    messages::TaskReply reply;
    bool shows_current = false;
  };

  std::size_t capacity_;
  std::vector<entry> entries_;
  // Where the next answer goes once the memory is full: the oldest.
  std::size_t next_ = 0;
  std::size_t marks_ = 0;
};

}  // namespace taskflow::task
