#ifndef HUBSPOT_GATEWAY_TESTS_SUPPORT_UPLOADS_H_
#define HUBSPOT_GATEWAY_TESTS_SUPPORT_UPLOADS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"
#include "grpcpp/grpcpp.h"
#include "hubspot/crm/imports/v1/import_service.grpc.pb.h"

namespace hubspot_gateway::testing {

// Raw SHA-256 of `data`, and bytes as lower-case hex.
std::string Sha256(absl::string_view data);
std::string Hex(absl::string_view bytes);

// A contacts CSV with a header row and `rows` rows.
std::string Csv(int rows);

// StartImport's messages: the header for CSV files `names` (an import
// request naming each, sizes and hashes of `contents` when asked), a chunk
// of file `file`, and the end.
hubspot::crm::imports::v1::StartImportRequest Start(
    const std::vector<std::string>& names,
    const std::vector<std::string>& contents, bool declare_sizes_and_hashes);
hubspot::crm::imports::v1::StartImportRequest Chunk(uint32_t file,
                                                    absl::string_view data);
hubspot::crm::imports::v1::StartImportRequest End();

// One StartImport call with a 60 s deadline: writes `messages` (stopping
// at the first refused write), half-closes, and returns the call's status.
grpc::Status SendStartImport(
    hubspot::crm::imports::v1::ImportService::Stub& stub,
    const std::vector<hubspot::crm::imports::v1::StartImportRequest>& messages,
    hubspot::crm::imports::v1::Import* import);

// The fields the stand-in recorded for file `file` of upload `upload` in
// its stats' "uploads" list (name, content_type, size, sha256).
const google::protobuf::Map<std::string, google::protobuf::Value>&
UploadedFile(const google::protobuf::ListValue& uploads, int upload, int file);

}  // namespace hubspot_gateway::testing

#endif  // HUBSPOT_GATEWAY_TESTS_SUPPORT_UPLOADS_H_
