import { Condition } from './condition';
import { compileConditions } from './condition-sql.compiler';

const compile = (conditions: Condition[], firstParameter = 1) => compileConditions(conditions, { alias: 'd', firstParameter });

describe('compileConditions', () => {
  describe('on device columns', () => {
    it('compiles eq and neq on id, displayName and template to bound text comparisons', () => {
      expect(compile([{ field: 'id', operator: 'eq', value: 'vm-1' }])).toEqual({ sql: '(d.id = $1::text)', params: ['vm-1'] });
      expect(compile([{ field: 'displayName', operator: 'neq', value: 'x' }])).toEqual({
        sql: '(d.display_name <> $1::text)',
        params: ['x'],
      });
      expect(compile([{ field: 'template', operator: 'eq', value: 'vending-machine' }])).toEqual({
        sql: '(d.template = $1::text)',
        params: ['vending-machine'],
      });
    });

    it('compiles in to ANY over a text array parameter', () => {
      expect(compile([{ field: 'id', operator: 'in', value: ['a', 'b'] }])).toEqual({
        sql: '(d.id = ANY($1::text[]))',
        params: [['a', 'b']],
      });
    });

    it('compiles contains to a substring search without LIKE patterns', () => {
      expect(compile([{ field: 'displayName', operator: 'contains', value: '50%_off' }])).toEqual({
        sql: '(strpos(d.display_name, $1::text) > 0)',
        params: ['50%_off'],
      });
    });

    it('refuses gt and lt, which the validator never lets through on columns', () => {
      expect(() => compile([{ field: 'displayName', operator: 'gt', value: 1 }])).toThrow(/does not apply/);
    });
  });

  describe('on tag paths', () => {
    it('compiles eq to containment (for the index) and an exact comparison at the path', () => {
      expect(compile([{ field: 'tags.site.city', operator: 'eq', value: 'Seattle' }])).toEqual({
        sql: '(d.tags @> $3::jsonb AND (d.tags #> $1::text[]) = $2::jsonb)',
        params: [['site', 'city'], '"Seattle"', '{"site":{"city":"Seattle"}}'],
      });
    });

    it('drops the containment hint when a segment may be an array position', () => {
      expect(compile([{ field: 'tags.slots.0', operator: 'eq', value: 7 }])).toEqual({
        sql: '((d.tags #> $1::text[]) = $2::jsonb)',
        params: [['slots', '0'], '7'],
      });
    });

    it('compiles neq so that devices without the tag match', () => {
      expect(compile([{ field: 'tags.city', operator: 'neq', value: null }])).toEqual({
        sql: '((d.tags #> $1::text[]) IS DISTINCT FROM $2::jsonb)',
        params: [['city'], 'null'],
      });
    });

    it('compiles in to ANY over JSON-encoded scalars', () => {
      expect(compile([{ field: 'tags.floor', operator: 'in', value: [1, '1', true] }])).toEqual({
        sql: '((d.tags #> $1::text[]) = ANY($2::jsonb[]))',
        params: [['floor'], ['1', '"1"', 'true']],
      });
    });

    it('compiles contains to a substring test on strings and an element test on arrays', () => {
      const { sql, params } = compile([{ field: 'tags.labels', operator: 'contains', value: 'cold' }]);
      expect(sql).toBe(
        "(CASE jsonb_typeof((d.tags #> $1::text[])) WHEN 'string' THEN strpos(d.tags #>> $1::text[], $2::text) > 0 " +
          "WHEN 'array' THEN (d.tags #> $1::text[]) @> jsonb_build_array($2::text) ELSE false END)",
      );
      expect(params).toEqual([['labels'], 'cold']);
    });

    it('compiles gt and lt to numeric comparisons guarded by the JSON type', () => {
      expect(compile([{ field: 'tags.temp', operator: 'gt', value: 4.5 }])).toEqual({
        sql: "(CASE WHEN jsonb_typeof((d.tags #> $1::text[])) = 'number' THEN (d.tags #> $1::text[])::numeric > $2::numeric ELSE false END)",
        params: [['temp'], 4.5],
      });
      expect(compile([{ field: 'tags.temp', operator: 'lt', value: -1 }]).sql).toContain('::numeric < $2::numeric');
    });
  });

  it('ANDs conditions and numbers parameters from the given first parameter', () => {
    const { sql, params } = compile(
      [
        { field: 'template', operator: 'eq', value: 'vm' },
        { field: 'tags.city', operator: 'neq', value: 'Paris' },
      ],
      3,
    );
    expect(sql).toBe('(d.template = $3::text) AND ((d.tags #> $4::text[]) IS DISTINCT FROM $5::jsonb)');
    expect(params).toEqual(['vm', ['city'], '"Paris"']);
  });

  it('never writes a value into the SQL text', () => {
    const hostile = "x'); DROP TABLE device_set.devices; --";
    const { sql } = compile([
      { field: 'displayName', operator: 'eq', value: hostile },
      { field: 'tags.a', operator: 'contains', value: hostile },
      { field: 'tags.a', operator: 'in', value: [hostile] },
    ]);
    expect(sql).not.toContain('DROP');
  });

  it('compiles no conditions to TRUE', () => {
    expect(compile([])).toEqual({ sql: 'TRUE', params: [] });
  });

  it('refuses a field it cannot address', () => {
    expect(() => compile([{ field: 'tags.a b', operator: 'eq', value: 1 }])).toThrow(/Cannot compile/);
  });
});
