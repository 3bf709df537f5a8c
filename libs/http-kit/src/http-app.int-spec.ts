import { connect } from 'node:net';
import { AddressInfo } from 'node:net';
import { Body, Controller, Get, INestApplication, Module, Post, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Type } from 'class-transformer';
import { currentRequestId } from '@fleetjobs/contracts';
import { ArrayMaxSize, IsArray, IsInt, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { MAX_BODY_NESTING } from './body/json-nesting';
import { configureHttpApp, HEADERS_TIMEOUT_MS } from './http-app';
import { MAX_LISTED_ERRORS } from './problems/problem-details.filter';

class ItemDto {
  @IsString()
  name: string;

  @IsInt()
  size: number;
}

class ThingDto {
  @IsString()
  name: string;

  @IsOptional()
  @IsObject()
  tags?: Record<string, unknown>;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => ItemDto)
  items?: ItemDto[];
}

class ListQuery {
  @IsOptional()
  @IsString()
  limit?: string;
}

@Controller('things')
class ThingsController {
  @Post()
  create(@Body() body: ThingDto): { name: string } {
    return { name: body.name };
  }

  @Post('traced')
  async traced(@Body() body: ThingDto): Promise<{ name: string; requestId: string | undefined }> {
    await new Promise((resolve) => setImmediate(resolve));
    return { name: body.name, requestId: currentRequestId() };
  }

  @Get()
  list(@Query() query: ListQuery): { limit: string | null } {
    return { limit: query.limit ?? null };
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

describe('configureHttpApp on a real server', () => {
  let app: INestApplication;
  let url: string;
  let port: number;

  beforeAll(async () => {
    app = await NestFactory.create(ThingsModule, { bodyParser: false, logger: false });
    configureHttpApp(app);
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
    url = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    app.getHttpServer().closeAllConnections();
    await app.close();
  });

  const post = async (body: string, contentType = 'application/json') => {
    const response = await fetch(`${url}/things`, { method: 'POST', headers: { 'content-type': contentType }, body });
    return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Record<string, any> };
  };

  it('handles a request with a body in its context: the handler knows the id the request came with', async () => {
    // Large enough to arrive in several chunks: the body parser calls on from a stream event.
    const body = JSON.stringify({ name: 'n', tags: { blob: 'x'.repeat(512 * 1024) } });
    const response = await fetch(`${url}/things/traced`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'body-1' }, body });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBe('body-1');
    expect(await response.json()).toEqual({ name: 'n', requestId: 'body-1' });
  });

  it('accepts a body nested to the limit', async () => {
    const tags = '{"a":'.repeat(MAX_BODY_NESTING - 1) + '1' + '}'.repeat(MAX_BODY_NESTING - 1);
    expect((await post(`{"name":"n","tags":${tags}}`)).status).toBe(201);
  });

  it('refuses a body nested 10,000 levels deep with a problem naming the field', async () => {
    const tags = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    const answer = await post(`{"name":"n","tags":${tags}}`);
    expect(answer.status).toBe(400);
    expect(answer.type).toContain('application/problem+json');
    expect(answer.body.errors).toEqual([{ field: 'tags.a.a', message: `nests deeper than ${MAX_BODY_NESTING} levels of objects and arrays` }]);
  });

  it.each([
    ['{"name":"n","__proto__":{"admin":true}}', '__proto__'],
    ['{"name":"n","tags":{"constructor":"ACME"}}', 'tags.constructor'],
    ['{"name":"n","items":[{"name":"i","size":1,"prototype":1}]}', 'items[0].prototype'],
  ])('refuses a reserved member name rather than dropping it: %s', async (body, field) => {
    const answer = await post(body);
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((error: { field: string }) => error.field)).toEqual([field]);
  });

  it('refuses a reserved name in the query string', async () => {
    const response = await fetch(`${url}/things?limit=5&__proto__=x`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { field: string }[] }).errors[0].field).toBe('__proto__');
  });

  it('names the request path as the problem instance, without the query, whoever answers the problem', async () => {
    const refusedQuery = await fetch(`${url}/things?limit=5&__proto__=x`);
    expect(await refusedQuery.json()).toMatchObject({ status: 400, instance: '/things' });
    const malformed = await fetch(`${url}/things?dry=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' });
    expect(await malformed.json()).toMatchObject({ status: 400, title: 'Malformed JSON', instance: '/things' });
    const invalid = await fetch(`${url}/things?dry=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":1}' });
    expect(await invalid.json()).toMatchObject({ status: 400, instance: '/things' });
  });

  it('refuses a body in another charset than UTF-8', async () => {
    const answer = await post('{"name":"n"}', 'application/json; charset=utf-16le');
    expect(answer.status).toBe(415);
    expect(answer.body.errors[0].field).toBe('body');
  });

  it('refuses a compressed body that does not inflate', async () => {
    const response = await fetch(`${url}/things`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: 'not gzip' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { field: string }[] }).errors[0].field).toBe('body');
  });

  it('lists the first errors of a body with many, and counts them all', async () => {
    const items = Array.from({ length: 500 }, () => ({}));
    const answer = await post(JSON.stringify({ name: 'n', items }));
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(answer.body.errors[0]).toEqual({ field: 'items[0].name', message: 'name must be a string' });
    expect(answer.body.errorCount).toBe(1000);
    expect(answer.body.detail).toContain('1000 errors were found; the first 20 are listed');
  });

  it('refuses a DTO array over its limit before checking its elements', async () => {
    const answer = await post(JSON.stringify({ name: 'n', items: Array.from({ length: 100_000 }, () => ({})) }));
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ field: 'items', message: 'must contain no more than 1000 elements (has 100000)' }]);
  });

  /** Opens a connection, writes `text`, and resolves with what the server sent once it closed the connection. */
  const heldConnection = (text: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(text));
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('error', reject);
      socket.on('close', () => resolve(received));
    });

  it('keeps an idle connection open past Node\'s 5 s, and tells clients how long', async () => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let closed = false;
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('close', () => (closed = true));
    const answered = async (count: number) => {
      while ((received.match(/HTTP\/1\.1 200 /g) ?? []).length < count && !closed) await new Promise((resolve) => setTimeout(resolve, 20));
      return (received.match(/HTTP\/1\.1 200 /g) ?? []).length;
    };
    const request = 'GET /things?limit=1 HTTP/1.1\r\nHost: x\r\n\r\n';
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(request);
    expect(await answered(1)).toBe(1);
    expect(received).toMatch(/Keep-Alive: timeout=65/);
    // Idle past the old 5 s (the idleness itself is what is tested), then reused.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(closed).toBe(false);
    socket.write(request);
    expect(await answered(2)).toBe(2);
    socket.destroy();
  }, 20_000);

  it(
    'answers 408 to a connection that never sends its request, and closes it',
    async () => {
      expect(await heldConnection('')).toMatch(/^HTTP\/1\.1 408/);
    },
    HEADERS_TIMEOUT_MS * 3,
  );

  it(
    'answers 408 to a client that stops half-way through its headers',
    async () => {
      expect(await heldConnection('POST /things HTTP/1.1\r\nHost: x\r\nContent-')).toMatch(/^HTTP\/1\.1 408/);
    },
    HEADERS_TIMEOUT_MS * 3,
  );
});
