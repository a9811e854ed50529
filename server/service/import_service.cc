#include "server/service/import_service.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "server/access/grpc_peer.h"
#include "server/hubspot/error_mapping.h"
#include "server/hubspot/imports_api.h"
#include "server/hubspot/rest_mapping.h"
#include "server/service/cancel_confirmation.h"
#include "server/service/forward_reactor.h"

namespace hubspot_gateway {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
namespace cfg = ::hubspot::crm::imports::gateway::v1;

// Validates with `build`, then forwards and parses the answer into
// `response` with `parse`.
template <typename Request, typename Response, typename Build, typename Parse>
grpc::ServerUnaryReactor* Forward(grpc::CallbackServerContext* context,
                                  RpcRecord rpc, HubSpotTransport* transport,
                                  const Request& request, Response* response,
                                  Build build, Parse parse,
                                  CallerTicket ticket) {
  HubSpotCall call;
  grpc::Status valid = build(request, &call);
  if (!valid.ok()) return ForwardReactor::Reject(std::move(rpc), std::move(valid));
  return ForwardReactor::Forward(
      context, std::move(rpc), transport, std::move(call),
      [response, parse](absl::string_view body) {
        return parse(body, response);
      },
      std::move(ticket));
}

// The x-hubspot-account metadata: absent, or its one value.
absl::StatusOr<std::optional<std::string>> RequestedAccount(
    const grpc::CallbackServerContext& context) {
  const std::vector<absl::string_view> values =
      MetadataValues(context, kAccountMetadataKey);
  if (values.empty()) return std::nullopt;
  if (values.size() > 1) {
    return absl::InvalidArgumentError(
        "x-hubspot-account: given more than once; name one HubSpot account");
  }
  return std::string(values[0]);
}

}  // namespace

absl::StatusOr<ImportServiceImpl::Admission> ImportServiceImpl::Admit(
    grpc::CallbackServerContext* context, Permission permission,
    RpcRecord* rpc) {
  absl::StatusOr<const Caller*> caller =
      access_.require_tls && !ArrivedOverTls(*context)
          ? absl::PermissionDeniedError(
                "this port (probeListenAddress) answers health checks only; "
                "call the gateway's TLS port (listenAddress)")
          : access_.callers->Identify(PeerIdentityOf(*context));
  if (caller.ok()) rpc->caller = (*caller)->name;
  absl::Status admitted =
      caller.ok() ? CallerRegistry::Authorize(**caller, permission, rpc->method)
                  : caller.status();
  absl::StatusOr<std::optional<std::string>> requested = RequestedAccount(*context);
  absl::StatusOr<std::string> account;
  if (admitted.ok()) {
    account = requested.ok()
                  ? access_.callers->ChooseAccount(**caller, *requested)
                  : requested.status();
    admitted = account.status();
  }
  const AccountRoute* route = nullptr;
  if (account.ok()) rpc->account = *account;
  if (admitted.ok()) {
    auto it = accounts_.find(*account);
    if (it != accounts_.end()) {
      route = &it->second;
    } else {
      // CallerRegistry grants configured accounts only.
      admitted = absl::InternalError("the HubSpot account is not served");
    }
  }
  if (admitted.ok()) {
    absl::StatusOr<CallerTicket> ticket = CallerTicket::Take(
        **caller, /*upload=*/permission == cfg::PERMISSION_START);
    if (ticket.ok()) {
      return Admission{*caller, *std::move(ticket), *account, route};
    }
    admitted = ticket.status();
  }
  AuditRecord record;
  record.rpc = rpc->method;
  if (caller.ok()) record.caller = (*caller)->name;
  if (account.ok()) {
    record.account = *account;
  } else if (requested.ok() && requested->has_value()) {
    // As asked for: escaped by the audit line's JSON, and bounded.
    record.account = (*requested)->substr(0, 64);
  }
  record.peer = PeerAddressOf(*context);
  record.code = static_cast<grpc::StatusCode>(admitted.code());
  record.error = std::string(admitted.message());
  access_.audit->Write(record);
  return admitted;
}

