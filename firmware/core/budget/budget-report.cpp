// Prints the RAM each core object takes, as JSON, for the budget check (firmware/firmware-budget.test.ts) and
// firmware/README.md. The limits themselves are static_asserts in core/src/ram-budget.cpp, so a build that
// exceeds them fails on every platform.
#include <cstdio>

#include "device.h"
#include "provisioning.h"
#include "ram-budget.h"

int main() {
  using namespace tw;
  std::printf(
      "{\"Device\":%zu,\"FlashRing\":%zu,\"KeyRing\":%zu,\"GpsReceiver\":%zu,\"FrameQueue\":%zu,\"EndpointSelector\":%zu,"
      "\"Provisioning\":%zu,\"HttpResponse\":%zu,\"Fix\":%zu,\"batch\":%zu,\"core_total\":%zu,\"core_budget\":%zu}\n",
      sizeof(Device), sizeof(FlashRing), sizeof(KeyRing), sizeof(GpsReceiver), sizeof(FrameQueue), sizeof(EndpointSelector),
      sizeof(Provisioning), sizeof(HttpResponse), sizeof(Fix), sizeof(Fix) * kMaxBatch, kCoreRamBytes, kCoreRamBudgetBytes);
  return 0;
}
