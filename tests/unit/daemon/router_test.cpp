// Router, request values and problem bodies.
#include "router.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace rootgov::daemon {
namespace {

Response ok(const Request&) { return Response::text("ok"); }

TEST(Router, MatchesLiteralsAndDecodesParameters) {
  Router r;
  r.add("GET", "/v1/requests/{id}", ok);
  r.add("POST", "/v1/requests/{id}/ballots", ok);
  auto m = r.match("POST", "/v1/requests/ROOT-MGMT%2320051118001/ballots");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/v1/requests/{id}/ballots");
  EXPECT_EQ(m.params.at("id"), "ROOT-MGMT#20051118001");
}

TEST(Router, LiteralBeatsParameter) {
  Router r;
  r.add("GET", "/v1/log/{x}", ok);
  r.add("GET", "/v1/log/sth", ok);
  auto m = r.match("GET", "/v1/log/sth");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/v1/log/sth");
  EXPECT_EQ(r.match("GET", "/v1/log/7").route->pattern, "/v1/log/{x}");
}

TEST(Router, WrongMethodListsAllowed) {
  Router r;
  r.add("POST", "/v1/requests", ok);
  r.add("GET", "/v1/requests", ok);
  r.add("POST", "/v1/requests/{id}/ballots", ok);
  auto m = r.match("GET", "/v1/requests/x/ballots");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.allowed, std::vector<std::string>{"POST"});
  auto none = r.match("GET", "/v1/nothing");
  EXPECT_EQ(none.route, nullptr);
  EXPECT_TRUE(none.allowed.empty());
}

TEST(Router, EmptySegmentDoesNotMatchParameter) {
  Router r;
  r.add("GET", "/v1/requests/{id}", ok);
  EXPECT_EQ(r.match("GET", "/v1/requests/").route, nullptr);
  EXPECT_EQ(r.match("GET", "/v1/requests").route, nullptr);
}

TEST(Router, RejectsBadPatternsAndDuplicates) {
  Router r;
  r.add("GET", "/a/{b}", ok);
  EXPECT_THROW(r.add("GET", "/a/{b}", ok), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "a", ok), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/a/x{y}", ok), std::invalid_argument);
}

TEST(Request, ParsesQueryWithDecoding) {
  Request req;
  ASSERT_TRUE(parse_target("/v1/requests?state=awaiting&tld=br&awaiting=gov.br&x=a+b%21", req));
  EXPECT_EQ(req.path, "/v1/requests");
  EXPECT_EQ(req.query_param("state"), "awaiting");
  EXPECT_EQ(req.query_param("awaiting"), "gov.br");
  EXPECT_EQ(req.query_param("x"), "a b!");
  EXPECT_FALSE(req.query_param("nope"));
  Request bad;
  EXPECT_FALSE(parse_target("/v1?x=%zz", bad));
  EXPECT_FALSE(parse_target("/v1?x=%2", bad));
}

TEST(Request, QueryUintSaysWhatToFix) {
  Request req;
  ASSERT_TRUE(parse_target("/v1/log?from=12&bad=-1", req));
  EXPECT_EQ(*query_uint(req, "from", std::nullopt), 12u);
  EXPECT_EQ(*query_uint(req, "max", 5), 5u);
  auto bad = query_uint(req, "bad", std::nullopt);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().status, 400u);
  EXPECT_NE(bad.error().detail.find("'bad' must be a non-negative integer, got '-1'"), std::string::npos);
  auto missing = query_uint(req, "index", std::nullopt);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().detail.find("?index=N"), std::string::npos);
}

TEST(Request, PrefersReadsEveryPreferHeaderAsRfc7240Lists) {
  Request r;
  EXPECT_FALSE(r.prefers("return", "minimal"));
  r.headers = {{"prefer", "respond-async, wait=10"}};
  EXPECT_FALSE(r.prefers("return", "minimal"));
  EXPECT_TRUE(r.prefers("respond-async"));
  EXPECT_FALSE(r.prefers("wait"));  // the value is part of the preference
  r.headers.emplace_back("prefer", " Return = \"MINIMAL\" ; foo=bar");
  EXPECT_TRUE(r.prefers("return", "minimal"));
  EXPECT_FALSE(r.prefers("return", "representation"));
  r.headers = {{"prefer", "return=representation,return=minimal"}};
  EXPECT_TRUE(r.prefers("return", "minimal"));
  r.headers = {{"prefer", "return=minimalist"}, {"x-prefer", "return=minimal"}};
  EXPECT_FALSE(r.prefers("return", "minimal"));
}

