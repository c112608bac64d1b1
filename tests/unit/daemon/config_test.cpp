// rootgovd configuration: endpoints and the TOML file.
#include "config.hpp"

#include <gtest/gtest.h>

namespace rootgov::daemon {
namespace {

TEST(Config, ParsesEndpoints) {
  auto e = parse_endpoint("127.0.0.1:8053");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->address, "127.0.0.1");
  EXPECT_EQ(e->port, 8053);
  auto v6 = parse_endpoint("[::1]:0");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->address, "::1");
  EXPECT_EQ(v6->to_string(), "[::1]:0");
  EXPECT_FALSE(parse_endpoint("127.0.0.1"));
  EXPECT_FALSE(parse_endpoint("127.0.0.1:99999"));
  EXPECT_FALSE(parse_endpoint(":80"));
  auto bad = parse_endpoint("localhost:http");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("e.g. 127.0.0.1:8053"), std::string::npos);
}

TEST(Config, AppliesTomlSections) {
  DaemonConfig c;
  auto ok = apply_config_toml(R"(
model = "gic"
clock = "simulated"
[http]
listen = "127.0.0.1:9000"
body_limit = 2048
max_connections = 4
idle_timeout_ms = 1500
[log]
level = "debug"
[threads]
io = 3
cpu = 2
authority = "thread"
[events]
queue_limit = 8
)",
                              "test.toml", c);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(c.model, "gic");
  EXPECT_EQ(c.clock, "simulated");
  EXPECT_EQ(c.http.port, 9000);
  EXPECT_EQ(c.limits.body_limit, 2048u);
  EXPECT_EQ(c.limits.max_connections, 4u);
  EXPECT_EQ(c.limits.idle_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(c.limits.header_limit, 8192u);  // untouched default
  EXPECT_EQ(c.log_level, "debug");
  EXPECT_EQ(c.io_threads, 3u);
  EXPECT_TRUE(c.authority_thread);
  EXPECT_FALSE(DaemonConfig{}.authority_thread);  // default: a strand on the I/O threads
  EXPECT_EQ(c.event_queue_limit, 8u);
  EXPECT_TRUE(validate(c));
}

TEST(Config, ErrorsNameTheKeyAndChangeNothing) {
  DaemonConfig c;
  auto unknown = apply_config_toml("[http]\nlisten = \"127.0.0.1:1\"\nbodylimit = 5\n", "my.toml", c);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("my.toml: unknown key 'http.bodylimit'"), std::string::npos)
      << unknown.error().message;
  EXPECT_EQ(c.http.port, 8053);  // nothing applied

  auto type = apply_config_toml("[threads]\nio = \"two\"\n", "my.toml", c);
  ASSERT_FALSE(type);
  EXPECT_NE(type.error().message.find("'threads.io' must be an integer"), std::string::npos);

  auto owner = apply_config_toml("[threads]\nauthority = \"pool\"\n", "my.toml", c);
  ASSERT_FALSE(owner);
  EXPECT_NE(owner.error().message.find("'threads.authority' must be \"strand\" (on the I/O threads) or \"thread\""),
            std::string::npos)
      << owner.error().message;
  EXPECT_FALSE(c.authority_thread);

  auto range = apply_config_toml("[http]\nbody_limit = 1\n", "my.toml", c);
  ASSERT_FALSE(range);
  EXPECT_NE(range.error().message.find("between 1024 and"), std::string::npos);

  EXPECT_FALSE(apply_config_toml("this is = = not toml", "my.toml", c));
  EXPECT_FALSE(apply_config_file("/nonexistent/rootgovd.toml", c));
}

TEST(Config, ValidatesClockAndLevel) {
  DaemonConfig c;
  c.clock = "fast";
  EXPECT_FALSE(validate(c));
  c.clock = "real";
  c.log_level = "loud";
  EXPECT_FALSE(validate(c));
}

