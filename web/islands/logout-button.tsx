/** Logs out through the API and returns to the login page. */
import { logOut } from '../client/api.ts';
import { useI18n } from './use-i18n.ts';

export default function LogoutButton() {
  const { t } = useI18n();
  // Phones show a door icon instead of the text (app.css; the header is narrow): the text stays the button's name.
  return (
    <button type="button" class="link-button logout" onClick={() => void logOut()}>
      <span class="logout-text">{t('nav.logout')}</span>
    </button>
  );
}
