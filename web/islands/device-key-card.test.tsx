import { renderToString } from 'preact-render-to-string';
import { renderSVG } from 'uqr';
import { describe, expect, it } from 'vitest';
import { i18nFor } from '../i18n/messages.ts';
import { DeviceKeyCard } from './device-key-card.tsx';
import { cameraSetup, traccarClientSetup, unreachableFromDevices } from './device-setup-codes.ts';
import { I18nContext } from './use-i18n.ts';

describe('device key card', () => {
  it('shows the key as text and as QR codes that encode the camera and Traccar Client set-ups', () => {
    const key = 'twd_0123456789abcdef';
    const html = renderToString(
      <I18nContext.Provider value={i18nFor('en')}>
        <DeviceKeyCard title="Camera 1234ABC" deviceKey={key} serverUrl="https://fleet.example/" cameraRole="dual" onDone={() => {}} />
      </I18nContext.Provider>,
    );
    expect(html).toContain(`<code class="device-key" data-testid="device-key">${key}</code>`);
    // Each code's SVG is exactly the QR of its text (uqr is deterministic), so the codes carry what they say.
    expect(html).toContain(renderSVG(cameraSetup('https://fleet.example/', key, 'dual')));
    expect(html).toContain(renderSVG(traccarClientSetup('https://fleet.example/', key)));
    expect(html).toContain('Server URL: https://fleet.example/api/v1/osmand');
    expect(html).toContain('role="alert"');
    expect(html).toContain('&quot;camera_role&quot;:&quot;dual&quot;');
    expect(html).not.toContain('data-testid="qr-unreachable"');
  });

  it('warns when the codes point to an address only this computer can reach', () => {
    for (const serverUrl of ['http://localhost:3000', 'http://127.0.0.1:8787/', 'http://[::1]:3000', 'http://0.0.0.0:3000', 'http://app.localhost']) {
      const html = renderToString(
        <I18nContext.Provider value={i18nFor('es')}>
          <DeviceKeyCard title="Cámara" deviceKey="twd_x" serverUrl={serverUrl} cameraRole="cabin" onDone={() => {}} />
        </I18nContext.Provider>,
      );
      expect(html, serverUrl).toContain('data-testid="qr-unreachable"');
      expect(html).toContain('PUBLIC_URL');
    }
    expect(unreachableFromDevices('http://192.168.1.20:3000')).toBe(false);
    expect(unreachableFromDevices('https://fleet.example')).toBe(false);
  });
});
