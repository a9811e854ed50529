#include "tests/support/secret_volume.h"

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace hubspot_gateway::testing {

namespace fs = std::filesystem;

void SecretVolume::Publish(const std::map<std::string, std::string>& files) {
  const std::string version = absl::StrCat("..version_", ++version_);
  const fs::path version_dir = fs::path(dir_) / version;
  fs::create_directory(version_dir);
  for (const auto& [key, content] : files) {
    const fs::path file = version_dir / key;
    std::ofstream(file, std::ios::binary) << content;
    fs::permissions(file, fs::perms::owner_read);
    const fs::path link = fs::path(dir_) / key;
    if (!fs::is_symlink(link)) fs::create_symlink(fs::path("..data") / key, link);
  }
  const fs::path staged = fs::path(dir_) / "..data_tmp";
  fs::create_directory_symlink(version, staged);
  fs::rename(staged, fs::path(dir_) / "..data");
  ASSERT_TRUE(fs::exists(fs::path(dir_) / "..data"));
}

std::string SecretVolume::PathOf(absl::string_view key) const {
  return (fs::path(dir_) / std::string(key)).string();
}

}  // namespace hubspot_gateway::testing
