#include "emulator/imports/file_plan.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace hubspot_emulator {
namespace {

// Header names match mapping names ignoring case and surrounding spaces.
std::string ColumnKey(absl::string_view name) {
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(name));
}

constexpr size_t kTwice = static_cast<size_t>(-1);

}  // namespace

WriteMode WriteModeFor(const ImportSpec& spec, absl::string_view type_id) {
  auto it = spec.import_operations.find(std::string(type_id));
  if (it == spec.import_operations.end()) return WriteMode::kUpsert;
  if (it->second == "CREATE") return WriteMode::kCreate;
  if (it->second == "UPDATE") return WriteMode::kUpdate;
  return WriteMode::kUpsert;
}

absl::StatusOr<FilePlan> PlanFile(const ImportSpec& spec, const FileSpec& file,
                                  const std::vector<std::string>* header,
                                  size_t width) {
  FilePlan plan;
  plan.width = width;
  plan.width_source = header != nullptr ? "the header row" : "the first row";
  plan.date_order =
      DateOrderFromName(spec.date_format).value_or(DateOrder::kMonthDayYear);
  absl::flat_hash_map<std::string, size_t> by_name;
  if (header != nullptr) {
    for (size_t i = 0; i < header->size(); ++i) {
      auto [it, inserted] = by_name.try_emplace(ColumnKey((*header)[i]), i);
      if (!inserted) it->second = kTwice;
    }
  }
  for (size_t j = 0; j < file.mappings.size(); ++j) {
    const ColumnMapping& m = file.mappings[j];
    if (m.ignored) continue;
    const ObjectTypeDefinition* type = FindObjectType(m.object_type_id);
    if (type == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("columnMappings[", j, "] names object type ",
                       m.object_type_id, ", which this portal does not have"));
    }
    size_t column = j;
    if (header != nullptr) {
      auto it = by_name.find(ColumnKey(m.column_name));
      if (it == by_name.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("columnMappings[", j, "] reads column \"",
                         m.column_name, "\", which is not in the header row"));
      }
      if (it->second == kTwice) {
        return absl::InvalidArgumentError(absl::StrCat(
            "columnMappings[", j, "] reads column \"", m.column_name,
            "\", which the header row has more than once"));
      }
      column = it->second;
    }
    ObjectPlan* object = nullptr;
    for (ObjectPlan& o : plan.objects) {
      if (o.type == type) object = &o;
    }
    if (object == nullptr) {
      object = &plan.objects.emplace_back();
      object->type = type;
      object->mode = WriteModeFor(spec, type->object_type_id);
    }
    object->columns.push_back(
        {column, m.property_name, type->FindProperty(m.property_name)});
  }
  return plan;
}

}  // namespace hubspot_emulator
