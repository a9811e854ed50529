// What CurlMultiLoop reports of a transfer (TransferFacts), against a real
// HTTP/1.1 server on loopback: whether the request went out, whether its
// body went out whole, the answer's status even when its body was cut, and
// that libcurl never sends a non-idempotent request twice by itself.
#include "server/http/curl_multi_loop.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "emulator/http/http_server.h"
#include "gtest/gtest.h"

namespace hubspot_gateway {
namespace {

namespace emu = ::hubspot_emulator;

// A streamed body of `data`; with `stop_at`, it hands out that many bytes
// and then never more (a caller whose stream stalled).
class StringBody final : public BodySource {
 public:
  StringBody(std::string data, bool known_length, size_t stop_at = -1)
      : data_(std::move(data)), known_(known_length), stop_at_(stop_at) {}
  size_t Read(char* buffer, size_t n) override {
    const size_t end = std::min(data_.size(), stop_at_);
    if (at_ == end && end < data_.size()) return kWouldBlock;
    const size_t count = std::min(n, end - at_);
    std::memcpy(buffer, data_.data() + at_, count);
    at_ += count;
    return count;
  }
  int64_t Length() const override {
    return known_ ? static_cast<int64_t>(data_.size()) : -1;
  }
  bool Rewindable() const override { return true; }
  bool Rewind() override {
    at_ = 0;
    return true;
  }
  void SetWaker(absl::AnyInvocable<void()>) override {}

 private:
  const std::string data_;
  const bool known_;
  const size_t stop_at_;
  size_t at_ = 0;
};

struct Outcome {
  absl::StatusOr<HttpResponse> result;
  TransferFacts facts;
};

class CurlMultiLoopTest : public ::testing::Test {
 protected:
  // How the server answers its n-th request (1-based).
  using Script = std::function<emu::HttpResponse(int n, const emu::HttpRequest&)>;

  void StartServer(Script script, emu::HeadInspector inspect = nullptr) {
    emu::HttpServerOptions options;
    options.inspect_head = std::move(inspect);
    auto server = emu::HttpServer::Start(
        std::move(options),
        [this, script = std::move(script)](emu::HttpRequest request,
                                           emu::Responder respond) {
          const int n = handled_.fetch_add(1) + 1;
          std::move(respond)(script(n, request));
        });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    url_ = absl::StrCat("http://127.0.0.1:", server_->port());
  }

  Outcome Send(HttpRequest request) {
    if (loop_ == nullptr) {
      CurlOptions options;
      options.http2 = false;
      loop_ = *CurlMultiLoop::Create(options);
    }
    if (request.url.empty()) request.url = url_ + "/crm/v3/imports";
    request.deadline = absl::Now() + absl::Seconds(10);
    Outcome outcome;
    absl::Notification done;
    loop_->Send(std::move(request), [&](absl::StatusOr<HttpResponse> r,
                                        const TransferFacts& facts) {
      outcome.result = std::move(r);
      outcome.facts = facts;
      done.Notify();
    });
    done.WaitForNotification();
    return outcome;
  }

  // A GET leaves a kept connection; the server handles the next request on
  // it and closes it without answering.
  void KeepAConnectionThatDiesAfterTheNextRequest() {
    StartServer([](int n, const emu::HttpRequest&) {
      emu::HttpResponse r = Ok();
      r.drop = n == 2;
      return r;
    });
    ASSERT_TRUE(Send(HttpRequest()).result.ok());
  }

  static HttpRequest Post(std::shared_ptr<BodySource> body) {
    HttpRequest r;
    r.method = "POST";
    r.body_source = std::move(body);
    r.headers = {"Content-Type: text/csv"};
    return r;
  }

  static emu::HttpResponse Ok(std::string body = "{\"id\":\"1\"}") {
    emu::HttpResponse r;
    r.status = 200;
    r.body = std::move(body);
    return r;
  }

