//! The invoice PDF: A4 portrait, every label in both official languages, the buyer's language
//! first ("Invoice / Facture" or "Facture / Invoice").
//!
//! A pure function of the printed fields ([`render`]), so it is unit-tested without a database.
//! Like the certificate (`certificates/pdf.rs`), text uses the standard Helvetica faces with
//! `WinAnsiEncoding` (nothing embedded, French accents included; see `certificates/helvetica.rs`)
//! and the content streams are not compressed.
//!
//! Layout:
//! - the first page has the seller (name, address, HST registration number) on the left, the
//!   title, invoice number, dates and status on the right, then "Billed to / Facturé à";
//! - a table of lines, descriptions on the left (wrapped to at most [`MAX_DESCRIPTION_LINES`]
//!   lines, the last one cut with an ellipsis), amounts right-aligned in a column as wide as the
//!   widest amount of the invoice;
//! - the subtotal, the HST line (when tax is not included) or the "HST included / TVH incluse"
//!   note, the total, and the currency;
//! - lines that do not fit continue on further pages (a short header and the table header are
//!   repeated); the totals go on the last page, alone on a new page when they do not fit under
//!   the last line. Every page has a footer with "Page n of m / Page n de m";
//! - a void invoice has a large red outlined "VOID / ANNULÉE" mark across every page (a draft, a
//!   grey "DRAFT / BROUILLON" mark).
//!
//! Every text is cut or wrapped to its column, so nothing is ever printed outside the margins.
//! Amounts are written the buyer's way ([`format_money`]); dates are written in both languages.

use chrono::{Datelike, NaiveDate};
use entity::enums::{InvoiceStatus, Language};
use pdf_writer::types::TextRenderingMode;
use pdf_writer::{Content, Date, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::certificates::helvetica::{self, Face};

/// Everything printed on an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document<'a> {
    /// Our invoice number, e.g. `RA-2026-000042`.
    pub number: &'a str,
    pub issued_on: NaiveDate,
    pub paid_on: Option<NaiveDate>,
    pub status: InvoiceStatus,
    pub seller: Seller<'a>,
    pub buyer_name: &'a str,
    pub buyer_email: &'a str,
    /// The invoiced lines, descriptions already in the buyer's words.
    pub lines: &'a [Line<'a>],
    /// Cents, before tax.
    pub subtotal: i64,
    /// HST in cents (0 when the prices include it).
    pub tax: i64,
    /// Courses, paths, plans and subscriptions are sold tax-included (a note is printed instead
    /// of the HST line); coaching sessions show the HST on its own line. Should a tax-included
    /// invoice carry a non-zero `tax`, its HST line is printed as well, so the figures add up.
    pub tax_included: bool,
    /// Cents.
    pub total: i64,
    /// ISO code, e.g. `CAD`.
    pub currency: &'a str,
    /// The buyer's language, printed first; both languages are always printed.
    pub language: Language,
}

/// Who issues the invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seller<'a> {
    pub name: &'a str,
    pub address: &'a [&'a str],
    /// HST/GST registration number, e.g. `123456789 RT0001`.
    pub hst_number: &'a str,
}

/// One invoiced line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    pub description: &'a str,
    /// Cents; negative for a discount.
    pub amount: i64,
}

/// A4 portrait, in points.
const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
/// Left and right margins.
const LEFT: f32 = 50.0;
const RIGHT: f32 = PAGE_WIDTH - LEFT;
const CONTENT_WIDTH: f32 = RIGHT - LEFT;
/// Baseline of the first line of every page.
const TOP: f32 = 790.0;
/// Nothing of the body goes below this; the footer lives underneath.
const BODY_BOTTOM: f32 = 66.0;
const FOOTER_RULE: f32 = 54.0;
const FOOTER_BASELINE: f32 = 40.0;
/// Widths of the seller column (left) and of the invoice facts column (right) of page 1.
const SELLER_WIDTH: f32 = 250.0;
const FACTS_WIDTH: f32 = 235.0;
/// Inner padding of the table, and gap between the description and amount columns.
const CELL_PADDING: f32 = 6.0;
const COLUMN_GAP: f32 = 18.0;
/// Line text size and leading.
const LINE_SIZE: f32 = 10.0;
const LINE_LEADING: f32 = 13.0;
/// A description longer than this many lines is cut with an ellipsis.
pub const MAX_DESCRIPTION_LINES: usize = 3;
/// Texts are cut to this many bytes before they are measured: even the narrowest glyph makes
/// this wider than any column's [`MAX_DESCRIPTION_LINES`] lines, so nothing visible is lost, and
/// the cost of a huge input stays bounded.
const MAX_TEXT_BYTES: usize = 2000;
/// `…` in WinAnsi.
const ELLIPSIS: u8 = 0x85;

const NAVY: Rgb = Rgb(0.09, 0.18, 0.36);
const RED: Rgb = Rgb(0.78, 0.09, 0.12);
const INK: Rgb = Rgb(0.15, 0.15, 0.15);
const GREY: Rgb = Rgb(0.42, 0.42, 0.42);
const RULE: Rgb = Rgb(0.78, 0.78, 0.78);
const BAND: Rgb = Rgb(0.92, 0.93, 0.95);

const REGULAR_FONT: Name<'static> = Name(b"F1");
const BOLD_FONT: Name<'static> = Name(b"F2");

/// A label in English and French.
type Label = (&'static str, &'static str);

const INVOICE: Label = ("Invoice", "Facture");
const NUMBER: Label = ("Invoice number", "Numéro de facture");
const DATE: Label = ("Date", "Date");
const STATUS: Label = ("Status", "Statut");
const PAID_ON: Label = ("Paid on", "Payée le");
const BILLED_TO: Label = ("Billed to", "Facturé à");
const HST_NUMBER: Label = ("HST registration no.", "N° d’inscription TVH");
const DESCRIPTION: Label = ("Description", "Description");
const AMOUNT: Label = ("Amount", "Montant");
const SUBTOTAL: Label = ("Subtotal", "Sous-total");
const HST: Label = ("HST 13%", "TVH 13\u{a0}%");
const TAX_INCLUDED: Label = ("HST included", "TVH incluse");
const TOTAL: Label = ("Total", "Total");
const VOID_MARK: Label = ("VOID", "ANNULÉE");
const DRAFT_MARK: Label = ("DRAFT", "BROUILLON");

