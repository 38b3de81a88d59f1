// The body of an OTLP/HTTP trace export in the JSON encoding: an
// ExportTraceServiceRequest (opentelemetry-proto's trace_service.proto under
// protobuf's JSON mapping, with OTLP's one exception that trace and span ids
// are hex, not base64). Pure: no I/O, no clock.
#pragma once

#include <span>
#include <string>

#include "messages/trace/span.pb.h"

namespace taskflow::runtime {

// Who produced the spans, beyond the node each span names.
struct otlp_service {
  std::string name;
  std::string version;
};

// One resourceSpans per node_id, in the order the nodes first appear, with
// service.name, service.version and service.instance.id (the node id; left
// out when empty). A span's place within its node keeps the batch's order.
// Text that is not UTF-8 (a span name taken from a request path) is
// replaced, not refused, so one bad span cannot make the batch unsendable.
std::string otlp_trace_request(std::span<const messages::Span> spans, const otlp_service& service);

}  // namespace taskflow::runtime
