// The server's HTTP/1.1 behaviour over real sockets: curl where a real
// client would do, a raw socket for the rest.

#include "emulator/http/http_server.h"

#include <sys/socket.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/emulator/http/http_test_util.h"

namespace hubspot_emulator {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using testing_http::BodyOf;
using testing_http::CurlClient;
using testing_http::CurlRequest;
using testing_http::CurlResult;
using testing_http::Echo;
using testing_http::Get;
using testing_http::HeldRequests;
using testing_http::Post;
using testing_http::RawClient;
using testing_http::StartServer;
using testing_http::StatusLine;
using testing_http::Url;

TEST(HttpServerTest, GetRoundTrip) {
  auto server = StartServer({}, Echo);
  ASSERT_NE(server, nullptr);
  EXPECT_GT(server->port(), 0);
  CurlClient client;
  CurlResult r =
      client.Fetch(Get(Url(*server, "/crm/v3/imports?after=5&limit=10"),
                       {"X-Custom-Header: Some Value"}));
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body,
              StartsWith("GET /crm/v3/imports?after=5&limit=10 tls=0\n"));
  // Names arrive lower-case, values as sent.
  EXPECT_THAT(r.body, HasSubstr("\nx-custom-header: Some Value\n"));
  EXPECT_EQ(r.Header("X-Echo"), "yes");
  EXPECT_EQ(r.Header("Content-Length"), std::to_string(r.body.size()));
  EXPECT_EQ(r.Header("Connection"), "keep-alive");
  ASSERT_TRUE(r.Header("Date").has_value());
  EXPECT_THAT(*r.Header("Date"), testing::EndsWith(" GMT"));
  EXPECT_THAT(r.headers, StartsWith("HTTP/1.1 200 OK\r\n"));
}

TEST(HttpServerTest, PostRoundTrip) {
  auto server = StartServer({}, Echo);
  ASSERT_NE(server, nullptr);
  CurlClient client;
  const std::string body = "{\"name\":\"contacts import\"}";
  CurlResult r = client.Fetch(Post(Url(*server, "/crm/v3/imports"), body,
                                   {"Content-Type: application/json"}));
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body, StartsWith("POST /crm/v3/imports? tls=0\n"));
  EXPECT_THAT(r.body, HasSubstr("content-type: application/json\n"));
  EXPECT_THAT(r.body, testing::EndsWith("\n\n" + body));
}

TEST(HttpServerTest, StatusHeadersAndReasonPhrase) {
  auto server = StartServer({}, [](HttpRequest, Responder respond) {
    HttpResponse response;
    response.status = 429;
    // The server's own framing headers win over the handler's.
    response.headers = {{"Retry-After", "3"},
                        {"Content-Length", "99999"},
                        {"Connection", "upgrade"}};
    response.body = "slow down";
    std::move(respond)(std::move(response));
  });
  ASSERT_NE(server, nullptr);
  RawClient raw(server->port());
  ASSERT_TRUE(raw.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string response = raw.ReadResponse();
  EXPECT_EQ(StatusLine(response), "HTTP/1.1 429 Too Many Requests");
  EXPECT_THAT(response, HasSubstr("\r\nRetry-After: 3\r\n"));
  EXPECT_THAT(response, HasSubstr("\r\nContent-Length: 9\r\n"));
  EXPECT_THAT(response, HasSubstr("\r\nConnection: keep-alive\r\n"));
  EXPECT_THAT(response, Not(HasSubstr("99999")));
  EXPECT_THAT(response, Not(HasSubstr("upgrade")));
  EXPECT_EQ(BodyOf(response), "slow down");
}

TEST(HttpServerTest, KeepAliveReusesTheConnection) {
  auto server = StartServer({}, Echo);
  ASSERT_NE(server, nullptr);
  CurlClient client;
  for (int i = 0; i < 3; ++i) {
    CurlResult r = client.Fetch(Post(Url(*server, "/again"), "x"));
    ASSERT_EQ(r.code, CURLE_OK) << r.error;
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.num_connects, i == 0 ? 1 : 0) << "request " << i;
  }
}

