// zone/src/digest.cpp - the additive zone digest.
#include <rootgov/zone/digest.hpp>

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "encoding.hpp"

namespace rootgov::zone {
namespace {

bool excluded(RrType t) {
  return t == rrtype::kRrsig || t == rrtype::kNsec || t == rrtype::kNsec3 || t == rrtype::kNsec3param ||
         t == rrtype::kZonemd || t == rrtype::kDnskey;
}

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};

// SHA-256 fetched once: with OpenSSL 3 every EVP_DigestInit_ex(EVP_sha256()) looks the
// algorithm up again, which costs as much as hashing a small node. A fetched EVP_MD is
// immutable and shared by every thread; each thread keeps its own context.
const EVP_MD* sha256_md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

}  // namespace

std::array<std::uint8_t, 32> ZoneDigest::node_hash(const Name& owner, const Node& node) {
  std::string buf = owner.wire();
  for (const auto& set : node.rrsets) {
    if (excluded(set.type)) continue;
    for (const auto& rd : set.rdatas) {
      detail::put_u16(buf, set.type);
      detail::put_u16(buf, 1);
      detail::put_u32(buf, set.ttl);
      detail::put_u16(buf, static_cast<std::uint16_t>(rd.size()));
      buf += rd;
    }
  }
  std::array<std::uint8_t, 32> out{};
  thread_local std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  unsigned int len = 0;
  const EVP_MD* md = sha256_md();
  if (!ctx || md == nullptr || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), buf.data(), buf.size()) != 1 || EVP_DigestFinal_ex(ctx.get(), out.data(), &len) != 1) {
    throw std::runtime_error("SHA-256 is not available from OpenSSL");  // INVARIANT: OpenSSL always has it
  }
  return out;
}

ZoneDigest ZoneDigest::of(const Zone& zone) {
  ZoneDigest d;
  for (const auto& [name, node] : zone.nodes()) d.add(node_hash(name, node));
  return d;
}

void ZoneDigest::replace(const Name& owner, const Hash* before, const Node* after) {
  if (before != nullptr) subtract(*before);
  if (after != nullptr) add(node_hash(owner, *after));
}

void ZoneDigest::add(const std::array<std::uint8_t, 32>& h) {
  unsigned carry = 0;
  for (int i = 31; i >= 0; --i) {
    unsigned v = unsigned{m_sum[static_cast<std::size_t>(i)]} + h[static_cast<std::size_t>(i)] + carry;
    m_sum[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v & 0xff);
    carry = v >> 8;
  }
}

void ZoneDigest::subtract(const std::array<std::uint8_t, 32>& h) {
  int borrow = 0;
  for (int i = 31; i >= 0; --i) {
    int v = int{m_sum[static_cast<std::size_t>(i)]} - h[static_cast<std::size_t>(i)] - borrow;
    borrow = v < 0 ? 1 : 0;
    m_sum[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v & 0xff);
  }
}

std::string ZoneDigest::hex() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (auto b : m_sum) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

}  // namespace rootgov::zone
