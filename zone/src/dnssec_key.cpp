// zone/src/dnssec_key.cpp - BIND-format DNSSEC keys over OpenSSL libcrypto (EVP); Ed25519
// signatures through nettle.
#include <rootgov/zone/dnssec_key.hpp>

#include <nettle/eddsa.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include <rootgov/zone/zone.hpp>

#include "dnssec_crypto.hpp"
#include "encoding.hpp"

namespace rootgov::zone {
namespace {

struct BnDeleter {
  void operator()(BIGNUM* b) const noexcept { BN_clear_free(b); }
};
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;
struct ParamBldDeleter {
  void operator()(OSSL_PARAM_BLD* b) const noexcept { OSSL_PARAM_BLD_free(b); }
};
struct ParamDeleter {
  void operator()(OSSL_PARAM* p) const noexcept { OSSL_PARAM_free(p); }
};
struct EcdsaSigDeleter {
  void operator()(ECDSA_SIG* s) const noexcept { ECDSA_SIG_free(s); }
};

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

BnPtr bn_from(std::string_view raw) { return BnPtr(BN_bin2bn(bytes(raw), static_cast<int>(raw.size()), nullptr)); }

std::string bn_bytes(const BIGNUM* bn, int pad = 0) {
  int n = std::max(BN_num_bytes(bn), pad);
  std::string out(static_cast<std::size_t>(n), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), n);
  return out;
}

std::string get_bn_param(EVP_PKEY* pkey, const char* name, int pad = 0) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1 || bn == nullptr) return {};
  BnPtr owned(bn);
  return bn_bytes(bn, pad);
}

detail::PkeyPtr pkey_from_params(const char* type, OSSL_PARAM_BLD* bld, int selection) {
  std::unique_ptr<OSSL_PARAM, ParamDeleter> params(OSSL_PARAM_BLD_to_param(bld));
  if (!params) return nullptr;
  detail::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* pkey = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, selection, params.get()) != 1) {
    return nullptr;
  }
  return detail::PkeyPtr(pkey);
}

// The public key field of DNSKEY RDATA for `pkey` (RFC 3110 section 2, RFC 6605 section 4,
// RFC 8080 section 3).
std::optional<std::string> public_key_field(EVP_PKEY* pkey, DnssecAlgorithm alg) {
  switch (alg) {
    case DnssecAlgorithm::rsasha256: {
      std::string e = get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E);
      std::string n = get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N);
      if (e.empty() || n.empty()) return std::nullopt;
      std::string out;
      if (e.size() <= 255) {
        out.push_back(static_cast<char>(e.size()));
      } else {
        out.push_back('\0');
        detail::put_u16(out, static_cast<std::uint16_t>(e.size()));
      }
      return out + e + n;
    }
    case DnssecAlgorithm::ecdsap256sha256: {
      std::array<unsigned char, 65> buf{};
      std::size_t len = 0;
      if (EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, buf.data(), buf.size(), &len) != 1 ||
          len != 65 || buf[0] != 0x04) {
        return std::nullopt;
      }
      return std::string(reinterpret_cast<const char*>(buf.data()) + 1, 64);
    }
    case DnssecAlgorithm::ed25519: {
      std::array<unsigned char, 32> buf{};
      std::size_t len = buf.size();
      if (EVP_PKEY_get_raw_public_key(pkey, buf.data(), &len) != 1 || len != 32) return std::nullopt;
      return std::string(reinterpret_cast<const char*>(buf.data()), 32);
    }
  }
  return std::nullopt;
}