TEST(HttpServerTest, ChunkedRequestBodyIsDechunked) {
  auto server = StartServer({}, Echo);
  ASSERT_NE(server, nullptr);
  std::string body;
  for (int i = 0; i < 5000; ++i) absl::StrAppend(&body, i, ",");
  CurlClient client;
  CurlRequest request = Post(Url(*server, "/upload"), body);
  request.chunked = true;
  CurlResult r = client.Fetch(request);
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body, HasSubstr("transfer-encoding: chunked\n"));
  EXPECT_THAT(r.body, testing::EndsWith("\n\n" + body));
}

TEST(HttpServerTest, ChunkExtensionsAndTrailersAreIgnored) {
  auto server = StartServer({}, Echo);
  ASSERT_NE(server, nullptr);
  RawClient raw(server->port());
  ASSERT_TRUE(raw.Send(
      "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;name=value\r\nhello\r\n"
      "7\r\n, world\r\n"
      "0\r\nX-Checksum: abc\r\n\r\n"));
  const std::string response = raw.ReadResponse();
  EXPECT_EQ(StatusLine(response), "HTTP/1.1 200 OK");
  EXPECT_THAT(BodyOf(response), testing::EndsWith("\n\nhello, world"));
  EXPECT_THAT(BodyOf(response), Not(HasSubstr("x-checksum")));
}

TEST(HttpServerTest, ExpectContinueGetsContinueBeforeTheBody) {
  auto server = StartServer({}, Echo);
  ASSERT_NE(server, nullptr);
  RawClient raw(server->port());
  ASSERT_TRUE(
      raw.Send("POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
               "Expect: 100-continue\r\n\r\n"));
  // Nothing of the body is sent until the server says so.
  EXPECT_EQ(raw.ReadResponse(), "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(raw.Send("hello"));
  const std::string response = raw.ReadResponse();
  EXPECT_EQ(StatusLine(response), "HTTP/1.1 200 OK");
  EXPECT_THAT(BodyOf(response), testing::EndsWith("\n\nhello"));
}

TEST(HttpServerTest, CurlWaitsForContinue) {
  auto server = StartServer({}, Echo);
  ASSERT_NE(server, nullptr);
  const std::string body(2 << 20, 'b');
  CurlClient client;
  // Were the 100 Continue missing, curl would still send the body once this
  // ran out, and the test would only be slow; the raw test above is the
  // strict one.
  CurlRequest request =
      Post(Url(*server, "/e"), body, {"Expect: 100-continue"});
  request.expect_100_timeout_ms = 60000;
  CurlResult r = client.Fetch(request);
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_THAT(r.headers, StartsWith("HTTP/1.1 100 Continue\r\n"));
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body, testing::EndsWith("\n\n" + body));
}

TEST(HttpServerTest, TooLargeContentLengthIsRefusedBeforeTheBody) {
  HttpServerOptions options;
  options.max_body_bytes = 1000;
  std::atomic<bool> called{false};
  auto server = StartServer(options, [&called](HttpRequest, Responder r) {
    called = true;
    std::move(r)(HttpResponse());
  });
  ASSERT_NE(server, nullptr);
  {
    RawClient raw(server->port());
    ASSERT_TRUE(
        raw.Send("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n"
                 "Expect: 100-continue\r\n\r\n"));
    // No 100 Continue for a body that is refused anyway.
    const std::string response = raw.ReadResponse();
    EXPECT_EQ(StatusLine(response), "HTTP/1.1 413 Content Too Large");
    EXPECT_THAT(response, HasSubstr("\r\nConnection: close\r\n"));
    EXPECT_THAT(BodyOf(response), HasSubstr("1001"));
    EXPECT_TRUE(raw.WaitForClose());
  }
  // curl sends the body along, which the server reads past while closing.
  CurlClient client;
  CurlResult r =
      client.Fetch(Post(Url(*server, "/big"), std::string(1001, 'x')));
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.status, 413);
  r = client.Fetch(Post(Url(*server, "/ok"), std::string(1000, 'x')));
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(called);
}

