// The span of one command's handling by its aggregate actor, from its turn
// in the actor to its answer: "<type> <command>" ("task create", "session
// refresh"), the child of the command's traceparent. The events the command
// makes carry this span's context, so what consumes them is its child.
#pragma once

#include <cstdint>
#include <string>

#include "messages/common/error.pb.h"
#include "messages/trace/span.hpp"

namespace taskflow::shell {

template <class Command>
trace::span command_span(const char* type, const std::string& id, const Command& cmd) {
  const auto* field = cmd.GetDescriptor()->FindFieldByNumber(static_cast<int>(cmd.body_case()));
  auto span = trace::span::start(std::string{type} + " " + (field ? field->name() : "command"), trace::kind::internal,
                                 cmd.traceparent());
  if (span.recording())
    span.attr("taskflow.actor", std::string{type} + "/" + id).attr("taskflow.command_id", cmd.command_id());
  return span;
}

// Ends the span with the reply's outcome: a refusal is the caller's doing and
// leaves the status unset; an unavailable store or a bug marks it failed.
template <class Reply>
void end_command_span(trace::span& span, const Reply& reply) {
  if (reply.has_error()) {
    auto code = reply.error().code();
    span.attr("taskflow.error_code", static_cast<std::int64_t>(code));
    if (code == messages::ERROR_CODE_UNAVAILABLE || code == messages::ERROR_CODE_INTERNAL)
      span.fail(reply.error().detail());
  }
  span.end();
}

}  // namespace taskflow::shell