TEST(Config, DnssecAlgorithmIsReadAndChecked) {
  DaemonConfig c;
  EXPECT_FALSE(c.dnssec_algorithm.has_value());
  auto ok = apply_config_toml("[dnssec]\nalgorithm = \"ecdsap256sha256\"\n", "t", c);
  ASSERT_TRUE(ok) << ok.error().message;
  ASSERT_TRUE(c.dnssec_algorithm.has_value());
  EXPECT_EQ(*c.dnssec_algorithm, "ecdsap256sha256");
  EXPECT_TRUE(validate(c));

  c.dnssec_algorithm = "rsasha1";
  auto bad = validate(c);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("dnssec.algorithm"), std::string::npos) << bad.error().message;

  DaemonConfig d;
  auto unknown = apply_config_toml("[dnssec]\nksk_bits = 4096\n", "t", d);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("dnssec.ksk_bits"), std::string::npos) << unknown.error().message;
  auto wrong_type = apply_config_toml("[dnssec]\nalgorithm = 13\n", "t", d);
  ASSERT_FALSE(wrong_type);
  EXPECT_FALSE(d.dnssec_algorithm.has_value());
}

TEST(Config, PublishForkThresholdIsRead) {
  DaemonConfig c;
  EXPECT_EQ(c.publish_fork_tlds, 20000u);
  auto ok = apply_config_toml("[publish]\nfork_tlds = 0\n", "t", c);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(c.publish_fork_tlds, 0u);
  auto negative = apply_config_toml("[publish]\nfork_tlds = -1\n", "t", c);
  ASSERT_FALSE(negative);
  EXPECT_NE(negative.error().message.find("publish.fork_tlds"), std::string::npos) << negative.error().message;
  auto unknown = apply_config_toml("[publish]\nevery = 3\n", "t", c);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("publish.every"), std::string::npos) << unknown.error().message;
  EXPECT_EQ(c.publish_interval, std::chrono::milliseconds(1000));
  auto interval = apply_config_toml("[publish]\ninterval_ms = 250\n", "t", c);
  ASSERT_TRUE(interval) << interval.error().message;
  EXPECT_EQ(c.publish_interval, std::chrono::milliseconds(250));
  auto too_long = apply_config_toml("[publish]\ninterval_ms = 86400000\n", "t", c);
  ASSERT_FALSE(too_long);
  EXPECT_NE(too_long.error().message.find("publish.interval_ms"), std::string::npos) << too_long.error().message;
  EXPECT_EQ(c.publish_interval, std::chrono::milliseconds(250)) << "a refused value changes nothing";
}

TEST(Config, SnapshotSettingsAreRead) {
  DaemonConfig c;
  EXPECT_EQ(c.snapshot_every, 10000u);
  EXPECT_TRUE(c.snapshot_fork);
  EXPECT_EQ(c.snapshot_fork_tlds, 20000u);
  auto ok = apply_config_toml("[snapshots]\nevery = 50\nfork = false\nfork_tlds = 7\n", "t", c);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(c.snapshot_every, 50u);
  EXPECT_FALSE(c.snapshot_fork);
  EXPECT_EQ(c.snapshot_fork_tlds, 7u);
  auto bad = apply_config_toml("[snapshots]\nfork = \"yes\"\n", "t", c);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("snapshots.fork"), std::string::npos) << bad.error().message;
  auto negative = apply_config_toml("[snapshots]\nevery = -5\n", "t", c);
  ASSERT_FALSE(negative);
  EXPECT_EQ(c.snapshot_every, 50u) << "a refused value changes nothing";
  auto unknown = apply_config_toml("[snapshots]\ndir = \"x\"\n", "t", c);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("snapshots.dir"), std::string::npos) << unknown.error().message;
}

TEST(Config, ExampleConfigRoundTrips) {
  DaemonConfig c;
  auto ok = apply_config_toml(example_config(), "example", c);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(c.http.to_string(), "127.0.0.1:8053");
  ASSERT_TRUE(c.dnssec_algorithm.has_value());
  EXPECT_EQ(*c.dnssec_algorithm, "rsasha256");
  EXPECT_EQ(c.publish_fork_tlds, 20000u);
  EXPECT_EQ(c.publish_interval, std::chrono::milliseconds(1000));
  EXPECT_EQ(c.snapshot_every, 10000u);
  EXPECT_TRUE(c.snapshot_fork);
}

}  // namespace
}  // namespace rootgov::daemon
