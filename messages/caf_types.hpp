// Registers the Protobuf messages with CAF so the same messages that the edge
// and the actors exchange locally can later cross nodes through io::middleman.
// CAF 0.17 serializes a type through an inspect() overload found by ADL; for
// Protobuf types that overload writes the message's own wire bytes.
#pragma once

#include <string>
#include <type_traits>

#include <google/protobuf/message.h>
#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/meta/load_callback.hpp>
#include <caf/sec.hpp>

#include "messages/admin/admin.pb.h"
#include "messages/common/error.pb.h"
#include "messages/events/event_envelope.pb.h"
#include "messages/identity/session.pb.h"
#include "messages/identity/user.pb.h"
#include "messages/task/task_commands.pb.h"
#include "messages/task/task_replies.pb.h"

namespace taskflow::messages {

template <class T>
inline constexpr bool is_proto_message_v = std::is_base_of_v<google::protobuf::Message, T>;

template <class Inspector, class T>
std::enable_if_t<is_proto_message_v<T> && Inspector::reads_state, typename Inspector::result_type> inspect(Inspector& f,
                                                                                                           const T& x) {
  return f(x.SerializeAsString());
}

template <class Inspector, class T>
std::enable_if_t<is_proto_message_v<T> && Inspector::writes_state, typename Inspector::result_type> inspect(
    Inspector& f, T& x) {
  std::string bytes;
  auto parse = [&]() -> caf::error {
    if (!x.ParseFromString(bytes))
      return caf::make_error(caf::sec::invalid_argument, "malformed protobuf payload");
    return caf::none;
  };
  return f(bytes, caf::meta::load_callback(parse));
}

// Adds every message type of this folder to a CAF configuration.
void register_message_types(caf::actor_system_config& cfg);

}  // namespace taskflow::messages
