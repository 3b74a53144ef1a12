/**
 * `POST /v1/customers/upload`, multipart/form-data: a `customer_id` field and one or more
 * files under any field names (the guide's file1, file2, ...). Answers 200
 * `{ data: { files: [{ "<field>": "<uri>" }, ...] } }` in the order received, each uri like
 * the guide's `/AbAcQ4hn_0652746727637.pdf`; the uri belongs to that customer only.
 *
 * Where the guide is silent: at most 10 files of at most 10 MB each (10 × 1024 × 1024
 * bytes; larger → 413); the type is taken from the file name's extension (pdf, jpg, jpeg,
 * png, any case) and the bytes must agree with it (%PDF-, PNG or JPEG signature), else 400
 * naming the field; empty files are refused. Uploads are refused (403) for a REJECTED
 * customer; an unknown customer_id is a 400 on `customer_id`. Only the size and SHA-256 of
 * a file are kept, never its bytes.
 */
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import multer from 'multer';
import { findCustomer, insertFile } from './customer.repository.js';
import type { FinContext } from './customer.service.js';
import { FieldChecker } from './fields.js';
import { FinError, isUuid, notEligible } from './http.js';
import { sha256Hex } from './signing.js';

const mb = 1024 * 1024;
export const uploadLimits = { fileBytes: 10 * mb, files: 10 } as const;

const fileKinds = [
  { extensions: ['pdf'], contentType: 'application/pdf', label: 'PDF', magic: Buffer.from('%PDF-', 'latin1') },
  { extensions: ['png'], contentType: 'image/png', label: 'PNG', magic: Buffer.from('89504e470d0a1a0a', 'hex') },
  { extensions: ['jpg', 'jpeg'], contentType: 'image/jpeg', label: 'JPEG', magic: Buffer.from('ffd8ff', 'hex') },
] as const;

const parseMultipart = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: uploadLimits.fileBytes, files: uploadLimits.files, fields: 10, fieldSize: 1024, parts: 30 },
}).any();

function multerErrorToFin(err: unknown): FinError {
  if (err instanceof multer.MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') {
      return FinError.coded(
        413,
        'payload_too_large',
        `Each file must be at most ${uploadLimits.fileBytes / mb} MB (${uploadLimits.fileBytes} bytes)`,
      );
    }
    return FinError.validation({ [err.field ?? 'body']: [err.message] });
  }
  return FinError.validation({ body: ['Malformed multipart/form-data body'] });
}

function readMultipart(req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    parseMultipart(req, res, (err: unknown) => (err ? reject(multerErrorToFin(err)) : resolve()));
  });
}

function randomName(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join('');
}

type CheckedFile = { field: string; file: Express.Multer.File; extension: string; contentType: string };

export async function handleUpload(ctx: FinContext, req: Request, res: Response): Promise<void> {
  await readMultipart(req, res);
  const c = new FieldChecker();
  const fields: unknown = req.body;
  const customerId =
    typeof fields === 'object' && fields !== null && 'customer_id' in fields ? fields.customer_id : undefined;
  const files = Array.isArray(req.files) ? req.files : [];
  if (typeof customerId !== 'string' || customerId.trim() === '') c.add('customer_id', 'customer_id is required');
  else if (!isUuid(customerId.trim())) c.add('customer_id', 'customer_id must be a customer id (UUID)');
  if (files.length === 0) c.add('files', 'At least one file is required');

  const checked: CheckedFile[] = [];
  for (const file of files) {
    const extension = /\.([A-Za-z0-9]+)$/.exec(file.originalname)?.[1]?.toLowerCase() ?? '';
    const kind = fileKinds.find((k) => (k.extensions as readonly string[]).includes(extension));
    if (!kind) c.add(file.fieldname, 'File type must be PDF, JPG, JPEG or PNG');
    else if (file.size === 0) c.add(file.fieldname, 'The file is empty');
    else if (!file.buffer.subarray(0, kind.magic.length).equals(kind.magic))
      c.add(file.fieldname, `The file is not a valid ${kind.label}`);
    else checked.push({ field: file.fieldname, file, extension, contentType: kind.contentType });
  }
  c.throwIfAny();

  const id = (customerId as string).trim().toLowerCase();
  const customer = await findCustomer(ctx.db, id);
  if (!customer) throw FinError.validation({ customer_id: ['customer_id does not name a customer of this client'] });
  if (customer.status === 'REJECTED') throw notEligible();

  const answer: Record<string, string>[] = [];
  await ctx.db.transaction().execute(async (trx) => {
    for (const { field, file, extension, contentType } of checked) {
      const uri = `/${randomName()}_${String(Date.now()).padStart(13, '0')}.${extension}`;
      await insertFile(trx, {
        uri,
        customer_id: id,
        field_name: field,
        original_name: file.originalname.slice(0, 255),
        content_type: contentType,
        size_bytes: file.size,
        sha256: sha256Hex(file.buffer),
      });
      answer.push({ [field]: uri });
    }
  });
  res.status(200).json({ data: { files: answer } });
}
