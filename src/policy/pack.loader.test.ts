import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  PackValidationError,
  checkPackForUse,
  fillBlanks,
  findBlanks,
  formatPackErrors,
  loadBundledPack,
  packDigest,
  parsePack,
  readBundledPack,
  validatePackForUse,
  type PackResult,
} from './pack.loader.js';
import type { PolicyPack } from './pack.schema.js';

type Json = Record<string, unknown>;

function rawPack(id: string): Json {
  return JSON.parse(readFileSync(new URL(`../../packs/${id}.json`, import.meta.url), 'utf8')) as Json;
}

type Segment = string | number;
const REMOVE = Symbol('remove');

/** Sets (or removes) one value at a path in plain JSON, as a person editing the file would. */
function put(root: unknown, path: Segment[], value: unknown): void {
  let node = root as Record<Segment, unknown>;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<Segment, unknown>;
  const last = path[path.length - 1];
  if (value === REMOVE) delete node[last];
  else node[last] = value;
}

/** A bundled pack's JSON text with the given edits applied. */
function broken(id: string, edits: [Segment[], unknown][], edit?: (pack: Json) => void): string {
  const pack = rawPack(id);
  for (const [path, value] of edits) put(pack, path, value);
  edit?.(pack);
  return JSON.stringify(pack, null, 2);
}

function errorsOf(result: PackResult) {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
}

function loaded(id: string): PolicyPack {
  return loadBundledPack(id);
}

