// Bluesky objects as archive records: the record's JSON as the platform served it (payload) and a
// CAR from com.atproto.sync.getRecord (signed commit + Merkle search tree path + record) as
// evidence, which anyone can check against the author's DID signing key.
import type { RecordInput } from '../../archive/record.js';

export const CAR_TYPE = 'application/vnd.ipld.car';

export interface PostView {
  uri: string;
  cid: string;
  did: string;
  handle?: string;
  displayName?: string;
  /** The app.bsky.feed.post record value. */
  record: { text?: string; createdAt?: string; reply?: { root: { uri: string; cid: string }; parent: { uri: string; cid: string } } };
  /** The exact bytes the platform returned for this record. */
  payload: Uint8Array<ArrayBuffer>;
  evidence?: Uint8Array<ArrayBuffer>;
}

/** A post by the account (kind post) or a reply in one of its threads (kind comment). */
export function postRecord(accountId: string, accountDid: string, view: PostView, capturedAt?: string): RecordInput {
  const reply = view.record.reply;
  const isAccount = view.did === accountDid;
  const kind = reply && !isAccount ? 'comment' : 'post';
  return {
    kind,
    platform: 'bluesky',
    accountId,
    platformId: view.uri,
    platformVersion: view.cid,
    parentId: reply?.parent.uri,
    threadId: reply?.root.uri ?? view.uri,
    capturedAt,
    platformTimes: view.record.createdAt && !Number.isNaN(Date.parse(view.record.createdAt)) ? { created: new Date(view.record.createdAt).toISOString() } : undefined,
    author: { id: view.did, handle: view.handle, name: view.displayName },
    text: view.record.text ?? '',
    payload: view.payload,
    payloadType: 'application/json',
    ...(view.evidence ? { evidence: view.evidence, evidenceType: CAR_TYPE } : {}),
    meta: { isReply: Boolean(reply), byAccount: isAccount },
  };
}

export function deletionRecord(accountId: string, uri: string, by: 'account' | 'author', payload: Uint8Array<ArrayBuffer>, capturedAt?: string): RecordInput {
  return {
    kind: 'deletion', platform: 'bluesky', accountId, subjectId: uri,
    dedupeKey: `bluesky-deletion:${uri}`, capturedAt,
    text: by === 'account' ? 'Deleted by the account' : 'Deleted by its author',
    payload, payloadType: 'application/json', meta: { deletedBy: by },
  };
}

export function visibilityRecord(
  accountId: string, postUri: string, replyUri: string, hidden: boolean, gate: { uri: string; cid: string; payload: Uint8Array<ArrayBuffer>; evidence?: Uint8Array<ArrayBuffer> },
): RecordInput {
  return {
    kind: 'visibility_change', platform: 'bluesky', accountId, subjectId: replyUri, threadId: postUri,
    // One record per threadgate version: hiding, showing and hiding again are three records.
    dedupeKey: `bluesky-threadgate:${gate.cid}:${replyUri}`,
    platformId: gate.uri, platformVersion: gate.cid,
    text: hidden ? 'Reply hidden by the account (threadgate hiddenReplies)' : 'Reply shown again by the account',
    payload: gate.payload, payloadType: 'application/json',
    ...(gate.evidence ? { evidence: gate.evidence, evidenceType: CAR_TYPE } : {}),
    meta: { visibility: hidden ? 'hidden' : 'visible', mechanism: 'app.bsky.feed.threadgate#hiddenReplies' },
  };
}

/** The account's threadgate allowing nobody to reply to its own post (LX-8), as published. */
export function repliesClosedRecord(
  accountId: string, postUri: string, gate: { uri: string; cid: string; payload: Uint8Array<ArrayBuffer>; evidence?: Uint8Array<ArrayBuffer> },
): RecordInput {
  return {
    kind: 'visibility_change', platform: 'bluesky', accountId, subjectId: postUri, threadId: postUri,
    dedupeKey: `bluesky-threadgate:${gate.cid}:replies`,
    platformId: gate.uri, platformVersion: gate.cid,
    text: 'Replies turned off on the account\'s own post (threadgate allowing nobody)',
    payload: gate.payload, payloadType: 'application/json',
    ...(gate.evidence ? { evidence: gate.evidence, evidenceType: CAR_TYPE } : {}),
    meta: { replies: 'disabled', mechanism: 'app.bsky.feed.threadgate#allow' },
  };
}

/** The fields of an app.bsky.actor.profile record people recognise; images by their blob CID. */
export interface ProfileFacts {
  displayName?: string;
  description?: string;
  avatar?: string;
  banner?: string;
}

export function profileFacts(value: unknown): ProfileFacts {
  const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const text = (x: unknown) => (typeof x === 'string' ? x : undefined);
  const blob = (x: unknown) => {
    const ref = (x && typeof x === 'object' ? (x as { ref?: unknown }).ref : undefined);
    return ref === undefined || ref === null ? undefined : String(ref);
  };
  const facts: ProfileFacts = { displayName: text(v.displayName), description: text(v.description), avatar: blob(v.avatar), banner: blob(v.banner) };
  return Object.fromEntries(Object.entries(facts).filter(([, x]) => x !== undefined)) as ProfileFacts;
}

/**
 * A change of the account's own profile (app.bsky.actor.profile/self): one account_change record
 * per version (its CID), with the commit's blocks as evidence. A deletion has no new version, so
 * the commit's revision tells deletions apart.
 */
export function profileRecord(
  accountId: string,
  change: { uri: string; did: string; operation: 'create' | 'update' | 'delete'; cid?: string; rev: string; value?: unknown; payload: Uint8Array<ArrayBuffer>; evidence?: Uint8Array<ArrayBuffer> },
  capturedAt?: string,
): RecordInput {
  const facts = profileFacts(change.value);
  const parts = [facts.displayName !== undefined ? `display name "${facts.displayName}"` : null, facts.description !== undefined ? `description "${facts.description}"` : null]
    .filter((p): p is string => p !== null);
  const words = change.operation === 'delete' ? 'Profile deleted'
    : `Profile ${change.operation === 'create' ? 'created' : 'changed'}${parts.length ? `: ${parts.join(', ')}` : ''}`;
  return {
    kind: 'account_change', platform: 'bluesky', accountId, platformId: change.uri, capturedAt,
    ...(change.cid ? { platformVersion: change.cid } : { dedupeKey: `bluesky-profile-deleted:${change.uri}:${change.rev}` }),
    author: { id: change.did },
    text: words,
    payload: change.payload, payloadType: 'application/json',
    ...(change.evidence ? { evidence: change.evidence, evidenceType: CAR_TYPE } : {}),
    meta: { change: 'profile', operation: change.operation, byAccount: true, rev: change.rev, ...facts },
  };
}
