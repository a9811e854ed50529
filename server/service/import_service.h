#ifndef HUBSPOT_GATEWAY_SERVICE_IMPORT_SERVICE_H_
#define HUBSPOT_GATEWAY_SERVICE_IMPORT_SERVICE_H_

#include <atomic>

#include "hubspot/crm/imports/v1/import_service.grpc.pb.h"
#include "server/access/audit_log.h"
#include "server/access/caller_registry.h"
#include "server/hubspot/hubspot_transport.h"
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

// hubspot.crm.imports.v1.ImportService on gRPC's callback API: every call
// is identified and authorized, then forwarded to HubSpot without a thread
// waiting for the answer.
class ImportServiceImpl final
    : public hubspot::crm::imports::v1::ImportService::CallbackService {
 public:
  // `transport` and `access`'s objects must outlive the server.
  ImportServiceImpl(HubSpotTransport* transport, UploadSettings upload,
                    AccessControl access)
      : transport_(transport), upload_(std::move(upload)), access_(access) {}

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
  };
  // The caller, when it is known, holds `permission` and is within its
  // limits; otherwise the UNAUTHENTICATED, PERMISSION_DENIED or
  // RESOURCE_EXHAUSTED to answer, already audited.
  absl::StatusOr<Admission> Admit(grpc::CallbackServerContext* context,
                                  Permission permission, absl::string_view rpc);

  HubSpotTransport* const transport_;
  const UploadSettings upload_;
  const AccessControl access_;
  std::atomic<int> uploads_in_flight_{0};
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_SERVICE_IMPORT_SERVICE_H_
