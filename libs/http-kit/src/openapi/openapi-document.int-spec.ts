import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import express from 'express';
import { OPENAPI_ROUTE, openApiHandler, readOpenApiDocument } from './openapi-document';

describe('openApiHandler on a real Express server', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const app = express();
    app.all(OPENAPI_ROUTE, openApiHandler);
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${OPENAPI_ROUTE}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers GET with the document as application/yaml', async () => {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
    expect(await response.text()).toBe(readOpenApiDocument());
  });

  it('answers 304 to a client that already has this version', async () => {
    const etag = (await fetch(url)).headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const again = await fetch(url, { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
  });

  it('answers HEAD with the headers only', async () => {
    const response = await fetch(url, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(readOpenApiDocument()));
  });

  it('refuses other methods with a problem document', async () => {
    const response = await fetch(url, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 405, title: 'Method not allowed' });
  });
});
