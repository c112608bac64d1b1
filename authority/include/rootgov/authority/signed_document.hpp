// rootgov/authority/signed_document.hpp - signed submissions, ballots, withdrawals and
// administrative actions.
//
// A document is a JSON object {"type", "actor", "time", "seq", "body"}; its signature is a
// detached Ed25519 signature (base64) over the document's canonical bytes (json.hpp). On the wire
// and in the log it travels as {"document": {...}, "signature": "..."}; the receiver
// re-canonicalizes, so whitespace or member order in transit never matters, but any change of
// a value breaks the signature.
//
// Contract:
// - Verification needs only the ActorRegistry: the actor's registered public key.
// - `seq` is the actor's own counter: it MUST strictly increase per actor; a ReplayGuard refuses
//   a document whose seq is not above the last accepted one for that actor.
// - Unknown actors, missing keys, bad signatures and replays fail with Errc::unauthorized;
//   malformed documents with Errc::invalid_input.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <rootgov/authority/actors.hpp>
#include <rootgov/authority/json.hpp>
#include <rootgov/authority/types.hpp>

namespace rootgov::authority {

enum class DocumentType { submit, ballot, withdraw, admin };
std::string_view to_string(DocumentType t);  // "submit", "ballot", "withdraw", "admin"
std::optional<DocumentType> document_type_from_string(std::string_view text);

/// The signed content. `body` is an object whose members depend on the type (the workflow
/// defines them); `time` is the actor's claimed time, whole seconds.
struct Document {
  DocumentType type = DocumentType::submit;
  ActorId actor;
  Timestamp time;
  std::uint64_t seq = 0;  ///< >= 1
  Json body = Json(Json::Object{});

  Json to_json() const;
  /// The exact bytes that are signed.
  std::string canonical() const { return to_json().canonical(); }
  /// Strict: exactly the five members, well-typed; time as "YYYY-MM-DDTHH:MM:SSZ".
  static Result<Document> from_json(const Json& value);
};

class SignedDocument {
 public:
  /// Signs `document` with `key`. Errc::invalid_input if the key belongs to another actor, the
  /// document is malformed (invalid id, seq 0, body not an object).
  static Result<SignedDocument> sign(Document document, const ActorKey& key);
  /// Parses the wire form (JSON text); checks the shape only, never the signature.
  static Result<SignedDocument> parse(std::string_view wire_json);
  static Result<SignedDocument> from_json(const Json& wire);

  const Document& document() const { return m_document; }
  /// The canonical document bytes the signature covers.
  const std::string& canonical() const { return m_canonical; }
  /// base64 of the 64-byte Ed25519 signature.
  const std::string& signature() const { return m_signature; }
  /// Lowercase hex SHA-256 of canonical(): a stable id for the document.
  std::string digest() const;

  /// {"document": {...}, "signature": "..."}
  Json to_json() const;
  std::string to_wire() const { return to_json().canonical(); }

  /// Checks the signature against the actor's key in `registry` (Errc::unauthorized on an
  /// unknown actor, an actor without a key, or a bad signature). Does not check replay.
  Result<void> verify(const ActorRegistry& registry) const;

 private:
  Document m_document;
  std::string m_canonical;
  std::string m_signature;
};

/// Remembers the last accepted seq per actor and refuses anything not above it.
class ReplayGuard {
 public:
  /// Errc::unauthorized when `document.seq` is not above the actor's last accepted seq.
  Result<void> check(const Document& document) const;
  /// Records `document.seq` as the actor's last. Precondition: check() passed.
  void accept(const Document& document);
  /// check() then accept().
  Result<void> check_and_accept(const Document& document);

  std::optional<std::uint64_t> last_seq(std::string_view actor) const;
  /// The smallest seq the actor may use next (1 for an actor never seen).
  std::uint64_t next_seq(std::string_view actor) const;
  const std::map<ActorId, std::uint64_t, std::less<>>& all() const { return m_last; }

 private:
  std::map<ActorId, std::uint64_t, std::less<>> m_last;
};

}  // namespace rootgov::authority
