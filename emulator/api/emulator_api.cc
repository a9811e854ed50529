#include "emulator/api/emulator_api.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "emulator/api/gzip.h"
#include "emulator/api/json_writer.h"
#include "emulator/api/url_encoding.h"
#include "emulator/imports/import_spec.h"
#include "emulator/imports/multipart_form.h"
#include "server/common/json.h"

namespace hubspot_emulator {
namespace {

constexpr char kJsonType[] = "application/json;charset=utf-8";
constexpr char kImportsPath[] = "/crm/v3/imports";
// Smaller answers are not worth compressing.
constexpr size_t kGzipMinBytes = 256;

HttpResponse Json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers = {{"Content-Type", kJsonType}};
  r.body = std::move(body);
  return r;
}

HttpResponse Error(int status, absl::string_view message,
                   absl::string_view category,
                   absl::string_view sub_category = "") {
  return Json(status, ErrorBody(message, category, sub_category));
}

HttpResponse FromAnswer(const JsonAnswer& a) { return Json(a.status, a.body); }

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

// A non-negative integer query parameter; `fallback` when absent.
absl::StatusOr<int64_t> IntParam(const std::map<std::string, std::string>& q,
                                 const std::string& name, int64_t fallback,
                                 int64_t min, int64_t max) {
  auto it = q.find(name);
  if (it == q.end() || it->second.empty()) return fallback;
  int64_t v = 0;
  if (!absl::SimpleAtoi(it->second, &v) || v < min || v > max) {
    return absl::InvalidArgumentError(
        absl::StrCat("Invalid value for ", name, ": \"", it->second,
                     "\" (expected an integer from ", min, " to ", max, ")"));
  }
  return v;
}

bool BoolParam(const std::map<std::string, std::string>& q,
               const std::string& name) {
  auto it = q.find(name);
  return it != q.end() && absl::AsciiStrToLower(it->second) == "true";
}

// The objectType of a list of imported objects.
std::string ListObjectType(absl::string_view object_type_id) {
  if (object_type_id == "0-1") return "contacts";
  if (object_type_id == "0-2") return "companies";
  if (object_type_id == "0-3") return "deals";
  if (object_type_id == "0-5") return "tickets";
  return std::string(object_type_id);
}

HttpResponse ValidationError(absl::string_view message) {
  return Error(400, message, "VALIDATION_ERROR");
}

}  // namespace

EmulatorApi::EmulatorApi(ApiOptions options, OffsetClock* clock,
                         Accounts* accounts, RateLimiter* limiter,
                         Faults* faults, ImportRegistry* imports, CrmStore* crm)
    : options_(options),
      clock_(clock),
      accounts_(accounts),
      limiter_(limiter),
      faults_(faults),
      imports_(imports),
      crm_(crm) {}

HttpResponse EmulatorApi::ServerError(int status, absl::string_view message) {
  const char* category = status == 413 ? "VALIDATION_ERROR"
                         : status >= 500 ? "INTERNAL_ERROR"
                                         : "VALIDATION_ERROR";
  return Error(status, message, category);
}

void EmulatorApi::Handle(HttpRequest request, Responder respond) {
  requests_.fetch_add(1);
  if (absl::StartsWith(request.path, "/__emulator/")) {
    std::move(respond)(options_.control
                           ? Control(request)
                           : Error(404, "Not found", "OBJECT_NOT_FOUND"));
    return;
  }
  Faults::Decision decision = faults_->Decide(request);
  if (decision.instead.has_value()) {
    std::move(respond)(*std::move(decision.instead));
    return;
  }
  HttpResponse response;
  if (std::optional<HttpResponse> refused = DecodeBody(&request)) {
    response = *std::move(refused);
  } else {
    response = Route(request);
  }
  // HubSpot compresses its answers for clients that ask.
  const std::string* accept = request.Header("accept-encoding");
  if (accept != nullptr && AcceptsGzip(*accept) &&
      response.body.size() >= kGzipMinBytes) {
    response.body = Gzip(response.body);
    response.headers.push_back({"Content-Encoding", "gzip"});
    gzip_responses_.fetch_add(1);
  }
  Faults::Shape(decision, &response);
  std::move(respond)(std::move(response));
}

