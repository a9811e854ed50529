#include "emulator/api/emulator_api.h"

#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "emulator/api/gzip.h"
#include "server/common/json.h"

namespace hubspot_emulator {
namespace {

using ::testing::HasSubstr;

constexpr char kToken[] = "pat-api-test";
constexpr char kBoundary[] = "b0undary";

std::string Form(const std::string& request_json,
                 const std::vector<std::pair<std::string, std::string>>& files) {
  std::string body = absl::StrCat(
      "--", kBoundary,
      "\r\nContent-Disposition: form-data; name=\"importRequest\"\r\n\r\n",
      request_json, "\r\n");
  for (const auto& [name, data] : files) {
    absl::StrAppend(&body, "--", kBoundary,
                    "\r\nContent-Disposition: form-data; name=\"files\"; "
                    "filename=\"",
                    name, "\"\r\nContent-Type: text/csv\r\n\r\n", data, "\r\n");
  }
  absl::StrAppend(&body, "--", kBoundary, "--\r\n");
  return body;
}

std::string ContactsRequest(const std::string& file = "c.csv") {
  return absl::StrCat(R"({"name": "contacts", "files": [{"fileName": ")", file,
                      R"(", "fileFormat": "CSV", "fileImportPage": {
      "hasHeader": true, "columnMappings": [
        {"columnName": "email", "propertyName": "email", "columnObjectTypeId": "0-1"},
        {"columnName": "firstname", "propertyName": "firstname", "columnObjectTypeId": "0-1"}]}}]})");
}

class EmulatorApiTest : public ::testing::Test {
 protected:
  EmulatorApiTest()
      : accounts_(*ParseCredentials(absl::StrCat(
                      R"({"privateAppTokens": [")", kToken, R"("]})")),
                  &clock_, absl::Minutes(30)),
        limiter_({100, 250000}, &clock_),
        faults_(FaultPlan(), 1),
        imports_(&clock_, {absl::Seconds(1), absl::Seconds(4)}, 100),
        api_(ApiOptions(), &clock_, &accounts_, &limiter_, &faults_, &imports_,
             &crm_) {}

  HttpResponse Call(const std::string& method, const std::string& target,
                    std::string body = "",
                    std::string content_type = "",
                    bool authenticated = true) {
    HttpRequest r;
    r.method = method;
    const size_t q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) r.query = target.substr(q + 1);
    if (authenticated) {
      r.headers.push_back({"authorization", absl::StrCat("Bearer ", kToken)});
    }
    if (!content_type.empty()) r.headers.push_back({"content-type", content_type});
    r.body = std::move(body);
    std::optional<HttpResponse> answer;
    api_.Handle(std::move(r), [&answer](HttpResponse a) { answer = std::move(a); });
    EXPECT_TRUE(answer.has_value());
    return answer.has_value() ? *std::move(answer) : HttpResponse();
  }

  google::protobuf::Struct Body(const HttpResponse& r) {
    auto parsed = hubspot_gateway::ParseJsonObject(r.body);
    EXPECT_TRUE(parsed.ok()) << r.body;
    return parsed.ok() ? *parsed : google::protobuf::Struct();
  }

  HttpResponse Upload(const std::string& csv,
                      const std::string& request = ContactsRequest()) {
    return Call("POST", "/crm/v3/imports", Form(request, {{"c.csv", csv}}),
                absl::StrCat("multipart/form-data; boundary=", kBoundary));
  }

  int64_t UploadedId(const std::string& csv) {
    HttpResponse r = Upload(csv);
    EXPECT_EQ(r.status, 200) << r.body;
    int64_t id = 0;
    EXPECT_TRUE(absl::SimpleAtoi(Body(r).fields().at("id").string_value(), &id));
    return id;
  }

  OffsetClock clock_;
  Accounts accounts_;
  RateLimiter limiter_;
  Faults faults_;
  ImportRegistry imports_;
  CrmStore crm_;
  EmulatorApi api_;
};

TEST_F(EmulatorApiTest, UnauthenticatedCallsGet401) {
  HttpResponse r = Call("GET", "/crm/v3/imports", "", "", false);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Body(r).fields().at("category").string_value(),
            "INVALID_AUTHENTICATION");
}

