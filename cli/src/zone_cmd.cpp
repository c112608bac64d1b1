// cli/src/zone_cmd.cpp - the 'zone' command group: check and diff (sign and keygen live in
// zone_sign_cmd.cpp and attach to the same subcommand).
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <memory>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include <rootgov/zone/check.hpp>
#include <rootgov/zone/diff.hpp>
#include <rootgov/zone/embedded.hpp>
#include <rootgov/zone/zone.hpp>

#include "commands.hpp"

namespace rootgov::cli {
namespace {

using namespace rootgov::zone;

constexpr const char* kDefaultLabel = "<default root zone>";

// "-" or --default: the embedded default root zone.
bool is_embedded(const std::string& file) { return file == "-"; }

std::string display_name(const std::string& file) { return is_embedded(file) ? kDefaultLabel : file; }

// The master file's text, or a finding with rule "io".
Result<std::string, Findings> read_text(const std::string& file) {
  if (is_embedded(file)) return std::string(embedded_default_root_zone());
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    return std::unexpected(Findings{{Severity::error, "io", "cannot read: is a directory", 0, {}}});
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::unexpected(Findings{{Severity::error, "io", "cannot open: " + std::string(std::strerror(errno)), 0, {}}});
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return std::unexpected(Findings{{Severity::error, "io", "cannot read", 0, {}}});
  return std::move(ss).str();
}

// Parses a zone; parse findings about names carry rule "name-invalid".
Result<Zone, Findings> load(const std::string& file, const ParseOptions& options) {
  auto text = read_text(file);
  if (!text) return std::unexpected(std::move(text.error()));
  auto zone = Zone::from_text(*text, options);
  if (!zone) refine_parse_findings(zone.error(), *text);
  return zone;
}

// "now", "YYYYMMDDHHmmSS" (UTC) or seconds since 1970.
std::uint32_t parse_now(const std::string& text) {
  if (text == "now") return static_cast<std::uint32_t>(std::time(nullptr));
  bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  if (digits && text.size() == 14) {
    std::tm tm{};
    tm.tm_year = std::stoi(text.substr(0, 4)) - 1900;
    tm.tm_mon = std::stoi(text.substr(4, 2)) - 1;
    tm.tm_mday = std::stoi(text.substr(6, 2));
    tm.tm_hour = std::stoi(text.substr(8, 2));
    tm.tm_min = std::stoi(text.substr(10, 2));
    tm.tm_sec = std::stoi(text.substr(12, 2));
    return static_cast<std::uint32_t>(timegm(&tm));
  }
  if (digits && text.size() <= 10) {
    auto v = std::stoull(text);
    if (v <= 0xffffffffULL) return static_cast<std::uint32_t>(v);
  }
  throw ExitError(kExitUsage, "bad --now '" + text + "': use 'now', YYYYMMDDHHmmSS or seconds since 1970");
}

boost::json::array findings_json(const Findings& findings, const std::string& file) {
  boost::json::array out;
  for (const auto& f : findings) {
    boost::json::object o;
    o["file"] = file;
    o["line"] = f.line;
    o["severity"] = f.severity == Severity::error ? "error" : "warning";
    o["rule"] = f.rule;
    o["message"] = f.message;
    o["owner"] = f.owner;
    out.push_back(std::move(o));
  }
  return out;
}

void print_findings(const Findings& findings, const std::string& file, bool json, std::ostream& os) {
  if (json) {
    os << boost::json::serialize(findings_json(findings, file)) << '\n';
    return;
  }
  for (const auto& f : findings) os << format_finding(f, file) << '\n';
}

struct CheckArgs {
  std::string file;
  bool use_default = false;
  bool json = false;
  std::string now;
  bool no_dnssec = false;
  std::string origin = ".";
};

void run_check(const CheckArgs& a) {
  std::string file = a.use_default ? std::string("-") : a.file;
  if (file.empty()) throw ExitError(kExitUsage, "zone check needs a FILE, '-' or --default");
  ParseOptions po;
  auto origin = Name::parse(a.origin);
  if (!origin) throw ExitError(kExitUsage, "bad --origin '" + a.origin + "': " + origin.error().message);
  po.origin = *origin;
  CheckOptions co;
  if (!a.now.empty()) co.now = parse_now(a.now);
  co.dnssec = !a.no_dnssec;
  const std::string shown = display_name(file);

  auto zone = load(file, po);
  if (!zone) {
    print_findings(zone.error(), shown, a.json, std::cout);
    throw ExitError(kExitUsage, a.json ? "" : "'" + shown + "' cannot be parsed");
  }
  Findings findings = check_zone(*zone, co);
  print_findings(findings, shown, a.json, std::cout);
  std::size_t errors = 0;
  for (const auto& f : findings) errors += f.severity == Severity::error ? 1 : 0;
  if (!a.json) {
    std::cerr << shown << ": " << errors << " error" << (errors == 1 ? "" : "s") << ", " << findings.size() - errors
              << " warning" << (findings.size() - errors == 1 ? "" : "s") << '\n';
  }
  if (errors != 0) throw ExitError(kExitCheckFailed, "");
}

struct DiffArgs {
  std::string before;
  std::string after;
  bool dnssec = false;
  bool json = false;
};

Zone load_for_diff(const std::string& file) {
  auto zone = load(file, ParseOptions{});
  if (!zone) {
    print_findings(zone.error(), display_name(file), false, std::cerr);
    throw ExitError(kExitUsage, "'" + display_name(file) + "' cannot be parsed");
  }
  return std::move(*zone);
}

void run_diff(const DiffArgs& a) {
  Zone before = load_for_diff(a.before);
  Zone after = load_for_diff(a.after);
  DiffOptions o;
  o.include_dnssec = a.dnssec;
  auto changes = diff_zones(before, after, o);
  if (a.json) {
    boost::json::array out;
    for (const auto& c : changes) {
      boost::json::object j;
      j["owner"] = c.owner.to_string();
      j["type"] = type_to_string(c.type);
      j["change"] = c.kind == RRsetChange::Kind::added ? "added" : c.kind == RRsetChange::Kind::removed ? "removed" : "changed";
      auto rdatas = [&](const std::optional<RRset>& s) {
        boost::json::object r;
        if (!s) return boost::json::value(nullptr);
        r["ttl"] = s->ttl;
        boost::json::array rd;
        for (const auto& x : s->rdatas) rd.push_back(boost::json::value(rdata_to_text(s->type, x)));
        r["rdata"] = std::move(rd);
        return boost::json::value(std::move(r));
      };
      j["before"] = rdatas(c.before);
      j["after"] = rdatas(c.after);
      out.push_back(std::move(j));
    }
    std::cout << boost::json::serialize(out) << '\n';
    return;
  }
  for (const auto& line : summarize_diff(changes)) std::cout << "; " << line << '\n';
  std::cout << diff_to_text(changes);
}

}  // namespace

void register_zone_commands(CLI::App& app) {
  CLI::App* zone = app.add_subcommand("zone", "offline zone tools: check, diff, sign, keygen");
  zone->require_subcommand(1);

  auto ca = std::make_shared<CheckArgs>();
  CLI::App* check = zone->add_subcommand(
      "check",
      "technical checks of a root zone file; prints FILE:LINE: error|warning: RULE: message; exit 0 clean (warnings "
      "allowed), 1 with errors, 2 when the file cannot be read or parsed");
  check->add_option("file", ca->file, "master file; '-' for the embedded default root zone");
  check->add_flag("--default", ca->use_default, "check the embedded default root zone");
  check->add_flag("--json", ca->json, "print the findings as a JSON array");
  check->add_option("--now", ca->now,
                    "time for time-dependent checks (RRSIG validity): 'now', YYYYMMDDHHmmSS or epoch seconds; "
                    "default: skip them");
  check->add_flag("--no-dnssec", ca->no_dnssec, "skip RRSIG and ZONEMD verification");
  check->add_option("--origin", ca->origin, "zone origin (default '.')");
  check->callback([ca] { run_check(*ca); });

  auto da = std::make_shared<DiffArgs>();
  CLI::App* diff = zone->add_subcommand("diff", "the RRset changes from OLD to NEW ('-' is the embedded default zone)");
  diff->add_option("old", da->before, "the zone before")->required();
  diff->add_option("new", da->after, "the zone after")->required();
  diff->add_flag("--dnssec", da->dnssec, "also compare DNSKEY, NSEC and ZONEMD (RRSIGs never)");
  diff->add_flag("--json", da->json, "print the changes as a JSON array");
  diff->callback([da] { run_diff(*da); });
}

}  // namespace rootgov::cli
