import type { IncomingMessage } from 'node:http';
import { json, NextFunction, Request, RequestHandler, Response } from 'express';
import { MAX_BODY_NESTING, tooDeepField } from './json-nesting';
import { reservedKeyField } from './reserved-keys';

const JSON_TYPES = ['application/json', 'application/*+json'];

/** A body the parser refuses before parsing it; `type` tells the problem filter how to answer. */
export class BodyRefusal extends Error {
  constructor(
    readonly type: 'entity.too.deep' | 'charset.unsupported' | 'entity.reserved.key',
    readonly status: number,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** JSON bodies up to `limit` bytes, UTF-8 only (RFC 8259), nested at most MAX_BODY_NESTING levels. */
export function jsonBody(limit: number): RequestHandler {
  return json({ limit, type: JSON_TYPES, verify: checkBeforeParsing });
}

function checkBeforeParsing(_request: IncomingMessage, _response: unknown, body: Buffer, encoding: string | null): void {
  if (encoding && !/^utf-?8$/i.test(encoding)) {
    throw new BodyRefusal('charset.unsupported', 415, 'body', `unsupported charset "${encoding.toUpperCase()}": JSON bodies are UTF-8`);
  }
  const field = tooDeepField(body, MAX_BODY_NESTING);
  if (field !== null) {
    throw new BodyRefusal('entity.too.deep', 400, field, `nests deeper than ${MAX_BODY_NESTING} levels of objects and arrays`);
  }
}

/** Refuses a body or query that uses a member name the framework would silently drop. */
export function refuseReservedKeys(request: Request, _response: Response, next: NextFunction): void {
  const inBody = reservedKeyField(request.body);
  if (inBody !== null) return next(new BodyRefusal('entity.reserved.key', 400, inBody, 'is a reserved name (__proto__, constructor, prototype) and not a known field'));
  const inQuery = reservedKeyField(request.query);
  if (inQuery !== null) return next(new BodyRefusal('entity.reserved.key', 400, inQuery, 'is a reserved name and not a known parameter'));
  next();
}
