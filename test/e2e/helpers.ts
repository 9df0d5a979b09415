// Shared by the browser end-to-end tests: Chromium and its flags, building the web app (once, and
// again only when its sources changed), starting the real server on a temp SQLite database with
// the Kalispell demo city (or a city of another bundled pack), axe-core checks, screenshots, and
// the sign-in steps.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { authenticator } from 'otplib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createVault, type Vault } from '../../src/accounts/vault.js';
import type { ArchiveDeps } from '../../src/archive/archive.service.js';
import { archiveDepsFor } from '../../src/archive/archive.setup.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { buildApp } from '../../src/http/server.js';
import { generatePassword, seedDemoCity, type DemoStaff } from '../../src/org/demo.js';
import { createOrganization } from '../../src/org/org.commands.js';
import { findOrgBySlug } from '../../src/org/org.queries.js';
import { addPerson } from '../../src/people/people.commands.js';
import { listDepartments } from '../../src/people/people.queries.js';
import { operatorActor } from '../../src/policy/can.js';
import { loadBundledPack } from '../../src/policy/pack.loader.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WEB = join(ROOT, 'web');
const WEB_CONFIG = join(WEB, 'vite.config.ts');
const WEB_INDEX = join(WEB, 'dist', 'index.html');
export const SHOTS = join(ROOT, 'test-results');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export const hasChromium = existsSync(CHROMIUM);
export const inCi = Boolean(process.env.CI);

export function warnIfNoChromium(what: string): void {
  if (!hasChromium && !inCi) {
    console.warn(
      `\n${'!'.repeat(78)}\n!! ${what} SKIPPED: no Chromium at ${CHROMIUM}.\n`
      + `!! Install it (apt-get install -y chromium) to run the browser and accessibility checks.\n${'!'.repeat(78)}\n`,
    );
  }
}

export type Staff = DemoStaff;

/** axe-core over the whole page; any violation fails with its rule id and the offending elements. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const found = results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.map(String).join(' ')),
  }));
  if (found.length) {
    console.error(`axe violations on ${name}:\n${found.map((v) => `  ${v.id} (${v.impact}): ${v.help}\n    ${v.targets.join('\n    ')}`).join('\n')}`);
  }
  expect(found, `axe violations on ${name}`).toEqual([]);
}

/** Full page by default; `{ fullPage: false }` for what the screen shows (a menu over the page). */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `e2e-${name}.png`), fullPage: options.fullPage ?? true });
}

/** Waits until the page's data has loaded (no "Loading…" status left in the main region). */
export async function settled(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor();
  await page.waitForFunction(() => ![...document.querySelectorAll('main [role=status]')].some((el) => el.textContent?.startsWith('Loading')));
}

export async function heading(page: Page): Promise<string> {
  return (await page.locator('main h1').first().textContent())?.trim() ?? '';
}

const lastStepUsed = new Map<string, number>();

/**
 * A TOTP code for the secret. The server refuses a code from a time step already used (no replay),
 * so this waits for the next 30-second step when needed, and for a fresh one when the current step
 * is about to end.
 */
export async function totpCode(secret: string): Promise<string> {
  const stepNow = () => Math.floor(Date.now() / 30_000);
  const used = lastStepUsed.get(secret);
  while ((used !== undefined && stepNow() <= used) || authenticator.timeRemaining() < 3) {
    await new Promise((r) => setTimeout(r, 500));
  }
  lastStepUsed.set(secret, stepNow());
  return authenticator.generate(secret);
}

/**
 * Follows a link of the primary navigation the way a person does, opening "More" first when the
 * link sits under it (people with many pages see the less used ones there).
 */
export async function clickNav(page: Page, label: string): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Primary navigation' });
  const link = nav.getByRole('link', { name: label, exact: true });
  if (!(await link.isVisible())) {
    const more = nav.getByRole('button', { name: 'More', exact: true });
    if ((await more.count()) && (await more.getAttribute('aria-expanded')) !== 'true') await more.click();
  }
  await link.click();
}

/** The links of the primary navigation's pages, "More" included, in order. */
export async function navLabels(page: Page): Promise<string[]> {
  const nav = page.getByRole('navigation', { name: 'Primary navigation' });
  return (await nav.locator('.usa-nav__primary a').allTextContents()).map((t) => t.trim());
}

export async function fillPasswordStep(page: Page, who: Pick<Staff, 'email' | 'password'>): Promise<void> {
  await page.getByLabel('E-mail address').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** First sign-in of a demo staff member: password, enrol two-step verification, dismiss the codes. Returns the TOTP secret. */
export async function enrolAndSignIn(page: Page, base: string, who: Pick<Staff, 'email' | 'password'>): Promise<string> {
  await page.goto('/signin');
  await fillPasswordStep(page, who);
  await page.waitForURL('**/enrol-2fa');
  const box = page.getByTestId('totp-secret');
  await box.waitFor();
  const secret = ((await box.textContent()) ?? '').trim();
  await page.getByLabel('Code from your app').fill(await totpCode(secret));
  await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
  await page.getByRole('button', { name: 'I have saved these codes' }).click();
  await page.waitForURL(`${base}/`);
  await settled(page);
  return secret;
}

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function webIsStale(): boolean {
  if (!existsSync(WEB_INDEX)) return true;
  const built = statSync(WEB_INDEX).mtimeMs;
  return [join(WEB, 'src'), join(WEB, 'index.html'), WEB_CONFIG].some((p) => existsSync(p) && newestMtime(p) > built);
}

/**
 * Builds web/dist as `vite build` would. Vitest sets NODE_ENV=test, which would make Vite and the
 * React plugin bundle React's development build, so NODE_ENV is production for the build's duration.
 */
async function buildWebApp(): Promise<void> {
  const { build } = await import('vite');
  const saved = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: WEB_CONFIG, mode: 'production', logLevel: 'warn' });
  } finally {
    if (saved === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = saved;
  }
}

