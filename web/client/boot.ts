/** What the server hands every page's scripts: language, fleet timezone, texts, map settings (see server/layout.tsx). */
import type { Lang, Messages } from '../i18n/i18n.ts';

export interface BootData {
  lang: Lang;
  timeZone: string;
  messages: Messages;
  /** Open the live feed on this page (signed-in pages only). */
  live: boolean;
  /** Leaflet tile URL template, or null for the tile-less map. */
  tileUrl: string | null;
  tileAttribution: string | null;
  /** The server's clock when the page was rendered (ISO): report ages are counted from it, not the device's. */
  serverTime: string;
  /** Unread alerts when the page was rendered; live alerts add to it. */
  unread: number;
}

export const BOOT_ELEMENT_ID = 'tw-boot';

/** JSON that is safe inside a <script> element and an HTML attribute. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export function readBoot(doc: Document = document): BootData {
  const element = doc.getElementById(BOOT_ELEMENT_ID);
  if (!element?.textContent) throw new Error(`the page has no #${BOOT_ELEMENT_ID} element: it was not rendered by web/server/layout.tsx`);
  return JSON.parse(element.textContent) as BootData;
}
