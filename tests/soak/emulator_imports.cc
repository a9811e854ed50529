#include "tests/soak/emulator_imports.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/common/json.h"

namespace hubspot_gateway::soak {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

constexpr int64_t kFirstImportId = 40000001;
// Ids past the last import that are tried before the walk stops.
constexpr int64_t kMissesPastTheEnd = 100;
// An evicted stretch is never this long in a soak.
constexpr int64_t kGiveUpAfterMisses = 200000;

std::string Text(const Struct& s, const std::string& key) {
  auto it = s.fields().find(key);
  return it == s.fields().end() ? "" : it->second.string_value();
}

// An id written as a JSON string (HubSpot's way) or as a number.
int64_t Id(const Value& v) {
  if (v.has_number_value()) return static_cast<int64_t>(v.number_value());
  int64_t id = 0;
  return absl::SimpleAtoi(v.string_value(), &id) ? id : 0;
}

absl::StatusOr<EmulatorImports> FromControlList(const std::string& body) {
  absl::StatusOr<Struct> root = ParseJsonObject(body);
  if (!root.ok()) return root.status();
  EmulatorImports out;
  out.source = "GET /__emulator/imports";
  auto evicted = root->fields().find("evicted");
  if (evicted != root->fields().end()) {
    out.evicted = static_cast<int64_t>(evicted->second.number_value());
  }
  auto list = root->fields().find("imports");
  if (list == root->fields().end()) {
    return absl::InvalidArgumentError(
        "GET /__emulator/imports: no \"imports\"");
  }
  for (const Value& v : list->second.list_value().values()) {
    const Struct& s = v.struct_value();
    auto id = s.fields().find("id");
    out.imports.push_back({id == s.fields().end() ? 0 : Id(id->second),
                           Text(s, "name"), Text(s, "state")});
  }
  return out;
}

absl::StatusOr<EmulatorImports> OneByOne(testing::Emulator& emulator,
                                         const std::string& token) {
  const Struct state = emulator.State();
  const auto count = state.fields().find("imports");
  const int64_t held = count == state.fields().end()
                           ? 0
                           : static_cast<int64_t>(count->second.number_value());
  EmulatorImports out;
  out.source = "GET /crm/v3/imports/{id}, one by one";
  const std::vector<std::string> auth = {
      absl::StrCat("Authorization: Bearer ", token)};
  int64_t misses = 0;  // in a row
  int64_t missed_below = 0;
  for (int64_t id = kFirstImportId;
       static_cast<int64_t>(out.imports.size()) < held ||
       misses < kMissesPastTheEnd;
       ++id) {
    std::string body;
    const long status = emulator.Call(
        "GET", absl::StrCat("/crm/v3/imports/", id), "", &body, auth);
    if (status == 404) {
      if (++misses > kGiveUpAfterMisses) {
        return absl::NotFoundError(absl::StrCat(
            "found ", out.imports.size(), " of the emulator's ", held,
            " imports by id; the rest are not where its ids would be"));
      }
      continue;
    }
    if (status != 200) {
      return absl::UnavailableError(
          absl::StrCat("GET /crm/v3/imports/", id, ": HTTP ", status));
    }
    absl::StatusOr<Struct> s = ParseJsonObject(body);
    if (!s.ok()) return s.status();
    // Ids are never reused: misses below a found import were evicted.
    missed_below += misses;
    misses = 0;
    out.imports.push_back({id, Text(*s, "importName"), Text(*s, "state")});
  }
  out.evicted = missed_below;
  return out;
}

}  // namespace

absl::StatusOr<EmulatorImports> ReadEmulatorImports(testing::Emulator& emulator,
                                                    const std::string& token) {
  std::string body;
  const long status = emulator.Call("GET", "/__emulator/imports", "", &body);
  if (status == 200) return FromControlList(body);
  if (status != 404) {
    return absl::UnavailableError(
        absl::StrCat("GET /__emulator/imports: HTTP ", status, ": ", body));
  }
  return OneByOne(emulator, token);
}

}  // namespace hubspot_gateway::soak
