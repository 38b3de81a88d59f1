// What a node tells the script that started it once its edge listens
// (--ready-file): NAME=VALUE lines saying where it listens and what it runs
// on. Written whole (a temporary file renamed into place), so a script
// polling for the file never reads half of it.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <caf/expected.hpp>

namespace taskflow::runtime {

using ready_facts = std::vector<std::pair<std::string, std::string>>;

caf::expected<void> write_ready_file(const std::filesystem::path& path, const ready_facts& facts);

}  // namespace taskflow::runtime
