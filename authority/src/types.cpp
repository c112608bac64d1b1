// types.cpp - the free functions of types.hpp and policy.hpp's to_string(Outcome).
#include <rootgov/authority/types.hpp>

#include <rootgov/authority/policy.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <limits>
#include <utility>

#include <fmt/format.h>

namespace rootgov::authority {

namespace {

constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::size_t kMaxActorIdLength = 128;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower_alpha(char c) { return c >= 'a' && c <= 'z'; }
char to_lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

/// IDN ccTLDs (A-labels) and the ISO 3166-1 code of their country or territory, after the IANA
/// root zone database (iana.org/domains/root/db). Not exhaustive: a label missing here is
/// classified as a gTLD.
constexpr auto kIdnCcTlds = std::to_array<std::pair<std::string_view, std::string_view>>({
    {"xn--3e0b707e", "kr"},       {"xn--45brj9c", "in"},         {"xn--54b7fta0cc", "bd"},
    {"xn--80ao21a", "kz"},        {"xn--90a3ac", "rs"},          {"xn--90ais", "by"},
    {"xn--clchc0ea0b2g2a9gcd", "sg"}, {"xn--d1alf", "mk"},       {"xn--e1a4c", "eu"},
    {"xn--fiqs8s", "cn"},         {"xn--fiqz9s", "cn"},          {"xn--fpcrj9c3d", "in"},
    {"xn--fzc2c9e2c", "lk"},      {"xn--gecrj9c", "in"},         {"xn--h2brj9c", "in"},
    {"xn--j1amh", "ua"},          {"xn--j6w193g", "hk"},         {"xn--kprw13d", "tw"},
    {"xn--kpry57d", "tw"},        {"xn--l1acc", "mn"},           {"xn--lgbbat1ad8j", "dz"},
    {"xn--mgb9awbf", "om"},       {"xn--mgba3a4f16a", "ir"},     {"xn--mgbaam7a8h", "ae"},
    {"xn--mgbai9azgqp6j", "pk"},  {"xn--mgbayh7gpa", "jo"},      {"xn--mgbbh1a71e", "in"},
    {"xn--mgbc0a9azcg", "ma"},    {"xn--mgberp4a5d4ar", "sa"},   {"xn--mgbpl2fh", "sd"},
    {"xn--mgbtx2b", "iq"},        {"xn--mgbx4cd0ab", "my"},      {"xn--mix891f", "mo"},
    {"xn--node", "ge"},           {"xn--o3cw4h", "th"},          {"xn--ogbpf8fl", "sy"},
    {"xn--p1ai", "ru"},           {"xn--pgbs0dh", "tn"},         {"xn--qxa6a", "eu"},
    {"xn--qxam", "gr"},           {"xn--s9brj9c", "in"},         {"xn--wgbh1c", "eg"},
    {"xn--wgbl6a", "qa"},         {"xn--xkc2al3hye2a", "lk"},    {"xn--xkc2dl3a5ee0h", "in"},
    {"xn--y9a3aq", "am"},         {"xn--yfro4i67o", "sg"},       {"xn--ygbi2ammx", "ps"},
    {"xn--mgbah1a3hjkrd", "mr"},  {"xn--h2breg3eve", "in"},
});

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), to_lower_ascii);
  return out;
}

/// Parses exactly `width` digits at `pos`.
std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) {
    return std::nullopt;
  }
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (!is_digit(text[i])) {
      return std::nullopt;
    }
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

Result<Duration> parse_duration(std::string_view text) {
  if (text.empty()) {
    return fail(Errc::invalid_input, "empty duration (expected e.g. \"7d\", \"36h\", \"1w2d\")");
  }
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t start = i;
    std::int64_t value = 0;
    while (i < text.size() && is_digit(text[i])) {
      if (value > (std::numeric_limits<std::int64_t>::max() - 9) / 10) {
        return fail(Errc::invalid_input, fmt::format("duration '{}' is too large", text));
      }
      value = value * 10 + (text[i] - '0');
      ++i;
    }
    if (i == start || i == text.size()) {
      return fail(Errc::invalid_input,
                  fmt::format("invalid duration '{}': expected a number followed by s, m, h, d or w", text));
    }
    std::int64_t unit = 0;
    switch (text[i]) {
      case 's': unit = 1; break;
      case 'm': unit = 60; break;
      case 'h': unit = 3600; break;
      case 'd': unit = kSecondsPerDay; break;
      case 'w': unit = 7 * kSecondsPerDay; break;
      default:
        return fail(Errc::invalid_input,
                    fmt::format("invalid duration '{}': unknown unit '{}' (use s, m, h, d or w)", text, text[i]));
    }
    ++i;
    if (value > std::numeric_limits<std::int64_t>::max() / unit ||
        total > std::numeric_limits<std::int64_t>::max() - value * unit) {
      return fail(Errc::invalid_input, fmt::format("duration '{}' is too large", text));
    }
    total += value * unit;
  }
  return Duration{total};
}

