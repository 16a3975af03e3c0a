//! Jupyter notebooks (nbformat 4) as read-only cells: Markdown rendered safely, code with its
//! saved outputs reduced to what the page can show without running anything of the notebook's.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::Deserialize;
use serde_json::Value;

use super::{cap, CellOutput, NotebookCell, Preview, UnsupportedReason};
use crate::markdown::to_safe_html;

/// The most text kept of one output (a loop that printed a million lines).
const OUTPUT_TEXT_BYTES: usize = 64 * 1024;

/// Pictures, best first, as the page may show them in an `<img>`.
const BITMAPS: [&str; 3] = ["image/png", "image/jpeg", "image/gif"];
const SVG: &str = "image/svg+xml";

#[derive(Deserialize)]
struct Notebook {
    nbformat: u32,
    #[serde(default)]
    metadata: Metadata,
    cells: Vec<Cell>,
}

#[derive(Deserialize, Default)]
struct Metadata {
    kernelspec: Option<Named>,
    language_info: Option<Named>,
}

#[derive(Deserialize)]
struct Named {
    language: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(tag = "cell_type", rename_all = "snake_case")]
enum Cell {
    Markdown {
        source: Multiline,
    },
    Code {
        source: Multiline,
        execution_count: Option<u32>,
        #[serde(default)]
        outputs: Vec<Output>,
    },
    Raw {
        source: Multiline,
    },
    #[serde(other)]
    Unknown,
}

#[derive(Deserialize)]
#[serde(tag = "output_type", rename_all = "snake_case")]
enum Output {
    Stream {
        name: String,
        text: Multiline,
    },
    DisplayData {
        data: BTreeMap<String, Value>,
    },
    ExecuteResult {
        data: BTreeMap<String, Value>,
    },
    Error {
        ename: String,
        evalue: String,
        #[serde(default)]
        traceback: Vec<String>,
    },
    #[serde(other)]
    Unknown,
}

/// nbformat writes text as one string or as a list of lines.
#[derive(Deserialize)]
#[serde(untagged)]
enum Multiline {
    One(String),
    Lines(Vec<String>),
}

impl Multiline {
    fn joined(self) -> String {
        match self {
            Multiline::One(text) => text,
            Multiline::Lines(lines) => lines.concat(),
        }
    }
}

/// The notebook in `bytes`; `cut`: the file goes on (half a notebook is not JSON, so that is
/// said as such instead of as broken JSON).
pub(super) fn preview(bytes: &[u8], cut: bool) -> Preview {
    let unsupported = |reason| Preview::Unsupported { reason };
    if cut {
        return unsupported(UnsupportedReason::NotebookTooLarge);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let notebook = match serde_json::from_slice::<Notebook>(bytes) {
        Ok(notebook) if notebook.nbformat == 4 => notebook,
        _ => return unsupported(UnsupportedReason::InvalidNotebook),
    };
    Preview::Notebook {
        language: language(&notebook.metadata),
        cells: notebook.cells.into_iter().filter_map(cell).collect(),
    }
}

fn language(metadata: &Metadata) -> String {
    let from_kernel = metadata
        .kernelspec
        .as_ref()
        .and_then(|k| k.language.clone());
    let from_info = || metadata.language_info.as_ref().and_then(|l| l.name.clone());
    from_kernel
        .or_else(from_info)
        .unwrap_or_else(|| "python".to_owned())
}

fn cell(cell: Cell) -> Option<NotebookCell> {
    Some(match cell {
        Cell::Markdown { source } => NotebookCell::Markdown {
            html: to_safe_html(&source.joined()),
        },
        Cell::Code {
            source,
            execution_count,
            outputs,
        } => NotebookCell::Code {
            source: source.joined(),
            execution_count,
            outputs: outputs.into_iter().filter_map(output).collect(),
        },
        Cell::Raw { source } => NotebookCell::Raw {
            text: source.joined(),
        },
        Cell::Unknown => return None,
    })
}

fn output(output: Output) -> Option<CellOutput> {
    match output {
        Output::Stream { name, text } => Some(CellOutput::Stream {
            name,
            text: capped(&overwrite_lines(&strip_ansi(&text.joined()))),
        }),
        Output::DisplayData { data } | Output::ExecuteResult { data } => rich(&data),
        Output::Error {
            ename,
            evalue,
            traceback,
        } => Some(CellOutput::Error {
            ename: strip_ansi(&ename),
            evalue: strip_ansi(&evalue),
            traceback: capped(&strip_ansi(&traceback.join("\n"))),
        }),
        Output::Unknown => None,
    }
}

/// The best of a display's representations the page can show safely: a picture, the HTML (for a
/// sandboxed frame, with its text beside it), Markdown, then text.
fn rich(data: &BTreeMap<String, Value>) -> Option<CellOutput> {
    let text_of = |mime: &str| data.get(mime).and_then(text);
    for mime in BITMAPS {
        if let Some(encoded) = text_of(mime) {
            let encoded: String = encoded.split_ascii_whitespace().collect();
            if is_base64(&encoded) {
                return Some(image(mime, encoded));
            }
        }
    }
    if let Some(svg) = text_of(SVG) {
        let encoded = base64::engine::general_purpose::STANDARD.encode(svg);
        return Some(image(SVG, encoded));
    }
    let plain = text_of("text/plain").map(|t| capped(&strip_ansi(&t)));
    if let Some(html) = text_of("text/html") {
        return Some(CellOutput::Html { html, plain });
    }
    if let Some(markdown) = text_of("text/markdown") {
        return Some(CellOutput::Markdown {
            html: to_safe_html(&markdown),
        });
    }
    plain.map(|text| CellOutput::Text { text })
}

fn image(mime: &str, data: String) -> CellOutput {
    CellOutput::Image {
        mime: mime.to_owned(),
        data,
    }
}

/// A representation's text: a string or a list of lines.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Array(lines) => lines.iter().map(Value::as_str).collect(),
        _ => None,
    }
}

