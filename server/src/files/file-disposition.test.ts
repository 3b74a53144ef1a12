import { describe, expect, it } from 'vitest';
import { attachmentDisposition, downloadName, servedContentType } from './file-disposition.js';

describe('The Content-Disposition of a stored file', () => {
  it('When the name is plain, then it is kept with the extension of the type served', () => {
    expect(attachmentDisposition('passport.png', 'image/png')).toBe(
      `attachment; filename="passport.png"; filename*=UTF-8''passport.png`,
    );
    expect(downloadName('scan.exe', 'image/jpeg')).toBe('scan.jpg');
    expect(downloadName('bill', 'application/pdf')).toBe('bill.pdf');
  });

  it('When the name would break the header, then the header stays one ASCII line with the name inside its quotes', () => {
    const header = attachmentDisposition('x.png"; filename=evil.html\r\nSet-Cookie: a=1\u0000.png', 'image/png');
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    expect(header).toBe(
      `attachment; filename="x.png_; filename=evil.htmlSet-Cookie: a=1.png"; filename*=UTF-8''x.png%22%3B%20filename%3Devil.htmlSet-Cookie%3A%20a%3D1.png`,
    );
  });

  it('When the name is not ASCII, then the fallback replaces what is not and filename* carries it in UTF-8', () => {
    expect(attachmentDisposition('Reisepass Müller (2).pdf', 'application/pdf')).toBe(
      `attachment; filename="Reisepass M_ller (2).pdf"; filename*=UTF-8''Reisepass%20M%C3%BCller%20%282%29.pdf`,
    );
    expect(attachmentDisposition('50% off.png', 'image/png')).toBe(
      `attachment; filename="50_ off.png"; filename*=UTF-8''50%25%20off.png`,
    );
  });

  it('When the name carries a path, direction controls or a lone surrogate, then only a plain last segment is left', () => {
    expect(downloadName('../../etc/passwd', 'image/png')).toBe('passwd.png');
    expect(downloadName('C:\\Users\\me\\scan.jpeg', 'image/jpeg')).toBe('scan.jpg');
    expect(downloadName('invoice\u202Egpj.exe', 'application/pdf')).toBe('invoicegpj.pdf');
    expect(downloadName('bad\uD800name.png', 'image/png')).toBe('bad\uFFFDname.png');
    expect(attachmentDisposition('bad\uD800name.png', 'image/png')).toContain(`filename*=UTF-8''bad%EF%BF%BDname.png`);
  });

  it('When there is no usable name, then the file is called document', () => {
    expect(downloadName(null, 'image/png')).toBe('document.png');
    expect(downloadName('  ...  ', 'application/pdf')).toBe('document.pdf');
    expect(downloadName('.htaccess', 'image/png')).toBe('htaccess.png');
    expect(downloadName('x'.repeat(500), 'image/png')).toBe(`${'x'.repeat(100)}.png`);
  });

  it('When a stored type is not one the desk stores files as, then it is served as opaque bytes', () => {
    expect(servedContentType('image/png')).toBe('image/png');
    expect(servedContentType('text/html')).toBe('application/octet-stream');
    expect(servedContentType('constructor')).toBe('application/octet-stream');
    expect(downloadName('page.html', 'application/octet-stream')).toBe('page.bin');
  });
});
