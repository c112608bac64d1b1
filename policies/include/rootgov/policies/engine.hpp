// rootgov/policies/engine.hpp - the Policy that evaluates a ModelSpec.
//
// Evaluation replays the ballots in arrival order against the model's stages: a stage opens when
// the stages before it have passed, a ballot counts for the stages that are open when it is cast
// and whose bodies include its actor, deadlines fire in time order, and the first stage that fails
// decides. It is pure and deterministic: same request, ballots, time and registry, same Decision.
// Deny by default: a stage whose bodies have no member in the registry rejects the request unless
// the model marks it `skip_if_empty`, and nobody may submit a kind no submit rule names.
#pragma once

#include <memory>
#include <span>
#include <string>

#include <rootgov/authority/actors.hpp>
#include <rootgov/authority/policy.hpp>
#include <rootgov/policies/model.hpp>

namespace rootgov::policies {

class ModelPolicy final : public authority::Policy {
 public:
  /// `id` is what id() returns: the built-in id, or the path the model was loaded from.
  /// `definition`: the model file's text for a model loaded from a file ("" for a built-in one).
  ModelPolicy(ModelSpec spec, std::string id, std::string definition = {});

  std::string id() const override { return m_id; }
  std::string title() const override { return m_spec.title; }
  std::string definition() const override { return m_definition; }
  Result<void> may_submit(const authority::RequestView& request, const authority::ActorRegistry& registry) const override;
  authority::Decision evaluate(const authority::RequestView& request, std::span<const authority::Ballot> ballots,
                               authority::Timestamp now, const authority::ActorRegistry& registry) const override;
  authority::Decision route(const authority::RequestView& request, std::span<const authority::Ballot> ballots,
                            authority::Timestamp now, const authority::ActorRegistry& registry) const override;

  const ModelSpec& spec() const { return m_spec; }

  /// The seats cache (see SeatCache): lookups that found a request's seats, and seatings made.
  std::uint64_t seat_hits() const;
  std::uint64_t seat_misses() const;

 private:
  // Who sits on each stage for a request depends on the request and the registry only, not on
  // the ballots or the time; a request is routed again after each of its ballots, so its seats
  // are kept, by request id, with the registry revision and the request they were made for.
  struct SeatCache;
  ModelSpec m_spec;
  std::string m_id;
  std::string m_definition;
  std::shared_ptr<SeatCache> m_seats;
};

/// The members of `body` for `request`, sorted by id (dynamic members resolved in the registry).
std::vector<authority::ActorId> members_of(const BodySpec& body, const authority::RequestView& request,
                                           const authority::ActorRegistry& registry);

}  // namespace rootgov::policies
