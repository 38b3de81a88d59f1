// Structured logs: one JSON object per line on stderr, with an event name and
// fields. Callers pass fields explicitly, which is how secrets stay out: no
// request body, header value or token is ever handed to the logger.
#pragma once

#include <memory>
#include <string_view>

#include <nlohmann/json.hpp>

namespace spdlog {
class logger;
}

namespace taskflow::runtime {

enum class log_level { debug, info, warn, error };

log_level parse_log_level(std::string_view name);

class logger {
public:
  explicit logger(log_level min_level);
  ~logger();

  void log(log_level level, std::string_view event, nlohmann::json fields = {}) const;
  void debug(std::string_view event, nlohmann::json fields = {}) const;
  void info(std::string_view event, nlohmann::json fields = {}) const;
  void warn(std::string_view event, nlohmann::json fields = {}) const;
  void error(std::string_view event, nlohmann::json fields = {}) const;

private:
  log_level min_level_;
  std::shared_ptr<spdlog::logger> sink_;
};

}  // namespace taskflow::runtime