fn status_label(status: InvoiceStatus) -> Label {
    match status {
        InvoiceStatus::Draft => ("Draft", "Brouillon"),
        InvoiceStatus::Open => ("Awaiting payment", "En attente de paiement"),
        InvoiceStatus::Paid => ("Paid", "Payée"),
        InvoiceStatus::Void => ("Void", "Annulée"),
    }
}

/// `english / français` or `français / english`, the reader's language first; a word that is
/// the same in both languages is printed once.
fn bilingual(language: Language, english: &str, french: &str) -> String {
    if english == french {
        return english.to_owned();
    }
    match language {
        Language::En => format!("{english} / {french}"),
        Language::Fr => format!("{french} / {english}"),
    }
}

fn label(language: Language, (english, french): Label) -> String {
    bilingual(language, english, french)
}

/// An amount of cents the way `language` writes it: `$1,234.56`, `-$5.00`; `1 234,56 $`,
/// `-5,00 $` (the French spaces are no-break spaces, U+00A0, which WinAnsi encodes).
pub fn format_money(cents: i64, language: Language) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let magnitude = cents.unsigned_abs();
    let (dollars, cents) = (magnitude / 100, magnitude % 100);
    match language {
        Language::En => format!("{sign}${}.{cents:02}", group_thousands(dollars, ',')),
        Language::Fr => format!(
            "{sign}{},{cents:02}\u{a0}$",
            group_thousands(dollars, '\u{a0}')
        ),
    }
}

fn group_thousands(value: u64, separator: char) -> String {
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(separator);
        }
        grouped.push(digit);
    }
    grouped
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date the way an invoice writes it: `December 1, 2026`; `1er décembre 2026`,
/// `27 novembre 2026` (the French form is the certificate's).
pub fn format_date(date: NaiveDate, language: Language) -> String {
    match language {
        Language::En => {
            let month = usize::try_from(date.month0()).unwrap_or_default();
            format!(
                "{} {}, {}",
                MONTHS_EN.get(month).copied().unwrap_or_default(),
                date.day(),
                date.year()
            )
        }
        Language::Fr => crate::certificates::pdf::format_date(date, Language::Fr),
    }
}

/// A date in both languages, the reader's first.
fn both_dates(date: NaiveDate, language: Language) -> String {
    bilingual(
        language,
        &format_date(date, Language::En),
        &format_date(date, Language::Fr),
    )
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Rgb(f32, f32, f32);

/// One line of WinAnsi text, left end of its baseline at (`x`, `y`).
#[derive(Debug, Clone, PartialEq)]
struct Text {
    face: Face,
    size: f32,
    x: f32,
    y: f32,
    bytes: Vec<u8>,
    color: Rgb,
}

#[cfg(test)]
impl Text {
    fn width(&self) -> f32 {
        self.face.width(&self.bytes, self.size)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// A horizontal line.
    Rule {
        from: f32,
        to: f32,
        y: f32,
        width: f32,
        color: Rgb,
    },
    /// A filled rectangle.
    Band {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        color: Rgb,
    },
}

/// The "VOID / ANNULÉE" (or draft) mark: outlined text, centred on the page, rotated.
#[derive(Debug, Clone, PartialEq)]
struct Stamp {
    bytes: Vec<u8>,
    size: f32,
    color: Rgb,
}

/// Angle of the stamp, and how wide it may be.
const STAMP_ANGLE_DEGREES: f32 = 38.0;
const STAMP_MAX_WIDTH: f32 = 560.0;
const STAMP_MAX_SIZE: f32 = 72.0;

impl Stamp {
    fn new(text: &str, color: Rgb) -> Self {
        let bytes = helvetica::encode(text);
        let natural = Face::Bold.width(&bytes, STAMP_MAX_SIZE);
        let size = if natural > STAMP_MAX_WIDTH {
            STAMP_MAX_SIZE * STAMP_MAX_WIDTH / natural
        } else {
            STAMP_MAX_SIZE
        };
        Stamp { bytes, size, color }
    }

    /// Text matrix that centres the text on the page at the stamp's angle.
    fn matrix(&self) -> [f32; 6] {
        let (sin, cos) = STAMP_ANGLE_DEGREES.to_radians().sin_cos();
        let half_width = Face::Bold.width(&self.bytes, self.size) / 2.0;
        // Half the cap height of Helvetica Bold (718/1000).
        let half_height = 0.359 * self.size;
        let x = PAGE_WIDTH / 2.0 - cos * half_width + sin * half_height;
        let y = PAGE_HEIGHT / 2.0 - sin * half_width - cos * half_height;
        [cos, sin, -sin, cos, x, y]
    }
}

/// Everything drawn on one page.
#[derive(Debug, Default)]
struct Page {
    shapes: Vec<Shape>,
    texts: Vec<Text>,
    stamp: Option<Stamp>,
}

impl Page {
    fn left(&mut self, face: Face, size: f32, x: f32, y: f32, bytes: Vec<u8>, color: Rgb) {
        self.texts.push(Text {
            face,
            size,
            x,
            y,
            bytes,
            color,
        });
    }

    /// Text whose right end is at `right`.
    fn right(&mut self, face: Face, size: f32, right: f32, y: f32, bytes: Vec<u8>, color: Rgb) {
        let x = right - face.width(&bytes, size);
        self.left(face, size, x, y, bytes, color);
    }

    fn rule(&mut self, from: f32, to: f32, y: f32, width: f32, color: Rgb) {
        self.shapes.push(Shape::Rule {
            from,
            to,
            y,
            width,
            color,
        });
    }
}

/// WinAnsi bytes of `text`, trimmed, at most [`MAX_TEXT_BYTES`].
fn encode(text: &str) -> Vec<u8> {
    let mut bytes = helvetica::encode(text.trim());
    bytes.truncate(MAX_TEXT_BYTES);
    bytes
}

/// `text` cut with an ellipsis to at most `max_width`.
fn cut(face: Face, size: f32, text: &str, max_width: f32) -> Vec<u8> {
    cut_bytes(face, size, encode(text), max_width)
}

fn cut_bytes(face: Face, size: f32, mut bytes: Vec<u8>, max_width: f32) -> Vec<u8> {
    if face.width(&bytes, size) <= max_width {
        return bytes;
    }
    let room = max_width - face.width(&[ELLIPSIS], size);
    if room < 0.0 {
        return Vec::new();
    }
    // Longest prefix that leaves room for the ellipsis, measured in one pass.
    let mut width = 0.0;
    let mut keep = 0;
    for &byte in &bytes {
        width += face.width(&[byte], size);
        if width > room {
            break;
        }
        keep += 1;
    }
    bytes.truncate(keep);
    while bytes.last() == Some(&b' ') {
        bytes.pop();
    }
    bytes.push(ELLIPSIS);
    // Rounding of the running sum: the whole line is the reference.
    while face.width(&bytes, size) > max_width && bytes.len() > 1 {
        bytes.remove(bytes.len() - 2);
    }
    bytes
}

/// `text` wrapped to `max_width`, at most `max_lines` lines, the last cut with an ellipsis when
/// text is left over.
fn wrap_and_cut(
    face: Face,
    size: f32,
    text: &str,
    max_width: f32,
    max_lines: usize,
) -> Vec<Vec<u8>> {
    let mut lines = helvetica::wrap(face, &encode(text), size, max_width);
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            let mut marked = std::mem::take(last);
            marked.push(ELLIPSIS);
            *last = cut_bytes(face, size, marked, max_width);
        }
    }
    lines
}

