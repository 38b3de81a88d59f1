// The byte codecs shared by the edge (cursors, fingerprints) and identity
// (token hashes, JWK members): strict base64url and SHA-256, plain and framed.
#include <catch2/catch.hpp>

#include "runtime/codec/base64url.hpp"
#include "runtime/codec/sha256.hpp"

using namespace taskflow::runtime;

TEST_CASE("base64url round-trips bytes and decodes strictly", "[unit][codec]") {
  for (std::string bytes :
       {std::string{}, std::string{"f"}, std::string{"fo"}, std::string{"foo"}, std::string{"\x00\xff\xfe\x10", 4}}) {
    auto text = base64url_encode(bytes);
    CHECK(text.find('=') == std::string::npos);
    CHECK(base64url_decode(text) == bytes);
  }
  CHECK(base64url_encode("\xfb\xff") == "-_8");
  CHECK_FALSE(base64url_decode("Zm9v="));  // padding
  CHECK_FALSE(base64url_decode("Zm+v"));   // standard alphabet
  CHECK(base64url_decode("Zg") == std::string{"f"});
  CHECK_FALSE(base64url_decode("Zh"));  // stray low bits: a second spelling of "f"
  CHECK_FALSE(base64url_decode("Z"));   // half a byte
}

TEST_CASE("plain SHA-256 is the standard digest; framed parts never collide", "[unit][codec]") {
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(to_hex(sha256("abc")) == sha256_hex("abc"));
  CHECK(sha256_of_parts({"ab", "c"}) != sha256_of_parts({"a", "bc"}));
  CHECK(sha256_of_parts({"abc"}) != sha256("abc"));
}
