#include "emulator/imports/row_import.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "emulator/imports/property_values.h"

namespace hubspot_emulator {
namespace {

absl::string_view CellAt(const CsvRecord& record, size_t column) {
  // Without a header row, a mapping may name a column past the row's end.
  return column < record.cells.size() ? record.cells[column]
                                      : absl::string_view();
}

// A cell as shown in an error: valid UTF-8 (for the JSON it goes into) and
// at most a property value's size (a runaway quoted cell may hold the rest
// of the file).
std::string Displayable(absl::string_view cell) {
  const absl::string_view shown = cell.substr(0, kMaxValueBytes);
  return IsValidUtf8(shown) ? std::string(shown) : SanitizeUtf8(shown);
}

// Records the errors of one row.
class RowErrors {
 public:
  RowErrors(const FilePlan& plan, int file_index, const CsvRecord& record,
            ImportTally* tally)
      : plan_(plan), file_index_(file_index), record_(record), tally_(tally) {}

  // `type` nullptr: a row-level error, attributed to the file's first
  // object type. `column` 0-based, -1 when no cell is at fault.
  void Add(const ObjectTypeDefinition* type, const char* error_type,
           std::string message, int column = -1) const {
    if (type == nullptr && !plan_.objects.empty()) {
      type = plan_.objects.front().type;
    }
    RowError e;
    e.error_type = error_type;
    if (type != nullptr) {
      e.object_type_id = type->object_type_id;
      e.object_type = type->object_type;
    }
    e.file_index = file_index_;
    e.line_number = record_.line_number;
    e.row_data.reserve(record_.cells.size());
    for (absl::string_view cell : record_.cells) {
      e.row_data.push_back(Displayable(cell));
    }
    e.message = std::move(message);
    if (column >= 0) {
      e.known_column_number = column + 1;
      e.invalid_value =
          Displayable(CellAt(record_, static_cast<size_t>(column)));
    }
    tally_->AddError(std::move(e));
  }

