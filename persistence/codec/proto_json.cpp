#include "persistence/codec/proto_json.hpp"

#include <google/protobuf/util/json_util.h>

#include "actors/ports/store_error.hpp"

namespace taskflow::persistence {

std::string to_json(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  // Serializing a message we built ourselves cannot fail.
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

caf::expected<void> from_json(const std::string& text, google::protobuf::Message& message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  auto status = google::protobuf::util::JsonStringToMessage(text, &message, options);
  if (!status.ok())
    return ports::make_error(ports::store_errc::corrupt,
                             "stored " + message.GetTypeName() + " is unreadable: " + std::string{status.message()});
  return caf::unit;
}

}  // namespace taskflow::persistence
