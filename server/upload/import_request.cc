#include "server/upload/import_request.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"
#include "server/common/json.h"
#include "server/hubspot/error_mapping.h"

namespace hubspot_gateway {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using google::protobuf::Struct;
using google::protobuf::Value;

// HubSpot's literal for an enum value: its name without the common prefix;
// empty for 0 (unset).
template <typename E>
std::string Literal(E value) {
  const google::protobuf::EnumDescriptor* d =
      google::protobuf::GetEnumDescriptor<E>();
  absl::string_view prefix = d->value(0)->name();
  absl::ConsumeSuffix(&prefix, "UNSPECIFIED");
  if (value == 0) return "";
  const google::protobuf::EnumValueDescriptor* v = d->FindValueByNumber(value);
  // A number this version does not know is passed on as such, for
  // validation to refuse rather than to drop silently.
  if (v == nullptr) return absl::StrCat(static_cast<int>(value));
  absl::string_view name = v->name();
  absl::ConsumePrefix(&name, prefix);
  return std::string(name);
}

// Appends `"key":value` to a JSON object being written.
class JsonObjectWriter {
 public:
  void Raw(absl::string_view key, absl::string_view json) {
    absl::StrAppend(&out_, out_.empty() ? "{" : ",", JsonQuote(key), ":", json);
  }
  void String(absl::string_view key, absl::string_view value) {
    if (!value.empty()) Raw(key, JsonQuote(value));
  }
  void Bool(absl::string_view key, bool value) {
    Raw(key, value ? "true" : "false");
  }
  std::string Finish() { return out_.empty() ? "{}" : out_ + "}"; }

 private:
  std::string out_;
};

std::string ColumnMappingJson(const v1::ColumnMapping& m) {
  JsonObjectWriter w;
  w.String("columnName", m.column_name());
  w.String("columnObjectTypeId", m.column_object_type_id());
  w.String("propertyName", m.property_name());
  w.String("columnType", m.column_type());
  w.String("idColumnType", m.id_column_type());
  w.String("toColumnObjectTypeId", m.to_column_object_type_id());
  if (m.has_foreign_key_type()) {
    JsonObjectWriter fk;
    fk.Raw("associationTypeId",
           absl::StrCat(m.foreign_key_type().association_type_id()));
    fk.String("associationCategory",
              m.foreign_key_type().association_category());
    w.Raw("foreignKeyType", fk.Finish());
  }
  if (m.association_identifier_column()) {
    w.Bool("associationIdentifierColumn", true);
  }
  return w.Finish();
}

std::string FileJson(const v1::ImportFile& f) {
  JsonObjectWriter w;
  w.String("fileName", f.file_name());
  w.String("fileFormat", Literal(f.file_format()));
  if (f.has_file_import_page()) {
    JsonObjectWriter page;
    page.Bool("hasHeader", f.file_import_page().has_header());
    std::vector<std::string> columns;
    for (const v1::ColumnMapping& m : f.file_import_page().column_mappings()) {
      columns.push_back(ColumnMappingJson(m));
    }
    page.Raw("columnMappings",
             absl::StrCat("[", absl::StrJoin(columns, ","), "]"));
    w.Raw("fileImportPage", page.Finish());
  }
  return w.Finish();
}

grpc::Status Invalid(absl::string_view field, absl::string_view problem) {
  return InvalidField(field, problem);
}

// The value at `key` if present and not null.
const Value* Field(const Struct& s, absl::string_view key) {
  auto it = s.fields().find(std::string(key));
  if (it == s.fields().end() || it->second.has_null_value()) return nullptr;
  return &it->second;
}

grpc::Status CheckOneOf(const Struct& s, absl::string_view key,
                        absl::string_view path,
                        std::initializer_list<absl::string_view> allowed,
                        bool required) {
  const Value* v = Field(s, key);
  if (v == nullptr) {
    return required
               ? Invalid(path, absl::StrCat("is required (one of ",
                                            absl::StrJoin(allowed, ", "), ")"))
               : grpc::Status::OK;
  }
  if (v->has_string_value()) {
    for (absl::string_view a : allowed) {
      if (v->string_value() == a) return grpc::Status::OK;
    }
  }
  return Invalid(path,
                 absl::StrCat("must be one of ", absl::StrJoin(allowed, ", ")));
}

grpc::Status CheckOptionalBool(const Struct& s, absl::string_view key,
                               absl::string_view path) {
  const Value* v = Field(s, key);
  if (v != nullptr && !v->has_bool_value()) {
    return Invalid(path, "must be true or false");
  }
  return grpc::Status::OK;
}

// Names that are safe in a form part's filename="…".
grpc::Status CheckFileName(absl::string_view path, absl::string_view name) {
  if (name.empty()) return Invalid(path, "must not be empty");
  if (name.size() > 255) return Invalid(path, "must be at most 255 bytes");
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' || c == '/') {
      return Invalid(path,
                     "must not contain control characters, quotes, "
                     "backslashes or slashes");
    }
  }
  return grpc::Status::OK;
}

