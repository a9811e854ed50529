#include "server/access/caller_registry.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace hubspot_gateway {
namespace {

namespace cfg = ::hubspot::crm::imports::gateway::v1;

absl::Status FieldError(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

absl::StatusOr<std::array<unsigned char, 32>> ParseSha256Hex(
    absl::string_view hex, absl::string_view field) {
  std::string lower = absl::AsciiStrToLower(hex);
  bool valid = lower.size() == 64;
  for (char c : lower) valid = valid && absl::ascii_isxdigit(c);
  if (!valid) {
    return FieldError(field,
                      "must be a SHA-256 in hex (64 characters; "
                      "printf %s \"$TOKEN\" | sha256sum)");
  }
  const std::string bytes = absl::HexStringToBytes(lower);
  std::array<unsigned char, 32> digest;
  std::copy(bytes.begin(), bytes.end(), digest.begin());
  return digest;
}

absl::StatusOr<std::array<bool, 4>> ParsePermissions(
    const google::protobuf::RepeatedField<int>& permissions,
    absl::string_view field) {
  std::array<bool, 4> set = {};
  for (int p : permissions) {
    if (p <= cfg::PERMISSION_UNSPECIFIED || p > cfg::PERMISSION_CANCEL) {
      return FieldError(field,
                        "permissions are PERMISSION_READ, PERMISSION_START "
                        "and PERMISSION_CANCEL");
    }
    set[static_cast<size_t>(p)] = true;
  }
  return set;
}

absl::string_view RpcsNeeding(Permission permission) {
  switch (permission) {
    case cfg::PERMISSION_READ:
      return "ListImports, GetImport and ListImportErrors";
    case cfg::PERMISSION_START:
      return "StartImport";
    case cfg::PERMISSION_CANCEL:
      return "CancelImport";
    default:
      return "";
  }
}

// Quotes a caller-supplied value in a message: escaped, and short.
std::string Quoted(absl::string_view value) {
  constexpr size_t kMax = 40;
  return absl::StrCat("\"", absl::CHexEscape(value.substr(0, kMax)),
                      value.size() > kMax ? "…" : "", "\"");
}

// Fills `caller`'s accounts from its configured `granted` list and
// `default_account` (the entry `field` of the file).
absl::Status GrantAccounts(
    const google::protobuf::RepeatedPtrField<std::string>& granted,
    const std::string& default_account, const HubSpotAccountNames& accounts,
    absl::string_view field, absl::string_view default_field,
    Caller* caller) {
  absl::flat_hash_set<std::string> names(accounts.names.begin(),
                                         accounts.names.end());
  absl::flat_hash_set<std::string> chosen;
  for (int j = 0; j < granted.size(); ++j) {
    const std::string& name = granted[j];
    if (name == "*") {
      chosen.insert(names.begin(), names.end());
    } else if (names.contains(name)) {
      chosen.insert(name);
    } else {
      return FieldError(absl::StrCat(field, "[", j, "]"),
                        absl::StrCat("no HubSpot account ", Quoted(name),
                                     "; the gateway has ",
                                     absl::StrJoin(accounts.names, ", "),
                                     " (or \"*\": every one)"));
    }
  }
  if (granted.empty() && !accounts.fallback.empty()) {
    chosen.insert(accounts.fallback);
  }
  if (chosen.empty()) {
    return FieldError(field,
                      "empty, and the gateway has several HubSpot accounts "
                      "and no defaultHubspotAccount; list the accounts it may "
                      "use");
  }
  caller->accounts.assign(chosen.begin(), chosen.end());
  std::sort(caller->accounts.begin(), caller->accounts.end());
  if (!default_account.empty()) {
    if (!chosen.contains(default_account)) {
      return FieldError(default_field,
                        absl::StrCat(Quoted(default_account),
                                     " is not among the accounts it may use (",
                                     absl::StrJoin(caller->accounts, ", "),
                                     ")"));
    }
    caller->default_account = default_account;
  } else if (caller->accounts.size() == 1) {
    caller->default_account = caller->accounts.front();
  } else if (chosen.contains(accounts.fallback)) {
    caller->default_account = accounts.fallback;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CallerTicket> CallerTicket::Take(const Caller& caller,
                                                bool upload) {
  const std::string who =
      caller.anonymous ? "calls without identity already have"
                       : absl::StrCat("caller \"", caller.name, "\" already has");
  if (caller.calls.fetch_add(1) >= caller.max_calls) {
    caller.calls.fetch_sub(1);
    return absl::ResourceExhaustedError(absl::StrCat(
        who, " ", caller.max_calls, " calls in progress (",
        caller.anonymous ? "access.anonymousMaxConcurrentCalls"
                         : "access.callers[].maxConcurrentCalls",
        "); retry when one has ended"));
  }
  if (upload && caller.uploads.fetch_add(1) >= caller.max_uploads) {
    caller.uploads.fetch_sub(1);
    caller.calls.fetch_sub(1);
    return absl::ResourceExhaustedError(absl::StrCat(
        who, " ", caller.max_uploads, " uploads in progress (",
        caller.anonymous ? "access.anonymousMaxConcurrentUploads"
                         : "access.callers[].maxConcurrentUploads",
        "); retry when one has ended"));
  }
  return CallerTicket(&caller, upload);
}

void CallerTicket::Release() {
  if (caller_ == nullptr) return;
  if (upload_) caller_->uploads.fetch_sub(1);
  caller_->calls.fetch_sub(1);
  caller_ = nullptr;
}

absl::string_view PermissionName(Permission permission) {
  switch (permission) {
    case cfg::PERMISSION_READ:
      return "PERMISSION_READ";
    case cfg::PERMISSION_START:
      return "PERMISSION_START";
    case cfg::PERMISSION_CANCEL:
      return "PERMISSION_CANCEL";
    default:
      return "PERMISSION_UNSPECIFIED";
  }
}

absl::StatusOr<std::unique_ptr<CallerRegistry>> CallerRegistry::Create(
    const cfg::AccessConfig& config) {
  return Create(config, HubSpotAccountNames{{"default"}, "default"});
}

absl::StatusOr<std::unique_ptr<CallerRegistry>> CallerRegistry::Create(
    const cfg::AccessConfig& config, HubSpotAccountNames accounts) {
  std::unique_ptr<CallerRegistry> registry(new CallerRegistry());
  std::sort(accounts.names.begin(), accounts.names.end());
  registry->accounts_ = accounts;
  absl::flat_hash_set<std::string> names;
  absl::flat_hash_set<std::string> certificate_names;
  absl::flat_hash_set<std::string> hashes;
  for (int i = 0; i < config.callers_size(); ++i) {
    const cfg::Caller& c = config.callers(i);
    const std::string field = absl::StrCat("access.callers[", i, "]");
    if (c.name().empty() || c.name() == "anonymous") {
      return FieldError(absl::StrCat(field, ".name"),
                        "required, and not \"anonymous\"");
    }
    if (!names.insert(c.name()).second) {
      return FieldError(absl::StrCat(field, ".name"),
                        absl::StrCat("\"", c.name(), "\" is used twice"));
    }
    if (c.certificate_names().empty() && c.token_sha256().empty()) {
      return FieldError(field,
                        "give certificateNames or tokenSha256: nothing "
                        "identifies this caller");
    }
    if (c.permissions().empty()) {
      return FieldError(absl::StrCat(field, ".permissions"),
                        "empty: the caller could do nothing");
    }
    auto permissions = ParsePermissions(
        c.permissions(), absl::StrCat(field, ".permissions"));
    if (!permissions.ok()) return permissions.status();
    auto caller = std::make_unique<Caller>();
    caller->name = c.name();
    caller->permissions = *permissions;
    if (c.max_concurrent_calls() > 0) {
      caller->max_calls = static_cast<int>(c.max_concurrent_calls());
    }
    if (c.max_concurrent_uploads() > 0) {
      caller->max_uploads = static_cast<int>(c.max_concurrent_uploads());
    }
    if (absl::Status s = GrantAccounts(
            c.hubspot_accounts(), c.default_hubspot_account(), accounts,
            absl::StrCat(field, ".hubspotAccounts"),
            absl::StrCat(field, ".defaultHubspotAccount"), caller.get());
        !s.ok()) {
      return s;
    }
    for (int j = 0; j < c.token_sha256_size(); ++j) {
      const std::string token_field =
          absl::StrCat(field, ".tokenSha256[", j, "]");
      auto digest = ParseSha256Hex(c.token_sha256(j), token_field);
      if (!digest.ok()) return digest.status();
      if (!hashes.insert(absl::AsciiStrToLower(c.token_sha256(j))).second) {
        return FieldError(token_field, "the same token identifies two callers");
      }
      registry->tokens_.push_back({*digest, caller.get()});
    }
    for (int j = 0; j < c.certificate_names_size(); ++j) {
      const std::string& name = c.certificate_names(j);
      const std::string name_field =
          absl::StrCat(field, ".certificateNames[", j, "]");
      if (name.empty()) return FieldError(name_field, "empty");
      if (!certificate_names.insert(name).second) {
        return FieldError(name_field,
                          absl::StrCat("\"", name,
                                       "\" identifies two callers"));
      }
      registry->certificates_.push_back({name, caller.get()});
    }
    registry->callers_.push_back(std::move(caller));
  }
  auto anonymous = ParsePermissions(config.anonymous_permissions(),
                                    "access.anonymousPermissions");
  if (!anonymous.ok()) return anonymous.status();
  registry->anonymous_.name = "anonymous";
  registry->anonymous_.anonymous = true;
  registry->anonymous_.permissions = *anonymous;
  if (config.anonymous_max_concurrent_calls() > 0) {
    registry->anonymous_.max_calls =
        static_cast<int>(config.anonymous_max_concurrent_calls());
  }
  if (config.anonymous_max_concurrent_uploads() > 0) {
    registry->anonymous_.max_uploads =
        static_cast<int>(config.anonymous_max_concurrent_uploads());
  }
  const bool anonymous_may_call =
      std::find(anonymous->begin(), anonymous->end(), true) != anonymous->end();
  if (anonymous_may_call || !config.anonymous_hubspot_accounts().empty()) {
    if (absl::Status s = GrantAccounts(
            config.anonymous_hubspot_accounts(), "", accounts,
            "access.anonymousHubspotAccounts", "", &registry->anonymous_);
        !s.ok()) {
      return s;
    }
  }
  return registry;
}

const Caller* CallerRegistry::ByToken(absl::string_view token) const {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(),
         digest);
  const Caller* found = nullptr;
  for (const TokenEntry& entry : tokens_) {
    if (CRYPTO_memcmp(digest, entry.sha256.data(), sizeof(digest)) == 0) {
      found = entry.caller;
    }
  }
  return found;
}

const Caller* CallerRegistry::ByCertificate(
    const std::vector<std::string>& names) const {
  for (const CertificateEntry& entry : certificates_) {
    for (const std::string& name : names) {
      if (name == entry.name) return entry.caller;
    }
  }
  return nullptr;
}

absl::StatusOr<const Caller*> CallerRegistry::Identify(
    const PeerIdentity& peer) const {
  const Caller* by_certificate = nullptr;
  if (!peer.certificate_names.empty()) {
    by_certificate = ByCertificate(peer.certificate_names);
    if (by_certificate == nullptr) {
      return absl::UnauthenticatedError(absl::StrCat(
          "the client certificate (",
          absl::StrJoin(peer.certificate_names, ", "),
          ") names no caller of this gateway (access.callers[]."
          "certificateNames)"));
    }
  }
  if (peer.authorization.has_value()) {
    absl::string_view value = *peer.authorization;
    constexpr absl::string_view kBearer = "Bearer ";
    if (value.size() <= kBearer.size() ||
        !absl::StartsWithIgnoreCase(value, kBearer)) {
      return absl::UnauthenticatedError(
          "the authorization metadata is not \"Bearer <token>\"");
    }
    const Caller* by_token =
        ByToken(absl::StripAsciiWhitespace(value.substr(kBearer.size())));
    if (by_token == nullptr) {
      return absl::UnauthenticatedError(
          "the bearer token is not one of this gateway's callers' "
          "(access.callers[].tokenSha256)");
    }
    if (by_certificate != nullptr && by_certificate != by_token) {
      return absl::UnauthenticatedError(absl::StrCat(
          "the client certificate is caller \"", by_certificate->name,
          "\"'s but the bearer token is \"", by_token->name,
          "\"'s; send one identity"));
    }
    return by_token;
  }
  if (by_certificate != nullptr) return by_certificate;
  for (bool p : anonymous_.permissions) {
    if (p) return &anonymous_;
  }
  return absl::UnauthenticatedError(
      "the call carries no identity: present a client certificate or "
      "\"authorization: Bearer <token>\" metadata");
}

absl::Status CallerRegistry::Authorize(const Caller& caller,
                                       Permission permission,
                                       absl::string_view rpc) {
  if (caller.may(permission)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      caller.anonymous ? "anonymous calls" : absl::StrCat("caller \"", caller.name, "\""),
      " may not call ", rpc, ": it needs ", PermissionName(permission),
      " (", RpcsNeeding(permission), "), which ",
      caller.anonymous ? "access.anonymousPermissions does"
                       : "its access.callers entry does",
      " not grant"));
}

}  // namespace hubspot_gateway

namespace hubspot_gateway {

absl::StatusOr<std::string> CallerRegistry::ChooseAccount(
    const Caller& caller, const std::optional<std::string>& requested) const {
  const std::string who = caller.anonymous
                              ? std::string("calls without identity")
                              : absl::StrCat("caller \"", caller.name, "\"");
  if (!requested.has_value()) {
    if (!caller.default_account.empty()) return caller.default_account;
    return absl::InvalidArgumentError(absl::StrCat(
        "this gateway serves several HubSpot accounts: name one in "
        "x-hubspot-account metadata (",
        who, " may use ", absl::StrJoin(caller.accounts, ", "), ")"));
  }
  if (std::binary_search(caller.accounts.begin(), caller.accounts.end(),
                         *requested)) {
    return *requested;
  }
  if (!std::binary_search(accounts_.names.begin(), accounts_.names.end(),
                          *requested)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "x-hubspot-account: this gateway has no HubSpot account ",
        Quoted(*requested), " (", who, " may use ",
        absl::StrJoin(caller.accounts, ", "), ")"));
  }
  return absl::PermissionDeniedError(absl::StrCat(
      who, " may not use HubSpot account ", Quoted(*requested), ": ",
      caller.anonymous ? "access.anonymousHubspotAccounts does"
                       : "its access.callers entry's hubspotAccounts do",
      " not list it (it may use ", absl::StrJoin(caller.accounts, ", "), ")"));
}

}  // namespace hubspot_gateway
