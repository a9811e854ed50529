// StartImport's first message, checked before anything is sent to HubSpot:
// ValidateStartImportHeader and ImportRequestToJson of
// server/upload/import_request.h, then the multipart framing of
// server/upload/multipart.h for a header that passed.
//
// Input: HubSpot's importRequest JSON (StartImportHeader.import_request_json),
// optionally followed by a line "#header" and the rest of the
// StartImportHeader in protobuf text format, e.g.
//   {"name":"q1","files":[{"fileName":"a.csv","fileFormat":"CSV"}]}
//   #header
//   files { file_name: "a.csv" size_bytes: 12 }
//   idempotency_key: "k-1"
// The text may set `request { ... }` (the typed import request) instead of
// using the JSON. When no files are announced (no "#header", or a header
// without `files`), the files announced are the request's files[].fileName
// in order, so that one mutation of a name reaches both sides and a bare
// importRequest reaches every check (all but "announce the files", which
// the unit tests cover). Text that protobuf cannot parse, and headers with
// a string that is not UTF-8 (gRPC's protobuf parser refuses them before
// the gateway sees them), are refused.
//
// Checks, beyond "no crash, no sanitizer report":
//   - a failure is INVALID_ARGUMENT or RESOURCE_EXHAUSTED with a message,
//     and the caller can read it: message UTF-8, google.rpc.Status details
//     that parse (a proto3 parser refuses strings that are not UTF-8) and
//     agree with the status;
//   - the typed request prints as a JSON object;
//   - a header that passes: its files one to one with the request's
//     files[].fileName and in the announced order, sizes in
//     (0, max_file_bytes], SHA-256 empty or 32 bytes, the idempotency key
//     kept; and its multipart framing cannot be broken by what the caller
//     chose: each file part's headers are exactly two lines (no CR, LF or
//     quote smuggled in by a file name or content type), and BodyLength adds
//     up the pieces.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "fuzz/fuzz_support.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/message.h"
#include "google/protobuf/reflection.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/text_format.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/status.h"
#include "server/common/json.h"
#include "server/upload/import_request.h"
#include "server/upload/multipart.h"

namespace hubspot_gateway::fuzz {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;

constexpr absl::string_view kHeaderLine = "\n#header\n";
constexpr char kBoundary[] = "fuzz-boundary-00112233445566778899aabbccddeeff";

// RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
bool IsUtf8(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char b = s[i];
    size_t n;
    uint32_t cp;
    if (b < 0x80) {
      ++i;
      continue;
    } else if (b >= 0xC2 && b <= 0xDF) {
      n = 2, cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 3, cp = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 4, cp = b & 0x07;
    } else {
      return false;
    }
    if (i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      const unsigned char c = s[i + k];
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n;
  }
  return true;
}

// Every string field of `m` (not bytes), map keys included, is UTF-8: what
// protobuf's parser lets through gRPC for a proto3 message.
bool StringsAreUtf8(const google::protobuf::Message& m) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Descriptor* d = m.GetDescriptor();
  const google::protobuf::Reflection* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->type() == FieldDescriptor::TYPE_STRING) {
      if (f->is_repeated()) {
        for (int j = 0; j < r->FieldSize(m, f); ++j) {
          if (!IsUtf8(r->GetRepeatedString(m, f, j))) return false;
        }
      } else if (!IsUtf8(r->GetString(m, f))) {
        return false;
      }
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int j = 0; j < r->FieldSize(m, f); ++j) {
          if (!StringsAreUtf8(r->GetRepeatedMessage(m, f, j))) return false;
        }
      } else if (r->HasField(m, f) && !StringsAreUtf8(r->GetMessage(m, f))) {
        return false;
      }
    }
  }
  return true;
}

// The request JSON's files[].fileName strings, in order.
std::vector<std::string> RequestFileNames(absl::string_view json) {
  std::vector<std::string> names;
  absl::StatusOr<google::protobuf::Struct> request = ParseJsonObject(json);
  if (!request.ok()) return names;
  auto files = request->fields().find("files");
  if (files == request->fields().end() || !files->second.has_list_value()) {
    return names;
  }
  for (const auto& file : files->second.list_value().values()) {
    if (!file.has_struct_value()) continue;
    auto name = file.struct_value().fields().find("fileName");
    if (name != file.struct_value().fields().end() &&
        name->second.has_string_value()) {
      names.push_back(name->second.string_value());
    }
  }
  return names;
}

class QuietErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int, int, const std::string&) override {}
  void AddWarning(int, int, const std::string&) override {}
};

size_t Count(absl::string_view s, char c) {
  size_t n = 0;
  for (char x : s) n += x == c;
  return n;
}

