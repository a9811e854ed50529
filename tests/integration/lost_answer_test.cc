// What a caller gets, and what exists at HubSpot afterwards, when HubSpot's
// answer is lost: the real gateway against the emulator, one fault per row
// (fault plans scoped to one path and one fault, maxFaults 1). An upload is
// never sent twice after the whole of it reached HubSpot; when HubSpot may
// have created the import the gateway finds it among the active imports; a
// cancel whose first answer was lost is not reported as failed.

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "server/common/json.h"
#include "tests/support/emulator.h"
#include "tests/support/test_env.h"
#include "tests/support/uploads.h"

namespace hubspot_gateway::testing {
namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using ::testing::HasSubstr;

constexpr char kToken[] = "pat-lost-answer-test-token";

// How the caller streams its upload.
enum class Mode { kDeclaredSize, kUndeclaredSize, kGzip };

std::string ModeName(Mode mode) {
  switch (mode) {
    case Mode::kDeclaredSize:
      return "DeclaredSize";
    case Mode::kUndeclaredSize:
      return "UndeclaredSize";
    case Mode::kGzip:
      return "Gzip";
  }
  return "";
}

// A call's answer with its trailing metadata.
struct Answer {
  grpc::Status status;
  v1::Import import;
  std::string outcome;     // x-hubspot-outcome
  std::string candidates;  // x-hubspot-import-candidates
};

std::string Trailer(const grpc::ClientContext& context, const char* key) {
  const auto& trailers = context.GetServerTrailingMetadata();
  auto it = trailers.find(key);
  return it == trailers.end() ? "" : std::string(it->second.data(),
                                                it->second.size());
}

class LostAnswerTest : public ::testing::Test {
 protected:
  void StartBoth(Mode mode) {
    Emulator::Options options;
    options.private_app_tokens = {kToken};
    // Imports stay active: the gateway finds a lost one among them.
    options.flags = {"--started_for=1h", "--processing_for=1h"};
    emulator_ = Emulator::Start(dir_, options);
    ASSERT_NE(emulator_, nullptr);
    mode_ = mode;
    const std::string hubspot = absl::StrCat(
        R"("retry": {"interval": "0.01s", "maxWaitInterval": "0.05s"}, )",
        mode == Mode::kGzip ? R"("compression": "COMPRESSION_ALWAYS", )" : "");
    gateway_ = Gateway::Start(
        dir_,
        GatewayConfig(emulator_->base_url(),
                      R"({"privateAppToken": {"env": "HS_TOKEN"}})", hubspot,
                      absl::StrCat(R"("upload": {"spoolDirectory": ")",
                                   dir_.path(), R"("}, )")),
        {{"HS_TOKEN", kToken}});
    ASSERT_NE(gateway_, nullptr);
  }

  // One fault on the next request of `method` to exactly `path` (or to
  // paths ending in `suffix`).
  void FaultOnce(absl::string_view fault, absl::string_view method,
                 absl::string_view path_json) {
    emulator_->Control(
        "faults", absl::StrCat(R"({"method": ")", method, R"(", )", path_json,
                               R"(, "maxFaults": 1, )", fault, "}"));
  }
  void FaultOnUpload(absl::string_view fault) {
    FaultOnce(fault, "POST",
              R"("pathPrefix": "/crm/v3/imports", "exactPath": true)");
  }
  void FaultOnCancel(absl::string_view fault) {
    FaultOnce(fault, "POST",
              R"("pathPrefix": "/crm/v3/imports/", "pathSuffix": "/cancel")");
  }

  // Every import the emulator holds, in any state.
  std::vector<google::protobuf::Struct> Imports() {
    std::string body;
    EXPECT_EQ(emulator_->Call("GET", "/__emulator/imports", "", &body), 200);
    absl::StatusOr<google::protobuf::Struct> all = ParseJsonObject(body);
    std::vector<google::protobuf::Struct> imports;
    if (!all.ok()) {
      ADD_FAILURE() << all.status();
      return imports;
    }
    for (const auto& v : all->fields().at("imports").list_value().values()) {
      imports.push_back(v.struct_value());
    }
    return imports;
  }

