import type { DataSource } from 'typeorm';

/**
 * What every embedded log on one DataSource (and schema) in this process shares: which group
 * consumes which topic right now, and who to wake when a message is appended. Waking is only a
 * shortcut; consumers also poll, so correctness never depends on it.
 */
export class SqlEventLogRegistry {
  private readonly liveConsumers = new Set<string>();
  private readonly appendListeners = new Set<(topics: ReadonlySet<string>) => void>();

  /** Reserves the group's topics for one subscription; throws if one of them is already consumed. */
  claim(groupId: string, topics: string[]): () => void {
    const keys = topics.map((topic) => `${groupId}\u0000${topic}`);
    const taken = topics.filter((_, i) => this.liveConsumers.has(keys[i]));
    if (taken.length > 0) {
      throw new Error(
        `Consumer group "${groupId}" already has a live subscription to ${taken.join(', ')}: ` +
          'a group has one active member in the embedded event log',
      );
    }
    keys.forEach((key) => this.liveConsumers.add(key));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      keys.forEach((key) => this.liveConsumers.delete(key));
    };
  }

  onAppend(listener: (topics: ReadonlySet<string>) => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  appended(topics: ReadonlySet<string>): void {
    for (const listener of this.appendListeners) listener(topics);
  }
}

const registries = new WeakMap<DataSource, Map<string, SqlEventLogRegistry>>();

export function registryFor(dataSource: DataSource, schema: string): SqlEventLogRegistry {
  let bySchema = registries.get(dataSource);
  if (!bySchema) {
    bySchema = new Map();
    registries.set(dataSource, bySchema);
  }
  let registry = bySchema.get(schema);
  if (!registry) {
    registry = new SqlEventLogRegistry();
    bySchema.set(schema, registry);
  }
  return registry;
}
