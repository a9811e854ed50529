#include "server/service/forward_reactor.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/common/log.h"
#include "server/hubspot/error_mapping.h"
#include "server/hubspot/rest_mapping.h"

namespace hubspot_gateway {

absl::Time CallerDeadline(const grpc::CallbackServerContext& context) {
  const auto deadline = context.deadline();
  // gRPC reports "no deadline" as a time far in the future.
  if (deadline >=
      std::chrono::system_clock::now() + std::chrono::hours(24 * 365)) {
    return absl::InfiniteFuture();
  }
  return absl::FromChrono(deadline);
}

ForwardReactor::ForwardReactor(RpcRecord rpc, ParseBody parse)
    : rpc_(std::move(rpc)), parse_(std::move(parse)) {}

grpc::ServerUnaryReactor* ForwardReactor::Forward(
    grpc::CallbackServerContext* context, RpcRecord rpc,
    HubSpotTransport* transport, HubSpotCall call, ParseBody parse,
    std::optional<CallerTicket> ticket, AuditLog* audit,
    AuditRecord audit_record, Reconcile reconcile) {
  call.traceparent = rpc.trace.Traceparent();
  call.tracestate = rpc.trace.tracestate;
  auto* reactor = new ForwardReactor(std::move(rpc), std::move(parse));
  reactor->ticket_ = std::move(ticket);
  reactor->audit_ = audit;
  reactor->record_ = std::move(audit_record);
  reactor->context_ = context;
  reactor->transport_ = transport;
  reactor->http_method_ = call.method;
  reactor->endpoint_ = call.endpoint;
  reactor->reconcile_ = std::move(reconcile);
  call.deadline = CallerDeadline(*context);
  reactor->deadline_ = call.deadline;
  call.cancellation = reactor->cancellation_;
  // The transport answers exactly once, and a reconcile step replies
  // exactly once, so Finish runs exactly once and `reactor` is alive until
  // then (OnDone comes after Finish).
  transport->Send(std::move(call), [reactor](HubSpotAnswer answer) {
    reactor->OnAnswer(std::move(answer));
  });
  return reactor;
}

grpc::ServerUnaryReactor* ForwardReactor::Reject(RpcRecord rpc,
                                                 grpc::Status status) {
  auto* reactor = new ForwardReactor(std::move(rpc), nullptr);
  reactor->Complete(std::move(status));
  return reactor;
}

void ForwardReactor::OnAnswer(HubSpotAnswer answer) {
  const absl::StatusOr<HttpResponse>& response = answer.response;
  if (response.ok()) rpc_.hubspot_status = response->status;
  const bool refused = response.ok() && response->status >= 400 &&
                       response->status < 500 && response->status != 429;
  if (refused && answer.earlier_attempt_unknown && reconcile_) {
    HubSpotCall followup;
    followup.deadline = deadline_;
    followup.cancellation = cancellation_;
    followup.traceparent = rpc_.trace.Traceparent();
    followup.tracestate = rpc_.trace.tracestate;
    std::move(reconcile_)(
        *response, std::move(followup),
        [this, refusal = StatusOf(response)](grpc::Status status,
                                             bool recovered) mutable {
          if (recovered) {
            SetOutcome("recovered");
            Log(LogLevel::kInfo,
                "HubSpot's answer was lost, and the first attempt had "
                "taken effect",
                {{"method", rpc_.method},
                 {"request_id", rpc_.request_id},
                 {"import_id", absl::StrCat(rpc_.import_id)}});
          }
          Complete(recovered ? std::move(status) : std::move(refusal));
        });
    return;
  }
  grpc::Status status = StatusOf(response);
  // Reads change nothing; for anything else the caller must know that
  // HubSpot may have acted although the call failed.
  if (!status.ok() && http_method_ != "GET" &&
      (answer.effect != AttemptEffect::kNone ||
       answer.earlier_attempt_unknown)) {
    SetOutcome("unknown");
  }
  Complete(std::move(status));
}

grpc::Status ForwardReactor::StatusOf(
    const absl::StatusOr<HttpResponse>& answer) {
  if (!answer.ok()) return ToGrpcStatus(answer.status());
  if (answer->status < 200 || answer->status >= 300) {
    rpc_.hubspot_correlation_id =
        ParseHubSpotError(answer->status, answer->body).correlation_id();
    record_.hubspot_correlation_id = rpc_.hubspot_correlation_id;
    return StatusFromHubSpotAnswer(*answer);
  }
  const absl::Status parsed = parse_(answer->body);
  if (!parsed.ok()) {
    return grpc::Status(
        grpc::StatusCode::UNAVAILABLE,
        absl::StrCat("HubSpot sent an invalid answer to ", rpc_.method,
                     " (HTTP ", answer->status, "): ", parsed.message()));
  }
  return grpc::Status::OK;
}

void ForwardReactor::SetOutcome(std::string outcome) {
  if (HubSpotMetrics* metrics = transport_->metrics()) {
    metrics->UnknownOutcome(endpoint_, outcome == "recovered");
  }
  context_->AddTrailingMetadata(kOutcomeMetadataKey, outcome);
  rpc_.outcome = std::move(outcome);
}

void ForwardReactor::Complete(grpc::Status status) {
  code_ = status.error_code();
  if (!status.ok()) error_ = status.error_message();
  if (audit_ != nullptr) {
    record_.code = code_;
    record_.error = error_;
    audit_->Write(record_);
  }
  Finish(std::move(status));
}

void ForwardReactor::OnDone() {
  rpc_.Write(code_, error_);
  delete this;
}

}  // namespace hubspot_gateway
