// Errors that store and bus adapters return as values. Adapters catch their
// library's exceptions and convert them to these; nothing else crosses a port.
#pragma once

#include <cstdint>
#include <string>

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>

namespace taskflow::ports {

enum class store_errc : std::uint8_t {
  // The dependency cannot be reached or failed; worth retrying later.
  unavailable = 1,
  // Optimistic concurrency: the row is not at the expected version.
  conflict,
  // A unique natural key is taken; the context names the holder's id.
  duplicate_key,
  // Stored bytes could not be decoded.
  corrupt,
  // The call did not finish in time.
  timeout,
  // The row to change does not exist.
  not_found,
};

inline constexpr caf::atom_value store_error_category = caf::atom("store");

inline caf::error make_error(store_errc code, std::string detail) {
  return caf::error{static_cast<std::uint8_t>(code), store_error_category, caf::make_message(std::move(detail))};
}

inline bool is(const caf::error& error, store_errc code) {
  return error.category() == store_error_category && error.code() == static_cast<std::uint8_t>(code);
}

// The detail string an adapter attached, or an empty string.
std::string error_detail(const caf::error& error);

// The detail string when there is one, CAF's rendering of the error otherwise:
// what a log line or a start-up failure should say.
std::string error_text(const caf::error& error);

}  // namespace taskflow::ports
