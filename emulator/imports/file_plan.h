#ifndef HUBSPOT_EMULATOR_IMPORTS_FILE_PLAN_H_
#define HUBSPOT_EMULATOR_IMPORTS_FILE_PLAN_H_

// Which cells of a file's rows feed which object's properties: a file's
// column mappings resolved against its header row (or its column
// positions, without one).

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "emulator/imports/crm_schema.h"
#include "emulator/imports/crm_store.h"
#include "emulator/imports/import_spec.h"
#include "emulator/imports/property_values.h"

namespace hubspot_emulator {

struct PlannedColumn {
  size_t column = 0;  // 0-based cell index
  std::string property_name;
  // nullptr when the object type has no such property: each non-empty cell
  // is then a PROPERTY_DEFINITION_NOT_FOUND error.
  const PropertyDefinition* property = nullptr;
};

// One object type's share of every row.
struct ObjectPlan {
  const ObjectTypeDefinition* type = nullptr;
  WriteMode mode = WriteMode::kUpsert;
  std::vector<PlannedColumn> columns;
};

struct FilePlan {
  std::vector<ObjectPlan> objects;  // in the order the mappings name them
  size_t width = 0;                 // cells every row must have
  const char* width_source = "";    // "the header row" / "the first row"
  DateOrder date_order = DateOrder::kMonthDayYear;
};

// `header` holds the header row's cells, or is nullptr when the file has
// none: each mapping then reads the column at its own position. `width` is
// the header's cell count, or the first row's. InvalidArgumentError when a
// mapping's column is not in the header, or is in it twice (HubSpot's
// INVALID_COLUMN_CONFIGURATION).
absl::StatusOr<FilePlan> PlanFile(const ImportSpec& spec, const FileSpec& file,
                                  const std::vector<std::string>* header,
                                  size_t width);

// importOperations' value for an object type (UPSERT when absent).
WriteMode WriteModeFor(const ImportSpec& spec, absl::string_view type_id);

}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_IMPORTS_FILE_PLAN_H_
