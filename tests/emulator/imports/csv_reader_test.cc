#include "emulator/imports/csv_reader.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hubspot_emulator {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct Row {
  int64_t line;
  std::vector<std::string> cells;
  bool blank;
  std::string problem;
  int problem_column;
};

std::vector<Row> ReadAll(const std::string& data) {
  CsvReader reader(data);
  CsvRecord record;
  std::vector<Row> rows;
  while (reader.Next(&record)) {
    Row row{record.line_number,
            {},
            record.blank,
            record.problem,
            record.problem_column};
    for (absl::string_view cell : record.cells) row.cells.emplace_back(cell);
    rows.push_back(row);
  }
  return rows;
}

std::vector<std::vector<std::string>> Cells(const std::vector<Row>& rows) {
  std::vector<std::vector<std::string>> out;
  for (const Row& r : rows) out.push_back(r.cells);
  return out;
}

std::vector<int64_t> Lines(const std::vector<Row>& rows) {
  std::vector<int64_t> out;
  for (const Row& r : rows) out.push_back(r.line);
  return out;
}

using Cells_ = std::vector<std::string>;

TEST(CsvReaderTest, EmptyDataHasNoRecords) {
  EXPECT_THAT(ReadAll(""), IsEmpty());
  EXPECT_THAT(ReadAll("\xEF\xBB\xBF"), IsEmpty());
}

TEST(CsvReaderTest, SimpleRecordsWithAndWithoutFinalLineBreak) {
  EXPECT_THAT(Cells(ReadAll("a,b\nc,d\n")),
              ElementsAre(Cells_{"a", "b"}, Cells_{"c", "d"}));
  EXPECT_THAT(Cells(ReadAll("a,b\nc,d")),
              ElementsAre(Cells_{"a", "b"}, Cells_{"c", "d"}));
}

TEST(CsvReaderTest, CrLfAndLoneCrEndRecords) {
  std::vector<Row> rows = ReadAll("a,b\r\nc,d\re,f\r\n");
  EXPECT_THAT(Cells(rows), ElementsAre(Cells_{"a", "b"}, Cells_{"c", "d"},
                                       Cells_{"e", "f"}));
  EXPECT_THAT(Lines(rows), ElementsAre(1, 2, 3));
}

TEST(CsvReaderTest, EmptyCells) {
  EXPECT_THAT(Cells(ReadAll(",a,,\n")), ElementsAre(Cells_{"", "a", "", ""}));
  EXPECT_THAT(Cells(ReadAll("a,")), ElementsAre(Cells_{"a", ""}));
  EXPECT_THAT(Cells(ReadAll("\"\",x\n")), ElementsAre(Cells_{"", "x"}));
}

TEST(CsvReaderTest, QuotedCellsWithSeparatorsQuotesAndLineBreaks) {
  std::vector<Row> rows = ReadAll(
      "name,note\n\"Doe, Jane\",\"said \"\"hi\"\"\"\n"
      "\"multi\nline\r\ncell\",x\nlast,row\n");
  EXPECT_THAT(
      Cells(rows),
      ElementsAre(Cells_{"name", "note"}, Cells_{"Doe, Jane", "said \"hi\""},
                  Cells_{"multi\nline\r\ncell", "x"}, Cells_{"last", "row"}));
  // A record starts on the line it starts on; the one after a record with
  // two line breaks inside starts three lines later.
  EXPECT_THAT(Lines(rows), ElementsAre(1, 2, 3, 6));
  for (const Row& r : rows) EXPECT_EQ(r.problem, "") << r.line;
}

TEST(CsvReaderTest, EscapedQuotesAcrossSeveralSegments) {
  EXPECT_THAT(Cells(ReadAll("\"\"\"\",\"a\"\"b\"\"c\"\"\"\n")),
              ElementsAre(Cells_{"\"", "a\"b\"c\""}));
}

TEST(CsvReaderTest, QuoteInsideAnUnquotedCellIsLiteral) {
  std::vector<Row> rows = ReadAll("5\" disk,ok\n");
  EXPECT_THAT(Cells(rows), ElementsAre(Cells_{"5\" disk", "ok"}));
  EXPECT_EQ(rows[0].problem, "");
}

TEST(CsvReaderTest, ByteOrderMarkIsSkipped) {
  std::vector<Row> rows = ReadAll(
      "\xEF\xBB\xBF"
      "email\na@b.com\n");
  EXPECT_THAT(Cells(rows), ElementsAre(Cells_{"email"}, Cells_{"a@b.com"}));
  EXPECT_THAT(Lines(rows), ElementsAre(1, 2));
}