TEST_F(EmulatorApiTest, UploadStartsAnImportThatFinishes) {
  HttpResponse r = Upload(
      "email,firstname\nann@example.com,Ann\nbad-email,Bob\n");
  ASSERT_EQ(r.status, 200) << r.body;
  google::protobuf::Struct started = Body(r);
  EXPECT_EQ(started.fields().at("state").string_value(), "STARTED");
  EXPECT_EQ(started.fields().at("importName").string_value(), "contacts");
  EXPECT_EQ(started.fields()
                .at("importRequestJson")
                .struct_value()
                .fields()
                .at("name")
                .string_value(),
            "contacts");
  const std::string id = started.fields().at("id").string_value();
  clock_.Advance(absl::Seconds(10));
  google::protobuf::Struct done = Body(Call("GET", "/crm/v3/imports/" + id));
  EXPECT_EQ(done.fields().at("state").string_value(), "DONE");
  const auto& counters = done.fields()
                             .at("metadata")
                             .struct_value()
                             .fields()
                             .at("counters")
                             .struct_value()
                             .fields();
  EXPECT_EQ(counters.at("TOTAL_ROWS").number_value(), 2);
  EXPECT_EQ(counters.at("ERRORS").number_value(), 1);
  // The rate-limit headers come with every API answer.
  std::map<std::string, std::string> headers(r.headers.begin(), r.headers.end());
  EXPECT_EQ(headers["X-HubSpot-RateLimit-Max"], "100");
}

TEST_F(EmulatorApiTest, MalformedUploadsAreRefusedNamingTheProblem) {
  HttpResponse r = Call("POST", "/crm/v3/imports", "x", "text/plain");
  EXPECT_EQ(r.status, 415);
  r = Call("POST", "/crm/v3/imports", "no delimiter",
           "multipart/form-data; boundary=zzz");
  EXPECT_EQ(r.status, 400);
  r = Call("POST", "/crm/v3/imports",
           Form(ContactsRequest("other.csv"), {{"c.csv", "email\n"}}),
           absl::StrCat("multipart/form-data; boundary=", kBoundary));
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("files[0].fileName"));
  r = Call("POST", "/crm/v3/imports",
           Form(ContactsRequest(), {{"c.csv", "email\n"}, {"d.csv", "x\n"}}),
           absl::StrCat("multipart/form-data; boundary=", kBoundary));
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("d.csv"));
  r = Call("POST", "/crm/v3/imports", Form("{}", {{"c.csv", "email\n"}}),
           absl::StrCat("multipart/form-data; boundary=", kBoundary));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Body(r).fields().at("category").string_value(), "VALIDATION_ERROR");
  EXPECT_EQ(imports_.size(), 0u);
}

TEST_F(EmulatorApiTest, ErrorsAppearAsRowsAreProcessedAndPage) {
  std::string csv = "email,firstname\n";
  for (int i = 0; i < 10; ++i) absl::StrAppend(&csv, "bad", i, ",Name\n");
  const int64_t id = UploadedId(csv);
  const std::string errors = absl::StrCat("/crm/v3/imports/", id, "/errors");
  EXPECT_EQ(Body(Call("GET", errors)).fields().at("results").list_value()
                .values_size(),
            0);
  clock_.Advance(absl::Seconds(3));  // halfway through processing
  EXPECT_EQ(Body(Call("GET", errors)).fields().at("results").list_value()
                .values_size(),
            5);
  clock_.Advance(absl::Seconds(3));
  google::protobuf::Struct page = Body(Call("GET", errors + "?limit=4"));
  ASSERT_EQ(page.fields().at("results").list_value().values_size(), 4);
  const auto& first =
      page.fields().at("results").list_value().values(0).struct_value();
  EXPECT_EQ(first.fields().at("errorType").string_value(), "INVALID_EMAIL");
  EXPECT_EQ(first.fields().count("errorMessage"), 0u);
  const auto& source = first.fields().at("sourceData").struct_value();
  EXPECT_EQ(source.fields().at("lineNumber").number_value(), 2);
  EXPECT_EQ(source.fields().at("rowData").list_value().values_size(), 0);
  const std::string after = page.fields()
                                .at("paging")
                                .struct_value()
                                .fields()
                                .at("next")
                                .struct_value()
                                .fields()
                                .at("after")
                                .string_value();
  page = Body(Call("GET", errors + "?limit=4&includeErrorMessage=true"
                                   "&includeRowData=true&after=" + after));
  const auto& fifth =
      page.fields().at("results").list_value().values(0).struct_value();
  EXPECT_FALSE(fifth.fields().at("errorMessage").string_value().empty());
  EXPECT_EQ(fifth.fields()
                .at("sourceData")
                .struct_value()
                .fields()
                .at("rowData")
                .list_value()
                .values(0)
                .string_value(),
            "bad4");
  EXPECT_EQ(Call("GET", errors + "?limit=0").status, 400);
  EXPECT_EQ(Call("GET", errors + "?after=x").status, 400);
}