/// One row of the line table.
struct Row {
    description: Vec<Vec<u8>>,
    amount: Vec<u8>,
}

impl Row {
    fn height(&self) -> f32 {
        LINE_LEADING * self.description.len() as f32 + 9.0
    }
}

/// Column geometry of the line table, shared by every page.
struct Columns {
    /// Right end of the amounts.
    amount_right: f32,
    /// Width of the amount column.
    amount_width: f32,
    /// Left end and width of the descriptions.
    description_left: f32,
    description_width: f32,
}

impl Columns {
    fn new(doc: &Document<'_>) -> Self {
        let money = |cents| helvetica::encode(&format_money(cents, doc.language));
        let regular = doc
            .lines
            .iter()
            .map(|line| line.amount)
            .chain([doc.subtotal, doc.tax])
            .map(|cents| Face::Regular.width(&money(cents), LINE_SIZE));
        let amount_width = regular
            .chain([
                Face::Bold.width(&money(doc.total), TOTAL_SIZE),
                Face::Bold.width(
                    &helvetica::encode(&label(doc.language, AMOUNT)),
                    HEADER_SIZE,
                ),
            ])
            .fold(0.0, f32::max);
        let amount_right = RIGHT - CELL_PADDING;
        let description_left = LEFT + CELL_PADDING;
        Columns {
            amount_right,
            amount_width,
            description_left,
            description_width: amount_right - amount_width - COLUMN_GAP - description_left,
        }
    }

    /// Right end of the labels of the totals.
    fn totals_label_right(&self) -> f32 {
        self.amount_right - self.amount_width - COLUMN_GAP
    }
}

const HEADER_SIZE: f32 = 9.0;
const TOTAL_SIZE: f32 = 12.0;

/// The first page's header; returns the top of the line table.
fn first_page_header(page: &mut Page, doc: &Document<'_>) -> f32 {
    let lang = doc.language;

    let title = encode(&label(lang, INVOICE));
    let title_width = Face::Bold.width(&title, 22.0);
    page.right(Face::Bold, 22.0, RIGHT, TOP, title, NAVY);
    let name_width = (CONTENT_WIDTH - title_width - 24.0).min(SELLER_WIDTH + 40.0);
    page.left(
        Face::Bold,
        14.0,
        LEFT,
        TOP,
        cut(Face::Bold, 14.0, doc.seller.name, name_width),
        NAVY,
    );

    // Seller, left column.
    let mut left_y = TOP - 18.0;
    for line in doc.seller.address.iter().take(6) {
        page.left(
            Face::Regular,
            9.0,
            LEFT,
            left_y,
            cut(Face::Regular, 9.0, line, SELLER_WIDTH),
            INK,
        );
        left_y -= 12.0;
    }
    left_y -= 6.0;
    page.left(
        Face::Regular,
        8.0,
        LEFT,
        left_y,
        cut(Face::Regular, 8.0, &label(lang, HST_NUMBER), SELLER_WIDTH),
        GREY,
    );
    left_y -= 12.0;
    page.left(
        Face::Bold,
        9.0,
        LEFT,
        left_y,
        cut(Face::Bold, 9.0, doc.seller.hst_number, SELLER_WIDTH),
        INK,
    );

    // Invoice facts, right column.
    let status = status_label(doc.status);
    let mut facts = vec![
        (label(lang, NUMBER), doc.number.to_owned(), INK),
        (label(lang, DATE), both_dates(doc.issued_on, lang), INK),
        (
            label(lang, STATUS),
            label(lang, status),
            if doc.status == InvoiceStatus::Void {
                RED
            } else {
                INK
            },
        ),
    ];
    if let Some(paid_on) = doc.paid_on {
        facts.push((label(lang, PAID_ON), both_dates(paid_on, lang), INK));
    }
    let mut right_y = TOP - 24.0;
    for (name, value, color) in facts {
        page.right(
            Face::Regular,
            8.0,
            RIGHT,
            right_y,
            cut(Face::Regular, 8.0, &name, FACTS_WIDTH),
            GREY,
        );
        page.right(
            Face::Bold,
            10.0,
            RIGHT,
            right_y - 12.0,
            cut(Face::Bold, 10.0, &value, FACTS_WIDTH),
            color,
        );
        right_y -= 28.0;
    }

    // Buyer, full width.
    let mut y = left_y.min(right_y + 16.0) - 30.0;
    page.left(
        Face::Regular,
        8.0,
        LEFT,
        y,
        cut(Face::Regular, 8.0, &label(lang, BILLED_TO), CONTENT_WIDTH),
        GREY,
    );
    y -= 14.0;
    page.left(
        Face::Bold,
        11.0,
        LEFT,
        y,
        cut(Face::Bold, 11.0, doc.buyer_name, CONTENT_WIDTH),
        INK,
    );
    y -= 13.0;
    page.left(
        Face::Regular,
        9.0,
        LEFT,
        y,
        cut(Face::Regular, 9.0, doc.buyer_email, CONTENT_WIDTH),
        INK,
    );
    y - 24.0
}

