// What the gateway tells about each call: one "rpc" log line with its
// method, code, duration, caller, import, HubSpot's status and
// correlationId, request id and trace id; the caller's W3C trace context
// continued on the HubSpot request (or a new trace started); the request id
// returned in the response metadata.

#include <map>
#include <optional>
#include <string>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/json.h"
#include "tests/support/test_env.h"
#include "tests/support/uploads.h"

namespace hubspot_gateway::testing {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

constexpr char kTraceId[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kCallerSpan[] = "00f067aa0ba902b7";
constexpr char kCorrelationId[] = "aaaa5ac3-de6a-4bcf-b5c0-ef1fb9a780d9";

class RpcLogTest : public FakeAndGatewayTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartFakeAndGateway("pat-rpc-log-test-0c7e"));
  }

  // GetImport `id`, with `metadata`; the call's request id (from the
  // response metadata) and status.
  std::string Get(int64_t id, grpc::Status* status,
                  const std::map<std::string, std::string>& metadata = {}) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    for (const auto& [k, v] : metadata) context.AddMetadata(k, v);
    v1::GetImportRequest request;
    request.set_import_id(id);
    v1::Import import;
    *status = gateway_->stub().GetImport(&context, request, &import);
    auto it = context.GetServerInitialMetadata().find("x-request-id");
    if (it == context.GetServerInitialMetadata().end()) return "";
    return std::string(it->second.data(), it->second.size());
  }

  // The call's log line, parsed. It is written as the call ends on the
  // gateway's side, which may be just after the caller heard back.
  google::protobuf::Struct LineOf(const std::string& request_id) {
    std::optional<std::string> line = gateway_->process().WaitForOutput(
        absl::StrCat("\"request_id\":\"", request_id, "\""),
        absl::Seconds(10));
    EXPECT_TRUE(line.has_value()) << gateway_->Log();
    if (!line.has_value()) return {};
    auto parsed = ParseJsonObject(*line);
    EXPECT_TRUE(parsed.ok()) << *line;
    return parsed.ok() ? *parsed : google::protobuf::Struct();
  }

  int RpcLineCount() {
    int n = 0;
    for (absl::string_view line : absl::StrSplit(gateway_->Log(), '\n')) {
      n += absl::StrContains(line, "\"msg\":\"rpc\"");
    }
    return n;
  }

  // The fake's record of the last request to `path`.
  google::protobuf::Struct LastRequestTo(const std::string& path) {
    google::protobuf::Struct last;
    const google::protobuf::Struct stats = fake_->Control("stats");
    for (const auto& r : stats.fields().at("requests").list_value().values()) {
      if (r.struct_value().fields().at("path").string_value() == path) {
        last = r.struct_value();
      }
    }
    return last;
  }

  static std::string Field(const google::protobuf::Struct& s,
                           const std::string& name) {
    auto it = s.fields().find(name);
    return it == s.fields().end() ? "" : it->second.string_value();
  }
};

TEST_F(RpcLogTest, CallersTraceContinuesAndTheLogLineTellsAll) {
  fake_->Respond("/crm/v3/imports/77", 404,
                 absl::StrCat(R"({"status": "error", "message": "Unable to find import 77",
                     "correlationId": ")",
                              kCorrelationId,
                              R"(", "category": "OBJECT_NOT_FOUND"})"));
  grpc::Status status;
  const std::string request_id =
      Get(77, &status,
          {{"traceparent", absl::StrCat("00-", kTraceId, "-", kCallerSpan, "-01")},
           {"tracestate", "congo=t61rcWkgMzE"}});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  // The request id comes back in the response's metadata...
  EXPECT_THAT(request_id, MatchesRegex("[0-9a-f]{16}"));

  // ...HubSpot got the caller's trace with the gateway's span as parent...
  const google::protobuf::Struct sent = LastRequestTo("/crm/v3/imports/77");
  EXPECT_THAT(Field(sent, "traceparent"),
              MatchesRegex(absl::StrCat("00-", kTraceId, "-[0-9a-f]{16}-01")));
  EXPECT_THAT(Field(sent, "traceparent"), Not(HasSubstr(kCallerSpan)));
  EXPECT_EQ(Field(sent, "tracestate"), "congo=t61rcWkgMzE");

  // ...and one log line has it all.
  const google::protobuf::Struct line = LineOf(request_id);
  EXPECT_EQ(RpcLineCount(), 1) << gateway_->Log();
  EXPECT_EQ(Field(line, "level"), "info");
  EXPECT_EQ(Field(line, "method"), "GetImport");
  EXPECT_EQ(Field(line, "code"), "NOT_FOUND");
  EXPECT_EQ(Field(line, "request_id"), request_id);
  EXPECT_EQ(Field(line, "trace_id"), kTraceId);
  EXPECT_EQ(Field(line, "caller"), "anonymous");
  EXPECT_EQ(Field(line, "account"), "default");
  EXPECT_EQ(Field(line, "import_id"), "77");
  EXPECT_EQ(Field(line, "hubspot_status"), "404");
  EXPECT_EQ(Field(line, "hubspot_correlation_id"), kCorrelationId);
  EXPECT_THAT(Field(line, "error"), HasSubstr("Unable to find import 77"));
  EXPECT_THAT(Field(line, "duration_ms"), MatchesRegex("[0-9.]+"));
  EXPECT_THAT(Field(line, "time"), Not(""));
}