void CheckPassed(const v1::StartImportHeader& header,
                 const UploadLimits& limits, const ValidatedStart& out) {
  FUZZ_CHECK(static_cast<int>(out.files.size()) == header.files_size(),
             "%zu files validated, %d announced", out.files.size(),
             header.files_size());
  FUZZ_CHECK(!out.files.empty() &&
                 static_cast<int>(out.files.size()) <= limits.max_files,
             "%zu files", out.files.size());
  FUZZ_CHECK(out.idempotency_key == header.idempotency_key(),
             "idempotency key changed");
  const std::vector<std::string> request_names =
      RequestFileNames(out.import_request_json);
  FUZZ_CHECK(request_names.size() == out.files.size(),
             "%zu request files, %zu validated files", request_names.size(),
             out.files.size());
  const absl::flat_hash_set<std::string> in_request(request_names.begin(),
                                                     request_names.end());
  for (size_t i = 0; i < out.files.size(); ++i) {
    const UploadFileSpec& f = out.files[i];
    FUZZ_CHECK(f.file_name == header.files(static_cast<int>(i)).file_name(),
               "file %zu out of order", i);
    FUZZ_CHECK(in_request.contains(f.file_name),
               "file %zu not in the import request", i);
    FUZZ_CHECK(!f.file_name.empty() && f.file_name.size() <= 255,
               "file name of %zu bytes", f.file_name.size());
    FUZZ_CHECK(!f.content_type.empty(), "empty content type");
    FUZZ_CHECK(!f.size_bytes.has_value() ||
                   (*f.size_bytes > 0 && *f.size_bytes <= limits.max_file_bytes),
               "size %lld", static_cast<long long>(*f.size_bytes));
    FUZZ_CHECK(f.sha256.empty() || f.sha256.size() == 32, "sha256 of %zu bytes",
               f.sha256.size());
  }

  const MultipartFraming framing(kBoundary);
  FUZZ_CHECK(framing.ContentType() ==
                 absl::StrCat("multipart/form-data; boundary=", kBoundary),
             "Content-Type %s", framing.ContentType().c_str());
  const std::string opening =
      framing.Opening(out.import_request_json, out.files[0]);
  int64_t expected_length = static_cast<int64_t>(opening.size());
  bool sizes_known = true;
  for (size_t i = 0; i < out.files.size(); ++i) {
    // The file part's own headers: "\r\n--B\r\nContent-Disposition: …
    // filename=\"N\"\r\nContent-Type: T\r\n\r\n", five line breaks and
    // four quotes whatever N and T are.
    const std::string part = framing.Between(out.files[i]);
    FUZZ_CHECK(Count(part, '\n') == 5 && Count(part, '\r') == 5 &&
                   Count(part, '"') == 4,
               "file %zu breaks the multipart framing: %s", i,
               absl::CEscape(part).c_str());
    FUZZ_CHECK(i > 0 || absl::EndsWith(opening, part),
               "the opening does not end with the first file's part");
    if (i > 0) expected_length += static_cast<int64_t>(part.size());
    if (out.files[i].size_bytes.has_value()) {
      expected_length += *out.files[i].size_bytes;
    } else {
      sizes_known = false;
    }
  }
  expected_length += static_cast<int64_t>(framing.Closing().size());
  const int64_t length =
      framing.BodyLength(out.import_request_json, out.files);
  FUZZ_CHECK(length == (sizes_known ? expected_length : -1),
             "BodyLength %lld, expected %lld", static_cast<long long>(length),
             static_cast<long long>(sizes_known ? expected_length : -1));
}

}  // namespace
}  // namespace hubspot_gateway::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hubspot_gateway;
  using namespace hubspot_gateway::fuzz;
  const absl::string_view input(reinterpret_cast<const char*>(data), size);

  v1::StartImportHeader header;
  const size_t split = input.find(kHeaderLine);
  const absl::string_view json = input.substr(0, split);
  if (split != absl::string_view::npos) {
    google::protobuf::TextFormat::Parser parser;
    // Quiet: protobuf would log every text it cannot parse.
    static QuietErrors* const quiet = new QuietErrors;
    parser.RecordErrorsTo(quiet);
    if (!parser.ParseFromString(
            std::string(input.substr(split + kHeaderLine.size())), &header)) {
      if (Verbose()) std::fprintf(stderr, "refused: not a StartImportHeader\n");
      return -1;
    }
  }
  if (header.import_request_case() ==
      v1::StartImportHeader::IMPORT_REQUEST_NOT_SET) {
    header.set_import_request_json(std::string(json));
  }
  if (header.files_size() == 0) {
    // Announce what the request names, so that one edit reaches both.
    for (const std::string& name : RequestFileNames(
             header.has_request() ? ImportRequestToJson(header.request())
                                  : header.import_request_json())) {
      header.add_files()->set_file_name(name);
    }
  }

  if (!StringsAreUtf8(header)) {
    // gRPC's protobuf parser refuses such a message before the gateway sees
    // it (and the JSON parser's own UTF-8 checks are fuzzed by rest_mapping).
    if (Verbose()) std::fprintf(stderr, "refused: a string is not UTF-8\n");
    return -1;
  }

  if (header.has_request()) {
    const std::string printed = ImportRequestToJson(header.request());
    const auto parsed = ParseJsonObject(printed);
    FUZZ_CHECK(parsed.ok(), "ImportRequestToJson gave %s: %s",
               printed.c_str(), parsed.status().ToString().c_str());
  }

  const UploadLimits limits;  // The gateway's defaults: 10 files, 4 GiB.
  ValidatedStart out;
  const grpc::Status status = ValidateStartImportHeader(header, limits, &out);
  if (Verbose()) {
    std::fprintf(stderr, "ValidateStartImportHeader: %d %s\n",
                 status.error_code(), status.error_message().c_str());
  }
  if (!status.ok()) {
    FUZZ_CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
                   status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED,
               "code %d: %s", status.error_code(),
               status.error_message().c_str());
    FUZZ_CHECK(!status.error_message().empty(), "an error without a message");
    // The caller must be able to read the error: its message and details
    // hold UTF-8 only (a proto3 parser refuses anything else).
    FUZZ_CHECK(IsUtf8(status.error_message()), "message not UTF-8: %s",
               absl::CEscape(status.error_message()).c_str());
    if (!status.error_details().empty()) {
      google::rpc::Status details;
      FUZZ_CHECK(details.ParseFromString(status.error_details()) &&
                     details.code() == status.error_code() &&
                     details.message() == status.error_message(),
                 "unreadable error details for %s",
                 absl::CEscape(status.error_message()).c_str());
    }
    return 0;
  }
  CheckPassed(header, limits, out);
  return 0;
}
