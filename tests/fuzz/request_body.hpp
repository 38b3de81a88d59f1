// Fuzz input read as the edge reads a request body: the JSON object a body
// mapper is given, or nothing when the edge would already have refused it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <variant>

#include <nlohmann/json.hpp>

#include "http-edge/json/json_body.hpp"

namespace taskflow::fuzz {

// The edge's default --max-json-depth.
inline constexpr std::size_t body_depth = 32;

inline std::optional<nlohmann::json> request_body(const std::uint8_t* data, std::size_t size) {
  auto parsed = edge::parse_json_object({reinterpret_cast<const char*>(data), size}, body_depth);
  if (auto* body = std::get_if<nlohmann::json>(&parsed))
    return std::move(*body);
  return std::nullopt;
}

}  // namespace taskflow::fuzz
