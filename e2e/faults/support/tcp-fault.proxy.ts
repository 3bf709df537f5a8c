import { createConnection, createServer, Server, Socket } from 'node:net';

/** What the proxy did, so a test can prove its fault met real traffic. */
export interface ProxyTraffic {
  connections: number;
  forwardedBytes: number;
  /** Bytes that arrived while the link was cut (held until it healed). */
  heldBytes: number;
  /** Connections accepted while the link was cut (not connected onwards until it healed). */
  heldConnections: number;
  /** Connections onwards the server refused or dropped (it was down). */
  failedConnects: number;
}

interface Chunk {
  due: number;
  data: Buffer;
}

/**
 * A TCP proxy on 127.0.0.1 in front of one server, that can delay every chunk or cut the link.
 * A cut link behaves like a network partition: connections are accepted but nothing is
 * forwarded and nothing is refused; what was sent is held and arrives once the link heals, as
 * TCP retransmission would deliver it.
 */
export class TcpFaultProxy {
  private latencyMs = 0;
  private cut = false;
  private readonly sockets = new Set<Socket>();
  private readonly waitingForHeal = new Set<() => void>();
  readonly traffic: ProxyTraffic = { connections: 0, forwardedBytes: 0, heldBytes: 0, heldConnections: 0, failedConnects: 0 };

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpFaultProxy> {
    let proxy: TcpFaultProxy | undefined;
    const server = createServer((client) => proxy?.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const address = server.address();
    if (!address || typeof address !== 'object') throw new Error('the proxy has no address');
    proxy = new TcpFaultProxy(server, address.port, target);
    return proxy;
  }

  /** Every chunk, either way, arrives `ms` later than it was sent. */
  delay(ms: number): void {
    this.latencyMs = ms;
  }

  /** Cuts the link: nothing passes until `heal()`. */
  blackhole(): void {
    this.cut = true;
  }

  heal(): void {
    this.cut = false;
    this.latencyMs = 0;
    for (const resume of [...this.waitingForHeal]) resume();
  }

  async close(): Promise<void> {
    this.heal();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.traffic.connections += 1;
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    const toServer: Chunk[] = [];
    const toClient: Chunk[] = [];
    let upstream: Socket | null = null;
    const closeBoth = () => {
      client.destroy();
      upstream?.destroy();
    };
    client.on('error', closeBoth);
    client.on('close', closeBoth);
    client.on('data', (data) => this.enqueue(toServer, data, () => upstream));

    const connect = () => {
      if (client.destroyed) return;
      upstream = createConnection(this.target);
      this.sockets.add(upstream);
      const socket = upstream;
      let connected = false;
      socket.on('close', () => {
        this.sockets.delete(socket);
        closeBoth();
      });
      socket.on('error', () => {
        if (!connected) this.traffic.failedConnects += 1;
        closeBoth();
      });
      socket.on('connect', () => {
        connected = true;
        this.drain(toServer, () => socket);
      });
      socket.on('data', (data) => this.enqueue(toClient, data, () => client));
    };
    if (this.cut) {
      this.traffic.heldConnections += 1;
      const resume = () => {
        this.waitingForHeal.delete(resume);
        connect();
      };
      this.waitingForHeal.add(resume);
    } else {
      connect();
    }
  }

  private enqueue(queue: Chunk[], data: Buffer, destination: () => Socket | null): void {
    if (this.cut) this.traffic.heldBytes += data.length;
    queue.push({ due: Date.now() + this.latencyMs, data });
    if (queue.length === 1) this.drain(queue, destination);
  }

  /** Writes the chunks that are due, in order; waits for the heal or the next due time otherwise. */
  private drain(queue: Chunk[], destination: () => Socket | null): void {
    const socket = destination();
    if (!socket || socket.connecting || socket.destroyed) return;
    if (this.cut) {
      const resume = () => {
        this.waitingForHeal.delete(resume);
        this.drain(queue, destination);
      };
      this.waitingForHeal.add(resume);
      return;
    }
    while (queue.length > 0 && queue[0].due <= Date.now()) {
      const chunk = queue.shift()!;
      this.traffic.forwardedBytes += chunk.data.length;
      socket.write(chunk.data);
    }
    if (queue.length > 0) setTimeout(() => this.drain(queue, destination), queue[0].due - Date.now());
  }
}
