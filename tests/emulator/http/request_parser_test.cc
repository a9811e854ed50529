// The request parser on its own: framing, limits and errors, with every
// input also fed one byte at a time, as a slow client would send it.

#include "emulator/http/request_parser.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hubspot_emulator {
namespace http_internal {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using Result = RequestParser::Result;

struct Outcome {
  std::vector<HttpRequest> requests;
  int error_status = 0;
  bool saw_headers_done = false;
};

// Feeds `input` in pieces of `step` bytes (0: all at once).
Outcome ParseAll(const std::string& input, size_t step,
                 ParserLimits limits = {}) {
  RequestParser parser(limits);
  Outcome outcome;
  size_t offset = 0;
  while (offset < input.size()) {
    const size_t size = step == 0 ? input.size() - offset
                                  : std::min(step, input.size() - offset);
    absl::string_view piece(input.data() + offset, size);
    while (true) {
      size_t used = 0;
      const Result result = parser.Parse(piece, &used);
      piece.remove_prefix(used);
      offset += used;
      if (result == Result::kNeedMore) break;
      if (result == Result::kHeadersDone) {
        outcome.saw_headers_done = true;
        continue;
      }
      if (result == Result::kError) {
        outcome.error_status = parser.error_status();
        return outcome;
      }
      outcome.requests.push_back(parser.TakeRequest());
    }
  }
  return outcome;
}

// Same outcome whether the bytes come at once or one by one.
Outcome Parse(const std::string& input, ParserLimits limits = {}) {
  Outcome whole = ParseAll(input, 0, limits);
  Outcome trickle = ParseAll(input, 1, limits);
  EXPECT_EQ(whole.error_status, trickle.error_status) << input;
  EXPECT_EQ(whole.requests.size(), trickle.requests.size()) << input;
  for (size_t i = 0; i < whole.requests.size() && i < trickle.requests.size();
       ++i) {
    EXPECT_EQ(whole.requests[i].body, trickle.requests[i].body);
    EXPECT_EQ(whole.requests[i].headers, trickle.requests[i].headers);
  }
  return whole;
}

TEST(RequestParserTest, SimpleGet) {
  Outcome o = Parse(
      "GET /a/b?c=d&e HTTP/1.1\r\nHost: x\r\nX-Mixed-Case:  v w \r\n\r\n");
  ASSERT_EQ(o.error_status, 0);
  ASSERT_EQ(o.requests.size(), 1u);
  const HttpRequest& r = o.requests[0];
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.path, "/a/b");
  EXPECT_EQ(r.query, "c=d&e");
  EXPECT_THAT(r.headers,
              ElementsAre(Pair("host", "x"), Pair("x-mixed-case", "v w")));
  ASSERT_NE(r.Header("X-MIXED-CASE"), nullptr);
  EXPECT_EQ(r.Header("absent"), nullptr);
  EXPECT_FALSE(o.saw_headers_done);  // no body, straight to complete
}

TEST(RequestParserTest, AbsoluteFormTarget) {
  Outcome o = Parse(
      "GET http://example.com:8080/p?q=1 HTTP/1.1\r\n\r\n"
      "GET https://example.com HTTP/1.1\r\n\r\n");
  ASSERT_EQ(o.requests.size(), 2u);
  EXPECT_EQ(o.requests[0].path, "/p");
  EXPECT_EQ(o.requests[0].query, "q=1");
  EXPECT_EQ(o.requests[1].path, "/");
}

