// zone/src/ldns_util.hpp - the one place ldns ownership rules are encoded (STYLE.md rule 4).
#pragma once

#include <ldns/ldns.h>

#include <memory>
#include <string>

#include <rootgov/common/result.hpp>

namespace rootgov::zone::detail {

struct RrDeleter {
  void operator()(ldns_rr* rr) const noexcept { ldns_rr_free(rr); }
};
struct RdfDeleter {
  void operator()(ldns_rdf* rdf) const noexcept { ldns_rdf_deep_free(rdf); }
};
struct BufferDeleter {
  void operator()(ldns_buffer* b) const noexcept { ldns_buffer_free(b); }
};
using RrPtr = std::unique_ptr<ldns_rr, RrDeleter>;
using RdfPtr = std::unique_ptr<ldns_rdf, RdfDeleter>;
using BufferPtr = std::unique_ptr<ldns_buffer, BufferDeleter>;

/// The single mapping from ldns_status to a message.
inline std::string status_message(ldns_status status) {
  const char* s = ldns_get_errorstr_by_id(status);
  return s != nullptr ? std::string(s) : std::string("ldns error ") + std::to_string(static_cast<int>(status));
}

}  // namespace rootgov::zone::detail
