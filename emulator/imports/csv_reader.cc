#include "emulator/imports/csv_reader.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace hubspot_emulator {
namespace {

bool InRange(unsigned char c, unsigned char lo, unsigned char hi) {
  return c >= lo && c <= hi;
}

// The length of the valid UTF-8 sequence at s[i], 0 when there is none.
size_t Utf8SequenceAt(absl::string_view s, size_t i) {
  const auto at = [&](size_t k) -> unsigned char {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0;
  };
  const unsigned char c = at(0);
  if (c < 0x80) return 1;
  // The second byte's range depends on the first (RFC 3629 table).
  unsigned char lo = 0x80, hi = 0xBF;
  size_t length;
  if (InRange(c, 0xC2, 0xDF)) {
    length = 2;
  } else if (InRange(c, 0xE0, 0xEF)) {
    length = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (InRange(c, 0xF0, 0xF4)) {
    length = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (!InRange(at(1), lo, hi)) return 0;
  for (size_t k = 2; k < length; ++k) {
    if (!InRange(at(k), 0x80, 0xBF)) return 0;
  }
  return length;
}

}  // namespace

bool IsValidUtf8(absl::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = Utf8SequenceAt(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string SanitizeUtf8(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t n = Utf8SequenceAt(s, i);
    if (n == 0) {
      out.append("\xEF\xBF\xBD");
      ++i;
    } else {
      out.append(s.data() + i, n);
      i += n;
    }
  }
  return out;
}

CsvReader::CsvReader(absl::string_view data) : data_(data) {
  if (absl::StartsWith(data_, "\xEF\xBB\xBF")) pos_ = 3;
}

bool CsvReader::ConsumeLineBreak() {
  if (pos_ >= data_.size()) return false;
  if (data_[pos_] == '\n') {
    ++pos_;
  } else if (data_[pos_] == '\r') {
    ++pos_;
    if (pos_ < data_.size() && data_[pos_] == '\n') ++pos_;
  } else {
    return false;
  }
  ++line_;
  return true;
}

void CsvReader::CountLines(size_t begin, size_t end) {
  for (size_t i = begin; i < end; ++i) {
    if (data_[i] == '\n') {
      ++line_;
    } else if (data_[i] == '\r' &&
               (i + 1 >= data_.size() || data_[i + 1] != '\n')) {
      ++line_;
    }
  }
}

void CsvReader::ReadUnquotedCell(CsvRecord* record) {
  const size_t start = pos_;
  while (pos_ < data_.size()) {
    const char c = data_[pos_];
    if (c == ',' || c == '\n' || c == '\r') break;
    ++pos_;
  }
  // A quote inside an unquoted cell is taken literally, as spreadsheet
  // programs do.
  record->spans_.push_back({false, start, pos_ - start});
}

void CsvReader::ReadQuotedCell(CsvRecord* record) {
  const int64_t opened_on = line_;
  const int column = static_cast<int>(record->spans_.size());
  ++pos_;  // the opening quote
  size_t start = pos_;
  bool owned = false;  // whether "" escapes made a copy necessary
  size_t owned_begin = 0;
  auto finish = [&](size_t end) {
    if (owned) {
      record->storage_.append(data_.data() + start, end - start);
      record->spans_.push_back(
          {true, owned_begin, record->storage_.size() - owned_begin});
    } else {
      record->spans_.push_back({false, start, end - start});
    }
  };
  auto note_problem = [&](std::string problem) {
    if (!record->problem.empty()) return;
    record->problem = std::move(problem);
    record->problem_column = column;
  };
  while (true) {
    const size_t quote = data_.find('"', pos_);
    if (quote == absl::string_view::npos) {
      CountLines(pos_, data_.size());
      finish(data_.size());
      pos_ = data_.size();
      note_problem(absl::StrCat("the quoted value of column ", column + 1,
                                ", opened on line ", opened_on,
                                ", is never closed"));
      return;
    }
    CountLines(pos_, quote);
    if (quote + 1 < data_.size() && data_[quote + 1] == '"') {
      if (!owned) {
        owned = true;
        owned_begin = record->storage_.size();
      }
      // Up to and with the first quote of the pair.
      record->storage_.append(data_.data() + start, quote + 1 - start);
      pos_ = quote + 2;
      start = pos_;
      continue;
    }
    finish(quote);
    pos_ = quote + 1;
    break;
  }
  if (pos_ < data_.size() && data_[pos_] != ',' && data_[pos_] != '\n' &&
      data_[pos_] != '\r') {
    note_problem(absl::StrCat("column ", column + 1,
                              " has text after its closing quote"));
    while (pos_ < data_.size() && data_[pos_] != ',' && data_[pos_] != '\n' &&
           data_[pos_] != '\r') {
      ++pos_;
    }
  }
}

bool CsvReader::Next(CsvRecord* record) {
  record->cells.clear();
  record->spans_.clear();
  record->storage_.clear();
  record->problem.clear();
  record->problem_column = -1;
  record->blank = false;
  if (pos_ >= data_.size()) return false;
  record->line_number = line_;
  if (ConsumeLineBreak()) {
    record->blank = true;
    return true;
  }
  while (true) {
    if (pos_ < data_.size() && data_[pos_] == '"') {
      ReadQuotedCell(record);
    } else {
      ReadUnquotedCell(record);
    }
    if (pos_ < data_.size() && data_[pos_] == ',') {
      ++pos_;
      continue;  // at the end of the data, one more empty cell
    }
    ConsumeLineBreak();
    break;
  }
  for (const CsvRecord::Span& span : record->spans_) {
    record->cells.push_back(
        span.owned
            ? absl::string_view(record->storage_).substr(span.begin, span.size)
            : data_.substr(span.begin, span.size));
  }
  if (record->problem.empty()) {
    for (size_t i = 0; i < record->cells.size(); ++i) {
      if (!IsValidUtf8(record->cells[i])) {
        record->problem =
            absl::StrCat("column ", i + 1, " is not valid UTF-8 text");
        record->problem_column = static_cast<int>(i);
        break;
      }
    }
  }
  return true;
}

}  // namespace hubspot_emulator