/// The short header of the following pages; returns the top of the line table.
fn next_page_header(page: &mut Page, doc: &Document<'_>) -> f32 {
    let title = encode(&label(doc.language, INVOICE));
    let title_width = Face::Bold.width(&title, 14.0);
    page.right(Face::Bold, 14.0, RIGHT, TOP, title, NAVY);
    page.right(
        Face::Regular,
        10.0,
        RIGHT,
        TOP - 15.0,
        cut(Face::Regular, 10.0, doc.number, FACTS_WIDTH),
        INK,
    );
    page.left(
        Face::Bold,
        12.0,
        LEFT,
        TOP,
        cut(
            Face::Bold,
            12.0,
            doc.seller.name,
            CONTENT_WIDTH - title_width - 24.0,
        ),
        NAVY,
    );
    TOP - 40.0
}

/// The header row of the line table at `top`; returns the top of the first row.
fn table_header(page: &mut Page, doc: &Document<'_>, columns: &Columns, top: f32) -> f32 {
    const HEIGHT: f32 = 18.0;
    page.shapes.push(Shape::Band {
        x: LEFT,
        y: top - HEIGHT,
        width: CONTENT_WIDTH,
        height: HEIGHT,
        color: BAND,
    });
    let baseline = top - 12.5;
    page.left(
        Face::Bold,
        HEADER_SIZE,
        columns.description_left,
        baseline,
        cut(
            Face::Bold,
            HEADER_SIZE,
            &label(doc.language, DESCRIPTION),
            columns.description_width,
        ),
        NAVY,
    );
    page.right(
        Face::Bold,
        HEADER_SIZE,
        columns.amount_right,
        baseline,
        encode(&label(doc.language, AMOUNT)),
        NAVY,
    );
    top - HEIGHT
}

/// One line of the table with its top at `top`; returns the top of the next one.
fn table_row(page: &mut Page, columns: &Columns, row: &Row, top: f32) -> f32 {
    let first_baseline = top - LINE_LEADING;
    for (i, line) in row.description.iter().enumerate() {
        page.left(
            Face::Regular,
            LINE_SIZE,
            columns.description_left,
            first_baseline - LINE_LEADING * i as f32,
            line.clone(),
            INK,
        );
    }
    page.right(
        Face::Regular,
        LINE_SIZE,
        columns.amount_right,
        first_baseline,
        row.amount.clone(),
        INK,
    );
    let bottom = top - row.height();
    page.rule(LEFT, RIGHT, bottom, 0.5, RULE);
    bottom
}

/// The subtotal, tax, total and notes under the table at `top`; returns the lowest point drawn.
fn totals(page: &mut Page, doc: &Document<'_>, columns: &Columns, top: f32) -> f32 {
    let lang = doc.language;
    let money = |cents| encode(&format_money(cents, lang));
    let label_right = columns.totals_label_right();
    let label_width = label_right - columns.description_left;
    let amount_row = |page: &mut Page, face: Face, size: f32, y: f32, name: Label, cents| {
        page.right(
            face,
            size,
            label_right,
            y,
            cut(face, size, &label(lang, name), label_width),
            INK,
        );
        page.right(face, size, columns.amount_right, y, money(cents), INK);
    };

    let mut y = top - 16.0;
    amount_row(page, Face::Regular, LINE_SIZE, y, SUBTOTAL, doc.subtotal);
    if !doc.tax_included || doc.tax != 0 {
        y -= 16.0;
        amount_row(page, Face::Regular, LINE_SIZE, y, HST, doc.tax);
    }
    y -= 8.0;
    let rule_from = (label_right - 160.0).max(LEFT);
    page.rule(rule_from, RIGHT, y, 1.0, NAVY);
    y -= 17.0;
    amount_row(page, Face::Bold, TOTAL_SIZE, y, TOTAL, doc.total);

    let mut notes = Vec::new();
    if doc.tax_included {
        notes.push(label(lang, TAX_INCLUDED));
    }
    let currency = doc.currency.trim();
    if !currency.is_empty() {
        notes.push(bilingual(
            lang,
            &format!("Amounts in {currency}"),
            &format!("Montants en {currency}"),
        ));
    }
    y -= 6.0;
    for note in notes {
        y -= 12.0;
        page.right(
            Face::Regular,
            8.0,
            columns.amount_right,
            y,
            cut(Face::Regular, 8.0, &note, CONTENT_WIDTH - CELL_PADDING),
            GREY,
        );
    }
    y - 4.0
}

fn footer(page: &mut Page, doc: &Document<'_>, number: usize, count: usize) {
    page.rule(LEFT, RIGHT, FOOTER_RULE, 0.5, RULE);
    let pages = bilingual(
        doc.language,
        &format!("Page {number} of {count}"),
        &format!("Page {number} de {count}"),
    );
    let pages = encode(&pages);
    let pages_width = Face::Regular.width(&pages, 8.0);
    page.right(Face::Regular, 8.0, RIGHT, FOOTER_BASELINE, pages, GREY);
    let left = format!("{} — {}", doc.seller.name.trim(), doc.number.trim());
    page.left(
        Face::Regular,
        8.0,
        LEFT,
        FOOTER_BASELINE,
        cut(
            Face::Regular,
            8.0,
            &left,
            CONTENT_WIDTH - pages_width - 24.0,
        ),
        GREY,
    );
}

