// zone/src/zone_text.hpp - the canonical text writer's core, shared by to_text and the
// chunked parallel writer.
#pragma once

#include <map>
#include <string>

#include <rootgov/zone/zone.hpp>

namespace rootgov::zone::detail {

using NodeIterator = std::map<Name, Node>::const_iterator;
/// Appends the to_text lines of the nodes in [begin, end); `unsigned_only`: as if
/// strip_dnssec(/*keep_dnskey=*/true) had been applied (no RRSIG, NSEC, NSEC3...; DNSKEY kept).
void append_nodes_text(std::string& out, NodeIterator begin, NodeIterator end, bool unsigned_only = false);

}  // namespace rootgov::zone::detail
