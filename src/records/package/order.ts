// Reading order for people: each thread as it appears on the platform — the post, then its
// comments (replies indented under what they reply to), every version of an object together, and
// the deletions and moderation records about an object right after it. Threads come in the order
// of their first record in the archive; records outside any thread (staff events, follower
// snapshots) come last.
import { isContent, type Produced } from './select.js';

export interface ReadingItem {
  p: Produced;
  /** The thread's key, or null for the closing "other records" section. */
  thread: string | null;
  depth: number;
  firstOfThread: boolean;
  /** First record of its platform object here: where that object's deleted/hidden markers go. */
  firstOfObject: boolean;
}

const MAX_DEPTH = 4;

export function readingOrder(produced: readonly Produced[]): ReadingItem[] {
  const objectThread = new Map<string, string>();
  const objectParent = new Map<string, string | null>();
  for (const p of produced) {
    if (!isContent(p) || !p.objectKey) continue;
    if (p.threadKey && !objectThread.has(p.objectKey)) objectThread.set(p.objectKey, p.threadKey);
    if (!objectParent.has(p.objectKey)) objectParent.set(p.objectKey, p.parentKey);
  }
  const threads = new Map<string | null, Produced[]>();
  const other: Produced[] = [];
  for (const p of produced) {
    const placed = isContent(p) || p.objectKey !== null || p.threadKey !== null;
    const thread = placed ? p.threadKey ?? (p.objectKey ? objectThread.get(p.objectKey) : undefined) ?? null : null;
    if (thread === null) {
      other.push(p);
      continue;
    }
    const list = threads.get(thread);
    if (list) list.push(p);
    else threads.set(thread, [p]);
  }

  const out: ReadingItem[] = [];
  const seenObjects = new Set<string>();
  for (const [thread, members] of threads) {
    const firstLeaf = new Map<string, number>();
    for (const p of members) if (p.objectKey && !firstLeaf.has(p.objectKey)) firstLeaf.set(p.objectKey, p.leafIndex);
    const isPost = (p: Produced) => p.baseKind === 'post' && p.objectKey === thread;
    const depthOf = (key: string | null, guard = 0): number => {
      if (!key || key === thread || guard >= MAX_DEPTH) return 0;
      return 1 + depthOf(objectParent.get(key) ?? null, guard + 1);
    };
    const sorted = [...members].sort((a, b) => (Number(isPost(b)) - Number(isPost(a)))
      || ((firstLeaf.get(a.objectKey ?? '') ?? a.leafIndex) - (firstLeaf.get(b.objectKey ?? '') ?? b.leafIndex))
      || (a.leafIndex - b.leafIndex));
    sorted.forEach((p, i) => {
      const acting = !isContent(p);
      const base = isPost(p) ? 0 : Math.max(1, depthOf(p.objectKey));
      const firstOfObject = !acting && p.objectKey !== null && !seenObjects.has(p.objectKey);
      if (firstOfObject) seenObjects.add(p.objectKey as string);
      out.push({ p, thread, depth: Math.min(MAX_DEPTH, base + (acting ? 1 : 0)), firstOfThread: i === 0, firstOfObject });
    });
  }
  other.forEach((p, i) => out.push({ p, thread: null, depth: 0, firstOfThread: i === 0, firstOfObject: false }));
  return out;
}
