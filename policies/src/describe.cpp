// describe.cpp - a model in words (rootgov policy show) and as a Graphviz graph (policy graph).
#include <rootgov/policies/model.hpp>

#include <fmt/format.h>

#include "model_text.hpp"

namespace rootgov::policies {

namespace {

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : std::string(sep)) + i;
  return out;
}

std::string body_names(const ModelSpec& m, const std::vector<std::string>& ids, std::string_view sep = " and ") {
  std::vector<std::string> out;
  for (const auto& id : ids) {
    const BodySpec* b = m.body(id);
    out.push_back(b != nullptr ? b->name : id);
  }
  return join(out, sep);
}

std::string scope(const std::vector<Scope>& scopes) {
  if (scopes.empty()) return "every request";
  std::vector<std::string> out;
  for (const auto& s : scopes) out.push_back(s.to_string());
  return join(out, ", ");
}

/// The rule without the registry: "3 of the crypto officers", "a majority of GIC seats".
std::string rule_summary(const ModelSpec& m, const StageSpec& s) {
  std::string label = body_names(m, s.bodies);
  std::string words;
  if (s.advisory) {
    words = fmt::format("advice of {}, recorded, never decides", label);
    if (s.hold) words += fmt::format("; holds the request for up to {}", format_duration(*s.hold));
    if (s.objection > 0) words += fmt::format("; {} rejections make a formal objection", s.objection);
    return words;
  }
  switch (s.rule.kind) {
    case RuleKind::all:
      words = fmt::format("approval of all of {}", label);
      break;
    case RuleKind::any:
      words = fmt::format("approval of any one of {}", label);
      break;
    case RuleKind::k_of_n:
      words = fmt::format("{} of {}", s.rule.k, label);
      break;
    case RuleKind::majority:
      words = fmt::format("a majority of {}", label);
      break;
    case RuleKind::supermajority:
      words = fmt::format("{}/{} of {}", s.rule.fraction->num, s.rule.fraction->den, label);
      break;
    case RuleKind::regional_seats:
      words = s.rule.fraction ? fmt::format("{}/{} of the regional seats of {}", s.rule.fraction->num,
                                            s.rule.fraction->den, label)
                              : fmt::format("a majority of the regional seats of {}", label);
      if (s.rule.min_regions > 0) words += fmt::format(", from at least {} regions", s.rule.min_regions);
      break;
  }
  if (s.rule.quorum > 0) words += fmt::format(", with at least {} ballots cast", s.rule.quorum);
  if (!s.veto.empty()) words += fmt::format("; any one of {} can veto", body_names(m, s.veto));
  if (s.timeout) words += fmt::format("; after {} {}", format_duration(*s.timeout), timeout_words(s.on_timeout));
  if (s.skip_if_empty) words += "; skipped when nobody sits on it";
  return words;
}

std::string members_summary(const BodySpec& b) {
  std::vector<std::string> parts;
  if (!b.roles.empty()) parts.push_back("role " + join(b.roles, "|"));
  if (!b.in_bodies.empty()) parts.push_back("sits on " + join(b.in_bodies, "|"));
  if (!b.regions.empty()) parts.push_back("region " + join(b.regions, "|"));
  if (!b.countries.empty()) parts.push_back("country " + join(b.countries, "|"));
  std::string out = join(parts, " and ");
  std::vector<std::string> extra;
  if (!b.actors.empty()) extra.push_back(join(b.actors, ", "));
  for (auto d : b.dynamic) {
    switch (d) {
      case DynamicMembers::tld_manager:
        extra.emplace_back("the TLD's manager");
        break;
      case DynamicMembers::affected:
        extra.emplace_back("managers of TLDs sharing a changed name server");
        break;
      case DynamicMembers::tld_government:
        extra.emplace_back("the government of the ccTLD's country");
        break;
      case DynamicMembers::requester:
        extra.emplace_back("the requester");
        break;
    }
  }
  if (!extra.empty()) out += (out.empty() ? "" : "; plus ") + join(extra, ", ");
  if (!b.regional_seats.empty()) {
    std::vector<std::string> seats;
    for (const auto& [region, n] : b.regional_seats) seats.push_back(fmt::format("{} {}", region, n));
    out += "; regional seats: " + join(seats, ", ") + " (shared equally by each region's members)";
  }
  if (!b.weights.empty()) {
    std::vector<std::string> w;
    for (const auto& [actor, n] : b.weights) w.push_back(fmt::format("{}={}", actor, n));
    out += "; seat weights: " + join(w, ", ") + " (others 1)";
  }
  return out;
}

