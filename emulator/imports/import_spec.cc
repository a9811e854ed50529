#include "emulator/imports/import_spec.h"

#include <initializer_list>
#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "emulator/imports/crm_schema.h"
#include "google/protobuf/struct.pb.h"
#include "server/common/json.h"

namespace hubspot_emulator {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

absl::Status Invalid(absl::string_view path, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", problem));
}

// The value at `key`, or nullptr when absent or null (HubSpot treats both
// as not set).
const Value* Field(const Struct& s, absl::string_view key) {
  auto it = s.fields().find(std::string(key));
  if (it == s.fields().end() || it->second.has_null_value()) return nullptr;
  return &it->second;
}

absl::Status OptionalString(const Struct& s, absl::string_view key,
                            absl::string_view path, std::string* out) {
  const Value* v = Field(s, key);
  if (v == nullptr) return absl::OkStatus();
  if (!v->has_string_value()) return Invalid(path, "must be a string");
  *out = v->string_value();
  return absl::OkStatus();
}

absl::Status OptionalBool(const Struct& s, absl::string_view key,
                          absl::string_view path, bool* out) {
  const Value* v = Field(s, key);
  if (v == nullptr) return absl::OkStatus();
  if (!v->has_bool_value()) return Invalid(path, "must be true or false");
  *out = v->bool_value();
  return absl::OkStatus();
}

// `out` keeps its default when the field is absent and not required.
absl::Status OneOf(const Struct& s, absl::string_view key,
                   absl::string_view path,
                   std::initializer_list<absl::string_view> allowed,
                   bool required, std::string* out) {
  const Value* v = Field(s, key);
  if (v == nullptr) {
    if (!required) return absl::OkStatus();
    return Invalid(path, absl::StrCat("is required (one of ",
                                      absl::StrJoin(allowed, ", "), ")"));
  }
  if (v->has_string_value()) {
    for (absl::string_view a : allowed) {
      if (v->string_value() == a) {
        *out = std::string(a);
        return absl::OkStatus();
      }
    }
  }
  return Invalid(path,
                 absl::StrCat("must be one of ", absl::StrJoin(allowed, ", ")));
}

std::string KnownObjectTypes() {
  std::vector<std::string> known;
  for (const ObjectTypeDefinition& t : DefaultObjectTypes()) {
    known.push_back(absl::StrCat(t.object_type_id, " (", t.name, ")"));
  }
  return absl::StrJoin(known, ", ");
}

// `id_or_name` as an object type id of the portal.
absl::StatusOr<std::string> ObjectTypeId(absl::string_view path,
                                         absl::string_view id_or_name) {
  const ObjectTypeDefinition* type = FindObjectType(id_or_name);
  if (type == nullptr) {
    return Invalid(path,
                   absl::StrCat("unknown object type ", id_or_name,
                                "; this portal has ", KnownObjectTypes()));
  }
  return type->object_type_id;
}

absl::Status ParseImportOperations(const Struct& request, ImportSpec* spec) {
  const Value* ops = Field(request, "importOperations");
  if (ops == nullptr) return absl::OkStatus();
  if (!ops->has_struct_value()) {
    return Invalid("importOperations",
                   "must be an object of object type id to CREATE, UPDATE or "
                   "UPSERT");
  }
  const Struct& by_type = ops->struct_value();
  for (const auto& [key, unused] : by_type.fields()) {
    const std::string path = absl::StrCat("importOperations[\"", key, "\"]");
    std::string op;
    if (absl::Status s =
            OneOf(by_type, key, path, {"CREATE", "UPDATE", "UPSERT"},
                  /*required=*/true, &op);
        !s.ok()) {
      return s;
    }
    absl::StatusOr<std::string> type_id = ObjectTypeId(path, key);
    if (!type_id.ok()) return type_id.status();
    spec->import_operations[*type_id] = op;
  }
  return absl::OkStatus();
}

absl::StatusOr<ColumnMapping> ParseColumnMapping(const Value& value,
                                                 const std::string& path,
                                                 bool has_header) {
  if (!value.has_struct_value()) return Invalid(path, "must be an object");
  const Struct& m = value.struct_value();
  ColumnMapping mapping;
  std::string object_type;
  for (absl::Status s : {
           OptionalString(m, "columnName", path + ".columnName",
                          &mapping.column_name),
           OptionalString(m, "propertyName", path + ".propertyName",
                          &mapping.property_name),
           OptionalString(m, "columnObjectTypeId", path + ".columnObjectTypeId",
                          &object_type),
           OptionalString(m, "columnType", path + ".columnType",
                          &mapping.column_type),
           OneOf(m, "idColumnType", path + ".idColumnType",
                 {"HUBSPOT_OBJECT_ID", "HUBSPOT_ALTERNATE_ID"},
                 /*required=*/false, &mapping.id_column_type),
           OptionalBool(m, "ignored", path + ".ignored", &mapping.ignored),
       }) {
    if (!s.ok()) return s;
  }
  if (mapping.id_column_type == "HUBSPOT_OBJECT_ID") {
    if (mapping.property_name.empty()) mapping.property_name = "hs_object_id";
    if (mapping.property_name != "hs_object_id") {
      return Invalid(path + ".idColumnType",
                     absl::StrCat("a HUBSPOT_OBJECT_ID column is the record "
                                  "ID, hs_object_id, not ",
                                  mapping.property_name));
    }
  }
  if (mapping.property_name.empty()) mapping.ignored = true;
  if (mapping.ignored) {
    // Its object type does not matter, nor needs to be known.
    mapping.object_type_id = object_type;
    return mapping;
  }
  if (object_type.empty()) {
    return Invalid(path + ".columnObjectTypeId",
                   "is required: the object type the column's property "
                   "belongs to, such as 0-1 for contacts");
  }
  absl::StatusOr<std::string> type_id =
      ObjectTypeId(path + ".columnObjectTypeId", object_type);
  if (!type_id.ok()) return type_id.status();
  mapping.object_type_id = *type_id;
  if (has_header && absl::StripAsciiWhitespace(mapping.column_name).empty()) {
    return Invalid(path + ".columnName",
                   "is required when the file has a header row: the column "
                   "the mapping reads");
  }
  return mapping;
}

absl::Status ParseFileImportPage(const Struct& file, const std::string& path,
                                 FileSpec* spec) {
  const Value* page = Field(file, "fileImportPage");
  if (page == nullptr) return absl::OkStatus();
  const std::string page_path = path + ".fileImportPage";
  if (!page->has_struct_value()) return Invalid(page_path, "must be an object");
  const Struct& p = page->struct_value();
  if (absl::Status s = OptionalBool(p, "hasHeader", page_path + ".hasHeader",
                                    &spec->has_header);
      !s.ok()) {
    return s;
  }
  const Value* columns = Field(p, "columnMappings");
  if (columns == nullptr) return absl::OkStatus();
  const std::string columns_path = page_path + ".columnMappings";
  if (!columns->has_list_value())
    return Invalid(columns_path, "must be an array");
  // (object type, property) -> index of the mapping that has it.
  absl::flat_hash_map<std::pair<std::string, std::string>, int> mapped;
  for (int j = 0; j < columns->list_value().values_size(); ++j) {
    const std::string mapping_path = absl::StrCat(columns_path, "[", j, "]");
    absl::StatusOr<ColumnMapping> mapping = ParseColumnMapping(
        columns->list_value().values(j), mapping_path, spec->has_header);
    if (!mapping.ok()) return mapping.status();
    if (!mapping->ignored) {
      auto [it, inserted] = mapped.try_emplace(
          std::make_pair(mapping->object_type_id, mapping->property_name), j);
      if (!inserted) {
        return Invalid(mapping_path + ".propertyName",
                       absl::StrCat(mapping->property_name, " of ",
                                    mapping->object_type_id,
                                    " is already mapped by columnMappings[",
                                    it->second, "]"));
      }
    }
    spec->mappings.push_back(*std::move(mapping));
  }
  return absl::OkStatus();
}

absl::Status ParseFiles(const Struct& request, ImportSpec* spec) {
  const Value* files = Field(request, "files");
  if (files == nullptr)
    return Invalid("files", "is required: one entry per file");
  if (!files->has_list_value()) return Invalid("files", "must be an array");
  if (files->list_value().values_size() == 0) {
    return Invalid("files", "must name at least one file");
  }
  std::set<std::string> names;
  for (int i = 0; i < files->list_value().values_size(); ++i) {
    const std::string path = absl::StrCat("files[", i, "]");
    const Value& value = files->list_value().values(i);
    if (!value.has_struct_value()) return Invalid(path, "must be an object");
    const Struct& f = value.struct_value();
    FileSpec file;
    if (Field(f, "fileName") == nullptr) {
      return Invalid(path + ".fileName", "is required");
    }
    if (absl::Status s =
            OptionalString(f, "fileName", path + ".fileName", &file.file_name);
        !s.ok()) {
      return s;
    }
    if (file.file_name.empty()) {
      return Invalid(path + ".fileName", "must not be empty");
    }
    if (!names.insert(file.file_name).second) {
      return Invalid(path + ".fileName",
                     absl::StrCat("\"", file.file_name, "\" appears twice"));
    }
    if (absl::Status s =
            OneOf(f, "fileFormat", path + ".fileFormat", {"CSV", "SPREADSHEET"},
                  /*required=*/true, &file.file_format);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = ParseFileImportPage(f, path, &file); !s.ok()) return s;
    spec->files.push_back(std::move(file));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ImportSpec> ParseImportRequest(absl::string_view json) {
  // Bound to a local: everything below refers into it.
  absl::StatusOr<Struct> parsed = hubspot_gateway::ParseJsonObject(json);
  if (!parsed.ok()) return Invalid("importRequest", parsed.status().message());
  const Struct& request = *parsed;

  ImportSpec spec;
  const Value* name = Field(request, "name");
  if (name == nullptr) return Invalid("name", "is required: the import's name");
  if (!name->has_string_value()) return Invalid("name", "must be a string");
  if (absl::StripAsciiWhitespace(name->string_value()).empty()) {
    return Invalid("name", "must not be empty");
  }
  spec.name = name->string_value();
  for (absl::Status s : {
           OneOf(request, "dateFormat", "dateFormat",
                 {"MONTH_DAY_YEAR", "DAY_MONTH_YEAR", "YEAR_MONTH_DAY"},
                 /*required=*/false, &spec.date_format),
           OptionalBool(request, "marketableContactImport",
                        "marketableContactImport",
                        &spec.marketable_contact_import),
           OptionalBool(request, "createContactListFromImport",
                        "createContactListFromImport",
                        &spec.create_contact_list_from_import),
           ParseImportOperations(request, &spec),
           ParseFiles(request, &spec),
       }) {
    if (!s.ok()) return s;
  }
  return spec;
}

}  // namespace hubspot_emulator
