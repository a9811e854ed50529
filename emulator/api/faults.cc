#include "emulator/api/faults.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
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

absl::StatusOr<std::string> Method(const google::protobuf::Value& v,
                                   absl::string_view field) {
  // Methods are case-sensitive (RFC 9110, 9.1): "post" would never match.
  if (!v.has_string_value() ||
      !std::all_of(v.string_value().begin(), v.string_value().end(),
                   absl::ascii_isupper)) {
    return Invalid(field, "must be an upper-case HTTP method such as \"POST\"");
  }
  return v.string_value();
}

absl::StatusOr<int64_t> Limit(const google::protobuf::Value& v,
                              absl::string_view field) {
  const double n = v.number_value();
  if (!v.has_number_value() || n < 0 || n > 1e15 ||
      n != static_cast<double>(static_cast<int64_t>(n))) {
    return Invalid(field, "must be a whole number >= 0 (0: no limit)");
  }
  return static_cast<int64_t>(n);
}

template <typename T>
absl::Status Assign(absl::StatusOr<T> value, T* field) {
  if (!value.ok()) return value.status();
  *field = *std::move(value);
  return absl::OkStatus();
}

// Pointers to the plan's ratio fields, by JSON name.
double* RatioField(absl::string_view key, FaultPlan* plan) {
  if (key == "errorRatio") return &plan->error_ratio;
  if (key == "dropBeforeBodyRatio") return &plan->drop_before_body_ratio;
  if (key == "dropRatio") return &plan->drop_ratio;
  if (key == "loseAnswerRatio") return &plan->lose_answer_ratio;
  if (key == "truncateRatio") return &plan->truncate_ratio;
  return nullptr;
}

absl::Duration* DurationField(absl::string_view key, FaultPlan* plan) {
  if (key == "latency") return &plan->latency;
  if (key == "jitter") return &plan->jitter;
  if (key == "slowInterval") return &plan->slow_interval;
  return nullptr;
}

absl::Status SetField(const std::string& key, const google::protobuf::Value& v,
                      FaultPlan* plan) {
  if (double* ratio = RatioField(key, plan)) return Assign(Ratio(v, key), ratio);
  if (absl::Duration* d = DurationField(key, plan)) {
    return Assign(Duration(v, key), d);
  }
  if (key == "pathPrefix") {
    if (!v.has_string_value() || !absl::StartsWith(v.string_value(), "/")) {
      return Invalid(key, "must be a path starting with /");
    }
    plan->path_prefix = v.string_value();
  } else if (key == "pathSuffix") {
    if (!v.has_string_value() || absl::StrContains(v.string_value(), '?')) {
      return Invalid(key, "must be the end of a path, without a query");
    }
    plan->path_suffix = v.string_value();
  } else if (key == "exactPath") {
    if (!v.has_bool_value()) return Invalid(key, "must be true or false");
    plan->exact_path = v.bool_value();
  } else if (key == "method") {
    return Assign(Method(v, key), &plan->method);
  } else if (key == "maxFaults") {
    return Assign(Limit(v, key), &plan->max_faults);
  } else if (key == "errorStatus") {
    if (!v.has_number_value() || v.number_value() < 500 ||
        v.number_value() > 599) {
      return Invalid(key, "must be a 5xx status");
    }
    plan->error_status = static_cast<int>(v.number_value());
  } else if (key == "slowBytes") {
    if (!v.has_number_value() || v.number_value() < 0 ||
        v.number_value() > 1 << 20) {
      return Invalid(key, "must be a byte count up to 1048576");
    }
    plan->slow_bytes = static_cast<size_t>(v.number_value());
  } else {
    return Invalid(key, "unknown fault setting");
  }
  return absl::OkStatus();
}

// Settings that are each valid but not together.
absl::Status CheckCombination(const FaultPlan& plan) {
  if (plan.slow_bytes > 0 && plan.slow_interval <= absl::ZeroDuration()) {
    return Invalid("slowInterval", "must be set with slowBytes");
  }
  // An exact path leaves no room for a suffix: the suffix would either
  // change nothing or make the plan match nothing.
  if (plan.exact_path && !plan.path_suffix.empty()) {
    return Invalid("pathSuffix",
                   "cannot be combined with exactPath (the path must then "
                   "equal pathPrefix)");
  }
  return absl::OkStatus();
}

bool PathMatches(const FaultPlan& plan, absl::string_view path) {
  if (plan.exact_path) return path == plan.path_prefix;
  return absl::StartsWith(path, plan.path_prefix) &&
         absl::EndsWith(path, plan.path_suffix);
}

}  // namespace

absl::StatusOr<FaultPlan> ParseFaultPlan(absl::string_view json) {
  absl::StatusOr<google::protobuf::Struct> parsed =
      hubspot_gateway::ParseJsonObject(json);
  if (!parsed.ok()) return parsed.status();
  FaultPlan plan;
  for (const auto& [key, v] : parsed->fields()) {
    if (absl::Status s = SetField(key, v, &plan); !s.ok()) return s;
  }
  if (absl::Status s = CheckCombination(plan); !s.ok()) return s;
  return plan;
}

std::string FaultPlanJson(const FaultPlan& p) {
  JsonWriter w;
  w.BeginObject()
      .Field("pathPrefix", p.path_prefix)
      .Field("pathSuffix", p.path_suffix)
      .Field("exactPath", p.exact_path)
      .Field("method", p.method)
      .Field("maxFaults", p.max_faults)
      .Field("latency", DurationText(p.latency))
      .Field("jitter", DurationText(p.jitter))
      .Key("errorRatio").Raw(absl::StrCat(p.error_ratio))
      .Field("errorStatus", p.error_status)
      .Key("dropBeforeBodyRatio").Raw(absl::StrCat(p.drop_before_body_ratio))
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
  injected_by_plan_ = 0;
}

FaultPlan Faults::Get() const {
  absl::MutexLock lock(&mu_);
  return plan_;
}

int64_t Faults::injected() const {
  absl::MutexLock lock(&mu_);
  return injected_;
}

int64_t Faults::injected_by_plan() const {
  absl::MutexLock lock(&mu_);
  return injected_by_plan_;
}

double Faults::Draw() {
  return std::uniform_real_distribution<double>(0, 1)(random_);
}

bool Faults::AppliesTo(const HttpRequest& request) const {
  if (plan_.max_faults > 0 && injected_by_plan_ >= plan_.max_faults) {
    return false;
  }
  return (plan_.method.empty() || request.method == plan_.method) &&
         PathMatches(plan_, request.path);
}

void Faults::Count() {
  ++injected_;
  ++injected_by_plan_;
}

bool Faults::DropBeforeBody(const HttpRequest& head) {
  absl::MutexLock lock(&mu_);
  if (plan_.drop_before_body_ratio <= 0 || !AppliesTo(head)) return false;
  if (Draw() >= plan_.drop_before_body_ratio) return false;
  Count();
  return true;
}

Faults::Decision Faults::Decide(const HttpRequest& request) {
  absl::MutexLock lock(&mu_);
  Decision d;
  if (!AppliesTo(request)) return d;
  d.delay = plan_.latency + plan_.jitter * Draw();
  d.slow_bytes = plan_.slow_bytes;
  d.slow_interval = plan_.slow_interval;
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
    Count();
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
