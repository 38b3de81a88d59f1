#include "actors/user/user_admin_view.hpp"

namespace taskflow::user {

messages::AggregateState admin_view(const user_state& state) {
  messages::AggregateState view;
  view.set_type("user");
  view.set_id(state.snapshot.id());
  view.set_version(state.snapshot.version());
  view.set_exists(state.exists());
  if (state.exists())
    *view.mutable_user() = state.snapshot;
  return view;
}

}  // namespace taskflow::user
