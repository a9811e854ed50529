#include "emulator/imports/multipart_form.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hubspot_emulator {
namespace {

using ::testing::HasSubstr;

constexpr char kType[] = "multipart/form-data; boundary=XyZ";

std::string TwoParts(absl::string_view file_data) {
  return absl::StrCat(
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"importRequest\"\r\n"
      "Content-Type: application/json\r\n"
      "\r\n"
      "{\"name\":\"n\"}\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"files\"; filename=\"a.csv\"\r\n"
      "Content-Type: text/csv\r\n"
      "\r\n",
      file_data, "\r\n--XyZ--\r\n");
}

std::string Message(const absl::StatusOr<std::vector<FormPart>>& r) {
  EXPECT_FALSE(r.ok());
  if (!r.ok()) {
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  }
  return std::string(r.status().message());
}

TEST(MultipartFormTest, ParsesPartsHeadersAndData) {
  const std::string body = TwoParts("email\na@b.com\n");
  absl::StatusOr<std::vector<FormPart>> parts = ParseMultipartForm(kType, body);
  ASSERT_TRUE(parts.ok()) << parts.status();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "importRequest");
  EXPECT_EQ((*parts)[0].file_name, "");
  EXPECT_EQ((*parts)[0].content_type, "application/json");
  EXPECT_EQ((*parts)[0].data, "{\"name\":\"n\"}");
  EXPECT_EQ((*parts)[1].name, "files");
  EXPECT_EQ((*parts)[1].file_name, "a.csv");
  EXPECT_EQ((*parts)[1].content_type, "text/csv");
  EXPECT_EQ((*parts)[1].data, "email\na@b.com\n");
}

TEST(MultipartFormTest, DataPointsIntoTheBody) {
  const std::string body = TwoParts("payload");
  absl::StatusOr<std::vector<FormPart>> parts = ParseMultipartForm(kType, body);
  ASSERT_TRUE(parts.ok()) << parts.status();
  const absl::string_view data = (*parts)[1].data;
  EXPECT_GE(data.data(), body.data());
  EXPECT_LE(data.data() + data.size(), body.data() + body.size());
  EXPECT_EQ(data.data(), body.data() + body.find("payload"));
}

TEST(MultipartFormTest, QuotedBoundaryAndCaseInsensitiveType) {
  const std::string body =
      "--a b:c\r\nContent-Disposition: form-data; name=x\r\n\r\nv\r\n"
      "--a b:c--";
  absl::StatusOr<std::vector<FormPart>> parts = ParseMultipartForm(
      "Multipart/Form-Data; charset=utf-8; Boundary=\"a b:c\"", body);
  ASSERT_TRUE(parts.ok()) << parts.status();
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].name, "x");
  EXPECT_EQ((*parts)[0].data, "v");
}

TEST(MultipartFormTest, PreambleAndEpilogueAreIgnored) {
  const std::string body =
      "This is the preamble.\r\nIt says --XyZ nothing.\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n2\r\n"
      "--XyZ--\r\nThe epilogue\r\n--XyZ\r\nis not a part.";
  absl::StatusOr<std::vector<FormPart>> parts = ParseMultipartForm(kType, body);
  ASSERT_TRUE(parts.ok()) << parts.status();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].data, "1");
  EXPECT_EQ((*parts)[1].data, "2");
}

TEST(MultipartFormTest, TransportPaddingAfterTheDelimiter) {
  const std::string body =
      "--XyZ  \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
      "--XyZ \r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n2\r\n"
      "--XyZ--";
  absl::StatusOr<std::vector<FormPart>> parts = ParseMultipartForm(kType, body);
  ASSERT_TRUE(parts.ok()) << parts.status();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[1].data, "2");
}

TEST(MultipartFormTest, BinaryDataWithPartialDelimitersIsData) {
  std::string data("\x00\x01\r\n--XyZ", 10);  // the boundary, then more
  data += "Q\r\n--Xy\r\n\r\n-\r\n--XyZZ\r\n\xff\xfe";
  data += std::string("\0\r\n--", 5);
  const std::string body = TwoParts(data);
  absl::StatusOr<std::vector<FormPart>> parts = ParseMultipartForm(kType, body);
  ASSERT_TRUE(parts.ok()) << parts.status();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[1].data, data);
}

TEST(MultipartFormTest, EmptyPartData) {
  absl::StatusOr<std::vector<FormPart>> parts =
      ParseMultipartForm(kType, TwoParts(""));
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_EQ((*parts)[1].data, "");
}

TEST(MultipartFormTest, PartWithoutDataNorItsCrLf) {
  absl::StatusOr<std::vector<FormPart>> parts = ParseMultipartForm(
      kType,
      "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n--XyZ\r\n"
      "Content-Disposition: form-data; name=\"b\"\r\n\r\nB\r\n--XyZ--");
  ASSERT_TRUE(parts.ok()) << parts.status();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].data, "");
  EXPECT_EQ((*parts)[1].name, "b");
  EXPECT_EQ((*parts)[1].data, "B");
}

TEST(MultipartFormTest, LargeBody) {
  std::string data;
  for (int i = 0; i < 200000; ++i) absl::StrAppend(&data, "row", i, "\r\n-");
  absl::StatusOr<std::vector<FormPart>> parts =
      ParseMultipartForm(kType, TwoParts(data));
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_EQ((*parts)[1].data.size(), data.size());
}

