// Who dials whom, and the cluster address format the entries are dialed at.
#include <catch2/catch.hpp>

#include "cluster/peers/peer_connections.hpp"

using namespace taskflow;

TEST_CASE("of two workers exactly one dials the other first", "[cluster]") {
  CHECK(cluster::dials_first("w1", "w2", true));
  CHECK_FALSE(cluster::dials_first("w2", "w1", true));
  CHECK(cluster::dials_first("node-10", "node-9", true) != cluster::dials_first("node-9", "node-10", true));
}

TEST_CASE("an edge, which publishes no entry, dials every worker", "[cluster]") {
  CHECK(cluster::dials_first("e9", "w1", false));
  CHECK(cluster::dials_first("a", "b", false));
}

TEST_CASE("a cluster address splits into host and port", "[cluster]") {
  std::string host;
  std::uint16_t port = 0;
  REQUIRE(cluster::split_host_port("127.0.0.1:4001", host, port));
  CHECK(host == "127.0.0.1");
  CHECK(port == 4001);
  REQUIRE(cluster::split_host_port("[::1]:7000", host, port));
  CHECK(host == "::1");
  CHECK(port == 7000);
  CHECK_FALSE(cluster::split_host_port("127.0.0.1", host, port));
  CHECK_FALSE(cluster::split_host_port("127.0.0.1:", host, port));
  CHECK_FALSE(cluster::split_host_port("127.0.0.1:0", host, port));
  CHECK_FALSE(cluster::split_host_port("127.0.0.1:70000", host, port));
  CHECK_FALSE(cluster::split_host_port("127.0.0.1:80x", host, port));
}
