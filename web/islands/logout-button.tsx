/** Logs out through the API (the refresh cookie only travels to /api/v1/auth) and returns to the login page. */
import { csrfToken } from '../client/api.ts';
import { useI18n } from './use-i18n.ts';

export default function LogoutButton() {
  const { t } = useI18n();
  const logout = async () => {
    await fetch('/api/v1/auth/logout', { method: 'POST', headers: { 'x-csrf-token': csrfToken() }, credentials: 'same-origin' }).catch(() => {});
    location.assign('/login');
  };
  // Phones show a door icon instead of the text (app.css; the header is narrow): the text stays the button's name.
  return (
    <button type="button" class="link-button logout" onClick={logout}>
      <span class="logout-text">{t('nav.logout')}</span>
    </button>
  );
}
