// rootgov/zone/finding.hpp - what checks and parsers report.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rootgov::zone {

enum class Severity { error, warning };

/// One finding. Checks collect every finding instead of stopping at the first (as Knot's
/// semantic checks do); callers decide what severity blocks them.
struct Finding {
  Severity severity = Severity::error;
  std::string rule;       ///< stable id: "parse", "soa-missing", "ns-count", "glue-prohibited", ...
  std::string message;    ///< lowercase, no final period, names quoted
  std::uint32_t line = 0; ///< source line when the zone came from a file, 0 otherwise
  std::string owner;      ///< owner name concerned, presentation form, may be empty
};

using Findings = std::vector<Finding>;

bool has_errors(std::span<const Finding> findings);
/// "FILE:LINE: error: RULE: message" (":LINE" omitted when 0).
std::string format_finding(const Finding& finding, std::string_view file);

}  // namespace rootgov::zone
