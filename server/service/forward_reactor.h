#ifndef HUBSPOT_GATEWAY_SERVICE_FORWARD_REACTOR_H_
#define HUBSPOT_GATEWAY_SERVICE_FORWARD_REACTOR_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "server/access/audit_log.h"
#include "server/access/caller_registry.h"
#include "server/common/cancellation.h"
#include "server/hubspot/hubspot_transport.h"
#include "server/service/rpc_record.h"

namespace hubspot_gateway {

// One unary RPC forwarded to HubSpot. Lives from the RPC's start to OnDone:
// sends the call, maps HubSpot's answer (or the failure) to the response and
// status, and turns the caller's cancellation into an aborted transfer.
class ForwardReactor final : public grpc::ServerUnaryReactor {
 public:
  // Fills the RPC's response from a 2xx body.
  using ParseBody = absl::AnyInvocable<absl::Status(absl::string_view body)>;
  // The status to answer, and whether the call's lost attempt turned out
  // to have done what the call asked for.
  using Reply = absl::AnyInvocable<void(grpc::Status status, bool recovered) &&>;
  // Runs when HubSpot refused (4xx) a repeat of an attempt whose answer was
  // lost: the refusal may be the lost attempt's doing (a cancel's 409 for
  // an import it cancelled). `followup` carries the call's deadline,
  // cancellation and trace for any call it sends; it answers through
  // `reply` once, filling the response when the call did succeed.
  using Reconcile = absl::AnyInvocable<void(const HttpResponse& refusal,
                                            HubSpotCall followup,
                                            Reply reply) &&>;

  // Starts forwarding `call` (method and path already set), in `rpc`'s
  // trace. With `audit`, the call's end is written to the audit trail as
  // `audit_record` completed with the outcome. `ticket` counts the call
  // against its caller's limits until it ends.
  static grpc::ServerUnaryReactor* Forward(grpc::CallbackServerContext* context,
                                           RpcRecord rpc,
                                           HubSpotTransport* transport,
                                           HubSpotCall call, ParseBody parse,
                                           std::optional<CallerTicket> ticket,
                                           AuditLog* audit = nullptr,
                                           AuditRecord audit_record = {},
                                           Reconcile reconcile = nullptr);
  // Answers at once, without reaching HubSpot (e.g. a validation failure).
  static grpc::ServerUnaryReactor* Reject(RpcRecord rpc, grpc::Status status);

  void OnCancel() override { cancellation_->Cancel(); }
  void OnDone() override;

 private:
  ForwardReactor(RpcRecord rpc, ParseBody parse);
  void OnAnswer(HubSpotAnswer answer);
  grpc::Status StatusOf(const absl::StatusOr<HttpResponse>& answer);
  // Records how a call that may have acted at HubSpot without an answer
  // ended: "recovered" or "unknown" (empty: neither).
  void SetOutcome(std::string outcome);
  void Complete(grpc::Status status);

  RpcRecord rpc_;
  ParseBody parse_;
  // Valid until OnDone; null for a rejected call.
  grpc::CallbackServerContext* context_ = nullptr;
  HubSpotTransport* transport_ = nullptr;
  // The forwarded call's method and endpoint, and what follow-ups reuse.
  std::string http_method_;
  std::string endpoint_;
  absl::Time deadline_ = absl::InfiniteFuture();
  Reconcile reconcile_;
  const std::shared_ptr<CancellationSignal> cancellation_ =
      std::make_shared<CancellationSignal>();
  AuditLog* audit_ = nullptr;
  AuditRecord record_;
  std::optional<CallerTicket> ticket_;
  grpc::StatusCode code_ = grpc::StatusCode::OK;
  std::string error_;
};

// The caller's gRPC deadline, InfiniteFuture when it set none.
absl::Time CallerDeadline(const grpc::CallbackServerContext& context);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_SERVICE_FORWARD_REACTOR_H_