  std::atomic<int> handled_{0};
  std::unique_ptr<emu::HttpServer> server_;
  std::string url_;
  std::unique_ptr<CurlMultiLoop> loop_;
};

TEST_F(CurlMultiLoopTest, NothingIssuedWhenTheConnectionFails) {
  HttpRequest r;
  r.url = "http://127.0.0.1:1/crm/v3/imports";  // nothing listens
  const Outcome o = Send(std::move(r));
  EXPECT_FALSE(o.result.ok());
  EXPECT_FALSE(o.facts.request_issued);
  EXPECT_FALSE(o.facts.body_sent_whole);
}

TEST_F(CurlMultiLoopTest, KnownLengthBodySentWholeIsReported) {
  StartServer([](int, const emu::HttpRequest&) { return Ok(); });
  const std::string data(300000, 'x');
  const Outcome o = Send(Post(std::make_shared<StringBody>(data, true)));
  ASSERT_TRUE(o.result.ok()) << o.result.status();
  EXPECT_TRUE(o.facts.request_issued);
  EXPECT_TRUE(o.facts.body_sent_whole);
  EXPECT_EQ(o.facts.body_bytes_sent, static_cast<int64_t>(data.size()));
  EXPECT_EQ(o.facts.response_status, 200);
}

// Chunked: whole once the source said it ended.
TEST_F(CurlMultiLoopTest, UnknownLengthBodySentWholeIsReported) {
  StartServer([](int, const emu::HttpRequest&) { return Ok(); });
  const Outcome o =
      Send(Post(std::make_shared<StringBody>(std::string(70000, 'y'), false)));
  ASSERT_TRUE(o.result.ok()) << o.result.status();
  EXPECT_TRUE(o.facts.body_sent_whole);
}

// The server closes the connection after the head, before reading any of
// the body; the body stalls halfway, so it cannot have gone out whole.
TEST_F(CurlMultiLoopTest, BodyCutShortIsNotWhole) {
  StartServer([](int, const emu::HttpRequest&) { return Ok(); },
              [](const emu::HttpRequest&) { return emu::HeadAction::kClose; });
  const std::string data(4 << 20, 'z');
  const Outcome o =
      Send(Post(std::make_shared<StringBody>(data, true, data.size() / 2)));
  EXPECT_FALSE(o.result.ok());
  EXPECT_TRUE(o.facts.request_issued);
  EXPECT_FALSE(o.facts.body_sent_whole);
  EXPECT_LT(o.facts.body_bytes_sent, static_cast<int64_t>(data.size()));
  EXPECT_EQ(handled_.load(), 0);
}

// The answer's status line arrived, then its body was cut: the status is
// known although the transfer failed.
TEST_F(CurlMultiLoopTest, StatusOfACutAnswerIsReported) {
  StartServer([](int, const emu::HttpRequest&) {
    emu::HttpResponse r = Ok(std::string(1000, 'a'));
    r.truncate_body_at = 500;
    return r;
  });
  const Outcome o =
      Send(Post(std::make_shared<StringBody>(std::string(100, 'x'), true)));
  EXPECT_FALSE(o.result.ok());
  EXPECT_TRUE(o.facts.body_sent_whole);
  EXPECT_EQ(o.facts.response_status, 200);
}

// The first request keeps the connection; the server handles the second and
// closes that connection without answering. libcurl would send the POST
// again on a new connection by itself (the server would handle it twice);
// the loop refuses, and says so.
TEST_F(CurlMultiLoopTest, PostOnADyingKeptConnectionIsNotSentAgain) {
  ASSERT_NO_FATAL_FAILURE(KeepAConnectionThatDiesAfterTheNextRequest());
  HttpRequest cancel;
  cancel.method = "POST";
  cancel.url = url_ + "/crm/v3/imports/1/cancel";
  const Outcome o = Send(std::move(cancel));
  EXPECT_EQ(o.result.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(o.facts.resend_refused);
  EXPECT_TRUE(o.facts.request_issued);
  EXPECT_TRUE(o.facts.body_sent_whole);
  EXPECT_EQ(handled_.load(), 2) << "the cancel reached the server once";
}

TEST_F(CurlMultiLoopTest, UploadOnADyingKeptConnectionIsNotSentAgain) {
  ASSERT_NO_FATAL_FAILURE(KeepAConnectionThatDiesAfterTheNextRequest());
  const Outcome o =
      Send(Post(std::make_shared<StringBody>(std::string(5000, 'x'), true)));
  EXPECT_EQ(o.result.status().code(), absl::StatusCode::kUnavailable)
      << o.result.status();
  EXPECT_TRUE(o.facts.resend_refused) << o.result.status();
  EXPECT_TRUE(o.facts.body_sent_whole);
  EXPECT_EQ(handled_.load(), 2) << "the upload reached the server once";
}

// A GET, or a request its sender marked resend_safe, may go again.
TEST_F(CurlMultiLoopTest, GetOnADyingKeptConnectionIsSentAgain) {
  ASSERT_NO_FATAL_FAILURE(KeepAConnectionThatDiesAfterTheNextRequest());
  HttpRequest get;
  const Outcome o = Send(std::move(get));
  ASSERT_TRUE(o.result.ok()) << o.result.status();
  EXPECT_EQ(o.facts.curl_resends, 1);
  EXPECT_FALSE(o.facts.resend_refused);
  EXPECT_EQ(handled_.load(), 3);
}

TEST_F(CurlMultiLoopTest, ResendSafePostOnADyingKeptConnectionIsSentAgain) {
  ASSERT_NO_FATAL_FAILURE(KeepAConnectionThatDiesAfterTheNextRequest());
  HttpRequest token;
  token.method = "POST";
  token.body = "grant_type=refresh_token";
  token.resend_safe = true;
  const Outcome o = Send(std::move(token));
  ASSERT_TRUE(o.result.ok()) << o.result.status();
  EXPECT_EQ(o.facts.curl_resends, 1);
}

}  // namespace
}  // namespace hubspot_gateway
