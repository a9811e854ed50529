// HTTPS: certificates made at test time with the openssl tool, curl
// trusting exactly that certificate.

#include <string>
#include <utility>

#include "emulator/http/http_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/emulator/http/http_test_util.h"

namespace hubspot_emulator {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing_http::CurlClient;
using testing_http::CurlRequest;
using testing_http::CurlResult;
using testing_http::Echo;
using testing_http::Get;
using testing_http::Post;
using testing_http::RawClient;
using testing_http::StartServer;
using testing_http::TempDir;
using testing_http::Url;

class HttpServerTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    ASSERT_TRUE(
        testing_http::MakeCertificate(dir_.path(), "server", &cert_, &key_));
  }

  HttpServerOptions TlsOptions() const {
    HttpServerOptions options;
    options.tls_cert_file = cert_;
    options.tls_key_file = key_;
    return options;
  }

  CurlRequest Trusting(CurlRequest request) const {
    request.ca_file = cert_;
    return request;
  }

  TempDir dir_;
  std::string cert_;
  std::string key_;
};

TEST_F(HttpServerTlsTest, GetAndPostOverHttps) {
  auto server = StartServer(TlsOptions(), Echo);
  ASSERT_NE(server, nullptr);
  CurlClient client;
  CurlResult r = client.Fetch(
      Trusting(Get(Url(*server, "/secure?x=1", "https", "localhost"))));
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body, StartsWith("GET /secure?x=1 tls=1\n"));

  const std::string body(3 << 20, 's');  // many records, partial writes
  r = client.Fetch(Trusting(Post(Url(*server, "/up", "https"), body)));
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_THAT(r.body, testing::EndsWith("\n\n" + body));
}

TEST_F(HttpServerTlsTest, KeepAliveOverHttps) {
  auto server = StartServer(TlsOptions(), Echo);
  ASSERT_NE(server, nullptr);
  CurlClient client;
  for (int i = 0; i < 3; ++i) {
    CurlResult r = client.Fetch(Trusting(Get(Url(*server, "/", "https"))));
    ASSERT_EQ(r.code, CURLE_OK) << r.error;
    EXPECT_EQ(r.num_connects, i == 0 ? 1 : 0);
  }
}

TEST_F(HttpServerTlsTest, AlpnSettlesOnHttp11WhenH2IsOffered) {
  auto server = StartServer(TlsOptions(), Echo);
  ASSERT_NE(server, nullptr);
  CurlClient client;
  CurlRequest request = Trusting(Get(Url(*server, "/", "https")));
  request.http_version = CURL_HTTP_VERSION_2TLS;  // offers h2 and http/1.1
  CurlResult r = client.Fetch(request);
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.http_version, CURL_HTTP_VERSION_1_1);
}

TEST_F(HttpServerTlsTest, FaultsOverHttps) {
  auto server =
      StartServer(TlsOptions(), [](HttpRequest request, Responder respond) {
        HttpResponse response;
        response.body = std::string(50000, 'f');
        if (request.path == "/slow") {
          response.slow_chunk_bytes = 20000;
          response.slow_interval = absl::Milliseconds(10);
        }
        if (request.path == "/drop") response.drop = true;
        if (request.path == "/truncate") response.truncate_body_at = 100;
        std::move(respond)(std::move(response));
      });
  ASSERT_NE(server, nullptr);
  CurlClient client;
  CurlResult r = client.Fetch(Trusting(Get(Url(*server, "/slow", "https"))));
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.body.size(), 50000u);
  r = client.Fetch(Trusting(Get(Url(*server, "/drop", "https"))));
  EXPECT_EQ(r.code, CURLE_GOT_NOTHING) << r.error;
  r = client.Fetch(Trusting(Get(Url(*server, "/truncate", "https"))));
  EXPECT_EQ(r.code, CURLE_PARTIAL_FILE) << r.error;
  EXPECT_EQ(r.body.size(), 100u);
}

TEST_F(HttpServerTlsTest, PlainHttpToTheTlsPortIsTurnedAway) {
  auto server = StartServer(TlsOptions(), Echo);
  ASSERT_NE(server, nullptr);
  RawClient raw(server->port());
  ASSERT_TRUE(raw.Send("GET / HTTP/1.1\r\n\r\n"));
  EXPECT_TRUE(raw.WaitForClose());
  // And the server carries on.
  CurlClient client;
  CurlResult r = client.Fetch(Trusting(Get(Url(*server, "/", "https"))));
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
}

TEST_F(HttpServerTlsTest, UntrustedClientsFailTheHandshake) {
  auto server = StartServer(TlsOptions(), Echo);
  ASSERT_NE(server, nullptr);
  CurlClient client;
  CurlResult r = client.Fetch(Get(Url(*server, "/", "https")));
  EXPECT_NE(r.code, CURLE_OK);
  r = client.Fetch(Trusting(Get(Url(*server, "/", "https"))));
  EXPECT_EQ(r.code, CURLE_OK) << r.error;
}

TEST_F(HttpServerTlsTest, MissingCertificateIsAnError) {
  HttpServerOptions options = TlsOptions();
  options.tls_cert_file = dir_.path() + "/no-such.crt";
  auto server = HttpServer::Start(options, Echo);
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(std::string(server.status().message()),
              HasSubstr(options.tls_cert_file));
}

TEST_F(HttpServerTlsTest, MissingKeyIsAnError) {
  HttpServerOptions options = TlsOptions();
  options.tls_key_file = dir_.path() + "/no-such.key";
  auto server = HttpServer::Start(options, Echo);
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(std::string(server.status().message()),
              HasSubstr(options.tls_key_file));
}

TEST_F(HttpServerTlsTest, NotACertificateIsAnError) {
  HttpServerOptions options = TlsOptions();
  options.tls_cert_file = key_;  // a PEM file, but of a key
  auto server = HttpServer::Start(options, Echo);
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(std::string(server.status().message()), HasSubstr(key_));
}

TEST_F(HttpServerTlsTest, KeyOfAnotherCertificateIsAnError) {
  std::string other_cert, other_key;
  ASSERT_TRUE(testing_http::MakeCertificate(dir_.path(), "other", &other_cert,
                                            &other_key));
  HttpServerOptions options = TlsOptions();
  options.tls_key_file = other_key;
  auto server = HttpServer::Start(options, Echo);
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(std::string(server.status().message()),
              HasSubstr("does not match"));
  EXPECT_THAT(std::string(server.status().message()), HasSubstr(other_key));
}

TEST_F(HttpServerTlsTest, CertificateWithoutKeyIsAnError) {
  HttpServerOptions options = TlsOptions();
  options.tls_key_file.clear();
  EXPECT_FALSE(HttpServer::Start(options, Echo).ok());
}

}  // namespace
}  // namespace hubspot_emulator
