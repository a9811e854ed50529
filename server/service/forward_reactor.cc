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
    AuditRecord audit_record) {
  call.traceparent = rpc.trace.Traceparent();
  call.tracestate = rpc.trace.tracestate;
  auto* reactor = new ForwardReactor(std::move(rpc), std::move(parse));
  reactor->ticket_ = std::move(ticket);
  reactor->audit_ = audit;
  reactor->record_ = std::move(audit_record);
  call.deadline = CallerDeadline(*context);
  call.cancellation = reactor->cancellation_;
  // The transport answers exactly once, so Finish runs exactly once and
  // `reactor` is alive until then (OnDone comes after Finish).
  transport->Send(std::move(call), [reactor](absl::StatusOr<HttpResponse> r) {
    reactor->OnAnswer(std::move(r));
  });
  return reactor;
}

grpc::ServerUnaryReactor* ForwardReactor::Reject(RpcRecord rpc,
                                                 grpc::Status status) {
  auto* reactor = new ForwardReactor(std::move(rpc), nullptr);
  reactor->Complete(std::move(status));
  return reactor;
}

void ForwardReactor::OnAnswer(absl::StatusOr<HttpResponse> answer) {
  if (!answer.ok()) {
    Complete(ToGrpcStatus(answer.status()));
    return;
  }
  rpc_.hubspot_status = answer->status;
  if (answer->status < 200 || answer->status >= 300) {
    rpc_.hubspot_correlation_id =
        ParseHubSpotError(answer->status, answer->body).correlation_id();
    record_.hubspot_correlation_id = rpc_.hubspot_correlation_id;
    Complete(StatusFromHubSpotAnswer(*answer));
    return;
  }
  const absl::Status parsed = parse_(answer->body);
  if (!parsed.ok()) {
    Complete(grpc::Status(
        grpc::StatusCode::UNAVAILABLE,
        absl::StrCat("HubSpot sent an invalid answer to ", rpc_.method,
                     " (HTTP ",
                     answer->status, "): ", parsed.message())));
    return;
  }
  Complete(grpc::Status::OK);
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
