#include "emulator/api/accounts.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "emulator/api/json_writer.h"
#include "emulator/api/url_encoding.h"
#include "server/common/json.h"

namespace hubspot_emulator {
namespace {

constexpr char kNotFound[] =
    "Authentication credentials not found. This API supports OAuth 2.0 "
    "authentication and you can find more details at "
    "https://developers.hubspot.com/docs/methods/auth/oauth-overview";

// Compares secrets without leaking, through timing, how much matched.
bool SecretEquals(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool AnyEquals(const std::vector<std::string>& secrets, absl::string_view s) {
  bool found = false;
  for (const std::string& secret : secrets) found |= SecretEquals(secret, s);
  return found;
}

JsonAnswer Unauthorized(absl::string_view message, absl::string_view category) {
  return {401, ErrorBody(message, category)};
}

JsonAnswer TokenError(absl::string_view status, absl::string_view message) {
  JsonWriter w;
  w.BeginObject()
      .Field("status", status)
      .Field("message", message)
      .Field("correlationId", NewCorrelationId())
      .EndObject();
  return {400, w.Take()};
}

absl::StatusOr<std::vector<std::string>> Strings(
    const google::protobuf::Struct& s, const std::string& key,
    absl::string_view where) {
  std::vector<std::string> out;
  auto it = s.fields().find(key);
  if (it == s.fields().end()) return out;
  if (!it->second.has_list_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, key, ": must be a list of strings"));
  }
  for (const auto& v : it->second.list_value().values()) {
    if (!v.has_string_value() || v.string_value().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, key, ": must be a list of non-empty strings"));
    }
    out.push_back(v.string_value());
  }
  return out;
}

}  // namespace

