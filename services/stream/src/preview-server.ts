/**
 * The HTTP-FLV preview: `/preview/<overlay token>.flv` plays what the session's publisher is sending
 * now, straight from this process (the stream key never appears in a URL).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { JobcastError } from '@jobcast/core';
import type { Publisher } from './rtmp-server.ts';

/** A preview viewer this far behind is dropped rather than buffered without end. */
const MAX_PREVIEW_BACKLOG = 8 * 1024 * 1024;

export interface PreviewServer {
  /** The port actually listened on (0 picks a free one). */
  port: number;
  close(): Promise<void>;
}

export interface PreviewOptions {
  port: number;
  /** The address to listen on; undefined: every interface. */
  host?: string;
  /** The publisher on air for the session with this overlay token, if any. */
  publisherFor(token: string): Promise<Publisher | undefined>;
}

export async function startPreviewServer(options: PreviewOptions): Promise<PreviewServer> {
  const server = http.createServer((req, res) => {
    const match = /^\/preview\/([A-Za-z0-9_-]{16,64})\.flv$/.exec(req.url ?? '');
    if (req.method !== 'GET' || !match) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('没有这个地址\n');
      return;
    }
    void options.publisherFor(match[1] as string).then(
      (publisher) => {
        if (!publisher) {
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('未在直播\n');
          return;
        }
        res.writeHead(200, {
          'content-type': 'video/x-flv',
          'cache-control': 'no-store',
          'access-control-allow-origin': '*',
        });
        const unsubscribe = publisher.subscribe({
          write: (chunk) => {
            if (res.writableLength > MAX_PREVIEW_BACKLOG) res.destroy();
            else res.write(chunk);
          },
        });
        res.on('close', unsubscribe);
        void publisher.closed.then(() => res.end());
      },
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The preview port, checked before the service touches anything; 0 takes any free port. */
export async function previewPortFree(port: number, host: string | undefined): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = http.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new JobcastError(
          'UNAVAILABLE',
          error.code === 'EADDRINUSE'
            ? `直播预览端口 ${port} 已被占用：请停止占用它的程序，或设置 JOBCAST_STREAM_HTTP_PORT`
            : `无法监听直播预览端口 ${port}：${error.message}；请检查 JOBCAST_STREAM_HTTP_HOST`,
        ),
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
