// Standard Webhooks signing, checked against the specification's own
// example, and the secrets the server makes and accepts.
#include <catch2/catch.hpp>

#include "runtime/webhooks/webhook_signature.hpp"

using namespace taskflow::runtime;

TEST_CASE("the signature matches the Standard Webhooks reference example", "[unit][webhook_signature]") {
  // From the standard-webhooks repository's test vectors.
  auto key = webhook_secret_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  REQUIRE(key);
  CHECK(webhook_signature(*key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})") ==
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST_CASE("new secrets carry 32 random bytes and are accepted back", "[unit][webhook_signature]") {
  auto a = new_webhook_secret();
  auto b = new_webhook_secret();
  CHECK(a != b);
  CHECK(a.rfind("whsec_", 0) == 0);
  auto key = webhook_secret_key(a);
  REQUIRE(key);
  CHECK(key->size() == 32);
}

TEST_CASE("secrets without the prefix, not base64, or too short are refused", "[unit][webhook_signature]") {
  CHECK_FALSE(webhook_secret_key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
  CHECK_FALSE(webhook_secret_key("whsec_not base64!"));
  CHECK_FALSE(webhook_secret_key("whsec_c2hvcnQ="));  // "short"
  CHECK_FALSE(webhook_secret_key(""));
}
