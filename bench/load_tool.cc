// Measures GetImport through the gateway next to the same HubSpot stand-in
// called directly over HTTP, in one run: requests/s and latency percentiles
// at 1 and at N calls in flight, and the gateway/direct ratios.

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "hubspot/crm/imports/v1/import_service.grpc.pb.h"

ABSL_FLAG(std::string, gateway, "127.0.0.1:50051", "Gateway address.");
ABSL_FLAG(std::string, direct_url, "http://127.0.0.1:8089/crm/v3/imports/103",
          "The same import on the HubSpot stand-in, called directly.");
ABSL_FLAG(std::string, token_env, "HUBSPOT_ACCESS_TOKEN",
          "Environment variable holding the bearer token for direct calls.");
ABSL_FLAG(int64_t, import_id, 103, "Import to read through the gateway.");
ABSL_FLAG(std::vector<std::string>, in_flight,
          std::vector<std::string>({"1", "64"}),
          "Calls kept in flight, one measurement each.");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "Measurement per case.");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(2), "Warm-up per case.");
ABSL_FLAG(std::string, upload_file, "",
          "Instead of GetImport: one StartImport of this CSV through the "
          "gateway, next to the same multipart POST sent directly.");
ABSL_FLAG(int, upload_chunk_kib, 1024,
          "Bytes of file per StartImport message, in KiB (at most 4000).");
ABSL_FLAG(int, upload_parallel, 1,
          "Uploads run at once, through the gateway and directly.");
ABSL_FLAG(int, upload_rounds, 1,
          "Rounds of direct-then-gateway uploads; medians are reported.");
ABSL_FLAG(std::string, upload_url, "http://127.0.0.1:8089/crm/v3/imports",
          "The stand-in's upload URL, for the direct upload.");

namespace {

namespace v1 = ::hubspot::crm::imports::v1;
using Clock = std::chrono::steady_clock;

struct Result {
  double rps = 0;
  double p50_us = 0;
  double p99_us = 0;
  int64_t errors = 0;
};

// Collects latencies once the warm-up is over.
class Recorder {
 public:
  explicit Recorder(absl::Time measure_from) : from_(measure_from) {}
  void Record(Clock::duration latency, bool ok) {
    if (absl::Now() < from_) return;
    absl::MutexLock lock(&mu_);
    if (!ok) ++errors_;
    micros_.push_back(
        std::chrono::duration<double, std::micro>(latency).count());
  }
  Result Finish(absl::Duration measured) {
    absl::MutexLock lock(&mu_);
    Result r;
    r.errors = errors_;
    if (micros_.empty()) return r;
    std::sort(micros_.begin(), micros_.end());
    r.rps = micros_.size() / absl::ToDoubleSeconds(measured);
    r.p50_us = micros_[micros_.size() / 2];
    r.p99_us = micros_[std::min(micros_.size() - 1, micros_.size() * 99 / 100)];
    return r;
  }

 private:
  const absl::Time from_;
  absl::Mutex mu_;
  std::vector<double> micros_ ABSL_GUARDED_BY(mu_);
  int64_t errors_ ABSL_GUARDED_BY(mu_) = 0;
};

// Keeps `in_flight` GetImport calls going with the completion-queue API,
// driven from this one thread (as the direct client below is).
Result RunGrpc(v1::ImportService::Stub& stub, int in_flight) {
  const absl::Duration warmup = absl::GetFlag(FLAGS_warmup);
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);
  Recorder recorder(absl::Now() + warmup);
  const absl::Time end = absl::Now() + warmup + duration;
  grpc::CompletionQueue cq;
  struct Slot {
    std::unique_ptr<grpc::ClientContext> context;
    std::unique_ptr<grpc::ClientAsyncResponseReader<v1::Import>> reader;
    v1::GetImportRequest request;
    v1::Import response;
    grpc::Status status;
    Clock::time_point started;
  };
  std::vector<Slot> slots(in_flight);
  auto issue = [&](Slot& slot) {
    slot.context = std::make_unique<grpc::ClientContext>();
    slot.started = Clock::now();
    slot.reader = stub.AsyncGetImport(slot.context.get(), slot.request, &cq);
    slot.reader->Finish(&slot.response, &slot.status, &slot);
  };
  for (Slot& slot : slots) {
    slot.request.set_import_id(absl::GetFlag(FLAGS_import_id));
    issue(slot);
  }
  int running = in_flight;
  void* tag = nullptr;
  bool ok = false;
  while (running > 0 && cq.Next(&tag, &ok)) {
    Slot& slot = *static_cast<Slot*>(tag);
    recorder.Record(Clock::now() - slot.started, ok && slot.status.ok());
    if (absl::Now() < end) {
      issue(slot);
    } else {
      --running;
    }
  }
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return recorder.Finish(duration);
}

size_t Discard(char*, size_t size, size_t nmemb, void*) { return size * nmemb; }

