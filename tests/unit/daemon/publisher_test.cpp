// Publisher: coalesced zone-file versions, the minimum interval between them, the atomic file.
#include "publisher.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include "metrics.hpp"

namespace rootgov::daemon {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Fixture {
  fs::path dir = fs::temp_directory_path() / ("rootgov-publisher-" + std::to_string(::getpid()));
  boost::asio::io_context authority, files;
  Metrics metrics;
  std::uint32_t serial = 1;
  int renders = 0;
  Fixture() {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Fixture() { fs::remove_all(dir); }
  Publisher make(std::chrono::milliseconds interval) {
    return Publisher(dir / "root.zone", authority.get_executor(), files.get_executor(),
                     [this] {
                       ++renders;
                       Publisher::Version v;
                       v.serial = serial;
                       v.text = "serial " + std::to_string(serial) + "\n";
                       v.durable = [] { return Result<void>{}; };
                       return v;
                     },
                     metrics, interval);
  }
  // Runs both executors (one thread each, as rootgovd does) for `d`, idle or not.
  void run_for(std::chrono::milliseconds d) {
    authority.restart();
    files.restart();
    auto keep_a = boost::asio::make_work_guard(authority);
    auto keep_f = boost::asio::make_work_guard(files);
    std::thread f([&] { files.run_for(d); });
    authority.run_for(d);
    f.join();
  }
};

// A burst of versions within the interval: the first is written at once, the rest coalesce
// into one write of the newest when the interval has passed, and nothing in between is
// rendered. The file holds one whole version each time.
TEST(Publisher, VersionsWithinTheIntervalCoalesceIntoTheNewest) {
  Fixture fx;
  Publisher p = fx.make(1200ms);
  boost::asio::post(fx.authority, [&] { p.offer(fx.serial); });
  fx.run_for(100ms);
  EXPECT_EQ(p.written_serial(), 1u);
  EXPECT_EQ(read(fx.dir / "root.zone"), "serial 1\n");
  for (std::uint32_t s = 2; s <= 6; ++s) {
    boost::asio::post(fx.authority, [&, s] {
      fx.serial = s;
      p.offer(s);
    });
  }
  fx.run_for(150ms);  // ~250 ms after the first version started: still inside the interval
  EXPECT_EQ(fx.renders, 1) << "a version was rendered inside the interval";
  EXPECT_EQ(p.written_serial(), 1u);
  fx.run_for(1300ms);
  EXPECT_EQ(fx.renders, 2) << "the offered versions were not coalesced into one";
  EXPECT_EQ(p.written_serial(), 6u);
  EXPECT_EQ(read(fx.dir / "root.zone"), "serial 6\n");
  EXPECT_FALSE(fs::exists(fx.dir / "root.zone.tmp"));
}

// With no interval a version offered after the last write ended is written at once (only the
// render ration applies, and these renders take microseconds).
TEST(Publisher, WithoutAnIntervalEachQuietVersionIsWrittenAtOnce) {
  Fixture fx;
  Publisher p = fx.make(0ms);
  for (std::uint32_t s = 1; s <= 3; ++s) {
    boost::asio::post(fx.authority, [&, s] {
      fx.serial = s;
      p.offer(s);
    });
    fx.run_for(60ms);
    EXPECT_EQ(p.written_serial(), s);
  }
  EXPECT_EQ(fx.renders, 3);
  EXPECT_EQ(read(fx.dir / "root.zone"), "serial 3\n");
}

}  // namespace
}  // namespace rootgov::daemon