TEST(HttpServerTest, TooLargeChunkedBodyIsRefused) {
  HttpServerOptions options;
  options.max_body_bytes = 10;
  auto server = StartServer(options, Echo);
  ASSERT_NE(server, nullptr);
  RawClient raw(server->port());
  ASSERT_TRUE(raw.Send(
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "6\r\nabcdef\r\n5\r\nghijk\r\n0\r\n\r\n"));
  EXPECT_EQ(StatusLine(raw.ReadResponse()), "HTTP/1.1 413 Content Too Large");
  EXPECT_TRUE(raw.WaitForClose());
}

TEST(HttpServerTest, TooLargeHeadersGet431) {
  HttpServerOptions options;
  options.max_header_bytes = 1024;
  auto server = StartServer(options, Echo);
  ASSERT_NE(server, nullptr);
  CurlClient client;
  CurlResult r = client.Fetch(
      Get(Url(*server, "/"), {"X-Big: " + std::string(2000, 'h')}));
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(r.Header("Connection"), "close");
  // Just under the limit is fine.
  r = client.Fetch(Get(Url(*server, "/"), {"X-Big: " + std::string(800, 'h')}));
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.status, 200);
}

TEST(HttpServerTest, GarbageGets400AndClose) {
  auto server = StartServer({}, Echo);
  ASSERT_NE(server, nullptr);
  for (const char* garbage :
       {"garbage\r\n\r\n", "GET /\r\n\r\n",
        "GET / HTTP/1.1\r\nNo colon\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\n\r\n",
        "POST / HTTP/1.1\r\nContent-Length: 3\r\n"
        "Transfer-Encoding: chunked\r\n\r\n",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"}) {
    RawClient raw(server->port());
    ASSERT_TRUE(raw.Send(garbage));
    const std::string response = raw.ReadResponse();
    EXPECT_EQ(StatusLine(response), "HTTP/1.1 400 Bad Request") << garbage;
    EXPECT_THAT(response, HasSubstr("\r\nConnection: close\r\n"));
    EXPECT_TRUE(raw.WaitForClose()) << garbage;
  }
}

TEST(HttpServerTest, ErrorResponderShapesTheServersOwnAnswers) {
  HttpServerOptions options;
  options.error_response = [](int status, absl::string_view message) {
    HttpResponse response;
    response.status = status;
    response.headers = {{"Content-Type", "application/json"}};
    response.body =
        absl::StrCat("{\"status\":\"error\",\"message\":\"", message, "\"}");
    return response;
  };
  auto server = StartServer(options, Echo);
  ASSERT_NE(server, nullptr);
  RawClient raw(server->port());
  ASSERT_TRUE(raw.Send("nonsense\r\n\r\n"));
  const std::string response = raw.ReadResponse();
  EXPECT_EQ(StatusLine(response), "HTTP/1.1 400 Bad Request");
  EXPECT_THAT(response, HasSubstr("Content-Type: application/json\r\n"));
  EXPECT_THAT(BodyOf(response), StartsWith("{\"status\":\"error\""));
}

TEST(HttpServerTest, ConnectionCloseIsHonoured) {
  auto server = StartServer({}, Echo);
  ASSERT_NE(server, nullptr);
  CurlClient client;
  for (int i = 0; i < 2; ++i) {
    CurlResult r = client.Fetch(Get(Url(*server, "/"), {"Connection: close"}));
    ASSERT_EQ(r.code, CURLE_OK) << r.error;
    EXPECT_EQ(r.Header("Connection"), "close");
    EXPECT_EQ(r.num_connects, 1) << "request " << i;
  }
  RawClient raw(server->port());
  ASSERT_TRUE(raw.Send("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"));
  EXPECT_EQ(StatusLine(raw.ReadResponse()), "HTTP/1.1 200 OK");
  EXPECT_TRUE(raw.WaitForClose());
}

TEST(HttpServerTest, Http10ClosesUnlessAskedToKeepAlive) {
  auto server = StartServer({}, Echo);
  ASSERT_NE(server, nullptr);
  {
    RawClient raw(server->port());
    ASSERT_TRUE(raw.Send("GET /old HTTP/1.0\r\n\r\n"));
    const std::string response = raw.ReadResponse();
    EXPECT_EQ(StatusLine(response), "HTTP/1.1 200 OK");
    EXPECT_THAT(response, HasSubstr("\r\nConnection: close\r\n"));
    EXPECT_TRUE(raw.WaitForClose());
  }
  RawClient raw(server->port());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(
        raw.Send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    const std::string response = raw.ReadResponse();
    EXPECT_EQ(StatusLine(response), "HTTP/1.1 200 OK");
    EXPECT_THAT(response, HasSubstr("\r\nConnection: keep-alive\r\n"));
  }
}

TEST(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  HeldRequests held;
  auto server = StartServer({}, held.handler());
  ASSERT_NE(server, nullptr);
  RawClient raw(server->port());
  ASSERT_TRUE(
      raw.Send("POST /1 HTTP/1.1\r\nContent-Length: 3\r\n\r\none"
               "GET /2 HTTP/1.1\r\n\r\n"
               "GET /3 HTTP/1.1\r\n\r\n"));
  for (const char* path : {"/1", "/2", "/3"}) {
    auto request = held.Next();
    ASSERT_TRUE(request.has_value());
    EXPECT_EQ(request->first.path, path);
    HttpResponse response;
    response.body = path;
    std::move(request->second)(std::move(response));
    EXPECT_EQ(BodyOf(raw.ReadResponse()), path);
  }
}

TEST(HttpServerTest, HeadAnnouncesTheLengthWithoutTheBody) {
  auto server = StartServer({}, [](HttpRequest, Responder respond) {
    HttpResponse response;
    response.body = "0123456789";
    std::move(respond)(std::move(response));
  });
  ASSERT_NE(server, nullptr);
  RawClient raw(server->port());
  ASSERT_TRUE(raw.Send("HEAD / HTTP/1.1\r\nConnection: close\r\n\r\n"));
  EXPECT_TRUE(raw.WaitForClose());
  EXPECT_THAT(raw.rest(), StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(raw.rest(), HasSubstr("\r\nContent-Length: 10\r\n"));
  EXPECT_THAT(raw.rest(), testing::EndsWith("\r\n\r\n"));
}

TEST(HttpServerTest, ResponseFromAnotherThreadAfterAWhile) {
  HeldRequests held;
  auto server = StartServer({}, held.handler());
  ASSERT_NE(server, nullptr);
  std::thread answerer([&held] {
    auto request = held.Next();
    if (!request.has_value()) return;
    // Long after the handler returned, from a thread the server never saw.
    absl::SleepFor(absl::Milliseconds(100));
    HttpResponse response;
    response.status = 201;
    response.body = "later";
    std::move(request->second)(std::move(response));
  });
  CurlClient client;
  CurlResult r = client.Fetch(Get(Url(*server, "/slow")));
  answerer.join();
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, "later");
}

TEST(HttpServerTest, DroppedResponderAnswers500) {
  auto server = StartServer({}, [](HttpRequest, Responder) {});
  ASSERT_NE(server, nullptr);
  CurlClient client;
  CurlResult r = client.Fetch(Get(Url(*server, "/")));
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.status, 500);
}