Result<std::string> read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return fail(Errc::io, "cannot read '" + p.string() + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Rdata make_dnskey(std::uint16_t flags, DnssecAlgorithm alg, std::string_view pub) {
  Rdata r;
  detail::put_u16(r, flags);
  r.push_back(3);
  r.push_back(static_cast<char>(alg));
  r += pub;
  return r;
}

// The per-key Ed25519 state for nettle: the 32-octet private seed and the public key nettle
// derives from it, computed once here instead of per signature. Null when the derived public
// key is not `pub` (the key pair does not match).
std::unique_ptr<detail::Ed25519Raw> ed25519_raw(std::string_view seed, std::string_view pub) {
  auto raw = std::make_unique<detail::Ed25519Raw>();
  if (seed.size() != raw->seed.size()) return nullptr;
  std::memcpy(raw->seed.data(), seed.data(), seed.size());
  ed25519_sha512_public_key(raw->pub.data(), raw->seed.data());
  if (pub.size() != raw->pub.size() || std::memcmp(pub.data(), raw->pub.data(), raw->pub.size()) != 0) return nullptr;
  return raw;
}

// An Ed25519 key is nettle's seed and public key only (`pkey` null): loading and signing
// never start libcrypto. RSA and ECDSA keys are libcrypto's.
std::shared_ptr<DnssecKey::Impl> make_impl(const Name& owner, DnssecAlgorithm alg, std::uint16_t flags,
                                           detail::PkeyPtr pkey, std::unique_ptr<detail::Ed25519Raw> ed25519,
                                           Rdata dnskey) {
  auto impl = std::make_shared<DnssecKey::Impl>();
  impl->owner = owner;
  impl->algorithm = alg;
  impl->flags = flags;
  impl->key_tag = compute_key_tag(dnskey);
  impl->dnskey = std::move(dnskey);
  impl->pkey = std::move(pkey);
  impl->ed25519 = std::move(ed25519);
  return impl;
}

}  // namespace

std::string_view algorithm_mnemonic(DnssecAlgorithm algorithm) {
  switch (algorithm) {
    case DnssecAlgorithm::rsasha256:
      return "RSASHA256";
    case DnssecAlgorithm::ecdsap256sha256:
      return "ECDSAP256SHA256";
    case DnssecAlgorithm::ed25519:
      return "ED25519";
  }
  return "UNKNOWN";
}

std::optional<DnssecAlgorithm> algorithm_from_string(std::string_view text) {
  std::string s;
  for (char c : text) s.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (s == "RSASHA256" || s == "8") return DnssecAlgorithm::rsasha256;
  if (s == "ECDSAP256SHA256" || s == "13") return DnssecAlgorithm::ecdsap256sha256;
  if (s == "ED25519" || s == "15") return DnssecAlgorithm::ed25519;
  return std::nullopt;
}

bool is_supported_algorithm(std::uint8_t number) { return number == 8 || number == 13 || number == 15; }

std::uint16_t compute_key_tag(std::string_view rdata) {
  std::uint32_t ac = 0;
  for (std::size_t i = 0; i < rdata.size(); ++i) {
    auto b = static_cast<std::uint8_t>(rdata[i]);
    ac += (i & 1) != 0 ? b : static_cast<std::uint32_t>(b) << 8;
  }
  ac += (ac >> 16) & 0xffff;
  return static_cast<std::uint16_t>(ac & 0xffff);
}

Rdata compute_ds(const Name& owner, std::string_view dnskey_rdata) {
  std::string data = owner.wire();
  data += dnskey_rdata;
  std::array<unsigned char, 32> md{};
  SHA256(bytes(data), data.size(), md.data());
  DsData ds;
  ds.key_tag = compute_key_tag(dnskey_rdata);
  ds.algorithm = dnskey_rdata.size() > 3 ? static_cast<std::uint8_t>(dnskey_rdata[3]) : 0;
  ds.digest_type = 2;
  ds.digest.assign(reinterpret_cast<const char*>(md.data()), md.size());
  return make_ds(ds);
}

namespace {

// The path prefix of a key pair: `path` without a ".key" or ".private" suffix.
std::string key_prefix(const std::filesystem::path& path) {
  std::string base = path.string();
  for (std::string_view suffix : {".key", ".private"}) {
    if (base.size() > suffix.size() && base.ends_with(suffix)) {
      base.resize(base.size() - suffix.size());
      break;
    }
  }
  return base;
}

// The one DNSKEY record of `<base>.key`, with its owner.
Result<RRset> read_public_half(const std::string& base) {
  auto pub_text = read_file(base + ".key");
  if (!pub_text) return std::unexpected(pub_text.error());
  auto parsed = Zone::from_text(*pub_text);
  if (!parsed) {
    return fail(Errc::invalid_input, "'" + base + ".key': " +
                                         (parsed.error().empty() ? std::string("unreadable") : parsed.error()[0].message));
  }
  const RRset* keyset = nullptr;
  for (const auto& [name, node] : parsed->nodes()) {
    if (const RRset* s = node.find(rrtype::kDnskey)) keyset = s;
  }
  if (keyset == nullptr || keyset->rdatas.size() != 1) {
    return fail(Errc::invalid_input, "'" + base + ".key' does not hold exactly one DNSKEY record");
  }
  return *keyset;
}

}  // namespace

