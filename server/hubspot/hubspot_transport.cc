#include "server/hubspot/hubspot_transport.h"

#include <algorithm>
#include <atomic>
#include <utility>

#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "server/common/log.h"
#include "server/hubspot/rest_mapping.h"

namespace hubspot_gateway {
namespace {

double RandomFraction() {
  thread_local absl::InsecureBitGen bits;
  return absl::Uniform(bits, 0.0, 1.0);
}

std::string Describe(const absl::StatusOr<HttpResponse>& result) {
  if (!result.ok()) return std::string(result.status().message());
  return absl::StrCat("HTTP ", result->status);
}

}  // namespace

// The life of one call: get a credential, send, after a 401 once more, and
// after a passing failure again after a back-off. Shared between the
// credential wait, the HTTP transfer, the back-off timer and the caller's
// cancellation; whichever finishes first answers.
class HubSpotTransport::Attempt
    : public std::enable_shared_from_this<HubSpotTransport::Attempt> {
 public:
  Attempt(HubSpotTransport* transport, HubSpotCall call, HubSpotCallback done,
          absl::Time caller_deadline)
      : transport_(transport),
        call_(std::move(call)),
        done_(std::move(done)),
        caller_deadline_(caller_deadline) {}

  void Start() {
    if (!WatchCancellation()) return;
    Authenticate();
  }

 private:
  // Lets the caller's cancellation answer the call while no transfer is in
  // flight (a transfer installs a hook of its own). False, with the call
  // answered, when it is already cancelled.
  bool WatchCancellation() {
    if (call_.cancellation == nullptr) return true;
    std::weak_ptr<Attempt> weak = weak_from_this();
    if (call_.cancellation->SetHook([weak] {
          if (auto self = weak.lock()) {
            self->Finish(absl::CancelledError("call cancelled"));
          }
        })) {
      return true;
    }
    Finish(absl::CancelledError("call cancelled"));
    return false;
  }

  void Authenticate() {
    transport_->credentials_->GetAuthHeader(
        [self = shared_from_this()](absl::StatusOr<AuthHeader> auth) {
          if (!auth.ok()) {
            self->Finish(auth.status());
            return;
          }
          self->SendWith(*std::move(auth));
        });
  }

  std::shared_ptr<BodySource> body_source() {
    absl::MutexLock lock(&body_mu_);
    return call_.body_source;
  }

  // Waits for the rate limiter's go, if there is one, then sends.
  void SendWith(AuthHeader auth) {
    if (finished_.load()) return;
    RateLimiter* limiter = transport_->options_.rate_limiter;
    if (limiter == nullptr) {
      SendNow(std::move(auth));
      return;
    }
    limiter->Acquire(call_.deadline, [self = shared_from_this(),
                                      auth = std::move(auth)](
                                         absl::Status go) mutable {
      if (!go.ok()) {
        self->Finish(std::move(go));
        return;
      }
      self->SendNow(std::move(auth));
    });
  }

  void SendNow(AuthHeader auth) {
    if (finished_.load()) return;
    if (absl::Now() >= call_.deadline) {
      Finish(absl::DeadlineExceededError(
          "deadline exceeded before the call reached HubSpot"));
      return;
    }
    HttpRequest request;
    request.method = call_.method;
    request.url = absl::StrCat(transport_->options_.base_url,
                               call_.path_and_query);
    request.headers = {auth.line, "Accept: application/json"};
    if (!call_.traceparent.empty()) {
      request.headers.push_back("traceparent: " + call_.traceparent);
    }
    if (!call_.tracestate.empty()) {
      request.headers.push_back("tracestate: " + call_.tracestate);
    }
    if (!call_.content_encoding.empty()) {
      request.headers.push_back("Content-Encoding: " + call_.content_encoding);
    }
    if (std::shared_ptr<BodySource> body = body_source(); body != nullptr) {
      request.headers.push_back("Content-Type: " + call_.content_type);
      request.body_source = std::move(body);
    } else if (!call_.body.empty()) {
      request.headers.push_back("Content-Type: " + call_.content_type);
      request.body = call_.body;
    }
    if (CircuitBreaker* breaker = transport_->options_.breaker) {
      CircuitBreaker::Admission admission = breaker->Admit();
      if (!admission.allowed) {
        Finish(absl::UnavailableError(admission.reason));
        return;
      }
      probe_ = admission.probe;
    }
    request.deadline = call_.deadline;
    request.cancellation = call_.cancellation;
    sent_at_ = absl::Now();
    transport_->http_->Send(
        std::move(request),
        [self = shared_from_this(), auth = std::move(auth)](
            absl::StatusOr<HttpResponse> r,
            const TransferFacts& facts) mutable {
          self->OnAnswer(std::move(auth), std::move(r), facts);
        });
  }

  void OnAnswer(AuthHeader used, absl::StatusOr<HttpResponse> response,
                const TransferFacts& facts) {
    if (HubSpotMetrics* metrics = transport_->options_.metrics) {
      metrics->Request(call_.endpoint, response, absl::Now() - sent_at_);
      for (int i = 0; i < facts.curl_resends; ++i) {
        metrics->Retry(call_.endpoint);
      }
    }
    if (facts.curl_resends > 0) {
      Log(LogLevel::kInfo,
          "a kept connection to HubSpot died before answering; the GET was "
          "sent again on a new one",
          {{"method", call_.method}, {"path", call_.path_and_query}});
    }
    const AttemptEffect effect = ClassifyAttempt(response, facts);
    if (CircuitBreaker* breaker = transport_->options_.breaker) {
      breaker->Record(BreakerOutcome(*breaker, response), probe_);
      probe_ = false;
    }
    if (finished_.load()) return;
    if (response.ok() && response->status == 401 && !reauthenticated_ &&
        RewindBody() && transport_->credentials_->Invalidate(used)) {
      reauthenticated_ = true;
      if (WatchCancellation()) Authenticate();
      return;
    }
    if (response.ok() && response->status < 400) {
      transport_->budget_.OnSuccess();
    } else if (MaybeRetry(response, effect)) {
      return;
    }
    Finish(std::move(response), effect);
  }

  // What one request tells about HubSpot's health. A caller that gave up
  // (cancelled, or its own deadline passed) tells nothing.
  CircuitBreaker::Outcome BreakerOutcome(
      const CircuitBreaker& breaker,
      const absl::StatusOr<HttpResponse>& response) const {
    if (response.ok()) {
      return breaker.IsFailureStatus(response->status)
                 ? CircuitBreaker::Outcome::kFailure
                 : CircuitBreaker::Outcome::kSuccess;
    }
    if (absl::IsCancelled(response.status()) ||
        absl::Now() >= caller_deadline_) {
      return CircuitBreaker::Outcome::kAbandoned;
    }
    return CircuitBreaker::Outcome::kFailure;
  }

  // Readies an upload body for one more attempt. At once, not when the
  // attempt starts: a spool stops taking the caller's bytes that would
  // overwrite the beginning of the body from here on.
  bool RewindBody() {
    std::shared_ptr<BodySource> body = body_source();
    return body == nullptr || body->Rewind();
  }

  // Schedules the next attempt when the policy, the deadline and the budget
  // allow one.
  bool MaybeRetry(const absl::StatusOr<HttpResponse>& response,
                  AttemptEffect effect) {
    const RetryPolicy& policy = transport_->options_.retry;
    if (retries_ >= policy.count) return false;
    if (!IsRetryable(policy, call_.retry_safety, response, effect)) {
      return false;
    }
    if (!RewindBody()) {
      Log(LogLevel::kInfo,
          "upload no longer in the spool window; not sending it again",
          {{"method", call_.method}, {"reason", Describe(response)}});
      return false;
    }
    if (!transport_->budget_.OnFailure()) {
      Log(LogLevel::kWarning, "retry budget spent; not retrying",
          {{"method", call_.method}, {"reason", Describe(response)}});
      return false;
    }
    ++retries_;
    if (HubSpotMetrics* metrics = transport_->options_.metrics) {
      metrics->Retry(call_.endpoint);
    }
    absl::Duration wait = Backoff(policy, retries_, RandomFraction());
    if (response.ok()) {
      wait = std::max(wait, RequestedWait(*response).value_or(wait));
    }
    if (absl::Now() + wait >= call_.deadline) return false;
    std::string correlation_id;
    if (response.ok()) {
      correlation_id =
          ParseHubSpotError(response->status, response->body).correlation_id();
    }
    Log(LogLevel::kInfo, "retrying HubSpot call",
        {{"method", call_.method},
         {"path", call_.path_and_query},
         {"retry", absl::StrCat(retries_)},
         {"wait_ms", absl::StrCat(absl::ToInt64Milliseconds(wait))},
         {"reason", Describe(response)},
         {"effect", AttemptEffectName(effect)},
         {"correlation_id", correlation_id}});
    last_failure_ = response;
    last_effect_ = effect;
    if (effect != AttemptEffect::kNone) earlier_attempt_unknown_ = true;
    if (!WatchCancellation()) return true;
    transport_->scheduler_->RunAfter(
        wait, [self = shared_from_this()](bool fired) {
          if (fired) {
            self->Authenticate();
          } else {
            self->Finish(std::move(self->last_failure_), self->last_effect_);
          }
        });
    return true;
  }

  void Finish(absl::StatusOr<HttpResponse> result,
              AttemptEffect effect = AttemptEffect::kNone) {
    if (finished_.exchange(true)) return;
    // Let go of a streamed body before answering: its owner may be waiting
    // to see it released.
    {
      absl::MutexLock lock(&body_mu_);
      call_.body_source.reset();
    }
    HubSpotAnswer answer;
    answer.response = std::move(result);
    answer.effect = effect;
    answer.earlier_attempt_unknown = earlier_attempt_unknown_;
    std::move(done_)(std::move(answer));
  }

  HubSpotTransport* const transport_;
  HubSpotCall call_;  // body_source guarded by body_mu_
  absl::Mutex body_mu_;
  HubSpotCallback done_;
  // The caller's own deadline, before the configured timeout capped it.
  const absl::Time caller_deadline_;
  // The steps below run one after the other (answer, timer, credentials),
  // never concurrently.
  bool reauthenticated_ = false;
  // The request in flight is the circuit breaker's half-open probe.
  bool probe_ = false;
  int retries_ = 0;
  absl::Time sent_at_;
  absl::StatusOr<HttpResponse> last_failure_;
  AttemptEffect last_effect_ = AttemptEffect::kNone;
  bool earlier_attempt_unknown_ = false;
  std::atomic<bool> finished_{false};
};

HubSpotTransport::HubSpotTransport(HubSpotTransportOptions options,
                                   HttpUpstream* http,
                                   CredentialProvider* credentials,
                                   Scheduler* scheduler)
    : options_(std::move(options)),
      http_(http),
      credentials_(credentials),
      scheduler_(scheduler),
      budget_(options_.retry_budget_max_tokens,
              options_.retry_budget_token_ratio) {}

void HubSpotTransport::Send(HubSpotCall call, HubSpotCallback done) {
  const absl::Time caller_deadline = call.deadline;
  call.deadline = std::min(
      call.deadline, absl::Now() + call.timeout.value_or(options_.timeout));
  auto attempt = std::make_shared<Attempt>(this, std::move(call), std::move(done),
                                           caller_deadline);
  attempt->Start();
}

}  // namespace hubspot_gateway