TEST_F(RpcLogTest, WithoutTraceparentTheGatewayStartsATrace) {
  std::vector<google::protobuf::Struct> lines;
  for (int i = 0; i < 2; ++i) {
    fake_->Respond("/crm/v3/imports/78", 200,
                   R"({"id": "78", "state": "DONE", "createdAt": "2024-01-01T00:00:00Z",
                       "updatedAt": "2024-01-01T00:00:00Z", "optOutImport": false,
                       "metadata": {"objectLists": [], "counters": {}, "fileIds": []}})");
    grpc::Status status;
    const std::string request_id = Get(78, &status);
    EXPECT_TRUE(status.ok()) << status.error_message();
    lines.push_back(LineOf(request_id));
  }
  const std::string sent =
      Field(LastRequestTo("/crm/v3/imports/78"), "traceparent");
  EXPECT_THAT(sent, MatchesRegex("00-[0-9a-f]{32}-[0-9a-f]{16}-00"));
  // The trace HubSpot saw is the one the log line names; each call has its
  // own.
  EXPECT_EQ(sent.substr(3, 32), Field(lines[1], "trace_id"));
  EXPECT_NE(Field(lines[0], "trace_id"), Field(lines[1], "trace_id"));
  EXPECT_NE(Field(lines[0], "request_id"), Field(lines[1], "request_id"));
  EXPECT_EQ(Field(lines[1], "code"), "OK");
  EXPECT_EQ(Field(lines[1], "hubspot_status"), "200");
}

TEST_F(RpcLogTest, StartImportLineNamesTheImportAndItsBytes) {
  const std::string csv = Csv(10);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  v1::Import import;
  auto writer = gateway_->stub().StartImport(&context, &import);
  for (const v1::StartImportRequest& message :
       {Start({"contacts.csv"}, {csv}, true), Chunk(0, csv), End()}) {
    ASSERT_TRUE(writer->Write(message));
  }
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  auto id = context.GetServerInitialMetadata().find("x-request-id");
  ASSERT_NE(id, context.GetServerInitialMetadata().end());
  const google::protobuf::Struct line =
      LineOf(std::string(id->second.data(), id->second.size()));
  EXPECT_EQ(Field(line, "method"), "StartImport");
  EXPECT_EQ(Field(line, "code"), "OK");
  EXPECT_EQ(Field(line, "import_id"), absl::StrCat(import.id()));
  EXPECT_EQ(Field(line, "bytes"), absl::StrCat(csv.size()));
  EXPECT_EQ(Field(line, "hubspot_status"), "200");
  // The upload carried the trace too.
  const google::protobuf::Struct stats = fake_->Control("stats");
  const auto& uploads = stats.fields().at("uploads").list_value();
  ASSERT_EQ(uploads.values_size(), 1);
  EXPECT_THAT(Field(uploads.values(0).struct_value(), "traceparent"),
              MatchesRegex(absl::StrCat("00-", Field(line, "trace_id"),
                                        "-[0-9a-f]{16}-00")));
}

TEST_F(RpcLogTest, RefusedCallsAreLoggedToo) {
  grpc::Status status;
  const std::string request_id = Get(0, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_THAT(request_id, MatchesRegex("[0-9a-f]{16}"));
  const google::protobuf::Struct line = LineOf(request_id);
  EXPECT_EQ(Field(line, "code"), "INVALID_ARGUMENT");
  EXPECT_EQ(Field(line, "hubspot_status"), "");
}

}  // namespace
}  // namespace hubspot_gateway::testing
