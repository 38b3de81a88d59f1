// Workers that learn of each other at the same moment (a rollout, a cluster
// started at once) must each reach the other's entry. Each worker is a
// process of its own: CAF 0.17 derives the node id from the process, so two
// actor systems in one process would be one node to BASP.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>

#include "cluster/peers/peer_connections.hpp"

using namespace std::chrono_literals;
using ping_atom = caf::atom_constant<caf::atom("ping")>;

namespace {

struct pipe_pair {
  int to_child[2];
  int from_child[2];
};

std::string read_line(int fd) {
  std::string line;
  char c;
  while (::read(fd, &c, 1) == 1 && c != '\n')
    line += c;
  return line;
}

void write_line(int fd, const std::string& line) {
  auto text = line + "\n";
  (void)!::write(fd, text.data(), text.size());
}

// A worker's entry as the node's: it takes offers; and it answers pings.
caf::behavior entry_of(caf::event_based_actor*, std::shared_ptr<taskflow::cluster::peer_connections> entries) {
  return {
      [](ping_atom) { return std::string{"pong"}; },
      [entries](taskflow::cluster::offer_atom, const std::string& peer, const caf::actor& peer_entry) {
        entries->offered(peer, peer_entry);
      },
  };
}

// One worker: publishes an entry, reports its port, waits for the others'
// addresses, then reports how many of them answered a ping through
// peer_connections within 3 s, and stays up until the parent has every report:
// a worker that left as soon as it had reached its peers took its entry away
// from a slower one still pinging it (the misses this test once counted on a
// busy machine).
[[noreturn]] void worker(const std::string& id, int in, int out) {
  caf::actor_system_config cfg;
  cfg.load<caf::io::middleman>();
  caf::actor_system system{cfg};
  auto entries = std::make_shared<taskflow::cluster::peer_connections>(system, id);
  auto entry = system.spawn(entry_of, entries);
  entries->set_own_entry(entry);
  auto port = system.middleman().publish(entry, 0, "127.0.0.1", true);
  write_line(out, port ? std::to_string(*port) : "0");
  std::unordered_map<std::string, std::string> peers;
  for (std::string line; !(line = read_line(in)).empty();) {
    auto eq = line.find('=');
    if (line.substr(0, eq) != id)
      peers[line.substr(0, eq)] = line.substr(eq + 1);
  }
  entries->update(peers);
  caf::scoped_actor self{system};
  std::size_t reached = 0;
  auto until = std::chrono::steady_clock::now() + 3s;
  std::unordered_map<std::string, bool> answered;
  while (reached < peers.size() && std::chrono::steady_clock::now() < until) {
    for (const auto& [peer, address] : peers) {
      if (answered[peer])
        continue;
      auto handle = entries->get(peer);
      if (!handle)
        continue;
      self->request(handle, 500ms, ping_atom::value)
          .receive([&](const std::string&) { answered[peer] = true, ++reached; }, [](caf::error&) {});
    }
    std::this_thread::sleep_for(10ms);
  }
  write_line(out, std::to_string(reached));
  read_line(in);  // the parent's go-ahead, or end of file if it died
  // No orderly shutdown: the published entry would keep the system waiting.
  ::_exit(0);
}

}  // namespace

TEST_CASE("workers that learn of each other at once each reach the other's entry", "[cluster]") {
  constexpr int rounds = 30;
  const std::vector<std::string> ids{"w1", "w2", "w3"};
  int failed_rounds = 0;
  for (int round = 0; round < rounds; ++round) {
    std::vector<pipe_pair> pipes(ids.size());
    std::vector<pid_t> pids;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      REQUIRE(::pipe(pipes[i].to_child) == 0);
      REQUIRE(::pipe(pipes[i].from_child) == 0);
      auto pid = ::fork();
      REQUIRE(pid >= 0);
      if (pid == 0)
        worker(ids[i], pipes[i].to_child[0], pipes[i].from_child[1]);
      // A worker that dies before it reports must end the parent's read.
      ::close(pipes[i].to_child[0]);
      ::close(pipes[i].from_child[1]);
      pids.push_back(pid);
    }
    std::string addresses;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      auto port = read_line(pipes[i].from_child[0]);
      INFO(ids[i] << " did not publish its entry");
      REQUIRE(std::atoi(port.c_str()) > 0);
      addresses += ids[i] + "=127.0.0.1:" + port + "\n";
    }
    for (auto& p : pipes)
      write_line(p.to_child[1], addresses);
    int reached = 0;
    for (auto& p : pipes)
      reached += std::atoi(read_line(p.from_child[0]).c_str());  // a worker that died reports nothing
    for (auto& p : pipes)
      write_line(p.to_child[1], "exit");
    for (auto pid : pids)
      ::waitpid(pid, nullptr, 0);
    for (auto& p : pipes)
      for (int fd : {p.to_child[1], p.from_child[0]})
        ::close(fd);
    if (reached != static_cast<int>(ids.size() * (ids.size() - 1)))
      ++failed_rounds;
  }
  std::printf("rounds: %d, rounds where a worker did not reach every other entry: %d\n", rounds, failed_rounds);
  CHECK(failed_rounds == 0);
}
