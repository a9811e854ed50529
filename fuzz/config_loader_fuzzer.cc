// The configuration loader, ParseConfig(json, env) of
// server/config/config_loader.h: protobuf's JSON parser with unknown fields
// refused, the environment overrides, the defaults and every validation.
//
// Input: the configuration file's text, optionally preceded by one line
//   //env NAME NAME ...
// naming which of the variables below are set (the rest of the environment
// is fixed; HUBSPOT_* are unset unless named). "@FIXTURE@" in the text
// stands for a directory this fuzzer makes at start-up, holding secret
// files (token, empty, blank, multiline, ctrl, ... mode 0600, and
// world_readable, 0644), a ca.pem and a spool/ directory.
//
// Files: the loader reads every {"file": PATH} secret whole and calls
// access() on TLS files and the spool directory. A fuzzed path could name
// /dev/zero, /dev/stdin, a FIFO or a huge file (a hang or an out-of-memory,
// not a finding), so an input whose configuration names any path outside
// the fixture directory (a string field called file or path, or ending in
// _file, _path, _dir or _directory, at any depth), or with "..", is refused
// before the loader sees it (returns -1: libFuzzer 15+ keeps such inputs out
// of the corpus; 14 may keep one whose cheap pre-check reached new code).
//
// Checks, beyond "no crash, no sanitizer report":
//   - a failure is INVALID_ARGUMENT;
//   - no error message carries any 10 bytes of a secret's value (file or
//     environment) that the input itself does not contain
//     (config_loader.h: "the value itself never appears in one");
//   - a configuration that loads has credentials, and printed as proto JSON
//     and loaded again, with the same environment, gives the same message
//     (the defaults and overrides are idempotent, nothing is lost).

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "fuzz/fuzz_support.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"
#include "google/protobuf/util/json_util.h"
#include "server/config/config_loader.h"