TEST(HttpServerTest, ResponderAfterTheClientLeftIsHarmless) {
  HeldRequests held;
  auto server = StartServer({}, held.handler());
  ASSERT_NE(server, nullptr);
  {
    auto raw = std::make_unique<RawClient>(server->port());
    ASSERT_TRUE(raw->Send("GET /gone HTTP/1.1\r\n\r\n"));
    auto request = held.Next();
    ASSERT_TRUE(request.has_value());
    raw.reset();
    HttpResponse response;
    response.body = std::string(1 << 20, 'z');
    std::move(request->second)(std::move(response));
  }
  // Still serving.
  std::thread answerer([&held] {
    if (auto request = held.Next()) std::move(request->second)(HttpResponse());
  });
  CurlClient client;
  CurlResult r = client.Fetch(Get(Url(*server, "/still")));
  answerer.join();
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.status, 200);
}

TEST(HttpServerTest, ResponderAfterTheServerIsGoneIsHarmless) {
  HeldRequests held;
  auto server = StartServer({}, held.handler());
  ASSERT_NE(server, nullptr);
  RawClient raw(server->port());
  ASSERT_TRUE(raw.Send("GET / HTTP/1.1\r\n\r\n"));
  auto request = held.Next();
  ASSERT_TRUE(request.has_value());
  server.reset();
  EXPECT_TRUE(raw.WaitForClose());
  std::move(request->second)(HttpResponse());
}

