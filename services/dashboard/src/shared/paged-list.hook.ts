import { DependencyList } from 'react';
import { Page, PageQuery } from '../api/fleetjobs-api.types';
import { CursorPager, useCursorPager } from './cursor-pager.hook';
import { Loaded, useLoad } from './use-load.hook';

/** One page of a cursor list as read from the API, and the pager that walks it. */
export interface PagedList<T> {
  list: Loaded<Page<T> | null>;
  pager: CursorPager;
}

/**
 * Reads the page the pager points at whenever it or `deps` change. A new filter does not go back
 * to page 1 by itself: the caller resets the pager in the same render as it changes the filter.
 */
export function usePagedList<T>(load: (page: PageQuery) => Promise<Page<T> | null>, deps: DependencyList, pageSize = 25): PagedList<T> {
  const pager = useCursorPager();
  const list = useLoad(() => load({ limit: pageSize, cursor: pager.cursor }), [...deps, pageSize, pager.cursor]);
  return { list, pager };
}
