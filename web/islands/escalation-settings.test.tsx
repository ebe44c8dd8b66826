/** The fleet's escalation: minutes read strictly, the list kept in order, people shown by name. */
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { i18nFor } from '../i18n/messages.ts';
import EscalationSettings, {
  moveEntry,
  parseEscalationMinutes,
  type EscalationSettingsProps,
} from './escalation-settings.tsx';
import { I18nContext } from './use-i18n.ts';

const people = [
  { id: 'u1', email: 'ana@fleet.es', name: 'Ana' },
  { id: 'u2', email: 'luis@fleet.es', name: null },
  { id: 'u3', email: 'marta@fleet.es', name: 'Marta' },
];
const render = (props: EscalationSettingsProps, lang: 'en' | 'es' = 'en') =>
  renderToString(
    <I18nContext.Provider value={i18nFor(lang)}>
      <EscalationSettings {...props} />
    </I18nContext.Provider>,
  );

describe('escalation settings', () => {
  it('reads minutes as whole numbers from 1 to a day, empty meaning never', () => {
    expect([parseEscalationMinutes(''), parseEscalationMinutes(' 10 '), parseEscalationMinutes('1440')]).toEqual([
      null,
      10,
      1440,
    ]);
    for (const bad of ['0', '1441', '2.5', '-3', 'ten']) expect(parseEscalationMinutes(bad), bad).toBeNaN();
  });

  it('moves people up and down, staying put at either end', () => {
    expect(moveEntry(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveEntry(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveEntry(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveEntry(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });

  it('shows the list in order with named buttons, and offers only the people not on it', () => {
    const html = render({ fleetId: 'f1', escalateAfterMinutes: 10, escalationList: ['u3', 'u_gone', 'u1'], people });
    expect(html).toMatch(/id="escalation-minutes" name="escalate_after_minutes"[^>]*value="10"/);
    expect(html.indexOf('data-user-id="u3"')).toBeLessThan(html.indexOf('data-user-id="u1"'));
    // Someone no longer in the fleet drops out of the list.
    expect(html).not.toContain('u_gone');
    expect(html).toContain('aria-label="Move Marta (marta@fleet.es) up" disabled');
    expect(html).toContain('aria-label="Move Ana (ana@fleet.es) down" disabled');
    expect(html).toContain('<label for="escalation-add">Add person</label>');
    expect(html).toContain('<option selected value="u2">luis@fleet.es</option>');
    expect(html).not.toContain('<option value="u1"');
    const empty = render({ fleetId: 'f1', escalateAfterMinutes: null, escalationList: [], people }, 'es');
    expect(empty).not.toMatch(/id="escalation-minutes"[^>]*value="\d/);
    expect(empty).toContain('Nadie todavía: añade personas abajo.');
  });
});