TEST_F(EmulatorApiTest, ListShowsActiveImportsWithCursors) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(UploadedId("email,firstname\na@b.co,A\n"));
  google::protobuf::Struct page = Body(Call("GET", "/crm/v3/imports?limit=2"));
  ASSERT_EQ(page.fields().at("results").list_value().values_size(), 2);
  const std::string after = page.fields()
                                .at("paging")
                                .struct_value()
                                .fields()
                                .at("next")
                                .struct_value()
                                .fields()
                                .at("after")
                                .string_value();
  EXPECT_EQ(after, absl::StrCat(ids[1]));
  page = Body(Call("GET", "/crm/v3/imports?limit=2&after=" + after));
  ASSERT_EQ(page.fields().at("results").list_value().values_size(), 1);
  EXPECT_EQ(page.fields().count("paging"), 0u);
  // HubSpot's Node SDK asks with a trailing slash.
  page = Body(Call("GET", "/crm/v3/imports/?limit=1"));
  EXPECT_EQ(page.fields().at("results").list_value().values_size(), 1);
  clock_.Advance(absl::Seconds(10));
  page = Body(Call("GET", "/crm/v3/imports"));
  EXPECT_EQ(page.fields().at("results").list_value().values_size(), 0);
  EXPECT_EQ(Call("GET", "/crm/v3/imports?limit=1000").status, 400);
}

TEST_F(EmulatorApiTest, CancelOnlyWhileActive) {
  const int64_t id = UploadedId("email,firstname\na@b.co,A\n");
  const std::string cancel = absl::StrCat("/crm/v3/imports/", id, "/cancel");
  HttpResponse r = Call("POST", cancel);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r).fields().at("status").string_value(), "COMPLETE");
  r = Call("POST", cancel);
  EXPECT_EQ(r.status, 409);
  EXPECT_THAT(r.body, HasSubstr("CANCELED"));
  EXPECT_EQ(Call("POST", "/crm/v3/imports/999/cancel").status, 404);
  EXPECT_EQ(Call("GET", "/crm/v3/imports/abc").status, 404);
  EXPECT_EQ(Call("DELETE", "/crm/v3/imports").status, 405);
}

TEST_F(EmulatorApiTest, RateLimitedCallsGet429WithThePolicy) {
  limiter_.SetLimits({1, 1000});
  EXPECT_EQ(Call("GET", "/crm/v3/imports").status, 200);
  HttpResponse r = Call("GET", "/crm/v3/imports");
  EXPECT_EQ(r.status, 429);
  google::protobuf::Struct body = Body(r);
  EXPECT_EQ(body.fields().at("policyName").string_value(),
            "TEN_SECONDLY_ROLLING");
  EXPECT_EQ(body.fields().at("errorType").string_value(), "RATE_LIMIT");
  std::map<std::string, std::string> headers(r.headers.begin(), r.headers.end());
  EXPECT_EQ(headers["X-HubSpot-RateLimit-Remaining"], "0");
}

TEST_F(EmulatorApiTest, LostAnswerStillCreatesTheImport) {
  faults_.Set(*ParseFaultPlan(R"({"loseAnswerRatio": 1})"));
  HttpResponse r = Upload("email,firstname\na@b.co,A\n");
  EXPECT_TRUE(r.drop);
  EXPECT_EQ(imports_.size(), 1u);
  faults_.Set(*ParseFaultPlan(R"({"dropRatio": 1})"));
  r = Upload("email,firstname\na@b.co,A\n");
  EXPECT_TRUE(r.drop);
  EXPECT_EQ(imports_.size(), 1u);
}

