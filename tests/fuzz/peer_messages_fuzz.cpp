// libFuzzer target for what another node sends: the first byte picks how the
// rest arrives.
//   even: a caf::message as BASP carries it between nodes (io::middleman),
//         read with the message types a node registers, so the type names in
//         the bytes choose which Protobuf message our inspect() parses;
//   odd: an EventEnvelope as the JetStream bus delivers it (ParseFromArray).
// Whatever decodes serializes to bytes that decode to the same message, and
// serializing that again gives the same bytes.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/message.hpp>

#include "messages/caf_types.hpp"
#include "tests/fuzz/invariant.hpp"

using taskflow::fuzz::expect;

namespace {

// A node's type registry; nothing is spawned, so the scheduler stays idle.
struct node_types {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> system;
  node_types() {
    taskflow::messages::register_message_types(cfg);
    cfg.set("scheduler.max-threads", 1);
    system = std::make_unique<caf::actor_system>(cfg);
  }
};

caf::actor_system& node() {
  // Never destroyed: at exit, CAF's own statics may already be gone when an
  // actor_system destructor would run (a SEGV in ref_counted::deref).
  [[clang::no_destroy]] static node_types types;
  return *types.system;
}

std::vector<char> serialized(caf::message& msg) {
  std::vector<char> out;
  caf::binary_serializer sink{node(), out};
  expect(!sink(msg), "a decoded message serializes");
  return out;
}

void basp_payload(const std::uint8_t* data, std::size_t size) {
  caf::binary_deserializer source{node(), reinterpret_cast<const char*>(data), size};
  caf::message msg;
  if (source(msg))
    return;
  expect(source.remaining() <= size, "decoding reads only the bytes that arrived");
  auto bytes = serialized(msg);
  caf::binary_deserializer again_source{node(), bytes.data(), bytes.size()};
  caf::message again;
  expect(!again_source(again) && again_source.remaining() == 0,
         "a decoded message, serialized, decodes from exactly its bytes");
  expect(caf::to_string(again) == caf::to_string(msg), "a decoded message decodes again to the same message");
  expect(serialized(again) == bytes, "a decoded message serializes the same way twice");
}

void bus_event(const std::uint8_t* data, std::size_t size) {
  taskflow::messages::EventEnvelope event;
  if (!event.ParseFromArray(data, static_cast<int>(size)))
    return;
  auto bytes = event.SerializeAsString();
  taskflow::messages::EventEnvelope again;
  expect(again.ParseFromString(bytes), "a decoded event serializes to bytes that decode");
  expect(again.SerializeAsString() == bytes, "a decoded event serializes the same way twice");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  if (data[0] % 2 == 0)
    basp_payload(data + 1, size - 1);
  else
    bus_event(data + 1, size - 1);
  return 0;
}
