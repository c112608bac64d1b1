// daemon/src/event_hub.cpp - bounded fan-out of events to SSE subscribers.
#include "event_hub.hpp"

#include <algorithm>

namespace rootgov::daemon {

std::string format_sse(const StreamEvent& event) {
  std::string out = "id: " + std::to_string(event.id) + "\n";
  if (!event.type.empty()) out += "event: " + event.type + "\n";
  std::string_view data = event.data;
  while (true) {
    auto nl = data.find('\n');
    std::string_view line = data.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out += "data: ";
    out += line;
    out += '\n';
    if (nl == std::string_view::npos) break;
    data.remove_prefix(nl + 1);
  }
  out += '\n';
  return out;
}

std::vector<StreamEvent> Subscription::take() {
  std::lock_guard lock(m_mutex);
  std::vector<StreamEvent> out(std::make_move_iterator(m_queue.begin()), std::make_move_iterator(m_queue.end()));
  m_queue.clear();
  return out;
}

bool Subscription::finished() const {
  std::lock_guard lock(m_mutex);
  return m_overflowed || m_closed;
}

bool Subscription::overflowed() const {
  std::lock_guard lock(m_mutex);
  return m_overflowed;
}

void Subscription::set_wake(std::function<void()> wake) {
  std::lock_guard lock(m_mutex);
  m_wake = std::move(wake);
}

void Subscription::close() {
  {
    std::lock_guard lock(m_mutex);
    m_closed = true;
  }
  notify();
}

void Subscription::notify() {
  std::function<void()> wake;
  {
    std::lock_guard lock(m_mutex);
    wake = m_wake;
  }
  if (wake) wake();
}

EventHub::EventHub(std::size_t history, std::size_t queue_limit)
    : m_history_limit(std::max<std::size_t>(history, 1)), m_queue_limit(std::max<std::size_t>(queue_limit, 1)) {}

std::uint64_t EventHub::publish(std::string type, std::string data) {
  std::vector<std::shared_ptr<Subscription>> to_wake;
  std::uint64_t id = 0;
  {
    std::lock_guard lock(m_mutex);
    id = m_next_id++;
    StreamEvent event{id, std::move(type), std::move(data)};
    for (auto& sub : m_subscribers) {
      std::lock_guard sub_lock(sub->m_mutex);
      if (sub->m_overflowed || sub->m_closed) continue;
      if (sub->m_queue.size() >= m_queue_limit) {
        sub->m_overflowed = true;
        sub->m_queue.clear();
        ++m_dropped;
      } else {
        sub->m_queue.push_back(event);
      }
      to_wake.push_back(sub);
    }
    m_history.push_back(std::move(event));
    if (m_history.size() > m_history_limit) m_history.pop_front();
    // Overflowed subscribers leave the fan-out list at once; the consumer still holds them.
    std::erase_if(m_subscribers, [](const std::shared_ptr<Subscription>& s) {
      std::lock_guard sub_lock(s->m_mutex);
      return s->m_overflowed;
    });
  }
  for (auto& sub : to_wake) sub->notify();
  return id;
}

std::shared_ptr<Subscription> EventHub::subscribe(std::optional<std::uint64_t> after) {
  auto sub = std::make_shared<Subscription>();
  std::lock_guard lock(m_mutex);
  if (after) {
    std::uint64_t first_kept = m_history.empty() ? m_next_id : m_history.front().id;
    if (*after + 1 < first_kept) sub->m_gap = std::make_pair(*after + 1, first_kept - 1);
    for (const auto& e : m_history) {
      if (e.id > *after) sub->m_queue.push_back(e);
    }
    // INVARIANT: a resumed subscriber starts within its queue limit (older history is a gap).
    while (sub->m_queue.size() > m_queue_limit) {
      auto first = sub->m_queue.front().id;
      sub->m_queue.pop_front();
      sub->m_gap = std::make_pair(sub->m_gap ? sub->m_gap->first : first, first);
    }
  }
  m_subscribers.push_back(sub);
  return sub;
}

void EventHub::unsubscribe(const std::shared_ptr<Subscription>& subscription) {
  std::lock_guard lock(m_mutex);
  std::erase(m_subscribers, subscription);
}

void EventHub::close_all() {
  std::vector<std::shared_ptr<Subscription>> subs;
  {
    std::lock_guard lock(m_mutex);
    subs.swap(m_subscribers);
  }
  for (auto& s : subs) {
    {
      std::lock_guard lock(s->m_mutex);
      s->m_closed = true;
    }
    s->notify();
  }
}

std::size_t EventHub::subscribers() const {
  std::lock_guard lock(m_mutex);
  return m_subscribers.size();
}

std::uint64_t EventHub::last_id() const {
  std::lock_guard lock(m_mutex);
  return m_next_id - 1;
}

std::uint64_t EventHub::dropped_subscribers() const {
  std::lock_guard lock(m_mutex);
  return m_dropped;
}

}  // namespace rootgov::daemon
