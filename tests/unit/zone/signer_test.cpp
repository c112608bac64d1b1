// tests/unit/zone/signer_test.cpp - full and incremental signing; ldns verifies our output.
#include <rootgov/zone/signer.hpp>

#include <gtest/gtest.h>
#include <ldns/ldns.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <rootgov/zone/verify.hpp>
#include <rootgov/zone/zonemd.hpp>

namespace rootgov::zone {
namespace {

const std::filesystem::path kRootZone = std::filesystem::path(ROOTGOV_TEST_DATA) / "root-2020090500.zone";

constexpr const char* kSmallZone = R"(
.   86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 2020090500 1800 900 604800 86400
.   518400 IN NS a.root-servers.net.
.   518400 IN NS b.root-servers.net.
a.root-servers.net. 518400 IN A 198.41.0.4
b.root-servers.net. 518400 IN A 199.9.14.201
net. 172800 IN NS a.gtld-servers.net.
net. 172800 IN NS b.gtld-servers.net.
net. 86400 IN DS 35886 8 2 7862B27F5F516EBE19680444D4CE5E762981931842C465F00236401D8BD973EE
a.gtld-servers.net. 172800 IN A 192.5.6.30
b.gtld-servers.net. 172800 IN A 192.33.14.30
uk. 172800 IN NS nsa.nic.uk.
uk. 172800 IN NS dns1.nic.uk.
nsa.nic.uk. 172800 IN A 156.154.100.3
dns1.nic.uk. 172800 IN A 213.248.216.1
example. 172800 IN NS ns.example.net.
auth. 3600 IN TXT "authoritative data"
www.auth. 3600 IN A 192.0.2.1
)";

Name N(const char* s) { return Name::parse(s).value(); }

std::uint32_t wall_now() { return static_cast<std::uint32_t>(std::time(nullptr)); }

SignOptions options_at(std::uint32_t now, unsigned threads = 0) {
  SignOptions o;
  o.now = now;
  o.threads = threads;
  return o;
}

std::vector<DnssecKey> make_keys(DnssecAlgorithm alg) {
  return {DnssecKey::generate(Name(), alg, true, 1024).value(), DnssecKey::generate(Name(), alg, false, 1024).value()};
}

Zone small_zone() { return Zone::from_text(kSmallZone).value(); }

const Zone& root_unsigned() {
  static const Zone zone = [] {
    ParseOptions o;
    o.keep_dnssec = false;
    Zone z = Zone::from_file(kRootZone, o).value();
    z.remove(Name(), rrtype::kDnskey);
    return z;
  }();
  return zone;
}

std::string line_of(const Name& owner, std::uint32_t ttl, RrType type, const Rdata& rd) {
  return owner.to_string() + " " + std::to_string(ttl) + " IN " + type_to_string(type) + " " + rdata_to_text(type, rd);
}

ldns_rr* ldns_rr_of(const std::string& line) {
  ldns_rr* rr = nullptr;
  EXPECT_EQ(ldns_rr_new_frm_str(&rr, line.c_str(), 0, nullptr, nullptr), LDNS_STATUS_OK) << line;
  return rr;
}

// Verifies every RRSIG of the zone with ldns's own code; returns the number of RRSIGs checked.
std::size_t verify_with_ldns(const Zone& zone, std::uint32_t now) {
  ldns_rr_list* keys = ldns_rr_list_new();
  for (const auto& rd : zone.find(zone.origin(), rrtype::kDnskey)->rdatas) {
    ldns_rr_list_push_rr(keys, ldns_rr_of(line_of(zone.origin(), 3600, rrtype::kDnskey, rd)));
  }
  std::size_t checked = 0;
  for (const auto& [name, node] : zone.nodes()) {
    for (const auto& set : node.rrsets) {
      if (set.rrsigs.empty()) continue;
      ldns_rr_list* rrset = ldns_rr_list_new();
      for (const auto& rd : set.rdatas) ldns_rr_list_push_rr(rrset, ldns_rr_of(line_of(name, set.ttl, set.type, rd)));
      for (const auto& sig : set.rrsigs) {
        ldns_rr_list* sigs = ldns_rr_list_new();
        ldns_rr_list_push_rr(sigs, ldns_rr_of(line_of(name, set.ttl, rrtype::kRrsig, sig)));
        ldns_rr_list* good = ldns_rr_list_new();
        ldns_status st = ldns_verify_rrsig_keylist_time(rrset, ldns_rr_list_rr(sigs, 0), keys, static_cast<time_t>(now), good);
        EXPECT_EQ(st, LDNS_STATUS_OK) << "ldns rejects the rrsig over " << type_to_string(set.type) << " at "
                                      << name.to_string() << ": " << ldns_get_errorstr_by_id(st);
        ++checked;
        ldns_rr_list_free(good);
        ldns_rr_list_deep_free(sigs);
      }
      ldns_rr_list_deep_free(rrset);
    }
  }
  ldns_rr_list_deep_free(keys);
  return checked;
}

std::uint16_t detail_tag(const Rdata& rrsig) {
  return static_cast<std::uint16_t>((static_cast<std::uint8_t>(rrsig[16]) << 8) | static_cast<std::uint8_t>(rrsig[17]));
}

std::string nsec_text(const Zone& zone, const char* owner) {
  const RRset* s = zone.find(N(owner), rrtype::kNsec);
  return s == nullptr ? std::string("(none)") : rdata_to_text(rrtype::kNsec, s->rdatas.at(0));
}

TEST(SignerTest, SignsAuthoritativeDataAndBuildsTheNsecChain) {
  Zone zone = small_zone();
  auto keys = make_keys(DnssecAlgorithm::ed25519);
  std::uint32_t now = wall_now();
  auto stats = sign_zone(zone, keys, options_at(now));
  ASSERT_TRUE(stats) << stats.error().message;

  EXPECT_EQ(nsec_text(zone, "."), "auth. NS SOA RRSIG NSEC DNSKEY");
  EXPECT_EQ(nsec_text(zone, "auth."), "www.auth. TXT RRSIG NSEC");
  EXPECT_EQ(nsec_text(zone, "www.auth."), "example. A RRSIG NSEC");
  EXPECT_EQ(nsec_text(zone, "example."), "net. NS RRSIG NSEC");
  EXPECT_EQ(nsec_text(zone, "net."), "uk. NS DS RRSIG NSEC");
  EXPECT_EQ(nsec_text(zone, "uk."), ". NS RRSIG NSEC");
  EXPECT_EQ(nsec_text(zone, "nsa.nic.uk."), "(none)");
  EXPECT_EQ(stats->nsec_records, 6u);
  // NSEC TTL = min(SOA TTL, SOA minimum) (RFC 9077); DNSKEY TTL = SOA minimum without a prior set.
  EXPECT_EQ(zone.find(N("net."), rrtype::kNsec)->ttl, 86400u);
  EXPECT_EQ(zone.find(Name(), rrtype::kDnskey)->ttl, 86400u);
  EXPECT_EQ(zone.find(Name(), rrtype::kDnskey)->rdatas.size(), 2u);

  EXPECT_TRUE(zone.find(N("uk."), rrtype::kNs)->rrsigs.empty());
  EXPECT_TRUE(zone.find(N("nsa.nic.uk."), rrtype::kA)->rrsigs.empty());
  EXPECT_TRUE(zone.find(N("a.root-servers.net."), rrtype::kA)->rrsigs.empty());
  ASSERT_EQ(zone.find(N("net."), rrtype::kDs)->rrsigs.size(), 1u);
  ASSERT_EQ(zone.find(Name(), rrtype::kNs)->rrsigs.size(), 1u);
  ASSERT_EQ(zone.find(N("www.auth."), rrtype::kA)->rrsigs.size(), 1u);

  // The DNSKEY set carries the KSK's signature, everything else the ZSK's (RFC 4034 section 3.1).
  const Rdata& dnskey_sig = zone.find(Name(), rrtype::kDnskey)->rrsigs.at(0);
  EXPECT_EQ(detail_tag(dnskey_sig), keys[0].key_tag());
  const Rdata& ds_sig = zone.find(N("net."), rrtype::kDs)->rrsigs.at(0);
  EXPECT_EQ(detail_tag(ds_sig), keys[1].key_tag());
  EXPECT_EQ(static_cast<int>(ds_sig[3]), 1);  // labels
  EXPECT_EQ(static_cast<int>(zone.find(N("www.auth."), rrtype::kA)->rrsigs[0][3]), 2);
  EXPECT_EQ(static_cast<int>(dnskey_sig[3]), 0);
  // 2 apex (SOA NS) + DNSKEY + auth TXT + www A + DS + 6 NSEC
  EXPECT_EQ(stats->signatures, 12u);

  EXPECT_TRUE(verify_zone(zone, {now, 0}).empty());
  EXPECT_EQ(verify_with_ldns(zone, now), 12u);
}

TEST(SignerTest, LdnsVerifiesEveryAlgorithmOnTheRootZone) {
  std::uint32_t now = wall_now();
  for (auto alg : {DnssecAlgorithm::rsasha256, DnssecAlgorithm::ecdsap256sha256, DnssecAlgorithm::ed25519}) {
    Zone zone = root_unsigned();
    auto keys = make_keys(alg);
    auto stats = sign_zone(zone, keys, options_at(now, 2));
    ASSERT_TRUE(stats) << stats.error().message;
    EXPECT_GT(stats->signatures, 2800u);
    auto findings = verify_zone(zone, {now, 0});
    for (const auto& f : findings) ADD_FAILURE() << format_finding(f, "signed");
    EXPECT_EQ(verify_with_ldns(zone, now), stats->signatures);
  }
}

TEST(SignerTest, OutputIsDeterministicAcrossThreadCountsAndResigning) {
  auto keys = make_keys(DnssecAlgorithm::ed25519);
  Zone a = root_unsigned();
  Zone b = root_unsigned();
  ASSERT_TRUE(sign_zone(a, keys, options_at(1700000000, 1)));
  ASSERT_TRUE(sign_zone(b, keys, options_at(1700000000, 2)));
  EXPECT_EQ(to_text(a), to_text(b));
  Zone c = a;
  ASSERT_TRUE(sign_zone(c, keys, options_at(1700000000, 2)));  // re-signing a signed zone replaces
  EXPECT_EQ(to_text(a), to_text(c));
}

TEST(SignerTest, RejectsBadInput) {
  Zone zone = small_zone();
  auto keys = make_keys(DnssecAlgorithm::ed25519);
  EXPECT_FALSE(sign_zone(zone, {}, options_at(1700000000)));
  EXPECT_FALSE(sign_zone(zone, keys, SignOptions{}));
  SignOptions backwards;
  backwards.inception = 2000;
  backwards.expiration = 1000;
  EXPECT_FALSE(sign_zone(zone, keys, backwards));
  std::vector<DnssecKey> other{DnssecKey::generate(N("example."), DnssecAlgorithm::ed25519, false).value()};
  EXPECT_FALSE(sign_zone(zone, other, options_at(1700000000)));
  Zone no_soa = small_zone();
  no_soa.remove(Name(), rrtype::kSoa);
  EXPECT_FALSE(sign_zone(no_soa, keys, options_at(1700000000)));
}

TEST(SignerTest, ZonemdIsAddedSignedAndVerified) {
  Zone zone = small_zone();
  auto keys = make_keys(DnssecAlgorithm::ed25519);
  SignOptions o = options_at(1700000000);
  o.zonemd = true;
  ASSERT_TRUE(sign_zone(zone, keys, o));
  const RRset* z = zone.find(Name(), rrtype::kZonemd);
  ASSERT_NE(z, nullptr);
  EXPECT_EQ(z->rrsigs.size(), 1u);
  EXPECT_EQ(nsec_text(zone, "."), "auth. NS SOA RRSIG NSEC DNSKEY ZONEMD");
  EXPECT_TRUE(verify_zonemd(zone).empty());
  EXPECT_TRUE(verify_zone(zone, {1700000000, 0}).empty());
  zone.find(N("nsa.nic.uk."), rrtype::kA)->rdatas[0][3] = 9;  // glue is covered by ZONEMD
  EXPECT_EQ(verify_zonemd(zone).size(), 1u);
}

// A change as RootZone::apply makes it: RRsets replaced or removed, NSEC records left behind.
struct Edit {
  Zone& zone;
  std::set<Name> changed;
  void put(const char* owner, RrType type, std::uint32_t ttl, std::vector<std::string> rdata_texts) {
    RRset s;
    s.owner = N(owner);
    s.type = type;
    s.ttl = ttl;
    for (const auto& t : rdata_texts) s.rdatas.push_back(rdata_from_text(type, t).value());
    zone.put(std::move(s));
    changed.insert(N(owner));
  }
  void remove(const char* owner, RrType type) {
    zone.remove(N(owner), type);
    changed.insert(N(owner));
  }
  void remove_subtree(const char* owner) {
    std::vector<Name> names;
    for (const auto& [n, node] : zone.nodes()) {
      if (n.is_subdomain_of(N(owner))) names.push_back(n);
    }
    for (const auto& n : names) {
      zone.remove_node(n);
      changed.insert(n);
    }
  }
  void bump_serial() {
    RRset soa = *zone.find(zone.origin(), rrtype::kSoa);
    auto d = parse_soa(soa.rdatas[0]).value();
    ++d.serial;
    soa.rdatas = {make_soa(d)};
    soa.rrsigs.clear();
    zone.put(soa);
    changed.insert(zone.origin());
  }
};

void root_changes(Edit& e) {
  e.put("newtld.", rrtype::kNs, 172800, {"ns1.newtld.", "ns.example.net."});
  e.put("ns1.newtld.", rrtype::kA, 172800, {"192.0.2.53"});
  e.put("newtld.", rrtype::kDs, 86400, {"12345 13 2 " + std::string(64, 'A')});
  e.remove("uk.", rrtype::kNs);  // leaves uk.'s NSEC behind, as the model would
  e.remove("uk.", rrtype::kDs);
  e.remove_subtree("nic.uk.");
  e.remove_subtree("de.");
  e.put("com.", rrtype::kNs, 172800, {"a.gtld-servers.net.", "b.gtld-servers.net."});
  e.remove("org.", rrtype::kDs);
  e.put("arpa.", rrtype::kDs, 86400, {"54321 8 2 " + std::string(64, 'B')});
  e.put("aaa.", rrtype::kNs, 172800, {"ns.example.net."});   // before the first TLD
  e.put("zzzz.", rrtype::kNs, 172800, {"ns.example.net."});  // after the last: wraps to the apex
  e.bump_serial();
}

std::string without_signature_bytes(const Zone& zone) {
  Zone z = zone;
  for (const auto& [name, node] : zone.nodes()) {
    for (const auto& set : node.rrsets) {
      RRset* s = z.find(name, set.type);
      for (auto& sig : s->rrsigs) sig.resize(18 + zone.origin().wire().size());
      std::sort(s->rrsigs.begin(), s->rrsigs.end());
      // ZONEMD digests the signature bytes too.
      if (set.type == rrtype::kZonemd) s->rdatas = {s->rdatas[0].substr(0, 6)};
    }
  }
  return to_text(z);
}

class IncrementalTest : public ::testing::TestWithParam<DnssecAlgorithm> {};

TEST_P(IncrementalTest, IncrementalEqualsFullResign) {
  const DnssecAlgorithm alg = GetParam();
  auto keys = make_keys(alg);
  SignOptions o = options_at(wall_now(), 2);
  for (bool zonemd : {false, true}) {
    o.zonemd = zonemd;
    Zone incremental = root_unsigned();
    ASSERT_TRUE(sign_zone(incremental, keys, o));
    Edit edit{incremental, {}};
    root_changes(edit);
    Zone full = incremental;
    auto stats = resign(incremental, edit.changed, keys, o);
    ASSERT_TRUE(stats) << stats.error().message;
    ASSERT_TRUE(sign_zone(full, keys, o));
    EXPECT_LT(stats->signatures, 80u) << "incremental work must follow the change, not the zone";
    if (alg == DnssecAlgorithm::ecdsap256sha256) {
      EXPECT_EQ(without_signature_bytes(incremental), without_signature_bytes(full));
    } else {
      EXPECT_EQ(to_text(incremental), to_text(full));
    }
    auto findings = verify_zone(incremental, {o.now, 0});
    for (const auto& f : findings) ADD_FAILURE() << format_finding(f, "incremental");
  }
}

// Replaces the DS set of `tld` and moves the serial, as one ds-update does.
Edit new_ds_set(Zone& zone, const char* tld) {
  Edit edit{zone, {}};
  edit.put(tld, rrtype::kDs, 86400, {"26974 8 2 4FEDE294C53F438A158C41D39489CD78A86BEB0D8A0AEAFF14745FA54F3A2D1F"});
  edit.bump_serial();
  return edit;
}

TEST_P(IncrementalTest, OneDsChangeCostsAHandfulOfSignatures) {
  auto keys = make_keys(GetParam());
  SignOptions o = options_at(1700000000, 2);
  Zone zone = root_unsigned();
  ASSERT_TRUE(sign_zone(zone, keys, o));
  Edit edit = new_ds_set(zone, "org.");
  auto stats = resign(zone, edit.changed, keys, o);
  ASSERT_TRUE(stats);
  // org. already had a DS set, so its NSEC and the apex's NS, DNSKEY and NSEC are unchanged:
  // only org. DS and the apex SOA get new signatures.
  EXPECT_EQ(stats->signatures, 2u);
  EXPECT_EQ(stats->nsec_records, 0u);
  EXPECT_TRUE(verify_zone(zone, {1700000000, 0}).empty());
}

TEST_P(IncrementalTest, AFirstDsSetAlsoRewritesTheTldsNsec) {
  auto keys = make_keys(GetParam());
  SignOptions o = options_at(1700000000, 2);
  Zone zone = root_unsigned();
  ASSERT_EQ(zone.find(N("ae."), rrtype::kDs), nullptr) << "test data: ae. must be unsigned";
  ASSERT_TRUE(sign_zone(zone, keys, o));
  Edit edit = new_ds_set(zone, "ae.");
  auto stats = resign(zone, edit.changed, keys, o);
  ASSERT_TRUE(stats);
  // ae. DS, ae. NSEC (DS joins its type bitmap) and the apex SOA.
  EXPECT_EQ(stats->signatures, 3u);
  EXPECT_EQ(stats->nsec_records, 1u);
  EXPECT_TRUE(verify_zone(zone, {1700000000, 0}).empty());
}

TEST_P(IncrementalTest, NewTimesReSignEveryRevisitedSet) {
  // Signatures at a revisited name are kept only when made with the current times: after the
  // times move, the apex sets are signed again even though their data did not change.
  auto keys = make_keys(GetParam());
  Zone zone = root_unsigned();
  ASSERT_TRUE(sign_zone(zone, keys, options_at(1700000000, 2)));
  Edit edit = new_ds_set(zone, "org.");
  auto stats = resign(zone, edit.changed, keys, options_at(1700086400, 2));
  ASSERT_TRUE(stats);
  // org. DS + org. NSEC + the NSEC of org.'s predecessor (revisited for the chain) + apex SOA,
  // NS, DNSKEY, NSEC.
  EXPECT_EQ(stats->signatures, 7u);
  const RRset* ns = zone.find(Name(), rrtype::kNs);
  ASSERT_NE(ns, nullptr);
  ASSERT_EQ(ns->rrsigs.size(), 1u);
  EXPECT_TRUE(verify_zone(zone, {1700086400, 0}).empty());
}

TEST_P(IncrementalTest, DelegationAppearingOverAuthoritativeDataAndGoing) {
  const DnssecAlgorithm alg = GetParam();
  auto keys = make_keys(alg);
  SignOptions o = options_at(1700000000, 1);
  Zone zone = small_zone();
  ASSERT_TRUE(sign_zone(zone, keys, o));
  // auth. becomes a delegation: www.auth. turns into glue (out of the chain, unsigned).
  Edit e1{zone, {}};
  e1.put("auth.", rrtype::kNs, 3600, {"ns.example.net."});
  ASSERT_TRUE(resign(zone, e1.changed, keys, o));
  Zone full1 = zone;
  ASSERT_TRUE(sign_zone(full1, keys, o));
  EXPECT_EQ(without_signature_bytes(zone), without_signature_bytes(full1));
  EXPECT_EQ(nsec_text(zone, "www.auth."), "(none)");
  EXPECT_TRUE(verify_zone(zone, {1700000000, 0}).empty());
  // ... and back: the delegation goes, www.auth. is authoritative again.
  Edit e2{zone, {}};
  e2.remove("auth.", rrtype::kNs);
  ASSERT_TRUE(resign(zone, e2.changed, keys, o));
  Zone full2 = zone;
  ASSERT_TRUE(sign_zone(full2, keys, o));
  EXPECT_EQ(without_signature_bytes(zone), without_signature_bytes(full2));
  if (alg != DnssecAlgorithm::ecdsap256sha256) {
    EXPECT_EQ(to_text(zone), to_text(full2));
  }
  EXPECT_EQ(nsec_text(zone, "www.auth."), "example. A RRSIG NSEC");
  EXPECT_TRUE(verify_zone(zone, {1700000000, 0}).empty());
}

INSTANTIATE_TEST_SUITE_P(Algorithms, IncrementalTest,
                         ::testing::Values(DnssecAlgorithm::rsasha256, DnssecAlgorithm::ecdsap256sha256,
                                           DnssecAlgorithm::ed25519),
                         [](const ::testing::TestParamInfo<DnssecAlgorithm>& param_info) {
                           return std::string(algorithm_mnemonic(param_info.param));
                         });

}  // namespace
}  // namespace rootgov::zone

