// signed_document.cpp - documents, their signatures and the replay guard.
#include <rootgov/authority/signed_document.hpp>

#include <algorithm>

#include <fmt/format.h>

#include "crypto.hpp"
#include "json_util.hpp"

namespace rootgov::authority {

namespace {

constexpr std::array<DocumentType, 4> kTypes{DocumentType::submit, DocumentType::ballot, DocumentType::withdraw,
                                             DocumentType::admin};

Result<void> check_document(const Document& d) {
  if (!is_valid_actor_id(d.actor)) {
    return fail(Errc::invalid_input, fmt::format("document: invalid actor id '{}'", d.actor));
  }
  if (d.seq == 0) return fail(Errc::invalid_input, "document: 'seq' must be at least 1");
  if (!d.body.is_object()) return fail(Errc::invalid_input, "document: 'body' must be an object");
  return {};
}

}  // namespace

std::string_view to_string(DocumentType t) {
  switch (t) {
    case DocumentType::submit: return "submit";
    case DocumentType::ballot: return "ballot";
    case DocumentType::withdraw: return "withdraw";
    case DocumentType::admin: return "admin";
  }
  return "unknown";
}

std::optional<DocumentType> document_type_from_string(std::string_view text) {
  for (auto t : kTypes) {
    if (to_string(t) == text) return t;
  }
  return std::nullopt;
}

Json Document::to_json() const {
  Json j;
  j["type"] = Json(to_string(type));
  j["actor"] = Json(actor);
  j["time"] = Json(format_time(time));
  j["seq"] = Json(seq);
  j["body"] = body;
  return j;
}

Result<Document> Document::from_json(const Json& value) {
  const Json::Object* obj = value.as_object();
  if (obj == nullptr) return fail(Errc::invalid_input, "document: expected a JSON object");
  for (const auto& [key, v] : *obj) {
    if (key != "type" && key != "actor" && key != "time" && key != "seq" && key != "body") {
      return fail(Errc::invalid_input, fmt::format("document: unknown member \"{}\"", key));
    }
  }
  auto member = [&](std::string_view key) -> const Json* { return value.find(key); };
  Document d;
  const Json* type = member("type");
  if (type == nullptr || type->as_string() == nullptr) {
    return fail(Errc::invalid_input, "document: 'type' is missing or not a string");
  }
  auto t = document_type_from_string(*type->as_string());
  if (!t) {
    return fail(Errc::invalid_input,
                fmt::format("document: unknown type '{}' (expected submit, ballot, withdraw or admin)",
                            *type->as_string()));
  }
  d.type = *t;
  const Json* actor = member("actor");
  if (actor == nullptr || actor->as_string() == nullptr) {
    return fail(Errc::invalid_input, "document: 'actor' is missing or not a string");
  }
  d.actor = *actor->as_string();
  const Json* time = member("time");
  if (time == nullptr || time->as_string() == nullptr) {
    return fail(Errc::invalid_input, "document: 'time' is missing or not a string");
  }
  auto ts = parse_time(*time->as_string());
  if (!ts || format_time(*ts) != *time->as_string()) {
    return fail(Errc::invalid_input,
                fmt::format("document: invalid time '{}' (expected YYYY-MM-DDTHH:MM:SSZ)", *time->as_string()));
  }
  d.time = *ts;
  const Json* seq = member("seq");
  if (seq == nullptr || !seq->as_uint64()) {
    return fail(Errc::invalid_input, "document: 'seq' is missing or not a non-negative integer");
  }
  d.seq = *seq->as_uint64();
  const Json* body = member("body");
  if (body == nullptr) return fail(Errc::invalid_input, "document: 'body' is missing");
  d.body = *body;
  if (auto ok = check_document(d); !ok) return std::unexpected(ok.error());
  return d;
}

Result<SignedDocument> SignedDocument::sign(Document document, const ActorKey& key) {
  if (auto ok = check_document(document); !ok) return std::unexpected(ok.error());
  if (key.actor() != document.actor) {
    return fail(Errc::invalid_input, fmt::format("cannot sign a document of actor '{}' with the key of '{}'",
                                                 document.actor, key.actor()));
  }
  SignedDocument out;
  out.m_canonical = document.canonical();
  out.m_signature = crypto::base64_encode(key.sign(out.m_canonical));
  out.m_document = std::move(document);
  return out;
}

Result<SignedDocument> SignedDocument::from_json(const Json& wire) {
  const Json::Object* obj = wire.as_object();
  if (obj == nullptr) return fail(Errc::invalid_input, "signed document: expected a JSON object");
  for (const auto& [key, v] : *obj) {
    if (key != "document" && key != "signature") {
      return fail(Errc::invalid_input, fmt::format("signed document: unknown member \"{}\"", key));
    }
  }
  const Json* doc = wire.find("document");
  const Json* sig = wire.find("signature");
  if (doc == nullptr) return fail(Errc::invalid_input, "signed document: 'document' is missing");
  if (sig == nullptr || sig->as_string() == nullptr) {
    return fail(Errc::invalid_input, "signed document: 'signature' is missing or not a string");
  }
  auto document = Document::from_json(*doc);
  if (!document) return std::unexpected(document.error());
  SignedDocument out;
  out.m_canonical = doc->canonical();
  out.m_signature = *sig->as_string();
  out.m_document = std::move(*document);
  return out;
}

Result<SignedDocument> SignedDocument::parse(std::string_view wire_json) {
  auto json = Json::parse(wire_json);
  if (!json) return fail(Errc::invalid_input, "signed document: " + json.error().message);
  return from_json(*json);
}

std::string SignedDocument::digest() const {
  auto d = crypto::sha256(m_canonical);
  return crypto::hex_encode(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

Json SignedDocument::to_json() const {
  Json j;
  j["document"] = m_document.to_json();
  j["signature"] = Json(m_signature);
  return j;
}

std::string SignedDocument::to_wire() const {
  // The canonical form of to_json(): "document" sorts before "signature".
  std::string out;
  out.reserve(m_canonical.size() + m_signature.size() + 32);
  out += "{\"document\":";
  out += m_canonical;
  out += ",\"signature\":";
  detail::append_json_string(out, m_signature);
  out += '}';
  return out;
}

Result<void> SignedDocument::verify(const ActorRegistry& registry) const {
  const Actor* actor = registry.find(m_document.actor);
  if (actor == nullptr) {
    return fail(Errc::unauthorized, fmt::format("unknown actor '{}'", m_document.actor));
  }
  if (actor->public_key.empty()) {
    return fail(Errc::unauthorized, fmt::format("actor '{}' has no public key in the registry", actor->id));
  }
  auto sig = crypto::base64_decode(m_signature);
  if (!sig || sig->size() != crypto::kEd25519SignatureSize) {
    return fail(Errc::unauthorized,
                fmt::format("malformed signature on a {} document of actor '{}' (expected base64 of 64 bytes)",
                            to_string(m_document.type), actor->id));
  }
  if (!verify_signature(actor->public_key, m_canonical, *sig)) {
    return fail(Errc::unauthorized, fmt::format("bad signature on {} document seq {} of actor '{}'",
                                                to_string(m_document.type), m_document.seq, actor->id));
  }
  return {};
}

Result<void> ReplayGuard::check(const Document& document) const {
  auto it = m_windows.find(document.actor);
  if (it == m_windows.end()) return {};
  const Window& w = it->second;
  if (std::binary_search(w.recent.begin(), w.recent.end(), document.seq)) {
    return fail(Errc::unauthorized, fmt::format("replayed or stale document: actor '{}' seq {} was already accepted",
                                                document.actor, document.seq));
  }
  if (document.seq <= w.floor) {
    return fail(Errc::unauthorized,
                fmt::format("replayed or stale document: actor '{}' seq {} is not above {}, the floor of its replay "
                            "window (the last {} accepted seqs); sign it again with a seq above {}",
                            document.actor, document.seq, w.floor, kWindow, last_seq(document.actor).value_or(0)));
  }
  return {};
}

void ReplayGuard::accept(const Document& document) {
  Window& w = m_windows[document.actor];
  w.recent.insert(std::upper_bound(w.recent.begin(), w.recent.end(), document.seq), document.seq);
  if (w.recent.size() > kWindow) {
    w.floor = std::max(w.floor, w.recent.front());
    w.recent.erase(w.recent.begin());
  }
}

Result<void> ReplayGuard::check_and_accept(const Document& document) {
  if (auto ok = check(document); !ok) return ok;
  accept(document);
  return {};
}

const ReplayGuard::Window* ReplayGuard::window(std::string_view actor) const {
  auto it = m_windows.find(actor);
  return it == m_windows.end() ? nullptr : &it->second;
}

std::map<ActorId, ReplayGuard::Window, std::less<>> ReplayGuard::windows() const {
  return {m_windows.begin(), m_windows.end()};
}

std::optional<std::uint64_t> ReplayGuard::last_seq(std::string_view actor) const {
  auto it = m_windows.find(actor);
  if (it == m_windows.end()) return std::nullopt;
  const Window& w = it->second;
  return w.recent.empty() ? w.floor : std::max(w.floor, w.recent.back());
}

std::uint64_t ReplayGuard::next_seq(std::string_view actor) const {
  auto last = last_seq(actor);
  return last ? *last + 1 : 1;
}

void ReplayGuard::restore(const ActorId& actor, Window window) {
  std::sort(window.recent.begin(), window.recent.end());
  window.recent.erase(std::unique(window.recent.begin(), window.recent.end()), window.recent.end());
  std::erase_if(window.recent, [&](std::uint64_t seq) { return seq <= window.floor; });
  while (window.recent.size() > kWindow) {
    window.floor = window.recent.front();
    window.recent.erase(window.recent.begin());
  }
  m_windows[actor] = std::move(window);
}

}  // namespace rootgov::authority
