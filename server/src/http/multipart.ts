/**
 * `multipart/form-data` bodies: one middleware factory around multer for every route that
 * takes files. Whatever the client sends, the answer is a 4xx naming what is wrong, never a
 * 500:
 *
 * - a body that is not `multipart/form-data` → 415;
 * - a file over its limit → 413 naming the part;
 * - anything else multer or busboy refuses (no boundary, a truncated body, malformed part
 *   headers, too many parts, files or fields, a name or value too long, a nested field name,
 *   a file under a name the route does not take) → 400 `validation_failed`, naming the part
 *   where it is known and `(body)` otherwise;
 * - a file name or file part name that is not safe text (`isSafeText`), or a file name with
 *   control characters (it may end up in a `Content-Disposition` header) → 400 naming the part.
 *
 * Text parts land in `req.body` (a null-prototype object) and are checked by the route's
 * schema through `parseRequest`, which also holds them to the safe-text rule. Field names are
 * flat: bracket names (`a[b]`) are refused rather than nested into objects.
 */

import { FieldErrors, isSafeText, printableKey, unsafeTextMessage } from '@desk/shared';
import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { AppError } from './app-error.js';
import { invalidRequest } from './validate.js';

/** File parts a route takes: under one name (`field`), or under any name (`null`). */
export type MultipartFiles = { field: string | null; maxCount: number; maxBytes: number };

export type MultipartOptions = {
  files: MultipartFiles;
  /** Text parts at most (default 20). */
  maxFields?: number;
  /** Bytes of one text part at most (default 256 KiB). */
  maxFieldBytes?: number;
  /** Bytes of a part's name at most (default 400: 100 characters of any script). */
  maxNameBytes?: number;
};

const defaults = { maxFields: 20, maxFieldBytes: 256 * 1024, maxNameBytes: 400 };

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
const controlCharacters = /[\u0000-\u001f\u007f]/;

type Limits = Required<Omit<MultipartOptions, 'files'>> & { files: MultipartFiles };

/** What the client is told for each multer error code: the part it names, and why. */
function multerProblem(
  err: multer.MulterError,
  limits: Limits,
): { status: 'payload_too_large' | 'validation_failed'; field: string; message: string } {
  const field = err.field === undefined ? '(body)' : printableKey(err.field);
  switch (err.code) {
    case 'LIMIT_FILE_SIZE':
      return { status: 'payload_too_large', field, message: `must be at most ${limits.files.maxBytes} bytes` };
    case 'LIMIT_FILE_COUNT':
      return {
        status: 'validation_failed',
        field: '(body)',
        message: `must have at most ${limits.files.maxCount} file(s)`,
      };
    case 'LIMIT_FIELD_COUNT':
      return {
        status: 'validation_failed',
        field: '(body)',
        message: `must have at most ${limits.maxFields} text fields`,
      };
    case 'LIMIT_PART_COUNT':
      return {
        status: 'validation_failed',
        field: '(body)',
        message: `must have at most ${limits.files.maxCount + limits.maxFields} parts`,
      };
    case 'LIMIT_FIELD_KEY':
      return {
        status: 'validation_failed',
        field: '(body)',
        message: `has a part name longer than ${limits.maxNameBytes} bytes`,
      };
    case 'LIMIT_FIELD_VALUE':
      return { status: 'validation_failed', field, message: `must be at most ${limits.maxFieldBytes} bytes` };
    case 'LIMIT_UNEXPECTED_FILE':
      return {
        status: 'validation_failed',
        field,
        message:
          limits.files.field === null || err.field !== limits.files.field
            ? 'is not a file this request takes'
            : `takes at most ${limits.files.maxCount} file(s)`,
      };
    case 'MISSING_FIELD_NAME':
      return { status: 'validation_failed', field: '(body)', message: 'has a part without a name' };
    default:
      // LIMIT_FIELD_NESTING, LIMIT_FIELD_ARRAY_INDEX, INVALID_FIELD_NAME, STREAM_DESTROYED, …
      return {
        status: 'validation_failed',
        field,
        message:
          err.field === undefined
            ? `is not well-formed multipart/form-data (${err.message})`
            : 'is not a field name this request takes',
      };
  }
}

/** Every multer or busboy error as the 4xx it stands for. */
function multipartError(err: unknown, limits: Limits): AppError {
  if (err instanceof multer.MulterError) {
    const problem = multerProblem(err, limits);
    const errors = new FieldErrors().add(problem.field, problem.message);
    const message = problem.status === 'payload_too_large' ? 'A file is too large' : `Invalid body: ${problem.field}`;
    return new AppError(problem.status, message, errors.toRecord());
  }
  // busboy's own errors (no boundary, "Unexpected end of form", "Malformed part header"), and a
  // request the client aborted: all are about the bytes the client sent.
  const why = err instanceof Error ? err.message : 'unreadable';
  return invalidRequest('body', new FieldErrors().add('(body)', `is not well-formed multipart/form-data (${why})`));
}

/** The files multer took, whichever way the route takes them. */
function receivedFiles(req: Request): Express.Multer.File[] {
  if (req.file) return [req.file];
  if (Array.isArray(req.files)) return req.files;
  return req.files ? Object.values(req.files).flat() : [];
}

/** File names and the names of file parts, held to the safe-text rule (and no control characters). */
function fileNameProblems(files: readonly Express.Multer.File[]): FieldErrors {
  const errors = new FieldErrors();
  for (const file of files) {
    const part = printableKey(file.fieldname);
    if (!isSafeText(file.fieldname)) errors.add(part, `has a name that ${unsafeTextMessage}`);
    if (!isSafeText(file.originalname)) errors.add(part, `has a file name that ${unsafeTextMessage}`);
    else if (controlCharacters.test(file.originalname)) errors.add(part, 'has a file name with control characters');
  }
  return errors;
}

/**
 * Parses a `multipart/form-data` body into `req.body` (text parts) and `req.file` /
 * `req.files` (file parts, in memory), or answers the 4xx it deserves.
 */
export function multipartBody(options: MultipartOptions): RequestHandler {
  const limits: Limits = { ...defaults, ...options };
  const { files } = limits;
  const parser = multer({
    storage: multer.memoryStorage(),
    // Browsers send UTF-8 file names without saying so; read them as such.
    defParamCharset: 'utf8',
    limits: {
      fileSize: files.maxBytes,
      files: files.maxCount,
      fields: limits.maxFields,
      parts: files.maxCount + limits.maxFields,
      fieldSize: limits.maxFieldBytes,
      fieldNameSize: limits.maxNameBytes,
      fieldNestingDepth: 0,
      headerPairs: 20,
    },
  });
  const parse =
    files.field === null
      ? parser.any()
      : files.maxCount === 1
        ? parser.single(files.field)
        : parser.array(files.field, files.maxCount);

  return (req, res, next) => {
    if (!req.is('multipart/form-data')) {
      next(
        new AppError('unsupported_media_type', 'The body must be multipart/form-data', {
          '(body)': ['must be multipart/form-data'],
        }),
      );
      return;
    }
    parse(req, res, (err: unknown) => {
      if (err) {
        next(multipartError(err, limits));
        return;
      }
      const problems = fileNameProblems(receivedFiles(req));
      next(problems.size > 0 ? invalidRequest('body', problems) : undefined);
    });
  };
}
