#ifndef HUBSPOT_EMULATOR_IMPORTS_CSV_IMPORT_H_
#define HUBSPOT_EMULATOR_IMPORTS_CSV_IMPORT_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "emulator/imports/crm_store.h"
#include "emulator/imports/import_spec.h"

namespace hubspot_emulator {

// A file as uploaded, in the order of ImportSpec::files.
struct ImportFile {
  std::string file_id;  // the File Manager id the emulator gave it
  absl::string_view data;
};

// One error HubSpot would record for a row (GET .../errors).
struct RowError {
  std::string error_type;  // PublicImportError.errorType, e.g. INVALID_EMAIL
  std::string object_type_id;  // "0-1"
  std::string object_type;     // PublicImportError.objectType, e.g. CONTACT
  int file_index = 0;
  int64_t line_number = 0;  // 1-based line in the file where the row starts
  std::vector<std::string> row_data;  // the row's cells as read
  std::string message;                // HubSpot-style errorMessage
  std::string invalid_value;          // the offending cell, when one
  int known_column_number = -1;       // 1-based column of it, -1 when none
};

// What an import did. `counters` uses HubSpot's keys: TOTAL_ROWS,
// CREATED_OBJECTS, UPDATED_OBJECTS, UNIQUE_OBJECTS_WRITTEN,
// PROPERTY_VALUES_EMITTED, ERRORS (zero counters omitted).
struct ImportOutcome {
  std::map<std::string, int64_t> counters;
  std::vector<RowError> errors;
  std::vector<std::string> mapped_object_type_ids;
  // The whole import failed (state FAILED): unreadable file, unsupported
  // format...; `failure` says why.
  bool failed = false;
  std::string failure;
};

struct ImportOptions {
  // Errors kept in ImportOutcome::errors; ERRORS counts them all. Bounds
  // the memory of an import whose every row is wrong.
  size_t max_errors_kept = 10000;
};

// Reads every file with its mappings and writes the rows into `crm`, all
// before returning (the import's states only reveal the outcome later).
// Every file is checked (format, header, mappings) before any row is
// written: a file-level problem fails the whole import with nothing
// written. The rules are in emulator/README.md, "What an import does".
ImportOutcome RunImport(const ImportSpec& spec,
                        const std::vector<ImportFile>& files, CrmStore* crm,
                        const ImportOptions& options = ImportOptions());

// The distinct objectTypeIds of the spec's mappings (ignored ones left
// out), in first-seen order.
std::vector<std::string> MappedObjectTypeIds(const ImportSpec& spec);

}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_IMPORTS_CSV_IMPORT_H_
