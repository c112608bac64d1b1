// http_client_test.cpp - reading the daemon's error replies: which refusals a client may answer
// by signing again with a fresh sequence number.
#include "http_client.hpp"

#include "commands.hpp"

#include <gtest/gtest.h>

namespace rootgov::cli {
namespace {

HttpReply problem(unsigned status, const std::string& detail) {
  return HttpReply{status, "application/problem+json",
                   R"({"type":"urn:rootgov:problem:x","title":"t","status":)" + std::to_string(status) +
                       R"(,"detail":")" + detail + R"("})"};
}

TEST(IsStaleSequence, TheReplayGuardsRefusal) {
  EXPECT_TRUE(is_stale_sequence(
      problem(403, "replayed or stale document: sequence 5 of 'ntia' is not above the last one used (7)")));
}

TEST(IsStaleSequence, OtherRefusalsAreNot) {
  EXPECT_FALSE(is_stale_sequence(problem(403, "unknown actor 'stranger'")));
  EXPECT_FALSE(
      is_stale_sequence(problem(403, "bad signature on submit document seq 2 of actor 'manager.br'")));
  EXPECT_FALSE(is_stale_sequence(problem(400, "replayed or stale document: but not a 403")));
  EXPECT_FALSE(is_stale_sequence(HttpReply{403, "text/plain", "replayed or stale document"}));
  EXPECT_FALSE(is_stale_sequence(HttpReply{201, "application/json", R"({"id":"ROOT-MGMT#20051118001"})"}));
}

TEST(JsonBody, ParsesOrThrowsExitIo) {
  auto v = json_body(HttpReply{200, "application/json", R"({"a":1})"});
  ASSERT_TRUE(v.is_object());
  EXPECT_EQ(v.as_object().at("a").as_int64(), 1);
  try {
    (void)json_body(HttpReply{200, "application/json", "{not json"});
    FAIL() << "no exception";
  } catch (const ExitError& e) {
    EXPECT_EQ(e.code, kExitIo);
  }
}

}  // namespace
}  // namespace rootgov::cli
