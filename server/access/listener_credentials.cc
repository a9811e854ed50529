#include "server/access/listener_credentials.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <cstdio>
#include <memory>

#include "absl/strings/str_cat.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_credentials_options.h"
#include "server/common/proto_duration.h"

namespace hubspot_gateway {
namespace {

namespace cfg = ::hubspot::crm::imports::gateway::v1;

absl::Status FieldError(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

using File = std::unique_ptr<FILE, int (*)(FILE*)>;

absl::StatusOr<File> OpenPem(const std::string& path, absl::string_view field) {
  if (path.empty()) return FieldError(field, "required with listenerTls");
  File file(std::fopen(path.c_str(), "r"), &std::fclose);
  if (file == nullptr) {
    return FieldError(field, absl::StrCat("cannot read \"", path,
                                          "\"; check the path and mount"));
  }
  return file;
}

// Certificate and key must load and belong together: gRPC would otherwise
// start and fail every handshake.
absl::Status CheckIdentity(const cfg::ListenerTls& tls) {
  auto cert_file = OpenPem(tls.cert_file(), "listenerTls.certFile");
  if (!cert_file.ok()) return cert_file.status();
  std::unique_ptr<X509, void (*)(X509*)> cert(
      PEM_read_X509(cert_file->get(), nullptr, nullptr, nullptr), &X509_free);
  if (cert == nullptr) {
    return FieldError("listenerTls.certFile",
                      absl::StrCat("\"", tls.cert_file(),
                                   "\" holds no PEM certificate"));
  }
  auto key_file = OpenPem(tls.key_file(), "listenerTls.keyFile");
  if (!key_file.ok()) return key_file.status();
  struct stat st;
  if (fstat(fileno(key_file->get()), &st) == 0 && (st.st_mode & S_IROTH)) {
    return FieldError("listenerTls.keyFile",
                      absl::StrCat("\"", tls.key_file(),
                                   "\" is readable by every user; chmod "
                                   "o-rwx it (0600 or 0400)"));
  }
  std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> key(
      PEM_read_PrivateKey(key_file->get(), nullptr, nullptr, nullptr),
      &EVP_PKEY_free);
  if (key == nullptr) {
    return FieldError("listenerTls.keyFile",
                      absl::StrCat("\"", tls.key_file(),
                                   "\" holds no unencrypted PEM private key"));
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    return FieldError("listenerTls.keyFile",
                      "is not the private key of listenerTls.certFile");
  }
  if (!tls.client_ca_file().empty()) {
    auto ca_file = OpenPem(tls.client_ca_file(), "listenerTls.clientCaFile");
    if (!ca_file.ok()) return ca_file.status();
    std::unique_ptr<X509, void (*)(X509*)> ca(
        PEM_read_X509(ca_file->get(), nullptr, nullptr, nullptr), &X509_free);
    if (ca == nullptr) {
      return FieldError("listenerTls.clientCaFile",
                        absl::StrCat("\"", tls.client_ca_file(),
                                     "\" holds no PEM certificate"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ListenerCredentials(
    const cfg::GatewayConfig& config,
    std::shared_ptr<grpc::AuthMetadataProcessor> guard) {
  if (!config.has_listener_tls()) {
    if (!config.allow_plaintext()) {
      return FieldError(
          "listenerTls",
          "required: give the gateway a certificate and key, or set "
          "allowPlaintext: true for a loopback address or a mesh that "
          "encrypts for the gateway");
    }
    return grpc::InsecureServerCredentials();
  }
  const cfg::ListenerTls& tls = config.listener_tls();
  if (config.allow_plaintext()) {
    return FieldError("allowPlaintext",
                      "contradicts listenerTls; remove one of them");
  }
  if (absl::Status s = CheckIdentity(tls); !s.ok()) return s;
  const absl::Duration interval = FromProtoDuration(tls.reload_interval());
  if (interval < absl::Seconds(1)) {
    return FieldError("listenerTls.reloadInterval", "must be at least 1s");
  }
  auto provider =
      std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
          tls.key_file(), tls.cert_file(), tls.client_ca_file(),
          static_cast<unsigned int>(absl::ToInt64Seconds(interval)));
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_identity_key_cert_pairs();
  if (tls.client_ca_file().empty()) {
    options.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  } else {
    options.watch_root_certs();
    options.set_cert_request_type(
        tls.require_client_certificate()
            ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
            : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
  }
  std::shared_ptr<grpc::ServerCredentials> credentials =
      grpc::experimental::TlsServerCredentials(options);
  if (guard != nullptr) credentials->SetAuthMetadataProcessor(std::move(guard));
  return credentials;
}

}  // namespace hubspot_gateway
