// One interface every platform connector implements. A connector talks to one official account on
// one platform; it never decides anything (machines flag, people decide): the commands that call
// it have already checked the pack. Everything a connector reads or writes comes back as archive
// record inputs carrying the platform's raw payload, so capture happens before anything else.
import type { RecordInput } from '../archive/record.js';

// 'disable_comments': a post can be published with replies turned off (the account's own setting
// on its own post, e.g. a Bluesky threadgate allowing nobody). 'hold_replies': the platform holds
// replies until the account approves them (pre-moderation, MN-7); no connector offers it today, and
// it must never be emulated by hiding replies automatically (that would be a machine removing speech).
// 'delete_reply': the account may delete a resident's reply on its own post (Facebook Pages may;
// on Bluesky the reply is the resident's own record, so the city can only hide it).
export const CAPABILITIES = [
  'publish', 'schedule', 'edit', 'delete', 'read_replies', 'hide_reply', 'delete_reply', 'respond', 'disable_comments', 'hold_replies', 'followers', 'webhooks', 'firehose',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** A platform object: its id (AT URI, Graph object id) and, where the platform has one, its version (CID). */
export interface PlatformRef {
  id: string;
  version?: string;
  url?: string;
}

export interface MediaInput {
  bytes: Uint8Array;
  mime: string;
  /** Alt text is required by every seed policy's accessibility rules. */
  alt: string;
}

export interface PublishInput {
  /**
   * Chosen by the caller before the first attempt and reused on every retry: the same key never
   * creates a second post (Bluesky: a record key derived from it; Facebook: a reconciliation look-up).
   */
  idempotencyKey: string;
  /** When the first attempt with this key started (a platform without keys is searched from then). */
  firstAttemptAt: string;
  text: string;
  media?: MediaInput[];
  /** A reply in a thread (the account responding), else a new top-level post. */
  replyTo?: { root: PlatformRef; parent: PlatformRef };
  /** Facebook only (capability 'schedule'): the platform publishes at this time. */
  scheduledAt?: string;
  link?: string;
  /**
   * Capability 'disable_comments': publish the post with replies turned off, in the same write as
   * the post where the platform allows it. Only for a new top-level post (a reply is governed by
   * its thread's root).
   */
  disableReplies?: boolean;
}

export interface PublishResult {
  ref: PlatformRef;
  /** True when a previous attempt with the same key had already published it. */
  alreadyPublished: boolean;
  /** What to archive: the post as the platform returned it. */
  records: RecordInput[];
}

export interface RepliesPage {
  records: RecordInput[];
  /** Pass back to read only what is newer; undefined when the platform has no cursor. */
  cursor?: string;
}

export interface ConnectorHealth {
  ok: boolean;
  /** When the credential stops working, if the platform says (Facebook long-lived tokens). */
  expiresAt?: string;
  /** Missing permissions or scopes the features need. */
  missing?: string[];
  message: string;
}

export interface Connector {
  readonly platform: string;
  readonly capabilities: ReadonlySet<Capability>;
  /** The account's identity on the platform (Bluesky DID, Facebook Page id). */
  readonly accountRef: string;
  publish(input: PublishInput): Promise<PublishResult>;
  /** Deletes the account's own post or reply; returns the deletion record to archive. */
  deletePost(ref: PlatformRef): Promise<RecordInput[]>;
  /** Replies under a post, newer than `cursor` when given. */
  readReplies(post: PlatformRef, cursor?: string): Promise<RepliesPage>;
  /** Hides or shows a resident's reply (a person decided; see moderation). Returns the visibility-change record. */
  setReplyHidden(post: PlatformRef, reply: PlatformRef, hidden: boolean): Promise<RecordInput[]>;
  /**
   * Capability 'delete_reply' only: deletes a resident's reply for good (a person decided; see
   * moderation). Returns the deletion record; the archive keeps the reply as captured.
   */
  deleteReply?(post: PlatformRef, reply: PlatformRef): Promise<RecordInput[]>;
  /** Capability 'hold_replies' only: lets a held reply appear (a person approved it). */
  releaseHeldReply?(post: PlatformRef, reply: PlatformRef): Promise<RecordInput[]>;
  /** The account's followers now, as one follower-snapshot record. */
  followerSnapshot(): Promise<RecordInput>;
  health(): Promise<ConnectorHealth>;
  close?(): Promise<void>;
}

export function requireCapability(connector: Connector, capability: Capability): void {
  if (!connector.capabilities.has(capability)) {
    throw new Error(`the ${connector.platform} connector cannot ${capability.replace(/_/g, ' ')}`);
  }
}
