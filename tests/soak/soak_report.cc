#include "tests/soak/soak_report.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "server/common/status_code_name.h"

namespace hubspot_gateway::soak {
namespace {

using google::protobuf::Struct;
using Tallies = std::map<std::string, int64_t>;

// The summary's numbers, computed once for the text and the JSON.
struct Counts {
  std::map<std::string, Tallies> calls;  // RPC -> status code -> calls
  int64_t uploads = 0, good = 0, keyed = 0, unkeyed = 0;
  int64_t size_declared = 0, size_undeclared = 0, bad = 0;
  Tallies bad_kinds;
  int64_t start_calls = 0, retried = 0, good_ok = 0, good_failed = 0;
  int64_t unknown_start = 0, unknown_cancel = 0;
  int64_t recovered_start = 0, recovered_cancel = 0, with_candidates = 0;
  int64_t imports = 0, duplicate_names = 0;
  Tallies states;
  int64_t cancels = 0, cancel_ok = 0, cancel_refused = 0, cancel_other = 0;
  int64_t cancels_hit = 0;  // cancelled imports CANCELED at the end
};

Counts Count(const SoakReport& r) {
  const SoakObservations& o = r.observations;
  Counts c;
  for (const auto& [key, n] : o.ledger.calls) {
    c.calls[RpcName(key.first)][std::string(StatusCodeName(key.second))] += n;
  }
  for (const UploadRecord& u : o.ledger.uploads) {
    ++c.uploads;
    (u.declared_size ? c.size_declared : c.size_undeclared)++;
    c.start_calls += static_cast<int64_t>(u.attempts.size());
    bool ok = false;
    for (const UploadAttempt& a : u.attempts) {
      ok |= a.code == grpc::StatusCode::OK;
      c.unknown_start += a.outcome.unknown();
      c.recovered_start += a.outcome.recovered();
      c.with_candidates += !a.outcome.candidates.empty();
    }
    if (u.kind != UploadKind::kGood) {
      ++c.bad;
      ++c.bad_kinds[UploadKindName(u.kind)];
      continue;
    }
    ++c.good;
    (u.key.empty() ? c.unkeyed : c.keyed)++;
    c.retried += u.attempts.size() > 1;
    (ok ? c.good_ok : c.good_failed)++;
  }
  std::map<int64_t, std::string> state_of;
  std::map<std::string, int> per_name;
  for (const EmulatedImport& i : o.emulator.imports) {
    ++c.imports;
    ++c.states[i.state];
    state_of[i.id] = i.state;
    if (++per_name[i.name] == 2) ++c.duplicate_names;
  }
  for (const CancelRecord& k : o.ledger.cancels) {
    ++c.cancels;
    if (k.code == grpc::StatusCode::OK) {
      ++c.cancel_ok;
    } else if (k.code == grpc::StatusCode::FAILED_PRECONDITION) {
      ++c.cancel_refused;
    } else {
      ++c.cancel_other;
    }
    c.unknown_cancel += k.outcome.unknown();
    c.recovered_cancel += k.outcome.recovered();
    auto s = state_of.find(k.import_id);
    c.cancels_hit += s != state_of.end() && s->second == "CANCELED";
  }
  return c;
}

std::string Join(const Tallies& t, absl::string_view sep = ", ") {
  std::vector<std::string> parts;
  for (const auto& [k, n] : t) parts.push_back(absl::StrCat(k, " ", n));
  return absl::StrJoin(parts, sep);
}

int Failed(const SoakReport& r) {
  int n = 0;
  for (const CheckResult& c : r.checks) n += !c.passed;
  return n;
}

// Struct building, numbers as JSON numbers.
void Put(Struct* s, const std::string& k, double v) {
  (*s->mutable_fields())[k].set_number_value(v);
}
void Put(Struct* s, const std::string& k, const std::string& v) {
  (*s->mutable_fields())[k].set_string_value(v);
}
Struct* Sub(Struct* s, const std::string& k) {
  return (*s->mutable_fields())[k].mutable_struct_value();
}
void PutTallies(Struct* s, const std::string& k, const Tallies& t) {
  Struct* sub = Sub(s, k);
  for (const auto& [name, n] : t) Put(sub, name, static_cast<double>(n));
}
void PutCensus(Struct* s, const std::string& k, const ProcessCensus& c) {
  Struct* sub = Sub(s, k);
  Put(sub, "fds", c.fds);
  Put(sub, "threads", c.threads);
  Put(sub, "keptHubSpotConnections", c.upstream_connections);
  Put(sub, "spoolFiles", c.spool_files);
  Put(sub, "rssKib", static_cast<double>(c.rss_kib));
  Struct* names = Sub(sub, "threadsByName");
  for (const auto& [name, n] : c.thread_names) Put(names, name, n);
}

}  // namespace

bool SoakReport::passed() const { return Failed(*this) == 0; }

void PrintSummary(const SoakReport& r, std::FILE* out) {
  const Counts c = Count(r);
  const SoakObservations& o = r.observations;
  std::fprintf(out,
               "\n== chaos soak %s (seed %llu): %s after a %s warm-up; %d "
               "upload workers, %d unary workers, 1 cancel worker; gateway "
               "credentials: %s\n",
               r.run_id.c_str(), static_cast<unsigned long long>(r.seed),
               absl::FormatDuration(r.duration).c_str(),
               absl::FormatDuration(r.warmup).c_str(), r.upload_workers,
               r.unary_workers, r.credentials.c_str());
  std::fprintf(out, "calls:\n");
  for (const auto& [rpc, codes] : c.calls) {
    int64_t total = 0;
    for (const auto& [code, n] : codes) total += n;
    std::fprintf(out, "  %-17s %7lld  %s\n", rpc.c_str(),
                 static_cast<long long>(total), Join(codes).c_str());
  }
  std::fprintf(
      out,
      "uploads: %lld (good %lld: keyed %lld, unkeyed %lld; size declared "
      "%lld, not %lld; bad %lld: %s)\n"
      "  StartImport calls %lld; keyed uploads retried %lld; good uploads "
      "that got their import %lld, that did not %lld\n",
      static_cast<long long>(c.uploads), static_cast<long long>(c.good),
      static_cast<long long>(c.keyed), static_cast<long long>(c.unkeyed),
      static_cast<long long>(c.size_declared),
      static_cast<long long>(c.size_undeclared), static_cast<long long>(c.bad),
      Join(c.bad_kinds).c_str(), static_cast<long long>(c.start_calls),
      static_cast<long long>(c.retried), static_cast<long long>(c.good_ok),
      static_cast<long long>(c.good_failed));
  std::fprintf(
      out,
      "gateway outcomes: unknown StartImport %lld, CancelImport %lld; "
      "recovered StartImport %lld, CancelImport %lld; import candidates "
      "listed %lld\n",
      static_cast<long long>(c.unknown_start),
      static_cast<long long>(c.unknown_cancel),
      static_cast<long long>(c.recovered_start),
      static_cast<long long>(c.recovered_cancel),
      static_cast<long long>(c.with_candidates));
  std::fprintf(out,
               "imports in the emulator: %lld (%s); duplicate names %lld; "
               "evicted %lld (read with %s)\n",
               static_cast<long long>(c.imports), Join(c.states).c_str(),
               static_cast<long long>(c.duplicate_names),
               static_cast<long long>(o.emulator.evicted),
               o.emulator.source.c_str());
  std::fprintf(out,
               "cancels: %lld (OK %lld, FAILED_PRECONDITION %lld, other %lld); "
               "cancelled imports CANCELED at the end %lld\n",
               static_cast<long long>(c.cancels),
               static_cast<long long>(c.cancel_ok),
               static_cast<long long>(c.cancel_refused),
               static_cast<long long>(c.cancel_other),
               static_cast<long long>(c.cancels_hit));
  std::fprintf(out,
               "resident memory, mean by quarter of the soak: %.0f %.0f %.0f "
               "%.0f KiB\n",
               o.rss_quarters[0], o.rss_quarters[1], o.rss_quarters[2],
               o.rss_quarters[3]);
  std::fprintf(out,
               "fds: baseline %d (%d kept HubSpot connections), end %d (%d), "
               "max %d; threads: baseline %d, end %d, max %d\n",
               o.baseline.fds, o.baseline.upstream_connections, o.end.fds,
               o.end.upstream_connections, r.max_fds, o.baseline.threads,
               o.end.threads, r.max_threads);
  std::fprintf(out, "metrics series: baseline %d, end %d\n",
               r.metrics_series_baseline, r.metrics_series_end);
  std::fprintf(out,
               "faults: phases %s%s; access tokens expired %lld times, "
               "issued %lld; faults injected %lld\n",
               Join(r.faults.phases, "; ").c_str(),
               r.faults.skipped.empty()
                   ? ""
                   : absl::StrCat(" (skipped: ",
                                  absl::StrJoin(r.faults.skipped, ", "), ")")
                         .c_str(),
               static_cast<long long>(r.faults.token_expiries),
               static_cast<long long>(r.tokens_issued),
               static_cast<long long>(r.faults_injected));
  std::fprintf(out, "checks:\n");
  for (const CheckResult& k : r.checks) {
    std::fprintf(out, "  %s check %d: %s: %s\n",
                 k.skipped  ? "SKIP"
                 : k.passed ? "pass"
                            : "FAIL",
                 k.number, k.title.c_str(), k.detail.c_str());
  }
  const int failed = Failed(r);
  std::fprintf(out, "RESULT: %s (%d of %zu checks failed)\n",
               failed == 0 ? "PASS" : "FAIL", failed, r.checks.size());
}

std::string SummaryJson(const SoakReport& r) {
  const Counts c = Count(r);
  const SoakObservations& o = r.observations;
  Struct root;
  Put(&root, "runId", r.run_id);
  Put(&root, "seed", static_cast<double>(r.seed));
  Put(&root, "durationSeconds", absl::ToDoubleSeconds(r.duration));
  Put(&root, "warmupSeconds", absl::ToDoubleSeconds(r.warmup));
  Put(&root, "uploadWorkers", r.upload_workers);
  Put(&root, "unaryWorkers", r.unary_workers);
  Put(&root, "credentials", r.credentials);
  Struct* calls = Sub(&root, "calls");
  for (const auto& [rpc, codes] : c.calls) PutTallies(calls, rpc, codes);
  Struct* uploads = Sub(&root, "uploads");
  Put(uploads, "total", c.uploads);
  Put(uploads, "good", c.good);
  Put(uploads, "keyed", c.keyed);
  Put(uploads, "unkeyed", c.unkeyed);
  Put(uploads, "sizeDeclared", c.size_declared);
  Put(uploads, "sizeNotDeclared", c.size_undeclared);
  Put(uploads, "bad", c.bad);
  PutTallies(uploads, "badKinds", c.bad_kinds);
  Put(uploads, "startImportCalls", c.start_calls);
  Put(uploads, "keyedRetried", c.retried);
  Put(uploads, "goodGotImport", c.good_ok);
  Put(uploads, "goodWithoutImport", c.good_failed);
  Struct* outcomes = Sub(&root, "gatewayOutcomes");
  Put(outcomes, "unknownStartImport", c.unknown_start);
  Put(outcomes, "unknownCancelImport", c.unknown_cancel);
  Put(outcomes, "recoveredStartImport", c.recovered_start);
  Put(outcomes, "recoveredCancelImport", c.recovered_cancel);
  Put(outcomes, "withCandidates", c.with_candidates);
  Struct* imports = Sub(&root, "emulatorImports");
  Put(imports, "total", c.imports);
  PutTallies(imports, "states", c.states);
  Put(imports, "duplicateNames", c.duplicate_names);
  Put(imports, "evicted", static_cast<double>(o.emulator.evicted));
  Put(imports, "source", o.emulator.source);
  Struct* cancels = Sub(&root, "cancels");
  Put(cancels, "total", c.cancels);
  Put(cancels, "ok", c.cancel_ok);
  Put(cancels, "failedPrecondition", c.cancel_refused);
  Put(cancels, "other", c.cancel_other);
  Put(cancels, "importsCanceled", c.cancels_hit);
  Struct* gateway = Sub(&root, "gateway");
  auto* rss =
      (*gateway->mutable_fields())["rssQuarterMeansKib"].mutable_list_value();
  for (double q : o.rss_quarters) rss->add_values()->set_number_value(q);
  PutCensus(gateway, "baseline", o.baseline);
  PutCensus(gateway, "end", o.end);
  Put(gateway, "maxFds", r.max_fds);
  Put(gateway, "maxThreads", r.max_threads);
  Put(gateway, "metricsSeriesBaseline", r.metrics_series_baseline);
  Put(gateway, "metricsSeriesEnd", r.metrics_series_end);
  Put(gateway, "spoolEntries", o.spool_entries);
  Put(gateway, "exitCode", o.gateway_exit_code);
  Struct* faults = Sub(&root, "faults");
  PutTallies(faults, "phases", r.faults.phases);
  auto* skipped = (*faults->mutable_fields())["skipped"].mutable_list_value();
  for (const std::string& s : r.faults.skipped) {
    skipped->add_values()->set_string_value(s);
  }
  Put(faults, "tokenExpiries", static_cast<double>(r.faults.token_expiries));
  Put(faults, "tokensIssued", static_cast<double>(r.tokens_issued));
  Put(faults, "injected", static_cast<double>(r.faults_injected));
  Put(faults, "controlFailures",
      static_cast<double>(r.faults.control_failures));
  auto* checks = (*root.mutable_fields())["checks"].mutable_list_value();
  for (const CheckResult& k : r.checks) {
    Struct* s = checks->add_values()->mutable_struct_value();
    Put(s, "number", k.number);
    Put(s, "title", k.title);
    Put(s, "result", k.skipped ? "skipped" : k.passed ? "pass" : "fail");
    Put(s, "detail", k.detail);
  }
  Put(&root, "result", r.passed() ? "pass" : "fail");
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  (void)google::protobuf::util::MessageToJsonString(root, &json, options);
  return json;
}

}  // namespace hubspot_gateway::soak