TEST_F(EmulatorApiTest, MaxFaultsLosesOnlyTheFirstCancelsAnswer) {
  const int64_t id = UploadedId("email,firstname\na@b.co,A\n");
  const std::string cancel = absl::StrCat("/crm/v3/imports/", id, "/cancel");
  HttpResponse r = Call(
      "POST", "/__emulator/faults",
      R"({"pathPrefix": "/crm/v3/imports", "pathSuffix": "/cancel",
          "method": "POST", "loseAnswerRatio": 1, "maxFaults": 1})",
      "", false);
  ASSERT_EQ(r.status, 200) << r.body;
  // The answer echoes the plan in force, new fields included.
  EXPECT_THAT(r.body, HasSubstr(R"("pathSuffix":"/cancel")"));
  EXPECT_THAT(r.body, HasSubstr(R"("method":"POST")"));
  EXPECT_THAT(r.body, HasSubstr(R"("maxFaults":1)"));
  EXPECT_THAT(r.body, HasSubstr(R"("exactPath":false)"));
  EXPECT_THAT(r.body, HasSubstr(R"("dropBeforeBodyRatio":0)"));
  // Not a cancel: untouched, and no fault used up.
  EXPECT_EQ(Call("GET", absl::StrCat("/crm/v3/imports/", id)).status, 200);
  // The first cancel takes effect, its answer is lost...
  EXPECT_TRUE(Call("POST", cancel).drop);
  EXPECT_EQ(imports_.Get(id)->State(), ImportState::kCanceled);
  // ...and a repeat is answered: the import is canceled already.
  r = Call("POST", cancel);
  EXPECT_FALSE(r.drop);
  EXPECT_EQ(r.status, 409);
  google::protobuf::Struct state =
      Body(Call("GET", "/__emulator/state", "", "", false));
  EXPECT_EQ(state.fields().at("faultsInjected").number_value(), 1);
  EXPECT_EQ(state.fields().at("faultsInjectedByPlan").number_value(), 1);
}

TEST_F(EmulatorApiTest, DropsBeforeTheBodyOnlyWhatThePlanSelects) {
  HttpRequest upload;
  upload.method = "POST";
  upload.path = "/crm/v3/imports";
  HttpRequest control = upload;
  control.path = "/__emulator/faults";
  HttpRequest cancel = upload;
  cancel.path = "/crm/v3/imports/1/cancel";
  EXPECT_EQ(api_.InspectHead(upload), HeadAction::kContinue);  // no plan
  faults_.Set(*ParseFaultPlan(
      R"({"pathPrefix": "/", "dropBeforeBodyRatio": 1, "maxFaults": 2})"));
  // The control API stays reachable whatever the plan.
  EXPECT_EQ(api_.InspectHead(control), HeadAction::kContinue);
  EXPECT_EQ(api_.InspectHead(upload), HeadAction::kClose);
  faults_.Set(*ParseFaultPlan(
      R"({"pathPrefix": "/crm/v3/imports", "exactPath": true,
          "method": "POST", "dropBeforeBodyRatio": 1})"));
  EXPECT_EQ(api_.InspectHead(cancel), HeadAction::kContinue);
  EXPECT_EQ(api_.InspectHead(upload), HeadAction::kClose);
  EXPECT_EQ(faults_.injected(), 2);
}

TEST_F(EmulatorApiTest, ControlListsEveryImportInAnyState) {
  const int64_t done = UploadedId("email,firstname\na@b.co,A\n");
  clock_.Advance(absl::Seconds(10));
  const int64_t canceled = UploadedId("email,firstname\nc@d.co,C\n");
  ASSERT_EQ(Call("POST", absl::StrCat("/crm/v3/imports/", canceled, "/cancel"))
                .status,
            200);
  const int64_t started = UploadedId("email,firstname\ne@f.co,E\n");

  HttpResponse r = Call("GET", "/__emulator/imports", "", "", false);
  ASSERT_EQ(r.status, 200) << r.body;
  google::protobuf::Struct listing = Body(r);
  EXPECT_EQ(listing.fields().at("evicted").number_value(), 0);
  const auto& list = listing.fields().at("imports").list_value();
  ASSERT_EQ(list.values_size(), 3);
  auto field = [&list](int i, const std::string& name)
      -> const google::protobuf::Value& {
    return list.values(i).struct_value().fields().at(name);
  };
  // Oldest first.
  EXPECT_EQ(field(0, "id").string_value(), absl::StrCat(done));
  EXPECT_EQ(field(1, "id").string_value(), absl::StrCat(canceled));
  EXPECT_EQ(field(2, "id").string_value(), absl::StrCat(started));
  EXPECT_EQ(field(0, "state").string_value(), "DONE");
  EXPECT_EQ(field(1, "state").string_value(), "CANCELED");
  EXPECT_EQ(field(2, "state").string_value(), "STARTED");
  EXPECT_EQ(field(0, "name").string_value(), "contacts");
  EXPECT_FALSE(field(0, "createdAt").string_value().empty());
  EXPECT_FALSE(field(1, "canceledAt").string_value().empty());
  EXPECT_EQ(list.values(0).struct_value().fields().count("canceledAt"), 0u);
  EXPECT_EQ(field(0, "importRequestJson")
                .struct_value()
                .fields()
                .at("files")
                .list_value()
                .values_size(),
            1);
  const auto& names = field(0, "fileNames").list_value();
  ASSERT_EQ(names.values_size(), 1);
  EXPECT_EQ(names.values(0).string_value(), "c.csv");
}