TEST(Problem, BodyHasRfc9457Members) {
  auto p = Problem::make(409, "conflict", "refused in the current state", "request 'x' is already decided");
  p.extensions["awaiting"] = boost::json::array{"ntia"};
  Response r = p.to_response();
  EXPECT_EQ(r.status, 409u);
  EXPECT_EQ(r.content_type, "application/problem+json");
  auto v = boost::json::parse(r.body).as_object();
  EXPECT_EQ(v.at("type").as_string(), "urn:rootgov:problem:conflict");
  EXPECT_EQ(v.at("title").as_string(), "refused in the current state");
  EXPECT_EQ(v.at("status").as_int64(), 409);
  EXPECT_EQ(v.at("detail").as_string(), "request 'x' is already decided");
  EXPECT_EQ(v.at("awaiting").as_array().size(), 1u);
}

TEST(Problem, MapsDomainErrors) {
  EXPECT_EQ(problem_from(Error{Errc::invalid_input, "x"}).status, 400u);
  EXPECT_EQ(problem_from(Error{Errc::unauthorized, "x"}).status, 403u);
  EXPECT_EQ(problem_from(Error{Errc::not_found, "x"}).status, 404u);
  EXPECT_EQ(problem_from(Error{Errc::conflict, "x"}).status, 409u);
  EXPECT_EQ(problem_from(Error{Errc::check_failed, "x"}).status, 422u);
  EXPECT_EQ(problem_from(Error{Errc::io, "x"}).status, 503u);
  EXPECT_EQ(problem_from(Error{Errc::internal, "x"}).status, 500u);
  EXPECT_EQ(problem_from(Error{Errc::not_found, "no request 'y'"}).detail, "no request 'y'");
}

TEST(JsonBody, RefusesMalformedAndNonObjects) {
  Request r;
  r.body = "{\"a\": 1";
  auto bad = check_json_body(r);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().status, 400u);
  EXPECT_NE(bad.error().detail.find("not valid JSON"), std::string::npos);

  r.body = "[1,2]";
  auto arr = check_json_body(r);
  ASSERT_FALSE(arr);
  EXPECT_NE(arr.error().detail.find("must be a JSON object, not array"), std::string::npos);

  r.body = "";
  EXPECT_FALSE(check_json_body(r));

  r.body = "{\"a\": 1}";
  r.headers = {{"content-type", "text/plain"}};
  auto media = check_json_body(r);
  ASSERT_FALSE(media);
  EXPECT_EQ(media.error().status, 415u);

  r.headers = {{"content-type", "application/json; charset=utf-8"}};
  ASSERT_TRUE(check_json_body(r));

  // Whatever follows the object, and nesting past 64 levels, is refused as json::parse would.
  r.body = "{\"a\": 1} {}";
  auto extra = check_json_body(r);
  ASSERT_FALSE(extra);
  EXPECT_NE(extra.error().detail.find("not valid JSON"), std::string::npos) << extra.error().detail;
  r.body = std::string(65, '[') + std::string(65, ']');
  EXPECT_FALSE(check_json_body(r));
  r.body = "{\"a\": " + std::string(62, '[') + std::string(62, ']') + "}";
  EXPECT_TRUE(check_json_body(r));
  for (const char* scalar : {"1", "-1", "18446744073709551615", "1.5", "\"s\"", "true", "null"}) {
    r.body = scalar;
    auto refused = check_json_body(r);
    ASSERT_FALSE(refused) << scalar;
    EXPECT_NE(refused.error().detail.find("must be a JSON object, not"), std::string::npos) << scalar;
  }
}

}  // namespace
}  // namespace rootgov::daemon
