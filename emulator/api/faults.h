#ifndef HUBSPOT_EMULATOR_API_FAULTS_H_
#define HUBSPOT_EMULATOR_API_FAULTS_H_

#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "emulator/http/http_server.h"

namespace hubspot_emulator {

// Bad minutes on demand, for the requests the plan selects (path, method).
// Ratios are per request, drawn independently.
struct FaultPlan {
  // Which requests: the path (without its query) starts with `path_prefix`
  // and ends with `path_suffix`, or equals `path_prefix` when `exact_path`;
  // and the method is `method` (empty: any).
  std::string path_prefix = "/crm/";
  std::string path_suffix;
  bool exact_path = false;
  std::string method;
  // After this many faults the plan injects no more (0: no limit), so that
  // "lose the first cancel's answer" happens exactly once.
  int64_t max_faults = 0;
  // Added before every answer: latency, plus up to `jitter` more.
  absl::Duration latency = absl::ZeroDuration();
  absl::Duration jitter = absl::ZeroDuration();
  // Answered with `error_status` (5xx) without being handled.
  double error_ratio = 0;
  int error_status = 503;
  // A request with a body: the connection is reset once its head is read,
  // before any of the body: the upload fails and nothing happened.
  double drop_before_body_ratio = 0;
  // Read whole, then the connection is closed without handling it: nothing
  // happened, but the client cannot know.
  double drop_ratio = 0;
  // Handled (an upload creates its import), then the connection is closed
  // instead of answering: the client cannot know the outcome.
  double lose_answer_ratio = 0;
  // The answer's body stops halfway, its Content-Length promised more.
  double truncate_ratio = 0;
  // The answer's body trickles: this many bytes every `slow_interval`.
  size_t slow_bytes = 0;
  absl::Duration slow_interval = absl::ZeroDuration();
};

// {"pathPrefix": "/crm/", "pathSuffix": "", "exactPath": false,
//  "method": "", "maxFaults": 0, "latency": "0.2s", "jitter": "0.1s",
//  "errorRatio": 0.1, "errorStatus": 503, "dropBeforeBodyRatio": 0,
//  "dropRatio": 0, "loseAnswerRatio": 0, "truncateRatio": 0,
//  "slowBytes": 0, "slowInterval": "0.1s"}; absent fields keep their
// defaults.
absl::StatusOr<FaultPlan> ParseFaultPlan(absl::string_view json);
std::string FaultPlanJson(const FaultPlan& plan);

class Faults {
 public:
  explicit Faults(FaultPlan plan, uint64_t seed);

  void Set(FaultPlan plan);
  FaultPlan Get() const;

  // What happens to one request: decided once, before it is handled.
  struct Decision {
    // Answer this instead of handling the request (an error or a drop).
    std::optional<HttpResponse> instead;
    // Handle it, then shape the answer.
    bool lose_answer = false;
    bool truncate = false;
    absl::Duration delay = absl::ZeroDuration();
    size_t slow_bytes = 0;
    absl::Duration slow_interval = absl::ZeroDuration();
  };
  // Decides, once a request's head is read and a body follows, whether to
  // reset the connection before reading the body. Draws only when the plan
  // has a dropBeforeBodyRatio, so that other plans replay as before.
  bool DropBeforeBody(const HttpRequest& head);
  // Draws, for a request it selects, the jitter and then drop, error, lost
  // answer and truncation, always in that order, so that a seed replays the
  // same faults for the same sequence of requests.
  Decision Decide(const HttpRequest& request);
  // Applies a decision's shaping to the handler's answer.
  static void Shape(const Decision& decision, HttpResponse* response);
  // Since the emulator started, every plan included.
  int64_t injected() const;
  // By the plan in force (Set() restarts the count).
  int64_t injected_by_plan() const;

 private:
  double Draw() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Whether the plan selects the request and has faults left to inject.
  bool AppliesTo(const HttpRequest& request) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void Count() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  FaultPlan plan_ ABSL_GUARDED_BY(mu_);
  std::mt19937_64 random_ ABSL_GUARDED_BY(mu_);
  int64_t injected_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t injected_by_plan_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_API_FAULTS_H_
