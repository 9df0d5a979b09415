import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RecordInputSchema } from '../../archive/record.js';
import { handshake, parseFeedWebhook, verifySignature } from './webhooks.js';

const SECRET = 'app-secret-for-tests';
const PAGE = '1000000000001';
const POST = `${PAGE}_1234567890`;
const sign = (body: Buffer, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('verifySignature', () => {
  const body = Buffer.from('{"object":"page","entry":[]}');

  it('accepts the HMAC of the raw body, in either hex case', () => {
    expect(verifySignature(body, sign(body), SECRET)).toBe(true);
    expect(verifySignature(body, sign(body).toUpperCase().replace('SHA256=', 'sha256='), SECRET)).toBe(true);
  });

  it('rejects a changed body, another secret, a missing or malformed header', () => {
    expect(verifySignature(Buffer.from(`${body.toString()} `), sign(body), SECRET)).toBe(false);
    expect(verifySignature(body, sign(body, 'other'), SECRET)).toBe(false);
    expect(verifySignature(body, undefined, SECRET)).toBe(false);
    expect(verifySignature(body, '', SECRET)).toBe(false);
    expect(verifySignature(body, sign(body).replace('sha256=', 'sha1='), SECRET)).toBe(false);
    expect(verifySignature(body, sign(body).slice(0, -2), SECRET)).toBe(false);
    expect(verifySignature(body, `${sign(body)}00`, SECRET)).toBe(false);
    expect(verifySignature(body, 'sha256=' + 'zz'.repeat(32), SECRET)).toBe(false);
    expect(verifySignature(body, sign(body, ''), '')).toBe(false);
  });
});

describe('handshake', () => {
  const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me', 'hub.challenge': '1158201444' };

  it('echoes the challenge when the verify token matches', () => {
    expect(handshake(query, 'verify-me')).toEqual({ status: 200, body: '1158201444' });
  });

  it('is forbidden for a wrong token, another mode, a missing challenge or an unset token', () => {
    expect(handshake(query, 'something-else')).toEqual({ status: 403 });
    expect(handshake({ ...query, 'hub.mode': 'unsubscribe' }, 'verify-me')).toEqual({ status: 403 });
    expect(handshake({ ...query, 'hub.challenge': undefined }, 'verify-me')).toEqual({ status: 403 });
    expect(handshake({ ...query, 'hub.verify_token': ['verify-me', 'verify-me'] }, 'verify-me')).toEqual({ status: 403 });
    expect(handshake({ ...query, 'hub.verify_token': '' }, '')).toEqual({ status: 403 });
  });
});

// Shaped like Meta's Page `feed` webhook deliveries (one delivery may batch several changes).
const resident = { id: '7000000000001', name: 'Pat Resident' };
const post = { status_type: 'mobile_status_update', is_published: true, updated_time: '2024-05-01T12:00:00+0000', permalink_url: `https://www.facebook.com/${PAGE}/posts/1234567890`, promotion_status: 'inactive', id: POST };
const comment = `1234567890_555`;
const delivery = {
  object: 'page',
  entry: [
    {
      id: PAGE,
      time: 1714564900,
      changes: [
        { field: 'feed', value: { from: { id: PAGE, name: 'City of Example' }, message: 'Road closures this weekend.', post_id: POST, created_time: 1714564800, item: 'status', published: 1, verb: 'add' } },
        { field: 'feed', value: { from: resident, post, message: 'Which roads?', post_id: POST, comment_id: comment, created_time: 1714564810, item: 'comment', parent_id: POST, verb: 'add' } },
        { field: 'feed', value: { from: resident, post, message: 'Which roads exactly?', post_id: POST, comment_id: comment, created_time: 1714564810, item: 'comment', parent_id: POST, verb: 'edited' } },
        { field: 'feed', value: { from: resident, post_id: POST, comment_id: comment, created_time: 1714564830, item: 'comment', parent_id: POST, verb: 'hide' } },
        { field: 'feed', value: { from: resident, post_id: POST, comment_id: comment, created_time: 1714564840, item: 'comment', parent_id: POST, verb: 'unhide' } },
        { field: 'feed', value: { from: resident, parent_id: POST, post_id: POST, comment_id: comment, created_time: 1714564850, item: 'comment', verb: 'remove' } },
        { field: 'feed', value: { from: resident, parent_id: POST, post_id: POST, reaction_type: 'like', created_time: 1714564860, item: 'reaction', verb: 'add' } },
        { field: 'feed', value: { item: 'like', verb: 'add', post_id: POST, user_id: resident.id, created_time: 1714564861 } },
        { field: 'mention', value: { post_id: POST, verb: 'add' } },
        { field: 'feed', value: { item: 'comment', verb: 'add' } },
        { field: 'feed', value: 'not an object' },
      ],
    },
    { id: '9999', time: 1714564900, changes: [{ field: 'feed', value: { item: 'status', verb: 'add', post_id: '9999_1', message: 'Not our Page' } }] },
  ],
};

describe('parseFeedWebhook', () => {
  const accounts = (pageId: string) => (pageId === PAGE ? 'acct-1' : undefined);
  const records = parseFeedWebhook(Buffer.from(JSON.stringify(delivery)), accounts);

  it('turns posts, comments, edits, hides and removals into records, skipping reactions and unknown shapes', () => {
    expect(records.map((r) => r.kind)).toEqual(['post', 'comment', 'comment_version', 'visibility_change', 'visibility_change', 'deletion']);
    for (const record of records) {
      expect(RecordInputSchema.safeParse(record).success).toBe(true);
      expect(record).toMatchObject({ platform: 'facebook', accountId: 'acct-1', payloadType: 'application/json' });
    }
  });

  it('fills in ids, thread, author, text and times, keeping the change value as the payload', () => {
    const [status, added, edited, hidden, shown, removed] = records;
    expect(status).toMatchObject({ platformId: POST, text: 'Road closures this weekend.', platformTimes: { created: '2024-05-01T12:00:00.000Z' } });
    expect(added).toMatchObject({ platformId: comment, parentId: POST, threadId: POST, author: resident, text: 'Which roads?', platformTimes: { created: '2024-05-01T12:00:10.000Z' } });
    expect(edited).toMatchObject({ platformId: comment, text: 'Which roads exactly?' });
    expect(edited.platformVersion).not.toBe(added.platformVersion);
    expect(hidden).toMatchObject({ subjectId: comment, meta: { visibility: 'hidden' } });
    expect(shown).toMatchObject({ subjectId: comment, meta: { visibility: 'visible' } });
    expect(hidden.dedupeKey).not.toBe(shown.dedupeKey);
    expect(removed).toMatchObject({ subjectId: comment, dedupeKey: `facebook:acct-1:deletion:${comment}` });
    expect(JSON.parse(new TextDecoder().decode(added.payload))).toEqual(delivery.entry[0].changes[1].value);
  });

  it('matches the version polling gives the same comment, so both captures are one record', async () => {
    const { commentRecord } = await import('./records.js');
    const polled = commentRecord({ id: comment, message: 'Which roads?', from: resident, created_time: '2024-05-01T12:00:10+0000' }, { accountId: 'acct-1', threadId: POST });
    expect(polled?.platformVersion).toBe(records[1].platformVersion);
  });

  it('never throws on bodies that are not page feed deliveries', () => {
    for (const body of ['', 'not json', 'null', '[]', '{"object":"user","entry":[]}', '{"object":"page","entry":"x"}', '{"object":"page","entry":[null,{"id":1}]}']) {
      expect(parseFeedWebhook(Buffer.from(body), accounts)).toEqual([]);
    }
  });
});
