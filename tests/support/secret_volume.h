#ifndef HUBSPOT_GATEWAY_TESTS_SUPPORT_SECRET_VOLUME_H_
#define HUBSPOT_GATEWAY_TESTS_SUPPORT_SECRET_VOLUME_H_

#include <map>
#include <string>

#include "absl/strings/string_view.h"

namespace hubspot_gateway::testing {

// A directory laid out as the kubelet lays out a mounted Secret: each key is
// a symlink "<key> -> ..data/<key>", "..data" a symlink to a directory of
// one version, and an update writes a new version's directory and swaps
// "..data" by rename, so that readers see the old set or the new, whole.
class SecretVolume {
 public:
  // `dir` must exist and be empty.
  explicit SecretVolume(std::string dir) : dir_(std::move(dir)) {}
  // Publishes `files` (key -> content, mode 0400) as the volume's content.
  void Publish(const std::map<std::string, std::string>& files);
  std::string PathOf(absl::string_view key) const;

 private:
  std::string dir_;
  int version_ = 0;
};

}  // namespace hubspot_gateway::testing

#endif  // HUBSPOT_GATEWAY_TESTS_SUPPORT_SECRET_VOLUME_H_