std::string DefaultContentType(absl::string_view file_name,
                               absl::string_view file_format) {
  const std::string lower = absl::AsciiStrToLower(file_name);
  if (file_format == "CSV" || absl::EndsWith(lower, ".csv")) return "text/csv";
  if (absl::EndsWith(lower, ".xlsx")) {
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  if (absl::EndsWith(lower, ".xls")) return "application/vnd.ms-excel";
  return "application/octet-stream";
}

grpc::Status CheckContentType(absl::string_view path, absl::string_view ct) {
  // type "/" subtype, optional parameters; no line breaks or quotes.
  const size_t slash = ct.find('/');
  if (slash == absl::string_view::npos || slash == 0 ||
      slash + 1 == ct.size()) {
    return Invalid(path, "must be a media type such as text/csv");
  }
  for (unsigned char c : ct) {
    if (c < 0x20 || c >= 0x7f || c == '"') {
      return Invalid(path, "must be printable ASCII without quotes");
    }
  }
  return grpc::Status::OK;
}

// Checks the importRequest JSON; returns the file formats by file name.
grpc::Status CheckImportRequest(
    const Struct& request,
    absl::flat_hash_map<std::string, std::string>* formats) {
  const std::string root = "start.import_request";
  const Value* name = Field(request, "name");
  if (name == nullptr || !name->has_string_value() ||
      absl::StripAsciiWhitespace(name->string_value()).empty()) {
    return Invalid(root + ".name", "is required: the import's name");
  }
  if (grpc::Status s =
          CheckOneOf(request, "dateFormat", root + ".dateFormat",
                     {"MONTH_DAY_YEAR", "DAY_MONTH_YEAR", "YEAR_MONTH_DAY"},
                     /*required=*/false);
      !s.ok()) {
    return s;
  }
  for (absl::string_view flag :
       {"marketableContactImport", "createContactListFromImport"}) {
    if (grpc::Status s =
            CheckOptionalBool(request, flag, absl::StrCat(root, ".", flag));
        !s.ok()) {
      return s;
    }
  }
  if (const Value* ops = Field(request, "importOperations")) {
    if (!ops->has_struct_value()) {
      return Invalid(root + ".importOperations",
                     "must be an object of object type id to CREATE, UPDATE "
                     "or UPSERT");
    }
    for (const auto& [type_id, op] : ops->struct_value().fields()) {
      if (grpc::Status s = CheckOneOf(
              ops->struct_value(), type_id,
              absl::StrCat(root, ".importOperations[\"", type_id, "\"]"),
              {"CREATE", "UPDATE", "UPSERT"}, /*required=*/true);
          !s.ok()) {
        return s;
      }
    }
  }
  const Value* files = Field(request, "files");
  if (files == nullptr || !files->has_list_value() ||
      files->list_value().values_size() == 0) {
    return Invalid(root + ".files", "is required: one entry per file");
  }
  for (int i = 0; i < files->list_value().values_size(); ++i) {
    const std::string path = absl::StrCat(root, ".files[", i, "]");
    const Value& file = files->list_value().values(i);
    if (!file.has_struct_value()) return Invalid(path, "must be an object");
    const Struct& f = file.struct_value();
    const Value* file_name = Field(f, "fileName");
    if (file_name == nullptr || !file_name->has_string_value()) {
      return Invalid(path + ".fileName", "is required");
    }
    if (grpc::Status s =
            CheckFileName(path + ".fileName", file_name->string_value());
        !s.ok()) {
      return s;
    }
    if (grpc::Status s = CheckOneOf(f, "fileFormat", path + ".fileFormat",
                                    {"CSV", "SPREADSHEET"}, /*required=*/true);
        !s.ok()) {
      return s;
    }
    if (const Value* page = Field(f, "fileImportPage")) {
      if (!page->has_struct_value()) {
        return Invalid(path + ".fileImportPage", "must be an object");
      }
      const Value* columns = Field(page->struct_value(), "columnMappings");
      if (columns != nullptr && !columns->has_list_value()) {
        return Invalid(path + ".fileImportPage.columnMappings",
                       "must be an array");
      }
    }
    if (!formats
             ->emplace(file_name->string_value(),
                       Field(f, "fileFormat")->string_value())
             .second) {
      return Invalid(
          path + ".fileName",
          absl::StrCat("\"", file_name->string_value(), "\" appears twice"));
    }
  }
  return grpc::Status::OK;
}

}  // namespace

