import { readFileSync } from 'node:fs';

/** A rule fixture (real AWS event shapes) parsed fresh on each call, so tests can change their copy. */
export function loadFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/rule/${name}`, import.meta.url), 'utf8')) as T;
}

export interface RawRuleEvent extends Record<string, unknown> {
  invokingEvent: string;
  ruleParameters: string;
}

/** A raw event with one change to its parsed invokingEvent (the structuredClone-plus-one-change habit). */
export function withInvokingEvent(
  name: string,
  // biome-ignore lint/suspicious/noExplicitAny: tests reshape fixtures freely; the parser under test checks them
  change: (invokingEvent: Record<string, any>) => void,
): RawRuleEvent {
  const event = loadFixture<RawRuleEvent>(name);
  const invoking = JSON.parse(event.invokingEvent);
  change(invoking);
  return { ...event, invokingEvent: JSON.stringify(invoking) };
}

/** A raw trail change event whose configuration item's `configuration` gets one change. */
export function trailChangeEvent(
  change: (configuration: Record<string, unknown>) => void = () => {},
): RawRuleEvent {
  return withInvokingEvent('change-trail.json', (invoking) =>
    change(invoking.configurationItem.configuration),
  );
}
