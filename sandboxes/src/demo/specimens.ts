/**
 * Synthetic specimen files for the demo's documents, drawn at seed time: an ID card front and
 * back, a passport page, a selfie, a tax form, and a proof of address (PDF). Every one says
 * SPECIMEN across it and carries the demo person's name and date of birth, so the document
 * viewer has something plausible to compare with the case. Nothing here is a real document or
 * comes from outside: shapes and a 5×7 pixel font, written as PNG with node:zlib.
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { DocumentType } from '@desk/shared';
import { demoPdf } from './provider-demo/files.js';

type Rgb = readonly [number, number, number];

/** 5×7 glyphs, one string of 7 rows × 5 columns each ('#' drawn). */
const glyphs: Record<string, string> = {
  A: '.###.#...##...#######...##...##...#',
  B: '####.#...##...#####.#...##...#####.',
  C: '.###.#...##....#....#....#...#.###.',
  D: '####.#...##...##...##...##...#####.',
  E: '######....#....####.#....#....#####',
  F: '######....#....####.#....#....#....',
  G: '.###.#...##....#.####...##...#.###.',
  H: '#...##...##...#######...##...##...#',
  I: '.###...#....#....#....#....#...###.',
  J: '..###...#....#....#....#.#..#..##..',
  K: '#...##..#.#.#..##...#.#..#..#.#...#',
  L: '#....#....#....#....#....#....#####',
  M: '#...###.###.#.##...##...##...##...#',
  N: '#...###..##.#.##..###...##...##...#',
  O: '.###.#...##...##...##...##...#.###.',
  P: '####.#...##...#####.#....#....#....',
  Q: '.###.#...##...##...##.#.##..#..##.#',
  R: '####.#...##...#####.#.#..#..#.#...#',
  S: '.#####....#.....###.....#....#####.',
  T: '#####..#....#....#....#....#....#..',
  U: '#...##...##...##...##...##...#.###.',
  V: '#...##...##...##...##...#.#.#...#..',
  W: '#...##...##...##.#.##.#.##.#.#.#.#.',
  X: '#...##...#.#.#...#...#.#.#...##...#',
  Y: '#...##...#.#.#...#....#....#....#..',
  Z: '#####....#...#...#...#...#....#####',
  '0': '.###.#...##..###.#.###..##...#.###.',
  '1': '..#...##....#....#....#....#...###.',
  '2': '.###.#...#....#...#...#...#...#####',
  '3': '#####...#...#.....#.....##...#.###.',
  '4': '...#...##..#.#.#..#.#####...#....#.',
  '5': '######....####.....#....##...#.###.',
  '6': '..##..#...#....####.#...##...#.###.',
  '7': '#####....#...#...#...#....#....#...',
  '8': '.###.#...##...#.###.#...##...#.###.',
  '9': '.###.#...##...#.####....#...#..##..',
  '<': '...#...#...#...#.....#.....#.....#.',
  '-': '...............#####...............',
  '.': '..............................##.##',
  ',': '.........................##...#..#.',
  '/': '.....#...#...#...#...#...#.........',
  ':': '.....##...##.........##...##.......',
  "'": '..#....#...#.......................',
  '#': '.#.#.#####.#.#..#.#.#####.#.#......',
};

