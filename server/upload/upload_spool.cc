#include "server/upload/upload_spool.h"

#include <atomic>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"

namespace hubspot_gateway {
namespace {

// An unnamed file in `directory`, readable by this process only; the kernel
// removes it when the last descriptor closes, crash included.
absl::StatusOr<int> OpenAnonymousFile(const std::string& directory) {
  int fd = open(directory.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  // File systems without O_TMPFILE: a named file, unlinked at once.
  std::string pattern = directory + "/.hubspot-upload-XXXXXX";
  fd = mkostemp(pattern.data(), O_CLOEXEC);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot create a spool file in ", directory, ": ",
                     std::strerror(errno), " (check upload.spoolDirectory)"));
  }
  unlink(pattern.c_str());
  return fd;
}

}  // namespace

absl::StatusOr<std::shared_ptr<UploadSpool>> UploadSpool::Create(
    const std::string& directory, std::string import_request_json,
    std::vector<UploadFileSpec> files, int64_t window_bytes) {
  absl::StatusOr<int> fd = OpenAnonymousFile(directory);
  if (!fd.ok()) return fd.status();
  return std::shared_ptr<UploadSpool>(new UploadSpool(
      *fd, std::move(import_request_json), std::move(files), window_bytes));
}

UploadSpool::UploadSpool(int fd, std::string json,
                         std::vector<UploadFileSpec> files,
                         int64_t window_bytes)
    : fd_(fd),
      files_(std::move(files)),
      length_(framing_.BodyLength(json, files_)),
      window_(window_bytes) {
  Segment opening;
  opening.memory = framing_.Opening(json, files_.at(0));
  Segment first;
  first.in_file = true;
  absl::MutexLock lock(&mu_);
  segments_.push_back(std::move(opening));
  segments_.push_back(std::move(first));
}

namespace {
std::atomic<int64_t> bytes_on_disk{0};
}  // namespace

int64_t UploadSpool::BytesOnDiskOfAll() { return bytes_on_disk.load(); }

int64_t UploadSpool::ExtentAfter(int64_t spooled) const {
  return window_ > 0 ? std::min(spooled, window_) : spooled;
}

UploadSpool::~UploadSpool() {
  int64_t spooled;
  {
    absl::MutexLock lock(&mu_);
    spooled = spooled_;
  }
  bytes_on_disk.fetch_sub(ExtentAfter(spooled));
  close(fd_);
}

int64_t UploadSpool::Position(int64_t offset) const {
  return window_ > 0 ? offset % window_ : offset;
}

int64_t UploadSpool::Contiguous(int64_t offset) const {
  return window_ > 0 ? window_ - offset % window_
                     : std::numeric_limits<int64_t>::max();
}

absl::Status UploadSpool::Append(absl::string_view data) {
  absl::MutexLock lock(&mu_);
  if (static_cast<int64_t>(data.size()) > RoomLocked()) {
    return absl::InternalError(
        "upload spool: a chunk was appended without room for it");
  }
  size_t written = 0;
  while (written < data.size()) {
    const int64_t at = spooled_ + static_cast<int64_t>(written);
    const size_t want = static_cast<size_t>(std::min<int64_t>(
        static_cast<int64_t>(data.size() - written), Contiguous(at)));
    const ssize_t n =
        pwrite(fd_, data.data() + written, want, Position(at));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return absl::UnavailableError(absl::StrCat(
          "cannot write to the upload spool: ", std::strerror(errno),
          " (is upload.spoolDirectory full?)"));
    }
    written += static_cast<size_t>(n);
  }
  bytes_on_disk.fetch_add(
      ExtentAfter(spooled_ + static_cast<int64_t>(written)) -
      ExtentAfter(spooled_));
  spooled_ += static_cast<int64_t>(written);
  segments_.back().file_length += static_cast<int64_t>(written);
  WakeLocked();
  return absl::OkStatus();
}

int64_t UploadSpool::Room() const {
  absl::MutexLock lock(&mu_);
  return RoomLocked();
}

int64_t UploadSpool::RoomLocked() const {
  if (window_ == 0) return std::numeric_limits<int64_t>::max();
  return window_ - (spooled_ - consumed_);
}

