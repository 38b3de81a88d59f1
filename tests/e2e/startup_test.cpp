// What a person or a script starting a node sees: the configuration the
// flags give (`taskflow config`), a taken address refused in one line before
// anything starts, and the ready file that says where the node listens and
// what it runs on.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "tests/e2e/support/command.hpp"
#include "tests/e2e/support/server_process.hpp"

using namespace taskflow::e2e;
using namespace std::chrono_literals;

namespace {

std::map<std::string, std::string> lines_of(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in{text};
  for (std::string line; std::getline(in, line);) {
    auto eq = line.find('=');
    if (eq != std::string::npos)
      out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

}  // namespace

TEST_CASE("taskflow config prints what flags and environment give, secrets hidden", "[startup]") {
  auto r = run_command({TASKFLOW_BINARY_FOR_TESTS, "config", "--listen", "127.0.0.1:8090", "--postgres",
                        "postgresql://tf:s3cret@127.0.0.1:5432/tf"},
                       {{"TASKFLOW_LISTEN", "127.0.0.1:7000"}, {"TASKFLOW_BOOTSTRAP_ADMIN", "a@b.test:hunter22"}});
  REQUIRE(r.status == 0);
  auto settings = lines_of(r.out);
  CHECK(settings["listen"] == "127.0.0.1:8090");
  CHECK(settings["postgres"] == "postgresql://tf@127.0.0.1:5432/tf");
  CHECK(settings["bootstrap-admin"] == "(set)");
  CHECK(r.out.find("hunter22") == std::string::npos);
  CHECK(r.out.find("s3cret") == std::string::npos);

  auto bad = run_command({TASKFLOW_BINARY_FOR_TESTS, "config", "--listen", "nowhere"});
  CHECK(bad.status == 2);
  CHECK_THAT(bad.err, Catch::Contains("HOST:PORT"));
}

TEST_CASE("a taken address is refused in one line that names the flag, before anything starts", "[startup]") {
  server_process first;
  auto address = "127.0.0.1:" + std::to_string(first.port());
  auto data_dir = std::filesystem::temp_directory_path() / ("taskflow-e2e-taken-" + std::to_string(::getpid()));
  std::filesystem::remove_all(data_dir);
  auto r = run_command({TASKFLOW_BINARY_FOR_TESTS, "serve", "--listen", address, "--data-dir", data_dir.string()});
  CHECK(r.status == 1);
  INFO(r.err);
  CHECK(r.err ==
        "taskflow: " + address + " is already in use; choose another with --listen HOST:PORT (or TASKFLOW_LISTEN)\n");
  // Nothing was opened: no store file in the data directory.
  CHECK_FALSE(std::filesystem::exists(data_dir / "taskflow.db"));
  std::filesystem::remove_all(data_dir);
}

TEST_CASE("the ready file says where the node listens and what it runs on", "[startup]") {
  auto ready = std::filesystem::temp_directory_path() / ("taskflow-e2e-ready-" + std::to_string(::getpid()));
  std::filesystem::remove(ready);
  server_process node{{"--ready-file", ready.string()}};
  // server_process returns once /readyz answers, and the file is written
  // right after the edge listens: it is there already, or a moment later.
  for (int i = 0; i < 50 && !std::filesystem::exists(ready); ++i)
    std::this_thread::sleep_for(100ms);
  std::ifstream in{ready};
  std::string text{std::istreambuf_iterator<char>{in}, {}};
  auto facts = lines_of(text);
  CHECK(facts["http"] == "127.0.0.1:" + std::to_string(node.port()));
  CHECK(facts["store"] == "sqlite " + (node.data_dir() / "taskflow.db").lexically_normal().string());
  CHECK(facts["bus"] == "in-process");
  CHECK(facts["cache"] == "none");
  CHECK(facts["pid"] == std::to_string(node.pid()));
  std::filesystem::remove(ready);
}

TEST_CASE("with a key-encryption key the store never holds the signing key in clear, and needs the key to start",
          "[startup]") {
  auto dir = std::filesystem::temp_directory_path() / ("taskflow-e2e-kek-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto kek = dir / "kek";
  std::ofstream{kek} << "a key-encryption key of more than thirty-two bytes\n";
  std::filesystem::path data_dir;
  {
    server_process node{{"--key-encryption-key-file", kek.string()}};
    data_dir = node.data_dir();
    node.terminate();
    std::ifstream db{data_dir / "taskflow.db", std::ios::binary};
    std::stringstream bytes;
    bytes << db.rdbuf();
    CHECK(bytes.str().find("PRIVATE KEY") == std::string::npos);
    CHECK(bytes.str().find("kw1.") != std::string::npos);

    // The same store without the key, or with a short one: one clear line, no start.
    auto port = "127.0.0.1:0";
    auto without = run_command({TASKFLOW_BINARY_FOR_TESTS, "serve", "--listen", port, "--data-dir", data_dir.string()});
    CHECK(without.status == 1);
    CHECK(without.err.find("--key-encryption-key-file") != std::string::npos);
    std::ofstream{dir / "short"} << "too short";
    auto short_key = run_command({TASKFLOW_BINARY_FOR_TESTS, "serve", "--listen", port, "--data-dir", data_dir.string(),
                                  "--key-encryption-key-file", (dir / "short").string()});
    CHECK(short_key.status == 1);
    CHECK(short_key.err.find("fewer than 32 bytes") != std::string::npos);
  }
  std::filesystem::remove_all(dir);
}
