import {
  ACCOUNT_ID_PATTERN,
  accountOfArn,
  capture,
  isTrailName,
  ORGANIZATIONAL_UNIT_ID_PATTERN,
  parseTrailArn,
} from './aws-identifiers.js';

/**
 * Exemptions: trails the guard's deployers excuse from the rule, each for a reason, on a ticket, approved by
 * someone, until a date. The one parser of the exemptions file (the synth, both Lambdas and the command line
 * validate with it) and the pure decisions on top of it: which exemption covers a trail at an instant, and the
 * state of an exemption. No I/O and no clock: the instant is always passed in.
 *
 * The file:
 * `{ "version": 1, "maxTermDays": 90, "exemptions": [{ "trailArn" | "account" | "trailName" + "organizationalUnit",
 *   "reason", "reference", "approver", "expires": "YYYY-MM-DD" }] }` (`maxTermDays` optional).
 */

/** The only version of the file this code reads. */
export const EXEMPTIONS_VERSION = 1;

/** The longest term of an exemption when the file sets no `maxTermDays`. */
export const DEFAULT_MAX_TERM_DAYS = 90;

/** The most `maxTermDays` may be: an exemption is reviewed at least once a year. */
export const MAX_TERM_DAYS_LIMIT = 365;

/** An exemption that ends within this many days is `expiring`: the CLI's scan and report show it. */
export const EXPIRING_WITHIN_DAYS = 14;

/**
 * Most entries a file may hold. Not an AWS limit (the file travels in the Lambdas' code, which holds 250 MB): a
 * bound on what a reviewer can read and on the parse each invocation does (docs/deploy.md gives the figures).
 */
export const MAX_EXEMPTIONS = 1_000;

/**
 * Longest text of each field. `Exempt until YYYY-MM-DD: <reason> (<reference>)` is then at most 252 characters,
 * within the 256 PutEvaluations takes, so the annotation is never cut.
 */
export const TEXT_LIMITS = { reason: 160, reference: 64, approver: 128 } as const;

/** Name of the file in each Lambda's code directory (`LAMBDA_TASK_ROOT`): the stacks put it there. */
export const DEPLOYED_EXEMPTIONS_FILE = 'exemptions.json';

/** Which trails an exemption covers. */
export type ExemptionScope =
  /** One trail, by its ARN. */
  | { readonly kind: 'trail'; readonly trailArn: string }
  /** Every trail the account owns. */
  | { readonly kind: 'account'; readonly account: string }
  /** Every trail of that name owned by an account in the OU, or in an OU below it (organization mode). */
  | {
      readonly kind: 'organizationalUnit';
      readonly trailName: string;
      readonly organizationalUnit: string;
    };

export interface Exemption {
  /** Position in the file's `exemptions`, from 0: errors and the report name the entry by it. */
  readonly index: number;
  readonly scope: ExemptionScope;
  readonly reason: string;
  /** The ticket or change record that grants it. */
  readonly reference: string;
  /** Who approved it. */
  readonly approver: string;
  /** The expiry date as written, `YYYY-MM-DD`. */
  readonly expires: string;
  /** 00:00 UTC on `expires`: the first instant the exemption no longer applies. */
  readonly expiresAt: Date;
}

export interface ExemptionList {
  /** The longest term this deployment allows, in days. */
  readonly maxTermDays: number;
  readonly exemptions: readonly Exemption[];
}

/** No exemptions: what a deployment without an exemptions file has. */
export const NO_EXEMPTIONS_LIST: ExemptionList = { maxTermDays: DEFAULT_MAX_TERM_DAYS, exemptions: [] };

export interface ParseExemptionsOptions {
  /** The instant the terms are checked against. */
  readonly now: Date;
  /**
   * `deploy` (the synth): an entry already expired is refused, so an expired exemption is never deployed.
   * `evaluate` (the Lambdas, the command line): it is kept, to be reported as expired.
   */
  readonly purpose: 'deploy' | 'evaluate';
  /**
   * Whether entries may name a trail in an OU. Only the organization's hub can read the organization, so
   * single-account mode refuses them.
   */
  readonly organizationalUnits: boolean;
  /** Where the text came from (a path, or "the deployed exemptions"), for the error message. */
  readonly source: string;
}

/** The exemptions are not valid: every problem names its entry. Nothing in them is honoured. */
export class InvalidExemptionsError extends Error {
  readonly problems: readonly string[];
  constructor(source: string, problems: readonly string[]) {
    super(
      `Invalid exemptions in ${source}: ${problems.join('; ')}. None of its exemptions is honoured until it is corrected.`,
    );
    this.name = 'InvalidExemptionsError';
    this.problems = problems;
  }
}

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// C0 and C1 control characters and the line and paragraph separators: an annotation or table line holds none.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const TOP_LEVEL_KEYS = ['version', 'maxTermDays', 'exemptions'] as const;
const ENTRY_KEYS = [
  'trailArn',
  'account',
  'trailName',
  'organizationalUnit',
  'reason',
  'reference',
  'approver',
  'expires',
] as const;

