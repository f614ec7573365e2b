//! The printable certificate: one A4 landscape page, in the certificate's language.
//!
//! A pure function of the printed fields ([`render`]), so it is unit-tested without a database.
//! Text uses the standard Helvetica faces with `WinAnsiEncoding` (nothing embedded, French
//! accents included; see `helvetica.rs`). Long names and titles shrink, then wrap, then are
//! cut with an ellipsis, so the layout never overflows the page. The verification URL is printed
//! and is also a clickable link.

use chrono::{Datelike, NaiveDate};
use entity::enums::Language;
use pdf_writer::types::{ActionType, AnnotationType, BorderType};
use pdf_writer::{Content, Date, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::helvetica::{self, Face};

/// Everything printed on a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document<'a> {
    /// Language of the labels and of the date.
    pub language: Language,
    pub recipient_name: &'a str,
    pub course_title: &'a str,
    pub issued_on: NaiveDate,
    pub number: &'a str,
    /// Public URL where anyone can check the certificate.
    pub verification_url: &'a str,
}

/// A4 landscape, in points.
const PAGE_WIDTH: f32 = 842.0;
const PAGE_HEIGHT: f32 = 595.0;
/// Widest line of text.
const TEXT_WIDTH: f32 = 662.0;

const NAVY: (f32, f32, f32) = (0.09, 0.18, 0.36);
const RED: (f32, f32, f32) = (0.78, 0.09, 0.12);
const INK: (f32, f32, f32) = (0.15, 0.15, 0.15);

const REGULAR_FONT: Name<'static> = Name(b"F1");
const BOLD_FONT: Name<'static> = Name(b"F2");

/// Fixed texts of one language.
struct Labels {
    title: &'static str,
    certifies: &'static str,
    completed: &'static str,
    issued_on: &'static str,
    number: &'static str,
    verify: &'static str,
    lang: &'static str,
}

fn labels(language: Language) -> Labels {
    match language {
        Language::En => Labels {
            title: "Certificate of completion",
            certifies: "This certifies that",
            completed: "has successfully completed the course",
            issued_on: "Issued on",
            number: "Certificate number:",
            verify: "Verify this certificate at:",
            lang: "en-CA",
        },
        Language::Fr => Labels {
            title: "Certificat de réussite",
            certifies: "Ceci atteste que",
            completed: "a terminé avec succès le cours",
            issued_on: "Délivré le",
            number: "Numéro du certificat :",
            verify: "Vérifiez ce certificat à l’adresse :",
            lang: "fr-CA",
        },
    }
}

/// The title printed at the top of a certificate in `language`.
pub fn title(language: Language) -> &'static str {
    labels(language).title
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
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// A date as written in running text: `27 November 2026`, `27 novembre 2026`, `1er mai 2026`.
pub fn format_date(date: NaiveDate, language: Language) -> String {
    let month = usize::try_from(date.month0()).unwrap_or_default();
    match language {
        Language::En => format!(
            "{} {} {}",
            date.day(),
            MONTHS_EN.get(month).copied().unwrap_or_default(),
            date.year()
        ),
        Language::Fr => {
            let day = if date.day() == 1 {
                "1er".to_owned()
            } else {
                date.day().to_string()
            };
            format!(
                "{day} {} {}",
                MONTHS_FR.get(month).copied().unwrap_or_default(),
                date.year()
            )
        }
    }
}

/// Lines of WinAnsi text set in one face and size.
struct Block {
    face: Face,
    size: f32,
    lines: Vec<Vec<u8>>,
}

/// Sets `text` at the largest size from `max_size` down to `min_size` that needs at most
/// `preferred_lines`; failing that, at `min_size` cut to `max_lines` with an ellipsis.
fn fit(
    face: Face,
    text: &str,
    max_size: u8,
    min_size: u8,
    preferred_lines: usize,
    max_lines: usize,
) -> Block {
    let text = helvetica::encode(text.trim());
    for size in (min_size..=max_size).rev() {
        let size = f32::from(size);
        let lines = helvetica::wrap(face, &text, size, TEXT_WIDTH);
        if lines.len() <= preferred_lines {
            return Block { face, size, lines };
        }
    }
    let size = f32::from(min_size);
    let mut lines = helvetica::wrap(face, &text, size, TEXT_WIDTH);
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            const ELLIPSIS: u8 = 0x85;
            last.push(ELLIPSIS);
            while face.width(last, size) > TEXT_WIDTH && last.len() > 1 {
                last.remove(last.len() - 2);
            }
        }
    }
    Block { face, size, lines }
}

fn single(face: Face, size: f32, text: &str) -> Block {
    Block {
        face,
        size,
        lines: vec![helvetica::encode(text)],
    }
}

fn font_name(face: Face) -> Name<'static> {
    match face {
        Face::Regular => REGULAR_FONT,
        Face::Bold => BOLD_FONT,
    }
}

