//! Delimited text as a table: which delimiter the file uses (by how consistently each one splits
//! its first lines, not by its extension), the header, and the first rows.

use csv::{ReaderBuilder, StringRecord};

use super::decode::Decoded;
use super::{Delimiter, Preview};

/// Rows shown under the header.
pub const TABLE_ROWS: usize = 200;
/// Columns shown; wider files are cut on the right (their cells are counted in the head anyway).
pub const TABLE_COLUMNS: usize = 100;
/// Characters shown of one cell.
const CELL_CHARS: usize = 1000;
/// How much of the text the delimiter is guessed from, and from how many lines.
const SNIFF_BYTES: usize = 64 * 1024;
const SNIFF_RECORDS: usize = 50;

/// How well one delimiter splits the sample.
#[derive(Debug, Clone, Copy)]
struct Fit {
    delimiter: Delimiter,
    /// The most common number of fields.
    fields: usize,
    /// Lines with that number, and lines in all.
    agreeing: usize,
    lines: usize,
}

impl Fit {
    /// Consistency first (exactly, by cross-multiplying), then more fields.
    fn better_than(&self, other: &Fit) -> bool {
        let (a, b) = (self.agreeing * other.lines, other.agreeing * self.lines);
        a > b || (a == b && self.fields > other.fields)
    }
}

/// The table in `decoded`, split by the delimiter that fits best, or by the extension's when none
/// splits its lines at all (a file of one column).
pub(super) fn table(decoded: &Decoded, cut: bool, by_extension: Delimiter) -> Preview {
    let delimiter =
        best_fit(&decoded.text, cut, by_extension).map_or(by_extension, |f| f.delimiter);
    build(decoded, cut, delimiter)
}

/// The table in a `.txt` file, when it clearly is one: at least three lines, each split into the
/// same number (two or more) of fields.
pub(super) fn sniffed(decoded: &Decoded, cut: bool) -> Option<Preview> {
    let fit = best_fit(&decoded.text, cut, Delimiter::Tab)?;
    (fit.lines >= 3 && fit.agreeing == fit.lines).then(|| build(decoded, cut, fit.delimiter))
}

/// The delimiter that splits the first lines most consistently into two or more fields; ties
/// go to `preferred`, then to the order of [`Delimiter::ALL`].
fn best_fit(text: &str, cut: bool, preferred: Delimiter) -> Option<Fit> {
    let sample = prefix(text, SNIFF_BYTES);
    let sample_cut = cut || sample.len() < text.len();
    let order =
        std::iter::once(preferred).chain(Delimiter::ALL.into_iter().filter(|d| *d != preferred));
    let mut best: Option<Fit> = None;
    for delimiter in order {
        let Some(fit) = fit(sample, sample_cut, delimiter) else {
            continue;
        };
        if best.is_none_or(|b| fit.better_than(&b)) {
            best = Some(fit);
        }
    }
    best
}

fn fit(sample: &str, cut: bool, delimiter: Delimiter) -> Option<Fit> {
    let mut counts: Vec<usize> = complete_records(sample, cut, delimiter, SNIFF_RECORDS)
        .0
        .iter()
        .map(StringRecord::len)
        .collect();
    let lines = counts.len();
    counts.sort_unstable();
    // The most common count (runs of equal counts in the sorted list; the larger on a tie).
    let (fields, agreeing) = counts
        .chunk_by(|a, b| a == b)
        .map(|run| (run[0], run.len()))
        .max_by_key(|&(fields, n)| (n, fields))?;
    (fields >= 2).then_some(Fit {
        delimiter,
        fields,
        agreeing,
        lines,
    })
}

/// The first `max` records of `text`, and whether there are more. A cut text's last record may
/// be a piece of one (a line, or a quoted field with line breaks, stopped midway): it is dropped.
fn complete_records(
    text: &str,
    cut: bool,
    delimiter: Delimiter,
    max: usize,
) -> (Vec<StringRecord>, bool) {
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter.byte())
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    // One record more than asked says whether there are more (and that the last kept is whole).
    for record in reader.records().map_while(Result::ok) {
        records.push(record);
        if records.len() > max {
            break;
        }
    }
    let more = records.len() > max;
    if more {
        records.truncate(max);
    } else if cut {
        records.pop();
    }
    (records, more)
}