Result<Name> DnssecKey::read_owner(const std::filesystem::path& path) {
  auto keyset = read_public_half(key_prefix(path));
  if (!keyset) return std::unexpected(keyset.error());
  return keyset->owner;
}

Result<DnssecKey> DnssecKey::load(const std::filesystem::path& path) {
  std::string base = key_prefix(path);
  auto public_half = read_public_half(base);
  if (!public_half) return std::unexpected(public_half.error());
  auto priv_text = read_file(base + ".private");
  if (!priv_text) return std::unexpected(priv_text.error());
  const RRset* keyset = &*public_half;
  const Rdata& dnskey = keyset->rdatas[0];
  if (dnskey.size() < 5) return fail(Errc::invalid_input, "'" + base + ".key': DNSKEY too short");
  std::uint16_t flags = detail::read_u16(dnskey.data());
  auto alg_number = static_cast<std::uint8_t>(dnskey[3]);
  if (!is_supported_algorithm(alg_number)) {
    return fail(Errc::invalid_input, "'" + base + ".key': unsupported algorithm " + std::to_string(alg_number));
  }
  auto alg = static_cast<DnssecAlgorithm>(alg_number);
  std::string_view pub = std::string_view(dnskey).substr(4);

  std::map<std::string, std::string> fields;
  std::istringstream lines(*priv_text);
  for (std::string line; std::getline(lines, line);) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    auto b = value.find_first_not_of(" \t");
    auto e = value.find_last_not_of(" \t\r");
    fields[line.substr(0, colon)] = b == std::string::npos ? std::string() : value.substr(b, e - b + 1);
  }
  auto field = [&](const char* name) -> std::optional<std::string> {
    auto it = fields.find(name);
    if (it == fields.end()) return std::nullopt;
    return detail::decode_base64(it->second);
  };
  std::string where = "'" + base + ".private'";
  if (fields.count("Algorithm") == 0 || std::atoi(fields["Algorithm"].c_str()) != alg_number) {
    return fail(Errc::invalid_input, where + ": algorithm differs from the .key file");
  }

  detail::PkeyPtr pkey;
  std::unique_ptr<detail::Ed25519Raw> ed25519;
  if (alg == DnssecAlgorithm::rsasha256) {
    static constexpr std::array<std::pair<const char*, const char*>, 8> kRsa = {{
        {"Modulus", OSSL_PKEY_PARAM_RSA_N},
        {"PublicExponent", OSSL_PKEY_PARAM_RSA_E},
        {"PrivateExponent", OSSL_PKEY_PARAM_RSA_D},
        {"Prime1", OSSL_PKEY_PARAM_RSA_FACTOR1},
        {"Prime2", OSSL_PKEY_PARAM_RSA_FACTOR2},
        {"Exponent1", OSSL_PKEY_PARAM_RSA_EXPONENT1},
        {"Exponent2", OSSL_PKEY_PARAM_RSA_EXPONENT2},
        {"Coefficient", OSSL_PKEY_PARAM_RSA_COEFFICIENT1},
    }};
    std::unique_ptr<OSSL_PARAM_BLD, ParamBldDeleter> bld(OSSL_PARAM_BLD_new());
    std::vector<BnPtr> bns;
    for (const auto& [file_name, param] : kRsa) {
      auto raw = field(file_name);
      if (!raw || raw->empty()) return fail(Errc::invalid_input, where + ": missing or bad '" + file_name + "'");
      bns.push_back(bn_from(*raw));
      OSSL_PARAM_BLD_push_BN(bld.get(), param, bns.back().get());
    }
    pkey = pkey_from_params("RSA", bld.get(), EVP_PKEY_KEYPAIR);
  } else if (alg == DnssecAlgorithm::ecdsap256sha256) {
    // A big-endian integer: ldns-keygen drops leading zero octets (1 key in 256 is 31 octets).
    auto raw = field("PrivateKey");
    if (!raw || raw->empty() || raw->size() > 32) return fail(Errc::invalid_input, where + ": missing or bad 'PrivateKey'");
    if (pub.size() != 64) return fail(Errc::invalid_input, "'" + base + ".key': P-256 key is not 64 octets");
    std::string point = "\x04" + std::string(pub);
    BnPtr d = bn_from(*raw);
    std::unique_ptr<OSSL_PARAM_BLD, ParamBldDeleter> bld(OSSL_PARAM_BLD_new());
    OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get());
    OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
    pkey = pkey_from_params("EC", bld.get(), EVP_PKEY_KEYPAIR);
  } else {
    auto raw = field("PrivateKey");
    if (!raw || raw->size() != 32) return fail(Errc::invalid_input, where + ": missing or bad 'PrivateKey'");
    ed25519 = ed25519_raw(*raw, pub);
    if (!ed25519) return fail(Errc::invalid_input, where + ": private key does not match the public key in the .key file");
  }
  if (alg != DnssecAlgorithm::ed25519) {
    if (!pkey) return fail(Errc::invalid_input, where + ": libcrypto rejects the private key");
    auto derived = public_key_field(pkey.get(), alg);
    if (!derived || *derived != pub) {
      return fail(Errc::invalid_input, where + ": private key does not match the public key in the .key file");
    }
  }
  if (!keyset->owner.is_subdomain_of(Name()) || keyset->owner.wire().empty()) {
    return fail(Errc::invalid_input, "'" + base + ".key': bad owner");
  }
  return DnssecKey(make_impl(keyset->owner, alg, flags, std::move(pkey), std::move(ed25519), dnskey));
}

