/** Messages between the main thread's PgliteWorkerClient and pglite.worker. */
export interface PgliteWorkerData {
  dataDir: string | undefined;
  startParams: string[];
}

export type PgliteWorkerRequest = { id: number; op: 'exec'; bytes: Uint8Array } | { id: number; op: 'close' };

/** Id 0 answers the start; `bytes` is PostgreSQL's reply to an `exec`. */
export type PgliteWorkerReply =
  | { id: number; ok: true; bytes?: Uint8Array }
  | { id: number; ok: false; error: { message: string; stack?: string } };
