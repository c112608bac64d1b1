// daemon/src/metrics.cpp - the metrics registry and its text exposition.
#include "metrics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace rootgov::daemon {

namespace {

bool valid_name(std::string_view name, bool allow_colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':') ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

std::string escape_label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string escape_help(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

/// "{a=\"1\",b=\"2\"}" with names sorted, or "" without labels.
std::string render_labels(Labels labels) {
  if (labels.empty()) return {};
  std::sort(labels.begin(), labels.end());
  std::string out = "{";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (!valid_name(labels[i].first, false) || labels[i].first.starts_with("__")) {
      throw std::invalid_argument("invalid metric label name '" + labels[i].first + "'");
    }
    if (i > 0) out += ',';
    out += labels[i].first + "=\"" + escape_label(labels[i].second) + '"';
  }
  return out + '}';
}

/// Adds one more label to an already rendered label set.
std::string with_label(const std::string& rendered, std::string_view name, std::string_view value) {
  std::string extra = std::string(name) + "=\"" + escape_label(value) + '"';
  if (rendered.empty()) return '{' + extra + '}';
  return rendered.substr(0, rendered.size() - 1) + ',' + extra + '}';
}

std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  return fmt::format("{}", v);
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds) : m_bounds(std::move(bounds)) {
  for (std::size_t i = 1; i < m_bounds.size(); ++i) {
    if (!(m_bounds[i - 1] < m_bounds[i])) throw std::invalid_argument("histogram bounds must strictly increase");
  }
  m_buckets = std::make_unique<std::atomic<std::uint64_t>[]>(m_bounds.size() + 1);
}

void Histogram::observe(double v) {
  auto it = std::lower_bound(m_bounds.begin(), m_bounds.end(), v);  // first bound >= v (le semantics)
  m_buckets[static_cast<std::size_t>(it - m_bounds.begin())].fetch_add(1, std::memory_order_relaxed);
  m_sum.fetch_add(v, std::memory_order_relaxed);
  m_count.fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::cumulative() const {
  std::vector<std::uint64_t> out(m_bounds.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= m_bounds.size(); ++i) {
    running += m_buckets[i].load(std::memory_order_relaxed);
    out[i] = running;
  }
  return out;
}

std::vector<double> default_latency_buckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

Metrics::Family& Metrics::family(std::string_view name, Type type, std::string_view help) {
  if (!valid_name(name, true)) throw std::invalid_argument("invalid metric name '" + std::string(name) + "'");
  auto it = m_families.find(name);
  if (it == m_families.end()) {
    it = m_families.emplace(std::string(name), Family{type, std::string(help), {}, {}, {}}).first;
  } else if (it->second.type != type) {
    throw std::invalid_argument("metric '" + std::string(name) + "' already registered with another type");
  }
  return it->second;
}

Counter& Metrics::counter(std::string_view name, std::string_view help, Labels labels) {
  std::lock_guard lock(m_mutex);
  auto& f = family(name, Type::counter, help);
  auto& slot = f.counters[render_labels(std::move(labels))];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& Metrics::gauge(std::string_view name, std::string_view help, Labels labels) {
  std::lock_guard lock(m_mutex);
  auto& f = family(name, Type::gauge, help);
  auto& slot = f.gauges[render_labels(std::move(labels))];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& Metrics::histogram(std::string_view name, std::string_view help, std::vector<double> bounds,
                              Labels labels) {
  std::lock_guard lock(m_mutex);
  auto& f = family(name, Type::histogram, help);
  auto& slot = f.histograms[render_labels(std::move(labels))];
  if (!slot) slot = std::make_unique<Histogram>(std::move(bounds));
  return *slot;
}

std::string Metrics::render() const {
  std::lock_guard lock(m_mutex);
  std::string out;
  for (const auto& [name, f] : m_families) {
    static constexpr const char* kTypes[] = {"counter", "gauge", "histogram"};
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, escape_help(f.help), name,
                       kTypes[static_cast<int>(f.type)]);
    for (const auto& [labels, c] : f.counters) out += fmt::format("{}{} {}\n", name, labels, c->value());
    for (const auto& [labels, g] : f.gauges) out += fmt::format("{}{} {}\n", name, labels, number(g->value()));
    for (const auto& [labels, h] : f.histograms) {
      auto cumulative = h->cumulative();
      for (std::size_t i = 0; i < h->bounds().size(); ++i) {
        out += fmt::format("{}_bucket{} {}\n", name, with_label(labels, "le", number(h->bounds()[i])), cumulative[i]);
      }
      out += fmt::format("{}_bucket{} {}\n", name, with_label(labels, "le", "+Inf"), cumulative.back());
      out += fmt::format("{}_sum{} {}\n", name, labels, number(h->sum()));
      out += fmt::format("{}_count{} {}\n", name, labels, h->count());
    }
  }
  return out;
}

}  // namespace rootgov::daemon