/** An RGB image drawn with rectangles, discs and text. */
class Canvas {
  readonly pixels: Buffer;
  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb,
  ) {
    this.pixels = Buffer.alloc(width * height * 3);
    this.rect(0, 0, width, height, background);
  }

  private blend(x: number, y: number, color: Rgb, alpha: number) {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const at = (y * this.width + x) * 3;
    for (let c = 0; c < 3; c++) {
      const under = this.pixels[at + c] ?? 0;
      this.pixels[at + c] = Math.round(under * (1 - alpha) + (color[c] ?? 0) * alpha);
    }
  }

  rect(x: number, y: number, w: number, h: number, color: Rgb, alpha = 1) {
    const left = Math.max(0, Math.round(x));
    const right = Math.min(this.width, Math.round(x + w));
    for (let j = Math.max(0, Math.round(y)); j < Math.min(this.height, Math.round(y + h)); j++) {
      if (alpha < 1) for (let i = left; i < right; i++) this.blend(i, j, color, alpha);
      else
        for (let i = left; i < right; i++) {
          const at = (j * this.width + i) * 3;
          this.pixels[at] = color[0];
          this.pixels[at + 1] = color[1];
          this.pixels[at + 2] = color[2];
        }
    }
  }

  /** An ellipse, drawn only below `clipBottom`'s row when given. */
  disc(cx: number, cy: number, rx: number, ry: number, color: Rgb, clipBottom = this.height) {
    for (let j = Math.floor(cy - ry); j <= Math.min(cy + ry, clipBottom - 1); j++)
      for (let i = Math.floor(cx - rx); i <= cx + rx; i++)
        if (((i - cx) / rx) ** 2 + ((j - cy) / ry) ** 2 <= 1) this.blend(i, j, color, 1);
  }

  /** Upper-case text in the 5×7 font, `scale` pixels per dot; returns the width drawn. */
  text(x: number, y: number, text: string, scale: number, color: Rgb, alpha = 1): number {
    let at = x;
    for (const char of text.toUpperCase()) {
      const glyph = glyphs[char];
      if (glyph)
        for (let row = 0; row < 7; row++)
          for (let col = 0; col < 5; col++)
            if (glyph[row * 5 + col] === '#') this.rect(at + col * scale, y + row * scale, scale, scale, color, alpha);
      at += 6 * scale;
    }
    return at - x;
  }

  png(): Buffer {
    const row = 1 + this.width * 3;
    const raw = Buffer.alloc(row * this.height);
    for (let y = 0; y < this.height; y++)
      this.pixels.copy(raw, y * row + 1, y * this.width * 3, (y + 1) * this.width * 3);
    const header = Buffer.alloc(13);
    header.writeUInt32BE(this.width, 0);
    header.writeUInt32BE(this.height, 4);
    header[8] = 8;
    header[9] = 2;
    return Buffer.concat([
      Buffer.from('89504e470d0a1a0a', 'hex'),
      pngChunk('IHDR', header),
      pngChunk('IDAT', deflateSync(raw, { level: 6 })),
      pngChunk('IEND', Buffer.alloc(0)),
    ]);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function pngChunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  let c = 0xffffffff;
  for (const b of typed) c = (crcTable[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE((c ^ 0xffffffff) >>> 0);
  return Buffer.concat([length, typed, crc]);
}

const ink: Rgb = [28, 36, 52];
const muted: Rgb = [92, 100, 116];
const stamp: Rgb = [190, 30, 45];

/** The person a specimen is made out to. */
export type SpecimenPerson = {
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  street: string;
  city: string;
  postalCode: string;
  country: string;
};

/** A made-up document number, the same for the same person and type. */
function specimenNumber(person: SpecimenPerson, type: DocumentType): string {
  const digest = createHash('sha256').update(`${type}|${person.firstName}|${person.lastName}`).digest('hex');
  return `S${Number.parseInt(digest.slice(0, 8), 16).toString().padStart(8, '0').slice(0, 8)}`;
}

/** "SPECIMEN" across the middle, half see-through, and in the corner. */
function markSpecimen(canvas: Canvas) {
  const scale = Math.max(3, Math.floor(canvas.width / 64));
  const width = 'SPECIMEN'.length * 6 * scale;
  canvas.text(
    Math.floor((canvas.width - width) / 2),
    Math.floor(canvas.height / 2 - 3.5 * scale),
    'SPECIMEN',
    scale,
    stamp,
    0.35,
  );
  canvas.text(canvas.width - 6 * 2 * 8 - 8, canvas.height - 22, 'SPECIMEN', 2, stamp);
}

function portrait(canvas: Canvas, x: number, y: number, w: number, h: number, tone: Rgb) {
  canvas.rect(x, y, w, h, [214, 222, 232]);
  canvas.disc(x + w / 2, y + h * 0.38, w * 0.22, h * 0.2, tone);
  canvas.disc(x + w / 2, y + h * 1.02, w * 0.42, h * 0.36, [70, 92, 130], y + h);
}

function field(canvas: Canvas, x: number, y: number, label: string, value: string) {
  canvas.text(x, y, label, 1, muted);
  canvas.text(x, y + 10, value, 2, ink);
}

const skinTones: readonly Rgb[] = [
  [236, 200, 170],
  [205, 160, 120],
  [160, 112, 80],
  [112, 76, 52],
];
function toneOf(person: SpecimenPerson): Rgb {
  const index = createHash('sha256').update(person.lastName).digest()[0] ?? 0;
  return skinTones[index % skinTones.length] ?? [205, 160, 120];
}

function idFront(person: SpecimenPerson): Buffer {
  const c = new Canvas(400, 252, [226, 236, 244]);
  c.rect(0, 0, 400, 34, [38, 84, 140]);
  c.text(12, 10, 'IDENTITY CARD', 2, [255, 255, 255]);
  c.text(400 - 12 - 8 * 12, 10, 'SPECIMEN', 2, [255, 214, 214]);
  portrait(c, 14, 48, 104, 132, toneOf(person));
  field(c, 132, 50, 'SURNAME', person.lastName);
  field(c, 132, 82, 'GIVEN NAMES', person.firstName);
  field(c, 132, 114, 'DATE OF BIRTH', person.dateOfBirth);
  field(c, 132, 146, 'DOCUMENT NO', specimenNumber(person, 'ID_FRONT'));
  field(c, 132, 178, 'NATIONALITY', person.country);
  c.text(14, 188, 'NOT A REAL DOCUMENT', 1, stamp);
  markSpecimen(c);
  return c.png();
}

function mrz(person: SpecimenPerson, kind: string): [string, string] {
  const name = `${person.lastName}<<${person.firstName}`.toUpperCase().replace(/[^A-Z<]/g, '<');
  const first = `${kind}${person.country}${name}`.padEnd(36, '<').slice(0, 36);
  const second = `${specimenNumber(person, 'PASSPORT')}<${person.dateOfBirth.replace(/-/g, '').slice(2)}<SPECIMEN`
    .padEnd(36, '<')
    .slice(0, 36);
  return [first, second];
}

function idBack(person: SpecimenPerson): Buffer {
  const c = new Canvas(400, 252, [232, 238, 242]);
  for (let i = 0; i < 60; i++) {
    const digest = createHash('sha256').update(`${person.lastName}${i}`).digest();
    c.rect(20 + i * 6, 24, 1 + ((digest[0] ?? 0) % 4), 60, ink);
  }
  field(c, 20, 100, 'ADDRESS', person.street.slice(0, 28));
  c.text(20, 130, `${person.city} ${person.postalCode}`.slice(0, 28), 2, ink);
  c.rect(0, 182, 400, 70, [250, 250, 250]);
  const [line1, line2] = mrz(person, 'ID');
  c.text(12, 192, line1, 1, ink);
  c.text(12, 208, line2, 1, ink);
  markSpecimen(c);
  return c.png();
}

function passport(person: SpecimenPerson): Buffer {
  const c = new Canvas(400, 280, [236, 232, 222]);
  c.rect(0, 0, 400, 30, [110, 40, 60]);
  c.text(12, 8, 'PASSPORT', 2, [255, 255, 255]);
  c.text(400 - 12 - 8 * 12, 8, 'SPECIMEN', 2, [255, 214, 214]);
  portrait(c, 14, 42, 100, 128, toneOf(person));
  field(c, 128, 44, 'SURNAME', person.lastName);
  field(c, 128, 76, 'GIVEN NAMES', person.firstName);
  field(c, 128, 108, 'DATE OF BIRTH', person.dateOfBirth);
  field(c, 128, 140, 'PASSPORT NO', specimenNumber(person, 'PASSPORT'));
  c.rect(0, 210, 400, 70, [250, 248, 242]);
  const [line1, line2] = mrz(person, 'P<');
  c.text(12, 222, line1, 1, ink);
  c.text(12, 238, line2, 1, ink);
  markSpecimen(c);
  return c.png();
}

function selfie(person: SpecimenPerson): Buffer {
  const c = new Canvas(300, 360, [206, 218, 228]);
  const tone = toneOf(person);
  c.disc(150, 420, 130, 150, [64, 96, 140]);
  c.rect(124, 220, 52, 60, tone);
  c.disc(150, 160, 72, 92, tone);
  c.disc(150, 92, 76, 40, [60, 44, 34]);
  c.disc(124, 150, 8, 5, ink);
  c.disc(176, 150, 8, 5, ink);
  c.rect(138, 200, 24, 4, [150, 70, 70]);
  c.text(12, 12, 'SELFIE', 2, ink);
  c.text(12, 32, `${person.firstName} ${person.lastName}`.slice(0, 22), 1, ink);
  markSpecimen(c);
  return c.png();
}

function taxForm(person: SpecimenPerson): Buffer {
  const c = new Canvas(400, 300, [252, 252, 250]);
  c.text(16, 14, 'TAX STATEMENT', 2, ink);
  c.rect(16, 36, 368, 2, ink);
  field(c, 16, 50, 'EMPLOYEE', `${person.firstName} ${person.lastName}`.slice(0, 28));
  field(c, 16, 84, 'IDENTIFICATION NO', '###-##-####');
  field(c, 16, 118, 'WAGES', '48,200.00');
  for (let i = 0; i < 5; i++) c.rect(16, 160 + i * 18, 368, 1, muted);
  markSpecimen(c);
  return c.png();
}

function otherDocument(person: SpecimenPerson): Buffer {
  const c = new Canvas(400, 260, [248, 246, 240]);
  c.text(16, 14, 'SUPPORTING DOCUMENT', 2, ink);
  field(c, 16, 50, 'NAME', `${person.firstName} ${person.lastName}`.slice(0, 28));
  markSpecimen(c);
  return c.png();
}

function proofOfAddress(person: SpecimenPerson): Buffer {
  return demoPdf([
    'SPECIMEN - NOT A REAL DOCUMENT',
    'Utility bill (proof of address)',
    '',
    `${person.firstName} ${person.lastName}`,
    person.street,
    `${person.city} ${person.postalCode}`,
    person.country,
    '',
    'Electricity, billing period: last month',
    'Amount due: 84.20',
    '',
    'SPECIMEN',
  ]);
}

export type Specimen = { contentType: 'image/png' | 'application/pdf'; fileName: string; bytes: Buffer };

const drawers: Record<DocumentType, { draw: (person: SpecimenPerson) => Buffer; name: string; pdf?: true }> = {
  ID_FRONT: { draw: idFront, name: 'id-front-specimen.png' },
  ID_BACK: { draw: idBack, name: 'id-back-specimen.png' },
  PASSPORT: { draw: passport, name: 'passport-specimen.png' },
  SELFIE: { draw: selfie, name: 'selfie-specimen.png' },
  IDENTIFICATION_NUMBER_VERIFICATION: { draw: taxForm, name: 'tax-statement-specimen.png' },
  ADDRESS_VERIFICATION: { draw: proofOfAddress, name: 'utility-bill-specimen.pdf', pdf: true },
  OTHER: { draw: otherDocument, name: 'document-specimen.png' },
};

/** A synthetic, clearly marked specimen file of `type` made out to `person`. */
export function specimenFile(type: DocumentType, person: SpecimenPerson): Specimen {
  const drawer = drawers[type];
  return {
    contentType: drawer.pdf ? 'application/pdf' : 'image/png',
    fileName: drawer.name,
    bytes: drawer.draw(person),
  };
}
