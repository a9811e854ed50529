#ifndef HUBSPOT_GATEWAY_UPLOAD_IMPORT_REQUEST_H_
#define HUBSPOT_GATEWAY_UPLOAD_IMPORT_REQUEST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "grpcpp/support/status.h"
#include "hubspot/crm/imports/v1/import_service.pb.h"

namespace hubspot_gateway {

struct UploadLimits {
  int max_files = 10;
  int64_t max_file_bytes = int64_t{4} << 30;  // 4 GiB
};

// One file of an upload, as it will be sent.
struct UploadFileSpec {
  std::string file_name;
  std::string content_type;
  std::optional<int64_t> size_bytes;
  std::string sha256;  // 32 raw bytes, or empty
};

// The first message of a StartImport stream, checked and ready to send.
struct ValidatedStart {
  // HubSpot's `importRequest` form part.
  std::string import_request_json;
  // The files in the order their bytes will be streamed.
  std::vector<UploadFileSpec> files;
  // Empty when the caller gave none.
  std::string idempotency_key;
};

// HubSpot's importRequest JSON for a typed ImportRequest.
std::string ImportRequestToJson(
    const hubspot::crm::imports::v1::ImportRequest& request);

// Checks a StartImport header before anything is sent: the import request
// (JSON or typed) against HubSpot's importRequest schema (name, files with
// fileName and fileFormat CSV/SPREADSHEET, dateFormat, importOperations
// CREATE/UPDATE/UPSERT, boolean flags), the announced files against the
// request's files one to one, and the limits. INVALID_ARGUMENT naming the
// field, RESOURCE_EXHAUSTED naming a limit.
grpc::Status ValidateStartImportHeader(
    const hubspot::crm::imports::v1::StartImportHeader& header,
    const UploadLimits& limits, ValidatedStart* out);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_UPLOAD_IMPORT_REQUEST_H_