/// Only base64's letters: what goes into a `data:` URL is a picture and nothing else.
fn is_base64(data: &str) -> bool {
    !data.is_empty()
        && data
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
}

fn capped(text: &str) -> String {
    match cap(text.to_owned(), OUTPUT_TEXT_BYTES) {
        (text, false) => text,
        (text, true) => text + "\n…",
    }
}

/// `text` without terminal escape sequences (colours in tracebacks and logs, titles, cursor
/// moves), which would show as garbage.
pub(super) fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        match chars.next() {
            // CSI: parameters up to a final byte in `@`..=`~`.
            Some('[') => {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            // OSC: up to BEL or ESC `\`.
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\x07' || (c == '\x1b' && chars.next().is_some()) {
                        break;
                    }
                }
            }
            // Character-set choices (`ESC ( B`) are three characters long.
            Some('(' | ')' | '*' | '+') => {
                chars.next();
            }
            // Any other escape is two characters long.
            _ => {}
        }
    }
    out
}

/// A line rewritten in place with `\r` (a progress bar) shows as its last version, as Jupyter
/// shows it.
fn overwrite_lines(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            line.rsplit('\r').next().unwrap_or(line)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::preview as preview_file;
    use super::*;

    const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    fn sample() -> Value {
        json!({
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}},
            "cells": [
                {"cell_type": "markdown", "metadata": {}, "source": ["# 분석\n", "<script>alert(1)</script>\n"]},
                {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": "print('hi')", "outputs": [
                    {"output_type": "stream", "name": "stdout", "text": ["hi\n", "10%\r50%\r100%\n"]}
                ]},
                {"cell_type": "code", "metadata": {}, "execution_count": 2, "source": ["plt.plot(x)"], "outputs": [
                    {"output_type": "display_data", "metadata": {}, "data": {
                        "image/png": format!("{}\n{}\n", &PNG[..40], &PNG[40..]),
                        "text/plain": ["<Figure size 640x480 with 1 Axes>"]
                    }}
                ]},
                {"cell_type": "code", "metadata": {}, "execution_count": 3, "source": "1/0", "outputs": [
                    {"output_type": "error", "ename": "ZeroDivisionError", "evalue": "division by zero", "traceback": [
                        "\u{1b}[0;31m---------------------------------------------------------------------------\u{1b}[0m",
                        "\u{1b}[0;31mZeroDivisionError\u{1b}[0m: division by zero"
                    ]}
                ]},
                {"cell_type": "code", "metadata": {}, "execution_count": 4, "source": "df", "outputs": [
                    {"output_type": "execute_result", "execution_count": 4, "metadata": {}, "data": {
                        "text/html": ["<table><tr><td>1</td></tr></table>", "<script>alert('x')</script>"],
                        "text/plain": "   a\n0  1"
                    }}
                ]},
                {"cell_type": "code", "metadata": {}, "execution_count": null, "source": "", "outputs": []},
                {"cell_type": "raw", "metadata": {}, "source": "raw text"}
            ]
        })
    }

    fn cells(value: &Value) -> Vec<NotebookCell> {
        let bytes = serde_json::to_vec(value).unwrap();
        match preview_file("analysis.ipynb", &bytes, bytes.len() as u64) {
            Preview::Notebook { cells, language } => {
                assert_eq!(language, "python");
                cells
            }
            other => panic!("not a notebook: {other:?}"),
        }
    }

    fn outputs(cell: &NotebookCell) -> &[CellOutput] {
        match cell {
            NotebookCell::Code { outputs, .. } => outputs,
            other => panic!("not code: {other:?}"),
        }
    }

    #[test]
    fn reads_every_kind_of_cell_and_output() {
        let cells = cells(&sample());
        assert_eq!(cells.len(), 7);
        let NotebookCell::Markdown { html } = &cells[0] else {
            panic!("not markdown: {:?}", cells[0]);
        };
        assert!(
            html.contains("<h1>분석</h1>") && !html.contains("<script"),
            "{html}"
        );
        assert_eq!(
            outputs(&cells[1]),
            [CellOutput::Stream {
                name: "stdout".into(),
                text: "hi\n100%\n".into()
            }]
        );
        assert_eq!(
            outputs(&cells[2]),
            [CellOutput::Image {
                mime: "image/png".into(),
                data: PNG.into()
            }]
        );
        let [CellOutput::Error {
            ename, traceback, ..
        }] = outputs(&cells[3])
        else {
            panic!("not an error: {:?}", cells[3]);
        };
        assert_eq!(ename, "ZeroDivisionError");
        assert!(!traceback.contains('\u{1b}') && !traceback.contains("[0;31m"));
        assert!(traceback.ends_with("ZeroDivisionError: division by zero"));
        assert_eq!(
            cells[5],
            NotebookCell::Code {
                source: String::new(),
                execution_count: None,
                outputs: vec![]
            }
        );
        assert_eq!(
            cells[6],
            NotebookCell::Raw {
                text: "raw text".into()
            }
        );
    }

    #[test]
    fn html_outputs_stay_apart_from_the_rendered_markdown() {
        let cells = cells(&sample());
        let [CellOutput::Html { html, plain }] = outputs(&cells[4]) else {
            panic!("not html: {:?}", cells[4]);
        };
        // Kept as written, for a sandboxed frame only.
        assert!(html.contains("<script>alert('x')</script>"));
        assert_eq!(plain.as_deref(), Some("   a\n0  1"));
        // Nowhere else does a script survive.
        for cell in &cells {
            let markup = match cell {
                NotebookCell::Markdown { html } => html.clone(),
                NotebookCell::Code { outputs, .. } => outputs
                    .iter()
                    .filter(|o| !matches!(o, CellOutput::Html { .. }))
                    .map(|o| serde_json::to_string(o).unwrap())
                    .collect(),
                NotebookCell::Raw { .. } => String::new(),
            };
            assert!(!markup.contains("<script"), "{markup}");
        }
    }

    #[test]
    fn svg_and_markdown_outputs_are_made_safe() {
        let svg = "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>";
        let rich_output = |data: Value| {
            let data: BTreeMap<String, Value> = serde_json::from_value(data).unwrap();
            rich(&data).unwrap()
        };
        let CellOutput::Image { mime, data } = rich_output(json!({"image/svg+xml": svg})) else {
            panic!("not an image");
        };
        assert_eq!(mime, SVG);
        assert_eq!(
            base64::engine::general_purpose::STANDARD
                .decode(data)
                .unwrap(),
            svg.as_bytes()
        );
        let CellOutput::Markdown { html } =
            rich_output(json!({"text/markdown": "**b** <script>x</script>"}))
        else {
            panic!("not markdown");
        };
        assert!(html.contains("<strong>b</strong>") && !html.contains("<script"));
        // Not base64: not put into a data URL; the text stands in.
        assert_eq!(
            rich_output(json!({"image/png": "\" onerror=\"x", "text/plain": "fig"})),
            CellOutput::Text { text: "fig".into() }
        );
    }

    #[test]
    fn broken_old_or_cut_notebooks_are_unsupported() {
        let reason = |bytes: &[u8], size: u64| match preview_file("n.ipynb", bytes, size) {
            Preview::Unsupported { reason } => reason,
            other => panic!("previewed: {other:?}"),
        };
        assert_eq!(reason(b"{not json", 9), UnsupportedReason::InvalidNotebook);
        let v3 = br#"{"nbformat": 3, "cells": []}"#;
        assert_eq!(
            reason(v3, v3.len() as u64),
            UnsupportedReason::InvalidNotebook
        );
        let whole = serde_json::to_vec(&sample()).unwrap();
        assert_eq!(
            reason(&whole[..100], whole.len() as u64),
            UnsupportedReason::NotebookTooLarge
        );
    }

    #[test]
    fn terminal_escapes_are_removed() {
        assert_eq!(strip_ansi("\u{1b}[1;32mok\u{1b}[0m done"), "ok done");
        assert_eq!(strip_ansi("\u{1b}]0;title\u{7}text"), "text");
        assert_eq!(strip_ansi("a\u{1b}(Bb"), "ab");
        assert_eq!(strip_ansi("plain 한글"), "plain 한글");
    }
}
