// One file out of a production package, for reading in the browser: records.pdf, streamed straight
// out of the ZIP the requester gets (so what staff read is byte for byte what was sent, never a
// second rendering). Same permission as downloading the whole package: records.request.manage for
// the request's department, checked by the route gate and again against the request itself.
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import yauzl from 'yauzl';
import { z } from 'zod';
import { commandContext } from '../http/context.js';
import { AppError, notFound } from '../http/errors.js';
import { assertManage, loadRequest } from './requests.shared.js';

const id = z.string().min(1).max(200);
const PDF_ENTRY = 'records.pdf';

interface EntryStream {
  stream: Readable;
  bytes: number;
}

/** Opens one entry of a ZIP file for reading; undefined when the ZIP has no such entry. */
export function openZipEntry(file: string, name: string): Promise<EntryStream | undefined> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (err, zip) => {
      if (err) return reject(err);
      const fail = (e: Error) => {
        zip.close();
        reject(e);
      };
      zip.on('error', fail);
      zip.on('end', () => {
        zip.close();
        resolve(undefined);
      });
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e) return fail(e);
          // yauzl keeps the file open until this stream ends, so the ZIP can be released now.
          zip.close();
          resolve({ stream, bytes: entry.uncompressedSize });
        });
      });
      zip.readEntry();
    });
  });
}

export async function recordsProductionsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/records/requests/:id/productions/:pid/records.pdf', {
    config: { permission: 'records.request.manage' },
    schema: {
      tags: ['records'], summary: 'The readable PDF of a production package (records.pdf, read out of the ZIP), to view in the browser',
      params: z.object({ id, pid: id }),
    },
  }, async (request, reply) => {
    const ctx = commandContext(request);
    const found = await loadRequest(app.db, ctx.actor.orgId, request.params.id);
    assertManage(ctx, found);
    const production = await app.db.selectFrom('records_request_productions').select(['file_path'])
      .where('request_id', '=', found.id).where('id', '=', request.params.pid).executeTakeFirst();
    if (!production) throw notFound('Production');
    if (!existsSync(production.file_path)) throw new AppError(410, 'gone', 'The package file is no longer in the data folder: restore it from backup, or produce the request again');
    let entry: EntryStream | undefined;
    try {
      entry = await openZipEntry(production.file_path, PDF_ENTRY);
    } catch (err) {
      throw new AppError(500, 'package_unreadable', `The package file could not be read as a ZIP (${(err as Error).message})`);
    }
    if (!entry) throw new AppError(404, 'not_found', `This package has no ${PDF_ENTRY}`);
    return reply.type('application/pdf').header('content-length', entry.bytes)
      .header('content-disposition', `inline; filename="${found.number}-records.pdf"`)
      // Redacted or not, these are records of a request: never kept in a shared cache.
      .header('cache-control', 'private, no-store')
      .send(entry.stream);
  });
}
