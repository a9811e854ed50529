#include "server/hubspot/rest_mapping.h"

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "server/common/json.h"
#include "server/hubspot/json_reader.h"

namespace hubspot_gateway {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;

constexpr int64_t kInt32Min = INT32_MIN;
constexpr int64_t kInt32Max = INT32_MAX;

// Runs `read(reader)` on the parsed root object, turning any error into
// "invalid HubSpot response: …".
template <typename ReadFn>
absl::Status ReadRoot(absl::string_view json, ReadFn read) {
  auto root = ParseJsonObject(json);
  if (!root.ok()) return root.status();
  absl::Status status;
  ObjectReader reader(&*root, "", &status);
  read(reader);
  return status;
}

void ReadStrings(ObjectReader& r, absl::string_view key,
                 google::protobuf::RepeatedPtrField<std::string>* out) {
  const google::protobuf::ListValue* list = r.List(key);
  if (list == nullptr) return;
  for (int i = 0; i < list->values_size(); ++i) {
    *out->Add() = r.ElementString(key, list->values(i), i);
  }
}

void ReadStringMap(ObjectReader& r, absl::string_view key,
                   google::protobuf::Map<std::string, std::string>* out) {
  std::optional<ObjectReader> map = r.Object(key);
  if (!map) return;
  for (const auto& [name, value] : map->object().fields()) {
    (*out)[name] = map->String(name);
  }
}

void ReadStringListMap(
    ObjectReader& r, absl::string_view key,
    google::protobuf::Map<std::string, v1::StringList>* out) {
  std::optional<ObjectReader> map = r.Object(key);
  if (!map) return;
  for (const auto& [name, value] : map->object().fields()) {
    ReadStrings(*map, name, (*out)[name].mutable_values());
  }
}

template <typename Response>
void ReadPaging(ObjectReader& r, Response* response) {
  std::optional<ObjectReader> paging = r.Object("paging");
  if (!paging) return;
  v1::Paging* out = response->mutable_paging();
  if (std::optional<ObjectReader> next = paging->Object("next")) {
    out->mutable_next()->set_after(next->String("after"));
    out->mutable_next()->set_link(next->String("link"));
  }
  if (std::optional<ObjectReader> prev = paging->Object("prev")) {
    out->mutable_prev()->set_before(prev->String("before"));
    out->mutable_prev()->set_link(prev->String("link"));
  }
}

void ReadMetadata(ObjectReader& r, v1::ImportMetadata* out) {
  if (std::optional<ObjectReader> counters = r.Object("counters")) {
    for (const auto& [name, value] : counters->object().fields()) {
      (*out->mutable_counters())[name] = counters->Int(name);
    }
  }
  ReadStrings(r, "fileIds", out->mutable_file_ids());
  if (auto* lists = r.List("objectLists")) {
    for (int i = 0; i < lists->values_size(); ++i) {
      std::optional<ObjectReader> e =
          r.Element("objectLists", *lists->mutable_values(i), i);
      if (!e) continue;
      v1::ObjectList* list = out->add_object_lists();
      list->set_list_id(e->String("listId"));
      list->set_object_type(e->String("objectType"));
    }
  }
}

void ReadImport(ObjectReader& r, v1::Import* out) {
  out->set_id(r.Int("id", 0));
  out->set_state(r.Enum<v1::ImportState>("state", out->mutable_state_raw()));
  out->set_import_name(r.String("importName"));
  out->set_import_source(r.Enum<v1::ImportSource>(
      "importSource", out->mutable_import_source_raw()));
  if (auto t = r.Rfc3339("createdAt")) *out->mutable_created_at() = *t;
  if (auto t = r.Rfc3339("updatedAt")) *out->mutable_updated_at() = *t;
  if (std::optional<ObjectReader> metadata = r.Object("metadata")) {
    ReadMetadata(*metadata, out->mutable_metadata());
  }
  google::protobuf::Struct request;
  if (r.TakeStruct("importRequestJson", &request)) {
    out->mutable_import_request_json()->Swap(&request);
  }
  out->set_opt_out_import(r.Bool("optOutImport"));
  ReadStrings(r, "mappedObjectTypeIds", out->mutable_mapped_object_type_ids());
  if (std::optional<ObjectReader> t = r.Object("importTemplate")) {
    v1::ImportTemplate* tmpl = out->mutable_import_template();
    tmpl->set_template_id(
        static_cast<int32_t>(t->Int("templateId", kInt32Min, kInt32Max)));
    tmpl->set_template_type(t->Enum<v1::ImportTemplateType>(
        "templateType", tmpl->mutable_template_type_raw()));
  }
}

void ReadPropertyValue(ObjectReader& r, v1::PropertyValue* out) {
  out->set_name(r.String("name"));
  out->set_value(r.String("value"));
  out->set_source(
      r.Enum<v1::PropertySource>("source", out->mutable_source_raw()));
  out->set_source_id(r.String("sourceId"));
  out->set_source_label(r.String("sourceLabel"));
  out->set_source_metadata(r.String("sourceMetadata"));
  if (const auto* vids = r.List("sourceVid")) {
    for (int i = 0; i < vids->values_size(); ++i) {
      out->add_source_vid(r.ElementInt("sourceVid", vids->values(i), i));
    }
  }
  out->set_request_id(r.String("requestId"));
  out->set_unit(r.String("unit"));
  if (auto t = r.EpochMillis("timestamp")) *out->mutable_timestamp() = *t;
  if (auto t = r.EpochMillis("persistenceTimestamp"))
    *out->mutable_persistence_timestamp() = *t;
  if (auto t = r.EpochMillis("selectedByUserTimestamp"))
    *out->mutable_selected_by_user_timestamp() = *t;
  out->set_use_timestamp_as_persistence_timestamp(
      r.Bool("useTimestampAsPersistenceTimestamp"));
  out->set_selected_by_user(r.Bool("selectedByUser"));
  out->set_updated_by_user_id(
      static_cast<int32_t>(r.Int("updatedByUserId", kInt32Min, kInt32Max)));
  out->set_is_encrypted(r.Bool("isEncrypted"));
  out->set_is_large_value(r.Bool("isLargeValue"));
  out->set_data_sensitivity(r.Enum<v1::DataSensitivity>(
      "dataSensitivity", out->mutable_data_sensitivity_raw()));
}

void ReadImportError(ObjectReader& r, v1::ImportError* out) {
  out->set_id(r.String("id"));
  if (auto t = r.EpochMillis("createdAt")) *out->mutable_created_at() = *t;
  out->set_error_type(
      r.Enum<v1::ImportErrorType>("errorType", out->mutable_error_type_raw()));
  out->set_object_type(
      r.Enum<v1::ObjectType>("objectType", out->mutable_object_type_raw()));
  out->set_object_type_id(r.String("objectTypeId"));
  out->set_error_message(r.String("errorMessage"));
  out->set_invalid_value(r.String("invalidValue"));
  out->set_invalid_value_to_display(r.String("invalidValueToDisplay"));
  out->set_extra_context(r.String("extraContext"));
  out->set_known_column_number(
      static_cast<int32_t>(r.Int("knownColumnNumber", kInt32Min, kInt32Max)));
  if (std::optional<ObjectReader> row = r.Object("sourceData")) {
    v1::ImportRow* data = out->mutable_source_data();
    ReadStrings(*row, "rowData", data->mutable_row_data());
    data->set_line_number(
        static_cast<int32_t>(row->Int("lineNumber", kInt32Min, kInt32Max)));
    data->set_page_name(row->String("pageName"));
    data->set_file_id(
        static_cast<int32_t>(row->Int("fileId", kInt32Min, kInt32Max)));
    data->set_contains_encrypted_properties(
        row->Bool("containsEncryptedProperties"));
  }
  if (std::optional<ObjectReader> value = r.Object("invalidPropertyValue")) {
    ReadPropertyValue(*value, out->mutable_invalid_property_value());
  }
}

template <typename Message, typename ReadItem>
void ReadResults(ObjectReader& r, Message* out, ReadItem read_item) {
  google::protobuf::ListValue* results = r.List("results");
  if (results == nullptr) {
    r.Fail(r.PathOf("results"), "an array (it is required)");
    return;
  }
  for (int i = 0; i < results->values_size(); ++i) {
    std::optional<ObjectReader> item =
        r.Element("results", *results->mutable_values(i), i);
    if (item) read_item(*item, out->add_results());
  }
}

}  // namespace

