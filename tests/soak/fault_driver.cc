#include "tests/soak/fault_driver.h"

#include <cstdio>

#include "absl/random/distributions.h"
#include "absl/strings/str_cat.h"

namespace hubspot_gateway::soak {

std::vector<FaultPhase> SoakFaultPhases() {
  return {
      {"clean", "{}"},
      {"503 errors 3%", R"({"errorRatio": 0.03, "errorStatus": 503})"},
      {"dropped connections 5%", R"({"dropRatio": 0.05})"},
      {"lost answers 10%", R"({"loseAnswerRatio": 0.1})"},
      {"truncated answers 5%", R"({"truncateRatio": 0.05})"},
      {"outage", R"({"errorRatio": 1.0, "errorStatus": 503})", 0,
       absl::Seconds(2)},
      {"clean", "{}"},
      {"502 errors 50%", R"({"errorRatio": 0.5, "errorStatus": 502})"},
      {"trickled answers", R"({"slowBytes": 64, "slowInterval": "0.02s"})"},
      {"reset before the body 20%", R"({"dropBeforeBodyRatio": 0.2})", 0,
       absl::ZeroDuration(), /*may_be_unknown=*/true},
      {"rate limited (429)", "{}", /*ten_secondly_limit=*/150},
  };
}

void FaultDriver::Run(const absl::Notification& stop) {
  std::vector<FaultPhase> phases = SoakFaultPhases();
  absl::Time next_expiry =
      absl::Now() + absl::Milliseconds(absl::Uniform(rng_, 5000, 10000));
  for (size_t i = 0; !stop.HasBeenNotified(); ++i) {
    FaultPhase& phase = phases[i % phases.size()];
    if (!Apply(phase)) continue;
    const absl::Duration length =
        phase.length > absl::ZeroDuration()
            ? phase.length
            : absl::Milliseconds(absl::Uniform(rng_, 3000, 6000));
    const absl::Time phase_end = absl::Now() + length;
    // Token expiries fall wherever they fall, phases regardless.
    while (!stop.WaitForNotificationWithTimeout(
        std::min(phase_end, next_expiry) - absl::Now())) {
      if (absl::Now() < next_expiry) break;
      if (expire_tokens_) ExpireTokens();
      next_expiry =
          absl::Now() + absl::Milliseconds(absl::Uniform(rng_, 5000, 10000));
    }
    if (phase.ten_secondly_limit > 0) Restore();
  }
  Restore();
}

bool FaultDriver::Apply(FaultPhase& phase) {
  {
    absl::MutexLock lock(&mu_);
    for (const std::string& s : stats_.skipped) {
      if (s == phase.name) return false;
    }
  }
  std::string answer;
  long status = Control("faults", phase.plan, &answer);
  if (status == 400 && phase.may_be_unknown) {
    std::fprintf(stderr,
                 "chaos_soak: the emulator refused fault phase \"%s\" (HTTP "
                 "400: %s); skipping it for this run\n",
                 phase.name.c_str(), answer.c_str());
    absl::MutexLock lock(&mu_);
    stats_.skipped.push_back(phase.name);
    return false;
  }
  if (status == 200 && phase.ten_secondly_limit > 0) {
    status = Control(
        "rate-limits",
        absl::StrCat(R"({"tenSecondly": )", phase.ten_secondly_limit, "}"),
        &answer);
  }
  absl::MutexLock lock(&mu_);
  if (status != 200) {
    if (stats_.control_failures++ == 0) {
      std::fprintf(stderr, "chaos_soak: fault phase \"%s\": HTTP %ld: %s\n",
                   phase.name.c_str(), status, answer.c_str());
    }
    return false;
  }
  ++stats_.phases[phase.name];
  return true;
}

long FaultDriver::Control(absl::string_view what, absl::string_view json,
                          std::string* answer) {
  answer->clear();
  return emulator_->Call("POST", absl::StrCat("/__emulator/", what), json,
                         answer);
}

void FaultDriver::ExpireTokens() {
  std::string answer;
  const long status = Control("expire-access-tokens", "{}", &answer);
  absl::MutexLock lock(&mu_);
  if (status == 200) {
    ++stats_.token_expiries;
  } else {
    ++stats_.control_failures;
  }
}

void FaultDriver::Restore() {
  std::string answer;
  const long faults = Control("faults", "{}", &answer);
  const long limits =
      Control("rate-limits",
              absl::StrCat(R"({"tenSecondly": )", normal_limit_, "}"), &answer);
  absl::MutexLock lock(&mu_);
  stats_.control_failures += (faults != 200) + (limits != 200);
}

FaultDriver::Stats FaultDriver::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

}  // namespace hubspot_gateway::soak
