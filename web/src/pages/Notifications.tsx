// My notifications, newest first: a request waiting for my decision, the outcome of one I made.
// Each links to its request; opening one or pressing "Mark as read" marks it read.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { safeAppLink } from '../accountText.js';
import { api } from '../api.js';
import { StatusTag } from '../components/AccountBits.js';
import { Alert, ApiErrorAlert, Loading } from '../components/Alerts.js';
import { Page } from '../components/Page.js';
import { announceNotificationsChanged } from '../notifications.js';
import { formatDateTime } from '../policyText.js';
import type { NotificationItem } from '../types.js';
import { useApi } from '../useApi.js';

export function NotificationsPage() {
  const { state, reload } = useApi<NotificationItem[]>('/api/notifications');
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  const markRead = async (ids: string[], message: string) => {
    setBusy(true);
    setError(null);
    try {
      for (const id of ids) await api.post(`/api/notifications/${encodeURIComponent(id)}/read`, {});
      setStatus(message);
      announceNotificationsChanged();
      await reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const unread = state.status === 'ready' ? state.data.filter((n) => !n.readAt) : [];
  return (
    <Page title="Notifications" lead="Requests waiting for your decision, and news of the requests you made.">
      <div role="status" className="civic-status">{status ? <Alert kind="success" slim>{status}</Alert> : null}</div>
      <ApiErrorAlert error={error} focus />
      {state.status === 'loading' ? <Loading what="your notifications" /> : null}
      {state.status === 'error' ? <ApiErrorAlert error={state.error} /> : null}
      {state.status === 'ready' ? (
        <>
          <p data-testid="unread-total">
            {unread.length === 0 ? 'Nothing unread.' : `${unread.length} unread.`}
          </p>
          {unread.length > 1 ? (
            <p>
              <button type="button" className="usa-button usa-button--outline" disabled={busy} onClick={() => void markRead(unread.map((n) => n.id), 'All notifications marked as read.')}>
                Mark all as read
              </button>
            </p>
          ) : null}
          {state.data.length === 0 ? <p>You have no notifications.</p> : (
            <ul className="usa-list usa-list--unstyled civic-notifications" data-testid="notifications">
              {state.data.map((n) => {
                const link = safeAppLink(n.link);
                return (
                  <li key={n.id} className={`civic-notification${n.readAt ? '' : ' civic-notification--unread'}`} data-read={n.readAt ? 'true' : 'false'}>
                    <p className="margin-y-05">
                      {n.readAt ? null : <><StatusTag tone="info">Unread</StatusTag>{' '}</>}
                      <span className={n.readAt ? undefined : 'text-bold'}>{n.text}</span>
                    </p>
                    <p className="margin-y-05 font-sans-3xs text-base-dark"><time dateTime={n.createdAt}>{formatDateTime(n.createdAt)}</time></p>
                    <ul className="usa-list usa-list--unstyled civic-inline-actions">
                      {link ? (
                        <li>
                          <Link
                            className="usa-link"
                            to={link}
                            onClick={() => {
                              if (!n.readAt) void api.post(`/api/notifications/${encodeURIComponent(n.id)}/read`, {}).then(announceNotificationsChanged, () => undefined);
                            }}
                          >
                            Open the request<span className="usa-sr-only">: {n.text}</span>
                          </Link>
                        </li>
                      ) : null}
                      {n.readAt ? null : (
                        <li>
                          <button type="button" className="usa-button usa-button--unstyled" disabled={busy} onClick={() => void markRead([n.id], 'Marked as read.')}>
                            Mark as read<span className="usa-sr-only">: {n.text}</span>
                          </button>
                        </li>
                      )}
                    </ul>
                  </li>
                );
              })}
            </ul>
          )}
        </>
      ) : null}
    </Page>
  );
}
