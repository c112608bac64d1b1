// rootgov/common/result.hpp - the result vocabulary shared by every module.
//
// Expected failures (malformed input, policy denial, bad signature, stale serial) are values:
// functions return Result<T>. Exceptions are kept for broken invariants and a failing
// environment; every boundary (connection handler, main) converts them to a message.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace rootgov {

/// Broad classes of failure; each boundary maps them to an exit code or an HTTP status.
enum class Errc {
  invalid_input,   ///< malformed or unacceptable input (exit 2, HTTP 400/422)
  not_found,       ///< the named thing does not exist (HTTP 404)
  conflict,        ///< valid input that the current state refuses (HTTP 409)
  unauthorized,    ///< bad or missing signature, unknown actor (HTTP 401/403)
  check_failed,    ///< the thing checked is wrong: invalid zone, log fails verification (exit 1)
  io,              ///< I/O failure (exit 3, HTTP 500/503)
  internal,        ///< broken invariant
};

/// An error: a class and a message in lowercase, no final period, user input quoted.
struct Error {
  Errc code = Errc::invalid_input;
  std::string message;
};

template <class T, class E = Error>
using Result = std::expected<T, E>;

/// Shorthand for returning a failure: `return fail(Errc::not_found, "no tld 'xx'");`
inline std::unexpected<Error> fail(Errc code, std::string message) {
  return std::unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace rootgov
