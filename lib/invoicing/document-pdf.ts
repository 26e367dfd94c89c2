import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import { formatPence } from '#lib/money';
import { LINE_COLUMNS, longDate, longMonth, remittanceLines, type DocumentModel } from './document-model';

/**
 * The PDF of an issued document, drawn with pdf-lib from the same model as the
 * printable HTML. pdf-lib is pure JavaScript with the 14 standard PDF fonts
 * compiled into its code (no font files read from disk), so esbuild bundles it
 * into the Lambda like any other module. A4, Helvetica; the table continues
 * over as many pages as the lines need, its heading repeated on each.
 */

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 50;
const WIDTH = A4.width - 2 * MARGIN;
const INK = rgb(0.07, 0.07, 0.07);
const GREY = rgb(0.35, 0.35, 0.35);
const RULE = rgb(0.8, 0.8, 0.8);
const BODY = 9.5;
const TABLE = 8;
const LEADING = 1.3;

/** Each column's width in points, in LINE_COLUMNS' order: together the 495 points between the margins. */
const WIDTHS = [185, 65, 32, 58, 35, 65, 55];
const COLUMNS = LINE_COLUMNS.map(({ heading, numeric }, i) => ({ heading, width: WIDTHS[i]!, align: numeric ? ('right' as const) : ('left' as const) }));
const CELL_PAD = 3;

class Writer {
  page!: PDFPage;
  y = 0;
  readonly pages: PDFPage[] = [];

  constructor(
    readonly pdf: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.newPage();
  }

  newPage(): void {
    this.page = this.pdf.addPage([A4.width, A4.height]);
    this.pages.push(this.page);
    this.y = A4.height - MARGIN;
  }

  /** Room for `height` more points on this page, or a new page. */
  ensure(height: number): boolean {
    if (this.y - height >= MARGIN + 20) return false;
    this.newPage();
    return true;
  }

  text(text: string, x: number, size: number, options: { font?: PDFFont; colour?: ReturnType<typeof rgb>; width?: number; align?: 'left' | 'right' } = {}): void {
    const font = options.font ?? this.regular;
    const safe = printable(font, text);
    const offset = options.align === 'right' && options.width !== undefined ? options.width - font.widthOfTextAtSize(safe, size) : 0;
    this.page.drawText(safe, { x: x + offset, y: this.y - size, size, font, color: options.colour ?? INK });
  }

  /** Writes wrapped lines at x within width, moving down. */
  paragraph(text: string, size: number, options: { font?: PDFFont; colour?: ReturnType<typeof rgb>; x?: number; width?: number } = {}): void {
    const font = options.font ?? this.regular;
    for (const line of wrap(font, text, size, options.width ?? WIDTH)) {
      this.ensure(size * LEADING);
      this.text(line, options.x ?? MARGIN, size, { font, ...(options.colour ? { colour: options.colour } : {}) });
      this.y -= size * LEADING;
    }
  }

  rule(): void {
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: MARGIN + WIDTH, y: this.y }, thickness: 0.5, color: RULE });
  }
}

/** Characters the standard fonts cannot show (WinAnsi) become `?`, rather than failing the document. */
function printable(font: PDFFont, text: string): string {
  const supported = charactersOf(font);
  let out = '';
  for (const char of text.replace(/[\t\r\n]+/g, ' ')) out += supported.has(char.codePointAt(0)!) ? char : '?';
  return out;
}

const characterSets = new WeakMap<PDFFont, Set<number>>();
function charactersOf(font: PDFFont): Set<number> {
  let set = characterSets.get(font);
  if (!set) {
    set = new Set(font.getCharacterSet());
    characterSets.set(font, set);
  }
  return set;
}

/** Greedy word wrap; a word wider than the line is broken where it must be. */
export function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const fits = (s: string) => font.widthOfTextAtSize(printable(font, s), size) <= width;
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    const candidate = current ? `${current} ${word}` : word;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (current) lines.push(current);
    current = '';
    let rest = word;
    while (!fits(rest)) {
      let cut = rest.length - 1;
      while (cut > 1 && !fits(rest.slice(0, cut))) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  if (current) lines.push(current);
  return lines.length > 0 ? lines : [''];
}

function tableHeading(w: Writer): void {
  let x = MARGIN;
  for (const column of COLUMNS) {
    w.text(column.heading, x + CELL_PAD, TABLE, { font: w.bold, width: column.width - 2 * CELL_PAD, align: column.align });
    x += column.width;
  }
  w.y -= TABLE * LEADING + 3;
  w.rule();
  w.y -= 3;
}

function tableRow(w: Writer, cells: string[][]): void {
  const height = Math.max(...cells.map((c) => c.length)) * TABLE * LEADING + 6;
  if (w.ensure(height)) tableHeading(w);
  const top = w.y;
  let x = MARGIN;
  for (const [i, column] of COLUMNS.entries()) {
    w.y = top;
    for (const [j, line] of cells[i]!.entries()) {
      w.text(line, x + CELL_PAD, TABLE, { width: column.width - 2 * CELL_PAD, align: column.align, ...(i === 0 && j > 0 ? { colour: GREY } : {}) });
      w.y -= TABLE * LEADING;
    }
    x += column.width;
  }
  w.y = top - height + 3;
  w.rule();
  w.y -= 3;
}