TEST(RequestParserTest, ContentLengthBodyAndPipelining) {
  Outcome o = Parse(
      "POST /1 HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
      "\r\n"  // a stray blank line between requests is tolerated
      "PUT /2 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
  ASSERT_EQ(o.error_status, 0);
  ASSERT_EQ(o.requests.size(), 2u);
  EXPECT_EQ(o.requests[0].body, "hello");
  EXPECT_EQ(o.requests[1].method, "PUT");
  EXPECT_EQ(o.requests[1].body, "abc");
  EXPECT_TRUE(o.saw_headers_done);
}

TEST(RequestParserTest, ChunkedBody) {
  Outcome o = Parse(
      "POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n"
      "A\r\n0123456789\r\n1;ext=1\r\n!\r\n0\r\nTrailer: t\r\n\r\n");
  ASSERT_EQ(o.error_status, 0);
  ASSERT_EQ(o.requests.size(), 1u);
  EXPECT_EQ(o.requests[0].body, "0123456789!");
}

TEST(RequestParserTest, BareLineFeedsAreTolerated) {
  Outcome o = Parse("POST / HTTP/1.1\nContent-Length: 2\n\nok");
  ASSERT_EQ(o.requests.size(), 1u);
  EXPECT_EQ(o.requests[0].body, "ok");
}

TEST(RequestParserTest, KeepAliveRules) {
  struct Case {
    const char* head;
    bool keep_alive;
  };
  for (const Case& c : {
           Case{"GET / HTTP/1.1\r\n\r\n", true},
           Case{"GET / HTTP/1.1\r\nConnection: close\r\n\r\n", false},
           Case{"GET / HTTP/1.1\r\nConnection: TE, Close\r\n\r\n", false},
           Case{"GET / HTTP/1.0\r\n\r\n", false},
           Case{"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true},
       }) {
    RequestParser parser({});
    size_t used = 0;
    ASSERT_EQ(parser.Parse(c.head, &used), Result::kComplete) << c.head;
    EXPECT_EQ(parser.keep_alive(), c.keep_alive) << c.head;
  }
}

TEST(RequestParserTest, ExpectContinue) {
  RequestParser parser({});
  size_t used = 0;
  ASSERT_EQ(parser.Parse("POST / HTTP/1.1\r\nContent-Length: 2\r\n"
                         "Expect: 100-Continue\r\n\r\nhi",
                         &used),
            Result::kHeadersDone);
  EXPECT_TRUE(parser.expects_continue());
  // HTTP/1.0 clients cannot ask for it.
  RequestParser old({});
  ASSERT_EQ(old.Parse("POST / HTTP/1.0\r\nContent-Length: 2\r\n"
                      "Expect: 100-continue\r\n\r\n",
                      &used),
            Result::kHeadersDone);
  EXPECT_FALSE(old.expects_continue());
}

TEST(RequestParserTest, Limits) {
  ParserLimits limits;
  limits.max_header_bytes = 64;
  limits.max_body_bytes = 10;
  EXPECT_EQ(
      Parse("GET / HTTP/1.1\r\nX: " + std::string(60, 'a') + "\r\n\r\n", limits)
          .error_status,
      431);
  // A line that never ends is refused as soon as it is too long.
  EXPECT_EQ(ParseAll("GET /" + std::string(100, 'a'), 0, limits).error_status,
            431);
  EXPECT_EQ(Parse("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", limits)
                .error_status,
            413);
  EXPECT_EQ(Parse("POST / HTTP/1.1\r\nContent-Length: "
                  "99999999999999999999999999\r\n\r\n",
                  limits)
                .error_status,
            413);
  EXPECT_EQ(Parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "6\r\nabcdef\r\n5\r\n",
                  limits)
                .error_status,
            413);
  EXPECT_EQ(Parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "ffffffffffffffffffffffff\r\n",
                  limits)
                .error_status,
            413);
  Outcome exact =
      Parse("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789", limits);
  EXPECT_EQ(exact.error_status, 0);
  EXPECT_EQ(exact.requests.size(), 1u);
}

TEST(RequestParserTest, MalformedRequests) {
  for (const char* input : {
           "GARBAGE\r\n\r\n",
           "GET / HTTP/1.1 extra\r\n\r\n",
           "GET  / HTTP/1.1\r\n\r\n",
           "G(T / HTTP/1.1\r\n\r\n",
           "GET relative HTTP/1.1\r\n\r\n",
           "GET / HTTX/1.1\r\n\r\n",
           "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
           "GET / HTTP/1.1\r\nBad Name: v\r\n\r\n",
           "GET / HTTP/1.1\r\n: empty\r\n\r\n",
           "GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",
           "GET / HTTP/1.1\r\nA: b\rc\r\n\r\n",
           "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
           "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
           "POST / HTTP/1.1\r\nContent-Length: 1\r\n"
           "Transfer-Encoding: chunked\r\n\r\n",
           "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n",
           "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
           "2\r\nabc\r\n",
       }) {
    EXPECT_EQ(Parse(input).error_status, 400) << input;
  }
  EXPECT_EQ(Parse("GET / HTTP/2.0\r\n\r\n").error_status, 505);
  EXPECT_EQ(Parse("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")
                .error_status,
            501);
}

TEST(RequestParserTest, AgreeingContentLengthsAreAccepted) {
  Outcome o = Parse(
      "POST / HTTP/1.1\r\nContent-Length: 2, 2\r\n"
      "Content-Length: 2\r\n\r\nok");
  EXPECT_EQ(o.error_status, 0);
  ASSERT_EQ(o.requests.size(), 1u);
  EXPECT_EQ(o.requests[0].body, "ok");
}

}  // namespace
}  // namespace http_internal
}  // namespace hubspot_emulator
