#include "server/hubspot/hubspot_transport.h"

#include <atomic>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/auth/static_credentials.h"
#include "server/common/cancellation.h"
#include "server/common/log.h"
#include "server/common/scheduler.h"
#include "server/http/body_source.h"
#include "server/http/http_upstream.h"

namespace hubspot_gateway {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

constexpr char kBaseUrl[] = "https://api.hubapi.test";

HttpResponse Response(int status, std::string body = "") {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpResponse WithHeader(HttpResponse r, const std::string& name,
                        const std::string& value) {
  r.headers[name] = value;
  return r;
}

// An upload body whose progress the test decides: FakeHttp reports whether
// it went out whole, and the transport rewinds it between attempts.
class ScriptedBody final : public BodySource {
 public:
  size_t Read(char*, size_t) override { return 0; }
  int64_t Length() const override { return 0; }
  bool Rewindable() const override { return rewindable_.load(); }
  bool Rewind() override {
    rewinds_.fetch_add(1);
    return rewindable_.load();
  }
  bool sent_whole() const { return sent_whole_.load(); }
  void SetWaker(absl::AnyInvocable<void()>) override {}

  void set_sent_whole(bool whole) { sent_whole_.store(whole); }
  void set_rewindable(bool rewindable) { rewindable_.store(rewindable); }
  int rewinds() const { return rewinds_.load(); }

 private:
  std::atomic<bool> sent_whole_{false};
  std::atomic<bool> rewindable_{true};
  std::atomic<int> rewinds_{0};
};

// Records requests and answers them, oldest first, from a scripted queue when
// the test pumps it (never inside Send). Like the real upstream it takes over
// the call's cancellation hook for the transfer and clears it at the end.
class FakeHttp final : public HttpUpstream {
 public:
  struct Sent {
    HttpRequest request;
    // ScriptedBody::rewinds() when the request was sent; -1 without a ScriptedBody.
    int rewinds = -1;
    // Whether the request was resend_safe.
    bool resend_safe = false;
  };

  void Script(absl::StatusOr<HttpResponse> answer) {
    script_.push_back(std::move(answer));
  }

  void Send(HttpRequest request, HttpCallback done) override {
    Sent sent;
    if (auto* body = dynamic_cast<ScriptedBody*>(request.body_source.get())) {
      sent.rewinds = body->rewinds();
    }
    auto transfer = std::make_shared<Transfer>();
    transfer->done = std::move(done);
    transfer->body = std::dynamic_pointer_cast<ScriptedBody>(request.body_source);
    sent.resend_safe = request.resend_safe;
    transfer->cancellation = request.cancellation;
    if (transfer->cancellation != nullptr) {
      std::weak_ptr<Transfer> weak = transfer;
      transfer->cancellation->SetHook([weak] {
        if (auto t = weak.lock()) t->cancelled = true;
      });
    }
    sent.request = std::move(request);
    sent_.push_back(std::move(sent));
    pending_.push_back(std::move(transfer));
  }

  // Answers the oldest pending request; false when none is pending.
  bool AnswerNext() {
    if (pending_.empty()) return false;
    std::shared_ptr<Transfer> t = std::move(pending_.front());
    pending_.pop_front();
    if (t->cancellation != nullptr) t->cancellation->ClearHook();
    absl::StatusOr<HttpResponse> answer;
    if (t->cancelled) {
      answer = absl::CancelledError("transfer cancelled");
    } else if (script_.empty()) {
      ADD_FAILURE() << "request " << sent_.size() << " has no scripted answer";
      answer = absl::InternalError("no scripted answer");
    } else {
      answer = std::move(script_.front());
      script_.pop_front();
    }
    // What a real transfer would have seen: issued, its body whole as the
    // ScriptedBody says, the status of any answer.
    TransferFacts facts;
    facts.request_issued = true;
    facts.body_sent_whole = t->body == nullptr || t->body->sent_whole();
    if (answer.ok()) facts.response_status = answer->status;
    if (!facts_.empty()) {
      facts = facts_.front();
      facts_.pop_front();
    }
    t->body.reset();
    std::move(t->done)(std::move(answer), facts);
    return true;
  }

  // What the transport sees of the next answered request, instead of the
  // defaults above.
  void ScriptFacts(TransferFacts facts) { facts_.push_back(facts); }

  const std::vector<Sent>& sent() const { return sent_; }
  size_t pending() const { return pending_.size(); }

 private:
  struct Transfer {
    HttpCallback done;
    std::shared_ptr<CancellationSignal> cancellation;
    std::shared_ptr<ScriptedBody> body;
    bool cancelled = false;
  };

  std::deque<absl::StatusOr<HttpResponse>> script_;
  std::deque<TransferFacts> facts_;
  std::vector<Sent> sent_;
  std::deque<std::shared_ptr<Transfer>> pending_;
};

// Records each back-off; the test decides when (and whether) it ends.
class FakeScheduler final : public Scheduler {
 public:
  void RunAfter(absl::Duration delay, Task task) override {
    delays_.push_back(delay);
    tasks_.push_back(std::move(task));
  }

  // Runs the oldest pending task; false when none is pending.
  bool RunNext(bool fired = true) {
    if (tasks_.empty()) return false;
    Task task = std::move(tasks_.front());
    tasks_.pop_front();
    std::move(task)(fired);
    return true;
  }

  const std::vector<absl::Duration>& delays() const { return delays_; }
  size_t pending() const { return tasks_.size(); }

 private:
  std::vector<absl::Duration> delays_;
  std::deque<Task> tasks_;
};

// What one Send got, if anything yet.
struct Result {
  int calls = 0;
  std::optional<absl::StatusOr<HttpResponse>> answer;
  AttemptEffect effect = AttemptEffect::kNone;
  bool earlier_attempt_unknown = false;

  bool done() const { return calls > 0; }
  // The HTTP status answered, or -1 for an error.
  int http_status() const {
    return answer.has_value() && answer->ok() ? (*answer)->status : -1;
  }
  absl::StatusCode code() const {
    return answer.has_value() ? answer->status().code()
                              : absl::StatusCode::kUnknown;
  }
};

class HubSpotTransportTest : public ::testing::Test {
 protected:
  HubSpotTransportTest()
      : credentials_(StaticCredentials::PrivateAppToken(FixedSecret("pat-test"))) {
    SetMinLogLevel(LogLevel::kError);
    options_.base_url = kBaseUrl;
    options_.retry.interval = absl::Milliseconds(100);
  }

  HubSpotTransport& transport() {
    if (transport_ == nullptr) {
      transport_ = std::make_unique<HubSpotTransport>(
          options_, &http_, credentials_.get(), &scheduler_);
    }
    return *transport_;
  }

  std::shared_ptr<Result> Send(HubSpotCall call) {
    auto result = std::make_shared<Result>();
    transport().Send(std::move(call), [result](HubSpotAnswer a) {
      ++result->calls;
      result->answer = std::move(a.response);
      result->effect = a.effect;
      result->earlier_attempt_unknown = a.earlier_attempt_unknown;
    });
    return result;
  }

  // Answers requests and ends back-offs until nothing is left to do.
  void Drain() {
    while (http_.AnswerNext() || scheduler_.RunNext()) {
    }
  }

  static HubSpotCall Get() {
    HubSpotCall call;
    call.method = "GET";
    call.path_and_query = "/crm/v3/imports/42";
    return call;
  }

  static HubSpotCall Upload(std::shared_ptr<ScriptedBody> body) {
    HubSpotCall call;
    call.method = "POST";
    call.path_and_query = "/crm/v3/imports";
    call.body_source = std::move(body);
    call.content_type = "multipart/form-data; boundary=b";
    call.retry_safety = RetrySafety::kUnlessCreated;
    return call;
  }

  // The range Backoff gives for `retry` under the configured policy.
  void ExpectBackoff(absl::Duration delay, int retry) const {
    EXPECT_GE(delay, Backoff(options_.retry, retry, 0.0)) << "retry " << retry;
    EXPECT_LE(delay, Backoff(options_.retry, retry, 1.0)) << "retry " << retry;
  }

  HubSpotTransportOptions options_;
  FakeHttp http_;
  FakeScheduler scheduler_;
  std::unique_ptr<StaticCredentials> credentials_;
  std::unique_ptr<HubSpotTransport> transport_;
};

// --- Retried and not -----------------------------------------------------------

TEST_F(HubSpotTransportTest, ServerErrorThenSuccessIsRetriedOnce) {
  http_.Script(Response(503));
  http_.Script(Response(200, R"({"id": "42"})"));
  auto result = Send(Get());

  ASSERT_TRUE(http_.AnswerNext());
  EXPECT_FALSE(result->done()) << "the 503 must not reach the caller";
  ASSERT_EQ(scheduler_.pending(), 1u);
  ASSERT_EQ(scheduler_.delays().size(), 1u);
  ExpectBackoff(scheduler_.delays()[0], 1);
  EXPECT_EQ(http_.sent().size(), 1u) << "nothing is sent during the back-off";

  ASSERT_TRUE(scheduler_.RunNext());
  ASSERT_EQ(http_.sent().size(), 2u);
  ASSERT_TRUE(http_.AnswerNext());

  ASSERT_EQ(result->calls, 1);
  EXPECT_EQ(result->http_status(), 200);
  EXPECT_EQ((*result->answer)->body, R"({"id": "42"})");
  for (const FakeHttp::Sent& s : http_.sent()) {
    EXPECT_EQ(s.request.method, "GET");
    EXPECT_EQ(s.request.url, std::string(kBaseUrl) + "/crm/v3/imports/42");
    EXPECT_THAT(s.request.headers,
                Contains("Authorization: Bearer pat-test"));
  }
}

TEST_F(HubSpotTransportTest, SuccessAtFirstSchedulesNothing) {
  http_.Script(Response(200));
  auto result = Send(Get());
  Drain();
  EXPECT_EQ(result->http_status(), 200);
  EXPECT_EQ(http_.sent().size(), 1u);
  EXPECT_TRUE(scheduler_.delays().empty());
}

TEST_F(HubSpotTransportTest, ClientErrorIsNotRetried) {
  http_.Script(Response(400, R"({"status": "error"})"));
  auto result = Send(Get());
  Drain();
  ASSERT_EQ(result->calls, 1);
  EXPECT_EQ(result->http_status(), 400);
  EXPECT_EQ(http_.sent().size(), 1u);
  EXPECT_TRUE(scheduler_.delays().empty());
}

TEST_F(HubSpotTransportTest, RetriesStopAfterCount) {
  options_.retry.count = 2;
  for (int i = 0; i < 3; ++i) http_.Script(Response(503));
  auto result = Send(Get());
  Drain();
  ASSERT_EQ(result->calls, 1);
  EXPECT_EQ(result->http_status(), 503);
  EXPECT_EQ(http_.sent().size(), 3u);
  ASSERT_EQ(scheduler_.delays().size(), 2u);
  ExpectBackoff(scheduler_.delays()[0], 1);
  ExpectBackoff(scheduler_.delays()[1], 2);
}

TEST_F(HubSpotTransportTest, CountZeroSendsOnce) {
  options_.retry.count = 0;
  http_.Script(Response(503));
  auto result = Send(Get());
  Drain();
  EXPECT_EQ(result->http_status(), 503);
  EXPECT_EQ(http_.sent().size(), 1u);
}

TEST_F(HubSpotTransportTest, UnavailableTransportErrorIsRetried) {
  http_.Script(absl::UnavailableError("connection reset"));
  http_.Script(Response(200));
  auto result = Send(Get());
  Drain();
  EXPECT_EQ(result->http_status(), 200);
  EXPECT_EQ(http_.sent().size(), 2u);
}

TEST_F(HubSpotTransportTest, TransportDeadlineIsNotRetried) {
  http_.Script(absl::DeadlineExceededError("timed out"));
  auto result = Send(Get());
  Drain();
  EXPECT_EQ(result->code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(http_.sent().size(), 1u);
}

TEST_F(HubSpotTransportTest, SpentDailyLimitIsNotRetried) {
  http_.Script(
      WithHeader(Response(429), "x-hubspot-ratelimit-daily-remaining", "0"));
  auto result = Send(Get());
  Drain();
  EXPECT_EQ(result->http_status(), 429);
  EXPECT_EQ(http_.sent().size(), 1u);
  EXPECT_TRUE(scheduler_.delays().empty());
}

// --- How long to wait --------------------------------------------------------

TEST_F(HubSpotTransportTest, RetryAfterLongerThanTheBackoffIsHonoured) {
  http_.Script(WithHeader(Response(429), "retry-after", "5"));
  http_.Script(Response(200));
  auto result = Send(Get());
  ASSERT_TRUE(http_.AnswerNext());
  ASSERT_EQ(scheduler_.delays().size(), 1u);
  EXPECT_GE(scheduler_.delays()[0], absl::Seconds(5));
  Drain();
  EXPECT_EQ(result->http_status(), 200);
}

TEST_F(HubSpotTransportTest, RetryAfterShorterThanTheBackoffKeepsTheBackoff) {
  options_.retry.interval = absl::Seconds(8);
  http_.Script(WithHeader(Response(503), "retry-after", "1"));
  Send(Get());
  ASSERT_TRUE(http_.AnswerNext());
  ASSERT_EQ(scheduler_.delays().size(), 1u);
  ExpectBackoff(scheduler_.delays()[0], 1);
}

TEST_F(HubSpotTransportTest, WaitPastTheCallerDeadlineIsNotTaken) {
  http_.Script(WithHeader(Response(503), "retry-after", "10"));
  HubSpotCall call = Get();
  call.deadline = absl::Now() + absl::Seconds(5);
  auto result = Send(std::move(call));
  ASSERT_TRUE(http_.AnswerNext());
  ASSERT_EQ(result->calls, 1) << "answered at once, not after waiting";
  EXPECT_EQ(result->http_status(), 503);
  EXPECT_EQ(scheduler_.pending(), 0u);
  EXPECT_EQ(http_.sent().size(), 1u);
}

// The configured timeout caps a call that has no deadline of its own.
TEST_F(HubSpotTransportTest, BackoffPastTheTimeoutIsNotTaken) {
  options_.timeout = absl::Seconds(1);
  options_.retry.interval = absl::Seconds(10);
  http_.Script(absl::UnavailableError("connection refused"));
  auto result = Send(Get());
  ASSERT_TRUE(http_.AnswerNext());
  ASSERT_EQ(result->calls, 1);
  EXPECT_EQ(result->code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(scheduler_.pending(), 0u);
}

TEST_F(HubSpotTransportTest, CallPastItsDeadlineIsNotSent) {
  HubSpotCall call = Get();
  call.deadline = absl::Now() - absl::Seconds(1);
  auto result = Send(std::move(call));
  ASSERT_EQ(result->calls, 1);
  EXPECT_EQ(result->code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_TRUE(http_.sent().empty());
}

TEST_F(HubSpotTransportTest, RequestCarriesTheCappedDeadline) {
  options_.timeout = absl::Seconds(30);
  http_.Script(Response(200));
  const absl::Time before = absl::Now();
  Send(Get());
  ASSERT_EQ(http_.sent().size(), 1u);
  const absl::Time deadline = http_.sent()[0].request.deadline;
  EXPECT_GE(deadline, before + absl::Seconds(30));
  EXPECT_LE(deadline, absl::Now() + absl::Seconds(30));
  Drain();
}

// --- Uploads -------------------------------------------------------------------

TEST_F(HubSpotTransportTest, UploadCutShortIsRewoundAndRetried) {
  auto body = std::make_shared<ScriptedBody>();
  body->set_sent_whole(false);
  http_.Script(absl::UnavailableError("connection reset"));
  http_.Script(Response(200, R"({"id": "7"})"));
  auto result = Send(Upload(body));
  Drain();

  EXPECT_EQ(result->http_status(), 200);
  ASSERT_EQ(http_.sent().size(), 2u);
  EXPECT_EQ(http_.sent()[0].rewinds, 0);
  EXPECT_EQ(http_.sent()[1].rewinds, 1) << "rewound before the second attempt";
  EXPECT_EQ(body->rewinds(), 1);
  for (const FakeHttp::Sent& s : http_.sent()) {
    EXPECT_EQ(s.request.method, "POST");
    EXPECT_EQ(s.request.body_source, body);
    EXPECT_THAT(s.request.headers,
                Contains("Content-Type: multipart/form-data; boundary=b"));
  }
}

// HubSpot may have received the whole upload and created the import.
TEST_F(HubSpotTransportTest, UploadSentWholeIsNotRetriedAfterTransportError) {
  auto body = std::make_shared<ScriptedBody>();
  body->set_sent_whole(true);
  http_.Script(absl::UnavailableError("connection reset"));
  auto result = Send(Upload(body));
  Drain();
  ASSERT_EQ(result->calls, 1);
  EXPECT_EQ(result->code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(result->answer->status().message()),
              HasSubstr("connection reset"));
  EXPECT_EQ(http_.sent().size(), 1u);
  EXPECT_EQ(body->rewinds(), 0);
}

TEST_F(HubSpotTransportTest, UploadSentWholeIsNotRetriedAfterServerError) {
  auto body = std::make_shared<ScriptedBody>();
  body->set_sent_whole(true);
  http_.Script(Response(502));
  auto result = Send(Upload(body));
  Drain();
  EXPECT_EQ(result->http_status(), 502);
  EXPECT_EQ(http_.sent().size(), 1u);
}

// A 429 is refused before HubSpot acts on the request.
TEST_F(HubSpotTransportTest, UploadSentWholeIsRetriedAfter429) {
  auto body = std::make_shared<ScriptedBody>();
  body->set_sent_whole(true);
  http_.Script(Response(429));
  http_.Script(Response(200));
  auto result = Send(Upload(body));
  Drain();
  EXPECT_EQ(result->http_status(), 200);
  ASSERT_EQ(http_.sent().size(), 2u);
  EXPECT_EQ(http_.sent()[1].rewinds, 1);
}

// Whole, then an answer with a 2xx status line cut short: created, and the
// caller must learn which import; never sent again.
TEST_F(HubSpotTransportTest, UploadWhoseCreatedAnswerWasCutIsNotRetried) {
  auto body = std::make_shared<ScriptedBody>();
  body->set_sent_whole(true);
  http_.Script(absl::UnavailableError("Transferred a partial file"));
  TransferFacts facts;
  facts.request_issued = true;
  facts.body_sent_whole = true;
  facts.response_status = 200;
  http_.ScriptFacts(facts);
  auto result = Send(Upload(body));
  Drain();
  EXPECT_EQ(result->code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(result->effect, AttemptEffect::kApplied);
  EXPECT_EQ(http_.sent().size(), 1u);
}

// libcurl wanted to send the upload again after a kept connection died
// without an answer: refused below, and not sent again here either.
TEST_F(HubSpotTransportTest, UploadWhoseResendWasRefusedIsNotRetried) {
  auto body = std::make_shared<ScriptedBody>();
  body->set_sent_whole(true);
  http_.Script(absl::UnavailableError("kept-alive connection closed"));
  TransferFacts facts;
  facts.request_issued = true;
  facts.body_sent_whole = true;
  facts.resend_refused = true;
  http_.ScriptFacts(facts);
  auto result = Send(Upload(body));
  Drain();
  EXPECT_EQ(result->effect, AttemptEffect::kUnknown);
  EXPECT_EQ(http_.sent().size(), 1u);
  EXPECT_FALSE(http_.sent()[0].resend_safe);
}

// A connect failure: nothing reached HubSpot, whatever the body.
TEST_F(HubSpotTransportTest, UploadNeverIssuedIsRetried) {
  auto body = std::make_shared<ScriptedBody>();
  body->set_sent_whole(true);
  http_.Script(absl::UnavailableError("Could not connect to server"));
  http_.ScriptFacts(TransferFacts{});
  http_.Script(Response(200, R"({"id": "7"})"));
  auto result = Send(Upload(body));
  Drain();
  EXPECT_EQ(result->http_status(), 200);
  EXPECT_EQ(result->effect, AttemptEffect::kApplied);
  EXPECT_FALSE(result->earlier_attempt_unknown);
  EXPECT_EQ(http_.sent().size(), 2u);
}

// A cancel is retried after a lost answer, and its caller learns that the
// final answer may be the reply to a repeat.
TEST_F(HubSpotTransportTest, RetryAfterUnknownOutcomeIsReported) {
  HubSpotCall call = Get();
  call.method = "POST";
  http_.Script(absl::UnavailableError("Empty reply from server"));
  http_.Script(Response(409));
  auto result = Send(std::move(call));
  Drain();
  EXPECT_EQ(result->http_status(), 409);
  EXPECT_TRUE(result->earlier_attempt_unknown);
  EXPECT_EQ(http_.sent().size(), 2u);
}

TEST_F(HubSpotTransportTest, RetryAfterAttemptThatDidNothingIsNotReported) {
  http_.Script(Response(503));
  http_.ScriptFacts(TransferFacts{});  // never issued
  http_.Script(Response(200));
  auto result = Send(Get());
  Drain();
  EXPECT_EQ(result->http_status(), 200);
  EXPECT_FALSE(result->earlier_attempt_unknown);
}

TEST_F(HubSpotTransportTest, UploadThatCannotRewindIsNotSentAgain) {
  auto body = std::make_shared<ScriptedBody>();
  body->set_rewindable(false);
  http_.Script(absl::UnavailableError("connection reset"));
  auto result = Send(Upload(body));
  Drain();
  ASSERT_EQ(result->calls, 1);
  // The caller hears HubSpot's own failure.
  EXPECT_EQ(result->code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(result->answer->status().message()),
              HasSubstr("connection reset"));
  EXPECT_EQ(http_.sent().size(), 1u);
  EXPECT_EQ(body->rewinds(), 1);
}

// The body's owner may wait to see the transport let go of it: by the time
// the caller hears back, only the upstream's record of the request holds it.
TEST_F(HubSpotTransportTest, UploadBodyIsReleasedBeforeTheCallIsAnswered) {
  auto body = std::make_shared<ScriptedBody>();
  std::weak_ptr<ScriptedBody> weak = body;
  http_.Script(Response(200));
  long holders_when_answered = -1;
  transport().Send(Upload(std::move(body)),
                   [&](HubSpotAnswer) {
                     holders_when_answered = weak.use_count();
                   });
  ASSERT_TRUE(http_.AnswerNext());
  EXPECT_EQ(holders_when_answered, 1);
}

// --- The retry budget ----------------------------------------------------------

TEST_F(HubSpotTransportTest, RetryBudgetStopsRetriesAcrossCalls) {
  options_.retry.count = 10;
  options_.retry_budget_max_tokens = 4;
  for (int i = 0; i < 10; ++i) http_.Script(Response(503));

  auto first = Send(Get());
  Drain();
  EXPECT_EQ(first->http_status(), 503);
  EXPECT_EQ(http_.sent().size(), 2u) << "4 tokens allow one retry";

  auto second = Send(Get());
  Drain();
  EXPECT_EQ(second->http_status(), 503);
  EXPECT_EQ(http_.sent().size(), 3u) << "the spent budget allows none";
  EXPECT_EQ(scheduler_.delays().size(), 1u);
}

TEST_F(HubSpotTransportTest, SuccessesRefillTheRetryBudget) {
  options_.retry.count = 10;
  options_.retry_budget_max_tokens = 4;
  options_.retry_budget_token_ratio = 1;
  http_.Script(Response(503));
  http_.Script(Response(503));  // 2 tokens left
  http_.Script(Response(200));
  http_.Script(Response(200));  // 4 again
  http_.Script(Response(503));
  http_.Script(Response(200));
  for (int i = 0; i < 3; ++i) {
    Send(Get());
    Drain();
  }
  auto result = Send(Get());
  Drain();
  EXPECT_EQ(result->http_status(), 200);
  EXPECT_EQ(http_.sent().size(), 6u);
}

// Client errors are the caller's, not an outage: they must not spend it.
TEST_F(HubSpotTransportTest, ClientErrorsDoNotSpendTheRetryBudget) {
  options_.retry_budget_max_tokens = 4;
  for (int i = 0; i < 10; ++i) http_.Script(Response(404));
  for (int i = 0; i < 10; ++i) {
    Send(Get());
    Drain();
  }
  http_.Script(Response(503));
  http_.Script(Response(200));
  auto result = Send(Get());
  Drain();
  EXPECT_EQ(result->http_status(), 200);
}

// --- Cancellation and shutdown ---------------------------------------------------

TEST_F(HubSpotTransportTest, CancelDuringTheBackoffAnswersAtOnce) {
  http_.Script(Response(503));
  HubSpotCall call = Get();
  call.cancellation = std::make_shared<CancellationSignal>();
  auto cancellation = call.cancellation;
  auto result = Send(std::move(call));
  ASSERT_TRUE(http_.AnswerNext());
  ASSERT_EQ(scheduler_.pending(), 1u);
  ASSERT_FALSE(result->done());

  cancellation->Cancel();
  ASSERT_EQ(result->calls, 1) << "not after the back-off";
  EXPECT_EQ(result->code(), absl::StatusCode::kCancelled);

  // The timer still ends; the call must stay answered and send nothing.
  ASSERT_TRUE(scheduler_.RunNext());
  EXPECT_EQ(http_.sent().size(), 1u);
  EXPECT_EQ(result->calls, 1);
}

TEST_F(HubSpotTransportTest, CallCancelledBeforeSendIsNotSent) {
  HubSpotCall call = Get();
  call.cancellation = std::make_shared<CancellationSignal>();
  call.cancellation->Cancel();
  auto result = Send(std::move(call));
  ASSERT_EQ(result->calls, 1);
  EXPECT_EQ(result->code(), absl::StatusCode::kCancelled);
  EXPECT_TRUE(http_.sent().empty());
}

TEST_F(HubSpotTransportTest, CancelledTransferIsNotRetried) {
  HubSpotCall call = Get();
  call.cancellation = std::make_shared<CancellationSignal>();
  auto cancellation = call.cancellation;
  auto result = Send(std::move(call));
  cancellation->Cancel();  // The transfer's hook: the upstream answers.
  Drain();
  ASSERT_EQ(result->calls, 1);
  EXPECT_EQ(result->code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(http_.sent().size(), 1u);
}

// A scheduler shutting down ends the wait unfired: the caller gets the
// failure that was going to be retried.
TEST_F(HubSpotTransportTest, SchedulerShutdownAnswersWithTheLastFailure) {
  http_.Script(Response(503, "try later"));
  auto result = Send(Get());
  ASSERT_TRUE(http_.AnswerNext());
  ASSERT_TRUE(scheduler_.RunNext(/*fired=*/false));
  ASSERT_EQ(result->calls, 1);
  EXPECT_EQ(result->http_status(), 503);
  EXPECT_EQ((*result->answer)->body, "try later");
  EXPECT_EQ(http_.sent().size(), 1u);
}

}  // namespace
}  // namespace hubspot_gateway
