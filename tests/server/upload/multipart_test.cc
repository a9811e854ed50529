#include "server/upload/multipart.h"

#include <cctype>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hubspot_gateway {
namespace {

using ::testing::StartsWith;

// --- An independent multipart/form-data reader (RFC 2046 / RFC 7578) --------

std::string Lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(const std::string& s) {
  const size_t begin = s.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  const size_t end = s.find_last_not_of(" \t");
  return s.substr(begin, end - begin + 1);
}

// "type; a=b; c=\"d\"" -> {"": "type", "a": "b", "c": "d"}; keys lower-case.
std::map<std::string, std::string> HeaderParams(const std::string& value) {
  std::map<std::string, std::string> params;
  std::vector<std::string> pieces;
  std::string piece;
  bool quoted = false;
  for (char c : value) {
    if (c == '"') quoted = !quoted;
    if (c == ';' && !quoted) {
      pieces.push_back(piece);
      piece.clear();
    } else {
      piece += c;
    }
  }
  pieces.push_back(piece);
  params[""] = Lower(Trim(pieces[0]));
  for (size_t i = 1; i < pieces.size(); ++i) {
    const std::string p = Trim(pieces[i]);
    const size_t eq = p.find('=');
    if (eq == std::string::npos) continue;
    std::string v = Trim(p.substr(eq + 1));
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
      v = v.substr(1, v.size() - 2);
    }
    params[Lower(Trim(p.substr(0, eq)))] = v;
  }
  return params;
}

struct Part {
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

struct Multipart {
  std::string error;  // empty when the body is well formed
  std::vector<Part> parts;
};

Multipart ParseMultipart(const std::string& body, const std::string& boundary) {
  Multipart out;
  // Every delimiter is CRLF "--" boundary; the first one's CRLF may be
  // missing when there is no preamble.
  const std::string delimiter = "\r\n--" + boundary;
  const std::string text = "\r\n" + body;
  size_t pos = text.find(delimiter);
  if (pos != 0) {
    out.error = "body does not start with the first delimiter";
    return out;
  }
  while (true) {
    pos += delimiter.size();
    if (text.compare(pos, 2, "--") == 0) {
      const std::string epilogue = text.substr(pos + 2);
      if (!epilogue.empty() && epilogue != "\r\n") {
        out.error = "unexpected data after the close delimiter";
      }
      return out;
    }
    if (text.compare(pos, 2, "\r\n") != 0) {
      out.error = "delimiter not followed by CRLF";
      return out;
    }
    pos += 2;
    const size_t next = text.find(delimiter, pos);
    if (next == std::string::npos) {
      out.error = "no close delimiter";
      return out;
    }
    const std::string raw = text.substr(pos, next - pos);
    const size_t headers_end = raw.find("\r\n\r\n");
    if (headers_end == std::string::npos) {
      out.error = "part without the blank line after its headers";
      return out;
    }
    Part part;
    size_t line_start = 0;
    while (line_start < headers_end) {
      size_t line_end = raw.find("\r\n", line_start);
      if (line_end > headers_end) line_end = headers_end;
      const std::string line = raw.substr(line_start, line_end - line_start);
      const size_t colon = line.find(':');
      if (colon == std::string::npos || colon == 0) {
        out.error = "bad header line: " + line;
        return out;
      }
      part.headers[Lower(line.substr(0, colon))] = Trim(line.substr(colon + 1));
      line_start = line_end + 2;
    }
    part.body = raw.substr(headers_end + 4);
    out.parts.push_back(std::move(part));
    pos = next;
  }
}

// --- fixtures ----------------------------------------------------------------

constexpr char kJson[] =
    R"({"name":"n","files":[{"fileName":"a.csv","fileFormat":"CSV"},)"
    R"({"fileName":"b.xlsx","fileFormat":"SPREADSHEET"}]})";

UploadFileSpec Spec(const std::string& name, const std::string& content_type,
                    std::optional<int64_t> size) {
  UploadFileSpec spec;
  spec.file_name = name;
  spec.content_type = content_type;
  spec.size_bytes = size;
  return spec;
}

// File bytes that look like framing: CRLFs, "--", a boundary-like line, NULs.
std::string TrickyBytes(const std::string& boundary) {
  const std::string prefix = boundary.substr(0, boundary.size() / 2);
  return std::string("email,name\r\n--\r\n----\r\n") + "\r\n--" + prefix +
         "\r\n" + std::string("x\0y\r\n\r\n", 7) + "--\r\n";
}

std::string Body(const MultipartFraming& framing, const std::string& json,
                 const std::vector<UploadFileSpec>& files,
                 const std::vector<std::string>& bytes) {
  std::string body = framing.Opening(json, files[0]) + bytes[0];
  for (size_t i = 1; i < files.size(); ++i) {
    body += framing.Between(files[i]) + bytes[i];
  }
  return body + framing.Closing();
}

// The boundary named by a Content-Type header value.
std::string BoundaryOf(const std::string& content_type) {
  return HeaderParams(content_type)["boundary"];
}

// =============================================================================

TEST(MultipartFramingTest, FreshBoundariesDiffer) {
  EXPECT_NE(MultipartFraming().boundary(), MultipartFraming().boundary());
}

TEST(MultipartFramingTest, FreshBoundaryIsLongAndLegal) {
  const std::string boundary = MultipartFraming().boundary();
  // RFC 2046: 1 to 70 characters; long enough not to occur in a file.
  EXPECT_GE(boundary.size(), 32u);
  EXPECT_LE(boundary.size(), 70u);
  for (char c : boundary) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) ||
                std::string("'()+_,-./:=?").find(c) != std::string::npos)
        << "character '" << c << "' in " << boundary;
  }
}