Result<DnssecKey> DnssecKey::generate(const Name& owner, DnssecAlgorithm algorithm, bool ksk, unsigned bits) {
  detail::PkeyPtr pkey;
  EVP_PKEY* raw = nullptr;
  if (algorithm == DnssecAlgorithm::rsasha256) {
    if (bits < 1024 || bits > 4096) return fail(Errc::invalid_input, "rsa key size must be 1024..4096 bits");
    detail::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), static_cast<int>(bits)) != 1 ||
        EVP_PKEY_generate(ctx.get(), &raw) != 1) {
      return fail(Errc::internal, "rsa key generation failed");
    }
  } else if (algorithm == DnssecAlgorithm::ecdsap256sha256) {
    raw = EVP_EC_gen("P-256");
  } else {
    detail::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "ED25519", nullptr));
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_generate(ctx.get(), &raw) != 1) raw = nullptr;
  }
  if (raw == nullptr) return fail(Errc::internal, "key generation failed");
  pkey.reset(raw);
  auto pub = public_key_field(pkey.get(), algorithm);
  if (!pub) return fail(Errc::internal, "cannot encode the new public key");
  std::uint16_t flags = kDnskeyFlagZone | (ksk ? kDnskeyFlagSep : 0);
  std::unique_ptr<detail::Ed25519Raw> ed25519;
  if (algorithm == DnssecAlgorithm::ed25519) {
    std::array<unsigned char, 32> seed{};
    std::size_t len = seed.size();
    if (EVP_PKEY_get_raw_private_key(pkey.get(), seed.data(), &len) != 1 || len != seed.size()) {
      return fail(Errc::internal, "cannot read the new private key");
    }
    ed25519 = ed25519_raw(std::string_view(reinterpret_cast<const char*>(seed.data()), len), *pub);
    OPENSSL_cleanse(seed.data(), seed.size());
    if (!ed25519) return fail(Errc::internal, "nettle derives a different public key from the new private key");
    pkey.reset();  // Ed25519 keys are nettle's (make_impl)
  }
  return DnssecKey(make_impl(owner, algorithm, flags, std::move(pkey), std::move(ed25519), make_dnskey(flags, algorithm, *pub)));
}

const Name& DnssecKey::owner() const { return m_impl->owner; }
DnssecAlgorithm DnssecKey::algorithm() const { return m_impl->algorithm; }
std::uint16_t DnssecKey::flags() const { return m_impl->flags; }
std::uint16_t DnssecKey::key_tag() const { return m_impl->key_tag; }
const Rdata& DnssecKey::dnskey() const { return m_impl->dnskey; }

