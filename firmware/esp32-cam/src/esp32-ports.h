// The ESP32 side of the core's ports, kept thin: each class forwards to one ESP-IDF / Arduino-ESP32 API.
// Compiled only by the ESP32 toolchain (PlatformIO or arduino-cli); the host build never sees this file.
#pragma once
#include <Arduino.h>
#include <Preferences.h>
#include <WiFi.h>
#include <WiFiClientSecure.h>
#include <esp_camera.h>
#include <esp_partition.h>

#include "ports.h"

namespace tw::esp32 {

/** Called while the unit waits on the network: keeps the GPS UART drained and the watchdog fed. */
using IdleHook = void (*)();

class EspClock : public Clock {
 public:
  explicit EspClock(IdleHook idle) : idle_(idle) {}
  uint64_t monotonic_ms() override { return static_cast<uint64_t>(esp_timer_get_time() / 1000); }
  void sleep_ms(uint32_t ms) override;

 private:
  IdleHook idle_;
};

class EspRandom : public Random {
 public:
  uint32_t next_u32() override { return esp_random(); }
};

/** The "twlog" data partition (partitions.csv) as raw NOR flash: esp_partition_read / write / erase_range. */
class PartitionFlash : public Flash {
 public:
  bool begin(const char* label);
  uint32_t size() const override { return partition_ ? partition_->size : 0; }
  uint32_t sector_size() const override { return SPI_FLASH_SEC_SIZE; }
  bool read(uint32_t offset, void* dst, uint32_t len) override { return esp_partition_read(partition_, offset, dst, len) == ESP_OK; }
  bool program(uint32_t offset, const void* src, uint32_t len) override { return esp_partition_write(partition_, offset, src, len) == ESP_OK; }
  bool erase_sector(uint32_t sector) override {
    return esp_partition_erase_range(partition_, sector * SPI_FLASH_SEC_SIZE, SPI_FLASH_SEC_SIZE) == ESP_OK;
  }

 private:
  const esp_partition_t* partition_ = nullptr;
};

/** Preferences (NVS): one putBytes per name is atomic — NVS writes the new entry before erasing the old one. */
class PreferencesSettings : public SettingsStore {
 public:
  bool begin(const char* ns) { return prefs_.begin(ns, false); }
  size_t load(const char* name, void* dst, size_t capacity) override;
  bool save(const char* name, const void* src, size_t len) override { return prefs_.putBytes(name, src, len) == len; }
  bool remove(const char* name) override { return prefs_.remove(name); }

 private:
  Preferences prefs_;
};

/** TCP or TLS over Wi-Fi. TLS checks the server against the root CA in root-ca.h; never "insecure". */
class WifiConnection : public Connection {
 public:
  explicit WifiConnection(IdleHook idle) : idle_(idle) {}
  bool open(const char* host, uint16_t port, bool tls, uint32_t timeout_ms) override;
  int write(const uint8_t* src, size_t len, uint32_t timeout_ms) override;
  int read(uint8_t* dst, size_t capacity, uint32_t timeout_ms) override;
  void close() override;

 private:
  WiFiClient plain_;
  WiFiClientSecure secure_;
  Client* active_ = nullptr;
  IdleHook idle_;
};

/** The OV2640 through esp32-camera; frames stay in the driver's buffer until release. */
class Esp32Camera : public Camera {
 public:
  bool capture(CameraFrame& out) override;
  void release(CameraFrame& frame) override;

 private:
  camera_fb_t* fb_ = nullptr;
};

}  // namespace tw::esp32