std::string format_time(Timestamp t) {
  using namespace std::chrono;
  std::int64_t days = t.seconds / kSecondsPerDay;
  std::int64_t rem = t.seconds % kSecondsPerDay;
  if (rem < 0) {
    rem += kSecondsPerDay;
    --days;
  }
  year_month_day ymd{sys_days{std::chrono::days{days}}};
  const int year = static_cast<int>(ymd.year());
  if (year >= 0 && year <= 9999) {  // the usual case, written by hand: every log entry has one
    char buf[] = "0000-00-00T00:00:00Z";
    auto put = [&buf](std::size_t at, unsigned value, std::size_t width) {
      for (std::size_t i = width; i-- > 0; value /= 10) buf[at + i] = static_cast<char>('0' + value % 10);
    };
    put(0, static_cast<unsigned>(year), 4);
    put(5, static_cast<unsigned>(ymd.month()), 2);
    put(8, static_cast<unsigned>(ymd.day()), 2);
    put(11, static_cast<unsigned>(rem / 3600), 2);
    put(14, static_cast<unsigned>((rem / 60) % 60), 2);
    put(17, static_cast<unsigned>(rem % 60), 2);
    return std::string(buf, sizeof buf - 1);
  }
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", year,
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), rem / 3600,
                     (rem / 60) % 60, rem % 60);
}

Result<Timestamp> parse_time(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return fail(Errc::invalid_input,
                fmt::format("invalid time '{}': {} (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)", text, why));
  };
  if (text.size() != 10 && text.size() != 20) {
    return bad("wrong length");
  }
  auto y = digits(text, 0, 4);
  auto mo = digits(text, 5, 2);
  auto d = digits(text, 8, 2);
  if (!y || !mo || !d || text[4] != '-' || text[7] != '-') {
    return bad("malformed date");
  }
  using namespace std::chrono;
  year_month_day ymd{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) {
    return bad("no such date");
  }
  std::int64_t seconds = static_cast<std::int64_t>(sys_days{ymd}.time_since_epoch().count()) * kSecondsPerDay;
  if (text.size() == 20) {
    auto h = digits(text, 11, 2);
    auto mi = digits(text, 14, 2);
    auto s = digits(text, 17, 2);
    if (text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z' || !h || !mi || !s) {
      return bad("malformed time of day");
    }
    if (*h > 23 || *mi > 59 || *s > 59) {
      return bad("time of day out of range");
    }
    seconds += *h * 3600 + *mi * 60 + *s;
  }
  return Timestamp{seconds};
}

bool is_valid_actor_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxActorIdLength) {
    return false;
  }
  if (!is_lower_alpha(id.front()) && !is_digit(id.front())) {
    return false;
  }
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return is_lower_alpha(c) || is_digit(c) || c == '.' || c == '-'; });
}

std::string_view to_string(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::ns_update: return "ns-update";
    case ChangeKind::ds_update: return "ds-update";
    case ChangeKind::delegate: return "delegate";
    case ChangeKind::transfer: return "transfer";
    case ChangeKind::revoke: return "revoke";
    case ChangeKind::root_update: return "root-update";
    case ChangeKind::contact_update: return "contact-update";
  }
  return "unknown";
}

std::optional<ChangeKind> change_kind_from_string(std::string_view text) {
  for (auto kind : {ChangeKind::ns_update, ChangeKind::ds_update, ChangeKind::delegate, ChangeKind::transfer,
                    ChangeKind::revoke, ChangeKind::root_update, ChangeKind::contact_update}) {
    if (to_string(kind) == text) {
      return kind;
    }
  }
  return std::nullopt;
}

std::string_view to_string(TldClass c) {
  switch (c) {
    case TldClass::cc: return "cc";
    case TldClass::g: return "g";
    case TldClass::root: return "root";
  }
  return "unknown";
}

TldClass classify_tld(std::string_view tld) {
  std::string label = lower(tld);
  if (!label.empty() && label.back() == '.') {
    label.pop_back();
  }
  if (label.empty()) {
    return TldClass::root;
  }
  return country_of_tld(label).empty() ? TldClass::g : TldClass::cc;
}

std::string country_of_tld(std::string_view tld) {
  std::string label = lower(tld);
  if (!label.empty() && label.back() == '.') {
    label.pop_back();
  }
  if (label.size() == 2 && is_lower_alpha(label[0]) && is_lower_alpha(label[1])) {
    // .uk is the one ccTLD whose ISO 3166-1 code differs (GB).
    return label == "uk" ? std::string("gb") : label;
  }
  auto it = std::find_if(kIdnCcTlds.begin(), kIdnCcTlds.end(), [&](const auto& e) { return e.first == label; });
  return it == kIdnCcTlds.end() ? std::string() : std::string(it->second);
}

bool Actor::has_role(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool Actor::sits_on(std::string_view body) const {
  return std::find(bodies.begin(), bodies.end(), body) != bodies.end();
}

std::string_view to_string(Vote v) {
  switch (v) {
    case Vote::approve: return "approve";
    case Vote::reject: return "reject";
    case Vote::comment: return "comment";
  }
  return "unknown";
}

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::pending: return "pending";
    case Outcome::approved: return "approved";
    case Outcome::rejected: return "rejected";
    case Outcome::expired: return "expired";
  }
  return "unknown";
}

}  // namespace rootgov::authority
