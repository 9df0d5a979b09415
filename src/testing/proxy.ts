// A TCP proxy that can kill the network at the worst moment: after a request has reached the
// server (so the server acts on it) but before its response gets back, and then refuse every
// connection for a while. For tests of idempotent retries.
import net from 'node:net';

export interface FaultyProxy {
  url: string;
  /** The next request whose bytes contain `marker` is delivered; its response is cut and the network goes down for `downMs`. */
  cutAfterRequest(marker: string, downMs: number): void;
  /** Refuse (reset) every connection for `ms`. */
  down(ms: number): void;
  readonly cuts: number;
  close(): Promise<void>;
}

export async function startFaultyProxy(target: string): Promise<FaultyProxy> {
  const { hostname, port } = new URL(target);
  let marker: string | null = null;
  let downMs = 0;
  let downUntil = 0;
  let cuts = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (Date.now() < downUntil) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    let cutting = false;
    client.on('data', (chunk) => {
      if (marker && chunk.toString('latin1').includes(marker)) {
        cutting = true;
        marker = null;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!cutting) {
        client.write(chunk);
        return;
      }
      // The server has answered, so it acted on the request: now the network dies.
      cuts++;
      downUntil = Date.now() + downMs;
      client.resetAndDestroy();
      upstream.destroy();
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    cutAfterRequest(m, ms) {
      marker = m;
      downMs = ms;
    },
    down(ms) {
      downUntil = Date.now() + ms;
      for (const s of sockets) s.destroy();
    },
    get cuts() {
      return cuts;
    },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
