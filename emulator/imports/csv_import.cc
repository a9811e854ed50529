#include "emulator/imports/csv_import.h"

#include <algorithm>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "emulator/imports/csv_reader.h"
#include "emulator/imports/file_plan.h"
#include "emulator/imports/row_import.h"

namespace hubspot_emulator {
namespace {

// A problem with a whole file: it fails the import.
struct FileFailure {
  const char* error_type;
  std::string message;
  int64_t line_number = 0;
};

std::string FileLabel(const ImportSpec& spec, size_t i) {
  return absl::StrCat("files[", i, "] \"", spec.files[i].file_name, "\"");
}

// Why `data` cannot be a CSV file: zip (xlsx), OLE (xls), UTF-16 text or
// NUL bytes early on; empty when it may be one.
std::string WhyNotText(absl::string_view data) {
  if (absl::StartsWith(data, "PK\x03\x04") ||
      absl::StartsWith(data, "\xD0\xCF\x11\xE0")) {
    return "holds a spreadsheet or an archive, not CSV text";
  }
  if (absl::StartsWith(data, "\xFF\xFE") ||
      absl::StartsWith(data, "\xFE\xFF")) {
    return "is UTF-16 text; CSV files are read as UTF-8";
  }
  if (data.substr(0, 8192).find('\0') != absl::string_view::npos) {
    return "holds binary data (NUL bytes), not CSV text";
  }
  return "";
}

// Reads up to the first non-blank record; false when there is none.
bool NextNonBlank(CsvReader* reader, CsvRecord* record) {
  while (reader->Next(record)) {
    if (!record->blank) return true;
  }
  return false;
}

// The file's plan, nullopt when it has no records at all (nothing to do),
// or the reason it cannot be imported.
std::optional<FilePlan> PlanOneFile(const ImportSpec& spec, size_t i,
                                    absl::string_view data,
                                    std::optional<FileFailure>* failure) {
  const FileSpec& file = spec.files[i];
  if (file.file_format == "SPREADSHEET") {
    *failure = FileFailure{
        "INVALID_SPREADSHEET",
        absl::StrCat(FileLabel(spec, i),
                     ": the emulator cannot read spreadsheet files; upload "
                     "the sheet as CSV (fileFormat CSV)")};
    return std::nullopt;
  }
  if (const std::string why = WhyNotText(data); !why.empty()) {
    *failure = FileFailure{"INVALID_FILE_TYPE",
                           absl::StrCat(FileLabel(spec, i), " ", why)};
    return std::nullopt;
  }
  CsvReader reader(data);
  CsvRecord first;
  if (!NextNonBlank(&reader, &first)) return std::nullopt;
  std::vector<std::string> header;
  if (file.has_header) {
    if (!first.problem.empty()) {
      *failure = FileFailure{
          "COULD_NOT_PARSE_ROW",
          absl::StrCat(FileLabel(spec, i),
                       ": cannot read the header row: ", first.problem),
          first.line_number};
      return std::nullopt;
    }
    for (absl::string_view cell : first.cells) header.emplace_back(cell);
  }
  absl::StatusOr<FilePlan> plan = PlanFile(
      spec, file, file.has_header ? &header : nullptr, first.cells.size());
  if (!plan.ok()) {
    *failure = FileFailure{
        "INVALID_COLUMN_CONFIGURATION",
        absl::StrCat(FileLabel(spec, i), ": ", plan.status().message()),
        file.has_header ? first.line_number : 0};
    return std::nullopt;
  }
  return *std::move(plan);
}

void ImportFileRows(const FileSpec& file, const FilePlan& plan, int index,
                    absl::string_view data, CrmStore* crm, ImportTally* tally) {
  CsvReader reader(data);
  CsvRecord record;
  if (file.has_header && !NextNonBlank(&reader, &record)) return;
  while (reader.Next(&record)) {
    if (record.blank) continue;
    ImportRow(plan, index, record, crm, tally);
  }
}

// The object type a file's errors are about: its first mapped one.
std::pair<std::string, std::string> FileObjectType(const FileSpec& file) {
  for (const ColumnMapping& m : file.mappings) {
    if (m.ignored) continue;
    if (const ObjectTypeDefinition* t = FindObjectType(m.object_type_id)) {
      return {t->object_type_id, t->object_type};
    }
  }
  return {"", ""};
}

}  // namespace

std::vector<std::string> MappedObjectTypeIds(const ImportSpec& spec) {
  std::vector<std::string> ids;
  for (const FileSpec& file : spec.files) {
    for (const ColumnMapping& m : file.mappings) {
      if (m.ignored || m.object_type_id.empty()) continue;
      if (std::find(ids.begin(), ids.end(), m.object_type_id) == ids.end()) {
        ids.push_back(m.object_type_id);
      }
    }
  }
  return ids;
}

ImportOutcome RunImport(const ImportSpec& spec,
                        const std::vector<ImportFile>& files, CrmStore* crm,
                        const ImportOptions& options) {
  ImportOutcome out;
  out.mapped_object_type_ids = MappedObjectTypeIds(spec);
  ImportTally tally(options.max_errors_kept, &out.errors);

  // Every file is checked before any row is written, so that a failed
  // import leaves the CRM as it was.
  std::vector<std::optional<FilePlan>> plans;
  for (size_t i = 0; i < spec.files.size(); ++i) {
    std::optional<FileFailure> failure;
    if (i >= files.size()) {
      failure =
          FileFailure{"FILE_NOT_FOUND",
                      absl::StrCat(FileLabel(spec, i), " was not uploaded")};
    } else {
      plans.push_back(PlanOneFile(spec, i, files[i].data, &failure));
    }
    if (failure.has_value()) {
      RowError e;
      e.error_type = failure->error_type;
      std::tie(e.object_type_id, e.object_type) = FileObjectType(spec.files[i]);
      e.file_index = static_cast<int>(i);
      e.line_number = failure->line_number;
      e.message = failure->message;
      tally.AddError(std::move(e));
      out.failed = true;
      out.failure = std::move(failure->message);
      out.counters = tally.Counters();
      return out;
    }
  }
  for (size_t i = 0; i < plans.size(); ++i) {
    if (!plans[i].has_value()) continue;
    ImportFileRows(spec.files[i], *plans[i], static_cast<int>(i), files[i].data,
                   crm, &tally);
  }
  out.counters = tally.Counters();
  return out;
}

}  // namespace hubspot_emulator