// Keeps `in_flight` GETs going with libcurl's multi interface, as a
// well-written direct client would.
Result RunDirect(const std::string& url, const std::string& token,
                 int in_flight) {
  const absl::Duration warmup = absl::GetFlag(FLAGS_warmup);
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);
  Recorder recorder(absl::Now() + warmup);
  const absl::Time end = absl::Now() + warmup + duration;
  CURLM* multi = curl_multi_init();
  curl_slist* headers = nullptr;
  headers =
      curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
  headers = curl_slist_append(headers, "Accept: application/json");
  struct Handle {
    CURL* easy;
    Clock::time_point started;
  };
  std::vector<Handle> handles(in_flight);
  auto issue = [&](Handle& h) {
    h.started = Clock::now();
    curl_multi_add_handle(multi, h.easy);
  };
  for (Handle& h : handles) {
    h.easy = curl_easy_init();
    curl_easy_setopt(h.easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h.easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h.easy, CURLOPT_WRITEFUNCTION, &Discard);
    curl_easy_setopt(h.easy, CURLOPT_PRIVATE, &h);
    curl_easy_setopt(h.easy, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h.easy, CURLOPT_PROXY, "");
    issue(h);
  }
  int running = in_flight;
  while (running > 0) {
    int still = 0;
    curl_multi_perform(multi, &still);
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Handle* h = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &h);
      long status = 0;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
      const bool ok = msg->data.result == CURLE_OK && status == 200;
      curl_multi_remove_handle(multi, msg->easy_handle);
      recorder.Record(Clock::now() - h->started, ok);
      if (absl::Now() < end) {
        issue(*h);
      } else {
        --running;
      }
    }
    curl_multi_poll(multi, nullptr, 0, 100, nullptr);
  }
  for (Handle& h : handles) curl_easy_cleanup(h.easy);
  curl_slist_free_all(headers);
  curl_multi_cleanup(multi);
  return recorder.Finish(duration);
}

constexpr char kUploadRequest[] =
    R"({"name":"bench upload","files":[{"fileName":"bench.csv",)"
    R"("fileFormat":"CSV","fileImportPage":{"hasHeader":true,)"
    R"("columnMappings":[{"columnName":"email","propertyName":"email",)"
    R"("columnObjectTypeId":"0-1"}]}}]})";

// Seconds for one StartImport of `path` through the gateway.
double UploadThroughGateway(v1::ImportService::Stub& stub,
                            const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  const int64_t size = in.tellg();
  in.seekg(0);
  const absl::Time start = absl::Now();
  grpc::ClientContext context;
  v1::Import import;
  auto writer = stub.StartImport(&context, &import);
  v1::StartImportRequest m;
  m.mutable_start()->set_import_request_json(kUploadRequest);
  v1::UploadFile* file = m.mutable_start()->add_files();
  file->set_file_name("bench.csv");
  file->set_size_bytes(size);
  writer->Write(m);
  // Read straight into one reused message: a caller's fair share of work.
  const size_t chunk_bytes =
      static_cast<size_t>(absl::GetFlag(FLAGS_upload_chunk_kib)) * 1024;
  v1::StartImportRequest chunk;
  std::string* data = chunk.mutable_chunk()->mutable_data();
  while (in) {
    data->resize(chunk_bytes);
    in.read(data->data(), static_cast<std::streamsize>(chunk_bytes));
    if (in.gcount() <= 0) break;
    data->resize(static_cast<size_t>(in.gcount()));
    if (!writer->Write(chunk)) break;
  }
  v1::StartImportRequest end;
  end.mutable_end();
  writer->Write(end);
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  if (!status.ok()) {
    std::fprintf(stderr, "gateway upload failed: %s\n",
                 status.error_message().c_str());
    return -1;
  }
  return absl::ToDoubleSeconds(absl::Now() - start);
}

// Seconds for the same upload sent straight to the stand-in by libcurl.
double UploadDirect(const std::string& url, const std::string& token,
                    const std::string& path) {
  CURL* curl = curl_easy_init();
  curl_mime* mime = curl_mime_init(curl);
  curl_mimepart* part = curl_mime_addpart(mime);
  curl_mime_name(part, "importRequest");
  curl_mime_data(part, kUploadRequest, CURL_ZERO_TERMINATED);
  curl_mime_type(part, "application/json");
  part = curl_mime_addpart(mime);
  curl_mime_name(part, "files");
  curl_mime_filedata(part, path.c_str());
  curl_mime_filename(part, "bench.csv");
  curl_mime_type(part, "text/csv");
  curl_slist* headers =
      curl_slist_append(nullptr, ("Authorization: Bearer " + token).c_str());
  headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Discard);
  curl_easy_setopt(curl, CURLOPT_PROXY, "");
  const absl::Time start = absl::Now();
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  curl_slist_free_all(headers);
  curl_mime_free(mime);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK || status != 200) {
    std::fprintf(stderr, "direct upload failed: %s, HTTP %ld\n",
                 curl_easy_strerror(rc), status);
    return -1;
  }
  return seconds;
}

