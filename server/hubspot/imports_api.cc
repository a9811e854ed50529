#include "server/hubspot/imports_api.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/http/url.h"
#include "server/hubspot/error_mapping.h"

namespace hubspot_gateway {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using QueryParams = std::vector<std::pair<absl::string_view, std::string>>;

constexpr absl::string_view kImportsPath = "/crm/v3/imports";

grpc::Status CheckImportId(int64_t id) {
  if (id <= 0) {
    return InvalidField("import_id", absl::StrCat("must be > 0, got ", id));
  }
  return grpc::Status::OK;
}

grpc::Status CheckLimit(int32_t limit) {
  if (limit < 0 || limit > kMaxPageSize) {
    return InvalidField("limit", absl::StrCat("must be between 0 (HubSpot's "
                                              "default) and ",
                                              kMaxPageSize, ", got ", limit));
  }
  return grpc::Status::OK;
}

grpc::Status CheckCursor(absl::string_view field, const std::string& value) {
  if (value.size() > kMaxCursorBytes) {
    return InvalidField(field, absl::StrCat("must be at most ", kMaxCursorBytes,
                                            " bytes, got ", value.size()));
  }
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) {
      return InvalidField(field, "must not contain control characters");
    }
  }
  return grpc::Status::OK;
}

std::string WithQuery(std::string path, const QueryParams& params) {
  const std::string query = FormEncode(params);
  if (!query.empty()) absl::StrAppend(&path, "?", query);
  return path;
}

}  // namespace

grpc::Status BuildListImports(const v1::ListImportsRequest& request,
                              HubSpotCall* call) {
  for (grpc::Status s :
       {CheckCursor("after", request.after()),
        CheckCursor("before", request.before()), CheckLimit(request.limit())}) {
    if (!s.ok()) return s;
  }
  QueryParams params;
  if (!request.after().empty()) params.emplace_back("after", request.after());
  if (!request.before().empty()) {
    params.emplace_back("before", request.before());
  }
  if (request.limit() > 0) {
    params.emplace_back("limit", absl::StrCat(request.limit()));
  }
  call->method = "GET";
  call->endpoint = "list_imports";
  call->path_and_query = WithQuery(std::string(kImportsPath), params);
  return grpc::Status::OK;
}

grpc::Status BuildGetImport(const v1::GetImportRequest& request,
                            HubSpotCall* call) {
  if (grpc::Status s = CheckImportId(request.import_id()); !s.ok()) return s;
  call->method = "GET";
  call->endpoint = "get_import";
  call->path_and_query = absl::StrCat(kImportsPath, "/", request.import_id());
  return grpc::Status::OK;
}

grpc::Status BuildListImportErrors(const v1::ListImportErrorsRequest& request,
                                   HubSpotCall* call) {
  for (grpc::Status s :
       {CheckImportId(request.import_id()),
        CheckCursor("after", request.after()), CheckLimit(request.limit())}) {
    if (!s.ok()) return s;
  }
  QueryParams params;
  if (!request.after().empty()) params.emplace_back("after", request.after());
  if (request.limit() > 0) {
    params.emplace_back("limit", absl::StrCat(request.limit()));
  }
  if (request.has_include_error_message()) {
    params.emplace_back("includeErrorMessage",
                        request.include_error_message() ? "true" : "false");
  }
  if (request.has_include_row_data()) {
    params.emplace_back("includeRowData",
                        request.include_row_data() ? "true" : "false");
  }
  call->method = "GET";
  call->endpoint = "list_import_errors";
  call->path_and_query = WithQuery(
      absl::StrCat(kImportsPath, "/", request.import_id(), "/errors"), params);
  return grpc::Status::OK;
}

grpc::Status BuildCancelImport(const v1::CancelImportRequest& request,
                               HubSpotCall* call) {
  if (grpc::Status s = CheckImportId(request.import_id()); !s.ok()) return s;
  call->method = "POST";
  call->endpoint = "cancel_import";
  call->path_and_query =
      absl::StrCat(kImportsPath, "/", request.import_id(), "/cancel");
  return grpc::Status::OK;
}

}  // namespace hubspot_gateway
