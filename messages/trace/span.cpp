#include "messages/trace/span.hpp"

#include <chrono>
#include <utility>

namespace taskflow::trace {

std::uint64_t unix_now_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

span span::make(std::string_view name, span_kind kind, context ctx, std::string parent_span_id) {
  span out;
  out.ctx_ = std::move(ctx);
  auto* to = out.ctx_.sampled ? installed() : nullptr;
  if (!to)
    return out;
  out.state_ = std::make_shared<state>();
  out.state_->to = to;
  auto& data = out.state_->data;
  data.set_trace_id(out.ctx_.trace_id);
  data.set_span_id(out.ctx_.span_id);
  data.set_parent_span_id(std::move(parent_span_id));
  data.set_name(std::string{name});
  data.set_kind(kind);
  data.set_start_unix_nano(unix_now_ns());
  to->started();
  return out;
}

span span::start(std::string_view name, span_kind kind, std::string_view parent, new_traces roots) {
  if (auto caller = parse_traceparent(parent))
    return make(name, kind, context{std::move(caller->trace_id), new_span_id(), caller->sampled},
                std::move(caller->span_id));
  auto* to = installed();
  bool sampled = roots == new_traces::by_ratio && to && to->sample_root();
  return make(name, kind, context{new_trace_id(), new_span_id(), sampled}, {});
}

span span::root(std::string_view name, span_kind kind, bool sampled) {
  return make(name, kind, context{new_trace_id(), new_span_id(), sampled}, {});
}

span span::child(std::string_view name, span_kind kind) const {
  if (!state_) {
    span out;
    out.ctx_ = ctx_;
    return out;
  }
  return make(name, kind, context{ctx_.trace_id, new_span_id(), true}, ctx_.span_id);
}

span span::linked_root(std::string_view name, span_kind kind, std::string_view cause) {
  auto parent = parse_traceparent(cause);
  auto out = root(name, kind, parent && parent->sampled);
  if (out.recording())
    out.link(*parent);
  return out;
}

span& span::rename(std::string_view name) {
  if (state_)
    state_->data.set_name(std::string{name});
  return *this;
}

messages::SpanAttribute* span::new_attribute(const std::string& key) {
  if (!state_)
    return nullptr;
  auto* a = state_->data.add_attributes();
  a->set_key(key);
  return a;
}

span& span::attr(const std::string& key, std::string_view value) {
  if (auto* a = new_attribute(key))
    a->set_string_value(std::string{value});
  return *this;
}

span& span::attr(const std::string& key, std::int64_t value) {
  if (auto* a = new_attribute(key))
    a->set_int_value(value);
  return *this;
}

span& span::attr(const std::string& key, double value) {
  if (auto* a = new_attribute(key))
    a->set_double_value(value);
  return *this;
}

span& span::attr(const std::string& key, bool value) {
  if (auto* a = new_attribute(key))
    a->set_bool_value(value);
  return *this;
}

span& span::link(const context& other) {
  if (state_ && !other.trace_id.empty()) {
    auto* l = state_->data.add_links();
    l->set_trace_id(other.trace_id);
    l->set_span_id(other.span_id);
  }
  return *this;
}

span& span::fail(std::string_view message) {
  if (state_) {
    state_->data.set_error(true);
    state_->data.set_status_message(std::string{message});
  }
  return *this;
}

void span::end() const {
  if (!state_ || state_->ended.exchange(true))
    return;
  state_->data.set_end_unix_nano(unix_now_ns());
  state_->to->record(std::move(state_->data));
}

}  // namespace taskflow::trace
