#include <rootgov/authority/journal.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <atomic>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include "authority/test_util.hpp"
#include "../../authority/src/crypto.hpp"

namespace rootgov::authority {
namespace {

using testing::TempDir;
namespace fs = std::filesystem;

std::string payload_for(std::uint64_t i) { return "record-" + std::to_string(i) + std::string(i % 37, 'x'); }

std::unique_ptr<Journal> open_ok(const fs::path& p, Journal::Options o = {}) {
  auto j = Journal::open(p, o);
  EXPECT_TRUE(j) << (j ? "" : j.error().message);
  return j ? std::move(*j) : nullptr;
}

void write_n(const fs::path& p, std::uint64_t n) {
  auto j = open_ok(p);
  for (std::uint64_t i = 0; i < n; ++i) ASSERT_EQ(*j->append(payload_for(i)), i);
}

std::uint64_t size_of(const fs::path& p) { return fs::file_size(p); }

void patch(const fs::path& p, std::uint64_t offset, std::string_view bytes) {
  std::fstream f(p, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::uint64_t offset_of(std::uint64_t index) {
  std::uint64_t off = 0;
  for (std::uint64_t i = 0; i < index; ++i) off += Journal::kHeaderSize + payload_for(i).size();
  return off;
}

// The record checksum: RFC 3720 (iSCSI) appendix B.4 vectors and the usual check value, for
// the form this CPU uses and the portable table form, and the two agreeing on every length
// and alignment around the 8-octet steps of the SSE4.2 form, whole or continued.
TEST(Journal, Crc32cKnownAnswersInBothForms) {
  std::string inc(32, '\0');
  for (int i = 0; i < 32; ++i) inc[static_cast<std::size_t>(i)] = static_cast<char>(i);
  const std::pair<std::string, std::uint32_t> vectors[] = {
      {"123456789", 0xE3069283U},
      {std::string(32, '\0'), 0x8A9136AAU},
      {std::string(32, '\xFF'), 0x62A8AB43U},
      {inc, 0x46DD794EU},
      {"", 0U},
  };
  for (const auto& [data, want] : vectors) {
    EXPECT_EQ(crypto::crc32c(data), want) << data.size() << " octets";
    EXPECT_EQ(crypto::crc32c_portable(data), want) << data.size() << " octets";
  }
  std::mt19937 rng(7);
  std::string buf(300, '\0');
  for (auto& c : buf) c = static_cast<char>(rng());
  for (std::size_t off = 0; off < 9; ++off) {
    for (std::size_t len = 0; off + len <= buf.size(); len += (len < 40 ? 1 : 37)) {
      const std::string_view v(buf.data() + off, len);
      ASSERT_EQ(crypto::crc32c(v), crypto::crc32c_portable(v)) << "offset " << off << " length " << len;
      const std::size_t cut = len / 3;
      ASSERT_EQ(crypto::crc32c(v.substr(cut), crypto::crc32c(v.substr(0, cut))), crypto::crc32c(v));
    }
  }
}

TEST(Journal, AppendsAndReadsBack) {
  TempDir dir;
  auto path = dir / "journal";
  {
    auto j = open_ok(path);
    EXPECT_EQ(j->size(), 0U);
    for (std::uint64_t i = 0; i < 50; ++i) EXPECT_EQ(*j->append(payload_for(i)), i);
    EXPECT_EQ(j->size(), 50U);
    EXPECT_EQ(*j->read(7), payload_for(7));
    EXPECT_FALSE(j->read(50));
    EXPECT_EQ(*j->append(""), 50U);  // empty records are records
  }
  auto j = open_ok(path);
  EXPECT_EQ(j->recovery().records, 51U);
  EXPECT_EQ(j->recovery().dropped_bytes, 0U);
  auto all = j->read_all();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 51U);
  for (std::uint64_t i = 0; i < 50; ++i) EXPECT_EQ((*all)[i], payload_for(i));
  EXPECT_EQ((*all)[50], "");
  EXPECT_EQ(*j->append("after reopen"), 51U);
  std::uint64_t seen = 0;
  ASSERT_TRUE(j->for_each(49, [&](std::uint64_t i, std::string_view) -> Result<void> {
    EXPECT_EQ(i, 49 + seen++);
    return {};
  }));
  EXPECT_EQ(seen, 3U);
}

TEST(Journal, TornTailIsDroppedAtEveryCutPoint) {
  TempDir dir;
  auto base = dir / "base";
  write_n(base, 5);
  const std::uint64_t full = size_of(base);
  const std::uint64_t last_start = offset_of(4);
  // Cut the last record anywhere, including inside its header.
  for (std::uint64_t cut = last_start + 1; cut < full; ++cut) {
    auto path = dir / ("cut-" + std::to_string(cut));
    fs::copy_file(base, path);
    fs::resize_file(path, cut);
    auto j = open_ok(path);
    ASSERT_TRUE(j);
    EXPECT_EQ(j->size(), 4U) << cut;
    EXPECT_EQ(j->recovery().dropped_bytes, cut - last_start);
    EXPECT_EQ(size_of(path), last_start);
    EXPECT_EQ(*j->append("next"), 4U);
    j.reset();
    auto again = open_ok(path);
    EXPECT_EQ(*again->read(4), "next");
    fs::remove(path);
  }
}

TEST(Journal, TornTailVariants) {
  TempDir dir;
  // Zero-filled tail (size extended, data never written).
  {
    auto path = dir / "zeros";
    write_n(path, 3);
    std::ofstream(path, std::ios::app | std::ios::binary) << std::string(100, '\0');
    auto j = open_ok(path);
    EXPECT_EQ(j->size(), 3U);
    EXPECT_EQ(j->recovery().dropped_bytes, 100U);
  }
  // The last record is complete in length but its payload never reached the disk.
  {
    auto path = dir / "garbled-last";
    write_n(path, 3);
    patch(path, offset_of(2) + Journal::kHeaderSize + 2, "\x01");
    auto j = open_ok(path);
    EXPECT_EQ(j->size(), 2U);
  }
  // A partial second record after a whole one written in the same batch.
  {
    auto path = dir / "partial-batch";
    write_n(path, 2);
    std::string extra = Journal::frame("third") + Journal::frame("fourth").substr(0, 10);
    std::ofstream(path, std::ios::app | std::ios::binary) << extra;
    auto j = open_ok(path);
    EXPECT_EQ(j->size(), 3U);
    EXPECT_EQ(*j->read(2), "third");
  }
}

TEST(Journal, DamageBeforeTheTailIsTampering) {
  TempDir dir;
  auto base = dir / "base";
  write_n(base, 6);
  const auto original = size_of(base);
  struct Case {
    const char* what;
    std::uint64_t offset;
    std::string bytes;
    std::uint64_t index;
  };
  const Case cases[] = {
      {"payload byte of record 2", offset_of(2) + Journal::kHeaderSize + 3, "Z", 2},
      {"magic of record 1", offset_of(1), "X", 1},
      {"length of record 3", offset_of(3) + 4, "\x7f", 3},
      {"payload checksum of record 0", offset_of(0) + 8, std::string("\x00\x00", 2), 0},
      {"header of record 4 zeroed", offset_of(4), std::string(16, '\0'), 4},
  };
  for (const auto& c : cases) {
    auto path = dir / "damaged";
    fs::copy_file(base, path, fs::copy_options::overwrite_existing);
    patch(path, c.offset, c.bytes);
    auto j = Journal::open(path);
    ASSERT_FALSE(j) << c.what;
    EXPECT_EQ(j.error().code, Errc::check_failed) << c.what;
    EXPECT_NE(j.error().message.find("record " + std::to_string(c.index) + " (byte offset " +
                                     std::to_string(offset_of(c.index)) + ")"),
              std::string::npos)
        << c.what << ": " << j.error().message;
    EXPECT_EQ(size_of(path), original) << "a damaged journal must not be modified";
  }
  // Removing a whole middle record shifts the rest: detected as well.
  {
    auto path = dir / "spliced";
    std::ifstream in(base, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    bytes.erase(offset_of(2) + 3, 5);
    std::ofstream(path, std::ios::binary) << bytes;
    EXPECT_FALSE(Journal::open(path));
  }
}

TEST(Journal, RecoveryAcrossReadChunks) {
  // 12 MB of records straddling the 4 MiB read chunks of recovery, a torn tail, then damage.
  TempDir dir;
  auto path = dir / "big";
  auto big = [](std::uint64_t i) { return std::string(40000 + i * 13, static_cast<char>('a' + i % 26)); };
  {
    auto j = open_ok(path, Journal::Options{false});
    for (std::uint64_t i = 0; i < 300; ++i) ASSERT_EQ(*j->append(big(i)), i);
  }
  std::ofstream(path, std::ios::app | std::ios::binary) << Journal::frame(big(300)).substr(0, 30000);
  {
    auto j = open_ok(path);
    ASSERT_EQ(j->size(), 300U);
    EXPECT_EQ(j->recovery().dropped_bytes, 30000U);
    for (std::uint64_t i = 0; i < 300; i += 37) EXPECT_EQ(*j->read(i), big(i));
  }
  std::uint64_t off = 0;
  for (std::uint64_t i = 0; i < 200; ++i) off += Journal::kHeaderSize + big(i).size();
  patch(path, off + Journal::kHeaderSize + 100, "#");
  auto j = Journal::open(path);
  ASSERT_FALSE(j);
  EXPECT_NE(j.error().message.find("record 200 (byte offset " + std::to_string(off) + ")"), std::string::npos)
      << j.error().message;
}

TEST(Journal, OneWriterAtATime) {
  TempDir dir;
  auto first = open_ok(dir / "j");
  auto second = Journal::open(dir / "j");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::conflict);
  first.reset();
  EXPECT_TRUE(Journal::open(dir / "j"));
}

TEST(Journal, ReadOnlyInspectsWithoutChanging) {
  TempDir dir;
  auto path = dir / "j";
  auto missing = Journal::open(path, Journal::Options{true, true});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
  EXPECT_FALSE(fs::exists(path));
  write_n(path, 3);
  std::ofstream(path, std::ios::app | std::ios::binary) << Journal::frame("torn").substr(0, 7);
  const auto before = size_of(path);
  auto writer_lock = open_ok(dir / "other");  // unrelated; readers take no lock
  auto reader = Journal::open(path, Journal::Options{true, true});
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ((*reader)->size(), 3U);
  EXPECT_EQ((*reader)->recovery().dropped_bytes, 7U);
  EXPECT_EQ(size_of(path), before) << "a read-only open must not cut the tail";
  auto appended = (*reader)->append("x");
  ASSERT_FALSE(appended);
  EXPECT_EQ(appended.error().code, Errc::conflict);
  // A reader can look at a journal a writer holds.
  auto writer = open_ok(path);
  EXPECT_EQ(writer->size(), 3U);
  auto second_reader = Journal::open(path, Journal::Options{true, true});
  ASSERT_TRUE(second_reader);
  EXPECT_EQ(*(*second_reader)->read(2), payload_for(2));
}

TEST(Journal, ReadsRecheckChecksums) {
  TempDir dir;
  auto path = dir / "j";
  auto j = open_ok(path);
  for (std::uint64_t i = 0; i < 4; ++i) ASSERT_TRUE(j->append(payload_for(i)));
  patch(path, offset_of(2) + Journal::kHeaderSize + 1, "?");  // damage behind the open journal's back
  auto one = j->read(2);
  ASSERT_FALSE(one);
  EXPECT_EQ(one.error().code, Errc::check_failed);
  EXPECT_TRUE(j->read(1));
  std::vector<std::uint64_t> visited;
  auto all = j->for_each(0, [&](std::uint64_t i, std::string_view) -> Result<void> {
    visited.push_back(i);
    return {};
  });
  ASSERT_FALSE(all);
  EXPECT_NE(all.error().message.find("record 2"), std::string::npos) << all.error().message;
  EXPECT_EQ(visited, (std::vector<std::uint64_t>{0, 1}));
}

TEST(Journal, RefusesOversizedRecords) {
  TempDir dir;
  auto j = open_ok(dir / "j", Journal::Options{false});
  auto r = j->append(std::string(Journal::kMaxRecordSize + 1, 'a'));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::invalid_input);
  EXPECT_EQ(j->size(), 0U);
}

TEST(Journal, GroupCommitWith16Threads) {
  TempDir dir;
  auto path = dir / "journal";
  constexpr int kThreads = 16;
  constexpr int kPerThread = 100;
  std::vector<std::vector<std::uint64_t>> got(kThreads);
  {
    auto j = open_ok(path);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          auto r = j->append("t" + std::to_string(t) + "-" + std::to_string(i));
          ASSERT_TRUE(r);
          // Durable on return: the record is already in the file, at its index.
          auto back = j->read(*r);
          ASSERT_TRUE(back) << back.error().message;
          EXPECT_EQ(*back, "t" + std::to_string(t) + "-" + std::to_string(i));
          got[t].push_back(*r);
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(j->size(), std::uint64_t{kThreads * kPerThread});
    EXPECT_LT(j->flush_count(), std::uint64_t{kThreads * kPerThread}) << "appenders never shared a flush";
    std::cout << "[          ] " << kThreads * kPerThread << " appends in " << j->flush_count() << " flushes\n";
  }
  auto j = open_ok(path);
  ASSERT_EQ(j->size(), std::uint64_t{kThreads * kPerThread});
  std::set<std::uint64_t> all;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(got[t].size(), std::size_t{kPerThread});
    for (int i = 0; i < kPerThread; ++i) {
      if (i > 0) {
        EXPECT_LT(got[t][i - 1], got[t][i]) << "a thread's own appends keep their order";
      }
      EXPECT_EQ(*j->read(got[t][i]), "t" + std::to_string(t) + "-" + std::to_string(i));
      all.insert(got[t][i]);
    }
  }
  EXPECT_EQ(all.size(), std::size_t{kThreads * kPerThread});
  EXPECT_EQ(*all.rbegin(), std::uint64_t{kThreads * kPerThread - 1});
}

TEST(Journal, FlushObserverSeesEveryRoundAndEveryRecordOnce) {
  TempDir dir;
  auto j = open_ok(dir / "journal");
  std::mutex m;
  std::uint64_t rounds = 0, records = 0;
  double seconds = 0;
  bool negative = false;
  j->set_flush_observer([&](double took, std::size_t count) {
    std::lock_guard lock(m);
    ++rounds;
    records += count;
    seconds += took;
    negative = negative || took < 0 || count == 0;
  });

  // Three queued records become durable in one round, and the observer hears it once.
  for (const char* r : {"a", "b", "c"}) ASSERT_TRUE(j->enqueue(r));
  ASSERT_TRUE(j->wait_durable(2));
  ASSERT_TRUE(j->flush());  // nothing pending: no round, nothing observed
  {
    std::lock_guard lock(m);
    EXPECT_EQ(rounds, 1U);
    EXPECT_EQ(records, 3U);
  }

  // Under concurrency every round is observed and every record counted exactly once.
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&j, t] {
      for (int i = 0; i < kPerThread; ++i) ASSERT_TRUE(j->append(std::to_string(t) + "/" + std::to_string(i)));
    });
  }
  for (auto& th : threads) th.join();
  std::lock_guard lock(m);
  EXPECT_EQ(rounds, j->flush_count());
  EXPECT_EQ(records, std::uint64_t{3 + kThreads * kPerThread});
  EXPECT_EQ(records, j->size());
  EXPECT_GT(seconds, 0.0);
  EXPECT_FALSE(negative) << "a round reported a negative time or no records";
}

