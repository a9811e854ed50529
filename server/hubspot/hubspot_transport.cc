#include "server/hubspot/hubspot_transport.h"

#include <atomic>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

namespace hubspot_gateway {

// The life of one call: get a credential, send, and after a 401 once more.
// Shared between the credential wait, the HTTP transfer and the caller's
// cancellation; whichever finishes first answers.
class HubSpotTransport::Attempt
    : public std::enable_shared_from_this<HubSpotTransport::Attempt> {
 public:
  Attempt(HubSpotTransport* transport, HubSpotCall call, HttpCallback done)
      : transport_(transport), call_(std::move(call)), done_(std::move(done)) {}

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

  void SendWith(AuthHeader auth) {
    if (finished_.load()) return;
    if (absl::Now() >= call_.deadline) {
      Finish(absl::DeadlineExceededError(
          "deadline exceeded before the call reached HubSpot"));
      return;
    }
    HttpRequest request;
    request.method = call_.method;
    request.url = absl::StrCat(transport_->base_url_, call_.path_and_query);
    request.headers = {auth.line, "Accept: application/json"};
    std::shared_ptr<BodySource> body_source;
    {
      absl::MutexLock lock(&body_mu_);
      body_source = call_.body_source;
    }
    if (body_source != nullptr) {
      if (retried_ && !body_source->Rewind()) {
        Finish(absl::UnauthenticatedError(
            "HubSpot rejected the gateway's credentials and the upload "
            "cannot be sent again"));
        return;
      }
      request.headers.push_back("Content-Type: " + call_.content_type);
      request.body_source = std::move(body_source);
    } else if (!call_.body.empty()) {
      request.headers.push_back("Content-Type: " + call_.content_type);
      request.body = call_.body;
    }
    request.deadline = call_.deadline;
    request.cancellation = call_.cancellation;
    transport_->http_->Send(std::move(request),
                            [self = shared_from_this(), auth = std::move(auth)](
                                absl::StatusOr<HttpResponse> r) mutable {
                              self->OnAnswer(std::move(auth), std::move(r));
                            });
  }

  void OnAnswer(AuthHeader used, absl::StatusOr<HttpResponse> response) {
    if (response.ok() && response->status == 401 && !retried_ &&
        !finished_.load() && transport_->credentials_->Invalidate(used)) {
      retried_ = true;
      if (WatchCancellation()) Authenticate();
      return;
    }
    Finish(std::move(response));
  }

  void Finish(absl::StatusOr<HttpResponse> result) {
    if (finished_.exchange(true)) return;
    // Let go of a streamed body before answering: its owner may be waiting
    // to see it released.
    {
      absl::MutexLock lock(&body_mu_);
      call_.body_source.reset();
    }
    std::move(done_)(std::move(result));
  }

  HubSpotTransport* const transport_;
  HubSpotCall call_;  // body_source guarded by body_mu_
  absl::Mutex body_mu_;
  HttpCallback done_;
  bool retried_ = false;
  std::atomic<bool> finished_{false};
};

HubSpotTransport::HubSpotTransport(std::string base_url, absl::Duration timeout,
                                   HttpUpstream* http,
                                   CredentialProvider* credentials)
    : base_url_(std::move(base_url)),
      timeout_(timeout),
      http_(http),
      credentials_(credentials) {}

void HubSpotTransport::Send(HubSpotCall call, HttpCallback done) {
  call.deadline =
      std::min(call.deadline, absl::Now() + call.timeout.value_or(timeout_));
  auto attempt =
      std::make_shared<Attempt>(this, std::move(call), std::move(done));
  attempt->Start();
}

}  // namespace hubspot_gateway
