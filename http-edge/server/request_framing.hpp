// Refuses a request head whose framing or identity two readers could take
// differently: the source of request smuggling (one party sees one request,
// another sees two) and of "which credential counts?" confusion.
//
// RFC 9112 §6.1/§6.3: a request whose Transfer-Encoding does not end in a
// single `chunked` has no reliable length; Transfer-Encoding beside
// Content-Length, or in HTTP/1.0, is faulty framing. §3.2: HTTP/1.1 needs
// exactly one Host. And a request carrying a credential twice is refused
// rather than having one copy silently win. Each is answered 400, then the
// connection is closed, since nothing after such a head can be trusted to
// start a request.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <boost/beast/http/message.hpp>

namespace taskflow::edge {

// Why the head cannot be served, in words for the client; nullopt when fine.
std::optional<std::string> framing_fault(const boost::beast::http::request_header<>& head);

// Beast adds a chunked body's trailer fields to the request's fields, after
// the head was checked and its credential read: a trailer Host or
// Authorization would be a second one nobody vetted (RFC 9110 §6.5.1: a
// recipient must not merge trailers it does not know into the header). No
// route takes trailers, so a request that brought any is refused. `fields`
// is how many the head had.
std::optional<std::string> trailer_fault(std::size_t fields, const boost::beast::http::request_header<>& request);

// How many fields a request carries.
std::size_t field_count(const boost::beast::http::request_header<>& request);

}  // namespace taskflow::edge
