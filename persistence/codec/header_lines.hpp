// How a stored response's headers are encoded, the same for every SQL
// adapter: one "Name: value\n" line per header, as HTTP writes them. Values
// cannot hold a line break, so the encoding needs no escaping and reads well
// in a SQL shell.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace taskflow::persistence {

std::string encode_header_lines(const std::vector<std::pair<std::string, std::string>>& headers);
std::vector<std::pair<std::string, std::string>> decode_header_lines(const std::string& text);

}  // namespace taskflow::persistence
