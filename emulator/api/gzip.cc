#include "emulator/api/gzip.h"

#include <zlib.h>

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace hubspot_emulator {
namespace {

constexpr int kGzipWindowBits = 15 + 16;

}  // namespace

std::string Gzip(absl::string_view data) {
  z_stream s;
  std::memset(&s, 0, sizeof(s));
  deflateInit2(&s, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8,
               Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&s, data.size()), '\0');
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  s.avail_in = static_cast<uInt>(data.size());
  s.next_out = reinterpret_cast<Bytef*>(out.data());
  s.avail_out = static_cast<uInt>(out.size());
  deflate(&s, Z_FINISH);
  out.resize(out.size() - s.avail_out);
  deflateEnd(&s);
  return out;
}

absl::StatusOr<std::string> Gunzip(absl::string_view data, size_t max_bytes) {
  z_stream s;
  std::memset(&s, 0, sizeof(s));
  if (inflateInit2(&s, kGzipWindowBits) != Z_OK) {
    return absl::InternalError("inflateInit2 failed");
  }
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  s.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buffer[64 * 1024];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    s.next_out = reinterpret_cast<Bytef*>(buffer);
    s.avail_out = sizeof(buffer);
    rc = inflate(&s, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&s);
      return absl::InvalidArgumentError(
          "Content-Encoding: gzip, but the body is not valid gzip data");
    }
    out.append(buffer, sizeof(buffer) - s.avail_out);
    if (out.size() > max_bytes) {
      inflateEnd(&s);
      return absl::ResourceExhaustedError(
          absl::StrCat("the body inflates past ", max_bytes, " bytes"));
    }
    if (rc == Z_OK && s.avail_in == 0 && s.avail_out != 0) {
      inflateEnd(&s);
      return absl::InvalidArgumentError(
          "Content-Encoding: gzip, but the gzip data ends early");
    }
  }
  inflateEnd(&s);
  return out;
}

bool AcceptsGzip(absl::string_view accept_encoding) {
  for (absl::string_view part : absl::StrSplit(accept_encoding, ',')) {
    absl::string_view coding = absl::StripAsciiWhitespace(
        part.substr(0, part.find(';')));
    if (absl::EqualsIgnoreCase(coding, "gzip")) {
      // "gzip;q=0" refuses it.
      const size_t q = part.find("q=");
      double weight = 1;
      if (q != absl::string_view::npos &&
          !absl::SimpleAtod(absl::StripAsciiWhitespace(part.substr(q + 2)),
                            &weight)) {
        return false;
      }
      return weight > 0;
    }
  }
  return false;
}

}  // namespace hubspot_emulator
