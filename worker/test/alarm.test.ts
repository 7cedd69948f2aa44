import { describe, expect, it } from 'vitest';
import { Alarm } from '../src/alarm.ts';

describe('Alarm', () => {
  it('sleeps until woken', async () => {
    const alarm = new Alarm(600_000);
    alarm.take();
    let rang = false;
    const sleeping = alarm.sleep().then(() => (rang = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(rang).toBe(false);
    alarm.wake();
    await sleeping;
    expect(rang).toBe(true);
  });

  it('does not sleep through a wake that came since the last take (a stop asked for during a look)', async () => {
    const alarm = new Alarm(600_000);
    alarm.take();
    alarm.wake();
    const outcome = await Promise.race([alarm.sleep().then(() => 'awake'), new Promise((r) => setTimeout(() => r('asleep'), 1_000))]);
    expect(outcome).toBe('awake');
  });

  it('sleeps again once a wake was taken', async () => {
    const alarm = new Alarm(600_000);
    alarm.wake();
    alarm.take();
    const outcome = await Promise.race([alarm.sleep().then(() => 'awake'), new Promise((r) => setTimeout(() => r('asleep'), 100))]);
    expect(outcome).toBe('asleep');
    alarm.wake();
  });
});