type JsonObject = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** `YYYY-MM-DD` of an instant, in UTC. */
export function formatDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** 00:00 UTC of a `YYYY-MM-DD` that names a real calendar day; undefined otherwise. */
function parseDate(text: string): Date | undefined {
  const parts = capture(DATE, text, 3);
  if (parts === undefined) return undefined;
  const [year, month, day] = parts.map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return formatDate(date) === text ? date : undefined;
}

/** `exemptions[2] (SEC-1234)`: how messages name an entry; the reference only when it is readable. */
function labelOf(index: number, entry: unknown): string {
  const reference = isObject(entry) ? entry.reference : undefined;
  const readable =
    typeof reference === 'string' &&
    reference.trim() !== '' &&
    reference.length <= TEXT_LIMITS.reference &&
    !CONTROL.test(reference);
  return readable ? `exemptions[${index}] (${reference.trim()})` : `exemptions[${index}]`;
}

/** How an operator reads an entry: `exemptions[2] (SEC-1234)`. */
export function exemptionLabel(exemption: Exemption): string {
  return `exemptions[${exemption.index}] (${exemption.reference})`;
}

/** The scope in words: `trail <ARN>`, `account <id>`, `trails named <name> in <OU>`. */
export function describeScope(scope: ExemptionScope): string {
  switch (scope.kind) {
    case 'trail':
      return `trail ${scope.trailArn}`;
    case 'account':
      return `account ${scope.account}`;
    case 'organizationalUnit':
      return `trails named ${scope.trailName} in ${scope.organizationalUnit}`;
  }
}

/** One key per scope: two entries with the same key name the same trails. */
function scopeKey(scope: ExemptionScope): string {
  return describeScope(scope);
}

function parseText(
  entry: JsonObject,
  key: keyof typeof TEXT_LIMITS,
  label: string,
  problems: string[],
): string {
  const value = entry[key];
  const limit = TEXT_LIMITS[key];
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`${label}: ${key} is required, a non-empty string (got ${describe(value)})`);
    return '';
  }
  const text = value.trim();
  if (text.length > limit) {
    problems.push(`${label}: ${key} is ${text.length} characters, more than ${limit}`);
  } else if (CONTROL.test(text)) {
    problems.push(`${label}: ${key} holds a line break or another control character`);
  }
  return text;
}

function parseScope(
  entry: JsonObject,
  label: string,
  options: ParseExemptionsOptions,
  problems: string[],
): ExemptionScope | undefined {
  const forms = [
    ...('trailArn' in entry ? ['trailArn'] : []),
    ...('account' in entry ? ['account'] : []),
    ...('trailName' in entry || 'organizationalUnit' in entry ? ['trailName with organizationalUnit'] : []),
  ];
  const how = 'give exactly one of trailArn, account, or trailName with organizationalUnit';
  if (forms.length === 0) {
    problems.push(`${label}: names no trail; ${how}`);
    return undefined;
  }
  if (forms.length > 1) {
    problems.push(`${label}: names its trails in more than one way (${forms.join(', ')}); ${how}`);
    return undefined;
  }
  const { trailArn, account, trailName, organizationalUnit } = entry;
  if (forms[0] === 'trailArn') {
    if (typeof trailArn === 'string' && parseTrailArn(trailArn) !== undefined)
      return { kind: 'trail', trailArn };
    problems.push(
      `${label}: trailArn ${describe(trailArn)} is not a trail ARN (arn:<partition>:cloudtrail:<region>:<account>:trail/<name>)`,
    );
    return undefined;
  }
  if (forms[0] === 'account') {
    if (typeof account === 'string' && ACCOUNT_ID_PATTERN.test(account)) return { kind: 'account', account };
    problems.push(`${label}: account ${describe(account)} is not a 12-digit account id`);
    return undefined;
  }
  const before = problems.length;
  if (!options.organizationalUnits) {
    problems.push(
      `${label}: names trails in an organizational unit, which only organization mode can resolve (its hub reads the organization); name the trail by trailArn or account`,
    );
    return undefined;
  }
  if (typeof trailName !== 'string' || !isTrailName(trailName)) {
    problems.push(
      `${label}: trailName ${describe(trailName)} is not a trail name (3-128 of A-Z a-z 0-9 . _ -)`,
    );
  }
  if (typeof organizationalUnit !== 'string' || !ORGANIZATIONAL_UNIT_ID_PATTERN.test(organizationalUnit)) {
    problems.push(
      `${label}: organizationalUnit ${describe(organizationalUnit)} is not an OU id (ou-<root part>-<unit part>)`,
    );
  }
  return problems.length === before
    ? {
        kind: 'organizationalUnit',
        trailName: trailName as string,
        organizationalUnit: organizationalUnit as string,
      }
    : undefined;
}

