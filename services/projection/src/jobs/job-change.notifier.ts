import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { filter, Observable, Subject } from 'rxjs';

/**
 * Tells live streams of this process which jobs a committed batch changed. Streams served by
 * another replica learn of changes by polling instead.
 */
@Injectable()
export class JobChangeNotifier implements OnModuleDestroy {
  private readonly changes = new Subject<ReadonlySet<string>>();

  publish(jobIds: Iterable<string>): void {
    const ids = new Set(jobIds);
    if (ids.size > 0) this.changes.next(ids);
  }

  changesOf(jobId: string): Observable<ReadonlySet<string>> {
    return this.changes.pipe(filter((ids) => ids.has(jobId)));
  }

  onModuleDestroy(): void {
    this.changes.complete();
  }
}