TEST(Journal, EnqueueIsNotDurableUntilWaitedFor) {
  TempDir dir;
  auto path = dir / "journal";
  auto j = open_ok(path);
  auto a = j->enqueue("a");
  auto b = j->enqueue("b");
  auto c = j->enqueue("c");
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a, 0U);
  EXPECT_EQ(*c, 2U);
  EXPECT_EQ(j->size(), 0U) << "enqueue must not write";
  EXPECT_EQ(j->enqueued(), 3U);
  EXPECT_EQ(open_ok(path, Journal::Options{true, true})->size(), 0U) << "nothing on disk yet";
  EXPECT_FALSE(j->read(0)) << "a pending record is not readable";
  ASSERT_TRUE(j->wait_durable(1));
  EXPECT_GE(j->size(), 2U);
  EXPECT_GE(open_ok(path, Journal::Options{true, true})->size(), 2U);
  auto unknown = j->wait_durable(3);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::invalid_input);
  ASSERT_TRUE(j->flush());
  EXPECT_EQ(j->size(), 3U);
  EXPECT_EQ(j->flush_count(), 1U) << "one leader flushed the whole pending batch";
  EXPECT_TRUE(j->failure().empty());
}

TEST(Journal, CleanCloseFlushesEnqueuedRecords) {
  TempDir dir;
  auto path = dir / "journal";
  {
    auto j = open_ok(path);
    ASSERT_TRUE(j->enqueue("pending-1"));
    ASSERT_TRUE(j->enqueue("pending-2"));
  }
  auto j = open_ok(path);
  ASSERT_EQ(j->size(), 2U);
  EXPECT_EQ(*j->read(1), "pending-2");
}