std::string DnssecKey::file_prefix() const {
  std::string owner = m_impl->owner.to_string();
  char buf[32];
  std::snprintf(buf, sizeof buf, "+%03u+%05u", static_cast<unsigned>(m_impl->algorithm), static_cast<unsigned>(m_impl->key_tag));
  return "K" + owner + buf;
}

Result<std::filesystem::path> DnssecKey::write(const std::filesystem::path& dir) const {
  const Impl& k = *m_impl;
  std::string alg_line = std::to_string(static_cast<unsigned>(k.algorithm)) + " (" + std::string(algorithm_mnemonic(k.algorithm)) + ")";
  std::string priv = "Private-key-format: v1.3\nAlgorithm: " + alg_line + "\n";
  auto line = [&](const char* name, const std::string& raw) {
    priv += name;
    priv += ": ";
    detail::append_base64(priv, raw);
    priv += "\n";
  };
  if (k.algorithm == DnssecAlgorithm::rsasha256) {
    line("Modulus", get_bn_param(k.pkey.get(), OSSL_PKEY_PARAM_RSA_N));
    line("PublicExponent", get_bn_param(k.pkey.get(), OSSL_PKEY_PARAM_RSA_E));
    line("PrivateExponent", get_bn_param(k.pkey.get(), OSSL_PKEY_PARAM_RSA_D));
    line("Prime1", get_bn_param(k.pkey.get(), OSSL_PKEY_PARAM_RSA_FACTOR1));
    line("Prime2", get_bn_param(k.pkey.get(), OSSL_PKEY_PARAM_RSA_FACTOR2));
    line("Exponent1", get_bn_param(k.pkey.get(), OSSL_PKEY_PARAM_RSA_EXPONENT1));
    line("Exponent2", get_bn_param(k.pkey.get(), OSSL_PKEY_PARAM_RSA_EXPONENT2));
    line("Coefficient", get_bn_param(k.pkey.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1));
  } else if (k.algorithm == DnssecAlgorithm::ecdsap256sha256) {
    line("PrivateKey", get_bn_param(k.pkey.get(), OSSL_PKEY_PARAM_PRIV_KEY, 32));
  } else {
    line("PrivateKey", std::string(reinterpret_cast<const char*>(k.ed25519->seed.data()), k.ed25519->seed.size()));
  }
  std::string pub = std::string("; This is a ") + (is_ksk() ? "key-signing" : "zone-signing") + " key, keyid " +
                    std::to_string(k.key_tag) + ", for " + k.owner.to_string() + "\n" + k.owner.to_string() +
                    " IN DNSKEY " + rdata_to_text(rrtype::kDnskey, k.dnskey) + "\n";
  std::filesystem::path prefix = dir / file_prefix();
  auto write_one = [](const std::filesystem::path& p, const std::string& text, mode_t mode) -> Result<void> {
    std::FILE* f = std::fopen(p.c_str(), "w");
    if (f == nullptr) return fail(Errc::io, "cannot create '" + p.string() + "'");
    ::chmod(p.c_str(), mode);
    bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    ok = (std::fclose(f) == 0) && ok;
    if (!ok) return fail(Errc::io, "cannot write '" + p.string() + "'");
    return {};
  };
  std::filesystem::path priv_path = prefix;
  priv_path += ".private";
  std::filesystem::path key_path = prefix;
  key_path += ".key";
  if (auto r = write_one(priv_path, priv, 0600); !r) return std::unexpected(r.error());
  if (auto r = write_one(key_path, pub, 0644); !r) return std::unexpected(r.error());
  return prefix;
}

Result<std::string> DnssecKey::sign(std::string_view data) const {
  detail::SignContext ctx(*this);
  std::string sig;
  if (!ctx.sign(data, sig)) return fail(Errc::internal, "signing failed");
  return sig;
}

Result<std::filesystem::path> generate_key(const std::filesystem::path& dir, const Name& origin, DnssecAlgorithm algorithm,
                                           bool ksk, unsigned bits) {
  auto key = DnssecKey::generate(origin, algorithm, ksk, bits);
  if (!key) return std::unexpected(key.error());
  return key->write(dir);
}

