/**
 * Start-up shared by the Node and Deno entries: configuration, platform, services, app, and an orderly
 * shutdown. Each entry only adds its own HTTP server and signal handling.
 */
import type { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { createApp } from '../app.ts';
import { ConfigError, loadConfig, publicUrl } from '../config.ts';
import type { Platform } from '../platform.ts';
import { startServices } from '../start-services.ts';
import { createLocalPlatform } from './local-platform.ts';
import { createDiskAssets } from '../adapters/assets/disk-assets.ts';
import { formatWelcome } from './welcome.ts';

export interface LocalServer {
  app: Hono<AppEnv>;
  platform: Platform;
  /** The text for a person once the server listens on `port`: what to open, the demo logins (first start) or how to get a login back. */
  welcome(port: number, demoDriving: boolean): string;
  shutdown(): Promise<void>;
}

/** Returns null (after printing why) when the configuration is invalid, so the entry can exit non-zero. */
export async function bootLocal(env: Record<string, string | undefined>, runtime: 'node' | 'deno'): Promise<LocalServer | null> {
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return null;
    }
    throw error;
  }
  const platform = await createLocalPlatform(config, runtime);
  const { demo } = await startServices(platform);
  const app = createApp(platform, { webAssets: createDiskAssets(new URL('../../web/dist/', import.meta.url)) });
  return {
    app,
    platform,
    welcome: (port, demoDriving) => formatWelcome({ url: publicUrl({ ...config, PORT: port }), demo, demoDriving, embedded: platform.db.embedded }),
    async shutdown() {
      await platform.queue.stop();
      await platform.close();
    },
  };
}
