// authority/src/audit_log.cpp - entries, hash chain, Merkle tree, journal batches.
#include "audit_log.hpp"

#include <rootgov/authority/journal.hpp>

#include "crypto.hpp"
#include "json_util.hpp"

namespace rootgov::authority::detail {

std::string sha256_hex(std::string_view data) {
  auto d = crypto::sha256(data);
  return crypto::hex_encode(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

AuditLog::AuditLog() = default;
AuditLog::~AuditLog() = default;
AuditLog::AuditLog(AuditLog&&) noexcept = default;
AuditLog& AuditLog::operator=(AuditLog&&) noexcept = default;

Result<std::vector<std::string>> AuditLog::open(const std::filesystem::path& path) {
  auto journal = Journal::open(path);
  if (!journal) return std::unexpected(journal.error());
  m_journal = std::move(*journal);
  // Each journal record is one mutation's batch of entries, one per line.
  std::vector<std::string> lines;
  auto visited = m_journal->for_each(0, [&](std::uint64_t index, std::string_view payload) -> Result<void> {
    std::size_t start = 0;
    while (start <= payload.size()) {
      std::size_t end = payload.find('\n', start);
      if (end == std::string_view::npos) end = payload.size();
      if (end == start) {
        return fail(Errc::check_failed, "journal record " + std::to_string(index) + " holds an empty entry");
      }
      lines.emplace_back(payload.substr(start, end - start));
      start = end + 1;
    }
    return {};
  });
  if (!visited) return std::unexpected(visited.error());
  return lines;
}

Result<void> AuditLog::stage(Json fields, std::string_view raw_key, std::string_view raw_value) {
  std::uint64_t index = next_index();
  const std::string& prev = m_staged.empty() ? m_last_hash : m_staged_hash;
  std::string type;
  if (const std::string* t = fields.find("event") != nullptr ? fields.find("event")->as_string() : nullptr) type = *t;
  fields["index"] = index;
  fields["prev"] = prev;
  std::string line = raw_key.empty() ? fields.canonical() : canonical_with_member(fields, raw_key, raw_value);
  m_staged_hash = sha256_hex(line);
  m_staged.push_back(std::move(line));
  m_staged_types.push_back(std::move(type));
  return {};
}

void AuditLog::discard() {
  m_staged.clear();
  m_staged_types.clear();
  m_staged_hash = m_last_hash;
}

Result<std::vector<Event>> AuditLog::commit() {
  if (m_staged.empty()) return std::vector<Event>{};
  if (m_expected != nullptr) {
    for (std::size_t k = 0; k < m_staged.size(); ++k) {
      std::uint64_t index = m_lines.size() + k;
      if (index >= m_expected->size()) {
        m_mismatch = index;
        discard();
        return fail(Errc::check_failed, "replay produced entry " + std::to_string(index) +
                                            " that the log does not hold (truncated log?)");
      }
      if ((*m_expected)[index] != m_staged[k]) {
        m_mismatch = index;
        discard();
        return fail(Errc::check_failed, "entry " + std::to_string(index) +
                                            " differs from what replaying the log produces there (was it altered?)");
      }
    }
  } else if (m_journal) {
    std::string payload;
    for (const auto& line : m_staged) {
      if (!payload.empty()) payload.push_back('\n');
      payload += line;
    }
    auto ticket = m_journal->enqueue(payload);
    if (!ticket) {
      discard();
      return std::unexpected(ticket.error());
    }
    m_last_ticket = *ticket;
  }
  std::vector<Event> events;
  for (std::size_t k = 0; k < m_staged.size(); ++k) {
    events.push_back(Event{m_lines.size(), m_staged_types[k], m_staged[k]});
    m_tree.append(m_staged[k]);
    m_lines.push_back(std::move(m_staged[k]));
  }
  m_last_hash = m_staged_hash;
  m_staged.clear();
  m_staged_types.clear();
  return events;
}

Result<void> AuditLog::wait_durable(std::uint64_t ticket) const {
  if (!m_journal) return {};
  return m_journal->wait_durable(ticket);
}

Result<void> AuditLog::flush() const {
  if (!m_journal) return {};
  return m_journal->flush();
}

std::string AuditLog::journal_failure() const { return m_journal ? m_journal->failure() : std::string(); }

std::uint64_t AuditLog::journal_records() const { return m_journal ? m_journal->enqueued() : 0; }

void AuditLog::set_journal_observer(std::function<void(double seconds, std::size_t records)> observer) {
  if (m_journal) m_journal->set_flush_observer(std::move(observer));
}

void AuditLog::adopt(const std::vector<std::string>& lines, std::uint64_t count) {
  m_lines.assign(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(count));
  for (const auto& line : m_lines) m_tree.append(line);
  m_last_hash = m_lines.empty() ? std::string() : sha256_hex(m_lines.back());
  m_staged_hash = m_last_hash;
}

namespace {
std::vector<std::string> to_hex_list(const std::vector<MerkleHash>& hashes) {
  std::vector<std::string> out;
  for (const auto& h : hashes) out.push_back(to_hex(h));
  return out;
}
}  // namespace

Result<std::vector<std::string>> AuditLog::inclusion_proof(std::uint64_t index, std::uint64_t size) const {
  auto p = m_tree.inclusion_proof(index, size);
  if (!p) return std::unexpected(p.error());
  return to_hex_list(*p);
}

Result<std::vector<std::string>> AuditLog::consistency_proof(std::uint64_t first, std::uint64_t second) const {
  auto p = m_tree.consistency_proof(first, second);
  if (!p) return std::unexpected(p.error());
  return to_hex_list(*p);
}

}  // namespace rootgov::authority::detail
