// cli/src/client_cmd.cpp - the client commands that talk to rootgovd: submit, approve, reject,
// withdraw, status, watch, zone fetch, clock show|advance (DESIGN.md section 4).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include <rootgov/authority/actors.hpp>
#include <rootgov/authority/authority.hpp>
#include <rootgov/authority/json.hpp>
#include <rootgov/authority/request.hpp>
#include <rootgov/authority/signed_document.hpp>
#include <rootgov/authority/types.hpp>

#include "commands.hpp"
#include "http_client.hpp"
#include "log_format.hpp"

namespace rootgov::cli {

namespace {

namespace auth = rootgov::authority;
namespace json = boost::json;

/// Options every client command shares.
struct Connection {
  std::string server = default_server_url();
  unsigned timeout_s = 60;

  HttpClient client() const {
    ClientTimeouts t;
    t.exchange = std::chrono::seconds(timeout_s);
    return HttpClient(server, t);
  }
};

void add_connection_options(CLI::App* cmd, const std::shared_ptr<Connection>& c) {
  cmd->add_option("--server", c->server, "rootgovd URL (default $ROOTGOV_SERVER or http://127.0.0.1:8053)");
  cmd->add_option("--timeout", c->timeout_s, "seconds to wait for an answer (default 60)")->check(CLI::Range(1u, 3600u));
}

/// Percent-encodes a path segment (request ids contain '#').
std::string encode_segment(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
        c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string str(const json::value* v) {
  if (v == nullptr || v->is_null()) return "";
  if (v->is_string()) return std::string(v->as_string());
  return json::serialize(*v);
}

std::string joined(const json::value* v) {
  if (v == nullptr || !v->is_array()) return str(v);
  std::string out;
  for (const auto& item : v->as_array()) out += (out.empty() ? "" : ", ") + str(&item);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Signed documents

/// Builds the wire form {"document": {...}, "signature": "..."} of a document of `type` with
/// `body`, signed with the actor key in `key_file` (authority/signed_document.hpp).
/// `seq` defaults to the current time in microseconds: it increases across invocations, which
/// is what the per-actor replay guard needs, without keeping client-side state.
std::string build_signed_document(const std::filesystem::path& key_file, auth::DocumentType type, auth::Json body,
                                  std::optional<std::uint64_t> seq) {
  auto key = auth::ActorKey::from_file(key_file);
  if (!key) throw ExitError(kExitUsage, "--as: " + key.error().message);
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auth::Document doc;
  doc.type = type;
  doc.actor = key->actor();
  doc.time = auth::Timestamp{std::chrono::duration_cast<std::chrono::seconds>(now).count()};
  doc.seq = seq.value_or(static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(now).count()));
  doc.body = std::move(body);
  auto signed_doc = auth::SignedDocument::sign(std::move(doc), *key);
  if (!signed_doc) throw ExitError(kExitUsage, "cannot sign: " + signed_doc.error().message);
  return signed_doc->to_wire();
}

auth::Json to_auth_json(const std::string& text) {
  auto parsed = auth::Json::parse(text);
  if (!parsed) throw ExitError(kExitUsage, "internal: request body is not canonical JSON: " + parsed.error().message);
  return std::move(*parsed);
}

struct Signer {
  std::string key_file;
  std::optional<std::uint64_t> seq;
};

void add_signer_options(CLI::App* cmd, const std::shared_ptr<Signer>& s) {
  cmd->add_option("--as", s->key_file, "the acting actor's private key file (from `rootgov keygen` or `lab init`)")
      ->required();
  cmd->add_option("--seq", s->seq, "the document's sequence number (default: the time in microseconds)");
}

/// POSTs a document of `type` with `body`, signed by `signer`, and returns the JSON reply.
/// When the CLI picks the sequence number (no --seq), clients acting as the same actor at the
/// same time may arrive out of order; the daemon's replay window accepts that. A document
/// still refused as stale (two clients signing within the same microsecond, or one that fell
/// below the window) is signed again with a fresh number and resent (a few times): the refused
/// document changed nothing, so nothing is recorded twice.
json::value post_signed(const Connection& conn, const std::string& target, const Signer& signer, auth::DocumentType type,
                        const auth::Json& body, std::string_view prefer = {}) {
  constexpr int kAttempts = 5;
  auto client = conn.client();
  for (int attempt = 1;; ++attempt) {
    auto wire = build_signed_document(signer.key_file, type, body, signer.seq);
    auto reply = client.request("POST", target, wire, "application/json", prefer);
    if (reply.ok()) return json_body(reply);
    if (!signer.seq && attempt < kAttempts && is_stale_sequence(reply)) continue;
    auto e = describe_error_reply(reply);
    throw ExitError(e.exit_code, e.message);
  }
}

// ---------------------------------------------------------------------------------------------
// submit

struct SubmitArgs {
  std::string kind;
  std::string tld;
  std::vector<std::string> ns;
  std::vector<std::string> ds;
  std::string manager;
  std::string target;
  std::vector<std::string> dnskeys;
  std::optional<std::uint32_t> soa_refresh, soa_retry, soa_expire, soa_minimum;
  std::string note;
  bool json = false;
};

/// "HOST[=IP[,IP...]]"
auth::NsSpec parse_ns(const std::string& text) {
  auth::NsSpec spec;
  auto eq = text.find('=');
  spec.host = text.substr(0, eq);
  if (spec.host.empty()) throw ExitError(kExitUsage, "--ns '" + text + "': missing host (expected HOST[=IP[,IP...]])");
  if (eq != std::string::npos) {
    std::string_view rest = std::string_view(text).substr(eq + 1);
    while (true) {
      auto comma = rest.find(',');
      std::string_view ip = rest.substr(0, comma);
      if (ip.empty()) throw ExitError(kExitUsage, "--ns '" + text + "': empty address (expected HOST=IP[,IP...])");
      spec.addresses.emplace_back(ip);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return spec;
}

/// "TAG ALG DIGESTTYPE HEX"
auth::DsSpec parse_ds(const std::string& text) {
  std::istringstream in(text);
  long tag = -1, alg = -1, dt = -1;
  std::string hex, extra;
  auto bad = [&](const std::string& why) {
    return ExitError(kExitUsage, "--ds '" + text + "': " + why + " (expected \"KEYTAG ALGORITHM DIGESTTYPE HEX\", e.g. \"20326 8 2 E06D...\")");
  };
  if (!(in >> tag >> alg >> dt >> hex)) throw bad("needs four fields");
  std::string more;
  while (in >> more) hex += more;  // digests are often written in groups
  if (tag < 0 || tag > 65535) throw bad("key tag must be 0-65535");
  if (alg < 0 || alg > 255 || dt < 0 || dt > 255) throw bad("algorithm and digest type must be 0-255");
  for (char c : hex) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) throw bad("the digest must be hexadecimal");
  }
  return auth::DsSpec{static_cast<std::uint16_t>(tag), static_cast<std::uint8_t>(alg), static_cast<std::uint8_t>(dt), hex};
}

/// Checks the flags against the kind (all of them, before anything is signed or sent).
auth::ChangeRequest build_change(const SubmitArgs& a) {
  auto kind = auth::change_kind_from_string(a.kind);
  if (!kind) {
    throw ExitError(kExitUsage, "--kind '" + a.kind +
                                    "': use ns-update, ds-update, delegate, transfer, revoke, root-update or contact-update");
  }
  auth::ChangeRequest c;
  c.kind = *kind;
  c.tld = a.tld;
  if (!c.tld.empty() && c.tld.back() == '.') c.tld.pop_back();
  c.note = a.note;
  auto need_tld = [&] {
    if (c.tld.empty()) throw ExitError(kExitUsage, "--kind " + a.kind + " needs --tld");
  };
  auto forbid = [&](bool present, const char* flag) {
    if (present) throw ExitError(kExitUsage, std::string(flag) + " does not apply to --kind " + a.kind);
  };
  for (const auto& n : a.ns) c.ns.push_back(parse_ns(n));
  for (const auto& d : a.ds) c.ds.push_back(parse_ds(d));
  switch (c.kind) {
    case auth::ChangeKind::ns_update:
      need_tld();
      if (c.ns.empty()) throw ExitError(kExitUsage, "--kind ns-update needs the full new NS set: one --ns HOST[=IP,...] per server");
      forbid(!a.ds.empty(), "--ds");
      forbid(!a.manager.empty(), "--manager");
      break;
    case auth::ChangeKind::ds_update:
      need_tld();  // no --ds: remove every DS
      forbid(!a.ns.empty(), "--ns");
      forbid(!a.manager.empty(), "--manager");
      break;
    case auth::ChangeKind::delegate:
      need_tld();
      if (c.ns.empty()) throw ExitError(kExitUsage, "--kind delegate needs at least one --ns HOST[=IP,...]");
      forbid(!a.manager.empty(), "--manager");
      break;
    case auth::ChangeKind::transfer:
      need_tld();
      if (a.manager.empty()) throw ExitError(kExitUsage, "--kind transfer needs --manager ACTOR (the new manager)");
      if (!auth::is_valid_actor_id(a.manager)) {
        throw ExitError(kExitUsage, "--manager '" + a.manager + "' is not an actor id (lowercase [a-z0-9][a-z0-9.-]*)");
      }
      forbid(!a.ns.empty(), "--ns");
      forbid(!a.ds.empty(), "--ds");
      c.new_manager = a.manager;
      break;
    case auth::ChangeKind::revoke:
      need_tld();
      forbid(!a.ns.empty(), "--ns");
      forbid(!a.ds.empty(), "--ds");
      forbid(!a.manager.empty(), "--manager");
      break;
    case auth::ChangeKind::contact_update:
      need_tld();
      if (!a.manager.empty()) c.new_manager = a.manager;
      break;
    case auth::ChangeKind::root_update:
      if (!c.tld.empty()) throw ExitError(kExitUsage, "--kind root-update concerns the root itself: drop --tld");
      if (a.target == "root-ns") {
        c.root_target = auth::RootTarget::root_ns;
        if (c.ns.empty()) throw ExitError(kExitUsage, "--target root-ns needs the full root NS set: --ns HOST[=IP,...]...");
      } else if (a.target == "dnskey") {
        c.root_target = auth::RootTarget::dnskey;
        if (a.dnskeys.empty()) throw ExitError(kExitUsage, "--target dnskey needs --dnskey \"FLAGS 3 ALG KEY\"...");
        c.dnskeys = a.dnskeys;
      } else if (a.target == "soa-timers") {
        c.root_target = auth::RootTarget::soa_timers;
        if (!a.soa_refresh && !a.soa_retry && !a.soa_expire && !a.soa_minimum) {
          throw ExitError(kExitUsage, "--target soa-timers needs at least one of --soa-refresh/--soa-retry/--soa-expire/--soa-minimum");
        }
        c.soa_refresh = a.soa_refresh;
        c.soa_retry = a.soa_retry;
        c.soa_expire = a.soa_expire;
        c.soa_minimum = a.soa_minimum;
      } else {
        throw ExitError(kExitUsage, "--kind root-update needs --target root-ns|dnskey|soa-timers");
      }
      break;
  }
  if (c.kind != auth::ChangeKind::root_update) {
    forbid(!a.target.empty(), "--target");
    forbid(!a.dnskeys.empty(), "--dnskey");
  }
  return c;
}

void register_submit(CLI::App& app) {
  auto args = std::make_shared<SubmitArgs>();
  auto signer = std::make_shared<Signer>();
  auto conn = std::make_shared<Connection>();
  CLI::App* cmd = app.add_subcommand("submit", "submit a signed change request; prints its id");
  add_signer_options(cmd, signer);
  cmd->add_option("--kind", args->kind, "ns-update | ds-update | delegate | transfer | revoke | root-update | contact-update")
      ->required();
  cmd->add_option("--tld", args->tld, "the TLD concerned (without the dot)");
  cmd->add_option("--ns", args->ns, "a name server of the full new set: HOST[=IP[,IP...]] (glue); repeat")->take_all();
  cmd->add_option("--ds", args->ds, "a DS record of the full desired set: \"KEYTAG ALG DIGESTTYPE HEX\"; repeat");
  cmd->add_option("--manager", args->manager, "transfer: the new manager's actor id");
  cmd->add_option("--target", args->target, "root-update: root-ns | dnskey | soa-timers");
  cmd->add_option("--dnskey", args->dnskeys, "root-update dnskey: a DNSKEY RDATA \"257 3 8 AwEAA...\"; repeat");
  cmd->add_option("--soa-refresh", args->soa_refresh, "root-update soa-timers: refresh seconds");
  cmd->add_option("--soa-retry", args->soa_retry, "root-update soa-timers: retry seconds");
  cmd->add_option("--soa-expire", args->soa_expire, "root-update soa-timers: expire seconds");
  cmd->add_option("--soa-minimum", args->soa_minimum, "root-update soa-timers: minimum (negative TTL) seconds");
  cmd->add_option("--note", args->note, "free text for the reviewers");
  cmd->add_flag("--json", args->json,
                "print the daemon's answer as JSON: the request as `status ID --json` shows it, plus log_index "
                "(the audit-log entry that records the submission)");
  add_connection_options(cmd, conn);
  cmd->callback([args, signer, conn] {
    auto change = build_change(*args);
    // Without --json only the id is printed: the daemon's minimal answer carries it.
    auto reply = post_signed(*conn, "/v1/requests", *signer, auth::DocumentType::submit,
                             to_auth_json(auth::change_request_to_json(change)), args->json ? "" : "return=minimal");
    const auto* id = reply.is_object() ? reply.as_object().if_contains("id") : nullptr;
    if (args->json) {
      std::cout << json::serialize(reply) << '\n';
    } else {
      std::cout << str(id) << '\n';
    }
  });
}

// ---------------------------------------------------------------------------------------------
// approve, reject, withdraw

void print_ballot_outcome(const std::string& id, const char* vote, const json::object* o) {
  std::string state = o != nullptr ? str(o->if_contains("state")) : "";
  std::cout << id << ": " << vote << " recorded" << (state.empty() ? "" : "; now " + state) << '\n';
  if (o != nullptr) {
    if (const auto* d = o->if_contains("decision"); d != nullptr && d->is_object()) {
      auto explanation = str(d->as_object().if_contains("explanation"));
      if (!explanation.empty()) std::cout << "  " << explanation << '\n';
    }
  }
}

// One id: POST /v1/requests/{id}/ballots. Several: one signed batch ballot naming them all,
// POST /v1/ballots (all or nothing).
void post_ballot(const Connection& conn, const Signer& signer, const std::vector<std::string>& ids, const char* vote,
                 const std::string& comment, bool as_json) {
  auth::Json body(auth::Json::Object{});
  std::string target;
  if (ids.size() == 1) {
    body["request"] = ids.front();
    target = "/v1/requests/" + encode_segment(ids.front()) + "/ballots";
  } else {
    auth::Json::Array list;
    for (const auto& id : ids) list.emplace_back(id);
    body["requests"] = std::move(list);
    target = "/v1/ballots";
  }
  body["vote"] = vote;
  if (!comment.empty()) body["comment"] = comment;
  auto reply = post_signed(conn, target, signer, auth::DocumentType::ballot, body);
  if (as_json) {
    std::cout << json::serialize(reply) << '\n';
    return;
  }
  const auto* o = reply.if_object();
  if (ids.size() == 1) {
    print_ballot_outcome(ids.front(), vote, o);
    return;
  }
  const auto* list = o != nullptr ? o->if_contains("requests") : nullptr;
  if (list == nullptr || !list->is_array()) throw ExitError(kExitIo, "rootgovd answered the batch ballot without 'requests'");
  std::cout << "one signed ballot (" << vote << ") on " << list->as_array().size() << " requests\n";
  for (const auto& item : list->as_array()) {
    const auto* r = item.if_object();
    print_ballot_outcome(r != nullptr ? str(r->if_contains("id")) : "?", vote, r);
  }
}

// Votes on every request that awaits the signer's actor, in batches of at most kMaxBatch ids.
// Each batch is all or nothing on its own; a request decided between the listing and the
// ballot makes its batch fail with the daemon's explanation.
void ballot_all_awaiting(const Connection& conn, const Signer& signer, const char* vote, const std::string& comment,
                         bool as_json) {
  auto key = auth::ActorKey::from_file(signer.key_file);
  if (!key) throw ExitError(kExitUsage, "--as: " + key.error().message);
  const std::string actor = key->actor();
  auto listing = conn.client().get_json("/v1/requests?state=awaiting&awaiting=" + encode_segment(actor));
  std::vector<std::string> ids;
  if (const auto* o = listing.if_object()) {
    if (const auto* list = o->if_contains("requests"); list != nullptr && list->is_array()) {
      for (const auto& r : list->as_array()) {
        if (const auto* ro = r.if_object()) ids.push_back(str(ro->if_contains("id")));
      }
    }
  }
  if (ids.empty()) {
    if (as_json) {
      std::cout << R"({"requests":[],"count":0})" << '\n';
    } else {
      std::cout << "no request awaits " << actor << '\n';
    }
    return;
  }
  for (std::size_t from = 0; from < ids.size(); from += auth::Authority::kMaxBatch) {
    const std::size_t to = std::min(ids.size(), from + auth::Authority::kMaxBatch);
    post_ballot(conn, signer, std::vector<std::string>(ids.begin() + static_cast<std::ptrdiff_t>(from),
                                                       ids.begin() + static_cast<std::ptrdiff_t>(to)),
                vote, comment, as_json);
  }
}

void register_ballots(CLI::App& app) {
  struct BallotArgs {
    std::vector<std::string> ids;
    std::string comment;
    bool json = false;
    bool all_awaiting = false;
  };
  for (const char* vote : {"approve", "reject"}) {
    auto args = std::make_shared<BallotArgs>();
    auto signer = std::make_shared<Signer>();
    auto conn = std::make_shared<Connection>();
    bool reject = std::string_view(vote) == "reject";
    CLI::App* cmd = app.add_subcommand(
        vote, reject ? "reject one or more requests (one signed ballot; a comment is required)"
                     : "approve one or more requests (one signed ballot; several ids: all or nothing)");
    cmd->add_option("id", args->ids,
                    "the request id, e.g. ROOT-MGMT#20051118001; several ids make one batch ballot that is recorded "
                    "for all of them or, if any cannot take it, for none");
    cmd->add_flag("--all-awaiting", args->all_awaiting,
                  std::string("instead of ids: ") + vote +
                      " every request that awaits the --as actor now (GET /v1/requests?awaiting=ACTOR), in batch "
                      "ballots of at most 1000 requests each");
    add_signer_options(cmd, signer);
    auto* comment = cmd->add_option("--comment", args->comment, reject ? "why (required)" : "a comment for the record");
    if (reject) comment->required();
    cmd->add_flag("--json", args->json,
                  "print the daemon's answer as JSON (one id: the request plus log_index; several: "
                  "{\"requests\": [...], \"count\", \"log_index\"})");
    add_connection_options(cmd, conn);
    cmd->callback([args, signer, conn, vote] {
      if (std::string_view(vote) == "reject" && args->comment.empty()) {
        throw ExitError(kExitUsage, "reject needs a non-empty --comment that says why");
      }
      if (args->all_awaiting) {
        if (!args->ids.empty()) throw ExitError(kExitUsage, "give request ids or --all-awaiting, not both");
        ballot_all_awaiting(*conn, *signer, vote, args->comment, args->json);
        return;
      }
      if (args->ids.empty()) throw ExitError(kExitUsage, "name the request(s) to vote on, or use --all-awaiting");
      if (args->ids.size() > auth::Authority::kMaxBatch) {
        throw ExitError(kExitUsage, "at most " + std::to_string(auth::Authority::kMaxBatch) +
                                        " request ids per ballot; split them");
      }
      post_ballot(*conn, *signer, args->ids, vote, args->comment, args->json);
    });
  }

  auto id = std::make_shared<std::string>();
  auto signer = std::make_shared<Signer>();
  auto conn = std::make_shared<Connection>();
  CLI::App* cmd = app.add_subcommand("withdraw", "withdraw your own request while it awaits ballots");
  cmd->add_option("id", *id, "the request id")->required();
  add_signer_options(cmd, signer);
  add_connection_options(cmd, conn);
  cmd->callback([id, signer, conn] {
    auth::Json body(auth::Json::Object{});
    body["request"] = *id;
    auto reply = post_signed(*conn, "/v1/requests/" + encode_segment(*id) + "/withdraw", *signer,
                             auth::DocumentType::withdraw, body);
    std::string state = reply.is_object() ? str(reply.as_object().if_contains("state")) : "";
    std::cout << *id << ": withdrawn" << (state.empty() || state == "withdrawn" ? "" : " (now " + state + ")") << '\n';
  });
}

// ---------------------------------------------------------------------------------------------
// status

void print_request(const json::object& r) {
  std::cout << str(r.if_contains("id")) << "  " << str(r.if_contains("kind")) << ' ' << str(r.if_contains("tld"))
            << "  (requested by " << str(r.if_contains("requester")) << ")\n";
  std::cout << "  state:     " << str(r.if_contains("state")) << '\n';
  auto awaiting = joined(r.if_contains("awaiting"));
  if (!awaiting.empty()) std::cout << "  awaiting:  " << awaiting << '\n';
  if (const auto* d = r.if_contains("decision"); d != nullptr && d->is_object()) {
    const auto& dec = d->as_object();
    std::cout << "  decision:  " << str(dec.if_contains("outcome"));
    auto stage = str(dec.if_contains("stage"));
    if (!stage.empty()) std::cout << " (stage " << stage << ")";
    std::cout << '\n';
    auto deadline = str(dec.if_contains("deadline"));
    if (!deadline.empty()) std::cout << "  deadline:  " << deadline << '\n';
    auto explanation = str(dec.if_contains("explanation"));
    if (!explanation.empty()) std::cout << "  why:       " << explanation << '\n';
  }
  if (const auto* b = r.if_contains("ballots"); b != nullptr && b->is_array() && !b->as_array().empty()) {
    std::cout << "  ballots:\n";
    for (const auto& v : b->as_array()) {
      if (!v.is_object()) continue;
      const auto& o = v.as_object();
      std::cout << "    " << str(o.if_contains("at")) << "  " << str(o.if_contains("actor")) << "  "
                << str(o.if_contains("vote"));
      auto comment = str(o.if_contains("comment"));
      if (!comment.empty()) std::cout << "  \"" << comment << '"';
      std::cout << '\n';
    }
  }
}

void print_fields(const json::object& o) {
  for (const auto& kv : o) std::cout << std::string(kv.key()) << ": " << str(&kv.value()) << '\n';
}

void register_status(CLI::App& app) {
  struct StatusArgs {
    std::string id;
    bool json = false;
  };
  auto args = std::make_shared<StatusArgs>();
  auto conn = std::make_shared<Connection>();
  CLI::App* cmd = app.add_subcommand("status", "show one request (state, who is awaited, decision) or the authority's summary");
  cmd->add_option("id", args->id, "a request id; without it, the summary");
  cmd->add_flag("--json", args->json, "print the JSON the daemon returned");
  add_connection_options(cmd, conn);
  cmd->callback([args, conn] {
    auto client = conn->client();
    auto reply = args->id.empty() ? client.get_json("/v1/summary") : client.get_json("/v1/requests/" + encode_segment(args->id));
    if (args->json) {
      std::cout << json::serialize(reply) << '\n';
    } else if (!reply.is_object()) {
      std::cout << json::serialize(reply) << '\n';
    } else if (args->id.empty()) {
      print_fields(reply.as_object());
    } else {
      print_request(reply.as_object());
    }
  });
}

// ---------------------------------------------------------------------------------------------
// watch

void register_watch(CLI::App& app) {
  struct WatchArgs {
    bool json = false;
    std::optional<std::uint64_t> after;
    std::optional<std::size_t> count;
  };
  auto args = std::make_shared<WatchArgs>();
  auto conn = std::make_shared<Connection>();
  CLI::App* cmd = app.add_subcommand("watch", "follow the daemon's live events (submissions, ballots, decisions, publications)");
  cmd->add_flag("--json", args->json, "one JSON object per line: {\"id\", \"type\", \"data\"}");
  cmd->add_option("--after", args->after, "resume after this event id");
  cmd->add_option("--count", args->count, "stop after this many events");
  add_connection_options(cmd, conn);
  cmd->callback([args, conn] {
    std::size_t seen = 0;
    conn->client().follow_events("/v1/events", args->after, [&](const SseEvent& e) {
      if (args->json) {
        json::object o{{"type", e.type}};
        o["id"] = e.id ? json::value(*e.id) : json::value(nullptr);
        boost::system::error_code ec;
        auto data = json::parse(e.data, ec);
        o["data"] = ec ? json::value(e.data) : std::move(data);
        std::cout << json::serialize(o) << std::endl;
      } else {
        boost::system::error_code ec;
        auto data = json::parse(e.data, ec);
        std::string line = !ec && data.is_object() ? describe(data.as_object()) : std::string();
        if (line.empty()) line = e.data;
        std::string request = !ec && data.is_object() ? rootgov::cli::str(data.as_object(), "request") : std::string();
        std::cout << (e.id ? std::to_string(*e.id) : "-") << "  " << e.type << "  " << (request.empty() ? "" : request + "  ")
                  << line << std::endl;
      }
      ++seen;
      return !args->count || seen < *args->count;
    });
  });
}

// ---------------------------------------------------------------------------------------------
// zone fetch

void register_zone_fetch(CLI::App& app) {
  CLI::App* zone = nullptr;
  for (CLI::App* sub : app.get_subcommands([](CLI::App* s) { return s->get_name() == "zone"; })) zone = sub;
  if (zone == nullptr) {
    zone = app.add_subcommand("zone", "zone tools");
    zone->require_subcommand(1);
  }
  auto out = std::make_shared<std::string>();
  auto conn = std::make_shared<Connection>();
  CLI::App* cmd = zone->add_subcommand("fetch", "download the published signed zone from rootgovd");
  cmd->add_option("-o,--out", *out, "file to write (\"-\" for stdout)")->required();
  add_connection_options(cmd, conn);
  cmd->callback([out, conn] {
    auto text = conn->client().get_text("/v1/zone");
    if (*out == "-") {
      std::cout << text;
      return;
    }
    auto tmp = *out + ".tmp";
    {
      std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
      f << text;
      if (!f) throw ExitError(kExitIo, "cannot write '" + tmp + "'");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, *out, ec);
    if (ec) throw ExitError(kExitIo, "cannot write '" + *out + "': " + ec.message());
  });
}

// ---------------------------------------------------------------------------------------------
// clock

void register_clock(CLI::App& app) {
  CLI::App* clock = app.add_subcommand("clock", "the authority's clock (real or simulated)");
  clock->require_subcommand(1);

  auto show_json = std::make_shared<bool>(false);
  auto conn = std::make_shared<Connection>();
  CLI::App* show = clock->add_subcommand("show", "print the authority's time and clock mode");
  show->add_flag("--json", *show_json, "print the JSON the daemon returned");
  add_connection_options(show, conn);
  show->callback([show_json, conn] {
    auto reply = conn->client().get_json("/v1/clock");
    if (*show_json || !reply.is_object()) {
      std::cout << json::serialize(reply) << '\n';
    } else {
      print_fields(reply.as_object());
    }
  });

  auto duration = std::make_shared<std::string>();
  auto signer = std::make_shared<Signer>();
  auto aconn = std::make_shared<Connection>();
  CLI::App* advance = clock->add_subcommand("advance", "advance a simulated clock (signed by an instructor)");
  advance->add_option("duration", *duration, "how far: 30s, 90m, 36h, 7d, 2w, or sums like 1w2d")->required();
  add_signer_options(advance, signer);
  add_connection_options(advance, aconn);
  advance->callback([duration, signer, aconn] {
    auto d = auth::parse_duration(*duration);
    if (!d) throw ExitError(kExitUsage, "duration '" + *duration + "': " + d.error().message);
    if (d->seconds <= 0) throw ExitError(kExitUsage, "duration '" + *duration + "' must be positive");
    auth::Json body(auth::Json::Object{});
    body["action"] = "clock-advance";
    body["duration"] = *duration;
    auto reply = post_signed(*aconn, "/v1/clock/advance", *signer, auth::DocumentType::admin, body);
    if (reply.is_object()) {
      auto now = str(reply.as_object().if_contains("now"));
      if (!now.empty()) {
        std::cout << "clock: " << now << '\n';
        return;
      }
    }
    std::cout << json::serialize(reply) << '\n';
  });
}

}  // namespace

void register_client_commands(CLI::App& app) {
  register_submit(app);
  register_ballots(app);
  register_status(app);
  register_watch(app);
  register_zone_fetch(app);
  register_clock(app);
}

}  // namespace rootgov::cli