/// Lays the invoice out on as many pages as its lines need.
fn layout(doc: &Document<'_>) -> Vec<Page> {
    let columns = Columns::new(doc);
    let rows = doc.lines.iter().map(|line| Row {
        description: wrap_and_cut(
            Face::Regular,
            LINE_SIZE,
            line.description,
            columns.description_width,
            MAX_DESCRIPTION_LINES,
        ),
        amount: encode(&format_money(line.amount, doc.language)),
    });
    let totals_height = {
        let mut scratch = Page::default();
        -totals(&mut scratch, doc, &columns, 0.0)
    };

    let mut pages = Vec::new();
    let mut page = Page::default();
    let top = first_page_header(&mut page, doc);
    let mut y = table_header(&mut page, doc, &columns, top);
    let mut rows_on_page = 0;
    for row in rows {
        if y - row.height() < BODY_BOTTOM && rows_on_page > 0 {
            pages.push(std::mem::take(&mut page));
            let top = next_page_header(&mut page, doc);
            y = table_header(&mut page, doc, &columns, top);
            rows_on_page = 0;
        }
        y = table_row(&mut page, &columns, &row, y);
        rows_on_page += 1;
    }
    if y - totals_height < BODY_BOTTOM {
        pages.push(std::mem::take(&mut page));
        y = next_page_header(&mut page, doc);
    }
    totals(&mut page, doc, &columns, y);
    pages.push(page);

    let stamp = match doc.status {
        InvoiceStatus::Void => Some(Stamp::new(&label(doc.language, VOID_MARK), RED)),
        InvoiceStatus::Draft => Some(Stamp::new(&label(doc.language, DRAFT_MARK), GREY)),
        InvoiceStatus::Open | InvoiceStatus::Paid => None,
    };
    let count = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        footer(page, doc, i + 1, count);
        page.stamp = stamp.clone();
    }
    pages
}

fn font_name(face: Face) -> Name<'static> {
    match face {
        Face::Regular => REGULAR_FONT,
        Face::Bold => BOLD_FONT,
    }
}

fn paint(page: &Page) -> Vec<u8> {
    let mut content = Content::new();
    for shape in &page.shapes {
        match *shape {
            Shape::Band {
                x,
                y,
                width,
                height,
                color,
            } => {
                content
                    .set_fill_rgb(color.0, color.1, color.2)
                    .rect(x, y, width, height)
                    .fill_nonzero();
            }
            Shape::Rule {
                from,
                to,
                y,
                width,
                color,
            } => {
                content
                    .set_stroke_rgb(color.0, color.1, color.2)
                    .set_line_width(width)
                    .move_to(from, y)
                    .line_to(to, y)
                    .stroke();
            }
        }
    }
    for text in &page.texts {
        if text.bytes.is_empty() {
            continue;
        }
        content
            .set_fill_rgb(text.color.0, text.color.1, text.color.2)
            .begin_text()
            .set_font(font_name(text.face), text.size)
            .set_text_matrix([1.0, 0.0, 0.0, 1.0, text.x, text.y])
            .show(Str(&text.bytes))
            .end_text();
    }
    if let Some(stamp) = &page.stamp {
        content
            .save_state()
            .set_stroke_rgb(stamp.color.0, stamp.color.1, stamp.color.2)
            .set_line_width(1.5)
            .begin_text()
            .set_text_rendering_mode(TextRenderingMode::Stroke)
            .set_font(BOLD_FONT, stamp.size)
            .set_text_matrix(stamp.matrix())
            .show(Str(&stamp.bytes))
            .end_text()
            .restore_state();
    }
    content.finish().into_vec()
}

