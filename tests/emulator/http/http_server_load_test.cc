// Volume: many connections at once, and bodies in the tens of MiB.

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "emulator/http/http_server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/emulator/http/http_test_util.h"

namespace hubspot_emulator {
namespace {

using testing_http::CurlClient;
using testing_http::CurlResult;
using testing_http::Get;
using testing_http::Post;
using testing_http::StartServer;
using testing_http::Url;

// Every client sends two requests on the same connection; all 400 are in
// flight on 200 connections at once, driven by one curl multi handle.
TEST(HttpServerLoadTest, TwoHundredKeepAliveClients) {
  constexpr int kClients = 200;
  auto server = StartServer({}, [](HttpRequest request, Responder respond) {
    HttpResponse response;
    response.body = request.query;
    std::move(respond)(std::move(response));
  });
  ASSERT_NE(server, nullptr);

  std::vector<std::unique_ptr<CurlClient>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<CurlClient>());
  }
  CURLM* multi = curl_multi_init();
  long total_connects = 0;
  for (int round = 0; round < 2; ++round) {
    std::vector<CurlResult> results(kClients);
    const absl::Time start = absl::Now();
    for (int i = 0; i < kClients; ++i) {
      curl_multi_add_handle(
          multi,
          clients[i]->Prepare(Get(Url(*server, absl::StrCat("/?client=", i))),
                              &results[i]));
    }
    int running = kClients;
    while (running > 0) {
      ASSERT_EQ(curl_multi_perform(multi, &running), CURLM_OK);
      if (running > 0) curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
      ASSERT_LT(absl::Now() - start, testing_http::kPatience);
    }
    int done = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &done)) {
      if (message->msg != CURLMSG_DONE) continue;
      EXPECT_EQ(message->data.result, CURLE_OK)
          << curl_easy_strerror(message->data.result);
    }
    for (int i = 0; i < kClients; ++i) {
      clients[i]->Collect(start, &results[i]);
      curl_multi_remove_handle(multi, clients[i]->handle());
      EXPECT_EQ(results[i].status, 200) << "client " << i;
      EXPECT_EQ(results[i].body, absl::StrCat("client=", i));
      total_connects += results[i].num_connects;
    }
  }
  curl_multi_cleanup(multi);
  // One connection per client: the second round reused them all.
  EXPECT_EQ(total_connects, kClients);
}

TEST(HttpServerLoadTest, SixtyFourMebibytesUpAndDown) {
  auto server = StartServer({}, [](HttpRequest request, Responder respond) {
    HttpResponse response;
    response.body = std::move(request.body);  // back as it came
    std::move(respond)(std::move(response));
  });
  ASSERT_NE(server, nullptr);
  std::string body(64 << 20, '\0');
  for (size_t i = 0; i < body.size(); ++i) {
    body[i] = static_cast<char>((i * 7919) >> 5);
  }
  CurlClient client;
  CurlResult r = client.Fetch(Post(Url(*server, "/big"), body));
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.status, 200);
  ASSERT_EQ(r.body.size(), body.size());
  EXPECT_TRUE(r.body == body);

  // Chunked, too.
  testing_http::CurlRequest chunked = Post(Url(*server, "/big"), body);
  chunked.chunked = true;
  r = client.Fetch(chunked);
  ASSERT_EQ(r.code, CURLE_OK) << r.error;
  ASSERT_EQ(r.body.size(), body.size());
  EXPECT_TRUE(r.body == body);
}

}  // namespace
}  // namespace hubspot_emulator