// One thread enqueues (the authority's strand), several wait (the daemon's handlers): every
// wait returns only when its record is readable from the file, and waiters share flushes.
TEST(Journal, OneEnqueuerManyWaiters) {
  TempDir dir;
  auto path = dir / "journal";
  auto j = open_ok(path);
  constexpr std::uint64_t kRecords = 2000;
  constexpr int kWaiters = 4;
  std::mutex mutex;
  std::condition_variable ready;
  std::vector<std::uint64_t> queue;
  bool done = false;
  std::atomic<std::uint64_t> confirmed{0};
  std::atomic<bool> bad{false};
  std::vector<std::thread> waiters;
  for (int w = 0; w < kWaiters; ++w) {
    waiters.emplace_back([&] {
      for (;;) {
        std::uint64_t index = 0;
        {
          std::unique_lock lock(mutex);
          ready.wait(lock, [&] { return done || !queue.empty(); });
          if (queue.empty()) return;
          index = queue.back();
          queue.pop_back();
        }
        if (!j->wait_durable(index)) bad = true;
        // Durable means in the file: read() only serves flushed records.
        auto back = j->read(index);
        if (!back || *back != "record-" + std::to_string(index)) bad = true;
        ++confirmed;
      }
    });
  }
  for (std::uint64_t i = 0; i < kRecords; ++i) {
    auto index = j->enqueue("record-" + std::to_string(i));
    ASSERT_TRUE(index);
    ASSERT_EQ(*index, i) << "indexes follow the order of enqueue calls";
    {
      std::lock_guard lock(mutex);
      queue.push_back(*index);
    }
    ready.notify_one();
  }
  {
    std::lock_guard lock(mutex);
    done = true;
  }
  ready.notify_all();
  for (auto& t : waiters) t.join();
  EXPECT_FALSE(bad);
  EXPECT_EQ(confirmed.load(), kRecords);
  EXPECT_EQ(j->size(), kRecords);
  EXPECT_LT(j->flush_count(), kRecords) << "waiters never shared a flush";
  std::cout << "[          ] " << kRecords << " enqueued records made durable in " << j->flush_count()
            << " flushes\n";
}