TEST(MultipartFramingTest, GivenBoundaryIsKept) {
  EXPECT_EQ(MultipartFraming("abc123").boundary(), "abc123");
}

TEST(MultipartFramingTest, ContentTypeIsFormDataWithTheBoundary) {
  const MultipartFraming framing;
  EXPECT_EQ(framing.ContentType(),
            "multipart/form-data; boundary=" + framing.boundary());
  EXPECT_EQ(HeaderParams(framing.ContentType())[""], "multipart/form-data");
  EXPECT_EQ(BoundaryOf(framing.ContentType()), framing.boundary());
}

TEST(MultipartFramingTest, BodyIsImportRequestThenFilesInOrder) {
  const MultipartFraming framing;
  const std::string boundary = BoundaryOf(framing.ContentType());
  const std::vector<UploadFileSpec> files = {
      Spec("a.csv", "text/csv", std::nullopt),
      Spec("b.xlsx",
           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           std::nullopt)};
  const std::vector<std::string> bytes = {TrickyBytes(boundary),
                                          "\r\n--\r\nlast line no newline"};

  const Multipart m =
      ParseMultipart(Body(framing, kJson, files, bytes), boundary);
  ASSERT_EQ(m.error, "");
  ASSERT_EQ(m.parts.size(), 3u);

  const auto request =
      HeaderParams(m.parts[0].headers.at("content-disposition"));
  EXPECT_EQ(request.at(""), "form-data");
  EXPECT_EQ(request.at("name"), "importRequest");
  EXPECT_EQ(request.count("filename"), 0u);
  EXPECT_EQ(m.parts[0].headers.at("content-type"), "application/json");
  EXPECT_EQ(m.parts[0].body, kJson);

  for (size_t i = 0; i < files.size(); ++i) {
    const Part& part = m.parts[i + 1];
    const auto disposition =
        HeaderParams(part.headers.at("content-disposition"));
    EXPECT_EQ(disposition.at(""), "form-data");
    EXPECT_EQ(disposition.at("name"), "files");
    EXPECT_EQ(disposition.at("filename"), files[i].file_name);
    EXPECT_EQ(part.headers.at("content-type"), files[i].content_type);
    EXPECT_EQ(part.body, bytes[i]) << "file " << i;
  }
}