const LOCK = join(tmpdir(), `civicdesk-web-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`);
const STALE_LOCK_MS = 5 * 60_000;

/**
 * Builds web/dist when it is missing or older than web/src. Test files run in parallel forks and
 * the server lists web/dist's files when it starts, so one fork builds under a lock while the
 * others wait, then find it fresh.
 */
export async function ensureWebBuilt(): Promise<void> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // Released meanwhile.
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (webIsStale()) await buildWebApp();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

const DEPARTMENTS = ['Communications', 'Information Technology', 'Police', 'Parks and Recreation', 'City Clerk', 'City Attorney'];

/** As the demo seed places people: the department a role's holder works in. */
function departmentFor(roleId: string): string {
  if (/it_|tech/.test(roleId)) return 'Information Technology';
  if (/attorney/.test(roleId)) return 'City Attorney';
  if (/clerk/.test(roleId)) return 'City Clerk';
  if (/communications|manager/.test(roleId)) return 'Communications';
  return 'Parks and Recreation';
}

/**
 * A city from a bundled pack with one person per role (as `seedDemoCity` does for Kalispell), with
 * generated passwords. `extraRoles`: more roles for the holder of a role (role id → role ids).
 */
export async function seedPackCity(db: Database['db'], packId: string, extraRoles: Record<string, string[]> = {}): Promise<{ slug: string; name: string; staff: Staff[] }> {
  const loaded = loadBundledPack(packId);
  const pack = { ...loaded, city: { ...loaded.city } };
  const { orgId, slug, packDigest } = await createOrganization(db, { pack, departments: DEPARTMENTS });
  const departments = await listDepartments(db, orgId);
  const ctx = { db, actor: operatorActor(orgId, pack, 'operator (e2e set-up)'), packVersion: packDigest };
  const staff: Staff[] = [];
  for (const role of pack.roles) {
    const person: Staff = {
      email: `${role.id.replace(/_/g, '.')}@${pack.city.emailDomain}`,
      password: generatePassword(),
      displayName: `Demo ${role.title}`,
      roles: [role.id, ...(extraRoles[role.id] ?? [])],
    };
    const dept = departments.find((d) => d.name === departmentFor(role.id));
    await addPerson(ctx, { ...person, departmentId: dept?.id ?? null });
    staff.push(person);
  }
  return { slug, name: pack.city.name, staff };
}

export interface E2eServer {
  base: string;
  city: { slug: string; name: string; orgId: string };
  staff: Staff[];
  database: Database;
  archive: ArchiveDeps | undefined;
  /** The credential vault the server uses (with `vault: true`), for set-up such as connecting an account. */
  vault: Vault | undefined;
  browser: Browser;
  app: FastifyInstance;
  /** The demo staff member holding this role. */
  staffWithRole(role: string): Staff;
  close(): Promise<void>;
}

export interface E2eOptions {
  archive?: boolean;
  /** The credential vault on, with a fresh random key (as `civicdesk start` does from its key file). */
  vault?: boolean;
  /** A bundled pack id: a city from that pack with one person per role instead of the Kalispell demo city. */
  pack?: string;
  /** With `pack`: more roles for the holder of a role (role id → role ids). */
  extraRoles?: Record<string, string[]>;
}

/** The built web app and the real server (SQLite in a temp folder, the demo city), and Chromium. */
export async function startE2e(options: E2eOptions = {}): Promise<E2eServer> {
  if (!hasChromium) {
    throw new Error(`Chromium is required for the web e2e test in CI but ${CHROMIUM} does not exist: install it (apt-get install -y chromium) in .ci/run`);
  }
  await ensureWebBuilt();
  mkdirSync(SHOTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'civicdesk-e2e-'));
  const database = await openDatabase({ sqlitePath: join(dir, 'civicdesk.sqlite') });
  let app: FastifyInstance | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await app?.close();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const seeded = options.pack ? await seedPackCity(database.db, options.pack, options.extraRoles) : await seedDemoCity(database.db);
    const org = await findOrgBySlug(database.db, seeded.slug);
    if (!org) throw new Error('the demo city was not created');
    const archive = options.archive ? archiveDepsFor(database, join(dir, 'data')) : undefined;
    const vault = options.vault ? createVault(randomBytes(32), 'a random key for the e2e test') : undefined;
    app = await buildApp({ db: database.db, logger: false, loginRateLimit: 1000, archive, vault });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('server did not report a port');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const staff = seeded.staff;
    return {
      base: `http://127.0.0.1:${address.port}`,
      city: { slug: seeded.slug, name: seeded.name, orgId: org.id },
      staff,
      database,
      archive,
      vault,
      browser,
      app,
      staffWithRole(role: string) {
        const found = staff.find((s) => s.roles.includes(role));
        if (!found) throw new Error(`the city has no staff member with role ${role}`);
        return found;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
