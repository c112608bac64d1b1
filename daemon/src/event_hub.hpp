// daemon/src/event_hub.hpp - the live event stream behind GET /v1/events (Server-Sent Events).
//
// Contract:
// - publish() is thread-safe and never blocks on a client: it appends to a bounded history and
//   to each subscriber's bounded queue. Ids are 1, 2, 3, ... in publication order.
// - A subscriber whose queue exceeds the limit is marked overflowed and gets nothing more: the
//   server closes its stream (a slow client never holds memory or slows the others). The client
//   may reconnect with Last-Event-ID to resume from the history.
// - subscribe(after) first queues the events of the history with id > after; if some of them
//   were already dropped from the history, the subscription reports the gap.
// - Asio-free: the server registers a wake-up callback that the hub calls (outside its locks)
//   when a subscriber has something new.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace rootgov::daemon {

struct StreamEvent {
  std::uint64_t id = 0;
  std::string type;  ///< SSE "event:" field, e.g. "submitted"
  std::string data;  ///< one JSON text (no newlines are required; they are split into data lines)
};

/// Formats one event in the SSE wire form ("id: N\nevent: T\ndata: ...\n\n").
std::string format_sse(const StreamEvent& event);

class EventHub;

class Subscription {
 public:
  /// Takes the queued events (possibly none). Thread-safe.
  std::vector<StreamEvent> take();
  /// True once the queue overflowed (the stream must end) or the hub closed it.
  bool finished() const;
  bool overflowed() const;
  /// Set by the consumer: called, outside the hub's locks, whenever events arrive or the
  /// subscription finishes. May be called from any thread.
  void set_wake(std::function<void()> wake);
  /// Finishes this subscription (the consumer's stream ends); wakes the consumer.
  void close();
  /// Ids the subscriber asked for that the history no longer holds: [first, last], if any.
  std::optional<std::pair<std::uint64_t, std::uint64_t>> gap() const { return m_gap; }

 private:
  friend class EventHub;
  void notify();

  mutable std::mutex m_mutex;
  std::deque<StreamEvent> m_queue;
  bool m_overflowed = false;
  bool m_closed = false;
  std::function<void()> m_wake;
  std::optional<std::pair<std::uint64_t, std::uint64_t>> m_gap;
};

class EventHub {
 public:
  /// `history`: events kept for resumption; `queue_limit`: events a subscriber may lag behind.
  explicit EventHub(std::size_t history = 1024, std::size_t queue_limit = 256);

  /// Publishes an event to every subscriber; returns its id.
  std::uint64_t publish(std::string type, std::string data);

  /// A new subscriber. `after`: resume after this id (Last-Event-ID / ?from=N-1).
  std::shared_ptr<Subscription> subscribe(std::optional<std::uint64_t> after = std::nullopt);
  void unsubscribe(const std::shared_ptr<Subscription>& subscription);
  /// Finishes every subscription (shutdown).
  void close_all();

  std::size_t subscribers() const;
  std::uint64_t last_id() const;
  std::uint64_t dropped_subscribers() const;

 private:
  mutable std::mutex m_mutex;
  std::size_t m_history_limit;
  std::size_t m_queue_limit;
  std::deque<StreamEvent> m_history;
  std::uint64_t m_next_id = 1;
  std::uint64_t m_dropped = 0;
  std::vector<std::shared_ptr<Subscription>> m_subscribers;
};

}  // namespace rootgov::daemon
