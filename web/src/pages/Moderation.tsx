// The moderation queue: comments on the city's accounts, flagged and escalated first (or, where the
// policy asks for pre-moderation the platforms cannot do, everything unreviewed first), with their
// author, account, the classifier's labels (evidence on demand), the protected-speech warning and
// their state; notices say what the policy asks that a platform cannot do. Filters are the page's
// query string. Keyboard-driven: j/k move the selection (a roving tabindex over the rows' links),
// x ticks it for a bulk action, Enter opens it, ? lists the keys. A bulk action opens a dialog with
// each ticked comment and its own reason.
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { ApiErrorAlert, Loading } from '../components/Alerts.js';
import { CheckboxField, SelectField } from '../components/Fields.js';
import { QueueTable } from '../components/ModerationQueue.js';
import { BulkDialog } from '../components/ModerationBulk.js';
import { ModerationNotices } from '../components/ModerationNotices.js';
import { Alert } from '../components/Alerts.js';
import { Page } from '../components/Page.js';
import { QueueKeysHelp } from '../components/QueueKeysHelp.js';
import { labelWords, moderationStateWords } from '../moderationText.js';
import { MODERATION_STATES, type BulkAction, type QueueItem } from '../moderationTypes.js';
import { roleTitle } from '../policyText.js';
import { hasPermission, useSignedIn } from '../session.js';
import type { PolicyResponse } from '../types.js';
import { useAccountNames } from '../useAccountNames.js';
import { useApi } from '../useApi.js';
import { useQueueKeys, useShortcutsSetting } from '../useQueueKeys.js';
import '../components/Moderation.css';

interface Filters {
  state: string;
  accountId: string;
  category: string;
}

const FILTER_KEYS: Array<keyof Filters> = ['state', 'accountId', 'category'];

function filtersFrom(params: URLSearchParams): Filters {
  return { state: params.get('state') ?? '', accountId: params.get('accountId') ?? '', category: params.get('category') ?? '' };
}

function queryOf(f: Filters): string {
  const out = new URLSearchParams();
  for (const k of FILTER_KEYS) if (f[k]) out.set(k, f[k]);
  return out.toString();
}

const NO_ITEMS: QueueItem[] = [];