TEST(CsvReaderTest, BlankLinesAreRecordsOfTheirOwnAndCountAsLines) {
  std::vector<Row> rows = ReadAll("a\n\n\r\nb\n");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_FALSE(rows[0].blank);
  EXPECT_TRUE(rows[1].blank);
  EXPECT_TRUE(rows[2].blank);
  EXPECT_THAT(rows[1].cells, IsEmpty());
  EXPECT_FALSE(rows[3].blank);
  EXPECT_THAT(Lines(rows), ElementsAre(1, 2, 3, 4));
  // Spaces are a cell, not a blank line.
  EXPECT_FALSE(ReadAll(" \n")[0].blank);
}

TEST(CsvReaderTest, UnterminatedQuoteRunsToTheEndAndIsAProblem) {
  std::vector<Row> rows = ReadAll("a,b\n1,\"open\n2,3\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[1].cells, ElementsAre("1", "open\n2,3\n"));
  EXPECT_THAT(rows[1].problem, HasSubstr("opened on line 2"));
  EXPECT_THAT(rows[1].problem, HasSubstr("never closed"));
  EXPECT_EQ(rows[1].problem_column, 1);
}

TEST(CsvReaderTest, TextAfterClosingQuoteIsAProblemButTheRecordEnds) {
  std::vector<Row> rows = ReadAll("\"a\"b,c\nd,e\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[0].problem,
              HasSubstr("column 1 has text after its closing"));
  EXPECT_EQ(rows[0].problem_column, 0);
  EXPECT_THAT(rows[0].cells, ElementsAre("a", "c"));
  EXPECT_THAT(rows[1].cells, ElementsAre("d", "e"));
  EXPECT_EQ(rows[1].problem, "");
}

TEST(CsvReaderTest, InvalidUtf8IsAProblemOfItsColumn) {
  std::vector<Row> rows = ReadAll("ok,caf\xE9\nfine,caf\xC3\xA9\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_THAT(rows[0].problem, HasSubstr("column 2 is not valid UTF-8"));
  EXPECT_EQ(rows[0].problem_column, 1);
  EXPECT_EQ(rows[1].problem, "");
}

TEST(CsvReaderTest, CellsPointIntoTheDataUnlessUnescaped) {
  const std::string data = "plain,\"quoted\",\"esc\"\"aped\"\n";
  CsvReader reader(data);
  CsvRecord record;
  ASSERT_TRUE(reader.Next(&record));
  ASSERT_EQ(record.cells.size(), 3u);
  const auto inside = [&](absl::string_view cell) {
    return cell.data() >= data.data() &&
           cell.data() + cell.size() <= data.data() + data.size();
  };
  EXPECT_TRUE(inside(record.cells[0]));
  EXPECT_TRUE(inside(record.cells[1]));
  EXPECT_FALSE(inside(record.cells[2]));
  EXPECT_EQ(record.cells[2], "esc\"aped");
  EXPECT_FALSE(reader.Next(&record));
}

TEST(CsvReaderTest, RecordReuseClearsThePreviousOne) {
  const std::string data = "\"x\"\"\",\xFF\nb\n";
  CsvReader reader(data);
  CsvRecord record;
  ASSERT_TRUE(reader.Next(&record));
  EXPECT_THAT(record.cells, ElementsAre("x\"", "\xFF"));
  EXPECT_NE(record.problem, "");
  ASSERT_TRUE(reader.Next(&record));
  EXPECT_THAT(record.cells, ElementsAre("b"));
  EXPECT_EQ(record.problem, "");
  EXPECT_EQ(record.problem_column, -1);
  EXPECT_EQ(record.line_number, 2);
  EXPECT_FALSE(reader.Next(&record));
}

TEST(Utf8Test, Validity) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("\x80"));
}

TEST(Utf8Test, SanitizeReplacesInvalidBytes) {
  EXPECT_EQ(SanitizeUtf8("caf\xE9!"), "caf\xEF\xBF\xBD!");
  EXPECT_EQ(SanitizeUtf8("ok \xC3\xA9"), "ok \xC3\xA9");
  EXPECT_TRUE(IsValidUtf8(SanitizeUtf8("\xF0\x9F\x98")));
}

}  // namespace
}  // namespace hubspot_emulator
