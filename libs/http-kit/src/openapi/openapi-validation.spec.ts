import SwaggerParser from '@apidevtools/swagger-parser';
import { join } from 'node:path';
import { OPENAPI_DOCUMENT_PATH } from './openapi-document';

const documentPath = join(__dirname, '..', '..', '..', '..', OPENAPI_DOCUMENT_PATH);

describe('docs/openapi.yaml under a real OpenAPI validator (swagger-parser)', () => {
  it('is a valid OpenAPI 3.1 document: schema, references and operations', async () => {
    const api = await SwaggerParser.validate(documentPath);
    expect(api).toMatchObject({ openapi: expect.stringMatching(/^3\.1\./) });
  });

  it('can fail: a licence with only a name is refused', async () => {
    const api = (await SwaggerParser.parse(documentPath)) as { info: { license: Record<string, string> } };
    api.info.license = { name: 'MIT' };
    await expect(SwaggerParser.validate(api as never)).rejects.toThrow(/license/);
  });
});
