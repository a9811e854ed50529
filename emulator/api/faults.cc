#include "emulator/api/faults.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "emulator/api/accounts.h"
#include "emulator/api/json_writer.h"
#include "server/common/json.h"

namespace hubspot_emulator {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

absl::StatusOr<double> Ratio(const google::protobuf::Value& v,
                             absl::string_view field) {
  if (!v.has_number_value() || v.number_value() < 0 || v.number_value() > 1) {
    return Invalid(field, "must be a number from 0 to 1");
  }
  return v.number_value();
}

absl::StatusOr<absl::Duration> Duration(const google::protobuf::Value& v,
                                        absl::string_view field) {
  absl::Duration d;
  if (!v.has_string_value() || !absl::ParseDuration(v.string_value(), &d) ||
      d < absl::ZeroDuration() || d > absl::Minutes(10)) {
    return Invalid(field, "must be a duration such as \"0.5s\", up to 10m");
  }
  return d;
}

std::string DurationText(absl::Duration d) {
  return absl::StrCat(absl::ToDoubleSeconds(d), "s");
}

}  // namespace

absl::StatusOr<FaultPlan> ParseFaultPlan(absl::string_view json) {
  absl::StatusOr<google::protobuf::Struct> parsed =
      hubspot_gateway::ParseJsonObject(json);
  if (!parsed.ok()) return parsed.status();
  const google::protobuf::Struct root = *std::move(parsed);
  FaultPlan plan;
  for (const auto& [key, v] : root.fields()) {
    if (key == "pathPrefix") {
      if (!v.has_string_value() || !absl::StartsWith(v.string_value(), "/")) {
        return Invalid(key, "must be a path starting with /");
      }
      plan.path_prefix = v.string_value();
    } else if (key == "latency" || key == "jitter" || key == "slowInterval") {
      absl::StatusOr<absl::Duration> d = Duration(v, key);
      if (!d.ok()) return d.status();
      (key == "latency" ? plan.latency
       : key == "jitter" ? plan.jitter
                         : plan.slow_interval) = *d;
    } else if (key == "errorRatio" || key == "dropRatio" ||
               key == "loseAnswerRatio" || key == "truncateRatio") {
      absl::StatusOr<double> r = Ratio(v, key);
      if (!r.ok()) return r.status();
      (key == "errorRatio"        ? plan.error_ratio
       : key == "dropRatio"       ? plan.drop_ratio
       : key == "loseAnswerRatio" ? plan.lose_answer_ratio
                                  : plan.truncate_ratio) = *r;
    } else if (key == "errorStatus") {
      if (!v.has_number_value() || v.number_value() < 500 ||
          v.number_value() > 599) {
        return Invalid(key, "must be a 5xx status");
      }
      plan.error_status = static_cast<int>(v.number_value());
    } else if (key == "slowBytes") {
      if (!v.has_number_value() || v.number_value() < 0 ||
          v.number_value() > 1 << 20) {
        return Invalid(key, "must be a byte count up to 1048576");
      }
      plan.slow_bytes = static_cast<size_t>(v.number_value());
    } else {
      return Invalid(key, "unknown fault setting");
    }
  }
  if (plan.slow_bytes > 0 && plan.slow_interval <= absl::ZeroDuration()) {
    return Invalid("slowInterval", "must be set with slowBytes");
  }
  return plan;
}

std::string FaultPlanJson(const FaultPlan& p) {
  JsonWriter w;
  w.BeginObject()
      .Field("pathPrefix", p.path_prefix)
      .Field("latency", DurationText(p.latency))
      .Field("jitter", DurationText(p.jitter))
      .Key("errorRatio").Raw(absl::StrCat(p.error_ratio))
      .Field("errorStatus", p.error_status)
      .Key("dropRatio").Raw(absl::StrCat(p.drop_ratio))
      .Key("loseAnswerRatio").Raw(absl::StrCat(p.lose_answer_ratio))
      .Key("truncateRatio").Raw(absl::StrCat(p.truncate_ratio))
      .Field("slowBytes", static_cast<int64_t>(p.slow_bytes))
      .Field("slowInterval", DurationText(p.slow_interval))
      .EndObject();
  return w.Take();
}

Faults::Faults(FaultPlan plan, uint64_t seed)
    : plan_(std::move(plan)), random_(seed) {}

void Faults::Set(FaultPlan plan) {
  absl::MutexLock lock(&mu_);
  plan_ = std::move(plan);
}

FaultPlan Faults::Get() const {
  absl::MutexLock lock(&mu_);
  return plan_;
}

int64_t Faults::injected() const {
  absl::MutexLock lock(&mu_);
  return injected_;
}

double Faults::Draw() {
  return std::uniform_real_distribution<double>(0, 1)(random_);
}

Faults::Decision Faults::Decide(const HttpRequest& request) {
  absl::MutexLock lock(&mu_);
  Decision d;
  if (!absl::StartsWith(request.path, plan_.path_prefix)) return d;
  d.delay = plan_.latency + plan_.jitter * Draw();
  d.slow_bytes = plan_.slow_bytes;
  d.slow_interval = plan_.slow_interval;
  // Drawn in a fixed order, so that a seed replays the same faults.
  const double drop = Draw(), error = Draw(), lose = Draw(), truncate = Draw();
  if (drop < plan_.drop_ratio) {
    HttpResponse r;
    r.drop = true;
    r.delay = d.delay;
    d.instead = std::move(r);
  } else if (error < plan_.error_ratio) {
    HttpResponse r;
    r.status = plan_.error_status;
    r.headers = {{"Content-Type", "application/json;charset=utf-8"}};
    r.body = ErrorBody(
        "An internal error has occurred (injected by the emulator)",
        "INTERNAL_ERROR");
    r.delay = d.delay;
    d.instead = std::move(r);
  } else {
    d.lose_answer = lose < plan_.lose_answer_ratio;
    d.truncate = truncate < plan_.truncate_ratio;
  }
  if (d.instead.has_value() || d.lose_answer || d.truncate ||
      d.delay > absl::ZeroDuration() || d.slow_bytes > 0) {
    ++injected_;
  }
  return d;
}

void Faults::Shape(const Decision& d, HttpResponse* r) {
  r->delay = d.delay;
  if (d.lose_answer) {
    r->drop = true;
    return;
  }
  if (d.truncate) r->truncate_body_at = static_cast<int64_t>(r->body.size() / 2);
  r->slow_chunk_bytes = d.slow_bytes;
  r->slow_interval = d.slow_interval;
}

}  // namespace hubspot_emulator
