#include "tests/support/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

extern char** environ;

namespace hubspot_gateway::testing {

absl::StatusOr<std::unique_ptr<Subprocess>> Subprocess::Start(
    const std::vector<std::string>& argv,
    const std::map<std::string, std::string>& env) {
  int out[2];
  int err[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    return absl::InternalError("pipe failed");
  }
  std::map<std::string, std::string> merged;
  for (char** e = environ; *e != nullptr; ++e) {
    const char* eq = std::strchr(*e, '=');
    if (eq != nullptr)
      merged[std::string(*e, static_cast<size_t>(eq - *e))] = eq + 1;
  }
  for (const auto& [k, v] : env) merged[k] = v;
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : merged)
    env_strings.push_back(absl::StrCat(k, "=", v));
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> argvp;
  for (auto& a : args) argvp.push_back(a.data());
  argvp.push_back(nullptr);

  auto process = std::unique_ptr<Subprocess>(new Subprocess());
  const pid_t parent = getpid();
  process->pid_ = fork();
  if (process->pid_ == 0) {
    // A crashed test must not leave servers behind.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(out[1], 1);
    dup2(err[1], 2);
    // The child must not inherit the test's blocked signals.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execve(argvp[0], argvp.data(), envp.data());
    static constexpr char kFailed[] = "execve failed\n";
    (void)!write(2, kFailed, sizeof kFailed - 1);
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  if (process->pid_ < 0) {
    close(out[0]);
    close(err[0]);
    return absl::InternalError(absl::StrCat("cannot fork for ", argv[0]));
  }
  {
    absl::MutexLock lock(&process->mu_);
    process->open_streams_ = 2;
  }
  Subprocess* raw = process.get();
  process->readers_.emplace_back([raw, fd = out[0]] { raw->ReadLoop(fd); });
  process->readers_.emplace_back([raw, fd = err[0]] { raw->ReadLoop(fd); });
  return process;
}

void Subprocess::ReadLoop(int fd) {
  char buffer[4096];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      absl::MutexLock lock(&mu_);
      output_.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    break;
  }
  close(fd);
  absl::MutexLock lock(&mu_);
  --open_streams_;
}

std::optional<std::string> Subprocess::WaitForOutput(absl::string_view needle,
                                                     absl::Duration timeout) {
  const std::string wanted(needle);
  absl::MutexLock lock(&mu_);
  auto found_or_closed = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return output_.find(wanted) != std::string::npos || open_streams_ == 0;
  };
  mu_.AwaitWithTimeout(absl::Condition(&found_or_closed), timeout);
  const size_t at = output_.find(wanted);
  if (at == std::string::npos) return std::nullopt;
  const size_t begin = output_.rfind('\n', at);
  const size_t end = output_.find('\n', at);
  return output_.substr(
      begin == std::string::npos ? 0 : begin + 1,
      end == std::string::npos ? std::string::npos : end - (begin + 1));
}

std::string Subprocess::Output() const {
  absl::MutexLock lock(&mu_);
  return output_;
}

void Subprocess::Signal(int signal) {
  if (!reaped_) kill(pid_, signal);
}

absl::StatusOr<int> Subprocess::Wait(absl::Duration timeout) {
  // The streams close when the child exits (it holds their only writers).
  {
    absl::MutexLock lock(&mu_);
    auto closed = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return open_streams_ == 0;
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&closed), timeout)) {
      return absl::DeadlineExceededError("child still running");
    }
  }
  int status = 0;
  waitpid(pid_, &status, 0);
  reaped_ = true;
  for (auto& t : readers_) t.join();
  readers_.clear();
  FailOnSanitizerReport();
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

void Subprocess::FailOnSanitizerReport() {
  if (checked_) return;
  checked_ = true;
  const std::string output = Output();
  // The first line of each sanitizer's reports; the failure shows the output
  // from the earliest one on (UBSan, for one, goes on after its report).
  size_t first = std::string::npos;
  for (const char* marker :
       {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
        "WARNING: ThreadSanitizer", "ERROR: ThreadSanitizer",
        ": runtime error: "}) {
    first = std::min(first, output.find(marker));
  }
  if (first == std::string::npos) return;
  const size_t begin = output.rfind('\n', first);
  ADD_FAILURE() << "sanitizer report from child " << pid_ << ":\n"
                << output.substr(begin == std::string::npos ? 0 : begin + 1);
}

Subprocess::~Subprocess() {
  if (!reaped_) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  for (auto& t : readers_) t.join();
  FailOnSanitizerReport();
}

}  // namespace hubspot_gateway::testing
