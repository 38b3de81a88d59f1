#include "messages/caf_types.hpp"

namespace taskflow::messages {

void register_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<TaskCommand>("taskflow.TaskCommand")
      .add_message_type<TaskReply>("taskflow.TaskReply")
      .add_message_type<EventEnvelope>("taskflow.EventEnvelope")
      .add_message_type<ListTasksQuery>("taskflow.ListTasksQuery")
      .add_message_type<ListTasksReply>("taskflow.ListTasksReply")
      .add_message_type<UserCommand>("taskflow.UserCommand")
      .add_message_type<UserReply>("taskflow.UserReply")
      .add_message_type<SessionCommand>("taskflow.SessionCommand")
      .add_message_type<SessionReply>("taskflow.SessionReply")
      .add_message_type<Error>("taskflow.Error");
}

}  // namespace taskflow::messages
