/**
 * Which devices of a set a job targets: every device of the set (whatever the set holds when the
 * job starts), or an explicit list of ids chosen page by page.
 */
export type DeviceSelection = { readonly mode: 'all-of-set' } | { readonly mode: 'explicit'; readonly ids: ReadonlySet<string> };

export type CheckState = 'checked' | 'unchecked' | 'mixed';

export const ALL_OF_SET: DeviceSelection = { mode: 'all-of-set' };

export function noDevices(): DeviceSelection {
  return { mode: 'explicit', ids: new Set() };
}

export function explicitDevices(ids: Iterable<string>): DeviceSelection {
  return { mode: 'explicit', ids: new Set(ids) };
}

/** The header checkbox: on, every device of the set; off, nothing chosen. */
export function toggleAllOfSet(selection: DeviceSelection): DeviceSelection {
  return selection.mode === 'all-of-set' ? noDevices() : ALL_OF_SET;
}

/**
 * The checkbox by Name: chooses every device of the page shown, or, when they all are chosen
 * already, unchooses them. Choices made on other pages stay.
 * With the whole set chosen the page is already in, so nothing changes.
 */
export function togglePage(selection: DeviceSelection, pageIds: readonly string[]): DeviceSelection {
  if (selection.mode === 'all-of-set' || pageIds.length === 0) return selection;
  const ids = new Set(selection.ids);
  if (pageCheckState(selection, pageIds) === 'checked') pageIds.forEach((id) => ids.delete(id));
  else pageIds.forEach((id) => ids.add(id));
  return { mode: 'explicit', ids };
}

export function toggleDevice(selection: DeviceSelection, id: string): DeviceSelection {
  if (selection.mode === 'all-of-set') return selection;
  const ids = new Set(selection.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { mode: 'explicit', ids };
}

export function isChosen(selection: DeviceSelection, id: string): boolean {
  return selection.mode === 'all-of-set' || selection.ids.has(id);
}

export function pageCheckState(selection: DeviceSelection, pageIds: readonly string[]): CheckState {
  if (selection.mode === 'all-of-set') return pageIds.length ? 'checked' : 'unchecked';
  const chosen = pageIds.filter((id) => selection.ids.has(id)).length;
  if (chosen === 0) return 'unchecked';
  return chosen === pageIds.length ? 'checked' : 'mixed';
}

/** How many devices are chosen; for the whole set that is the set's size, `null` while unknown. */
export function chosenCount(selection: DeviceSelection, setSize: number | null): number | null {
  return selection.mode === 'all-of-set' ? setSize : selection.ids.size;
}

/** The `devices` of the job body: omitted (undefined) for the whole set, else the chosen ids. */
export function devicesOfJobBody(selection: DeviceSelection): string[] | undefined {
  return selection.mode === 'all-of-set' ? undefined : [...selection.ids];
}

/** The selection a job was created with, for copying it into a new job. */
export function selectionOfJob(devices: readonly string[] | null): DeviceSelection {
  return devices === null ? ALL_OF_SET : explicitDevices(devices);
}

export function isEmptySelection(selection: DeviceSelection): boolean {
  return selection.mode === 'explicit' && selection.ids.size === 0;
}
