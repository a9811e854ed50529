#ifndef HUBSPOT_GATEWAY_FUZZ_FUZZ_SUPPORT_H_
#define HUBSPOT_GATEWAY_FUZZ_FUZZ_SUPPORT_H_

#include <cstdio>
#include <cstdlib>

#include "google/protobuf/message.h"
#include "google/protobuf/util/message_differencer.h"

// An invariant of the code under test. Unlike assert() it stays on in
// release builds (the fuzz build is RelWithDebInfo, NDEBUG), and a failure
// is a crash to libFuzzer: it stops, saves the input and reports.
#define FUZZ_CHECK(cond, ...)                                        \
  do {                                                               \
    if (!(cond)) {                                                   \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, \
                   __LINE__, #cond);                                 \
      std::fprintf(stderr, __VA_ARGS__);                             \
      std::fprintf(stderr, "\n");                                    \
      std::abort();                                                  \
    }                                                                \
  } while (0)

namespace hubspot_gateway::fuzz {

// FUZZ_VERBOSE=1 in the environment: each fuzzer says what the code under
// test made of an input (for writing seeds; off while fuzzing).
inline bool Verbose() {
  static const bool verbose = [] {
    const char* v = std::getenv("FUZZ_VERBOSE");
    return v != nullptr && *v != '\0' && *v != '0';
  }();
  return verbose;
}

// True when the two messages are equal; otherwise prints both.
inline bool SameMessage(const google::protobuf::Message& a,
                        const google::protobuf::Message& b) {
  if (google::protobuf::util::MessageDifferencer::Equals(a, b)) return true;
  std::fprintf(stderr, "first:  %s\nsecond: %s\n", a.ShortDebugString().c_str(),
               b.ShortDebugString().c_str());
  return false;
}

}  // namespace hubspot_gateway::fuzz

#endif  // HUBSPOT_GATEWAY_FUZZ_FUZZ_SUPPORT_H_
