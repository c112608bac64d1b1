// models_table_test.cpp - every built-in model against every change kind and five ballot
// patterns: the expected outcome, deciding stage and approver set, one sentence per case.
#include <rootgov/policies/registry.hpp>

#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "policy_test_util.hpp"

namespace rootgov::policies::testing {
namespace {

/// The requests every model meets.
enum class Req { ns_g, ns_cc, ds_g, delegate_g, delegate_cc, transfer_cc, transfer_g, revoke_cc, ksk, root_ns, contact };

struct ReqInfo {
  Req req;
  const char* words;
  ChangeKind kind;
  const char* tld;
  std::vector<ActorId> affected;
  RootTarget target;
};

const std::vector<ReqInfo>& requests() {
  static const std::vector<ReqInfo> all = {
      {Req::ns_g, "an ns-update of gTLD 'com' that changes a name server shared with 'net'", ChangeKind::ns_update, "com",
       {"manager.net"}, RootTarget::none},
      {Req::ns_cc, "an ns-update of ccTLD 'br'", ChangeKind::ns_update, "br", {}, RootTarget::none},
      {Req::ds_g, "a ds-update of gTLD 'org'", ChangeKind::ds_update, "org", {}, RootTarget::none},
      {Req::delegate_g, "the delegation of new gTLD 'shop'", ChangeKind::delegate, "shop", {}, RootTarget::none},
      {Req::delegate_cc, "the delegation of ccTLD 'ke' asked by its government", ChangeKind::delegate, "ke", {},
       RootTarget::none},
      {Req::transfer_cc, "the transfer of ccTLD 'br' asked by its government", ChangeKind::transfer, "br", {},
       RootTarget::none},
      {Req::transfer_g, "the transfer of gTLD 'net'", ChangeKind::transfer, "net", {}, RootTarget::none},
      {Req::revoke_cc, "the revocation of ccTLD 'io' (no government actor)", ChangeKind::revoke, "io", {},
       RootTarget::none},
      {Req::ksk, "a root KSK change (root-update of the DNSKEY set)", ChangeKind::root_update, "", {},
       RootTarget::dnskey},
      {Req::root_ns, "a change of the root NS set", ChangeKind::root_update, "", {}, RootTarget::root_ns},
      {Req::contact, "a contact-update of ccTLD 'de'", ChangeKind::contact_update, "de", {}, RootTarget::none},
  };
  return all;
}

const ReqInfo& info(Req r) {
  for (const auto& i : requests()) {
    if (i.req == r) return i;
  }
  throw std::logic_error("no such request");
}

/// The operator that runs the checks (and the KSK) in each model.
std::string operator_of(std::string_view model) {
  if (model == "pti-2016") return "pti";
  if (model == "wicann") return "wicann";
  return "iana";
}

ActorId requester(std::string_view model, const ReqInfo& r) {
  switch (r.req) {
    case Req::delegate_cc:
      return "gov.ke";
    case Req::transfer_cc:
      return "gov.br";
    case Req::ksk:
      return operator_of(model);
    case Req::root_ns:
      return "verisign";
    default:
      return "manager." + std::string(r.tld);
  }
}

RequestView make_request(std::string_view model, Req which) {
  const ReqInfo& r = info(which);
  return request(r.kind, r.tld, requester(model, r), r.affected, r.target);
}

// Approver tokens: "m" the TLD's manager, "aff" the affected manager (manager.net), "gov" the
// ccTLD's government, "cos3" the first three crypto officers, "gic" the GIC governments whose
// seats first pass the majority in id order (13: 10.03 of 20 seats, 5 regions), "iic14" the
// first 14 governments by id (a majority of 27), "iic14-br" the same without gov.br (silent),
// "oc3" the first three Oversight Committee members by id; any other token is an actor id.
std::vector<ActorId> expand(const std::string& tokens, const ReqInfo& r) {
  static const std::vector<ActorId> gic = {"gov.ar", "gov.au", "gov.br", "gov.ca", "gov.ch", "gov.cl", "gov.cn",
                                           "gov.cu", "gov.de", "gov.eg", "gov.fr", "gov.gb", "gov.id"};
  static const std::vector<ActorId> iic = {"gov.ar", "gov.au", "gov.br", "gov.ca", "gov.ch", "gov.cl", "gov.cn",
                                           "gov.cu", "gov.de", "gov.eg", "gov.fr", "gov.gb", "gov.id", "gov.in"};
  static const std::vector<ActorId> iic_no_br = {"gov.ar", "gov.au", "gov.ca", "gov.ch", "gov.cl", "gov.cn", "gov.cu",
                                                 "gov.de", "gov.eg", "gov.fr", "gov.gb", "gov.id", "gov.in", "gov.ir"};
  std::set<ActorId> out;
  std::istringstream in(tokens);
  std::string t;
  while (in >> t) {
    if (t == "m") {
      out.insert("manager." + std::string(r.tld));
    } else if (t == "aff") {
      out.insert("manager.net");
    } else if (t == "gov") {
      out.insert("gov." + authority::country_of_tld(r.tld));
    } else if (t == "cos3") {
      out.insert({"co1", "co2", "co3"});
    } else if (t == "gic") {
      out.insert(gic.begin(), gic.end());
    } else if (t == "iic14") {
      out.insert(iic.begin(), iic.end());
    } else if (t == "iic14-br") {
      out.insert(iic_no_br.begin(), iic_no_br.end());
    } else if (t == "oc3") {
      out.insert({"wicann-oc.africa", "wicann-oc.asia-pacific", "wicann-oc.europe"});
    } else {
      out.insert(t);
    }
  }
  return {out.begin(), out.end()};
}

enum class Pattern { all_approve, key_rejects, body_splits, silence, advisory_objects };

struct Case {
  std::string model;
  Req req;
  Pattern pattern;
  std::string actor;  ///< key_rejects: who rejects; body_splits / silence: the stage whose members split or stay silent
  Outcome outcome;
  std::string stage;      ///< deciding (or open) stage
  std::string approvers;  ///< tokens, for approved outcomes
  std::string sentence;
};

// ctest prints the case as its sentence, not as a byte dump.
void PrintTo(const Case& c, std::ostream* out) { *out << c.sentence; }

std::string outcome_words(Outcome o) { return std::string(authority::to_string(o)); }

std::string sentence(const Case& c) {
  const ReqInfo& r = info(c.req);
  std::string how;
  switch (c.pattern) {
    case Pattern::all_approve:
      how = "when every awaited actor approves";
      break;
    case Pattern::key_rejects:
      how = "when " + c.actor + " rejects";
      break;
    case Pattern::body_splits:
      how = "when the members of stage '" + c.actor + "' split, alternately approving and rejecting";
      break;
    case Pattern::silence:
      how = "when stage '" + c.actor + "' stays silent until its timeout";
      break;
    case Pattern::advisory_objects:
      how = "when the advisory body objects";
      break;
  }
  std::string result = c.outcome == Outcome::pending ? "is still pending at stage '" + c.stage + "'"
                                                     : "is " + outcome_words(c.outcome) + " at stage '" + c.stage + "'";
  if (c.outcome == Outcome::approved) result = "is approved after stage '" + c.stage + "'";
  return "under " + c.model + ", " + r.words + " " + result + " " + how;
}

/// The table. Each model lists, per request, its path when everyone approves (approvers and the
/// last binding stage), the key actor's rejection, a split body where one exists, a silence, and
/// an advisory objection where an advisory body has a say.
std::vector<Case> table() {
  std::vector<Case> cases;
  auto add = [&](std::string model, Req req, Pattern p, std::string actor, Outcome o, std::string stage,
                 std::string approvers = "") {
    Case c{std::move(model), req, p, std::move(actor), o, std::move(stage), std::move(approvers), ""};
    c.sentence = sentence(c);
    cases.push_back(std::move(c));
  };
  using enum Req;
  using enum Pattern;
  const Outcome A = Outcome::approved, R = Outcome::rejected, X = Outcome::expired, P = Outcome::pending;

  // us-status-quo and tunis-2005 share the oversight path; tunis adds IGF comments.
  for (std::string m : {"us-status-quo", "tunis-2005"}) {
    add(m, ns_g, all_approve, "", A, "verisign", "m aff iana ntia verisign");
    add(m, ns_cc, all_approve, "", A, "verisign", "m iana ntia verisign");
    add(m, ds_g, all_approve, "", A, "verisign", "m iana ntia verisign");
    add(m, delegate_g, all_approve, "", A, "verisign", "m iana icann-board ntia verisign");
    add(m, delegate_cc, all_approve, "", A, "verisign", "m iana icann-board ntia verisign");
    add(m, transfer_cc, all_approve, "", A, "verisign", "m iana icann-board ntia verisign");
    add(m, transfer_g, all_approve, "", A, "verisign", "m iana ntia verisign");
    add(m, revoke_cc, all_approve, "", A, "verisign", "m iana icann-board ntia verisign");
    add(m, ksk, all_approve, "", A, "verisign", "iana ntia cos3 verisign");
    add(m, root_ns, all_approve, "", A, "verisign", "iana ntia verisign");
    add(m, contact, all_approve, "", A, "ntia", "m iana ntia");
    for (Req r : {ns_g, ns_cc, ds_g, delegate_g, delegate_cc, transfer_cc, transfer_g, revoke_cc, ksk, root_ns, contact}) {
      add(m, r, key_rejects, "ntia", R, "ntia");
    }
    add(m, transfer_cc, key_rejects, "icann-board", R, "icann-board");
    add(m, ns_cc, key_rejects, "verisign", R, "verisign");
    add(m, ns_g, key_rejects, "manager.net", R, "affected");
    add(m, ksk, body_splits, "ksk-ceremony", A, "verisign", "iana ntia co1 co3 co5 verisign");
    add(m, ns_g, silence, "affected", A, "verisign", "m iana ntia verisign");
    for (Req r : {ns_cc, ds_g, delegate_g, delegate_cc, transfer_cc, transfer_g, revoke_cc, ksk, root_ns}) {
      add(m, r, silence, "verisign", A, "verisign", r == ksk ? "iana ntia cos3" : (r == root_ns ? "iana ntia" : (
          r == delegate_g || r == delegate_cc || r == transfer_cc || r == revoke_cc ? "m iana icann-board ntia" : "m iana ntia")));
    }
    add(m, contact, silence, "contacts", X, "contacts");
    add(m, ns_cc, silence, "iana", P, "iana");
    add(m, ksk, silence, "ksk-ceremony", P, "ksk-ceremony");
    for (Req r : {delegate_g, delegate_cc, transfer_cc, transfer_g, revoke_cc}) {
      add(m, r, advisory_objects, "", A, "verisign",
          r == transfer_g ? "m iana ntia verisign" : "m iana icann-board ntia verisign");
    }
  }
  for (Req r : {ksk, root_ns}) {
    add("tunis-2005", r, advisory_objects, "", A, "verisign", r == ksk ? "iana ntia cos3 verisign" : "iana ntia verisign");
  }

  // gic: IANA checks; the GIC authorizes additions, deletions, new TLDs, ccTLD transfers, root changes.
  {
    std::string m = "gic";
    add(m, ns_g, all_approve, "", A, "iana", "m aff iana");
    add(m, ns_cc, all_approve, "", A, "iana", "m iana");
    add(m, ds_g, all_approve, "", A, "iana", "m iana");
    add(m, delegate_g, all_approve, "", A, "gic", "m iana gic");
    add(m, delegate_cc, all_approve, "", A, "gic", "m iana gic");
    add(m, transfer_cc, all_approve, "", A, "gic", "m iana gic");
    add(m, transfer_g, all_approve, "", A, "iana", "m iana");
    add(m, revoke_cc, all_approve, "", A, "gic", "m iana gic");
    add(m, ksk, all_approve, "", A, "ksk-ceremony", "iana gic cos3");
    add(m, root_ns, all_approve, "", A, "gic", "iana gic");
    add(m, contact, all_approve, "", A, "iana", "m iana");
    for (Req r : {ns_g, ns_cc, ds_g, delegate_g, delegate_cc, transfer_cc, transfer_g, revoke_cc, ksk, root_ns, contact}) {
      add(m, r, key_rejects, "iana", R, "iana");
    }
    add(m, ns_cc, key_rejects, "manager.br", R, "contacts");
    for (Req r : {delegate_g, delegate_cc, transfer_cc, revoke_cc, root_ns}) add(m, r, body_splits, "gic", R, "gic");
    add(m, ksk, body_splits, "ksk-ceremony", A, "ksk-ceremony", "iana gic co1 co3 co5");
    add(m, ns_g, silence, "affected", A, "iana", "m iana");
    for (Req r : {delegate_g, delegate_cc, transfer_cc, revoke_cc, ksk, root_ns}) add(m, r, silence, "gic", R, "gic");
    for (Req r : {ns_cc, ds_g, transfer_g, contact}) add(m, r, silence, "contacts", X, "contacts");
    for (Req r : {delegate_g, delegate_cc, transfer_cc, revoke_cc, ksk, root_ns}) {
      add(m, r, advisory_objects, "", A, r == ksk ? "ksk-ceremony" : "gic",
          r == ksk ? "iana gic cos3" : (r == root_ns ? "iana gic" : "m iana gic"));
    }
  }

  // gac-model2: no oversight body; the Board decides policy matters; GAC objections must be answered.
  {
    std::string m = "gac-model2";
    add(m, ns_g, all_approve, "", A, "iana", "m aff iana");
    add(m, ns_cc, all_approve, "", A, "iana", "m iana");
    add(m, ds_g, all_approve, "", A, "iana", "m iana");
    add(m, delegate_g, all_approve, "", A, "icann-board", "m iana icann-board");
    add(m, delegate_cc, all_approve, "", A, "icann-board", "m iana icann-board");
    add(m, transfer_cc, all_approve, "", A, "icann-board", "m iana icann-board");
    add(m, transfer_g, all_approve, "", A, "iana", "m iana");
    add(m, revoke_cc, all_approve, "", A, "icann-board", "m iana icann-board");
    add(m, ksk, all_approve, "", A, "ksk-ceremony", "iana icann-board cos3");
    add(m, root_ns, all_approve, "", A, "icann-board", "iana icann-board");
    add(m, contact, all_approve, "", A, "iana", "m iana");
    for (Req r : {ns_g, ns_cc, ds_g, transfer_g, contact}) add(m, r, key_rejects, "iana", R, "iana");
    for (Req r : {delegate_g, delegate_cc, transfer_cc, revoke_cc, ksk, root_ns}) {
      add(m, r, key_rejects, "icann-board", R, "icann-board");
    }
    add(m, ksk, body_splits, "ksk-ceremony", A, "ksk-ceremony", "iana icann-board co1 co3 co5");
    add(m, ns_g, silence, "affected", A, "iana", "m iana");
    for (Req r : {ns_cc, ds_g, transfer_g, contact}) add(m, r, silence, "contacts", X, "contacts");
    for (Req r : {delegate_g, delegate_cc, transfer_cc, revoke_cc, root_ns}) {
      add(m, r, silence, "icann-board", P, "icann-board");
    }
    for (Req r : {delegate_g, delegate_cc, transfer_cc, revoke_cc, root_ns}) {
      add(m, r, advisory_objects, "", A, "icann-board", r == root_ns ? "iana icann-board" : "m iana icann-board");
    }
    add(m, ksk, advisory_objects, "", A, "ksk-ceremony", "iana icann-board cos3");
    // A gTLD transfer needs no Board decision, but a GAC objection must still be answered by it.
    add(m, transfer_g, advisory_objects, "", A, "board-answer", "m iana icann-board");
  }

  // iic: ICANN routine; the IIC (and for ccTLDs the country's government) decides policy matters.
  {
    std::string m = "iic";
    add(m, ns_g, all_approve, "", A, "iana", "m aff iana");
    add(m, ns_cc, all_approve, "", A, "iana", "m iana");
    add(m, ds_g, all_approve, "", A, "iana", "m iana");
    add(m, delegate_g, all_approve, "", A, "iic", "m iana iic14");
    add(m, delegate_cc, all_approve, "", A, "iic", "m iana iic14 gov");
    add(m, transfer_cc, all_approve, "", A, "iic", "m iana iic14");
    add(m, transfer_g, all_approve, "", A, "iana", "m iana");
    add(m, revoke_cc, all_approve, "", A, "iic", "m iana iic14");
    add(m, ksk, all_approve, "", A, "ksk-ceremony", "iana iic14 cos3");
    add(m, root_ns, all_approve, "", A, "iic", "iana iic14");
    add(m, contact, all_approve, "", A, "iana", "m iana");
    for (Req r : {ns_g, ns_cc, ds_g, delegate_g, transfer_g, revoke_cc, ksk, root_ns, contact}) {
      add(m, r, key_rejects, "iana", R, "iana");
    }
    add(m, delegate_cc, key_rejects, "gov.ke", R, "government-consent");
    add(m, transfer_cc, key_rejects, "gov.br", R, "government-consent");
    for (Req r : {delegate_g, delegate_cc, transfer_cc, revoke_cc, root_ns}) {
      add(m, r, body_splits, "iic", A, "iic", "");
    }
    add(m, ksk, body_splits, "ksk-ceremony", A, "ksk-ceremony", "iana iic14 co1 co3 co5");
    add(m, ns_g, silence, "affected", A, "iana", "m iana");
    for (Req r : {ns_cc, ds_g, transfer_g, contact}) add(m, r, silence, "contacts", X, "contacts");
    for (Req r : {delegate_g, revoke_cc, ksk, root_ns}) add(m, r, silence, "iic", R, "iic");
    add(m, delegate_cc, silence, "government-consent", R, "government-consent");
    add(m, transfer_cc, silence, "government-consent", R, "government-consent");
  }

  // wicann: WICANN checks; its Oversight Committee authorizes policy-relevant changes; GIGF comments.
  {
    std::string m = "wicann";
    add(m, ns_g, all_approve, "", A, "wicann", "m aff wicann");
    add(m, ns_cc, all_approve, "", A, "wicann", "m wicann");
    add(m, ds_g, all_approve, "", A, "wicann", "m wicann");
    add(m, delegate_g, all_approve, "", A, "oversight", "m wicann oc3");
    add(m, delegate_cc, all_approve, "", A, "oversight", "m wicann oc3");
    add(m, transfer_cc, all_approve, "", A, "oversight", "m wicann oc3");
    add(m, transfer_g, all_approve, "", A, "wicann", "m wicann");
    add(m, revoke_cc, all_approve, "", A, "oversight", "m wicann oc3");
    add(m, ksk, all_approve, "", A, "ksk-ceremony", "wicann oc3 cos3");
    add(m, root_ns, all_approve, "", A, "oversight", "wicann oc3");
    add(m, contact, all_approve, "", A, "wicann", "m wicann");
    for (Req r : {ns_g, ns_cc, ds_g, delegate_g, delegate_cc, transfer_cc, transfer_g, revoke_cc, ksk, root_ns, contact}) {
      add(m, r, key_rejects, "wicann", R, "wicann");
    }
    for (Req r : {delegate_g, delegate_cc, transfer_cc, revoke_cc, root_ns}) {
      add(m, r, body_splits, "oversight", A, "oversight", "");
    }
    add(m, ksk, body_splits, "ksk-ceremony", A, "ksk-ceremony", "wicann oc3 co1 co3 co5");
    add(m, ns_g, silence, "affected", A, "wicann", "m wicann");
    for (Req r : {ns_cc, ds_g, transfer_g, contact}) add(m, r, silence, "contacts", X, "contacts");
    for (Req r : {delegate_g, delegate_cc, transfer_cc, revoke_cc, ksk, root_ns}) add(m, r, silence, "oversight", R, "oversight");
    for (Req r : {delegate_g, delegate_cc, transfer_cc, revoke_cc, ksk, root_ns}) {
      add(m, r, advisory_objects, "", A, r == ksk ? "ksk-ceremony" : "oversight",
          r == ksk ? "wicann oc3 cos3" : (r == root_ns ? "wicann oc3" : "m wicann oc3"));
    }
  }

  // pti-2016: PTI + contacts for routine; the Board for transfers, new TLDs, removals, root changes.
  {
    std::string m = "pti-2016";
    add(m, ns_g, all_approve, "", A, "verisign", "m aff pti verisign");
    add(m, ns_cc, all_approve, "", A, "verisign", "m pti verisign");
    add(m, ds_g, all_approve, "", A, "verisign", "m pti verisign");
    add(m, delegate_g, all_approve, "", A, "verisign", "m pti icann-board verisign");
    add(m, delegate_cc, all_approve, "", A, "verisign", "m pti icann-board verisign");
    add(m, transfer_cc, all_approve, "", A, "verisign", "m pti icann-board verisign");
    add(m, transfer_g, all_approve, "", A, "verisign", "m pti verisign");
    add(m, revoke_cc, all_approve, "", A, "verisign", "m pti icann-board verisign");
    add(m, ksk, all_approve, "", A, "verisign", "pti icann-board cos3 verisign");
    add(m, root_ns, all_approve, "", A, "verisign", "pti icann-board verisign");
    add(m, contact, all_approve, "", A, "pti", "m pti");
    for (Req r : {ns_g, ns_cc, ds_g, transfer_g, contact}) add(m, r, key_rejects, "pti", R, "pti");
    for (Req r : {delegate_g, delegate_cc, transfer_cc, revoke_cc, ksk, root_ns}) {
      add(m, r, key_rejects, "icann-board", R, "icann-board");
    }
    add(m, ns_g, key_rejects, "manager.com", R, "contacts");
    add(m, ksk, body_splits, "ksk-ceremony", A, "verisign", "pti icann-board co1 co3 co5 verisign");
    add(m, ns_g, silence, "affected", A, "verisign", "m pti verisign");
    for (Req r : {ns_cc, ds_g, transfer_g}) add(m, r, silence, "verisign", A, "verisign", "m pti");
    for (Req r : {delegate_g, delegate_cc, transfer_cc, revoke_cc}) {
      add(m, r, silence, "verisign", A, "verisign", "m pti icann-board");
    }
    add(m, ksk, silence, "verisign", A, "verisign", "pti icann-board cos3");
    add(m, root_ns, silence, "verisign", A, "verisign", "pti icann-board");
    add(m, contact, silence, "contacts", X, "contacts");
    add(m, root_ns, silence, "icann-board", P, "icann-board");
    for (Req r : {delegate_g, delegate_cc, transfer_cc}) {
      add(m, r, advisory_objects, "", A, "verisign", "m pti icann-board verisign");
    }
    add(m, transfer_g, advisory_objects, "", A, "verisign", "m pti verisign");
    add(m, ksk, advisory_objects, "", A, "verisign", "pti icann-board cos3 verisign");
    add(m, root_ns, advisory_objects, "", A, "verisign", "pti icann-board verisign");
  }
  return cases;
}

std::vector<ActorId> members_of_stage(const ModelPolicy& p, const std::string& stage, const RequestView& req) {
  std::set<ActorId> out;
  const StageSpec* s = p.spec().stage(stage);
  if (s == nullptr) {
    ADD_FAILURE() << "no stage '" << stage << "'";
    return {};
  }
  for (const auto& b : s->bodies) {
    for (auto& id : members_of(*p.spec().body(b), req, test_registry())) out.insert(id);
  }
  return {out.begin(), out.end()};
}

class ModelTable : public ::testing::TestWithParam<Case> {};

TEST_P(ModelTable, DecidesAsTheModelSays) {
  const Case& c = GetParam();
  SCOPED_TRACE(c.sentence);
  auto policy = load_policy(c.model);
  ASSERT_TRUE(policy.has_value()) << policy.error().message;
  const auto* model = dynamic_cast<const ModelPolicy*>(policy->get());
  ASSERT_NE(model, nullptr);
  RequestView req = make_request(c.model, c.req);
  ASSERT_TRUE((*policy)->may_submit(req, test_registry()).has_value()) << "the requester may not submit";

  std::vector<ActorId> stage_members;
  if (c.pattern == Pattern::body_splits || c.pattern == Pattern::silence) {
    stage_members = members_of_stage(*model, c.actor, req);
    ASSERT_FALSE(stage_members.empty()) << "stage '" << c.actor << "' has no members";
  }
  Chooser choose = [&](const ActorId& id) -> std::optional<Vote> {
    switch (c.pattern) {
      case Pattern::all_approve:
      case Pattern::advisory_objects:
        return Vote::approve;
      case Pattern::key_rejects:
        return id == c.actor ? Vote::reject : Vote::approve;
      case Pattern::body_splits: {
        auto it = std::find(stage_members.begin(), stage_members.end(), id);
        if (it == stage_members.end()) return Vote::approve;
        return (it - stage_members.begin()) % 2 == 0 ? Vote::approve : Vote::reject;
      }
      case Pattern::silence:
        if (std::find(stage_members.begin(), stage_members.end(), id) != stage_members.end()) return std::nullopt;
        return Vote::approve;
    }
    return Vote::approve;
  };
  DriveResult r = drive(**policy, req, choose, c.pattern == Pattern::advisory_objects);
  const Decision& d = r.decision;
  EXPECT_EQ(authority::to_string(d.outcome), authority::to_string(c.outcome)) << d.explanation;
  EXPECT_EQ(d.stage, c.stage) << d.explanation;
  if (c.outcome == Outcome::approved && !c.approvers.empty()) {
    EXPECT_EQ(d.approvers, expand(c.approvers, info(c.req))) << d.explanation;
  }
  if (c.outcome != Outcome::approved) {
    EXPECT_TRUE(d.approvers.empty());
  }
  if (c.outcome == Outcome::pending) {
    EXPECT_FALSE(d.awaiting.empty());
  } else {
    EXPECT_TRUE(d.awaiting.empty());
    EXPECT_TRUE(d.may_comment.empty());
    EXPECT_FALSE(d.deadline.has_value());
  }
  EXPECT_FALSE(d.explanation.empty());
  EXPECT_NE(d.explanation.find(c.outcome == Outcome::approved ? "approved" : outcome_words(c.outcome)), std::string::npos)
      << d.explanation;
  if (c.pattern == Pattern::key_rejects) {
    EXPECT_NE(d.explanation.find(c.actor), std::string::npos) << d.explanation;
  }
  if (c.pattern == Pattern::advisory_objects) {
    EXPECT_NE(d.explanation.find("not binding"), std::string::npos) << d.explanation;
  }
  // Every counted ballot is a binding approve or reject.
  for (const auto& b : d.ballots_counted) EXPECT_NE(b.vote, Vote::comment);
}

std::string test_name(const ::testing::TestParamInfo<Case>& param) {
  std::string out;
  for (char ch : param.param.sentence) {
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) {
      out += ch;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

INSTANTIATE_TEST_SUITE_P(EveryModel, ModelTable, ::testing::ValuesIn(table()), test_name);

TEST(ModelTableSize, HasAtLeast150CasesAndCoversEveryModelAndKind) {
  auto cases = table();
  EXPECT_GE(cases.size(), 150u);
  std::set<std::string> models;
  std::set<std::pair<std::string, int>> covered;
  std::set<std::string> names;
  for (const auto& c : cases) {
    models.insert(c.model);
    covered.insert({c.model, static_cast<int>(c.req)});
    EXPECT_TRUE(names.insert(c.sentence).second) << "duplicate case: " << c.sentence;
  }
  EXPECT_EQ(models.size(), 7u);
  EXPECT_EQ(covered.size(), 7u * requests().size());
}

}  // namespace
}  // namespace rootgov::policies::testing
