// rootgov/zone/rr.hpp - resource-record types and RRsets in canonical wire form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rootgov/common/result.hpp>
#include <rootgov/zone/name.hpp>

namespace rootgov::zone {

using RrType = std::uint16_t;

/// The record types rootgov names in code (IANA DNS parameters).
namespace rrtype {
inline constexpr RrType kA = 1;
inline constexpr RrType kNs = 2;
inline constexpr RrType kCname = 5;
inline constexpr RrType kSoa = 6;
inline constexpr RrType kPtr = 12;
inline constexpr RrType kMx = 15;
inline constexpr RrType kTxt = 16;
inline constexpr RrType kAaaa = 28;
inline constexpr RrType kDname = 39;
inline constexpr RrType kDs = 43;
inline constexpr RrType kRrsig = 46;
inline constexpr RrType kNsec = 47;
inline constexpr RrType kDnskey = 48;
inline constexpr RrType kNsec3 = 50;
inline constexpr RrType kNsec3param = 51;
inline constexpr RrType kZonemd = 63;
}  // namespace rrtype

/// "NS", "DS", ... or "TYPE65534" (RFC 3597) for types without a mnemonic.
std::string type_to_string(RrType type);
/// Accepts mnemonics (case-insensitive) and "TYPEnnn".
std::optional<RrType> type_from_string(std::string_view text);

/// RDATA in uncompressed wire form, with embedded names lowercased (RFC 4034 section 6.2).
/// Kept in a std::string so that canonical RDATA order (RFC 4034 section 6.3) is plain
/// byte-wise comparison.
using Rdata = std::string;

/// One RRset: every record of one owner, class IN and type, with the RRSIGs that cover it.
/// INVARIANT: `rdatas` is sorted in canonical order without duplicates; `rrsigs` holds RRSIG
/// RDATA whose type-covered field is `type`, sorted likewise.
struct RRset {
  Name owner;
  RrType type = 0;
  std::uint32_t ttl = 0;
  std::vector<Rdata> rdatas;
  std::vector<Rdata> rrsigs;
  std::uint32_t line = 0;  ///< line of its first record in the source file, 0 if none

  /// Inserts keeping the invariant; returns false when the RDATA was already present.
  bool add(Rdata rdata);
  bool operator==(const RRset& other) const {
    return owner == other.owner && type == other.type && ttl == other.ttl && rdatas == other.rdatas &&
           rrsigs == other.rrsigs;
  }
};

/// Presentation form of one RDATA ("192.0.2.1", "a.nic.uk.", "12345 8 2 ABCD...").
std::string rdata_to_text(RrType type, const Rdata& rdata);
/// Parses presentation-form RDATA of `type`; relative names are completed with `origin`.
Result<Rdata> rdata_from_text(RrType type, std::string_view text, const Name& origin = Name());

/// Typed views of the RDATA rootgov reads often. Each returns nullopt on malformed RDATA.
struct SoaData {
  Name mname;
  Name rname;
  std::uint32_t serial = 0;
  std::uint32_t refresh = 0;
  std::uint32_t retry = 0;
  std::uint32_t expire = 0;
  std::uint32_t minimum = 0;
};
std::optional<SoaData> parse_soa(const Rdata& rdata);
Rdata make_soa(const SoaData& soa);

struct DsData {
  std::uint16_t key_tag = 0;
  std::uint8_t algorithm = 0;
  std::uint8_t digest_type = 0;
  std::string digest;  ///< raw bytes
};
std::optional<DsData> parse_ds(const Rdata& rdata);
Rdata make_ds(const DsData& ds);

/// The name in NS/CNAME/DNAME/PTR RDATA.
std::optional<Name> parse_name_rdata(const Rdata& rdata);
Rdata make_name_rdata(const Name& name);

/// Address RDATA (A: 4 octets, AAAA: 16 octets) to and from text.
std::optional<Rdata> address_from_text(std::string_view text, RrType* type_out = nullptr);

}  // namespace rootgov::zone
