// Metrics registry and the Prometheus text format.
#include "metrics.hpp"

#include <gtest/gtest.h>

namespace rootgov::daemon {
namespace {

bool contains(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

TEST(Metrics, RendersCountersGaugesWithLabels) {
  Metrics m;
  m.counter("rootgov_requests_total", "requests", {{"status", "200"}, {"method", "GET"}}).inc(3);
  m.counter("rootgov_requests_total", "requests", {{"method", "GET"}, {"status", "200"}}).inc();
  m.gauge("rootgov_open", "open things").set(2.5);
  auto text = m.render();
  EXPECT_TRUE(contains(text, "# HELP rootgov_requests_total requests\n# TYPE rootgov_requests_total counter\n"));
  EXPECT_TRUE(contains(text, "rootgov_requests_total{method=\"GET\",status=\"200\"} 4\n")) << text;
  EXPECT_TRUE(contains(text, "# TYPE rootgov_open gauge\nrootgov_open 2.5\n")) << text;
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  Metrics m;
  auto& h = m.histogram("lat_seconds", "latency", {0.1, 1}, {{"route", "/v1/x"}});
  h.observe(0.05);
  h.observe(0.1);
  h.observe(0.5);
  h.observe(7);
  auto text = m.render();
  EXPECT_TRUE(contains(text, "# TYPE lat_seconds histogram\n"));
  EXPECT_TRUE(contains(text, "lat_seconds_bucket{route=\"/v1/x\",le=\"0.1\"} 2\n")) << text;
  EXPECT_TRUE(contains(text, "lat_seconds_bucket{route=\"/v1/x\",le=\"1\"} 3\n")) << text;
  EXPECT_TRUE(contains(text, "lat_seconds_bucket{route=\"/v1/x\",le=\"+Inf\"} 4\n")) << text;
  EXPECT_TRUE(contains(text, "lat_seconds_sum{route=\"/v1/x\"} 7.65\n")) << text;
  EXPECT_TRUE(contains(text, "lat_seconds_count{route=\"/v1/x\"} 4\n")) << text;
}

TEST(Metrics, EscapesLabelValuesAndRefusesBadNames) {
  Metrics m;
  m.counter("x_total", "x", {{"path", "a\"b\\c\nd"}}).inc();
  EXPECT_TRUE(contains(m.render(), "x_total{path=\"a\\\"b\\\\c\\nd\"} 1\n")) << m.render();
  EXPECT_THROW(m.counter("bad-name", "x"), std::invalid_argument);
  EXPECT_THROW(m.counter("ok_total", "x", {{"bad-label", "v"}}), std::invalid_argument);
  EXPECT_THROW(m.gauge("x_total", "now a gauge"), std::invalid_argument);
}

TEST(Metrics, SameNameAndLabelsIsSameMetric) {
  Metrics m;
  auto& a = m.counter("c_total", "c", {{"k", "v"}});
  auto& b = m.counter("c_total", "c", {{"k", "v"}});
  EXPECT_EQ(&a, &b);
}

TEST(Metrics, CounterRaisedToARunningTotalNeverGoesDown) {
  Metrics m;
  auto& c = m.counter("r_total", "r");
  c.raise_to(5);
  EXPECT_EQ(c.value(), 5U);
  c.raise_to(3);  // a total below the counter (e.g. read before a later one) changes nothing
  EXPECT_EQ(c.value(), 5U);
  c.inc();
  c.raise_to(9);
  EXPECT_EQ(c.value(), 9U);
}

}  // namespace
}  // namespace rootgov::daemon
