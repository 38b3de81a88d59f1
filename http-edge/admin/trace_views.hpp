// The admin API's traces: query parsing and JSON. Times in a trace are
// milliseconds from the trace's first start, which is what a waterfall draws;
// the trace's own start is in epoch milliseconds.
#pragma once

#include <map>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "messages/admin/admin.pb.h"
#include "messages/common/field_errors.hpp"
#include "runtime/admin/admin_gateway.hpp"

namespace taskflow::edge {

// ?min_ms=<0..3600000>&route=<http.route>&limit=<1..200, default 50>
std::variant<messages::ListTraces, messages::field_errors> parse_trace_query(
    const std::multimap<std::string, std::string>& query);

// 32 lower-case hex digits, not all zero.
bool is_trace_id(const std::string& text);

nlohmann::json trace_list_to_json(const runtime::trace_list& list);
nlohmann::json trace_to_json(const std::string& trace_id, const runtime::gathered_trace& trace);

}  // namespace taskflow::edge
