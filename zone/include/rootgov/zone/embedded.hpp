// rootgov/zone/embedded.hpp - data built into the library.
#pragma once

#include <string_view>

namespace rootgov::zone {

/// The text of examples/default/root.zone as it was at build time: the small realistic root
/// zone (21 TLDs, unsigned) that rootgovd and `rootgov zone check --default` start from.
std::string_view embedded_default_root_zone();

}  // namespace rootgov::zone
