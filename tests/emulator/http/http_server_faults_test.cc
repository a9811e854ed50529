// Fault shaping: how HttpResponse's delay, drop, truncate_body_at and slow
// delivery look to a real client.

#include <string>
#include <utility>

#include "absl/time/time.h"
#include "emulator/http/http_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/emulator/http/http_test_util.h"

namespace hubspot_emulator {
namespace {

using testing_http::CurlClient;
using testing_http::CurlResult;
using testing_http::Get;
using testing_http::RawClient;
using testing_http::StartServer;
using testing_http::Url;

// A server answering every request with `response`.
std::unique_ptr<HttpServer> Answering(HttpResponse response) {
  return StartServer({}, [response](HttpRequest, Responder respond) {
    std::move(respond)(response);
  });
}

std::string Digits(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out.push_back(static_cast<char>('0' + i % 10));
  return out;
}

TEST(HttpServerFaultsTest, DelayHoldsTheAnswerBack) {
  HttpResponse response;
  response.body = "eventually";
  response.delay = absl::Milliseconds(200);
  auto server = Answering(response);
  ASSERT_NE(server, nullptr);
  CurlClient client;
  CurlResult r = client.Fetch(Get(Url(*server, "/")));
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.body, "eventually");
  EXPECT_GE(r.elapsed, absl::Milliseconds(200));
  // The connection stays usable.
  r = client.Fetch(Get(Url(*server, "/")));
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.num_connects, 0);
}

TEST(HttpServerFaultsTest, DelayedAnswersDoNotHoldUpOthers) {
  auto server = StartServer({}, [](HttpRequest request, Responder respond) {
    HttpResponse response;
    if (request.path == "/slow") response.delay = absl::Seconds(30);
    response.body = request.path;
    std::move(respond)(std::move(response));
  });
  ASSERT_NE(server, nullptr);
  RawClient slow(server->port());
  ASSERT_TRUE(slow.Send("GET /slow HTTP/1.1\r\n\r\n"));
  CurlClient client;
  CurlResult r = client.Fetch(Get(Url(*server, "/fast")));
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.body, "/fast");
  EXPECT_LT(r.elapsed, absl::Seconds(30));
}

TEST(HttpServerFaultsTest, DropClosesWithoutAnswering) {
  HttpResponse response;
  response.drop = true;
  auto server = Answering(response);
  ASSERT_NE(server, nullptr);
  CurlClient client;
  CurlResult r = client.Fetch(Get(Url(*server, "/")));
  EXPECT_EQ(r.code, CURLE_GOT_NOTHING) << r.error;
}

TEST(HttpServerFaultsTest, DropAfterADelay) {
  HttpResponse response;
  response.drop = true;
  response.delay = absl::Milliseconds(100);
  auto server = Answering(response);
  ASSERT_NE(server, nullptr);
  CurlClient client;
  CurlResult r = client.Fetch(Get(Url(*server, "/")));
  EXPECT_EQ(r.code, CURLE_GOT_NOTHING) << r.error;
  EXPECT_GE(r.elapsed, absl::Milliseconds(100));
}

TEST(HttpServerFaultsTest, TruncatedBodyIsAPartialFile) {
  HttpResponse response;
  response.body = Digits(100000);
  response.truncate_body_at = 1234;
  auto server = Answering(response);
  ASSERT_NE(server, nullptr);
  CurlClient client;
  CurlResult r = client.Fetch(Get(Url(*server, "/")));
  EXPECT_EQ(r.code, CURLE_PARTIAL_FILE) << r.error;
  EXPECT_EQ(r.Header("Content-Length"), "100000");
  EXPECT_EQ(r.body, Digits(1234));
}

TEST(HttpServerFaultsTest, TruncatedToNothing) {
  HttpResponse response;
  response.body = "abc";
  response.truncate_body_at = 0;
  auto server = Answering(response);
  ASSERT_NE(server, nullptr);
  RawClient raw(server->port());
  ASSERT_TRUE(raw.Send("GET / HTTP/1.1\r\n\r\n"));
  EXPECT_TRUE(raw.WaitForClose());
  EXPECT_THAT(raw.rest(), testing::HasSubstr("\r\nContent-Length: 3\r\n"));
  EXPECT_THAT(raw.rest(), testing::EndsWith("\r\n\r\n"));
}

TEST(HttpServerFaultsTest, SlowBodyArrivesWholeInPieces) {
  HttpResponse response;
  response.body = Digits(100);
  response.slow_chunk_bytes = 10;
  response.slow_interval = absl::Milliseconds(20);
  auto server = Answering(response);
  ASSERT_NE(server, nullptr);
  CurlClient client;
  CurlResult r = client.Fetch(Get(Url(*server, "/")));
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.body, Digits(100));
  // Ten pieces, nine pauses between them.
  EXPECT_GE(r.elapsed, absl::Milliseconds(180));
  r = client.Fetch(Get(Url(*server, "/")));
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.num_connects, 0);
}

TEST(HttpServerFaultsTest, SlowAndTruncated) {
  HttpResponse response;
  response.body = Digits(100);
  response.slow_chunk_bytes = 7;
  response.slow_interval = absl::Milliseconds(5);
  response.truncate_body_at = 30;
  auto server = Answering(response);
  ASSERT_NE(server, nullptr);
  CurlClient client;
  CurlResult r = client.Fetch(Get(Url(*server, "/")));
  EXPECT_EQ(r.code, CURLE_PARTIAL_FILE) << r.error;
  EXPECT_EQ(r.body, Digits(30));
}

TEST(HttpServerFaultsTest, SlowReaderGetsALargeBodyWhole) {
  HttpResponse response;
  response.body = Digits(8 << 20);
  auto server = Answering(response);
  ASSERT_NE(server, nullptr);
  RawClient raw(server->port());
  ASSERT_TRUE(raw.Send("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"));
  // Not reading for a moment fills the socket buffers: the server must
  // wait for room rather than lose bytes.
  absl::SleepFor(absl::Milliseconds(100));
  EXPECT_TRUE(raw.WaitForClose());
  EXPECT_EQ(testing_http::BodyOf(raw.rest()), response.body);
}

}  // namespace
}  // namespace hubspot_emulator