export async function documentPdf(d: DocumentModel): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  // Dated by the document, not the moment of rendering: the same document always gives the same PDF.
  const issued = new Date(`${d.issueDate}T00:00:00Z`);
  pdf.setTitle(`${d.title} ${d.number}`);
  pdf.setAuthor(d.from.name);
  pdf.setSubject(`${d.title} ${d.number} to ${d.to.name}`);
  pdf.setCreator('Cared For');
  pdf.setProducer('Cared For (pdf-lib)');
  pdf.setCreationDate(issued);
  pdf.setModificationDate(issued);
  const w = new Writer(pdf, await pdf.embedFont(StandardFonts.Helvetica), await pdf.embedFont(StandardFonts.HelveticaBold));

  // Our council, top right; the document's particulars, top left.
  const top = w.y;
  const issuer = d.from;
  for (const line of [issuer.name, issuer.department, ...issuer.address, `${issuer.email}  ${issuer.phone}`, `VAT registration: ${issuer.vatRegistration}`]) {
    w.text(line, MARGIN + WIDTH / 2, BODY, { width: WIDTH / 2, align: 'right', ...(line === issuer.name ? { font: w.bold } : {}) });
    w.y -= BODY * LEADING;
  }
  const leftBottom = (() => {
    w.y = top;
    w.text(d.title, MARGIN, 20, { font: w.bold });
    w.y -= 30;
    const particulars: Array<[string, string]> = [
      ['Number', d.number],
      ['Date', longDate(d.issueDate)],
      ['Period', longMonth(d.period)],
      ...(d.corrects ? ([['Corrects', d.corrects]] as Array<[string, string]>) : []),
      ['Due', longDate(d.dueDate)],
      ['Purchase order', d.purchaseOrders.join(', ')],
    ];
    for (const [label, value] of particulars) {
      w.text(label, MARGIN, BODY, { colour: GREY });
      const lines = wrap(w.regular, value, BODY, WIDTH / 2 - 90);
      for (const line of lines) {
        w.text(line, MARGIN + 80, BODY);
        w.y -= BODY * LEADING;
      }
    }
    return w.y;
  })();
  w.y = Math.min(leftBottom, top - (issuer.address.length + 4) * BODY * LEADING) - 14;

  w.text('To', MARGIN, 12, { font: w.bold });
  w.y -= 12 * LEADING + 2;
  for (const [i, line] of [...d.to.invoiceAddress, `DfE LA number ${d.to.laNumber}`].entries()) {
    w.text(line, MARGIN, BODY, i === 0 ? { font: w.bold } : {});
    w.y -= BODY * LEADING;
  }
  w.y -= 14;

  tableHeading(w);
  for (const l of d.lines) {
    const description = wrap(w.regular, l.description, TABLE, COLUMNS[0]!.width - 2 * CELL_PAD);
    if (l.nightsText) description.push(...wrap(w.regular, `Nights ${l.nightsText}`, TABLE, COLUMNS[0]!.width - 2 * CELL_PAD));
    tableRow(w, [
      description,
      wrap(w.regular, l.purchaseOrder, TABLE, COLUMNS[1]!.width - 2 * CELL_PAD),
      [l.nights === undefined ? '' : String(l.nights)],
      [l.weeklyPence === undefined ? '' : formatPence(l.weeklyPence)],
      [l.vatCode],
      [formatPence(l.netPence)],
      [formatPence(l.vatPence)],
    ]);
  }

  w.ensure(4 * BODY * LEADING);
  w.y -= 4;
  for (const [label, pence, bold] of [['Net', d.netPence, false], ['VAT', d.vatPence, false], [d.totalLabel, d.grossPence, true]] as const) {
    w.text(label, MARGIN, BODY, { width: WIDTH - 80, align: 'right', ...(bold ? { font: w.bold } : {}) });
    w.text(formatPence(pence), MARGIN + WIDTH - 75, BODY, { width: 75, align: 'right', ...(bold ? { font: w.bold } : {}) });
    w.y -= BODY * LEADING;
  }
  w.y -= 10;
  w.paragraph(d.paymentNote, BODY);
  w.y -= 6;
  w.ensure(6 * BODY * LEADING);
  w.text('How to pay', MARGIN, 11, { font: w.bold });
  w.y -= 11 * LEADING;
  for (const line of remittanceLines(issuer)) w.paragraph(line, BODY);
  if (d.vatNote) {
    w.y -= 6;
    w.paragraph(d.vatNote, 8, { colour: GREY });
  }

  for (const [i, page] of w.pages.entries()) {
    const footer = printable(w.regular, `${d.title} ${d.number}  ·  page ${i + 1} of ${w.pages.length}`);
    page.drawText(footer, { x: MARGIN, y: MARGIN - 20, size: 7.5, font: w.regular, color: GREY });
  }
  return pdf.save();
}
