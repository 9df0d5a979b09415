import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { GraphClient, graphError } from './graph.js';

const NOW = new Date('2024-05-01T12:00:00Z');
const body = (code: number, extra: Record<string, unknown> = {}) => JSON.stringify({ error: { message: `error ${code}`, type: 'OAuthException', code, fbtrace_id: 'AbC', ...extra } });

describe('graphError classification', () => {
  it.each([
    [400, 4, 'rate_limited'], [400, 17, 'rate_limited'], [400, 32, 'rate_limited'], [400, 613, 'rate_limited'], [400, 80001, 'rate_limited'],
    [429, 100, 'rate_limited'],
    [400, 190, 'reauthorize'], [403, 10, 'reauthorize'], [403, 200, 'reauthorize'], [403, 299, 'reauthorize'],
    [500, 1, 'retryable'], [500, 2, 'retryable'], [503, 100, 'retryable'],
    [400, 100, 'rejected'], [400, 368, 'rejected'], [400, 506, 'rejected'], [400, 324, 'rejected'],
  ] as const)('HTTP %i with Graph code %i is %s', (status, code, kind) => {
    expect(graphError(status, body(code), new Headers(), NOW).kind).toBe(kind);
  });

  it('names why a token stopped working', () => {
    const err = graphError(400, body(190, { error_subcode: 460 }), new Headers(), NOW);
    expect(err).toMatchObject({ kind: 'reauthorize', platformCode: '190/460', subcode: 460 });
    expect(err.message).toContain('changed their password');
    expect(err.message).toContain('fbtrace_id AbC');
  });

  it('names the missing permission from the message, else from the call', () => {
    const named = graphError(403, JSON.stringify({ error: { message: "(#10) This endpoint requires the 'pages_read_engagement' permission", code: 10 } }), new Headers(), NOW, 'pages_manage_posts');
    expect(named.message).toContain("'pages_read_engagement'");
    const generic = graphError(403, body(200), new Headers(), NOW, 'pages_manage_engagement');
    expect(generic.message).toContain("'pages_manage_engagement'");
  });

  it('takes the wait from Retry-After, then usage headers, else a minute', () => {
    const at = (headers: Record<string, string>) => graphError(400, body(32), new Headers(headers), NOW).retryAt?.getTime() ?? 0;
    expect(at({ 'retry-after': '30' }) - NOW.getTime()).toBe(30_000);
    expect(at({ 'x-business-use-case-usage': JSON.stringify({ 1: [{ type: 'pages', estimated_time_to_regain_access: 2 }, { type: 'pages', estimated_time_to_regain_access: 5 }] }) }) - NOW.getTime()).toBe(300_000);
    expect(at({ 'x-app-usage': JSON.stringify({ call_count: 100, estimated_time_to_regain_access: 3 }) }) - NOW.getTime()).toBe(180_000);
    expect(at({ 'x-app-usage': 'not json' }) - NOW.getTime()).toBe(60_000);
  });

  it('classifies a non-Graph error body by HTTP status', () => {
    expect(graphError(502, '<html>Bad gateway</html>', new Headers(), NOW)).toMatchObject({ kind: 'retryable', platformCode: '502' });
    expect(graphError(401, '', new Headers(), NOW).kind).toBe('reauthorize');
  });
});

describe('GraphClient', () => {
  it('sends the token as a Bearer header by default, or as access_token when asked', async () => {
    const seen: Array<{ url: string; auth?: string }> = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"1"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const graphUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await new GraphClient({ graphUrl, token: 't0k', version: 'v99.0' }).request('/me', { params: { fields: 'id' } });
      await new GraphClient({ graphUrl, token: 't0k', tokenIn: 'query', appSecret: 's' }).request('/me');
      expect(seen[0]).toEqual({ url: '/v99.0/me?fields=id', auth: 'Bearer t0k' });
      expect(seen[1].url).toMatch(/^\/v21\.0\/me\?access_token=t0k&appsecret_proof=[0-9a-f]{64}$/);
      await expect(new GraphClient({ graphUrl, token: 't0k' }).next('https://evil.example/v21.0/me')).rejects.toMatchObject({ kind: 'rejected' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('reports an unreachable Graph as retryable', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    await expect(new GraphClient({ graphUrl: `http://127.0.0.1:${port}`, token: 't' }).request('/me')).rejects.toMatchObject({ kind: 'retryable' });
  });
});