/// Draws `block` centred, first baseline at `y`; returns the last baseline.
fn draw(content: &mut Content, block: &Block, y: f32, color: (f32, f32, f32)) -> f32 {
    let leading = block.size * 1.2;
    let mut baseline = y;
    content.set_fill_rgb(color.0, color.1, color.2);
    for (i, line) in block.lines.iter().enumerate() {
        baseline = y - leading * i as f32;
        let x = (PAGE_WIDTH - block.face.width(line, block.size)) / 2.0;
        content
            .begin_text()
            .set_font(font_name(block.face), block.size)
            .set_text_matrix([1.0, 0.0, 0.0, 1.0, x, baseline])
            .show(Str(line))
            .end_text();
    }
    baseline
}

fn frame(content: &mut Content) {
    content
        .set_stroke_rgb(NAVY.0, NAVY.1, NAVY.2)
        .set_line_width(3.0)
        .rect(24.0, 24.0, PAGE_WIDTH - 48.0, PAGE_HEIGHT - 48.0)
        .stroke()
        .set_line_width(0.8)
        .rect(32.0, 32.0, PAGE_WIDTH - 64.0, PAGE_HEIGHT - 64.0)
        .stroke()
        .set_stroke_rgb(RED.0, RED.1, RED.2)
        .set_line_width(2.0)
        .move_to(PAGE_WIDTH / 2.0 - 60.0, 422.0)
        .line_to(PAGE_WIDTH / 2.0 + 60.0, 422.0)
        .stroke();
}

