// libFuzzer target for bearer tokens (access_token_codec::verify) and device
// tokens (device_tokens::device_of), against one fixed ES256 key. The first
// byte picks how the rest is used:
//   even: as the token a client sends (seeds are real tokens of that key);
//   odd: as the claims of a token this harness signs with the key, so the
//        checks behind the signature are reached too; text before a first
//        newline is the token's header (a JSON object), else {"kid": ours}.
// An accepted token is alive, not too long-lived and names a subject and an
// id; re-issued, it verifies to the same claims; and access and device tokens
// are never taken for each other.
#include <unistd.h>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "runtime/identity/access_token.hpp"
#include "runtime/identity/device_tokens.hpp"
#include "tests/fuzz/invariant.hpp"

using taskflow::fuzz::expect;
namespace runtime = taskflow::runtime;

namespace {

// A P-256 key made for this harness only; the seed tokens are signed with it.
constexpr std::string_view test_key_pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgcmb+VR5DbBcVw3Dw\n"
    "1HevEIIee4Agw0l3ziCotRuxGiuhRANCAASmNtTBmdot4Zv8bwjFjNYQR0KDlCz8\n"
    "VzbU4979dxqLjm26x3p4dDiGDp8Eg9oPc2dj0icZHx58rbjhqaK6Pjie\n"
    "-----END PRIVATE KEY-----\n";

// "Now" for every check, so seed tokens stay valid: 2027-01-15T08:00:00Z.
constexpr std::int64_t now_s = 1'800'000'000;

struct codecs {
  std::shared_ptr<const runtime::signing_keyring> keys;
  runtime::access_token_codec access;
  runtime::device_tokens devices;
};

std::shared_ptr<const runtime::signing_keyring> load_test_key() {
  char path[] = "/tmp/taskflow-fuzz-key-XXXXXX";
  int fd = mkstemp(path);
  expect(fd >= 0 && write(fd, test_key_pem.data(), test_key_pem.size()) == static_cast<ssize_t>(test_key_pem.size()),
         "the harness can write its key");
  close(fd);
  auto keys = runtime::signing_keyring::from_pem_file(path);
  std::remove(path);
  expect(static_cast<bool>(keys), "the harness key loads");
  return std::move(*keys);
}

const codecs& the_codecs() {
  static const codecs c = [] {
    auto keys = load_test_key();
    return codecs{keys, runtime::access_token_codec{keys, runtime::token_settings{}},
                  runtime::device_tokens{keys, runtime::token_settings{}.issuer}};
  }();
  return c;
}

// `text` as a header and claims signed with the test key; empty when the
// header is not a JSON object.
std::string signed_token(std::string_view text) {
  const auto& key = the_codecs().keys->current();
  nlohmann::json header{{"kid", key.kid}};
  auto newline = text.find('\n');
  if (newline != std::string_view::npos) {
    header = nlohmann::json::parse(text.substr(0, newline), nullptr, false);
    if (!header.is_object())
      return {};
    text.remove_prefix(newline + 1);
  }
  auto token = key.jws.sign(std::move(header), text);
  expect(static_cast<bool>(token), "the harness key signs anything");
  return *token;
}

bool same_claims(const runtime::access_claims& a, const runtime::access_claims& b) {
  return a.subject == b.subject && a.session_id == b.session_id && a.token_id == b.token_id && a.roles == b.roles &&
         a.scopes == b.scopes && a.issued_at_s == b.issued_at_s && a.expires_at_s == b.expires_at_s;
}

void expect_admissible(const runtime::access_claims& claims, const runtime::token_settings& settings) {
  // Written so that the harness itself cannot overflow: exp is checked first.
  expect(claims.expires_at_s > now_s - settings.leeway.count(), "an accepted token has not expired");
  expect(claims.issued_at_s >= claims.expires_at_s - settings.max_lifetime.count(),
         "an accepted token lives no longer than tokens are issued for");
  expect(claims.expires_at_s <= now_s + settings.leeway.count() + settings.max_lifetime.count(),
         "an accepted token expires within the longest lifetime from now");
  expect(!claims.subject.empty() && !claims.token_id.empty(), "an accepted token names a subject and an id");
}

void expect_reissued(const runtime::access_claims& claims) {
  const auto& c = the_codecs();
  auto again = c.access.issue(claims);
  expect(static_cast<bool>(again), "accepted claims can be issued");
  auto reverified = c.access.verify(*again, now_s);
  const auto* back = std::get_if<runtime::access_claims>(&reverified);
  expect(back && same_claims(*back, claims), "accepted claims, re-issued, verify to the same claims");
  expect(!c.devices.device_of(*again, claims.subject, now_s), "an access token is never a device token");
  auto device = c.devices.issue(claims.subject, claims.token_id, now_s);
  expect(c.devices.device_of(device, claims.subject, now_s) == claims.token_id,
         "a device token names the device it was issued for");
  expect(std::holds_alternative<runtime::token_rejection>(c.access.verify(device, now_s)),
         "a device token is never an access token");
}

// `account`: the subject the token claims, when the harness signed it.
void check(const std::string& token, const std::string& account) {
  const auto& c = the_codecs();
  auto verified = c.access.verify(token, now_s);
  if (auto* claims = std::get_if<runtime::access_claims>(&verified)) {
    expect_admissible(*claims, c.access.settings());
    // Issued tokens are valid from their iat: one from the future cannot be re-issued as valid now.
    if (claims->issued_at_s <= now_s)
      expect_reissued(*claims);
  } else {
    expect(!std::get<runtime::token_rejection>(verified).reason.empty(), "a refused token says why");
  }
  if (auto device = c.devices.device_of(token, account, now_s))
    expect(!account.empty() && !device->empty(), "a device token names an account and a device");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  std::string rest{reinterpret_cast<const char*>(data) + 1, size - 1};
  if (data[0] % 2 == 0) {
    check(rest, "");
    return 0;
  }
  auto token = signed_token(rest);
  if (token.empty())
    return 0;
  auto newline = rest.find('\n');
  auto claims = nlohmann::json::parse(newline == std::string::npos ? rest : rest.substr(newline + 1), nullptr, false);
  auto sub = claims.is_object() ? claims.find("sub") : claims.end();
  check(token, sub != claims.end() && sub->is_string() ? sub->get<std::string>() : "");
  return 0;
}
