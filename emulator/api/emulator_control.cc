// /__emulator/: what tests and demos change at run time. Unauthenticated:
// the emulator is for a trusted host (it listens on loopback by default).

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "emulator/api/emulator_api.h"
#include "emulator/api/json_writer.h"
#include "server/common/json.h"

namespace hubspot_emulator {
namespace {

HttpResponse ControlJson(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers = {{"Content-Type", "application/json"}};
  r.body = std::move(body);
  return r;
}

HttpResponse BadControl(absl::string_view message) {
  return ControlJson(400, ErrorBody(message, "VALIDATION_ERROR"));
}

std::string Seconds(absl::Duration d) {
  return absl::StrCat(absl::ToDoubleSeconds(d), "s");
}

std::string Timestamp(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

// A duration field of a control body; `fallback` when absent.
absl::StatusOr<absl::Duration> DurationField(const google::protobuf::Struct& s,
                                             const std::string& key,
                                             absl::Duration fallback) {
  auto it = s.fields().find(key);
  if (it == s.fields().end()) return fallback;
  absl::Duration d;
  if (!it->second.has_string_value() ||
      !absl::ParseDuration(it->second.string_value(), &d) ||
      d < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat(key, ": must be a duration such as \"30s\""));
  }
  return d;
}

absl::StatusOr<int64_t> CountField(const google::protobuf::Struct& s,
                                   const std::string& key, int64_t fallback) {
  auto it = s.fields().find(key);
  if (it == s.fields().end()) return fallback;
  const double v = it->second.number_value();
  if (!it->second.has_number_value() || v < 1 || v > 1e12 ||
      v != static_cast<double>(static_cast<int64_t>(v))) {
    return absl::InvalidArgumentError(
        absl::StrCat(key, ": must be a whole number >= 1"));
  }
  return static_cast<int64_t>(v);
}

}  // namespace

HttpResponse EmulatorApi::Control(const HttpRequest& request) {
  const std::string what = request.path.substr(sizeof("/__emulator/") - 1);
  if (what == "state" && request.method == "GET") {
    const RateLimits limits = limiter_->limits();
    const ImportTimeline timeline = imports_->timeline();
    JsonWriter w;
    w.BeginObject()
        .Field("now", Timestamp(clock_->Now()))
        .Field("imports", static_cast<int64_t>(imports_->size()))
        .Field("requests", requests_.load())
        .Field("rateLimited", rate_limited_.load())
        .Field("unauthorized", unauthorized_.load())
        .Field("gzipRequests", gzip_requests_.load())
        .Field("gzipResponses", gzip_responses_.load())
        .Field("faultsInjected", faults_->injected())
        .Field("faultsInjectedByPlan", faults_->injected_by_plan())
        .Field("tokensIssued", accounts_->tokens_issued())
        .Key("rateLimits")
        .BeginObject()
        .Field("tenSecondly", static_cast<int64_t>(limits.ten_secondly))
        .Field("daily", limits.daily)
        .EndObject()
        .Key("timeline")
        .BeginObject()
        .Field("startedFor", Seconds(timeline.started_for))
        .Field("processingFor", Seconds(timeline.processing_for))
        .EndObject()
        .Key("faults")
        .Raw(FaultPlanJson(faults_->Get()))
        .EndObject();
    return ControlJson(200, w.Take());
  }
  if (what == "imports" && request.method == "GET") return AllImports();
  if (request.method != "POST" && request.method != "PUT") {
    return ControlJson(404, ErrorBody("unknown control", "OBJECT_NOT_FOUND"));
  }
  if (what == "faults") {
    absl::StatusOr<FaultPlan> plan =
        ParseFaultPlan(request.body.empty() ? "{}" : request.body);
    if (!plan.ok()) return BadControl(plan.status().message());
    faults_->Set(*plan);
    return ControlJson(200, FaultPlanJson(*plan));
  }
  if (what == "expire-access-tokens") {
    accounts_->ExpireAccessTokens();
    return ControlJson(200, "{}");
  }
  absl::StatusOr<google::protobuf::Struct> body =
      hubspot_gateway::ParseJsonObject(request.body.empty() ? "{}"
                                                            : request.body);
  if (!body.ok()) return BadControl(body.status().message());
  if (what == "advance") {
    absl::StatusOr<absl::Duration> by =
        DurationField(*body, "by", absl::ZeroDuration());
    if (!by.ok()) return BadControl(by.status().message());
    clock_->Advance(*by);
    return ControlJson(200, "{}");
  }
  if (what == "rate-limits") {
    RateLimits limits = limiter_->limits();
    absl::StatusOr<int64_t> ten =
        CountField(*body, "tenSecondly", limits.ten_secondly);
    if (!ten.ok()) return BadControl(ten.status().message());
    absl::StatusOr<int64_t> daily = CountField(*body, "daily", limits.daily);
    if (!daily.ok()) return BadControl(daily.status().message());
    limits.ten_secondly = static_cast<int>(std::min<int64_t>(*ten, 1 << 30));
    limits.daily = *daily;
    limiter_->SetLimits(limits);
    return ControlJson(200, "{}");
  }
  if (what == "timeline") {
    ImportTimeline t = imports_->timeline();
    absl::StatusOr<absl::Duration> started =
        DurationField(*body, "startedFor", t.started_for);
    if (!started.ok()) return BadControl(started.status().message());
    absl::StatusOr<absl::Duration> processing =
        DurationField(*body, "processingFor", t.processing_for);
    if (!processing.ok()) return BadControl(processing.status().message());
    imports_->SetTimeline({*started, *processing});
    return ControlJson(200, "{}");
  }
  return ControlJson(404, ErrorBody("unknown control", "OBJECT_NOT_FOUND"));
}

HttpResponse EmulatorApi::AllImports() {
  const ImportRegistry::Listing listing = imports_->All();
  JsonWriter w;
  w.BeginObject().Key("imports").BeginArray();
  for (const ImportView& view : listing.imports) {
    const ImportRecord& r = *view.record;
    w.BeginObject()
        .Field("id", absl::StrCat(r.id))
        .Field("name", r.name)
        .Field("state", StateName(view.State()))
        .Field("createdAt", Timestamp(r.created_at));
    if (view.canceled_at.has_value()) {
      w.Field("canceledAt", Timestamp(*view.canceled_at));
    }
    w.Key("importRequestJson").Raw(r.request_json).Key("fileNames").BeginArray();
    for (const std::string& name : r.file_names) w.String(name);
    w.EndArray().EndObject();
  }
  w.EndArray().Field("evicted", listing.evicted).EndObject();
  return ControlJson(200, w.Take());
}

}  // namespace hubspot_emulator
