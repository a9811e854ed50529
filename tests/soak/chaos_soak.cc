// chaos_soak: one real emulator and one real gateway, then for --duration
// concurrent uploads (good and bad on purpose), reads with random deadlines
// and cancellations, and cancels, while the emulator's fault plan cycles
// through errors, drops, lost and truncated answers, outages, trickled
// answers and rate limits and the OAuth access tokens expire. At the end
// every import the emulator holds is held against what the gateway told its
// callers, and the gateway's fds, threads, spool and memory against their
// baseline. See tests/soak/README.md.

#include <curl/curl.h>
#include <signal.h>
#include <sys/stat.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/soak/emulator_imports.h"
#include "tests/soak/fault_driver.h"
#include "tests/soak/process_census.h"
#include "tests/soak/process_sampler.h"
#include "tests/soak/soak_checks.h"
#include "tests/soak/soak_report.h"
#include "tests/soak/worker_pool.h"
#include "tests/support/emulator.h"
#include "tests/support/test_env.h"

ABSL_FLAG(absl::Duration, duration, absl::Minutes(2),
          "How long the load and the faults run (after the warm-up); e.g. "
          "30m for the long mode.");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(10),
          "Load without faults before the fd/thread baseline is taken.");
ABSL_FLAG(uint64_t, seed, 1,
          "Seed of the workers' choices and of the emulator's fault draws.");
ABSL_FLAG(int, upload_workers, 3, "Concurrent StartImport workers.");
ABSL_FLAG(int, unary_workers, 4,
          "Concurrent GetImport/ListImports/ListImportErrors workers.");
ABSL_FLAG(std::string, report_json, "", "Also write the summary here as JSON.");
ABSL_FLAG(bool, check_rss, true,
          "Check that resident memory does not grow (off under sanitizers, "
          "whose allocators hold freed memory on purpose).");
ABSL_FLAG(std::string, log_dir, "",
          "Write the gateway's and the emulator's output here "
          "(gateway.log, emulator.log), to look into a failed check.");
ABSL_FLAG(absl::Duration, progress_every, absl::Seconds(30),
          "How often a progress line is printed.");

namespace hubspot_gateway::soak {
namespace {

using testing::Emulator;
using testing::Gateway;
using testing::TempDir;

// The emulator's ten-secondly limit outside the 429 phase: out of the way.
constexpr int kOpenRateLimit = 1000000;
constexpr int kMaxConnections = 32;
constexpr absl::Duration kIdempotencyWindow = absl::Seconds(30);
constexpr absl::Duration kQuietPeriodLimit = absl::Seconds(30);
constexpr absl::Duration kShortestRssCheck = absl::Minutes(2);

struct Secrets {
  std::string client_id, client_secret, refresh_token;
  // The soak's own private-app token, to read imports straight from the
  // emulator (the gateway does not know it).
  std::string reader_token;
};

std::string RandomHex(absl::BitGen& gen, int bytes) {
  std::string out;
  for (int i = 0; i < bytes; ++i) {
    absl::StrAppendFormat(&out, "%02x", absl::Uniform<int>(gen, 0, 256));
  }
  return out;
}

// Fresh each run: nothing to leak from the repository.
Secrets NewSecrets() {
  absl::BitGen gen;
  return {absl::StrCat("soak-client-", RandomHex(gen, 8)), RandomHex(gen, 24),
          RandomHex(gen, 24), absl::StrCat("pat-soak-", RandomHex(gen, 16))};
}

std::unique_ptr<Emulator> StartEmulator(const TempDir& dir, const Secrets& s,
                                        uint64_t seed) {
  Emulator::Options o;
  o.client_id = s.client_id;
  o.client_secret = s.client_secret;
  o.refresh_tokens = {s.refresh_token};
  o.private_app_tokens = {s.reader_token};
  o.flags = {// Imports stay cancellable long enough for the cancel worker.
             "--started_for=20s", "--processing_for=60s",
             absl::StrCat("--ten_secondly_limit=", kOpenRateLimit),
             "--daily_limit=1000000000", absl::StrCat("--fault_seed=", seed),
             // Every import kept for the checks; --undefok: an emulator without
             // the flag keeps its built-in 10000, which check 12 watches.
             "--max_imports=10000000", "--undefok=max_imports"};
  return Emulator::Start(dir, o);
}

std::unique_ptr<Gateway> StartGateway(const TempDir& dir,
                                      const Emulator& emulator,
                                      const Secrets& s,
                                      const std::string& spool) {
  const std::string credentials = absl::StrCat(
      R"({"oauth": {"tokenUrl": ")", emulator.base_url(),
      R"(/oauth/v1/token", "clientId": {"env": "SOAK_CLIENT_ID"},)",
      R"( "clientSecret": {"env": "SOAK_CLIENT_SECRET"},)",
      R"( "refreshToken": {"env": "SOAK_REFRESH_TOKEN"}}})");
  const std::string hubspot = absl::StrCat(
      R"("timeout": "10s", "maxConnections": )", kMaxConnections,
      R"(, "retry": {"interval": "0.05s", "maxWaitInterval": "1s"},)",
      R"( "circuitBreaker": {"resetTime": "2s"},)");
  // The idempotency window covers the workers' retries (seconds apart)
  // and is short so that the keys the gateway remembers reach their steady
  // number long before check 7 compares memory: with HubSpot's day they
  // would grow through any soak, by design.
  const std::string top = absl::StrCat(
      R"("shutdownGracePeriod": "5s", "upload": {"spoolDirectory": ")", spool,
      R"(", "idempotencyWindow": ")", absl::FormatDuration(kIdempotencyWindow),
      R"(", "maxConcurrentUploads": 32},)");
  return Gateway::Start(
      dir,
      testing::GatewayConfig(emulator.base_url(), credentials, hubspot, top),
      {{"SOAK_CLIENT_ID", s.client_id},
       {"SOAK_CLIENT_SECRET", s.client_secret},
       {"SOAK_REFRESH_TOKEN", s.refresh_token}});
}

