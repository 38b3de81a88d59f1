#include "actors/session/session_admin_view.hpp"

namespace taskflow::session {

messages::AggregateState admin_view(const session_state& state) {
  messages::AggregateState view;
  view.set_type("session");
  view.set_id(state.snapshot.id());
  view.set_version(state.snapshot.version());
  view.set_exists(state.exists());
  if (state.exists())
    *view.mutable_session() = state.snapshot;
  return view;
}

}  // namespace taskflow::session
