import { vi } from 'vitest';
import { JobEventStream } from '../api/fetch-event-stream';
import { fleetjobsApi } from '../api/fleetjobs-api.client';

/** Stands in for the job's event stream so a test can play the projection's stream. */
export class FakeEventSource implements JobEventStream {
  static instances: FakeEventSource[] = [];
  closed = false;
  private readonly listeners = new Map<string, ((event: MessageEvent) => void)[]>();

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }

  addEventListener(type: string, listener: (event: MessageEvent) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
  }

  emit(type: string, data?: unknown): void {
    const event = new MessageEvent(type, { data: data === undefined ? undefined : JSON.stringify(data) });
    this.listeners.get(type)?.forEach((listener) => listener(event));
  }

  static install(): void {
    FakeEventSource.instances = [];
    vi.spyOn(fleetjobsApi, 'openJobStream').mockImplementation((id) => new FakeEventSource(`/api/jobs/${encodeURIComponent(id)}/stream`));
  }

  static latest(): FakeEventSource {
    const source = FakeEventSource.instances[FakeEventSource.instances.length - 1];
    if (!source) throw new Error('No EventSource was opened');
    return source;
  }
}