 private:
  const FilePlan& plan_;
  const int file_index_;
  const CsvRecord& record_;
  ImportTally* const tally_;
};

// How the write named its object, for messages: "email a@b.com",
// "record ID 1001"; empty when it had no key.
std::string KeyOf(const ObjectWrite& write) {
  if (write.object_id.has_value()) {
    return absl::StrCat("record ID ", *write.object_id);
  }
  for (const auto& [name, value] : write.values) {
    if (name == write.type->unique_property) {
      return absl::StrCat(name, " ", value);
    }
  }
  return "";
}

void ReportRefusedWrite(const RowErrors& errors, const ObjectWrite& write,
                        WriteStatus status, int key_column) {
  const ObjectTypeDefinition& t = *write.type;
  const std::string key = KeyOf(write);
  switch (status) {
    case WriteStatus::kAlreadyExists:
      errors.Add(
          &t, "CREATE_ONLY_IMPORT",
          absl::StrCat("A ", t.singular, " with ", key,
                       " already exists; this import only creates ", t.name),
          key_column);
      return;
    case WriteStatus::kNotFound:
      if (key.empty()) {
        errors.Add(
            &t, "UPDATE_ONLY_IMPORT",
            absl::StrCat("The row has no ",
                         t.unique_property.empty()
                             ? std::string("record ID")
                             : absl::StrCat("record ID or ", t.unique_property),
                         " to find the ", t.singular,
                         " to update; this import only updates ", t.name));
      } else {
        errors.Add(&t, "UPDATE_ONLY_IMPORT",
                   absl::StrCat("No ", t.singular, " with ", key,
                                " exists; this import only updates ", t.name),
                   key_column);
      }
      return;
    case WriteStatus::kUnknownObjectId:
      errors.Add(&t, "INVALID_OBJECT_ID",
                 absl::StrCat("No ", t.singular, " with ", key, " exists"),
                 key_column);
      return;
    case WriteStatus::kDuplicateKey:
      errors.Add(
          &t, "DUPLICATE_UNIQUE_PROPERTY_VALUE",
          absl::StrCat("Another ", t.singular, " already has ",
                       t.unique_property, " of this row's ", t.singular));
      return;
    case WriteStatus::kLimitExceeded:
      errors.Add(&t, "LIMIT_EXCEEDED",
                 absl::StrCat("The portal has reached its limit of ", t.name,
                              "; the ", t.singular, " was not created"));
      return;
    case WriteStatus::kCreated:
    case WriteStatus::kUpdated:
      return;
  }
}

void ImportObject(const FilePlan& plan, const ObjectPlan& object,
                  const CsvRecord& record, const RowErrors& errors,
                  CrmStore* crm, ImportTally* tally) {
  const ObjectTypeDefinition& type = *object.type;
  ObjectWrite write;
  write.type = &type;
  write.mode = object.mode;
  bool identifiable = true;  // false when the key cell is invalid
  bool any_value = false;
  int id_column = -1;
  int unique_column = -1;
  for (const PlannedColumn& c : object.columns) {
    const absl::string_view cell =
        absl::StripAsciiWhitespace(CellAt(record, c.column));
    if (cell.empty()) continue;  // empty cells leave values as they are
    any_value = true;
    const int column = static_cast<int>(c.column);
    if (c.property == nullptr) {
      errors.Add(&type, "PROPERTY_DEFINITION_NOT_FOUND",
                 absl::StrCat("Property ", c.property_name,
                              " does not exist for ", type.name),
                 column);
      continue;
    }
    const bool is_id = c.property->type == PropertyType::kObjectId;
    const bool is_unique = c.property->name == type.unique_property;
    PropertyValueResult v =
        NormalizePropertyValue(*c.property, cell, plan.date_order);
    if (!v.ok()) {
      errors.Add(&type, v.error_type.c_str(), std::move(v.message), column);
      // Without its key the row's object cannot be found, nor created
      // without risking a duplicate.
      if (is_id || is_unique) identifiable = false;
      continue;
    }
    if (is_id) {
      write.object_id = ParseObjectId(v.value);
      id_column = column;
      continue;
    }
    if (is_unique) unique_column = column;
    write.values.emplace_back(c.property->name, std::move(v.value));
  }
  // All cells empty: the row has nothing for this object type (a contact
  // row whose company columns are blank, say). All invalid: the errors
  // above say so.
  if (!any_value || !identifiable || write.values.empty()) return;
  const WriteResult result = crm->Write(write);
  if (result.status == WriteStatus::kCreated ||
      result.status == WriteStatus::kUpdated) {
    tally->AddWrite(result, write.values.size());
    return;
  }
  ReportRefusedWrite(errors, write, result.status,
                     write.object_id.has_value() ? id_column : unique_column);
}

}  // namespace

ImportTally::ImportTally(size_t max_errors_kept, std::vector<RowError>* errors)
    : max_errors_kept_(max_errors_kept), kept_(errors) {}

void ImportTally::AddError(RowError error) {
  ++errors_;
  if (kept_->size() < max_errors_kept_) kept_->push_back(std::move(error));
}

void ImportTally::AddWrite(const WriteResult& result, size_t values) {
  if (result.status == WriteStatus::kCreated) ++created_;
  if (result.status == WriteStatus::kUpdated) ++updated_;
  values_emitted_ += static_cast<int64_t>(values);
  written_.insert(result.object_id);
}

std::map<std::string, int64_t> ImportTally::Counters() const {
  std::map<std::string, int64_t> counters;
  const std::pair<const char*, int64_t> all[] = {
      {"TOTAL_ROWS", total_rows_},
      {"CREATED_OBJECTS", created_},
      {"UPDATED_OBJECTS", updated_},
      {"UNIQUE_OBJECTS_WRITTEN", static_cast<int64_t>(written_.size())},
      {"PROPERTY_VALUES_EMITTED", values_emitted_},
      {"ERRORS", errors_},
  };
  for (const auto& [name, count] : all) {
    if (count != 0) counters[name] = count;
  }
  return counters;
}

void ImportRow(const FilePlan& plan, int file_index, const CsvRecord& record,
               CrmStore* crm, ImportTally* tally) {
  tally->AddRow();
  const RowErrors errors(plan, file_index, record, tally);
  if (!record.problem.empty()) {
    errors.Add(nullptr, "COULD_NOT_PARSE_ROW",
               absl::StrCat("Could not parse row: ", record.problem),
               record.problem_column);
    return;
  }
  if (record.cells.size() != plan.width) {
    errors.Add(nullptr, "INCORRECT_NUMBER_OF_COLUMNS",
               absl::StrCat("Row has ", record.cells.size(), " columns but ",
                            plan.width_source, " has ", plan.width));
    return;
  }
  bool any_value = false;
  for (const ObjectPlan& object : plan.objects) {
    for (const PlannedColumn& c : object.columns) {
      if (!absl::StripAsciiWhitespace(CellAt(record, c.column)).empty()) {
        any_value = true;
      }
    }
  }
  if (!any_value) {
    // A row of empty cells (",,,") is an error for each of its objects;
    // an empty line is not a row at all.
    for (const ObjectPlan& object : plan.objects) {
      errors.Add(object.type,
                 "FAILED_TO_PROCESS_OBJECT_WITH_EMPTY_PROPERTY_VALUES",
                 absl::StrCat("The row has no values for ", object.type->name,
                              "; no ", object.type->singular, " was written"));
    }
    return;
  }
  for (const ObjectPlan& object : plan.objects) {
    ImportObject(plan, object, record, errors, crm, tally);
  }
}

}  // namespace hubspot_emulator
