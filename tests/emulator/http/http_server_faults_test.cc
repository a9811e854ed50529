// Fault shaping: how HttpResponse's delay, drop, truncate_body_at and slow
// delivery look to a real client.

#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
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
using testing_http::Post;
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

// A server whose HeadInspector closes every request it is asked about,
// recording the heads it saw; its handler counts requests and echoes paths.
class ClosingAtHeads {
 public:
  ClosingAtHeads() {
    HttpServerOptions options;
    options.inspect_head = [this](const HttpRequest& head) {
      absl::MutexLock lock(&mu_);
      heads_.push_back(head);
      return HeadAction::kClose;
    };
    server_ = StartServer(options, [this](HttpRequest request,
                                          Responder respond) {
      handled_.fetch_add(1);
      HttpResponse response;
      response.body = request.path;
      std::move(respond)(std::move(response));
    });
  }

  const HttpServer* server() const { return server_.get(); }
  int handled() const { return handled_.load(); }
  std::vector<HttpRequest> heads() const {
    absl::MutexLock lock(&mu_);
    return heads_;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<HttpRequest> heads_ ABSL_GUARDED_BY(mu_);
  std::atomic<int> handled_{0};
  std::unique_ptr<HttpServer> server_;
};

TEST(HttpServerFaultsTest, HeadInspectorResetsBeforeTheBodyIsRead) {
  ClosingAtHeads closing;
  ASSERT_NE(closing.server(), nullptr);
  RawClient raw(closing.server()->port());
  ASSERT_TRUE(raw.Send(
      "POST /crm/v3/imports?x=1 HTTP/1.1\r\nHost: h\r\n"
      "Content-Length: 67108864\r\n\r\n"));
  // Not one byte of the body was sent, and the connection ends: the server
  // decided on the head alone, and answered nothing.
  EXPECT_TRUE(raw.WaitForClose());
  EXPECT_EQ(raw.rest(), "");
  EXPECT_FALSE(raw.Send(Digits(8 << 20)));
  EXPECT_EQ(closing.handled(), 0);
  const std::vector<HttpRequest> heads = closing.heads();
  ASSERT_EQ(heads.size(), 1u);
  EXPECT_EQ(heads[0].method, "POST");
  EXPECT_EQ(heads[0].path, "/crm/v3/imports");
  EXPECT_EQ(heads[0].query, "x=1");
  ASSERT_NE(heads[0].Header("content-length"), nullptr);
  EXPECT_TRUE(heads[0].body.empty());
}

TEST(HttpServerFaultsTest, HeadInspectorFailsALargeUploadWhileItIsSent) {
  ClosingAtHeads closing;
  ASSERT_NE(closing.server(), nullptr);
  const std::string body = Digits(16 << 20);
  // With and without waiting for 100 Continue.
  for (const char* expect : {"Expect:", "Expect: 100-continue"}) {
    CurlClient client;
    CurlResult r = client.Fetch(
        Post(Url(*closing.server(), "/crm/v3/imports"), body, {expect}));
    // The reset reaches curl on whichever side it is watching (libcurl
    // 7.88 reads during uploads, so it reports a receive failure).
    EXPECT_THAT(r.code, testing::AnyOf(CURLE_SEND_ERROR, CURLE_RECV_ERROR))
        << expect << ": " << r.error;
    EXPECT_EQ(r.status, 0);
    curl_off_t sent = -1;
    curl_easy_getinfo(client.handle(), CURLINFO_SIZE_UPLOAD_T, &sent);
    EXPECT_LT(sent, static_cast<curl_off_t>(body.size())) << expect;
  }
  EXPECT_EQ(closing.heads().size(), 2u);
  EXPECT_EQ(closing.handled(), 0);
}

TEST(HttpServerFaultsTest, HeadInspectorIsNotAskedAboutBodylessRequests) {
  ClosingAtHeads closing;
  ASSERT_NE(closing.server(), nullptr);
  CurlClient client;
  CurlResult r = client.Fetch(Get(Url(*closing.server(), "/a")));
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.body, "/a");
  r = client.Fetch(Post(Url(*closing.server(), "/b"), ""));
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.body, "/b");
  EXPECT_EQ(r.num_connects, 0);  // the same connection throughout
  EXPECT_EQ(closing.heads().size(), 0u);
  EXPECT_EQ(closing.handled(), 2);
}

TEST(HttpServerFaultsTest, HeadInspectorLettingGoReadsTheBodyAsUsual) {
  std::atomic<int> asked{0};
  HttpServerOptions options;
  options.inspect_head = [&asked](const HttpRequest&) {
    asked.fetch_add(1);
    return HeadAction::kContinue;
  };
  auto server = StartServer(options, testing_http::Echo);
  ASSERT_NE(server, nullptr);
  CurlClient client;
  // Large enough for curl to wait for 100 Continue, which still comes.
  const std::string body = Digits(2 << 20);
  for (bool chunked : {false, true}) {
    testing_http::CurlRequest request = Post(Url(*server, "/up"), body);
    request.chunked = chunked;
    CurlResult r = client.Fetch(request);
    ASSERT_EQ(r.code, CURLE_OK) << r.error;
    EXPECT_TRUE(absl::EndsWith(r.body, "\n\n" + body));
  }
  EXPECT_EQ(asked.load(), 2);
}

// What the emulator's loseAnswerRatio does (HttpResponse::drop after the
// handler ran) to the second request of a kept-alive connection.
class DroppingTheSecondAnswer {
 public:
  DroppingTheSecondAnswer() {
    server_ = StartServer({}, [this](HttpRequest request, Responder respond) {
      HttpResponse response;
      response.body = request.path;
      response.drop = handled_.fetch_add(1) + 1 == 2;
      std::move(respond)(std::move(response));
    });
  }
  const HttpServer* server() const { return server_.get(); }
  int handled() const { return handled_.load(); }

 private:
  std::atomic<int> handled_{0};
  std::unique_ptr<HttpServer> server_;
};

TEST(HttpServerFaultsTest, LostAnswerClosesAKeptAliveConnection) {
  DroppingTheSecondAnswer server;
  ASSERT_NE(server.server(), nullptr);
  RawClient raw(server.server()->port());
  ASSERT_TRUE(raw.Send("POST /1 HTTP/1.1\r\nContent-Length: 1\r\n\r\nx"));
  EXPECT_EQ(testing_http::BodyOf(raw.ReadResponse()), "/1");
  ASSERT_TRUE(raw.Send("POST /2 HTTP/1.1\r\nContent-Length: 1\r\n\r\nx"));
  EXPECT_TRUE(raw.WaitForClose());
  EXPECT_EQ(raw.rest(), "");
  EXPECT_EQ(server.handled(), 2);  // the second request was handled
}

TEST(HttpServerFaultsTest, LibcurlResendsARequestWhoseAnswerWasLost) {
  // libcurl takes a reused connection that ends before any answer byte for
  // a stale keep-alive connection and silently sends the request again on
  // a new one, POST included: the server handles it twice. A client that
  // must not repeat a request (an upload, a cancel) has to refuse that.
  DroppingTheSecondAnswer server;
  ASSERT_NE(server.server(), nullptr);
  CurlClient client;
  CurlResult r = client.Fetch(Post(Url(*server.server(), "/1"), "x"));
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.num_connects, 1);
  r = client.Fetch(Post(Url(*server.server(), "/2"), "x"));
  EXPECT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.body, "/2");
  EXPECT_EQ(r.num_connects, 1);  // the resend's new connection
  EXPECT_EQ(server.handled(), 3);
}

}  // namespace
}  // namespace hubspot_emulator
