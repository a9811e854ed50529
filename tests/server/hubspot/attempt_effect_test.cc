#include "server/hubspot/attempt_effect.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace hubspot_gateway {
namespace {

// One row: what the transport saw, what came back, what HubSpot can have
// done. The facts are what CurlMultiLoop reports for the scenario named
// (tests/server/http/curl_multi_loop_test.cc checks those against a real
// server); the classifier sees only facts, so one row stands for every
// protocol and connection that produce them.
struct Row {
  std::string scenario;
  TransferFacts facts;
  absl::StatusOr<HttpResponse> result;
  AttemptEffect expected;
};

TransferFacts Facts(bool issued, bool whole, int status = 0,
                    bool resend_refused = false) {
  TransferFacts f;
  f.request_issued = issued;
  f.body_sent_whole = whole;
  f.response_status = status;
  f.resend_refused = resend_refused;
  return f;
}

HttpResponse Status(int status) {
  HttpResponse r;
  r.status = status;
  return r;
}

absl::Status Unavailable(const char* what) {
  return absl::UnavailableError(what);
}

std::vector<Row> Rows() {
  return {
      // Before the request went out: nothing can have happened.
      {"DNS failure", Facts(false, false), Unavailable("Could not resolve host"),
       AttemptEffect::kNone},
      {"connection refused", Facts(false, false),
       Unavailable("Couldn't connect to server"), AttemptEffect::kNone},
      {"TLS handshake failure (HTTP/2 over TLS)", Facts(false, false),
       Unavailable("SSL connect error"), AttemptEffect::kNone},
      {"proxy refused the CONNECT", Facts(false, false),
       Unavailable("CONNECT tunnel failed, response 403"),
       AttemptEffect::kNone},
      {"deadline before connecting", Facts(false, false),
       absl::DeadlineExceededError("timed out"), AttemptEffect::kNone},
      // The body did not go out whole: HubSpot cannot have the upload.
      {"known length, reset halfway (HTTP/1.1)", Facts(true, false),
       Unavailable("Connection reset by peer"), AttemptEffect::kNone},
      {"unknown length (chunked), the caller's stream broke", Facts(true, false),
       absl::CancelledError("call cancelled"), AttemptEffect::kNone},
      {"gzip body, deflate not finished, time-out", Facts(true, false),
       absl::DeadlineExceededError("timed out"), AttemptEffect::kNone},
      {"server closed after the head, before the body", Facts(true, false),
       Unavailable("Send failure: Connection reset by peer"),
       AttemptEffect::kNone},
      {"answered 401 before the body was complete", Facts(true, false, 401),
       Status(401), AttemptEffect::kNone},
      {"answered 503 before the body was complete (HTTP/2 stream reset)",
       Facts(true, false, 503), Status(503), AttemptEffect::kNone},
      {"answered 200 before the body was complete (impossible for an upload, "
       "kept conservative for the body rule)",
       Facts(true, false, 200), Status(200), AttemptEffect::kNone},
      // Whole, and a telling answer.
      {"created (HTTP/1.1, fresh connection)", Facts(true, true, 200),
       Status(200), AttemptEffect::kApplied},
      {"created (HTTP/2, reused connection)", Facts(true, true, 201),
       Status(201), AttemptEffect::kApplied},
      {"created, answer body cut (Transferred a partial file)",
       Facts(true, true, 200), Unavailable("Transferred a partial file"),
       AttemptEffect::kApplied},
      {"created, answer too large to keep", Facts(true, true, 200),
       Unavailable("response exceeds the gateway's limit"),
       AttemptEffect::kApplied},
      {"rate limited (429) after the whole body", Facts(true, true, 429),
       Status(429), AttemptEffect::kNone},
      {"refused, 400 validation error", Facts(true, true, 400), Status(400),
       AttemptEffect::kNone},
      {"cancel of an inactive import, 409", Facts(true, true, 409),
       Status(409), AttemptEffect::kNone},
      {"429 whose body was cut", Facts(true, true, 429),
       Unavailable("Transferred a partial file"), AttemptEffect::kNone},
      // Whole, and nothing telling: nobody knows.
      {"503 after the whole body", Facts(true, true, 503), Status(503),
       AttemptEffect::kUnknown},
      {"500 after the whole body (HTTP/2)", Facts(true, true, 500),
       Status(500), AttemptEffect::kUnknown},
      {"502 from a load balancer after the whole body", Facts(true, true, 502),
       Status(502), AttemptEffect::kUnknown},
      {"3xx (a misrouted base URL)", Facts(true, true, 302), Status(302),
       AttemptEffect::kUnknown},
      {"empty reply on a fresh connection", Facts(true, true),
       Unavailable("Empty reply from server"), AttemptEffect::kUnknown},
      {"reset after the whole body (HTTP/1.1)", Facts(true, true),
       Unavailable("Recv failure: Connection reset by peer"),
       AttemptEffect::kUnknown},
      {"HTTP/2 GOAWAY after the whole body", Facts(true, true),
       Unavailable("HTTP/2 stream 1 was not closed cleanly"),
       AttemptEffect::kUnknown},
      {"kept connection died, libcurl's resend refused", Facts(true, true, 0, true),
       Unavailable("kept-alive connection closed"), AttemptEffect::kUnknown},
      {"time-out waiting for the answer", Facts(true, true),
       absl::DeadlineExceededError("timed out"), AttemptEffect::kUnknown},
      {"caller cancelled after the whole body", Facts(true, true),
       absl::CancelledError("call cancelled"), AttemptEffect::kUnknown},
      {"bodiless POST (a cancel) issued, empty reply", Facts(true, true),
       Unavailable("Empty reply from server"), AttemptEffect::kUnknown},
      {"5xx whose body was cut", Facts(true, true, 502),
       Unavailable("Transferred a partial file"), AttemptEffect::kUnknown},
  };
}

TEST(ClassifyAttemptTest, EveryRow) {
  for (const Row& row : Rows()) {
    SCOPED_TRACE(row.scenario);
    EXPECT_EQ(AttemptEffectName(ClassifyAttempt(row.result, row.facts)),
              std::string(AttemptEffectName(row.expected)));
  }
}

}  // namespace
}  // namespace hubspot_gateway
