#ifndef HUBSPOT_GATEWAY_HUBSPOT_IMPORTS_API_H_
#define HUBSPOT_GATEWAY_HUBSPOT_IMPORTS_API_H_

#include "grpcpp/support/status.h"
#include "hubspot/crm/imports/v1/import_service.pb.h"
#include "server/hubspot/hubspot_transport.h"

namespace hubspot_gateway {

// Page sizes the gateway forwards; 0 leaves HubSpot's default.
inline constexpr int kMaxPageSize = 100;
// Paging cursors are opaque, short tokens; longer ones are refused.
inline constexpr size_t kMaxCursorBytes = 1024;

// Each checks a request and fills the method and path+query of the matching
// REST call, or answers INVALID_ARGUMENT naming the offending field.
grpc::Status BuildListImports(
    const hubspot::crm::imports::v1::ListImportsRequest& request,
    HubSpotCall* call);
grpc::Status BuildGetImport(
    const hubspot::crm::imports::v1::GetImportRequest& request,
    HubSpotCall* call);
grpc::Status BuildListImportErrors(
    const hubspot::crm::imports::v1::ListImportErrorsRequest& request,
    HubSpotCall* call);
grpc::Status BuildCancelImport(
    const hubspot::crm::imports::v1::CancelImportRequest& request,
    HubSpotCall* call);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_HUBSPOT_IMPORTS_API_H_
