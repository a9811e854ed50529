// hubspot-imports: the gateway's command-line client.
//
//   hubspot-imports upload --request=request.json FILE...
//   hubspot-imports health [--service=NAME]
//
// upload streams FILEs to the gateway's StartImport (the request is
// HubSpot's importRequest JSON; each FILE's base name must appear in its
// files[].fileName), shows progress on a terminal, and prints the import
// HubSpot started as JSON.
//
// health asks the gateway's grpc.health.v1 service and exits 0 only when it
// answers SERVING: the container image's HEALTHCHECK, and a quick check by
// hand ("hubspot" is the way to HubSpot, "" the gateway itself).

#include <openssl/evp.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "hubspot/crm/imports/v1/import_service.grpc.pb.h"

ABSL_FLAG(std::string, gateway, "127.0.0.1:50051", "The gateway's address.");
ABSL_FLAG(std::string, request, "",
          "File with HubSpot's importRequest JSON (upload).");
ABSL_FLAG(bool, sha256, false,
          "Hash each file first and let the gateway verify it on arrival.");
ABSL_FLAG(int, chunk_kib, 1024,
          "Bytes per message, in KiB (1 to 4000: the gateway takes messages "
          "of up to 4 MiB).");
ABSL_FLAG(std::string, service, "",
          "The health service to ask about (health); empty: the gateway.");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(3),
          "Deadline of the health check (health).");
ABSL_FLAG(std::string, idempotency_key, "",
          "Running the same upload again with the same key returns the "
          "import already created instead of starting another.");

namespace {

namespace v1 = ::hubspot::crm::imports::v1;

int Fail(const std::string& message) {
  std::fprintf(stderr, "hubspot-imports: %s\n", message.c_str());
  return 2;
}

std::string Sha256Of(const std::string& path) {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(),
                                                         &EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  std::ifstream in(path, std::ios::binary);
  std::vector<char> buffer(1 << 20);
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) ||
         in.gcount() > 0) {
    EVP_DigestUpdate(ctx.get(), buffer.data(),
                     static_cast<size_t>(in.gcount()));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  return std::string(reinterpret_cast<char*>(digest), length);
}

// A one-line progress bar on stderr, redrawn at most ten times a second,
// only when stderr is a terminal.
class Progress {
 public:
  explicit Progress(int64_t total) : total_(total), tty_(isatty(2) != 0) {}
  void Add(int64_t bytes) {
    sent_ += bytes;
    const absl::Time now = absl::Now();
    if (!tty_ || (now - drawn_ < absl::Milliseconds(100) && sent_ < total_)) {
      return;
    }
    drawn_ = now;
    const double seconds = std::max(1e-3, absl::ToDoubleSeconds(now - start_));
    const double fraction =
        total_ > 0 ? static_cast<double>(sent_) / total_ : 1.0;
    const int filled = static_cast<int>(fraction * 30);
    std::fprintf(stderr, "\r[%s%s] %3.0f%%  %.1f / %.1f MiB  %.1f MiB/s ",
                 std::string(filled, '#').c_str(),
                 std::string(30 - filled, '.').c_str(), fraction * 100,
                 sent_ / 1048576.0, total_ / 1048576.0,
                 sent_ / 1048576.0 / seconds);
  }
  void Done() {
    if (tty_) std::fprintf(stderr, "\n");
  }

 private:
  const int64_t total_;
  const bool tty_;
  int64_t sent_ = 0;
  const absl::Time start_ = absl::Now();
  absl::Time drawn_ = absl::InfinitePast();
};

int Upload(const std::vector<std::string>& files) {
  const std::string request_path = absl::GetFlag(FLAGS_request);
  if (request_path.empty()) return Fail("upload needs --request=FILE");
  const int chunk_kib = absl::GetFlag(FLAGS_chunk_kib);
  if (chunk_kib < 1 || chunk_kib > 4000) {
    return Fail("--chunk_kib must be between 1 and 4000");
  }
  if (files.empty()) return Fail("upload needs at least one FILE");
  std::ifstream request_file(request_path);
  if (!request_file) return Fail("cannot read --request " + request_path);
  std::stringstream request_json;
  request_json << request_file.rdbuf();

  v1::StartImportRequest start;
  start.mutable_start()->set_import_request_json(request_json.str());
  start.mutable_start()->set_idempotency_key(
      absl::GetFlag(FLAGS_idempotency_key));
  int64_t total = 0;
  for (const std::string& path : files) {
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    if (error) return Fail("cannot read " + path + ": " + error.message());
    v1::UploadFile* file = start.mutable_start()->add_files();
    file->set_file_name(std::filesystem::path(path).filename().string());
    file->set_size_bytes(static_cast<int64_t>(size));
    if (absl::GetFlag(FLAGS_sha256)) file->set_sha256(Sha256Of(path));
    total += static_cast<int64_t>(size);
  }

  auto channel = grpc::CreateChannel(absl::GetFlag(FLAGS_gateway),
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::ImportService::NewStub(channel);
  grpc::ClientContext context;
  v1::Import import;
  auto writer = stub->StartImport(&context, &import);
  Progress progress(total);
  bool streaming = writer->Write(start);
  std::vector<char> buffer(static_cast<size_t>(chunk_kib) * 1024);
  for (size_t i = 0; i < files.size() && streaming; ++i) {
    std::ifstream in(files[i], std::ios::binary);
    while (streaming && (in.read(buffer.data(),
                                 static_cast<std::streamsize>(buffer.size())) ||
                         in.gcount() > 0)) {
      v1::StartImportRequest chunk;
      chunk.mutable_chunk()->set_file_index(static_cast<uint32_t>(i));
      chunk.mutable_chunk()->set_data(buffer.data(),
                                      static_cast<size_t>(in.gcount()));
      streaming = writer->Write(chunk);
      progress.Add(in.gcount());
    }
  }
  if (streaming) {
    v1::StartImportRequest end;
    end.mutable_end();
    writer->Write(end);
  }
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  progress.Done();
  if (!status.ok()) {
    return Fail(absl::StrFormat("StartImport failed (%d): %s",
                                static_cast<int>(status.error_code()),
                                status.error_message()));
  }
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  google::protobuf::util::MessageToJsonString(import, &json, options);
  std::printf("%s", json.c_str());
  return 0;
}

int Health() {
  namespace health = ::grpc::health::v1;
  auto channel = grpc::CreateChannel(absl::GetFlag(FLAGS_gateway),
                                     grpc::InsecureChannelCredentials());
  auto stub = health::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(
      absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_timeout)));
  health::HealthCheckRequest request;
  request.set_service(absl::GetFlag(FLAGS_service));
  health::HealthCheckResponse response;
  const grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) {
    return Fail(absl::StrFormat("health check failed (%d): %s",
                                static_cast<int>(status.error_code()),
                                status.error_message()));
  }
  const std::string state =
      health::HealthCheckResponse::ServingStatus_Name(response.status());
  std::printf("%s\n", state.c_str());
  return response.status() == health::HealthCheckResponse::SERVING ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "hubspot-imports upload --request=request.json FILE...\n"
      "hubspot-imports health [--service=NAME]\n"
      "upload streams FILEs through the gateway's StartImport and prints "
      "the import; health exits 0 when the gateway reports SERVING.");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  const std::string command = args.size() >= 2 ? args[1] : "";
  if (command == "upload") {
    return Upload(std::vector<std::string>(args.begin() + 2, args.end()));
  }
  if (command == "health" && args.size() == 2) return Health();
  return Fail(
      "usage: hubspot-imports upload --request=request.json FILE...\n"
      "       hubspot-imports health [--service=NAME]");
}
