// rootgov/authority/request.hpp - change requests and their lifecycle.
//
// States and legal transitions are written down in docs/design/workflow.md:
//   received -> technical-check -> awaiting -> approved -> implemented -> published
//   received|technical-check -> rejected (checks failed)
//   awaiting -> rejected | withdrawn | expired
// Accepted (journaled, id returned) is distinct from implemented (in the zone) and published
// (served and written out) - STYLE.md rule 8.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <rootgov/authority/policy.hpp>
#include <rootgov/authority/types.hpp>

namespace rootgov::authority {

/// "ROOT-MGMT#YYYYMMDDNNN": IANA's old ticket style, from the authority's clock.
using RequestId = std::string;

enum class RequestState { received, technical_check, awaiting, approved, implemented, published, rejected, withdrawn, expired };
std::string_view to_string(RequestState s);
/// No transition leaves a terminal state.
bool is_terminal(RequestState s);
/// Whether `from -> to` is a legal transition (docs/design/workflow.md).
bool is_legal_transition(RequestState from, RequestState to);

struct NsSpec {
  std::string host;                    ///< absolute or relative host name
  std::vector<std::string> addresses;  ///< glue, presentation form
};

struct DsSpec {
  std::uint16_t key_tag = 0;
  std::uint8_t algorithm = 0;
  std::uint8_t digest_type = 0;
  std::string digest_hex;
};

/// The body of a "submit" document: what is asked for.
struct ChangeRequest {
  ChangeKind kind = ChangeKind::ns_update;
  std::string tld;                     ///< lowercase, no trailing dot; empty for root-update
  std::vector<NsSpec> ns;              ///< ns-update, delegate, root-update root_ns
  std::vector<DsSpec> ds;              ///< ds-update (the whole set), delegate
  ActorId new_manager;                 ///< transfer
  RootTarget root_target = RootTarget::none;
  std::vector<std::string> dnskeys;    ///< root-update dnskey: presentation RDATA "257 3 8 AwEAA..."
  std::optional<std::uint32_t> soa_refresh, soa_retry, soa_expire, soa_minimum;  ///< root-update soa-timers
  std::string note;                    ///< free text from the requester
};

/// Parses / renders the JSON form of a change request (the "body" of a submit document).
Result<ChangeRequest> change_request_from_json(std::string_view json);
std::string change_request_to_json(const ChangeRequest& change);

/// Everything known about one request, as status displays and the API show it.
struct RequestInfo {
  RequestId id;
  ChangeRequest change;
  RequestView view;
  RequestState state = RequestState::received;
  Decision decision;                   ///< the latest evaluation
  std::vector<Ballot> ballots;         ///< every ballot recorded, binding and advisory, in order
  std::vector<std::string> findings;   ///< technical-check findings ("error: glue-prohibited: ...")
  Timestamp updated_at;
  std::optional<std::uint32_t> serial; ///< SOA serial of the version that implemented it
  std::string zone_digest;             ///< zone digest after implementation
  std::vector<std::uint64_t> log_indexes;  ///< audit-log entries about this request
};

std::string request_info_to_json(const RequestInfo& info);

/// The few fields a client routes by: {"id", "state", "awaiting" (empty unless awaiting),
/// "serial" (once implemented)} - the minimal answer to a mutation (HTTP `Prefer:
/// return=minimal`), a fraction of request_info_to_json's size.
std::string request_summary_json(const RequestInfo& info);

}  // namespace rootgov::authority
