// HubSpot's answers are untrusted input: every body goes through the JSON
// parser (server/common/json.h), the field reader (server/hubspot/
// json_reader.h) and each mapping of server/hubspot/rest_mapping.h.
//
// The input is one HTTP response body, fed to all five parsers. Beyond "no
// crash, no sanitizer report", it checks what the mapping promises:
//   - a failure is INVALID_ARGUMENT (rest_mapping.h);
//   - Import.id is never negative (read with min 0);
//   - every Timestamp set is one google.protobuf.Timestamp allows (years
//     1-9999, nanos in [0, 1e9)), so a successful answer also prints as
//     proto JSON (gRPC transcoding, buf curl);
//   - ParseHubSpotError keeps the HTTP status it was given;
//   - what ParseJsonObject accepts survives a round trip through protobuf's
//     JSON printer and ParseJsonObject again unchanged.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "fuzz/fuzz_support.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/reflection.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/json_util.h"
#include "server/common/json.h"
#include "server/hubspot/rest_mapping.h"

namespace hubspot_gateway::fuzz {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

constexpr int64_t kMinTimestampSeconds = -62135596800LL;  // 0001-01-01
constexpr int64_t kMaxTimestampSeconds = 253402300799LL;  // 9999-12-31

// Every google.protobuf.Timestamp inside `m`, at any depth, is valid.
void CheckTimestamps(const Message& m) {
  const google::protobuf::Descriptor* d = m.GetDescriptor();
  if (d == google::protobuf::Timestamp::descriptor()) {
    const auto& t = static_cast<const google::protobuf::Timestamp&>(m);
    FUZZ_CHECK(t.seconds() >= kMinTimestampSeconds &&
                   t.seconds() <= kMaxTimestampSeconds && t.nanos() >= 0 &&
                   t.nanos() <= 999999999,
               "timestamp out of range: %s", t.ShortDebugString().c_str());
    return;
  }
  // Struct/Value hold no timestamps, and can be deep.
  if (d == google::protobuf::Struct::descriptor()) return;
  const google::protobuf::Reflection* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      for (int j = 0; j < r->FieldSize(m, f); ++j) {
        CheckTimestamps(r->GetRepeatedMessage(m, f, j));
      }
    } else if (r->HasField(m, f)) {
      CheckTimestamps(r->GetMessage(m, f));
    }
  }
}

// A successful mapping is a message the gateway can answer with.
void CheckResult(const absl::Status& status, const Message& out,
                 const char* what) {
  if (Verbose()) std::fprintf(stderr, "%s: %s\n", what, status.ToString().c_str());
  FUZZ_CHECK(status.ok() || status.code() == absl::StatusCode::kInvalidArgument,
             "%s failed with %s", what, status.ToString().c_str());
  CheckTimestamps(out);
  if (!status.ok()) return;
  std::string json;
  const auto printed = google::protobuf::util::MessageToJsonString(out, &json);
  FUZZ_CHECK(printed.ok(), "%s gave a message that does not print as JSON: %s",
             what, printed.ToString().c_str());
}

void CheckJsonRoundTrip(absl::string_view body) {
  absl::StatusOr<google::protobuf::Struct> parsed = ParseJsonObject(body);
  if (!parsed.ok()) return;
  std::string printed;
  const auto p = google::protobuf::util::MessageToJsonString(*parsed, &printed);
  FUZZ_CHECK(p.ok(), "protobuf cannot print a parsed object: %s",
             p.ToString().c_str());
  absl::StatusOr<google::protobuf::Struct> again = ParseJsonObject(printed);
  FUZZ_CHECK(again.ok(), "ParseJsonObject refuses protobuf's JSON %s: %s",
             printed.c_str(), again.status().ToString().c_str());
  FUZZ_CHECK(SameMessage(*parsed, *again), "JSON round trip changed the object");
}

}  // namespace
}  // namespace hubspot_gateway::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hubspot_gateway;
  using namespace hubspot_gateway::fuzz;
  const absl::string_view body(reinterpret_cast<const char*>(data), size);

  {
    v1::Import out;
    const absl::Status s = ParseImport(body, &out);
    CheckResult(s, out, "ParseImport");
    FUZZ_CHECK(out.id() >= 0, "negative import id %lld",
               static_cast<long long>(out.id()));
  }
  {
    v1::ListImportsResponse out;
    CheckResult(ParseListImportsResponse(body, &out), out,
                "ParseListImportsResponse");
    for (const v1::Import& i : out.results()) {
      FUZZ_CHECK(i.id() >= 0, "negative import id %lld",
                 static_cast<long long>(i.id()));
    }
  }
  {
    v1::ListImportErrorsResponse out;
    CheckResult(ParseListImportErrorsResponse(body, &out), out,
                "ParseListImportErrorsResponse");
  }
  {
    v1::CancelImportResponse out;
    CheckResult(ParseCancelImportResponse(body, &out), out,
                "ParseCancelImportResponse");
  }
  {
    const int http_status = 400 + static_cast<int>(size % 200);
    const v1::HubSpotError error = ParseHubSpotError(http_status, body);
    FUZZ_CHECK(error.http_status() == http_status, "http_status %d, not %d",
               error.http_status(), http_status);
  }
  CheckJsonRoundTrip(body);
  return 0;
}
