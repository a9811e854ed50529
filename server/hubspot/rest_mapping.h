#ifndef HUBSPOT_GATEWAY_HUBSPOT_REST_MAPPING_H_
#define HUBSPOT_GATEWAY_HUBSPOT_REST_MAPPING_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "hubspot/crm/imports/v1/hubspot_error.pb.h"
#include "hubspot/crm/imports/v1/import_service.pb.h"

namespace hubspot_gateway {

// HubSpot's JSON answers to the gateway's messages. Missing fields stay at
// their defaults; a body that is not JSON, or a field of the wrong type, gives
// INVALID_ARGUMENT naming the field. Enum values this version does not know
// map to *_UNSPECIFIED with the literal kept in the *_raw field.
absl::Status ParseImport(absl::string_view json,
                         hubspot::crm::imports::v1::Import* out);
absl::Status ParseListImportsResponse(
    absl::string_view json,
    hubspot::crm::imports::v1::ListImportsResponse* out);
absl::Status ParseListImportErrorsResponse(
    absl::string_view json,
    hubspot::crm::imports::v1::ListImportErrorsResponse* out);
absl::Status ParseCancelImportResponse(
    absl::string_view json,
    hubspot::crm::imports::v1::CancelImportResponse* out);

// HubSpot's error body, as far as it can be read; never fails.
hubspot::crm::imports::v1::HubSpotError ParseHubSpotError(
    int http_status, absl::string_view json);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_HUBSPOT_REST_MAPPING_H_
