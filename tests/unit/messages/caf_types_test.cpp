// The Protobuf messages survive CAF's binary serialization, the path they will
// take between nodes through io::middleman, and travel inside caf::message.
#include <catch2/catch.hpp>

#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/message.hpp>

#include "messages/caf_types.hpp"
#include "messages/ids/uuid.hpp"
#include "tests/unit/support/test_actor_system.hpp"

using namespace taskflow;

namespace {

template <class T>
T round_trip(caf::actor_system& sys, const T& original) {
  std::vector<char> buffer;
  caf::binary_serializer sink{sys, buffer};
  auto written = sink(const_cast<T&>(original));
  REQUIRE_FALSE(written);
  T restored;
  caf::binary_deserializer source{sys, buffer};
  auto read = source(restored);
  REQUIRE_FALSE(read);
  return restored;
}

}  // namespace

TEST_CASE("commands, replies and events round-trip through CAF's serializer", "[caf_types]") {
  testing::test_config cfg;
  caf::actor_system sys{cfg};

  messages::TaskCommand cmd;
  cmd.set_task_id(ids::new_uuid_v7());
  cmd.set_command_id(ids::new_uuid_v7());
  cmd.set_expected_version(7);
  cmd.mutable_principal()->set_id("01a20f1d-0000-7000-8000-000000000001");
  cmd.mutable_update()->set_title("über — 任务");
  cmd.mutable_update()->set_status(messages::TASK_STATUS_DONE);
  CHECK(round_trip(sys, cmd).SerializeAsString() == cmd.SerializeAsString());

  messages::EventEnvelope event;
  event.set_event_id(ids::new_uuid_v7());
  event.set_version(3);
  event.mutable_task_status_changed()->set_from(messages::TASK_STATUS_TODO);
  event.mutable_task_status_changed()->mutable_task()->set_title("t");
  CHECK(round_trip(sys, event).SerializeAsString() == event.SerializeAsString());

  messages::TaskReply reply;
  reply.mutable_error()->set_code(messages::ERROR_CODE_CONFLICT);
  reply.mutable_error()->set_existing_id("x");
  CHECK(round_trip(sys, reply).SerializeAsString() == reply.SerializeAsString());
}

TEST_CASE("a corrupted payload is an error, not a half-filled message", "[caf_types]") {
  testing::test_config cfg;
  caf::actor_system sys{cfg};
  messages::TaskCommand cmd;
  cmd.set_task_id("abc");
  std::vector<char> buffer;
  caf::binary_serializer sink{sys, buffer};
  REQUIRE_FALSE(sink(cmd));
  // The payload follows a length prefix; garble the Protobuf bytes after it.
  for (std::size_t i = buffer.size() - 3; i < buffer.size(); ++i)
    buffer[i] = static_cast<char>(0xFF);
  messages::TaskCommand restored;
  caf::binary_deserializer source{sys, buffer};
  CHECK(source(restored));
}

TEST_CASE("registered types travel in caf::message with their names", "[caf_types]") {
  testing::test_config cfg;
  caf::actor_system sys{cfg};
  messages::TaskCommand cmd;
  cmd.set_task_id("t");
  auto msg = caf::make_message(cmd);
  REQUIRE(msg.match_element<messages::TaskCommand>(0));
  CHECK(msg.get_as<messages::TaskCommand>(0).task_id() == "t");
  CHECK(sys.types().portable_name(0, &typeid(messages::TaskCommand)) == "taskflow.TaskCommand");
}