TEST(MultipartFramingTest, SingleFileBody) {
  const MultipartFraming framing("fixed-boundary");
  const std::vector<UploadFileSpec> files = {
      Spec("only.csv", "text/csv", std::nullopt)};
  const Multipart m = ParseMultipart(
      Body(framing, "{}", files, {"a,b\r\n1,2\r\n"}), "fixed-boundary");
  ASSERT_EQ(m.error, "");
  ASSERT_EQ(m.parts.size(), 2u);
  EXPECT_EQ(m.parts[0].body, "{}");
  EXPECT_EQ(m.parts[1].body, "a,b\r\n1,2\r\n");
}

TEST(MultipartFramingTest, EmptyFileBytesGiveAnEmptyPart) {
  const MultipartFraming framing("b0");
  const Multipart m = ParseMultipart(
      Body(framing, "{}",
           {Spec("x.csv", "text/csv", 0), Spec("y.csv", "text/csv", 0)},
           {"", ""}),
      "b0");
  ASSERT_EQ(m.error, "");
  ASSERT_EQ(m.parts.size(), 3u);
  EXPECT_EQ(m.parts[1].body, "");
  EXPECT_EQ(m.parts[2].body, "");
}

TEST(MultipartFramingTest, OpeningStartsWithTheFirstDelimiter) {
  const MultipartFraming framing("bnd");
  EXPECT_THAT(framing.Opening("{}", Spec("a.csv", "text/csv", 1)),
              StartsWith("--bnd\r\n"));
}

TEST(MultipartFramingTest, ClosingIsTheCloseDelimiter) {
  EXPECT_EQ(MultipartFraming("bnd").Closing(), "\r\n--bnd--\r\n");
}

TEST(MultipartFramingTest, BodyLengthIsTheBodySize) {
  const MultipartFraming framing;
  const std::vector<std::string> bytes = {TrickyBytes(framing.boundary()),
                                          "1,2,3\r\n"};
  const std::vector<UploadFileSpec> files = {
      Spec("a.csv", "text/csv", static_cast<int64_t>(bytes[0].size())),
      Spec("b.csv", "text/csv", static_cast<int64_t>(bytes[1].size()))};
  EXPECT_EQ(framing.BodyLength(kJson, files),
            static_cast<int64_t>(Body(framing, kJson, files, bytes).size()));
}

TEST(MultipartFramingTest, BodyLengthForOneFile) {
  const MultipartFraming framing;
  const std::vector<std::string> bytes = {"x"};
  const std::vector<UploadFileSpec> files = {Spec("a.csv", "text/csv", 1)};
  EXPECT_EQ(framing.BodyLength("{}", files),
            static_cast<int64_t>(Body(framing, "{}", files, bytes).size()));
}

TEST(MultipartFramingTest, BodyLengthCountsLargeSizes) {
  const MultipartFraming framing("b");
  const int64_t big = int64_t{3} << 30;
  const std::vector<UploadFileSpec> files = {Spec("a.csv", "text/csv", big),
                                             Spec("b.csv", "text/csv", big)};
  const int64_t framing_bytes =
      static_cast<int64_t>((framing.Opening("{}", files[0]) +
                            framing.Between(files[1]) + framing.Closing())
                               .size());
  EXPECT_EQ(framing.BodyLength("{}", files), framing_bytes + 2 * big);
}

TEST(MultipartFramingTest, BodyLengthUnknownWhenAnySizeIsUnknown) {
  const MultipartFraming framing;
  EXPECT_EQ(framing.BodyLength(kJson, {Spec("a.csv", "text/csv", std::nullopt),
                                       Spec("b.csv", "text/csv", 10)}),
            -1);
  EXPECT_EQ(
      framing.BodyLength(kJson, {Spec("a.csv", "text/csv", 10),
                                 Spec("b.csv", "text/csv", std::nullopt)}),
      -1);
  EXPECT_EQ(
      framing.BodyLength(kJson, {Spec("a.csv", "text/csv", std::nullopt)}), -1);
}

TEST(MultipartFramingTest, BodyLengthUnknownWithoutFiles) {
  EXPECT_EQ(MultipartFraming().BodyLength(kJson, {}), -1);
}

}  // namespace
}  // namespace hubspot_gateway