std::string RandomHex(int bytes) {
  std::string raw(static_cast<size_t>(bytes), '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), bytes);
  std::string out;
  for (unsigned char c : raw) absl::StrAppendFormat(&out, "%02x", c);
  return out;
}

std::string NewCorrelationId() {
  std::string h = RandomHex(16);
  h[12] = '4';  // version 4
  h[16] = "89ab"[h[16] % 4];
  return absl::StrCat(h.substr(0, 8), "-", h.substr(8, 4), "-", h.substr(12, 4),
                      "-", h.substr(16, 4), "-", h.substr(20));
}

std::string ErrorBody(absl::string_view message, absl::string_view category,
                      absl::string_view sub_category) {
  JsonWriter w;
  w.BeginObject()
      .Field("status", "error")
      .Field("message", message)
      .Field("correlationId", NewCorrelationId())
      .Field("category", category);
  if (!sub_category.empty()) w.Field("subCategory", sub_category);
  w.EndObject();
  return w.Take();
}

absl::StatusOr<EmulatorCredentials> ParseCredentials(absl::string_view json) {
  absl::StatusOr<google::protobuf::Struct> parsed =
      hubspot_gateway::ParseJsonObject(json);
  if (!parsed.ok()) return parsed.status();
  const google::protobuf::Struct root = *std::move(parsed);
  EmulatorCredentials c;
  auto tokens = Strings(root, "privateAppTokens", "");
  if (!tokens.ok()) return tokens.status();
  c.private_app_tokens = *std::move(tokens);
  auto keys = Strings(root, "privateAppLegacyKeys", "");
  if (!keys.ok()) return keys.status();
  c.legacy_keys = *std::move(keys);
  if (auto it = root.fields().find("oauth"); it != root.fields().end()) {
    if (!it->second.has_list_value()) {
      return absl::InvalidArgumentError("oauth: must be a list of apps");
    }
    int i = 0;
    for (const auto& app : it->second.list_value().values()) {
      const std::string where = absl::StrCat("oauth[", i++, "].");
      if (!app.has_struct_value()) {
        return absl::InvalidArgumentError(where + ": must be an object");
      }
      const google::protobuf::Struct& s = app.struct_value();
      OAuthApp a;
      auto field = [&](const char* key) -> std::string {
        auto f = s.fields().find(key);
        return f == s.fields().end() ? "" : f->second.string_value();
      };
      a.client_id = field("clientId");
      a.client_secret = field("clientSecret");
      if (a.client_id.empty() || a.client_secret.empty()) {
        return absl::InvalidArgumentError(
            where + "clientId and clientSecret: both required");
      }
      auto refresh = Strings(s, "refreshTokens", where);
      if (!refresh.ok()) return refresh.status();
      a.refresh_tokens = *std::move(refresh);
      c.oauth_apps.push_back(std::move(a));
    }
  }
  if (c.private_app_tokens.empty() && c.legacy_keys.empty() &&
      c.oauth_apps.empty()) {
    return absl::InvalidArgumentError(
        "no credentials: give privateAppTokens, privateAppLegacyKeys or oauth");
  }
  return c;
}

Accounts::Accounts(EmulatorCredentials credentials,
                   const hubspot_gateway::Clock* clock,
                   absl::Duration access_token_lifetime)
    : credentials_(std::move(credentials)),
      clock_(clock),
      lifetime_(access_token_lifetime) {
  absl::MutexLock lock(&mu_);
  for (const OAuthApp& app : credentials_.oauth_apps) {
    for (const std::string& t : app.refresh_tokens) {
      refresh_tokens_[t] = app.client_id;
    }
  }
}

std::optional<JsonAnswer> Accounts::Authenticate(
    const HttpRequest& request) const {
  if (const std::string* key = request.Header("private-app-legacy")) {
    if (AnyEquals(credentials_.legacy_keys, *key)) return std::nullopt;
    return Unauthorized(kNotFound, "INVALID_AUTHENTICATION");
  }
  const std::string* auth = request.Header("authorization");
  if (auth == nullptr) return Unauthorized(kNotFound, "INVALID_AUTHENTICATION");
  absl::string_view value = *auth;
  if (!absl::StartsWithIgnoreCase(value, "bearer ")) {
    return Unauthorized(kNotFound, "INVALID_AUTHENTICATION");
  }
  const std::string token(absl::StripAsciiWhitespace(value.substr(7)));
  if (AnyEquals(credentials_.private_app_tokens, token)) return std::nullopt;
  absl::MutexLock lock(&mu_);
  auto it = access_tokens_.find(token);
  if (it == access_tokens_.end()) {
    return Unauthorized(kNotFound, "INVALID_AUTHENTICATION");
  }
  const absl::Time now = clock_->Now();
  if (now >= it->second.expires) {
    const absl::Duration ago = now - it->second.expires;
    return Unauthorized(
        absl::StrCat("The OAuth token used to make this call expired ",
                     absl::ToInt64Seconds(ago), " second(s) ago."),
        "EXPIRED_AUTHENTICATION");
  }
  return std::nullopt;
}

JsonAnswer Accounts::Grant(absl::string_view form) {
  std::map<std::string, std::string> f = ParseUrlEncoded(form);
  if (f["grant_type"] != "refresh_token") {
    return TokenError("BAD_GRANT_TYPE",
                      "missing or unsupported grant_type (the emulator "
                      "supports refresh_token)");
  }
  const OAuthApp* app = nullptr;
  for (const OAuthApp& a : credentials_.oauth_apps) {
    if (SecretEquals(a.client_id, f["client_id"])) app = &a;
  }
  if (app == nullptr) {
    return TokenError("BAD_CLIENT_ID", "missing or invalid client_id");
  }
  if (!SecretEquals(app->client_secret, f["client_secret"])) {
    return TokenError("BAD_CLIENT_SECRET", "missing or invalid client_secret");
  }
  const std::string& refresh = f["refresh_token"];
  absl::MutexLock lock(&mu_);
  auto it = refresh_tokens_.find(refresh);
  if (refresh.empty() || it == refresh_tokens_.end() ||
      it->second != app->client_id) {
    return TokenError("BAD_REFRESH_TOKEN", "missing or invalid refresh token");
  }
  const absl::Time now = clock_->Now();
  // Forget tokens long expired: memory stays bounded under a token storm.
  for (auto t = access_tokens_.begin(); t != access_tokens_.end();) {
    t = now - t->second.expires > absl::Hours(24) ? access_tokens_.erase(t)
                                                 : std::next(t);
  }
  std::string access = "emu-at-" + RandomHex(24);
  access_tokens_[access] = {now + lifetime_};
  ++issued_;
  JsonWriter w;
  w.BeginObject()
      .Field("token_type", "bearer")
      .Field("refresh_token", refresh)
      .Field("access_token", access)
      .Field("expires_in", absl::ToInt64Seconds(lifetime_))
      .EndObject();
  return {200, w.Take()};
}

bool Accounts::RevokeRefreshToken(absl::string_view token) {
  absl::MutexLock lock(&mu_);
  return refresh_tokens_.erase(std::string(token)) > 0;
}

void Accounts::ExpireAccessTokens() {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_->Now();
  for (auto& [token, issued] : access_tokens_) {
    issued.expires = std::min(issued.expires, now);
  }
}

int64_t Accounts::tokens_issued() const {
  absl::MutexLock lock(&mu_);
  return issued_;
}

}  // namespace hubspot_emulator
