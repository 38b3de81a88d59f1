// A webhook receiver on 127.0.0.1 for end-to-end tests: answers each POST
// with the next status of a script (the last one repeats), and keeps every
// request it got with whether its Standard Webhooks signature verified
// against the secret it is given. Loopback only: tests never send traffic
// anywhere else.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace taskflow::e2e {

struct received_webhook {
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  bool signature_valid = false;
};

class webhook_receiver {
public:
  explicit webhook_receiver(std::vector<int> statuses);
  ~webhook_receiver();
  webhook_receiver(const webhook_receiver&) = delete;
  webhook_receiver& operator=(const webhook_receiver&) = delete;

  std::string url() const;
  // The "whsec_..." secret signatures are checked against.
  void set_secret(const std::string& secret);
  std::vector<received_webhook> received() const;

private:
  struct impl;
  std::unique_ptr<impl> self_;
};

// What a receiver computes to check a delivery: "v1,<base64 HMAC-SHA256>".
std::string standard_webhooks_signature(const std::string& secret, const std::string& id, const std::string& timestamp,
                                        const std::string& body);

}  // namespace taskflow::e2e
