// Refuses a command that would assign a task to someone with no account: the
// task actor knows only its own task, so the gateway asks the identity store
// before the command leaves, on the store pool. Users are never deleted, so
// one found once is remembered and the common case costs no store read.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "actors/ports/identity_store.hpp"
#include "messages/common/error.pb.h"
#include "messages/task/task_commands.pb.h"

namespace taskflow::runtime {

class assignee_check {
public:
  explicit assignee_check(std::shared_ptr<ports::identity_store> users) : users_(std::move(users)) {}

  // The well-formed user ids `command` would assign (a create's assignees,
  // an update's replacement set); empty when it assigns nobody. Malformed
  // ids are the task's own validation's to refuse.
  static std::vector<std::string> assigned_by(const messages::TaskCommand& command);

  // Blocking (store reads): a validation error naming the first id with no
  // user, an unavailable error when the store cannot say, or nullopt.
  std::optional<messages::Error> unknown_among(const std::vector<std::string>& ids);

private:
  static constexpr std::size_t max_remembered = 100'000;

  bool remembered(const std::string& id);
  void remember(const std::string& id);

  std::shared_ptr<ports::identity_store> users_;
  std::mutex mutex_;
  std::unordered_set<std::string> known_;
};

}  // namespace taskflow::runtime
