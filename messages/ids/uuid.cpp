#include "messages/ids/uuid.hpp"

#include "messages/time/unix_clock.hpp"

#include <sys/random.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include <uuid/uuid.h>

namespace taskflow::ids {
namespace {

// Random bytes from the kernel's CSPRNG, fetched a few kilobytes at a time
// per thread. libuuid's uuid_generate_random reseeds glibc's random() on
// every call, under that generator's process-wide lock (srandom alone runs
// it 310 times), and every request mints an id: it showed in profiles.
void random_bytes(unsigned char* out, std::size_t n) {
  thread_local std::array<unsigned char, 4096> pool;
  thread_local std::size_t used = pool.size();
  if (used + n > pool.size()) {
    std::size_t filled = 0;
    while (filled < pool.size()) {
      auto got = ::getrandom(pool.data() + filled, pool.size() - filled, 0);
      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        throw std::runtime_error(std::string{"getrandom failed: "} + std::strerror(errno));
      filled += static_cast<std::size_t>(got);
    }
    used = 0;
  }
  std::memcpy(out, pool.data() + used, n);
  used += n;
}

// RFC 9562 §6.2 method 1: a 12-bit counter in rand_a keeps ids minted in the
// same millisecond by this process strictly increasing.
struct v7_clock {
  std::mutex mutex;
  std::int64_t last_ms = 0;
  std::uint16_t counter = 0;

  std::pair<std::int64_t, std::uint16_t> next(std::uint16_t random_seed) {
    auto now = clock::unix_now_ms();
    std::lock_guard lock{mutex};
    if (now > last_ms) {
      last_ms = now;
      counter = random_seed & 0x7FF;  // leave headroom before the counter wraps
    } else if (++counter > 0xFFF) {
      ++last_ms;  // borrow the next millisecond rather than repeat an id
      counter = 0;
    }
    return {last_ms, counter};
  }
};

v7_clock& clock_state() {
  static v7_clock state;
  return state;
}

std::string canonical(const uuid_t bytes) {
  std::array<char, UUID_STR_LEN> text{};
  uuid_unparse_lower(bytes, text.data());
  return std::string{text.data()};
}

}  // namespace

std::string new_uuid_v7() {
  uuid_t bytes;
  random_bytes(bytes, sizeof bytes);
  auto [ms, counter] = clock_state().next(static_cast<std::uint16_t>(bytes[6] << 8 | bytes[7]));
  for (int i = 0; i < 6; ++i)
    bytes[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  bytes[6] = static_cast<unsigned char>(0x70 | ((counter >> 8) & 0x0F));
  bytes[7] = static_cast<unsigned char>(counter & 0xFF);
  bytes[8] = static_cast<unsigned char>(0x80 | (bytes[8] & 0x3F));
  return canonical(bytes);
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36)
    return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-' : !std::isxdigit(static_cast<unsigned char>(c)))
      return false;
  }
  return true;
}

std::string uuid_v5(std::string_view namespace_id, std::string_view name) {
  uuid_t space;
  if (uuid_parse_range(namespace_id.data(), namespace_id.data() + namespace_id.size(), space) != 0)
    throw std::invalid_argument("uuid_v5: the namespace is not a UUID");
  uuid_t bytes;
  uuid_generate_sha1(bytes, space, name.data(), name.size());
  return canonical(bytes);
}

std::int64_t uuid_v7_millis(std::string_view text) {
  if (!is_uuid(text) || text[14] != '7')
    return 0;
  std::int64_t ms = 0;
  for (char c : text.substr(0, 13)) {
    if (c == '-')
      continue;
    ms = ms * 16 + (std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : (c | 0x20) - 'a' + 10);
  }
  return ms;
}

}  // namespace taskflow::ids
