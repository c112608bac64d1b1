// The event hub: fan-out, bounded queues, resumption.
#include "event_hub.hpp"

#include <atomic>

#include <gtest/gtest.h>

namespace rootgov::daemon {
namespace {

TEST(EventHub, EverySubscriberGetsEveryEventInOrder) {
  EventHub hub(16, 16);
  auto a = hub.subscribe();
  auto b = hub.subscribe();
  std::atomic<int> wakes{0};
  a->set_wake([&] { ++wakes; });
  EXPECT_EQ(hub.publish("submitted", "{\"id\":1}"), 1u);
  EXPECT_EQ(hub.publish("ballot", "{\"id\":2}"), 2u);
  auto ea = a->take();
  auto eb = b->take();
  ASSERT_EQ(ea.size(), 2u);
  ASSERT_EQ(eb.size(), 2u);
  EXPECT_EQ(ea[0].type, "submitted");
  EXPECT_EQ(ea[1].id, 2u);
  EXPECT_EQ(wakes.load(), 2);
  EXPECT_TRUE(a->take().empty());
}

TEST(EventHub, SlowSubscriberIsDroppedOthersContinue) {
  EventHub hub(16, 3);
  auto slow = hub.subscribe();
  auto fast = hub.subscribe();
  for (int i = 0; i < 5; ++i) {
    hub.publish("e", "{}");
    fast->take();
  }
  EXPECT_TRUE(slow->overflowed());
  EXPECT_TRUE(slow->finished());
  EXPECT_TRUE(slow->take().empty());
  EXPECT_FALSE(fast->finished());
  EXPECT_EQ(hub.subscribers(), 1u);
  EXPECT_EQ(hub.dropped_subscribers(), 1u);
}

TEST(EventHub, ResumesFromHistoryAndReportsGap) {
  EventHub hub(3, 10);
  for (int i = 0; i < 5; ++i) hub.publish("e", std::to_string(i));  // ids 1..5; history keeps 3..5
  auto resumed = hub.subscribe(3);
  auto events = resumed->take();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].id, 4u);
  EXPECT_FALSE(resumed->gap());
  auto old = hub.subscribe(0);
  ASSERT_TRUE(old->gap());
  EXPECT_EQ(old->gap()->first, 1u);
  EXPECT_EQ(old->gap()->second, 2u);
  EXPECT_EQ(old->take().size(), 3u);
}

TEST(EventHub, CloseAllFinishesSubscriptions) {
  EventHub hub;
  auto s = hub.subscribe();
  bool woke = false;
  s->set_wake([&] { woke = true; });
  hub.close_all();
  EXPECT_TRUE(woke);
  EXPECT_TRUE(s->finished());
  EXPECT_FALSE(s->overflowed());
}

TEST(EventHub, SseFormatSplitsLines) {
  EXPECT_EQ(format_sse({7, "decided", "{\"a\":1}"}), "id: 7\nevent: decided\ndata: {\"a\":1}\n\n");
  EXPECT_EQ(format_sse({8, "", "a\nb"}), "id: 8\ndata: a\ndata: b\n\n");
}

}  // namespace
}  // namespace rootgov::daemon