describe('parsePack rejects a broken pack with file, JSON path and reason', () => {
  it('reports a wrong type deep inside', () => {
    const text = broken('kalispell-mt', [[['roles', 2, 'grants', 0], 42]]);
    expect(errorsOf(parsePack(text, 'packs/kalispell-mt.json'))).toEqual([
      { file: 'packs/kalispell-mt.json', path: '$.roles[2].grants[0]', message: 'expected a string, found number 42' },
    ]);
  });

  it('reports an unknown action in a grant', () => {
    const text = broken('bozeman-mt', [[['roles', 3, 'grants', 1], 'content.frobnicate@department']]);
    const [error, ...rest] = errorsOf(parsePack(text, 'bozeman.json'));
    expect(rest).toEqual([]);
    expect(error.path).toBe('$.roles[3].grants[1]');
    expect(error.message).toMatch(/^unknown action "content\.frobnicate" in grant "content\.frobnicate@department"; expected one of: org\.view,/);
  });

  it('reports an unknown scope in a grant', () => {
    const text = broken('bozeman-mt', [[['roles', 0, 'grants', 0], 'org.view@county']]);
    const [error] = errorsOf(parsePack(text, 'b.json'));
    expect(error.path).toBe('$.roles[0].grants[0]');
    expect(error.message).toContain('unknown scope "county"');
  });

  it('reports an approval step naming a role the pack does not have', () => {
    const text = broken('kalispell-mt', [[['approvalChains', 'content', 'steps', 1, 'role'], 'comms_czar']]);
    const errors = errorsOf(parsePack(text, 'k.json'));
    expect(errors).toHaveLength(1);
    expect(errors[0].path).toBe('$.approvalChains.content.steps[1].role');
    expect(errors[0].message).toMatch(/^unknown role "comms_czar"; expected one of the pack's role ids: communications_manager, city_manager/);
  });

  it('reports an unknown POLICY-MAP id and a malformed one', () => {
    const text = broken('kalispell-mt', [
      [['acceptableUse', 'clauses', 3, 'sources', 0], 'KA-99'],
      [['moderation', 'sources', 1], 'KA10'],
    ]);
    expect(errorsOf(parsePack(text, 'k.json'))).toEqual([
      {
        file: 'k.json',
        path: '$.acceptableUse.clauses[3].sources[0]',
        message: 'unknown POLICY-MAP id "KA-99"; KA ids run from KA-1 to KA-16',
      },
      {
        file: 'k.json',
        path: '$.moderation.sources[1]',
        message: 'expected a POLICY-MAP id such as "KA-12" (RL-, KA-, LX-, BZ- or MN- and a number), found "KA10"',
      },
    ]);
  });

  it('reports invalid JSON with its line and column', () => {
    const text = '{\n  "schemaVersion": 1,\n  "id": "x",\n}\n';
    expect(errorsOf(parsePack(text, 'x.json'))).toEqual([
      {
        file: 'x.json',
        path: '$',
        message: "invalid JSON at line 4, column 1: expected a double-quoted property name, found \"}\"",
      },
    ]);
    const [cut] = errorsOf(parsePack('{\n  "id": "x', 'x.json'));
    expect(cut.message).toBe('invalid JSON at line 2, column 11: expected a closing double quote, found the end of the document');
  });

  it('reports a missing field and a misspelt one', () => {
    const text = broken('lmc-model', [
      [['moderation', 'preModeration'], REMOVE],
      [['moderation', 'preModerations'], true],
    ]);
    const errors = errorsOf(parsePack(text, 'l.json'));
    expect(errors).toContainEqual({
      file: 'l.json',
      path: '$.moderation.preModeration',
      message: 'expected true or false, found nothing (the field is missing)',
    });
    expect(errors.find((e) => e.path === '$.moderation.preModerations')?.message).toMatch(/^unexpected field "preModerations"/);
  });

  it('refuses self-approval, editable comments and a wrong schema version', () => {
    const text = broken('red-lodge-mt', [
      [['schemaVersion'], 2],
      [['approvalChains', 'staffAccess', 'selfApproval'], true],
      [['moderation', 'staffMayEditComments'], true],
    ]);
    const errors = errorsOf(parsePack(text, 'r.json'));
    expect(errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      '$.schemaVersion: expected 1, found number 2',
      '$.approvalChains.staffAccess.selfApproval: expected false, found boolean true',
      '$.moderation.staffMayEditComments: expected false, found boolean true',
    ]);
  });

  it('refuses a pack in which nobody can manage staff or read events', () => {
    const text = broken('policy-702', [], (pack) => {
      for (const role of pack.roles as { grants: string[] }[]) {
        role.grants = role.grants.filter((g) => !g.startsWith('staff.manage') && !g.startsWith('events.view'));
      }
    });
    const messages = errorsOf(parsePack(text, 'p.json')).map((e) => `${e.path}: ${e.message}`);
    expect(messages).toEqual([
      '$.roles: no role grants "staff.manage"; expected at least one role to hold it so the city can be administered',
      '$.roles: no role grants "events.view"; expected at least one role to hold it so the city can be administered',
    ]);
  });

  it('requires the attorney role when removal needs attorney approval, and that it can approve', () => {
    const missing = broken('bozeman-mt', [[['moderation', 'attorneyRole'], REMOVE]]);
    expect(errorsOf(parsePack(missing, 'b.json'))[0].path).toBe('$.moderation.attorneyRole');
    const powerless = broken('bozeman-mt', [[['moderation', 'attorneyRole'], 'city_clerk']]);
    expect(errorsOf(parsePack(powerless, 'b.json'))[0].message).toBe(
      'role "city_clerk" is named here but grants none of: comment.removal.approve',
    );
  });

  it('refuses a records custodian role the pack does not have, or one that cannot manage requests', () => {
    const missing = broken('kalispell-mt', [[['records', 'custodianRole'], 'records_officer']]);
    expect(errorsOf(parsePack(missing, 'k.json'))).toEqual([{
      file: 'k.json',
      path: '$.records.custodianRole',
      message: expect.stringMatching(/^unknown role "records_officer"; expected one of the pack's role ids: communications_manager, city_manager/),
    }]);
    const powerless = broken('kalispell-mt', [[['records', 'custodianRole'], 'employee']]);
    expect(errorsOf(parsePack(powerless, 'k.json')).map((e) => `${e.path}: ${e.message}`)).toEqual([
      '$.records.custodianRole: role "employee" is named here but grants none of: records.request.manage',
    ]);
    // Bozeman's Department Directors handle requests for their department only: not a custodian.
    const partial = broken('bozeman-mt', [[['records', 'custodianRole'], 'department_director']]);
    expect(errorsOf(parsePack(partial, 'b.json')).map((e) => `${e.path}: ${e.message}`)).toEqual([
      '$.records.custodianRole: role "department_director" grants records.request.manage only for part of the city; expected the grant "records.request.manage" without a scope',
    ]);
  });

  it('refuses a records clock without days, a duplicate exemption code and an exemption without citation', () => {
    const text = broken('lmc-model', [
      [['records', 'clock', 'days'], 0],
      [['records', 'exemptions', 1, 'code'], 'third-party-private'],
      [['records', 'exemptions', 2, 'citation'], ' '],
    ]);
    expect(errorsOf(parsePack(text, 'l.json')).map((e) => `${e.path}: ${e.message}`)).toEqual([
      '$.records.clock.days: expected a value of at least 1, found number 0',
      '$.records.exemptions[2].citation: expected non-empty text, found " "',
      '$.records.exemptions[1].code: duplicate exemption code "third-party-private"',
    ]);
  });

  it('refuses duplicate role ids and blanks nobody declared', () => {
    const text = broken('red-lodge-mt', [
      [['roles', 4, 'id'], 'mayor'],
      [['city', 'name'], 'City of {{town}}'],
    ]);
    const messages = errorsOf(parsePack(text, 'r.json')).map((e) => `${e.path}: ${e.message}`);
    expect(messages).toContain('$.roles[4].id: duplicate role id "mayor"');
    expect(messages).toContain('$.city.name: blank {{town}} is not declared; expected an entry with key "town" in template.blanks');
  });

  it('never throws, whatever the text', () => {
    const deep = `${'['.repeat(200_000)}x`;
    for (const text of ['', 'null', '[]', '42', '"pack"', '{"roles": {}}', '\uFEFF{}', deep]) {
      const result = parsePack(text, 'odd.json');
      expect(result.ok).toBe(false);
    }
    expect(parsePack(undefined as unknown as string, 'odd.json').ok).toBe(false);
  });

  it('formats one line per error as file: path: message', () => {
    const text = broken('kalispell-mt', [
      [['roles', 0, 'grants', 0], 7],
      [['city', 'state'], 'Montana'],
    ]);
    expect(formatPackErrors(errorsOf(parsePack(text, 'k.json'))).split('\n')).toEqual([
      'k.json: $.city.state: expected a two-letter upper-case state code such as "MT", found "Montana"',
      'k.json: $.roles[0].grants[0]: expected a string, found number 7',
    ]);
  });
});

describe('bundled packs', () => {
  it('refuses ids that are not a bundled pack without touching the file system outside packs/', () => {
    expect(errorsOf(readBundledPack('../package'))[0].message).toMatch(/^expected a pack id/);
    expect(errorsOf(readBundledPack('springfield-il'))[0].message).toMatch(/^no bundled pack "springfield-il"; expected one of: .*kalispell-mt/);
    expect(() => loadBundledPack('springfield-il')).toThrow(PackValidationError);
  });
});

describe('template blanks', () => {
  it('lists every blank of the LMC model, sorted and unique', () => {
    expect(findBlanks(loaded('lmc-model'))).toEqual([
      'administrator_title',
      'adopted_on',
      'city_name',
      'city_website',
      'data_practices_contact_title',
      'email_domain',
    ]);
  });

  it('fills blanks without touching the input, and leaves empty values unfilled', () => {
    const template = loaded('lmc-model');
    const before = JSON.stringify(template);
    const filled = fillBlanks(template, { city_name: 'Quillhaven', city_website: '   ', unused: 'x' });
    expect(JSON.stringify(template)).toBe(before);
    expect(filled.city.name).toBe('City of Quillhaven');
    expect(filled.title).toBe('City of Quillhaven Social Media Policy');
    expect(filled.city.website).toBe('{{city_website}}');
    expect(filled.template).toEqual(template.template);
    expect(findBlanks(filled)).not.toContain('city_name');
  });

  it('re-validates filled values: a website that is not a URL is refused at its path', () => {
    const filled = fillBlanks(loaded('lmc-model'), {
      city_name: 'Quillhaven',
      city_website: 'our website',
      email_domain: 'quillhaven.mn.us',
      administrator_title: 'City Administrator',
      data_practices_contact_title: 'Data Practices Compliance Official',
      adopted_on: '2024-02-30',
    });
    const messages = errorsOf(checkPackForUse(filled)).map((e) => `${e.path}: ${e.message}`);
    expect(messages).toContain('$.source.adopted: expected an ISO date such as "2015-12-08", found "2024-02-30"');
    expect(messages).toContain('$.city.website: expected an http(s) URL such as "https://www.kalispell.com", found "our website"');
  });
});

describe('validatePackForUse', () => {
  it('throws with the list of errors when refusing, and returns the pack when accepting', () => {
    const template = loaded('lmc-model');
    let thrown: unknown;
    try {
      validatePackForUse(template);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PackValidationError);
    const errors = (thrown as PackValidationError).errors;
    expect(errors.map((e) => e.path)).toContain('$.city.emailDomain');
    expect((thrown as Error).message).toContain('lmc-model.json: $.city.emailDomain: blank {{email_domain}} is not filled');
    const kalispell = loaded('kalispell-mt');
    expect(validatePackForUse(kalispell)).toEqual(kalispell);
  });
});

describe('packDigest', () => {
  function reverseKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(reverseKeys);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
  }

  it('is the same for the same content in any key order, and changes with any rule', () => {
    const pack = loaded('red-lodge-mt');
    const reordered = reverseKeys(pack) as PolicyPack;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(pack));
    expect(packDigest(pack)).toMatch(/^[0-9a-f]{64}$/);
    expect(packDigest(reordered)).toBe(packDigest(pack));
    const changed = { ...pack, moderation: { ...pack.moderation, preModeration: true } };
    expect(packDigest(changed)).not.toBe(packDigest(pack));
  });
});
