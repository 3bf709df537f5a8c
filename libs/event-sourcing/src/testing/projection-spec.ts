/**
 * given(events).when(event).then(row) / .thenUnchanged(), for pure projections
 * `evolve(row | null, event) => row | null`.
 */
export function projectionSpec<TRow, TEvent>(evolve: (row: TRow | null, event: TEvent) => TRow | null) {
  return {
    given(events: TEvent[]) {
      const before = events.reduce<TRow | null>(evolve, null);
      return {
        when(event: TEvent) {
          const after = evolve(before, event);
          return {
            then(expected: Partial<TRow> | null) {
              if (expected === null) expect(after).toBeNull();
              else expect(after).toMatchObject(expected);
            },
            thenUnchanged() {
              expect(after).toEqual(before);
            },
          };
        },
      };
    },
  };
}