  std::vector<v1::StartImportRequest> Messages(const std::string& csv,
                                               const std::string& key = "") {
    v1::StartImportRequest start =
        Start({"lost.csv"}, {csv}, mode_ == Mode::kDeclaredSize);
    if (!key.empty()) start.mutable_start()->set_idempotency_key(key);
    return {start, Chunk(0, csv), End()};
  }

  Answer Upload(const std::vector<v1::StartImportRequest>& messages) {
    Answer answer;
    auto context = ContextWithTimeout(absl::Seconds(60));
    auto writer = gateway_->stub().StartImport(context.get(), &answer.import);
    for (const auto& m : messages) {
      if (!writer->Write(m)) break;
    }
    writer->WritesDone();
    answer.status = writer->Finish();
    answer.outcome = Trailer(*context, "x-hubspot-outcome");
    answer.candidates = Trailer(*context, "x-hubspot-import-candidates");
    return answer;
  }

  Answer Cancel(int64_t id) {
    Answer answer;
    auto context = ContextWithTimeout(absl::Seconds(30));
    v1::CancelImportRequest request;
    request.set_import_id(id);
    v1::CancelImportResponse response;
    answer.status =
        gateway_->stub().CancelImport(context.get(), request, &response);
    answer.outcome = Trailer(*context, "x-hubspot-outcome");
    cancel_response_ = response;
    return answer;
  }

  // Makes the gateway's next request go out on a kept connection.
  void WarmConnection() {
    auto context = ContextWithTimeout(absl::Seconds(30));
    v1::ListImportsResponse response;
    ASSERT_TRUE(gateway_->stub()
                    .ListImports(context.get(), v1::ListImportsRequest(),
                                 &response)
                    .ok());
  }

  // A STARTED import, created without faults.
  int64_t CreatedImport() {
    Answer a = Upload(Messages(Csv(5)));
    EXPECT_TRUE(a.status.ok()) << a.status.error_message();
    return a.import.id();
  }

  std::string Metrics() { return gateway_->Metrics(); }

  TempDir dir_;
  Mode mode_ = Mode::kDeclaredSize;
  std::unique_ptr<Emulator> emulator_;
  std::unique_ptr<Gateway> gateway_;
  v1::CancelImportResponse cancel_response_;
};

// --- StartImport, one row per fault, for each way of streaming -------------

class LostUploadAnswerTest : public LostAnswerTest,
                             public ::testing::WithParamInterface<Mode> {
 protected:
  void SetUp() override { StartBoth(GetParam()); }
};

// Handled, then the connection closed instead of the answer: the import
// exists, and the gateway finds it.
TEST_P(LostUploadAnswerTest, LostAnswerIsRecovered) {
  FaultOnUpload(R"("loseAnswerRatio": 1)");
  const Answer a = Upload(Messages(Csv(20), "key-lost"));
  ASSERT_TRUE(a.status.ok()) << a.status.error_message();
  EXPECT_EQ(a.outcome, "recovered");
  const auto imports = Imports();
  ASSERT_EQ(imports.size(), 1u);
  EXPECT_EQ(imports[0].fields().at("id").string_value(),
            absl::StrCat(a.import.id()));
  EXPECT_EQ(a.import.import_name(), "contacts upload");

  // The key settled to the recovered import: a repeat gets it.
  const Answer repeat = Upload(Messages(Csv(20), "key-lost"));
  ASSERT_TRUE(repeat.status.ok()) << repeat.status.error_message();
  EXPECT_EQ(repeat.import.id(), a.import.id());
  EXPECT_EQ(Imports().size(), 1u);
  EXPECT_THAT(Metrics(),
              HasSubstr(R"(hubspot_gateway_unknown_outcomes_total{account="default",endpoint="start_import",resolution="recovered"} 1)"));
  EXPECT_THAT(gateway_->Log(), HasSubstr(R"("outcome":"recovered")"));
}

// The answer's status line arrived and its body was cut.
TEST_P(LostUploadAnswerTest, TruncatedAnswerIsRecovered) {
  FaultOnUpload(R"("truncateRatio": 1)");
  const Answer a = Upload(Messages(Csv(20)));
  ASSERT_TRUE(a.status.ok()) << a.status.error_message();
  EXPECT_EQ(a.outcome, "recovered");
  ASSERT_EQ(Imports().size(), 1u);
}

