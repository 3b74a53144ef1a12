import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkFileContent, declaredContentType } from './content-type.js';

const accepted = ['application/pdf', 'image/png', 'image/jpeg'];

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const pngSignature = Buffer.from('89504e470d0a1a0a', 'hex');
const pngStart = Buffer.concat([
  pngSignature,
  chunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])),
  chunk('IDAT', deflateSync(Buffer.from([0, 9]))),
]);
const png = Buffer.concat([pngStart, chunk('IEND', Buffer.alloc(0))]);
const jpeg = Buffer.concat([
  Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'),
  Buffer.alloc(64, 1),
  Buffer.from('ffd9', 'hex'),
]);
const pdf = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n', 'latin1');
const html = Buffer.from('<!doctype html><html><script>alert(document.cookie)</script></html>');

describe('Checking an upload by its bytes', () => {
  it('When a PNG, a JPEG or a PDF is what it says, then it is accepted as that type', async () => {
    expect(await checkFileContent(png, 'image/png', accepted)).toEqual({ ok: true, contentType: 'image/png' });
    expect(await checkFileContent(jpeg, 'image/jpeg', accepted)).toEqual({ ok: true, contentType: 'image/jpeg' });
    expect(await checkFileContent(pdf, 'application/pdf', accepted)).toEqual({
      ok: true,
      contentType: 'application/pdf',
    });
  });

  it('When a JPEG is declared image/jpg, then it is a JPEG; when a JPEG carries data after its end, then it is still one', async () => {
    expect(declaredContentType('Image/JPG; charset=binary')).toBe('image/jpeg');
    expect(await checkFileContent(jpeg, 'image/jpg', accepted)).toEqual({ ok: true, contentType: 'image/jpeg' });
    const motionPhoto = Buffer.concat([jpeg, Buffer.from('....ftypmp42 appended video')]);
    expect(await checkFileContent(motionPhoto, 'image/jpeg', accepted)).toMatchObject({ ok: true });
  });

  it.each([
    ['HTML as a PNG', html, 'image/png', /is text markup \(HTML, SVG or XML\), not image\/png/],
    [
      'SVG as a PNG',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
      'image/png',
      /text markup/,
    ],
    [
      'an SVG with an XML declaration as a PNG',
      Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
      'image/png',
      /application\/xml by its bytes, which is not accepted/,
    ],
    ['text as a PDF', Buffer.from('just some words\n'), 'application/pdf', /is plain text, not application\/pdf/],
    ['an empty file', Buffer.alloc(0), 'image/png', /is empty/],
    ['random bytes', Buffer.from([0, 1, 2, 3, 250, 251, 252]), 'image/jpeg', /of no type the desk recognises/],
    ['a JPEG declared as a PNG', jpeg, 'image/png', /declared image\/png but its bytes are image\/jpeg/],
    [
      'a GIF',
      Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'),
      'image/png',
      /image\/gif by its bytes, which is not accepted/,
    ],
    ['a PNG signature followed by HTML', Buffer.concat([pngSignature, html]), 'image/png', /not image\/png/],
    ['a whole PNG with HTML after its end', Buffer.concat([png, html]), 'image/png', /does not end like one/],
    ['a PNG cut short', pngStart, 'image/png', /does not end like one/],
    [
      'a PDF header on an HTML page',
      Buffer.concat([Buffer.from('%PDF-1.7\n'), html]),
      'application/pdf',
      /does not end like one/,
    ],
    ['an HTML page with a PDF inside', Buffer.concat([html, pdf]), 'application/pdf', /text markup/],
    ['a JPEG without its end', jpeg.subarray(0, jpeg.length - 2), 'image/jpeg', /does not end like one/],
  ])('When the upload is %s, then it is refused saying what the bytes are', async (_what, bytes, declared, problem) => {
    const result = await checkFileContent(bytes, declared, accepted);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.problem).toMatch(problem);
  });

  it('When a PDF has a little padding after %%EOF, then it is still whole; when %%EOF is far from the end, then it is not', async () => {
    expect(
      await checkFileContent(Buffer.concat([pdf, Buffer.alloc(200, 0x20)]), 'application/pdf', accepted),
    ).toMatchObject({ ok: true });
    expect(
      await checkFileContent(Buffer.concat([pdf, Buffer.alloc(2000, 0x20)]), 'application/pdf', accepted),
    ).toMatchObject({ ok: false });
  });

  it('When the declared type is a reserved object key, then it is an ordinary unknown type', async () => {
    expect(declaredContentType('constructor')).toBe('constructor');
    expect(await checkFileContent(png, '__proto__', accepted)).toMatchObject({ ok: false });
  });
});