std::string ImportRequestToJson(const v1::ImportRequest& request) {
  JsonObjectWriter w;
  w.String("name", request.name());
  if (!request.import_operations().empty()) {
    // Sorted, so that the same request always gives the same bytes.
    std::set<std::string> keys;
    for (const auto& [type_id, op] : request.import_operations()) {
      keys.insert(type_id);
    }
    JsonObjectWriter ops;
    for (const std::string& type_id : keys) {
      const std::string literal =
          Literal(request.import_operations().at(type_id));
      ops.Raw(type_id, JsonQuote(literal.empty() ? "UNSPECIFIED" : literal));
    }
    w.Raw("importOperations", ops.Finish());
  }
  w.String("dateFormat", Literal(request.date_format()));
  if (request.has_marketable_contact_import()) {
    w.Bool("marketableContactImport", request.marketable_contact_import());
  }
  if (request.has_create_contact_list_from_import()) {
    w.Bool("createContactListFromImport",
           request.create_contact_list_from_import());
  }
  std::vector<std::string> files;
  for (const v1::ImportFile& f : request.files()) files.push_back(FileJson(f));
  w.Raw("files", absl::StrCat("[", absl::StrJoin(files, ","), "]"));
  return w.Finish();
}

grpc::Status ValidateStartImportHeader(const v1::StartImportHeader& header,
                                       const UploadLimits& limits,
                                       ValidatedStart* out) {
  switch (header.import_request_case()) {
    case v1::StartImportHeader::kImportRequestJson:
      out->import_request_json = header.import_request_json();
      break;
    case v1::StartImportHeader::kRequest:
      out->import_request_json = ImportRequestToJson(header.request());
      break;
    default:
      return Invalid("start.import_request",
                     "set import_request_json or request");
  }
  absl::StatusOr<Struct> request = ParseJsonObject(out->import_request_json);
  if (!request.ok()) {
    return Invalid("start.import_request_json", request.status().message());
  }
  absl::flat_hash_map<std::string, std::string> formats;
  if (grpc::Status s = CheckImportRequest(*request, &formats); !s.ok()) {
    return s;
  }

  if (header.files_size() == 0) {
    return Invalid("start.files", "announce the files that follow");
  }
  if (header.files_size() > limits.max_files) {
    return grpc::Status(
        grpc::StatusCode::RESOURCE_EXHAUSTED,
        absl::StrCat("start.files: ", header.files_size(),
                     " files exceed the gateway's limit of ", limits.max_files,
                     " per import (upload.maxFiles)"));
  }
  absl::flat_hash_set<std::string> announced;
  out->files.clear();
  for (int i = 0; i < header.files_size(); ++i) {
    const v1::UploadFile& f = header.files(i);
    const std::string path = absl::StrCat("start.files[", i, "]");
    if (grpc::Status s = CheckFileName(path + ".file_name", f.file_name());
        !s.ok()) {
      return s;
    }
    if (!announced.insert(f.file_name()).second) {
      return Invalid(path + ".file_name",
                     absl::StrCat("\"", f.file_name(), "\" appears twice"));
    }
    auto format = formats.find(f.file_name());
    if (format == formats.end()) {
      return Invalid(path + ".file_name",
                     absl::StrCat("\"", f.file_name(),
                                  "\" has no entry in the import request's "
                                  "files[].fileName"));
    }
    UploadFileSpec spec;
    spec.file_name = f.file_name();
    spec.content_type = f.content_type().empty()
                            ? DefaultContentType(f.file_name(), format->second)
                            : f.content_type();
    if (grpc::Status s =
            CheckContentType(path + ".content_type", spec.content_type);
        !s.ok()) {
      return s;
    }
    if (f.has_size_bytes()) {
      if (f.size_bytes() <= 0) {
        return Invalid(path + ".size_bytes",
                       "an empty file cannot be imported");
      }
      if (f.size_bytes() > limits.max_file_bytes) {
        return grpc::Status(
            grpc::StatusCode::RESOURCE_EXHAUSTED,
            absl::StrCat(path, ".size_bytes: ", f.size_bytes(),
                         " bytes exceed the gateway's limit of ",
                         limits.max_file_bytes, " (upload.maxFileBytes)"));
      }
      spec.size_bytes = f.size_bytes();
    }
    if (!f.sha256().empty() && f.sha256().size() != 32) {
      return Invalid(path + ".sha256",
                     absl::StrCat("must be 32 bytes, got ", f.sha256().size()));
    }
    spec.sha256 = f.sha256();
    out->files.push_back(std::move(spec));
  }
  for (const auto& [name, format] : formats) {
    if (!announced.contains(name)) {
      return Invalid("start.files",
                     absl::StrCat("the import request's file \"", name,
                                  "\" is not among the announced files"));
    }
  }
  const std::string& key = header.idempotency_key();
  if (key.size() > 255 ||
      !std::all_of(key.begin(), key.end(),
                   [](char c) { return c > ' ' && c < 127; })) {
    return Invalid("start.idempotency_key",
                   "must be at most 255 printable ASCII characters without "
                   "spaces, e.g. a UUID");
  }
  out->idempotency_key = key;
  return grpc::Status::OK;
}

}  // namespace hubspot_gateway
