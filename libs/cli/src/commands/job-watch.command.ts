import { setTimeout as delay } from 'node:timers/promises';
import { EXIT, UnreachableError } from '../cli.errors';
import { CliIo, write } from '../cli.io';
import { finalLine, JobProgress, progressLine, TERMINAL_STATUSES } from '../format/progress.format';
import { ApiError } from '../http/api-error';
import { FleetjobsApiClient } from '../http/fleetjobs-api.client';
import { SseParser } from '../http/sse.parser';

/** Connections that may drop in a row, without one job update between them, before watching gives up. */
const MAX_DROPS = 5;

/** The exit code `jobs watch` ends with for a job's final status. */
export function exitCodeOf(status: string): number {
  if (status === 'completed') return EXIT.ok;
  if (status === 'stopped') return EXIT.jobStopped;
  return EXIT.jobFailed;
}

/**
 * Follows `GET /api/jobs/{id}/stream` until the job ends, reconnecting when the connection drops.
 * On a terminal the progress line is redrawn in place; otherwise (a pipe, a log) a line is written
 * each time it changes; with `json` each update is one line of JSON. Answers the job's last state.
 */
export async function watchJob(api: FleetjobsApiClient, io: CliIo, id: string, json: boolean): Promise<JobProgress> {
  const tty = io.stdout.isTTY === true && !json;
  let last: JobProgress | null = null;
  let shown = '';
  let drops = 0;
  const show = async (job: JobProgress) => {
    last = job;
    if (json) return write(io.stdout, `${JSON.stringify(job)}\n`);
    const line = progressLine(job);
    if (line === shown) return;
    shown = line;
    await write(io.stdout, tty ? `\r\x1b[2K${line}` : `${line}\n`);
  };
  for (;;) {
    try {
      const response = await api.open(`/api/jobs/${encodeURIComponent(id)}/stream`, 'text/event-stream');
      if (!response.body) throw new Error('the stream has no body');
      const parser = new SseParser();
      const decoder = new TextDecoder();
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        for (const event of parser.push(decoder.decode(chunk, { stream: true }))) {
          if (event.type !== 'job') continue;
          drops = 0;
          await show(JSON.parse(event.data) as JobProgress);
        }
      }
    } catch (error) {
      // A refusal (401, 403, 404, ...) is final, except a 404 for a job the API has accepted but
      // not yet shown (just created); anything else is a dropped connection.
      if (error instanceof ApiError && (error.status !== 404 || !(await isAccepted(api, id)))) throw error;
      drops += 1;
      if (drops > MAX_DROPS) throw error instanceof UnreachableError ? error : new UnreachableError(api.baseUrl, `the job's stream kept dropping (${(error as Error).message})`);
    }
    const job = last as JobProgress | null;
    if (job && TERMINAL_STATUSES.includes(job.status)) {
      if (tty) await write(io.stdout, '\n');
      if (!json) await write(io.stdout, `${finalLine(job)}\n`);
      return job;
    }
    // The stream ended or dropped before the job did: reconnect, a little later each time.
    await delay(Math.min(5000, 250 * 2 ** drops));
  }
}

/** Whether `GET /api/jobs/{id}` knows the job (it also answers jobs accepted a moment ago). */
async function isAccepted(api: FleetjobsApiClient, id: string): Promise<boolean> {
  try {
    await api.json('GET', `/api/jobs/${encodeURIComponent(id)}`);
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return false;
    throw error;
  }
}
