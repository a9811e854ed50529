#include "tests/soak/process_census.h"

#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace hubspot_gateway::soak {
namespace {

// Entry names of a directory, "." and ".." left out.
absl::StatusOr<std::vector<std::string>> Entries(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr)
    return absl::NotFoundError(absl::StrCat("cannot open ", dir));
  std::vector<std::string> names;
  while (dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(d);
  return names;
}

// The value of "<key>:" in /proc/<pid>/status, e.g. "VmRSS" -> "1234 kB".
std::string StatusField(pid_t pid, absl::string_view key) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  const std::string prefix = absl::StrCat(key, ":");
  for (std::string line; std::getline(in, line);) {
    if (absl::StartsWith(line, prefix)) {
      return std::string(
          absl::StripAsciiWhitespace(line.substr(prefix.size())));
    }
  }
  return "";
}

// Socket inodes of TCP connections (either end) whose remote port is
// `port`, from the process's view of its network namespace.
absl::flat_hash_set<std::string> SocketsToPort(pid_t pid, int port) {
  absl::flat_hash_set<std::string> inodes;
  const std::string hex_port =
      absl::StrCat(":", absl::Hex(port, absl::kZeroPad4));
  for (const char* table : {"tcp", "tcp6"}) {
    std::ifstream in(absl::StrCat("/proc/", pid, "/net/", table));
    std::string line;
    std::getline(in, line);  // the header
    while (std::getline(in, line)) {
      std::vector<absl::string_view> cols =
          absl::StrSplit(line, ' ', absl::SkipEmpty());
      // sl local rem st tx:rx tr:when retr uid timeout inode …
      if (cols.size() < 10) continue;
      if (absl::EndsWithIgnoreCase(cols[2], hex_port)) {
        inodes.insert(std::string(cols[9]));
      }
    }
  }
  return inodes;
}

}  // namespace

absl::StatusOr<int64_t> ResidentKib(pid_t pid) {
  const std::string rss = StatusField(pid, "VmRSS");
  int64_t kib = 0;
  if (!absl::SimpleAtoi(rss.substr(0, rss.find(' ')), &kib)) {
    return absl::NotFoundError(absl::StrCat("no VmRSS for pid ", pid));
  }
  return kib;
}

bool ProcessAlive(pid_t pid) {
  const std::string state = StatusField(pid, "State");
  return !state.empty() && state[0] != 'Z' && state[0] != 'X';
}

bool IsGrpcPoolThread(absl::string_view comm) {
  static constexpr absl::string_view kPools[] = {
      "default-executo", "resolver-execut", "grpc_global_tim", "timer_manager",
      "event_engine",    "nexting_thread",  "grpcpp_sync_ser"};
  for (absl::string_view pool : kPools) {
    if (comm == pool) return true;
  }
  return false;
}

std::string ThreadNameChanges(const ProcessCensus& from,
                              const ProcessCensus& to) {
  std::map<std::string, int> delta;
  for (const auto& [name, n] : to.thread_names) delta[name] += n;
  for (const auto& [name, n] : from.thread_names) delta[name] -= n;
  std::vector<std::string> parts;
  for (const auto& [name, n] : delta) {
    if (n != 0) parts.push_back(absl::StrCat(n > 0 ? "+" : "", n, " ", name));
  }
  return absl::StrJoin(parts, ", ");
}

absl::StatusOr<ProcessCensus> TakeCensus(pid_t pid, int upstream_port,
                                         const std::string& spool_dir) {
  ProcessCensus census;
  absl::StatusOr<int64_t> rss = ResidentKib(pid);
  if (!rss.ok()) return rss.status();
  census.rss_kib = *rss;
  absl::StatusOr<std::vector<std::string>> tasks =
      Entries(absl::StrCat("/proc/", pid, "/task"));
  if (!tasks.ok()) return tasks.status();
  census.threads = static_cast<int>(tasks->size());
  for (const std::string& tid : *tasks) {
    std::ifstream comm(absl::StrCat("/proc/", pid, "/task/", tid, "/comm"));
    std::string name;
    if (!std::getline(comm, name)) continue;  // gone since the listing
    ++census.thread_names[name];
    census.grpc_pool_threads += IsGrpcPoolThread(name);
  }
  const std::string fd_dir = absl::StrCat("/proc/", pid, "/fd");
  absl::StatusOr<std::vector<std::string>> fds = Entries(fd_dir);
  if (!fds.ok()) return fds.status();
  census.fds = static_cast<int>(fds->size());
  const absl::flat_hash_set<std::string> upstream =
      upstream_port > 0 ? SocketsToPort(pid, upstream_port)
                        : absl::flat_hash_set<std::string>();
  for (const std::string& fd : *fds) {
    char target[4096];
    const ssize_t n = readlink(absl::StrCat(fd_dir, "/", fd).c_str(), target,
                               sizeof target - 1);
    if (n <= 0) continue;  // closed since the listing
    const absl::string_view link(target, static_cast<size_t>(n));
    if (absl::StartsWith(link, "socket:[")) {
      const absl::string_view inode = link.substr(8, link.size() - 9);
      if (upstream.contains(inode)) ++census.upstream_connections;
    } else if (!spool_dir.empty() &&
               absl::StartsWith(link, absl::StrCat(spool_dir, "/"))) {
      ++census.spool_files;
    }
  }
  return census;
}

}  // namespace hubspot_gateway::soak
