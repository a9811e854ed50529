#ifndef HUBSPOT_GATEWAY_SERVICE_IMPORT_SERVICE_H_
#define HUBSPOT_GATEWAY_SERVICE_IMPORT_SERVICE_H_

#include <atomic>
#include <map>
#include <string>

#include "hubspot/crm/imports/v1/import_service.grpc.pb.h"
#include "server/access/audit_log.h"
#include "server/access/caller_registry.h"
#include "server/hubspot/hubspot_transport.h"
#include "server/service/rpc_record.h"
#include "server/service/start_import_reactor.h"

namespace hubspot_gateway {

// Who may call, and where their calls are recorded.
struct AccessControl {
  const CallerRegistry* callers = nullptr;
  AuditLog* audit = nullptr;
  // The listener serves TLS: calls that arrive otherwise came through the
  // plaintext probe port, which is for health checks only.
  bool require_tls = false;
};

// Where calls to one HubSpot account go.
struct AccountRoute {
  HubSpotTransport* transport = nullptr;
  // The gateway's upload settings with the account's compression and
  // idempotency keys.
  UploadSettings upload;
};

// The metadata key a call names its HubSpot account with.
inline constexpr char kAccountMetadataKey[] = "x-hubspot-account";

// hubspot.crm.imports.v1.ImportService on gRPC's callback API: every call
// is identified and authorized, then forwarded to HubSpot without a thread
// waiting for the answer.
class ImportServiceImpl final
    : public hubspot::crm::imports::v1::ImportService::CallbackService {
 public:
  // `accounts` by name; their transports and `access`'s objects must
  // outlive the server.
  ImportServiceImpl(std::map<std::string, AccountRoute> accounts,
                    AccessControl access)
      : accounts_(std::move(accounts)), access_(access) {}

  // StartImport calls in progress.
  int uploads_in_flight() const { return uploads_in_flight_.load(); }

  grpc::ServerReadReactor<hubspot::crm::imports::v1::StartImportRequest>*
  StartImport(grpc::CallbackServerContext* context,
              hubspot::crm::imports::v1::Import* response) override;
  grpc::ServerUnaryReactor* ListImports(
      grpc::CallbackServerContext* context,
      const hubspot::crm::imports::v1::ListImportsRequest* request,
      hubspot::crm::imports::v1::ListImportsResponse* response) override;
  grpc::ServerUnaryReactor* GetImport(
      grpc::CallbackServerContext* context,
      const hubspot::crm::imports::v1::GetImportRequest* request,
      hubspot::crm::imports::v1::Import* response) override;
  grpc::ServerUnaryReactor* ListImportErrors(
      grpc::CallbackServerContext* context,
      const hubspot::crm::imports::v1::ListImportErrorsRequest* request,
      hubspot::crm::imports::v1::ListImportErrorsResponse* response) override;
  grpc::ServerUnaryReactor* CancelImport(
      grpc::CallbackServerContext* context,
      const hubspot::crm::imports::v1::CancelImportRequest* request,
      hubspot::crm::imports::v1::CancelImportResponse* response) override;

 private:
  struct Admission {
    const Caller* caller;
    CallerTicket ticket;
    std::string account;
    const AccountRoute* route;
    // For the call's audit line.
    AuditContext Audit(AuditLog* log, std::string peer) const {
      return AuditContext{log, caller->name, std::move(peer), account};
    }
  };
  // The caller, when it is known, holds `permission`, may use the HubSpot
  // account the call names (or has a default one) and is within its
  // limits; otherwise the UNAUTHENTICATED, PERMISSION_DENIED,
  // INVALID_ARGUMENT or RESOURCE_EXHAUSTED to answer, already audited.
  // Fills `rpc`'s caller and account as they become known.
  absl::StatusOr<Admission> Admit(grpc::CallbackServerContext* context,
                                  Permission permission, RpcRecord* rpc);

  const std::map<std::string, AccountRoute> accounts_;
  const AccessControl access_;
  std::atomic<int> uploads_in_flight_{0};
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_SERVICE_IMPORT_SERVICE_H_
