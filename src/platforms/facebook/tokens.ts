// Getting a Page token that lasts: a Facebook login gives a short-lived user token (about an
// hour); exchanged for a long-lived one (about 60 days), the Page tokens listed with it do not
// expire on a timer (they stop when the person loses the Page role, changes password, etc.).
import { ConnectorError } from '../errors.js';
import { asArray, asNumber, asObject, asString, GraphApiError, GraphClient, type GraphClientOptions } from './graph.js';

export type GraphEndpoint = Pick<GraphClientOptions, 'graphUrl' | 'version' | 'fetch' | 'now'>;

export interface LongLivedToken {
  access_token: string;
  token_type?: string;
  /** Seconds; absent when Facebook does not say. */
  expires_in?: number;
}

export async function exchangeForLongLivedUserToken(
  input: { appId: string; appSecret: string; shortLivedToken: string } & GraphEndpoint,
): Promise<LongLivedToken> {
  // This call authenticates with the app secret, not a bearer token.
  const graph = new GraphClient({ graphUrl: input.graphUrl, version: input.version, fetch: input.fetch, now: input.now });
  const res = await graph.request('/oauth/access_token', {
    params: { grant_type: 'fb_exchange_token', client_id: input.appId, client_secret: input.appSecret, fb_exchange_token: input.shortLivedToken },
  }).catch((err: unknown) => {
    // Here Graph answers a wrong app secret with code 1 ("Error validating client secret"), which
    // elsewhere means a transient fault: retrying will not fix a wrong secret.
    if (err instanceof GraphApiError && (err.code === 1 || err.code === 101)) throw new ConnectorError('rejected', err.message, { cause: err, platformCode: err.platformCode });
    throw err;
  });
  const accessToken = asString(res.body.access_token);
  if (!accessToken) throw new ConnectorError('rejected', 'Facebook returned no access_token from the token exchange');
  return { access_token: accessToken, token_type: asString(res.body.token_type), expires_in: asNumber(res.body.expires_in) };
}

export interface PageToken {
  id: string;
  name: string;
  access_token: string;
  /** What the person may do on the Page (CREATE_CONTENT, MODERATE, ...). */
  tasks: string[];
}

/** Every Page the user manages, with its Page token (follows paging: a person may run many Pages). */
export async function pageTokensFor(userToken: string, endpoint: GraphEndpoint = {}): Promise<PageToken[]> {
  const graph = new GraphClient({ ...endpoint, token: userToken });
  const pages: PageToken[] = [];
  let res = await graph.request('/me/accounts', { params: { fields: 'id,name,access_token,tasks', limit: 100 } });
  for (let n = 0; n < 50; n++) {
    for (const entry of asArray(res.body.data)) {
      const page = asObject(entry);
      const id = asString(page?.id);
      const token = asString(page?.access_token);
      if (!page || !id || !token) continue;
      pages.push({ id, name: asString(page.name) ?? '', access_token: token, tasks: asArray(page.tasks).filter((t): t is string => typeof t === 'string') });
    }
    const next = asString(asObject(res.body.paging)?.next);
    if (!next) break;
    res = await graph.next(next);
  }
  return pages;
}
