import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../src/index.ts';
import { type ApiFixture, openFixture } from './fixture.ts';

let fx: ApiFixture;
beforeAll(async () => {
  fx = await openFixture();
});
afterAll(async () => {
  await fx.close();
});

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('where the API listens', () => {
  it('listens only on JOBCAST_LISTEN_HOST when it is set', async () => {
    const server = await startApiServer({
      db: fx.db,
      producer: fx.producer,
      config: fx.config({ JOBCAST_LISTEN_HOST: '127.0.0.1' }),
      port: 0,
    });
    try {
      const port = Number(new URL(server.url).port);
      expect(server.url).toBe(`http://127.0.0.1:${port}`);
      expect(await accepts('127.0.0.1', port)).toBe(true);
      // Every interface would include the IPv6 loopback.
      expect(await accepts('::1', port)).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('names the port and the setting when the port is taken', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    const { port } = taken.address() as net.AddressInfo;
    try {
      await expect(startApiServer({ db: fx.db, producer: fx.producer, config: fx.config(), port })).rejects.toThrow(
        `端口 ${port} 已被占用：请停止占用它的程序，或设置 PORT=`,
      );
    } finally {
      taken.close();
    }
  });
});
