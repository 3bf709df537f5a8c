import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { readFile } from 'node:fs/promises';

/**
 * An AsyncAPI document as `@asyncapi/parser` reads it, references resolved and traits applied.
 * Any error the parser's rules report fails the load, naming each; warnings and hints do not.
 * The parser (and its linter) is loaded only when a document is asked for.
 */
export async function parseAsyncApiDocument(text: string): Promise<AsyncAPIDocumentInterface> {
  const { Parser, DiagnosticSeverity } = await import('@asyncapi/parser');
  const { document, diagnostics } = await new Parser().parse(text);
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error);
  if (!document || errors.length > 0) {
    const described = errors.map((error) => `${error.code} at ${error.path.join('.') || '/'}: ${error.message}`);
    throw new Error(`the AsyncAPI document does not parse:\n${described.join('\n')}`);
  }
  return document;
}

export async function loadAsyncApiDocument(path: string): Promise<AsyncAPIDocumentInterface> {
  return parseAsyncApiDocument(await readFile(path, 'utf8'));
}