absl::Status ParseImport(absl::string_view json, v1::Import* out) {
  return ReadRoot(json, [&](ObjectReader& r) { ReadImport(r, out); });
}

absl::Status ParseListImportsResponse(absl::string_view json,
                                      v1::ListImportsResponse* out) {
  return ReadRoot(json, [&](ObjectReader& r) {
    ReadResults(r, out, &ReadImport);
    ReadPaging(r, out);
  });
}

absl::Status ParseListImportErrorsResponse(absl::string_view json,
                                           v1::ListImportErrorsResponse* out) {
  return ReadRoot(json, [&](ObjectReader& r) {
    ReadResults(r, out, &ReadImportError);
    ReadPaging(r, out);
  });
}

absl::Status ParseCancelImportResponse(absl::string_view json,
                                       v1::CancelImportResponse* out) {
  return ReadRoot(json, [&](ObjectReader& r) {
    out->set_status(
        r.Enum<v1::ActionStatus>("status", out->mutable_status_raw()));
    if (auto t = r.Rfc3339("requestedAt")) *out->mutable_requested_at() = *t;
    if (auto t = r.Rfc3339("startedAt")) *out->mutable_started_at() = *t;
    if (auto t = r.Rfc3339("completedAt")) *out->mutable_completed_at() = *t;
    ReadStringMap(r, "links", out->mutable_links());
  });
}

v1::HubSpotError ParseHubSpotError(int http_status, absl::string_view json) {
  v1::HubSpotError error;
  auto read_detail = [](ObjectReader& r, v1::HubSpotErrorDetail* d) {
    d->set_message(r.String("message"));
    d->set_code(r.String("code"));
    d->set_in(r.String("in"));
    d->set_sub_category(r.String("subCategory"));
    ReadStringListMap(r, "context", d->mutable_context());
  };
  const absl::Status status = ReadRoot(json, [&](ObjectReader& r) {
    error.set_message(r.String("message"));
    error.set_category(r.String("category"));
    error.set_sub_category(r.String("subCategory"));
    error.set_correlation_id(r.String("correlationId"));
    error.set_policy_name(r.String("policyName"));
    ReadStringListMap(r, "context", error.mutable_context());
    ReadStringMap(r, "links", error.mutable_links());
    if (auto* errors = r.List("errors")) {
      for (int i = 0; i < errors->values_size(); ++i) {
        std::optional<ObjectReader> e =
            r.Element("errors", *errors->mutable_values(i), i);
        if (e) read_detail(*e, error.add_errors());
      }
    }
  });
  (void)status;  // Whatever could be read is kept; the HTTP status decides.
  error.set_http_status(http_status);
  return error;
}

}  // namespace hubspot_gateway
