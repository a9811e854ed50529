#include "server/auth/oauth_credentials.h"

#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "server/common/json.h"
#include "server/common/log.h"
#include "server/http/url.h"

namespace hubspot_gateway {
namespace {

std::string StringField(const google::protobuf::Struct& s,
                        absl::string_view key) {
  auto it = s.fields().find(std::string(key));
  if (it == s.fields().end() || !it->second.has_string_value()) return "";
  return it->second.string_value();
}

}  // namespace

OAuthCredentials::OAuthCredentials(OAuthSettings settings, HttpUpstream* http,
                                   const Clock* clock)
    : settings_(std::move(settings)), http_(http), clock_(clock) {
  absl::MutexLock lock(&mu_);
  SecretsChanged(/*look_now=*/false);
}

bool OAuthCredentials::SecretsChanged(bool look_now) {
  const std::array<SecretSource*, 3> sources = {settings_.client_id.get(),
                                                settings_.client_secret.get(),
                                                settings_.refresh_token.get()};
  bool changed = false;
  for (size_t i = 0; i < sources.size(); ++i) {
    if (look_now) sources[i]->ChangedSince(seen_versions_[i]);
    SecretValue value = sources[i]->Current();
    if (value.version == seen_versions_[i]) continue;
    seen_versions_[i] = value.version;
    changed = true;
    if (sources[i] == settings_.refresh_token.get()) {
      refresh_token_ = std::move(value.value);
    }
  }
  return changed;
}

void OAuthCredentials::GetAuthHeader(AuthCallback done) {
  absl::StatusOr<AuthHeader> ready;
  bool answer_now = true;
  bool start_refresh = false;
  {
    absl::MutexLock lock(&mu_);
    // While HubSpot rejects the credentials, each call looks for new ones:
    // the operator's fix takes effect with the next call.
    if (SecretsChanged(/*look_now=*/clock_->Now() < rejection_until_)) {
      // New app credentials: fetch a token with them now, the current one
      // serving meanwhile; a rejection of the old ones no longer holds.
      refresh_at_ = absl::InfinitePast();
      next_background_refresh_ = absl::InfinitePast();
      rejection_until_ = absl::InfinitePast();
      Log(LogLevel::kInfo,
          "OAuth secrets changed; requesting an access token with them",
          {{"credentials", "oauth"}});
    }
    const absl::Time now = clock_->Now();
    if (now < expires_at_) {
      ready = current_;
      // Past the refresh point the current token still serves while a new
      // one is fetched in the background.
      if (now >= refresh_at_ && !refreshing_ &&
          now >= next_background_refresh_) {
        refreshing_ = true;
        start_refresh = true;
      }
    } else if (now < rejection_until_) {
      ready = rejection_;
    } else {
      waiters_.push_back(std::move(done));
      answer_now = false;
      if (!refreshing_) {
        refreshing_ = true;
        start_refresh = true;
      }
    }
  }
  if (start_refresh) StartRefresh();
  if (answer_now) std::move(done)(std::move(ready));
}

bool OAuthCredentials::Invalidate(const AuthHeader& used) {
  absl::MutexLock lock(&mu_);
  if (used.generation == current_.generation) {
    refresh_at_ = absl::InfinitePast();
    expires_at_ = absl::InfinitePast();
  }
  return true;
}

void OAuthCredentials::StartRefresh() {
  HttpRequest request;
  request.method = "POST";
  request.url = settings_.token_url;
  request.headers = {"Content-Type: application/x-www-form-urlencoded",
                     "Accept: application/json"};
  {
    absl::MutexLock lock(&mu_);
    request.body =
        FormEncode({{"grant_type", "refresh_token"},
                    {"client_id", settings_.client_id->Current().value},
                    {"client_secret", settings_.client_secret->Current().value},
                    {"refresh_token", refresh_token_}});
  }
  request.deadline = absl::Now() + settings_.timeout;
  // A refresh grant sent twice mints two access tokens, both good.
  request.resend_safe = true;
  http_->Send(std::move(request), [this, sent = absl::Now()](
                                      absl::StatusOr<HttpResponse> r,
                                      const TransferFacts&) {
    if (settings_.metrics != nullptr) {
      settings_.metrics->Request("token", r, absl::Now() - sent);
    }
    OnTokenResponse(std::move(r));
  });
}

void OAuthCredentials::OnTokenResponse(absl::StatusOr<HttpResponse> response) {
  std::vector<AuthCallback> waiters;
  absl::StatusOr<AuthHeader> result;
  {
    absl::MutexLock lock(&mu_);
    refreshing_ = false;
    absl::Status status =
        response.ok() ? ApplyTokenResponse(*response)
                      : absl::UnavailableError(absl::StrCat(
                            "could not refresh the HubSpot access token: ",
                            Redact(std::string(response.status().message()))));
    if (status.ok()) {
      result = current_;
      rejection_ = absl::OkStatus();
      rejection_until_ = absl::InfinitePast();
    } else {
      result = status;
      const absl::Time now = clock_->Now();
      if (absl::IsUnauthenticated(status)) {
        rejection_ = status;
        rejection_until_ = now + settings_.rejection_backoff;
      }
      // While the current token still serves, do not retry on every call.
      next_background_refresh_ =
          now + (absl::IsUnauthenticated(status) ? settings_.rejection_backoff
                                                 : settings_.retry_backoff);
    }
    waiters.swap(waiters_);
  }
  if (settings_.metrics != nullptr) settings_.metrics->TokenRefresh(result.ok());
  if (result.ok()) {
    Log(LogLevel::kInfo, "refreshed the HubSpot access token",
        {{"credentials", "oauth"}});
  } else {
    Log(LogLevel::kError, "HubSpot access token refresh failed",
        {{"credentials", "oauth"},
         {"error", std::string(result.status().message())}});
  }
  for (AuthCallback& waiter : waiters) std::move(waiter)(result);
}

absl::Status OAuthCredentials::ApplyTokenResponse(
    const HttpResponse& response) {
  auto body = ParseJsonObject(response.body);
  if (response.status != 200) {
    std::string detail;
    if (body.ok()) {
      // HubSpot names the failure in `status` (e.g. BAD_REFRESH_TOKEN) and
      // explains it in `message`.
      detail = absl::StrCat(StringField(*body, "status"), ": ",
                            StringField(*body, "message"));
      const std::string correlation = StringField(*body, "correlationId");
      if (!correlation.empty()) {
        absl::StrAppend(&detail, ", correlationId ", correlation);
      }
    }
    detail = Redact(std::move(detail));
    if (response.status == 400 || response.status == 401 ||
        response.status == 403) {
      return absl::UnauthenticatedError(absl::StrCat(
          "HubSpot rejected the gateway's OAuth refresh token (HTTP ",
          response.status, detail.empty() ? "" : ", ", detail,
          "); the configured refresh token, client id or client secret is "
          "wrong or was revoked: re-authorize the app and update the "
          "gateway's OAuth secrets"));
    }
    return absl::UnavailableError(absl::StrCat(
        "HubSpot's token endpoint answered HTTP ", response.status,
        detail.empty() ? "" : " (", detail, detail.empty() ? "" : ")"));
  }
  if (!body.ok()) {
    return absl::UnavailableError(
        absl::StrCat("HubSpot's token endpoint sent an invalid body: ",
                     body.status().message()));
  }
  const std::string access_token = StringField(*body, "access_token");
  auto expires = body->fields().find("expires_in");
  if (access_token.empty() || expires == body->fields().end() ||
      !expires->second.has_number_value() ||
      !(expires->second.number_value() > 0) ||
      !std::isfinite(expires->second.number_value())) {
    return absl::UnavailableError(
        "HubSpot's token endpoint answered without an access_token and a "
        "positive expires_in");
  }
  const absl::Duration lifetime = absl::Seconds(expires->second.number_value());
  const absl::Time now = clock_->Now();
  current_.line = absl::StrCat("Authorization: Bearer ", access_token);
  ++current_.generation;
  expires_at_ = now + lifetime;
  refresh_at_ = expires_at_ - std::min(settings_.refresh_margin, lifetime / 2);
  const std::string rotated = StringField(*body, "refresh_token");
  if (!rotated.empty() && rotated != refresh_token_) {
    refresh_token_ = rotated;
    Log(LogLevel::kInfo,
        "HubSpot rotated the OAuth refresh token; using the "
        "new one from now on");
  }
  return absl::OkStatus();
}

std::string OAuthCredentials::Redact(std::string text) const {
  for (const std::string& secret :
       {settings_.client_secret->Current().value,
        settings_.refresh_token->Current().value, refresh_token_}) {
    if (secret.size() >= 4) {
      absl::StrReplaceAll({{secret, "[redacted]"}}, &text);
    }
  }
  return text;
}

}  // namespace hubspot_gateway