fn build(decoded: &Decoded, cut: bool, delimiter: Delimiter) -> Preview {
    let (records, more) = complete_records(&decoded.text, cut, delimiter, TABLE_ROWS + 1);
    let mut rows: Vec<Vec<String>> = records.iter().map(cells).collect();
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    for row in &mut rows {
        row.resize(width, String::new());
    }
    let header = if rows.is_empty() {
        Vec::new()
    } else {
        rows.remove(0)
    };
    Preview::Table {
        delimiter,
        encoding: decoded.encoding,
        numeric: numeric_columns(&rows, width),
        more_columns: records.iter().any(|r| r.len() > TABLE_COLUMNS),
        header,
        rows,
        truncated: more || cut,
    }
}

fn cells(record: &StringRecord) -> Vec<String> {
    record.iter().take(TABLE_COLUMNS).map(cell).collect()
}

fn cell(field: &str) -> String {
    match field.char_indices().nth(CELL_CHARS) {
        Some((end, _)) => format!("{}…", &field[..end]),
        None => field.to_owned(),
    }
}

/// Per column: it has a number and nothing else (empty cells aside).
fn numeric_columns(rows: &[Vec<String>], width: usize) -> Vec<bool> {
    (0..width)
        .map(|col| {
            let mut values = rows.iter().map(|r| r[col].trim()).filter(|v| !v.is_empty());
            let mut any = false;
            values.all(|v| {
                any = true;
                is_number(v)
            }) && any
        })
        .collect()
}

/// `-1,234.5`, `3e-4`, `12%`: what a spreadsheet right-aligns.
fn is_number(value: &str) -> bool {
    let plain: String = value
        .strip_suffix('%')
        .unwrap_or(value)
        .chars()
        .filter(|c| *c != ',')
        .collect();
    plain.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c))
        && plain.parse::<f64>().is_ok_and(f64::is_finite)
}