bool verify_signature(std::string_view dnskey_rdata, std::string_view data, std::string_view signature) {
  auto key = detail::VerifyKey::from_dnskey(dnskey_rdata);
  return key && key->verify(data, signature);
}

namespace detail {

namespace {
EVP_PKEY* shared_or_copy(EVP_PKEY* key, bool private_copy) {
  if (key == nullptr) return nullptr;
  if (private_copy) return EVP_PKEY_dup(key);
  return EVP_PKEY_up_ref(key) == 1 ? key : nullptr;
}
}  // namespace

SignContext::SignContext(const DnssecKey& key, bool private_copy) : m_algorithm(key.algorithm()) {
  if (m_algorithm == DnssecAlgorithm::ed25519) {
    m_ed25519 = key.impl().ed25519.get();  // nettle keeps no state between signatures
    return;
  }
  m_pkey.reset(shared_or_copy(key.impl().pkey.get(), private_copy));
  if (!m_pkey) return;
  m_sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  m_hash.reset(EVP_MD_CTX_new());
  m_pctx.reset(EVP_PKEY_CTX_new_from_pkey(nullptr, m_pkey.get(), nullptr));
  if (!m_pctx || EVP_PKEY_sign_init(m_pctx.get()) != 1) {
    m_pctx.reset();
    return;
  }
  if (m_algorithm == DnssecAlgorithm::rsasha256) EVP_PKEY_CTX_set_rsa_padding(m_pctx.get(), RSA_PKCS1_PADDING);
  if (EVP_PKEY_CTX_set_signature_md(m_pctx.get(), EVP_sha256()) != 1) m_pctx.reset();
}

SignContext::~SignContext() { EVP_MD_free(m_sha256); }

SharedSignContext::SharedSignContext(const DnssecKey& key) : m_lock(key.impl().shared_context_mutex, std::try_to_lock) {
  if (!m_lock.owns_lock()) {
    m_own = std::make_unique<SignContext>(key, /*private_copy=*/false);
    return;
  }
  auto& kept = key.impl().shared_context;
  if (!kept) kept = std::make_unique<SignContext>(key, /*private_copy=*/false);
  m_borrowed = kept.get();
}

bool SignContext::hash(std::string_view data, unsigned char* md) {
  unsigned int len = 0;
  return m_sha256 != nullptr && m_hash && EVP_DigestInit_ex(m_hash.get(), m_sha256, nullptr) == 1 &&
         EVP_DigestUpdate(m_hash.get(), data.data(), data.size()) == 1 && EVP_DigestFinal_ex(m_hash.get(), md, &len) == 1 &&
         len == 32;
}

bool SignContext::sign(std::string_view data, std::string& out) {
  if (m_algorithm == DnssecAlgorithm::ed25519) {
    // nettle takes the seed and public key and re-derives the expanded secret (one SHA-512 of
    // 32 octets) inside each call: its public API has no expanded-key form.
    if (m_ed25519 == nullptr) return false;
    std::size_t at = out.size();
    out.resize(at + ED25519_SIGNATURE_SIZE);
    ed25519_sha512_sign(m_ed25519->pub.data(), m_ed25519->seed.data(), data.size(), bytes(data),
                        reinterpret_cast<std::uint8_t*>(out.data() + at));
    return true;
  }
  if (!m_pctx) return false;
  std::array<unsigned char, 32> md{};
  if (!hash(data, md.data())) return false;
  std::size_t len = 0;
  if (EVP_PKEY_sign(m_pctx.get(), nullptr, &len, md.data(), md.size()) != 1) return false;
  if (m_algorithm == DnssecAlgorithm::rsasha256) {
    std::size_t at = out.size();
    out.resize(at + len);
    if (EVP_PKEY_sign(m_pctx.get(), reinterpret_cast<unsigned char*>(out.data() + at), &len, md.data(), md.size()) != 1) {
      out.resize(at);
      return false;
    }
    out.resize(at + len);
    return true;
  }
  // ECDSA: DER SEQUENCE{r, s} -> r||s, 32 octets each (RFC 6605 section 4).
  m_der.resize(len);
  if (EVP_PKEY_sign(m_pctx.get(), reinterpret_cast<unsigned char*>(m_der.data()), &len, md.data(), md.size()) != 1) {
    return false;
  }
  const unsigned char* p = bytes(m_der);
  std::unique_ptr<ECDSA_SIG, EcdsaSigDeleter> sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len)));
  if (!sig) return false;
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::size_t at = out.size();
  out.resize(at + 64);
  auto* o = reinterpret_cast<unsigned char*>(out.data() + at);
  return BN_bn2binpad(r, o, 32) == 32 && BN_bn2binpad(s, o + 32, 32) == 32;
}

