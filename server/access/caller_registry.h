#ifndef HUBSPOT_GATEWAY_ACCESS_CALLER_REGISTRY_H_
#define HUBSPOT_GATEWAY_ACCESS_CALLER_REGISTRY_H_

#include <array>
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "hubspot/crm/imports/gateway/v1/config.pb.h"

namespace hubspot_gateway {

using Permission = ::hubspot::crm::imports::gateway::v1::Permission;

// What a call presents to prove who sends it.
struct PeerIdentity {
  // From a client certificate the listener verified: its subject
  // alternative names and subject common name. Empty without one.
  std::vector<std::string> certificate_names;
  // The value of "authorization" metadata, when present. Secret.
  std::optional<std::string> authorization;
};

// A configured caller, or the anonymous one.
struct Caller {
  std::string name;
  // Indexed by Permission.
  std::array<bool, 4> permissions = {};
  bool anonymous = false;
  int max_calls = 256;
  int max_uploads = 4;
  // The HubSpot accounts it may use, sorted, and the one of its calls that
  // name none (empty: they must name one).
  std::vector<std::string> accounts;
  std::string default_account;
  // Its calls in progress (CallerTicket).
  mutable std::atomic<int> calls{0};
  mutable std::atomic<int> uploads{0};

  bool may(Permission p) const { return permissions[static_cast<size_t>(p)]; }
};

// One call counted against its caller's limits while it lives.
class CallerTicket {
 public:
  // The ticket, or RESOURCE_EXHAUSTED naming the caller and the limit.
  static absl::StatusOr<CallerTicket> Take(const Caller& caller, bool upload);
  CallerTicket(CallerTicket&& other) noexcept
      : caller_(other.caller_), upload_(other.upload_) {
    other.caller_ = nullptr;
  }
  CallerTicket& operator=(CallerTicket&& other) noexcept {
    if (this != &other) {
      Release();
      caller_ = other.caller_;
      upload_ = other.upload_;
      other.caller_ = nullptr;
    }
    return *this;
  }
  ~CallerTicket() { Release(); }

 private:
  CallerTicket(const Caller* caller, bool upload)
      : caller_(caller), upload_(upload) {}
  void Release();

  const Caller* caller_;
  bool upload_;
};

// The gateway's HubSpot accounts, as callers may be granted them.
struct HubSpotAccountNames {
  std::vector<std::string> names;
  // The account of callers that are given none (empty: no such account).
  std::string fallback;
};

// The callers of access.callers and what identifies each. Immutable once
// built; safe to use from any thread.
class CallerRegistry {
 public:
  // Refuses a malformed access configuration with an error naming the
  // field, e.g. "access.callers[2].tokenSha256[0]: …".
  // Account names in callers' hubspotAccounts must be of `accounts`.
  static absl::StatusOr<std::unique_ptr<CallerRegistry>> Create(
      const ::hubspot::crm::imports::gateway::v1::AccessConfig& config,
      HubSpotAccountNames accounts);
  // With the single account "default" (the configuration's `hubspot`).
  static absl::StatusOr<std::unique_ptr<CallerRegistry>> Create(
      const ::hubspot::crm::imports::gateway::v1::AccessConfig& config);

  // The caller `peer` proves to be. UNAUTHENTICATED, with what was wrong,
  // for an unknown token or certificate, a malformed authorization, a
  // certificate and token of different callers, or no identity at all when
  // anonymous calls have no rights.
  absl::StatusOr<const Caller*> Identify(const PeerIdentity& peer) const;

  // PERMISSION_DENIED naming the caller, the RPC and the permission missing.
  static absl::Status Authorize(const Caller& caller, Permission permission,
                                absl::string_view rpc);

  // The HubSpot account a call of `caller` goes to: `requested` (the
  // x-hubspot-account metadata), else the caller's default.
  // PERMISSION_DENIED for an account the caller may not use,
  // INVALID_ARGUMENT for one the gateway does not have or when the call
  // must name one and does not.
  absl::StatusOr<std::string> ChooseAccount(
      const Caller& caller, const std::optional<std::string>& requested) const;

 private:
  struct TokenEntry {
    std::array<unsigned char, 32> sha256;
    const Caller* caller;
  };
  struct CertificateEntry {
    std::string name;
    const Caller* caller;
  };

  CallerRegistry() = default;
  // nullptr when no configured token matches; looks at every entry, so
  // that the time taken says nothing about which one matched.
  const Caller* ByToken(absl::string_view token) const;
  const Caller* ByCertificate(const std::vector<std::string>& names) const;

  std::vector<std::unique_ptr<Caller>> callers_;
  std::vector<TokenEntry> tokens_;
  std::vector<CertificateEntry> certificates_;
  Caller anonymous_;
  HubSpotAccountNames accounts_;
};

// "PERMISSION_START" → "start", for messages.
absl::string_view PermissionName(Permission permission);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_ACCESS_CALLER_REGISTRY_H_