TEST(MultipartFormTest, FileNameParameters) {
  const std::string body =
      "--XyZ\r\n"
      "content-disposition: form-data; name=\"files\"; "
      "filename=\"C:\\dir\\my \\\"q\\\".csv\"\r\n\r\nd\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=files; filename=\"plain.csv\"; "
      "filename*=UTF-8''na%C3%AFve%20file.csv\r\n\r\nd\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data;\r\n name=\"folded\"\r\n\r\nd\r\n"
      "--XyZ--\r\n";
  absl::StatusOr<std::vector<FormPart>> parts = ParseMultipartForm(kType, body);
  ASSERT_TRUE(parts.ok()) << parts.status();
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].file_name, "C:\\dir\\my \"q\".csv");
  EXPECT_EQ((*parts)[1].name, "files");
  EXPECT_EQ((*parts)[1].file_name, "na\xC3\xAFve file.csv");
  EXPECT_EQ((*parts)[2].name, "folded");
}

TEST(MultipartFormTest, ContentTypeErrors) {
  EXPECT_THAT(Message(ParseMultipartForm("multipart/form-data", TwoParts(""))),
              HasSubstr("no boundary"));
  EXPECT_THAT(
      Message(ParseMultipartForm("text/csv; boundary=XyZ", TwoParts(""))),
      HasSubstr("must be multipart/form-data"));
  EXPECT_THAT(Message(ParseMultipartForm("multipart/form-data; boundary=\"\"",
                                         TwoParts(""))),
              HasSubstr("1 to 70"));
  EXPECT_THAT(Message(ParseMultipartForm(
                  "multipart/form-data; boundary=" + std::string(71, 'b'), "")),
              HasSubstr("1 to 70"));
  EXPECT_THAT(Message(ParseMultipartForm(
                  "multipart/form-data; boundary=\"unclosed", TwoParts(""))),
              HasSubstr("cannot parse Content-Type"));
}

TEST(MultipartFormTest, BoundaryThatDoesNotMatch) {
  EXPECT_THAT(Message(ParseMultipartForm("multipart/form-data; boundary=Other",
                                         TwoParts("x"))),
              HasSubstr("no delimiter line --Other"));
}

TEST(MultipartFormTest, MissingClosingDelimiter) {
  std::string body = TwoParts("data");
  body.resize(body.size() - std::string("\r\n--XyZ--\r\n").size());
  EXPECT_THAT(Message(ParseMultipartForm(kType, body)),
              HasSubstr("ends without the closing delimiter --XyZ--"));
  // A truncated closing delimiter is not one either.
  EXPECT_THAT(Message(ParseMultipartForm(kType, body + "\r\n--XyZ")),
              HasSubstr("closing delimiter"));
  EXPECT_THAT(Message(ParseMultipartForm(kType, body + "\r\n--XyZ-")),
              HasSubstr("closing delimiter"));
}

TEST(MultipartFormTest, MalformedParts) {
  EXPECT_THAT(Message(ParseMultipartForm(
                  kType, "--XyZ\r\nno colon here\r\n\r\nd\r\n--XyZ--")),
              HasSubstr("part 1 has a header line that is not"));
  EXPECT_THAT(
      Message(ParseMultipartForm(
          kType, "--XyZ\r\nContent-Type: text/plain\r\n\r\nd\r\n--XyZ--")),
      HasSubstr("part 1 has no Content-Disposition"));
  EXPECT_THAT(Message(ParseMultipartForm(kType, "--XyZ\r\n\r\nd\r\n--XyZ--")),
              HasSubstr("part 1 has no Content-Disposition"));
  EXPECT_THAT(
      Message(ParseMultipartForm(
          kType,
          "--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nd\r\n"
          "--XyZ--")),
      HasSubstr("not form-data"));
  EXPECT_THAT(
      Message(ParseMultipartForm(
          kType,
          "--XyZ\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nd\r\n"
          "--XyZ--")),
      HasSubstr("has no name"));
  EXPECT_THAT(
      Message(ParseMultipartForm(
          kType,
          "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nd\r\n"
          "--XyZ--")),
      HasSubstr("cannot parse Content-Disposition"));
  EXPECT_THAT(Message(ParseMultipartForm(
                  kType,
                  "--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
                  "and the body never ends its headers")),
              HasSubstr("do not end with a blank line"));
  EXPECT_THAT(Message(ParseMultipartForm(kType, "--XyZjunk\r\n")),
              HasSubstr("no delimiter line"));
  EXPECT_THAT(Message(ParseMultipartForm(kType, "--XyZ--\r\n")),
              HasSubstr("no parts"));
  EXPECT_THAT(
      Message(ParseMultipartForm(
          kType, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nd")),
      HasSubstr("closing delimiter"));
}

TEST(MultipartFormTest, HeadersBeyondTheLimitAreRefused) {
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=a\r\nX-Long: " +
      std::string(20000, 'a') + "\r\n\r\nd\r\n--XyZ--";
  EXPECT_THAT(Message(ParseMultipartForm(kType, body)),
              HasSubstr("do not end with a blank line within"));
}

}  // namespace
}  // namespace hubspot_emulator
