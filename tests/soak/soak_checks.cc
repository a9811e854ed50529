#include "tests/soak/soak_checks.h"

#include <algorithm>
#include <map>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "server/common/status_code_name.h"

namespace hubspot_gateway::soak {
namespace {

struct Index {
  std::map<int64_t, const EmulatedImport*> by_id;
  std::map<std::string, std::vector<const EmulatedImport*>> by_name;
  std::map<std::string, const UploadRecord*> uploads;
};

Index Build(const SoakObservations& o) {
  Index x;
  for (const EmulatedImport& i : o.emulator.imports) {
    x.by_id[i.id] = &i;
    x.by_name[i.name].push_back(&i);
  }
  for (const UploadRecord& u : o.ledger.uploads) x.uploads[u.name] = &u;
  return x;
}

// The first few of a kind, for a failure line.
class Examples {
 public:
  void Add(std::string e) {
    if (list_.size() < 3) list_.push_back(std::move(e));
  }
  std::string Text() const {
    return list_.empty() ? ""
                         : absl::StrCat("; e.g. ", absl::StrJoin(list_, ", "));
  }

 private:
  std::vector<std::string> list_;
};

// "UNAVAILABLE x3, DEADLINE_EXCEEDED x1".
std::string Tally(const std::map<std::string, int>& counts) {
  std::vector<std::string> parts;
  for (const auto& [what, n] : counts)
    parts.push_back(absl::StrCat(what, " x", n));
  return absl::StrJoin(parts, ", ");
}

// How an upload's calls ended, e.g. "UNAVAILABLE>FAILED_PRECONDITION(unknown)".
std::string Story(const UploadRecord& u) {
  std::vector<std::string> steps;
  for (const UploadAttempt& a : u.attempts) {
    std::string step(StatusCodeName(a.code));
    if (!a.outcome.outcome.empty())
      absl::StrAppend(&step, "(", a.outcome.outcome, ")");
    steps.push_back(std::move(step));
  }
  return absl::StrCat(u.key.empty() ? "unkeyed " : "keyed ",
                      absl::StrJoin(steps, ">"));
}

std::string Ids(const std::vector<const EmulatedImport*>& imports) {
  std::vector<std::string> ids;
  for (const EmulatedImport* i : imports) ids.push_back(absl::StrCat(i->id));
  return absl::StrJoin(ids, " ");
}

CheckResult Result(int number, std::string title, bool passed,
                   std::string detail) {
  CheckResult r;
  r.number = number;
  r.title = std::move(title);
  r.passed = passed;
  r.detail = std::move(detail);
  return r;
}

CheckResult NoNameTwice(const SoakObservations& o, const Index& x) {
  int names = 0, extra = 0, keyed = 0;
  Examples e;
  for (const auto& [name, imports] : x.by_name) {
    if (imports.size() < 2) continue;
    ++names;
    extra += static_cast<int>(imports.size()) - 1;
    auto u = x.uploads.find(name);
    if (u != x.uploads.end() && !u->second->key.empty()) ++keyed;
    e.Add(absl::StrCat(name, " (", Ids(imports), ")"));
  }
  return Result(1, "no import name appears twice", names == 0,
                names == 0
                    ? absl::StrCat(o.emulator.imports.size(), " imports, ",
                                   x.by_name.size(), " names")
                    : absl::StrCat(names, " names appear more than once (",
                                   extra, " imports too many; ", keyed,
                                   " of them keyed)", e.Text()));
}

CheckResult OkImportsExist(const SoakObservations& o, const Index& x) {
  int ok = 0, missing = 0, renamed = 0, shared = 0;
  Examples e;
  for (const UploadRecord& u : o.ledger.uploads) {
    for (const UploadAttempt& a : u.attempts) {
      if (a.code != grpc::StatusCode::OK) continue;
      ++ok;
      auto found = x.by_id.find(a.import_id);
      if (found == x.by_id.end()) {
        ++missing;
        e.Add(absl::StrCat(a.import_id, " for ", u.name,
                           " is not in the emulator"));
      } else if (found->second->name != u.name) {
        ++renamed;
        e.Add(absl::StrCat(a.import_id, " for ", u.name, " is named ",
                           found->second->name));
      } else if (x.by_name.at(u.name).size() != 1) {
        ++shared;
        e.Add(absl::StrCat(u.name, " has ", x.by_name.at(u.name).size(),
                           " imports"));
      }
    }
  }
  const bool passed = missing + renamed + shared == 0;
  return Result(
      2, "every import StartImport returned exists once, with its name", passed,
      passed ? absl::StrCat(ok, " OK answers, all found")
             : absl::StrCat(missing, " of ", ok,
                            " OK answers name an import "
                            "the emulator does not have, ",
                            renamed, " one with another name, ", shared,
                            " one whose name has more imports", e.Text()));
}

CheckResult BadUploadsCreateNothing(const SoakObservations& o, const Index& x) {
  int bad = 0, answered_ok = 0, created = 0;
  std::map<std::string, int> kinds;
  Examples e;
  for (const UploadRecord& u : o.ledger.uploads) {
    if (u.kind == UploadKind::kGood) continue;
    ++bad;
    bool wrong = false;
    for (const UploadAttempt& a : u.attempts) {
      if (a.code == grpc::StatusCode::OK) {
        ++answered_ok;
        wrong = true;
      }
    }
    auto imports = x.by_name.find(u.name);
    if (imports != x.by_name.end()) {
      created += static_cast<int>(imports->second.size());
      wrong = true;
    }
    if (wrong) {
      ++kinds[UploadKindName(u.kind)];
      e.Add(u.name);
    }
  }
  const bool passed = answered_ok + created == 0;
  return Result(
      3, "no bad upload created an import", passed,
      passed ? absl::StrCat(bad, " bad uploads, no import")
             : absl::StrCat(created, " imports from ", bad, " bad uploads, ",
                            answered_ok, " bad uploads answered OK (",
                            Tally(kinds), ")", e.Text()));
}

CheckResult EveryImportAccounted(const SoakObservations& o, const Index& x) {
  int returned = 0, unknown = 0, foreign = 0, unaccounted = 0, overused = 0;
  std::map<std::string, int> stories;
  std::map<std::string, int> unknown_uses;  // name -> imports it accounts for
  Examples e;
  for (const EmulatedImport& i : o.emulator.imports) {
    auto u = x.uploads.find(i.name);
    if (u == x.uploads.end()) {
      ++foreign;
      e.Add(absl::StrCat(i.id, " \"", i.name, "\" matches no upload"));
      continue;
    }
    const UploadRecord& up = *u->second;
    if (up.kind != UploadKind::kGood) continue;  // check 3's
    bool got_it = false, said_unknown = false;
    for (const UploadAttempt& a : up.attempts) {
      got_it |= a.code == grpc::StatusCode::OK && a.import_id == i.id;
      said_unknown |= a.outcome.unknown();
    }
    if (got_it) {
      ++returned;
    } else if (said_unknown) {
      ++unknown;
      if (++unknown_uses[i.name] == 2) {
        ++overused;
        e.Add(absl::StrCat(i.name, " (unknown outcome) has several imports"));
      }
    } else {
      ++unaccounted;
      ++stories[Story(up)];
      e.Add(absl::StrCat(i.id, " ", i.name, " (", Story(up), ")"));
    }
  }
  const bool passed = foreign + unaccounted + overused == 0;
  return Result(
      4, "every import was returned or reported as outcome unknown", passed,
      passed
          ? absl::StrCat(returned, " returned, ", unknown,
                         " reported as outcome unknown")
          : absl::StrCat(unaccounted,
                         " imports the gateway neither returned "
                         "nor reported as outcome unknown (their calls: ",
                         Tally(stories), "), ", foreign,
                         " with a name of no upload, ", overused,
                         " unknown outcomes standing for more than one import",
                         e.Text()));
}

// Of the imports created by uploads whose answer was lost, the share the
// gateway found and answered with (the right one: check 2 holds the id to
// the upload's name) rather than reporting the outcome unknown. Judged from
// kMinLostToJudge of them; imports stay active for the soak, so the look-up
// can see them.
constexpr int kMinLostToJudge = 20;
constexpr double kMinRecoveredShare = 0.95;

CheckResult LostAnswersRecovered(const SoakObservations& o, const Index& x) {
  int recovered = 0, unresolved = 0;
  for (const EmulatedImport& i : o.emulator.imports) {
    auto u = x.uploads.find(i.name);
    if (u == x.uploads.end() || u->second->kind != UploadKind::kGood) continue;
    bool found = false, said_unknown = false;
    for (const UploadAttempt& a : u->second->attempts) {
      found |= a.code == grpc::StatusCode::OK && a.import_id == i.id &&
               a.outcome.recovered();
      said_unknown |= a.outcome.unknown();
    }
    if (found) {
      ++recovered;
    } else if (said_unknown) {
      ++unresolved;
    }
  }
  const int lost = recovered + unresolved;
  const double share = lost > 0 ? static_cast<double>(recovered) / lost : 1;
  const bool judged = lost >= kMinLostToJudge;
  return Result(
      13, "lost answers resolved to the right import", !judged ||
      share >= kMinRecoveredShare,
      absl::StrCat(lost, " imports created by an upload whose answer was "
                   "lost: ", recovered, " recovered, ", unresolved,
                   " reported unknown (",
                   absl::StrFormat("%.1f", 100 * share), "%; at least ",
                   100 * kMinRecoveredShare, "%",
                   judged ? ")"
                          : absl::StrCat(", judged from ", kMinLostToJudge,
                                         ")")));
}

CheckResult SpoolEmpty(const SoakObservations& o) {
  const bool passed =
      o.census_ok && o.spool_entries == 0 && o.end.spool_files == 0;
  return Result(5, "the spool directory is empty", passed,
                absl::StrCat(o.spool_entries, " entries, ", o.end.spool_files,
                             " spool files open in the gateway",
                             o.census_ok ? "" : " (no census of the gateway)"));
}

CheckResult BackToBaseline(const SoakObservations& o) {
  const ProcessCensus& b = o.baseline;
  const ProcessCensus& n = o.end;
  const std::string changes = ThreadNameChanges(b, n);
  return Result(
      6, "open fds and threads are back at the baseline",
      o.census_ok && WithinBaseline(b, n, o.max_connections),
      absl::StrCat(
          "fds ", b.fds, " -> ", n.fds,
          " (of them connections kept to "
          "HubSpot, not counted: ",
          b.upstream_connections, " -> ", n.upstream_connections, ", at most ",
          o.max_connections, "; slack +", kFdSlack, "), threads ", b.threads,
          " -> ", n.threads, " (the gateway's own ", b.own_threads(), " -> ",
          n.own_threads(), ", slack +", kThreadSlack, "; gRPC's pools ",
          b.grpc_pool_threads, " -> ", n.grpc_pool_threads, ", slack +",
          GrpcPoolSlack(), ")",
          changes.empty() ? "" : absl::StrCat("; by name: ", changes)));
}

CheckResult RssFlat(const SoakObservations& o) {
  const auto& q = o.rss_quarters;
  const double growth = q[1] > 0 ? q[3] / q[1] - 1 : 0;
  CheckResult r = Result(
      7, "resident memory does not grow", q[1] > 0 && growth <= kRssGrowthLimit,
      absl::StrFormat("mean VmRSS by quarter %.0f %.0f %.0f %.0f KiB; last vs "
                      "second %+.1f%% (limit +%.0f%%)",
                      q[0], q[1], q[2], q[3], growth * 100,
                      kRssGrowthLimit * 100));
  if (!o.rss_not_checked.empty()) {
    r.passed = true;
    r.skipped = true;
    absl::StrAppend(&r.detail, "; not checked: ", o.rss_not_checked);
  }
  return r;
}

CheckResult NoInternal(const SoakObservations& o) {
  return Result(
      8, "no call ended INTERNAL or UNKNOWN", o.ledger.internal_or_unknown == 0,
      o.ledger.internal_or_unknown == 0
          ? "none"
          : absl::StrCat(
                o.ledger.internal_or_unknown, " calls; e.g. ",
                absl::StrJoin(o.ledger.internal_or_unknown_examples, " | ")));
}

CheckResult CancelsTruthful(const SoakObservations& o, const Index& x) {
  int ok = 0, refused = 0, ok_wrong = 0, refused_wrong = 0, missing = 0;
  Examples e;
  for (const CancelRecord& c : o.ledger.cancels) {
    const bool is_ok = c.code == grpc::StatusCode::OK;
    const bool is_refused = c.code == grpc::StatusCode::FAILED_PRECONDITION;
    if (!is_ok && !is_refused) continue;
    (is_ok ? ok : refused)++;
    auto found = x.by_id.find(c.import_id);
    if (found == x.by_id.end()) {
      ++missing;
      e.Add(absl::StrCat(c.import_id, " is not in the emulator"));
      continue;
    }
    const bool canceled = found->second->state == "CANCELED";
    if (is_ok && !canceled) {
      ++ok_wrong;
      e.Add(absl::StrCat("OK for ", c.import_id, " which is ",
                         found->second->state));
    }
    if (is_refused && canceled) {
      ++refused_wrong;
      e.Add(absl::StrCat(
          "FAILED_PRECONDITION",
          c.outcome.outcome.empty() ? "" : "(" + c.outcome.outcome + ")",
          " for ", c.import_id, " which is CANCELED"));
    }
  }
  const bool passed = ok_wrong + refused_wrong + missing == 0;
  return Result(
      9, "no successful cancel was reported as failed", passed,
      passed ? absl::StrCat(ok, " OK on CANCELED imports, ", refused,
                            " FAILED_PRECONDITION on imports not CANCELED")
             : absl::StrCat(refused_wrong, " of ", refused,
                            " FAILED_PRECONDITION cancels hit imports that "
                            "are CANCELED, ",
                            ok_wrong, " of ", ok,
                            " OK cancels hit imports that are not, ", missing,
                            " cancelled imports missing", e.Text()));
}

CheckResult GatewayHealthy(const SoakObservations& o) {
  const bool passed = o.gateway_alive && o.gateway_exit_code == 0;
  return Result(10, "the gateway ran throughout and exited 0 on SIGTERM",
                passed,
                absl::StrCat(o.gateway_alive ? "alive" : "not running",
                             " at the end; exit code ", o.gateway_exit_code));
}

CheckResult SupportQuiet(const SoakObservations& o) {
  return Result(
      11, "tests/support reported no failure", o.support_failures == 0,
      o.support_failures == 0
          ? "none (no secret in the gateway's output, no sanitizer report)"
          : absl::StrCat(o.support_failures, ": ",
                         absl::StrJoin(o.support_messages, " | ")));
}

}  // namespace

int GrpcPoolSlack() {
  return std::max(4, 2 * static_cast<int>(std::thread::hardware_concurrency()));
}

bool WithinBaseline(const ProcessCensus& b, const ProcessCensus& n,
                    int max_connections) {
  return n.fds_without_upstream() <= b.fds_without_upstream() + kFdSlack &&
         n.own_threads() <= b.own_threads() + kThreadSlack &&
         n.grpc_pool_threads <= b.grpc_pool_threads + GrpcPoolSlack() &&
         n.upstream_connections <= max_connections;
}

std::vector<CheckResult> RunChecks(const SoakObservations& o) {
  const Index x = Build(o);
  std::vector<CheckResult> results = {NoNameTwice(o, x),
                                      OkImportsExist(o, x),
                                      BadUploadsCreateNothing(o, x),
                                      EveryImportAccounted(o, x),
                                      SpoolEmpty(o),
                                      BackToBaseline(o),
                                      RssFlat(o),
                                      NoInternal(o),
                                      CancelsTruthful(o, x),
                                      GatewayHealthy(o),
                                      SupportQuiet(o)};
  // Checks 1–4 and 9 read the emulator's imports: with some unread or
  // forgotten they could pass for the wrong reason.
  results.push_back(Result(
      12, "every import of the emulator was read",
      o.emulator_error.empty() && o.emulator.evicted == 0,
      !o.emulator_error.empty()
          ? o.emulator_error
          : absl::StrCat(
                o.emulator.imports.size(), " read with ", o.emulator.source,
                ", ", o.emulator.evicted, " evicted",
                o.emulator.evicted > 0 ? " (raise the emulator's --max_imports)"
                                       : "")));
  results.push_back(LostAnswersRecovered(o, x));
  return results;
}

}  // namespace hubspot_gateway::soak
