// cli/src/log_format.hpp - reading audit-log entries for humans (log show, watch).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

namespace rootgov::cli {

/// The member as text ("" when absent or null; non-strings serialized).
std::string str(const boost::json::object& o, std::string_view key);
std::vector<std::string> str_list(const boost::json::object& o, std::string_view key);
std::string joined(const std::vector<std::string>& items, std::string_view sep = ", ");

/// The actor who signed the entry's document ("" when it carries none).
std::string document_actor(const boost::json::object& entry);
/// The body of the entry's signed document, if any.
const boost::json::object* document_body(const boost::json::object& entry);
/// A one-line account of an audit-log entry: "ds-update br by manager.br", "ntia reject ...".
std::string describe(const boost::json::object& entry);

}  // namespace rootgov::cli