std::unique_ptr<VerifyKey> VerifyKey::from_dnskey(std::string_view rdata) {
  if (rdata.size() < 5 || static_cast<std::uint8_t>(rdata[2]) != 3) return nullptr;
  auto alg_number = static_cast<std::uint8_t>(rdata[3]);
  if (!is_supported_algorithm(alg_number)) return nullptr;
  auto key = std::make_unique<VerifyKey>();
  key->m_algorithm = static_cast<DnssecAlgorithm>(alg_number);
  std::string_view pub = rdata.substr(4);
  if (key->m_algorithm == DnssecAlgorithm::rsasha256) {
    std::size_t elen = static_cast<std::uint8_t>(pub[0]);
    std::size_t off = 1;
    if (elen == 0) {
      if (pub.size() < 3) return nullptr;
      elen = detail::read_u16(pub.data() + 1);
      off = 3;
    }
    if (elen == 0 || pub.size() <= off + elen) return nullptr;
    BnPtr e = bn_from(pub.substr(off, elen));
    BnPtr n = bn_from(pub.substr(off + elen));
    std::unique_ptr<OSSL_PARAM_BLD, ParamBldDeleter> bld(OSSL_PARAM_BLD_new());
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get());
    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get());
    key->m_pkey = pkey_from_params("RSA", bld.get(), EVP_PKEY_PUBLIC_KEY);
  } else if (key->m_algorithm == DnssecAlgorithm::ecdsap256sha256) {
    if (pub.size() != 64) return nullptr;
    std::string point = "\x04" + std::string(pub);
    std::unique_ptr<OSSL_PARAM_BLD, ParamBldDeleter> bld(OSSL_PARAM_BLD_new());
    OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
    OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
    key->m_pkey = pkey_from_params("EC", bld.get(), EVP_PKEY_PUBLIC_KEY);
  } else {
    if (pub.size() != 32) return nullptr;
    key->m_pkey.reset(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes(pub), pub.size()));
  }
  if (!key->m_pkey) return nullptr;
  return key;
}

bool VerifyKey::verify(std::string_view data, std::string_view signature) const {
  if (m_algorithm == DnssecAlgorithm::ed25519) {
    MdCtxPtr ctx(EVP_MD_CTX_new());
    return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, m_pkey.get()) == 1 &&
           EVP_DigestVerify(ctx.get(), bytes(signature), signature.size(), bytes(data), data.size()) == 1;
  }
  std::string der;
  if (m_algorithm == DnssecAlgorithm::ecdsap256sha256) {
    if (signature.size() != 64) return false;
    std::unique_ptr<ECDSA_SIG, EcdsaSigDeleter> sig(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(bytes(signature), 32, nullptr);
    BIGNUM* s = BN_bin2bn(bytes(signature) + 32, 32, nullptr);
    if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
      BN_free(r);
      BN_free(s);
      return false;
    }
    unsigned char* out = nullptr;
    int len = i2d_ECDSA_SIG(sig.get(), &out);
    if (len <= 0) return false;
    der.assign(reinterpret_cast<const char*>(out), static_cast<std::size_t>(len));
    OPENSSL_free(out);
    signature = der;
  }
  std::array<unsigned char, 32> md{};
  SHA256(bytes(data), data.size(), md.data());
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, m_pkey.get(), nullptr));
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1) return false;
  if (m_algorithm == DnssecAlgorithm::rsasha256) EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING);
  if (EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()) != 1) return false;
  return EVP_PKEY_verify(ctx.get(), bytes(signature), signature.size(), md.data(), md.size()) == 1;
}

}  // namespace detail
}  // namespace rootgov::zone