TEST(HttpServerTest, ServerStopsWithRequestsInFlight) {
  absl::Notification release;
  HttpServerOptions options;
  options.worker_threads = 1;
  auto server =
      StartServer(options, [&release](HttpRequest, Responder respond) {
        release.WaitForNotificationWithTimeout(testing_http::kPatience);
        std::move(respond)(HttpResponse());
      });
  ASSERT_NE(server, nullptr);
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 5; ++i) {
    clients.push_back(std::make_unique<RawClient>(server->port()));
    ASSERT_TRUE(clients.back()->Send("GET / HTTP/1.1\r\n\r\n"));
  }
  std::thread stopper([&release] {
    absl::SleepFor(absl::Milliseconds(50));
    release.Notify();
  });
  server.reset();  // one handler running, others queued: dropped
  stopper.join();
  for (auto& client : clients) EXPECT_TRUE(client->WaitForClose());
}

TEST(HttpServerTest, IdleConnectionsAreClosed) {
  HttpServerOptions options;
  options.idle_timeout = absl::Milliseconds(100);
  auto server = StartServer(options, Echo);
  ASSERT_NE(server, nullptr);
  RawClient fresh(server->port());
  RawClient used(server->port());
  ASSERT_TRUE(used.Send("GET / HTTP/1.1\r\n\r\n"));
  EXPECT_EQ(StatusLine(used.ReadResponse()), "HTTP/1.1 200 OK");
  EXPECT_TRUE(fresh.WaitForClose());
  EXPECT_TRUE(used.WaitForClose());
}

TEST(HttpServerTest, WaitingForTheHandlerIsNotIdle) {
  HttpServerOptions options;
  options.idle_timeout = absl::Milliseconds(50);
  HeldRequests held;
  auto server = StartServer(options, held.handler());
  ASSERT_NE(server, nullptr);
  RawClient raw(server->port());
  ASSERT_TRUE(raw.Send("GET / HTTP/1.1\r\n\r\n"));
  auto request = held.Next();
  ASSERT_TRUE(request.has_value());
  absl::SleepFor(absl::Milliseconds(300));  // several idle timeouts
  HttpResponse response;
  response.body = "worth the wait";
  std::move(request->second)(std::move(response));
  EXPECT_EQ(BodyOf(raw.ReadResponse()), "worth the wait");
}

TEST(HttpServerTest, ConnectionsBeyondTheLimitAreClosed) {
  HttpServerOptions options;
  options.max_connections = 1;
  auto server = StartServer(options, Echo);
  ASSERT_NE(server, nullptr);
  RawClient first(server->port());
  ASSERT_TRUE(first.Send("GET / HTTP/1.1\r\n\r\n"));
  EXPECT_EQ(StatusLine(first.ReadResponse()), "HTTP/1.1 200 OK");
  RawClient second(server->port());
  ASSERT_TRUE(second.connected());
  EXPECT_TRUE(second.WaitForClose());
  EXPECT_EQ(second.rest(), "");
  // The first one is still served.
  ASSERT_TRUE(first.Send("GET / HTTP/1.1\r\n\r\n"));
  EXPECT_EQ(StatusLine(first.ReadResponse()), "HTTP/1.1 200 OK");
}

TEST(HttpServerTest, StartFailsOnABusyPort) {
  auto first = StartServer({}, Echo);
  ASSERT_NE(first, nullptr);
  HttpServerOptions options;
  options.port = first->port();
  auto second = HttpServer::Start(options, Echo);
  ASSERT_FALSE(second.ok());
  EXPECT_THAT(std::string(second.status().message()),
              HasSubstr(absl::StrCat("127.0.0.1:", first->port())));
}

TEST(HttpServerTest, StartRequiresAHandler) {
  EXPECT_FALSE(HttpServer::Start({}, nullptr).ok());
}

}  // namespace
}  // namespace hubspot_emulator
