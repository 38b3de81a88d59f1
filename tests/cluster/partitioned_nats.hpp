// A nats-server (JetStream) in a network namespace of its own, reached from
// the test over two veth links: most nodes use the "kept" link, the node
// under test uses the "cut" link, and cut() drops that link's traffic. So one
// node loses NATS while it still reaches PostgreSQL, its peers and its
// clients on loopback: a partition from the bus and the membership bucket
// alone. The test process first moves into a network namespace of its own,
// so everything here (links, addresses from 198.18.0.0/15, the range set
// aside for benchmarking, and routes) lives in namespaces the test made;
// nothing is sent beyond them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <sys/types.h>

namespace taskflow::cluster_test {

class partitioned_nats {
public:
  partitioned_nats();
  ~partitioned_nats();
  partitioned_nats(const partitioned_nats&) = delete;
  partitioned_nats& operator=(const partitioned_nats&) = delete;

  // Why the machine would not create the namespaces or links (not root, no
  // veth support); empty when the server is up. The test process stays in
  // its own namespace either way.
  const std::string& refused() const { return refused_; }

  const std::string& name() const { return namespace_; }
  const std::string& kept_url() const { return kept_url_; }
  const std::string& cut_url() const { return cut_url_; }

  // Both throw std::runtime_error with the failing command's output.
  void cut();
  void heal();

private:
  void set_up();
  void tear_down();
  // The blackhole routes of the cut: "add" makes it, "del" heals it.
  std::vector<std::vector<std::string>> cut_commands(const std::string& verb) const;
  std::string namespace_;
  std::string kept_url_;
  std::string cut_url_;
  std::string refused_;
  std::filesystem::path dir_;
  pid_t server_ = -1;
};

}  // namespace taskflow::cluster_test
