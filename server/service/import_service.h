#ifndef HUBSPOT_GATEWAY_SERVICE_IMPORT_SERVICE_H_
#define HUBSPOT_GATEWAY_SERVICE_IMPORT_SERVICE_H_

#include <atomic>

#include "hubspot/crm/imports/v1/import_service.grpc.pb.h"
#include "server/hubspot/hubspot_transport.h"
#include "server/service/start_import_reactor.h"

namespace hubspot_gateway {

// hubspot.crm.imports.v1.ImportService on gRPC's callback API: every call
// is forwarded to HubSpot without a thread waiting for the answer.
class ImportServiceImpl final
    : public hubspot::crm::imports::v1::ImportService::CallbackService {
 public:
  // `transport` must outlive the server.
  ImportServiceImpl(HubSpotTransport* transport, UploadSettings upload)
      : transport_(transport), upload_(std::move(upload)) {}

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
  HubSpotTransport* const transport_;
  const UploadSettings upload_;
  std::atomic<int> uploads_in_flight_{0};
};

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_SERVICE_IMPORT_SERVICE_H_
