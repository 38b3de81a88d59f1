// What every JSON handler does with a request before its own work: check the
// media type, parse the body within the configured limits, and answer a
// problem in the request's HTTP version and connection mode.
#pragma once

#include <initializer_list>
#include <optional>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "http-edge/problem/problem.hpp"
#include "http-edge/routing/request_context.hpp"
#include "runtime/config/config.hpp"

namespace taskflow::edge {

http_response rendered(const problem& p, const request_context& ctx);

// 415 unless the Content-Type is one of `media_types`.
std::optional<problem> require_json_body(const request_context& ctx,
                                         std::initializer_list<std::string_view> media_types = {"application/json"});

// The body as a JSON object, or 400 naming what is wrong with it.
std::variant<nlohmann::json, problem> body_of(const request_context& ctx, const runtime::config& cfg);

}  // namespace taskflow::edge