namespace hubspot_gateway::fuzz {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// The fixture's files. Each secret holds "SECRET", and no part of one may
// show in an error message.
struct SecretFile {
  const char* name;
  const char* content;
};
constexpr SecretFile kFiles[] = {
    {"token", "pat-na1-file-SECRET-0a1b2c\n"},
    {"legacy", "  legacy-file-SECRET-3d4e5f  \n"},
    {"client_id", "client-id-file-SECRET-6a7b8c"},
    {"client_secret", "client-secret-file-SECRET-9d0e1f\r\n"},
    {"refresh_token", "refresh-file-SECRET-2a3b4c\n"},
    {"proxy", "user:proxy-file-SECRET-5d6e7f\n"},
    {"redis", "redis-file-SECRET-8a9b0c\n"},
    {"multiline", "line-one-file-SECRET-1d2e3f\nline-two-file-SECRET-4a5b6c\n"},
    {"ctrl", "ctrl-file-SECRET-7d8e9f\x7f\n"},
    // Mode 0644, as a secret must not be (the others are 0600).
    {"world_readable", "world-readable-file-SECRET-0c9d8e\n"},
    {"empty", ""},
    {"blank", " \t\r\n"},
    {"ca.pem",
     "-----BEGIN CERTIFICATE-----\nnot a certificate\n"
     "-----END CERTIFICATE-----\n"},
};

// Set unless the input names it in its //env line: never HUBSPOT_*.
const std::map<std::string, std::string>& FixedEnv() {
  static const auto* const env = new std::map<std::string, std::string>{
      {"FUZZ_SECRET", "  fuzz-env-SECRET-0f1e2d \n"},
      {"FUZZ_PROXY", "user:proxy-env-SECRET-3c4b5a"},
      {"FUZZ_EMPTY", ""},
      {"FUZZ_BLANK", " \t\n"},
      {"FUZZ_CTRL", "ctrl-env-SECRET-6978a\x01tail"},
  };
  return *env;
}

// Set only when the input's //env line names them.
const std::map<std::string, std::string>& OptionalEnv() {
  static const auto* const env = new std::map<std::string, std::string>{
      {"HUBSPOT_ACCESS_TOKEN", "pat-na1-env-SECRET-a1b2c3"},
      {"HUBSPOT_PRIVATE_APP_LEGACY_KEY", "legacy-env-SECRET-d4e5f6"},
      {"HUBSPOT_CLIENT_ID", "client-id-env-SECRET-a7b8c9"},
      {"HUBSPOT_CLIENT_SECRET", "client-secret-env-SECRET-d0e1f2"},
      {"HUBSPOT_REFRESH_TOKEN", "refresh-env-SECRET-a3b4c5"},
      {"HUBSPOT_BASE_URL", "http://127.0.0.1:8080/"},
      {"HUBSPOT_TOKEN_URL", "http://127.0.0.1:8080/oauth/v1/token"},
      {"HUBSPOT_GATEWAY_LISTEN_ADDRESS", "127.0.0.1:0"},
      {"HUBSPOT_EMPTY_FOR_FUZZ", ""},
  };
  return *env;
}

// Every 10-byte piece of the secret values above (their words, split at
// white space and control characters), so that a message quoting part of
// a secret is caught too. ca.pem and the URLs and addresses are no secrets.
const std::vector<std::string>& SecretPieces() {
  static const auto* const pieces = [] {
    constexpr size_t kPiece = 10;
    std::set<std::string> out;
    auto collect = [&out](absl::string_view value) {
      for (absl::string_view word :
           absl::StrSplit(value, absl::ByAnyChar(" \t\r\n\x01\x7f"),
                          absl::SkipEmpty())) {
        for (size_t i = 0; i + kPiece <= word.size(); ++i) {
          out.emplace(word.substr(i, kPiece));
        }
      }
    };
    for (const SecretFile& f : kFiles) {
      if (absl::string_view(f.name) != "ca.pem") collect(f.content);
    }
    for (const auto& [name, value] : FixedEnv()) collect(value);
    for (const auto& [name, value] : OptionalEnv()) {
      if (absl::StrContains(value, "SECRET")) collect(value);
    }
    return new std::vector<std::string>(out.begin(), out.end());
  }();
  return *pieces;
}

std::string* fixture_dir = nullptr;

void RemoveFixture() {
  if (fixture_dir == nullptr) return;
  std::error_code ignored;
  std::filesystem::remove_all(*fixture_dir, ignored);
}

void MakeFixture() {
  const char* tmp = getenv("TMPDIR");
  std::string pattern =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
      "/config-loader-fuzz.XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    std::perror("mkdtemp");
    std::abort();
  }
  fixture_dir = new std::string(pattern);
  for (const SecretFile& f : kFiles) {
    const std::string path = *fixture_dir + "/" + f.name;
    {
      std::ofstream out(path, std::ios::binary);
      out << f.content;
    }
    chmod(path.c_str(), absl::string_view(f.name) == "world_readable" ||
                                absl::string_view(f.name) == "ca.pem"
                            ? 0644
                            : 0600);
  }
  std::filesystem::create_directory(*fixture_dir + "/spool");
  std::atexit(RemoveFixture);
}

bool IsPathField(const FieldDescriptor* f) {
  if (f->cpp_type() != FieldDescriptor::CPPTYPE_STRING) return false;
  const std::string& n = f->name();
  return n == "file" || n == "path" || absl::EndsWith(n, "_file") ||
         absl::EndsWith(n, "_path") || absl::EndsWith(n, "_dir") ||
         absl::EndsWith(n, "_directory");
}

bool IsSafePath(const std::string& path) {
  if (path.empty()) return true;
  // As the loader's open() and access() see it: up to the first NUL.
  const absl::string_view p(path.c_str());
  if (absl::StrContains(p, "..")) return false;
  return p == *fixture_dir || absl::StartsWith(p, *fixture_dir + "/");
}

// Every path-like string in `m`, at any depth, stays in the fixture.
bool PathsAreSafe(const Message& m) {
  const google::protobuf::Descriptor* d = m.GetDescriptor();
  const google::protobuf::Reflection* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (IsPathField(f)) {
      if (f->is_repeated()) {
        for (int j = 0; j < r->FieldSize(m, f); ++j) {
          if (!IsSafePath(r->GetRepeatedString(m, f, j))) return false;
        }
      } else if (!IsSafePath(r->GetString(m, f))) {
        return false;
      }
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int j = 0; j < r->FieldSize(m, f); ++j) {
          if (!PathsAreSafe(r->GetRepeatedMessage(m, f, j))) return false;
        }
      } else if (r->HasField(m, f) && !PathsAreSafe(r->GetMessage(m, f))) {
        return false;
      }
    }
  }
  return true;
}