grpc::ServerReadReactor<v1::StartImportRequest>* ImportServiceImpl::StartImport(
    grpc::CallbackServerContext* context, v1::Import* response) {
  RpcRecord rpc = RpcRecord::Begin(context, "StartImport");
  absl::StatusOr<Admission> admission =
      Admit(context, cfg::PERMISSION_START, &rpc);
  if (!admission.ok()) {
    return StartImportReactor::Refuse(std::move(rpc),
                                      ToGrpcStatus(admission.status()));
  }
  return StartImportReactor::Create(
      context, admission->route->transport, admission->route->upload, response,
      &uploads_in_flight_,
      admission->Audit(access_.audit, PeerAddressOf(*context)),
      std::move(admission->ticket), std::move(rpc));
}

grpc::ServerUnaryReactor* ImportServiceImpl::ListImports(
    grpc::CallbackServerContext* context, const v1::ListImportsRequest* request,
    v1::ListImportsResponse* response) {
  RpcRecord rpc = RpcRecord::Begin(context, "ListImports");
  absl::StatusOr<Admission> admission =
      Admit(context, cfg::PERMISSION_READ, &rpc);
  if (!admission.ok()) {
    return ForwardReactor::Reject(std::move(rpc),
                                  ToGrpcStatus(admission.status()));
  }
  return Forward(context, std::move(rpc), admission->route->transport,
                 *request, response, &BuildListImports,
                 &ParseListImportsResponse, std::move(admission->ticket));
}

grpc::ServerUnaryReactor* ImportServiceImpl::GetImport(
    grpc::CallbackServerContext* context, const v1::GetImportRequest* request,
    v1::Import* response) {
  RpcRecord rpc = RpcRecord::Begin(context, "GetImport");
  rpc.import_id = request->import_id();
  absl::StatusOr<Admission> admission =
      Admit(context, cfg::PERMISSION_READ, &rpc);
  if (!admission.ok()) {
    return ForwardReactor::Reject(std::move(rpc),
                                  ToGrpcStatus(admission.status()));
  }
  return Forward(context, std::move(rpc), admission->route->transport,
                 *request, response, &BuildGetImport, &ParseImport,
                 std::move(admission->ticket));
}

grpc::ServerUnaryReactor* ImportServiceImpl::ListImportErrors(
    grpc::CallbackServerContext* context,
    const v1::ListImportErrorsRequest* request,
    v1::ListImportErrorsResponse* response) {
  RpcRecord rpc = RpcRecord::Begin(context, "ListImportErrors");
  rpc.import_id = request->import_id();
  absl::StatusOr<Admission> admission =
      Admit(context, cfg::PERMISSION_READ, &rpc);
  if (!admission.ok()) {
    return ForwardReactor::Reject(std::move(rpc),
                                  ToGrpcStatus(admission.status()));
  }
  return Forward(context, std::move(rpc), admission->route->transport,
                 *request, response, &BuildListImportErrors,
                 &ParseListImportErrorsResponse, std::move(admission->ticket));
}

grpc::ServerUnaryReactor* ImportServiceImpl::CancelImport(
    grpc::CallbackServerContext* context,
    const v1::CancelImportRequest* request,
    v1::CancelImportResponse* response) {
  RpcRecord rpc = RpcRecord::Begin(context, "CancelImport");
  rpc.import_id = request->import_id();
  absl::StatusOr<Admission> admission =
      Admit(context, cfg::PERMISSION_CANCEL, &rpc);
  if (!admission.ok()) {
    return ForwardReactor::Reject(std::move(rpc),
                                  ToGrpcStatus(admission.status()));
  }
  AuditRecord record;
  record.rpc = "CancelImport";
  record.caller = admission->caller->name;
  record.peer = PeerAddressOf(*context);
  record.account = admission->account;
  record.import_id = request->import_id();
  HubSpotCall call;
  grpc::Status valid = BuildCancelImport(*request, &call);
  if (!valid.ok()) {
    record.code = valid.error_code();
    record.error = valid.error_message();
    access_.audit->Write(record);
    return ForwardReactor::Reject(std::move(rpc), std::move(valid));
  }
  return ForwardReactor::Forward(
      context, std::move(rpc), admission->route->transport, std::move(call),
      [response](absl::string_view body) {
        return ParseCancelImportResponse(body, response);
      },
      std::move(admission->ticket), access_.audit, std::move(record),
      ConfirmCancel(admission->route->transport, request->import_id(),
                    absl::Now(), response));
}

}  // namespace hubspot_gateway