// The import is created on a kept connection that then dies without an
// answer: libcurl would send the upload again by itself; it must not.
TEST_P(LostUploadAnswerTest, LostAnswerOnAKeptConnectionIsNotResent) {
  WarmConnection();
  FaultOnUpload(R"("loseAnswerRatio": 1)");
  const Answer a = Upload(Messages(Csv(20)));
  ASSERT_TRUE(a.status.ok()) << a.status.error_message();
  EXPECT_EQ(a.outcome, "recovered");
  EXPECT_EQ(Imports().size(), 1u) << "the upload was sent twice";
}

// Read whole, then the connection closed, nothing handled: nobody can
// know, so the caller is told; nothing is created and nothing resent.
TEST_P(LostUploadAnswerTest, DropAfterTheWholeBodyIsReportedUnknown) {
  FaultOnUpload(R"("dropRatio": 1)");
  const Answer a = Upload(Messages(Csv(20), "key-drop"));
  EXPECT_EQ(a.status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(a.outcome, "unknown");
  EXPECT_THAT(a.status.error_message(), HasSubstr("check ListImports"));
  EXPECT_TRUE(Imports().empty());
  // A repeat of the key is not uploaded again.
  const Answer repeat = Upload(Messages(Csv(20), "key-drop"));
  EXPECT_EQ(repeat.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(repeat.outcome, "unknown");
  EXPECT_TRUE(Imports().empty());
  EXPECT_THAT(Metrics(),
              HasSubstr(R"(hubspot_gateway_unknown_outcomes_total{account="default",endpoint="start_import",resolution="unresolved"} 1)"));
}

// A 5xx after the whole body: HubSpot may have acted; this one did not.
TEST_P(LostUploadAnswerTest, ServerErrorAfterTheWholeBodyIsNotResent) {
  FaultOnUpload(R"("errorRatio": 1, "errorStatus": 502)");
  const Answer a = Upload(Messages(Csv(20)));
  EXPECT_EQ(a.status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(a.outcome, "unknown");
  EXPECT_TRUE(Imports().empty());
}

// Closed after the head, before any of the body: HubSpot cannot have acted,
// and the gateway sends the upload again from its spool while the caller
// is still streaming.
TEST_P(LostUploadAnswerTest, DropBeforeTheBodyIsResent) {
  FaultOnUpload(R"("dropBeforeBodyRatio": 1)");
  const std::string csv = Csv(2000);
  std::vector<v1::StartImportRequest> messages = Messages(csv);
  v1::Import import;
  auto context = ContextWithTimeout(absl::Seconds(60));
  auto writer = gateway_->stub().StartImport(context.get(), &import);
  ASSERT_TRUE(writer->Write(messages[0]));
  ASSERT_TRUE(writer->Write(Chunk(0, csv.substr(0, csv.size() / 2))));
  // The first attempt is refused before its body: the rest is sent only
  // then, so it cannot have gone out whole.
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (emulator_->State().fields().at("faultsInjected").number_value() < 1) {
    ASSERT_LT(absl::Now(), deadline) << "the upload never reached the emulator";
    absl::SleepFor(absl::Milliseconds(5));  // polling, not synchronisation
  }
  ASSERT_TRUE(writer->Write(Chunk(0, csv.substr(csv.size() / 2))));
  ASSERT_TRUE(writer->Write(End()));
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(Trailer(*context, "x-hubspot-outcome"), "");
  EXPECT_EQ(Imports().size(), 1u);
  EXPECT_THAT(gateway_->Log(), HasSubstr("retrying HubSpot call"));
}

INSTANTIATE_TEST_SUITE_P(
    Streams, LostUploadAnswerTest,
    ::testing::Values(Mode::kDeclaredSize, Mode::kUndeclaredSize, Mode::kGzip),
    [](const ::testing::TestParamInfo<Mode>& info) {
      return ModeName(info.param);
    });

// Two uploads that look alike (same name and file) in flight at once, both
// answers lost: the gateway cannot tell which import is whose, so neither
// caller gets one it might not own.
TEST_F(LostAnswerTest, LookAlikeUploadsAreNotClaimed) {
  StartBoth(Mode::kUndeclaredSize);
  emulator_->Control(
      "faults", R"({"method": "POST", "pathPrefix": "/crm/v3/imports",
                   "exactPath": true, "maxFaults": 2, "loseAnswerRatio": 1,
                   "latency": "0.3s"})");
  Answer first, second;
  std::thread other([&] { second = Upload(Messages(Csv(20))); });
  first = Upload(Messages(Csv(20)));
  other.join();
  EXPECT_EQ(Imports().size(), 2u);
  for (const Answer* a : {&first, &second}) {
    EXPECT_EQ(a->status.error_code(), grpc::StatusCode::UNAVAILABLE)
        << a->status.error_message();
    EXPECT_EQ(a->outcome, "unknown");
    EXPECT_THAT(a->candidates, HasSubstr(","));
    google::rpc::Status details;
    ASSERT_TRUE(details.ParseFromString(a->status.error_details()));
    bool named = false;
    for (const auto& any : details.details()) {
      google::rpc::ErrorInfo info;
      if (any.UnpackTo(&info) && info.reason() == "IMPORT_OUTCOME_UNKNOWN") {
        named = info.metadata().at("candidateImportIds") == a->candidates;
      }
    }
    EXPECT_TRUE(named) << "candidates in the status details";
  }
}

// --- CancelImport ------------------------------------------------------------

TEST_F(LostAnswerTest, CancelWhoseAnswerWasLostSucceeds) {
  StartBoth(Mode::kDeclaredSize);
  const int64_t id = CreatedImport();
  FaultOnCancel(R"("loseAnswerRatio": 1)");
  const Answer a = Cancel(id);
  ASSERT_TRUE(a.status.ok()) << a.status.error_message();
  EXPECT_EQ(a.outcome, "recovered");
  EXPECT_EQ(cancel_response_.status(), v1::ACTION_STATUS_COMPLETE);
  EXPECT_TRUE(cancel_response_.has_completed_at());
  EXPECT_EQ(Imports()[0].fields().at("state").string_value(), "CANCELED");
  EXPECT_THAT(gateway_->Log(), HasSubstr("the first attempt had taken effect"));
  EXPECT_THAT(Metrics(),
              HasSubstr(R"(hubspot_gateway_unknown_outcomes_total{account="default",endpoint="cancel_import",resolution="recovered"} 1)"));
}

TEST_F(LostAnswerTest, CancelWhoseAnswerWasCutSucceeds) {
  StartBoth(Mode::kDeclaredSize);
  const int64_t id = CreatedImport();
  FaultOnCancel(R"("truncateRatio": 1)");
  const Answer a = Cancel(id);
  ASSERT_TRUE(a.status.ok()) << a.status.error_message();
  EXPECT_EQ(a.outcome, "recovered");
}

// The cancel goes out on a kept connection that dies after the cancel took
// effect: libcurl's own silent resend would get the 409; refused, the
// gateway retries, knows why the 409 came, and confirms.
TEST_F(LostAnswerTest, CancelOnADyingKeptConnectionSucceeds) {
  StartBoth(Mode::kDeclaredSize);
  const int64_t id = CreatedImport();
  WarmConnection();
  FaultOnCancel(R"("loseAnswerRatio": 1)");
  const Answer a = Cancel(id);
  ASSERT_TRUE(a.status.ok()) << a.status.error_message();
  EXPECT_EQ(a.outcome, "recovered");
}

// A 409 on the first attempt is HubSpot's real answer: the import was no
// longer active before this call.
TEST_F(LostAnswerTest, CancelOfAnInactiveImportFails) {
  StartBoth(Mode::kDeclaredSize);
  const int64_t id = CreatedImport();
  ASSERT_TRUE(Cancel(id).status.ok());
  const Answer again = Cancel(id);
  EXPECT_EQ(again.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(again.status.error_message(), HasSubstr("CANCELED"));
  EXPECT_EQ(again.outcome, "");
}

// The cancel's answer was lost and the import had finished meanwhile: the
// first attempt did not cancel it, and the caller hears so.
TEST_F(LostAnswerTest, LostCancelOfAFinishedImportFails) {
  StartBoth(Mode::kDeclaredSize);
  const int64_t id = CreatedImport();
  emulator_->Control("advance", R"({"by": "3h"})");  // DONE
  FaultOnCancel(R"("errorRatio": 1, "errorStatus": 503)");
  const Answer a = Cancel(id);
  EXPECT_EQ(a.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(a.status.error_message(), HasSubstr("DONE"));
}

}  // namespace
}  // namespace hubspot_gateway::testing
