/**
 * Builds the firmware's host targets (the C++ core, its GoogleTest suites, the virtual device) with CMake into
 * firmware/build, once per change: test files that need them call buildFirmware(), and a lock directory keeps two
 * vitest workers from building at the same time. Needs cmake, ninja, a C++17 compiler and GoogleTest (Debian:
 * `apt-get install -y cmake ninja-build g++ libgtest-dev`; .ci/run installs them).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const firmwareDir = dirname(fileURLToPath(import.meta.url));
export const repoRoot = dirname(firmwareDir);
export const buildDir = join(firmwareDir, 'build');

export interface FirmwareBuild {
  coreTests: string;
  virtualDevice: string;
  budgetReport: string;
  /** Object files of the core compiled for size (-Os), with their .su stack-usage files beside them. */
  sizeObjectsDir: string;
}

/** Runs `work` while holding the build directory's lock (other workers wait). */
export async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  const lock = join(buildDir, '.build-lock');
  mkdirSync(buildDir, { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than the longest build is left over from a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`firmware build lock ${lock} held for too long`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The build commands of firmware/README.md, run as written from the repository root (two jobs: the machine is shared). */
export const README_BUILD_COMMANDS = ['cmake -S firmware -B firmware/build -G Ninja', 'cmake --build firmware/build --parallel 2'];

export async function buildFirmware(): Promise<FirmwareBuild> {
  await withBuildLock(async () => {
    for (const command of README_BUILD_COMMANDS) await run('bash', ['-c', command], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
  }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`firmware build failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
  });
  return {
    coreTests: join(buildDir, 'core-tests'),
    virtualDevice: join(buildDir, 'virtual-device'),
    budgetReport: join(buildDir, 'budget-report'),
    sizeObjectsDir: join(buildDir, 'CMakeFiles', 'tw_core_size.dir', 'core', 'src'),
  };
}