std::string dot_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string describe_model(const ModelSpec& m) {
  std::string out = fmt::format("{} - {}\n", m.id, m.title);
  if (!m.description.empty()) out += "\n" + m.description + "\n";
  out += "\nSources:\n";
  for (const auto& s : m.sources) out += "  - " + s + "\n";
  out += "\nBodies:\n";
  for (const auto& b : m.bodies) {
    out += fmt::format("  {} ({}): {}\n", b.id, b.name, members_summary(b));
    if (!b.description.empty()) out += "      " + b.description + "\n";
  }
  out += "\nWho may submit:\n";
  for (const auto& s : m.submit) {
    out += fmt::format("  {}: {}\n", scope(s.applies_to), body_names(m, s.bodies, " or "));
  }
  out += "\nStages (in order; stages of one group run in parallel):\n";
  std::size_t n = 0;
  for (const auto& s : m.stages) {
    ++n;
    std::string tag = s.advisory ? (s.hold ? " [advisory, holds]" : " [advisory, open throughout]") : "";
    if (!s.group.empty()) tag += fmt::format(" [group {}]", s.group);
    out += fmt::format("  {}. {} ({}){}\n", n, s.name, s.id, tag);
    out += fmt::format("      applies to: {}\n", scope(s.applies_to));
    out += fmt::format("      rule: {}\n", rule_summary(m, s));
    if (!s.when_objection.empty()) out += fmt::format("      only if stage '{}' recorded a formal objection\n", s.when_objection);
    if (!s.description.empty()) out += "      " + s.description + "\n";
  }
  return out;
}

std::string to_dot(const ModelSpec& m) {
  std::string out = fmt::format("digraph {} {{\n", dot_quote(m.id));
  out += fmt::format("  label={};\n  labelloc=t;\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n",
                     dot_quote(m.title));
  out += "  \"submitted\" [shape=circle];\n  \"approved\" [shape=doublecircle];\n";
  // Sequence of groups; background advisory stages hang off "submitted".
  std::vector<std::vector<const StageSpec*>> groups;
  std::vector<const StageSpec*> background;
  std::string current;
  for (const auto& s : m.stages) {
    if (s.advisory && !s.hold) {
      background.push_back(&s);
      continue;
    }
    if (!s.group.empty() && s.group == current && !groups.empty()) {
      groups.back().push_back(&s);
    } else {
      groups.push_back({&s});
    }
    current = s.group;
  }
  auto node = [&](const StageSpec& s) {
    std::string label = fmt::format("{}\n{}\n{}", s.name, scope(s.applies_to), rule_summary(m, s));
    std::string style = s.advisory ? ", style=dashed" : "";
    return fmt::format("    {} [shape=box{}, label={}];\n", dot_quote("stage:" + s.id), style, dot_quote(label));
  };
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (groups[g].size() > 1) {
      out += fmt::format("  subgraph {} {{\n    label={};\n    style=rounded;\n", dot_quote(fmt::format("cluster_{}", g)),
                         dot_quote("in parallel: " + groups[g].front()->group));
      for (const auto* s : groups[g]) out += node(*s);
      out += "  }\n";
    } else {
      out += node(*groups[g].front());
    }
  }
  for (const auto* s : background) out += node(*s);
  std::vector<std::string> previous = {"submitted"};
  for (const auto& g : groups) {
    for (const auto& p : previous) {
      for (const auto* s : g) out += fmt::format("  {} -> {};\n", dot_quote(p), dot_quote("stage:" + s->id));
    }
    previous.clear();
    for (const auto* s : g) previous.push_back("stage:" + s->id);
  }
  for (const auto& p : previous) out += fmt::format("  {} -> \"approved\";\n", dot_quote(p));
  for (const auto* s : background) {
    out += fmt::format("  \"submitted\" -> {} [style=dashed, arrowhead=none];\n", dot_quote("stage:" + s->id));
  }
  for (const auto& b : m.bodies) {
    out += fmt::format("  {} [shape=ellipse, label={}];\n", dot_quote("body:" + b.id), dot_quote(b.name));
  }
  for (const auto& s : m.stages) {
    for (const auto& b : s.bodies) {
      out += fmt::format("  {} -> {} [style=dotted, arrowhead=none];\n", dot_quote("body:" + b), dot_quote("stage:" + s.id));
    }
  }
  out += "}\n";
  return out;
}

}  // namespace rootgov::policies