HeadAction EmulatorApi::InspectHead(const HttpRequest& head) {
  if (absl::StartsWith(head.path, "/__emulator/")) return HeadAction::kContinue;
  return faults_->DropBeforeBody(head) ? HeadAction::kClose
                                       : HeadAction::kContinue;
}

std::optional<HttpResponse> EmulatorApi::DecodeBody(HttpRequest* request) {
  const std::string* encoding = request->Header("content-encoding");
  if (encoding == nullptr || absl::EqualsIgnoreCase(*encoding, "identity")) {
    return std::nullopt;
  }
  if (!absl::EqualsIgnoreCase(*encoding, "gzip")) {
    return Error(415, absl::StrCat("Content-Encoding ", *encoding,
                                   " is not supported (gzip is)"),
                 "VALIDATION_ERROR");
  }
  absl::StatusOr<std::string> body = Gunzip(
      request->body, static_cast<size_t>(options_.max_file_bytes) + (64 << 20));
  if (!body.ok()) {
    return Error(absl::IsResourceExhausted(body.status()) ? 413 : 400,
                 body.status().message(), "VALIDATION_ERROR");
  }
  request->body = *std::move(body);
  gzip_requests_.fetch_add(1);
  return std::nullopt;
}

HttpResponse EmulatorApi::Route(const HttpRequest& request) {
  if (request.path == "/oauth/v1/token") {
    if (request.method != "POST") {
      return Error(405, "Method not allowed", "VALIDATION_ERROR");
    }
    return FromAnswer(accounts_->Grant(request.body));
  }
  constexpr absl::string_view kRevoke = "/oauth/v1/refresh-tokens/";
  if (absl::StartsWith(request.path, kRevoke) && request.method == "DELETE") {
    const std::string token =
        UrlDecode(absl::string_view(request.path).substr(kRevoke.size()));
    if (!accounts_->RevokeRefreshToken(token)) {
      return Error(404, "refresh token not found", "OBJECT_NOT_FOUND");
    }
    HttpResponse r;
    r.status = 204;
    return r;
  }
  if (request.path != kImportsPath &&
      !absl::StartsWith(request.path, absl::StrCat(kImportsPath, "/"))) {
    return Error(404, absl::StrCat("No route for ", request.method, " ",
                                   request.path),
                 "OBJECT_NOT_FOUND");
  }
  if (std::optional<JsonAnswer> denied = accounts_->Authenticate(request)) {
    unauthorized_.fetch_add(1);
    return FromAnswer(*denied);
  }
  RateLimiter::Decision rate = limiter_->Take();
  HttpResponse response;
  if (!rate.allowed) {
    rate_limited_.fetch_add(1);
    JsonWriter w;
    const std::string policy = rate.policy_name;
    w.BeginObject()
        .Field("status", "error")
        .Field("message",
               absl::StrCat("You have reached your ",
                            absl::AsciiStrToLower(policy), " limit."))
        .Field("errorType", "RATE_LIMIT")
        .Field("correlationId", NewCorrelationId())
        .Field("policyName", policy)
        .Field("groupName", "emulator-app")
        .EndObject();
    response = Json(429, w.Take());
  } else {
    response = Imports(request);
  }
  for (auto& h : rate.headers) response.headers.push_back(std::move(h));
  return response;
}