TEST(EmulatorControlTest, ImportListCountsWhatTheBoundEvicted) {
  OffsetClock clock;
  Accounts accounts(*ParseCredentials(R"({"privateAppTokens": ["t"]})"),
                    &clock, absl::Minutes(30));
  RateLimiter limiter({100, 250000}, &clock);
  Faults faults(FaultPlan(), 1);
  ImportRegistry imports(&clock, {absl::Seconds(1), absl::Seconds(1)},
                         /*max_imports=*/2);
  CrmStore crm;
  EmulatorApi api(ApiOptions(), &clock, &accounts, &limiter, &faults,
                  &imports, &crm);
  for (int i = 0; i < 5; ++i) {
    ImportRecord record;
    record.name = absl::StrCat("import ", i);
    record.request_json = "{}";
    imports.Add(std::move(record));
    clock.Advance(absl::Seconds(5));  // each finishes before the next
  }
  HttpRequest request;
  request.method = "GET";
  request.path = "/__emulator/imports";
  std::optional<HttpResponse> answer;
  api.Handle(request, [&answer](HttpResponse a) { answer = std::move(a); });
  ASSERT_TRUE(answer.has_value());
  auto listing = hubspot_gateway::ParseJsonObject(answer->body);
  ASSERT_TRUE(listing.ok()) << answer->body;
  EXPECT_EQ(listing->fields().at("evicted").number_value(), 3);
  const auto& list = listing->fields().at("imports").list_value();
  ASSERT_EQ(list.values_size(), 2);
  EXPECT_EQ(list.values(1).struct_value().fields().at("name").string_value(),
            "import 4");
}

TEST_F(EmulatorApiTest, EncodedBodiesAreDecodedOrRefused) {
  HttpRequest r;
  r.method = "POST";
  r.path = "/crm/v3/imports";
  r.headers = {{"authorization", absl::StrCat("Bearer ", kToken)},
               {"content-type",
                absl::StrCat("multipart/form-data; boundary=", kBoundary)},
               {"content-encoding", "gzip"},
               {"accept-encoding", "gzip"}};
  r.body = Gzip(Form(ContactsRequest(), {{"c.csv", "email,firstname\na@b.co,A\n"}}));
  std::optional<HttpResponse> answer;
  api_.Handle(r, [&answer](HttpResponse a) { answer = std::move(a); });
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->status, 200);
  std::map<std::string, std::string> headers(answer->headers.begin(),
                                             answer->headers.end());
  EXPECT_EQ(headers["Content-Encoding"], "gzip");
  EXPECT_TRUE(Gunzip(answer->body, 1 << 20).ok());

  r.body = "not gzip";
  api_.Handle(r, [&answer](HttpResponse a) { answer = std::move(a); });
  EXPECT_EQ(answer->status, 400);
  r.headers[2].second = "br";
  api_.Handle(r, [&answer](HttpResponse a) { answer = std::move(a); });
  EXPECT_EQ(answer->status, 415);
  EXPECT_EQ(imports_.size(), 1u);
}

TEST_F(EmulatorApiTest, ControlEndpoints) {
  HttpResponse r = Call("POST", "/__emulator/faults", R"({"errorRatio": 3})",
                        "", false);
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("errorRatio"));
  r = Call("POST", "/__emulator/rate-limits", R"({"tenSecondly": 7})", "", false);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(limiter_.limits().ten_secondly, 7);
  r = Call("POST", "/__emulator/timeline",
           R"({"startedFor": "2s", "processingFor": "5s"})", "", false);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(imports_.timeline().processing_for, absl::Seconds(5));
  const absl::Time before = clock_.Now();
  r = Call("POST", "/__emulator/advance", R"({"by": "1h"})", "", false);
  EXPECT_EQ(r.status, 200);
  EXPECT_GE(clock_.Now() - before, absl::Hours(1));
  r = Call("GET", "/__emulator/state", "", "", false);
  EXPECT_EQ(Body(r).fields().at("rateLimits").struct_value().fields().at(
                "tenSecondly").number_value(),
            7);
  EXPECT_EQ(Call("POST", "/__emulator/nothing", "{}", "", false).status, 404);
}

}  // namespace
}  // namespace hubspot_emulator
