// The records-request API as staff use it, on both databases: the Clerk works a request through
// HTTP and downloads the package; anyone else on staff may only forward (403 elsewhere); bad input
// is answered 400 with the fields named. The package builder is replaced by a recorder here.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ProductionInput, ProductionSummary } from './package/package.js';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, signIn, type Client, type TestCity } from '../testing/app.js';
import { comment, testArchiveDeps } from '../testing/archive.js';
import { capture } from '../archive/capture.js';
import type { ArchiveDeps } from '../archive/archive.service.js';
import { createVault } from '../accounts/vault.js';
import { buildApp } from '../http/server.js';

vi.mock('./package/package.js', () => ({
  async buildProductionPackage(_deps: unknown, input: ProductionInput): Promise<ProductionSummary> {
    const bytes = Buffer.from(`PK fake package of ${input.recordIds.length + input.redacted.length} record(s)`);
    writeFileSync(input.outFile, bytes);
    return { file: input.outFile, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, records: 1, redacted: input.redacted.length, files: [], checkpoint: { size: 0, rootHash: '' } };
  },
}));

describe.each(await availableBackends())('records request routes on %s', (backend) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let archive: ArchiveDeps;
  let town: TestCity;
  let clerk: Client;
  let manager: Client;
  let employee: Client;

  beforeAll(async () => {
    // Packages go to a temporary folder, not the working directory's data/.
    process.env.CIVICDESK_PRODUCTIONS = mkdtempSync(join(tmpdir(), 'civicdesk-productions-'));
    database = await openTestDatabase(backend);
    town = await createTestCity(database.db, 'kalispell-mt', { slug: 'kalispell' });
    // The app and the test capture into the same archive (one key folder), as a deployment does.
    archive = testArchiveDeps(database.db, database.dialect);
    app = await buildApp({ db: database.db, logger: false, loginRateLimit: 10_000, archive, vault: createVault(randomBytes(32)) });
    clerk = await signIn(app, town.staffByRole.city_clerk!);
    manager = await signIn(app, town.staffByRole.communications_manager!);
    employee = await signIn(app, town.staffByRole.employee!);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  const body = { requesterName: 'Pat Requester', requesterContact: 'pat@example.org', scope: 'Comments about the Gazebo' };

  it('the Clerk works a request through the API and downloads the package', async () => {
    const [record] = await capture(archive, town.orgId, [comment(1, { text: 'The Gazebo needs paint, says Lee at 555-0199.' })]);
    const created = await clerk.request('POST', '/api/records/requests', body);
    expect(created.statusCode).toBe(201);
    const request = created.json() as { id: string; number: string; status: string; deadline: { overdue: boolean } };
    expect(request).toMatchObject({ number: expect.stringMatching(/^R-\d{4}-0001$/), status: 'received', deadline: { overdue: false } });
    const id = request.id;

    expect((await clerk.request('POST', `/api/records/requests/${id}/acknowledge`, { feeEstimateCents: 500 })).json()).toMatchObject({ letter: expect.stringContaining('$5.00') });
    expect((await clerk.request('POST', `/api/records/requests/${id}/search`, { query: { text: 'Gazebo' } })).json()).toMatchObject({ total: 1, recordIds: [record!.id] });
    expect((await clerk.request('POST', `/api/records/requests/${id}/review`, { recordId: record!.id, decision: 'include', reason: 'Responsive' })).statusCode).toBe(200);
    const text = 'The Gazebo needs paint, says Lee at 555-0199.';
    const redaction = await clerk.request('POST', `/api/records/requests/${id}/redactions`, { recordId: record!.id, start: text.indexOf('555'), end: text.length - 1, code: 'third-party-private' });
    expect(redaction.statusCode).toBe(201);
    const produced = await clerk.request('POST', `/api/records/requests/${id}/produce`, {});
    expect(produced.statusCode).toBe(200);
    const { productionId, sha256 } = produced.json() as { productionId: string; sha256: string };

    const download = await clerk.request('GET', `/api/records/requests/${id}/productions/${productionId}/download`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/zip');
    expect(createHash('sha256').update(download.rawPayload).digest('hex')).toBe(sha256);
    // Another staff member cannot fetch it.
    expect((await manager.request('GET', `/api/records/requests/${id}/productions/${productionId}/download`)).statusCode).toBe(403);

    const detail = (await clerk.request('GET', `/api/records/requests/${id}`)).json() as { request: { status: string }; productions: unknown[]; candidates: Array<{ redactions: unknown[] }> };
    expect(detail.request.status).toBe('partially_denied');
    expect(detail.productions).toHaveLength(1);
    expect(detail.candidates[0]!.redactions).toHaveLength(1);
    expect((await clerk.request('GET', `/api/records/requests/${id}/letters/denial`)).json()).toMatchObject({ kind: 'denial', text: expect.stringContaining('[third-party-private]') });
    expect((await clerk.request('GET', '/api/records/deadlines')).json()).toEqual([]);
  });

  it('other staff may forward a request but get 403 on every route that manages one', async () => {
    const forwarded = await employee.request('POST', '/api/records/forward', { ...body, scope: 'Emails about the Gazebo repaint' });
    expect(forwarded.statusCode).toBe(201);
    const { id } = forwarded.json() as { id: string };
    expect((await clerk.request('GET', '/api/records/deadlines')).json()).toEqual([expect.objectContaining({ id, status: 'received' })]);
    for (const client of [employee, manager]) {
      for (const [method, url, payload] of [
        ['GET', '/api/records/requests', undefined], ['POST', '/api/records/requests', body], ['GET', `/api/records/requests/${id}`, undefined],
        ['POST', `/api/records/requests/${id}/acknowledge`, {}], ['POST', `/api/records/requests/${id}/search`, { query: { text: 'Gazebo' } }],
        ['GET', '/api/records/deadlines', undefined], ['GET', `/api/records/requests/${id}/letters/acknowledgement`, undefined],
      ] as const) {
        const res = await client.request(method, url, payload);
        expect(res.statusCode, `${method} ${url}`).toBe(403);
        expect(res.json()).toMatchObject({ error: 'forbidden', rule: 'records.request.manage' });
      }
    }
  });

  it('answers bad input with 400 and the fields, and writes nothing', async () => {
    const before = (await database.db.selectFrom('events').select('id').execute()).length;
    const missing = await clerk.request('POST', '/api/records/requests', { requesterName: 'Pat' });
    expect(missing.statusCode).toBe(400);
    expect((missing.json() as { fields: Array<{ path: string }> }).fields.map((f) => f.path).sort()).toEqual(['body.requesterContact', 'body.scope']);
    const id = ((await clerk.request('POST', '/api/records/requests', body)).json() as { id: string }).id;
    const afterIntake = (await database.db.selectFrom('events').select('id').execute()).length;
    expect(afterIntake).toBe(before + 1);
    const bad = await clerk.request('POST', `/api/records/requests/${id}/deny`, { exemptions: ['not-a-law'], explanation: 'Because.' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ fields: [{ path: 'body.exemptions', message: expect.stringContaining('"not-a-law" is not one of') }] });
    const noReason = await clerk.request('POST', `/api/records/requests/${id}/status`, { status: 'withdrawn', reason: ' ' });
    expect(noReason.json()).toMatchObject({ error: 'bad_request', fields: [{ path: 'body.reason', message: 'required' }] });
    expect((await database.db.selectFrom('events').select('id').execute()).length).toBe(afterIntake);
  });
});