/// The invoice as a complete PDF file (`%PDF-` ... `%%EOF`).
pub fn render(doc: &Document<'_>) -> Vec<u8> {
    let pages = layout(doc);

    let catalog_id = Ref::new(1);
    let pages_id = Ref::new(2);
    let info_id = Ref::new(3);
    let regular_id = Ref::new(4);
    let bold_id = Ref::new(5);
    // Page i is object 6 + 2i, its content 7 + 2i.
    let page_ids: Vec<(Ref, Ref)> = (0..pages.len())
        .map(|i| {
            let page = i32::try_from(6 + 2 * i).unwrap_or(i32::MAX - 1);
            (Ref::new(page), Ref::new(page + 1))
        })
        .collect();

    let mut pdf = Pdf::new();
    let mut catalog = pdf.catalog(catalog_id);
    catalog.pages(pages_id).lang(TextStr(match doc.language {
        Language::En => "en-CA",
        Language::Fr => "fr-CA",
    }));
    catalog.finish();
    pdf.pages(pages_id)
        .kids(page_ids.iter().map(|&(page, _)| page))
        .count(i32::try_from(pages.len()).unwrap_or(i32::MAX));

    for (page, &(page_id, content_id)) in pages.iter().zip(&page_ids) {
        let mut writer = pdf.page(page_id);
        writer
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(pages_id)
            .contents(content_id);
        writer
            .resources()
            .fonts()
            .pair(REGULAR_FONT, regular_id)
            .pair(BOLD_FONT, bold_id);
        writer.finish();
        pdf.stream(content_id, &paint(page));
    }

    for (id, face) in [(regular_id, Face::Regular), (bold_id, Face::Bold)] {
        pdf.type1_font(id)
            .base_font(Name(face.base_font()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }

    let issued_on = Date::new(u16::try_from(doc.issued_on.year()).unwrap_or(2000))
        .month(u8::try_from(doc.issued_on.month()).unwrap_or(1))
        .day(u8::try_from(doc.issued_on.day()).unwrap_or(1));
    let subject = label(doc.language, INVOICE);
    pdf.document_info(info_id)
        .title(TextStr(doc.number))
        .subject(TextStr(&subject))
        .author(TextStr(doc.seller.name))
        .producer(TextStr("RusingAcademy"))
        .creation_date(issued_on);
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADDRESS: [&str; 3] = ["123 Rideau Street", "Ottawa ON  K1N 5X8", "Canada"];

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn seller() -> Seller<'static> {
        Seller {
            name: "RusingAcademy Inc.",
            address: &ADDRESS,
            hst_number: "123456789 RT0001",
        }
    }

    /// A paid coaching session: HST on its own line.
    fn coaching<'a>(language: Language, lines: &'a [Line<'a>]) -> Document<'a> {
        Document {
            number: "RA-2026-000042",
            issued_on: date(2026, 12, 1),
            paid_on: Some(date(2026, 12, 1)),
            status: InvoiceStatus::Paid,
            seller: seller(),
            buyer_name: "Hélène Côté",
            buyer_email: "helene.cote@example.gc.ca",
            lines,
            subtotal: 10_000,
            tax: 1_300,
            tax_included: false,
            total: 11_300,
            currency: "CAD",
            language,
        }
    }

    const COACHING: [Line<'static>; 1] = [Line {
        description: "Coaching session — oral interaction, 60 min",
        amount: 10_000,
    }];

    /// How `text` appears in a content stream: a literal string when ASCII, hex otherwise.
    fn shown(text: &str) -> Vec<u8> {
        shown_bytes(&helvetica::encode(text))
    }

    fn shown_bytes(bytes: &[u8]) -> Vec<u8> {
        if bytes.is_ascii() {
            [b"(".as_slice(), bytes, b")"].concat()
        } else {
            format!("<{}>", hex(bytes)).into_bytes()
        }
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02X}")).collect()
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    fn occurrences(haystack: &[u8], needle: &[u8]) -> usize {
        haystack
            .windows(needle.len())
            .filter(|w| w == &needle)
            .count()
    }

    fn assert_complete(pdf: &[u8]) {
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
    }

    /// Every text lies inside the margins, and the body stays above the footer.
    fn assert_inside(pages: &[Page]) {
        for (number, page) in pages.iter().enumerate() {
            for text in &page.texts {
                let at = format!("page {number}: {text:?}");
                assert!(text.x >= LEFT - 0.01, "{at} starts in the left margin");
                assert!(
                    text.x + text.width() <= RIGHT + 0.01,
                    "{at} runs into the right margin ({} > {RIGHT})",
                    text.x + text.width()
                );
                assert!(text.y <= TOP + 0.01, "{at} is above the top");
                assert!(
                    text.y >= BODY_BOTTOM || text.y == FOOTER_BASELINE,
                    "{at} runs into the footer"
                );
            }
        }
    }

    /// The page text as `pdftotext` reads it, or `None` when poppler-utils is not installed.
    fn pdftotext(pdf: &[u8]) -> Option<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("invoice.pdf");
        std::fs::write(&path, pdf).unwrap();
        let output = std::process::Command::new("pdftotext")
            .arg("-layout")
            .arg(&path)
            .arg("-")
            .output()
            .ok()?;
        assert!(output.status.success(), "pdftotext failed: {output:?}");
        Some(String::from_utf8(output.stdout).unwrap())
    }

    #[test]
    fn an_english_invoice_is_a_complete_pdf_with_english_labels_first() {
        let pdf = render(&coaching(Language::En, &COACHING));

        assert_complete(&pdf);
        for text in [
            "Invoice / Facture",
            "RA-2026-000042",
            "Invoice number / Numéro de facture",
            "Date",
            "December 1, 2026 / 1er décembre 2026",
            "Status / Statut",
            "Paid / Payée",
            "Paid on / Payée le",
            "Billed to / Facturé à",
            "Hélène Côté",
            "helene.cote@example.gc.ca",
            "HST registration no. / N° d’inscription TVH",
            "123456789 RT0001",
            "Description",
            "Amount / Montant",
            "Coaching session — oral interaction, 60 min",
            "$100.00",
            "Subtotal / Sous-total",
            "HST 13% / TVH 13\u{a0}%",
            "$13.00",
            "Total",
            "$113.00",
            "Amounts in CAD / Montants en CAD",
            "Page 1 of 1 / Page 1 de 1",
        ] {
            assert!(contains(&pdf, &shown(text)), "{text:?} is in the PDF");
        }
        for french_first in [
            "Facture / Invoice",
            "Sous-total / Subtotal",
            "1er décembre 2026 / December 1, 2026",
            "113,00\u{a0}$",
        ] {
            assert!(!contains(&pdf, &shown(french_first)), "{french_first:?}");
        }
        assert!(!contains(&pdf, &shown("HST included / TVH incluse")));
        assert!(!contains(&pdf, &shown("VOID / ANNULÉE")));
        assert!(contains(&pdf, b"/Title (RA-2026-000042)"));
        assert!(contains(&pdf, b"/Producer (RusingAcademy)"));
        assert!(contains(&pdf, b"/Lang (en-CA)"));
        assert!(contains(&pdf, b"/MediaBox [0 0 595 842]"));
        assert!(contains(&pdf, b"/Count 1"));
        assert!(contains(&pdf, b"/BaseFont /Helvetica-Bold"));
        assert!(contains(&pdf, b"/Encoding /WinAnsiEncoding"));
    }

    #[test]
    fn a_french_invoice_puts_french_first_and_writes_amounts_the_french_way() {
        let pdf = render(&coaching(Language::Fr, &COACHING));

        assert_complete(&pdf);
        for text in [
            "Facture / Invoice",
            "RA-2026-000042",
            "Numéro de facture / Invoice number",
            "1er décembre 2026 / December 1, 2026",
            "Statut / Status",
            "Payée / Paid",
            "Payée le / Paid on",
            "Facturé à / Billed to",
            "N° d’inscription TVH / HST registration no.",
            "123456789 RT0001",
            "Montant / Amount",
            "100,00\u{a0}$",
            "Sous-total / Subtotal",
            "TVH 13\u{a0}% / HST 13%",
            "13,00\u{a0}$",
            "113,00\u{a0}$",
            "Montants en CAD / Amounts in CAD",
            "Page 1 de 1 / Page 1 of 1",
        ] {
            assert!(contains(&pdf, &shown(text)), "{text:?} is in the PDF");
        }
        for english_first in [
            "Invoice / Facture",
            "Invoice number / Numéro de facture",
            "Subtotal / Sous-total",
            "$113.00",
        ] {
            assert!(!contains(&pdf, &shown(english_first)), "{english_first:?}");
        }
        assert!(contains(&pdf, b"/Lang (fr-CA)"));
        assert!(contains(&pdf, b"/Title (RA-2026-000042)"));
    }

    #[test]
    fn a_tax_included_invoice_prints_the_note_instead_of_the_hst_line() {
        let lines = [
            Line {
                description: "Parcours ELS – niveau C",
                amount: 49_900,
            },
            Line {
                description: "Rabais de bienvenue",
                amount: -5_000,
            },
        ];
        for (language, note, hst, discount) in [
            (
                Language::En,
                "HST included / TVH incluse",
                "HST 13% / TVH 13\u{a0}%",
                "-$50.00",
            ),
            (
                Language::Fr,
                "TVH incluse / HST included",
                "TVH 13\u{a0}% / HST 13%",
                "-50,00\u{a0}$",
            ),
        ] {
            let doc = Document {
                subtotal: 44_900,
                tax: 0,
                tax_included: true,
                total: 44_900,
                paid_on: None,
                status: InvoiceStatus::Open,
                ..coaching(language, &lines)
            };
            let pdf = render(&doc);
            assert_complete(&pdf);
            assert!(contains(&pdf, &shown(note)), "{note:?}");
            assert!(!contains(&pdf, &shown(hst)), "{hst:?}");
            assert!(contains(&pdf, &shown(discount)), "{discount:?}");
            assert!(!contains(&pdf, &shown(&label(language, PAID_ON))));
            assert!(contains(
                &pdf,
                &shown(&label(language, status_label(InvoiceStatus::Open)))
            ));
        }
    }

    #[test]
    fn a_void_invoice_is_marked_void_on_every_page() {
        let many: Vec<Line<'_>> = (0..80)
            .map(|_| Line {
                description: "Session de coaching",
                amount: 10_000,
            })
            .collect();
        for (language, mark) in [
            (Language::En, "VOID / ANNULÉE"),
            (Language::Fr, "ANNULÉE / VOID"),
        ] {
            let doc = Document {
                status: InvoiceStatus::Void,
                paid_on: None,
                ..coaching(language, &many)
            };
            let pages = layout(&doc);
            assert!(pages.len() > 1);
            let pdf = render(&doc);
            assert_complete(&pdf);
            assert_eq!(occurrences(&pdf, &shown(mark)), pages.len(), "{mark:?}");
            assert!(contains(&pdf, b"1 Tr"), "the mark is outlined");
            for page in &pages {
                let stamp = page.stamp.as_ref().unwrap();
                assert_eq!(stamp.color, RED);
                // The rotated mark's corners stay on the page.
                let [a, b, c, d, e, f] = stamp.matrix();
                let width = Face::Bold.width(&stamp.bytes, stamp.size);
                let height = 0.718 * stamp.size;
                for (u, v) in [(0.0, 0.0), (width, 0.0), (0.0, height), (width, height)] {
                    let (x, y) = (a * u + c * v + e, b * u + d * v + f);
                    assert!((0.0..=PAGE_WIDTH).contains(&x), "{x}");
                    assert!((0.0..=PAGE_HEIGHT).contains(&y), "{y}");
                }
            }
        }
        let paid = render(&coaching(Language::En, &COACHING));
        assert!(!contains(&paid, &shown("VOID / ANNULÉE")));
        assert!(!contains(&paid, b"1 Tr"));
        let draft = Document {
            status: InvoiceStatus::Draft,
            ..coaching(Language::Fr, &COACHING)
        };
        assert!(contains(&render(&draft), &shown("BROUILLON / DRAFT")));
    }

    #[test]
    fn money_is_written_the_way_each_language_writes_it() {
        let cases = [
            (0, "$0.00", "0,00\u{a0}$"),
            (5, "$0.05", "0,05\u{a0}$"),
            (100, "$1.00", "1,00\u{a0}$"),
            (123_456, "$1,234.56", "1\u{a0}234,56\u{a0}$"),
            (100_000, "$1,000.00", "1\u{a0}000,00\u{a0}$"),
            (
                123_456_789,
                "$1,234,567.89",
                "1\u{a0}234\u{a0}567,89\u{a0}$",
            ),
            (-500, "-$5.00", "-5,00\u{a0}$"),
            (-5, "-$0.05", "-0,05\u{a0}$"),
            (
                -123_456_789,
                "-$1,234,567.89",
                "-1\u{a0}234\u{a0}567,89\u{a0}$",
            ),
            (
                i64::MIN,
                "-$92,233,720,368,547,758.08",
                "-92\u{a0}233\u{a0}720\u{a0}368\u{a0}547\u{a0}758,08\u{a0}$",
            ),
        ];
        for (cents, english, french) in cases {
            assert_eq!(format_money(cents, Language::En), english);
            assert_eq!(format_money(cents, Language::Fr), french);
            // WinAnsi prints the no-break spaces as such.
            assert!(!helvetica::encode(french).contains(&b'?'));
        }
    }

    #[test]
    fn dates_are_written_the_way_each_language_writes_them() {
        assert_eq!(
            format_date(date(2026, 12, 1), Language::En),
            "December 1, 2026"
        );
        assert_eq!(
            format_date(date(2026, 12, 1), Language::Fr),
            "1er décembre 2026"
        );
        assert_eq!(
            format_date(date(2026, 8, 27), Language::En),
            "August 27, 2026"
        );
        assert_eq!(format_date(date(2026, 8, 27), Language::Fr), "27 août 2026");
    }

    #[test]
    fn a_long_description_wraps_then_is_cut_inside_the_margin() {
        let description: String = "Préparation intensive à l’évaluation de langue seconde "
            .chars()
            .cycle()
            .take(200)
            .collect();
        assert_eq!(description.chars().count(), 200);
        let unbroken = "W".repeat(200);
        let lines = [
            Line {
                description: &description,
                amount: 123_456_789,
            },
            Line {
                description: &unbroken,
                amount: -123_456_789,
            },
        ];
        for language in [Language::En, Language::Fr] {
            let doc = coaching(language, &lines);
            let pages = layout(&doc);
            assert_eq!(pages.len(), 1);
            assert_inside(&pages);

            let columns = Columns::new(&doc);
            let descriptions = pages[0]
                .texts
                .iter()
                .filter(|t| t.size == LINE_SIZE && t.x == columns.description_left);
            for text in descriptions {
                assert!(
                    text.x + text.width() <= columns.totals_label_right(),
                    "{text:?} stays left of the amounts"
                );
            }

            let wrapped = |text: &str| {
                wrap_and_cut(
                    Face::Regular,
                    LINE_SIZE,
                    text,
                    columns.description_width,
                    MAX_DESCRIPTION_LINES,
                )
            };
            // The 200 characters wrap without losing a word.
            let words = wrapped(&description);
            assert!(words.len() > 1 && words.len() <= MAX_DESCRIPTION_LINES);
            assert_eq!(words.join(&b' '), helvetica::encode(description.trim()));
            // An unbreakable one is split inside the word, then cut with an ellipsis.
            let cut = wrapped(&unbroken);
            assert_eq!(cut.len(), MAX_DESCRIPTION_LINES);
            assert_eq!(cut.last().and_then(|line| line.last()), Some(&ELLIPSIS));
            for line in words.iter().chain(&cut) {
                assert!(Face::Regular.width(line, LINE_SIZE) <= columns.description_width);
            }
            let pdf = render(&doc);
            for line in &cut {
                assert!(contains(&pdf, &shown_bytes(line)));
            }
            assert_complete(&render(&doc));
        }
    }

    #[test]
    fn long_names_and_addresses_are_cut_inside_the_margin() {
        let long = "Ministère de l’Emploi et du Développement social Canada ".repeat(6);
        let address = [long.as_str(); 9];
        let doc = Document {
            number: &long,
            seller: Seller {
                name: &long,
                address: &address,
                hst_number: &long,
            },
            buyer_name: &long,
            buyer_email: &long,
            currency: &long,
            subtotal: i64::MIN,
            tax: i64::MIN,
            total: i64::MIN,
            ..coaching(Language::Fr, &COACHING)
        };
        let pages = layout(&doc);
        assert_inside(&pages);
        assert_complete(&render(&doc));

        let empty = Document {
            number: "",
            seller: Seller {
                name: "",
                address: &[],
                hst_number: "",
            },
            buyer_name: "",
            buyer_email: "",
            lines: &[Line {
                description: "",
                amount: 0,
            }],
            currency: "",
            ..coaching(Language::En, &COACHING)
        };
        assert_inside(&layout(&empty));
        assert_complete(&render(&empty));
    }

    #[test]
    fn many_lines_continue_on_further_pages_with_the_totals_on_the_last() {
        let descriptions: Vec<String> = (1..=150)
            .map(|i| format!("Session de coaching n° {i}"))
            .collect();
        let lines: Vec<Line<'_>> = descriptions
            .iter()
            .map(|description| Line {
                description,
                amount: 10_000,
            })
            .collect();
        for language in [Language::En, Language::Fr] {
            let doc = Document {
                subtotal: 1_500_000,
                tax: 195_000,
                total: 1_695_000,
                ..coaching(language, &lines)
            };
            let pages = layout(&doc);
            let count = pages.len();
            assert!(count >= 3, "{count} pages");
            assert_inside(&pages);

            let pdf = render(&doc);
            assert_complete(&pdf);
            assert!(contains(&pdf, format!("/Count {count}").as_bytes()));
            assert_eq!(occurrences(&pdf, b"/Type /Page\n"), count);
            for description in &descriptions {
                assert_eq!(occurrences(&pdf, &shown(description)), 1, "{description}");
            }
            let total = format_money(doc.total, language);
            assert_eq!(occurrences(&pdf, &shown(&total)), 1);
            let last = &pages[count - 1];
            assert!(
                last.texts
                    .iter()
                    .any(|t| t.bytes == helvetica::encode(&total))
            );
            assert_eq!(
                occurrences(&pdf, &shown(&label(language, INVOICE))),
                count + 1,
                "every page has the title, and so has the document info's subject"
            );
            let with_rows = pages
                .iter()
                .filter(|page| {
                    page.texts
                        .iter()
                        .any(|t| t.bytes.starts_with(b"Session de coaching"))
                })
                .count();
            assert!(with_rows >= count - 1);
            assert_eq!(
                occurrences(&pdf, &shown(&label(language, AMOUNT))),
                with_rows,
                "the table header is repeated on every page with lines"
            );
            let last_footer = bilingual(
                language,
                &format!("Page {count} of {count}"),
                &format!("Page {count} de {count}"),
            );
            assert!(contains(&pdf, &shown(&last_footer)));
        }
    }

    #[test]
    fn totals_that_do_not_fit_under_the_last_line_go_on_a_page_of_their_own() {
        // Add lines one by one until the totals are pushed to a page without lines.
        let descriptions: Vec<String> = (1..=60).map(|i| format!("Line {i}")).collect();
        let lines: Vec<Line<'_>> = descriptions
            .iter()
            .map(|description| Line {
                description,
                amount: 100,
            })
            .collect();
        let mut found = false;
        for n in 1..=lines.len() {
            let doc = coaching(Language::En, &lines[..n]);
            let pages = layout(&doc);
            assert_inside(&pages);
            let last = &pages[pages.len() - 1];
            let has_rows = last.texts.iter().any(|t| t.bytes.starts_with(b"Line "));
            if pages.len() == 2 && !has_rows {
                found = true;
                assert!(last.texts.iter().any(|t| t.bytes == b"$113.00"));
                break;
            }
        }
        assert!(found, "some line count leaves the totals alone on page 2");
    }

    #[test]
    fn pdftotext_reads_back_the_invoice_when_it_is_installed() {
        for language in [Language::En, Language::Fr] {
            let doc = coaching(language, &COACHING);
            let Some(text) = pdftotext(&render(&doc)) else {
                eprintln!("pdftotext is not installed; skipped");
                return;
            };
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let total = format_money(doc.total, language).replace('\u{a0}', " ");
            for expected in [
                label(language, INVOICE),
                doc.number.to_owned(),
                doc.seller.hst_number.to_owned(),
                label(language, SUBTOTAL),
                total,
            ] {
                assert!(text.contains(&expected), "{expected:?} in {text:?}");
            }
        }
    }
}
