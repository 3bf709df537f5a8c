/** One server-sent event. */
export interface ServerSentEvent {
  type: string;
  data: string;
}

/**
 * The text/event-stream format read chunk by chunk: lines may be split across chunks, comments
 * (`: heartbeat`) are skipped, an empty line ends an event, `data:` lines join with a line break.
 */
export class SseParser {
  private buffer = '';
  private type = '';
  private data: string[] = [];

  push(chunk: string): ServerSentEvent[] {
    const events: ServerSentEvent[] = [];
    this.buffer += chunk;
    const lines = this.buffer.split(/\r?\n/);
    this.buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        if (this.data.length) events.push({ type: this.type || 'message', data: this.data.join('\n') });
        this.type = '';
        this.data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const raw = colon === -1 ? '' : line.slice(colon + 1);
      const value = raw.startsWith(' ') ? raw.slice(1) : raw;
      if (field === 'event') this.type = value;
      else if (field === 'data') this.data.push(value);
    }
    return events;
  }
}