export function ModerationPage() {
  const session = useSignedIn();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const query = queryOf(filtersFrom(params));
  const queue = useApi<QueueItem[]>(`/api/moderation/queue${query ? `?${query}` : ''}`);
  const policy = useApi<PolicyResponse>(hasPermission(session, 'pack.view') ? '/api/policy' : null);
  const nameOf = useAccountNames();
  const [form, setForm] = useState<Filters>(() => filtersFrom(params));
  const [helpOpen, setHelpOpen] = useState(false);
  const [shortcuts, setShortcuts] = useShortcutsSetting();
  const [selected, setSelected] = useState(-1);
  const links = useRef<Array<HTMLAnchorElement | null>>([]);
  const items = useMemo(() => (queue.state.status === 'ready' ? queue.state.data : []), [queue.state]);
  // Accounts seen in any answer, for the account filter.
  const [seenAccounts, setSeenAccounts] = useState<Array<{ id: string; platform: string }>>([]);
  // Ticked for a bulk action; the dialog works on a copy taken when it opens.
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const [bulk, setBulk] = useState<{ action: BulkAction; items: QueueItem[] } | null>(null);
  const [status, setStatus] = useState('');

  useEffect(() => {
    setForm(filtersFrom(new URLSearchParams(query)));
    setSelected(-1);
    setTicked(new Set());
  }, [query]);

  useEffect(() => {
    setSeenAccounts((seen) => {
      const more = items.filter((i) => !seen.some((s) => s.id === i.accountId)).map((i) => ({ id: i.accountId, platform: i.platform }));
      return more.length ? [...seen, ...new Map(more.map((m) => [m.id, m])).values()] : seen;
    });
  }, [items]);

  const move = useCallback((to: number) => {
    if (items.length === 0) return;
    const index = Math.max(0, Math.min(items.length - 1, to));
    setSelected(index);
    links.current[index]?.focus();
  }, [items.length]);

  useQueueKeys(shortcuts, {
    next: () => move(selected < 0 ? 0 : selected + 1),
    previous: () => move(selected < 0 ? 0 : selected - 1),
    open: () => {
      const item = items[selected];
      if (item) navigate(`/moderation/${encodeURIComponent(item.id)}`);
    },
    toggle: () => {
      const item = items[selected];
      if (item) tick([item.id], !ticked.has(item.id));
    },
    help: () => setHelpOpen(true),
  });
  const closeHelp = useCallback(() => setHelpOpen(false), []);
  const tick = useCallback((ids: string[], on: boolean) => setTicked((t) => {
    const next = new Set(t);
    for (const id of ids) if (on) next.add(id); else next.delete(id);
    return next;
  }), []);
  const closeBulk = useCallback(() => setBulk(null), []);
  const bulkChanged = useCallback((doneIds: string[]) => {
    tick(doneIds, false);
    setStatus(`${doneIds.length} comment${doneIds.length === 1 ? '' : 's'} acted on.`);
    void queue.reload();
  }, [queue, tick]);
  const pack = policy.state.status === 'ready' ? policy.state.data.pack : null;
  const attorney = pack?.moderation.attorneyRole ? roleTitle(pack, pack.moderation.attorneyRole) : null;
  const tickedItems = items.filter((i) => ticked.has(i.id));
  // Where a removal needs the attorney, a bulk hide would be refused item by item: offer escalation.
  const bulkActions: BulkAction[] = hasPermission(session, 'comment.hide')
    ? (pack?.moderation.removalRequiresAttorneyApproval ? ['keep', 'escalate'] : ['keep', 'escalate', 'hide']) : [];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate({ search: queryOf(form) });
  };
  const clear = () => {
    setForm({ state: '', accountId: '', category: '' });
    navigate({ search: '' });
  };
  const set = (key: keyof Filters) => (value: string) => setForm((f) => ({ ...f, [key]: value }));

  const categories = useMemo(() => {
    const fromPack = policy.state.status === 'ready' ? policy.state.data.pack.acceptableUse.clauses.map((c) => c.category) : [];
    return [...new Set([...fromPack, ...items.flatMap((i) => i.labels), ...(form.category ? [form.category] : [])])];
  }, [policy.state, items, form.category]);
  const filtered = Boolean(query);
  const tabbable = Math.max(selected, 0);

  return (
    <Page title="Moderation" lead={`Comments on the city's accounts, ${pack?.moderation.preModeration ? 'those not yet reviewed first, newest first' : 'flagged and escalated first'}. The labels are a classifier's hint for ordering; only a person decides, under a clause of the Acceptable Use Policy.`}>
      <ModerationNotices />
      <div role="status" className="civic-status">{status ? <Alert kind="success" slim>{status}</Alert> : null}</div>
      <form className="civic-search-form" aria-label="Filter the queue" onSubmit={submit} noValidate>
        <div className="grid-row grid-gap">
          <div className="tablet:grid-col-4">
            <SelectField id="queue-state" name="state" label="State" optional="quiet" placeholder="Any state" value={form.state} onChange={set('state')}
              options={MODERATION_STATES.map((s) => ({ value: s, label: moderationStateWords(s) }))} />
          </div>
          <div className="tablet:grid-col-4">
            <SelectField id="queue-account" name="accountId" label="Account" optional="quiet" placeholder="Any account" value={form.accountId} onChange={set('accountId')}
              options={[...seenAccounts, ...(form.accountId && !seenAccounts.some((a) => a.id === form.accountId) ? [{ id: form.accountId, platform: '' }] : [])]
                .map((a) => ({ value: a.id, label: nameOf(a.id, a.platform || undefined) }))} />
          </div>
          <div className="tablet:grid-col-4">
            <SelectField id="queue-category" name="category" label="Category" optional="quiet" placeholder="Any category" value={form.category} onChange={set('category')}
              options={categories.map((c) => ({ value: c, label: labelWords(c) }))} />
          </div>
        </div>
        <ul className="usa-button-group margin-top-2">
          <li className="usa-button-group__item"><button type="submit" className="usa-button">Filter</button></li>
          <li className="usa-button-group__item">
            <button type="button" className="usa-button usa-button--unstyled padding-105 text-center" onClick={clear}>Clear the filters</button>
          </li>
        </ul>
      </form>

      <section className="margin-top-4" aria-labelledby="queue-heading">
        <h2 id="queue-heading">{filtered ? 'Comments matching the filters' : 'Comments to review'}</h2>
        <div className="civic-keys-bar">
          <p className="margin-y-1" id="queue-keys-hint">
            {shortcuts
              ? <>Keys: <kbd className="civic-kbd">j</kbd> next, <kbd className="civic-kbd">k</kbd> previous, <kbd className="civic-kbd">x</kbd> tick, <kbd className="civic-kbd">Enter</kbd> open, <kbd className="civic-kbd">?</kbd> all keys.</>
              : 'Single-key shortcuts are off.'}
          </p>
          <button type="button" className="usa-button usa-button--outline usa-button--small" onClick={() => setHelpOpen(true)}>Keyboard shortcuts</button>
          <CheckboxField id="queue-shortcuts" name="shortcuts" label="Use single-key shortcuts" checked={shortcuts} onChange={setShortcuts} />
        </div>
        {queue.state.status === 'loading' ? <Loading what="the queue" /> : null}
        {queue.state.status === 'error' ? <ApiErrorAlert error={queue.state.error} /> : null}
        {bulkActions.length && tickedItems.length ? (
          <div className="civic-bulk-bar" data-testid="bulk-bar">
            <p className="margin-0" aria-live="polite"><strong>{tickedItems.length}</strong> ticked</p>
            <ul className="usa-button-group">
              {bulkActions.map((a) => (
                <li className="usa-button-group__item" key={a}>
                  <button type="button" className={`usa-button${a === 'keep' ? ' usa-button--outline' : a === 'hide' ? ' usa-button--secondary' : ''}`} data-bulk={a}
                    onClick={() => setBulk({ action: a, items: tickedItems })}>
                    {a === 'keep' ? 'Keep…' : a === 'hide' ? 'Hide…' : attorney ? `Escalate to the ${attorney}…` : 'Escalate…'}
                  </button>
                </li>
              ))}
              <li className="usa-button-group__item"><button type="button" className="usa-button usa-button--unstyled padding-105" onClick={() => setTicked(new Set())}>Untick all</button></li>
            </ul>
          </div>
        ) : null}
        {queue.state.status === 'ready' ? (
          <QueueTable items={items} selected={selected} tabbable={tabbable} links={links} nameOf={nameOf} filtered={filtered} onSelect={setSelected} checked={ticked} onCheck={tick} />
        ) : null}
      </section>
      <QueueKeysHelp open={helpOpen} onClose={closeHelp} />
      <BulkDialog action={bulk?.action ?? null} items={bulk?.items ?? NO_ITEMS} pack={pack} attorney={attorney} onClose={closeBulk} onChanged={bulkChanged} />
    </Page>
  );
}
