#ifndef HUBSPOT_EMULATOR_IMPORTS_ROW_IMPORT_H_
#define HUBSPOT_EMULATOR_IMPORTS_ROW_IMPORT_H_

// One data row into the CRM: its objects' values checked, written, counted,
// and the errors HubSpot would record for it.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "emulator/imports/crm_store.h"
#include "emulator/imports/csv_import.h"
#include "emulator/imports/csv_reader.h"
#include "emulator/imports/file_plan.h"

namespace hubspot_emulator {

// An import's counters and errors as its rows are processed.
class ImportTally {
 public:
  // Keeps the first `max_errors_kept` errors in `errors`; counts them all.
  ImportTally(size_t max_errors_kept, std::vector<RowError>* errors);

  void AddRow() { ++total_rows_; }
  void AddError(RowError error);
  // A write that created or updated `object_id` with `values` values.
  void AddWrite(const WriteResult& result, size_t values);

  int64_t errors() const { return errors_; }
  // HubSpot's counters, zero ones left out.
  std::map<std::string, int64_t> Counters() const;

 private:
  const size_t max_errors_kept_;
  std::vector<RowError>* const kept_;
  int64_t total_rows_ = 0;
  int64_t created_ = 0;
  int64_t updated_ = 0;
  int64_t values_emitted_ = 0;
  int64_t errors_ = 0;
  absl::flat_hash_set<int64_t> written_;  // ids are unique across types
};

// `record` is a non-blank data row of file `file_index`.
void ImportRow(const FilePlan& plan, int file_index, const CsvRecord& record,
               CrmStore* crm, ImportTally* tally);

}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_IMPORTS_ROW_IMPORT_H_
