#ifndef HUBSPOT_EMULATOR_IMPORTS_IMPORT_SPEC_H_
#define HUBSPOT_EMULATOR_IMPORTS_IMPORT_SPEC_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hubspot_emulator {

// One entry of a file's fileImportPage.columnMappings.
// Ignored mappings stay in the list: without a header row, a mapping's
// position is its column's.
struct ColumnMapping {
  std::string column_name;
  std::string property_name;   // empty when the column is ignored
  std::string object_type_id;  // "0-1" contacts, "0-2" companies, ...
  std::string
      id_column_type;       // "", "HUBSPOT_OBJECT_ID", "HUBSPOT_ALTERNATE_ID"
  std::string column_type;  // as sent (HubSpot's hints); not used
  // No propertyName, or "ignored": true. A HUBSPOT_OBJECT_ID column without
  // propertyName maps to hs_object_id and is not ignored.
  bool ignored = false;
};

struct FileSpec {
  std::string file_name;
  std::string file_format;  // "CSV" or "SPREADSHEET"
  bool has_header = true;
  std::vector<ColumnMapping> mappings;
};

// The importRequest form part, as HubSpot reads it.
struct ImportSpec {
  std::string name;
  // MONTH_DAY_YEAR (HubSpot's default), DAY_MONTH_YEAR or YEAR_MONTH_DAY.
  std::string date_format = "MONTH_DAY_YEAR";
  // objectTypeId -> CREATE, UPDATE or UPSERT; absent means UPSERT.
  std::map<std::string, std::string> import_operations;
  bool marketable_contact_import = false;
  bool create_contact_list_from_import = false;
  std::vector<FileSpec> files;
};

// absl::InvalidArgumentError (HubSpot's 400 VALIDATION_ERROR) with a message
// naming the field when HubSpot would refuse the request, e.g.
// "files[0].fileFormat: must be one of CSV, SPREADSHEET". Object types are
// checked against the portal's (0-1, 0-2, 0-3, 0-5; names such as
// "contacts" are accepted and stored as ids); property names are not: an
// unknown one is a row error (PROPERTY_DEFINITION_NOT_FOUND), as in HubSpot.
// Unknown fields are ignored.
absl::StatusOr<ImportSpec> ParseImportRequest(absl::string_view json);

}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_IMPORTS_IMPORT_SPEC_H_
