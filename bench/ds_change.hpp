// bench/ds_change.hpp - the DS update the benchmark drivers submit (e2e_bench, owner_bench).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include <rootgov/authority/json.hpp>

namespace rootgov::bench {

using authority::Json;

// A DS set that differs on every change (the key tag and digest come from `n`).
inline Json ds_change(const std::string& tld, std::uint64_t n) {
  char digest[65];
  std::snprintf(digest, sizeof digest, "%016llX%016llX%016llX%016llX", static_cast<unsigned long long>(n),
                static_cast<unsigned long long>(n * 0x9E3779B97F4A7C15ull), static_cast<unsigned long long>(~n),
                static_cast<unsigned long long>(n ^ 0xA5A5A5A5A5A5A5A5ull));
  Json ds(Json::Object{});
  ds["key_tag"] = static_cast<std::int64_t>(n % 65536);
  ds["algorithm"] = 13;
  ds["digest_type"] = 2;
  ds["digest"] = std::string(digest);
  Json body(Json::Object{});
  body["kind"] = "ds-update";
  body["tld"] = tld;
  body["ds"] = Json(Json::Array{std::move(ds)});
  return body;
}

}  // namespace rootgov::bench
