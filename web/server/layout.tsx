/**
 * The page shell: head (CSS, the client entry, boot data), a header with the live state, language and logout,
 * navigation (a bottom tab bar on phones, a sidebar on desktops) and the page's main landmark.
 */
import type { ComponentChildren } from 'preact';
import { BOOT_ELEMENT_ID, scriptJson, type BootData } from '../client/boot.ts';
import type { MessageKey } from '../i18n/messages-en.ts';
import LiveStatus from '../islands/live-status.tsx';
import LogoutButton from '../islands/logout-button.tsx';
import UnreadBadge from '../islands/unread-badge.tsx';
import { Island } from './island.tsx';
import type { PageContext } from './page-context.ts';
import type { WebManifest } from './web-assets.ts';

export type Section = 'map' | 'alerts' | 'incidents' | 'trips' | 'vehicles' | 'drivers' | 'devices' | 'settings' | 'reports' | 'assistant' | 'login' | 'admin' | 'admin-live' | 'admin-fleets' | 'admin-devices';

interface NavItem {
  section: Section;
  label: MessageKey;
  href?: string;
}

/** The admin console's sections, shown before the owner's to platform admins only. */
const ADMIN_NAV: NavItem[] = [
  { section: 'admin', label: 'nav.admin', href: '/admin' },
  { section: 'admin-live', label: 'nav.adminLive', href: '/admin/live' },
  { section: 'admin-fleets', label: 'nav.adminFleets', href: '/admin/fleets' },
  { section: 'admin-devices', label: 'nav.adminDevices', href: '/admin/devices' },
];

const NAV: NavItem[] = [
  { section: 'map', label: 'nav.map' },
  { section: 'alerts', label: 'nav.alerts' },
  { section: 'incidents', label: 'nav.incidents' },
  { section: 'trips', label: 'nav.trips' },
  { section: 'vehicles', label: 'nav.vehicles' },
  { section: 'drivers', label: 'nav.drivers' },
  { section: 'devices', label: 'nav.devices' },
  { section: 'settings', label: 'nav.settings' },
  { section: 'reports', label: 'nav.reports' },
  { section: 'assistant', label: 'nav.assistant' },
];

/** A phone's bottom bar holds this many destinations before "More" (which makes the fifth). */
export const BAR_DESTINATIONS = 4;

export interface LayoutProps {
  ctx: PageContext;
  section: Section;
  title: string;
  manifest: WebManifest | null;
  boot: Omit<BootData, 'lang' | 'timeZone' | 'messages' | 'unread'>;
  messages: BootData['messages'];
  unread: number;
  /** The URL of this page without ?lang=, for the language links. */
  path: string;
  children: ComponentChildren;
}

function LanguageLinks({ ctx, path }: { ctx: PageContext; path: string }) {
  const join = path.includes('?') ? '&' : '?';
  return (
    <nav class="lang" aria-label={ctx.i18n.t('lang.label')}>
      {(['es', 'en'] as const).map((lang) => (
        <a href={`${path}${join}lang=${lang}`} hrefLang={lang} lang={lang} aria-current={ctx.i18n.lang === lang ? 'true' : undefined} data-lang={lang}>
          {lang.toUpperCase()}
        </a>
      ))}
    </nav>
  );
}

/**
 * Every destination in one list: on phones the first few make the bottom bar and the rest open from "More" (an
 * HTML popover, no script); on wide screens the sidebar shows them all and "More" is not needed.
 */
function MainNav({ ctx, section, unread }: { ctx: PageContext; section: Section; unread: number }) {
  const { t } = ctx.i18n;
  const items = [...(ctx.principal?.role === 'admin' ? ADMIN_NAV : []), ...NAV];
  const link = (item: NavItem) =>
    item.section === 'alerts' ? (
      <Island name="unread-badge" component={UnreadBadge} props={{ initial: unread, current: section === 'alerts' }} />
    ) : (
      <a href={item.href ?? `/${item.section}`} class="nav-link" aria-current={section === item.section ? 'page' : undefined}>
        {t(item.label)}
      </a>
    );
  const rest = items.slice(BAR_DESTINATIONS);
  return (
    <nav class="main-nav" aria-label={t('nav.label')}>
      {items.slice(0, BAR_DESTINATIONS).map(link)}
      <button type="button" class={`nav-link nav-more${rest.some((item) => item.section === section) ? ' nav-more-current' : ''}`} popovertarget="nav-more-menu">
        {t('nav.more')}
      </button>
      <div id="nav-more-menu" class="nav-more-menu" popover="auto" aria-label={t('nav.moreLabel')} role="group">
        {rest.map(link)}
      </div>
    </nav>
  );
}

export function Layout({ ctx, section, title, manifest, boot, messages, unread, path, children }: LayoutProps) {
  const { t, lang, timeZone } = ctx.i18n;
  const signedIn = ctx.principal !== null;
  const bootData: BootData = { ...boot, lang, timeZone, messages, unread };
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#0f172a" />
        <link rel="manifest" href="/manifest.webmanifest" />
        <link rel="icon" href={manifest?.files['icon.svg'] ?? 'data:,'} />
        {manifest?.files['icon-192.png'] && <link rel="apple-touch-icon" href={manifest.files['icon-192.png']} />}
        <title>{`${title} · TaxiWatch`}</title>
        {manifest?.files['app.css'] && <link rel="stylesheet" href={manifest.files['app.css']} />}
        <script type="application/json" id={BOOT_ELEMENT_ID} dangerouslySetInnerHTML={{ __html: scriptJson(bootData) }} />
        {manifest?.files['main.js'] && <script type="module" src={manifest.files['main.js']} />}
      </head>
      <body class={`section-${section}`}>
        <a class="skip-link" href="#main">
          {t('nav.skip')}
        </a>
        <header class="top-bar">
          <a class="brand" href="/map">
            <span class="brand-product">TaxiWatch</span>
            {ctx.fleetName && <span class="fleet-name">{ctx.fleetName}</span>}
          </a>
          {signedIn && <Island name="live-status" component={LiveStatus} props={{}} />}
          <LanguageLinks ctx={ctx} path={path} />
          {signedIn && <Island name="logout-button" component={LogoutButton} props={{}} />}
        </header>
        {!manifest && (
          <p class="notice" role="note">
            {t('assets.missing')}
          </p>
        )}
        {signedIn && <MainNav ctx={ctx} section={section} unread={unread} />}
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </body>
    </html>
  );
}