/// The certificate as a complete PDF file (`%PDF-` ... `%%EOF`).
pub fn render(doc: &Document<'_>) -> Vec<u8> {
    let labels = labels(doc.language);
    let catalog_id = Ref::new(1);
    let pages_id = Ref::new(2);
    let page_id = Ref::new(3);
    let regular_id = Ref::new(4);
    let bold_id = Ref::new(5);
    let content_id = Ref::new(6);
    let link_id = Ref::new(7);
    let info_id = Ref::new(8);

    let mut content = Content::new();
    frame(&mut content);
    draw(
        &mut content,
        &single(Face::Bold, 16.0, "RusingAcademy"),
        505.0,
        RED,
    );
    draw(
        &mut content,
        &single(Face::Bold, 34.0, labels.title),
        440.0,
        NAVY,
    );
    draw(
        &mut content,
        &single(Face::Regular, 14.0, labels.certifies),
        385.0,
        INK,
    );
    let name = fit(Face::Bold, doc.recipient_name, 28, 14, 1, 2);
    let y = draw(&mut content, &name, 345.0, NAVY);
    let y = draw(
        &mut content,
        &single(Face::Regular, 14.0, labels.completed),
        y - 40.0,
        INK,
    );
    let course = fit(Face::Bold, doc.course_title, 22, 13, 2, 3);
    draw(&mut content, &course, y - 36.0, NAVY);
    let issued = format!(
        "{} {}",
        labels.issued_on,
        format_date(doc.issued_on, doc.language)
    );
    draw(
        &mut content,
        &single(Face::Regular, 14.0, &issued),
        170.0,
        INK,
    );
    let number = format!("{} {}", labels.number, doc.number);
    draw(
        &mut content,
        &single(Face::Regular, 11.0, &number),
        120.0,
        INK,
    );
    let verify = fit(
        Face::Regular,
        &format!("{} {}", labels.verify, doc.verification_url),
        9,
        6,
        1,
        2,
    );
    let url_width = block_width(&verify);
    let url_bottom = draw(&mut content, &verify, 100.0, INK) - 3.0;

    let mut pdf = Pdf::new();
    let mut catalog = pdf.catalog(catalog_id);
    catalog.pages(pages_id).lang(TextStr(labels.lang));
    catalog.finish();
    pdf.pages(pages_id).kids([page_id]).count(1);
    let mut page = pdf.page(page_id);
    page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
        .parent(pages_id)
        .contents(content_id)
        .annotations([link_id]);
    page.resources()
        .fonts()
        .pair(REGULAR_FONT, regular_id)
        .pair(BOLD_FONT, bold_id);
    page.finish();

    let mut link = pdf.annotation(link_id);
    let left = (PAGE_WIDTH - url_width) / 2.0;
    link.subtype(AnnotationType::Link)
        .rect(Rect::new(
            left,
            url_bottom,
            left + url_width,
            100.0 + verify.size,
        ))
        .contents(TextStr(doc.verification_url));
    link.border_style().width(0.0).style(BorderType::Solid);
    link.action()
        .action_type(ActionType::Uri)
        .uri(Str(doc.verification_url.as_bytes()));
    link.finish();

    for (id, face) in [(regular_id, Face::Regular), (bold_id, Face::Bold)] {
        pdf.type1_font(id)
            .base_font(Name(face.base_font()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    pdf.stream(content_id, &content.finish());

    let doc_title = format!("{} — {}", labels.title, doc.recipient_name.trim());
    let issued_on = Date::new(u16::try_from(doc.issued_on.year()).unwrap_or(2000))
        .month(u8::try_from(doc.issued_on.month()).unwrap_or(1))
        .day(u8::try_from(doc.issued_on.day()).unwrap_or(1));
    pdf.document_info(info_id)
        .title(TextStr(&doc_title))
        .subject(TextStr(doc.number))
        .producer(TextStr("RusingAcademy"))
        .creation_date(issued_on);
    pdf.finish()
}

/// Width of the widest line of a block.
fn block_width(block: &Block) -> f32 {
    block
        .lines
        .iter()
        .map(|line| block.face.width(line, block.size))
        .fold(0.0, f32::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(language: Language) -> Document<'static> {
        Document {
            language,
            recipient_name: "Hélène Côté",
            course_title: match language {
                Language::En => "Oral interaction: level B",
                Language::Fr => "Interaction orale : niveau B, préparation à l’ELS",
            },
            issued_on: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            number: "RA-7K3MZQ9XW2PD",
            verification_url: "https://academy.example.ca/api/v1/certificates/RA-7K3MZQ9XW2PD/verify",
        }
    }

    /// How `text` appears in the content stream: a literal string when ASCII, hex otherwise.
    fn shown(text: &str) -> Vec<u8> {
        let bytes = helvetica::encode(text);
        if bytes.is_ascii() {
            [b"(".as_slice(), &bytes, b")"].concat()
        } else {
            let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
            format!("<{hex}>").into_bytes()
        }
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    /// The page text as `pdftotext` reads it, or `None` when poppler-utils is not installed.
    fn pdftotext(pdf: &[u8]) -> Option<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("certificate.pdf");
        std::fs::write(&path, pdf).unwrap();
        let output = std::process::Command::new("pdftotext")
            .arg(&path)
            .arg("-")
            .output()
            .ok()?;
        assert!(output.status.success(), "pdftotext failed: {output:?}");
        Some(String::from_utf8(output.stdout).unwrap())
    }

    #[test]
    fn an_english_certificate_is_a_complete_pdf_with_every_printed_field() {
        let pdf = render(&document(Language::En));

        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
        for text in [
            "Certificate of completion",
            "Hélène Côté",
            "Oral interaction: level B",
            "Issued on 27 November 2026",
            "Certificate number: RA-7K3MZQ9XW2PD",
        ] {
            assert!(contains(&pdf, &shown(text)), "{text} is in the PDF");
        }
        assert!(contains(
            &pdf,
            b"/URI (https://academy.example.ca/api/v1/certificates/RA-7K3MZQ9XW2PD/verify)"
        ));
        assert!(contains(&pdf, b"/BaseFont /Helvetica-Bold"));
        assert!(contains(&pdf, b"/Encoding /WinAnsiEncoding"));
        assert!(contains(&pdf, b"/MediaBox [0 0 842 595]"));
    }

    #[test]
    fn a_french_certificate_prints_french_labels_with_their_accents() {
        let pdf = render(&document(Language::Fr));

        for text in [
            "Certificat de réussite",
            "Délivré le 27 novembre 2026",
            "Numéro du certificat : RA-7K3MZQ9XW2PD",
        ] {
            assert!(contains(&pdf, &shown(text)), "{text} is in the PDF");
        }
        assert!(!contains(&pdf, &shown("Certificate of completion")));
    }

    #[test]
    fn pdftotext_reads_back_every_field_when_it_is_installed() {
        for language in [Language::En, Language::Fr] {
            let doc = document(language);
            let Some(text) = pdftotext(&render(&doc)) else {
                eprintln!("pdftotext is not installed; skipped");
                return;
            };
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let date = format_date(doc.issued_on, language);
            for expected in [
                title(language),
                doc.recipient_name,
                doc.course_title,
                date.as_str(),
                doc.number,
                doc.verification_url,
            ] {
                assert!(text.contains(expected), "{expected:?} in {text:?}");
            }
        }
    }

    #[test]
    fn dates_are_written_the_way_each_language_writes_them() {
        let date = |d| NaiveDate::from_ymd_opt(2026, 8, d).unwrap();
        assert_eq!(format_date(date(27), Language::En), "27 August 2026");
        assert_eq!(format_date(date(27), Language::Fr), "27 août 2026");
        assert_eq!(format_date(date(1), Language::Fr), "1er août 2026");
        assert_eq!(format_date(date(1), Language::En), "1 August 2026");
    }

    #[test]
    fn long_texts_shrink_then_wrap_then_are_cut_to_stay_on_the_page() {
        let short = fit(Face::Bold, "Marie Tremblay", 28, 14, 1, 2);
        assert_eq!((short.size, short.lines.len()), (28.0, 1));

        let long = "Interaction orale ".repeat(8);
        let wrapped = fit(Face::Bold, &long, 22, 13, 2, 3);
        assert!(wrapped.lines.len() <= 2 && wrapped.size < 22.0);

        let huge = "Préparation ".repeat(80);
        let cut = fit(Face::Bold, &huge, 22, 13, 2, 3);
        assert_eq!(cut.lines.len(), 3);
        assert_eq!(cut.lines[2].last(), Some(&0x85));

        let unbroken = "X".repeat(300);
        let split = fit(Face::Bold, &unbroken, 28, 14, 1, 2);
        for line in &split.lines {
            assert!(Face::Bold.width(line, split.size) <= TEXT_WIDTH);
        }
    }
}
