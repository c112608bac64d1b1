// daemon/src/metrics.hpp - a small Prometheus metrics registry: counters, gauges, histograms.
//
// Contract: registration (counter()/gauge()/histogram()) takes a lock and returns a reference
// that stays valid for the registry's lifetime; bumping a metric is lock-free and thread-safe.
// Asking again for the same name and labels returns the same metric. render() writes the
// Prometheus text exposition format (version 0.0.4).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rootgov::daemon {

/// Label pairs, e.g. {{"method", "GET"}, {"status", "200"}}; order does not matter.
using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void inc(std::uint64_t n = 1) { m_value.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return m_value.load(std::memory_order_relaxed); }
  /// Brings the counter up to `total`, a running total kept elsewhere (never down).
  void raise_to(std::uint64_t total) { inc(total - std::min(value(), total)); }

 private:
  std::atomic<std::uint64_t> m_value{0};
};

class Gauge {
 public:
  void set(double v) { m_value.store(v, std::memory_order_relaxed); }
  void add(double v) { m_value.fetch_add(v, std::memory_order_relaxed); }
  double value() const { return m_value.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> m_value{0};
};

class Histogram {
 public:
  /// `bounds`: upper bounds of the buckets, strictly increasing (+Inf is implicit).
  explicit Histogram(std::vector<double> bounds);
  void observe(double v);

  const std::vector<double>& bounds() const { return m_bounds; }
  /// Cumulative counts per bound, then the +Inf count.
  std::vector<std::uint64_t> cumulative() const;
  double sum() const { return m_sum.load(std::memory_order_relaxed); }
  std::uint64_t count() const { return m_count.load(std::memory_order_relaxed); }

 private:
  std::vector<double> m_bounds;
  std::unique_ptr<std::atomic<std::uint64_t>[]> m_buckets;  // per bound, then +Inf (not cumulative)
  std::atomic<double> m_sum{0};
  std::atomic<std::uint64_t> m_count{0};
};

/// Default latency buckets in seconds: 0.5 ms .. 10 s.
std::vector<double> default_latency_buckets();

class Metrics {
 public:
  /// Names must match [a-zA-Z_:][a-zA-Z0-9_:]* and label names [a-zA-Z_][a-zA-Z0-9_]*
  /// (std::invalid_argument otherwise). A name keeps the type and help of its first use.
  Counter& counter(std::string_view name, std::string_view help, Labels labels = {});
  Gauge& gauge(std::string_view name, std::string_view help, Labels labels = {});
  Histogram& histogram(std::string_view name, std::string_view help, std::vector<double> bounds,
                       Labels labels = {});

  std::string render() const;

 private:
  enum class Type { counter, gauge, histogram };
  struct Family {
    Type type;
    std::string help;
    std::map<std::string, std::unique_ptr<Counter>> counters;  // by rendered labels
    std::map<std::string, std::unique_ptr<Gauge>> gauges;
    std::map<std::string, std::unique_ptr<Histogram>> histograms;
  };
  Family& family(std::string_view name, Type type, std::string_view help);

  mutable std::mutex m_mutex;
  std::map<std::string, Family, std::less<>> m_families;
};

}  // namespace rootgov::daemon
