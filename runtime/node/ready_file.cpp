#include "runtime/node/ready_file.hpp"

#include <fstream>
#include <system_error>

#include <unistd.h>

#include <caf/sec.hpp>

namespace taskflow::runtime {

caf::expected<void> write_ready_file(const std::filesystem::path& path, const ready_facts& facts) {
  auto temporary = path;
  temporary += ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out{temporary, std::ios::trunc};
    for (const auto& [name, value] : facts)
      out << name << '=' << value << '\n';
    out.flush();
    if (!out)
      return caf::make_error(caf::sec::runtime_error, "cannot write the ready file " + temporary.string());
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    return caf::make_error(caf::sec::runtime_error, "cannot write the ready file " + path.string());
  }
  return caf::unit;
}

}  // namespace taskflow::runtime
