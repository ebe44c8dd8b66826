#include "ram-budget.h"

#include "device.h"
#include "provisioning.h"

namespace tw {

const size_t kCoreRamBytes = sizeof(Device) + sizeof(FlashRing) + sizeof(KeyRing) + sizeof(FrameQueue) + sizeof(Provisioning);

// Checked where it is built, for every target: a change that grows the core past its budget does not compile.
static_assert(sizeof(Device) + sizeof(FlashRing) + sizeof(KeyRing) + sizeof(FrameQueue) + sizeof(Provisioning) <= kCoreRamBudgetBytes,
              "the core's objects exceed their RAM budget (ram-budget.h)");
static_assert(sizeof(FlashRing) <= 1536, "the flash ring keeps only cursors and one word per sector in RAM");
static_assert(sizeof(Fix) * kMaxBatch <= 16 * 1024, "one batch of fixes is held in RAM while it is sent");

}  // namespace tw
