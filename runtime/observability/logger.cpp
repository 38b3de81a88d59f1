#include "runtime/observability/logger.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "messages/time/rfc3339.hpp"
#include "messages/time/unix_clock.hpp"

namespace taskflow::runtime {
namespace {

std::string_view level_name(log_level level) {
  switch (level) {
    case log_level::debug:
      return "debug";
    case log_level::info:
      return "info";
    case log_level::warn:
      return "warn";
    case log_level::error:
      return "error";
  }
  return "info";
}

}  // namespace

log_level parse_log_level(std::string_view name) {
  if (name == "debug")
    return log_level::debug;
  if (name == "warn")
    return log_level::warn;
  if (name == "error")
    return log_level::error;
  return log_level::info;
}

logger::logger(log_level min_level)
    : min_level_(min_level),
      sink_(std::make_shared<spdlog::logger>("taskflow", std::make_shared<spdlog::sinks::stderr_sink_mt>())) {
  sink_->set_pattern("%v");
  sink_->set_level(spdlog::level::trace);
  sink_->flush_on(spdlog::level::trace);
}

logger::~logger() = default;

void logger::log(log_level level, std::string_view event, nlohmann::json fields) const {
  if (level < min_level_)
    return;
  nlohmann::json line = {
      {"ts", clock::format_rfc3339(clock::unix_now_ms())}, {"level", level_name(level)}, {"event", event}};
  if (fields.is_object())
    line.update(fields);
  // Replacement keeps one bad byte from a client from dropping the whole line.
  sink_->info(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void logger::debug(std::string_view event, nlohmann::json fields) const {
  log(log_level::debug, event, std::move(fields));
}
void logger::info(std::string_view event, nlohmann::json fields) const {
  log(log_level::info, event, std::move(fields));
}
void logger::warn(std::string_view event, nlohmann::json fields) const {
  log(log_level::warn, event, std::move(fields));
}
void logger::error(std::string_view event, nlohmann::json fields) const {
  log(log_level::error, event, std::move(fields));
}

}  // namespace taskflow::runtime
