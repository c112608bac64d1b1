// zone/src/zone_text.hpp - the canonical text writer's core, shared by to_text and the
// chunked parallel writer.
#pragma once

#include <map>
#include <string>

#include <rootgov/zone/zone.hpp>

namespace rootgov::zone::detail {

using NodeIterator = std::map<Name, Node>::const_iterator;
/// Appends the to_text lines of the nodes in [begin, end).
void append_nodes_text(std::string& out, NodeIterator begin, NodeIterator end);

}  // namespace rootgov::zone::detail