HttpResponse EmulatorApi::Imports(const HttpRequest& request) {
  std::vector<absl::string_view> parts = absl::StrSplit(
      absl::string_view(request.path).substr(sizeof(kImportsPath) - 1), '/',
      absl::SkipEmpty());
  if (parts.empty()) {
    if (request.method == "POST") return StartImport(request);
    if (request.method == "GET") return ListImports(request);
    return Error(405, "Method not allowed", "VALIDATION_ERROR");
  }
  int64_t id = 0;
  if (!absl::SimpleAtoi(parts[0], &id) || id <= 0) {
    return Error(404, absl::StrCat("Unable to find import ", parts[0]),
                 "OBJECT_NOT_FOUND");
  }
  if (parts.size() == 1 && request.method == "GET") return GetImport(id);
  if (parts.size() == 2 && parts[1] == "errors" && request.method == "GET") {
    return ListErrors(id, request);
  }
  if (parts.size() == 2 && parts[1] == "cancel" && request.method == "POST") {
    return CancelImport(id);
  }
  return Error(404, absl::StrCat("No route for ", request.method, " ",
                                 request.path),
               "OBJECT_NOT_FOUND");
}

HttpResponse EmulatorApi::StartImport(const HttpRequest& request) {
  const std::string* content_type = request.Header("content-type");
  if (content_type == nullptr ||
      !absl::StartsWithIgnoreCase(*content_type, "multipart/form-data")) {
    return Error(415, "Content-Type must be multipart/form-data",
                 "VALIDATION_ERROR");
  }
  absl::StatusOr<std::vector<FormPart>> form =
      ParseMultipartForm(*content_type, request.body);
  if (!form.ok()) return ValidationError(form.status().message());
  const FormPart* request_part = nullptr;
  std::vector<const FormPart*> file_parts;
  for (const FormPart& part : *form) {
    if (part.name == "importRequest") {
      if (request_part != nullptr) {
        return ValidationError("importRequest: sent more than once");
      }
      request_part = &part;
    } else if (part.name == "files") {
      file_parts.push_back(&part);
    }
  }
  if (request_part == nullptr) {
    return ValidationError("importRequest: the form part is missing");
  }
  absl::StatusOr<ImportSpec> spec = ParseImportRequest(request_part->data);
  if (!spec.ok()) return ValidationError(spec.status().message());
  if (file_parts.empty()) {
    return ValidationError("files: at least one file part is required");
  }
  // Each file of the request names one uploaded part, and vice versa.
  std::vector<ImportFile> files;
  std::vector<bool> used(file_parts.size(), false);
  for (size_t i = 0; i < spec->files.size(); ++i) {
    const std::string& name = spec->files[i].file_name;
    size_t found = file_parts.size();
    for (size_t p = 0; p < file_parts.size(); ++p) {
      if (!used[p] && file_parts[p]->file_name == name) {
        found = p;
        break;
      }
    }
    if (found == file_parts.size()) {
      return ValidationError(absl::StrCat("files[", i, "].fileName: no file \"",
                                          name, "\" was uploaded"));
    }
    used[found] = true;
    const absl::string_view data = file_parts[found]->data;
    if (static_cast<int64_t>(data.size()) > options_.max_file_bytes) {
      return ValidationError(absl::StrCat(
          "files[", i, "]: \"", name, "\" has ", data.size(),
          " bytes; files may have at most ", options_.max_file_bytes));
    }
    files.push_back(ImportFile{imports_->NewFileId(), data});
  }
  for (size_t p = 0; p < file_parts.size(); ++p) {
    if (!used[p]) {
      return ValidationError(absl::StrCat(
          "files: the uploaded file \"", file_parts[p]->file_name,
          "\" is not in importRequest.files"));
    }
  }
  ImportRecord record;
  record.name = spec->name;
  record.request_json = std::string(request_part->data);
  ImportOptions import_options;
  import_options.max_errors_kept = options_.max_errors_per_import;
  record.outcome = RunImport(*spec, files, crm_, import_options);
  for (const ImportFile& f : files) record.file_ids.push_back(f.file_id);
  for (const auto& f : spec->files) record.file_names.push_back(f.file_name);
  for (size_t i = 0; i < record.outcome.mapped_object_type_ids.size(); ++i) {
    record.list_ids.push_back(imports_->NewListId());
  }
  return Json(200, ImportJson(imports_->Add(std::move(record))));
}

