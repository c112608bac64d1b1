// journal_bench - durable journal appends (1 and 16 writers, group commit) and audit-log
// verification speed (Merkle tree rebuild, inclusion proofs, signed-document verification).
//
// Usage: journal_bench [DIR]   (DIR: where the journal file goes; default: the temp directory)
// Plain main() so the figures and their units are exactly what bench/RESULTS.md records.
#include <rootgov/authority/actors.hpp>
#include <rootgov/authority/journal.hpp>
#include <rootgov/authority/merkle.hpp>
#include <rootgov/authority/signed_document.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

using namespace rootgov;
using namespace rootgov::authority;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Appends `per_writer` records of `payload_size` bytes from each of `writers` threads; returns
/// durable appends per second.
double durable_appends(const std::filesystem::path& dir, int writers, int per_writer, std::size_t payload_size,
                       bool sync) {
  auto path = dir / ("bench-journal-" + std::to_string(::getpid()) + "-" + std::to_string(writers));
  std::filesystem::remove(path);
  auto journal = Journal::open(path, Journal::Options{sync});
  if (!journal) {
    std::fprintf(stderr, "open: %s\n", journal.error().message.c_str());
    std::exit(3);
  }
  const std::string payload(payload_size, 'x');
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&] {
      for (int i = 0; i < per_writer; ++i) {
        if (!(*journal)->append(payload)) std::exit(3);
      }
    });
  }
  for (auto& t : threads) t.join();
  double secs = seconds_since(start);
  const auto total = static_cast<double>(writers) * per_writer;
  std::printf("  %-2d writer(s)%s: %8.0f appends/s  (%d appends, %llu flushes, %.0f records/flush, %.2f s)\n",
              writers, sync ? "" : " [no fdatasync]", total / secs, writers * per_writer,
              static_cast<unsigned long long>((*journal)->flush_count()),
              total / static_cast<double>((*journal)->flush_count()), secs);
  journal->reset();
  std::filesystem::remove(path);
  return total / secs;
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path dir = argc > 1 ? std::filesystem::path(argv[1]) : std::filesystem::temp_directory_path();
  std::printf("journal: durable appends (write + fdatasync), 256-byte records, in %s\n", dir.c_str());
  durable_appends(dir, 1, 3000, 256, true);
  durable_appends(dir, 16, 500, 256, true);
  durable_appends(dir, 1, 50000, 256, false);

  // Recovery: open (scan + checksum every record) and read back a 100,000-record journal.
  {
    auto path = dir / ("bench-journal-recovery-" + std::to_string(::getpid()));
    std::filesystem::remove(path);
    {
      auto j = Journal::open(path, Journal::Options{false});
      const std::string payload(256, 'r');
      for (int i = 0; i < 100000; ++i) (void)(*j)->append(payload);
    }
    auto open_start = Clock::now();
    auto j = Journal::open(path);
    double open_secs = seconds_since(open_start);
    auto read_start = Clock::now();
    auto all = (*j)->read_all();
    double read_secs = seconds_since(read_start);
    std::printf("  open + recover 100,000 records: %.3f s; read_all: %.3f s (%zu records)\n", open_secs, read_secs,
                all ? all->size() : 0);
    j->reset();
    std::filesystem::remove(path);
  }

  // A log-like workload: 100,000 signed ballot documents as entries.
  constexpr int kEntries = 100000;
  ActorKey key = ActorKey::generate("gov.br");
  ActorRegistry registry;
  if (!registry.add(Actor{"gov.br", "Brazil", {"government"}, {"gac"}, "latin-america", "br", {}, key.public_key()})) {
    return 3;
  }
  std::vector<std::string> entries;
  entries.reserve(kEntries);
  auto sign_start = Clock::now();
  for (int i = 0; i < kEntries; ++i) {
    Document d;
    d.type = DocumentType::ballot;
    d.actor = "gov.br";
    d.time = Timestamp{1132272000 + i};
    d.seq = static_cast<std::uint64_t>(i) + 1;
    d.body["request"] = Json("ROOT-MGMT#20051118001");
    d.body["vote"] = Json("approve");
    entries.push_back(SignedDocument::sign(std::move(d), key)->to_wire());
  }
  double sign_secs = seconds_since(sign_start);

  std::printf("audit log verification, %d entries of ~%zu bytes (1 thread)\n", kEntries, entries.front().size());
  std::printf("  sign documents:                   %9.0f entries/s\n", kEntries / sign_secs);

  auto tree_start = Clock::now();
  MerkleTree tree;
  for (const auto& e : entries) tree.append(e);
  MerkleHash root = tree.root();
  double tree_secs = seconds_since(tree_start);
  std::printf("  Merkle tree rebuild + root:       %9.0f entries/s  (%.3f s)\n", kEntries / tree_secs, tree_secs);

  auto incl_start = Clock::now();
  int ok = 0;
  for (std::uint64_t i = 0; i < tree.size(); ++i) {
    auto proof = tree.inclusion_proof(i, tree.size());
    ok += verify_inclusion(i, tree.size(), merkle_leaf_hash(entries[i]), *proof, root).has_value() ? 1 : 0;
  }
  double incl_secs = seconds_since(incl_start);
  std::printf("  inclusion proof make + verify:    %9.0f entries/s  (%d ok)\n", kEntries / incl_secs, ok);

  auto cons_start = Clock::now();
  int cons_ok = 0;
  for (std::uint64_t m = 1; m < tree.size(); m += 97) {
    auto proof = tree.consistency_proof(m, tree.size());
    cons_ok += verify_consistency(m, tree.size(), *proof, *tree.root_at(m), root).has_value() ? 1 : 0;
  }
  double cons_secs = seconds_since(cons_start);
  std::printf("  consistency proof make + verify:  %9.0f proofs/s   (%d ok)\n", cons_ok / cons_secs, cons_ok);

  auto verify_start = Clock::now();
  int verified = 0;
  ReplayGuard guard;
  for (const auto& e : entries) {
    auto doc = SignedDocument::parse(e);
    if (doc && doc->verify(registry) && guard.check_and_accept(doc->document())) ++verified;
  }
  double verify_secs = seconds_since(verify_start);
  std::printf("  parse + Ed25519 verify + replay:  %9.0f entries/s  (%d ok)\n", kEntries / verify_secs, verified);

  // Where the time goes: parsing alone, and the signature check alone on parsed documents.
  std::vector<SignedDocument> parsed;
  parsed.reserve(kEntries);
  auto parse_start = Clock::now();
  for (const auto& e : entries) parsed.push_back(*SignedDocument::parse(e));
  double parse_secs = seconds_since(parse_start);
  std::printf("    of which JSON parse + canonical:  %9.0f entries/s\n", kEntries / parse_secs);
  auto sig_start = Clock::now();
  int sig_ok = 0;
  for (const auto& d : parsed) sig_ok += d.verify(registry).has_value() ? 1 : 0;
  double sig_secs = seconds_since(sig_start);
  std::printf("    of which Ed25519 verify:          %9.0f entries/s  (%d ok)\n", kEntries / sig_secs, sig_ok);
  return ok == kEntries && verified == kEntries && sig_ok == kEntries ? 0 : 1;
}
