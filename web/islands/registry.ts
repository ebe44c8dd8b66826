/**
 * Every island by name, loaded on demand: a page downloads only the islands it shows (esbuild splits each into
 * its own chunk). The server renders the same components, importing them directly.
 */
import type { FunctionComponent } from 'preact';

export const islandLoaders: Record<string, () => Promise<{ default: FunctionComponent<any> }>> = {
  'live-status': () => import('./live-status.tsx'),
  'unread-badge': () => import('./unread-badge.tsx'),
  'login-form': () => import('./login-form.tsx'),
  'mfa-settings': () => import('./mfa-settings.tsx'),
  'logout-button': () => import('./logout-button.tsx'),
  'live-map': () => import('./live-map.tsx'),
  'alert-list': () => import('./alert-list.tsx'),
  'incident-review': () => import('./incident-review.tsx'),
  'frame-label': () => import('./frame-label.tsx'),
  'evidence-viewer': () => import('./evidence-viewer.tsx'),
  'spot-map': () => import('./spot-map.tsx'),
  'trip-replay': () => import('./trip-replay.tsx'),
  'device-provision': () => import('./device-provision.tsx'),
  'device-actions': () => import('./device-actions.tsx'),
  'camera-role-select': () => import('./camera-role-select.tsx'),
  'driver-assign': () => import('./driver-assign.tsx'),
  'driver-add': () => import('./driver-add.tsx'),
  'coaching-form': () => import('./coaching-form.tsx'),
  'driver-share-card': () => import('./driver-share-card.tsx'),
  'vehicle-add': () => import('./vehicle-add.tsx'),
  'fleet-settings': () => import('./fleet-settings.tsx'),
  'reports-panel': () => import('./reports-panel.tsx'),
  'evidence-player': () => import('./evidence-player.tsx'),
  'team-members': () => import('./team-members.tsx'),
  'licence-edit': () => import('./licence-edit.tsx'),
  'admin-health': () => import('./admin-health.tsx'),
  'admin-live-feed': () => import('./admin-live-feed.tsx'),
  'admin-fleet-forms': () => import('./admin-fleet-forms.tsx'),
  'admin-user-actions': () => import('./admin-user-actions.tsx'),
  'assistant-chat': () => import('./assistant-chat.tsx'),
  'push-card': () => import('./push-card.tsx'),
  'notification-settings': () => import('./notification-settings.tsx'),
  'escalation-settings': () => import('./escalation-settings.tsx'),
  'alert-deliveries': () => import('./alert-deliveries.tsx'),
};