bool UploadSpool::WaitForRoom(int64_t bytes,
                              absl::AnyInvocable<void()> ready) {
  absl::MutexLock lock(&mu_);
  if (RoomLocked() >= bytes) return true;
  room_wanted_ = bytes;
  room_ready_ = std::move(ready);
  return false;
}

absl::AnyInvocable<void()> UploadSpool::CancelWait() {
  absl::MutexLock lock(&mu_);
  return std::move(room_ready_);
}

void UploadSpool::NextFile() {
  absl::MutexLock lock(&mu_);
  ++current_file_;
  Segment between;
  between.memory = framing_.Between(files_.at(current_file_));
  Segment file;
  file.in_file = true;
  file.file_offset = spooled_;
  segments_.push_back(std::move(between));
  segments_.push_back(std::move(file));
  WakeLocked();
}

void UploadSpool::Seal() {
  absl::MutexLock lock(&mu_);
  Segment closing;
  closing.memory = framing_.Closing();
  segments_.push_back(std::move(closing));
  sealed_ = true;
  WakeLocked();
}

size_t UploadSpool::Read(char* buffer, size_t n) {
  absl::AnyInvocable<void()> room_ready;
  size_t result = kWouldBlock;
  {
    absl::MutexLock lock(&mu_);
    result = ReadLocked(buffer, n);
    if (read_counter_ != nullptr && result != kWouldBlock) {
      read_counter_->Increment(static_cast<double>(result));
    }
    if (room_ready_ && RoomLocked() >= room_wanted_) {
      room_ready = std::move(room_ready_);
      room_ready_ = nullptr;
    }
  }
  // Outside the lock: the caller's side appends from here.
  if (room_ready) room_ready();
  return result;
}

size_t UploadSpool::ReadLocked(char* buffer, size_t n) {
  while (read_segment_ < segments_.size()) {
    const Segment& s = segments_[read_segment_];
    const int64_t size =
        s.in_file ? s.file_length : static_cast<int64_t>(s.memory.size());
    const int64_t left = size - read_offset_;
    if (left > 0) {
      size_t count =
          static_cast<size_t>(std::min<int64_t>(left, static_cast<int64_t>(n)));
      if (!s.in_file) {
        std::memcpy(buffer, s.memory.data() + read_offset_, count);
        read_offset_ += static_cast<int64_t>(count);
        return count;
      }
      const int64_t at = s.file_offset + read_offset_;
      count = static_cast<size_t>(
          std::min<int64_t>(static_cast<int64_t>(count), Contiguous(at)));
      const ssize_t got = pread(fd_, buffer, count, Position(at));
      if (got <= 0) return 0;  // Ends the body short: HubSpot gets no import.
      read_offset_ += got;
      consumed_ += got;
      return static_cast<size_t>(got);
    }
    // This segment is done only once a later one exists.
    if (read_segment_ + 1 == segments_.size()) break;
    ++read_segment_;
    read_offset_ = 0;
  }
  if (sealed_ && read_segment_ + 1 == segments_.size()) {
    const Segment& last = segments_.back();
    if (!last.in_file &&
        read_offset_ == static_cast<int64_t>(last.memory.size())) {
      return 0;
    }
  }
  reader_waiting_ = true;
  return kWouldBlock;
}

bool UploadSpool::RewindableLocked() const {
  // Byte `window_` of the files went where byte 0 was.
  return window_ == 0 || spooled_ <= window_;
}

bool UploadSpool::Rewindable() const {
  absl::MutexLock lock(&mu_);
  return RewindableLocked();
}

bool UploadSpool::Rewind() {
  absl::MutexLock lock(&mu_);
  if (!RewindableLocked()) return false;
  consumed_ = 0;
  read_segment_ = 0;
  read_offset_ = 0;
  return true;
}

void UploadSpool::SetWaker(absl::AnyInvocable<void()> waker) {
  absl::MutexLock lock(&mu_);
  waker_ = std::move(waker);
}

void UploadSpool::WakeLocked() {
  if (reader_waiting_ && waker_) {
    reader_waiting_ = false;
    waker_();
  }
}

}  // namespace hubspot_gateway
