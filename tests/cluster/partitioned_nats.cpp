#include "tests/cluster/partitioned_nats.hpp"

#include "tests/support/tcp_probe.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <tuple>
#include <vector>

#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace taskflow::cluster_test {
namespace fs = std::filesystem;

namespace {

using namespace std::chrono_literals;

constexpr int nats_port = 4222;  // the namespace has ports of its own

struct command_result {
  int status = -1;
  std::string output;
};

// Runs argv[0] from PATH without a shell, collecting stdout and stderr.
command_result run(const std::vector<std::string>& argv) {
  int out[2];
  if (::pipe(out) != 0)
    return {-1, "pipe failed"};
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(out[1], STDERR_FILENO);
    ::close(out[0]);
    ::close(out[1]);
    std::vector<char*> args;
    for (const auto& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    std::perror(args[0]);
    ::_exit(127);
  }
  ::close(out[1]);
  command_result result;
  char buf[512];
  for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;)
    result.output.append(buf, static_cast<std::size_t>(n));
  ::close(out[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string join(const std::vector<std::string>& argv) {
  std::string text;
  for (const auto& a : argv)
    text += (text.empty() ? "" : " ") + a;
  return text;
}

// The test's own namespace is the "host" side, so fixed addresses collide
// with nothing: kept link .1 host, .2 server; cut link .5 host, .6 server.
const std::string subnet = "198.18.0.";
const std::string kept_link = "tf-kept";
const std::string cut_link = "tf-cut";

// A test killed by a timeout leaves the server's namespace behind; one whose
// process is gone is ours to remove.
void remove_stale_namespaces() {
  std::istringstream list{run({"ip", "netns", "list"}).output};
  std::string name;
  for (std::string line; std::getline(list, line);) {
    name = line.substr(0, line.find(' '));
    if (name.rfind("tfp", 0) != 0 || name.size() == 3 || name.find_first_not_of("0123456789", 3) != std::string::npos)
      continue;
    auto pid = name.substr(3);
    if (fs::exists("/proc/" + pid))
      continue;
    run({"ip", "netns", "del", name});
  }
}

}  // namespace

partitioned_nats::partitioned_nats() {
  auto pid = std::to_string(::getpid());
  namespace_ = "tfp" + pid;
  dir_ = fs::temp_directory_path() / ("taskflow-partition-" + pid);
  set_up();
  if (!refused_.empty())
    tear_down();
}

partitioned_nats::~partitioned_nats() {
  tear_down();
}

void partitioned_nats::set_up() {
  remove_stale_namespaces();
  // The test process leaves the machine's network namespace for one of its
  // own, which the servers and nodes it starts afterwards inherit: the links,
  // addresses and routes below then touch nothing of the machine's, and
  // nothing the machine filters or routes in its own namespace reaches them.
  // Only the calling thread moves; the test starts no thread before this.
  if (::unshare(CLONE_NEWNET) != 0) {
    refused_ = std::string{"unshare(CLONE_NEWNET) failed: "} + std::strerror(errno);
    return;
  }
  auto ns_side = [](const std::string& link) { return link + "-ns"; };
  std::vector<std::vector<std::string>> steps{{"ip", "link", "set", "lo", "up"},
                                              {"ip", "netns", "add", namespace_},
                                              {"ip", "netns", "exec", namespace_, "ip", "link", "set", "lo", "up"}};
  for (const auto& [link, host, server] :
       {std::tuple{kept_link, subnet + "1", subnet + "2"}, std::tuple{cut_link, subnet + "5", subnet + "6"}}) {
    steps.push_back({"ip", "link", "add", link, "type", "veth", "peer", "name", ns_side(link)});
    steps.push_back({"ip", "link", "set", ns_side(link), "netns", namespace_});
    steps.push_back({"ip", "addr", "add", host + "/30", "dev", link});
    steps.push_back({"ip", "link", "set", link, "up"});
    steps.push_back({"ip", "netns", "exec", namespace_, "ip", "addr", "add", server + "/30", "dev", ns_side(link)});
    steps.push_back({"ip", "netns", "exec", namespace_, "ip", "link", "set", ns_side(link), "up"});
  }
  for (const auto& step : steps)
    if (auto r = run(step); r.status != 0) {
      refused_ = "`" + join(step) + "` failed: " + r.output;
      return;
    }

  fs::remove_all(dir_);
  fs::create_directories(dir_);
  server_ = ::fork();
  if (server_ == 0) {
    // Goes down with the test, even when the test is killed.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, STDOUT_FILENO);
    ::dup2(null, STDERR_FILENO);
    auto store = (dir_ / "jetstream").string();
    auto log = (dir_ / "server.log").string();
    auto port = std::to_string(nats_port);
    ::execlp("ip", "ip", "netns", "exec", namespace_.c_str(), "nats-server", "-a", "0.0.0.0", "-p", port.c_str(), "-js",
             "-sd", store.c_str(), "-l", log.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  kept_url_ = "nats://" + subnet + "2:" + std::to_string(nats_port);
  cut_url_ = "nats://" + subnet + "6:" + std::to_string(nats_port);
  for (int i = 0; i < 100; ++i) {
    if (testing::tcp_accepts(subnet + "2", nats_port) && testing::tcp_accepts(subnet + "6", nats_port))
      return;
    std::this_thread::sleep_for(100ms);
  }
  std::ifstream log{dir_ / "server.log"};
  refused_ = "nats-server did not answer on " + subnet + "2 and " + subnet + "6 in namespace " + namespace_ +
             ".\nThis side:\n" + run({"ip", "-br", "addr"}).output + "Its side:\n" +
             run({"ip", "netns", "exec", namespace_, "ip", "-br", "addr"}).output + "Its log:\n" +
             std::string{std::istreambuf_iterator<char>{log}, {}};
}

void partitioned_nats::tear_down() {
  if (server_ > 0) {
    // A throw-away server: nothing of its store is kept.
    ::kill(server_, SIGKILL);
    ::waitpid(server_, nullptr, 0);
    server_ = -1;
  }
  // The server's side of each veth pair goes with its namespace, and this
  // side's links and routes with the test's own namespace at exit.
  run({"ip", "netns", "del", namespace_});
  fs::remove_all(dir_);
}

// Blackhole routes on both sides drop the link's traffic silently, as a
// partition does; taking the link down instead would let the host route
// the server's address out of its default gateway.
std::vector<std::vector<std::string>> partitioned_nats::cut_commands(const std::string& verb) const {
  return {{"ip", "route", verb, "blackhole", subnet + "6/32"},
          {"ip", "netns", "exec", namespace_, "ip", "route", verb, "blackhole", subnet + "5/32"}};
}

void partitioned_nats::cut() {
  for (const auto& command : cut_commands("add"))
    if (auto r = run(command); r.status != 0)
      throw std::runtime_error("`" + join(command) + "` failed: " + r.output);
}

void partitioned_nats::heal() {
  for (const auto& command : cut_commands("del"))
    if (auto r = run(command); r.status != 0)
      throw std::runtime_error("`" + join(command) + "` failed: " + r.output);
}

}  // namespace taskflow::cluster_test
