#include "tests/e2e/support/webhook_receiver.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <thread>

#include <boost/asio.hpp>

namespace taskflow::e2e {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

std::string base64_decode(const std::string& text) {
  std::string out(text.size(), '\0');
  auto n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                           reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0)
    return {};
  // EVP_DecodeBlock counts padding as zero bytes.
  auto pad = static_cast<int>(std::count(text.end() - std::min<std::size_t>(2, text.size()), text.end(), '='));
  out.resize(static_cast<std::size_t>(n - pad));
  return out;
}

std::string base64_encode(const unsigned char* bytes, std::size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  auto n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace

std::string standard_webhooks_signature(const std::string& secret, const std::string& id, const std::string& timestamp,
                                        const std::string& body) {
  auto key = base64_decode(secret.substr(secret.rfind("whsec_", 0) == 0 ? 6 : 0));
  auto content = id + "." + timestamp + "." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(content.data()),
       content.size(), mac, &length);
  return "v1," + base64_encode(mac, length);
}

struct webhook_receiver::impl {
  asio::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint{asio::ip::make_address("127.0.0.1"), 0}};
  std::vector<int> statuses;
  mutable std::mutex mutex;
  std::string secret;
  std::vector<received_webhook> got;
  std::atomic<bool> stopping{false};
  std::thread thread;

  void serve() {
    while (!stopping) {
      boost::system::error_code ec;
      tcp::socket socket{io};
      acceptor.accept(socket, ec);
      if (ec || stopping)
        return;
      handle(socket);
    }
  }

  // One request per connection, then close: enough for curl.
  void handle(tcp::socket& socket) {
    boost::system::error_code ec;
    asio::streambuf buffer;
    asio::read_until(socket, buffer, "\r\n\r\n", ec);
    if (ec)
      return;
    std::string head{asio::buffers_begin(buffer.data()), asio::buffers_end(buffer.data())};
    auto end_of_head = head.find("\r\n\r\n") + 4;
    received_webhook request;
    std::size_t length = 0;
    std::size_t line_start = head.find("\r\n") + 2;
    while (line_start < end_of_head - 2) {
      auto line_end = head.find("\r\n", line_start);
      auto line = head.substr(line_start, line_end - line_start);
      auto colon = line.find(':');
      if (colon != std::string::npos) {
        auto name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        auto value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        request.headers[name] = value;
        if (name == "content-length")
          length = std::stoul(value);
      }
      line_start = line_end + 2;
    }
    request.body = head.substr(end_of_head);
    if (request.body.size() < length) {
      std::string rest(length - request.body.size(), '\0');
      asio::read(socket, asio::buffer(rest), ec);
      request.body += rest;
    }
    int status = 0;
    {
      std::lock_guard lock{mutex};
      request.signature_valid =
          !secret.empty() && request.headers["webhook-signature"] ==
                                 standard_webhooks_signature(secret, request.headers["webhook-id"],
                                                             request.headers["webhook-timestamp"], request.body);
      auto index = std::min(got.size(), statuses.size() - 1);
      status = statuses[index];
      got.push_back(std::move(request));
    }
    auto answer = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
    asio::write(socket, asio::buffer(answer), ec);
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }
};

webhook_receiver::webhook_receiver(std::vector<int> statuses) : self_(std::make_unique<impl>()) {
  self_->statuses = statuses.empty() ? std::vector<int>{200} : std::move(statuses);
  self_->thread = std::thread{[this] { self_->serve(); }};
}

webhook_receiver::~webhook_receiver() {
  self_->stopping = true;
  // Wakes the blocking accept.
  boost::system::error_code ec;
  tcp::socket poke{self_->io};
  poke.connect(self_->acceptor.local_endpoint(), ec);
  self_->thread.join();
}

std::string webhook_receiver::url() const {
  return "http://127.0.0.1:" + std::to_string(self_->acceptor.local_endpoint().port()) + "/hooks/taskflow";
}

void webhook_receiver::set_secret(const std::string& secret) {
  std::lock_guard lock{self_->mutex};
  self_->secret = secret;
}

std::vector<received_webhook> webhook_receiver::received() const {
  std::lock_guard lock{self_->mutex};
  return self_->got;
}

}  // namespace taskflow::e2e