function parseExpiry(
  entry: JsonObject,
  label: string,
  maxTermDays: number,
  options: ParseExemptionsOptions,
  problems: string[],
): { expires: string; expiresAt: Date } | undefined {
  const value = entry.expires;
  const expiresAt = typeof value === 'string' ? parseDate(value) : undefined;
  if (typeof value !== 'string' || expiresAt === undefined) {
    problems.push(
      `${label}: expires ${value === undefined ? 'is required' : `${describe(value)} is not a date`}: give the day it ends as YYYY-MM-DD (it ends at 00:00 UTC that day)`,
    );
    return undefined;
  }
  const { now } = options;
  if (options.purpose === 'deploy' && expiresAt <= now) {
    problems.push(`${label}: expired on ${value}; remove it, or renew it with a new date and approval`);
    return undefined;
  }
  const latest = new Date(now.getTime() + maxTermDays * DAY_MS);
  if (expiresAt > latest) {
    problems.push(
      `${label}: expires ${value}, beyond the maximum term of ${maxTermDays} days (maxTermDays) from ${formatDate(now)}; the latest allowed date is ${formatDate(latest)}`,
    );
    return undefined;
  }
  return { expires: value, expiresAt };
}

function parseEntry(
  entry: unknown,
  index: number,
  maxTermDays: number,
  options: ParseExemptionsOptions,
  problems: string[],
): Exemption | undefined {
  const label = labelOf(index, entry);
  if (!isObject(entry)) {
    problems.push(`${label} must be an object, got ${describe(entry)}`);
    return undefined;
  }
  const before = problems.length;
  const unknown = Object.keys(entry).filter((key) => !(ENTRY_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    problems.push(`${label}: unknown field(s) ${unknown.join(', ')} (allowed: ${ENTRY_KEYS.join(', ')})`);
  }
  const scope = parseScope(entry, label, options, problems);
  const reason = parseText(entry, 'reason', label, problems);
  const reference = parseText(entry, 'reference', label, problems);
  const approver = parseText(entry, 'approver', label, problems);
  const expiry = parseExpiry(entry, label, maxTermDays, options, problems);
  if (problems.length > before || scope === undefined || expiry === undefined) return undefined;
  return { index, scope, reason, reference, approver, ...expiry };
}

function parseMaxTerm(value: unknown, problems: string[]): number {
  if (value === undefined) return DEFAULT_MAX_TERM_DAYS;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_TERM_DAYS_LIMIT) {
    return value;
  }
  problems.push(
    `maxTermDays must be a whole number of days from 1 to ${MAX_TERM_DAYS_LIMIT}, got ${describe(value)}`,
  );
  return DEFAULT_MAX_TERM_DAYS;
}

function duplicateProblems(exemptions: readonly Exemption[]): string[] {
  const first = new Map<string, Exemption>();
  const problems: string[] = [];
  for (const exemption of exemptions) {
    const key = scopeKey(exemption.scope);
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, exemption);
    else {
      problems.push(
        `${exemptionLabel(exemption)}: names the same ${describeScope(exemption.scope)} as ${exemptionLabel(earlier)}; keep one`,
      );
    }
  }
  return problems;
}

/**
 * Parses and validates the exemptions file. Every problem is collected, each naming its entry, and then thrown
 * together as {@link InvalidExemptionsError}: a file with any problem yields no exemption at all (a malformed
 * list never exempts anything). Refused: not JSON, another version, an unknown field, a missing or malformed
 * field, a trail named in no way or in two, an expiry beyond `maxTermDays` from `now` (and, to deploy, an expiry
 * not after `now`), two entries naming the same trails, more than {@link MAX_EXEMPTIONS} entries.
 */
