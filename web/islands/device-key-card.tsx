/**
 * A device key shown once (after provisioning or rotation) with the QR codes that configure a camera or a phone
 * running Traccar Client. The key also appears as text, so nobody depends on a camera to read it.
 */
import { renderSVG } from 'uqr';
import { cameraSetup, OSMAND_PATH, traccarClientSetup, unreachableFromDevices } from './device-setup-codes.ts';
import { useI18n } from './use-i18n.ts';

export interface DeviceKeyCardProps {
  title: string;
  deviceKey: string;
  serverUrl: string;
  /** Carried in the camera's setup code, so the unit knows which way it looks. */
  cameraRole: string;
  onDone: () => void;
}

export function DeviceKeyCard({ title, deviceKey, serverUrl, cameraRole, onDone }: DeviceKeyCardProps) {
  const { t } = useI18n();
  const codes = [
    { id: 'camera', label: t('devices.qrCamera'), help: t('devices.qrCameraHelp'), text: cameraSetup(serverUrl, deviceKey, cameraRole) },
    { id: 'phone', label: t('devices.qrPhone'), help: t('devices.qrPhoneHelp', { url: `${serverUrl.replace(/\/+$/, '')}${OSMAND_PATH}` }), text: traccarClientSetup(serverUrl, deviceKey) },
  ];
  return (
    <section class="card key-card" role="alert" aria-labelledby="key-card-title" data-testid="device-key-card">
      <h2 id="key-card-title">{title}</h2>
      <p>{t('devices.keyOnce')}</p>
      <p>
        <code class="device-key" data-testid="device-key">
          {deviceKey}
        </code>
      </p>
      {unreachableFromDevices(serverUrl) && (
        <p class="notice" role="note" data-testid="qr-unreachable">
          {t('devices.localhostWarning', { url: serverUrl.replace(/\/+$/, '') })}
        </p>
      )}
      <div class="qr-codes">
        {codes.map((code) => (
          <figure class="qr" data-qr={code.id} data-qr-text={code.text}>
            <div aria-hidden="true" dangerouslySetInnerHTML={{ __html: renderSVG(code.text) }} />
            <figcaption>
              <strong>{code.label}</strong>
              <br />
              <small>{code.help}</small>
            </figcaption>
          </figure>
        ))}
      </div>
      <button type="button" onClick={onDone}>
        {t('devices.done')}
      </button>
    </section>
  );
}
