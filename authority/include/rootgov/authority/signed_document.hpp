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
// - `seq` (at least 1) is the actor's own counter; each value may be accepted once. A
//   ReplayGuard keeps, per actor, a window of the 64 highest seqs accepted and refuses a seq in
//   it or at or below the window's floor (the highest seq that left it). So an actor may have up
//   to 64 documents in flight, signed in one order and arriving in another (as IPsec's and
//   DTLS's anti-replay windows allow), and still no document is ever accepted twice.
// - Unknown actors, missing keys, bad signatures and replays fail with Errc::unauthorized;
//   malformed documents with Errc::invalid_input.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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
  /// to_json().canonical(), written from the canonical document bytes held.
  std::string to_wire() const;

  /// Checks the signature against the actor's key in `registry` (Errc::unauthorized on an
  /// unknown actor, an actor without a key, or a bad signature). Does not check replay.
  Result<void> verify(const ActorRegistry& registry) const;

 private:
  Document m_document;
  std::string m_canonical;
  std::string m_signature;
};

/// Per-actor replay protection: a window of the kWindow highest accepted seqs and a floor below
/// which every seq is refused. Accepting a seq adds it to the window; once the window holds
/// more than kWindow seqs its smallest leaves and becomes the floor. A seq is acceptable iff it
/// is above the floor and not in the window, so each seq is accepted at most once: it is either
/// still in the window or at or below the floor. Deterministic in the order of acceptance, so
/// replaying a log reproduces every decision.
class ReplayGuard {
 public:
  static constexpr std::size_t kWindow = 64;

  struct Window {
    std::uint64_t floor = 0;             ///< every seq <= floor is refused (0: none)
    std::vector<std::uint64_t> recent;   ///< accepted seqs above the floor, ascending, <= kWindow
    bool operator==(const Window&) const = default;
  };

  /// Errc::unauthorized (message starting "replayed or stale document") when `document.seq` was
  /// accepted before or is at or below the actor's floor.
  Result<void> check(const Document& document) const;
  /// Records `document.seq` as accepted. Precondition: check() passed.
  void accept(const Document& document);
  /// check() then accept().
  Result<void> check_and_accept(const Document& document);

  /// The highest seq accepted for `actor` (nullopt for an actor never seen).
  std::optional<std::uint64_t> last_seq(std::string_view actor) const;
  /// The smallest seq above every one used so far (1 for an actor never seen): always acceptable.
  std::uint64_t next_seq(std::string_view actor) const;

  /// One actor's window (nullptr for an actor never seen).
  const Window* window(std::string_view actor) const;
  /// Every actor's window in actor order, a copy for snapshots; restore() puts one back (recent
  /// is sorted and trimmed to kWindow, the excess raising the floor).
  std::map<ActorId, Window, std::less<>> windows() const;
  void restore(const ActorId& actor, Window window);

 private:
  // Found by hash: every document is checked and then accepted, each a lookup among all the
  // actors who ever signed (one per TLD manager), whose ids share prefixes such as "manager.".
  std::unordered_map<ActorId, Window, StringHash, std::equal_to<>> m_windows;
};

}  // namespace rootgov::authority
