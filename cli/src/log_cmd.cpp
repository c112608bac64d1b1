// cli/src/log_cmd.cpp - the 'log' command group: verify, show, prove and compare audit logs.
//
// Every command reads a log offline (a state directory or a JSON-lines file, as written by
// `rootgov log show --raw`); show and prove can also read it from a running rootgovd
// (--server), in which case prove checks the daemon's proof against its signed tree head here.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <rootgov/authority/authority.hpp>
#include <rootgov/authority/merkle.hpp>
#include <rootgov/policies/registry.hpp>

#include "commands.hpp"
#include "http_client.hpp"
#include "log_format.hpp"

namespace rootgov::cli {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
namespace auth = rootgov::authority;

/// One audit-log entry: its exact text and the parsed object.
struct Entry {
  std::string text;
  json::object o;
};

std::vector<Entry> parse_entries(std::vector<std::string> lines, const std::string& source) {
  std::vector<Entry> out;
  out.reserve(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    boost::system::error_code ec;
    json::value v = json::parse(lines[i], ec);
    if (ec || !v.is_object()) {
      throw ExitError(kExitCheckFailed, fmt::format("{}: entry {} is not a JSON object (run `rootgov log verify`)", source, i));
    }
    out.push_back({std::move(lines[i]), std::move(v.as_object())});
  }
  return out;
}

std::vector<Entry> read_local(const std::string& path) {
  auto lines = auth::read_audit_log(path);
  if (!lines) throw ExitError(lines.error().code == Errc::io || lines.error().code == Errc::not_found ? kExitIo : kExitUsage,
                              lines.error().message);
  return parse_entries(std::move(*lines), path);
}

/// Reads [from, from + max) from a daemon, page by page (max 0: to the end).
std::vector<Entry> read_remote(const std::string& server, std::uint64_t from, std::uint64_t max) {
  HttpClient client(server);
  std::vector<std::string> lines;
  std::uint64_t next = from;
  for (;;) {
    std::uint64_t want = 10000;
    if (max != 0) want = std::min<std::uint64_t>(want, from + max - next);
    if (want == 0) break;
    json::value page = client.get_json(fmt::format("/v1/log?from={}&max={}", next, want));
    const auto& o = page.as_object();
    const auto& entries = o.at("entries").as_array();
    for (const auto& e : entries) lines.push_back(json::serialize(e));
    next += entries.size();
    if (entries.empty() || next >= o.at("size").to_number<std::uint64_t>()) break;
  }
  return parse_entries(std::move(lines), server);
}

/// What a log says about one request.
struct RequestSummary {
  std::string id;
  std::string kind;
  std::string tld;
  std::string requester;
  std::string submitted_at;
  std::string outcome = "open";  ///< approved|rejected|withdrawn|expired|open
  std::string stage;
  std::string decided_at;
  std::vector<std::string> approvers;
  std::vector<std::string> voters;  ///< every actor who cast a binding ballot, in order
  std::size_t ballots = 0;
  std::string serial;
};

struct LogSummary {
  std::string model;
  std::vector<RequestSummary> requests;  ///< in submission order
};

LogSummary summarize(const std::vector<Entry>& entries) {
  LogSummary s;
  std::map<std::string, std::size_t> by_id;
  for (const auto& [text, e] : entries) {
    const std::string event = str(e, "event");
    if (event == "genesis" || event == "reconfigured") {
      s.model = str(e, "model");
      continue;
    }
    if (event == "ballots") {  // one signed ballot on several requests
      const auto ids = str_list(e, "requests");
      const auto binding = str_list(e, "binding");
      for (std::size_t i = 0; i < ids.size(); ++i) {
        auto it = by_id.find(ids[i]);
        if (it == by_id.end()) continue;
        RequestSummary& r = s.requests[it->second];
        ++r.ballots;
        if (i >= binding.size() || binding[i] != "false") r.voters.push_back(document_actor(e));
      }
      continue;
    }
    const std::string id = str(e, "request");
    if (id.empty()) continue;
    if (event == "submitted") {
      RequestSummary r;
      r.id = id;
      if (const auto* body = document_body(e)) {
        r.kind = str(*body, "kind");
        r.tld = str(*body, "tld");
      }
      r.requester = document_actor(e);
      r.submitted_at = str(e, "time");
      by_id[id] = s.requests.size();
      s.requests.push_back(std::move(r));
      continue;
    }
    auto it = by_id.find(id);
    if (it == by_id.end()) continue;
    RequestSummary& r = s.requests[it->second];
    if (event == "ballot") {
      ++r.ballots;
      if (str(e, "binding") != "false") r.voters.push_back(document_actor(e));
    } else if (event == "decided" || (event == "checked" && str(e, "passed") == "false")) {
      r.outcome = event == "checked" ? "rejected" : str(e, "outcome");
      r.stage = event == "checked" ? "technical-check" : str(e, "stage");
      r.approvers = str_list(e, "approvers");
      r.decided_at = str(e, "time");
    } else if (event == "withdrawn") {
      r.outcome = "withdrawn";
      r.decided_at = str(e, "time");
    } else if (event == "implemented") {
      r.serial = str(e, "serial");
    }
  }
  return s;
}

json::object summary_json(const RequestSummary& r) {
  json::array approvers(r.approvers.begin(), r.approvers.end());
  return json::object{{"id", r.id},           {"kind", r.kind},
                      {"tld", r.tld},         {"requester", r.requester},
                      {"outcome", r.outcome}, {"stage", r.stage},
                      {"approvers", approvers}, {"ballots", r.ballots},
                      {"submitted_at", r.submitted_at}, {"decided_at", r.decided_at},
                      {"serial", r.serial}};
}

// ---------------------------------------------------------------------------------------------

void register_verify(CLI::App& log) {
  struct Args {
    std::string path, actors, base_zone, sth;
    bool no_replay = false;
    bool json = false;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = log.add_subcommand("verify", "verify an audit log offline: hash chain, actor signatures, Merkle tree, "
                                           "signed tree head, and a full replay that must reproduce every decision");
  cmd->add_option("log", a->path, "a state directory or a JSON-lines log file")->required();
  cmd->add_option("--actors", a->actors, "the actor registry (default: actors.toml beside the log)");
  cmd->add_option("--base-zone", a->base_zone, "the base zone (default: base.zone beside the log)");
  cmd->add_option("--sth", a->sth, "a signed tree head to check (default: sth.json beside the log, when present)");
  cmd->add_flag("--no-replay", a->no_replay, "skip the replay (chain, signatures and tree only)");
  cmd->add_flag("--json", a->json, "print the report as JSON");
  cmd->callback([a] {
    auth::LogVerifyOptions o;
    o.log = a->path;
    o.actors = a->actors;
    o.base_zone = a->base_zone;
    o.tree_head = a->sth;
    o.replay = !a->no_replay;
    o.resolve_policy = policies::policy_from_record;
    if (!fs::exists(a->path)) throw ExitError(kExitUsage, "no such file or directory: '" + a->path + "'");
    auto r = auth::Authority::verify_log(o);
    if (a->json) {
      json::object out{{"ok", r.ok},           {"entries", r.entries}, {"documents", r.documents},
                       {"message", r.message}, {"root", r.root_hex},   {"model", r.model}};
      out["first_bad"] = r.first_bad ? json::value(*r.first_bad) : json::value(nullptr);
      std::cout << json::serialize(out) << '\n';
    } else if (r.ok) {
      std::cout << a->path << ": " << r.message << '\n';
    } else {
      std::cout << a->path << ": FAILED"
                << (r.first_bad ? fmt::format(" at entry {}", *r.first_bad) : std::string()) << ": " << r.message << '\n';
    }
    if (!r.ok) throw ExitError(kExitCheckFailed, "the audit log does not verify");
  });
}

struct Source {
  std::string path;
  std::string server;
  bool remote() const { return !server.empty(); }
};

void add_source_options(CLI::App* cmd, const std::shared_ptr<Source>& s) {
  cmd->add_option("log", s->path, "a state directory or a JSON-lines log file (default: read it from rootgovd)");
  cmd->add_option("--server", s->server, "rootgovd URL (default $ROOTGOV_SERVER or http://127.0.0.1:8053)");
}

/// A log path, or a daemon: --server, else $ROOTGOV_SERVER / the default address.
void require_one_source(Source& s) {
  if (!s.path.empty() && !s.server.empty()) throw ExitError(kExitUsage, "give a log (state directory or file) or --server URL, not both");
  if (s.path.empty() && s.server.empty()) s.server = default_server_url();
}

void register_show(CLI::App& log) {
  struct Args {
    std::string request;
    std::uint64_t from = 0;
    std::uint64_t max = 0;
    bool decisions = false;
    bool json = false;
    bool raw = false;
  };
  auto a = std::make_shared<Args>();
  auto src = std::make_shared<Source>();
  auto* cmd = log.add_subcommand("show", "print an audit log: one line per entry, or who decided each request");
  add_source_options(cmd, src);
  cmd->add_option("--request", a->request, "only the entries about this request");
  auto* from = cmd->add_option("--from", a->from, "the first entry to print");
  auto* max = cmd->add_option("--max", a->max, "at most this many entries (0: all)");
  cmd->add_flag("--decisions", a->decisions, "one line per request: outcome, stage, who approved, serial");
  cmd->add_flag("--json", a->json, "JSON output (--decisions: an array of requests)");
  cmd->add_flag("--raw", a->raw, "the whole log exactly as logged, one entry per line (a file `log verify` accepts)");
  cmd->callback([a, src, from, max] {
    require_one_source(*src);
    if ((a->raw || a->decisions) && (from->count() > 0 || max->count() > 0)) {
      throw ExitError(kExitUsage, std::string(a->raw ? "--raw" : "--decisions") +
                                      " reads the whole log, so it takes no --from or --max; drop them, or use "
                                      "--json for a range of entries");
    }
    const bool whole = a->decisions || a->raw;  // a decision table needs every entry
    std::vector<Entry> entries = src->remote() ? read_remote(src->server, whole ? 0 : a->from, whole ? 0 : a->max)
                                               : read_local(src->path);
    if (a->decisions) {
      LogSummary s = summarize(entries);
      if (a->json) {
        json::array out;
        for (const auto& r : s.requests) {
          if (a->request.empty() || r.id == a->request) out.push_back(summary_json(r));
        }
        std::cout << json::serialize(json::object{{"model", s.model}, {"requests", out}}) << '\n';
        return;
      }
      std::cout << "model: " << s.model << '\n';
      for (const auto& r : s.requests) {
        if (!a->request.empty() && r.id != a->request) continue;
        std::cout << fmt::format("{}  {} {}  by {}: {}", r.id, r.kind, r.tld.empty() ? "." : r.tld, r.requester, r.outcome);
        if (!r.stage.empty()) std::cout << " at " << r.stage;
        if (!r.approvers.empty()) std::cout << "; approved by " << joined(r.approvers);
        if (!r.serial.empty()) std::cout << "; serial " << r.serial;
        std::cout << '\n';
      }
      return;
    }
    if (a->raw) {
      for (const auto& e : entries) std::cout << e.text << '\n';
      return;
    }
    std::uint64_t printed = 0;
    for (std::size_t i = src->remote() ? 0 : static_cast<std::size_t>(std::min<std::uint64_t>(a->from, entries.size()));
         i < entries.size(); ++i) {
      const auto& e = entries[i].o;
      if (!a->request.empty() && str(e, "request") != a->request) {
        const auto batch = str_list(e, "requests");  // a batch ballot names several
        if (std::find(batch.begin(), batch.end(), a->request) == batch.end()) continue;
      }
      if (a->max != 0 && printed == a->max) break;
      ++printed;
      if (a->json) {
        std::cout << entries[i].text << '\n';
        continue;
      }
      std::cout << fmt::format("{:>6}  {}  {:<11} {:<22} {}\n", str(e, "index"), str(e, "time"), str(e, "event"),
                               str(e, "request"), describe(e));
    }
  });
}

std::vector<auth::MerkleHash> hashes_from(const json::value& v) {
  std::vector<auth::MerkleHash> out;
  for (const auto& h : v.as_array()) {
    auto parsed = auth::merkle_hash_from_hex(h.as_string());
    if (!parsed) throw ExitError(kExitCheckFailed, "the proof holds a malformed hash: " + parsed.error().message);
    out.push_back(*parsed);
  }
  return out;
}

void register_prove(CLI::App& log) {
  struct Args {
    std::uint64_t index = 0;
    std::optional<std::uint64_t> size;
    std::optional<std::uint64_t> since;
    bool json = false;
  };
  auto a = std::make_shared<Args>();
  auto src = std::make_shared<Source>();
  auto* cmd = log.add_subcommand(
      "prove", "prove that entry --index is in the log (RFC 9162 inclusion proof), and with --since N that the log of N "
               "entries is a prefix of today's (consistency proof); with --server the daemon's proofs are checked "
               "here against its signed tree head");
  add_source_options(cmd, src);
  cmd->add_option("--index", a->index, "the entry to prove")->required();
  cmd->add_option("--size", a->size, "the tree size to prove against (default: the whole log / the signed tree head)");
  cmd->add_option("--since", a->since, "also prove consistency from this earlier size");
  cmd->add_flag("--json", a->json, "print the proofs as JSON");
  cmd->callback([a, src] {
    require_one_source(*src);
    std::uint64_t size = 0;
    auth::MerkleHash root{};
    auth::MerkleHash leaf{};
    std::vector<auth::MerkleHash> path;
    std::optional<std::vector<auth::MerkleHash>> consistency;
    std::optional<auth::MerkleHash> old_root;
    std::string signed_by;
    if (src->remote()) {
      HttpClient client(src->server);
      json::value sth_json = client.get_json("/v1/log/sth");
      const auto& sth_obj = sth_json.as_object();
      const std::string key = str(sth_obj, "authority_key");
      json::object bare{{"tree_head", sth_obj.at("tree_head")}, {"signature", sth_obj.at("signature")}};
      auto sth = auth::SignedTreeHead::parse(json::serialize(bare));
      if (!sth) throw ExitError(kExitCheckFailed, "the daemon's signed tree head is malformed: " + sth.error().message);
      if (auto ok = auth::verify_tree_head(*sth, key); !ok) {
        throw ExitError(kExitCheckFailed, "the daemon's signed tree head does not verify: " + ok.error().message);
      }
      signed_by = key;
      size = a->size.value_or(sth->head.size);
      if (size != sth->head.size) {
        throw ExitError(kExitUsage, fmt::format("with --server the proof is checked against the signed tree head "
                                                "(size {}); omit --size", sth->head.size));
      }
      root = sth->head.root;
      auto entries = read_remote(src->server, a->index, 1);
      if (entries.empty()) throw ExitError(kExitUsage, fmt::format("the log has no entry {}", a->index));
      leaf = auth::merkle_leaf_hash(entries.front().text);
      path = hashes_from(client.get_json(fmt::format("/v1/log/proof/inclusion?index={}&size={}", a->index, size))
                             .as_object()
                             .at("hashes"));
      if (a->since && *a->since > 0) {
        consistency = hashes_from(
            client.get_json(fmt::format("/v1/log/proof/consistency?first={}&second={}", *a->since, size)).as_object().at("hashes"));
      }
    } else {
      auto entries = read_local(src->path);
      auth::MerkleTree tree;
      for (const auto& e : entries) tree.append(e.text);
      size = a->size.value_or(tree.size());
      auto r = tree.root_at(size);
      if (!r) throw ExitError(kExitUsage, fmt::format("--size {}: the log has {} entries", size, tree.size()));
      root = *r;
      if (a->index >= size) throw ExitError(kExitUsage, fmt::format("--index {}: the tree has {} entries", a->index, size));
      leaf = tree.leaf(a->index);
      auto p = tree.inclusion_proof(a->index, size);
      if (!p) throw ExitError(kExitUsage, p.error().message);
      path = std::move(*p);
      if (a->since && *a->since > 0) {
        auto c = tree.consistency_proof(*a->since, size);
        if (!c) throw ExitError(kExitUsage, "--since: " + c.error().message);
        consistency = std::move(*c);
      }
    }
    if (a->since && *a->since > size) throw ExitError(kExitUsage, fmt::format("--since {} is past size {}", *a->since, size));
    if (a->index >= size) throw ExitError(kExitUsage, fmt::format("--index {}: the tree has {} entries", a->index, size));

    auto included = auth::verify_inclusion(a->index, size, leaf, path, root);
    if (!included) throw ExitError(kExitCheckFailed, "the inclusion proof does not verify: " + included.error().message);
    json::array path_hex;
    for (const auto& h : path) path_hex.emplace_back(auth::to_hex(h));
    json::object out{{"index", a->index}, {"size", size}, {"leaf", auth::to_hex(leaf)}, {"root", auth::to_hex(root)},
                     {"inclusion", path_hex}};
    if (!signed_by.empty()) out["authority_key"] = signed_by;
    if (consistency) {
      if (src->remote()) {
        // The older root comes from the entries themselves: rebuild the prefix tree locally.
        auto prefix = read_remote(src->server, 0, *a->since);
        auth::MerkleTree t;
        for (const auto& e : prefix) t.append(e.text);
        old_root = t.root();
      } else {
        auth::MerkleTree t;
        auto entries = read_local(src->path);
        for (std::size_t i = 0; i < *a->since; ++i) t.append(entries[i].text);
        old_root = t.root();
      }
      auto consistent = auth::verify_consistency(*a->since, size, *consistency, *old_root, root);
      if (!consistent) throw ExitError(kExitCheckFailed, "the consistency proof does not verify: " + consistent.error().message);
      json::array c_hex;
      for (const auto& h : *consistency) c_hex.emplace_back(auth::to_hex(h));
      out["since"] = *a->since;
      out["since_root"] = auth::to_hex(*old_root);
      out["consistency"] = c_hex;
    }
    if (a->json) {
      std::cout << json::serialize(out) << '\n';
      return;
    }
    std::cout << fmt::format("entry {} is in the log of {} entries (root {}): {} hashes, verified{}\n", a->index, size,
                             auth::to_hex(root), path.size(),
                             signed_by.empty() ? "" : " against the daemon's signed tree head");
    if (consistency) {
      std::cout << fmt::format("the log of {} entries (root {}) is a prefix of it: {} hashes, verified\n", *a->since,
                               auth::to_hex(*old_root), consistency->size());
    }
  });
}

void register_compare(CLI::App& log) {
  struct Args {
    std::vector<std::string> logs;
    bool json = false;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = log.add_subcommand("compare", "compare audit logs of the same requests under different models: the "
                                            "outcome, deciding stage and approvers of each request side by side");
  cmd->add_option("logs", a->logs, "two or more state directories or JSON-lines log files")->required()->expected(2, -1);
  cmd->add_flag("--json", a->json, "print the comparison as JSON");
  cmd->callback([a] {
    std::vector<LogSummary> sums;
    for (const auto& path : a->logs) sums.push_back(summarize(read_local(path)));
    // Requests are matched by their position in submission order, with kind and TLD checked.
    std::size_t rows = 0;
    for (const auto& s : sums) rows = std::max(rows, s.requests.size());
    json::array table;
    std::size_t differing = 0;
    for (std::size_t i = 0; i < rows; ++i) {
      json::array cells;
      std::string what;
      std::set<std::string> outcomes;
      for (const auto& s : sums) {
        if (i >= s.requests.size()) {
          cells.emplace_back(nullptr);
          outcomes.insert("(absent)");
          continue;
        }
        const auto& r = s.requests[i];
        std::string this_what = r.kind + " " + (r.tld.empty() ? "." : r.tld);
        if (what.empty()) what = this_what;
        if (this_what != what) {
          throw ExitError(kExitUsage, fmt::format("request {} differs between the logs ({} / {}): compare logs of the "
                                                  "same scenario",
                                                  i + 1, what, this_what));
        }
        outcomes.insert(r.outcome);
        cells.push_back(summary_json(r));
      }
      if (outcomes.size() > 1) ++differing;
      table.push_back(json::object{{"request", what}, {"results", cells}, {"same_outcome", outcomes.size() == 1}});
    }
    if (a->json) {
      json::array models;
      for (const auto& s : sums) models.emplace_back(s.model);
      std::cout << json::serialize(json::object{{"models", models}, {"requests", table}, {"differing", differing}}) << '\n';
      return;
    }
    for (std::size_t m = 0; m < sums.size(); ++m) std::cout << fmt::format("[{}] {}: {}\n", m + 1, a->logs[m], sums[m].model);
    for (std::size_t i = 0; i < table.size(); ++i) {
      const auto& row = table[i].as_object();
      std::cout << fmt::format("{:>3}. {}{}\n", i + 1, str(row, "request"), row.at("same_outcome").as_bool() ? "" : "   <- differs");
      const auto& cells = row.at("results").as_array();
      for (std::size_t m = 0; m < cells.size(); ++m) {
        if (cells[m].is_null()) {
          std::cout << fmt::format("       [{}] (absent)\n", m + 1);
          continue;
        }
        const auto& c = cells[m].as_object();
        std::string line = fmt::format("       [{}] {}", m + 1, str(c, "outcome"));
        if (auto st = str(c, "stage"); !st.empty()) line += " at " + st;
        auto approvers = str_list(c, "approvers");
        if (!approvers.empty()) line += "; approved by " + joined(approvers);
        std::cout << line << '\n';
      }
    }
    std::cout << fmt::format("{} of {} requests decided differently\n", differing, table.size());
  });
}

}  // namespace

void register_log_commands(CLI::App& app) {
  auto* log = app.add_subcommand("log", "audit logs: verify, show, prove, compare");
  log->require_subcommand(1);
  register_verify(*log);
  register_show(*log);
  register_prove(*log);
  register_compare(*log);
}

}  // namespace rootgov::cli