std::string EmulatorApi::ImportJson(const ImportView& view) const {
  const ImportRecord& r = *view.record;
  const ImportState state = view.State();
  const bool finished =
      state == ImportState::kDone || state == ImportState::kFailed;
  JsonWriter w;
  w.BeginObject()
      .Field("id", absl::StrCat(r.id))
      .Field("state", StateName(state))
      .Field("createdAt", Rfc3339(r.created_at))
      .Field("updatedAt", Rfc3339(view.UpdatedAt()))
      .Key("metadata")
      .BeginObject()
      .Key("counters")
      .BeginObject();
  if (finished) {
    for (const auto& [name, count] : r.outcome.counters) w.Field(name, count);
  }
  w.EndObject().Key("fileIds").BeginArray();
  for (const std::string& id : r.file_ids) w.String(id);
  w.EndArray().Key("objectLists").BeginArray();
  if (state == ImportState::kDone) {
    for (size_t i = 0; i < r.list_ids.size(); ++i) {
      w.BeginObject()
          .Field("listId", r.list_ids[i])
          .Field("objectType",
                 ListObjectType(r.outcome.mapped_object_type_ids[i]))
          .EndObject();
    }
  }
  w.EndArray().EndObject();
  w.Key("importRequestJson").Raw(r.request_json);
  w.Field("importSource", "API")
      .Field("importName", r.name)
      .Field("optOutImport", false)
      .Key("mappedObjectTypeIds")
      .BeginArray();
  for (const std::string& id : r.outcome.mapped_object_type_ids) w.String(id);
  w.EndArray().EndObject();
  return w.Take();
}

HttpResponse EmulatorApi::GetImport(int64_t id) {
  std::optional<ImportView> view = imports_->Get(id);
  if (!view.has_value()) {
    return Error(404, absl::StrCat("Unable to find import ", id),
                 "OBJECT_NOT_FOUND");
  }
  return Json(200, ImportJson(*view));
}

HttpResponse EmulatorApi::ListImports(const HttpRequest& request) {
  const auto q = ParseUrlEncoded(request.query);
  absl::StatusOr<int64_t> limit = IntParam(q, "limit", 10, 1, 100);
  if (!limit.ok()) return ValidationError(limit.status().message());
  absl::StatusOr<int64_t> after =
      IntParam(q, "after", 0, 0, std::numeric_limits<int64_t>::max());
  if (!after.ok()) return ValidationError(after.status().message());
  absl::StatusOr<int64_t> before =
      IntParam(q, "before", std::numeric_limits<int64_t>::max(), 0,
               std::numeric_limits<int64_t>::max());
  if (!before.ok()) return ValidationError(before.status().message());
  std::vector<ImportView> active = imports_->Active(*after, *before);
  JsonWriter w;
  w.BeginObject().Key("results").BeginArray();
  const size_t shown = std::min<size_t>(active.size(), *limit);
  for (size_t i = 0; i < shown; ++i) w.Raw(ImportJson(active[i]));
  w.EndArray();
  if (shown < active.size()) {
    const std::string next = absl::StrCat(active[shown - 1].record->id);
    w.Key("paging")
        .BeginObject()
        .Key("next")
        .BeginObject()
        .Field("after", next)
        .Field("link", absl::StrCat(kImportsPath, "?after=", next,
                                    "&limit=", *limit))
        .EndObject()
        .EndObject();
  }
  w.EndObject();
  return Json(200, w.Take());
}

