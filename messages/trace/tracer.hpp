// Where finished spans go. A node installs its tracer when it starts (the
// sampler, its ring of recent traces, the OTLP exporter); until then, and in
// unit tests that install none, a span costs a fresh id and nothing more.
//
// One tracer per process, as OpenTelemetry's global provider: spans start in
// every layer (the edge, actors, stores, consumers), and threading a handle
// through each of them would touch every signature for a concern that is the
// process's, not the call's.
#pragma once

#include <memory>

#include "messages/trace/span.pb.h"

namespace taskflow::trace {

class tracer {
public:
  virtual ~tracer() = default;

  // Whether a trace that starts here, with no caller's decision to follow,
  // is sampled.
  virtual bool sample_root() = 0;
  // A sampled span started (counted; it may never end).
  virtual void started() = 0;
  // Takes a finished span. Called on any thread, often a scheduler's: it
  // must neither block nor wait on I/O.
  virtual void record(messages::Span span) = 0;
};

// Installs the process's tracer (null: none). A replaced tracer stays alive
// until the process ends, since spans started under it may still end.
void install(std::shared_ptr<tracer> next);

// The installed tracer, or null.
tracer* installed();

}  // namespace taskflow::trace
