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
      .add_message_type<Error>("taskflow.Error")
      .add_message_type<InspectAggregate>("taskflow.InspectAggregate")
      .add_message_type<AggregateState>("taskflow.AggregateState")
      .add_message_type<ResidentState>("taskflow.ResidentState")
      .add_message_type<ListResidentActors>("taskflow.ListResidentActors")
      .add_message_type<ResidentActors>("taskflow.ResidentActors")
      .add_message_type<InspectActor>("taskflow.InspectActor")
      .add_message_type<ActorSnapshot>("taskflow.ActorSnapshot")
      .add_message_type<PassivateActor>("taskflow.PassivateActor")
      .add_message_type<PassivateActorReply>("taskflow.PassivateActorReply")
      .add_message_type<ListTraces>("taskflow.ListTraces")
      .add_message_type<TraceSummaries>("taskflow.TraceSummaries")
      .add_message_type<GetTrace>("taskflow.GetTrace")
      .add_message_type<TraceSpans>("taskflow.TraceSpans");
}

}  // namespace taskflow::messages
