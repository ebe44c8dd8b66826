/**
 * Email and password, then the second factor when the server asks for it: a TOTP code (or recovery code), or for
 * an admin without one, enrolment (key + QR code), its first code, and the ten recovery codes, shown once and
 * confirmed as saved. Success lands on `next`.
 */
import { useEffect, useState } from 'preact/hooks';
import { renderSVG } from 'uqr';
import { ApiError, csrfToken, refreshSession } from '../client/api.ts';
import { RecoveryCodesCard } from './recovery-codes-card.tsx';
import { useI18n } from './use-i18n.ts';

type Step =
  | { kind: 'password' }
  | { kind: 'code'; mfaToken: string }
  | { kind: 'setup'; mfaToken: string; secret: string; uri: string }
  | { kind: 'codes'; codes: string[] };

async function post(path: string, body: unknown): Promise<any> {
  const res = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, json?.error?.code ?? 'error', json?.error?.message ?? `HTTP ${res.status}`);
  return json;
}

/** Session cookies are Secure: over plain HTTP (other than localhost) the browser drops them and no login can stick. */
function landWhenSignedIn(next: string): void {
  if (!csrfToken()) throw new Error('the browser refused the session cookies, which need HTTPS: open TaxiWatch over https:// or on localhost');
  location.assign(next);
}

export default function LoginForm({ next }: { next: string }) {
  const { t } = useI18n();
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // An expired access cookie with a live refresh cookie needs no password: try that first (the CSRF cookie lives
  // exactly as long as the refresh cookie, so without it there is nothing to try).
  useEffect(() => {
    if (csrfToken()) void refreshSession().then((ok) => ok && location.replace(next));
  }, []);

  const run = (work: (form: FormData) => Promise<void>) => async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await work(new FormData(event.currentTarget as HTMLFormElement));
    } catch (e) {
      setError(t('login.failed', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };

  const password = run(async (form) => {
    const result = await post('/api/v1/auth/login', { email: form.get('email'), password: form.get('password') });
    if (result.access_token) return landWhenSignedIn(next);
    if (result.mfa_required) return setStep({ kind: 'code', mfaToken: result.mfa_token });
    const enrolment = await post('/api/v1/auth/mfa/enroll', { mfa_token: result.mfa_token });
    setStep({ kind: 'setup', mfaToken: result.mfa_token, secret: enrolment.secret, uri: enrolment.otpauth_uri ?? enrolment.uri ?? '' });
  });

  const code = run(async (form) => {
    const value = String(form.get('code') ?? '').trim();
    if (step.kind === 'setup') {
      // The session exists now; the recovery codes are shown this once, before leaving the page.
      const { recovery_codes } = await post('/api/v1/auth/mfa/verify', { mfa_token: step.mfaToken, code: value });
      return setStep({ kind: 'codes', codes: recovery_codes });
    }
    if (step.kind === 'code') await post('/api/v1/auth/mfa/login', /^\d{6}$/.test(value) ? { mfa_token: step.mfaToken, code: value } : { mfa_token: step.mfaToken, recovery_code: value });
    landWhenSignedIn(next);
  });

  const leave = () => {
    try {
      landWhenSignedIn(next);
    } catch (e) {
      setError(t('login.failed', { message: e instanceof Error ? e.message : String(e) }));
    }
  };

  return (
    <div class="login-form">
      {step.kind === 'codes' ? (
        <RecoveryCodesCard codes={step.codes} onDone={leave} />
      ) : step.kind === 'password' ? (
        <form onSubmit={password} method="post" action="#">
          <label for="login-email">{t('login.email')}</label>
          <input id="login-email" name="email" type="email" autocomplete="username" required />
          <label for="login-password">{t('login.password')}</label>
          <input id="login-password" name="password" type="password" autocomplete="current-password" required />
          <button type="submit" disabled={busy}>
            {t('login.submit')}
          </button>
        </form>
      ) : (
        <form onSubmit={code} method="post" action="#">
          {step.kind === 'setup' && (
            <div class="mfa-setup">
              <p>{t('login.setup')}</p>
              {step.uri && <div class="qr" aria-hidden="true" dangerouslySetInnerHTML={{ __html: renderSVG(step.uri) }} />}
              <code data-testid="mfa-secret">{step.secret}</code>
            </div>
          )}
          <label for="login-code">{t('login.code')}</label>
          <input id="login-code" name="code" inputMode="numeric" autocomplete="one-time-code" required autoFocus />
          <button type="submit" disabled={busy}>
            {t('login.verify')}
          </button>
        </form>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
