// The small interfaces the core talks to the hardware through. The ESP32 sketch and the host build each implement
// them; the core never includes a platform header. Every call may block only as long as its timeout says.
#pragma once
#include <cstddef>
#include <cstdint>

namespace tw {

/** Time as the device knows it. */
class Clock {
 public:
  virtual ~Clock() = default;
  /** Milliseconds since boot; never goes backwards. Timers and backoff use only this. */
  virtual uint64_t monotonic_ms() = 0;
  /** Waits (the host's virtual clock may just move time on). Other work is not done while waiting. */
  virtual void sleep_ms(uint32_t ms) = 0;
};

/**
 * A raw NOR-flash region: erased bytes read 0xFF; `program` may only clear bits (the result is old AND new), so an
 * area is written once between erases. Sector-sized erases. A power cut can leave a program or an erase partly
 * done; the ring buffer is built so that is always recoverable. Offsets are relative to the region's start.
 */
class Flash {
 public:
  virtual ~Flash() = default;
  virtual uint32_t size() const = 0;
  virtual uint32_t sector_size() const = 0;
  virtual bool read(uint32_t offset, void* dst, uint32_t len) = 0;
  virtual bool program(uint32_t offset, const void* src, uint32_t len) = 0;
  virtual bool erase_sector(uint32_t sector) = 0;
};

/**
 * Small named settings (credentials, endpoints, Wi-Fi). `save` is atomic per name: after a power cut, `load` returns
 * either the old or the new bytes, never a mix (ESP32: one Preferences/NVS entry; host: write, fsync, rename).
 * `load` returns the number of bytes read, or 0 when the name is absent.
 */
class SettingsStore {
 public:
  virtual ~SettingsStore() = default;
  virtual size_t load(const char* name, void* dst, size_t capacity) = 0;
  virtual bool save(const char* name, const void* src, size_t len) = 0;
  virtual bool remove(const char* name) = 0;
};

/** Result codes of Connection::read/write besides a byte count. */
enum IoResult : int { kIoClosed = 0, kIoError = -1, kIoTimeout = -2 };

/**
 * One TCP (or TLS, when `tls`) connection to a server; TLS and certificate checks are the platform's business.
 * The core keeps it open between requests to the same endpoint (UploadSession) and opens it again after a close;
 * a connection the peer closed must say so on the next write or read (an error or kIoClosed), never block.
 */
class Connection {
 public:
  virtual ~Connection() = default;
  virtual bool open(const char* host, uint16_t port, bool tls, uint32_t timeout_ms) = 0;
  /** Writes all bytes or fails: returns len, or kIoError / kIoTimeout. */
  virtual int write(const uint8_t* src, size_t len, uint32_t timeout_ms) = 0;
  /** Returns 1..capacity bytes, kIoClosed at end of stream, kIoError or kIoTimeout. */
  virtual int read(uint8_t* dst, size_t capacity, uint32_t timeout_ms) = 0;
  virtual void close() = 0;
};

/** A captured JPEG, owned by the camera until `release`. */
struct CameraFrame {
  const uint8_t* data = nullptr;
  size_t size = 0;
};

class Camera {
 public:
  virtual ~Camera() = default;
  /** Takes a picture; false when the camera failed (the core tries again at the next slot). */
  virtual bool capture(CameraFrame& out) = 0;
  virtual void release(CameraFrame& frame) = 0;
};

/** Randomness for backoff jitter and multipart boundaries (ESP32: esp_random; tests: seeded). */
class Random {
 public:
  virtual ~Random() = default;
  virtual uint32_t next_u32() = 0;
};

}  // namespace tw