int SpoolEntries(const std::string& spool) {
  int n = 0;
  std::error_code ignored;
  for (auto it = std::filesystem::directory_iterator(spool, ignored);
       it != std::filesystem::directory_iterator(); ++it) {
    ++n;
  }
  return n;
}

// A census once two in a row, 250 ms apart, agree: the gateway has closed
// what the calls that just ended held.
absl::StatusOr<ProcessCensus> SettledCensus(pid_t pid, int port,
                                            const std::string& spool) {
  absl::StatusOr<ProcessCensus> last = TakeCensus(pid, port, spool);
  for (const absl::Time give_up = absl::Now() + absl::Seconds(5);
       last.ok() && absl::Now() < give_up;) {
    absl::SleepFor(absl::Milliseconds(250));  // pacing the polls
    absl::StatusOr<ProcessCensus> next = TakeCensus(pid, port, spool);
    if (!next.ok()) return next;
    const bool same = next->fds == last->fds && next->threads == last->threads;
    last = next;
    if (same) break;
  }
  return last;
}

// Polls until the gateway is back within the slack of `baseline` (or the
// quiet period's limit passes); the last census.
absl::StatusOr<ProcessCensus> QuietCensus(pid_t pid, int port,
                                          const std::string& spool,
                                          const ProcessCensus& baseline) {
  absl::StatusOr<ProcessCensus> c;
  for (const absl::Time give_up = absl::Now() + kQuietPeriodLimit;;) {
    c = TakeCensus(pid, port, spool);
    if (!c.ok()) return c;
    const bool quiet = WithinBaseline(baseline, *c, kMaxConnections) &&
                       c->spool_files == 0 && SpoolEntries(spool) == 0;
    if (quiet || absl::Now() > give_up) return c;
    absl::SleepFor(absl::Milliseconds(250));  // pacing the polls
  }
}

int PortOf(const std::string& url) {
  int port = 0;
  (void)absl::SimpleAtoi(url.substr(url.rfind(':') + 1), &port);
  return port;
}

// Failures tests/support's helpers reported through gtest (they were
// written for tests): a secret in the gateway's output, a sanitizer report.
void CollectSupportFailures(SoakObservations* o) {
  const ::testing::TestResult& r =
      ::testing::UnitTest::GetInstance()->ad_hoc_test_result();
  for (int i = 0; i < r.total_part_count(); ++i) {
    const ::testing::TestPartResult& part = r.GetTestPartResult(i);
    if (!part.failed()) continue;
    ++o->support_failures;
    o->support_messages.push_back(std::string(part.summary()).substr(0, 500));
  }
}

