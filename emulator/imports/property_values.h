#ifndef HUBSPOT_EMULATOR_IMPORTS_PROPERTY_VALUES_H_
#define HUBSPOT_EMULATOR_IMPORTS_PROPERTY_VALUES_H_

// How a cell becomes a property value: the checks and normalizations HubSpot
// applies per property type, and the row error it records when one fails.

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "emulator/imports/crm_schema.h"

namespace hubspot_emulator {

// The order of day, month and year in the file's dates (importRequest's
// dateFormat).
enum class DateOrder { kMonthDayYear, kDayMonthYear, kYearMonthDay };

// MONTH_DAY_YEAR, DAY_MONTH_YEAR or YEAR_MONTH_DAY; nullopt otherwise.
std::optional<DateOrder> DateOrderFromName(absl::string_view name);
const char* DateOrderName(DateOrder order);

// Each returns the value as stored, or nullopt when HubSpot would refuse it.
// `text` is a cell with surrounding whitespace already removed.

// Lower-cased; a dot-atom local part, a domain of two labels or more.
std::optional<std::string> NormalizeEmail(absl::string_view text);
// "https://www.Example.com/about" -> "example.com".
std::optional<std::string> NormalizeDomain(absl::string_view text);
// Decimal notation, optional sign, fraction and exponent; no thousands
// separators or currency symbols. A leading '+' is dropped.
std::optional<std::string> NormalizeNumber(absl::string_view text);
// Day, month and year in `order`, separated by '/', '-' or '.', the year in
// four digits -> "YYYY-MM-DD".
std::optional<std::string> NormalizeDate(absl::string_view text,
                                         DateOrder order);
// A date as above optionally followed by a time ("13:45", "13:45:30",
// "1:45 PM"), an ISO 8601 date-time ("2024-01-31T13:45:00Z", "+02:00"
// offsets), or Unix milliseconds -> "YYYY-MM-DDTHH:MM:SS.sssZ" (UTC: the
// emulated portal's time zone).
std::optional<std::string> NormalizeDateTime(absl::string_view text,
                                             DateOrder order);
// true/false, yes/no, 1/0, case-insensitively -> "true" or "false".
std::optional<std::string> NormalizeBool(absl::string_view text);
// Digits with + ( ) - . / space and an "ext"/"x" extension; kept as typed.
std::optional<std::string> NormalizePhone(absl::string_view text);
// A positive integer record ID.
std::optional<int64_t> ParseObjectId(absl::string_view text);

// HubSpot's limit on one property value.
inline constexpr size_t kMaxValueBytes = 65536;

// A cell checked against its property: either `value` or an error.
struct PropertyValueResult {
  std::string value;       // as stored, when error_type is empty
  std::string error_type;  // PublicImportError.errorType
  std::string message;     // HubSpot-style errorMessage
  bool ok() const { return error_type.empty(); }
};

// `cell` is trimmed of surrounding whitespace and not empty.
PropertyValueResult NormalizePropertyValue(const PropertyDefinition& property,
                                           absl::string_view cell,
                                           DateOrder order);

}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_IMPORTS_PROPERTY_VALUES_H_
