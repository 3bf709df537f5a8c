import { Page, PageQuery } from '../api/fleetjobs-api.types';

/**
 * Walks a short list (templates, device sets) to fill a drop-down. Bounded: such lists are
 * configuration, and a drop-down beyond `maxItems` entries would be no use anyway.
 */
export async function loadAllPages<T>(list: (query: PageQuery) => Promise<Page<T>>, maxItems = 5000): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await list({ limit: 1000, cursor });
    items.push(...page.value);
    cursor = page.nextCursor;
  } while (cursor && items.length < maxItems);
  return items;
}