export function parseExemptions(text: string, options: ParseExemptionsOptions): ExemptionList {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new InvalidExemptionsError(options.source, [`not valid JSON (${(error as Error).message})`]);
  }
  if (!isObject(document)) {
    throw new InvalidExemptionsError(options.source, [
      `must be a JSON object with version and exemptions, got ${Array.isArray(document) ? 'an array' : describe(document)}`,
    ]);
  }
  const problems: string[] = [];
  const unknown = Object.keys(document).filter((key) => !(TOP_LEVEL_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    problems.push(`unknown field(s) ${unknown.join(', ')} (allowed: ${TOP_LEVEL_KEYS.join(', ')})`);
  }
  if (document.version !== EXEMPTIONS_VERSION) {
    problems.push(
      `version must be ${EXEMPTIONS_VERSION} (the version this guard reads), got ${describe(document.version)}`,
    );
  }
  const maxTermDays = parseMaxTerm(document.maxTermDays, problems);
  const entries = document.exemptions;
  if (!Array.isArray(entries)) {
    problems.push(`exemptions must be a list, got ${describe(entries)}`);
    throw new InvalidExemptionsError(options.source, problems);
  }
  if (entries.length > MAX_EXEMPTIONS) {
    problems.push(`holds ${entries.length} exemptions, more than ${MAX_EXEMPTIONS}`);
    throw new InvalidExemptionsError(options.source, problems);
  }
  const exemptions = entries.flatMap((entry, index) => {
    const exemption = parseEntry(entry, index, maxTermDays, options, problems);
    return exemption === undefined ? [] : [exemption];
  });
  problems.push(...duplicateProblems(exemptions));
  if (problems.length > 0) throw new InvalidExemptionsError(options.source, problems);
  return { maxTermDays, exemptions };
}

/** A trail as an exemption sees it: its ARN (which names its owner) and its name. */
export interface TrailIdentity {
  readonly arn: string;
  readonly name: string;
}

/** True when the list holds an entry naming trails of this trail's name in an OU: its owner's OUs are needed. */
export function needsOrganizationalUnits(list: ExemptionList, trail: TrailIdentity): boolean {
  return list.exemptions.some(
    ({ scope }) => scope.kind === 'organizationalUnit' && scope.trailName === trail.name,
  );
}

/**
 * True when the exemption names the trail. An entry of the OU form covers it only when `ownerUnits` (every OU
 * above the trail's owner) holds its OU: without them it covers nothing, so an unknown membership never exempts.
 */
export function coversTrail(
  exemption: Exemption,
  trail: TrailIdentity,
  ownerUnits: ReadonlySet<string> | undefined,
): boolean {
  const { scope } = exemption;
  switch (scope.kind) {
    case 'trail':
      return scope.trailArn === trail.arn;
    case 'account':
      return scope.account === accountOfArn(trail.arn);
    case 'organizationalUnit':
      return scope.trailName === trail.name && ownerUnits?.has(scope.organizationalUnit) === true;
  }
}

/** True while the exemption applies: `now` is before 00:00 UTC of its expiry date. */
export function isActive(exemption: Exemption, now: Date): boolean {
  return now < exemption.expiresAt;
}

/** What the exemptions say about one trail at one instant. */
export type ExemptionMatch =
  | { readonly kind: 'none' }
  | { readonly kind: 'active'; readonly exemption: Exemption }
  | { readonly kind: 'expired'; readonly exemption: Exemption };

export const NO_MATCH: ExemptionMatch = { kind: 'none' };

function latestExpiry(exemptions: readonly Exemption[]): Exemption | undefined {
  // Stable: of two with the same date, the first in the file.
  return exemptions.reduce<Exemption | undefined>(
    (best, candidate) => (best === undefined || candidate.expiresAt > best.expiresAt ? candidate : best),
    undefined,
  );
}

/**
 * The exemption that decides the trail's verdict at `now`: of the entries covering it, an active one if any (the
 * one that lasts longest), else the one that expired last (its verdict says so), else none.
 */
export function matchExemption(
  list: ExemptionList,
  trail: TrailIdentity,
  now: Date,
  ownerUnits?: ReadonlySet<string>,
): ExemptionMatch {
  const covering = list.exemptions.filter((exemption) => coversTrail(exemption, trail, ownerUnits));
  const active = latestExpiry(covering.filter((exemption) => isActive(exemption, now)));
  if (active !== undefined) return { kind: 'active', exemption: active };
  const expired = latestExpiry(covering);
  return expired === undefined ? NO_MATCH : { kind: 'expired', exemption: expired };
}

/** Whole days from `now` until the exemption ends, rounded up; 0 or less once it has expired. */
export function daysLeft(exemption: Exemption, now: Date): number {
  // `|| 0`: no "-0 days" for the last hours of the day it ends.
  return Math.ceil((exemption.expiresAt.getTime() - now.getTime()) / DAY_MS) || 0;
}

/**
 * The state of an exemption at `now`: `expired` once it has ended, `unmatched` while it names no existing trail,
 * `expiring` within {@link EXPIRING_WITHIN_DAYS} days of its end, `active` otherwise.
 */
export type ExemptionState = 'active' | 'expiring' | 'expired' | 'unmatched';

export function exemptionState(exemption: Exemption, now: Date, namesATrail: boolean): ExemptionState {
  if (!isActive(exemption, now)) return 'expired';
  if (!namesATrail) return 'unmatched';
  return daysLeft(exemption, now) <= EXPIRING_WITHIN_DAYS ? 'expiring' : 'active';
}
