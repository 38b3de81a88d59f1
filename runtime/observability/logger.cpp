#include "runtime/observability/logger.hpp"

#include <chrono>
#include <ctime>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

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

std::string rfc3339_now() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
  return out;
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
  nlohmann::json line = {{"ts", rfc3339_now()}, {"level", level_name(level)}, {"event", event}};
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