/// At most `max` bytes of `text`, at a character boundary.
fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use encoding_rs::EUC_KR;

    use super::super::{preview, TextEncoding};
    use super::*;

    fn whole(name: &str, bytes: &[u8]) -> Preview {
        preview(name, bytes, bytes.len() as u64)
    }

    struct Table {
        delimiter: Delimiter,
        encoding: TextEncoding,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        numeric: Vec<bool>,
        truncated: bool,
    }

    fn table(p: Preview) -> Table {
        match p {
            Preview::Table {
                delimiter,
                encoding,
                header,
                rows,
                numeric,
                truncated,
                ..
            } => Table {
                delimiter,
                encoding,
                header,
                rows,
                numeric,
                truncated,
            },
            other => panic!("not a table: {other:?}"),
        }
    }

    #[test]
    fn each_delimiter_is_found_by_consistency() {
        for (text, delimiter) in [
            ("name,age\nKim,30\nLee,41\n", Delimiter::Comma),
            ("name\tage\nKim\t30\nLee\t41\n", Delimiter::Tab),
            // Decimal commas: the semicolon splits every line alike, the comma does not.
            ("name;price\nA;1,5\nB;2,25\nC;3\n", Delimiter::Semicolon),
            ("name|age\nKim|30\nLee|41\n", Delimiter::Pipe),
        ] {
            // The extension does not decide: every one of these is a `.csv`.
            let t = table(whole("data.csv", text.as_bytes()));
            assert_eq!(t.delimiter, delimiter, "{text:?}");
            assert_eq!(
                t.header,
                [
                    "name",
                    if text.contains("price") {
                        "price"
                    } else {
                        "age"
                    }
                ]
            );
            assert_eq!(t.rows.len(), text.lines().count() - 1);
            assert!(!t.truncated);
        }
        let t = table(whole("data.tsv", b"a,b\tc\n1,2\t3\n"));
        assert_eq!(t.delimiter, Delimiter::Tab);
        assert_eq!(t.rows, [["1,2", "3"]]);
    }

    #[test]
    fn quoted_fields_keep_their_delimiters_and_line_breaks() {
        let t = table(whole("q.csv", b"a,b\n\"x, y\",\"two\nlines\"\n"));
        assert_eq!(t.rows, [["x, y", "two\nlines"]]);
    }

    #[test]
    fn a_cp949_csv_from_korean_excel_is_read() {
        let (bytes, _, _) = EUC_KR.encode("이름,부서,나이\n김민수,개발팀,31\n이영희,디자인팀,28\n");
        let t = table(whole("명단.csv", &bytes));
        assert_eq!(t.encoding, TextEncoding::Cp949);
        assert_eq!(t.header, ["이름", "부서", "나이"]);
        assert_eq!(t.rows[1], ["이영희", "디자인팀", "28"]);
        assert_eq!(t.numeric, [false, false, true]);
    }

    #[test]
    fn a_utf8_byte_order_mark_is_not_part_of_the_header() {
        let t = table(whole("bom.csv", "\u{FEFF}이름,나이\n김,3\n".as_bytes()));
        assert_eq!(t.encoding, TextEncoding::Utf8);
        assert_eq!(t.header, ["이름", "나이"]);
    }

    #[test]
    fn only_the_first_rows_are_kept() {
        let mut text = String::from("n,square\n");
        for n in 0..250 {
            text.push_str(&format!("{n},{}\n", n * n));
        }
        let t = table(whole("squares.csv", text.as_bytes()));
        assert_eq!(t.rows.len(), TABLE_ROWS);
        assert_eq!(t.rows[199], ["199", "39601"]);
        assert!(t.truncated);
        assert_eq!(t.numeric, [true, true]);

        let exactly = text.lines().take(201).collect::<Vec<_>>().join("\n");
        let t = table(whole("squares.csv", exactly.as_bytes()));
        assert_eq!(t.rows.len(), TABLE_ROWS);
        assert!(!t.truncated);
    }

    #[test]
    fn a_head_cut_mid_line_makes_no_garbage_row() {
        let text = b"city,people\nSeoul,9386034\nBusan,3293362\nIncheon,2977";
        let t = table(preview("cities.csv", text, text.len() as u64 + 100));
        assert_eq!(t.rows, [["Seoul", "9386034"], ["Busan", "3293362"]]);
        assert!(t.truncated);
        // Cut inside a quoted field that spans lines.
        let text = b"a,b\n1,2\n3,\"four\nfi";
        let t = table(preview("q.csv", text, 1000));
        assert_eq!(t.rows, [["1", "2"]]);
    }

    #[test]
    fn ragged_rows_are_padded_to_the_widest() {
        let t = table(whole("r.csv", b"a,b,c\n1,2,3\n4\n5,6,7\n"));
        assert_eq!(t.rows[1], ["4", "", ""]);
    }

    #[test]
    fn a_txt_file_is_a_table_only_when_it_clearly_is_one() {
        let t = table(whole("export.txt", "이름\t나이\n김\t3\n이\t4\n".as_bytes()));
        assert_eq!(t.delimiter, Delimiter::Tab);
        let prose = "Hello, world.\nThis is, I think, prose.\nNot a table.\n";
        assert!(matches!(
            whole("notes.txt", prose.as_bytes()),
            Preview::Text { .. }
        ));
    }

    #[test]
    fn numbers_are_told_from_text() {
        for n in ["1", "-2.5", "1,234", "3e-4", "12%", "+7", ".5"] {
            assert!(is_number(n), "{n}");
        }
        for s in ["abc", "NaN", "inf", "1-2", "2024-01-01", "%"] {
            assert!(!is_number(s), "{s}");
        }
    }
}
