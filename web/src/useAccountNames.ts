// Names of the city's accounts ("Bluesky kalispell.test") for the content pages, when the person
// may list accounts (account.view) or write posts (the accounts they may write for); otherwise the
// pages fall back to what a draft itself says.
import { useMemo } from 'react';
import { accountLabel } from './accountText.js';
import { hasPermission, useSignedIn } from './session.js';
import type { Account } from './types.js';
import { useApi } from './useApi.js';

export function useAccountNames(): (id: string, platform?: string) => string {
  const session = useSignedIn();
  const accounts = useApi<Account[]>(hasPermission(session, 'account.view') ? '/api/accounts' : hasPermission(session, 'content.submit') ? '/api/content/accounts' : null);
  return useMemo(() => {
    const names = new Map<string, string>();
    if (accounts.state.status === 'ready') for (const a of accounts.state.data) names.set(a.id, accountLabel(a));
    return (id: string, platform?: string) => names.get(id) ?? (platform ? `${accountLabel({ platform, handle: '' }).trim()} account` : `Account ${id.slice(0, 8)}`);
  }, [accounts.state]);
}
