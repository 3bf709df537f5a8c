import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, IsString, ValidateNested } from 'class-validator';
import { ValidationProblem } from '../problems/problem.exception';
import { createValidationPipe } from '../problems/validation.pipe';
import { freeJsonTransformer, MAX_DTO_ARRAY, MAX_DTO_FIELDS } from './free-json.transformer';

class ItemDto {
  @IsString()
  name: string;

  @IsObject()
  payload: Record<string, unknown>;
}

class BodyDto {
  @IsString()
  title: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ItemDto)
  items: ItemDto[];

  @IsArray()
  @IsString({ each: true })
  ids: string[];
}

const aBody = () => ({
  title: 't',
  items: [{ name: 'a', payload: { deep: { deeper: [1, { x: 2 }] } } }],
  ids: ['x', 'y'],
});

describe('freeJsonTransformer', () => {
  it('builds the declared DTO classes and takes free JSON over as parsed', () => {
    const body = aBody();
    const payload = body.items[0].payload;
    const ids = body.ids;
    const dto = freeJsonTransformer.plainToInstance(BodyDto, body) as BodyDto;
    expect(dto).toBeInstanceOf(BodyDto);
    expect(dto.items[0]).toBeInstanceOf(ItemDto);
    expect(dto.items[0].payload).toBe(payload);
    expect(dto.ids).toBe(ids);
    expect(body).toEqual(aBody());
  });

  it('takes a wide object in a free JSON position in milliseconds', () => {
    const payload = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
    const started = Date.now();
    const dto = freeJsonTransformer.plainToInstance(BodyDto, { title: 't', items: [{ name: 'a', payload }], ids: [] }) as BodyDto;
    expect(dto.items[0].payload).toBe(payload);
    // Copied by class-transformer, this object alone takes over 10 s.
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses an object in a DTO position with more fields than any DTO has, naming it', () => {
    const wide = Object.fromEntries(Array.from({ length: MAX_DTO_FIELDS + 1 }, (_, i) => [`f${i}`, i]));
    expect(() => freeJsonTransformer.plainToInstance(BodyDto, { title: 't', items: [wide], ids: [] })).toThrow(ValidationProblem);
    let refused: unknown;
    try {
      freeJsonTransformer.plainToInstance(BodyDto, { title: 't', items: [{ name: 'a', payload: {} }, wide], ids: [] });
    } catch (error) {
      refused = error;
    }
    expect((refused as ValidationProblem).errors).toEqual([
      { field: 'items[1]', message: `has ${MAX_DTO_FIELDS + 1} fields; at most ${MAX_DTO_FIELDS} are known` },
    ]);
  });

  it('leaves validation as it was: nested rules, unknown fields and free JSON types are all checked', async () => {
    const pipe = createValidationPipe();
    const metadata = { type: 'body' as const, metatype: BodyDto };
    await expect(pipe.transform(aBody(), metadata)).resolves.toBeInstanceOf(BodyDto);
    const bad = { title: 't', items: [{ name: 1, payload: 'no', extra: true }], ids: [{}] };
    const error = (await pipe.transform(bad, metadata).catch((e: unknown) => e)) as ValidationProblem;
    expect(error).toBeInstanceOf(ValidationProblem);
    expect(error.errors.map((e) => e.field).sort()).toEqual(['ids', 'items[0].extra', 'items[0].name', 'items[0].payload']);
  });
});

describe('freeJsonTransformer and arrays of DTOs', () => {
  class CappedDto {
    @IsArray()
    @ArrayMaxSize(3)
    @ValidateNested({ each: true })
    @Type(() => ItemDto)
    items: ItemDto[];
  }

  it('refuses an array of DTOs longer than its @ArrayMaxSize before copying any element', () => {
    const items = Array.from({ length: 100_000 }, () => ({}));
    expect(() => freeJsonTransformer.plainToInstance(CappedDto, { items })).toThrow(ValidationProblem);
    try {
      freeJsonTransformer.plainToInstance(CappedDto, { items });
    } catch (error) {
      expect((error as ValidationProblem).errors).toEqual([{ field: 'items', message: 'must contain no more than 3 elements (has 100000)' }]);
    }
  });

  it('refuses an array of DTOs without a limit of its own past MAX_DTO_ARRAY elements', () => {
    const items = Array.from({ length: MAX_DTO_ARRAY + 1 }, () => ({ name: 'a', payload: {} }));
    expect(() => freeJsonTransformer.plainToInstance(BodyDto, { title: 't', items, ids: [] })).toThrow(ValidationProblem);
  });

  it('lets an array within its limit through to the element checks', () => {
    const dto = freeJsonTransformer.plainToInstance(CappedDto, { items: [{ name: 'a', payload: {} }] }) as CappedDto;
    expect(dto.items[0]).toBeInstanceOf(ItemDto);
  });
});