namespace rootgov::zone {
namespace {

TEST(WriterTest, ChunkedParallelWriterEqualsToText) {
  Zone zone = root_unsigned();
  auto keys = make_keys(DnssecAlgorithm::ed25519);
  ASSERT_TRUE(sign_zone(zone, keys, options_at(1700000000)));
  auto path = std::filesystem::temp_directory_path() / ("rootgov-writer-" + std::to_string(::getpid()) + ".zone");
  for (unsigned threads : {1u, 2u, 3u, 8u}) {
    ASSERT_TRUE(write_zone_text(zone, path, threads));
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text, to_text(zone));
  }
  std::filesystem::remove(path);
  auto no_dir = write_zone_text(zone, "/nonexistent-dir/x.zone");
  ASSERT_FALSE(no_dir);
  EXPECT_EQ(no_dir.error().code, Errc::io);
  // A write that fails half way (no space left) is reported, whichever thread was writing,
  // and every worker stops.
  if (std::filesystem::exists("/dev/full")) {
    for (unsigned threads : {1u, 2u, 4u}) {
      auto full = write_zone_text(zone, "/dev/full", threads);
      ASSERT_FALSE(full) << threads;
      EXPECT_EQ(full.error().code, Errc::io);
      EXPECT_NE(full.error().message.find("No space left"), std::string::npos) << full.error().message;
    }
  }
}

}  // namespace
}  // namespace rootgov::zone
