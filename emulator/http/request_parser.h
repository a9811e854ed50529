#ifndef HUBSPOT_EMULATOR_HTTP_REQUEST_PARSER_H_
#define HUBSPOT_EMULATOR_HTTP_REQUEST_PARSER_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "emulator/http/http_server.h"

namespace hubspot_emulator {
namespace http_internal {

struct ParserLimits {
  size_t max_header_bytes = 64 * 1024;
  size_t max_body_bytes = size_t{1} << 30;
};

// Turns a connection's bytes into requests, one at a time. Only the current
// head line is buffered here; body bytes go straight into the request, so a
// large upload is copied once, however it is split.
class RequestParser {
 public:
  enum class Result {
    kNeedMore,     // every byte given was consumed
    kHeadersDone,  // headers read and a body follows: time for 100 Continue
    kComplete,     // TakeRequest(); bytes past the request were not consumed
    kError,        // error_status() and error_message(); the connection ends
  };

  explicit RequestParser(ParserLimits limits);

  // Consumes a prefix of `data`, stopping after the headers of a request
  // that has a body, and after each complete request.
  Result Parse(absl::string_view data, size_t* consumed);

  // Valid from kHeadersDone or kComplete until TakeRequest().
  bool keep_alive() const { return keep_alive_; }
  bool expects_continue() const { return expects_continue_; }
  // From kHeadersDone: the request so far (line and headers, no body yet).
  const HttpRequest& head() const { return request_; }

  int error_status() const { return error_status_; }
  const std::string& error_message() const { return error_message_; }

  // After kComplete: the request, and the parser is ready for the next one.
  HttpRequest TakeRequest();

 private:
  enum class State {
    kStart,  // before the request line
    kHeaders,
    kBody,  // Content-Length bytes
    kChunkSize,
    kChunkData,
    kChunkDataEnd,  // the CRLF after a chunk's data
    kTrailers,
    kComplete,
    kError,
  };

  // Moves the next line (without its line end) into line_; false when the
  // line is not complete yet, or is too long (then state_ is kError).
  bool NextLine(absl::string_view data, size_t* pos);
  // Returns true when the headers are done and a body follows.
  bool OnLine(absl::string_view line);
  void ParseRequestLine(absl::string_view line);
  void ParseHeaderLine(absl::string_view line);
  bool EndOfHeaders();
  void ParseChunkSize(absl::string_view line);
  void Fail(int status, std::string message);

  const ParserLimits limits_;
  State state_ = State::kStart;
  std::string line_;
  size_t head_bytes_ = 0;   // request line, headers and trailers so far
  uint64_t remaining_ = 0;  // of the Content-Length body or current chunk
  int http_minor_ = 1;
  bool keep_alive_ = true;
  bool expects_continue_ = false;
  HttpRequest request_;
  int error_status_ = 0;
  std::string error_message_;
};

}  // namespace http_internal
}  // namespace hubspot_emulator

#endif  // HUBSPOT_EMULATOR_HTTP_REQUEST_PARSER_H_
