// The HTTP server in-process on 127.0.0.1 (ephemeral port), driven by a blocking Beast client.
#include "http_server.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include "api.hpp"
#include "event_hub.hpp"
#include "metrics.hpp"
#include "router.hpp"
#include "runtime.hpp"

namespace rootgov::daemon {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

/// A blocking client connection with a receive timeout, so a broken server fails the test
/// instead of hanging it.
class Client {
 public:
  explicit Client(std::uint16_t port) : m_socket(m_io) {
    m_socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    timeval tv{5, 0};
    ::setsockopt(m_socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }

  struct Reply {
    unsigned status = 0;
    std::string body;
    std::string content_type;
    bool keep_alive = false;
    http::fields headers;
    boost::json::object json() const { return boost::json::parse(body).as_object(); }
  };

  void send(http::verb verb, const std::string& target, const std::string& body = {},
            const std::string& content_type = "application/json",
            const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) req.insert(name, value);
    if (!body.empty()) {
      req.set(http::field::content_type, content_type);
      req.body() = body;
    }
    req.prepare_payload();
    http::write(m_socket, req);
  }

  Reply receive() {
    http::response<http::string_body> res;
    http::read(m_socket, m_buffer, res);
    Reply r;
    r.status = res.result_int();
    r.body = res.body();
    r.content_type = std::string(res[http::field::content_type]);
    r.keep_alive = res.keep_alive();
    r.headers = res.base();
    return r;
  }

  Reply request(http::verb verb, const std::string& target, const std::string& body = {},
                const std::string& content_type = "application/json") {
    send(verb, target, body, content_type);
    return receive();
  }

  void write_raw(std::string_view bytes) { asio::write(m_socket, asio::buffer(bytes)); }

  /// Reads until one of `needles` appears in what was received, or 5 s pass without data, or EOF.
  std::string read_until(const std::string& needle, const std::string& other = {}) {
    std::string got;
    char buf[4096];
    auto found = [&] {
      return got.find(needle) != std::string::npos || (!other.empty() && got.find(other) != std::string::npos);
    };
    while (!found()) {
      boost::system::error_code ec;
      std::size_t n = read_some_timed(buf, sizeof buf, ec);
      if (ec) break;
      got.append(buf, n);
    }
    return got;
  }