// The input split into the configuration text and the environment.
struct Case {
  std::string json;
  std::set<std::string> env_names;
};

Case Split(absl::string_view input) {
  Case c;
  if (absl::ConsumePrefix(&input, "//env")) {
    const size_t eol = input.find('\n');
    const absl::string_view names = input.substr(0, eol);
    input = eol == absl::string_view::npos ? "" : input.substr(eol + 1);
    for (absl::string_view name :
         absl::StrSplit(names, ' ', absl::SkipWhitespace())) {
      c.env_names.emplace(absl::StripAsciiWhitespace(name));
    }
  }
  c.json = absl::StrReplaceAll(input, {{"@FIXTURE@", *fixture_dir}});
  return c;
}

EnvLookup EnvFor(const std::set<std::string>& names) {
  return [names](absl::string_view name) -> std::optional<std::string> {
    const std::string key(name);
    if (auto it = FixedEnv().find(key); it != FixedEnv().end()) {
      return it->second;
    }
    if (names.count(key) > 0) {
      if (auto it = OptionalEnv().find(key); it != OptionalEnv().end()) {
        return it->second;
      }
    }
    return std::nullopt;
  };
}

// Parsed as ParseConfig parses (the same options), or nullopt when
// ParseConfig will stop at the parse.
std::optional<GatewayConfig> PreParse(const std::string& json) {
  GatewayConfig config;
  if (absl::StripAsciiWhitespace(json).empty()) return config;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  if (!google::protobuf::util::JsonStringToMessage(json, &config, options)
           .ok()) {
    return std::nullopt;
  }
  return config;
}

}  // namespace
}  // namespace hubspot_gateway::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  hubspot_gateway::fuzz::MakeFixture();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hubspot_gateway;
  using namespace hubspot_gateway::fuzz;
  const Case c =
      Split(absl::string_view(reinterpret_cast<const char*>(data), size));
  if (std::optional<GatewayConfig> pre = PreParse(c.json);
      pre.has_value() && !PathsAreSafe(*pre)) {
    if (Verbose()) std::fprintf(stderr, "refused: a path outside @FIXTURE@\n");
    return -1;  // Would read or probe files outside the fixture.
  }
  const EnvLookup env = EnvFor(c.env_names);

  absl::StatusOr<GatewayConfig> config = ParseConfig(c.json, env);
  if (Verbose()) {
    std::fprintf(stderr, "ParseConfig: %s\n",
                 config.ok() ? "OK" : config.status().ToString().c_str());
  }
  if (!config.ok()) {
    FUZZ_CHECK(config.status().code() == absl::StatusCode::kInvalidArgument,
               "%s", config.status().ToString().c_str());
    const absl::string_view message = config.status().message();
    for (const std::string& piece : SecretPieces()) {
      FUZZ_CHECK(!absl::StrContains(message, piece) ||
                     absl::StrContains(c.json, piece),
                 "part of a secret (%s) in the error: %s", piece.c_str(),
                 std::string(message).c_str());
    }
    return 0;
  }

  // Every HubSpot account (`hubspot`, or each of hubspotAccounts) has
  // credentials.
  for (const HubSpotAccountConfig& account : HubSpotAccountsOf(*config)) {
    FUZZ_CHECK(account.upstream->credentials().kind_case() !=
                   hubspot::crm::imports::gateway::v1::Credentials::KIND_NOT_SET,
               "account %s loaded without credentials: %s",
               account.name.c_str(), config->ShortDebugString().c_str());
  }
  std::string printed;
  const auto p = google::protobuf::util::MessageToJsonString(*config, &printed);
  FUZZ_CHECK(p.ok(), "a loaded configuration does not print: %s",
             p.ToString().c_str());
  absl::StatusOr<GatewayConfig> again = ParseConfig(printed, env);
  FUZZ_CHECK(again.ok(), "the printed configuration %s does not load: %s",
             printed.c_str(), again.status().ToString().c_str());
  FUZZ_CHECK(SameMessage(*config, *again),
             "loading the printed configuration changed it");
  return 0;
}
