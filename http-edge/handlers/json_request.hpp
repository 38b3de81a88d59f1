// What every JSON handler does with a request before its own work: check the
// media type, parse the body within the configured limits, and answer a
// problem in the request's HTTP version and connection mode.
#pragma once

#include <initializer_list>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "http-edge/problem/problem.hpp"
#include "http-edge/routing/router.hpp"
#include "runtime/config/config.hpp"

namespace taskflow::edge {

http_response rendered(const problem& p, const request_context& ctx);

// The request's body as a JSON object; or nullopt, once `respond` has had the
// problem: 415 unless the Content-Type is one of `media_types`, 400 naming
// what is wrong with the body.
std::optional<nlohmann::json> json_body(const request_context& ctx, const runtime::config& cfg,
                                        const responder& respond,
                                        std::initializer_list<std::string_view> media_types = {"application/json"});

}  // namespace taskflow::edge
