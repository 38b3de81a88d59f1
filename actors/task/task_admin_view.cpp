#include "actors/task/task_admin_view.hpp"

namespace taskflow::task {

messages::AggregateState admin_view(const task_state& state) {
  messages::AggregateState view;
  view.set_type("task");
  view.set_id(state.snapshot.id());
  view.set_version(state.snapshot.version());
  view.set_exists(state.exists());
  view.set_deleted(state.deleted);
  if (state.snapshot.version() > 0)
    *view.mutable_task() = state.snapshot;
  return view;
}

}  // namespace taskflow::task