// Seconds until `parallel` copies of `upload` all finished, run at once.
template <typename Upload>
double Parallel(int parallel, Upload upload) {
  std::vector<double> each(static_cast<size_t>(parallel), 0);
  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int i = 0; i < parallel; ++i) {
    threads.emplace_back([&each, &upload, i] { each[i] = upload(); });
  }
  for (std::thread& t : threads) t.join();
  for (double seconds : each) {
    if (seconds <= 0) return -1;
  }
  return absl::ToDoubleSeconds(absl::Now() - start);
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int RunUploads(v1::ImportService::Stub& stub, const std::string& token) {
  const std::string path = absl::GetFlag(FLAGS_upload_file);
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  const int parallel = std::max(1, absl::GetFlag(FLAGS_upload_parallel));
  const int rounds = std::max(1, absl::GetFlag(FLAGS_upload_rounds));
  const int chunk_kib = absl::GetFlag(FLAGS_upload_chunk_kib);
  if (chunk_kib < 1 || chunk_kib > 4000) {
    std::fprintf(stderr, "--upload_chunk_kib must be between 1 and 4000\n");
    return 2;
  }
  const double mib =
      static_cast<double>(in.tellg()) / (1 << 20) * parallel;
  // Alternating rounds, so that the machine's drift touches both paths.
  std::vector<double> direct, gateway, ratios;
  for (int round = 0; round < rounds; ++round) {
    direct.push_back(Parallel(parallel, [&] {
      return UploadDirect(absl::GetFlag(FLAGS_upload_url), token, path);
    }));
    gateway.push_back(
        Parallel(parallel, [&] { return UploadThroughGateway(stub, path); }));
    if (direct.back() <= 0 || gateway.back() <= 0) return 1;
    ratios.push_back(gateway.back() / direct.back());
    std::printf("# round %d: direct %.2f s, gateway %.2f s\n", round + 1,
                direct.back(), gateway.back());
  }
  std::printf("%-8s %10s %10s %10s   (%d upload%s at once, median of %d)\n",
              "path", "MiB", "seconds", "MiB/s", parallel,
              parallel == 1 ? "" : "s", rounds);
  std::printf("%-8s %10.0f %10.2f %10.0f\n", "direct", mib, Median(direct),
              mib / Median(direct));
  std::printf("%-8s %10.0f %10.2f %10.0f\n", "gateway", mib, Median(gateway),
              mib / Median(gateway));
  std::printf("\nratio gateway/direct: time %.2fx (median of the rounds' "
              "ratios)\n",
              Median(ratios));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const char* token = std::getenv(absl::GetFlag(FLAGS_token_env).c_str());
  if (token == nullptr) {
    std::fprintf(stderr, "set %s to the stand-in's token\n",
                 absl::GetFlag(FLAGS_token_env).c_str());
    return 2;
  }
  grpc::ChannelArguments args;
  // One HTTP/2 connection per in-flight call would not be a fair client;
  // gRPC multiplexes, as callers of the gateway do.
  auto channel = grpc::CreateCustomChannel(
      absl::GetFlag(FLAGS_gateway), grpc::InsecureChannelCredentials(), args);
  auto stub = v1::ImportService::NewStub(channel);
  if (!absl::GetFlag(FLAGS_upload_file).empty())
    return RunUploads(*stub, token);

  std::printf("%-10s %-8s %12s %10s %10s %8s\n", "in flight", "path",
              "requests/s", "p50 µs", "p99 µs", "errors");
  std::vector<std::pair<int, std::pair<Result, Result>>> rows;
  for (const std::string& n : absl::GetFlag(FLAGS_in_flight)) {
    const int in_flight = std::stoi(n);
    const Result direct =
        RunDirect(absl::GetFlag(FLAGS_direct_url), token, in_flight);
    std::printf("%-10d %-8s %12.0f %10.0f %10.0f %8lld\n", in_flight, "direct",
                direct.rps, direct.p50_us, direct.p99_us,
                static_cast<long long>(direct.errors));
    const Result gateway = RunGrpc(*stub, in_flight);
    std::printf("%-10d %-8s %12.0f %10.0f %10.0f %8lld\n", in_flight, "gateway",
                gateway.rps, gateway.p50_us, gateway.p99_us,
                static_cast<long long>(gateway.errors));
    std::fflush(stdout);
    rows.push_back({in_flight, {direct, gateway}});
  }
  std::printf("\nratios gateway/direct\n");
  for (const auto& [n, pair] : rows) {
    const auto& [direct, gateway] = pair;
    std::printf("%3d in flight: throughput %.2fx, p50 %.2fx, p99 %.2fx\n", n,
                gateway.rps / direct.rps, gateway.p50_us / direct.p50_us,
                gateway.p99_us / direct.p99_us);
  }
  bool failed = false;
  for (const auto& [n, pair] : rows) {
    failed |= pair.first.errors > 0 || pair.second.errors > 0 ||
              pair.first.rps == 0 || pair.second.rps == 0;
  }
  return failed ? 1 : 0;
}