  /// True if the server closed the connection (EOF) within the receive timeout.
  bool closed_by_peer() {
    char c;
    boost::system::error_code ec;
    read_some_timed(&c, 1, ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

 private:
  // SO_RCVTIMEO alone does not bound a synchronous Asio read: the timed-out recv reports
  // EAGAIN and Asio then polls without a timeout. Poll here with the 5 s limit instead.
  std::size_t read_some_timed(char* buf, std::size_t size, boost::system::error_code& ec) {
    pollfd p{m_socket.native_handle(), POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) {
      ec = asio::error::timed_out;
      return 0;
    }
    return m_socket.read_some(asio::buffer(buf, size), ec);
  }

  asio::io_context m_io;
  tcp::socket m_socket;
  beast::flat_buffer m_buffer;
};

/// Records which thread runs authority handlers, whether they ran on the authority executor,
/// and whether two ever overlapped.
struct ProbeApi : UnwiredApi {
  Runtime* runtime = nullptr;  // set by ServerTest::start
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};
  std::atomic<bool> off_authority{false};  // a handler ran outside the authority executor
  std::mutex mutex;
  std::set<std::thread::id> threads;
  std::string last_body;

  ApiResult<Json> summary() override {
    if (inside.fetch_add(1) != 0) overlapped = true;
    if (!runtime->in_authority()) off_authority = true;
    std::this_thread::sleep_for(5ms);
    {
      std::lock_guard lock(mutex);
      threads.insert(std::this_thread::get_id());
    }
    inside.fetch_sub(1);
    return Json(boost::json::object{{"model", "us-status-quo"}});
  }
  ApiResult<RequestJson> submit_request(std::string_view body, bool minimal) override {
    last_body = std::string(body);
    asked_minimal.push_back(minimal);
    submit_thread = std::this_thread::get_id();
    submit_in_authority = runtime->in_authority();
    // The answer is made later, off the authority executor (RequestJson::render).
    RequestJson answer{{}, "ROOT-MGMT#20051118001", {}, {}};
    answer.render = [this] {
      std::lock_guard lock(mutex);
      render_thread = std::this_thread::get_id();
      render_in_authority = runtime->in_authority();
      ++renders;
      return std::string(R"({"id":"ROOT-MGMT#20051118001","decision":{"explanation":"in full"}})");
    };
    answer.render_minimal = [this] {
      std::lock_guard lock(mutex);
      ++minimal_renders;
      return std::string(R"({"id":"ROOT-MGMT#20051118001","state":"awaiting"})");
    };
    return answer;
  }
  int minimal_renders = 0;
  std::vector<bool> asked_minimal;  // submit_request's `minimal`, call by call
  std::thread::id submit_thread;
  std::thread::id render_thread;
  bool submit_in_authority = false;
  bool render_in_authority = true;
  int renders = 0;
  ApiResult<RequestJson> get_request(std::string_view id) override {
    return std::unexpected(problem_from(Error{Errc::not_found, "no request '" + std::string(id) + "'"}));
  }
};

class ServerTest : public ::testing::Test {
 protected:
  void start(ServerLimits limits = {}, AuthorityOwner owner = AuthorityOwner::strand) {
    m_runtime = std::make_unique<Runtime>(2, owner);
    m_api.runtime = m_runtime.get();
    register_core_routes(m_router, m_metrics);
    register_api_routes(m_router, m_api);
    m_router.add("GET", "/test/slow", [](const Request&) {
      std::this_thread::sleep_for(300ms);
      return Response::text("slow done");
    });
    m_router.add(
        "GET", "/test/slow-authority",
        [this](const Request&) {
          m_slow_authority_started = true;
          while (!m_release_slow_authority) std::this_thread::sleep_for(1ms);
          return Response::text("slow authority done");
        },
        Exec::authority);
    m_router.add("GET", "/test/throw", [](const Request&) -> Response { throw std::runtime_error("boom"); });
    m_server = std::make_unique<HttpServer>(*m_runtime, m_router, m_hub, m_metrics, limits);
    auto port = m_server->listen("127.0.0.1", 0);
    ASSERT_TRUE(port) << port.error().message;
    m_port = *port;
    m_server->start();
    m_runtime->start_background();
  }

  /// Drains; true if the server reported drained within `wait`.
  bool drain(std::chrono::milliseconds wait = 5s) {
    auto done = std::make_shared<std::promise<void>>();
    auto future = done->get_future();
    m_server->shutdown([done] { done->set_value(); });
    return future.wait_for(wait) == std::future_status::ready;
  }

  void TearDown() override {
    if (!m_server) return;
    EXPECT_TRUE(drain()) << "the server did not drain within 5 s";
    m_runtime->stop();
    m_runtime->join();
    m_server.reset();
    m_runtime.reset();
  }

  std::unique_ptr<Runtime> m_runtime;
  std::atomic<bool> m_slow_authority_started{false};
  std::atomic<bool> m_release_slow_authority{false};
  Router m_router;
  EventHub m_hub{64, 4};
  Metrics m_metrics;
  ProbeApi m_api;
  std::unique_ptr<HttpServer> m_server;
  std::uint16_t m_port = 0;
};

TEST(ResponseHead, StatusLineHeadersAndFraming) {
  Response r;
  r.status = 201;
  r.body = R"({"id":"x"})";
  r.headers = {{"Location", "/v1/requests/x"}, {"Preference-Applied", "return=minimal"}};
  EXPECT_EQ(response_head(r, true, 11),
            "HTTP/1.1 201 Created\r\nServer: rootgovd\r\nContent-Type: application/json\r\n"
            "Cache-Control: no-store\r\nLocation: /v1/requests/x\r\nPreference-Applied: return=minimal\r\n"
            "Content-Length: 10\r\n\r\n");
  // Closing: HTTP/1.1 says so; HTTP/1.0 keeps the connection only when asked to.
  Response p;
  p.status = 503;
  p.content_type = "application/problem+json";
  p.headers = {{"Retry-After", "1"}};
  EXPECT_EQ(response_head(p, false, 11),
            "HTTP/1.1 503 Service Unavailable\r\nServer: rootgovd\r\nContent-Type: application/problem+json\r\n"
            "Cache-Control: no-store\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(response_head(p, true, 10),
            "HTTP/1.0 503 Service Unavailable\r\nServer: rootgovd\r\nContent-Type: application/problem+json\r\n"
            "Cache-Control: no-store\r\nRetry-After: 1\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(response_head(p, false, 10).find("Connection"), std::string::npos);
  // An extra header replaces a default of the same name (any case); framing stays the server's.
  Response t = Response::text("zone\n", "text/dns");
  t.headers = {{"cache-control", "max-age=5"}, {"Content-Length", "999"}, {"Connection", "keep-alive"}};
  const std::string head = response_head(t, false, 11);
  EXPECT_EQ(head,
            "HTTP/1.1 200 OK\r\nServer: rootgovd\r\nContent-Type: text/dns\r\ncache-control: max-age=5\r\n"
            "Connection: close\r\nContent-Length: 5\r\n\r\n");
  // What a client's parser makes of head and body together.
  http::response_parser<http::string_body> parser;
  parser.eager(true);
  beast::error_code ec;
  const std::string wire = head + t.body;
  EXPECT_EQ(parser.put(asio::buffer(wire), ec), wire.size());
  ASSERT_FALSE(ec) << ec.message();
  ASSERT_TRUE(parser.is_done());
  EXPECT_EQ(parser.get().result_int(), 200u);
  EXPECT_EQ(parser.get().body(), "zone\n");
  EXPECT_FALSE(parser.get().keep_alive());
  EXPECT_EQ(parser.get()[http::field::cache_control], "max-age=5");
}

TEST_F(ServerTest, HealthAndKeepAlive) {
  start();
  Client c(m_port);
  auto r = c.request(http::verb::get, "/v1/health");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.json().at("status").as_string(), "ok");
  EXPECT_TRUE(r.keep_alive);
  auto again = c.request(http::verb::get, "/v1/health");  // same connection
  EXPECT_EQ(again.status, 200u);
}

TEST_F(ServerTest, UnknownRouteIs404WrongMethodIs405) {
  start();
  Client c(m_port);
  auto r = c.request(http::verb::get, "/v1/nope");
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.content_type, "application/problem+json");
  auto p = r.json();
  EXPECT_EQ(p.at("status").as_int64(), 404);
  EXPECT_EQ(p.at("type").as_string(), "urn:rootgov:problem:no-route");
  EXPECT_NE(std::string(p.at("detail").as_string()).find("GET '/v1/nope'"), std::string::npos);

  auto m = c.request(http::verb::delete_, "/v1/requests");
  EXPECT_EQ(m.status, 405u);
  EXPECT_EQ(m.headers[http::field::allow], "GET, POST");
  EXPECT_EQ(m.json().at("allowed").as_array().size(), 2u);
}

TEST_F(ServerTest, BadJsonIs400AndNothingReachesTheApi) {
  start();
  Client c(m_port);
  auto r = c.request(http::verb::post, "/v1/requests", "{\"document\": ");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.json().at("type").as_string(), "urn:rootgov:problem:bad-json");
  EXPECT_TRUE(m_api.last_body.empty());
  auto ok = c.request(http::verb::post, "/v1/requests", "{\"document\": {}, \"signature\": \"x\"}");
  EXPECT_EQ(ok.status, 201u);
  EXPECT_EQ(ok.headers[http::field::location], "/v1/requests/ROOT-MGMT#20051118001");
  EXPECT_EQ(m_api.last_body, "{\"document\": {}, \"signature\": \"x\"}");
  // The handler ran on the authority executor; the receipt was rendered once, after the
  // handler returned, outside it.
  EXPECT_EQ(ok.json().at("id").as_string(), "ROOT-MGMT#20051118001");
  std::lock_guard lock(m_api.mutex);
  EXPECT_TRUE(m_api.submit_in_authority);
  EXPECT_EQ(m_api.renders, 1);
  EXPECT_NE(m_api.render_thread, std::thread::id());
  EXPECT_FALSE(m_api.render_in_authority);
}

TEST_F(ServerTest, ReceiptsAreRenderedOffTheAuthorityThread) {
  start({}, AuthorityOwner::thread);
  Client c(m_port);
  auto ok = c.request(http::verb::post, "/v1/requests", "{\"document\": {}, \"signature\": \"x\"}");
  EXPECT_EQ(ok.status, 201u);
  std::lock_guard lock(m_api.mutex);
  EXPECT_TRUE(m_api.submit_in_authority);
  EXPECT_EQ(m_api.renders, 1);
  EXPECT_FALSE(m_api.render_in_authority);
  EXPECT_NE(m_api.render_thread, m_api.submit_thread);  // the render ran on an I/O thread
}

TEST_F(ServerTest, PreferReturnMinimalGetsTheMinimalReceipt) {
  start();
  Client c(m_port);
  const std::string doc = "{\"document\": {}, \"signature\": \"x\"}";
  c.send(http::verb::post, "/v1/requests", doc, "application/json", {{"Prefer", "return=minimal"}});
  auto minimal = c.receive();
  EXPECT_EQ(minimal.status, 201u);
  EXPECT_EQ(minimal.headers["Preference-Applied"], "return=minimal");
  EXPECT_EQ(minimal.headers[http::field::location], "/v1/requests/ROOT-MGMT#20051118001");
  EXPECT_EQ(minimal.body, R"({"id":"ROOT-MGMT#20051118001","state":"awaiting"})");
  // Without the preference (or with another one) the full representation, as before.
  c.send(http::verb::post, "/v1/requests", doc, "application/json", {{"Prefer", "return=representation"}});
  auto full = c.receive();
  EXPECT_EQ(full.status, 201u);
  EXPECT_EQ(full.headers.count("Preference-Applied"), 0u);
  EXPECT_TRUE(full.json().contains("decision"));
  std::lock_guard lock(m_api.mutex);
  EXPECT_EQ(m_api.minimal_renders, 1);
  EXPECT_EQ(m_api.renders, 1);
  // The handler was told which form the client wants, so the authority can skip wording.
  EXPECT_EQ(m_api.asked_minimal, (std::vector<bool>{true, false}));
}

TEST_F(ServerTest, ApiProblemsAndUnwiredEndpoints) {
  start();
  Client c(m_port);
  auto nf = c.request(http::verb::get, "/v1/requests/ROOT-MGMT%23x");
  EXPECT_EQ(nf.status, 404u);
  EXPECT_EQ(nf.json().at("detail").as_string(), "no request 'ROOT-MGMT#x'");
  auto unwired = c.request(http::verb::get, "/v1/zone");
  EXPECT_EQ(unwired.status, 501u);
  auto proof = c.request(http::verb::get, "/v1/log/proof/inclusion?index=1");
  EXPECT_EQ(proof.status, 400u);
  EXPECT_NE(std::string(proof.json().at("detail").as_string()).find("'size'"), std::string::npos);
}

TEST_F(ServerTest, HandlerExceptionIs500AndConnectionSurvives) {
  start();
  Client c(m_port);
  auto r = c.request(http::verb::get, "/test/throw");
  EXPECT_EQ(r.status, 500u);
  EXPECT_EQ(c.request(http::verb::get, "/v1/health").status, 200u);
}

TEST_F(ServerTest, OversizedBodyIs413AndTheNextClientIsServed) {
  ServerLimits limits;
  limits.body_limit = 1024;
  start(limits);
  {
    Client big(m_port);
    auto r = big.request(http::verb::post, "/v1/requests", std::string(4096, 'x'));
    EXPECT_EQ(r.status, 413u);
    EXPECT_EQ(r.json().at("type").as_string(), "urn:rootgov:problem:body-too-large");
    EXPECT_NE(std::string(r.json().at("detail").as_string()).find("1024 bytes"), std::string::npos);
    EXPECT_FALSE(r.keep_alive);
  }
  {
    // Chunked body: the limit applies while reading.
    Client chunked(m_port);
    chunked.write_raw("POST /v1/requests HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" +
                      std::string(2048, 'y') + "\r\n0\r\n\r\n");
    EXPECT_EQ(chunked.receive().status, 413u);
  }
  Client next(m_port);
  EXPECT_EQ(next.request(http::verb::get, "/v1/health").status, 200u);
}

TEST_F(ServerTest, OversizedHeaderIs431) {
  ServerLimits limits;
  limits.header_limit = 1024;
  start(limits);
  Client c(m_port);
  c.write_raw("GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n");
  EXPECT_EQ(c.receive().status, 431u);
  Client next(m_port);
  EXPECT_EQ(next.request(http::verb::get, "/v1/health").status, 200u);
}

TEST_F(ServerTest, MalformedHttpIs400) {
  start();
  Client c(m_port);
  c.write_raw("GARBAGE\r\n\r\n");
  auto r = c.receive();
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.content_type, "application/problem+json");
}

TEST_F(ServerTest, IdleConnectionIsClosedAfterTimeout) {
  ServerLimits limits;
  limits.idle_timeout = 200ms;
  start(limits);
  Client c(m_port);
  EXPECT_EQ(c.request(http::verb::get, "/v1/health").status, 200u);
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.closed_by_peer());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
}

TEST_F(ServerTest, OverConnectionLimitGets503OthersKeepWorking) {
  ServerLimits limits;
  limits.max_connections = 2;
  start(limits);
  Client a(m_port);
  Client b(m_port);
  EXPECT_EQ(a.request(http::verb::get, "/v1/health").status, 200u);
  EXPECT_EQ(b.request(http::verb::get, "/v1/health").status, 200u);
  Client over(m_port);
  auto r = over.request(http::verb::get, "/v1/health");
  EXPECT_EQ(r.status, 503u);
  EXPECT_EQ(r.headers[http::field::retry_after], "1");
  EXPECT_EQ(a.request(http::verb::get, "/v1/health").status, 200u);
  EXPECT_NE(m_metrics.render().find("rootgov_http_connections_rejected_total 1"), std::string::npos);
}

/// Four clients calling an authority route at once: every call on the authority executor, one at
/// a time.
void hammer_summary(int port, ProbeApi& api) {
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back([&] {
      Client c(port);
      for (int j = 0; j < 5; ++j) {
        if (c.request(http::verb::get, "/v1/summary").status == 200u) ++ok;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), 20);
  EXPECT_FALSE(api.overlapped.load());
  EXPECT_FALSE(api.off_authority.load());
}

TEST_F(ServerTest, AuthorityHandlersRunOneAtATimeOnTheStrand) {
  start();
  ASSERT_EQ(m_runtime->authority_owner(), AuthorityOwner::strand);
  hammer_summary(m_port, m_api);
  // The strand's calls run on the I/O threads; no thread is the authority's.
  std::lock_guard lock(m_api.mutex);
  EXPECT_GE(m_api.threads.size(), 1u);
  EXPECT_LE(m_api.threads.size(), 2u);
}

TEST_F(ServerTest, ASlowAuthorityCallLeavesTheOtherIoThreadServing) {
  start();
  Client busy(m_port);
  busy.send(http::verb::get, "/test/slow-authority");
  while (!m_slow_authority_started) std::this_thread::sleep_for(1ms);
  // One I/O thread is inside the authority strand; the other answers meanwhile.
  Client other(m_port);
  EXPECT_EQ(other.request(http::verb::get, "/v1/health").status, 200u);
  m_release_slow_authority = true;
  auto r = busy.receive();
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, "slow authority done");
}

TEST_F(ServerTest, AuthorityHandlersRunSerializedOnItsOwnThread) {
  start({}, AuthorityOwner::thread);
  hammer_summary(m_port, m_api);
  std::lock_guard lock(m_api.mutex);
  EXPECT_EQ(m_api.threads.size(), 1u);
}

TEST_F(ServerTest, EventsReachEverySubscriberAndResume) {
  start();
  Client a(m_port);
  Client b(m_port);
  a.send(http::verb::get, "/v1/events");
  b.send(http::verb::get, "/v1/events");
  EXPECT_NE(a.read_until(": connected").find("Content-Type: text/event-stream"), std::string::npos);
  b.read_until(": connected");
  for (int i = 0; i < 50 && m_hub.subscribers() < 2; ++i) std::this_thread::sleep_for(10ms);
  m_hub.publish("submitted", "{\"id\":\"r1\"}");
  m_hub.publish("decided", "{\"id\":\"r1\",\"outcome\":\"approved\"}");
  auto got_a = a.read_until("outcome");
  auto got_b = b.read_until("outcome");
  EXPECT_NE(got_a.find("id: 1\nevent: submitted\ndata: {\"id\":\"r1\"}\n\n"), std::string::npos) << got_a;
  EXPECT_NE(got_a.find("id: 2\nevent: decided\n"), std::string::npos) << got_a;
  EXPECT_NE(got_b.find("event: decided"), std::string::npos) << got_b;

  // Resume after id 1 via Last-Event-ID: only event 2 is replayed.
  Client c(m_port);
  c.write_raw("GET /v1/events HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 1\r\n\r\n");
  auto got_c = c.read_until("outcome");
  EXPECT_EQ(got_c.find("event: submitted"), std::string::npos) << got_c;
  EXPECT_NE(got_c.find("id: 2\n"), std::string::npos) << got_c;
  // ?from=1 replays both.
  Client d(m_port);
  d.send(http::verb::get, "/v1/events?from=1");
  EXPECT_NE(d.read_until("outcome").find("event: submitted"), std::string::npos);
}

TEST_F(ServerTest, SlowEventClientIsDropped) {
  start();  // queue limit 4 (fixture hub)
  Client slow(m_port);
  slow.send(http::verb::get, "/v1/events");
  slow.read_until(": connected");
  for (int i = 0; i < 50 && m_hub.subscribers() < 1; ++i) std::this_thread::sleep_for(10ms);
  // Publish faster than the consumer can be woken: the queue limit is hit at once.
  for (int i = 0; i < 10; ++i) m_hub.publish("e", std::string(100, 'z'));
  auto got = slow.read_until("event: overflow", "id: 10\n");
  bool dropped = got.find("event: overflow") != std::string::npos;
  // Either the stream was cut for overflow, or the server kept up with every event.
  if (!dropped) {
    EXPECT_NE(got.find("id: 10\n"), std::string::npos);
  } else {
    EXPECT_TRUE(slow.closed_by_peer());
  }
  Client next(m_port);
  EXPECT_EQ(next.request(http::verb::get, "/v1/health").status, 200u);
}

TEST_F(ServerTest, MetricsEndpointShowsRequests) {
  start();
  Client c(m_port);
  c.request(http::verb::get, "/v1/health");
  auto r = c.request(http::verb::get, "/metrics");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(r.body.find("rootgov_http_requests_total{method=\"GET\",route=\"/v1/health\",status=\"200\"} 1"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("# TYPE rootgov_http_request_duration_seconds histogram"), std::string::npos);
  EXPECT_NE(r.body.find("rootgov_http_connections 1"), std::string::npos) << r.body;
}

TEST_F(ServerTest, MetricsCountEachMethodRouteAndStatusApart) {
  // The server keeps each (method, route, status)'s metrics once looked up: repeated requests
  // must land on the same series, and another status or route on its own.
  start();
  Client c(m_port);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c.request(http::verb::get, "/v1/health").status, 200u);
  EXPECT_EQ(c.request(http::verb::get, "/test/throw").status, 500u);
  EXPECT_EQ(c.request(http::verb::get, "/test/throw").status, 500u);
  auto r = c.request(http::verb::get, "/metrics");
  EXPECT_NE(r.body.find("rootgov_http_requests_total{method=\"GET\",route=\"/v1/health\",status=\"200\"} 3\n"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("rootgov_http_requests_total{method=\"GET\",route=\"/test/throw\",status=\"500\"} 2\n"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("rootgov_http_request_duration_seconds_count{route=\"/v1/health\"} 3\n"), std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("rootgov_http_request_duration_seconds_count{route=\"/test/throw\"} 2\n"), std::string::npos)
      << r.body;
}

TEST_F(ServerTest, ShutdownDrainsInFlightRequests) {
  start();
  Client idle(m_port);
  EXPECT_EQ(idle.request(http::verb::get, "/v1/health").status, 200u);
  Client busy(m_port);
  busy.send(http::verb::get, "/test/slow");
  std::this_thread::sleep_for(50ms);  // the slow handler is running
  auto drained = std::async(std::launch::async, [this] { return drain(); });
  auto r = busy.receive();
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, "slow done");
  EXPECT_FALSE(r.keep_alive);  // draining: Connection: close
  EXPECT_TRUE(idle.closed_by_peer());
  EXPECT_TRUE(drained.get());
  EXPECT_THROW(Client late(m_port), boost::system::system_error);
}

TEST_F(ServerTest, IndexListsEndpoints) {
  start();
  Client c(m_port);
  auto r = c.request(http::verb::get, "/v1");
  ASSERT_EQ(r.status, 200u);
  auto endpoints = r.json().at("endpoints").as_array();
  bool has_ballots = false;
  for (const auto& e : endpoints) has_ballots = has_ballots || e.at("path").as_string() == "/v1/requests/{id}/ballots";
  EXPECT_TRUE(has_ballots);
}

}  // namespace
}  // namespace rootgov::daemon
