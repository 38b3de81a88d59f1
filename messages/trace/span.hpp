// One span being timed: started as the child of a traceparent (or as a new
// trace), given OpenTelemetry attributes, ended once. It always has a context
// to hand on, whether sampled or not; only a sampled span with a tracer
// installed records anything. Copies share the span (a continuation that ends
// it may run on another thread than the one that started it); the first end()
// records it, later ones do nothing.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "messages/trace/span.pb.h"
#include "messages/trace/trace_context.hpp"
#include "messages/trace/tracer.hpp"

namespace taskflow::trace {

using span_kind = messages::Span::Kind;

namespace kind {
inline constexpr span_kind internal = messages::Span::KIND_INTERNAL;
inline constexpr span_kind server = messages::Span::KIND_SERVER;
inline constexpr span_kind client = messages::Span::KIND_CLIENT;
inline constexpr span_kind producer = messages::Span::KIND_PRODUCER;
inline constexpr span_kind consumer = messages::Span::KIND_CONSUMER;
}  // namespace kind

// Whether a trace starting here may be sampled by the tracer's ratio (a
// caller's sampled flag is followed either way).
enum class new_traces { by_ratio, unsampled };

class span {
public:
  // Neither recording nor carrying a context.
  span() = default;

  // A child of `parent`, a traceparent; with none (or an invalid one) it
  // starts a new trace, sampled as the installed tracer decides. The
  // parent's sampled flag is followed either way.
  static span start(std::string_view name, span_kind kind, std::string_view parent,
                    new_traces roots = new_traces::by_ratio);
  // A new trace of its own, sampled when `sampled` (a commit batch that
  // carries at least one sampled commit).
  static span root(std::string_view name, span_kind kind, bool sampled);
  // A new trace for work a write caused but that runs later (a webhook
  // attempt, a reminder's ring): sampled, and linked to the write's span,
  // when `cause` is a sampled traceparent.
  static span linked_root(std::string_view name, span_kind kind, std::string_view cause);

  // A child of this span when it records; otherwise a span that records
  // nothing and hands on this one's context. For work that never passes the
  // context on, where an unsampled request should cost nothing.
  span child(std::string_view name, span_kind kind) const;

  bool recording() const { return state_ != nullptr; }
  const context& ctx() const { return ctx_; }
  // Empty for a default-constructed span.
  std::string traceparent() const { return ctx_.trace_id.empty() ? std::string{} : ctx_.traceparent(); }

  span& attr(const std::string& key, std::string_view value);
  span& attr(const std::string& key, const char* value) { return attr(key, std::string_view{value}); }
  span& attr(const std::string& key, std::int64_t value);
  span& attr(const std::string& key, int value) { return attr(key, static_cast<std::int64_t>(value)); }
  span& attr(const std::string& key, double value);
  span& attr(const std::string& key, bool value);
  span& rename(std::string_view name);
  span& link(const context& other);
  // Marks the span failed (status ERROR) with a message.
  span& fail(std::string_view message);
  void end() const;

private:
  struct state {
    messages::Span data;
    tracer* to = nullptr;
    std::atomic<bool> ended{false};
  };
  static span make(std::string_view name, span_kind kind, context ctx, std::string parent_span_id);
  // Null when not recording.
  messages::SpanAttribute* new_attribute(const std::string& key);

  context ctx_;
  std::shared_ptr<state> state_;
};

// Nanoseconds since the Unix epoch, as spans are stamped.
std::uint64_t unix_now_ns();

}  // namespace taskflow::trace
