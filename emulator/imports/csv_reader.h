#ifndef HUBSPOT_EMULATOR_IMPORTS_CSV_READER_H_
#define HUBSPOT_EMULATOR_IMPORTS_CSV_READER_H_

// RFC 4180 records read one at a time from a file held elsewhere: comma
// separated, double-quoted cells with "" for a quote, line breaks inside
// quoted cells, CRLF, LF or a lone CR between records, an optional UTF-8
// byte order mark.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace hubspot_emulator {

struct CsvRecord {
  // 1-based line of the file where the record starts; a record with line
  // breaks in quoted cells spans several.
  int64_t line_number = 0;
  // Into the data, or into this record (cells with "" escapes); valid until
  // the record is read into again.
  std::vector<absl::string_view> cells;
  // An empty line: no cells at all.
  bool blank = false;
  // Why the record is malformed (unterminated quote, text after a closing
  // quote, invalid UTF-8); empty when it is well-formed. Its cells are
  // still read as well as they can be.
  std::string problem;
  int problem_column = -1;  // 0-based cell of the problem, -1 when none

 private:
  friend class CsvReader;
  struct Span {
    bool owned;  // in `storage_`, else in the data
    size_t begin;
    size_t size;
  };
  std::string storage_;
  std::vector<Span> spans_;
};

class CsvReader {
 public:
  // `data` must outlive the reader and the records it fills.
  explicit CsvReader(absl::string_view data);

  // Reads the next record into `record`; false at the end of the data. A
  // final line break does not start another record.
  bool Next(CsvRecord* record);

 private:
  // Consumes a line break at pos_, if one: CRLF, LF or CR.
  bool ConsumeLineBreak();
  // Counts the line breaks of data_[begin, end) into line_.
  void CountLines(size_t begin, size_t end);
  void ReadQuotedCell(CsvRecord* record);
  void ReadUnquotedCell(CsvRecord* record);

  absl::string_view data_;
  size_t pos_ = 0;
  int64_t line_ = 1;
};

// Whether `s` is valid UTF-8 (no overlong forms, surrogates or code points
// past U+10FFFF).
bool IsValidUtf8(absl::string_view s);
// `s` with each invalid UTF-8 sequence replaced by U+FFFD.
std::string SanitizeUtf8(absl::string_view s);

}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_IMPORTS_CSV_READER_H_
