/** Optional sound and vibration when a CRITICAL alert arrives; the choice is remembered per browser. */
import { onLiveEvent } from './live-feed.ts';

const SETTING = 'tw.criticalAlarm';

export const criticalAlarmEnabled = (): boolean => localStorage.getItem(SETTING) === 'on';
export const setCriticalAlarm = (on: boolean): void => localStorage.setItem(SETTING, on ? 'on' : 'off');

function beep(): void {
  const Context = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Context) return;
  const audio = new Context();
  const tone = audio.createOscillator();
  tone.frequency.value = 880;
  tone.connect(audio.destination);
  tone.start();
  tone.stop(audio.currentTime + 0.4);
  tone.onended = () => void audio.close();
}

export function watchCriticalAlerts(): void {
  onLiveEvent((type, data) => {
    if (type !== 'new_alert' || data?.severity !== 'CRITICAL' || !criticalAlarmEnabled()) return;
    navigator.vibrate?.([300, 100, 300]);
    try {
      beep();
    } catch {
      // Browsers block audio until the user has interacted with the page; vibration already told them.
    }
  });
}
