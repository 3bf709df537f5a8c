import { CliIo, Output } from '../cli.io';
import { run } from '../cli.program';

export interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export class Captured implements Output {
  isTTY = false;
  text = '';
  writes: string[] = [];
  write(chunk: string | Uint8Array): boolean {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    this.text += text;
    this.writes.push(text);
    return true;
  }
  once(): this {
    return this;
  }
}

export const json = (status: number, body: unknown, type = 'application/json') => new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

/** The CLI against an API that answers with `answer`; records what it sent. */
export function cli(answer: (request: Sent) => Response | Promise<Response>, options: { env?: Record<string, string>; files?: Record<string, string> } = {}) {
  const sent: Sent[] = [];
  const stdout = new Captured();
  const stderr = new Captured();
  const io: CliIo = {
    stdout,
    stderr,
    env: { FLEETJOBS_URL: 'http://fleet.test', FLEETJOBS_TOKEN: 'fjt_env', ...options.env },
    readFile: async (path) => {
      const text = options.files?.[path];
      if (text === undefined) throw Object.assign(new Error('not found'), { code: 'ENOENT' });
      return text;
    },
    fetch: (async (url: string, init: RequestInit) => {
      const request = { method: init.method ?? 'GET', url, headers: init.headers as Record<string, string>, body: init.body ? JSON.parse(init.body as string) : undefined };
      sent.push(request);
      return answer(request);
    }) as typeof fetch,
    version: '1.2.3',
  };
  return { sent, stdout, stderr, run: (...argv: string[]) => run(argv, io) };
}