// Crash test: a child process appends from 4 threads and reports every acknowledged index on a
// pipe; the parent SIGKILLs it at a random moment, reopens the journal, and checks that every
// acknowledged record is there with the right content. Repeated on the same file.
TEST(Journal, CrashTestEveryAcknowledgedRecordSurvivesSigkill) {
  std::uint64_t seed = std::random_device{}();
  if (const char* env = std::getenv("ROOTGOV_TEST_SEED")) seed = std::strtoull(env, nullptr, 10);
  SCOPED_TRACE("seed " + std::to_string(seed) + " (rerun with ROOTGOV_TEST_SEED=" + std::to_string(seed) + ")");
  std::mt19937_64 rng(seed);

  TempDir dir;
  auto path = dir / "journal";
  std::map<std::uint64_t, std::string> acknowledged;
  constexpr int kRounds = 6;
  for (int round = 0; round < kRounds; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      auto j = Journal::open(path);
      if (!j) ::_exit(10);
      std::vector<std::thread> threads;
      for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
          for (std::uint64_t c = 0;; ++c) {
            std::string payload = "r" + std::to_string(round) + "-t" + std::to_string(t) + "-c" + std::to_string(c) +
                                  std::string((c * 7 + t) % 200, 'p');
            auto idx = (*j)->append(payload);
            if (!idx) ::_exit(11);
            // One write() of at most PIPE_BUF bytes is atomic.
            std::string line = std::to_string(*idx) + " " + payload.substr(0, payload.find('p')) + " " +
                               std::to_string(payload.size()) + "\n";
            if (::write(fds[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) ::_exit(12);
          }
        });
      }
      for (auto& th : threads) th.join();
      ::_exit(0);
    }
    ::close(fds[1]);
    // The kill comes at a random moment after the child's first acknowledgement (so a busy
    // machine cannot make a round acknowledge nothing), or after 10 s of silence.
    const auto delay = std::chrono::microseconds(rng() % 200000);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    bool started = false;
    std::string buffer;
    char chunk[4096];
    bool killed = false;
    for (;;) {
      if (!started && !buffer.empty()) {
        started = true;
        deadline = std::chrono::steady_clock::now() + delay;
      }
      if (!killed && std::chrono::steady_clock::now() >= deadline) {
        ::kill(pid, SIGKILL);
        killed = true;
      }
      pollfd p{fds[0], POLLIN, 0};
      ::poll(&p, 1, 5);
      if ((p.revents & (POLLIN | POLLHUP)) == 0) continue;
      ssize_t n = ::read(fds[0], chunk, sizeof chunk);
      if (n <= 0) break;  // EOF: the child is gone and everything it said has been read
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "child exited early, status " << status;
    // Parse "index prefix size" lines; a partial last line cannot happen (atomic writes) but
    // is ignored if it does.
    std::size_t start = 0;
    std::size_t lines = 0;
    while (true) {
      auto end = buffer.find('\n', start);
      if (end == std::string::npos) break;
      std::istringstream line(buffer.substr(start, end - start));
      std::uint64_t idx = 0;
      std::string prefix;
      std::size_t size = 0;
      line >> idx >> prefix >> size;
      std::string payload = prefix + std::string(size - prefix.size(), 'p');
      ASSERT_TRUE(acknowledged.emplace(idx, payload).second) << "index " << idx << " acknowledged twice";
      start = end + 1;
      ++lines;
    }
    EXPECT_GT(lines, 0U) << "round " << round << " acknowledged nothing";

    auto j = Journal::open(path);
    ASSERT_TRUE(j) << j.error().message;
    ASSERT_GE((*j)->size(), acknowledged.empty() ? 0 : acknowledged.rbegin()->first + 1);
    for (const auto& [idx, payload] : acknowledged) {
      auto rec = (*j)->read(idx);
      ASSERT_TRUE(rec) << "acknowledged record " << idx << " lost: " << rec.error().message;
      ASSERT_EQ(*rec, payload) << "record " << idx;
    }
  }
  std::cout << "[          ] " << acknowledged.size() << " acknowledged records survived " << kRounds
            << " SIGKILLs\n";
}

TEST(Snapshot, AtomicWriteAndDamageDetection) {
  TempDir dir;
  auto path = dir / "state.snapshot";
  auto missing = read_snapshot(path);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
  ASSERT_TRUE(write_snapshot(path, Snapshot{42, "state bytes"}));
  auto snap = read_snapshot(path);
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->records, 42U);
  EXPECT_EQ(snap->state, "state bytes");
  ASSERT_TRUE(write_snapshot(path, Snapshot{43, std::string(100000, 's')}));
  EXPECT_EQ(read_snapshot(path)->records, 43U);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
  patch(path, 60, "!");
  auto bad = read_snapshot(path);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::check_failed);
  fs::resize_file(path, 30);
  EXPECT_FALSE(read_snapshot(path));
}

}  // namespace
}  // namespace rootgov::authority
