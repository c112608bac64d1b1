// tests/unit/zone/digest_test.cpp - the additive zone digest.
#include <rootgov/zone/digest.hpp>

#include <gtest/gtest.h>

namespace rootgov::zone {
namespace {

Zone sample() {
  return Zone::from_text(
             ". 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 86400\n"
             "aa. 172800 IN NS ns1.aa.\n"
             "aa. 172800 IN NS ns2.aa.\n"
             "ns1.aa. 172800 IN A 198.51.100.1\n"
             "bb. 172800 IN NS ns1.aa.\n")
      .value();
}

TEST(ZoneDigestTest, IncrementalUpdateEqualsRecomputation) {
  Zone z = sample();
  ZoneDigest d = ZoneDigest::of(z);
  auto bb = Name::parse("bb.").value();
  const ZoneDigest::Hash before = ZoneDigest::node_hash(bb, *z.node(bb));
  z.add(bb, rrtype::kNs, 172800, make_name_rdata(Name::parse("ns2.aa.").value()));
  d.replace(bb, &before, z.node(bb));
  EXPECT_EQ(d, ZoneDigest::of(z));
  // Removal.
  const ZoneDigest::Hash before2 = ZoneDigest::node_hash(bb, *z.node(bb));
  z.remove_node(bb);
  d.replace(bb, &before2, nullptr);
  EXPECT_EQ(d, ZoneDigest::of(z));
  // Addition.
  auto cc = Name::parse("cc.").value();
  z.add(cc, rrtype::kNs, 172800, make_name_rdata(Name::parse("ns1.aa.").value()));
  d.replace(cc, nullptr, z.node(cc));
  EXPECT_EQ(d, ZoneDigest::of(z));
}

TEST(ZoneDigestTest, DependsOnDataButNotOnSignatures) {
  Zone a = sample();
  Zone b = sample();
  EXPECT_EQ(ZoneDigest::of(a).hex(), ZoneDigest::of(b).hex());
  b.find(Name::parse("aa.").value(), rrtype::kNs)->rrsigs.push_back("sig");
  EXPECT_EQ(ZoneDigest::of(a), ZoneDigest::of(b));
  b.find(Name::parse("aa.").value(), rrtype::kNs)->ttl = 1;
  EXPECT_NE(ZoneDigest::of(a), ZoneDigest::of(b));
  EXPECT_EQ(ZoneDigest::of(a).hex().size(), 64u);
}

}  // namespace
}  // namespace rootgov::zone
