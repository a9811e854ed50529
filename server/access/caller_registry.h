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

// The callers of access.callers and what identifies each. Immutable once
// built; safe to use from any thread.
class CallerRegistry {
 public:
  // Refuses a malformed access configuration with an error naming the
  // field, e.g. "access.callers[2].tokenSha256[0]: …".
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
};

// "PERMISSION_START" → "start", for messages.
absl::string_view PermissionName(Permission permission);

}  // namespace hubspot_gateway

#endif  // HUBSPOT_GATEWAY_ACCESS_CALLER_REGISTRY_H_