HttpResponse EmulatorApi::ListErrors(int64_t id, const HttpRequest& request) {
  std::optional<ImportView> view = imports_->Get(id);
  if (!view.has_value()) {
    return Error(404, absl::StrCat("Unable to find import ", id),
                 "OBJECT_NOT_FOUND");
  }
  const auto q = ParseUrlEncoded(request.query);
  absl::StatusOr<int64_t> limit = IntParam(q, "limit", 100, 1, 1000);
  if (!limit.ok()) return ValidationError(limit.status().message());
  absl::StatusOr<int64_t> after =
      IntParam(q, "after", 0, 0, std::numeric_limits<int32_t>::max());
  if (!after.ok()) return ValidationError(after.status().message());
  const bool with_message = BoolParam(q, "includeErrorMessage");
  const bool with_row = BoolParam(q, "includeRowData");

  const ImportRecord& r = *view->record;
  const std::vector<RowError>& errors = r.outcome.errors;
  // Errors appear as the rows they belong to are processed.
  const size_t visible = static_cast<size_t>(
      view->Progress() * static_cast<double>(errors.size()));
  const size_t begin = std::min<size_t>(static_cast<size_t>(*after), visible);
  const size_t end = std::min<size_t>(begin + static_cast<size_t>(*limit),
                                      visible);
  const int64_t created_ms =
      absl::ToUnixMillis(r.created_at + r.timeline.started_for);
  JsonWriter w;
  w.BeginObject().Key("results").BeginArray();
  for (size_t i = begin; i < end; ++i) {
    const RowError& e = errors[i];
    w.BeginObject()
        .Field("id", absl::StrCat(r.id, "-", i + 1))
        .Field("createdAt", created_ms)
        .Field("errorType", e.error_type);
    if (!e.object_type.empty()) w.Field("objectType", e.object_type);
    if (!e.object_type_id.empty()) w.Field("objectTypeId", e.object_type_id);
    if (!e.invalid_value.empty()) w.Field("invalidValue", e.invalid_value);
    if (e.known_column_number >= 0) {
      w.Field("knownColumnNumber", e.known_column_number);
    }
    if (with_message) w.Field("errorMessage", e.message);
    int64_t file_id = 0;
    if (e.file_index >= 0 &&
        static_cast<size_t>(e.file_index) < r.file_ids.size()) {
      absl::SimpleAtoi(r.file_ids[e.file_index], &file_id);
    }
    w.Key("sourceData").BeginObject().Key("rowData").BeginArray();
    if (with_row) {
      for (const std::string& cell : e.row_data) w.String(cell);
    }
    w.EndArray()
        .Field("lineNumber", e.line_number)
        .Field("fileId", file_id)
        .Field("containsEncryptedProperties", false)
        .EndObject()
        .EndObject();
  }
  w.EndArray();
  if (end < visible) {
    w.Key("paging")
        .BeginObject()
        .Key("next")
        .BeginObject()
        .Field("after", absl::StrCat(end))
        .Field("link", absl::StrCat(kImportsPath, "/", id, "/errors?after=",
                                    end, "&limit=", *limit))
        .EndObject()
        .EndObject();
  }
  w.EndObject();
  return Json(200, w.Take());
}

HttpResponse EmulatorApi::CancelImport(int64_t id) {
  ImportState state = ImportState::kDone;
  switch (imports_->Cancel(id, &state)) {
    case ImportRegistry::CancelResult::kNotFound:
      return Error(404, absl::StrCat("Unable to find import ", id),
                   "OBJECT_NOT_FOUND");
    case ImportRegistry::CancelResult::kNotActive:
      return Error(409,
                   absl::StrCat("Import ", id, " is ", StateName(state),
                                " and can no longer be canceled"),
                   "CONFLICT", "ImportError.NOT_CANCELABLE");
    case ImportRegistry::CancelResult::kCanceled:
      break;
  }
  const std::string now = Rfc3339(clock_->Now());
  JsonWriter w;
  w.BeginObject()
      .Field("status", "COMPLETE")
      .Field("requestedAt", now)
      .Field("startedAt", now)
      .Field("completedAt", now)
      .Key("links")
      .BeginObject()
      .Field("import", absl::StrCat(kImportsPath, "/", id))
      .EndObject()
      .EndObject();
  return Json(200, w.Take());
}

}  // namespace hubspot_emulator
