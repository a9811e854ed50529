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

ForwardReactor::ForwardReactor(absl::string_view rpc, ParseBody parse)
    : rpc_(rpc), parse_(std::move(parse)) {}

grpc::ServerUnaryReactor* ForwardReactor::Forward(
    grpc::CallbackServerContext* context, absl::string_view rpc,
    HubSpotTransport* transport, HubSpotCall call, ParseBody parse,
    std::optional<CallerTicket> ticket, AuditLog* audit, AuditRecord record) {
  auto* reactor = new ForwardReactor(rpc, std::move(parse));
  reactor->ticket_ = std::move(ticket);
  reactor->audit_ = audit;
  reactor->record_ = std::move(record);
  call.deadline = CallerDeadline(*context);
  call.cancellation = reactor->cancellation_;
  // The transport answers exactly once, so Finish runs exactly once and
  // `reactor` is alive until then (OnDone comes after Finish).
  transport->Send(std::move(call), [reactor](absl::StatusOr<HttpResponse> r) {
    reactor->OnAnswer(std::move(r));
  });
  return reactor;
}

grpc::ServerUnaryReactor* ForwardReactor::Reject(
    grpc::CallbackServerContext* context, absl::string_view rpc,
    grpc::Status status) {
  (void)context;
  auto* reactor = new ForwardReactor(rpc, nullptr);
  reactor->Complete(std::move(status));
  return reactor;
}

void ForwardReactor::OnAnswer(absl::StatusOr<HttpResponse> answer) {
  if (!answer.ok()) {
    Complete(ToGrpcStatus(answer.status()));
    return;
  }
  http_status_ = answer->status;
  if (answer->status < 200 || answer->status >= 300) {
    if (audit_ != nullptr) {
      record_.hubspot_correlation_id =
          ParseHubSpotError(answer->status, answer->body).correlation_id();
    }
    Complete(StatusFromHubSpotAnswer(*answer));
    return;
  }
  const absl::Status parsed = parse_(answer->body);
  if (!parsed.ok()) {
    Complete(grpc::Status(
        grpc::StatusCode::UNAVAILABLE,
        absl::StrCat("HubSpot sent an invalid answer to ", rpc_, " (HTTP ",
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
  const LogLevel level =
      code_ == grpc::StatusCode::OK ? LogLevel::kDebug : LogLevel::kInfo;
  Log(level, "rpc",
      {{"method", rpc_},
       {"code", absl::StrCat(static_cast<int>(code_))},
       {"duration_ms",
        absl::StrCat(absl::ToDoubleMilliseconds(absl::Now() - started_))},
       {"hubspot_status", absl::StrCat(http_status_)},
       {"error", error_}});
  delete this;
}

}  // namespace hubspot_gateway
