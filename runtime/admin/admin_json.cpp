#include "runtime/admin/admin_json.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include "messages/events/event_type.hpp"

namespace taskflow::runtime {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

nlohmann::json scalar(const Message& m, const Reflection& r, const FieldDescriptor& f, int index) {
  bool repeated = f.is_repeated();
  switch (f.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return repeated ? r.GetRepeatedInt32(m, &f, index) : r.GetInt32(m, &f);
    case FieldDescriptor::CPPTYPE_INT64:
      return repeated ? r.GetRepeatedInt64(m, &f, index) : r.GetInt64(m, &f);
    case FieldDescriptor::CPPTYPE_UINT32:
      return repeated ? r.GetRepeatedUInt32(m, &f, index) : r.GetUInt32(m, &f);
    case FieldDescriptor::CPPTYPE_UINT64:
      return repeated ? r.GetRepeatedUInt64(m, &f, index) : r.GetUInt64(m, &f);
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return repeated ? r.GetRepeatedDouble(m, &f, index) : r.GetDouble(m, &f);
    case FieldDescriptor::CPPTYPE_FLOAT:
      return repeated ? r.GetRepeatedFloat(m, &f, index) : r.GetFloat(m, &f);
    case FieldDescriptor::CPPTYPE_BOOL:
      return repeated ? r.GetRepeatedBool(m, &f, index) : r.GetBool(m, &f);
    case FieldDescriptor::CPPTYPE_ENUM:
      return (repeated ? r.GetRepeatedEnum(m, &f, index) : r.GetEnum(m, &f))->name();
    case FieldDescriptor::CPPTYPE_STRING:
      return repeated ? r.GetRepeatedString(m, &f, index) : r.GetString(m, &f);
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return message_to_json(repeated ? r.GetRepeatedMessage(m, &f, index) : r.GetMessage(m, &f));
  }
  return nullptr;
}

}  // namespace

nlohmann::json message_to_json(const Message& message) {
  const auto* descriptor = message.GetDescriptor();
  const auto* reflection = message.GetReflection();
  auto out = nlohmann::json::object();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const auto& field = *descriptor->field(i);
    if (field.is_repeated()) {
      auto items = nlohmann::json::array();
      for (int k = 0; k < reflection->FieldSize(message, &field); ++k)
        items.push_back(scalar(message, *reflection, field, k));
      out[field.name()] = std::move(items);
      continue;
    }
    // Fields with presence (messages, optionals, oneof members) appear only
    // when set; plain scalars always, so a zero is visible as a zero.
    if (field.has_presence() && !reflection->HasField(message, &field))
      continue;
    out[field.name()] = scalar(message, *reflection, field, 0);
  }
  return out;
}

nlohmann::json event_to_json(const messages::EventEnvelope& event) {
  auto copy = event;
  if (copy.has_api_key_revoked())
    copy.mutable_api_key_revoked()->clear_key_hash();
  nlohmann::json data = nlohmann::json::object();
  if (copy.payload_case() != messages::EventEnvelope::PAYLOAD_NOT_SET) {
    const auto* field = copy.GetDescriptor()->FindFieldByNumber(copy.payload_case());
    data = message_to_json(copy.GetReflection()->GetMessage(copy, field));
  }
  return {{"event_id", copy.event_id()},
          {"type", std::string{messages::event_type(copy)}},
          {"aggregate_type", copy.aggregate_type()},
          {"aggregate_id", copy.aggregate_id()},
          {"version", copy.version()},
          {"occurred_at_ms", copy.occurred_at_ms()},
          {"actor_id", copy.actor_id()},
          {"traceparent", copy.traceparent()},
          {"data", std::move(data)}};
}

}  // namespace taskflow::runtime