// Sample lines of the gateway's Prometheus text (not comments); with
// --log_dir the text is kept there as `name`.
int MetricsSeries(const Gateway& gateway, const std::string& name) {
  const std::string text = gateway.Metrics();
  if (const std::string logs = absl::GetFlag(FLAGS_log_dir); !logs.empty()) {
    std::error_code ignored;
    std::filesystem::create_directories(logs, ignored);
    std::ofstream(absl::StrCat(logs, "/", name)) << text;
  }
  int n = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    n += !absl::StartsWith(line, "#");
  }
  return n;
}

void PrintProgress(absl::Duration done, absl::Duration total,
                   const Ledger& ledger) {
  const Ledger::Snapshot s = ledger.Take();
  int64_t calls = 0;
  for (const auto& [key, n] : s.calls) calls += n;
  std::fprintf(
      stderr,
      "chaos_soak: %s of %s: %lld calls, %zu uploads, %zu cancels, "
      "%lld INTERNAL/UNKNOWN\n",
      absl::FormatDuration(absl::Trunc(done, absl::Seconds(1))).c_str(),
      absl::FormatDuration(total).c_str(), static_cast<long long>(calls),
      s.uploads.size(), s.cancels.size(),
      static_cast<long long>(s.internal_or_unknown));
}

int Run() {
  SoakReport report;
  report.seed = absl::GetFlag(FLAGS_seed);
  report.duration = absl::GetFlag(FLAGS_duration);
  report.warmup = absl::GetFlag(FLAGS_warmup);
  report.upload_workers = absl::GetFlag(FLAGS_upload_workers);
  report.unary_workers = absl::GetFlag(FLAGS_unary_workers);
  report.credentials =
      "OAuth refresh-token grant (access tokens expired every 5-10 s)";
  report.run_id = absl::StrFormat(
      "%06x", (absl::ToUnixMicros(absl::Now()) ^ report.seed) & 0xffffff);
  SoakObservations& o = report.observations;
  if (!absl::GetFlag(FLAGS_check_rss)) {
    o.rss_not_checked = "--check_rss=false";
  } else if (report.duration < kShortestRssCheck) {
    // Quarters of a few seconds measure the heap still settling.
    o.rss_not_checked = absl::StrCat("the soak is shorter than ",
                                     absl::FormatDuration(kShortestRssCheck));
  }
  o.max_connections = kMaxConnections;

  TempDir dir;
  const std::string spool = dir.path() + "/spool";
  if (mkdir(spool.c_str(), 0700) != 0) {
    std::fprintf(stderr, "chaos_soak: cannot create %s\n", spool.c_str());
    return 2;
  }
  const Secrets secrets = NewSecrets();
  std::unique_ptr<Emulator> emulator = StartEmulator(dir, secrets, report.seed);
  if (emulator == nullptr) {
    std::fprintf(stderr, "chaos_soak: the emulator did not start (above)\n");
    return 2;
  }
  std::unique_ptr<Gateway> gateway =
      StartGateway(dir, *emulator, secrets, spool);
  if (gateway == nullptr) {
    std::fprintf(stderr, "chaos_soak: the gateway did not start (above)\n");
    return 2;
  }
  const pid_t pid = gateway->process().pid();
  const int upstream_port = PortOf(emulator->base_url());
  absl::StatusOr<ContactsUploadMaker> maker =
      ContactsUploadMaker::Create(testing::ReadSample("contacts.import.json"));
  if (!maker.ok()) {
    std::fprintf(stderr, "chaos_soak: %s\n", maker.status().ToString().c_str());
    return 2;
  }
  std::fprintf(stderr,
               "chaos_soak: run %s: emulator %s, gateway %s (pid %d), spool "
               "%s; warm-up %s, then %s of chaos\n",
               report.run_id.c_str(), emulator->base_url().c_str(),
               gateway->address().c_str(), static_cast<int>(pid), spool.c_str(),
               absl::FormatDuration(report.warmup).c_str(),
               absl::FormatDuration(report.duration).c_str());

  Ledger ledger;
  KnownImports known;
  std::atomic<int64_t> next_upload{1};
  WorkerContext context{&gateway->stub(), &ledger,      &known, &*maker,
                        report.run_id,    &next_upload, nullptr};
  WorkerPool::Sizes sizes;
  sizes.uploaders = report.upload_workers;
  sizes.readers = report.unary_workers;

  // Warm-up: the same load without faults, so that the baseline has every
  // pool (gRPC's threads, libcurl's connections) at its working size.
  {
    WorkerPool warmup(context, report.seed, sizes);
    absl::SleepFor(
        report.warmup);  // the warm-up's length, not a wait for anything
    warmup.StopAndJoin();
  }
  absl::StatusOr<ProcessCensus> baseline =
      SettledCensus(pid, upstream_port, spool);
  report.metrics_series_baseline =
      MetricsSeries(*gateway, "metrics-baseline.prom");

  // The soak.
  auto sampler = std::make_unique<ProcessSampler>(pid);
  const absl::Time soak_start = absl::Now();
  FaultDriver driver(emulator.get(), report.seed, /*expire_tokens=*/true,
                     kOpenRateLimit);
  absl::Notification faults_stop;
  std::thread faults([&] { driver.Run(faults_stop); });
  const absl::Time soak_end = soak_start + report.duration;
  {
    WorkerPool pool(context, report.seed + 1, sizes);
    for (absl::Time now = absl::Now(); now < soak_end; now = absl::Now()) {
      // Pacing the progress lines.
      absl::SleepFor(
          std::min(absl::GetFlag(FLAGS_progress_every), soak_end - now));
      if (absl::Now() < soak_end) {
        PrintProgress(absl::Now() - soak_start, report.duration, ledger);
      }
    }
    faults_stop.Notify();
    faults.join();  // the fault plan is clear and the limits restored
    pool.StopAndJoin();
  }

  // Quiet: nothing in flight; the gateway must give back what it took.
  if (baseline.ok()) {
    o.baseline = *baseline;
    absl::StatusOr<ProcessCensus> end =
        QuietCensus(pid, upstream_port, spool, o.baseline);
    if (end.ok()) {
      o.end = *end;
      o.census_ok = true;
    }
  }
  sampler->Stop();
  const std::vector<ProcessSample> samples = sampler->samples();
  o.rss_quarters = RssQuarterMeans(samples, soak_start, soak_end);
  for (const ProcessSample& s : samples) {
    report.max_fds = std::max(report.max_fds, s.fds);
    report.max_threads = std::max(report.max_threads, s.threads);
  }
  o.spool_entries = SpoolEntries(spool);
  report.metrics_series_end = MetricsSeries(*gateway, "metrics-end.prom");
  o.gateway_alive = ProcessAlive(pid);

  absl::StatusOr<EmulatorImports> imports =
      ReadEmulatorImports(*emulator, secrets.reader_token);
  if (imports.ok()) {
    o.emulator = *std::move(imports);
  } else {
    o.emulator_error = imports.status().ToString();
  }
  const google::protobuf::Struct state = emulator->State();
  auto number = [&state](const std::string& key) -> int64_t {
    auto it = state.fields().find(key);
    return it == state.fields().end()
               ? -1
               : static_cast<int64_t>(it->second.number_value());
  };
  report.faults_injected = number("faultsInjected");
  report.tokens_issued = number("tokensIssued");
  report.faults = driver.stats();
  o.ledger = ledger.Take();

  // SIGTERM: a gateway that has been through all this still drains and
  // exits 0. Then tests/support looks for secrets in what it wrote.
  gateway->process().Signal(SIGTERM);
  absl::StatusOr<int> exit_code = gateway->process().Wait(absl::Seconds(30));
  o.gateway_exit_code = exit_code.ok() ? *exit_code : -1;
  if (const std::string logs = absl::GetFlag(FLAGS_log_dir); !logs.empty()) {
    std::error_code ignored;
    std::filesystem::create_directories(logs, ignored);
    std::ofstream(logs + "/gateway.log") << gateway->Log();
    // (metrics-baseline.prom and metrics-end.prom are there already.)
    std::ofstream(logs + "/emulator.log") << emulator->process().Output();
  }
  gateway.reset();
  emulator.reset();
  CollectSupportFailures(&o);

  report.checks = RunChecks(o);
  PrintSummary(report, stdout);
  std::fflush(stdout);
  const std::string json_path = absl::GetFlag(FLAGS_report_json);
  if (!json_path.empty()) {
    std::ofstream(json_path) << SummaryJson(report) << "\n";
  }
  return report.passed() ? 0 : 1;
}

}  // namespace
}  // namespace hubspot_gateway::soak

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Chaos soak of the gateway against the HubSpot emulator; exit 0 when "
      "every check passes, 1 when one fails, 2 when it cannot start. See "
      "tests/soak/README.md.");
  absl::ParseCommandLine(argc, argv);
  // The workers' broken streams must not kill the soak.
  signal(SIGPIPE, SIG_IGN);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const int rc = hubspot_gateway::soak::Run();
  curl_global_cleanup();
  return rc;
}
