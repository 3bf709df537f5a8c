import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Lowest port the kernel hands out by itself (to `listen(0)` and to outgoing connections). */
function ephemeralFloor(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && low > 2000) return low;
  } catch {
    // Not Linux: the IANA range's floor.
  }
  return 49_152;
}

/** Whether nothing listens on the port of 127.0.0.1 right now. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * The first of `count` consecutive ports of 127.0.0.1 nothing listens on, below the ports the
 * kernel hands out by itself: a port it gave to `listen(0)` or to some process's outgoing
 * connection could be taken again between this check and the listen of the system started on it,
 * which on a busy machine with many connections happens.
 */
export async function freePortRange(count: number): Promise<number> {
  const ceiling = ephemeralFloor() - count;
  const floor = Math.min(20_000, ceiling - 2000);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = floor + Math.floor(Math.random() * (ceiling - floor));
    const free = await Promise.all(Array.from({ length: count }, (_, offset) => portFree(base + offset)));
    if (free.every(Boolean)) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}
